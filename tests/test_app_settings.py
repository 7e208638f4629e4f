"""Remembered filters going wrong, terminals, and how the app starts."""

from __future__ import annotations

import json

import pytest

from pilot_helpers import choose, screen_text, settle
from tui import locations
from tui.app import TradeGapApp
from tui.launch import run
from tui.screens.help import TooSmallScreen
from tui.screens.main import MainScreen
from tui.settings import Settings, load_settings
from tui.terminal import ascii_only, color_system, initial_theme

SIZE = (100, 32)


def messages(app) -> list[str]:
    return [n.message for n in app._notifications]


def write_settings(data) -> None:
    path = locations.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(data if isinstance(data, str) else json.dumps(data))


async def test_a_corrupt_file_gives_defaults_and_one_notice(make_app):
    write_settings('{"period": "2024", "view": ')
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.settings == Settings()
        notes = messages(app)
        assert len(notes) == 1 and "not valid JSON" in notes[0] and "\n" not in notes[0]
    assert locations.settings_path().with_name("settings.json.bad").exists()


async def test_unknown_keys_give_defaults_and_a_notice(make_app):
    write_settings({"period": "2024", "colour": "red"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.settings.period == "latest"
        assert any("unknown key" in m for m in messages(app))


async def test_a_year_without_data_and_an_unknown_group_are_reset(make_app):
    write_settings({"period": "1900", "group": "NOPE", "view": "surplus"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert (app.settings.period, app.settings.group, app.settings.view) == ("latest", None, "surplus")
        notes, restored = messages(app)[:-1], messages(app)[-1]
        assert len(notes) == 1 and "'1900'" in notes[0] and "'NOPE'" in notes[0]
        assert restored == "Restored surpluses — v view"  # what was kept is said too


async def test_an_unknown_saved_theme_is_said_in_one_line_and_kept_in_the_file(make_app):
    """A hand-edited theme that does not exist: the default is shown, the line says why and how to choose one,
    and a save (any change) writes the theme back as it was, not the default shown in its place."""
    write_settings({"period": "2024", "theme": "no-such-theme"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "textual-dark"
        assert [m for m in messages(app) if "theme" in m] == [
            "saved settings: theme 'no-such-theme' does not exist: using textual-dark until t chooses one"]
        await pilot.press("left_square_bracket")
        await settle(pilot)
    saved = json.loads(locations.settings_path().read_text())
    assert (saved["period"], saved["theme"]) == ("2023", "no-such-theme")


@pytest.mark.slow
async def test_choosing_the_theme_shown_for_an_unknown_one_saves_it(make_app):
    """The default shown for an unknown saved theme, chosen from the list (t): saved, and not said again."""
    write_settings({"theme": "no-such-theme"})
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await choose(pilot, "textual-dark")
        assert app.theme == "textual-dark"
    assert load_settings(locations.settings_path())[0].theme == "textual-dark"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not [m for m in messages(app) if "theme" in m]


async def test_an_unwritable_config_dir_is_said_once(make_app, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    monkeypatch.setenv("TRADEGAP_CONFIG_DIR", str(blocker / "config"))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "v", "m")
        await settle(pilot)
        assert app.settings.view == "all"  # the app still works
        notes = [m for m in messages(app) if "will not be saved" in m]
        assert len(notes) == 1


async def test_a_failing_save_is_said_once(make_app, monkeypatch):
    import tui.app as app_module

    def fail(path, settings):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(app_module, "save_settings", fail)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "v", "s")
        await settle(pilot)
        assert [m for m in messages(app) if "will not be saved" in m] == [
            f"settings will not be saved (Permission denied: {locations.settings_path()})"
        ]


@pytest.mark.slow
async def test_theme_override_is_not_saved_but_a_picked_theme_is(make_app):
    app = make_app(theme="ansi-dark")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.theme == "ansi-dark"
        await pilot.press("v")
        await settle(pilot)
    assert json.loads(locations.settings_path().read_text())["theme"] == "textual-dark"
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "gruvbox"
        await settle(pilot)
    assert load_settings(locations.settings_path())[0].theme == "gruvbox"


def test_run_reset_saves_defaults(monkeypatch):
    write_settings({"period": "2024", "group": "0003", "view": "all"})
    monkeypatch.setattr(TradeGapApp, "run", lambda self, **kwargs: None)
    assert run(reset=True) == 0
    assert load_settings(locations.settings_path()) == (Settings(), None)


def test_run_with_bad_data_prints_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(tmp_path / "nowhere"))
    assert run() == 1
    err = capsys.readouterr().err
    assert err.startswith("tradegap: data file ") and err.count("\n") == 1 and "Traceback" not in err


def test_run_with_an_unknown_theme_is_a_usage_error(capsys):
    assert run(theme="no-such-theme") == 2
    err = capsys.readouterr().err
    assert "unknown theme 'no-such-theme'" in err and "ansi-dark" in err


# ---------------------------------------------------------------- terminals


@pytest.mark.slow
async def test_too_small_shows_a_message_and_resizing_back_restores(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        before = screen_text(app)
        await pilot.resize_terminal(50, 15)
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        text = str(app.screen.query_one("#too-small").content)
        assert text.startswith("Enlarge the terminal to at least 60x20")
        await pilot.press("v", "ctrl+p", "f1", "t")  # keys do nothing meanwhile, not even the palette
        await settle(pilot)
        assert app.settings.view == "deficit"
        assert [type(s).__name__ for s in app.screen_stack] == ["MainScreen", "TooSmallScreen"]
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert screen_text(app) == before  # every cell as it was (the table's cells once came back cut short)


async def test_starting_too_small(make_app):
    app = make_app()
    async with app.run_test(size=(40, 10)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TooSmallScreen)


async def test_wide_terminals_get_more_columns(make_app):
    app = make_app()
    async with app.run_test(size=(250, 50)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#partners-table")
        labels = table.column_titles
        assert "Continent" in labels and "Cum. share" in labels and len(labels) == 11
        assert app.screen.has_class("-wide")
        await pilot.resize_terminal(80, 24)
        await settle(pilot)
        assert len(table.column_titles) == 8 and not app.screen.has_class("-wide")


@pytest.mark.slow
async def test_ascii_mode_draws_every_screen_without_unicode(make_app):
    app = make_app(ascii=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # the help over the search box lists its many editing keys: long rows fold, no ellipsis
        for keys in ([], ["ctrl+p"], ["escape", "t"], ["escape", "y"], ["escape", "slash"], ["f1"],
                     ["escape", "escape", "2"], ["3"], ["enter"], ["b", "1", "enter"], ["question_mark"]):
            await pilot.press(*keys)
            await settle(pilot)
            text = screen_text(app)
            assert text.isascii(), (keys, sorted({ch for ch in text if not ch.isascii()}))
        await pilot.press("escape", "b")
        await settle(pilot)
        assert screen_text(app).startswith(" [1 Partners]")
        assert " | " in app.screen.query_one("#status").text
        assert "·" not in app.screen.query_one("#status").text
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("h")  # a short screen hides the chart until asked for
        await settle(pilot)
        chart = app.screen.query_one("#regions-chart")
        assert chart.drawing is not None and "".join(chart.drawing.lines).isascii()
        assert screen_text(app).isascii()
        footer_keys = [app.get_key_display(active.binding) for active in app.screen.active_bindings.values()]
        assert all(key.isascii() for key in footer_keys)
        # Textual's own key panel has no ASCII form; the help (? or F1) does its job
        assert "Keys" not in [command.title for command in app.get_system_commands(app.screen)]
    assert TradeGapApp(dataset=app.state.dataset, ascii=False).ascii is False


async def test_no_color_is_honoured(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # no colour codes at all (not greys), and what colour alone marked is marked otherwise
        filters = [type(f).__name__ for f in app.get_line_filters()]
        assert "NoColor" in filters and "Monochrome" not in filters
        assert app.screen.query_one("#partners-table").get_component_rich_style("ranktable--cursor").reverse
        assert [span.label for span in app.screen.query_one("#tabs").spans()][:2] == ["[1 Partners]", "2 Regions & blocs"]


@pytest.mark.parametrize(
    "env,expected",
    [
        ({"TERM": "linux"}, "standard"),
        ({"TERM": "xterm"}, "standard"),
        ({"TERM": "xterm-256color"}, "256"),
        ({"TERM": "xterm-256color", "COLORTERM": "truecolor"}, "truecolor"),
        ({"TERM": "xterm", "TEXTUAL_COLOR_SYSTEM": "256"}, "256"),
        ({"TERM": "dumb"}, "none"),
    ],
)
def test_color_system(env, expected):
    assert color_system(env) == expected


def test_sixteen_colour_terminals_start_with_the_ansi_theme():
    assert initial_theme(None, "textual-dark", {"TERM": "linux"}) == "ansi-dark"
    assert initial_theme(None, "nord", {"TERM": "linux"}) == "nord"  # a chosen theme is kept
    assert initial_theme("gruvbox", "textual-dark", {"TERM": "linux"}) == "gruvbox"
    assert initial_theme(None, "textual-dark", {"TERM": "xterm-256color"}) == "textual-dark"


@pytest.mark.parametrize(
    "env,expected",
    [
        ({"LANG": "en_US.UTF-8"}, False),
        ({"LANG": "C"}, True),
        ({"LANG": "C", "LC_CTYPE": "C.UTF-8"}, True),  # Python's own coercion
        ({"LC_ALL": "de_DE.ISO-8859-1", "LANG": "de_DE.UTF-8"}, True),
        ({"LANG": "C.UTF-8"}, False),
        ({}, True),
        ({"LANG": "C", "TRADEGAP_ASCII": "0"}, False),
        ({"LANG": "en_US.UTF-8", "TRADEGAP_ASCII": "1"}, True),
    ],
)
def test_ascii_only(env, expected):
    assert ascii_only(env) is expected
