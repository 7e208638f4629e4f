"""`tradegap update`: the dataset made current from the Census International Trade API.

run_update() fetches, by partner, monthly exports (exports/hs, ALL_VAL_MO) and general
imports (imports/hs, GEN_VAL_MO) for every month after the dataset's latest and again
for the current and previous year (which Census revises), and the same by HS chapter
(COMM_LVL=HS2) for every year from 2013 (or chapters_since) that the dataset does not
already have from the API. Everything fetched is checked as the build checks its
sources; if a check fails nothing is written. The new dataset is written into the
user's data directory atomically; the shipped data is never modified.

run_update(options, progress_callback) is what the command line and the app call; it
raises SourceError (one line) on any failure of the source or the data directory.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pandas as pd

from tui import locations
from tui.pipeline import assemble, checks, replace, write
from tui.pipeline.census_api import (
    BASE_URL_VARIABLE,
    FLOWS,
    ApiSettings,
    CensusApi,
    CensusApiError,
    default_base_url,
    default_key,
    whole_dollars,
)
from tui.pipeline.checks import Check
from tui.pipeline.curation import load_curation
from tui.pipeline.dataset_files import read_dataset_tables, read_release
from tui.pipeline.lock import DataDirectoryError, exclusive_lock
from tui.pipeline.period_totals import build_period_totals, check_period_totals
from tui.pipeline.releases import recorded_years, with_vintage
from tui.pipeline.sources import SourceError
from tui.pipeline.text import compress_years
from tui.pipeline.units import dollars_to_tenths
from tui.trade.periods import MONTH_ABBRS, Period

FIRST_CHAPTER_YEAR = 2013  # the first year the API has
API_CHAPTERS_LABEL = "Census API (HS chapters)"
PLACE_CODE = re.compile(r"[1-9]\d{3}")
COMPLETE_MONTH_SHARE = 0.9  # a month's partners, at least this share of the best month's
KEEP_DATASETS = 2  # the new dataset and the one before


@dataclass
class UpdateOptions:
    api_url: str | None = None  # default: TRADEGAP_CENSUS_API, else the official API
    key: str | None = None  # default: CENSUS_API_KEY
    chapters_since: int = FIRST_CHAPTER_YEAR
    timeout_seconds: float = 30.0
    status_retries: int = 3
    backoff_seconds: float = 1.0
    today: date | None = None
    sleep: Callable[[float], None] = time.sleep

    def api_settings(self) -> ApiSettings:
        # named when the URL cannot be used: in the app, the variable is where a URL can come from
        url_name = "the Census API's URL" if self.api_url else BASE_URL_VARIABLE
        return ApiSettings(base_url=self.api_url or default_base_url(), base_url_name=url_name,
                           key=self.key or default_key(),
                           timeout_seconds=self.timeout_seconds, status_retries=self.status_retries,
                           backoff_seconds=self.backoff_seconds, sleep=self.sleep)


@dataclass
class Progress:
    requests_done: int
    requests_total: int
    what: str
    elapsed_seconds: float


ProgressCallback = Callable[[Progress], None]


@dataclass
class UpdateResult:
    written: Path | None  # the new dataset, or None when nothing was new
    summary: str  # one line: what was added, revised and fetched
    latest: Period  # the latest period of the dataset in use afterwards
    release: str  # the release its newest figures come from
    requests: int = 0
    checks: list[Check] = field(default_factory=list)


@dataclass
class CheckResult:
    dataset_latest: Period
    newest_at_source: Period | None  # a newer month the API has, or None

    @property
    def summary(self) -> str:
        if self.newest_at_source is None:
            return f"tradegap is current: the Census API has nothing after {month_label(self.dataset_latest)}"
        return (f"a newer month is out: {month_label(self.newest_at_source)} "
                f"(tradegap has to {month_label(self.dataset_latest)}); run 'tradegap update'")


def month_label(period: Period) -> str:
    return f"{period.year} {MONTH_ABBRS[period.months]}"


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    year, month = first
    months = []
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def next_month(period: Period) -> tuple[int, int]:
    return (period.year + 1, 1) if period.months == 12 else (period.year, period.months + 1)


def time_predicate(first: tuple[int, int], last: tuple[int, int]) -> str:
    start, end = f"{first[0]}-{first[1]:02d}", f"{last[0]}-{last[1]:02d}"
    return start if start == end else f"from {start} to {end}"


def parse_time(text: str, where: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{4})-(\d{2})", text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise CensusApiError(f"the Census API's answer has time {text!r}, not YYYY-MM ({where})")
    return int(match.group(1)), int(match.group(2))


# ---------------------------------------------------------------- fetching


def probe_newest_month(api: CensusApi, dataset_latest: Period, today: date) -> Period | None:
    """One small request: the newest month after the dataset's that the API has (total imports), or None."""
    first = next_month(dataset_latest)
    last = (today.year, today.month)
    if first > last:
        return None
    endpoint, monthly_value, _, _ = FLOWS["imports"]
    params = {"get": f"CTY_CODE,{monthly_value}", "CTY_CODE": "-", "time": time_predicate(first, last)}
    rows = api.get_table(endpoint, params, ["time"], allow_empty=True)
    where = api.describe(endpoint, params)
    months = [parse_time(text, where) for text in rows["time"]]
    if not months:
        return None
    year, month = max(months)
    return Period(year, month)


def fetch_partner_months(api: CensusApi, flow: str, first: tuple[int, int], last: tuple[int, int]) -> pd.DataFrame:
    """code, name, year, month, value, year_to_date (whole dollars) for every code the API lists."""
    endpoint, monthly_value, ytd_value, _ = FLOWS[flow]
    params = {"get": f"CTY_CODE,CTY_NAME,{monthly_value},{ytd_value}", "time": time_predicate(first, last)}
    rows = api.get_table(endpoint, params, ["CTY_CODE", monthly_value, ytd_value, "time"])
    where = api.describe(endpoint, params)
    times = {text: parse_time(text, where) for text in rows["time"].unique()}
    frame = pd.DataFrame({
        "code": rows["CTY_CODE"].str.strip(),
        "name": rows["CTY_NAME"].str.strip() if "CTY_NAME" in rows else "",
        "year": [times[text][0] for text in rows["time"]],
        "month": [times[text][1] for text in rows["time"]],
        "value": whole_dollars(rows[monthly_value], monthly_value, where),
        "year_to_date": whole_dollars(rows[ytd_value], ytd_value, where),
    })
    duplicated = frame.duplicated(["code", "year", "month"])
    if duplicated.any():
        row = frame[duplicated].iloc[0]
        raise CensusApiError(f"the Census API's answer lists {row['code']} {row['year']}-{row['month']:02d} "
                             f"twice ({where})")
    return frame


def fetch_chapters(api: CensusApi, flow: str, year: int, month: int) -> pd.DataFrame:
    """code, chapter, value (whole dollars, January to month of year) for every code the API lists."""
    endpoint, _, ytd_value, commodity = FLOWS[flow]
    params = {"get": f"CTY_CODE,{commodity},{ytd_value}", "COMM_LVL": "HS2", "time": f"{year}-{month:02d}"}
    rows = api.get_table(endpoint, params, ["CTY_CODE", commodity, ytd_value])
    where = api.describe(endpoint, params)
    chapters = rows[commodity].str.strip()
    bad = ~chapters.str.fullmatch(r"\d{2}")
    if bad.any():
        raise CensusApiError(f"the Census API's answer has commodity {chapters[bad].iloc[0]!r}, not an HS chapter "
                             f"({where})")
    frame = pd.DataFrame({"code": rows["CTY_CODE"].str.strip(), "chapter": chapters.astype("int64"),
                          "value": whole_dollars(rows[ytd_value], ytd_value, where)})
    if frame.duplicated(["code", "chapter"]).any():
        raise CensusApiError(f"the Census API's answer lists a partner's chapter twice ({where})")
    frame["year"] = year
    return frame


# ---------------------------------------------------------------- checks of what was fetched


def check_months_complete(fetched: dict[str, pd.DataFrame], months: list[tuple[int, int]]) -> Check:
    """Every month fetched is there for both flows, with the total for all partners and (nearly) as many
    partners as the best month: a month published for some partners only is not used."""
    check = Check("month complete for every partner")
    # partners per (year, month); pandas types a MultiIndex's keys as Hashable, they are (year, month) tuples
    counts: dict[str, dict[Hashable, int]] = {}
    for flow, frame in fetched.items():
        places = frame[frame["code"].str.fullmatch(PLACE_CODE.pattern)]
        counts[flow] = places.groupby(["year", "month"]).size().to_dict()
        totals = set(map(tuple, frame.loc[frame["code"] == "-", ["year", "month"]].itertuples(index=False)))
        best = max(counts[flow].values(), default=0)
        for month in months:
            label = f"{month[0]}-{month[1]:02d}"
            have = counts[flow].get(month, 0)
            if have == 0:
                check.failures.append(f"month complete: {label} has no {flow} at the Census API")
            elif month not in totals:
                check.failures.append(f"month complete: {label} {flow} has no total for all partners")
            elif have < COMPLETE_MONTH_SHARE * best:
                check.failures.append(f"month complete: {label} {flow} lists {have} partners, other months "
                                      f"up to {best}: published for some partners only")
    check.summary = (f"{len(months)} months, both flows, "
                     f"{min((min(c.values(), default=0) for c in counts.values()), default=0)}+ partners each")
    return check


def to_trade_frames(fetched: dict[str, pd.DataFrame], roles: replace.CodeRoles, api_aggregates: dict[str, str]
                    ) -> dict[str, pd.DataFrame]:
    """The fetched rows in the dataset's codes and units (tenths): monthly and year-to-date rows for places
    (merged codes), Census aggregates (mapped) and the all-partner total."""
    parts = []
    for flow, frame in fetched.items():
        rows = frame.copy()
        rows["flow"] = flow
        parts.append(rows)
    rows = pd.concat(parts, ignore_index=True)
    is_place = rows["code"].str.fullmatch(PLACE_CODE.pattern)
    places = rows[is_place].copy()
    places["code"] = places["code"].replace(roles.alternatives)
    aggregates = rows[rows["code"].isin(api_aggregates)].copy()
    aggregates["code"] = aggregates["code"].map(api_aggregates)
    total = rows[rows["code"] == "-"].copy()
    total["code"] = "-"

    def wide(frame: pd.DataFrame, value: str) -> pd.DataFrame:
        summed = frame.groupby(["code", "year", "month", "flow"])[value].sum().unstack("flow")
        summed = summed.reindex(columns=["exports", "imports"]).fillna(0).astype("int64")
        result = summed.reset_index()
        result.columns.name = None
        return result

    frames = {}
    for name, frame in (("places", places), ("aggregates", aggregates), ("total", total)):
        monthly = complete_months(wide(frame, "value"))
        monthly["exports"] = dollars_to_tenths(monthly["exports"])
        monthly["imports"] = dollars_to_tenths(monthly["imports"])
        ytd = wide(frame, "year_to_date")
        latest = ytd.sort_values("month").groupby(["code", "year"], as_index=False).last()
        latest["exports"] = dollars_to_tenths(latest["exports"])
        latest["imports"] = dollars_to_tenths(latest["imports"])
        months_of_year = monthly.groupby("year")["month"].max()
        latest["months"] = latest["year"].map(months_of_year).astype("int64")
        frames[name] = monthly
        frames[name + "_year_to_date"] = latest[["code", "year", "exports", "imports", "months"]]
    return frames


def complete_months(monthly: pd.DataFrame) -> pd.DataFrame:
    """Zero rows for the months of a year a code has no row for (the API lists no row for no trade)."""
    if monthly.empty:
        return monthly
    months_of_year = monthly.groupby("year")["month"].agg(["min", "max"])
    grid = []
    for code, year in monthly[["code", "year"]].drop_duplicates().itertuples(index=False):
        low, high = months_of_year.loc[year]
        grid += [(code, year, month) for month in range(int(low), int(high) + 1)]
    full = pd.DataFrame(grid, columns=["code", "year", "month"])
    result = full.merge(monthly, on=["code", "year", "month"], how="left").fillna({"exports": 0, "imports": 0})
    result[["exports", "imports"]] = result[["exports", "imports"]].astype("int64")
    return result


# ---------------------------------------------------------------- the update


def check_for_newer_month(options: UpdateOptions) -> CheckResult:
    """`tradegap update --check`: one small request."""
    tables_release = read_release(locations.data_dir())
    latest = Period(int(tables_release["latest_year"]), int(tables_release["latest_month"]))
    with CensusApi(options.api_settings()) as api:
        newest = probe_newest_month(api, latest, options.today or date.today())
    return CheckResult(latest, newest)


def run_update(options: UpdateOptions | None = None, progress_callback: ProgressCallback | None = None
               ) -> UpdateResult:
    """Fetch, check and write a current dataset (see the module's docstring). Thread-safe to call from a
    worker thread: it touches no user interface; progress_callback is called from the calling thread."""
    options = options or UpdateOptions()
    with held_lock():
        return _update(options, progress_callback or (lambda progress: None))


def held_lock() -> Any:
    """The lock that makes one update or import run at a time."""
    return exclusive_lock(locations.user_data_dir() / "update.lock")


def _update(options: UpdateOptions, progress: ProgressCallback) -> UpdateResult:
    started = time.monotonic()
    today = options.today or date.today()
    curation = load_curation()
    base_directory = locations.data_dir()
    tables = read_dataset_tables(base_directory)
    release = tables["release"]
    base_latest = Period(int(release["latest_year"]), int(release["latest_month"]))
    roles = replace.code_roles(tables, curation)
    if options.chapters_since < FIRST_CHAPTER_YEAR:
        raise SourceError(f"the Census API has HS chapters from {FIRST_CHAPTER_YEAR} on, not {options.chapters_since}")

    with CensusApi(options.api_settings()) as api:
        done = 0
        total = 1

        def tick(what: str) -> None:
            nonlocal done
            done += 1
            progress(Progress(done, total, what, time.monotonic() - started))

        progress(Progress(0, total, "asking the Census API for its newest month", 0.0))
        newest = probe_newest_month(api, base_latest, today)
        tick(f"newest month: {month_label(newest) if newest else 'nothing new'}")
        latest = newest or base_latest

        months: list[tuple[int, int]] = []
        if newest is not None:
            first = min(next_month(base_latest), (latest.year - 1, 1))
            months = months_between(first, (latest.year, latest.months))
        month_years = sorted({year for year, _ in months})
        api_sector_years = {year for year, label in recorded_years(release, "sectors").items()
                            if label.startswith(API_CHAPTERS_LABEL)}
        chapter_years = [year for year in range(options.chapters_since, latest.year + 1)
                         if year not in api_sector_years or year >= latest.year - 1 or year in month_years]
        if newest is None:
            chapter_years = [year for year in chapter_years if year not in api_sector_years]
        if not months and not chapter_years:
            return UpdateResult(None, f"already current: the Census API has nothing after {month_label(base_latest)}",
                                base_latest, str(release.get("release_label", "")), api.requests_done)
        total = 1 + 2 * len(month_years) + 2 * len(chapter_years)

        fetched: dict[str, list[pd.DataFrame]] = {"exports": [], "imports": []}
        for year in month_years:
            in_year = [m for m in months if m[0] == year]
            for flow in ("exports", "imports"):
                fetched[flow].append(fetch_partner_months(api, flow, in_year[0], in_year[-1]))
                tick(f"{year} {flow} by partner")
        sectors_fetched: dict[str, list[pd.DataFrame]] = {"exports": [], "imports": []}
        for year in chapter_years:
            month = latest.months if year == latest.year else 12
            for flow in ("exports", "imports"):
                sectors_fetched[flow].append(fetch_chapters(api, flow, year, month))
                tick(f"{year} {flow} by HS chapter")
        requests = api.requests_done

    label = f"Census API, fetched {today.isoformat()}"
    results: list[Check] = []
    new_monthly, new_annual = tables["monthly"], tables["annual"]
    summary_parts: list[str] = []
    if months:
        partner_months = {flow: pd.concat(parts, ignore_index=True) for flow, parts in fetched.items()}
        results.append(check_months_complete(partner_months, months))
        checks.require_all_passed(results)
        frames = to_trade_frames(partner_months, roles, curation.api_aggregates)
        results += check_fetched_trade(frames, roles, curation, month_years)
        checks.require_all_passed(results)
        provided = pd.concat([frames["places"], frames["aggregates"]], ignore_index=True)
        provided_annual = pd.concat([frames["places_year_to_date"], frames["aggregates_year_to_date"]],
                                    ignore_index=True)
        new_monthly, new_annual = replace.replace_trade_years(tables, roles, month_years, provided, provided_annual)
        summary_parts += describe_months(tables["monthly"], new_monthly, roles, base_latest, months)

    new_tables = dict(tables, monthly=new_monthly, annual=new_annual)
    new_tables["partners"] = assemble.with_years(tables["partners"], new_annual)
    if chapter_years:
        place_sectors, aggregate_sectors = chapter_frames(sectors_fetched, roles)
        new_tables["sectors"] = replace.replace_sector_years(new_tables, roles, chapter_years, place_sectors)
        results += check_fetched_sectors(new_tables, place_sectors, aggregate_sectors, roles, curation,
                                         chapter_years, month_years)
        summary_parts.append(f"chapters {compress_years(chapter_years)}")
        missing = sorted(set(new_tables["sectors"]["chapter"]) - set(tables["chapters"]["chapter"]))
        if missing:
            raise SourceError(f"the Census API has HS chapters tradegap has no name for: {missing}")

    new_release = dict(release)
    new_release.update(latest_year=latest.year, latest_month=latest.months)
    if months:
        new_release = with_vintage(new_release, "trade", month_years, label)
        new_release["release_label"] = label
    if chapter_years:
        new_release = with_vintage(new_release, "sectors", chapter_years,
                                   f"{API_CHAPTERS_LABEL}, fetched {today.isoformat()}")
    new_release = with_current_descriptions(new_release)
    new_release["updates"] = [*release.get("updates", []), {
        "source": "Census International Trade API", "api": options.api_settings().base_url,
        "fetched": today.isoformat(), "months": compress_months(months), "chapters": compress_years(chapter_years),
    }]
    written = finish(new_tables, new_release, results, latest)
    return UpdateResult(written, "; ".join(summary_parts), latest, str(new_release.get("release_label", "")),
                        requests, results)


def with_current_descriptions(release: dict[str, Any]) -> dict[str, Any]:
    """release.json's older keys (releases, sector_releases) made to say what the vintages say."""
    result = dict(release)
    vintages = result.get("vintages") or {}
    result["releases"] = dict(vintages.get("trade", {}))
    result["sector_releases"] = dict(vintages.get("sectors", {}))
    return result


def compress_months(months: list[tuple[int, int]]) -> str:
    if not months:
        return ""
    first, last = months[0], months[-1]
    return f"{first[0]}-{first[1]:02d}" if first == last else f"{first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}"


def check_fetched_trade(frames: dict[str, pd.DataFrame], roles: replace.CodeRoles, curation: Any,
                        years: list[int]) -> list[Check]:
    """The build's checks on what the API gave: months add up to its year-to-date column, partners add up
    to its total, aggregates to their members, and every partner code is known."""
    results = []
    both = pd.concat([frames["places"], frames["aggregates"]], ignore_index=True)
    both_ytd = pd.concat([frames["places_year_to_date"], frames["aggregates_year_to_date"]], ignore_index=True)
    span = compress_years(years)
    results.append(checks.check_month_sums(both, both_ytd, label=f"Census API {span}"))
    places = frames["places"]
    world_monthly = places.groupby(["year", "month"], as_index=False)[["exports", "imports"]].sum()
    world_annual = places.groupby("year", as_index=False)[["exports", "imports"]].sum()
    total_ytd = frames["total_year_to_date"]
    results.append(checks.check_world(world_annual, world_monthly, frames["total"], total_ytd,
                                      strict_from=min(years), name="partners vs the Census API's total"))
    annual = pd.concat([frames["places_year_to_date"], frames["aggregates_year_to_date"]], ignore_index=True)
    provided = set(frames["aggregates"]["code"])
    members = {group: codes for group, codes in roles.census_members.items() if group in provided}
    results.append(checks.check_groups_vs_census(annual, members, curation.known_group_differences,
                                                 member_sums=census_member_sums(places, frames["places_year_to_date"],
                                                                                roles, members)))
    unknown = sorted(set(places["code"]) - set(roles.places))
    known = Check("codes known")
    for code in unknown:
        known.failures.append(f"codes: the Census API lists partner code {code}, which tradegap does not know")
    known.summary = f"{places['code'].nunique()} partner codes, all known"
    results.append(known)
    return results


def census_member_sums(place_monthly: pd.DataFrame, place_annual: pd.DataFrame, roles: replace.CodeRoles,
                       groups: Iterable[str]) -> pd.DataFrame:
    """Each Census aggregate's members summed as the build sums them (the EU with the members of each month)."""
    rows = roles.census_sums(groups)
    group_monthly = assemble.group_sum_monthly(place_monthly, rows)
    return assemble.group_sum_annual(place_annual, group_monthly, rows, place_monthly)


def comparable_aggregates(mapping: list[tuple[str, str]], roles: replace.CodeRoles, year: int
                          ) -> list[tuple[str, str]]:
    """The pairs (Census aggregate, tradegap group) to compare in a year: a group paired with an aggregate
    that tradegap also has as a Census series (0003 with EU27) only in the years both have the same members."""
    census_codes = {hs: group for hs, group in mapping if group in roles.census_members}
    members = assemble.members_at(roles.all_groups(), year, 12)
    return [(hs, group) for hs, group in mapping
            if hs not in census_codes or census_codes[hs] == group
            or members.get(group, []) == members.get(census_codes[hs], [])]


def chapter_frames(fetched: dict[str, list[pd.DataFrame]], roles: replace.CodeRoles
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(place sectors, aggregate sectors): code, year, chapter, exports, imports in whole dollars."""
    parts = []
    for flow, frames in fetched.items():
        for frame in frames:
            parts.append(frame.assign(flow=flow))
    rows = pd.concat(parts, ignore_index=True)
    wide = rows.pivot_table(index=["code", "year", "chapter"], columns="flow", values="value", aggfunc="sum",
                            fill_value=0).reindex(columns=["exports", "imports"], fill_value=0).reset_index()
    wide.columns.name = None
    wide[["exports", "imports"]] = wide[["exports", "imports"]].astype("int64")
    is_place = wide["code"].str.fullmatch(PLACE_CODE.pattern)
    places = wide[is_place].copy()
    places["code"] = places["code"].replace(roles.alternatives)
    places = places.groupby(["code", "year", "chapter"], as_index=False)[["exports", "imports"]].sum()
    return places, wide[~is_place].rename(columns={"code": "cty"})


def check_fetched_sectors(tables: dict[str, Any], place_sectors: pd.DataFrame, aggregate_sectors: pd.DataFrame,
                          roles: replace.CodeRoles, curation: Any, chapter_years: list[int],
                          same_release_years: list[int]) -> list[Check]:
    """Chapters add up to the API's own aggregates (both flows) and to the partners' totals: strictly for the
    years whose totals come from the same fetch, as notes for years whose totals are another release."""
    results = []
    sectors = assemble.with_group_sectors(place_sectors, roles.all_groups())
    for flow in ("imports", "exports"):
        hs = aggregate_sectors.rename(columns={flow: "value"})[["cty", "year", "chapter", "value"]]
        hs = hs.rename(columns={"value": "imports"})
        check = Check(f"HS chapters vs the Census API's aggregates ({flow})")
        for year in sorted(set(sectors["year"])):
            mapping = comparable_aggregates(curation.hs_aggregate_checks, roles, int(year))
            one = checks.check_hs_aggregates(sectors[sectors["year"] == year].assign(imports=sectors[flow]),
                                             hs, mapping)
            check.failures += one.failures
            check.data.setdefault("rows", []).extend(one.data.get("rows", []))
        check.summary = f"{len(check.data.get('rows', []))} comparisons"
        results.append(check)
    unknown = sorted(set(place_sectors["code"]) - set(roles.places))
    known = Check("chapter codes known")
    known.failures += [f"codes: the Census API lists partner code {code} by chapter, which tradegap does not know"
                       for code in unknown]
    results.append(known)
    strict = [year for year in chapter_years if year in same_release_years]
    other = [year for year in chapter_years if year not in same_release_years]
    partners = tables["partners"]
    if strict:
        check = checks.check_sectors_vs_totals(sectors[sectors["year"].isin(strict)], tables["annual"], partners)
        check.name = "sectors vs partner totals (same release)"
        results.append(check)
    if other:
        check = checks.check_sectors_vs_totals(sectors[sectors["year"].isin(other)], tables["annual"], partners)
        check.name = "sectors vs partner totals (other releases, information)"
        check.notes += check.failures
        check.failures = []
        results.append(check)
    return results


def describe_months(before: pd.DataFrame, after: pd.DataFrame, roles: replace.CodeRoles, base_latest: Period,
                    months: list[tuple[int, int]]) -> list[str]:
    """'2026 Sep added', '2025 revised (42 partners changed)', '2026 Jan-Aug unchanged'."""
    parts = []
    added = [m for m in months if m > (base_latest.year, base_latest.months)]
    revised = [m for m in months if m <= (base_latest.year, base_latest.months)]
    for year in sorted({y for y, _ in revised}):
        in_year = [month for month_year, month in revised if month_year == year]
        period = Period(year, max(in_year))
        changed = replace.changed_partners(before, after, roles.places, year, max(in_year))
        name = str(year) if period.is_full_year else period.label
        parts.append(f"{name} revised ({changed} partner{'s' if changed != 1 else ''} changed)" if changed
                     else f"{name} unchanged")
    if added:
        by_year: dict[int, list[int]] = {}
        for year, month in added:
            by_year.setdefault(year, []).append(month)
        texts = []
        for year, values in by_year.items():
            first, last = MONTH_ABBRS[values[0]], MONTH_ABBRS[values[-1]]
            texts.append(f"{year} {first}" if first == last else f"{year} {first}-{last}")
        parts.insert(0, " and ".join(texts) + " added")
    return parts


def finish(tables: dict[str, Any], release: dict[str, Any], results: list[Check], latest: Period) -> Path:
    """Period totals, the last checks, and the dataset written atomically into datasets/; older ones pruned."""
    period_totals = build_period_totals(tables["monthly"], tables["annual"])
    results.append(check_period_totals(period_totals, tables["monthly"], tables["annual"]))
    results.append(checks.check_partners_table(tables["partners"]))
    results.append(checks.check_codes_known(tables["partners"], {
        "trade_monthly": (tables["monthly"], ["code"]), "trade_annual": (tables["annual"], ["code"]),
        "sectors": (tables["sectors"], ["code"]),
    }))
    checks.require_all_passed(results)
    files = write.trade_files(dict(tables, period_totals=period_totals))
    files["release.json"] = write.json_text(release)
    directory = locations.datasets_dir()
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    destination = directory / f"{stamp}-to-{latest.year}-{latest.months:02d}"
    try:
        remove_partial_folders(directory)
        write.write_dataset_directory(files, destination)
    except OSError as error:
        raise DataDirectoryError(f"cannot write the new dataset in {directory} ({error.strerror or error}); "
                                 f"the data in use is unchanged") from None
    prune(directory)
    return destination


def remove_partial_folders(directory: Path) -> None:
    """Leftovers of a write that was killed (the lock is held: nobody else is writing)."""
    if directory.is_dir():
        for entry in directory.iterdir():
            if entry.name.startswith(".") and entry.name.endswith(".partial"):
                shutil.rmtree(entry, ignore_errors=True)


def prune(directory: Path, keep: int = KEEP_DATASETS) -> None:
    datasets = sorted(entry for entry in directory.iterdir() if entry.is_dir() and not entry.name.startswith("."))
    for old in datasets[:-keep]:
        hidden = old.with_name(f".{old.name}.removed")
        try:
            old.rename(hidden)
        except OSError:
            continue
        shutil.rmtree(hidden, ignore_errors=True)


def revert_to_shipped() -> str:
    """`tradegap update --revert`: every updated dataset removed; the shipped data is in use again."""
    with held_lock():
        directory = locations.datasets_dir()
        removed = 0
        if directory.is_dir():
            for entry in sorted(directory.iterdir()):
                if entry.is_dir():
                    hidden = entry if entry.name.startswith(".") else entry.with_name(f".{entry.name}.removed")
                    try:
                        if hidden != entry:
                            entry.rename(hidden)
                    except OSError as error:
                        raise DataDirectoryError(f"cannot remove {entry} ({error.strerror})") from None
                    shutil.rmtree(hidden, ignore_errors=True)
                    removed += 0 if entry.name.startswith(".") else 1
    release = read_release(locations.data_dir())
    latest = Period(int(release["latest_year"]), int(release["latest_month"]))
    what = f"{removed} updated dataset{'s' if removed != 1 else ''} removed" if removed else "no updated dataset"
    return (f"{what}; using {locations.data_dir()} ({latest.label}, {release.get('release_label', '')})")
