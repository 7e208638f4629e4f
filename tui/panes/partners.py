"""The Partners tab: every partner ranked by balance, with filters and an incremental search."""

from __future__ import annotations

import math

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input

from tui.bindings import EXPORT_BINDINGS, MARK_BINDINGS, MARK_COLUMN
from tui.columns import Column, change_title, partner_columns
from tui.messages import OpenPartner
from tui.panes.base import MarkingPane, sort_labels
from tui.trade.formatting import money
from tui.trade.ranking import with_cumulative_share
from tui.trade.releases import us_total_label
from tui.vocabulary import VIEW_WORDS
from tui.widgets.status import Kept, Part
from tui.widgets.table import RankTable


def min_size_label(size: float) -> str:
    return f"|balance| >= {money(size)}" if size > 0 else ""


#: Longer than any partner's name: a paste of a page of text is cut here instead of searched letter by letter
SEARCH_MAX = 60


class SearchBox(Input):
    """The incremental search; its cursor does not blink (a blink is a redraw twice a second over SSH)."""

    BINDINGS = [
        Binding("escape", "cancel", "Clear search", id="search.cancel", tooltip="Clear the search and go back to the table"),
        Binding("down", "done", "To table", show=False, id="search.down", tooltip="Keep the search, go to the table"),
    ]

    def on_mount(self) -> None:
        self.cursor_blink = False

    def watch_value(self, value: str) -> None:
        """Filter the table as the text changes, in the same frame as the text (Input.Changed would come
        after that frame is drawn, and the rows a frame later)."""
        if self.is_mounted:
            self.screen.query_one(PartnersPane).search_changed()

    def action_cancel(self) -> None:
        self.value = ""
        self.screen.query_one(PartnersPane).end_search()

    def action_done(self) -> None:
        self.screen.query_one(PartnersPane).focus_table()


class PartnersPane(MarkingPane, Vertical):
    TABLE_ID = "partners-table"
    BINDINGS = [
        Binding("slash", "search", "Search", id="partners.search", tooltip="Search partners by name or code as you type"),
        *EXPORT_BINDINGS,  # before the filters: the footer shows them at 100 columns
        Binding("s", "cycle_sort", "Sort", id="partners.sort", tooltip="Sort by the next column"),
        Binding("S", "reverse_sort", "Reverse", show=False, id="partners.reverse", tooltip="Reverse the sort direction"),
        Binding("v", "cycle_view", "View", id="partners.view", tooltip="Show deficits, surpluses or all partners"),
        Binding("m", "cycle_min_size", "Min size", show=False, id="partners.min_size",
                tooltip="Hide partners whose balance is smaller than $100M, $1B, $10B or $50B"),
        *MARK_BINDINGS,
        Binding("escape", "clear", "Clear", show=False, id="partners.clear",
                tooltip="Clear the kept search (then the marks)"),
    ]

    def __init__(self) -> None:
        super().__init__(id="partners-pane")
        self.ranking: list[dict] | None = None  # the ranking for the current filters, before the search
        self.shown: list[dict] | None = None  # the rows on screen
        self.filtered_out: list[str] = []  # the names the search finds that the filters leave out, when none is shown
        self._shown_for: tuple | None = None

    def compose(self) -> ComposeResult:
        # the search box is mounted at the first `/`: an Input (and its style sheet) was 4 ms of the first paint
        yield RankTable(id=self.TABLE_ID)

    @property
    def search_box(self) -> SearchBox | None:
        """The search box, once `/` has been pressed."""
        boxes = self.query_children(SearchBox)
        return boxes.first() if boxes else None

    @property
    def search_text(self) -> str:
        box = self.search_box
        return box.value.strip() if box is not None else ""

    # ------------------------------------------------------------ data

    def refresh_data(self, force: bool = False) -> None:
        """Rank again only when a filter changed; the search only filters the ranking."""
        state = self.state
        s = state.settings
        width_tier = self._width_tier()
        key = (state.period, s.group, s.view, s.min_size, s.sort, s.descending)
        if force or key != self._key or self.ranking is None:
            ranking = state.current_partner_ranking()
            if self.waiting(ranking):  # a period the catalog does not list: drawn when the dataset is in
                return
            self.ranking = ranking
            self._key = key
            self._shown_for = None
        if (self._shown_for != (self._key, self.search_text, width_tier, tuple(state.marked))) or force:
            self._show(width_tier)

    def _width_tier(self) -> tuple[int, int]:
        """(extra columns shown, width of the name column) for the terminal's width."""
        width = self.app.size.width
        tier = 0 if width < 120 else 1 if width < 160 else 2
        # other columns' widths plus two cells of padding each and the scroll bar; the change column is as
        # wide as its title ("vs 2025 Jan-Aug") when that is wider than its amounts
        change = max(9, len(change_title(self.state.period)))
        others = [3, 3, 8, 8, 9, change, 6] + [12] * (tier >= 1) + [16] * (tier >= 2)
        used = sum(w + 2 for w in others) + 2 + 2
        return tier, max(14, min(34, width - used))

    def _columns(self, tier_width: tuple[int, int]) -> list[Column]:
        tier, name_width = tier_width
        period = self.state.period
        return partner_columns(change_title(period), previous=period.previous.label if tier >= 1 else None,
                               continent=tier >= 2, name_width=name_width, cumulative=True)

    def _show(self, tier: tuple[int, int]) -> None:
        rows = self.ranking or []
        if self.search_text:  # the command line's lookup: exact, alias or code, beginning, part; best first
            by_code = {r["code"]: r for r in rows}
            from tui.trade.lookup import search  # at the first search, not for the first screen

            found = search(self.state.catalog, self.search_text, groups=False)
            rows = [by_code[m.code] for m in found if m.code in by_code]
            self.filtered_out = [] if rows else [self.state.catalog.name_of(m.code) for m in found[:2]]
        else:
            self.filtered_out = []
        rows = with_cumulative_share(rows)
        self.shown = rows
        s = self.state.settings
        columns = self._columns(tier)
        if self.state.marked:
            columns = [MARK_COLUMN, *columns]
        self.table.set_data(columns, self.with_marks(rows), "code",
                            sort_labels(self.tradegap.ascii, columns, s.sort, s.descending))
        self._shown_for = (self._key, self.search_text, tier, tuple(self.state.marked))
        self.state.partner_list = [r["code"] for r in rows]
        self.update_status()

    def list_status(self) -> list[Part]:
        state = self.state
        s = state.settings
        rows = self.shown
        if rows is None:
            return []
        group = state.group_label(s.group) if s.group else "all partners"
        count = len(rows)
        total = math.fsum(r["balance"] for r in rows)
        world = state.world_balance()
        search = f"matching '{self.search_text}'" if self.search_text else ""
        if self.filtered_out:  # an empty list says why: the partner is there, but not in this view or group
            search += f": {' and '.join(self.filtered_out)} not in this list (v: all partners, G: no group)"
        sort = "" if s.sort == "rank" and not s.descending else f"by {s.sort}{' desc' if s.descending else ''}"
        return [  # the filters are said nowhere else: Kept, the last to go from a narrow line (after the basis)
            state.period.label,
            Kept(group),
            Kept(VIEW_WORDS[s.view]),  # type: ignore[index]  # settings are validated on load
            state.membership_changes(s.group) if s.group else "",
            Kept(min_size_label(s.min_size)),
            search,
            f"{count} partner{'s' if count != 1 else ''}",
            f"sum of rows {money(total, signed=True)}",
            f"{us_total_label(state.catalog, state.period)} {money(world, signed=True)}" if world is not None else "",
            sort,
        ]

    def export_document(self):
        from tui.views import WHOLE_PERIOD_ROWS, membership_changes, partners_document

        if self.shown is None:
            return None
        state = self.state
        s = state.settings
        # as the command line's `top --group` names it: which members are listed
        scope = state.catalog.groups[s.group].label(state.period) if s.group else "all partners"
        filters = ", ".join(x for x in (min_size_label(s.min_size),
                                         f"matching '{self.search_text}'" if self.search_text else "",
                                         "" if s.sort == "rank" and not s.descending else f"by {s.sort}") if x)
        what = {"deficit": "deficits", "surplus": "surpluses"}.get(s.view, "balances")
        return partners_document(self.shown, period=state.period, scope=scope, what=what,
                                 world=state.world_balance(), release=self.release(), filters=filters,
                                 total_label=us_total_label(state.catalog, state.period),
                                 changes=membership_changes(state.catalog, s.group, state.period,
                                                                  rows=WHOLE_PERIOD_ROWS))

    def on_resize(self) -> None:
        if self.ranking is not None and self._shown_for and self._shown_for[2] != self._width_tier():
            self._show(self._width_tier())

    # ------------------------------------------------------------ keys

    def request_for(self, key: str) -> OpenPartner:
        return OpenPartner(key, origin=self.screen)

    def focus_table(self) -> None:
        self.table.focus()

    async def action_search(self) -> None:
        box = self.search_box
        if box is None:
            box = SearchBox(placeholder="Search by name or code (Enter: keep, Esc: clear)", id="search",
                            max_length=SEARCH_MAX)
            await self.mount(box, before=self.table)
        box.remove_class("hidden")
        box.focus()

    def clear_search(self) -> None:
        box = self.search_box
        if box is not None:
            box.value = ""
            box.add_class("hidden")

    def end_search(self) -> None:
        box = self.search_box
        if box is not None:
            box.add_class("hidden")
        self.focus_table()
        self.refresh_data()

    def search_changed(self) -> None:
        if self.ranking is not None:
            self._show(self._width_tier())

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        box = self.search_box
        if box is not None and not self.search_text:
            box.add_class("hidden")
        self.focus_table()

    def action_clear(self) -> None:
        """Esc on the list: clear a kept search; with none, the marks."""
        if self.search_text:
            self.clear_search()
            self.refresh_data()
        else:
            self.clear_marks()

    def action_cycle_sort(self) -> None:
        self.tradegap.update_settings(**self.state.next_sort())

    def action_reverse_sort(self) -> None:
        self.tradegap.update_settings(descending=not self.state.settings.descending)

    def action_cycle_view(self) -> None:
        self.tradegap.update_settings(**self.state.next_view())

    def action_cycle_min_size(self) -> None:
        self.tradegap.update_settings(**self.state.next_min_size())

    @on(RankTable.RowHighlighted, "#partners-table")
    def _highlighted(self, event: RankTable.RowHighlighted) -> None:
        self.state.highlighted_partner = self.table.current_key
