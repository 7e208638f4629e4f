"""Work done ahead, when no key is waiting, and screens not held longer than the work takes."""

from __future__ import annotations

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
