"""What the explorer shows, in one place: plain Python, testable without a terminal.

The app owns one ExplorerState. Keys and messages change it through the
app, which then tells the screens (tui.messages.SettingsChanged,
DatasetLoaded); screens and panes read it to draw. Rankings come from the
catalog's totals until the full dataset is loaded, and from the dataset
after: the same engine (tui.trade.ranking) either way.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING

from tui.settings import Settings, check_settings
from tui.trade import ranking, releases
from tui.trade.catalog import Catalog, Totals
from tui.trade.periods import Period, parse_period
from tui.trade.schema import WORLD
from tui.vocabulary import CHAPTER_SORTS, FIRST_DESCENDING, SORTS, VIEWS, ChapterSort, next_in, next_min_size

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
        """The period `delta` steps from the current one in the list of periods; None at either end."""
        periods = self.periods
        current = self.period
        index = periods.index(current) if current in periods else len(periods) - 1
        target = max(0, min(len(periods) - 1, index + delta))
        return None if target == index else periods[target]

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
        return {key: value for key, value in asdict(Settings()).items() if key not in ("theme", "tab")}

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
        for their months only), else ''."""
        period = period or self.period
        return f"members changed during {period.label}" if self.catalog.groups[code].changes_in(period) else ""

    def release(self, period: Period | None = None) -> str:
        """The release the figures of the period come from, as a status line names it."""
        return releases.compact(releases.release_of(self.catalog, period or self.period))
