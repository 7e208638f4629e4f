"""Keys typed faster than the app redraws: mashed, pasted, or batched by a slow SSH link.

Pilot.press waits until the app is idle after every key; a terminal does not.
These tests post key events straight to the app, the next one before the last
has been fully handled, at the moments that used to go wrong (found by
tests/test_fuzz.py).
"""

from __future__ import annotations

import asyncio

import pytest
from textual import events
from textual.command import CommandList

from pilot_helpers import settle
from tui.app import TradeGapApp
from tui.commands import Palette
from tui.messages import OpenPartner
from tui.screens.detail import DetailScreen
from tui.screens.main import MainScreen
from tui.settings import Settings
from tui.trade import find_group

SIZE = (100, 32)
TAB_OF_KEY = {"1": "partners", "2": "regions", "3": "sectors"}


async def post(app, *keys: str, gap: int = 1) -> None:
    """Keys as a terminal sends them when typed quickly: each one a moment (`gap` turns of the event loop)
    after the last."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))
        for _ in range(gap):
            await asyncio.sleep(0)


def stack(app) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack]


async def built_ahead(pilot, timeout: float = 3.0):
    """The partner's detail screen the app builds ahead (once the screens' code is in and no key has come for
    half a second), once it is built."""
    from tui.app import KEPT_DETAIL

    app = pilot.app
    for _ in range(int(timeout / 0.05)):
        if app.is_screen_installed(KEPT_DETAIL) and app.get_screen(KEPT_DETAIL).is_mounted:
            break
        await pilot.pause(0.05)
    assert app.is_screen_installed(KEPT_DETAIL), "the detail was not built ahead"
    return app.get_screen(KEPT_DETAIL)


@pytest.mark.slow
async def test_two_tab_keys_in_quick_succession_end_on_the_second(make_app):
    # the focus of the first switch used to arrive after the second and flip the tab back
    app = make_app(settings=Settings(tab="sectors"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one("#tabs")
        for first, second in (("2", "1"), ("2", "3"), ("1", "2"), ("1", "3"), ("2", "3"), ("3", "1")):
            for gap in range(3):
                app.post_message(events.Key(first, first))
                for _ in range(gap):
                    await pilot.pause(0)  # the first key handled, its focus change perhaps still on its way
                app.post_message(events.Key(second, second))
                await settle(pilot)
                assert tabs.active == app.settings.tab == TAB_OF_KEY[second], (first, second, gap)
        # and `c` in a partner's detail lands on Sectors (it used to stay on Partners when they disagreed)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and tabs.active == app.settings.tab == "sectors"


@pytest.mark.slow
async def test_page_keys_before_the_palette_list_is_drawn(make_app):
    # Textual's OptionList raised KeyError on PageUp/PageDown between getting results and being laid out
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for opener, key in (("ctrl+p", "pageup"), ("y", "pagedown"), ("g", "pageup"), ("ctrl+p", "pagedown")):
            await post(app, opener)
            for _ in range(10_000):
                await asyncio.sleep(0)
                lists = app.screen.query(CommandList)
                if lists and lists.first().option_count and lists.first().highlighted is not None:
                    break
            else:
                raise AssertionError("the palette showed no results")
            await post(app, key)
            await settle(pilot)
            assert isinstance(app.screen, Palette)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_enter_twice_in_the_palette_runs_the_command_once_and_closes_only_the_palette(
    make_app, dataset, monkeypatch
):
    # the second Enter used to run the command again and close the main screen too: a blank terminal
    asean = find_group(dataset, "asean")
    app = make_app()
    calls = []
    real = app.update_settings

    def spy(**changes):
        if changes.get("group"):
            calls.append(changes["group"])
        real(**changes)

    monkeypatch.setattr(app, "update_settings", spy)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g", *"asean")
        await settle(pilot)
        await post(app, "enter", "enter")
        await settle(pilot)
        assert stack(app) == ["MainScreen"]
        assert calls == [asean] and app.settings.group == asean
        await pilot.press("G")
        await settle(pilot)
        # Enter then Esc: an Esc that comes before the palette has acted on the Enter closes it and
        # nothing runs; one that comes after finds it closing. Either way the palette closes once, the
        # command runs at most once and the app shows what ran. The Esc comes later and later until
        # the command has run, so both sides of that moment are checked.
        for gap in (0, 2, 4, 8, 16, 32, 64):
            calls.clear()
            await pilot.press("g", *"asean")
            await settle(pilot)
            await post(app, "enter", "escape", gap=gap)
            await settle(pilot)
            assert stack(app) == ["MainScreen"], gap
            assert len(calls) <= 1 and set(calls) <= {asean}, (gap, calls)
            assert app.settings.group == (asean if calls else None), (gap, calls)
            if calls:
                break
        else:
            raise AssertionError("the command never ran, however late the Esc came after the Enter")


@pytest.mark.slow
async def test_a_second_key_meant_for_the_screen_just_left_is_ignored(make_app):
    # an Enter already on its way to a list whose screen has just been left used to act on it anyway:
    # it opened the same screen twice, or a second partner over a detail still being built (a crash).
    # Esc and b must never close more screens than were pressed, nor the main screen
    app = make_app(settings=Settings(period="2024", tab="sectors"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await post(app, "enter", "enter")  # Sectors -> the chapter's partners
        await settle(pilot)
        assert stack(app) == ["MainScreen", "ChapterScreen"]
        await post(app, "enter", "enter")  # the chapter's first partner
        await settle(pilot)
        assert stack(app) == ["MainScreen", "ChapterScreen", "DetailScreen"]
        await pilot.press("question_mark")
        await post(app, "escape", "escape")  # each Esc closes one screen: the help, then the detail
        await settle(pilot)
        assert stack(app) == ["MainScreen", "ChapterScreen"]
        await pilot.press("enter")
        await pilot.press("question_mark")
        await post(app, "escape", "escape", "escape", "escape")  # one more than there are screens to close
        await settle(pilot)
        assert stack(app) == ["MainScreen"]
        await pilot.press("1", "enter")
        assert stack(app) == ["MainScreen", "DetailScreen"]
        await post(app, "b", "b", "b")
        await settle(pilot)
        assert stack(app) == ["MainScreen"]


@pytest.mark.slow
async def test_keys_for_a_screen_that_is_still_being_built(make_app):
    # a key bound on a screen that was just opened used to reach it before its widgets existed (a crash),
    # and Esc right after Enter closed a detail whose start-up code then looked for its removed widgets
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for keys in (["enter", "escape"], ["enter", "n"], ["enter", "v", "n"], ["enter", "v", "j"], ["enter", "j"],
                     ["enter", "p", "b"], ["question_mark", "j"], ["question_mark", "escape"], ["3", "enter", "escape"],
                     ["1"]):
            await post(app, *keys)
            await settle(pilot)
            for _ in range(3):
                if isinstance(app.screen, MainScreen):
                    break
                await pilot.press("escape")
            assert stack(app) == ["MainScreen"], keys
        assert stack(app) == ["MainScreen"] and app.settings.tab == "partners"


async def test_keys_typed_while_the_app_starts(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await post(app, "2", "enter", "j", "3", "question_mark")  # before the first screen is drawn
        await settle(pilot)
        # where Enter lands depends on when the first screen is ready (a region's partners, a partner's
        # detail, a chapter: then the keys after it go there); the rest does not: the help on top, the
        # main screen at the bottom, showing the tab the settings say, one that the keys lead to
        screens = stack(app)
        assert screens[0] == "MainScreen" and screens[-1] == "HelpScreen" and len(set(screens)) == len(screens)
        tab = app.screen_stack[0].query_one("#tabs").active  # the main screen, at the bottom
        assert tab == app.settings.tab, screens
        assert tab in ("regions", "sectors") or (tab == "partners" and app.settings.group), (tab, screens)



async def test_a_detail_closed_before_it_was_built_is_drawn_when_opened_again(make_app, monkeypatch):
    # the detail's screen is kept when closed, also when closed before it was built; opened again it must be
    # drawn, for the partner now asked for, with the focus on its body (j, k and Space scroll it)
    monkeypatch.setattr(TradeGapApp, "_build_detail_ahead", lambda app: None)  # the first one opened here
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#partners-table")
        app.post_message(OpenPartner(table.current_key))
        for _ in range(100):
            await asyncio.sleep(0)
            if isinstance(app.screen, DetailScreen):
                break
        closed = app.screen
        assert isinstance(closed, DetailScreen) and not closed.is_mounted
        app.pop_screen()
        await settle(pilot)
        assert stack(app) == ["MainScreen"] and closed.is_mounted  # built, off the screen
        await pilot.press("j")
        await settle(pilot)
        wanted = table.current_key
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is closed and closed.code == wanted
        assert closed.summary is not None and closed.summary.code == wanted
        assert closed.query_one("#chart-balance").bars is not None
        assert closed.focused is closed.query_one("#detail-body")


async def test_a_partner_opened_over_a_screen_above_the_detail_gets_a_detail_of_its_own(make_app, dataset):
    # the palette's "go to partner" works on every screen; over the help shown above a detail, the kept detail
    # is already in the stack and cannot be shown a second time
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        under = app.screen
        await pilot.press("question_mark")
        await settle(pilot)
        other = next(code for code in app.state.partner_list if code != under.code)
        app.post_message(OpenPartner(other))
        await settle(pilot)
        assert stack(app) == ["MainScreen", "DetailScreen", "HelpScreen", "DetailScreen"]
        assert app.screen is not under and app.screen.code == other and under.code != other
        await pilot.press("escape", "escape", "escape")
        await settle(pilot)
        assert stack(app) == ["MainScreen"]
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is under  # the kept one, again


async def test_keys_typed_right_after_enter_go_to_the_screen_it_opens(make_app):
    # Enter on a list opens a screen after a few turns of the event loop; the keys typed behind it, in the same
    # burst, used to reach the list (c asked for a comparison there instead of the partner's chapters)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        codes = list(app.screen.query_one("#partners-table").keys)
        await pilot.press("ctrl+home")
        await post(app, "enter", "h", "n", gap=0)
        await settle(pilot)
        detail = app.screen
        assert stack(app) == ["MainScreen", "DetailScreen"]
        assert detail.tables and detail.code == codes[1]  # h: the tables; n: the next partner
        await pilot.press("escape")
        await settle(pilot)
        await post(app, "enter", "enter", "escape", "3", gap=0)  # a second Enter is the same press again
        await settle(pilot)
        assert stack(app) == ["MainScreen"] and app.settings.tab == "sectors"


async def test_the_detail_is_built_ahead_while_nothing_else_happens_and_shown_by_the_first_enter(make_app):
    # composing and styling the detail was over half of the first one's opening: it is built off the screen
    # once the data and the screens' code are in, with the main screen left on top, and the first Enter shows it
    from tui.app import KEPT_DETAIL

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")  # another screen up as the screens' code comes in: not while it is
        await settle(pilot)
        await pilot.pause(1.0)
        assert not app.is_screen_installed(KEPT_DETAIL)
        await pilot.press("escape")
        await settle(pilot)
        ahead = await built_ahead(pilot)
        assert ahead.is_mounted and stack(app) == ["MainScreen"]
        assert app.focused is app.screen.query_one("#partners-table")
        await pilot.press("j")
        await settle(pilot)
        wanted = app.screen.query_one("#partners-table").current_key
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is ahead and ahead.code == wanted and ahead.summary is not None
        assert ahead.summary.code == wanted and ahead.query_one("#chart-balance").bars is not None
        assert ahead.focused is ahead.query_one("#detail-body")


async def test_an_enter_after_other_keys_in_the_burst_is_a_press_of_its_own(make_app):
    # only an Enter right behind the one that opens a screen is the same press again; Tab then Enter on the
    # group's screen (as its members' title says) opens a member
    app = make_app(settings=Settings(tab="regions"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await post(app, "enter", "tab", "enter", gap=0)
        await settle(pilot)
        assert stack(app) == ["MainScreen", "GroupScreen", "DetailScreen"]


async def test_a_detail_opened_again_is_at_its_top_before_it_is_drawn(make_app):
    from textual.containers import VerticalScroll

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter", "end")
        await settle(pilot)
        detail = app.screen
        body = detail.query_one("#detail-body", VerticalScroll)
        assert body.scroll_y > 0
        await pilot.press("escape")
        await settle(pilot)
        detail.reopen(detail.codes[1], lambda: detail.codes)
        assert body.scroll_y == 0  # at once: the next frame shows the new partner from its top


async def test_keys_held_for_a_screen_are_not_let_go_by_the_detail_built_ahead(make_app):
    # the detail built ahead is put away at once and handles its resume afterwards, off the screen: that must
    # not give the keys held for the screen being opened to the one under it
    from textual import events

    app = make_app(settings=Settings(tab="regions"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        ahead = await built_ahead(pilot)
        await post(app, "enter", "tab", gap=0)
        ahead.post_message(events.ScreenResume())  # as it comes when the screen was built ahead
        await settle(pilot)
        assert stack(app) == ["MainScreen", "GroupScreen"]
        assert app.screen.focused is not None and app.screen.focused.id == "group-members"


async def test_the_detail_is_not_built_ahead_while_keys_are_typed(make_app):
    # building it takes the event loop for some 40 ms: a key typed then would wait for it
    from tui.app import BUILD_AHEAD_AFTER, KEPT_DETAIL

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(10):  # from the start: the data and the screens' code come in while keys are typed
            await pilot.press("j")
            await pilot.pause(BUILD_AHEAD_AFTER * 0.4)
            assert not app.is_screen_installed(KEPT_DETAIL)
        assert app.state.dataset is not None
        assert (await built_ahead(pilot)).is_mounted and stack(app) == ["MainScreen"]
