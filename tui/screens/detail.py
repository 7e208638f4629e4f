"""A partner's detail: the period's figures next to a year earlier, highlights, three charts (or, with h, the
history and the selected year's months as tables) and the top HS chapters."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.bindings import BACK_BINDINGS, EXPORT_BINDINGS, PERIOD_BINDINGS
from tui.columns import history_columns, month_columns
from tui.messages import SettingsChanged
from tui.screens.base import PlaceScreen
from tui.trade import releases
from tui.trade.changes import change_percent
from tui.trade.formatting import money, percent, standing
from tui.widgets.barchart import BarChart
from tui.widgets.charts import balance_history, exports_imports, monthly_balance
from tui.widgets.phrases import Phrases
from tui.widgets.status import STATUS_BASIS, StatusLine
from tui.widgets.table import RankTable

if TYPE_CHECKING:
    from tui.trade.dataset import Dataset
    from tui.trade.queries import PartnerSummary


def _phrases(sentence: str) -> list[str]:
    """'2023 -$104.6B → 2024 -$123.2B: deficit widened by $18.6B, +18%' as the two phrases a narrow
    screen may put on two lines."""
    head, colon, tail = sentence.partition(": ")
    return [head + ":", tail] if colon else [sentence]


def _signed(value) -> str:
    return "n/a" if value is None else money(value, signed=True)


TABLES_BINDING = Binding("h", "toggle_tables", "Tables", id="detail.tables",
                         tooltip="The history and the selected year's months as tables, or the charts again")
SCROLL_BINDINGS = [
    Binding("j", "scroll(1)", "Down", show=False, id="detail.down", tooltip="Scroll down"),
    Binding("k", "scroll(-1)", "Up", show=False, id="detail.up", tooltip="Scroll up"),
    Binding("space", "page(1)", "Page down", show=False, id="detail.page", tooltip="Page down"),
]


def year_months(period, latest):
    """The whole year of the period, as far as there is data: the months the detail's table shows."""
    from tui.trade.periods import Period

    return Period(period.year, latest.months if period.year == latest.year else 12)


def trade_line(label: str, now: float, before: float) -> str:
    """'Exports $12.2B (2025 Jan-Aug $9.7B, +26%)'."""
    import math

    if before is None or math.isnan(before):
        return f"{label} {money(now)}"
    growth = change_percent((now - before) / before * 100) if before else "n/a"
    return f"{label} {money(now)} ({money(before)} a year earlier, {growth})"


class DetailScreen(PlaceScreen):
    CHARTS = ("chart-balance", "chart-trade", "chart-monthly")
    TABLES = "detail-tables"  # the history and the selected year's months
    CHART_TABLES = {"history-title": "detail-history", "months-title": "detail-months"}
    CHAPTERS = "detail-chapters"
    STATUS = "detail-status"
    BINDINGS = [
        *BACK_BINDINGS,
        Binding("n", "step(1)", "Next", id="detail.next", tooltip="The next partner in the current ranking"),
        Binding("p", "step(-1)", "Prev", id="detail.previous", tooltip="The previous partner in the current ranking"),
        *PERIOD_BINDINGS,
        Binding("c", "chapters", "Chapters", id="detail.chapters", tooltip="All HS chapters of this partner (Sectors tab)"),
        TABLES_BINDING,
        *EXPORT_BINDINGS,
        *SCROLL_BINDINGS,
    ]

    def __init__(self, code: str, walk: Callable[[], list[str]]) -> None:
        super().__init__()
        self.code = code
        self.walk = walk  # gives the list n/p walk through, as it stands now
        self.codes = walk()
        self.summary: PartnerSummary | None = None
        self.figures: dict | None = None  # the period next to a year earlier
        self.tables = False  # h: the history and months as tables instead of the charts

    def follow(self, code: str, walk: Callable[[], list[str]]) -> None:
        """Show another partner, walking another list."""
        self.code, self.walk = code, walk
        self.codes = walk()
        self.redraw()

    def reopen(self, code: str, walk: Callable[[], list[str]]) -> None:
        """Show a partner again in this screen, kept since it was closed, as a new screen would: the charts
        (not the tables), from the top."""
        self.code, self.walk = code, walk
        self.codes = walk()
        if self.is_mounted:  # else it was closed before it was built, and it is drawn once built
            self.show_charts()
            self.redraw()
            for table in self.query(RankTable):  # a table keeps its cursor on the same key: not a new partner's
                table.move_cursor(row=0, scroll=False)
            self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False, immediate=True)

    def headings(self) -> tuple[Phrases, Phrases, Phrases]:
        """They break between phrases, never inside one."""
        return (Phrases(gap=self.tradegap.separator, id="detail-title"), Phrases(id="figures"),
                Phrases(gap=" ", id="highlights"))

    @on(SettingsChanged)
    def _walk_again(self) -> None:
        """Another year or filter: another ranking to walk (this handler runs before the base class's, which
        draws the partner again)."""
        self.codes = self.walk()

    def show_title(self, phrases: Sequence[str]) -> None:
        self.query_one("#detail-title", Phrases).say(phrases)

    def show(self, ds: Dataset) -> None:
        from tui.trade.places import comparison, history_table, monthly_table
        from tui.trade.queries import NoTradeError, partner_monthly, partner_summary

        app = self.tradegap
        state = app.state
        period = state.period
        partner = ds.partners.loc[self.code]
        try:
            s = partner_summary(ds, self.code, period)
        except NoTradeError as error:
            self.summary = None
            self.figures = None
            self.show_title([str(partner["name"]), period.label])
            self.query_one("#figures", Phrases).say([f"{error}."])  # a sentence already
            self.query_one("#highlights", Phrases).say(["Press [ or ] for another year."])
            for chart in self.query(BarChart):
                chart.show(None)
            for title in ("#chapters-title", *(f"#{name}" for name in self.CHART_TABLES)):
                for widget in self.query(title):  # the tables' titles, once mounted: of another period
                    widget.update("")  # type: ignore[attr-defined]
            for table in self.query(RankTable):  # the chapters' and, once mounted, the history's and months'
                table.set_data([], [], "year")
            self.query_one("#detail-status", StatusLine).say(period.label, str(partner["name"]), STATUS_BASIS,
                                                             releases.compact(releases.release_of(ds, period)))
            return
        self.summary = s
        figures = self.figures = comparison(ds, self.code, period)
        arrow = "->" if app.ascii else "→"
        position = self.codes.index(self.code) + 1 if self.code in self.codes else None
        where = f"{position} of {len(self.codes)} in the list" if position else ""
        self.show_title([f"{s.name} ({s.iso})", s.continent, period.label, where])
        world = "deficit" if (state.world_balance(period) or 0) < 0 else "surplus"
        from tui.views import sentence

        total = releases.us_total_label(ds, period)
        rank = f"Rank #{s.rank} of {s.ranked} by balance" if s.rank else "Unallocated: not a partner, not ranked"
        self.query_one("#figures", Phrases).say(
            [trade_line("Exports", s.exports, figures["prev_exports"]),
             trade_line("Imports", s.imports, figures["prev_imports"])],
            [f"Balance {money(s.balance, signed=True)} ({standing(s.balance)})", rank,
             f"Share {percent(s.share)} of the {total} {world}"],
            ["New partner: no figures a year earlier"] if s.new_partner else _phrases(sentence(figures, arrow)),
            *([[f"Note: {s.note}"]] if s.note else []),
        )
        lines: list[list[str]] = []
        if s.peak_deficit_year is not None:
            lines.append([f"Peak deficit of {s.peak_years}: {s.peak_deficit_year}, "
                          f"{money(s.peak_deficit, signed=True)}"])
        else:
            lines.append([f"Peak deficit of {s.peak_years}: none" if s.peak_years
                          else "Peak deficit: none (no complete year yet)"])
        lines.append([f"Balance change over 5 years {_signed(s.change_5y)},", f"over 10 years {_signed(s.change_10y)}"])
        chapter = s.biggest_chapter
        if chapter is not None and s.sector_year is not None:
            lines.append([f"Biggest chapter ({releases.sector_label(ds, s.sector_year)}):",
                          f"{int(chapter['chapter']):02d} {chapter['name']}, {money(chapter['balance'], signed=True)}"])
        if s.groups:
            lines.append(["Member of:", *[f"{group}," for group in s.groups[:-1]], s.groups[-1]])
        self.query_one("#highlights", Phrases).say(*lines)

        history = s.history
        monthly = partner_monthly(ds, self.code, last=24)
        self.query_one("#chart-balance", BarChart).show(lambda w, h: balance_history(history, selected=period))
        self.query_one("#chart-trade", BarChart).show(lambda w, h: exports_imports(history, selected=period))
        self.query_one("#chart-monthly", BarChart).show(
            (lambda w, h: monthly_balance(monthly, selected=period)) if len(monthly) else None
        )
        self.show_top_chapters(ds, s.sector_year, s.chapters, "partner")
        if self.tables:  # hidden, they are not filled: n, p, [ and ] redraw the detail
            history_rows = history_table(ds, self.code, period)
            months = year_months(period, ds.latest)
            self.query_one("#history-title", Static).update(
                f"Last {len(history_rows)} years, to {period.label} (change: on the year before; % change: of the "
                "deficit's or surplus's size)")
            self.query_one("#detail-history", RankTable).set_data(history_columns(), history_rows, "year")
            self.query_one("#months-title", Static).update(
                f"Months of {months.label}, each against the same month a year earlier")
            self.query_one("#detail-months", RankTable).set_data(month_columns(), monthly_table(ds, self.code, months),
                                                                 "month")
        self.query_one("#detail-status", StatusLine).say(
            period.label, s.name, f"balance {money(s.balance, signed=True)}", f"rank #{s.rank}" if s.rank else "",
            "h: charts" if self.tables else "h: tables", STATUS_BASIS,
            releases.compact(releases.release_of(ds, period)))

    def action_step(self, delta: int) -> None:
        self.step_in(self.codes, delta, missing=-delta if delta > 0 else 0)  # n from outside the list: its first

    def export_document(self):
        """The partner's detail as a document: figures, history, top chapters (None while loading)."""
        from tui.views import partner_detail

        ds = self.tradegap.state.dataset
        if self.summary is None or self.figures is None or ds is None:
            return None
        from tui.trade.places import history_table

        return partner_detail(ds, self.summary, self.figures,
                              history_table(ds, self.summary.code, self.summary.period))
