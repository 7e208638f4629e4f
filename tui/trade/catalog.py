"""What the dataset covers and every period's totals, in plain Python: what the first screen needs.

Importing pandas is most of tradegap's start, so the app draws its first
screen from this catalog and loads pandas (tui.trade.dataset) in the
background. The catalog reads the small files of the dataset (partners,
groups, release) and `period_totals.csv`, which the data build writes: the
exports and imports of every code (partners, groups, the world) for every
period the app lists, and for the same months a year before the latest year
to date. Rankings are computed from these totals (tui.trade.ranking) both
before and after pandas is in, so the first screen and every later one show
the same figures.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from tui.trade.periods import Period, available_periods
from tui.trade.schema import RANKABLE_KINDS, DataError

#: exports and imports (millions of USD) of each code in one period
Totals = Mapping[str, tuple[float, float]]

TOTALS_FILE = "period_totals.csv"


@dataclass(frozen=True)
class Partner:
    code: str
    name: str
    iso: str  # ISO3 where there is one, else ISO2, else the Census code: what the tables show
    continent: str
    kind: str
    census_name: str = ""  # Census's own spelling, and the other codes a person may type (lookups)
    iso2: str = ""
    iso3: str = ""
    alt_codes: tuple[str, ...] = ()

    @property
    def rankable(self) -> bool:
        return self.kind in RANKABLE_KINDS


@dataclass(frozen=True)
class Group:
    code: str
    name: str
    kind: str
    source: str
    members: tuple[str, ...]


@dataclass(eq=False)
class Catalog:
    """The dataset's partners, groups and release, and every listed period's totals."""

    partners: dict[str, Partner]
    groups: dict[str, Group]
    release: dict
    totals: dict[str, dict[str, tuple[float, float]]] = field(repr=False)  # period key -> code -> flows
    first_year: int

    @property
    def latest(self) -> Period:
        """The newest period with data: a year-to-date period when the year is partial."""
        return Period(int(self.release["latest_year"]), int(self.release["latest_month"]))

    def periods(self) -> list[Period]:
        """Every complete year, then the latest year-to-date period, oldest first."""
        return available_periods(self.first_year, self.latest)

    @property
    def release_label(self) -> str:
        return str(self.release.get("release_label", ""))

    @property
    def group_codes(self) -> list[str]:
        return list(self.groups)

    def group_name(self, code: str) -> str:
        return self.groups[code].name

    def name_of(self, code: str) -> str:
        """A partner's or group's display name."""
        if code in self.groups:
            return self.groups[code].name
        return self.partners[code].name

    @cached_property
    def rankable(self) -> tuple[Partner, ...]:
        """The partners that are places and can be ranked, in the partners file's order."""
        return tuple(partner for partner in self.partners.values() if partner.rankable)

    def rankable_partners(self) -> Iterator[Partner]:
        return iter(self.rankable)

    def period_totals(self, period: Period) -> Totals | None:
        """Every code's exports and imports in the period, or None when the file does not list it."""
        return self.totals.get(period.key)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            yield from csv.DictReader(handle)
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataError(f"data file {path} cannot be read: {error}") from None


def _column(row: dict[str, str], name: str, path: Path) -> str:
    value = row.get(name)
    if value is None:
        raise DataError(f"data file {path} is malformed: missing column {name}")
    return value


def load_catalog(data_dir: Path | None = None) -> Catalog:
    """Read the catalog of the dataset in data_dir (the one in use when None); DataError names a bad file."""
    from tui import locations

    data_dir = Path(data_dir) if data_dir is not None else locations.data_dir()
    path = data_dir / "partners.csv"
    partners = {}
    for row in _rows(path):
        code = _column(row, "code", path)
        iso = _column(row, "iso3", path) or _column(row, "iso2", path) or code
        alternatives = tuple(alt.strip() for alt in (row.get("alt_codes") or "").split(";") if alt.strip())
        partners[code] = Partner(code, _column(row, "name", path), iso, _column(row, "continent", path),
                                 _column(row, "kind", path), row.get("census_name") or "", _column(row, "iso2", path),
                                 _column(row, "iso3", path), alternatives)
    path = data_dir / "group_members.csv"
    members: dict[str, list[str]] = {}
    for row in _rows(path):
        members.setdefault(_column(row, "group", path), []).append(_column(row, "member", path))
    path = data_dir / "groups.csv"
    groups = {}
    for row in _rows(path):
        code = _column(row, "code", path)
        groups[code] = Group(code, _column(row, "name", path), _column(row, "kind", path),
                             _column(row, "source", path), tuple(members.get(code, ())))
    path = data_dir / "release.json"
    try:
        release = json.loads(path.read_text(encoding="utf-8"))
        Period(int(release["latest_year"]), int(release["latest_month"]))
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"data file {path} is malformed: {error}") from None
    path = data_dir / TOTALS_FILE
    totals = _read_totals(path)
    try:
        first_year = min(int(key.partition("-")[0]) for key in totals)
    except ValueError:
        raise DataError(f"data file {path} is malformed: no periods") from None
    return Catalog(partners=partners, groups=groups, release=release, totals=totals, first_year=first_year)


def _read_totals(path: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """period_totals.csv as {period key: {code: (exports, imports)}} (plain csv: it is read at every start)."""
    totals: dict[str, dict[str, tuple[float, float]]] = {}
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            if next(reader, None) != ["period", "code", "exports", "imports"]:
                raise DataError(f"data file {path} is malformed: its header is not period,code,exports,imports")
            for number, row in enumerate(reader, 2):
                try:
                    key, code, exports, imports = row
                    flows = (float(exports), float(imports))
                except ValueError:
                    raise DataError(f"data file {path} is malformed at line {number}") from None
                if not (0 <= flows[0] < math.inf and 0 <= flows[1] < math.inf):
                    raise DataError(f"data file {path} is malformed at line {number}: not an amount")
                period = totals.get(key)
                if period is None:
                    period = totals[key] = {}
                period[code] = flows
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataError(f"data file {path} cannot be read: {error}") from None
    return totals
