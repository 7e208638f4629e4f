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
from collections.abc import Iterable, Iterator, Mapping
from functools import cached_property
from pathlib import Path
from typing import NamedTuple

from tui.trade import releases
from tui.trade.periods import MONTH_ABBRS, Period, available_periods
from tui.trade.schema import MAX_AMOUNT_MUSD, RANKABLE_KINDS, RESIDUAL, WORLD, DataError, check_readable

#: exports and imports (millions of USD) of each code in one period
Totals = Mapping[str, tuple[float, float]]

TOTALS_FILE = "period_totals.csv"
TOTALS_HEADER = "period,code,exports,imports"


#: the months (year * 100 + month) an open membership starts and ends with
OPEN_START, OPEN_END = 0, 999_912


def month_number(text: str, default: int) -> int:
    """'2016-07' -> 201607; '' (open) -> default; ValueError for anything else."""
    text = text.strip()
    if not text:
        return default
    year, dash, month = text.partition("-")
    if not (dash and len(year) == 4 and year.isdigit() and month.isdigit() and 1 <= int(month) <= 12):
        raise ValueError(f"{text!r} is not a month (YYYY-MM)")
    return int(year) * 100 + int(month)


def month_label(month: int) -> str:
    """201607 -> 'Jul 2016'."""
    return f"{MONTH_ABBRS[month % 100]} {month // 100}"


def period_months(period: Period) -> tuple[int, int]:
    """The first and last month of a period (January, or the month itself for a single month), as
    year * 100 + month."""
    return period.year * 100 + period.first_month, period.year * 100 + period.months


# The catalog's records are NamedTuples: immutable like frozen dataclasses, and made in a fraction of the
# time a dataclass takes to generate its methods (this module is imported before the app's first screen).


class Partner(NamedTuple):
    code: str
    name: str
    iso: str  # ISO3 where there is one, else ISO2, else the Census code: what the tables show
    continent: str
    kind: str
    first_year: int | None = None  # the first year with trade
    note_years: tuple[int, int] | None = None  # the years `note` is about
    note: str = ""  # what the figures of those years are (a predecessor, a successor's first year)
    census_name: str = ""  # Census's own spelling, and the other codes a person may type (lookups)
    iso2: str = ""
    iso3: str = ""
    alt_codes: tuple[str, ...] = ()

    @property
    def rankable(self) -> bool:
        return self.kind in RANKABLE_KINDS

    def note_for(self, year: int) -> str:
        """The note about the partner's figures of that year, or ''."""
        if self.note and self.note_years is not None and self.note_years[0] <= year <= self.note_years[1]:
            return self.note
        return ""


class Membership(NamedTuple):
    """A member of a group from month `first` to month `last` (year * 100 + month, inclusive)."""

    member: str
    first: int = OPEN_START
    last: int = OPEN_END


class Group(NamedTuple):
    code: str
    name: str
    kind: str
    source: str
    members: tuple[str, ...]  # every code that is or was a member
    memberships: tuple[Membership, ...] = ()  # with their months (none: every member in every month)
    membership: str = ""  # "dated" (the members of each month), "today" (today's members) or "codes" (Census's)
    since: int = OPEN_START  # the first month the group has members

    def members_at(self, month: int) -> tuple[str, ...]:
        """The members in one month (year * 100 + month)."""
        if not self.memberships:
            return self.members
        return tuple(dict.fromkeys(m.member for m in self.memberships if m.first <= month <= m.last))

    def members_of(self, period: Period) -> tuple[str, ...]:
        """The members at the end of the period: the ones a period lists."""
        return self.members_at(period_months(period)[1])

    def members_during(self, period: Period) -> tuple[str, ...]:
        """Every code that was a member in some month of the period: the ones its figures sum."""
        if not self.memberships:
            return self.members
        first, last = period_months(period)
        return tuple(dict.fromkeys(m.member for m in self.memberships if m.first <= last and m.last >= first))

    def changes_in(self, period: Period) -> list[tuple[str, str, int]]:
        """(member, "joined" or "left", month) of every membership that began or ended within the period
        (after its first month, before its last): its figures count those members for part of it."""
        first, last = period_months(period)
        changes = [(m.member, "joined", m.first) for m in self.memberships if first < m.first <= last]
        changes += [(m.member, "left", m.last) for m in self.memberships if first <= m.last < last]
        return sorted(changes, key=lambda change: (change[2], change[1], change[0]))

    def started_in(self, period: Period) -> bool:
        """True when the group's first month is after the period's first: its figures cover part of it."""
        first, last = period_months(period)
        return first < self.since <= last

    def months_in(self, period: Period) -> str:
        """The months of a period it began in that its figures cover: 'Jun-Dec' (its first month to the
        period's last)."""
        return f"{MONTH_ABBRS[self.since % 100]}-{MONTH_ABBRS[period_months(period)[1] % 100]}"

    @property
    def is_today(self) -> bool:
        return self.membership == "today"

    def members_label(self, period: Period) -> str:
        """Which members a period shows: "members of Dec 2016", "today's members", "members as Census sums them"."""
        if self.membership == "dated":
            return f"members of {month_label(period_months(period)[1])}"
        if self.membership == "today":
            return "today's members"
        return "members as Census sums them"

    def label(self, period: Period) -> str:
        """The group's name with the members a period lists, where they change: "ASEAN (members of Dec 2016)".
        A today's-members variant says so in its name ("ASEAN (today's members)"); a Census region lists
        the codes it sums. Before a bloc began, it says so: "BRICS (no members yet: began Jun 2009)"."""
        if self.membership == "dated" and self.since > period_months(period)[1]:
            return f"{self.name} (no members yet: began {month_label(self.since)})"
        return f"{self.name} ({self.members_label(period)})" if self.membership == "dated" else self.name


class TotalsOnDemand:
    """period_totals.csv as its text, each period's lines parsed the first time the period is asked for.

    Parsing every line (10 ms) was the largest part of reading the catalog at the app's start, and the
    first screen needs two periods of some forty. A period whose lines are not as the data build writes
    them (out of order, repeated, not amounts, no world total) is None here, as a period the file does
    not list: Catalog.check_totals, run in the background, then reports the file as load_catalog would.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._periods: dict[str, dict[str, tuple[float, float]] | None] = {}

    def first_key(self) -> str:
        """The first period the file lists (the build writes them oldest first)."""
        start = self._text.find("\n") + 1
        return self._text[start:self._text.find(",", start)]

    def get(self, key: str) -> dict[str, tuple[float, float]] | None:
        if key not in self._periods:
            self._periods[key] = self._parse(key)
        return self._periods[key]

    def _parse(self, key: str) -> dict[str, tuple[float, float]] | None:
        text, marker = self._text, f"\n{key},"
        first, last = text.find(marker), text.rfind(marker)
        if first < 0:
            return None
        end = text.find("\n", last + 1)
        flows: dict[str, tuple[float, float]] = {}
        for line in text[first + 1:end if end >= 0 else len(text)].splitlines():
            try:
                period, code, exports, imports = line.split(",")
                amounts = _flows(code, exports, imports)
            except ValueError:
                return None
            if period != key or code in flows or amounts is None:
                return None
            flows[code] = amounts
        return flows if WORLD in flows else None


class Catalog:
    """The dataset's partners, groups and release, and every listed period's totals."""

    def __init__(self, partners: dict[str, Partner], groups: dict[str, Group], release: dict,
                 totals: dict[str, dict[str, tuple[float, float]]] | TotalsOnDemand, first_year: int,
                 totals_path: Path | None = None) -> None:
        self.partners = partners
        self.groups = groups
        self.release = release
        # period key -> code -> flows; parsed period by period when read for the app's start (load_catalog)
        self.totals = totals
        self.first_year = first_year
        self.totals_path = totals_path  # the file, while its periods are parsed on demand

    def __repr__(self) -> str:
        return f"Catalog({len(self.partners)} partners, {len(self.groups)} groups, from {self.first_year})"

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

    @cached_property
    def unallocated(self) -> tuple[Partner, ...]:
        """Trade in the US total that no partner is credited with (Census's unidentified countries, the
        partners not itemized before 1992): listed in the "all" view only."""
        return tuple(partner for partner in self.partners.values() if partner.kind == "unallocated")

    def rankable_partners(self) -> Iterator[Partner]:
        return iter(self.rankable)

    def period_totals(self, period: Period) -> Totals | None:
        """Every code's exports and imports in the period, or None when the file does not list it."""
        return self.totals.get(period.key)

    def check_totals(self) -> None:
        """Read every period's totals now, checking them as load_catalog does (DataError names the line)."""
        if self.totals_path is None:
            return
        totals = _read_totals(self.totals_path)
        _check_totals(self.totals_path, totals, self.latest, self.periods())
        self.totals, self.totals_path = totals, None


def _rows(path: Path) -> Iterator[dict[str, str]]:
    check_readable(path)
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


def load_catalog(data_dir: Path | None = None, *, totals_on_demand: bool = False) -> Catalog:
    """Read the catalog of the dataset in data_dir (the one in use when None); DataError names a bad file.

    totals_on_demand (the app's start): each period's totals are parsed when first asked for, and
    checked all together by Catalog.check_totals, which the app runs in the background."""
    from tui import locations

    data_dir = Path(data_dir) if data_dir is not None else locations.data_dir()
    path = data_dir / "partners.csv"
    partners = {}
    for number, row in enumerate(_rows(path), 2):
        code = _column(row, "code", path)
        iso = _column(row, "iso3", path) or _column(row, "iso2", path) or code
        try:  # first_year, note_years and note are optional: a dataset of an earlier tradegap lacks them
            first_year = int(row["first_year"]) if row.get("first_year") else None
            note_years = _years(row.get("note_years") or "")
        except ValueError:
            raise DataError(f"data file {path} is malformed at line {number}: not a year") from None
        alternatives = tuple(alt.strip() for alt in (row.get("alt_codes") or "").split(";") if alt.strip())
        partners[code] = Partner(code, _column(row, "name", path), iso, _column(row, "continent", path),
                                 _column(row, "kind", path), first_year=first_year, note_years=note_years,
                                 note=row.get("note") or "", census_name=row.get("census_name") or "",
                                 iso2=_column(row, "iso2", path), iso3=_column(row, "iso3", path),
                                 alt_codes=alternatives)
    path = data_dir / "group_members.csv"
    memberships: dict[str, list[Membership]] = {}
    for number, row in enumerate(_rows(path), 2):
        try:  # start and end are optional: without them a member is one in every month
            membership = Membership(_column(row, "member", path), month_number(row.get("start") or "", OPEN_START),
                                    month_number(row.get("end") or "", OPEN_END))
        except ValueError as error:
            raise DataError(f"data file {path} is malformed at line {number}: {error}") from None
        memberships.setdefault(_column(row, "group", path), []).append(membership)
    path = data_dir / "groups.csv"
    groups = {}
    for number, row in enumerate(_rows(path), 2):
        code = _column(row, "code", path)
        spans = memberships.get(code, [])
        dated = any(m.first != OPEN_START or m.last != OPEN_END for m in spans)
        try:
            since = month_number(row.get("since") or "", OPEN_START)
        except ValueError as error:
            raise DataError(f"data file {path} is malformed at line {number}: {error}") from None
        groups[code] = Group(code, _column(row, "name", path), _column(row, "kind", path),
                             _column(row, "source", path), tuple(dict.fromkeys(m.member for m in spans)),
                             tuple(spans) if dated else (), row.get("membership") or "", since)
    path = data_dir / "release.json"
    try:
        release = json.loads(path.read_text(encoding="utf-8"))
        Period(int(release["latest_year"]), int(release["latest_month"]))
        releases.validate(release)
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise DataError(f"data file {path} is malformed: {error}") from None
    path = data_dir / TOTALS_FILE
    if totals_on_demand:
        text = _read_text(path)
        if not text.startswith(TOTALS_HEADER + "\n"):
            raise DataError(f"data file {path} is malformed: its header is not {TOTALS_HEADER}")
        on_demand = TotalsOnDemand(text)
        return Catalog(partners=partners, groups=groups, release=release, totals=on_demand,
                       first_year=_first_year(path, [on_demand.first_key()]), totals_path=path)
    totals = _read_totals(path)
    catalog = Catalog(partners=partners, groups=groups, release=release, totals=totals,
                      first_year=_first_year(path, totals))
    _check_totals(path, totals, catalog.latest, catalog.periods())
    return catalog


def _first_year(path: Path, keys: Iterable[str]) -> int:
    """The year of the oldest period (keys: '1985', '2026-ytd8')."""
    try:
        return min(int(key.partition("-")[0]) for key in keys)
    except ValueError:  # no periods at all, or one that is not a year
        raise DataError(f"data file {path} is malformed: no periods") from None


def _check_totals(path: Path, totals: Mapping[str, Mapping[str, object]], latest: Period,
                  periods: list[Period]) -> None:
    """Every period the app lists, and the year before a latest year to date, has its world total."""
    wanted = periods + ([latest.previous] if not latest.is_full_year else [])
    for period in wanted:
        if WORLD not in totals.get(period.key, {}):
            raise DataError(f"data file {path} is malformed: no {WORLD} total for {period.label} "
                            f"(release.json says the data runs to {latest.label})")


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except (OSError, UnicodeDecodeError) as error:
        raise DataError(f"data file {path} cannot be read: {error}") from None


def _years(text: str) -> tuple[int, int] | None:
    """'1985-1990' -> (1985, 1990), '1992' -> (1992, 1992), '' -> None."""
    if not text.strip():
        return None
    first, _, last = text.strip().partition("-")
    return int(first), int(last or first)


def _flows(code: str, exports: str, imports: str) -> tuple[float, float] | None:
    """A line's exports and imports (ValueError: not numbers; None: not amounts, as infinite or negative)."""
    flows = (float(exports), float(imports))
    low = -MAX_AMOUNT_MUSD if code == RESIDUAL else 0  # the residual is a difference, and may be negative
    return flows if low <= flows[0] <= MAX_AMOUNT_MUSD and low <= flows[1] <= MAX_AMOUNT_MUSD else None


def _read_totals(path: Path) -> dict[str, dict[str, tuple[float, float]]]:
    """period_totals.csv as {period key: {code: (exports, imports)}}: plain csv, as every command-line run
    reads it (the app reads it in the background, Catalog.check_totals)."""
    totals: dict[str, dict[str, tuple[float, float]]] = {}
    last_year = 0
    check_readable(path)
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.reader(handle)
            if next(reader, None) != TOTALS_HEADER.split(","):
                raise DataError(f"data file {path} is malformed: its header is not {TOTALS_HEADER}")
            for number, row in enumerate(reader, 2):
                try:
                    key, code, exports, imports = row
                    flows = _flows(code, exports, imports)
                except ValueError:
                    raise DataError(f"data file {path} is malformed at line {number}") from None
                if flows is None:
                    raise DataError(f"data file {path} is malformed at line {number}: not an amount")
                period = totals.get(key)
                if period is None:  # a new period: the file lists them oldest first (what the first year is read from)
                    year = _first_year(path, [key])
                    if year < last_year:
                        raise DataError(f"data file {path} is malformed at line {number}: its periods are not oldest first")
                    period = totals[key] = {}
                    last_year = year
                if code in period:
                    raise DataError(f"data file {path} is malformed at line {number}: {key} {code} is listed twice")
                period[code] = flows
    except FileNotFoundError:
        raise DataError(f"data file {path} is missing") from None
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise DataError(f"data file {path} cannot be read: {error}") from None
    return totals
