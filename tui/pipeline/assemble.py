"""The tables of the dataset, built from parsed sources and the curation data.

Trade values are integer tenths of a million dollars, sector values whole dollars,
so that sums of members (blocs, WORLD) are exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from tui.pipeline.curation import Curation
from tui.pipeline.sources import COUNTRY_CSV_LAST_YEAR, SECTOR_YEARS, UnmappedNameError
from tui.pipeline.text import normalize_name
from tui.trade.schema import PLACE_KINDS, WORLD

PARTNER_COLUMNS = ["code", "census_name", "name", "iso2", "iso3", "kind", "continent", "first_year", "last_year",
                   "alt_codes"]


def alternative_code_map(partners_json: pd.DataFrame, curation: Curation) -> dict[str, str]:
    """Census codes to merge into another: codes sharing an ISO3 go to the current one (latest
    last_year), plus the codes of the curation's extra codes that say merge_into."""
    mapping = {}
    places = partners_json[~partners_json["country_code"].str.startswith(("AGG_", "UNALLOC_"))]
    for _, entries in places.groupby("country_code"):
        if len(entries) > 1:
            keep = entries.sort_values(["last_year", "first_year"])["census_code"].iloc[-1]
            for code in entries["census_code"]:
                if code != keep:
                    mapping[code] = keep
    for code, info in curation.extra_codes.items():
        if "merge_into" in info:
            mapping[code] = info["merge_into"]
    return mapping


def merge_codes(frame: pd.DataFrame, alternatives: dict[str, str], keys: list[str], values: list[str]) -> pd.DataFrame:
    """Re-code alternative codes to their current code and sum (NaN stays NaN if all NaN)."""
    frame = frame.copy()
    frame["code"] = frame["code"].replace(alternatives)
    return frame.groupby(keys, as_index=False)[values].sum(min_count=1)


def combine_country_sources(csv_monthly: pd.DataFrame, csv_annual: pd.DataFrame, json_monthly: pd.DataFrame,
                            json_annual: pd.DataFrame, csv_last_year: int = COUNTRY_CSV_LAST_YEAR
                            ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The CSV up to csv_last_year, the JSON files for the years they cover (the newest release wins)."""
    json_years = set(json_annual["year"])
    monthly_from_csv = csv_monthly[(csv_monthly["year"] <= csv_last_year) & ~csv_monthly["year"].isin(json_years)]
    annual_from_csv = csv_annual[(csv_annual["year"] <= csv_last_year) & ~csv_annual["year"].isin(json_years)]
    monthly = pd.concat([monthly_from_csv, json_monthly[["code", "year", "month", "exports", "imports"]]],
                        ignore_index=True)
    annual = pd.concat([annual_from_csv[["code", "year", "exports", "imports", "months"]],
                        json_annual[["code", "year", "exports", "imports", "months"]]], ignore_index=True)
    return monthly, annual


def finalize_annual(monthly: pd.DataFrame, census_annual: pd.DataFrame) -> pd.DataFrame:
    """trade_annual for single codes: Census's annual columns for complete years, the sum of the
    months for partial years; months = the number of months with data."""
    month_sums = monthly.groupby(["code", "year"]).agg(
        month_exports=("exports", lambda s: s.sum(min_count=1)),
        month_imports=("imports", lambda s: s.sum(min_count=1)),
        months=("month", "nunique")).reset_index()
    annual = month_sums.merge(census_annual[["code", "year", "exports", "imports"]], on=["code", "year"], how="left")
    partial = annual["months"] < 12
    annual.loc[partial, "exports"] = annual.loc[partial, "month_exports"]
    annual.loc[partial, "imports"] = annual.loc[partial, "month_imports"]
    return annual[["code", "year", "months", "exports", "imports"]]


def derive_census_members(partners: pd.DataFrame, curation: Curation) -> dict[str, list[str]]:
    """The member lists of the Census aggregates, from the curation's rules."""
    places = partners[partners["kind"].isin(["country", "former"])]["code"]
    members = {}
    for group, rule in curation.census_aggregates.items():
        if rule.rule == "list":
            codes = list(rule.codes)
        else:
            codes = [c for c in places if c.isdigit() and rule.low <= int(c) <= rule.high and c not in rule.exclude]
        members[group] = sorted(codes)
    return members


def membership_frame(members: dict[str, list[str]]) -> pd.DataFrame:
    return pd.DataFrame([(group, code) for group, codes in members.items() for code in codes],
                        columns=["group", "code"])


def group_sum_monthly(monthly: pd.DataFrame, members: dict[str, list[str]]) -> pd.DataFrame:
    """Each group's months: the sum over the members that have data."""
    joined = monthly.merge(membership_frame(members), on="code")
    return (joined.groupby(["group", "year", "month"], as_index=False)[["exports", "imports"]]
            .sum(min_count=1).rename(columns={"group": "code"}))


def group_sum_annual(annual: pd.DataFrame, group_monthly: pd.DataFrame, members: dict[str, list[str]]) -> pd.DataFrame:
    """Each group's years: the sum of its members' annual figures; months from the group's months."""
    joined = annual.merge(membership_frame(members), on="code")
    result = (joined.groupby(["group", "year"], as_index=False)[["exports", "imports"]]
              .sum(min_count=1).rename(columns={"group": "code"}))
    months = group_monthly.groupby(["code", "year"])["month"].nunique().rename("months")
    result = result.merge(months.reset_index(), on=["code", "year"], how="left")
    return result[["code", "year", "months", "exports", "imports"]]


def display_name(code: str, census_name: str, list_name: str | None, curation: Curation) -> str:
    """The short name shown for a code: the curation's, else the partner list's without a trailing
    parenthesis, else Census's spelling."""
    if code in curation.display_names:
        return curation.display_names[code]
    base = list_name or census_name
    base = re.sub(r"\s*\(.*\)\s*$", "", base).strip()
    return base or census_name


def build_partners(partners_json: pd.DataFrame, schedule_c: pd.DataFrame, census_names: dict[str, str],
                   alternatives: dict[str, str], annual: pd.DataFrame, curation: Curation) -> pd.DataFrame:
    """partners.csv: places, Census aggregates, computed blocs and WORLD, with the years they have data."""
    schedule_c_iso2 = schedule_c.set_index("code")["iso2"].to_dict()
    rows = []
    listed = partners_json.set_index("census_code")
    for code in sorted(set(listed.index) | set(curation.extra_codes)):
        if code in curation.dropped_codes or code in alternatives:
            continue
        if code in listed.index:
            entry = listed.loc[code]
            kind, list_name, country_code, iso2 = entry["kind"], entry["name"], entry["country_code"], entry["iso2"]
        else:
            info = curation.extra_codes[code]
            kind, list_name, country_code, iso2 = info["kind"], info["name"], "", None
        census_name = census_names.get(code, list_name)
        if not iso2 or (isinstance(iso2, float) and np.isnan(iso2)):
            iso2 = schedule_c_iso2.get(code, "")
        if iso2 in curation.not_iso2:
            iso2 = ""
        is_iso3 = country_code and not country_code.startswith(("AGG_", "UNALLOC_"))
        iso3 = country_code if is_iso3 and country_code not in curation.not_iso3 else ""
        is_place = kind in ("country", "former")
        rows.append(dict(
            code=code, census_name=census_name, name=display_name(code, census_name, list_name, curation),
            iso2=iso2 or "", iso3=iso3, kind=kind,
            continent=curation.continents.get(code[0], "") if is_place else "",
            alt_codes=";".join(sorted(c for c, k in alternatives.items() if k == code))))
    partners = pd.DataFrame(rows)
    for code, bloc in curation.blocs.items():
        partners.loc[len(partners)] = dict(code=code, census_name="", name=bloc.name, iso2="", iso3="", kind="bloc",
                                           continent="", alt_codes="")
    partners.loc[len(partners)] = dict(code=WORLD, census_name="", name="World (all partners)", iso2="", iso3="",
                                       kind="world", continent="", alt_codes="")
    return with_years(partners, annual)


def with_years(partners: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """partners with first_year/last_year set to the years each code has in annual, sorted by code."""
    partners = partners.copy()
    years = annual.groupby("code")["year"].agg(["min", "max"])
    partners["first_year"] = partners["code"].map(years["min"]).astype("Int64")
    partners["last_year"] = partners["code"].map(years["max"]).astype("Int64")
    return partners[PARTNER_COLUMNS].sort_values("code").reset_index(drop=True)


def map_dataweb_names(names: Iterable[str], partners: pd.DataFrame, partners_json: pd.DataFrame,
                      alternatives: dict[str, str], explicit: dict[str, str]) -> dict[str, str]:
    """DataWeb country names to Census codes: an exact (case-insensitive) match on a Census spelling
    (country file or partner list), else the explicit mapping; any name left raises UnmappedNameError."""
    lookup: dict[str, set] = {}
    places = partners[partners["kind"].isin(PLACE_KINDS)]
    place_codes = set(places["code"])
    for code, census_name in zip(places["code"], places["census_name"], strict=True):
        lookup.setdefault(normalize_name(census_name), set()).add(code)
    for code, list_name in zip(partners_json["census_code"], partners_json["name"], strict=True):
        code = alternatives.get(code, code)
        if code in place_codes:
            lookup.setdefault(normalize_name(list_name), set()).add(code)
    explicit_keys = {normalize_name(k): v for k, v in explicit.items()}
    mapping, unmapped = {}, []
    for name in sorted(set(names)):
        key = normalize_name(name)
        if key in explicit_keys:
            mapping[name] = explicit_keys[key]
        elif key in lookup and len(lookup[key]) == 1:
            mapping[name] = next(iter(lookup[key]))
        else:
            unmapped.append(name)
    if unmapped:
        raise UnmappedNameError("DataWeb country names without a Census code: "
                                + ", ".join(repr(name) for name in unmapped))
    return mapping


def build_sectors(hs_imports: pd.DataFrame, dataweb_exports: pd.DataFrame, dataweb_codes: dict[str, str],
                  alternatives: dict[str, str], members: dict[str, list[str]],
                  years: Iterable[int] = SECTOR_YEARS) -> pd.DataFrame:
    """sectors: code, year, chapter, exports, imports in whole dollars (int64), groups summed from members."""
    years = list(years)
    imports = hs_imports[hs_imports["cty"].str.fullmatch(r"[1-9]\d{3}") & hs_imports["year"].isin(years)].copy()
    imports["code"] = imports["cty"].replace(alternatives)
    imports = imports.groupby(["code", "year", "chapter"], as_index=False)["imports"].sum()
    exports = dataweb_exports[dataweb_exports["year"].isin(years)].copy()
    exports["code"] = exports["country"].map(dataweb_codes)
    exports = exports.groupby(["code", "year", "chapter"], as_index=False)["exports"].sum()
    places = imports.merge(exports, on=["code", "year", "chapter"], how="outer").fillna(0)
    places[["exports", "imports"]] = places[["exports", "imports"]].astype("int64")
    return with_group_sectors(places, members)


def with_group_sectors(places: pd.DataFrame, members: dict[str, list[str]]) -> pd.DataFrame:
    """Place sectors plus each group's, summed from its members."""
    groups = (places.merge(membership_frame(members).rename(columns={"group": "group_code"}), on="code")
              .groupby(["group_code", "year", "chapter"], as_index=False)[["exports", "imports"]].sum()
              .rename(columns={"group_code": "code"}))
    combined = pd.concat([places, groups], ignore_index=True)
    return combined[["code", "year", "chapter", "exports", "imports"]]


def build_group_members(census_members: dict[str, list[str]], curation: Curation) -> pd.DataFrame:
    """group_members.csv: the members of every Census aggregate and bloc."""
    bloc_members = {code: sorted(bloc.members) for code, bloc in curation.blocs.items()}
    rows = [(group, code) for group, codes in {**census_members, **bloc_members}.items() for code in codes]
    return pd.DataFrame(rows, columns=["group", "member"]).sort_values(["group", "member"]).reset_index(drop=True)


def build_groups(partners: pd.DataFrame, census_members: dict[str, list[str]], curation: Curation) -> pd.DataFrame:
    """groups.csv: the Census aggregates (values as published) and the computed blocs."""
    by_code = partners.set_index("code")
    rows = []
    for group in sorted(census_members):
        row = by_code.loc[group]
        rows.append(dict(code=group, name=row["name"], kind=row["kind"], source="census", as_of="",
                         note=f"Census series; members as used by Census for recent years: "
                              f"{curation.census_aggregates[group].note}"))
    for code, bloc in curation.blocs.items():
        rows.append(dict(code=code, name=bloc.name, kind="bloc", source="members", as_of=bloc.as_of,
                         note=bloc.source + "; membership applied to all years"))
    return pd.DataFrame(rows).sort_values("code").reset_index(drop=True)
