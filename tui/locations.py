"""The one place that knows where tradegap's files live.

Config, cache and the user's data follow the platform's conventions (platformdirs).
Tests and power users can move them with TRADEGAP_CONFIG_DIR / TRADEGAP_CACHE_DIR /
TRADEGAP_DATA_DIR, and the app's exports with TRADEGAP_EXPORT_DIR (tui.export): a
leading ~ is expanded, an empty value is as if unset, and a relative path is refused
by the command (check_overrides) rather than taken relative to wherever tradegap
happens to be started.

The dataset in use is the newest valid one that `tradegap update` or `tradegap import`
wrote into the data directory's datasets/ folder, else the dataset shipped with the
package. A TRADEGAP_DATA_DIR that holds a dataset's files itself (or does not exist)
is used as the dataset, as it always was.
"""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

from tui.trade.schema import DATA_FILES

APP_NAME = "tradegap"
SETTINGS_FILE_NAME = "settings.json"
OVERRIDES = ("TRADEGAP_CONFIG_DIR", "TRADEGAP_CACHE_DIR", "TRADEGAP_DATA_DIR", "TRADEGAP_EXPORT_DIR")
#: Temp files older than this were left by a write that was interrupted (a write takes milliseconds).
STALE_TEMP_AGE = 60.0
DATASETS_FOLDER = "datasets"
#: the files a dataset written by an update or an import must have to be used
UPDATED_DATASET_FILES = DATA_FILES


_PACKAGE_DIR = Path(__file__).resolve().parent


def _override(name: str) -> Path | None:
    """The directory an environment variable names, ~ expanded; None when unset or blank."""
    value = os.environ.get(name, "")
    if not value.strip():
        return None
    return Path(os.path.expanduser(value))


def check_overrides() -> str | None:
    """A one-line reason when a TRADEGAP_*_DIR variable cannot be used (relative, ~user unknown, or
    holding control characters, which every message naming a file would echo to the terminal)."""
    for name in OVERRIDES:
        path = _override(name)
        if path is not None and not os.environ[name].isprintable():
            return f"{name} holds control characters: {os.environ[name][-200:]!r}"
        if path is not None and not path.is_absolute():
            value = os.environ[name]
            hint = "an unknown user's home" if value.startswith("~") else "a relative path"
            return f"{name} must be an absolute path or start with ~/, not {value!r} ({hint})"
    return None


def shipped_data_dir() -> Path:
    """The dataset shipped with tradegap: inside the installed package, or data/ in a checkout."""
    installed = _PACKAGE_DIR / "_data"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "data"


def _user_dir(variable: str, kind: str) -> Path:
    """The directory the environment variable names, else platformdirs' `kind` (user_data_path...) for tradegap."""
    override = _override(variable)
    if override is not None:
        return override
    import platformdirs  # imported here: only callers that need the path pay for it

    return Path(getattr(platformdirs, kind)(APP_NAME, appauthor=False))


def user_data_dir() -> Path:
    """Where updates and imports keep the datasets they write."""
    return _user_dir("TRADEGAP_DATA_DIR", "user_data_path")


def datasets_dir() -> Path:
    return user_data_dir() / DATASETS_FOLDER


def updated_datasets() -> list[Path]:
    """The complete datasets in datasets/, oldest first (their names start with the time they were written)."""
    try:
        entries = list(datasets_dir().iterdir())
    except OSError:
        return []
    valid = [
        entry for entry in entries
        if not entry.name.startswith(".") and entry.is_dir()
        and all((entry / name).is_file() for name in UPDATED_DATASET_FILES)
    ]
    return sorted(valid, key=lambda entry: entry.name)


def present(path: Path) -> bool:
    """path.exists(), with a path that cannot be looked at (no permission on a directory above it, a name too
    long) counted as there: what then reads it says why in one line, where exists() would raise."""
    try:
        return path.exists()
    except OSError:
        return True


def data_dir() -> Path:
    """The dataset in use: the newest updated one, else the shipped one."""
    updated = updated_datasets()
    if updated:
        return updated[-1]
    directory = _override("TRADEGAP_DATA_DIR")
    if directory is not None and (not present(directory) or present(directory / "partners.csv")):
        return directory  # a dataset placed there by hand, or a directory that is missing: say so
    return shipped_data_dir()


def data_in_use() -> tuple[Path, str]:
    """The dataset in use and what it is: 'updated' (in datasets/), 'shipped' or 'TRADEGAP_DATA_DIR'."""
    path = data_dir()
    if path.parent == datasets_dir():
        return path, "updated"
    if path == shipped_data_dir():
        return path, "shipped"
    return path, "TRADEGAP_DATA_DIR"


def config_dir() -> Path:
    return _user_dir("TRADEGAP_CONFIG_DIR", "user_config_path")


def cache_dir() -> Path:
    return _user_dir("TRADEGAP_CACHE_DIR", "user_cache_path")


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE_NAME


def remove_stale_temp_files(directory: Path, prefix: str, suffix: str = ".tmp", age: float = STALE_TEMP_AGE) -> int:
    """Delete the regular files named prefix*suffix in directory last written over `age` seconds ago.

    They are what an interrupted atomic write (a temp file, then a rename) leaves behind; a write in
    progress keeps its file's time fresh. Never raises; returns how many were removed.
    """
    removed = 0
    limit = time.time() - age
    try:
        entries = os.scandir(directory)
    except OSError:
        return 0
    with entries:
        for entry in entries:
            if not (entry.name.startswith(prefix) and entry.name.endswith(suffix)):
                continue
            try:
                info = entry.stat(follow_symlinks=False)
                if stat.S_ISREG(info.st_mode) and info.st_mtime < limit:
                    os.unlink(entry.path)
                    removed += 1
            except OSError:
                pass
    return removed
