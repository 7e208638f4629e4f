"""Loading the shipped dataset, with a parsed-frame cache.

The tidy CSV files in data/ are parsed once and the frames pickled into the
platform cache directory. The cache key is made of the data files' names,
sizes and modification times plus a format version, so any change to a data
file (or to this loader's format) invalidates it. A cache that cannot be
read is ignored and rebuilt; a cache directory that cannot be written is
simply not used.
"""

from __future__ import annotations

import json
import os
import pickle
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from tui.trade import releases
from tui.trade.catalog import Catalog, Group, Partner, load_catalog
from tui.trade.contract import check_contract
from tui.trade.index import ORDER, TableIndex, build_index, is_sorted
from tui.trade.periods import Period, available_periods
from tui.trade.schema import (  # noqa: F401  (re-exported: the names the loader's users know)
    DATA_FILES,
    GROUP_KINDS,
    PLACE_KINDS,
    RANKABLE_KINDS,
    WORLD,
    DataError,
    check_readable,
    data_key,
)

#: Bump when the parsed layout or the data check changes, so old caches are not reused: a cache holds
#: only data that passed the check of its time (6: amounts over ten trillion dollars are refused).
CACHE_FORMAT = 6

_REQUIRED_COLUMNS = {
    "partners.csv": ["code", "census_name", "name", "iso2", "iso3", "kind", "continent"],
    "trade_annual.csv": ["code", "year", "months", "exports", "imports"],
    "trade_monthly.csv": ["code", "year", "month", "exports", "imports"],
    "groups.csv": ["code", "name", "kind", "source"],
    "group_members.csv": ["group", "member"],
    "sectors.csv": ["code", "year", "chapter", "exports", "imports"],
    "chapters.csv": ["chapter", "name"],
}


# What the parsed frames carry, as checked when the cache is read back (the CSV columns plus balance).
_CACHED_COLUMNS = {
    "partners": _REQUIRED_COLUMNS["partners.csv"],
    "annual": [*_REQUIRED_COLUMNS["trade_annual.csv"], "balance"],
    "monthly": [*_REQUIRED_COLUMNS["trade_monthly.csv"], "balance"],
    "groups": _REQUIRED_COLUMNS["groups.csv"],
    "members": _REQUIRED_COLUMNS["group_members.csv"],
    "sectors": [*_REQUIRED_COLUMNS["sectors.csv"], "balance"],
    "chapters": _REQUIRED_COLUMNS["chapters.csv"],
}


@dataclass(eq=False)
class Dataset:
    """Every table tradegap knows, as pandas frames (money in millions of USD)."""

    partners: pd.DataFrame  # index: code
    annual: pd.DataFrame  # code, year, months, exports, imports, balance
    monthly: pd.DataFrame  # code, year, month, exports, imports, balance
    groups: pd.DataFrame  # index: code; name, kind, source, as_of, note
    members: pd.DataFrame  # group, member
    sectors: pd.DataFrame  # code, year, chapter, exports, imports, balance
    chapters: pd.DataFrame  # index: chapter; name, description
    release: dict
    catalog: Catalog  # the same files' plain-Python catalog, with every listed period's totals
    # where each year's and each code's rows are, and the year-to-date totals (tui.trade.index): made by the
    # loader and kept in its cache, or here for frames made in memory
    index: TableIndex = field(default=None, repr=False)  # type: ignore[assignment]
    # per-instance memo of period totals; never shared between datasets
    _memo: dict = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if self.index is None:
            for name, keys in ORDER.items():
                setattr(self, name, _in_order(getattr(self, name), keys))
            self.index = build_index(self.annual, self.monthly, self.sectors)
        from tui.trade.vector import VECTOR_MIN, partners_of

        if len(self.catalog.rankable) > VECTOR_MIN:
            partners_of(self.catalog, self.index)  # what the rankings of this many partners need, made once

    @property
    def latest(self) -> Period:
        """The newest period with data: a year-to-date period when the year is partial."""
        return Period(int(self.release["latest_year"]), int(self.release["latest_month"]))

    @property
    def first_year(self) -> int:
        return min(self.index.annual_years)

    def periods(self) -> list[Period]:
        """Every complete year, then the latest year-to-date period, oldest first."""
        return available_periods(self.first_year, self.latest)

    @property
    def group_codes(self) -> list[str]:
        return list(self.groups.index)

    def group_name(self, code: str) -> str:
        return str(self.groups.at[code, "name"])

    @property
    def sector_years(self) -> list[int]:
        return list(self.index.sector_years)

    @property
    def release_label(self) -> str:
        return str(self.release.get("release_label", ""))


def load_dataset(data_dir: Path | None = None, cache_dir: Path | None = None,
                 catalog: Catalog | None = None) -> Dataset:
    """Load the dataset, from the parsed-frame cache when it is current (catalog: already read from data_dir)."""
    from tui import locations

    data_dir = Path(data_dir) if data_dir is not None else locations.data_dir()
    if cache_dir is None:
        cache_dir = locations.cache_dir()
    key = _cache_key(data_dir)
    cache_file = Path(cache_dir) / f"dataset-{key}.pickle"
    _remove_leftovers(Path(cache_dir))
    frames = _read_cache(cache_file)
    if frames is None:
        frames = _parse(data_dir)
        _write_cache(cache_file, frames)
    return Dataset(**frames, catalog=catalog if catalog is not None else load_catalog(data_dir))


def _remove_leftovers(cache_dir: Path) -> None:
    """Temp files of cache writes that were interrupted (each is megabytes), once a minute old."""
    from tui.locations import remove_stale_temp_files

    for prefix in (".dataset-", ".first-screen-"):
        remove_stale_temp_files(cache_dir, prefix)


def _cache_key(data_dir: Path) -> str:
    return data_key(data_dir, f"{CACHE_FORMAT}|{pd.__version__}")


def _read_cache(cache_file: Path) -> dict | None:
    try:
        if not stat.S_ISREG(cache_file.stat().st_mode):  # a FIFO would block the read: rebuilt, and replaced
            return None
        with cache_file.open("rb") as handle:
            frames = pickle.load(handle)
    except Exception:  # missing, truncated, corrupt or from another version: rebuild
        return None
    if not isinstance(frames, dict) or frames.get("_format") != CACHE_FORMAT:
        return None
    frames.pop("_format")
    return frames if _cache_is_whole(frames) else None


def _cache_is_whole(frames: dict) -> bool:
    """What was unpickled has the dataset's shape: every frame, with its columns, and the release."""
    if set(frames) != set(_CACHED_COLUMNS) | {"release", "index"} or not isinstance(frames["index"], TableIndex):
        return False
    release = frames["release"]
    if not isinstance(release, dict) or not all(
        isinstance(release.get(key), int) for key in ("latest_year", "latest_month")
    ):
        return False
    for name, columns in _CACHED_COLUMNS.items():
        frame = frames[name]
        if not isinstance(frame, pd.DataFrame) or not set(columns) <= set(frame.columns):
            return False
    for name in ("annual", "monthly", "sectors"):
        frame = frames[name]
        whole = [c for c in ("year", "months", "month", "chapter") if c in _CACHED_COLUMNS[name]]
        if not all(pd.api.types.is_integer_dtype(frame[c]) for c in whole) or not all(
            pd.api.types.is_float_dtype(frame[c]) for c in ("exports", "imports", "balance")
        ):
            return False
    return all(frames[name].index.is_unique for name in ("partners", "groups", "chapters"))


def _write_cache(cache_file: Path, frames: dict) -> None:
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        for stale in cache_file.parent.glob("dataset-*.pickle"):
            if stale != cache_file:
                stale.unlink(missing_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache_file.parent, prefix=".dataset-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({**frames, "_format": CACHE_FORMAT}, handle, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache_file)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only cache directory only costs speed


def _read_csv(data_dir: Path, name: str, dtype: dict) -> pd.DataFrame:
    path = data_dir / name
    check_readable(path)
    blanks = ["", "nan", "NaN", "NA", "N/A", "null"]  # a missing amount: the contract says where
    try:
        frame = pd.read_csv(path, dtype=dtype, keep_default_na=False,
                            na_values={"exports": blanks, "imports": blanks})
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except PermissionError:
        raise DataError(f"data file {path} cannot be read: permission denied") from None
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as error:
        raise DataError(f"data file {path} is malformed: {_parse_failure(path, dtype, blanks, error)}") from None
    missing = [c for c in _REQUIRED_COLUMNS[name] if c not in frame.columns]
    if missing:
        raise DataError(f"data file {path} is malformed: missing column(s) {', '.join(missing)}")
    return frame


def _parse_failure(path: Path, dtype: dict, blanks: list[str], error: Exception) -> str:
    """Why pandas could not parse the file, in one line: the column, line and value that is not a number
    when that is the reason (found by a second, untyped read: this runs only when a file is broken)."""
    text = str(error).strip()
    reason = text.splitlines()[0] if text else type(error).__name__
    if not isinstance(error, ValueError) or isinstance(error, UnicodeDecodeError):
        return reason
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    except Exception:  # the first reason stands
        return reason
    for column, kind in dtype.items():
        if column not in raw.columns or kind is str:
            continue
        values = raw[column]
        numbers = pd.to_numeric(values, errors="coerce")
        blank_ok = column in ("exports", "imports")
        bad = numbers.isna() & ~(values.isin(blanks) if blank_ok else False)
        if kind == "int64":
            bad |= numbers.notna() & (numbers != numbers.round())
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0])
            return f"column {column} at line {row + 2} holds {str(values.iloc[row])[:40]!r}, not a number"
    return reason


def _in_order(frame: pd.DataFrame, keys: tuple[str, ...]) -> pd.DataFrame:
    """The frame sorted by keys, itself when it already is."""
    return frame if is_sorted(frame, keys) else frame.sort_values(list(keys), kind="stable", ignore_index=True)


def _parse(data_dir: Path) -> dict:
    money = {"exports": "float64", "imports": "float64"}
    partners = _read_csv(data_dir, "partners.csv", {"code": str, "iso2": str, "iso3": str, "alt_codes": str})
    annual = _read_csv(data_dir, "trade_annual.csv", {"code": str, "year": "int64", "months": "int64", **money})
    monthly = _read_csv(data_dir, "trade_monthly.csv", {"code": str, "year": "int64", "month": "int64", **money})
    groups = _read_csv(data_dir, "groups.csv", {"code": str})
    members = _read_csv(data_dir, "group_members.csv", {"group": str, "member": str})
    sectors = _read_csv(data_dir, "sectors.csv", {"code": str, "year": "int64", "chapter": "int64", **money})
    chapters = _read_csv(data_dir, "chapters.csv", {"chapter": "int64"})
    release_path = data_dir / "release.json"
    check_readable(release_path)
    try:
        release = json.loads(release_path.read_text(encoding="utf-8"))
        releases.validate(release)
    except FileNotFoundError:
        raise DataError(f"data file {release_path} is missing") from None
    except PermissionError:
        raise DataError(f"data file {release_path} cannot be read: permission denied") from None
    except (OSError, ValueError, RecursionError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise DataError(f"data file {release_path} is malformed: {first_line}") from None

    check_contract(data_dir, {"partners": partners, "annual": annual, "monthly": monthly, "groups": groups,
                              "members": members, "sectors": sectors, "chapters": chapters, "release": release})
    for frame in (annual, monthly, sectors):
        frame["balance"] = frame["exports"] - frame["imports"]

    # the lookups and rankings want the code as index and categorical-free strings
    partners = partners.set_index("code", drop=False)
    groups = groups.set_index("code", drop=False)
    chapters = chapters.set_index("chapter", drop=False)
    # in the index's order; the build writes them so, and a sorted copy of each would be made for nothing
    # (the largest, sectors, at the moment the parse uses most memory)
    monthly, annual, sectors = (_in_order(frame, ORDER[name]) for frame, name in
                                ((monthly, "monthly"), (annual, "annual"), (sectors, "sectors")))
    return {
        "partners": partners,
        "annual": annual,
        "monthly": monthly,
        "groups": groups,
        "members": members,
        "sectors": sectors,
        "chapters": chapters,
        "release": release,
        "index": build_index(annual, monthly, sectors),
    }


def catalog_of(partners: pd.DataFrame, groups: pd.DataFrame, members: pd.DataFrame, release: dict,
               first_year: int) -> Catalog:
    """A catalog of frames made in memory (synthetic or derived data), with no listed totals:
    every period's totals are then summed by pandas."""
    iso = partners["iso3"].where(partners["iso3"] != "", partners["iso2"])
    iso = iso.where(iso != "", partners["code"])
    seen: dict[str, dict[str, None]] = {}  # each group's members once, in order (a member may have two spans)
    for group, member in zip(members["group"], members["member"], strict=True):
        seen.setdefault(group, {})[member] = None
    by_group = {group: tuple(codes) for group, codes in seen.items()}
    return Catalog(
        partners={code: Partner(code, name, shown, continent, kind) for code, name, shown, continent, kind in
                  zip(partners["code"], partners["name"], iso, partners["continent"], partners["kind"], strict=False)},
        groups={code: Group(code, name, kind, source, by_group.get(code, ())) for code, name, kind, source in
                zip(groups["code"], groups["name"], groups["kind"], groups["source"], strict=False)},
        release=release, totals={}, first_year=first_year,
    )
