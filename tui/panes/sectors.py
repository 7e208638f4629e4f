"""The Sectors tab: HS chapters ranked by balance for the US, a group or a partner."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import Static

from tui import trade
from tui.columns import chapter_columns
from tui.messages import OpenChapter
from tui.panes.base import CHART_BINDINGS, ChartMarksCursor, Pane, sort_labels
from tui.panes.regions import chart_rows
from tui.trade import releases
from tui.trade.periods import Period
from tui.vocabulary import sort_words
from tui.widgets.barchart import BarChart
from tui.widgets.status import STATUS_BASIS, Part
from tui.widgets.table import RankTable


class SectorsPane(Pane, Vertical, ChartMarksCursor):
    TABLE_ID = "sectors-table"
    CHART_ID = "sectors-chart"
    BINDINGS = [
        Binding("s", "cycle_sort", "Sort", id="sectors.sort",
                tooltip="Sort by the next column: balance, exports, imports, change, share"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="sectors.reverse", tooltip="Reverse the sort direction"),
        Binding("o", "cycle_scope", "Scope", id="sectors.scope",
                tooltip="Chapters of the US total, the selected group or the highlighted partner"),
        *CHART_BINDINGS,
    ]

    def __init__(self) -> None:
        super().__init__(id="sectors-pane")
        self.ranking: list[dict] | None = None  # as shown (sorted)
        self.year: int | None = None
        self._from_top = False  # the next drawing puts the cursor on the first row

    def compose(self) -> ComposeResult:
        yield Static("", id="sectors-scope", markup=False)
        with Container(classes="body"):
            yield RankTable(id=self.TABLE_ID)
            yield BarChart(horizontal=True, id=self.CHART_ID)

    def dataset_loaded(self) -> None:
        self.forget()

    def scope_changed(self) -> None:
        """Another partner or group (or the US again): its ranking is shown from the first row."""
        self.forget()
        self._from_top = True

    def refresh_data(self, force: bool = False) -> None:
        state = self.state
        ds = state.dataset
        if ds is None or self.waiting(ds):  # chapters come with the full dataset, loading in the background
            return
        code = state.sectors_scope
        period = state.period
        key = (period.year, code, state.sector_sort, state.sector_descending)
        if not force and key == self._key:
            return
        self._key = key
        label = self.query_one("#sectors-scope", Static)
        if not ds.sector_years:
            self.ranking, self.year = None, None
            label.update("No sector data in this dataset.")
            self.table.set_data([], [], "chapter")
            self.chart.show(None)
            return
        year = self.year = trade.sector_year(ds, period.year)
        frame = trade.rank_chapters(ds, year, code, sort=state.sector_sort, descending=state.sector_descending)
        ranking = self.ranking = frame.to_dict("records")
        note = "" if year == period.year else f" (the nearest year with sector data to {period.year})"
        name = self._scope_label(code, year)
        span = releases.sector_label(ds, year)  # '2026 Jan-Sep' for the latest year's, fetched to date
        if not ranking:
            label.update(f"{name}: no chapter data for {span}.")
        else:
            label.update(f"{name}: HS chapters, {span}{note}{self.tradegap.separator}"
                         "share: of the summed chapter balance")
        # every column: the table drops whole ones by priority when it is narrower than them; no change of a year
        # to date against the whole year before (else a column of n/a)
        change = f"vs {year - 1}" if year - 1 in ds.sector_years and span == str(year) else None
        columns = chapter_columns(change_title=change, name_width=40)
        arrow = sort_labels(self.tradegap.ascii, columns, state.sector_sort, state.sector_descending)
        self.table.set_data(columns, ranking, "chapter", arrow)
        if self._from_top:
            self._from_top = False
            self.table.move_cursor(row=0)
        by_rank = sorted(ranking, key=lambda row: row["rank"])  # the chart ranks by balance whatever the sort

        def prepare(width: int, height: int):
            if not by_rank:
                return None
            named = [{**row, "label": f"{row['chapter']:02d} {row['name']}"} for row in by_rank]
            from tui.widgets.charts import ranked  # with the first chart, not the first screen

            return ranked(named, "label", rows=chart_rows(height), label_width=16 if width < 70 else 24,
                          title=f"Largest chapter balances, {name}, {span} ($B)",
                          selected=self.table.current_key, key="chapter")

        self.chart.show(prepare)

    def status_parts(self) -> list[Part]:
        state = self.state
        if state.dataset is None:
            return [state.period.label, "loading the HS chapters", state.release()]
        if self.ranking is None or self.year is None:
            return [state.period.label, "no sector data", state.release()]
        earlier = releases.chapters_note(state.catalog, self.year)
        return [
            f"sectors {releases.sector_label(state.catalog, self.year)}",
            self._scope_label(state.sectors_scope, self.year),
            f"{len(self.ranking)} chapters",
            sort_words(state.sector_sort, state.sector_descending, default="balance"),
            earlier.split(", so")[0],  # "chapters from an earlier release than the totals"
            "imports: Census; exports: USITC DataWeb",
            STATUS_BASIS,
            releases.compact(releases.sector_release_of(state.catalog, self.year)),  # the release comes last
        ]

    def _scope_label(self, code: str, year: int) -> str:
        """Whose chapters: a group with its members at the end of the year (chapters are annual)."""
        state = self.state
        at = state.catalog.latest if releases.sector_label(state.catalog, year) != str(year) else Period(year)
        return state.group_label(code, at) if code in state.catalog.groups else state.scope_name(code)

    def export_document(self):
        from tui.views import sectors_document

        if self.ranking is None or self.year is None:
            return None
        state = self.state
        return sectors_document(self.ranking, year=self.year, scope=state.scope_name(state.sectors_scope),
                                release=self.release(self.year, "sectors"),
                                chapters_note=releases.chapters_note(state.catalog, self.year),
                                chapters_period=releases.sector_label(state.catalog, self.year))

    def redraw(self) -> None:
        self.refresh_data()
        self.update_status()

    def action_cycle_sort(self) -> None:
        self.state.cycle_sector_sort()
        self.redraw()

    def action_reverse_sort(self) -> None:
        self.state.reverse_sector_sort()
        self.redraw()

    def action_cycle_scope(self) -> None:
        self.state.cycle_sector_scope()
        self.scope_changed()
        self.redraw()

    def request_for(self, key: str) -> OpenChapter | None:
        if self.year is None:
            return None
        code = self.state.sectors_scope
        group = code if code in self.state.catalog.groups else None
        return OpenChapter(self.year, int(key), group, origin=self.screen)
