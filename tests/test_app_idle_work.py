"""Work done ahead, when no key is waiting, and screens not held longer than the work takes."""

from __future__ import annotations

from pilot_helpers import settle

SIZE = (100, 32)


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
        assert main.pane("regions")._key[0] == app.period
        assert main.pane("sectors")._key[0] == app.period.year


async def test_the_palette_holds_the_screen_only_until_its_command_has_run(make_app):
    # Textual's palette calls delay_update() as it closes and queues its command after it
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        held = []

        def command() -> None:
            held.append(app._batch_count)
            app.call_later(lambda: held.append(app._batch_count))

        app.delay_update()
        assert app._batch_count == 1  # held: the palette's closing and the result show together
        app.call_later(command)
        await settle(pilot)
        assert held == [1, 0]  # held while the command ran, released right after it, not 50 ms later

