"""Bad input reaching the app: each gets one clear line, and nothing is lost or half-written.

The settings loader and the dataset loader are tested on their own in
test_settings.py and test_dataset.py; these tests start the app (Pilot) or
the command on top of the same mistakes. Settings and cache live in tmp_path
(conftest.py).
"""

from __future__ import annotations

import json
import multiprocessing
import pickle
import shutil

import pytest

from pilot_helpers import settle
from tui import locations
from tui.cli import main
from tui.launch import run
from tui.screens.main import MainScreen
from tui.settings import Settings, load_settings
from tui.trade import dataset as dataset_module
from tui.trade import rank_partners

SIZE = (100, 32)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def write_settings(content: bytes) -> None:
    path = locations.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


# ---------------------------------------------------------------- the settings file


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "is empty"),
        (b'{"period": "2024", "view": "su', "is not valid JSON"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xfe", "is not valid JSON"),
        (b'["latest", null]', "is not a JSON object"),
        (b'{"view": 3, "descending": "yes"}', "invalid view"),
        (b'{"period": "2024", "colour": "red"}', "unknown key(s) 'colour'"),
    ],
    ids=["empty", "truncated", "binary", "not-an-object", "wrong-types", "unknown-keys"],
)
async def test_a_bad_settings_file_gives_defaults_one_line_and_is_kept(make_app, content, says):
    path = locations.settings_path()
    write_settings(content)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.settings == Settings()
        notes = messages(app)
        assert len(notes) == 1 and "\n" not in notes[0], notes
        assert says in notes[0] and str(path) in notes[0] and "settings.json.bad" in notes[0]
        await pilot.press("v")  # a change is saved over the bad file, which was kept aside
        await settle(pilot)
        assert len(messages(app)) == 1
    assert path.with_name("settings.json.bad").read_bytes() == content
    assert load_settings(path) == (Settings(view="surplus"), None)


async def test_a_directory_where_the_settings_file_should_be(make_app):
    path = locations.settings_path()
    path.mkdir(parents=True)
    (path / "something.txt").write_text("not ours")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "m", "2")
        await settle(pilot)
        assert app.settings.view == "surplus"  # the app works; it just cannot remember
        notes = messages(app)
        assert len(notes) == 1 and "\n" not in notes[0]
        assert "is a directory" in notes[0] and "will not be saved" in notes[0] and str(path) in notes[0]
    assert path.is_dir() and [p.name for p in path.iterdir()] == ["something.txt"]


async def test_values_out_of_range_keep_the_rest_of_the_settings(make_app, dataset):
    write_settings(json.dumps({"period": "2099", "group": "ATLANTIS", "view": "all", "sort": "name",
                               "tab": "regions"}).encode())
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        s = app.settings
        assert (s.period, s.group) == ("latest", None)
        assert (s.view, s.sort, s.tab) == ("all", "name", "regions")  # nothing else is lost
        notes = [note for note in messages(app) if not note.startswith("Restored ")]  # what was kept is said too
        assert len(notes) == 1 and "'2099' has no data" in notes[0] and "'ATLANTIS' does not exist" in notes[0]
        assert app.screen.query_one("#tabs").active == "regions"
        assert app.screen.query_one("#status").text.startswith(dataset.latest.label)


# ---------------------------------------------------------------- the cache


@pytest.mark.parametrize("damage", ["garbage", "truncated", "older-format"])
async def test_a_corrupt_or_old_cache_is_rebuilt_silently(isolated_dirs, dataset, damage):
    from tui.app import TradeGapApp
    from tui.trade import load_catalog, load_dataset

    _config, cache = isolated_dirs
    load_dataset()  # writes the cache in tmp_path
    (cached,) = cache.glob("dataset-*.pickle")
    good = cached.read_bytes()
    cached.write_bytes({"garbage": b"\x00\xffnot a pickle", "truncated": good[: len(good) // 2],
                        "older-format": pickle.dumps({"_format": dataset_module.CACHE_FORMAT - 1})}[damage])
    app = TradeGapApp(catalog=load_catalog(), ascii=False)  # loads the dataset itself, through the damaged cache
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert messages(app) == []
        assert app.state.dataset.annual.equals(dataset.annual)
        assert list(app.screen.query_one("#partners-table").keys) == list(rank_partners(dataset, dataset.latest)["code"])
    assert pickle.loads(cached.read_bytes())["_format"] == dataset_module.CACHE_FORMAT  # and written back whole


# ---------------------------------------------------------------- the shipped data files


@pytest.fixture
def broken_data(tmp_path, monkeypatch):
    target = tmp_path / "data"
    target.mkdir()
    for name in dataset_module.DATA_FILES:
        shutil.copy2(locations.data_dir() / name, target / name)
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(target))
    return target


@pytest.mark.parametrize(
    ("name", "content"),
    [("trade_annual.csv", None), ("groups.csv", b"code,name\n\x00\x01"), ("release.json", b"{\"latest_year\": ")],
    ids=["missing", "malformed-csv", "malformed-json"],
)
@pytest.mark.parametrize("how", ["app", "cli"])
def test_a_missing_or_malformed_data_file_is_named(broken_data, capsys, name, content, how):
    if content is None:
        (broken_data / name).unlink()
    else:
        (broken_data / name).write_bytes(content)
    status = run() if how == "app" else main(["top"])
    out, err = capsys.readouterr()
    assert status == 1 and out == ""
    assert err.startswith("tradegap: data file ") and str(broken_data / name) in err
    assert err.count("\n") == 1 and "Traceback" not in err


# ---------------------------------------------------------------- two apps saving at once


def _an_app_saving(dataset, rounds: int, result) -> None:
    """Press v, m and s `rounds` times from the defaults; send back the settings the app ended with."""
    import asyncio

    from tui.app import TradeGapApp

    async def go():
        app = TradeGapApp(dataset=dataset, settings=Settings(), ascii=False)
        async with app.run_test(size=SIZE) as pilot:
            for _ in range(rounds):
                await pilot.press("v", "m", "s")
            await settle(pilot)
            result.send(app.settings)

    asyncio.run(go())


@pytest.mark.slow
def test_two_apps_saving_at_once_leave_a_valid_file(dataset):
    path = locations.settings_path()
    context = multiprocessing.get_context("fork")
    pipes = [context.Pipe(duplex=False) for _ in range(2)]
    apps = [context.Process(target=_an_app_saving, args=(dataset, 10, send)) for _, send in pipes]
    for app in apps:
        app.start()
    readings = 0
    while any(app.is_alive() for app in apps):
        if path.exists():
            assert load_settings(path)[1] is None
            readings += 1
    for app in apps:
        app.join()
        assert app.exitcode == 0
    finals = [receive.recv() for receive, _ in pipes]
    # both pressed the same keys from the same start; each saved its last state last, so whichever
    # of the two wrote last, the file holds that state
    assert finals[0] == finals[1] != Settings()
    assert readings > 0 and load_settings(path) == (finals[0], None)
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.json"]  # no temp files left behind


# ---------------------------------------------------------------- a read-only home


def _run_choosing_surplus(monkeypatch, reset: bool) -> list[str]:
    """`tradegap` (or `tradegap --reset`) headless: the app's first screen, then `v m` (surpluses); the notices
    it gave. The app must work, settings saved or not."""
    import asyncio

    from tui.app import TradeGapApp

    seen: list[str] = []

    def run_headless(self, mouse: bool = True) -> None:
        async def go():
            async with self.run_test(size=SIZE) as pilot:
                await settle(pilot)
                await pilot.press("v", "m")
                await settle(pilot)
                assert self.settings.view == "surplus"
                seen.extend(messages(self))

        asyncio.run(go())

    monkeypatch.setattr(TradeGapApp, "run", run_headless)
    assert run(reset=reset) == 0
    return seen


@pytest.mark.parametrize("reset", [False, True], ids=["start", "reset"])
def test_a_read_only_home_is_said_once(tmp_path, monkeypatch, reset):
    """Neither settings nor cache can be written: the app runs, and says once that settings are not saved."""
    home = tmp_path / "home"
    home.write_text("a file where the home directory should be: nothing below it can be created")
    monkeypatch.setenv("TRADEGAP_CONFIG_DIR", str(home / ".config" / "tradegap"))
    monkeypatch.setenv("TRADEGAP_CACHE_DIR", str(home / ".cache" / "tradegap"))
    seen = _run_choosing_surplus(monkeypatch, reset)
    assert len(seen) == 1 and "will not be saved" in seen[0] and "\n" not in seen[0], seen
    assert home.is_file()


@pytest.mark.parametrize("reset", [False, True], ids=["start", "reset"])
def test_a_config_directory_that_cannot_be_looked_into_is_said_once(tmp_path, monkeypatch, reset):
    """A directory above the settings that cannot be looked at (a name too long for the file system; for a
    user, a directory without permission): the app starts, works, and says once that settings are not saved."""
    monkeypatch.setenv("TRADEGAP_CONFIG_DIR", str(tmp_path / ("d" * 300) / "tradegap"))
    seen = _run_choosing_surplus(monkeypatch, reset)
    assert len(seen) == 1 and "\n" not in seen[0] and "File name too long" in seen[0], seen
