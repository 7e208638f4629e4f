"""Which release each figure comes from: the vintage of every year of a dataset.

release.json carries, besides its other keys, "vintages": for "trade" (the partner
figures) and "sectors" (the HS chapters), year ranges mapped to a short release label:

    "vintages": {"trade": {"1985-2021": "Census country file of Apr 2025", ...},
                 "sectors": {"2023-2024": "...", ...}}

release_of() answers for a period; the command line's footers and --format json, and
the app, show it. Plain Python (no pandas), so the first screen can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

KINDS = ("trade", "sectors")


def release_dict(source: Any) -> Mapping[str, Any]:
    """release.json's content, from a Dataset (its .release), or the dict itself."""
    if isinstance(source, Mapping):
        return source
    release = getattr(source, "release", None)
    return release if isinstance(release, Mapping) else {}


def _year_of(period: Any) -> int:
    if isinstance(period, int):
        return period
    year = getattr(period, "year", None)
    if isinstance(year, int):
        return year
    match = re.match(r"\s*(\d{4})", str(period))
    if not match:
        raise ValueError(f"not a period: {period!r}")
    return int(match.group(1))


def expand_years(ranges: Mapping[str, str]) -> dict[int, str]:
    """{'1985-2021': 'x', '2026': 'y'} (keys may carry a word first: 'imports 2023-2024') -> {1985: 'x', ...}."""
    years: dict[int, str] = {}
    for key, label in ranges.items():
        match = re.search(r"(\d{4})(?:\s*-\s*(\d{4}))?\s*$", str(key))
        if not match:
            continue
        first = int(match.group(1))
        last = int(match.group(2) or first)
        for year in range(first, last + 1):
            years.setdefault(year, str(label))
    return years


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


def vintages_by_year(source: Any, kind: str = "trade") -> dict[int, str]:
    """Every year of the dataset that has a known release, with that release."""
    release = release_dict(source)
    vintages = release.get("vintages")
    if isinstance(vintages, Mapping) and isinstance(vintages.get(kind), Mapping):
        return expand_years(vintages[kind])
    if kind == "trade" and isinstance(release.get("releases"), Mapping):
        return expand_years(release["releases"])
    if kind == "sectors" and isinstance(release.get("sector_releases"), Mapping):
        by_flow: dict[int, list[str]] = {}
        for key, label in release["sector_releases"].items():
            for year, text in expand_years({key: label}).items():
                flow = str(key).split()[0] if " " in str(key) else ""
                by_flow.setdefault(year, []).append(f"{flow}: {text}" if flow else text)
        return {year: "; ".join(labels) for year, labels in by_flow.items()}
    return {}


def release_of(source: Any, period: Any, kind: str = "trade") -> str:
    """The release the figures of a period (a Period, a year, or '2026-ytd8') come from.

    kind: 'trade' (partner figures) or 'sectors' (HS chapters). When the dataset records no
    release for that year, its overall release label."""
    if kind not in KINDS:
        raise ValueError(f"kind is one of {KINDS}, not {kind!r}")
    label = vintages_by_year(source, kind).get(_year_of(period))
    if label:
        return label
    return str(release_dict(source).get("release_label", ""))


def with_vintage(release: Mapping[str, Any], kind: str, years: Iterable[int], label: str) -> dict[str, Any]:
    """A copy of release.json's content where the given years of kind come from the release label."""
    result = dict(release)
    vintages = {k: dict(v) for k, v in dict(result.get("vintages") or {}).items()}
    by_year = vintages_by_year(release, kind)
    for year in years:
        by_year[int(year)] = label
    vintages[kind] = compress_vintages(by_year)
    for other in KINDS:
        if other not in vintages:
            vintages[other] = compress_vintages(vintages_by_year(release, other))
    result["vintages"] = {k: vintages[k] for k in KINDS}
    return result
