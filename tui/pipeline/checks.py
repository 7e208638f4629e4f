"""The validation checks. Each is a function returning a Check; a failure's text names its check.

A build (or an update) writes nothing if any check has a failure. Notes record
differences that are understood; summaries and data feed SOURCES.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tui.pipeline.sources import SourceError
from tui.pipeline.text import compress_years
from tui.trade.schema import PLACE_KINDS

#: every kind a partners.csv row can have
KINDS = ("country", "former", "unallocated", "region", "group", "bloc", "world", "product")

BALANCE_TOLERANCE = 0.05 + 1e-6  # millions: exports - imports vs Census's balance
MONTH_SUM_TOLERANCE = 0.5 + 1e-6  # millions: the sum of the months vs Census's annual column
GROUP_RELATIVE_TOLERANCE = 0.005  # member sum vs Census aggregate
GROUP_STRICT_FROM = 2022  # unexplained group differences fail from this year on
WORLD_RELATIVE_TOLERANCE = 0.005  # WORLD vs Census's world series
WORLD_STRICT_FROM = 1992
HS_AGGREGATE_RELATIVE_TOLERANCE = 0.005  # HS-file aggregates vs member sums (same file)
#: sector sums vs trade_annual (different vintages): |diff| <= relative * total + absolute ($M)
SECTOR_TOLERANCE = {"imports": (0.01, 5.0), "exports": (0.02, 10.0)}


@dataclass
class Check:
    name: str
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


class ChecksFailed(SourceError):
    """Some checks failed: nothing may be written. str() is one line naming the first failed check."""

    def __init__(self, checks: list[Check]) -> None:
        self.checks = [check for check in checks if not check.ok]
        self.failures = [failure for check in self.checks for failure in check.failures]
        first = self.checks[0]
        more = len(self.failures) - 1
        suffix = f" (and {more} more failure{'s' if more != 1 else ''})" if more else ""
        super().__init__(f"check '{first.name}' failed: {first.failures[0]}{suffix}")


def number_at(frame: pd.DataFrame, row: int | tuple[str, int], column: str) -> float:
    """frame.at[row, column] of a column of numbers (tenths or dollars). pandas-stubs types a frame's cell
    as any scalar at all (text, dates, None); the column as a Series of numbers types its cell as one."""
    values: pd.Series[float] = frame[column]
    return values.loc[row]


def require_all_passed(checks: list[Check]) -> None:
    """Raise ChecksFailed if any check has a failure."""
    if any(not check.ok for check in checks):
        raise ChecksFailed(checks)


def check_balance(annual: pd.DataFrame, tolerance: float = BALANCE_TOLERANCE) -> Check:
    """exports - imports = balance where the source gives one (tenths in, $M tolerance)."""
    check = Check("balance")
    rows = annual.dropna(subset=["balance"])
    difference = (rows["exports"] - rows["imports"] - rows["balance"]).abs() / 10
    for _, row in rows[difference > tolerance].iterrows():
        check.failures.append(f"balance: {row['code']} {row['year']}: exports-imports "
                              f"{(row['exports'] - row['imports']) / 10:.1f} != balance {row['balance'] / 10:.1f}")
    check.summary = (f"{len(rows)} code-years, max abs(exports - imports - balance) "
                     f"{difference.max() if len(difference) else 0:.2f}")
    return check


def check_month_sums(monthly: pd.DataFrame, annual: pd.DataFrame, label: str = "",
                     tolerance: float = MONTH_SUM_TOLERANCE) -> Check:
    """The sum of the months vs Census's annual column, for every code-year in annual (whose
    months says how many months were published; the annual column is then year to date)."""
    name = f"month sums{(' ' + label) if label else ''}"
    check = Check(name)
    sums = monthly.groupby(["code", "year"], as_index=False)[["exports", "imports"]].sum()
    joined = annual.merge(sums, on=["code", "year"], how="left", suffixes=("", "_months")).fillna(
        {"exports_months": 0, "imports_months": 0})
    worst = 0.0
    for flow in ("exports", "imports"):
        difference = (joined[flow] - joined[flow + "_months"]).abs() / 10
        worst = max(worst, float(difference.max()) if len(difference) else 0.0)
        for _, row in joined[difference > tolerance].iterrows():
            check.failures.append(f"{name}: {row['code']} {row['year']} {flow}: months sum to "
                                  f"{row[flow + '_months'] / 10:.1f}, annual column {row[flow] / 10:.1f}")
    check.summary = f"{len(joined)} code-years, max difference {worst:.1f}"
    check.data["max_diff"] = worst
    return check


def check_partners_table(partners: pd.DataFrame) -> Check:
    """Codes unique, names present, kinds known, ISO codes well formed, no ISO3 used twice."""
    check = Check("partners table")
    for code in sorted(set(partners["code"][partners["code"].duplicated()])):
        check.failures.append(f"partners: duplicate code {code}")
    for _, row in partners.iterrows():
        if not isinstance(row["name"], str) or not row["name"].strip():
            check.failures.append(f"partners: code {row['code']} has no name")
        if row["kind"] not in KINDS:
            check.failures.append(f"partners: code {row['code']} has unknown kind {row['kind']!r}")
        if row["iso2"] and not re.fullmatch(r"[A-Z]{2}", str(row["iso2"])):
            check.failures.append(f"partners: code {row['code']} has bad iso2 {row['iso2']!r}")
        if row["iso3"] and not re.fullmatch(r"[A-Z]{3}", str(row["iso3"])):
            check.failures.append(f"partners: code {row['code']} has bad iso3 {row['iso3']!r}")
    iso3 = partners["iso3"][partners["iso3"] != ""]
    for code in sorted(set(iso3[iso3.duplicated()])):
        check.failures.append(f"partners: iso3 {code} used by more than one row")
    check.summary = f"{len(partners)} rows, codes unique, names present"
    return check


def check_codes_known(partners: pd.DataFrame, tables: dict[str, tuple[pd.DataFrame, list[str]]]) -> Check:
    """Every code used in another table is in partners."""
    check = Check("codes known")
    known = set(partners["code"])
    for table_name, (frame, columns) in tables.items():
        for column in columns:
            for unknown in sorted(set(frame[column].astype(str)) - known):
                check.failures.append(f"codes: {table_name}.{column} uses code {unknown} not in partners.csv")
    check.summary = f"{len(tables)} tables reference only partners.csv codes"
    return check


def explanation_for(group: str, year: int, known: dict[tuple[str, int, int], str]) -> str | None:
    for (known_group, first_year, last_year), text in known.items():
        if known_group == group and first_year <= year <= last_year:
            return text
    return None


def check_groups_vs_census(annual: pd.DataFrame, members: dict[str, list[str]],
                           known: dict[tuple[str, int, int], str],
                           tolerance: float = GROUP_RELATIVE_TOLERANCE,
                           strict_from: int = GROUP_STRICT_FROM,
                           member_sums: pd.DataFrame | None = None) -> Check:
    """Member sums vs Census's aggregate series, every year the aggregate exists.

    member_sums (code = the group, year, exports, imports): the members' sums when they are not every
    year's sum of `members` (members of part of the period, as the EU's). Differences above the
    tolerance are reported; unexplained ones from strict_from on fail."""
    check = Check("groups vs Census aggregates")
    worst_recent = 0.0
    differences = []
    by_code = annual.set_index(["code", "year"])
    for group, codes in sorted(members.items()):
        if group not in by_code.index.get_level_values(0):
            continue
        group_annual = by_code.loc[group]
        if member_sums is not None and group in set(member_sums["code"]):
            sums = member_sums[member_sums["code"] == group].set_index("year")[["exports", "imports"]]
        else:
            sums = annual[annual["code"].isin(codes)].groupby("year")[["exports", "imports"]].sum()
        for year in group_annual.index:
            for flow in ("exports", "imports"):
                census = group_annual.loc[year, flow]
                got = sums.loc[year, flow] if year in sums.index else 0.0
                if not census:
                    continue
                relative = (got - census) / census
                if year >= strict_from:
                    worst_recent = max(worst_recent, abs(relative))
                if abs(relative) > tolerance:
                    why = explanation_for(group, year, known)
                    differences.append(dict(group=group, year=int(year), flow=flow, members=got / 10,
                                            census=census / 10, rel=relative, why=why))
                    if not why and year >= strict_from:
                        check.failures.append(
                            f"groups: unexplained difference {group} {year} {flow}: members {got / 10:,.1f} vs "
                            f"Census {census / 10:,.1f} ({relative * 100:+.2f}%)")
    # one note per group and explanation
    grouped: dict[tuple[str, str], list[dict]] = {}
    for difference in differences:
        if difference["why"] or difference["year"] < strict_from:
            key = (difference["group"], difference["why"] or "unexplained (historical year)")
            grouped.setdefault(key, []).append(difference)
    for (group, why), entries in grouped.items():
        low, high = min(d["rel"] for d in entries), max(d["rel"] for d in entries)
        check.notes.append(f"{group} {compress_years([d['year'] for d in entries])}: members vs Census "
                           f"{low * 100:+.1f}% to {high * 100:+.1f}% ({len(entries)} year-flows): {why}")
    check.data.update(diffs=differences, worst_recent=worst_recent, tol=tolerance, strict_from=strict_from)
    check.summary = (f"{len(members)} aggregates, every year; max abs diff {strict_from}+ "
                     f"{worst_recent * 100:.3f}%; {len(differences)} year-flows > {tolerance * 100:.1f}% "
                     f"(all explained)" if not check.failures else
                     f"{len(check.failures)} unexplained differences > {tolerance * 100:.1f}%")
    return check


def check_bloc_vs_census(annual: pd.DataFrame, bloc: str, census: pd.DataFrame, known: dict[int, str],
                         tolerance: float = GROUP_RELATIVE_TOLERANCE, today_code: str | None = None) -> Check:
    """A computed bloc (tenths) against Census's own series of it (census: year, months, exports, imports in
    tenths), every complete year of the series: more than the tolerance fails unless explained in known.
    today_code: the bloc's today's-members variant, reported beside it for comparison."""
    check = Check(f"{bloc} vs Census's {bloc} series")
    by_year = annual[annual["code"] == bloc].set_index("year")
    today = annual[annual["code"] == today_code].set_index("year") if today_code else None
    rows, worst = [], 0.0
    for _, series in census[census["months"] == 12].iterrows():
        year = int(series["year"])
        if year not in by_year.index:
            check.failures.append(f"{bloc}: no {year} figures to compare with Census's series")
            continue
        got = {flow: number_at(by_year, year, flow) for flow in ("exports", "imports")}
        relative = {flow: (got[flow] - series[flow]) / series[flow] for flow in ("exports", "imports")}
        today_relative = ({flow: (number_at(today, year, flow) - series[flow]) / series[flow]
                           for flow in ("exports", "imports")}
                          if today is not None and year in today.index else None)
        why = known.get(year)
        rows.append(dict(year=year, census=(series["exports"] / 10, series["imports"] / 10),
                         bloc=(got["exports"] / 10, got["imports"] / 10),
                         relative=relative, today=today_relative, why=why))
        outside = max(abs(value) for value in relative.values()) > tolerance
        if outside and why:
            check.notes.append(f"{bloc} {year}: exports {relative['exports'] * 100:+.2f}%, imports "
                               f"{relative['imports'] * 100:+.2f}% against Census's series: {why}")
        elif outside:
            check.failures.append(f"{bloc}: unexplained difference {year}: exports {relative['exports'] * 100:+.2f}%, "
                                  f"imports {relative['imports'] * 100:+.2f}% against Census's series")
        else:
            worst = max(worst, *(abs(value) for value in relative.values()))
    check.data.update(rows=rows, tol=tolerance)
    explained = sum(1 for row in rows if row["why"])
    check.summary = (f"{len(rows)} years; {len(rows) - explained} within {worst * 100:.3f}% "
                     f"(limit {tolerance * 100:g}%), {explained} explained")
    return check


def check_world(world_annual: pd.DataFrame, world_monthly: pd.DataFrame, census_monthly: pd.DataFrame,
                census_annual: pd.DataFrame, tolerance: float = WORLD_RELATIVE_TOLERANCE,
                strict_from: int = WORLD_STRICT_FROM, name: str = "WORLD vs Census world (0015)") -> Check:
    """WORLD (the partner sum) vs Census's world series: complete years on annual figures, a
    partial year on the months both have. From strict_from on, more than the tolerance fails."""
    check = Check(name)
    world_by_year = world_annual.set_index("year")
    worst_strict = 0.0
    rows, short = [], []
    for _, census in census_annual.sort_values("year").iterrows():
        year = int(census["year"])
        if census["months"] == 12:
            if year not in world_by_year.index:
                continue
            got = {flow: number_at(world_by_year, year, flow) for flow in ("exports", "imports")}
            reference = {flow: census[flow] for flow in ("exports", "imports")}
            span = str(year)
        else:
            census_months = census_monthly[census_monthly["year"] == year]
            world_months = world_monthly[(world_monthly["year"] == year)
                                         & world_monthly["month"].isin(census_months["month"])]
            if world_months.empty:
                continue
            got = {flow: world_months[flow].sum() for flow in ("exports", "imports")}
            reference = {flow: census_months[flow].sum() for flow in ("exports", "imports")}
            span = f"{year} months {census_months['month'].min()}-{census_months['month'].max()}"
        for flow in ("exports", "imports"):
            relative = (got[flow] - reference[flow]) / reference[flow]
            rows.append((span, flow, got[flow], reference[flow], relative))
            line = (f"WORLD {span} {flow}: partner sum {got[flow] / 10:,.1f} vs Census "
                    f"{reference[flow] / 10:,.1f} ({relative * 100:+.2f}%)")
            if year >= strict_from:
                worst_strict = max(worst_strict, abs(relative))
                if abs(relative) > tolerance:
                    check.failures.append(f"world: {line} exceeds {tolerance * 100:.1f}%")
            elif abs(relative) > tolerance:
                short.append((year, flow, relative))
    if short:
        check.notes.append(f"WORLD {compress_years([y for y, _, _ in short])}: partner sum "
                           f"{min(r for *_, r in short) * 100:+.2f}% to {max(r for *_, r in short) * 100:+.2f}% "
                           f"vs Census world: before 1992 the country file covers only 81-84 partners, so the "
                           f"partner sum falls short of the world total")
    check.data["rows"] = rows
    check.summary = (f"{len(rows) // 2} years compared; {strict_from}+ max abs diff {worst_strict * 100:.3f}% "
                     f"(limit {tolerance * 100:.1f}%)")
    return check


def check_sectors_vs_totals(sectors: pd.DataFrame, annual: pd.DataFrame, partners: pd.DataFrame,
                            prior: pd.DataFrame | None = None,
                            tolerance: dict[str, tuple[float, float]] | None = None,
                            known: dict[tuple[str, int, str], str] | None = None) -> Check:
    """The sum of the chapters vs trade_annual, per place partner, sector year and flow.

    sectors in whole dollars; annual and prior (an earlier release of the same annual totals,
    e.g. the April 2025 country file) in tenths of $M. A partner-year-flow passes if it is within
    the tolerance of trade_annual; if not, it is explained as a revision when it is within the
    tolerance of the earlier release, or by an entry in known; otherwise it fails."""
    tolerance = SECTOR_TOLERANCE if tolerance is None else tolerance
    known = {} if known is None else known
    check = Check("sectors vs partner totals")
    places = set(partners.loc[partners["kind"].isin(PLACE_KINDS), "code"])
    years = sorted(sectors["year"].unique())
    sector_sums = (sectors[sectors["code"].isin(places)].groupby(["code", "year"])[["exports", "imports"]].sum()
                   / 1e6).reset_index()
    totals = annual[annual["code"].isin(places) & annual["year"].isin(years)][
        ["code", "year", "exports", "imports"]].copy()
    totals[["exports", "imports"]] = totals[["exports", "imports"]] / 10
    joined = sector_sums.merge(totals, on=["code", "year"], how="outer", suffixes=("_s", "_t"))
    if prior is not None:
        earlier = prior[prior["code"].isin(places) & prior["year"].isin(years)][
            ["code", "year", "exports", "imports"]].copy()
        earlier = earlier.rename(columns={"exports": "exports_p", "imports": "imports_p"})
        earlier[["exports_p", "imports_p"]] = earlier[["exports_p", "imports_p"]] / 10
        joined = joined.merge(earlier, on=["code", "year"], how="left")
    joined = joined.fillna(0.0)
    stats: dict[str, dict[str, Any]] = {}
    revised, explained = [], []
    for flow, (relative_limit, absolute_limit) in tolerance.items():
        difference = joined[flow + "_s"] - joined[flow + "_t"]
        limit = relative_limit * joined[flow + "_t"].abs() + absolute_limit
        relative = (difference / joined[flow + "_t"].where(joined[flow + "_t"] > 100)).abs()
        outside = 0
        for i in joined.index[difference.abs() > limit]:
            row = joined.loc[i]
            outside += 1
            code, year = row["code"], int(row["year"])
            line = (f"{code} {year} {flow}: chapters {row[flow + '_s']:,.1f} vs total {row[flow + '_t']:,.1f} "
                    f"(diff {difference[i]:+,.1f}, limit {relative_limit * 100:g}% + {absolute_limit:g})")
            if prior is not None and abs(row[flow + "_s"] - row[flow + "_p"]) <= (
                    relative_limit * abs(row[flow + "_p"]) + absolute_limit):
                revised.append(dict(code=code, year=year, flow=flow, chapters=row[flow + "_s"],
                                    total=row[flow + "_t"], prior=row[flow + "_p"]))
            elif (code, year, flow) in known:
                explained.append(dict(code=code, year=year, flow=flow, chapters=row[flow + "_s"],
                                      total=row[flow + "_t"], prior=row.get(flow + "_p", float("nan")),
                                      why=known[(code, year, flow)]))
            else:
                check.failures.append(f"sectors: {line}")
        by_year = joined.groupby("year")[[flow + "_s", flow + "_t"]].sum()
        stats[flow] = dict(max_abs=float(difference.abs().max()) if len(difference) else 0.0,
                           max_rel=float(relative.max()) if relative.notna().any() else 0.0,
                           p95_rel=float(relative.quantile(0.95)) if relative.notna().any() else 0.0,
                           n=len(joined), n_out=outside, rel=relative_limit, abs=absolute_limit,
                           totals={int(y): (float(chapters), float(total))
                                   for y, chapters, total in by_year.itertuples(name=None)})
    for entry in revised:
        check.notes.append(f"{entry['code']} {entry['year']} {entry['flow']}: chapters {entry['chapters']:,.1f} vs "
                           f"total {entry['total']:,.1f}; matches the April 2025 release ({entry['prior']:,.1f}): "
                           f"revised since")
    for entry in explained:
        check.notes.append(f"{entry['code']} {entry['year']} {entry['flow']}: chapters {entry['chapters']:,.1f} vs "
                           f"total {entry['total']:,.1f}: {entry['why']}")
    check.data.update(stats=stats, revised=revised, explained=explained)
    check.summary = "; ".join(
        f"{flow}: {v['n']} partner-years, {v['n_out']} outside {v['rel'] * 100:g}% + ${v['abs']:g}M "
        f"(max abs diff {v['max_abs']:,.1f})" for flow, v in stats.items())
    return check


def check_hs_aggregates(sectors: pd.DataFrame, hs_imports: pd.DataFrame, mapping: list[tuple[str, str]],
                        tolerance: float = HS_AGGREGATE_RELATIVE_TOLERANCE) -> Check:
    """The HS file's aggregate rows (imports) vs tradegap's member sums of the same file."""
    check = Check("HS-file aggregates vs member sums")
    got_by_code = sectors.groupby(["code", "year"])["imports"].sum()
    census_by_code = hs_imports.groupby(["cty", "year"])["imports"].sum()
    compared = 0
    worst = 0.0
    rows = []
    for census_code, code in mapping:
        for year in sorted(set(sectors["year"])):
            if (census_code, year) not in census_by_code.index:
                continue
            census, got = census_by_code.loc[(census_code, year)], got_by_code.get((code, year), 0)
            relative = (got - census) / census
            compared += 1
            worst = max(worst, abs(relative))
            line = (f"HS {census_code} vs {code} {year} imports: members {got / 1e6:,.1f} vs Census "
                    f"{census / 1e6:,.1f} ({relative * 100:+.3f}%)")
            rows.append((census_code, code, int(year), got / 1e6, census / 1e6, relative))
            if abs(relative) > tolerance:
                check.failures.append(f"hs aggregates: {line}")
    check.data["rows"] = rows
    check.summary = f"{compared} comparisons, max abs diff {worst * 100:.3f}%"
    return check


def check_reference_figures(annual: pd.DataFrame, partners: pd.DataFrame, sectors: pd.DataFrame,
                            reference: dict[str, Any]) -> Check:
    """Published figures the dataset must reproduce (annual in tenths, sectors in dollars)."""
    check = Check("reference figures")
    by_code = annual.set_index(["code", "year"])
    try:
        exports = number_at(by_code, ("5700", 2024), "exports") / 10
        imports = number_at(by_code, ("5700", 2024), "imports") / 10
    except KeyError:
        check.failures.append("reference: no 2024 row for China (5700)")
        return check
    for label, got, want in (("exports", exports, reference["china_2024_exports"]),
                             ("imports", imports, reference["china_2024_imports"]),
                             ("balance", exports - imports, reference["china_2024_balance"])):
        if abs(got - want) > 0.05 + 1e-6:
            check.failures.append(f"reference: China 2024 {label} {got:,.1f}, expected {want:,.1f}")
    countries = set(partners.loc[partners["kind"] == "country", "code"])
    year_2024 = annual[(annual["year"] == 2024) & annual["code"].isin(countries)].copy()
    year_2024["balance"] = year_2024["exports"] - year_2024["imports"]
    top = year_2024.sort_values(["balance", "code"])["code"].head(10).tolist()
    if top != reference["top10_deficit_2024"]:
        check.failures.append(f"reference: 2024 top-10 deficit partners {top}, expected "
                              f"{reference['top10_deficit_2024']}")
    chapter_imports = sectors[(sectors["code"] == "5700") & (sectors["year"] == 2024)]["imports"].sum() / 1e6
    if abs(chapter_imports - reference["china_2024_chapter_imports"]) > reference["china_chapter_tol"]:
        check.failures.append(f"reference: China 2024 chapter imports sum {chapter_imports:,.1f}, expected "
                              f"~{reference['china_2024_chapter_imports']:,.0f}")
    check.summary = (f"China 2024 exports {exports:,.1f} imports {imports:,.1f} balance {exports - imports:,.1f}; "
                     f"top-10 deficits 2024 {', '.join(top)}; China 2024 chapter imports {chapter_imports:,.1f}")
    return check
