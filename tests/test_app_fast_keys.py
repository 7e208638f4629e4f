"""Keys typed faster than the app redraws: mashed, pasted, or batched by a slow SSH link.

Pilot.press waits until the app is idle after every key; a terminal does not.
These tests post key events straight to the app, the next one before the last
has been fully handled, at the moments that used to go wrong (found by
tests/test_fuzz.py).
"""

from __future__ import annotations

import asyncio

from textual import events
from textual.command import CommandList

from tui.app import Palette
from tui.screens.detail import DetailScreen
from tui.screens.main import MainScreen
from tui.settings import Settings
from tui.trade import find_group

SIZE = (100, 32)
TAB_OF_KEY = {"1": "partners", "2": "regions", "3": "sectors"}


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def post(app, *keys: str) -> None:
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


async def test_two_tab_keys_in_quick_succession_end_on_the_second(make_app):
    # the focus of the first switch used to arrive after the second and flip the tab back
    app = make_app(settings=Settings(tab="sectors"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one("#tabs")
        for first, second in (("2", "1"), ("2", "3"), ("1", "2"), ("1", "3"), ("2", "3"), ("3", "1")):
            post(app, first)
            await pilot.pause(0)  # the first key is handled, its focus change is still on its way
            post(app, second)
            await settle(pilot)
            assert tabs.active == app.settings.tab == TAB_OF_KEY[second], (first, second)
        # and `c` in a partner's detail lands on Sectors (it used to stay on Partners when they disagreed)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and tabs.active == app.settings.tab == "sectors"


async def test_page_keys_before_the_palette_list_is_drawn(make_app):
    # Textual's OptionList raised KeyError on PageUp/PageDown between getting results and being laid out
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for opener, key in (("ctrl+p", "pageup"), ("y", "pagedown"), ("g", "pageup"), ("ctrl+p", "pagedown")):
            post(app, opener)
            for _ in range(10_000):
                await asyncio.sleep(0)
                lists = app.screen.query(CommandList)
                if lists and lists.first().option_count and lists.first().highlighted is not None:
                    break
            else:
                raise AssertionError("the palette showed no results")
            post(app, key)
            await settle(pilot)
            assert isinstance(app.screen, Palette)
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, MainScreen)


async def test_enter_twice_in_the_palette_runs_the_command_once_and_closes_only_the_palette(make_app, dataset, monkeypatch):
    # the second Enter used to run the command again and close the main screen too: a blank terminal
    asean = find_group(dataset, "asean")
    app = make_app()
    calls = []
    real = app.show_group
    monkeypatch.setattr(app, "show_group", lambda code: (calls.append(code), real(code)))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for second in ("enter", "escape"):
            calls.clear()
            await pilot.press("g", *"asean")
            await settle(pilot)
            post(app, "enter", second)
            await settle(pilot)
            assert [type(s).__name__ for s in app.screen_stack[1:]] == ["MainScreen"], second
            if second == "enter":
                assert calls == [asean] and app.settings.group == asean
            else:  # Esc may arrive before the selection is made: the palette closes, once, either way
                assert calls in ([], [asean])
            await pilot.press("G")
            await settle(pilot)
