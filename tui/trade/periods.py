"""Periods: a calendar year, or the first N months of a year (year to date).

Plain Python: the app's first screen parses its period before pandas is imported.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from typing import Protocol


class PeriodError(ValueError):
    """A year or period the dataset has no data for."""


@dataclass(frozen=True, order=True)
class Period:
    year: int
    months: int = 12  # January through this month

    def __post_init__(self) -> None:
        if not 1 <= self.months <= 12:
            raise ValueError(f"a period covers 1 to 12 months, not {self.months}")

    @property
    def is_full_year(self) -> bool:
        return self.months == 12

    @property
    def previous(self) -> Period:
        """The same months of the year before: what a change is measured against."""
        return Period(self.year - 1, self.months)

    @property
    def label(self) -> str:
        """'2024', or '2026 Jan-Aug' for a year to date."""
        if self.is_full_year:
            return str(self.year)
        if self.months == 1:
            return f"{self.year} Jan"
        return f"{self.year} Jan-{calendar.month_abbr[self.months]}"

    @property
    def key(self) -> str:
        """A stable text form for settings and the command line: '2024' or '2026-ytd8'."""
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


def parse_period(ds: Covers, text: str | int | None) -> Period:
    """'2024', 2024, 'latest', '2026-ytd8' or None (latest) to a Period with data.

    The latest year, when incomplete, means its year to date.
    """
    latest = ds.latest
    if text is None or str(text).strip().lower() in ("", "latest", "ytd"):
        return latest
    raw = str(text).strip().lower()
    year_text, _, ytd = raw.partition("-ytd")
    try:
        year = int(year_text)
        months = int(ytd) if ytd else None
    except ValueError:
        raise PeriodError(f"'{text}' is not a year (tradegap covers {ds.first_year} to {latest.label})") from None
    if not ds.first_year <= year <= latest.year:
        raise PeriodError(f"no data for {year}: tradegap covers {ds.first_year} to {latest.label}")
    if year == latest.year:
        months = latest.months if months is None else months
        if months > latest.months:
            raise PeriodError(f"no data for {year} beyond {latest.label}")
    try:
        return Period(year, 12 if months is None else months)
    except ValueError as error:
        raise PeriodError(str(error)) from None
