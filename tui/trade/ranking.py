"""The rankings, in plain Python over a period's totals: the one engine behind every ranked list.

The app's first screen ranks from the catalog's totals before pandas is
loaded; queries.rank_partners and rank_groups rank the same way from totals
pandas computed, and return frames. A ranking is a list of records (dicts)
with the columns named in PARTNER_COLUMNS / GROUP_COLUMNS; money in
millions of USD, balance = exports - imports (negative: a US deficit), share
in percent of the US total balance with the world.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from tui.trade.catalog import Catalog, Totals, month_label
from tui.trade.periods import Period
from tui.trade.schema import GROUP_KINDS, WORLD
from tui.vocabulary import SORTS, VIEWS

NAN = math.nan

PARTNER_COLUMNS = ("rank", "code", "iso", "name", "continent", "exports", "imports", "balance", "prev_balance",
                   "change", "share", "kind")
GROUP_COLUMNS = ("rank", "code", "name", "kind", "source", "members", "exports", "imports", "balance",
                 "prev_balance", "change", "share", "membership")

#: how a ranking row of unallocated trade is marked (its name is followed by it)
UNALLOCATED_MARK = " (unallocated)"


class MissingTotals(LookupError):
    """The totals of the period (or of the world in it) are not there."""


def world_balance(current: Totals) -> float:
    flows = current.get(WORLD)
    if flows is None:
        raise MissingTotals(WORLD)
    return flows[0] - flows[1]


def _measured(code: str, current: Totals, previous: Totals | None, world: float) -> dict | None:
    """exports, imports, balance, prev_balance, change and share of one code; None without trade."""
    flows = current.get(code)
    if flows is None:
        return None
    exports, imports = flows
    balance = exports - imports
    before = previous.get(code) if previous is not None else None
    prev_balance = before[0] - before[1] if before is not None else NAN
    return {
        "exports": exports, "imports": imports, "balance": balance, "prev_balance": prev_balance,
        "change": balance - prev_balance, "share": balance / world * 100 if world else NAN,
    }


def _rank(rows: list[dict], *, surplus_first: bool = False) -> list[dict]:
    """By balance (deficits first, or surpluses first), then by name; numbered from 1."""
    rows.sort(key=lambda row: row["name"])
    rows.sort(key=lambda row: row["balance"], reverse=surplus_first)
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows


def sort_rows(rows: list[dict], sort: str, descending: bool) -> list[dict]:
    """Reorder ranked rows by a column without re-ranking; missing values last in either direction."""
    if sort == "rank" and not descending:
        return rows
    if sort == "name":
        return sorted(rows, key=lambda row: row["name"].casefold(), reverse=descending)
    known = [row for row in rows if not math.isnan(row[sort])]
    missing = [row for row in rows if math.isnan(row[sort])]
    return sorted(known, key=lambda row: row[sort], reverse=descending) + missing


def rank_partners(
    catalog: Catalog,
    current: Totals,
    previous: Totals | None,
    *,
    group: str | None = None,
    view: str = "deficit",
    min_size: float = 0.0,
    sort: str = "rank",
    descending: bool = False,
    period: Period | None = None,
) -> list[dict]:
    """Partners ranked by balance in the period whose totals are `current` (`previous`: the same months a
    year before, None for the first year).

    rank: 1 = largest deficit (largest surplus in the surplus view), counted within the rows shown. group
    restricts to a group's members at the end of `period` (every code ever a member when it is None);
    min_size keeps partners whose absolute balance is at least that many millions; sort reorders the rows
    by another column without changing the ranks. The "all" view also lists the trade no partner is
    credited with (kind "unallocated", its name marked so), so that its shares add up to 100%.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    world = world_balance(current)
    members = None
    if group is not None:
        chosen = catalog.groups[group]
        members = set(chosen.members_of(period) if period is not None else chosen.members)
    deficits, surpluses = view != "surplus", view != "deficit"
    listed = catalog.rankable + catalog.unallocated if view == "all" and members is None else catalog.rankable
    rows = []
    for partner in listed:
        code = partner.code
        flows = current.get(code)
        if flows is None or (members is not None and code not in members):
            continue
        exports, imports = flows
        balance = exports - imports
        if not ((deficits and balance < 0) or (surpluses and balance > 0) or (deficits and surpluses)):
            continue
        if min_size > 0 and not abs(balance) >= min_size:
            continue
        before = previous.get(code) if previous is not None else None
        prev_balance = before[0] - before[1] if before is not None else NAN
        unallocated = partner.kind == "unallocated"
        rows.append({"rank": 0, "code": code, "iso": "" if unallocated else partner.iso,
                     "name": partner.name + UNALLOCATED_MARK if unallocated else partner.name,
                     "continent": partner.continent, "exports": exports, "imports": imports, "balance": balance,
                     "prev_balance": prev_balance, "change": balance - prev_balance,
                     "share": balance / world * 100 if world else NAN, "kind": partner.kind})
    return sort_rows(_rank(rows, surplus_first=view == "surplus"), sort, descending)


def rank_groups(catalog: Catalog, current: Totals, previous: Totals | None, *,
                kinds: Iterable[str] = GROUP_KINDS, period: Period | None = None) -> list[dict]:
    """Regions, Census groups and blocs ranked by balance (largest deficit first).

    members: how many members the group has at the end of `period` (every code ever a member when it is
    None). A group that only began during the period is named with its first month ("BRICS (from Jun
    2009)"): its figures cover the months since. A group without figures in the period (a bloc before it
    existed) has no row."""
    kinds = tuple(kinds)
    world = world_balance(current)
    rows = []
    for group in catalog.groups.values():
        if group.kind not in kinds:
            continue
        # a bloc's first, part year is not compared with the next one's months (places.comparison)
        partial_before = period is not None and group.started_in(period.previous)
        figures = _measured(group.code, current, None if partial_before else previous, world)
        if figures is None:
            continue
        name, members = group.name, group.members
        if period is not None:
            members = group.members_of(period)
            if group.started_in(period):
                name = f"{name} (from {month_label(group.since)})"
        rows.append({"rank": 0, "code": group.code, "name": name, "kind": group.kind,
                     "source": group.source, "members": len(members), **figures, "membership": group.membership})
    return _rank(rows)


def with_cumulative_share(rows: Iterable[dict]) -> list[dict]:
    """The rows (copies) with cum_share: the running sum of their shares, in the order given."""
    total = 0.0
    result = []
    for row in rows:
        share = row.get("share", NAN)
        total += 0.0 if math.isnan(share) else share
        result.append({**row, "cum_share": total})
    return result


def shown_total(rows: Iterable[dict]) -> dict[str, float]:
    """Exports, imports and balance summed over the rows of a ranking."""
    rows = list(rows)
    return {flow: math.fsum(row[flow] for row in rows) for flow in ("exports", "imports", "balance")}
