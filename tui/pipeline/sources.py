"""The raw source files a build reads, and the error raised when one cannot be used."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path


class SourceError(Exception):
    """A source is missing, malformed or cannot be interpreted. The message is one line naming it."""


class UnmappedNameError(SourceError):
    """A partner name in a source that matches no Census code."""


COUNTRY_CSV_FILE = "census-country-monthly-1985-2025feb.csv"
COUNTRY_JSON_FILES = {year: f"census-country-monthly-{year}.json" for year in range(2022, 2027)}
PARTNERS_FILE = "census-partners.json"
SCHEDULE_C_FILE = "census-schedule-c-country-codes.txt"
HS_IMPORTS_FILE = "census-hs2-imports-by-partner-monthly-2023-2024.csv.gz"
DATAWEB_EXPORTS_FILE = "dataweb-hs2-exports-by-country-2020-2024.csv"
SEASONALLY_ADJUSTED_FILE = "census-country-seasonally-adjusted-2009-2025.csv"
#: Census's code of its OPEC series in the seasonally adjusted file (a check of the OPEC bloc)
OPEC_SERIES = 1

#: the April 2025 country CSV is used up to this year (final years, no longer revised)
COUNTRY_CSV_LAST_YEAR = 2021
#: the years the sector files cover
SECTOR_YEARS = (2023, 2024)


@dataclass(frozen=True)
class SourceFiles:
    """Where each raw source of the shipped dataset is."""

    directory: Path

    @property
    def names(self) -> list[str]:
        return [COUNTRY_CSV_FILE, PARTNERS_FILE, SCHEDULE_C_FILE, HS_IMPORTS_FILE, DATAWEB_EXPORTS_FILE,
                *COUNTRY_JSON_FILES.values(), SEASONALLY_ADJUSTED_FILE]

    def path(self, name: str) -> Path:
        return self.directory / name

    def require_all(self) -> None:
        """SourceError naming the first source file that is missing."""
        for name in self.names:
            if not self.path(name).is_file():
                raise SourceError(f"{name}: missing from {self.directory}")


def sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
