"""The partner ranking of tui.trade.ranking, on numpy arrays: the same definition, for many partners.

tui.trade.ranking ranks in plain Python, which is fastest for the few hundred
partners of the real data (the app's every key). With tens of thousands of
partners (tradegap's data at 1000x, in the benchmarks) a loop over them
dominates, so queries.rank_partners takes this path above VECTOR_MIN
partners. Both give the same rows in the same order; tests/test_ranking_paths.py
compares them on every period, view, sort and group of the real data and of
a dataset ten times its size.

The rules, as in ranking.rank_partners: balance = exports - imports; rank 1 is
the largest deficit (the largest surplus in the surplus view), ties by name,
then by the partners file's order; a sort other than by rank reorders the
ranked rows, stable, with missing values last.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from tui.trade.catalog import Catalog
from tui.trade.index import TableIndex
from tui.trade.periods import Period
from tui.trade.ranking import PARTNER_COLUMNS, UNALLOCATED_MARK, MissingTotals
from tui.trade.schema import WORLD
from tui.vocabulary import SORTS, VIEWS

#: Above this many rankable partners, queries.rank_partners ranks with numpy.
VECTOR_MIN = 2000

#: (exports, imports) of every code in a period, by the code's number in the dataset's index (NaN: no trade)
Flows = tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Partners:
    """The rankable partners of a catalog as arrays, in the catalog's order."""

    numbers: np.ndarray  # their codes' numbers in the index (len(index.codes): a code it does not have)
    codes: pd.api.extensions.ExtensionArray  # the text columns, as the frame will hold them (made once)
    iso: pd.api.extensions.ExtensionArray
    names: pd.api.extensions.ExtensionArray
    continents: pd.api.extensions.ExtensionArray
    kinds: pd.api.extensions.ExtensionArray
    by_name: np.ndarray  # each partner's place when sorted by name (ties: the catalog's order)
    by_casefold: np.ndarray  # each partner's place among the distinct casefolded names (equal names: equal places)
    groups: dict[tuple[str, Period | None], np.ndarray]  # (group, period) -> which partners are members then


_partners: weakref.WeakKeyDictionary[TableIndex, tuple[Catalog, dict[bool, Partners]]] = weakref.WeakKeyDictionary()


def partners_of(catalog: Catalog, index: TableIndex, *, unallocated: bool = False) -> Partners:
    """The catalog's partners as arrays (with the unallocated rows after them: the "all" view), made once per
    dataset."""
    found = _partners.get(index)
    if found is None or found[0] is not catalog:
        found = _partners[index] = (catalog, {})
    made = found[1]
    if unallocated not in made:
        listed = catalog.rankable + catalog.unallocated if unallocated else catalog.rankable
        codes = [p.code for p in listed]
        names = np.array([p.name + UNALLOCATED_MARK if p.kind == "unallocated" else p.name for p in listed],
                         dtype=object)
        by_name = np.empty(len(names), dtype=np.int64)
        by_name[np.argsort(names, kind="stable")] = np.arange(len(names))
        folded = np.array([name.casefold() for name in names.tolist()], dtype=object)
        by_casefold = np.unique(folded, return_inverse=True)[1].reshape(-1) if len(folded) else np.empty(0, np.int64)
        made[unallocated] = Partners(
            numbers=index.numbers_of(codes), codes=_text(codes),
            iso=_text(["" if p.kind == "unallocated" else p.iso for p in listed]),
            names=_text(names.tolist()), continents=_text([p.continent for p in listed]),
            kinds=_text([p.kind for p in listed]), by_name=by_name, by_casefold=by_casefold, groups={},
        )
    return made[unallocated]


def _text(values: list[str]) -> pd.api.extensions.ExtensionArray:
    """Strings as a frame's text column holds them (checked once here, not at every ranking)."""
    return pd.array(values, dtype="str")


def flows_of(totals: Mapping[str, tuple[float, float]], index: TableIndex) -> Flows:
    """A totals mapping (the catalog's) by code number."""
    exports, imports = np.full(len(index.codes) + 1, np.nan), np.full(len(index.codes) + 1, np.nan)
    numbers = index.numbers_of(list(totals))
    values = np.array(list(totals.values()), dtype=np.float64).reshape(-1, 2)
    exports[numbers], imports[numbers] = values[:, 0], values[:, 1]
    exports[-1] = imports[-1] = np.nan  # the place of codes the index does not have
    return exports, imports


def world_balance(flows: Flows, index: TableIndex) -> float | None:
    number = index.numbers.get(WORLD)
    if number is None or np.isnan(flows[0][number]):
        return None
    return float(flows[0][number] - flows[1][number])


def rank_partners(catalog: Catalog, index: TableIndex, current: Flows, previous: Flows | None, *,
                  group: str | None = None, view: str = "deficit", min_size: float = 0.0, sort: str = "rank",
                  descending: bool = False, period: Period | None = None) -> pd.DataFrame:
    """ranking.rank_partners on arrays; a frame with the columns PARTNER_COLUMNS."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    world = world_balance(current, index)
    if world is None:
        raise MissingTotals(WORLD)
    partners = partners_of(catalog, index, unallocated=view == "all" and group is None)
    exports, imports = current[0][partners.numbers], current[1][partners.numbers]
    balance = exports - imports
    keep = ~np.isnan(exports)
    if group is not None:
        members = partners.groups.get((group, period))
        if members is None:
            chosen = catalog.groups[group]
            wanted = set(chosen.members_of(period) if period is not None else chosen.members)
            members = partners.groups[group, period] = np.array([code in wanted for code in partners.codes],
                                                                dtype=bool)
        keep &= members
    if view == "deficit":
        keep &= balance < 0
    elif view == "surplus":
        keep &= balance > 0
    if min_size > 0:
        keep &= np.abs(balance) >= min_size
    rows = np.flatnonzero(keep)
    if not len(rows):
        return pd.DataFrame.from_records([], columns=list(PARTNER_COLUMNS))
    balance = balance[rows]
    if previous is not None:
        before = partners.numbers[rows]
        prev_balance = previous[0][before] - previous[1][before]
    else:
        prev_balance = np.full(len(rows), np.nan)
    # by balance (largest surplus first in the surplus view), then by name, then by the catalog's order
    ranked = _order(-balance if view == "surplus" else balance, partners.by_name[rows])
    rows, balance, prev_balance = rows[ranked], balance[ranked], prev_balance[ranked]
    columns = {
        "rank": np.arange(1, len(rows) + 1),
        "exports": exports[rows], "imports": imports[rows], "balance": balance, "prev_balance": prev_balance,
        "change": balance - prev_balance,
        "share": balance / world * 100 if world else np.full(len(rows), np.nan),
    }
    order = _sorted(columns, partners.by_casefold[rows], sort, descending)
    if order is not None:
        rows = rows[order]
        columns = {name: values[order] for name, values in columns.items()}
    text = {"code": partners.codes, "iso": partners.iso, "name": partners.names, "continent": partners.continents,
            "kind": partners.kinds}
    columns.update({name: values.take(rows) for name, values in text.items()})
    return pd.DataFrame({name: columns[name] for name in PARTNER_COLUMNS}, copy=False)


def _order(key: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Positions sorted by key, equal keys by tiebreak (distinct): a lexsort, done as one sort when no key repeats."""
    order = np.argsort(key)
    ordered = key[order]
    if len(ordered) > 1 and (ordered[1:] == ordered[:-1]).any():
        return np.lexsort((tiebreak, key))
    return order


def _sorted(columns: dict[str, np.ndarray], by_casefold: np.ndarray, sort: str, descending: bool) -> np.ndarray | None:
    """The order of the ranked rows sorted by a column (ranking.sort_rows); None: as ranked."""
    if sort == "rank" and not descending:
        return None
    key = by_casefold if sort == "name" else columns[sort].astype(np.float64)
    position = np.arange(len(key))
    known = np.ones(len(key), dtype=bool) if sort == "name" else ~np.isnan(key)
    # ties keep the ranked order, in either direction (a stable sort, reversed or not)
    order = position[known][_order(-key[known] if descending else key[known], position[known])]
    return np.concatenate([order, position[~known]])
