"""The first screen drawn without pandas, and the full dataset loaded right after it."""

from __future__ import annotations

import ast
import asyncio
import dataclasses
import os
import shutil
import subprocess
import sys

import pandas as pd
from textual import events

from pilot_helpers import settle
from tui import locations
from tui.app import TradeGapApp
from tui.settings import Settings
from tui.trade import rank_partners
from tui.trade.quick import load_quick, quick_data, quick_file, save_quick

SIZE = (100, 32)


def rows_shown(app) -> list[str]:
    return list(app.screen.query_one("#partners-table").keys)


async def test_first_screen_from_quick_data_then_the_full_dataset(dataset, monkeypatch):
    before_pandas = []

    def load_dataset():
        before_pandas.append((rows_shown(app), app.screen.query_one("#status").text))
        return dataset

    monkeypatch.setattr("tui.trade.load_dataset", load_dataset)
    app = TradeGapApp(quick=quick_data(dataset), settings=Settings(), ascii=False)
    assert not app.dataset_loaded
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.dataset_loaded  # loaded once the first screen was shown, with no key pressed
        ranking = rank_partners(dataset, dataset.latest)
        assert rows_shown(app) == list(ranking["code"])
        [(rows, status)] = before_pandas  # what the first screen showed, from the quick data alone
        assert rows == list(ranking["code"]) and f"{len(ranking)} partners" in status
        await pilot.press("2")  # a tab only pandas can rank
        await settle(pilot)
        assert len(app.screen.query_one("#regions-table").keys) > 5


async def test_a_saved_period_the_quick_data_lacks_is_ranked_with_pandas(dataset, monkeypatch):
    monkeypatch.setattr("tui.trade.load_dataset", lambda: dataset)
    latest = dataset.latest
    older = f"{latest.year}-ytd{latest.months - 1}"  # saved from an earlier release
    app = TradeGapApp(quick=quick_data(dataset), settings=Settings(period=older), ascii=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert rows_shown(app) == list(rank_partners(dataset, app.period)["code"])
        assert app.period.months == latest.months - 1


async def test_the_first_run_saves_the_quick_data_for_the_next(tmp_path):
    cache = locations.cache_dir()
    assert load_quick() is None
    app = TradeGapApp(settings=Settings(), ascii=False, first_screen_file=quick_file())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert load_quick() is not None
    assert list(cache.glob("first-screen-*.pickle"))


async def test_data_that_changed_while_loading_is_not_saved_under_the_old_key(dataset, monkeypatch):
    monkeypatch.setattr("tui.trade.load_dataset", lambda: dataset)
    taken_before = locations.cache_dir() / "first-screen-0123456789abcdef.pickle"  # the files' key then
    app = TradeGapApp(settings=Settings(), ascii=False, first_screen_file=taken_before)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert not taken_before.exists() and load_quick() is None


async def test_quick_data_summed_by_another_pandas_is_rewritten(dataset, monkeypatch):
    monkeypatch.setattr("tui.trade.load_dataset", lambda: dataset)
    path = quick_file()
    older = dataclasses.replace(quick_data(dataset), pandas_version="0.1")
    app = TradeGapApp(quick=older, settings=Settings(), ascii=False, first_screen_file=path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert load_quick().pandas_version == pd.__version__


def _partners_file_broken_after_the_first_screen(tmp_path, monkeypatch, text: str) -> None:
    """The shipped data, but for partners.csv, which holds `text`: the first screen's data (taken
    before) still draws, and loading the full dataset fails."""
    data = tmp_path / "data"
    shutil.copytree(locations.data_dir(), data)
    (data / "partners.csv").write_text(text, encoding="utf-8")
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(data))


async def test_a_key_that_needs_data_broken_under_the_first_screen_gets_the_message(dataset, tmp_path,
                                                                                  monkeypatch):
    _partners_file_broken_after_the_first_screen(tmp_path, monkeypatch, "nothing,useful\n")
    app = TradeGapApp(quick=quick_data(dataset), settings=Settings(), ascii=False)
    monkeypatch.setattr(app, "first_screen_shown", lambda: None)  # the key comes first
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(events.Key("2", "2"))  # not pilot.press: it waits for a screen that is closing
        for _ in range(300):
            if app.data_error:
                break
            await asyncio.sleep(0.1)
    assert app.return_code == 1 and "partners.csv" in app.data_error


async def test_data_broken_under_the_first_screen_ends_the_app_with_a_message(dataset, tmp_path, monkeypatch):
    _partners_file_broken_after_the_first_screen(tmp_path, monkeypatch, "not,the,right,columns\n1,2,3,4\n")
    app = TradeGapApp(quick=quick_data(dataset), settings=Settings(), ascii=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
    assert app.return_code == 1
    assert "partners.csv" in app.data_error and "malformed" in app.data_error


FIRST_SCREEN_PROBE = """
import sys
from textual.app import App
import tui.app

seen = {}

def shown(self):
    seen["pandas"] = "pandas" in sys.modules
    seen["rows"] = len(self.screen.query_one("#partners-table").keys)
    self.exit()

tui.app.TradeGapApp.first_screen_shown = shown
tui.app.TradeGapApp.run = lambda self, **options: App.run(self, headless=True, size=(100, 32))
from tui.cli import main
seen["status"] = main([])
print(repr(seen))
"""


def _probe(tmp_path) -> dict:
    env = {**os.environ, "TRADEGAP_CACHE_DIR": str(locations.cache_dir()),
           "TRADEGAP_DATA_DIR": str(locations.data_dir()), "TRADEGAP_CONFIG_DIR": str(tmp_path / "probe-config")}
    # run from tmp_path: the child imports the same tradegap as the tests, not a checkout in the working directory
    result = subprocess.run([sys.executable, "-c", FIRST_SCREEN_PROBE], capture_output=True, text=True, env=env,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_tradegap_draws_its_first_screen_before_importing_pandas(dataset, tmp_path):
    assert save_quick(dataset, quick_file())
    seen = _probe(tmp_path)
    assert seen == {"pandas": False, "rows": len(rank_partners(dataset, dataset.latest)), "status": 0}


def test_without_the_quick_data_the_first_screen_needs_pandas(dataset, tmp_path):
    seen = _probe(tmp_path)  # a first start: no file yet
    assert seen["pandas"] is True and seen["rows"] == len(rank_partners(dataset, dataset.latest))


async def test_the_first_screen_is_drawn_with_the_active_table_focused(make_app, monkeypatch):
    # a change of focus after the first frame restyles and redraws the whole screen
    from tui.screens.main import MainScreen

    focused = []
    original = MainScreen.set_focus

    def spy(self, widget, *args, **kwargs):
        focused.append(getattr(widget, "id", None))
        return original(self, widget, *args, **kwargs)

    monkeypatch.setattr(MainScreen, "set_focus", spy)
    for tab in ("partners", "sectors"):
        focused.clear()
        app = make_app(settings=Settings(tab=tab))
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert app.focused.id == f"{tab}-table"
            assert focused == [f"{tab}-table"]  # once, as the screen was composed
