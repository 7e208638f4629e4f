"""Key bindings shared by several screens."""

from __future__ import annotations

from textual.binding import Binding

# Keys that change the period: on every screen that shows figures.
PERIOD_BINDINGS = [
    Binding("left_square_bracket", "app.step_year(-1)", "Year -", id="year.previous",
            tooltip="The year before", group=Binding.Group("Year", compact=True)),
    Binding("right_square_bracket", "app.step_year(1)", "Year +", id="year.next",
            tooltip="The year after (the latest year to date comes last)", group=Binding.Group("Year", compact=True)),
    Binding("y", "app.pick_year", "Year...", show=False, id="year.pick", tooltip="Choose a year from a list"),
    Binding("l", "app.latest", "Latest", show=False, id="year.latest",
            tooltip="The latest period with data (year to date); follows new data"),
]

# Back out of a screen pushed over the main one.
BACK_BINDINGS = [
    Binding("escape", "back", "Back", id="back", tooltip="Back to the list"),
    Binding("b", "back", "Back", show=False, id="back.letter", tooltip="Back to the list (no Esc delay)"),
]
