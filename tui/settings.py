"""The user's remembered filters: a small dataclass saved as JSON.

Loading never fails: a missing file gives defaults quietly; an empty,
corrupt, wrongly typed or unknown-keyed file gives defaults and a one-line
notice, and the bad file is moved aside (settings.json.bad) rather than
overwritten. Saving writes a temp file and os.replace()s it, so a reader
never sees half a file, even with two tradegap processes saving at once.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

SETTINGS_VERSION = 1
VIEWS = ("deficit", "surplus", "all")
TABS = ("partners", "regions", "sectors")
SORTS = ("rank", "name", "exports", "imports", "balance", "change", "share")


@dataclass(frozen=True)
class Settings:
    period: str = "latest"  # "latest" follows new data; else "2024" or "2026-ytd8"
    group: str | None = None  # a group code, or None for all partners
    view: str = "deficit"
    sort: str = "rank"
    descending: bool = False
    min_size: float = 0.0  # millions of dollars of absolute balance
    tab: str = "partners"
    theme: str = "textual-dark"

    def changed(self, **changes) -> Settings:
        return replace(self, **changes)


class SettingsError(ValueError):
    """Why a settings file could not be used, in one line."""


def _validated(data: object) -> Settings:
    if not isinstance(data, dict):
        raise SettingsError("is not a JSON object")
    data = dict(data)
    version = data.pop("version", SETTINGS_VERSION)
    if version != SETTINGS_VERSION:
        raise SettingsError(f"has unsupported version {version!r}")
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise SettingsError(f"has unknown key(s) {', '.join(map(repr, unknown))}")
    settings = Settings(**data)
    checks = [
        (isinstance(settings.period, str) and bool(settings.period), "period"),
        (settings.group is None or (isinstance(settings.group, str) and bool(settings.group)), "group"),
        (settings.view in VIEWS, "view"),
        (settings.sort in SORTS, "sort"),
        (isinstance(settings.descending, bool), "descending"),
        (
            isinstance(settings.min_size, (int, float))
            and not isinstance(settings.min_size, bool)
            and 0 <= settings.min_size < 1e9,
            "min_size",
        ),
        (settings.tab in TABS, "tab"),
        (isinstance(settings.theme, str) and bool(settings.theme), "theme"),
    ]
    for ok, name in checks:
        if not ok:
            raise SettingsError(f"has an invalid {name} ({getattr(settings, name)!r})")
    return replace(settings, min_size=float(settings.min_size))


def load_settings(path: Path) -> tuple[Settings, str | None]:
    """The saved settings, or defaults and a one-line notice saying why."""
    try:
        raw = path.read_bytes()
    except (FileNotFoundError, NotADirectoryError):
        # nothing saved yet (or a file where a directory of the path should be: nothing can be);
        # whether settings can be saved is said once, by the app
        return Settings(), None
    except IsADirectoryError:
        return Settings(), f"settings file {path} is a directory: using defaults, settings will not be saved"
    except OSError as error:
        return Settings(), f"cannot read settings file {path} ({error.strerror}): using defaults"
    try:
        if not raw.strip():
            raise SettingsError("is empty")
        try:
            data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise SettingsError("is not valid JSON") from None
        return _validated(data), None
    except SettingsError as error:
        aside = _set_aside(path)
        kept = f"; kept as {aside.name}" if aside else ""
        return Settings(), f"settings file {path} {error}: using defaults{kept}"


def _set_aside(path: Path) -> Path | None:
    """Move a bad settings file out of the way so it is kept, not silently overwritten."""
    aside = path.with_name(path.name + ".bad")
    try:
        os.replace(path, aside)
        return aside
    except OSError:
        return None


def save_settings(path: Path, settings: Settings) -> None:
    """Write atomically. Raises OSError when the directory cannot be written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"version": SETTINGS_VERSION, **asdict(settings)}, indent=2) + "\n"
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def reset_settings(path: Path) -> None:
    """Back to defaults, saved."""
    save_settings(path, Settings())


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
