"""The first screen drawn from the catalog without pandas, and the full dataset loaded in a worker after it."""

from __future__ import annotations

import ast
import asyncio
import contextlib
import os
import shutil
import subprocess
import sys
import threading

import pytest
from textual.worker import WorkerFailed

from pilot_helpers import settle
from tui import locations
from tui.app import TradeGapApp
from tui.settings import Settings
from tui.trade import load_catalog, rank_partners

SIZE = (100, 32)


def rows_shown(app) -> list[str]:
    return list(app.screen.query_one("#partners-table").keys)


def held_loader(dataset, monkeypatch, seen: list | None = None) -> threading.Event:
    """Replace the dataset loader by one that waits for the returned event (recording the screen first)."""
    release = threading.Event()

    def load_dataset(catalog=None, **_):
        if seen is not None:
            seen.append(True)
        release.wait(30)
        return dataset

    monkeypatch.setattr("tui.trade.dataset.load_dataset", load_dataset)
    return release


async def test_first_screen_from_the_catalog_then_the_full_dataset(dataset, monkeypatch):
    started = []
    release = held_loader(dataset, monkeypatch, started)
    app = TradeGapApp(catalog=dataset.catalog, settings=Settings(), ascii=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(100):
            if started:
                break
            await asyncio.sleep(0.01)
        assert started and app.state.dataset is None  # loading, with no key pressed
        ranking = rank_partners(dataset, dataset.latest)
        assert rows_shown(app) == list(ranking["code"])  # drawn from the catalog alone
        assert f"{len(ranking)} partners" in app.screen.query_one("#status").text
        release.set()
        await settle(pilot)
        assert app.state.dataset is dataset
        await pilot.press("3")  # a tab only the full dataset can draw
        await settle(pilot)
        assert len(app.screen.query_one("#sectors-table").keys) > 5


@pytest.mark.slow
async def test_keys_while_loading_are_answered_at_once_or_when_the_data_arrives(dataset, monkeypatch):
    release = held_loader(dataset, monkeypatch)
    app = TradeGapApp(catalog=dataset.catalog, settings=Settings(), ascii=False)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("left_square_bracket", "2")  # answered from the catalog's totals
        await pilot.pause()
        previous = dataset.periods()[-2]
        assert app.state.period == previous
        assert len(app.screen.query_one("#regions-table").keys) > 5
        await pilot.press("1")
        await pilot.pause()
        code = app.screen.query_one("#partners-table").current_key
        await pilot.press("enter")  # a detail needs the full dataset: shown loading, then drawn
        await pilot.pause()
        assert type(app.screen).__name__ == "DetailScreen"
        assert app.screen.query_one("#detail-body").loading
        release.set()
        await settle(pilot)
        assert not app.screen.query_one("#detail-body").loading
        name = dataset.partners.at[code, "name"]
        assert str(app.screen.query_one("#detail-title").render()).startswith(name)


def _monthly_broken(data) -> None:
    (data / "trade_monthly.csv").write_text("not,the,right,columns\n1,2,3,4\n", encoding="utf-8")


def _a_total_listed_twice(data) -> None:
    path = data / "period_totals.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")


@pytest.mark.parametrize(("damage", "names", "says"), [(_monthly_broken, "trade_monthly.csv", "malformed"),
                                                       (_a_total_listed_twice, "period_totals.csv", "listed twice")],
                         ids=["monthly", "totals"])
async def test_data_broken_under_the_first_screen_ends_the_app_with_a_message(dataset, tmp_path, monkeypatch,
                                                                                damage, names, says):
    data = tmp_path / "data"
    shutil.copytree(locations.data_dir(), data)
    damage(data)
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(data))
    # as the app starts: the totals are read on demand, and checked in the background with the rest
    app = TradeGapApp(catalog=load_catalog(data, totals_on_demand=True), settings=Settings(), ascii=False)
    async with app.run_test(size=SIZE) as pilot:
        with contextlib.suppress(WorkerFailed):  # the loading worker's failure, which ends the app
            await settle(pilot)
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.01)
    assert app.return_code == 1
    assert names in app.data_error and says in app.data_error and "\n" not in app.data_error


FIRST_SCREEN_PROBE = """
import sys
from textual.app import App
import tui.app

seen = {}

def shown(self):
    seen["pandas"] = "pandas" in sys.modules
    # what a later key needs, not the first screen: the palette's commands, the command line's parser, the
    # other tabs' panes, the help screens; and the standard library's calendar (tradegap names months itself;
    # importlib.metadata imports it too, so a dependency reading package metadata at start would show here)
    later = ("tui.commands", "argparse", "tui.panes.regions", "tui.panes.sectors", "tui.screens.help", "calendar")
    seen["later"] = [name for name in later if name in sys.modules]
    seen["screens' style sheet"] = self.stylesheet.has_source(str(tui.app.SCREENS_CSS), "")  # read as one opens
    seen["panes"] = [pane.id for pane in self.screen.query("PartnersPane, RegionsPane, SectorsPane")]  # the tab shown
    seen["rows"] = len(self.screen.query_one("#partners-table").keys)
    self.exit()

tui.app.TradeGapApp.first_screen_shown = shown
tui.app.TradeGapApp.run = lambda self, **options: App.run(self, headless=True, size=(100, 32))
from tui.cli import main
seen["status"] = main([])
print(repr(seen))
"""


def _probe(tmp_path) -> dict:
    env = {**os.environ, "TRADEGAP_CACHE_DIR": str(locations.cache_dir()), "TRADEGAP_DATA_DIR": str(locations.data_dir()),
           "TRADEGAP_CONFIG_DIR": str(tmp_path / "probe-config")}
    # run from tmp_path: the child imports the same tradegap as the tests, not a checkout in the working directory
    result = subprocess.run([sys.executable, "-c", FIRST_SCREEN_PROBE], capture_output=True, text=True, env=env,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_tradegap_draws_its_first_screen_before_importing_pandas(dataset, tmp_path):
    seen = _probe(tmp_path)  # with an empty cache too: no run is ever cold
    assert seen == {"pandas": False, "later": [], "screens' style sheet": False, "panes": ["partners-pane"],
                    "rows": len(rank_partners(dataset, dataset.latest)), "status": 0}


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


PRELOAD_PROBE = """
import sys
from textual.app import App
import tui.app

NEXT_SCREENS = ("tui.screens.detail", "tui.screens.group", "tui.screens.chapter", "tui.trade.places", "tui.views")
seen = {}
first_screen_shown = tui.app.TradeGapApp.first_screen_shown

def shown(self):
    seen["at the first screen"] = [m for m in NEXT_SCREENS if m in sys.modules]
    first_screen_shown(self)
    self.set_interval(0.02, lambda: done(self))

def done(self):
    # the preloading starts as the dataset is set, and leaves the app's workers when it has finished
    if self.dataset is not None and not any(w.group == "preload" for w in self.workers):
        seen["once the data is in"] = [m for m in NEXT_SCREENS if m in sys.modules]
        self.exit()

tui.app.TradeGapApp.first_screen_shown = shown
tui.app.TradeGapApp.run = lambda self, **options: App.run(self, headless=True, size=(100, 32))
from tui.cli import main
seen["status"] = main([])
print(repr(seen))
"""


@pytest.mark.slow  # a process of its own that loads the dataset: about 2 s
def test_the_next_screens_code_is_loaded_in_the_background_once_the_data_is_in(tmp_path):
    """The first detail opened does not wait for its modules: they are imported after the dataset, not
    before the first screen (which must not wait for them either)."""
    env = {**os.environ, "TRADEGAP_CACHE_DIR": str(locations.cache_dir()), "TRADEGAP_DATA_DIR": str(locations.data_dir()),
           "TRADEGAP_CONFIG_DIR": str(tmp_path / "probe-config")}
    result = subprocess.run([sys.executable, "-c", PRELOAD_PROBE], capture_output=True, text=True, env=env,
                            timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    seen = ast.literal_eval(result.stdout.strip().splitlines()[-1])
    assert seen == {"at the first screen": [], "status": 0,
                    "once the data is in": ["tui.screens.detail", "tui.screens.group", "tui.screens.chapter",
                                            "tui.trade.places", "tui.views"]}
