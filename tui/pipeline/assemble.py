"""The tables of the dataset, built from parsed sources and the curation data.

Trade values are integer tenths of a million dollars, sector values whole dollars,
so that sums of members (blocs, WORLD) are exact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from tui.pipeline.curation import Bloc, Curation, Span
from tui.pipeline.sources import COUNTRY_CSV_LAST_YEAR, SECTOR_YEARS, SourceError, UnmappedNameError
from tui.pipeline.text import normalize_name
from tui.trade.schema import PLACE_KINDS, WORLD

PARTNER_COLUMNS = ["code", "census_name", "name", "iso2", "iso3", "kind", "continent", "first_year", "last_year",
                   "alt_codes", "note_years", "note"]
GROUP_MEMBER_COLUMNS = ["group", "member", "start", "end"]

#: the months (year * 100 + month) an open membership starts and ends with
OPEN_START, OPEN_END = 0, 999_912

#: members of a group: {group: [codes]} (members in every month), or a frame of spans
#: (group, member, start, end: 'YYYY-MM' or '' when open), as group_members.csv has them
Members = Mapping[str, Sequence[str]] | pd.DataFrame


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
        if rule.rule in ("list", "dated"):
            codes = list(rule.codes)
        else:
            codes = [c for c in places if c.isdigit() and rule.low <= int(c) <= rule.high and c not in rule.exclude]
        members[group] = sorted(codes)
    return members


def month_number(text: str, default: int) -> int:
    """'2016-07' -> 201607; '' (open) -> default."""
    text = str(text or "").strip()
    return int(text[:4]) * 100 + int(text[5:7]) if text else default


def membership_frame(members: Members) -> pd.DataFrame:
    """group, code, first, last (months as year * 100 + month, inclusive) of every membership."""
    if isinstance(members, pd.DataFrame):
        frame = members.rename(columns={"member": "code"})
        starts = frame["start"] if "start" in frame.columns else [""] * len(frame)
        ends = frame["end"] if "end" in frame.columns else [""] * len(frame)
        return pd.DataFrame({"group": frame["group"].to_numpy(), "code": frame["code"].to_numpy(),
                             "first": [month_number(v, OPEN_START) for v in starts],
                             "last": [month_number(v, OPEN_END) for v in ends]})
    return pd.DataFrame([(group, code, OPEN_START, OPEN_END) for group, codes in members.items() for code in codes],
                        columns=["group", "code", "first", "last"])


def group_sum_monthly(monthly: pd.DataFrame, members: Members) -> pd.DataFrame:
    """Each group's months: the sum over the members of that month that have data."""
    joined = monthly.merge(membership_frame(members), on="code")
    month = joined["year"] * 100 + joined["month"]
    joined = joined[(month >= joined["first"]) & (month <= joined["last"])]
    return (joined.groupby(["group", "year", "month"], as_index=False)[["exports", "imports"]]
            .sum(min_count=1).rename(columns={"group": "code"}))


def group_sum_annual(annual: pd.DataFrame, group_monthly: pd.DataFrame, members: Members,
                     monthly: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each group's years: a member of the whole year adds its annual figures, a member of part of it
    the months it was a member (from monthly, needed then); months from the group's months. A year
    in which the group had no member has no row."""
    joined = annual.merge(membership_frame(members), on="code")
    year_first, year_last = joined["year"] * 100 + 1, joined["year"] * 100 + 12
    whole = (joined["first"] <= year_first) & (joined["last"] >= year_last)
    partial = ~whole & (joined["first"] <= year_last) & (joined["last"] >= year_first)
    parts = [joined.loc[whole, ["group", "year", "exports", "imports"]]]
    if partial.any():
        if monthly is None:
            raise ValueError("members of part of a year need the monthly figures")
        spans = joined.loc[partial, ["group", "code", "year", "first", "last"]]
        months = monthly.merge(spans, on=["code", "year"])
        month = months["year"] * 100 + months["month"]
        parts.append(months.loc[(month >= months["first"]) & (month <= months["last"]),
                                ["group", "year", "exports", "imports"]])
    result = (pd.concat(parts, ignore_index=True).groupby(["group", "year"], as_index=False)[["exports", "imports"]]
              .sum(min_count=1).rename(columns={"group": "code"}))
    months_with_data = group_monthly.groupby(["code", "year"])["month"].nunique().rename("months")
    result = result.merge(months_with_data.reset_index(), on=["code", "year"], how="left")
    return result[["code", "year", "months", "exports", "imports"]]


def members_at(members: Members, year: int, month: int = 12) -> dict[str, list[str]]:
    """Each group's members in one month."""
    spans = membership_frame(members)
    month_number_ = year * 100 + month
    spans = spans[(spans["first"] <= month_number_) & (spans["last"] >= month_number_)]
    return {str(group): sorted(set(codes)) for group, codes in spans.groupby("group")["code"]}  # group codes are text


def spans_frame(group: str, spans: Iterable[Span]) -> pd.DataFrame:
    return pd.DataFrame([(group, span.code, span.start, span.end) for span in spans], columns=GROUP_MEMBER_COLUMNS)


def data_spans(group: str, codes: Iterable[str], monthly: pd.DataFrame, first: tuple[int, int],
               latest: tuple[int, int]) -> pd.DataFrame:
    """A Census aggregate's members for the months their codes are in use: from a code's first to its last
    month with data ('' when that is the data's first or latest month)."""
    rows = monthly[monthly["code"].isin(set(codes))]
    month = rows["year"] * 100 + rows["month"]
    extent = pd.DataFrame({"code": rows["code"], "month": month}).groupby("code")["month"].agg(["min", "max"])
    month_range = {code: (int(low), int(high)) for code, low, high in extent.itertuples(name=None)}
    out = []
    for code in sorted(set(codes)):
        if code not in month_range:
            continue
        low, high = month_range[code]
        start = "" if low <= first[0] * 100 + first[1] else f"{low // 100}-{low % 100:02d}"
        end = "" if high >= latest[0] * 100 + latest[1] else f"{high // 100}-{high % 100:02d}"
        out.append((group, code, start, end))
    return pd.DataFrame(out, columns=GROUP_MEMBER_COLUMNS)


def today_codes(bloc: Bloc, latest: tuple[int, int]) -> list[str]:
    """A bloc's members in the dataset's latest month: today's members."""
    month = latest[0] * 100 + latest[1]
    return sorted({span.code for span in bloc.spans
                   if month_number(span.start, OPEN_START) <= month <= month_number(span.end, OPEN_END)})


def bloc_memberships(curation: Curation, latest: tuple[int, int]) -> pd.DataFrame:
    """group_members rows of the computed blocs: a dated bloc's spans, today's members (open) of a 'today'
    bloc and of each today's-members variant."""
    frames = []
    for code, bloc in curation.blocs.items():
        if bloc.membership == "dated":
            frames.append(spans_frame(code, bloc.spans))
        else:
            frames.append(spans_frame(code, [Span(c, "") for c in today_codes(bloc, latest)]))
        if bloc.today is not None:
            frames.append(spans_frame(bloc.today[0], [Span(c, "") for c in today_codes(bloc, latest)]))
    return pd.concat(frames, ignore_index=True)


def check_spans(memberships: pd.DataFrame) -> None:
    """SourceError when a member's spans in one group overlap (its trade would be counted twice)."""
    spans = membership_frame(memberships).sort_values(["group", "code", "first"])
    for (group, code), rows in spans.groupby(["group", "code"]):
        firsts, lasts = rows["first"].tolist(), rows["last"].tolist()
        for i in range(1, len(firsts)):
            if firsts[i] <= lasts[i - 1]:
                raise SourceError(f"curation: the memberships of {code} in {group} overlap")


def world_residual(place_monthly: pd.DataFrame, place_annual: pd.DataFrame, census_monthly: pd.DataFrame,
                   census_annual: pd.DataFrame, code: str, before: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The trade of the partners the country file does not itemize: Census's world total less the places'
    sum, for the years before `before` in which Census publishes the world total (complete years)."""
    years = sorted(int(y) for y in census_annual.loc[(census_annual["year"] < before)
                                                     & (census_annual["months"] == 12), "year"])
    flows = ["exports", "imports"]
    monthly_sum = place_monthly[place_monthly["year"].isin(years)].groupby(["year", "month"])[flows].sum()
    census_months = census_monthly[census_monthly["year"].isin(years)].set_index(["year", "month"])[flows]
    residual_monthly = (census_months - monthly_sum.reindex(census_months.index).fillna(0.0)).reset_index()
    annual_sum = place_annual[place_annual["year"].isin(years)].groupby("year")[flows].sum()
    census_years = census_annual[census_annual["year"].isin(years)].set_index("year")[flows]
    residual_annual = (census_years - annual_sum.reindex(census_years.index).fillna(0.0)).reset_index()
    residual_annual["months"] = 12
    residual_monthly.insert(0, "code", code)
    residual_annual.insert(0, "code", code)
    return (residual_monthly[["code", "year", "month", *flows]],
            residual_annual[["code", "year", "months", *flows]])


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
    # each listed code's row as a mapping (census codes are unique: parse_partners_json checks)
    listed = {entry["census_code"]: entry for entry in partners_json.to_dict("records")}
    for code in sorted(set(listed) | set(curation.extra_codes)):
        if code in curation.dropped_codes or code in alternatives:
            continue
        if code in listed:
            entry = listed[code]
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
        if is_place and code not in curation.continents:
            raise SourceError(f"curation: no continent for {code} ({census_name}) in continents.csv")
        first_year, last_year, note, _ = curation.partner_notes.get(code, (0, 0, "", ""))
        rows.append(dict(
            code=code, census_name=census_name, name=display_name(code, census_name, list_name, curation),
            iso2=iso2 or "", iso3=iso3, kind=kind,
            continent=curation.continents[code] if is_place else "",
            alt_codes=";".join(sorted(c for c, k in alternatives.items() if k == code)),
            note_years=(f"{first_year}" if first_year == last_year else f"{first_year}-{last_year}") if note else "",
            note=note))
    partners = pd.DataFrame(rows)
    blank = dict(census_name="", iso2="", iso3="", continent="", alt_codes="", note_years="", note="")
    residual = curation.world_total["residual"]
    partners.loc[len(partners)] = dict(blank, code=residual["code"], census_name=residual["census_name"],
                                       name=residual["name"], kind="unallocated")
    for code, bloc in curation.blocs.items():
        partners.loc[len(partners)] = dict(blank, code=code, name=bloc.name, kind="bloc")
        if bloc.today is not None:
            partners.loc[len(partners)] = dict(blank, code=bloc.today[0], name=bloc.today[1], kind="bloc")
    partners.loc[len(partners)] = dict(blank, code=WORLD, name="World (all partners)", kind="world")
    return with_years(partners, annual)


def with_years(partners: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """partners with first_year/last_year set to the years each code has in annual, sorted by code."""
    partners = partners.copy()
    for column in ("note_years", "note"):
        if column not in partners.columns:
            partners[column] = ""
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
                  alternatives: dict[str, str], members: Members,
                  years: Iterable[int] = SECTOR_YEARS) -> pd.DataFrame:
    """sectors: code, year, chapter, exports, imports in whole dollars (int64), groups summed from members."""
    years = list(years)
    imports = hs_imports[hs_imports["cty"].str.fullmatch(r"[1-9]\d{3}") & hs_imports["year"].isin(years)].copy()
    imports["code"] = imports["cty"].replace(alternatives)
    imports = imports.groupby(["code", "year", "chapter"], as_index=False)[["imports"]].sum()
    exports = dataweb_exports[dataweb_exports["year"].isin(years)].copy()
    exports["code"] = exports["country"].map(dataweb_codes)
    exports = exports.groupby(["code", "year", "chapter"], as_index=False)[["exports"]].sum()
    places = imports.merge(exports, on=["code", "year", "chapter"], how="outer").fillna(0)
    places[["exports", "imports"]] = places[["exports", "imports"]].astype("int64")
    return with_group_sectors(places, members)


def with_group_sectors(places: pd.DataFrame, members: Members) -> pd.DataFrame:
    """Place sectors plus each group's, summed from its members at the end of each year (chapters are
    annual: a member of part of a year counts if it is a member in December)."""
    spans = membership_frame(members).rename(columns={"group": "group_code"})
    joined = places.merge(spans, on="code")
    december = joined["year"] * 100 + 12
    joined = joined[(joined["first"] <= december) & (joined["last"] >= december)]
    groups = (joined.groupby(["group_code", "year", "chapter"], as_index=False)[["exports", "imports"]].sum()
              .rename(columns={"group_code": "code"}))
    combined = pd.concat([places, groups], ignore_index=True)
    return combined[["code", "year", "chapter", "exports", "imports"]]


def census_memberships(census_members: dict[str, list[str]], curation: Curation, monthly: pd.DataFrame,
                       first: tuple[int, int], latest: tuple[int, int]) -> pd.DataFrame:
    """group_members rows of Census's aggregates: the curation's dated spans (the EU), else each member
    for the months its code is in use."""
    frames = []
    for group, codes in sorted(census_members.items()):
        rule = curation.census_aggregates[group]
        frames.append(spans_frame(group, rule.spans) if rule.rule == "dated"
                      else data_spans(group, codes, monthly, first, latest))
    return pd.concat(frames, ignore_index=True)


def census_sum_memberships(census_members: dict[str, list[str]], curation: Curation) -> pd.DataFrame:
    """What Census's aggregates sum: the curation's dated spans (the EU), else every code of the rule in
    every month (group_members lists the latter only for the months a code is in use)."""
    frames = []
    for group, codes in sorted(census_members.items()):
        rule = curation.census_aggregates[group]
        frames.append(spans_frame(group, rule.spans) if rule.rule == "dated"
                      else spans_frame(group, [Span(code, "") for code in codes]))
    return pd.concat(frames, ignore_index=True)


def build_group_members(census_spans: pd.DataFrame, bloc_spans: pd.DataFrame) -> pd.DataFrame:
    """group_members.csv: every membership of the Census aggregates and blocs, with its months."""
    frame = pd.concat([census_spans, bloc_spans], ignore_index=True)[GROUP_MEMBER_COLUMNS]
    return frame.sort_values(["group", "member", "start"]).reset_index(drop=True)


def build_groups(partners: pd.DataFrame, census_members: dict[str, list[str]], curation: Curation,
                 latest: tuple[int, int]) -> pd.DataFrame:
    """groups.csv: the Census aggregates (values as published) and the computed blocs.

    membership: 'dated' (each period sums and lists the members of its months), 'today' (today's members
    in every period), 'codes' (Census's aggregate, listed by the codes Census sums); since: the first
    month a dated bloc has members ('' when it has had them since before the data)."""
    by_code = partners.set_index("code")
    today = f"{latest[0]}-{latest[1]:02d}"
    rows = []
    for group in sorted(census_members):
        row, rule = by_code.loc[group], curation.census_aggregates[group]
        dated = rule.rule == "dated"
        rows.append(dict(code=group, name=row["name"], kind=row["kind"], source="census", as_of="",
                         note=f"Census series; {'members of each period' if dated else 'members'}: {rule.note}",
                         membership="dated" if dated else "codes", since=""))
    for code, bloc in curation.blocs.items():
        if bloc.membership == "dated":
            rows.append(dict(code=code, name=bloc.name, kind="bloc", source="members", as_of="",
                             note=bloc.source + "; each month sums the members of that month",
                             membership="dated", since=bloc.since))
        else:
            rows.append(dict(code=code, name=bloc.name, kind="bloc", source="members", as_of=today,
                             note=bloc.source + "; today's members in every period", membership="today", since=""))
        if bloc.today is not None:
            rows.append(dict(code=bloc.today[0], name=bloc.today[1], kind="bloc", source="members", as_of=today,
                             note=f"{bloc.name}'s members of {today}, in every period (for comparisons over time)",
                             membership="today", since=""))
    return pd.DataFrame(rows).sort_values("code").reset_index(drop=True)
