"""The Regions & blocs tab: groups ranked by balance with a bar chart; Enter lists a group's members."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container

from tui.bindings import MARK_BINDINGS, MARK_COLUMN
from tui.columns import change_title, group_columns
from tui.messages import OpenGroup
from tui.panes.base import CHART_BINDINGS, ChartMarksCursor, MarkingPane
from tui.widgets.barchart import BarChart
from tui.widgets.status import Part
from tui.widgets.table import RankTable

CHART_CHROME = 4  # title, top and bottom frame, tick labels: the rest is one row per bar


def chart_rows(height: int) -> int:
    return max(0, height - CHART_CHROME)


class RegionsPane(MarkingPane, Container, ChartMarksCursor):
    TABLE_ID = "regions-table"
    CHART_ID = "regions-chart"
    BINDINGS = [*MARK_BINDINGS, *CHART_BINDINGS]

    def __init__(self) -> None:
        super().__init__(id="regions-pane", classes="body")
        self.ranking: list[dict] | None = None

    def compose(self) -> ComposeResult:
        yield RankTable(id=self.TABLE_ID)
        yield BarChart(horizontal=True, id=self.CHART_ID)

    def refresh_data(self, force: bool = False) -> None:
        state = self.state
        period = state.period
        key = (period, tuple(state.marked))  # the columns fit the width themselves
        if not force and key == self._key:
            return
        ranking = state.group_ranking()
        if ranking is None or self.waiting(ranking):  # a period the catalog does not list: drawn with the dataset
            return
        self._key = key
        self.ranking = ranking
        # every column: the table drops whole ones by priority when it is narrower than them
        columns = group_columns(change_title(period), name_title="Region or bloc", kind=False, name_width=26)
        if state.marked:
            columns = [MARK_COLUMN, *columns]
        self.table.set_data(columns, self.with_marks(ranking), "code")

        def prepare(width: int, height: int):
            from tui.widgets.charts import ranked  # with the first chart, not the first screen

            return ranked(ranking, "name", rows=chart_rows(height), label_width=16 if width < 70 else 22,
                          title=f"Balance by region or bloc, {period.label} ($B; deficit left of 0)",
                          selected=self.table.current_key)

        self.chart.show(prepare)

    def list_status(self) -> list[Part]:
        state = self.state
        if self.ranking is None:
            return []
        return [
            state.period.label,
            f"{len(self.ranking)} regions and blocs",
            "groups overlap: shares do not add up",
            "blocs: the members of each month",
            "Enter: a group's detail",
        ]

    def export_document(self):
        from tui.trade.releases import us_total_label
        from tui.views import groups_document

        if self.ranking is None:
            return None
        state = self.state
        return groups_document(self.ranking, period=state.period, world=state.world_balance(),
                               release=self.release(), total_label=us_total_label(state.catalog, state.period))

    def request_for(self, key: str) -> OpenGroup:
        return OpenGroup(key, origin=self.screen)
