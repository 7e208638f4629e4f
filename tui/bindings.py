"""Key bindings shared by several screens."""

from __future__ import annotations

from textual.binding import Binding

from tui.columns import Column

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

# Marking partners and groups for Compare (Partners, Regions & blocs).
MARK_BINDINGS = [
    Binding("space", "mark", "Mark", id="list.mark", tooltip="Mark or unmark the row for Compare (up to 6)"),
    Binding("c", "compare", "Compare", id="list.compare",
            tooltip="The marked partners and groups side by side: figures, balances by year, HS chapters"),
    Binding("u", "unmark", "Unmark", show=False, id="list.unmark", tooltip="Unmark every partner and group"),
]

#: The column that shows the marks, when something is marked.
MARK_COLUMN = Column("mark", "", "text", 1, priority=100)

# Handing a view over: on every screen that shows one.
EXPORT_BINDINGS = [
    Binding("e", "app.export_view", "Export", id="view.export",
            tooltip="Save this view as CSV, Markdown or JSON (in the current directory or TRADEGAP_EXPORT_DIR)"),
    Binding("C", "app.copy_view", "Copy", id="view.copy", tooltip="Copy this view to the clipboard as Markdown"),
]
