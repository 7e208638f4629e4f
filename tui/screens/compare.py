"""Partners and groups side by side: the period's figures, their balances over the years on one chart, and
the top HS chapters x places (imports, and share of all US imports of the chapter): is it shifting from China
to Vietnam and Mexico?"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.bindings import BACK_BINDINGS, EXPORT_BINDINGS, PERIOD_BINDINGS
from tui.columns import chapter_matrix_columns, compare_columns
from tui.messages import OpenGroup, OpenPartner
from tui.screens.base import DetailBodyScreen
from tui.screens.detail import SCROLL_BINDINGS
from tui.trade.changes import change_words
from tui.widgets.footer import KeyFooter
from tui.widgets.linechart import LineChart, lines_of
from tui.widgets.status import STATUS_BASIS, StatusLine
from tui.widgets.table import RankTable

if TYPE_CHECKING:
    from tui.trade.compare import ChapterMatrix
    from tui.trade.dataset import Dataset


class CompareScreen(DetailBodyScreen):
    FIXED_TABLES = "#compare-chapters"  # Tab reaches the figures, Enter opens one
    BINDINGS = [*BACK_BINDINGS, *PERIOD_BINDINGS, *EXPORT_BINDINGS, *SCROLL_BINDINGS]

    def __init__(self, codes: list[str]) -> None:
        super().__init__()
        self.codes = codes
        self.figures: list[dict] | None = None
        self.histories: list[dict] = []
        self.matrix: ChapterMatrix | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="detail-title", markup=False)
        with VerticalScroll(id="detail-body"):
            yield RankTable(id="compare-figures", zebra_stripes=False)
            yield Static("", id="compare-changes", markup=False)
            yield LineChart(id="compare-chart")
            yield Static("", id="compare-history-note", markup=False)
            yield Static("", id="matrix-title", classes="table-title", markup=False)
            yield RankTable(id="compare-chapters")
            yield Static("", id="matrix-note", markup=False)
        yield StatusLine(id="compare-status")
        yield KeyFooter()

    def names(self) -> list[str]:
        catalog = self.tradegap.state.catalog
        return [catalog.name_of(code) for code in self.codes]

    def plain_title(self) -> str:
        return " vs ".join(self.names())

    def show(self, ds: Dataset) -> None:
        from tui.trade.compare import balance_histories, chapter_matrix, compare_figures
        from tui.trade.queries import sector_year
        from tui.trade.releases import chapters_note, sector_label, us_total_label
        from tui.views import balance_of, history_releases

        app = self.tradegap
        state = app.state
        names = self.names()
        period = state.period
        figures = self.figures = compare_figures(ds, self.codes, period)
        self.show_title([" vs ".join(names), period.label, f"share: of the {balance_of(us_total_label(ds, period))}"])
        self.query_one("#compare-figures", RankTable).set_data(
            compare_columns(f"vs {period.previous.label}", name_width=24), figures, "code")
        arrow = "->" if app.ascii else "→"
        self.query_one("#compare-changes", Static).update("\n".join(
            f"{row['name']}: {period.previous.label} {arrow} {period.label}, "
            f"{change_words(row['balance'], row['prev_balance'])}" for row in figures))
        histories = self.histories = balance_histories(ds, self.codes, period.year)
        codes, ascii_mode = list(self.codes), app.ascii
        self.query_one("#compare-chart", LineChart).show(
            lambda w, h: lines_of(histories, codes, names, width=w, height=h, ascii=ascii_mode))
        # the years of the chart come from several releases, not only the one the status line names
        self.query_one("#compare-history-note", Static).update(
            history_releases(ds, histories, app.separator) if histories else "")
        matrix_title = self.query_one("#matrix-title", Static)
        chapters = self.query_one("#compare-chapters", RankTable)
        note = self.query_one("#matrix-note", Static)
        if ds.sector_years:
            year = sector_year(ds, period.year)
            matrix = self.matrix = chapter_matrix(ds, self.codes, year)
            since = str(matrix.previous_year) if matrix.previous_year is not None else None
            nearest = "" if year == period.year else f" (the nearest year with HS chapters to {period.year})"
            earlier = chapters_note(ds, year)  # as a detail's top chapters say it
            matrix_title.update(f"Top HS chapters of their sales to the US, {sector_label(ds, year)}{nearest}"
                                + (f"{app.separator}{earlier}" if earlier else ""))
            chapters.set_data(chapter_matrix_columns(self.codes, names, name_width=22, share_change=since),
                              matrix.rows, "chapter")
            chapters.display = True
            note.update("Imports: US imports from each; share: of all US imports of the chapter"
                        + (f"; pts: the share's change since {since}" if since else "")
                        + ". Columns that do not fit are left out: a wider terminal, or e to export them all.")
        else:
            self.matrix = None
            matrix_title.update("No HS chapter data in this dataset.")
            chapters.display = False
            note.update("")
        self.query_one("#compare-status", StatusLine).say(
            period.label, f"{len(self.codes)} compared", "Tab, Enter: open one", STATUS_BASIS, state.release(period))

    def export_document(self):
        from tui.trade import releases
        from tui.views import chapters_releases, chapters_span, compare_document, history_releases, with_releases

        state = self.tradegap.state
        ds = state.dataset
        if self.figures is None or ds is None:
            return None
        period = state.period
        chapters_release, chapters_note = chapters_releases(ds, self.matrix.year if self.matrix is not None else None)
        return compare_document(self.figures, with_releases(ds, self.histories), self.matrix, period=period,
                                history_note=history_releases(ds, self.histories[-10:]),
                                world=state.world_balance(period), release=releases.release_of(ds, period),
                                total_label=releases.us_total_label(ds, period), chapters_release=chapters_release,
                                chapters_note=chapters_note,
                                chapters_period=chapters_span(ds, self.matrix.year if self.matrix is not None else None))

    @on(RankTable.RowSelected, "#compare-figures")
    def _open(self, event: RankTable.RowSelected) -> None:
        event.stop()
        if self.app.screen is not self:
            return
        code = self.query_one("#compare-figures", RankTable).current_key
        if code in self.tradegap.state.catalog.groups:
            self.post_message(OpenGroup(code, origin=self))
        elif code:  # n/p walk the compared partners (a group's detail is another screen)
            groups = self.tradegap.state.catalog.groups
            self.post_message(OpenPartner(code, codes=[c for c in self.codes if c not in groups], origin=self))
