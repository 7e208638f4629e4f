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

from tui.trade.catalog import Catalog, Totals
from tui.trade.schema import GROUP_KINDS, WORLD
from tui.vocabulary import SORTS, VIEWS

NAN = math.nan

PARTNER_COLUMNS = ("rank", "code", "iso", "name", "continent", "exports", "imports", "balance", "prev_balance",
                   "change", "share")
GROUP_COLUMNS = ("rank", "code", "name", "kind", "source", "members", "exports", "imports", "balance",
                 "prev_balance", "change", "share")


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
) -> list[dict]:
    """Partners ranked by balance in the period whose totals are `current` (`previous`: the same months a
    year before, None for the first year).

    rank: 1 = largest deficit (largest surplus in the surplus view), counted within the rows shown. group
    restricts to a group's members; min_size keeps partners whose absolute balance is at least that many
    millions; sort reorders the rows by another column without changing the ranks.
    """
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    world = world_balance(current)
    members = set(catalog.groups[group].members) if group is not None else None
    deficits, surpluses = view != "surplus", view != "deficit"
    rows = []
    for partner in catalog.rankable:
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
        rows.append({"rank": 0, "code": code, "iso": partner.iso, "name": partner.name,
                     "continent": partner.continent, "exports": exports, "imports": imports, "balance": balance,
                     "prev_balance": prev_balance, "change": balance - prev_balance,
                     "share": balance / world * 100 if world else NAN})
    return sort_rows(_rank(rows, surplus_first=view == "surplus"), sort, descending)


def rank_groups(catalog: Catalog, current: Totals, previous: Totals | None, *,
                kinds: Iterable[str] = GROUP_KINDS) -> list[dict]:
    """Regions, Census groups and blocs ranked by balance (largest deficit first)."""
    kinds = tuple(kinds)
    world = world_balance(current)
    rows = []
    for group in catalog.groups.values():
        if group.kind not in kinds:
            continue
        figures = _measured(group.code, current, previous, world)
        if figures is None:
            continue
        rows.append({"rank": 0, "code": group.code, "name": group.name, "kind": group.kind,
                     "source": group.source, "members": len(group.members), **figures})
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
