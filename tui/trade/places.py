"""Partners and groups as places: one lookup for both, their history and months as tables, a group's summary.

Money in millions of US dollars; balance = exports - imports (negative: a US
deficit). Every record here is a plain dict, as the rankings' are, so the
command line, the app and the exports show the same values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from tui.trade import ranking
from tui.trade.catalog import Totals, month_label
from tui.trade.changes import pct_change
from tui.trade.dataset import Dataset
from tui.trade.lookup import (
    LookupError_,
    NotAPartner,
    UnknownGroup,
    UnknownPartner,
    find_group,
    find_partner,
    lookup_key,
)
from tui.trade.periods import Period, PeriodError
from tui.trade.queries import (
    NoTradeError,
    chapters_of,
    group_ranking,
    partner_history,
    period_totals,
    previous_totals,
    totals_map,
)
from tui.trade.schema import WORLD
from tui.vocabulary import MAX_COMPARED  # noqa: F401  (re-exported)

NAN = math.nan


# ---------------------------------------------------------------- finding a partner or a group


@dataclass(frozen=True)
class Place:
    """A partner or a group, as a person named it."""

    code: str
    name: str
    is_group: bool
    note: str | None = None  # said besides the answer: the name is also a group's

    @property
    def kind(self) -> str:
        return "group" if self.is_group else "partner"


class UnknownPlace(LookupError_):
    """Neither a partner nor a group; said "no partner" unless a group is among the suggestions."""

    def __init__(self, query: str, suggestions: list[str], groups: bool = True):
        super().__init__("partner or group" if groups else "partner", query, suggestions)


def find_place(ds: Dataset, query: str, *, group_option: bool = False) -> Place:
    """The partner the query names, else the group; a partner and a group of the same name: the partner,
    with a note saying how to name the group (group_option: `show`'s --group; else its full name, which
    every command takes). UnknownPlace with the suggestions of both otherwise."""
    try:
        code = find_partner(ds, query)
    except NotAPartner:
        raise
    except UnknownPartner as error:
        partner_error: UnknownPartner | None = error
        code = None
    else:
        partner_error = None
    try:
        group = find_group(ds, query)
    except UnknownGroup as error:
        if code is not None:
            return Place(code, _name(ds, code), False)
        partners = partner_error.suggestions if partner_error else []
        suggestions = _best_first(query, list(dict.fromkeys(partners + error.suggestions)))[:4]
        raise UnknownPlace(query, suggestions, groups=bool(set(suggestions) - set(partners))) from None
    if code is None:
        return Place(group, _name(ds, group), True)
    name = _name(ds, group)
    note = (f"'{query}' is also a group: 'tradegap show --group {query}' shows {name}" if group_option
            else f"'{query}' is also a group: '{name}' names the group")
    return Place(code, _name(ds, code), False, note)


def _best_first(query: str, names: list[str]) -> list[str]:
    """Suggestions whose name starts as the query does first, the rest in the order given."""
    key = lookup_key(query)
    return sorted(names, key=lambda name: not lookup_key(name).startswith(key[:3]))


def _name(ds: Dataset, code: str) -> str:
    return ds.catalog.name_of(code)


def place(ds: Dataset, code: str) -> Place:
    """The place of a code (a partner's or a group's)."""
    return Place(code, _name(ds, code), code in ds.catalog.groups)


# ---------------------------------------------------------------- one place's figures


def flows_in(ds: Dataset, code: str, period: Period) -> tuple[float, float, float] | None:
    """(exports, imports, balance) of a code in the period; None when it has no figures then."""
    if period.year < ds.first_year:
        return None
    flows = totals_map(ds, period).get(code)
    if flows is None:
        return None
    return flows[0], flows[1], flows[0] - flows[1]


def comparison(ds: Dataset, code: str, period: Period) -> dict:
    """The period and the same months a year earlier side by side: exports, imports, balance of each,
    the balance's change and % change (of the deficit's or surplus's size)."""
    now = flows_in(ds, code, period)
    before = flows_in(ds, code, period.previous)
    if now is None:
        raise NoTradeError(f"No recorded trade with {_name(ds, code)} in {period.label}")
    prev = before or (NAN, NAN, NAN)
    note = ""
    group = ds.catalog.groups.get(code)
    if group is not None and group.started_in(period):
        note = (f"{group.name} began in {month_label(group.since)}, so its figures for {period.label} are "
                f"{group.months_in(period)} only")
    elif group is not None and group.started_in(period.previous):
        # a bloc's first, part year does not cover the period's months: not compared with it
        note = (f"not compared with {period.previous.label}, whose figures are {group.months_in(period.previous)} "
                f"only ({group.name} began in {month_label(group.since)})")
        prev = (NAN, NAN, NAN)
    return {
        "period": period.label, "previous_period": period.previous.label,
        "exports": now[0], "imports": now[1], "balance": now[2],
        "prev_exports": prev[0], "prev_imports": prev[1], "prev_balance": prev[2],
        "change": now[2] - prev[2], "pct_change": pct_change(now[2], prev[2]), **({"note": note} if note else {}),
    }


def history_table(ds: Dataset, code: str, period: Period, years: int = 10) -> list[dict]:
    """The last `years` rows of a place's history ending at the period's year: complete years, each
    with its change and % change on the year before; when the period is not a complete year, the last
    row is the period itself, compared with the same months a year earlier.

    Keys: year (its label), exports, imports, balance, prev_balance, change, pct_change."""
    history = partner_history(ds, code)
    full = history[(history["months"] == 12) & (history["year"] < period.year + (1 if period.is_full_year else 0))]
    by_year = {int(y): (float(e), float(i), float(b))
               for y, e, i, b in zip(full["year"], full["exports"], full["imports"], full["balance"], strict=True)}
    rows = []
    group = ds.catalog.groups.get(code)
    begun = Period(group.since // 100) if group is not None and group.since // 100 >= ds.first_year else None
    if group is not None and begun is not None and group.started_in(begun) and begun.year < period.year + (
            1 if period.is_full_year else 0):
        # a bloc's first year, which it began after January: its months, and no change (none before them)
        first = history[history["year"] == begun.year]
        if len(first):
            exports, imports, balance = (float(first[column].iloc[0]) for column in ("exports", "imports", "balance"))
            rows.append({"year": f"{begun.year} {group.months_in(begun)}", "exports": exports, "imports": imports,
                         "balance": balance, "prev_balance": NAN, "change": NAN, "pct_change": NAN})
    for year in sorted(by_year):
        exports, imports, balance = by_year[year]
        before = by_year.get(year - 1)
        prev = before[2] if before else NAN
        rows.append({"year": str(year), "exports": exports, "imports": imports, "balance": balance,
                     "prev_balance": prev, "change": balance - prev, "pct_change": pct_change(balance, prev)})
    if not period.is_full_year:
        now = flows_in(ds, code, period)
        if now is not None:
            # not compared with a bloc's first, part year (comparison)
            partial_before = group is not None and group.started_in(period.previous)
            before_flows = None if partial_before else flows_in(ds, code, period.previous)
            prev = before_flows[2] if before_flows else NAN
            rows.append({"year": period.label, "exports": now[0], "imports": now[1], "balance": now[2],
                         "prev_balance": prev, "change": now[2] - prev, "pct_change": pct_change(now[2], prev)})
    return rows[-years:]


def monthly_table(ds: Dataset, code: str, period: Period) -> list[dict]:
    """The months the period covers, one row each: month ('2026-03'), exports, imports, balance, the
    same month a year earlier (prev_balance), change and % change."""
    start, stop = ds.index.monthly_rows(code)  # the partner's own rows, not a scan of every partner's
    rows = ds.monthly.iloc[start:stop]
    rows = rows[rows["year"].isin([period.year, period.year - 1])]
    flows = {(int(y), int(m)): (float(e), float(i), float(b)) for y, m, e, i, b in
             zip(rows["year"], rows["month"], rows["exports"], rows["imports"], rows["balance"], strict=True)}
    table = []
    for month in period.month_numbers:
        now = flows.get((period.year, month))
        if now is None:
            continue
        before = flows.get((period.year - 1, month))
        prev = before[2] if before else NAN
        table.append({"month": f"{period.year}-{month:02d}", "label": Period.month(period.year, month).label,
                      "exports": now[0], "imports": now[1], "balance": now[2], "prev_balance": prev,
                      "change": now[2] - prev, "pct_change": pct_change(now[2], prev)})
    return table


def months_totals(ds: Dataset, codes: list[str], year: int, first: int, last: int) -> dict[str, tuple[float, float]]:
    """{code: (exports, imports)} summed over months first..last of a year, for the codes with figures then."""
    totals = {}
    for code in codes:
        start, stop = ds.index.monthly_rows(code)  # the code's own rows, not a scan of every code's
        rows = ds.monthly.iloc[start:stop]
        rows = rows[(rows["year"] == year) & rows["month"].between(first, last)]
        if len(rows):
            totals[code] = (float(rows["exports"].sum()), float(rows["imports"].sum()))
    return totals


# ---------------------------------------------------------------- a group


@dataclass(frozen=True)
class GroupSummary:
    """Everything a group's detail says for one period."""

    code: str
    name: str
    kind: str
    source: str
    note: str
    period: Period
    figures: dict  # comparison(): the period and a year earlier
    share: float  # of the US total balance
    rank: int  # its row in the regions and blocs list of the period (group_ranking), 1 = largest deficit
    ranked: int  # the rows of that list
    today_rows: int  # how many of them are a bloc's today's-members form ("ASEAN (today's members)")
    history: pd.DataFrame  # annual, all years
    members: list[dict]  # rank, code, iso, name, exports, imports, balance, change, share (of the group's balance)
    member_count: int
    sector_year: int | None
    chapters: pd.DataFrame | None  # top chapters by absolute balance


def group_summary(ds: Dataset, code: str, period: Period, *, chapters: int = 5) -> GroupSummary:
    """A region's or bloc's figures, rank among groups, change, history, members and top chapters."""
    group = ds.catalog.groups[code]
    if WORLD not in period_totals(ds, period).index:
        raise PeriodError(f"no data for {period.label}")
    figures = comparison(ds, code, period)
    # ranked among the rows of the regions and blocs list of the period, as it shows them (the blocs'
    # today's-members forms among them): its rank there is its row number
    groups = group_ranking(ds, period)
    row = next(r for r in groups if r["code"] == code)
    now: Totals
    before: Totals | None
    if group.started_in(period):  # its members over the months the bloc's own figures cover, and a year earlier
        first = group.since % 100
        codes = [WORLD, *group.members_of(period)]
        now, before = (months_totals(ds, codes, year, first, period.months) for year in (period.year, period.year - 1))
    else:
        now, before = totals_map(ds, period), previous_totals(ds, period)
    members = ranking.rank_partners(ds.catalog, now, before, group=code, view="all", period=period)
    total = figures["balance"]
    for member in members:
        member["share"] = member["balance"] / total * 100 if total else NAN
    sector_yr, top = chapters_of(ds, code, period.year, chapters)
    note = str(ds.groups.at[code, "note"]) if "note" in ds.groups.columns else ""
    return GroupSummary(
        code=code, name=group.name, kind=group.kind, source=group.source, note="" if note == "nan" else note,
        period=period, figures=figures, share=row["share"], rank=row["rank"], ranked=len(groups),
        today_rows=sum(r["membership"] == "today" for r in groups),
        history=partner_history(ds, code), members=members, member_count=len(group.members_of(period)),
        sector_year=sector_yr, chapters=top,
    )
