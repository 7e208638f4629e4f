"""Which release each figure comes from, and what the US total of a period is: plain Python.

release.json says it in "vintages": for "trade" (the partner figures) and "sectors"
(the HS chapters), keys mapped to a short release label. A key is a year ("2026"), a
range of years ("1985-2021") or one period ("2026-ytd8"), so that a dataset updated
month by month can name the release of each period; the most precise key that covers
a period wins. A dataset written before "vintages" existed names its releases in
"releases" and "sector_releases" (the same kinds of keys, keys of the latter led by
their flow: "imports 2023-2024"), else in "release_label" alone: each is read in turn.

"world_total" says what the US total is before the country file itemizes every
partner: Census's world total where it publishes one, else the sum of the partners
covered, which the app and the command line name as such.

Plain Python (no pandas): the first screen uses it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from tui.trade.periods import MONTH_ABBRS, MONTH_NAMES, Period

_KEY = re.compile(r"^(?:(?P<flow>[a-z]+)\s+)?(?P<first>\d{4})(?:\s*-\s*(?P<last>\d{4})|-ytd(?P<months>\d{1,2}))?$")
_MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(MONTH_ABBRS) if name})


def release_dict(source: Any) -> Mapping[str, Any]:
    """release.json's content, from a Catalog or Dataset (its .release), or the mapping itself."""
    if isinstance(source, Mapping):
        return source
    release = getattr(source, "release", None)
    return release if isinstance(release, Mapping) else {}


def _as_period(period: Period | int | str) -> Period:
    if isinstance(period, Period):
        return period
    text = str(period).strip()
    year, _, months = text.partition("-ytd")
    return Period(int(year), int(months) if months else 12)


def parse_key(key: str) -> tuple[str, int, int, int | None] | None:
    """'1985-2021' -> ('', 1985, 2021, None); '2026-ytd8' -> ('', 2026, 2026, 8); 'imports 2023' ->
    ('imports', 2023, 2023, None); None for a key that is none of these."""
    match = _KEY.match(str(key).strip().lower())
    if not match:
        return None
    first = int(match["first"])
    last = int(match["last"]) if match["last"] else first
    months = int(match["months"]) if match["months"] else None
    if last < first or (months is not None and not 1 <= months <= 12):
        return None
    return match["flow"] or "", first, last, months


def _label_for(mapping: Any, period: Period) -> str:
    """The label of the most precise key that covers the period: the period itself, its year, a range."""
    if not isinstance(mapping, Mapping):
        return ""
    best: tuple[int, str] | None = None
    for key, label in mapping.items():
        parsed = parse_key(key)
        if parsed is None or not isinstance(label, str):
            continue
        _, first, last, months = parsed
        if months is not None:
            if (first, months) == (period.year, period.months):
                return label
            continue
        if first <= period.year <= last and (best is None or last - first < best[0]):
            best = (last - first, label)
    return best[1] if best else ""


def release_of(catalog: Any, period: Period | int | str) -> str:
    """The release the partner figures of a period (a Period, a year or a key such as '2026-ytd8') come
    from; the dataset's overall label when it names none for that period."""
    release = release_dict(catalog)
    period = _as_period(period)
    vintages = release.get("vintages")
    label = _label_for(vintages.get("trade") if isinstance(vintages, Mapping) else None, period)
    label = label or _label_for(release.get("releases"), period)
    return label or str(release.get("release_label", ""))


def sector_release_of(catalog: Any, year: int | Period | str) -> str:
    """The release the HS chapters of a year come from (imports and exports may come from two)."""
    release = release_dict(catalog)
    period = Period(_as_period(year).year)
    vintages = release.get("vintages")
    label = _label_for(vintages.get("sectors") if isinstance(vintages, Mapping) else None, period)
    if label:
        return label
    by_flow = release.get("sector_releases")
    if isinstance(by_flow, Mapping):
        parts = []
        for key, text in by_flow.items():
            parsed = parse_key(key)
            if parsed is not None and isinstance(text, str) and parsed[1] <= period.year <= parsed[2]:
                parts.append(f"{parsed[0]}: {text}" if parsed[0] else text)
        if parts:
            return "; ".join(parts)
    return str(release.get("release_label", ""))


def release_date(label: str) -> tuple[int, int] | None:
    """The latest (year, month) a release label names ('Census country file of September 2026' ->
    (2026, 9); 'Census API (2025)' -> (2025, 0)); None when it names no year."""
    found: list[tuple[int, int]] = []
    for match in re.finditer(r"(?:([A-Za-z]+)\.?\s+)?(\d{4})(?:-(\d{2}))?", label):
        word, year, month = match.group(1), int(match.group(2)), match.group(3)
        number = int(month) if month else _MONTHS.get((word or "").lower(), 0)
        found.append((year, number))
    return max(found) if found else None


def sector_label(catalog: Any, sector_year: int) -> str:
    """The months a sector year's HS chapters cover: '2024', or for the latest year while it is incomplete its
    year to date ('2026 Jan-Sep'), which is what `tradegap update` fetches for it."""
    latest = getattr(catalog, "latest", None)
    if isinstance(latest, Period) and sector_year == latest.year and not latest.is_full_year:
        return latest.label
    return str(sector_year)


def chapters_note(catalog: Any, sector_year: int, period: Period | None = None) -> str:
    """'' when the chapters of sector_year come from the same release as the totals of the period
    (the sector year's by default); else what to say where both appear."""
    totals = release_of(catalog, period if period is not None else Period(sector_year))
    chapters = sector_release_of(catalog, sector_year)
    if not chapters or not totals or chapters == totals:
        return ""
    chapter_date, total_date = release_date(chapters), release_date(totals)
    if chapter_date is not None and chapter_date == total_date and chapter_date[1]:
        return ""  # the same month's release (an update fetches both from the API at once): they add up
    earlier: bool | None = None
    if chapter_date and total_date and (chapter_date[0] != total_date[0] or (chapter_date[1] and total_date[1])):
        earlier = chapter_date < total_date  # comparable: other years, or months of the same year
    which = {True: "an earlier release", False: "a later release", None: "another release"}[earlier]
    return f"chapters from {which} than the totals, so they do not add up to them exactly"


def world_total(catalog: Any) -> Mapping[str, Any]:
    value = release_dict(catalog).get("world_total")
    return value if isinstance(value, Mapping) else {}


def _in_years(text: Any, year: int) -> bool:
    for part in str(text or "").split(","):
        parsed = parse_key(part)
        if parsed is not None and parsed[1] <= year <= parsed[2]:
            return True
    return False


def partners_covered(catalog: Any, period: Period | int | str) -> bool:
    """True when the US total of the period is only the sum of the partners the source covers."""
    return _in_years(world_total(catalog).get("partners_covered"), _as_period(period).year)


def us_total_label(catalog: Any, period: Period | int | str) -> str:
    """'US total', or 'US total (partners covered)' for a year whose total is the partners' sum."""
    return "US total (partners covered)" if partners_covered(catalog, period) else "US total"


def all_partners_from(catalog: Any) -> int | None:
    """The first year the source itemizes every partner (1992), when the dataset says."""
    value = world_total(catalog).get("all_partners_from")
    return int(value) if isinstance(value, int) else None


def validate(release: Mapping[str, Any]) -> None:
    """ValueError when release.json's optional keys are not what the functions above read."""
    if not isinstance(release, Mapping):
        raise ValueError("is not a JSON object")
    vintages = release.get("vintages")
    if vintages is not None:
        if not isinstance(vintages, Mapping):
            raise ValueError("vintages is not a mapping")
        for kind, years in vintages.items():
            if not isinstance(years, Mapping):
                raise ValueError(f"vintages.{kind} is not a mapping")
            for key, label in years.items():
                if parse_key(key) is None or not isinstance(label, str):
                    raise ValueError(f"vintages.{kind}: {key!r} is not a year, a range of years or a period")
    totals = release.get("world_total")
    if totals is not None and not isinstance(totals, Mapping):
        raise ValueError("world_total is not a mapping")


def releases_by_years(catalog: Any, periods: list[Period]) -> list[tuple[str, str]]:
    """(periods, release) for runs of consecutive periods from one release: [('2017-2021', 'Census country
    file of April 2025'), ('2022-2025', ...), ('2026 Jan-Aug', ...)]."""
    runs: list[tuple[list[Period], str]] = []
    for period in periods:
        label = release_of(catalog, period)
        if runs and runs[-1][1] == label and runs[-1][0][-1].year + 1 == period.year:
            runs[-1][0].append(period)
        else:
            runs.append(([period], label))
    return [(run[0].label if len(run) == 1 else f"{run[0].year}-{run[-1].label}", label) for run, label in runs]


def compact(label: str) -> str:
    """A release label short enough for a status line: month names abbreviated, "country file" as "file"
    ('Census country file of September 2026' -> 'Census file of Sep 2026')."""
    for number, name in enumerate(MONTH_NAMES):
        if name:
            label = re.sub(rf"\b{name}\b", MONTH_ABBRS[number], label)
    label = label.replace("country file", "file")
    # the chapters' two sources: 'imports: Census API (2025); exports: USITC DataWeb (Aug 2025)'
    # -> 'Census API 2025 + DataWeb Aug 2025' (which flow each is: the help's About the data)
    sources = re.fullmatch(r"imports: (.+?) \((.+?)\); exports: (?:USITC )?(.+?) \((.+?)\)", label)
    if sources:
        label = f"{sources[1]} {sources[2]} + {sources[3]} {sources[4]}"
    return label
