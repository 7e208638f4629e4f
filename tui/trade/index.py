"""Where each year's and each partner's rows are, and every year-to-date total: built once per dataset.

A query for one period or one partner then reads the rows it needs instead of
scanning a whole table, so its time grows with the number of partners, not
with the number of months on file:

- every code of the annual and monthly tables gets a number (its place in the
  sorted list of codes), so that two lists of codes are matched by arrays
  rather than by looking each code up;
- year to date: for each year and code, the running sums of exports and
  imports month by month (January, January-February, ...), so the totals of a
  year's first N months are one row of that year's table, by code number;
- each year's rows of the annual table, by code number;
- the rows of each code in the monthly and annual tables, and of each code and
  year in the sectors table (the tables are sorted by code).

It is computed when the dataset is parsed and kept in the parsed-frame cache
with the frames. numpy only: no pandas, no Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: (start, stop) of a block of rows
Span = tuple[int, int]
#: the order each table must be in for its index (Dataset puts a table in it when it is not)
ORDER = {"annual": ("code", "year"), "monthly": ("code", "year", "month"), "sectors": ("code", "year", "chapter")}


@dataclass(frozen=True)
class YearToDate:
    """Every code's running sums in one year, by code number: exports[m - 1, n] is code n's exports from
    January to month m, NaN when it has no row in those months (the last place stands for unknown codes)."""

    exports: np.ndarray  # shape [12, codes + 1]
    imports: np.ndarray

    def through(self, months: int) -> tuple[np.ndarray, np.ndarray]:
        """(exports, imports) of January to `months`, by code number."""
        return self.exports[months - 1], self.imports[months - 1]


@dataclass(frozen=True)
class YearTotals:
    """Every code's row of one year in the annual table, by code number (NaN: no row)."""

    exports: np.ndarray  # shape [codes + 1]
    imports: np.ndarray


@dataclass(eq=False)
class TableIndex:
    codes: np.ndarray  # object: every code of the annual and monthly tables, sorted; a code's number is its place
    numbers: dict[str, int]  # code -> number
    ytd: dict[int, YearToDate]
    annual_years: dict[int, YearTotals]  # each year's rows of the annual table, side by side (not spread over it)
    monthly_codes: dict[str, Span]
    annual_codes: dict[str, Span]
    sector_blocks: dict[tuple[str, int], Span]  # (code, year) -> rows of the sectors table
    sector_years: tuple[int, ...]  # the years with sector data, oldest first

    def monthly_rows(self, code: str) -> Span:
        return self.monthly_codes.get(code, (0, 0))

    def annual_rows(self, code: str) -> Span:
        return self.annual_codes.get(code, (0, 0))

    def sector_rows(self, code: str, year: int) -> Span:
        return self.sector_blocks.get((code, year), (0, 0))

    def numbers_of(self, codes: list[str]) -> np.ndarray:
        """The numbers of codes; len(self.codes) for a code the tables do not have."""
        missing = len(self.codes)
        return np.array([self.numbers.get(code, missing) for code in codes], dtype=np.int64)

    def flows(self, period_year: int, months: int, annual: bool) -> tuple[np.ndarray, np.ndarray] | None:
        """(exports, imports) of every code by number, NaN for a code without trade; None: no such year.

        annual: the annual table's row (a complete year); else the months' running sums through `months`."""
        if annual:
            totals = self.annual_years.get(period_year)
            return None if totals is None else (totals.exports, totals.imports)
        year = self.ytd.get(period_year)
        return None if year is None else year.through(months)


def build_index(annual: Any, monthly: Any, sectors: Any) -> TableIndex:
    """The index of the three trade tables, each sorted as ORDER says."""
    m_codes, m_years, m_months, m_exports, m_imports = _columns(monthly, ORDER["monthly"], ("exports", "imports"))
    a_codes, a_years, a_exports, a_imports = _columns(annual, ORDER["annual"], ("exports", "imports"))
    s_codes, s_years = _columns(sectors, ("code", "year"), ())
    m_starts, a_starts = _starts(m_codes), _starts(a_codes)
    codes = np.array(sorted(set(m_codes[m_starts].tolist()) | set(a_codes[a_starts].tolist())), dtype=object)
    numbers = {code: i for i, code in enumerate(codes.tolist())}
    m_numbers = np.array([numbers[c] for c in m_codes[m_starts].tolist()], dtype=np.int64)  # of each run of a code
    a_numbers = np.array([numbers[c] for c in a_codes[a_starts].tolist()], dtype=np.int64)
    a_row_numbers = a_numbers[np.searchsorted(a_starts, np.arange(len(a_codes)), side="right") - 1]
    annual_years = {}
    for year in np.unique(a_years).tolist():
        rows = np.flatnonzero(a_years == year)
        exports, imports = np.full(len(codes) + 1, np.nan), np.full(len(codes) + 1, np.nan)
        exports[a_row_numbers[rows]] = a_exports[rows]
        imports[a_row_numbers[rows]] = a_imports[rows]
        annual_years[int(year)] = YearTotals(exports, imports)
    return TableIndex(
        codes=codes,
        numbers=numbers,
        ytd=_year_to_date(len(codes), m_starts, m_numbers, m_years, m_months, m_exports, m_imports),
        annual_years=annual_years,
        monthly_codes=_spans(m_codes, m_starts),
        annual_codes=_spans(a_codes, a_starts),
        sector_blocks=_blocks(s_codes, s_years),
        sector_years=tuple(sorted(int(y) for y in np.unique(s_years))),
    )


def _columns(frame: Any, keys: tuple[str, ...], values: tuple[str, ...]) -> list[np.ndarray]:
    columns = [frame[k].to_numpy(dtype=object if k == "code" else np.int64) for k in keys]
    return columns + [frame[v].to_numpy(dtype=np.float64) for v in values]


def is_sorted(frame: Any, keys: tuple[str, ...]) -> bool:
    """Whether the frame's rows are in the order of `keys` (each key breaking the ties of the one before)."""
    columns = _columns(frame, keys, ())
    if len(frame) < 2:
        return True
    ordered = np.zeros(len(frame) - 1, dtype=bool)  # strictly before on an earlier key
    equal = np.ones(len(frame) - 1, dtype=bool)  # equal on every key so far
    for column in columns:
        previous, following = column[:-1], column[1:]
        ordered |= equal & (previous < following)
        equal &= previous == following
    return bool((ordered | equal).all())


def _starts(codes: np.ndarray) -> np.ndarray:
    """Where each run of equal codes begins."""
    if not len(codes):
        return np.empty(0, dtype=np.int64)
    return np.concatenate([[0], np.flatnonzero(codes[1:] != codes[:-1]) + 1])


def _spans(codes: np.ndarray, starts: np.ndarray) -> dict[str, Span]:
    stops = np.append(starts[1:], len(codes))
    return dict(zip(codes[starts].tolist(), zip(starts.tolist(), stops.tolist(), strict=True), strict=True))


def _blocks(*keys: np.ndarray) -> dict:
    """{key: (start, stop)} of each run of equal keys (one array: the key itself; several: a tuple)."""
    n = len(keys[0])
    if n == 0:
        return {}
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    stops = np.append(starts[1:], n)
    firsts = [k[starts].tolist() for k in keys]
    names = firsts[0] if len(keys) == 1 else list(zip(*firsts, strict=True))
    return dict(zip(names, zip(starts.tolist(), stops.tolist(), strict=True), strict=True))


def _year_to_date(count: int, code_starts: np.ndarray, code_numbers: np.ndarray, years: np.ndarray,
                  months: np.ndarray, exports: np.ndarray, imports: np.ndarray) -> dict[int, YearToDate]:
    """Running sums per (year, code), rows sorted by (code, year, month); `count` codes in all."""
    n = len(years)
    if n == 0:
        return {}
    new = np.zeros(n, dtype=bool)
    new[code_starts] = True
    new[1:] |= years[1:] != years[:-1]
    group = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    group_years = years[starts]
    group_numbers = code_numbers[np.searchsorted(code_starts, starts, side="right") - 1]
    before_first = np.arange(1, 13)[:, None] < months[starts][None, :]  # [month, group]: no row yet
    once = bool((new[1:] | (months[1:] > months[:-1])).all())  # one row per month (else: summed)
    sums = []
    for values in (exports, imports):
        table = np.zeros((12, len(starts)))
        if once:
            table[months - 1, group] = values
        else:
            np.add.at(table, (months - 1, group), values)
        np.cumsum(table, axis=0, out=table)
        table[before_first] = np.nan
        sums.append(table)
    del group, before_first
    result = {}
    for year in np.unique(group_years).tolist():
        in_year = np.flatnonzero(group_years == year)
        flows = []
        for table in sums:
            dense = np.full((12, count + 1), np.nan)
            dense[:, group_numbers[in_year]] = table[:, in_year]
            flows.append(dense)
        result[int(year)] = YearToDate(*flows)
    return result
