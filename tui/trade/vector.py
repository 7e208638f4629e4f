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

The frame's text columns (code, iso, name, continent, kind) are categoricals
of the same strings, their categories sorted as strings sort: a ranking then
takes each partner's small integer codes instead of a string object per row
(at 100,000 rows, touching that many strings spread over memory costs more
than the sort). Their values, and the frame's records, CSV and JSON, are the
plain-Python path's (tests/test_ranking_paths.py checks both).

Time: one sort of the rows shown by balance (n log n: over half of a
ranking's time at 100,000 rows; see _packed_order), the rest passes over arrays; the partners
are held in the order of their codes' numbers in the index, so that a
period's flows are read for them forward through memory.
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


#: the ranking's text columns, in the order of PARTNER_COLUMNS
TEXT_COLUMNS = ("code", "iso", "name", "continent", "kind")


@dataclass(frozen=True)
class Text:
    """One text column of the partners, as a categorical's parts: each partner's value as a code into the
    column's distinct values, sorted as strings sort (codes None: the partners' own places are their codes)."""

    codes: np.ndarray | None
    dtype: pd.CategoricalDtype

    def of(self, rows: np.ndarray) -> pd.Categorical:
        """The values of the partners at these places, without reading a string."""
        return pd.Categorical.from_codes(rows if self.codes is None else self.codes.take(rows), dtype=self.dtype,
                                         validate=False)


@dataclass(frozen=True)
class Partners:
    """The rankable partners of a catalog as arrays, in the order of their codes' numbers in the index (a
    period's flows are then read for them forward through memory)."""

    numbers: np.ndarray  # their codes' numbers in the index, ascending (a code it does not have never trades: left out)
    codes: list[str]  # in that order
    text: dict[str, Text]  # the text columns of TEXT_COLUMNS
    by_name: np.ndarray  # each partner's place when sorted by name (ties: the catalog's order)
    by_casefold: np.ndarray  # each partner's place among the distinct casefolded names (equal names: equal places)
    groups: dict[tuple[str, Period | None], np.ndarray]  # (group, period) -> which partners are members then


_partners: weakref.WeakKeyDictionary[TableIndex, tuple[Catalog, dict[bool, Partners]]] = weakref.WeakKeyDictionary()


def partners_of(catalog: Catalog, index: TableIndex, *, unallocated: bool = False) -> Partners:
    """The catalog's partners as arrays (with the unallocated rows: the "all" view), made once per dataset."""
    found = _partners.get(index)
    if found is None or found[0] is not catalog:
        found = _partners[index] = (catalog, {})
    made = found[1]
    if unallocated not in made:
        listed = catalog.rankable + catalog.unallocated if unallocated else catalog.rankable
        names = np.array([p.name + UNALLOCATED_MARK if p.kind == "unallocated" else p.name for p in listed],
                         dtype=object)
        by_name = np.empty(len(names), dtype=np.int64)  # in the catalog's order, which breaks ties of names
        by_name[alphabetical := np.argsort(names, kind="stable")] = np.arange(len(names))
        folded = np.array([name.casefold() for name in names.tolist()], dtype=object)
        by_casefold = np.unique(folded, return_inverse=True)[1].reshape(-1) if len(folded) else np.empty(0, np.int64)
        numbers = index.numbers_of([p.code for p in listed])
        # in the order of their numbers; a code the index does not have has no trade, and no place in a ranking
        arranged = np.argsort(numbers, kind="stable")[: int(np.count_nonzero(numbers < len(index.codes)))]
        order = arranged.tolist()
        columns = {"code": [p.code for p in listed], "iso": ["" if p.kind == "unallocated" else p.iso for p in listed],
                   "name": names.tolist(), "continent": [p.continent for p in listed], "kind": [p.kind for p in listed]}
        columns = {name: [values[i] for i in order] for name, values in columns.items()}
        text = {name: _text(columns[name]) for name in TEXT_COLUMNS if name != "name"}
        text["name"] = _sorted_text(names, alphabetical, arranged)
        made[unallocated] = Partners(
            numbers=numbers[arranged], codes=columns["code"], text={name: text[name] for name in TEXT_COLUMNS},
            by_name=by_name[arranged], by_casefold=by_casefold[arranged], groups={},
        )
    return made[unallocated]


def _text(values: list[str]) -> Text:
    """A text column of the partners (in their order in Partners) as a Text."""
    if all(a < b for a, b in zip(values, values[1:], strict=False)):  # distinct and sorted: the codes (index order)
        return _made(np.array(values, dtype=object), None)
    codes, distinct = pd.factorize(np.array(values, dtype=object), sort=True)
    return _made(distinct, codes)


def _sorted_text(values: np.ndarray, alphabetical: np.ndarray, arranged: np.ndarray) -> Text:
    """A text column from its values (object array) and the order that sorts them: no second sort."""
    ordered = values[alphabetical]
    first = np.ones(len(ordered), dtype=bool)  # the first of each run of equal values
    first[1:] = ordered[1:] != ordered[:-1]
    codes = np.empty(len(values), dtype=np.int64)
    codes[alphabetical] = np.cumsum(first) - 1
    return _made(ordered[first], codes[arranged])


def _made(distinct: np.ndarray, codes: np.ndarray | None) -> Text:
    dtype = pd.CategoricalDtype(pd.Index(distinct, dtype="str"))
    if codes is not None:  # in the type a categorical keeps them in (a ranking then takes them as they are)
        codes = pd.Categorical.from_codes(codes, dtype=dtype).codes.copy()
    return Text(codes, dtype)


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
    """ranking.rank_partners on arrays; a frame with the columns PARTNER_COLUMNS (the text ones categorical)."""
    if view not in VIEWS:
        raise ValueError(f"view must be one of {', '.join(VIEWS)}")
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {', '.join(SORTS)}")
    world = world_balance(current, index)
    if world is None:
        raise MissingTotals(WORLD)
    partners = partners_of(catalog, index, unallocated=view == "all" and group is None)
    exports, imports = current[0].take(partners.numbers), current[1].take(partners.numbers)
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
    rows = np.flatnonzero(keep)  # ascending: what is read for them below is read forward
    if not len(rows):
        return pd.DataFrame.from_records([], columns=list(PARTNER_COLUMNS))
    exports, imports, balance = exports.take(rows), imports.take(rows), balance.take(rows)
    if previous is not None:
        before = partners.numbers.take(rows)
        prev_balance = previous[0].take(before) - previous[1].take(before)
    else:
        prev_balance = np.full(len(rows), np.nan)
    # by balance (largest surplus first in the surplus view), then by name, then by the catalog's order
    surplus = view == "surplus"
    ranked, key = _order(-balance if surplus else balance, partners.by_name, rows)
    balance = -key if surplus else key
    exports, imports, prev_balance, rows = (values.take(ranked) for values in (exports, imports, prev_balance, rows))
    columns = {
        "rank": np.arange(1, len(rows) + 1),
        "exports": exports, "imports": imports, "balance": balance, "prev_balance": prev_balance,
        "change": balance - prev_balance,
        "share": balance / world * 100 if world else np.full(len(rows), np.nan),
    }
    order = _sorted(columns, partners.by_casefold, rows, sort, descending)
    if order is not None:
        rows = rows[order]
        columns = {name: values[order] for name, values in columns.items()}
    columns.update({name: text.of(rows) for name, text in partners.text.items()})
    return pd.DataFrame({name: columns[name] for name in PARTNER_COLUMNS}, copy=False)


def _order(key: np.ndarray, tiebreak: np.ndarray, rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Positions sorted by key, equal keys by tiebreak (or tiebreak[rows]; distinct), and the key in that order:
    one sort (of packed keys when the keys are floats: _packed_order), and a lexsort only when the keys read
    back in that order are not strictly increasing (a tie, float keys a hair apart, or NaN)."""
    order = _packed_order(key)
    if order is None:
        order = np.argsort(key)
    ordered = key.take(order)
    if len(ordered) > 1 and not (ordered[1:] > ordered[:-1]).all():
        order = np.lexsort((tiebreak if rows is None else tiebreak.take(rows), key))
        ordered = key.take(order)
    return order, ordered


def _packed_order(key: np.ndarray) -> np.ndarray | None:
    """The positions that sort float keys, from one sort of values, except that keys closer than
    2**(b - 52) of their size (b: the bits of the largest position, 17 at 100,000 keys) may come in the
    order of their positions; None for keys that are not float64, fewer than two, or more than 2**24.

    Each key becomes an int64 that sorts as the float does (a negative float's other bits reversed), its
    low b bits replaced by the key's position. Sorting those values moves 8 bytes per element where
    np.argsort moves 16: at 100,000 partners the ranking's order took about a sixth less time (the sort is
    over half of a ranking there). Keys that the cut merged are out of order, or tied, when read back."""
    count = len(key)
    bits = max(1, (count - 1).bit_length())
    if key.dtype != np.float64 or count < 2 or bits > 24:
        return None
    packed = key.view(np.int64)
    packed = np.where(packed < 0, packed ^ np.int64(0x7FFF_FFFF_FFFF_FFFF), packed)  # a copy: key is unchanged
    packed >>= bits
    packed <<= bits
    packed |= np.arange(count, dtype=np.int64)
    packed.sort()
    packed &= np.int64((1 << bits) - 1)
    return packed


def _sorted(columns: dict[str, np.ndarray], by_casefold: np.ndarray, rows: np.ndarray, sort: str,
            descending: bool) -> np.ndarray | None:
    """The order of the ranked rows sorted by a column (ranking.sort_rows); None: as ranked."""
    if sort == "rank" and not descending:
        return None
    key = by_casefold[rows] if sort == "name" else columns[sort].astype(np.float64)
    position = np.arange(len(key))
    known = np.ones(len(key), dtype=bool) if sort == "name" else ~np.isnan(key)
    # ties keep the ranked order, in either direction (a stable sort, reversed or not)
    order = position[known][_order(-key[known] if descending else key[known], position[known])[0]]
    return np.concatenate([order, position[~known]])
