"""The Sectors tab: HS chapters ranked by balance for the US, a group or a partner."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import Static

from tui import trade
from tui.columns import chapter_columns
from tui.messages import OpenChapter
from tui.panes.base import Pane
from tui.panes.regions import chart_rows
from tui.trade.changes import BASIS_SHORT
from tui.widgets.charts import ranked
from tui.widgets.plots import BarChart
from tui.widgets.table import RankTable


class SectorsPane(Pane, Vertical):
    BINDINGS = [
        Binding("o", "cycle_scope", "Scope", id="sectors.scope",
                tooltip="Chapters of the US total, the selected group or the highlighted partner"),
    ]

    def __init__(self) -> None:
        super().__init__(id="sectors-pane")
        self.ranking: list[dict] | None = None
        self.year: int | None = None
        self._key: tuple | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="sectors-scope", markup=False)
        with Container(classes="body"):
            yield RankTable(id="sectors-table")
            yield BarChart(horizontal=True, id="sectors-chart")

    @property
    def table(self) -> RankTable:
        return self.query_one("#sectors-table", RankTable)

    def forget(self) -> None:
        self._key = None

    def dataset_loaded(self) -> None:
        self.forget()

    def refresh_data(self, force: bool = False) -> None:
        state = self.state
        ds = state.dataset
        if ds is None or self.waiting(ds):  # chapters come with the full dataset, loading in the background
            return
        code = state.sectors_scope
        period = state.period
        wide = self.app.size.width >= 100
        key = (period.year, code, wide)
        if not force and key == self._key:
            return
        self._key = key
        label = self.query_one("#sectors-scope", Static)
        if not ds.sector_years:
            self.ranking, self.year = None, None
            label.update("No sector data in this dataset.")
            self.table.set_data([], [], "chapter")
            self.query_one("#sectors-chart", BarChart).show(None)
            return
        year = self.year = trade.sector_year(ds, period.year)
        ranking = self.ranking = trade.rank_chapters(ds, year, code).to_dict("records")
        note = "" if year == period.year else f" (the nearest year with sector data to {period.year})"
        name = state.scope_name(code)
        if not ranking:
            label.update(f"{name}: no chapter data for {year}.")
        else:
            label.update(f"{name}: HS chapters, {year}{note}")
        columns = chapter_columns(trade=wide, name_width=40 if wide else 22)
        self.table.set_data(columns, ranking, "chapter")

        def prepare(width: int, height: int):
            if not ranking:
                return None
            named = [{**row, "label": f"{row['chapter']:02d} {row['name']}"} for row in ranking]
            return ranked(named, "label", rows=chart_rows(height), label_width=16 if width < 90 else 24,
                          title=f"Largest chapter balances, {name}, {year} ($B)")

        self.query_one("#sectors-chart", BarChart).show(prepare)

    def status_parts(self) -> list[str]:
        state = self.state
        release = state.catalog.release_label
        if state.dataset is None:
            return [state.period.label, "loading the HS chapters", release]
        if self.ranking is None:
            return [state.period.label, "no sector data", release]
        return [
            f"sectors {self.year}",
            state.scope_name(state.sectors_scope),
            f"{len(self.ranking)} chapters",
            "imports: Census; exports: USITC DataWeb",
            BASIS_SHORT,
            release,
        ]

    def export_document(self):
        from tui.views import sectors_document

        if self.ranking is None or self.year is None:
            return None
        state = self.state
        return sectors_document(self.ranking, year=self.year, scope=state.scope_name(state.sectors_scope),
                                release=self.release(self.year, "sectors"))

    def action_cycle_scope(self) -> None:
        self.state.cycle_sector_scope()
        self.refresh_data()
        self.update_status()

    @on(RankTable.RowSelected, "#sectors-table")
    def _open(self, event: RankTable.RowSelected) -> None:
        event.stop()
        chapter = self.table.current_key
        if chapter is None or self.year is None or not self.on_current_screen():
            return
        code = self.state.sectors_scope
        group = code if code in self.state.catalog.groups else None
        self.post_message(OpenChapter(self.year, int(chapter), group, origin=self.screen))
