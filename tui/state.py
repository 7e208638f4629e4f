"""What the explorer shows, in one place: plain Python, testable without a terminal.

The app owns one ExplorerState. Keys and messages change it through the
app, which then tells the screens (tui.messages.SettingsChanged,
DatasetLoaded); screens and panes read it to draw. Rankings come from the
catalog's totals until the full dataset is loaded, and from the dataset
after: the same engine (tui.trade.ranking) either way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.settings import Settings, check_settings
from tui.trade import ranking, releases
from tui.trade.catalog import Catalog, Totals, month_label
from tui.trade.periods import Period, parse_period
from tui.trade.schema import WORLD
from tui.vocabulary import (
    CHAPTER_SORTS,
    FIRST_DESCENDING,
    MAX_COMPARED,
    MIN_COMPARED,
    SORTS,
    VIEWS,
    ChapterSort,
    next_in,
    next_min_size,
)

if TYPE_CHECKING:
    from tui.trade.dataset import Dataset


class ExplorerState:
    """The dataset, the remembered filters and what the screens share besides them."""

    def __init__(self, catalog: Catalog, settings: Settings | None = None, dataset: Dataset | None = None) -> None:
        self.catalog = catalog
        self.dataset = dataset
        self.settings, self.settings_notice = check_settings(settings or Settings(), catalog)
        self.partner_list: list[str] = []  # the Partners list as shown (filters, sort, search): what n/p walk
        self.highlighted_partner: str | None = None  # the Partners list's cursor row
        self.sector_scope: str | None = None  # a partner or group chosen for the Sectors tab
        self.sector_sort: ChapterSort = "balance"  # the Sectors tab's order (s, S), kept while the app runs
        self.sector_descending = False
        self.periods: list[Period] = catalog.periods()
        self.marked: list[str] = []  # partners and groups marked (Space) for Compare, in the order marked

    def replace_data(self, catalog: Catalog, dataset: Dataset | None) -> None:
        """A newer dataset (an update from Census): the settings kept where they still fit."""
        self.catalog, self.dataset = catalog, dataset
        self.periods = catalog.periods()
        self.settings, _notice = check_settings(self.settings, catalog)

    # ------------------------------------------------------------ the period

    @property
    def period(self) -> Period:
        return parse_period(self.catalog, self.settings.period)

    def period_setting(self, period: Period) -> str:
        """How a period is saved: "latest" for the newest, so that it follows new data."""
        return "latest" if period == self.catalog.latest else period.key

    def stepped_period(self, delta: int) -> Period | None:
        """The period `delta` steps from the current one in the list of periods; None at either end.

        From a single month, the month `delta` months away (up to the latest month)."""
        current = self.period
        if current.single:
            return self._stepped_month(current, delta)
        periods = self.periods
        index = periods.index(current) if current in periods else len(periods) - 1
        target = max(0, min(len(periods) - 1, index + delta))
        return None if target == index else periods[target]

    def _stepped_month(self, month: Period, delta: int) -> Period | None:
        latest = self.catalog.latest
        index = month.year * 12 + month.months - 1 + delta
        year, number = divmod(index, 12)
        target = Period.month(year, number + 1)
        if year < self.catalog.first_year or (year, number + 1) > (latest.year, latest.months):
            return None
        return target

    def month_periods(self) -> list[Period]:
        """Every single month with data, the newest first."""
        latest = self.catalog.latest
        months = []
        for year in range(latest.year, self.catalog.first_year - 1, -1):
            last = latest.months if year == latest.year else 12
            months += [Period.month(year, month) for month in range(last, 0, -1)]
        return months

    def year_to_date_periods(self) -> list[Period]:
        """The years to date of the latest year (January, Jan-Feb, ...), and the latest one's months a year before."""
        latest = self.catalog.latest
        if latest.is_full_year:
            return []
        periods = [Period(latest.year, months) for months in range(latest.months - 1, 0, -1)]
        return periods + [latest.previous] if latest.year > self.catalog.first_year else periods

    # ------------------------------------------------------------ what is shown at the start

    def restored_notice(self, ascii: bool = False) -> str | None:
        """One line when the saved filters are not the defaults: what was restored, and the keys back."""
        s, default = self.settings, Settings()
        parts, keys = [], []
        if s.period != default.period:
            parts.append(self.period.label)
            keys.append("l latest")
        if s.group is not None and s.group in self.catalog.groups:
            parts.append(self.catalog.group_name(s.group))
            keys.append("G all partners")
        if s.view != default.view:
            parts.append({"surplus": "surpluses", "all": "all balances"}.get(s.view, s.view))
            keys.append("v view")
        if s.min_size != default.min_size:
            from tui.trade.formatting import money

            parts.append(f"|balance| >= {money(s.min_size)}")
            keys.append("m size")
        if not parts:
            return None
        separator, dash = (" | ", " - ") if ascii else (" · ", " — ")
        return f"Restored {separator.join(parts)}{dash}{', '.join(keys)}"

    # ------------------------------------------------------------ partners and groups marked for Compare

    def toggle_mark(self, code: str) -> bool | None:
        """Mark or unmark a partner or group: True marked, False unmarked, None when 6 are marked already."""
        if code in self.marked:
            self.marked.remove(code)
            return False
        if len(self.marked) >= MAX_COMPARED:
            return None
        self.marked.append(code)
        return True

    def too_few_marked(self) -> str | None:
        """Why the marks cannot be compared yet (one marked: Compare takes two to six), else None."""
        if 0 < len(self.marked) < MIN_COMPARED:
            return f"Compare takes {MIN_COMPARED} to {MAX_COMPARED}: mark another partner or group with Space, then c"
        return None

    def clear_marks(self) -> bool:
        """Unmark everything; whether anything was marked."""
        had = bool(self.marked)
        self.marked = []
        return had

    # ------------------------------------------------------------ changing the settings

    def changed(self, **changes: object) -> Settings:
        """The settings with these changes (not applied)."""
        return self.settings.changed(**changes)

    def apply(self, new: Settings) -> Settings | None:
        """Make `new` the settings; the old ones when anything changed, else None."""
        old = self.settings
        if new == old:
            return None
        if new.group != old.group:
            self.sector_scope = None
        self.settings = new
        return old

    def next_sort(self) -> dict:
        sort = next_in(SORTS, self.settings.sort)
        return {"sort": sort, "descending": FIRST_DESCENDING[sort]}

    def next_view(self) -> dict:
        return {"view": next_in(VIEWS, self.settings.view)}

    def next_min_size(self) -> dict:
        return {"min_size": next_min_size(self.settings.min_size)}

    @staticmethod
    def reset_changes() -> dict:
        """Back to the latest period, all partners, deficits, by rank (the tab and theme stay)."""
        return {key: value for key, value in Settings()._asdict().items() if key not in ("theme", "tab")}

    # ------------------------------------------------------------ figures

    def totals(self, period: Period) -> Totals | None:
        """Every code's flows in the period: from the catalog, else the dataset; None until it is loaded."""
        listed = self.catalog.period_totals(period)
        if listed is not None:
            return listed
        if self.dataset is None:
            return None
        from tui.trade.queries import totals_map

        return totals_map(self.dataset, period)

    def _with_previous(self, period: Period) -> tuple[Totals, Totals | None] | None:
        current = self.totals(period)
        if current is None:
            return None
        if period.year <= self.catalog.first_year:
            return current, None
        previous = self.totals(period.previous)
        return None if previous is None else (current, previous)

    def partner_ranking(self, period: Period | None = None, **filters: object) -> list[dict] | None:
        """The Partners ranking (records); None when it needs the dataset, which is not loaded yet. A group
        filter lists the group's members at the end of the period."""
        period = period or self.period
        totals = self._with_previous(period)
        if totals is None:
            return None
        return ranking.rank_partners(self.catalog, *totals, period=period, **filters)  # type: ignore[arg-type]

    def current_partner_ranking(self) -> list[dict] | None:
        """The Partners ranking for the settings as they are."""
        s = self.settings
        return self.partner_ranking(group=s.group, view=s.view, min_size=s.min_size, sort=s.sort,
                                    descending=s.descending)

    def group_ranking(self, period: Period | None = None) -> list[dict] | None:
        period = period or self.period
        totals = self._with_previous(period)
        return None if totals is None else ranking.rank_groups(self.catalog, *totals, period=period)

    def all_partner_codes(self) -> list[str]:
        rows = self.partner_ranking(view="all")
        return [row["code"] for row in rows] if rows is not None else []

    def world_balance(self, period: Period | None = None) -> float | None:
        totals = self.totals(period or self.period)
        if totals is None or WORLD not in totals:
            return None
        return ranking.world_balance(totals)

    # ------------------------------------------------------------ the Sectors tab's scope

    @property
    def sectors_scope(self) -> str:
        """Whose chapters the Sectors tab shows: a chosen partner or group, else the group filter, else the US."""
        return self.sector_scope or self.settings.group or WORLD

    def sector_scope_choices(self) -> list[str]:
        choices = [WORLD]
        for code in (self.settings.group, self.highlighted_partner, self.sector_scope):
            if code and code not in choices:
                choices.append(code)
        return choices

    def cycle_sector_scope(self) -> None:
        self.sector_scope = next_in(tuple(self.sector_scope_choices()), self.sectors_scope)

    def reset_sectors(self) -> None:
        """The Sectors tab back to the US total (or the group filter), ranked by balance."""
        self.sector_scope = None
        self.sector_sort, self.sector_descending = "balance", False

    def cycle_sector_sort(self) -> None:
        """The Sectors tab sorted by the next column, in that column's first direction."""
        self.sector_sort = next_in(CHAPTER_SORTS, self.sector_sort)
        self.sector_descending = FIRST_DESCENDING[self.sector_sort]

    def reverse_sector_sort(self) -> None:
        self.sector_descending = not self.sector_descending

    def scope_name(self, code: str) -> str:
        return "US total" if code == WORLD else self.catalog.name_of(code)

    def group_label(self, code: str, period: Period | None = None) -> str:
        """A group as a list of its members names it: "ASEAN (members of Dec 2016)", "ASEAN (today's members)"."""
        return self.catalog.groups[code].label(period or self.period)

    def membership_changes(self, code: str, period: Period | None = None) -> str:
        """'members changed during 2016' when some joined or left during the period (its figures count them
        for their months only), 'began Jun 2009' when the group itself began during it, else ''."""
        period = period or self.period
        group = self.catalog.groups[code]
        if group.started_in(period):
            return f"began {month_label(group.since)}"
        return f"members changed during {period.label}" if group.changes_in(period) else ""

    def release(self, period: Period | None = None) -> str:
        """The release the figures of the period come from, as a status line names it."""
        return releases.compact(releases.release_of(self.catalog, period or self.period))
