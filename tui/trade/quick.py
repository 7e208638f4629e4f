"""The Partners ranking without pandas: what the app's first screen needs.

Importing pandas is most of tradegap's start (about a quarter of a second on
a small server), so the app draws its first screen from this module and
loads pandas right after. Once the full dataset is loaded, the app saves in
the cache directory every period's totals per code, computed by
queries.period_totals (so they are the very figures the pandas path ranks),
with the partners' names and the groups' members, as plain Python values.
The file's name carries a key made of the data files' names, sizes and
modification times, taken before the dataset is loaded and checked again
after (a file is written only if they did not change in between): new or
changed data is never ranked from an old file. A file summed by another
pandas version is rewritten once the dataset is loaded.

rank_partners() here ranks those totals exactly as queries.rank_partners
does (tests compare the two over every period, group, view, size and sort).
Without a current file (first start, new data, another period) the first
screen is drawn with pandas, as every later one is.
"""

from __future__ import annotations

import math
import os
import pickle
import tempfile
from array import array
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.trade.periods import Period, available_periods
from tui.trade.schema import DATA_FILES, RANKABLE_KINDS, WORLD, data_key

if TYPE_CHECKING:
    from tui.trade.dataset import Dataset

#: Bump when QuickData changes, so old files are not read.
QUICK_FORMAT = 2
FILE_PREFIX = "first-screen-"
NAN = math.nan


@dataclass(frozen=True, eq=False)
class QuickData:
    """Each period's totals per code, with what a ranking shows of each partner."""

    latest: Period
    first_year: int
    release_label: str
    partners: dict[str, tuple[str, str, str]]  # rankable code -> (display code, name, continent)
    groups: dict[str, tuple[str, tuple[str, ...]]]  # group code -> (name, member codes)
    index: dict[str, int]  # code -> its position in every totals array
    totals: dict[str, tuple[array, array]]  # period key -> (exports, imports); NaN: no trade recorded
    pandas_version: str  # of the pandas that summed the totals

    def periods(self) -> list[Period]:
        return available_periods(self.first_year, self.latest)

    @property
    def group_codes(self) -> list[str]:
        return list(self.groups)

    def group_name(self, code: str) -> str:
        return self.groups[code][0]


def rank_partners(
    quick: QuickData,
    period: Period,
    *,
    group: str | None = None,
    view: str = "deficit",
    min_size: float = 0.0,
    sort: str = "rank",
    descending: bool = False,
) -> list[dict] | None:
    """queries.rank_partners(...) as records, or None when the totals for the period are not here."""
    current = quick.totals.get(period.key)
    first = period.year <= quick.first_year
    previous = None if first else quick.totals.get(period.previous.key)
    if current is None or (previous is None and not first) or (group is not None and group not in quick.groups):
        return None
    exports, imports = current
    where = quick.index
    world = where.get(WORLD)
    if world is None or math.isnan(exports[world]):
        return None
    world_balance = exports[world] - imports[world]
    members = set(quick.groups[group][1]) if group is not None else None

    rows = []
    for code, (iso, name, continent) in quick.partners.items():
        at = where.get(code)
        if at is None or math.isnan(exports[at]) or (members is not None and code not in members):
            continue
        balance = exports[at] - imports[at]
        prev_balance = NAN if previous is None else previous[0][at] - previous[1][at]  # NaN stays NaN
        if view == "deficit" and not balance < 0 or view == "surplus" and not balance > 0:
            continue
        if min_size > 0 and not abs(balance) >= min_size:
            continue
        rows.append({
            "rank": 0, "code": code, "iso": iso, "name": name, "continent": continent,
            "exports": exports[at], "imports": imports[at], "balance": balance, "prev_balance": prev_balance,
            "change": balance - prev_balance, "share": balance / world_balance * 100 if world_balance else NAN,
        })
    # by balance (deficits first; largest surplus first in the surplus view), then by name
    rows.sort(key=lambda r: r["name"])
    rows.sort(key=lambda r: r["balance"], reverse=view == "surplus")
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    if sort != "rank" or descending:
        if sort == "name":
            rows.sort(key=lambda r: r["name"].casefold(), reverse=descending)
        else:  # missing values last in either direction, as pandas puts them
            known = [r for r in rows if not math.isnan(r[sort])]
            missing = [r for r in rows if math.isnan(r[sort])]
            rows = sorted(known, key=lambda r: r[sort], reverse=descending) + missing
    return rows


# ---------------------------------------------------------------- the file


def quick_file(data_dir: Path | None = None, cache_dir: Path | None = None) -> Path:
    """Where the first screen's data for the data files as they are now lives (DataError if one is missing)."""
    from tui import locations

    data_dir = Path(data_dir) if data_dir is not None else locations.data_dir()
    cache_dir = Path(cache_dir) if cache_dir is not None else locations.cache_dir()
    return cache_dir / f"{FILE_PREFIX}{data_key(data_dir, f'quick{QUICK_FORMAT}')}.pickle"


def load_quick(
    data_dir: Path | None = None, cache_dir: Path | None = None, path: Path | None = None
) -> QuickData | None:
    """The first screen's data when a current file is there (path: quick_file(), if just taken);
    else None, and the app uses pandas."""
    from tui import locations

    data_dir = Path(data_dir) if data_dir is not None else locations.data_dir()
    try:
        path = path if path is not None else quick_file(data_dir, cache_dir)
        if not all(os.access(data_dir / name, os.R_OK) for name in DATA_FILES):
            return None  # pandas would not load it after the first screen: let it say why, now
        with path.open("rb") as handle:
            stored = pickle.load(handle)
    except Exception:  # missing data or file, truncated, corrupt, from another version: use pandas
        return None
    if not isinstance(stored, dict) or stored.get("_format") != QUICK_FORMAT:
        return None
    quick = stored.get("data")
    return quick if isinstance(quick, QuickData) and _whole(quick) else None


def _whole(quick: QuickData) -> bool:
    """A file with the right format marker can still hold the wrong content (damaged, or written by
    hand): its fields must have the shapes rank_partners() reads, else the file is not used."""
    try:
        size = len(quick.index)
        return (
            isinstance(quick.latest, Period) and isinstance(quick.first_year, int)
            and isinstance(quick.release_label, str) and isinstance(quick.pandas_version, str)
            and all(isinstance(code, str) and isinstance(at, int) and 0 <= at < size
                    for code, at in quick.index.items())
            and all(isinstance(row, tuple) and len(row) == 3 and all(isinstance(v, str) for v in row)
                    for row in quick.partners.values())
            and all(isinstance(name, str) and isinstance(members, tuple)
                    for name, members in quick.groups.values())
            and all(isinstance(flows, tuple) and len(flows) == 2
                    and all(isinstance(a, array) and a.typecode == "d" and len(a) == size for a in flows)
                    for flows in quick.totals.values())
        )
    except (AttributeError, TypeError, ValueError):
        return False


def pandas_version() -> str:
    import pandas

    return pandas.__version__


def quick_data(ds: Dataset) -> QuickData:
    """What the first screen needs, from the full dataset (with pandas)."""
    from tui.trade.queries import _display_code, group_members, period_totals

    wanted = []
    for period in ds.periods():
        wanted.append(period)
        if period.year > ds.first_year:
            wanted.append(period.previous)
    totals = {period.key: period_totals(ds, period) for period in wanted}
    codes = sorted(set().union(*(frame.index for frame in totals.values())))
    index = {code: i for i, code in enumerate(codes)}
    arrays = {}
    for key, frame in totals.items():
        exports, imports = array("d", [NAN]) * len(codes), array("d", [NAN]) * len(codes)
        for code, e, i in zip(frame.index, frame["exports"], frame["imports"]):
            exports[index[code]], imports[index[code]] = float(e), float(i)
        arrays[key] = (exports, imports)
    rankable = ds.partners[ds.partners["kind"].isin(RANKABLE_KINDS)]
    shown_code = _display_code(rankable)
    partners = {code: (str(shown_code[code]), str(name), str(continent))
                for code, name, continent in zip(rankable.index, rankable["name"], rankable["continent"])}
    groups = {code: (ds.group_name(code), tuple(group_members(ds, code))) for code in ds.group_codes}
    return QuickData(latest=ds.latest, first_year=ds.first_year, release_label=ds.release_label,
                     partners=partners, groups=groups, index=index, totals=arrays, pandas_version=pandas_version())


def save_quick(ds: Dataset, path: Path) -> bool:
    """Write the first screen's data for ds to path (from quick_file(), taken before ds was loaded),
    replacing any other such file; False when it cannot be written."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{FILE_PREFIX}", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                pickle.dump({"_format": QUICK_FORMAT, "data": quick_data(ds)}, handle,
                            protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        for stale in path.parent.glob(f"{FILE_PREFIX}*.pickle"):
            if stale != path:
                stale.unlink(missing_ok=True)
    except OSError:
        return False  # a read-only cache directory only costs speed
    return True
