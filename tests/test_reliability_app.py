"""Keys in bursts around quitting, and the letter q where it is a letter."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from pilot_helpers import settle

SIZE = (100, 32)


@pytest.mark.parametrize("after", ["t", "g", "y", "question_mark", "ctrl+p", "enter", "slash"])
async def test_keys_typed_right_after_q_start_nothing_and_the_app_quits(make_app, after):
    # one input burst, as when a user types the next shell command at once
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in ("q", after):
            app.post_message(events.Key(key, key if len(key) == 1 else None))
        await pilot.pause(0.3)
        assert not app.is_running or app.leaving
    assert app.return_code == 0


@pytest.mark.slow
async def test_q_in_the_search_box_is_a_letter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"iraq")
        await settle(pilot)
        assert app.is_running and app.screen.query_one("#search", Input).value == "iraq"


@pytest.mark.slow
async def test_q_in_the_palette_is_a_letter_and_closes_the_help(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", "q")
        await settle(pilot)
        assert app.is_running and app.screen.query_one(Input).value == "q"
        await pilot.press("escape", "question_mark")
        await settle(pilot)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("q")
        await settle(pilot)
        assert app.is_running and type(app.screen).__name__ == "MainScreen"


@pytest.mark.slow
async def test_a_page_of_text_in_the_search_box_is_refused_and_typing_stops_at_its_length(make_app):
    import time

    from tui.panes.partners import SEARCH_MAX

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await settle(pilot)
        started = time.perf_counter()
        app.post_message(events.Paste("x" * 5000))  # longer than any name: Textual's Input refuses it whole
        await settle(pilot)
        box = app.screen.query_one("#search", Input)
        assert box.value == ""
        await pilot.press(*"abcdefghij" * ((SEARCH_MAX // 10) + 2))
        await settle(pilot)
        assert len(box.value) == SEARCH_MAX and app.state.partner_list == []
        assert time.perf_counter() - started < 10  # not one search per letter of the paste


@pytest.mark.slow
async def test_a_fifo_in_place_of_the_settings_is_said_once_and_nothing_tries_to_save(tmp_path):
    import os

    from tui.app import TradeGapApp
    from tui.settings import load_settings
    from tui.trade import load_catalog

    path = tmp_path / "settings.json"
    os.mkfifo(path)
    settings, notice = load_settings(path)
    app = TradeGapApp(catalog=load_catalog(), settings=settings, notices=[notice], settings_path=path, ascii=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s", "v")  # changes that would be saved
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert len(notes) == 1 and "FIFO" in notes[0], notes
