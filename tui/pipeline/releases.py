"""Recording which release each year of a dataset comes from: the "vintages" an update or an import writes.

release.json carries, besides its other keys, "vintages": for "trade" (the partner
figures) and "sectors" (the HS chapters), year ranges mapped to a short release label:

    "vintages": {"trade": {"1985-2021": "Census country file of Apr 2025", ...},
                 "sectors": {"2023-2024": "...", ...}}

Reading them is tui.trade.releases's (release_of, sector_release_of): this module only
writes them, reading what a dataset says through that module, so that what is written
is read back as written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from tui.trade import releases
from tui.trade.periods import Period

KINDS = ("trade", "sectors")


def compress_vintages(years: Mapping[int, str]) -> dict[str, str]:
    """{1985: 'x', 1986: 'x', 2026: 'y'} -> {'1985-1986': 'x', '2026': 'y'}: runs of years with one label."""
    ranges: dict[str, str] = {}
    ordered = sorted(years)
    start = 0
    while start < len(ordered):
        end = start
        while (end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1
               and years[ordered[end + 1]] == years[ordered[start]]):
            end += 1
        key = str(ordered[start]) if start == end else f"{ordered[start]}-{ordered[end]}"
        ranges[key] = years[ordered[start]]
        start = end + 1
    return ranges


def _keys(release: Mapping[str, Any], kind: str) -> list[str]:
    """The keys that name a release of kind: the vintages', else the older keys' (releases, sector_releases)."""
    vintages = release.get("vintages")
    if isinstance(vintages, Mapping) and isinstance(vintages.get(kind), Mapping):
        return [str(key) for key in vintages[kind]]
    older = release.get("releases" if kind == "trade" else "sector_releases")
    return [str(key) for key in older] if isinstance(older, Mapping) else []


def recorded_years(release: Mapping[str, Any], kind: str = "trade") -> dict[int, str]:
    """Every year the dataset names a release of kind for, with that release as tui.trade.releases reads it."""
    if kind not in KINDS:
        raise ValueError(f"kind is one of {KINDS}, not {kind!r}")
    years: set[int] = set()
    for key in _keys(release, kind):
        parsed = releases.parse_key(key)
        if parsed is not None and parsed[3] is None:
            years.update(range(parsed[1], parsed[2] + 1))
    read = releases.release_of if kind == "trade" else releases.sector_release_of
    return {year: read(release, Period(year)) for year in sorted(years)}


def with_vintage(release: Mapping[str, Any], kind: str, years: Iterable[int], label: str) -> dict[str, Any]:
    """A copy of release.json's content where the given years of kind come from the release label; the
    releases of the other years as tui.trade.releases reads them (a period key such as '2026-ytd8' stays
    unless its year is given)."""
    result = dict(release)
    years = [int(year) for year in years]
    vintages: dict[str, dict[str, str]] = {}
    for each in KINDS:
        by_year = recorded_years(release, each)
        if each == kind:
            by_year.update({year: label for year in years})
        compressed = compress_vintages(by_year)
        current = release.get("vintages")
        current_kind = current.get(each) if isinstance(current, Mapping) else None
        if isinstance(current_kind, Mapping):
            for key, text in current_kind.items():
                parsed = releases.parse_key(str(key))
                if parsed is not None and parsed[3] is not None and not (each == kind and parsed[1] in years):
                    compressed[str(key)] = str(text)
        vintages[each] = compressed
    result["vintages"] = vintages
    return result
