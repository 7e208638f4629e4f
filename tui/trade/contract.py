"""The data contract: what every shipped data file must be, checked whenever the files are parsed.

Each check is one vectorised pandas or NumPy pass (the whole contract costs
about 15 ms on the shipped data, against some 150 ms to parse the CSV
files); a parsed-frame cache that passed once is not checked again. A
failure raises DataError with one line naming the file and the check:

- schema and types: the columns the loader needs (dataset.py) and numbers
  where numbers belong (parsing fails otherwise);
- ranges: months 1 to 12, years from 1900 to the release's latest year and
  no month after it, HS chapters 1 to 99, exports and imports finite, not
  negative and at most ten trillion dollars, known partner and group kinds,
  no empty names or codes;
- keys: no duplicate code, group, chapter or (code, year[, month|chapter])
  rows, and every code, group, member and chapter referred to exists;
- completeness: at least one row in every table; WORLD has every month from
  January of the first year to the latest month, every year, and every
  chapter in every sector year; annual rows count 12 months, or the latest
  month in the latest year;
- release.json: latest_year and latest_month are whole numbers naming the
  last month WORLD has figures for, so a period is never mislabelled.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from tui.trade.periods import MONTH_ABBRS
from tui.trade.schema import GROUP_KINDS, MAX_AMOUNT_MUSD, PLACE_KINDS, RANKABLE_KINDS, RESIDUAL, WORLD, DataError

PARTNER_KINDS = frozenset((*RANKABLE_KINDS, *PLACE_KINDS, *GROUP_KINDS, "world", "product"))
FIRST_YEAR = 1900
CHAPTERS = (1, 99)


class _File:
    """Raises DataError naming one data file."""

    def __init__(self, data_dir: Path, name: str) -> None:
        self.path = Path(data_dir) / name

    def fail(self, what: str) -> DataError:
        return DataError(f"data file {self.path} is malformed: {what}")

    def require(self, ok: bool, what: str) -> None:
        if not ok:
            raise self.fail(what)

    def nowhere(self, mask: np.ndarray | pd.Series, what: str) -> None:
        """DataError saying what, and the line of the first row where mask is true, if there is one."""
        if np.asarray(mask).any():
            raise self.fail(f"{what} at {_line(mask)}")


def _line(mask: np.ndarray | pd.Series) -> str:
    """The line of the first row where mask is true (line 1 is the header)."""
    return f"line {int(np.flatnonzero(np.asarray(mask))[0]) + 2}"


def _month(year: int, month: int) -> str:
    return f"{year} {MONTH_ABBRS[month]}" if 1 <= month <= 12 else f"{year} month {month}"


def _nonblank(file: _File, frame: pd.DataFrame, columns: tuple[str, ...]) -> None:
    for column in columns:  # small tables: plain Python is quicker than pandas' string methods
        file.nowhere(np.fromiter((not str(v).strip() or v != v for v in frame[column]), bool, len(frame)),
                     f"empty {column}")


def _unique(file: _File, index: pd.Index, what: str) -> None:
    if index.has_duplicates:
        duplicated = index.duplicated()
        raise file.fail(f"{int(duplicated.sum())} duplicate {what} (first at {_line(duplicated)})")


def _release(data_dir: Path, release: object) -> tuple[int, int]:
    file = _File(data_dir, "release.json")
    if not isinstance(release, dict):
        raise file.fail("is not a JSON object")
    values: list[int] = []
    for key in ("latest_year", "latest_month"):
        value = release.get(key)
        file.require(key in release, f"no {key}")
        if not isinstance(value, int) or isinstance(value, bool):
            raise file.fail(f"{key} is not a whole number ({value!r:.40})")
        values.append(value)
    year, month = values
    file.require(1 <= month <= 12, f"latest_month {month} is not a month (1 to 12)")
    file.require(FIRST_YEAR <= year <= 9999, f"latest_year {year} is not a year the data could cover")
    file.require(isinstance(release.get("release_label", ""), str), "release_label is not text")
    return year, month


def _money(file: _File, frame: pd.DataFrame) -> None:
    exports = frame["exports"].to_numpy(dtype="float64")
    imports = frame["imports"].to_numpy(dtype="float64")
    file.nowhere(~(np.isfinite(exports) & np.isfinite(imports)), "exports or imports missing or not finite")
    trade = frame["code"].to_numpy() != RESIDUAL  # the residual is a difference, and may be negative
    file.nowhere(trade & ((exports < 0) | (imports < 0)), "negative exports or imports")
    file.nowhere((np.abs(exports) > MAX_AMOUNT_MUSD) | (np.abs(imports) > MAX_AMOUNT_MUSD),
                 "exports or imports over ten trillion dollars")


def _years(file: _File, frame: pd.DataFrame, latest: tuple[int, int], month_column: str | None) -> None:
    years = frame["year"].to_numpy()
    bad = (years < FIRST_YEAR) | (years > latest[0])
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise file.fail(f"year {years[row]} at {_line(bad)} is outside {FIRST_YEAR} to {latest[0]} (release.json)")
    if month_column is not None:
        months = frame[month_column].to_numpy()
        file.nowhere((months < 1) | (months > 12), f"{month_column} not 1 to 12")
        if month_column == "month":
            late = (years == latest[0]) & (months > latest[1])
            if late.any():
                row = int(np.flatnonzero(late)[0])
                raise file.fail(f"{_month(int(years[row]), int(months[row]))} at {_line(late)} is after the latest "
                                f"month in release.json ({_month(*latest)})")


def _codes(file: _File, frame: pd.DataFrame, column: str, known: pd.Index, what: str) -> np.ndarray:
    """Positions of frame[column] in known (unique); DataError if one is not there."""
    positions = known.get_indexer(pd.Index(frame[column]))
    missing = positions < 0
    if missing.any():
        value = frame[column].iloc[int(np.flatnonzero(missing)[0])]
        shown = f"{value!r:.40}" if isinstance(value, str) else str(value)
        raise file.fail(f"{column} {shown} at {_line(missing)} is not a known {what}")
    return positions.astype(np.int64)


def check_contract(data_dir: Path, frames: dict) -> None:
    """DataError naming the file and the check when a parsed data file breaks the contract (see above)."""
    partners, groups, members = frames["partners"], frames["groups"], frames["members"]
    chapters, annual, monthly, sectors = frames["chapters"], frames["annual"], frames["monthly"], frames["sectors"]
    for name, frame in (("partners.csv", partners), ("groups.csv", groups), ("group_members.csv", members),
                        ("chapters.csv", chapters), ("trade_annual.csv", annual), ("trade_monthly.csv", monthly),
                        ("sectors.csv", sectors)):
        _File(data_dir, name).require(len(frame) > 0, "has no rows")
    latest = _release(data_dir, frames["release"])

    file = _File(data_dir, "partners.csv")
    _nonblank(file, partners, ("code", "name", "kind"))
    partner_codes = pd.Index(partners["code"])
    _unique(file, partner_codes, "codes")
    file.nowhere(~partners["kind"].isin(PARTNER_KINDS), "unknown kind")
    file.require(WORLD in partner_codes, f"no {WORLD} row")

    file = _File(data_dir, "groups.csv")
    _nonblank(file, groups, ("code", "name"))
    group_codes = pd.Index(groups["code"])
    _unique(file, group_codes, "codes")
    file.nowhere(~groups["kind"].isin(GROUP_KINDS), f"kind not one of {', '.join(GROUP_KINDS)}")

    file = _File(data_dir, "group_members.csv")
    group_at = _codes(file, members, "group", group_codes, "group (groups.csv)")
    member_at = _codes(file, members, "member", partner_codes, "partner (partners.csv)")
    # a member may have several spans of membership (left and joined again): one row per (group, member, start)
    start = members["start"].astype(str) if "start" in members.columns else pd.Series([""] * len(members))
    spans = pd.Index([f"{g}|{m}|{s}" for g, m, s in zip(group_at, member_at, start, strict=True)])
    _unique(file, spans, "(group, member, start) rows")

    file = _File(data_dir, "chapters.csv")
    _nonblank(file, chapters, ("name",))
    chapter_numbers = pd.Index(chapters["chapter"])
    _unique(file, chapter_numbers, "chapters")
    file.nowhere((chapter_numbers < CHAPTERS[0]) | (chapter_numbers > CHAPTERS[1]),
                 f"chapter outside {CHAPTERS[0]} to {CHAPTERS[1]}")

    # the trade tables: codes known, numbers in range, one row per key
    world = partner_codes.get_loc(WORLD)
    keys = {}
    for name, frame, month_column in (("trade_annual.csv", annual, "months"), ("trade_monthly.csv", monthly, "month"),
                                      ("sectors.csv", sectors, None)):
        file = _File(data_dir, name)
        at = _codes(file, frame, "code", partner_codes, "partner (partners.csv)")
        _years(file, frame, latest, month_column)
        _money(file, frame)
        key = at * 10_000 + frame["year"].to_numpy(dtype=np.int64)
        if name == "trade_monthly.csv":
            key = key * 16 + frame["month"].to_numpy(dtype=np.int64)
            what = "(code, year, month) rows"
        elif name == "sectors.csv":
            chapter_at = _codes(file, frame, "chapter", chapter_numbers, "chapter (chapters.csv)")
            key = key * 128 + chapter_at
            what = "(code, year, chapter) rows"
        else:
            what = "(code, year) rows"
        _unique(file, pd.Index(key), what)
        keys[name] = at == world

    # completeness: WORLD every month, every year and every chapter; annual rows count their months
    first_year = int(annual["year"].min())
    is_world = keys["trade_monthly.csv"]
    world_months = np.column_stack((monthly["year"].to_numpy()[is_world], monthly["month"].to_numpy()[is_world]))
    file = _File(data_dir, "trade_monthly.csv")
    file.require(len(world_months) > 0, f"no {WORLD} rows")
    last = tuple(int(v) for v in world_months[np.lexsort((world_months[:, 1], world_months[:, 0]))[-1]])
    _File(data_dir, "release.json").require(
        last == latest, f"latest {_month(*latest)} is not the last month trade_monthly.csv has for {WORLD} "
                        f"({_month(*last)})")
    expected = (latest[0] - first_year) * 12 + latest[1]
    if len(world_months) != expected or (world_months[:, 0] < first_year).any():
        have = {(int(y), int(m)) for y, m in world_months}
        wanted = [(y, m) for y in range(first_year, latest[0] + 1) for m in range(1, 13)
                  if (y, m) <= latest and (y, m) not in have]
        gap = f"none for {_month(*wanted[0])}" if wanted else f"rows before {first_year}"
        raise file.fail(f"{WORLD} must have every month from {first_year} Jan to {_month(*latest)}: {gap}")

    file = _File(data_dir, "trade_annual.csv")
    world_years = annual["year"].to_numpy()[keys["trade_annual.csv"]]
    file.require(len(world_years) == latest[0] - first_year + 1,
                 f"{WORLD} must have every year from {first_year} to {latest[0]}")
    expected_months = np.where(annual["year"].to_numpy() == latest[0], latest[1], 12)
    months = annual["months"].to_numpy()
    # a bloc that began or ended during a year has the months it existed in that year's row
    blocs = annual["code"].isin(groups["code"]).to_numpy()
    file.nowhere(np.where(blocs, (months < 1) | (months > expected_months), months != expected_months),
                 f"months must be 12, or {latest[1]} in {latest[0]} (release.json)")

    file = _File(data_dir, "sectors.csv")
    sector_years = sectors["year"].unique()
    world_rows = int(keys["sectors.csv"].sum())
    file.require(world_rows == len(sector_years) * len(chapter_numbers),
                 f"{WORLD} must have every chapter of chapters.csv in every year ({world_rows} rows for "
                 f"{len(sector_years)} year(s) of {len(chapter_numbers)} chapters)")
