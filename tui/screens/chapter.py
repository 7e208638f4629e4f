"""Which partners make up one HS chapter's balance."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container

from tui.bindings import BACK_BINDINGS, EXPORT_BINDINGS, PERIOD_BINDINGS
from tui.columns import chapter_partner_columns
from tui.messages import DatasetReplaced, SettingsChanged
from tui.panes.base import CHART_BINDINGS, ChartMarksCursor, sort_labels, toggle_charts
from tui.panes.regions import chart_rows
from tui.screens.base import DrillScreen
from tui.trade import releases
from tui.trade.formatting import money
from tui.trade.periods import Period
from tui.trade.ranking import shown_total
from tui.vocabulary import CHAPTER_SORTS, FIRST_DESCENDING, ChapterSort, next_in, sort_words
from tui.widgets.barchart import BarChart
from tui.widgets.charts import ranked
from tui.widgets.footer import KeyFooter
from tui.widgets.phrases import Phrases
from tui.widgets.status import STATUS_BASIS, StatusLine
from tui.widgets.table import RankTable


class ChapterScreen(DrillScreen, ChartMarksCursor):
    CHART_ID = "chapter-chart"
    BINDINGS = [
        *BACK_BINDINGS,
        Binding("s", "cycle_sort", "Sort", id="chapter.sort",
                tooltip="Sort by the next column: balance, exports, imports, change, share"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="chapter.reverse", tooltip="Reverse the sort direction"),
        *PERIOD_BINDINGS,
        *CHART_BINDINGS,
        *EXPORT_BINDINGS,
    ]

    def __init__(self, year: int, chapter: int, group: str | None = None) -> None:
        super().__init__()
        self.year = year  # the sector year shown; [ and ] change the app's period, and so this
        self.chapter = chapter
        self.group = group
        self.ranking: list[dict] | None = None  # as shown (sorted)
        self.sort: ChapterSort = "balance"
        self.descending = False
        self.names: tuple[str, str] = ("", "")  # the chapter's name and the scope's

    def compose(self) -> ComposeResult:
        yield Phrases(gap=self.tradegap.separator, id="chapter-title")
        with Container(classes="body"):
            yield RankTable(id="chapter-table")
            yield BarChart(horizontal=True, id=self.CHART_ID)
        yield StatusLine(id="chapter-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self.closed_early():
            return
        self.show_chapter()
        self.query_one("#chapter-table", RankTable).focus()

    @on(SettingsChanged)
    def _settings_changed(self, message: SettingsChanged) -> None:
        if message.new.period != message.old.period:
            self.show_chapter(self.tradegap.state.period.year)

    @on(DatasetReplaced)
    def _dataset_replaced(self) -> None:
        self.show_chapter(self.tradegap.state.period.year)

    def show_chapter(self, period_year: int | None = None) -> None:
        """Rank the chapter's partners in the sector year nearest `period_year` (None: the year opened)."""
        from tui.trade.queries import chapter_partners, sector_year

        app = self.tradegap
        ds = app.state.dataset
        assert ds is not None, "chapters are opened from the Sectors tab, drawn with the full dataset"
        if period_year is not None:
            self.year = sector_year(ds, period_year)
        name = ds.chapters.at[self.chapter, "name"] if self.chapter in ds.chapters.index else "Chapter"
        span = releases.sector_label(ds, self.year)  # '2026 Jan-Sep' for the latest year's, fetched to date
        # a group's members at the end of the year (chapters are annual), or of the latest year's latest month
        at = ds.latest if span != str(self.year) else Period(self.year)
        scope = ds.catalog.groups[self.group].label(at) if self.group else "all partners"
        frame = chapter_partners(ds, self.year, self.chapter, group=self.group, sort=self.sort,
                                 descending=self.descending)
        ranking = self.ranking = frame.to_dict("records")
        note = "" if period_year in (None, self.year) else f"nearest year with sector data to {period_year}"
        self.query_one("#chapter-title", Phrases).say(
            [f"HS {self.chapter:02d} {name!s}", span, note, scope, "share: of the chapter's US balance"])
        # no change of a year to date against the whole year before (else a column of n/a)
        change = f"vs {self.year - 1}" if self.year - 1 in ds.sector_years and span == str(self.year) else None
        columns = chapter_partner_columns(change_title=change, name_width=26)
        table = self.query_one("#chapter-table", RankTable)
        table.set_data(columns, ranking, "code", sort_labels(app.ascii, columns, self.sort, self.descending))
        by_rank = sorted(ranking, key=lambda row: row["rank"])  # the chart ranks by balance whatever the sort
        self.chart.show(
            lambda w, h: ranked(by_rank, "name", rows=chart_rows(h), label_width=16,
                                title=f"HS {self.chapter:02d}: largest partner balances, {span} ($B)",
                                selected=table.current_key))
        total = shown_total(ranking)["balance"]
        self.names = (str(name), str(scope))
        self.query_one("#chapter-status", StatusLine).say(
            span, f"HS {self.chapter:02d}", scope, f"{len(ranking)} partners",
            f"sum of rows {money(total, signed=True)}", sort_words(self.sort, self.descending, default="balance"),
            STATUS_BASIS, releases.compact(releases.sector_release_of(app.state.catalog, self.year)))

    def export_document(self):
        from tui.views import chapter_document

        if self.ranking is None:
            return None
        ds = self.tradegap.state.dataset
        return chapter_document(self.ranking, year=self.year, chapter=self.chapter, name=self.names[0],
                                scope=self.names[1], release=releases.sector_release_of(ds, self.year),
                                chapters_note=releases.chapters_note(ds, self.year),
                                chapters_period=releases.sector_label(ds, self.year))

    def action_cycle_sort(self) -> None:
        self.sort = next_in(CHAPTER_SORTS, self.sort)
        self.descending = FIRST_DESCENDING[self.sort]
        self.show_chapter()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.show_chapter()

    def action_toggle_charts(self) -> None:
        toggle_charts(self)

    @on(RankTable.RowSelected, "#chapter-table")
    def _open(self, event: RankTable.RowSelected) -> None:
        event.stop()
        self.open_partner_in("#chapter-table")
