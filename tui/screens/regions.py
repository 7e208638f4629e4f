"""The Regions & blocs tab: groups ranked by balance with a bar chart; Enter lists a group's members."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Container
from textual.widgets import DataTable

from tui import trade
from tui.widgets.charts import ranked
from tui.widgets.plots import BarChart
from tui.widgets.tables import Col, RankTable

CHART_CHROME = 4  # title, top and bottom frame, tick labels: the rest is one row per bar


def chart_rows(height: int) -> int:
    return max(0, height - CHART_CHROME)


class RegionsPane(Container):
    def __init__(self) -> None:
        super().__init__(id="regions-pane", classes="body")
        self.ranking = None
        self._key = None

    def compose(self) -> ComposeResult:
        yield RankTable(id="regions-table")
        yield BarChart(horizontal=True, id="regions-chart")

    @property
    def table(self) -> RankTable:
        return self.query_one("#regions-table", RankTable)

    def refresh_data(self, force: bool = False) -> None:
        app = self.app
        key = (app.period, app.size.width >= 100)
        if not force and key == self._key:
            return
        self._key = key
        self.ranking = trade.rank_groups(app.ds, app.period)
        wide = app.size.width >= 100
        columns = [
            Col("rank", "#", "int"),
            Col("name", "Region or bloc", "text", 26 if wide else 20),
            Col("members", "Members", "int"),
        ]
        if wide:
            columns.append(Col("exports", "Exports", "money"))
            columns.append(Col("imports", "Imports", "money"))
        columns += [
            Col("balance", "Balance", "signed"),
            Col("change", f"vs {app.period.previous.year}", "signed"),
            Col("share", "Share", "percent"),
        ]
        self.table.set_data(columns, self.ranking.to_dict("records"), "code")
        period = app.period
        frame = self.ranking

        def prepare(width: int, height: int):
            return ranked(frame, "name", rows=chart_rows(height), label_width=16 if width < 70 else 22,
                          title=f"Balance by region or bloc, {period.label} ($B; deficit left of 0)",
                          selected=self.table.current_key)

        self.query_one("#regions-chart", BarChart).show(prepare)

    def status_parts(self) -> list[str]:
        app = self.app
        if self.ranking is None:
            return []
        return [
            app.period.label,
            f"{len(self.ranking)} regions and blocs",
            "groups overlap: shares do not add up",
            app.ds.release_label,
        ]

    @on(DataTable.RowHighlighted, "#regions-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#regions-chart", BarChart).refresh()  # the chart marks the cursor row

    @on(DataTable.RowSelected, "#regions-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.app.screen is not self.screen:  # a second Enter that arrived after the first opened a screen
            return
        code = self.table.current_key
        if code:
            self.app.show_group(code)
