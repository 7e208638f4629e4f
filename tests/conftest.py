"""Shared fixtures: every test runs with its own config and cache directories."""

from __future__ import annotations

import os
import shutil

import pytest

# what runs first when the tests are spread over workers: the longest, so that none is left running alone
# at the end; within a tier, the xdist groups first (each goes to one worker as a whole)
_FIRST = ("fuzz", "tmux", "slow")


def _order(item) -> tuple[int, bool]:
    tier = next((i for i, m in enumerate(_FIRST) if item.get_closest_marker(m)), len(_FIRST))
    return tier, item.get_closest_marker("xdist_group") is None


def pytest_collection_modifyitems(config, items):
    if os.environ.get("PYTEST_XDIST_WORKER"):  # every worker sorts the same way, as xdist requires
        items.sort(key=_order)


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, tmp_path_factory, monkeypatch):
    """Never touch the user's real config or cache: point tradegap at tmp_path."""
    config = tmp_path / "config"
    cache = tmp_path / "cache"
    monkeypatch.setenv("TRADEGAP_CONFIG_DIR", str(config))
    monkeypatch.setenv("TRADEGAP_CACHE_DIR", str(cache))
    # platformdirs too, in case anything asks it directly
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))  # where updated datasets would be
    exports = tmp_path_factory.mktemp("exports")  # beside tmp_path: tests that look into it find only their own
    monkeypatch.setenv("TRADEGAP_EXPORT_DIR", str(exports))  # exports and screenshots, never the current directory
    return config, cache


@pytest.fixture(scope="session")
def parsed_cache(tmp_path_factory):
    """A cache directory with the shipped dataset parsed in it, once for the whole session (copy it, never
    write to it)."""
    return tmp_path_factory.mktemp("dataset-cache")


@pytest.fixture(scope="session")
def dataset(parsed_cache):
    """The shipped dataset, loaded once for the whole session (read-only use)."""
    from tui.trade import load_dataset

    return load_dataset(cache_dir=parsed_cache)


@pytest.fixture
def warm_cache(isolated_dirs, dataset, parsed_cache):
    """The test's own cache directory, holding a copy of the shipped dataset already parsed, as after a first
    run: for the tests of what the commands print, which would otherwise each parse the data files again."""
    _, cache = isolated_dirs
    shutil.copytree(parsed_cache, cache, dirs_exist_ok=True)
    return cache


@pytest.fixture
def make_app(dataset, monkeypatch):
    """A factory of apps on the shared dataset, with settings read from the test's config dir.

    UTF-8 drawing and colour are forced on so the result does not depend on
    the locale or NO_COLOR of the machine running the tests.
    """
    monkeypatch.delenv("NO_COLOR", raising=False)

    def make(**kwargs):
        from tui import locations
        from tui.app import TradeGapApp
        from tui.settings import load_settings

        if "settings" not in kwargs:
            settings, notice = load_settings(locations.settings_path())
            kwargs["settings"] = settings
            kwargs.setdefault("notices", [notice] if notice else [])
        kwargs.setdefault("ascii", False)
        return TradeGapApp(dataset=dataset, **kwargs)

    return make
