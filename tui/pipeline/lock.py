"""One update or import at a time: an exclusive lock on a file in the user's data directory."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tui.pipeline.sources import SourceError


class AlreadyRunning(SourceError):
    """Another update or import holds the lock."""


class DataDirectoryError(SourceError):
    """The user's data directory cannot be written."""


@contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on path while the block runs; AlreadyRunning if another process
    (or another part of this one) holds it."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(path, "a+")  # noqa: SIM115 - held open for the lock's lifetime
    except OSError as error:
        raise DataDirectoryError(f"cannot write to the data directory {path.parent} "
                                 f"({error.strerror or error})") from None
    try:
        try:
            _lock(handle.fileno())
        except OSError:
            raise AlreadyRunning(f"another tradegap update or import is running (lock {path}); "
                                 f"try again when it has finished") from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(f"{os.getpid()}\n")
            handle.flush()
            yield
        finally:
            _unlock(handle.fileno())
    finally:
        handle.close()


# sys.platform rather than os.name: type checkers understand it, and check each branch only for its platform
if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock(descriptor: int) -> None:
        msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
else:
    import fcntl

    def _lock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
