"""The facts the pipeline adds to the sources, loaded from the data files in curation/.

Display names, computed blocs and their members, the member rules of Census's
aggregates, HS chapter names, DataWeb spellings, the differences between
sources that are understood, the published figures a build must reproduce and
the vintages of the shipped sources. They are data, not code: edit the files,
rebuild, and the checks say whether the result still holds.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

CURATION_DIRECTORY = Path(__file__).resolve().parent / "curation"


@dataclass(frozen=True)
class Span:
    """One membership: a member from `start` to `end` (months 'YYYY-MM', inclusive; '' = open: before
    the data begins, or still a member), with the source of its dates."""

    code: str
    name: str
    start: str = ""
    end: str = ""
    source: str = ""


@dataclass(frozen=True)
class Bloc:
    """A computed bloc: its memberships with their dates.

    membership "dated": each month sums the members of that month; "today": today's members (those of
    the dataset's latest month) in every period. A dated bloc with `today` also gets a variant of
    today's members under that code and name."""

    code: str
    name: str
    membership: str  # "dated" or "today"
    source: str
    spans: tuple[Span, ...]
    today: tuple[str, str] | None = None  # (code, name) of the today's-members variant

    @property
    def members(self) -> dict[str, str]:
        """Every code that is or was a member -> its name."""
        return {span.code: span.name for span in self.spans}

    @property
    def since(self) -> str:
        """The first month the bloc has members ('' when it has had them since before the data)."""
        starts = [span.start for span in self.spans]
        return "" if "" in starts else min(starts)


@dataclass(frozen=True)
class AggregateRule:
    """How the members of a Census aggregate are derived from the partner codes."""

    code: str
    rule: str  # "list", "range" or "dated" (spans with their dates)
    codes: tuple[str, ...] = ()
    spans: tuple[Span, ...] = ()
    source: str = ""
    low: int = 0
    high: int = 0
    exclude: frozenset[str] = frozenset()
    note: str = ""


@dataclass(frozen=True)
class Curation:
    display_names: dict[str, str]
    blocs: dict[str, Bloc]
    census_aggregates: dict[str, AggregateRule]
    dropped_codes: dict[str, str]  # Census series not shipped -> why
    census_world: str  # the Census world series used to validate WORLD
    extra_codes: dict[str, dict[str, str]]  # codes in the country file but not in the partner list
    not_iso3: frozenset[str]
    not_iso2: frozenset[str]
    continents: dict[str, str]  # Census code of a place -> its continent or region
    partner_notes: dict[str, tuple[int, int, str, str]]  # code -> (first_year, last_year, note, source)
    world_total: dict[str, Any]  # how WORLD is made before every partner is itemized (see codes.json)
    chapter_names: dict[int, str]
    dataweb_names: dict[str, str]  # DataWeb spelling -> Census code
    hs_aggregate_checks: list[tuple[str, str]]  # (HS-file aggregate code, tradegap group code)
    api_aggregates: dict[str, str]  # Census API aggregate code -> the Census aggregate it is in the dataset
    known_group_differences: dict[tuple[str, int, int], str]
    known_sector_differences: dict[tuple[str, int, str], str]
    known_opec_differences: dict[int, str]  # year -> why the OPEC bloc differs from Census's OPEC series
    reference_figures: dict[str, Any]
    release_label: str
    releases: dict[str, str]
    sector_releases: dict[str, str]
    vintages: dict[str, dict[str, str]]  # "trade"/"sectors" -> years -> short release label


def _read_json(name: str) -> Any:
    return json.loads((CURATION_DIRECTORY / name).read_text(encoding="utf-8"))


def _read_csv(name: str) -> list[dict[str, str]]:
    with open(CURATION_DIRECTORY / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@cache
def load_curation() -> Curation:
    blocs = {
        code: Bloc(code=code, name=entry["name"], membership=entry["membership"], source=entry["source"],
                   spans=_spans(entry["members"]),
                   today=(entry["today"]["code"], entry["today"]["name"]) if "today" in entry else None)
        for code, entry in _read_json("blocs.json").items()
    }
    aggregates = {}
    for code, entry in _read_json("census_aggregates.json").items():
        spans = _spans(entry.get("members", []))
        codes = entry.get("codes", []) or sorted({span.code for span in spans})
        aggregates[code] = AggregateRule(
            code=code, rule=entry["rule"], codes=tuple(codes), spans=spans, source=entry.get("source", ""),
            low=int(entry.get("low", 0)), high=int(entry.get("high", 0)),
            exclude=frozenset(entry.get("exclude", [])), note=entry["note"])
    codes = _read_json("codes.json")
    differences = _read_json("known_differences.json")
    reasons = differences["sector_reasons"]
    releases = _read_json("releases.json")
    return Curation(
        display_names={row["code"]: row["name"] for row in _read_csv("display_names.csv")},
        blocs=blocs,
        census_aggregates=aggregates,
        dropped_codes=dict(codes["dropped"]),
        census_world=codes["census_world"],
        extra_codes={code: dict(entry) for code, entry in codes["extra"].items()},
        not_iso3=frozenset(codes["not_iso3"]),
        not_iso2=frozenset(codes["not_iso2"]),
        continents={row["code"]: row["continent"] for row in _read_csv("continents.csv")},
        partner_notes={row["code"]: (int(row["first_year"]), int(row["last_year"]), row["note"], row["source"])
                       for row in _read_csv("partner_notes.csv")},
        world_total=dict(codes["world_total"]),
        chapter_names={int(row["chapter"]): row["name"] for row in _read_csv("chapter_names.csv")},
        dataweb_names={row["dataweb_name"]: row["code"] for row in _read_csv("dataweb_names.csv")},
        hs_aggregate_checks=[(row["hs_code"], row["group_code"]) for row in _read_csv("hs_aggregate_checks.csv")],
        api_aggregates={row["api_code"]: row["code"] for row in _read_csv("api_aggregates.csv")},
        known_group_differences={
            (entry["group"], int(entry["first_year"]), int(entry["last_year"])): entry["why"]
            for entry in differences["groups"]
        },
        known_sector_differences={
            (entry["code"], int(entry["year"]), entry["flow"]): f"{reasons[entry['reason']]} {entry['detail']}".strip()
            for entry in differences["sectors"]
        },
        known_opec_differences={int(entry["year"]): entry["why"] for entry in differences.get("opec", [])},
        reference_figures=_read_json("reference_figures.json"),
        release_label=releases["release_label"],
        releases=dict(releases["releases"]),
        sector_releases=dict(releases["sector_releases"]),
        vintages={kind: dict(years) for kind, years in releases["vintages"].items()},
    )


def _spans(entries: list[dict[str, str]]) -> tuple[Span, ...]:
    """Memberships from the curation files; a month is 'YYYY-MM' or '' (open)."""
    spans = []
    for entry in entries:
        for key in ("start", "end"):
            value = entry.get(key, "")
            if value and not (len(value) == 7 and value[4] == "-" and value[:4].isdigit() and value[5:].isdigit()
                              and 1 <= int(value[5:]) <= 12):
                raise ValueError(f"curation: {entry['code']} {key} {value!r} is not a month (YYYY-MM)")
        if entry.get("start") and entry.get("end") and entry["end"] < entry["start"]:
            raise ValueError(f"curation: {entry['code']} ends ({entry['end']}) before it starts ({entry['start']})")
        spans.append(Span(code=entry["code"], name=entry.get("name", ""), start=entry.get("start", ""),
                          end=entry.get("end", ""), source=entry.get("source", "")))
    return tuple(spans)
