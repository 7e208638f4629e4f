"""Every question tradegap answers, as plain pandas functions of a Dataset.

Money is in millions of US dollars; balance = exports - imports, so a
negative balance is a US deficit with that partner. Shares are of the US
total balance with the world for the same period, in percent: a partner
with a deficit has a positive share of the total deficit, a partner with a
surplus a negative one, and the shares of all partners add up to 100.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from tui.trade import ranking, vector
from tui.trade.catalog import Totals
from tui.trade.dataset import Dataset
from tui.trade.periods import Period, PeriodError, parse_period  # noqa: F401  (re-exported)
from tui.trade.schema import GROUP_KINDS, RANKABLE_KINDS, WORLD
from tui.vocabulary import CHAPTER_SORTS, VIEWS, ChapterSort, View  # noqa: F401  (re-exported)
from tui.vocabulary import SORTS as PARTNER_SORT_COLUMNS  # noqa: F401  (re-exported)

FLOWS = ["exports", "imports", "balance"]


class NoTradeError(ValueError):
    """A known partner with no recorded trade in the period asked for."""


# ---------------------------------------------------------------- periods


def period_totals(ds: Dataset, period: Period) -> pd.DataFrame:
    """Exports, imports and balance of every code (partners, groups, WORLD) in the period."""
    memo_key = ("totals", period)
    if memo_key in ds._memo:
        return ds._memo[memo_key]
    listed = ds.catalog.period_totals(period)
    if listed is not None:  # the build's totals: the very figures the first screen ranked
        totals = pd.DataFrame.from_dict(dict(listed), orient="index", columns=["exports", "imports"])
        totals.index.name = "code"
    else:
        codes, exports, imports = _period_totals(ds, period)
        totals = pd.DataFrame({"exports": exports, "imports": imports}, index=pd.Index(codes, name="code"))
    totals["balance"] = totals["exports"] - totals["imports"]
    ds._memo[memo_key] = totals
    return totals


def _period_flows(ds: Dataset, period: Period) -> vector.Flows | None:
    """Every code's (exports, imports) in a period the catalog does not list, by code number (NaN: no trade),
    from the dataset's index: one row of one year's table, never a scan of a whole table; None: no such year.

    A complete year has Census's own annual columns (they carry its rounding, not the month sums'); a year
    to date is the sum of its months, read from the running sums."""
    if period.single:  # one month: the monthly table's rows of that month (a month is not a year to date)
        memo_key = ("month-flows", period)
        if memo_key not in ds._memo:
            monthly = ds.monthly
            rows = monthly[(monthly["year"] == period.year) & (monthly["month"] == period.months)]
            listed = dict(zip(rows["code"].tolist(), zip(rows["exports"].tolist(), rows["imports"].tolist(),
                                                            strict=True), strict=True))
            ds._memo[memo_key] = vector.flows_of(listed, ds.index) if listed else None
        return ds._memo[memo_key]
    latest = ds.latest
    complete_year = period.year < latest.year or latest.is_full_year
    return ds.index.flows(period.year, period.months, annual=period.is_full_year and complete_year)


def _period_totals(ds: Dataset, period: Period) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(codes, exports, imports) of the codes with trade in a period the catalog does not list, in code order."""
    flows = _period_flows(ds, period)
    if flows is None:
        return np.empty(0, dtype=object), np.empty(0), np.empty(0)
    exports, imports = flows
    numbers = np.flatnonzero(~np.isnan(exports[:-1]))
    return ds.index.codes[numbers], exports[numbers], imports[numbers]


def totals_map(ds: Dataset, period: Period) -> Totals:
    """Every code's (exports, imports) in the period, as the rankings take them."""
    listed = ds.catalog.period_totals(period)
    if listed is not None:
        return listed
    memo_key = ("totals-map", period)
    if memo_key not in ds._memo:
        codes, exports, imports = _period_totals(ds, period)
        flows = zip(exports.tolist(), imports.tolist(), strict=True)
        ds._memo[memo_key] = dict(zip(codes.tolist(), flows, strict=True))
    return ds._memo[memo_key]


def _flows(ds: Dataset, period: Period) -> vector.Flows | None:
    """A period's totals by code number (the listed ones converted, once)."""
    listed = ds.catalog.period_totals(period)
    if listed is None:
        return _period_flows(ds, period)
    memo_key = ("flows", period)
    if memo_key not in ds._memo:
        ds._memo[memo_key] = vector.flows_of(listed, ds.index)
    return ds._memo[memo_key]


def previous_totals(ds: Dataset, period: Period) -> Totals | None:
    """The totals a period's changes are measured against: the same months a year before (None in the first year)."""
    return totals_map(ds, period.previous) if period.year > ds.first_year else None


def world_totals(ds: Dataset, period: Period) -> pd.Series:
    """The US total with all partners: exports, imports, balance."""
    totals = period_totals(ds, period)
    if WORLD not in totals.index:
        raise PeriodError(f"no data for {period.label}")
    row = totals.loc[WORLD]
    assert isinstance(row, pd.Series)  # one row per code: a frame here would be a broken dataset
    return row


def _display_code(partners: pd.DataFrame) -> pd.Series:
    """ISO3 where it exists, else ISO2, else the Census code."""
    iso = partners["iso3"].where(partners["iso3"] != "", partners["iso2"])
    return iso.where(iso != "", partners["code"])


# ---------------------------------------------------------------- partners


def rank_partners(
    ds: Dataset,
    period: Period,
    *,
    group: str | None = None,
    view: View = "deficit",
    min_size: float = 0.0,
    sort: str = "rank",
    descending: bool = False,
) -> pd.DataFrame:
    """Partners ranked by balance for the period.

    rank: 1 = largest deficit (largest surplus in the surplus view), counted
    within the rows shown. group restricts to a group's members at the end of
    the period; min_size keeps partners whose absolute balance is at least
    that many millions. sort reorders the rows by another column without
    changing the ranks. The "all" view also lists unallocated trade (kind
    "unallocated"), so that its shares add up to 100. Columns: rank, code,
    iso, name, continent, exports, imports, balance, prev_balance, change,
    share, kind. The text columns are str; above vector.VECTOR_MIN partners
    they are categoricals of the same strings (the same values, records, CSV
    and JSON: see tui.trade.vector).
    """
    if len(ds.catalog.rankable) > vector.VECTOR_MIN:  # many partners: the same ranking, on arrays
        current = _flows(ds, period)
        if current is None or vector.world_balance(current, ds.index) is None:
            raise PeriodError(f"no data for {period.label}")
        previous = _flows(ds, period.previous) if period.year > ds.first_year else None
        return vector.rank_partners(ds.catalog, ds.index, current, previous, group=group, view=view,
                                    min_size=min_size, sort=sort, descending=descending, period=period)
    totals = totals_map(ds, period)
    if WORLD not in totals:
        raise PeriodError(f"no data for {period.label}")
    rows = ranking.rank_partners(ds.catalog, totals, previous_totals(ds, period), group=group,
                                 view=view, min_size=min_size, sort=sort, descending=descending, period=period)
    return pd.DataFrame.from_records(rows, columns=list(ranking.PARTNER_COLUMNS))


def shown_total(ranking: pd.DataFrame) -> pd.Series:
    """Exports, imports and balance summed over the rows of a ranking."""
    return ranking[FLOWS].sum()


def partner_history(ds: Dataset, code: str) -> pd.DataFrame:
    """A partner's (or group's) annual figures: year, months, exports, imports, balance.

    The latest year, when incomplete, has months < 12 (year to date).
    """
    start, stop = ds.index.annual_rows(code)
    return ds.annual.iloc[start:stop][["year", "months", *FLOWS]].reset_index(drop=True)


def partner_monthly(ds: Dataset, code: str, last: int | None = 24) -> pd.DataFrame:
    """A partner's monthly figures, oldest first: year, month, label ('2025-09'), flows."""
    start, stop = ds.index.monthly_rows(code)
    if last is not None:
        start = max(start, stop - last)
    rows = ds.monthly.iloc[start:stop]
    rows = rows[["year", "month", *FLOWS]].reset_index(drop=True)
    rows.insert(2, "label", [f"{y}-{m:02d}" for y, m in zip(rows["year"], rows["month"], strict=False)])
    return rows


# ---------------------------------------------------------------- groups


def group_members(ds: Dataset, group: str, period: Period | None = None) -> list[str]:
    """Codes of a group's members at the end of the period (every code ever a member when it is None)."""
    chosen = ds.catalog.groups[group]
    return list(chosen.members_of(period) if period is not None else chosen.members)


def partner_groups(ds: Dataset, code: str, period: Period | None = None) -> list[str]:
    """Codes of the groups a partner belongs to at the end of the period (ever, when it is None)."""
    return [group.code for group in ds.catalog.groups.values()
            if code in (group.members_of(period) if period is not None else group.members)]


def group_ranking(ds: Dataset, period: Period, *, kinds: tuple[str, ...] = GROUP_KINDS) -> list[dict]:
    """The regions and blocs list of the period, as records: the rows `tradegap groups` and the Regions &
    blocs tab show (today's-members forms of the blocs included), which a group's detail ranks it among."""
    totals = totals_map(ds, period)
    if WORLD not in totals:
        raise PeriodError(f"no data for {period.label}")
    return ranking.rank_groups(ds.catalog, totals, previous_totals(ds, period), kinds=kinds, period=period)


def rank_groups(ds: Dataset, period: Period, *, kinds: tuple[str, ...] = GROUP_KINDS) -> pd.DataFrame:
    """Regions, Census groups and blocs ranked by balance for the period.

    Columns: rank, code, name, kind, source, members (at the end of the
    period), exports, imports, balance, prev_balance, change, share,
    membership ("dated", "today" or "codes": see Group). A bloc has no row
    for a period before it existed.
    """
    rows = group_ranking(ds, period, kinds=kinds)
    return pd.DataFrame.from_records(rows, columns=list(ranking.GROUP_COLUMNS))


# ---------------------------------------------------------------- sectors


def sector_year(ds: Dataset, year: int) -> int:
    """The sector year to use for a period's year: itself, or the nearest one with data."""
    years = ds.sector_years
    if not years:
        raise PeriodError("the dataset has no sector data")
    if year in years:
        return year
    return min(years, key=lambda y: (abs(y - year), -y))


def _check_sector_year(ds: Dataset, year: int) -> None:
    if year not in ds.sector_years:
        raise PeriodError(f"no sector data for {year}: sectors cover {', '.join(map(str, ds.sector_years))}")


def _sector_balances(ds: Dataset, year: int, *, code: str | None = None, chapter: int | None = None) -> pd.Series:
    """Balances in a sector year, by chapter (for one code) or by code (for one chapter); empty without that year."""
    if chapter is None:
        return _sector_rows(ds, code or WORLD, year).set_index("chapter")["balance"]
    sectors = ds.sectors
    rows = sectors[(sectors["year"] == year) & (sectors["chapter"] == chapter)]
    return rows.set_index("code")["balance"]


def _sector_rows(ds: Dataset, code: str, year: int) -> pd.DataFrame:
    """A code's rows of a sector year, from the dataset's index (a slice, not a scan of the table)."""
    start, stop = ds.index.sector_rows(code, year)
    return ds.sectors.iloc[start:stop]


def sort_ranked(frame: pd.DataFrame, sort: ChapterSort = "balance", descending: bool = False) -> pd.DataFrame:
    """Rows of a ranking reordered by a column, their ranks kept; missing values last either way."""
    if sort not in CHAPTER_SORTS:
        raise ValueError(f"sort must be one of {', '.join(CHAPTER_SORTS)}")
    if sort == "balance" and not descending:
        return frame  # the ranking's own order
    by = "rank" if sort == "balance" else sort
    ascending = not descending if sort != "balance" else False
    return frame.sort_values(by, ascending=ascending, kind="stable", na_position="last").reset_index(drop=True)


def rank_chapters(ds: Dataset, year: int, code: str = WORLD, *, sort: ChapterSort = "balance",
                  descending: bool = False) -> pd.DataFrame:
    """HS chapters ranked by balance (largest deficit first) for the US, a partner or a group.

    Columns: rank, chapter, name, exports, imports, balance, change (against
    the year before; NaN when that year or the chapter is not in the data),
    share (percent of the partner's balance summed over chapters). sort
    reorders the rows by another column without changing the ranks.
    """
    _check_sector_year(ds, year)
    # on the rows' arrays: a partner has at most 99 chapters, and the frame operations (a join for the
    # names, an index for the year before, a sort) took 1.8 ms where these take a few hundred microseconds
    rows = _sector_rows(ds, code, year)
    chapters = rows["chapter"].to_numpy()
    exports, imports, balance = (rows[column].to_numpy(dtype=np.float64) for column in FLOWS)
    before = _sector_rows(ds, code, year - 1) if year - 1 in ds.sector_years else rows.iloc[:0]
    balance_before = dict(zip(before["chapter"].tolist(), before["balance"].tolist(), strict=True))
    names = _chapter_names(ds)
    total = float(rows["balance"].sum())  # in the rows' order: the same sum to the last bit
    order = np.argsort(balance, kind="stable")  # the largest deficit first; a missing balance last
    chapters, exports, imports, balance = (values.take(order) for values in (chapters, exports, imports, balance))
    listed = chapters.tolist()
    frame = pd.DataFrame({
        "rank": np.arange(1, len(listed) + 1),
        "chapter": chapters,
        "name": pd.Series([names.get(chapter, "Chapter") for chapter in listed], dtype=ds.chapters["name"].dtype),
        "exports": exports,
        "imports": imports,
        "balance": balance,
        "change": balance - np.array([balance_before.get(chapter, np.nan) for chapter in listed], dtype=np.float64),
        "share": balance / total * 100 if total else np.full(len(listed), np.nan),
    })
    return sort_ranked(frame, sort, descending)


def _chapter_names(ds: Dataset) -> dict[int, str]:
    """Each HS chapter's name, by its number (made once per dataset)."""
    if "chapter-names" not in ds._memo:
        ds._memo["chapter-names"] = dict(zip(ds.chapters.index.tolist(), ds.chapters["name"].tolist(), strict=True))
    return ds._memo["chapter-names"]


def chapters_of(ds: Dataset, code: str, year: int, n: int) -> tuple[int | None, pd.DataFrame | None]:
    """(sector year, top n chapters) of a partner or group for a period's year; (None, None) without any."""
    if not ds.sector_years:
        return None, None
    sector_yr = sector_year(ds, year)
    top = top_chapters(ds, code, sector_yr, n)
    return (None, None) if top.empty else (sector_yr, top)


def top_chapters(ds: Dataset, code: str, year: int, n: int = 5) -> pd.DataFrame:
    """A partner's n chapters with the largest balances, deficit or surplus."""
    frame = rank_chapters(ds, year, code)
    # the largest absolute balances first, equal ones in rank order (a stable sort; a missing balance last)
    order = np.argsort(-np.abs(frame["balance"].to_numpy()), kind="stable")[:n]
    return frame.take(order).reset_index(drop=True)


def chapter_partners(ds: Dataset, year: int, chapter: int, *, group: str | None = None,
                     sort: ChapterSort = "balance", descending: bool = False) -> pd.DataFrame:
    """Which partners make up one chapter's balance, largest deficit first.

    Columns: rank, code, iso, name, exports, imports, balance, change (against
    the year before, NaN when not in the data), share (of the chapter's
    US-wide balance). sort reorders the rows without changing the ranks.
    """
    _check_sector_year(ds, year)
    rows = ds.sectors[(ds.sectors["year"] == year) & (ds.sectors["chapter"] == chapter)].set_index("code")
    partners = ds.partners[ds.partners["kind"].isin(RANKABLE_KINDS)]
    if group is not None:  # the members at the end of the year: chapters are annual
        partners = partners[partners.index.isin(group_members(ds, group, Period(year)))]
    frame = rows[FLOWS].join(partners[["name"]], how="inner")
    frame.insert(0, "iso", _display_code(partners).reindex(frame.index))
    frame["change"] = frame["balance"] - _sector_balances(ds, year - 1, chapter=chapter).reindex(frame.index)
    world_balance = rows["balance"].get(WORLD, np.nan)
    frame["share"] = frame["balance"] / world_balance * 100 if world_balance else np.nan
    frame = frame.sort_values(["balance", "name"], kind="stable")
    frame.insert(0, "rank", np.arange(1, len(frame) + 1))
    frame.index.name = "code"
    return sort_ranked(frame.reset_index()[["rank", "code", "iso", "name", *FLOWS, "change", "share"]], sort,
                       descending)


# ---------------------------------------------------------------- one partner


@dataclass(frozen=True)
class PartnerSummary:
    """Everything the detail views say about one partner for one period."""

    code: str
    name: str
    census_name: str
    iso: str
    continent: str
    period: Period
    exports: float
    imports: float
    balance: float
    prev_balance: float  # NaN when the previous period has no data
    change: float
    share: float
    rank: int  # by balance among all partners, 1 = largest deficit (0 for unallocated trade: not ranked)
    ranked: int  # how many partners were ranked
    history: pd.DataFrame  # annual, all years
    peak_deficit_year: int | None
    peak_deficit: float | None
    change_5y: float | None  # balance change over 5 years, same months
    change_10y: float | None
    sector_year: int | None
    chapters: pd.DataFrame | None  # top chapters by absolute balance
    groups: list[str]  # names of the groups it belongs to at the end of the period
    note: str = ""  # what the partner's figures of the period are (a predecessor, a successor), from the data
    new_partner: bool = False  # a partner's first year, with nothing to compare with: the change is "new partner"
    kind: str = "country"

    @property
    def peak_years(self) -> str:
        """The years the peak deficit is the largest of: every complete year of the partner's ('1992-2025'),
        those after the period shown too; '' before its first complete year."""
        complete = self.history["year"].to_numpy()[self.history["months"].to_numpy() == 12]
        if not len(complete):
            return ""
        first, last = int(complete.min()), int(complete.max())
        return str(first) if first == last else f"{first}-{last}"

    @property
    def biggest_chapter(self) -> pd.Series | None:
        if self.chapters is None or self.chapters.empty:
            return None
        return self.chapters.iloc[0]


def _balance_in(ds: Dataset, code: str, period: Period) -> float | None:
    if period.year < ds.first_year:
        return None
    totals = period_totals(ds, period)
    return float(totals["balance"].loc[code]) if code in totals.index else None


def partner_summary(ds: Dataset, code: str, period: Period, *, chapters: int = 5) -> PartnerSummary:
    """One partner's figures, rank, change, share, history and highlights."""
    partner = ds.partners.loc[code]
    ranking = rank_partners(ds, period, view="all")
    found = np.flatnonzero(ranking["code"].to_numpy(dtype=object) == code)
    if not len(found):
        years = partner_history(ds, code)["year"]
        span = f"{years.min()}-{years.max()}" if len(years) else "no years"
        raise NoTradeError(f"No recorded trade with {partner['name']} in {period.label} (data for {span})")
    at = int(found[0])
    row = ranking.iloc[at]
    ranked_partner = ranking["kind"].to_numpy(dtype=object) != "unallocated"  # the rows that have a rank
    history = partner_history(ds, code)
    # the largest deficit of a complete year (the first such year, if two are equal)
    balances = history["balance"].to_numpy()
    deficit_years = np.flatnonzero((history["months"].to_numpy() == 12) & (balances < 0))
    if not len(deficit_years):
        peak_year, peak = None, None
    else:
        worst = int(deficit_years[balances.take(deficit_years).argmin()])
        peak_year, peak = int(history["year"].to_numpy()[worst]), float(balances[worst])
    changes = {}
    for years_back in (5, 10):
        then = _balance_in(ds, code, period.shifted(-years_back))
        changes[years_back] = None if then is None else float(row["balance"]) - then
    sector_yr, top = chapters_of(ds, code, period.year, chapters)
    # the groups of its time that have figures in the period (not the today's-members variants)
    totals = period_totals(ds, period)
    of_period = [group for group in partner_groups(ds, code, period)
                 if group in totals.index and not ds.catalog.groups[group].is_today]
    group_names = ds.groups["name"].reindex(of_period).dropna().tolist()
    listed = ds.catalog.partners.get(code)
    kind = str(partner["kind"])
    rank = 0 if kind == "unallocated" else int(ranked_partner[:at].sum()) + 1
    return PartnerSummary(
        code=code,
        name=str(partner["name"]),
        census_name=str(partner["census_name"]),
        iso=str(row["iso"]),
        continent=str(partner["continent"]),
        period=period,
        exports=float(row["exports"]),
        imports=float(row["imports"]),
        balance=float(row["balance"]),
        prev_balance=float(row["prev_balance"]),
        change=float(row["change"]),
        share=float(row["share"]),
        rank=rank,
        ranked=int(ranked_partner.sum()),
        history=history,
        peak_deficit_year=peak_year,
        peak_deficit=peak,
        change_5y=changes[5],
        change_10y=changes[10],
        sector_year=sector_yr,
        chapters=top,
        groups=sorted(group_names),
        note=listed.note_for(period.year) if listed is not None else "",
        new_partner=is_new_partner(ds, code, period),
        kind=kind,
    )


def is_new_partner(ds: Dataset, code: str, period: Period) -> bool:
    """A partner whose first year this is, and which is new in it: a successor state (its note says
    "New partner"), or a partner first listed after the source began itemizing every partner. Its change
    against the year before is "new partner", not a missing figure."""
    from tui.trade.releases import all_partners_from

    partner = ds.catalog.partners.get(code)
    if partner is None or partner.first_year != period.year or period.year <= ds.first_year:
        return False
    if partner.note_for(period.year).startswith("New partner"):
        return True
    itemized_from = all_partners_from(ds)
    return itemized_from is not None and period.year > itemized_from
