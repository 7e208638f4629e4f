"""The build of the shipped dataset from the raw sources: parse, assemble, check, write.

If any check fails nothing is written. Output is deterministic: rows are sorted and
numbers written with a fixed number of decimals, so building twice from the same
sources gives byte-identical files.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from tui.pipeline import assemble, checks, parsers, report, write
from tui.pipeline.checks import Check
from tui.pipeline.curation import Curation, load_curation
from tui.pipeline.period_totals import build_period_totals, check_period_totals
from tui.pipeline.sources import (
    COUNTRY_CSV_FILE,
    COUNTRY_CSV_LAST_YEAR,
    COUNTRY_JSON_FILES,
    DATAWEB_EXPORTS_FILE,
    HS_IMPORTS_FILE,
    OPEC_SERIES,
    PARTNERS_FILE,
    SCHEDULE_C_FILE,
    SEASONALLY_ADJUSTED_FILE,
    SECTOR_YEARS,
    SourceError,
    SourceFiles,
    sha256_of_file,
)
from tui.pipeline.text import compress_years, title_case
from tui.pipeline.units import dollars_to_thousands
from tui.trade.schema import PLACE_KINDS, WORLD


@dataclass
class BuildResult:
    files: dict[str, str]  # output file name -> text
    checks: list[Check]
    facts: dict[str, Any]

    @property
    def failures(self) -> list[str]:
        return [failure for check in self.checks for failure in check.failures]


def build_from_sources(directory: Path, curation: Curation | None = None) -> BuildResult:
    """Parse, assemble and check everything; return the texts to write and the checks.

    Raises SourceError if a source cannot be interpreted."""
    curation = curation or load_curation()
    source_files = SourceFiles(Path(directory))
    source_files.require_all()
    path = source_files.path

    partners_json = parsers.parse_partners_json(path(PARTNERS_FILE))
    schedule_c = parsers.parse_schedule_c(path(SCHEDULE_C_FILE))
    csv_monthly, csv_annual, census_names = parsers.parse_country_csv(path(COUNTRY_CSV_FILE))
    unknown = sorted(set(csv_annual["code"]) - set(partners_json["census_code"]) - set(curation.extra_codes))
    if unknown:
        raise SourceError(f"{COUNTRY_CSV_FILE}: codes not in census-partners.json and not handled: {unknown}")
    json_monthly_parts, json_annual_parts = [], []
    for year, name in sorted(COUNTRY_JSON_FILES.items()):
        monthly_part, annual_part = parsers.parse_country_json(path(name), partners_json)
        if set(annual_part["year"]) != {year}:
            raise SourceError(f"{name}: contains years {sorted(set(annual_part['year']))}, expected {year}")
        json_monthly_parts.append(monthly_part)
        json_annual_parts.append(annual_part)
    json_monthly = pd.concat(json_monthly_parts, ignore_index=True)
    json_annual = pd.concat(json_annual_parts, ignore_index=True)

    results: list[Check] = [
        checks.check_balance(json_annual),
        checks.check_month_sums(csv_monthly, csv_annual[csv_annual["year"] <= COUNTRY_CSV_LAST_YEAR],
                                label="CSV 1985-2021"),
        checks.check_month_sums(json_monthly, json_annual, label="JSON 2022-2026"),
    ]

    # Census's world series, for validation only
    census_world_monthly = csv_monthly[csv_monthly["code"] == curation.census_world]
    census_world_annual = csv_annual[csv_annual["code"] == curation.census_world]

    # assemble, drop the series that are not places, merge codes
    monthly, census_annual = assemble.combine_country_sources(csv_monthly, csv_annual, json_monthly, json_annual)
    monthly = monthly[~monthly["code"].isin(curation.dropped_codes)]
    census_annual = census_annual[~census_annual["code"].isin(curation.dropped_codes)]
    alternatives = assemble.alternative_code_map(partners_json, curation)
    alternative_years = {
        old: (compress_years(census_annual.loc[census_annual["code"] == old, "year"].tolist())
              or "none (all-zero rows only)") for old in alternatives}
    monthly = assemble.merge_codes(monthly, alternatives, ["code", "year", "month"], ["exports", "imports"])
    census_annual = assemble.merge_codes(census_annual, alternatives, ["code", "year"], ["exports", "imports"])
    monthly = monthly.dropna(subset=["exports", "imports"], how="all")
    annual = assemble.finalize_annual(monthly, census_annual)

    # partners (without the groups' years yet) and memberships
    first_partners = assemble.build_partners(partners_json, schedule_c, census_names, alternatives, annual, curation)
    places = first_partners.loc[first_partners["kind"].isin(PLACE_KINDS), "code"].tolist()

    # before every partner is itemized, WORLD is Census's world total where it is published: the rest is a row
    residual_code = curation.world_total["residual"]["code"]
    itemized = [code for code in places if code != residual_code]
    residual_monthly, residual_annual = assemble.world_residual(
        monthly[monthly["code"].isin(itemized)], annual[annual["code"].isin(itemized)],
        census_world_monthly, census_world_annual, residual_code, int(curation.world_total["all_partners_from"]))
    monthly = pd.concat([monthly, residual_monthly], ignore_index=True)
    annual = pd.concat([annual, residual_annual], ignore_index=True)

    latest_year = int(monthly["year"].max())
    latest = (latest_year, int(monthly.loc[monthly["year"] == latest_year, "month"].max()))
    first_month = (int(monthly["year"].min()), int(monthly.loc[monthly["year"] == monthly["year"].min(), "month"].min()))
    census_members = assemble.derive_census_members(first_partners, curation)
    census_spans = assemble.census_memberships(census_members, curation, monthly, first_month, latest)
    bloc_spans = assemble.bloc_memberships(curation, latest)
    assemble.check_spans(pd.concat([census_spans, bloc_spans], ignore_index=True))
    computed = pd.concat([bloc_spans, pd.DataFrame({"group": WORLD, "member": sorted(places), "start": "", "end": ""})],
                         ignore_index=True)
    computed_codes = set(computed["group"])

    place_monthly, place_annual = monthly[monthly["code"].isin(places)], annual[annual["code"].isin(places)]
    group_monthly = assemble.group_sum_monthly(place_monthly, computed)
    group_annual = assemble.group_sum_annual(place_annual, group_monthly, computed, place_monthly)
    monthly = pd.concat([monthly, group_monthly], ignore_index=True)
    annual = pd.concat([annual, group_annual], ignore_index=True)
    monthly = monthly.sort_values(["code", "year", "month"]).reset_index(drop=True)
    annual = annual.sort_values(["code", "year"]).reset_index(drop=True)
    partners = assemble.build_partners(partners_json, schedule_c, census_names, alternatives, annual, curation)

    # bloc members must be current partner countries
    by_code = partners.set_index("code")
    wrong = [f"{code}: {span.code} ({span.name})" for code, bloc in curation.blocs.items() for span in bloc.spans
             if span.code not in by_code.index or by_code.loc[span.code, "kind"] != "country"]
    if wrong:
        raise SourceError("bloc members that are not current partner countries: " + "; ".join(wrong))

    # month sums of the output (merged codes, groups)
    output_sums = checks.check_month_sums(monthly, annual[annual["months"] == 12], label="output")
    singles = annual[~annual["code"].isin(computed_codes)]
    output_single_sums = checks.check_month_sums(monthly, singles[singles["months"] == 12], label="output partners")
    output_sums.failures = []  # group sums accumulate their members' rounding: information only
    output_sums.name = "month sums output (groups, info)"
    results += [output_single_sums, output_sums]

    # Census's aggregates against their members (the EU with the members of each period)
    census_summed = assemble.census_sum_memberships(census_members, curation)
    census_sum_monthly = assemble.group_sum_monthly(place_monthly, census_summed)
    census_sums = assemble.group_sum_annual(place_annual, census_sum_monthly, census_summed, place_monthly)
    results.append(checks.check_groups_vs_census(annual, census_members, curation.known_group_differences,
                                                 member_sums=census_sums))
    census_opec = parsers.parse_seasonally_adjusted_series(path(SEASONALLY_ADJUSTED_FILE), OPEC_SERIES)
    today_opec = curation.blocs["OPEC"].today
    results.append(checks.check_bloc_vs_census(annual, "OPEC", census_opec, curation.known_opec_differences,
                                               today_code=today_opec[0] if today_opec else None))
    results.append(checks.check_world(annual[annual["code"] == WORLD], monthly[monthly["code"] == WORLD],
                                      census_world_monthly, census_world_annual))

    # sectors
    hs_imports = parsers.parse_hs_imports(path(HS_IMPORTS_FILE))
    dataweb_exports = parsers.parse_dataweb_exports(path(DATAWEB_EXPORTS_FILE))
    dataweb_codes = assemble.map_dataweb_names(dataweb_exports["country"].unique(), partners, partners_json,
                                               alternatives, curation.dataweb_names)
    sectors = assemble.build_sectors(hs_imports, dataweb_exports, dataweb_codes, alternatives,
                                     pd.concat([census_summed, computed], ignore_index=True))
    sectors = with_thousands(sectors)
    prior = assemble.merge_codes(csv_annual[csv_annual["year"].isin(SECTOR_YEARS)], alternatives, ["code", "year"],
                                 ["exports", "imports"])
    results.append(checks.check_sectors_vs_totals(sectors, annual, partners, prior,
                                                  known=curation.known_sector_differences))
    results.append(checks.check_hs_aggregates(sectors, hs_imports, curation.hs_aggregate_checks))

    group_members = assemble.build_group_members(census_spans, bloc_spans)
    results.append(checks.check_partners_table(partners))
    results.append(checks.check_codes_known(partners, {
        "trade_monthly": (monthly, ["code"]), "trade_annual": (annual, ["code"]),
        "sectors": (sectors, ["code"]), "group_members": (group_members, ["group", "member"]),
    }))
    results.append(checks.check_reference_figures(annual, partners, sectors, curation.reference_figures))
    period_totals = build_period_totals(monthly, annual)
    results.append(check_period_totals(period_totals, monthly, annual))

    groups = assemble.build_groups(partners, census_members, curation, latest)
    descriptions = {**dataweb_exports.attrs["descriptions"], **hs_imports.attrs["descriptions"]}
    chapters = build_chapters(sorted(set(sectors["chapter"])), descriptions, curation)

    latest_year, latest_month = latest
    release = {
        "latest_year": latest_year, "latest_month": latest_month,
        "release_label": curation.release_label,
        "releases": curation.releases,
        "sector_releases": curation.sector_releases,
        "vintages": curation.vintages,
        "world_total": world_total_basis(census_world_annual, int(monthly["year"].min()), curation),
        "built_from": [{"file": name, "sha256": sha256_of_file(path(name))} for name in sorted(source_files.names)],
    }
    tables = dict(partners=partners, monthly=monthly, annual=annual, groups=groups, group_members=group_members,
                  sectors=sectors, chapters=chapters, period_totals=period_totals)
    files = write.trade_files(tables)
    files["release.json"] = write.json_text(release)
    facts = dict(**tables, census_members=census_members, alternatives=alternatives, dataweb_codes=dataweb_codes,
                 latest=(latest_year, latest_month), census_names=census_names, alternative_years=alternative_years,
                 world_total=release["world_total"],
                 file_rows={name: text.count("\n") - 1 for name, text in files.items()})
    files["SOURCES.md"] = report.render_sources_markdown(results, facts, curation)
    return BuildResult(files=files, checks=results, facts=facts)


def world_total_basis(census_world_annual: pd.DataFrame, first_year: int, curation: Curation) -> dict[str, Any]:
    """release.json's "world_total": the first year the country file itemizes every partner, and the years
    before it whose US total is Census's world total or the sum of the partners covered."""
    itemized_from = int(curation.world_total["all_partners_from"])
    census_years = set(int(y) for y in census_world_annual.loc[census_world_annual["months"] == 12, "year"])
    before = range(first_year, itemized_from)
    return {
        "all_partners_from": itemized_from,
        "census_world_total": compress_years([y for y in before if y in census_years]),
        "partners_covered": compress_years([y for y in before if y not in census_years]),
    }


def with_thousands(sectors: pd.DataFrame) -> pd.DataFrame:
    """Sectors with exports_k/imports_k (integer thousands of dollars), without rows where both round to
    zero, sorted."""
    sectors = sectors.copy()
    sectors["exports_k"] = dollars_to_thousands(sectors["exports"])
    sectors["imports_k"] = dollars_to_thousands(sectors["imports"])
    sectors = sectors[(sectors["exports_k"] != 0) | (sectors["imports_k"] != 0)]
    return sectors.sort_values(["code", "year", "chapter"]).reset_index(drop=True)


def build_chapters(chapters: list[int], descriptions: dict[int, str], curation: Curation) -> pd.DataFrame:
    """chapters.csv: each chapter's short name (curation) and Census's description in title case."""
    missing = [chapter for chapter in chapters if chapter not in curation.chapter_names]
    if missing:
        raise SourceError(f"no short name for HS chapters {missing}")
    return pd.DataFrame([dict(chapter=chapter, name=curation.chapter_names[chapter],
                              description=title_case(descriptions[chapter])) for chapter in chapters])


def main(argv: list[str] | None = None, default_sources: Path | None = None, default_out: Path | None = None) -> int:
    """The command line of data/build.py."""
    parser = argparse.ArgumentParser(description="Build tradegap's shipped dataset from the raw sources.")
    parser.add_argument("--sources", type=Path, default=default_sources)
    parser.add_argument("--out", type=Path, default=default_out)
    args = parser.parse_args(argv)
    if args.sources is None or args.out is None:
        parser.error("--sources and --out are required")

    try:
        result = build_from_sources(args.sources)
    except SourceError as error:
        print(f"FAILED source: {error}", file=sys.stderr)
        print("build refused: nothing written", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - any surprise in the sources refuses the build
        print(f"FAILED build error: {type(error).__name__}: {error}", file=sys.stderr)
        print("build refused: nothing written", file=sys.stderr)
        return 1

    for check in result.checks:
        print(f"[{'ok' if check.ok else 'FAIL'}] {check.name}: {check.summary}")
        for note in check.notes:
            print(f"       note: {note}")
    if result.failures:
        for failure in result.failures:
            print(f"FAILED {failure}", file=sys.stderr)
        print(f"build refused: {len(result.failures)} failed check(s), nothing written", file=sys.stderr)
        return 1

    write.replace_files_in_directory(result.files, Path(args.out))
    print(f"wrote {len(result.files)} files to {args.out}")
    return 0
