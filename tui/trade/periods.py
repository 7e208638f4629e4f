"""Periods: a calendar year, the first N months of a year (year to date), or a single month.

Plain Python: the app's first screen parses its period before pandas is imported.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple, Protocol

#: month names as Census writes them, by number (index 0 empty, as in calendar.month_name; not the locale's)
MONTH_NAMES = ("", "January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December")
MONTH_ABBRS = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class PeriodError(ValueError):
    """A year or period the dataset has no data for."""


#: How --year and the settings write each kind of period, for help texts and errors.
PERIOD_FORMS = "a year (2024), a year to date (2026-ytd3: January to March) or a month (2026-03)"


class _PeriodFields(NamedTuple):
    year: int
    months: int = 12  # January through this month; with single, this month alone
    single: bool = False  # one month (the `months`-th), not the year to date


class Period(_PeriodFields):
    """A year, the months of a year to date, or one month: immutable, ordered by (year, months, single).

    A NamedTuple rather than a frozen, ordered dataclass, which took a millisecond to make at each start."""

    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Period:
        period = super().__new__(cls, *args, **kwargs)
        if not 1 <= period.months <= 12:
            raise ValueError(f"a period covers 1 to 12 months, not {period.months}")
        return period

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """One month of a year: Period.month(2026, 3) is March 2026."""
        if not 1 <= month <= 12:
            raise ValueError(f"a month is 1 to 12, not {month}")
        return cls(year, month, single=True)

    @property
    def is_full_year(self) -> bool:
        return self.months == 12 and not self.single

    @property
    def first_month(self) -> int:
        """The period's first month: January, or the month itself for a single month."""
        return self.months if self.single else 1

    @property
    def month_numbers(self) -> range:
        """The months (1-12) the period covers."""
        return range(self.first_month, self.months + 1)

    @property
    def previous(self) -> Period:
        """The same months of the year before: what a change is measured against."""
        return self.shifted(-1)

    def shifted(self, years: int) -> Period:
        """The same months `years` later (earlier when negative)."""
        return Period(self.year + years, self.months, self.single)

    @property
    def label(self) -> str:
        """'2024', '2026 Jan-Aug' for a year to date, '2026 Mar' for a month."""
        if self.is_full_year:
            return str(self.year)
        if self.single or self.months == 1:
            return f"{self.year} {MONTH_ABBRS[self.months]}"
        return f"{self.year} Jan-{MONTH_ABBRS[self.months]}"

    @property
    def key(self) -> str:
        """A stable text form for settings and the command line: '2024', '2026-ytd8' or '2026-03'."""
        if self.single:
            return f"{self.year}-{self.months:02d}"
        return str(self.year) if self.is_full_year else f"{self.year}-ytd{self.months}"

    def __str__(self) -> str:
        return self.label


class Covers(Protocol):
    """What a dataset says about the time it covers (a Dataset, or the first screen's QuickData)."""

    @property
    def latest(self) -> Period: ...

    @property
    def first_year(self) -> int: ...


def available_periods(first_year: int, latest: Period) -> list[Period]:
    """Every complete year, then the latest year-to-date period, oldest first."""
    last_full = latest.year if latest.is_full_year else latest.year - 1
    periods = [Period(y) for y in range(first_year, last_full + 1)]
    if not latest.is_full_year:
        periods.append(latest)
    return periods


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


#: what --year takes for the latest period (and None, no --year)
LATEST_FORMS = ("", "latest", "ytd")


def names_latest(text: object) -> bool:
    """True when a --year means the latest period (the latest year to date; for HS chapters, their latest year)."""
    return text is None or str(text).strip().lower() in LATEST_FORMS


def parse_period(ds: Covers, text: str | int | None) -> Period:
    """'2024', 2024, 'latest', '2026-ytd8', '2026-03' or None (latest) to a Period with data.

    The latest year, when incomplete, means its year to date.
    """
    latest = ds.latest
    if names_latest(text):
        return latest
    raw = str(text).strip().lower()
    month = _MONTH.match(raw)
    if month:
        return _month_period(ds, int(month.group(1)), int(month.group(2)))
    year_text, _, ytd = raw.partition("-ytd")
    try:
        year = int(year_text)
        months = int(ytd) if ytd else None
    except ValueError:
        raise PeriodError(f"'{text}' is not a period: give {PERIOD_FORMS}") from None
    _check_year(ds, year)
    if year == latest.year:
        months = latest.months if months is None else months
        if months > latest.months:
            raise PeriodError(f"no data for {year} beyond {latest.label}")
    try:
        return Period(year, 12 if months is None else months)
    except ValueError as error:
        raise PeriodError(str(error)) from None


def _check_year(ds: Covers, year: int) -> None:
    if not ds.first_year <= year <= ds.latest.year:
        raise PeriodError(f"no data for {year}: tradegap covers {ds.first_year} to {ds.latest.label}")


def _month_period(ds: Covers, year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"a month is 01 to 12, not {month:02d}")
    _check_year(ds, year)
    latest = ds.latest
    if year == latest.year and month > latest.months:
        raise PeriodError(f"no data for {year}-{month:02d}: the latest month is {year}-{latest.months:02d}")
    return Period.month(year, month)
