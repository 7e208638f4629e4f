"""Periods: a calendar year, or the first N months of a year (year to date)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass


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
    def previous(self) -> "Period":
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
