"""The one place that knows where tradegap's files live.

Config, cache and the user's data follow the platform's conventions (platformdirs).
Tests and power users can move them with TRADEGAP_CONFIG_DIR / TRADEGAP_CACHE_DIR /
TRADEGAP_DATA_DIR.

The dataset in use is the newest valid one that `tradegap update` or `tradegap import`
wrote into the data directory's datasets/ folder, else the dataset shipped with the
package. A TRADEGAP_DATA_DIR that holds a dataset's files itself (or does not exist)
is used as the dataset, as it always was.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tradegap"
SETTINGS_FILE_NAME = "settings.json"
DATASETS_FOLDER = "datasets"
#: the files a dataset written by an update or an import must have to be used
UPDATED_DATASET_FILES = (
    "partners.csv",
    "trade_annual.csv",
    "trade_monthly.csv",
    "groups.csv",
    "group_members.csv",
    "sectors.csv",
    "chapters.csv",
    "release.json",
    "period_totals.csv",
)

_PACKAGE_DIR = Path(__file__).resolve().parent


def shipped_data_dir() -> Path:
    """The dataset shipped with tradegap: inside the installed package, or data/ in a checkout."""
    installed = _PACKAGE_DIR / "_data"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "data"


def user_data_dir() -> Path:
    """Where updates and imports keep the datasets they write."""
    override = os.environ.get("TRADEGAP_DATA_DIR")
    if override:
        return Path(override)
    import platformdirs  # imported here: only callers that need the path pay for it

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


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


def data_dir() -> Path:
    """The dataset in use: the newest updated one, else the shipped one."""
    updated = updated_datasets()
    if updated:
        return updated[-1]
    override = os.environ.get("TRADEGAP_DATA_DIR")
    if override:
        directory = Path(override)
        if not directory.exists() or (directory / "partners.csv").exists():
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
    override = os.environ.get("TRADEGAP_CONFIG_DIR")
    if override:
        return Path(override)
    import platformdirs  # imported here: only callers that need the path pay for it

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def cache_dir() -> Path:
    override = os.environ.get("TRADEGAP_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def settings_path() -> Path:
    return config_dir() / SETTINGS_FILE_NAME
