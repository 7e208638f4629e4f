"""RankTable draws plain cells itself: the lines must be the ones DataTable would draw."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import DataTable

from tui.widgets.tables import Col, RankTable

SIZE = (100, 32)


def _lines(table: RankTable) -> list:
    """Every line of the table (header and all rows) as (text, style) pairs, from fresh caches."""
    table._clear_caches()
    height = table.virtual_size.height
    return [[(seg.text, seg.style) for seg in table._render_line(y, 0, table.size.width, table.rich_style)]
            for y in range(height)]


def _both(table: RankTable) -> tuple[list, list]:
    fast = _lines(table)
    original = RankTable._render_cell
    RankTable._render_cell = DataTable._render_cell
    try:
        slow = _lines(table)
    finally:
        RankTable._render_cell = original
    return fast, slow


async def test_partner_table_lines_equal_datatables(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#partners-table", RankTable)
        await pilot.press("j", "j")
        fast, slow = _both(table)
        assert len(fast) > 10
        assert fast == slow
        table.blur()
        fast, slow = _both(table)
        assert fast == slow


class _Odd(App):
    def compose(self) -> ComposeResult:
        yield RankTable(id="t")


async def test_odd_cells_fall_back_to_datatable_and_match():
    app = _Odd()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(RankTable)
        columns = [Col("a", "A", "text", 6), Col("b", "B", "money"), Col("c", "C", "text")]
        records = [
            {"k": "1", "a": "a much longer name than six", "b": 1234.5, "c": "[b]bold[/b]"},
            {"k": "2", "a": "tab\there", "b": -3.0, "c": "wide 中国"},
            {"k": "3", "a": "", "b": 0.0, "c": "trailing  "},
            {"k": "4", "a": None, "b": float("nan"), "c": Text("styled", style="bold")},
        ]
        table.set_data(columns, records, "k")
        await pilot.pause()
        fast, slow = _both(table)
        assert fast == slow


async def test_column_widths_equal_datatables(make_app):
    app = make_app()
    async with app.run_test(size=(170, 40)) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#partners-table", RankTable)
        widths = [c.content_width for c in table.ordered_columns]
        assert table._widths is None  # measured by RankTable, on idle
        for column in table.ordered_columns:
            column.content_width = column.label.cell_len  # as add_column leaves it
        table._update_dimensions(list(table.rows))  # DataTable's measuring
        assert [c.content_width for c in table.ordered_columns] == widths
