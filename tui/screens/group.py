"""A region's or bloc's detail, as a partner's: the period next to a year earlier, rank among groups, the
balance over the years (or, with h, the history as a table), the members with their share of the group, and
the top HS chapters."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING

from textual import on
from textual.binding import Binding
from textual.widgets import Static

from tui.bindings import BACK_BINDINGS, EXPORT_BINDINGS, PERIOD_BINDINGS
from tui.columns import history_columns, member_columns
from tui.messages import ShowGroup
from tui.screens.base import PlaceScreen
from tui.screens.detail import SCROLL_BINDINGS, TABLES_BINDING, trade_line
from tui.trade.formatting import money, percent
from tui.trade.releases import us_total_label
from tui.widgets.barchart import BarChart
from tui.widgets.charts import balance_history, exports_imports
from tui.widgets.status import STATUS_BASIS, StatusLine
from tui.widgets.table import RankTable

if TYPE_CHECKING:
    from tui.trade.dataset import Dataset
    from tui.trade.places import GroupSummary


#: h on a group's detail: its history as a table (it has no months table), its members' table staying
GROUP_TABLES_BINDING = dataclasses.replace(
    TABLES_BINDING, tooltip="The history as a table (the members' table stays), or the charts again")


class GroupScreen(PlaceScreen):
    CHARTS = ("group-chart-balance", "group-chart-trade")
    TABLES = "group-tables"  # the history
    CHART_TABLES = {"group-history-title": "group-history"}
    OTHER_TABLES = {"members-title": "group-members"}
    CHAPTERS = "group-chapters"
    STATUS = "group-status"
    FIXED_TABLES = "#group-history, #group-chapters"  # Tab reaches the members, Enter opens one
    BINDINGS = [
        *BACK_BINDINGS,
        Binding("n", "step(1)", "Next", id="group.next", tooltip="The next region or bloc by balance"),
        Binding("p", "step(-1)", "Prev", id="group.previous", tooltip="The previous region or bloc by balance"),
        *PERIOD_BINDINGS,
        Binding("f", "filter", "Partners", id="group.filter",
                tooltip="The Partners list restricted to this group's members"),
        Binding("c", "chapters", "Chapters", id="group.chapters", tooltip="All HS chapters of this group (Sectors tab)"),
        GROUP_TABLES_BINDING,
        *EXPORT_BINDINGS,
        *SCROLL_BINDINGS,
    ]

    def __init__(self, code: str) -> None:
        super().__init__()
        self.code = code
        self.summary: GroupSummary | None = None
        self.tables = False

    def follow(self, code: str) -> None:
        self.code = code
        self.redraw()

    def show(self, ds: Dataset) -> None:
        from tui.trade.places import group_summary, history_table
        from tui.trade.queries import NoTradeError
        from tui.views import MEMBER_ROWS, group_rank, membership_changes, sentence

        app = self.tradegap
        state = app.state
        period = state.period
        try:
            g = self.summary = group_summary(ds, self.code, period)
        except NoTradeError as error:  # a bloc before it began, a Census series before its first year
            self.show_nothing(str(error))
            return
        figures = g.figures
        self.show_title([g.name, g.kind, f"{g.member_count} members", period.label,
                         group_rank(g, short=True)])
        standing = "deficit" if figures["balance"] < 0 else "surplus" if figures["balance"] > 0 else "balanced"
        world = "deficit" if (state.world_balance(period) or 0) < 0 else "surplus"
        self.query_one("#figures", Static).update(
            f"{trade_line('Exports', figures['exports'], figures['prev_exports'])}   "
            f"{trade_line('Imports', figures['imports'], figures['prev_imports'])}\n"
            f"Balance {money(figures['balance'], signed=True)} ({standing})   Rank {group_rank(g)}   "
            f"Share {percent(g.share)} of the {us_total_label(ds, period)} {world}\n"
            f"{sentence(figures, '->' if app.ascii else '→')}")
        changes = membership_changes(ds.catalog, self.code, period, rows=MEMBER_ROWS)
        self.query_one("#highlights", Static).update("\n".join([
            f"{g.kind.capitalize()} ({g.source}): {g.note}" if g.note else f"{g.kind.capitalize()} ({g.source})",
            *changes]))
        history = g.history
        self.query_one("#group-chart-balance", BarChart).show(lambda w, h: balance_history(history, selected=period))
        self.query_one("#group-chart-trade", BarChart).show(lambda w, h: exports_imports(history, selected=period))
        if self.tables:  # hidden, it is not filled: n, p, [ and ] redraw the detail
            history_rows = history_table(ds, self.code, period)
            self.query_one("#group-history-title", Static).update(
                f"Last {len(history_rows)} years, to {period.label} (% change: of the deficit's or surplus's size)")
            self.query_one("#group-history", RankTable).set_data(history_columns(), history_rows, "year")
        listed = f"Members at the end of {period.label}" if changes else f"Members, {period.label}"
        self.query_one("#members-title", Static).update(
            f"{listed}: share of the group's balance (Tab, then Enter opens one; f: in the Partners list)")
        self.query_one("#group-members", RankTable).set_data(member_columns(name_width=26), g.members, "code")
        self.show_top_chapters(ds, g.sector_year, g.chapters, "group")
        self.query_one("#group-status", StatusLine).say(
            period.label, g.name, f"balance {money(figures['balance'], signed=True)}", f"rank #{g.rank}",
            "h: charts" if self.tables else "h: tables", STATUS_BASIS, state.release(period))

    def show_nothing(self, why: str) -> None:
        """The period has no figures for the group: say why, and how to get to one that has."""
        from tui.trade.catalog import month_label, period_months

        state = self.tradegap.state
        period = state.period
        group = state.catalog.groups[self.code]
        self.summary = None
        self.show_title([group.name, period.label])
        began = group.since > period_months(period)[1]
        self.query_one("#figures", Static).update(
            f"{group.name} began in {month_label(group.since)}: no figures for {period.label}." if began
            else f"{why}.")
        self.query_one("#highlights", Static).update("Press [ or ] for another year.")
        for chart in self.query(BarChart):
            chart.show(None)
        for title in ("#members-title", "#chapters-title", "#group-history-title"):
            for widget in self.query(title):
                widget.update("")  # type: ignore[attr-defined]
        for table in self.query(RankTable):  # the members', the chapters' and, once mounted, the history's
            table.set_data([], [], "code")
        self.query_one("#group-status", StatusLine).say(period.label, group.name, STATUS_BASIS,
                                                        state.release(period))

    def export_document(self):
        from tui.views import group_detail

        ds = self.tradegap.state.dataset
        if self.summary is None or ds is None:
            return None
        from tui.trade.places import history_table

        return group_detail(ds, self.summary, history_table(ds, self.summary.code, self.summary.period))

    # ------------------------------------------------------------ keys

    def action_step(self, delta: int) -> None:
        ranking = self.tradegap.state.group_ranking() or []
        codes = [row["code"] for row in ranking]
        self.step_in(codes, delta)

    def action_filter(self) -> None:
        self.post_message(ShowGroup(self.code, origin=self))

    @on(RankTable.RowSelected, "#group-members")
    def _open_member(self, event: RankTable.RowSelected) -> None:
        event.stop()
        self.open_partner_in("#group-members")
