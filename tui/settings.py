"""The user's remembered filters: a small immutable record saved as JSON.

Loading never fails and never hangs: a missing file gives defaults quietly.
Only a regular file of at most 64 KiB is read (a FIFO, a device or a socket
in its place is not even opened, and a FIFO or device swapped in meanwhile
is opened without blocking and left unread); anything else, and any content
that is not a settings object (empty, corrupt, too deeply nested, numbers of
thousands of digits, wrong types, unknown keys, over-long or unprintable
strings), gives defaults and a one-line notice. A bad file is moved aside
as settings.json.bad, the earlier ones kept as .bad.1 to .bad.4.

Saving writes a temp file and os.replace()s it, so a reader never sees half
a file. A symlinked settings.json (dotfile managers) is written through: the
link's target is replaced, with its mode kept. Two tradegaps saving merge
their changes: each save re-reads the file and applies only the keys this
process changed since it last loaded or saved that file, under a lock on the
directory. Temp files left by an interrupted save are removed at the next
load or save once they are a minute old.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from tui.locations import remove_stale_temp_files

SETTINGS_VERSION = 1
VIEWS = ("deficit", "surplus", "all")
TABS = ("partners", "regions", "sectors")
SORTS = ("rank", "name", "exports", "imports", "balance", "change", "share")
#: A settings file is a few hundred bytes; anything larger than this is not one.
MAX_FILE_SIZE = 64 * 1024
#: The longest period, group and theme names accepted from a file.
MAX_TEXT = {"period": 16, "group": 16, "theme": 64}
#: Bad files kept aside: settings.json.bad (the newest) and .bad.1 to .bad.4.
KEPT_BAD_FILES = 5


class Settings(NamedTuple):
    """Immutable: a change is a new Settings (changed()). A NamedTuple rather than a frozen dataclass, which
    took a millisecond of each start to make."""

    period: str = "latest"  # "latest" follows new data; else "2024" or "2026-ytd8"
    group: str | None = None  # a group code, or None for all partners
    view: str = "deficit"
    sort: str = "rank"
    descending: bool = False
    min_size: float = 0.0  # millions of dollars of absolute balance
    tab: str = "partners"
    theme: str = "textual-dark"

    def changed(self, **changes) -> Settings:
        return self._replace(**changes)


class SettingsError(ValueError):
    """Why a settings file could not be used, in one line."""


class _Unreadable(Exception):
    """The path cannot be read as a settings file at all (a directory, a FIFO, no permission)."""


def _short_text(value: object, name: str) -> bool:
    return isinstance(value, str) and 0 < len(value) <= MAX_TEXT[name] and value.isprintable()


def _shown(value: object) -> str:
    """A value for a one-line notice: repr() escapes control characters; long values are cut."""
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _validated(data: object) -> Settings:
    if not isinstance(data, dict):
        raise SettingsError("is not a JSON object")
    data = dict(data)
    version = data.pop("version", SETTINGS_VERSION)
    if version != SETTINGS_VERSION or isinstance(version, bool):
        raise SettingsError(f"has unsupported version {_shown(version)}")
    known = set(Settings._fields)
    unknown = sorted(set(data) - known)
    if unknown:
        listed = ", ".join(_shown(k) for k in unknown[:3]) + (", ..." if len(unknown) > 3 else "")
        raise SettingsError(f"has unknown key(s) {listed}")
    settings = Settings(**data)
    checks = [
        (_short_text(settings.period, "period"), "period"),
        (settings.group is None or _short_text(settings.group, "group"), "group"),
        (isinstance(settings.view, str) and settings.view in VIEWS, "view"),
        (isinstance(settings.sort, str) and settings.sort in SORTS, "sort"),
        (isinstance(settings.descending, bool), "descending"),
        (
            isinstance(settings.min_size, (int, float))
            and not isinstance(settings.min_size, bool)
            and 0 <= settings.min_size < 1e9,
            "min_size",
        ),
        (isinstance(settings.tab, str) and settings.tab in TABS, "tab"),
        (_short_text(settings.theme, "theme"), "theme"),
    ]
    for ok, name in checks:
        if not ok:
            raise SettingsError(f"has an invalid {name} ({_shown(getattr(settings, name))})")
    return settings._replace(min_size=float(settings.min_size))


def _read(path: Path) -> bytes | None:
    """The file's bytes; None when there is no file. SettingsError when it is too large to be settings,
    _Unreadable (with the notice's reason) when the path is not a regular file or cannot be read."""
    try:
        before = os.stat(path)  # a FIFO or a device is not opened at all
    except (FileNotFoundError, NotADirectoryError):
        # nothing saved yet (or a file where a directory of the path should be: nothing can be);
        # whether settings can be saved is said once, by the app
        return None
    except OSError as error:
        raise _Unreadable(f"cannot be read ({error.strerror})") from None
    if stat.S_ISDIR(before.st_mode):
        raise _Unreadable("is a directory")
    if not stat.S_ISREG(before.st_mode):
        raise _Unreadable(f"is a {_kind(before.st_mode)}, not a regular file")
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as error:
        raise _Unreadable(f"cannot be read ({error.strerror})") from None
    try:
        info = os.fstat(fd)  # what was opened, which may not be what was looked at
        if not stat.S_ISREG(info.st_mode):
            raise _Unreadable(f"is a {_kind(info.st_mode)}, not a regular file")
        if info.st_size > MAX_FILE_SIZE:
            raise SettingsError(f"is too large ({info.st_size:,} bytes; settings take well under {MAX_FILE_SIZE:,})")
        chunks, size = [], 0
        while size <= MAX_FILE_SIZE:
            chunk = os.read(fd, MAX_FILE_SIZE + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > MAX_FILE_SIZE:  # it grew while being read
            raise SettingsError(f"is too large (over {MAX_FILE_SIZE:,} bytes)")
        return b"".join(chunks)
    except OSError as error:
        raise _Unreadable(f"cannot be read ({error.strerror})") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "device"
    return "special file"


def _decoded(raw: bytes) -> Settings:
    """The settings in a file's bytes; SettingsError saying in one line why they cannot be used."""
    if not raw.strip():
        raise SettingsError("is empty")
    try:
        data = json.loads(raw.decode("utf-8-sig"))  # an editor's byte order mark is not a mistake
    except (UnicodeDecodeError, ValueError, RecursionError):
        # ValueError: bad JSON, or an integer of thousands of digits; RecursionError: nesting too deep
        raise SettingsError("is not valid JSON") from None
    return _validated(data)


# What this process last loaded or saved, per settings file: a save applies only what changed since.
_known: dict[str, Settings] = {}


def _key(path: Path) -> str:
    return os.path.abspath(path)


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The saved settings, or defaults and a one-line notice saying why."""
    path = Path(path)
    remove_stale_temp_files(path.parent, f".{path.name}.")
    try:
        raw = _read(path)
        settings = Settings() if raw is None else _decoded(raw)
    except _Unreadable as error:
        _known[_key(path)] = Settings()
        # a directory cannot be saved over (the app says so with this notice); a FIFO or device in the
        # file's place is said once more if a save is tried, as "settings will not be saved"
        unsaved = ", settings will not be saved" if "directory" in str(error) else ""
        return Settings(), f"settings file {path} {error}: using defaults{unsaved}"
    except SettingsError as error:
        _known[_key(path)] = Settings()
        aside = _set_aside(path)
        kept = f"; kept as {aside.name}" if aside else ""
        return Settings(), f"settings file {path} {error}: using defaults{kept}"
    _known[_key(path)] = settings
    return settings, None


def _set_aside(path: Path) -> Path | None:
    """Move a bad settings file out of the way so it is kept, not silently overwritten.

    The newest is settings.json.bad; earlier ones move to .bad.1 ... .bad.4 and the oldest goes.
    """
    aside = path.with_name(path.name + ".bad")
    names = [aside] + [path.with_name(f"{path.name}.bad.{n}") for n in range(1, KEPT_BAD_FILES)]
    try:
        for older, newer in zip(reversed(names[1:]), reversed(names[:-1]), strict=True):
            if newer.is_file() and not newer.is_symlink():
                os.replace(newer, older)
        os.replace(path, aside)
        return aside
    except OSError:
        return None


def _target(path: Path) -> Path:
    """Where a save writes: through a symlink to the file it points to, so the link stays a link."""
    if path.is_symlink():
        return Path(os.path.realpath(path))
    return path


@contextlib.contextmanager
def _locked(directory: Path) -> Iterator[None]:
    """Hold an exclusive lock on the directory while re-reading and replacing the file (best effort)."""
    try:
        import fcntl
    except ImportError:  # not on this platform: the rename alone still keeps the file whole
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        yield
        return
    try:
        with contextlib.suppress(OSError):
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def _merged(path: Path, settings: Settings, base: Settings | None) -> Settings:
    """The file's current settings with the keys that differ between base and settings applied."""
    if base is None:
        return settings
    try:
        raw = _read(path)
        current = None if raw is None else _decoded(raw)
    except _Unreadable as error:
        if path.is_file():  # a file whose settings could not be read is the user's: never replaced unseen
            raise OSError(errno.EACCES, f"the file {error}, so it is not saved over", str(path)) from None
        current = None  # nothing usable to merge with: this process's settings are written whole
    except SettingsError:
        if _set_aside(path) is None:  # damaged, and it cannot be kept aside: kept where it is
            raise OSError(errno.EEXIST, "the damaged file cannot be kept aside, so it is not saved over",
                          str(path)) from None
        current = None
    if current is None or current == base:
        return settings
    changes = {name: getattr(settings, name) for name in Settings._fields
               if getattr(settings, name) != getattr(base, name)}
    return current.changed(**changes)


def save_settings(path: Path, settings: Settings, *, merge: bool = True) -> None:
    """Write atomically. Raises OSError when the directory cannot be written or the path is not a file.

    With merge (the default), keys another tradegap changed in the file since this process last
    loaded or saved it are kept, unless this process changed them too.
    """
    path = Path(path)
    target = _target(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _locked(target.parent):
        try:
            existing = os.stat(target)
        except FileNotFoundError:
            existing = None
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            code = errno.EISDIR if stat.S_ISDIR(existing.st_mode) else errno.EEXIST
            raise OSError(code, "not a regular file", str(target))
        written = _merged(target, settings, _known.get(_key(path)) if merge else None)
        text = json.dumps({"version": SETTINGS_VERSION, **written._asdict()}, indent=2) + "\n"
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                if existing is not None:
                    with contextlib.suppress(OSError):
                        os.fchmod(handle.fileno(), stat.S_IMODE(existing.st_mode))
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    _known[_key(path)] = settings
    remove_stale_temp_files(target.parent, f".{target.name}.")


def reset_settings(path: Path) -> None:
    """Back to defaults, saved (the whole file: nothing is merged)."""
    save_settings(path, Settings(), merge=False)


def check_settings(settings: Settings, ds) -> tuple[Settings, str | None]:
    """Settings that fit the dataset: a period without data or an unknown group goes back to its default.

    ds is a tui.trade Dataset (or the first screen's QuickData); the notice says in one line what was reset.
    """
    from tui.trade.periods import PeriodError, parse_period

    fixes: list[str] = []
    defaults = Settings()
    if settings.period != "latest":
        try:
            parse_period(ds, settings.period)
        except PeriodError:
            fixes.append(f"period {settings.period!r} has no data")
            settings = settings.changed(period=defaults.period)
    if settings.group is not None and settings.group not in ds.group_codes:
        fixes.append(f"group {settings.group!r} does not exist")
        settings = settings.changed(group=defaults.group)
    if not fixes:
        return settings, None
    return settings, "saved settings: " + " and ".join(fixes) + ": using the default instead"
