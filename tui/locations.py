"""The one place that knows where tradegap's files live.

Config and cache follow the platform's conventions (platformdirs). Tests and
power users can move them with TRADEGAP_CONFIG_DIR / TRADEGAP_CACHE_DIR /
TRADEGAP_DATA_DIR.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "tradegap"
SETTINGS_FILE_NAME = "settings.json"

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir() -> Path:
    """The shipped dataset: inside the installed package, or data/ in a checkout."""
    override = os.environ.get("TRADEGAP_DATA_DIR")
    if override:
        return Path(override)
    installed = _PACKAGE_DIR / "_data"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "data"


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
