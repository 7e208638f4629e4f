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
class Bloc:
    """A computed bloc: a member list applied to every year."""

    code: str
    name: str
    as_of: str
    source: str
    members: dict[str, str]  # Census code -> name (as a reader checks it)


@dataclass(frozen=True)
class AggregateRule:
    """How the members of a Census aggregate are derived from the partner codes."""

    code: str
    rule: str  # "list" or "range"
    codes: tuple[str, ...] = ()
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
    continents: dict[str, str]  # first digit of a Census code -> continent
    chapter_names: dict[int, str]
    dataweb_names: dict[str, str]  # DataWeb spelling -> Census code
    hs_aggregate_checks: list[tuple[str, str]]  # (HS-file aggregate code, tradegap group code)
    api_aggregates: dict[str, str]  # Census API aggregate code -> the Census aggregate it is in the dataset
    known_group_differences: dict[tuple[str, int, int], str]
    known_sector_differences: dict[tuple[str, int, str], str]
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
        code: Bloc(code=code, name=entry["name"], as_of=entry["as_of"], source=entry["source"],
                   members=dict(entry["members"]))
        for code, entry in _read_json("blocs.json").items()
    }
    aggregates = {}
    for code, entry in _read_json("census_aggregates.json").items():
        codes = entry.get("codes", [])
        if "members_of_bloc" in entry:
            codes = sorted(blocs[entry["members_of_bloc"]].members)
        aggregates[code] = AggregateRule(
            code=code, rule=entry["rule"], codes=tuple(codes), low=int(entry.get("low", 0)),
            high=int(entry.get("high", 0)), exclude=frozenset(entry.get("exclude", [])), note=entry["note"])
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
        continents=dict(codes["continents"]),
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
        reference_figures=_read_json("reference_figures.json"),
        release_label=releases["release_label"],
        releases=dict(releases["releases"]),
        sector_releases=dict(releases["sector_releases"]),
        vintages={kind: dict(years) for kind, years in releases["vintages"].items()},
    )
