"""The process's standard files and the terminal: what tradegap does when they are not what it expects.

No Textual or pandas here: the command line uses plug_closed_std_fds() before
anything else, and the app's run() the terminal functions below.
"""

from __future__ import annotations

import os
import sys

STD_NAMES = {0: "stdin", 1: "stdout", 2: "stderr"}


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def plug_closed_std_fds() -> frozenset[int]:
    """Open /dev/null on any of fds 0, 1 and 2 that is closed (`tradegap >&-`), and give sys a stream for it.

    Otherwise the next file tradegap opens (a settings file, a data file) would take the closed
    number and a print would write into it. Returns the fds that were closed, so that a command can
    refuse to run with nowhere to write.
    """
    closed = set()
    for fd in (0, 1, 2):
        if getattr(sys, STD_NAMES[fd]) is not None and _is_open(fd):
            continue
        closed.add(fd)
        if not _is_open(fd):
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        try:
            stream = open(fd, "r" if fd == 0 else "w", closefd=False, errors="backslashreplace",  # noqa: SIM115
                          buffering=-1 if fd == 0 else 1)
        except OSError:
            continue
        name = STD_NAMES[fd]
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    return frozenset(closed)


def discard(stream: object) -> None:
    """Point the file under a stream that failed (a broken pipe, a full disk) at /dev/null, so that
    the flush at exit neither fails again nor turns the exit status into 120."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        null = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)
