"""Work done ahead, when no key is waiting, and screens not held longer than the work takes."""

from __future__ import annotations

import gc
import time

import pytest

from pilot_helpers import settle

SIZE = (100, 32)


@pytest.mark.slow
async def test_hidden_tabs_are_filled_once_keys_stop(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        main = app.screen
        await pilot.pause(0.5)
        assert main.pane("regions").ranking is not None and main.pane("sectors").ranking is not None
        assert main.active_tab == "partners"  # filled, not shown
        await pilot.press("left_square_bracket")
        await settle(pilot)
        await pilot.pause(0.5)
        assert main.pane("regions")._key[0] == app.state.period
        assert main.pane("sectors")._key[0] == app.state.period.year


async def test_the_palette_holds_the_screen_a_few_milliseconds_not_fifty(make_app, monkeypatch):
    # Textual's palette calls delay_update() as it closes, holding the screen 50 ms by default
    from textual.app import App

    from tui.app import PALETTE_HOLD

    delays = []
    monkeypatch.setattr(App, "delay_update", lambda self, delay=0.05: delays.append(delay))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.delay_update()
        assert delays == [PALETTE_HOLD] and PALETTE_HOLD <= 0.01


async def test_a_full_garbage_collection_waits_for_a_pause_in_the_keys(make_app, monkeypatch):
    # in a long session a full collection over what the screens keep took 10-30 ms: in a pause, not in a key
    from tui import startup
    from tui.app import COLLECT_AFTER

    app = make_app()
    quiet_at_collection: list[float] = []
    monkeypatch.setattr(startup, "collect_in_pause", lambda: quiet_at_collection.append(
        time.monotonic() - app._last_key))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(8):
            await pilot.press("j")
            await pilot.pause(COLLECT_AFTER * 0.3)
        assert quiet_at_collection == []  # keys kept coming
        await pilot.pause(COLLECT_AFTER * 2)
        assert len(quiet_at_collection) == 1 and quiet_at_collection[0] >= COLLECT_AFTER
        await pilot.pause(COLLECT_AFTER * 2)
        assert len(quiet_at_collection) == 1  # one a pause: nothing runs while nothing is typed
        await pilot.press("k")
        await pilot.pause(COLLECT_AFTER * 2)
        assert len(quiet_at_collection) == 2


def test_collecting_in_a_pause_is_a_full_collection_unless_the_start_defers_them():
    from tui import startup

    generations: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            generations.append(info["generation"])

    gc.callbacks.append(seen)
    try:
        startup.collect_in_pause()
        assert 2 in generations
        generations.clear()
        startup.defer_collection()  # the start: collected after the dataset is in, not before
        startup.collect_in_pause()
        assert generations == []
    finally:
        startup.resume_collection(freeze=False)
        gc.callbacks.remove(seen)
    assert gc.isenabled()
