"""`tradegap import FILE`: the Census country file, as users download it, merged into the data in use.

The file is country.xlsx (sheet 'country': year, CTY_CODE with leading zeros, CTYNAME,
IJAN..IDEC, IYR, EJAN..EDEC, EYR) or the same table as CSV. Every complete year it has
replaces that year of the data in use; its partial latest year replaces the data's when
it has at least as many months. The build's checks run on what is imported; if one
fails nothing is written. The new dataset is written into the user's data directory
atomically, like an update's.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd

from tui import locations
from tui.pipeline import assemble, checks, replace
from tui.pipeline.checks import Check
from tui.pipeline.curation import load_curation
from tui.pipeline.dataset_files import read_dataset_tables
from tui.pipeline.parsers import COUNTRY_TABLE_COLUMNS, parse_country_table
from tui.pipeline.releases import with_vintage
from tui.pipeline.sources import SourceError
from tui.pipeline.text import compress_years
from tui.pipeline.update import census_member_sums, finish, held_lock, with_current_descriptions
from tui.trade.periods import MONTH_NAMES, Period

SHEET = "country"
#: The largest file read. Census's country file (1985 on) is about 2 MB as Excel or as CSV and grows by
#: about 50 KB a year; a larger file is not it, and would be read whole into memory to find that out.
MAX_COUNTRY_FILE_BYTES = 32 * 1024 * 1024


@dataclass
class ImportOptions:
    path: Path
    release_month: tuple[int, int] | None = None  # (year, month); default: the file's modification month
    older: bool = False  # replace figures of a later release than the file's (else refused)


@dataclass
class ImportResult:
    written: Path
    summary: str
    latest: Period
    release: str
    checks: list[Check] = field(default_factory=list)


def later_releases(release: dict, years: list[int], months_by_year: dict[int, int],
                   file_release: tuple[int, int]) -> str:
    """The years a file would replace whose figures in use come from a later release than the file's, with
    that release ('2022-2024 (Census country file of September 2026)'); '' when there are none."""
    from tui.trade.releases import release_date, release_of, releases_by_years

    periods = [Period(year, months_by_year[year]) for year in years]
    newer = [period for period in periods
             if (date := release_date(release_of(release, period))) is not None and date[1] and date > file_release]
    return ", ".join(f"{span} ({label})" for span, label in releases_by_years(release, newer))


def read_country_file(path: Path) -> pd.DataFrame:
    """The country table of an Excel or CSV file, cells as text; SourceError (one line) if it cannot be."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(2)  # an Excel file is a zip archive, which starts with PK
    except OSError as error:
        raise SourceError(f"{path.name}: cannot read ({error.strerror})") from None
    if size > MAX_COUNTRY_FILE_BYTES:
        raise SourceError(f"{path.name}: {size / 2**20:,.1f} MB, larger than a Census country file can be (about "
                          f"2 MB; over {MAX_COUNTRY_FILE_BYTES / 2**20:g} MB is not read): is it the country file?")
    if head.startswith(b"PK"):
        return read_country_excel(path)
    return read_country_csv(path)


def read_country_excel(path: Path) -> pd.DataFrame:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError) as error:
        raise SourceError(f"{path.name}: not a readable Excel file, truncated or damaged "
                          f"({type(error).__name__})") from None
    try:
        if SHEET not in workbook.sheetnames:
            raise SourceError(f"{path.name}: no sheet '{SHEET}' (it has {', '.join(workbook.sheetnames)}): "
                              f"is it the Census country file?")
        try:
            rows = list(workbook[SHEET].iter_rows(values_only=True))
        except (zipfile.BadZipFile, KeyError, EOFError, OSError, ValueError) as error:
            raise SourceError(f"{path.name}: the sheet '{SHEET}' cannot be read, truncated or damaged "
                              f"({type(error).__name__})") from None
    finally:
        workbook.close()
    if not rows:
        raise SourceError(f"{path.name}: the sheet '{SHEET}' is empty")
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    check_header(header, path.name)
    body = [row for row in rows[1:] if any(cell is not None and str(cell).strip() for cell in row)]
    table = pd.DataFrame([list(row) + [None] * (len(header) - len(row)) for row in body], columns=header)
    table["CTY_CODE"] = table["CTY_CODE"].map(lambda v: "" if v is None else str(v).strip())
    return table


def read_country_csv(path: Path) -> pd.DataFrame:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise SourceError(f"{path.name}: neither an Excel file nor a UTF-8 CSV") from None
    except OSError as error:
        raise SourceError(f"{path.name}: cannot read ({error.strerror})") from None
    try:
        rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    except csv.Error as error:  # a cell over the csv module's limit of 128 KiB: a quote that is never closed
        raise SourceError(f"{path.name}: not a readable CSV ({error}): a quote left open?") from None
    if not rows:
        raise SourceError(f"{path.name}: the file is empty")
    header = [cell.strip() for cell in rows[0]]
    check_header(header, path.name)
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            last = number == len(rows) and not text.endswith("\n")
            if last:
                raise SourceError(f"{path.name}: the last row is cut off ({len(row)} of {len(header)} cells): "
                                  f"a truncated file?")
            raise SourceError(f"{path.name}: row {number} has {len(row)} cells, the header {len(header)}")
    return pd.DataFrame(rows[1:], columns=header)


def check_header(header: list[str], name: str) -> None:
    if missing := [column for column in COUNTRY_TABLE_COLUMNS if column not in header]:
        shown = ", ".join(missing[:6]) + (" …" if len(missing) > 6 else "")
        raise SourceError(f"{name}: missing columns {shown}: is it the Census country file "
                          f"(year, CTY_CODE, CTYNAME, IJAN..IDEC, IYR, EJAN..EDEC, EYR)?")


def run_import(options: ImportOptions) -> ImportResult:
    with held_lock():
        return _import(options)


def _import(options: ImportOptions) -> ImportResult:
    path = Path(options.path)
    curation = load_curation()
    table = read_country_file(path)
    monthly, annual, _names = parse_country_table(table, path.name)
    if annual.empty or monthly.empty:
        raise SourceError(f"{path.name}: no trade in the file")
    release_year, release_month = options.release_month or modification_month(path)
    label = f"Census country file of {MONTH_NAMES[release_month]} {release_year}"

    tables = read_dataset_tables(locations.data_dir())
    release = tables["release"]
    base_latest = Period(int(release["latest_year"]), int(release["latest_month"]))
    roles = replace.code_roles(tables, curation)

    census_world = curation.census_world
    world_monthly = monthly[monthly["code"] == census_world]
    world_annual = annual[annual["code"] == census_world]
    dropped = set(curation.dropped_codes)
    monthly = monthly[~monthly["code"].isin(dropped)]
    annual = annual[~annual["code"].isin(dropped)]
    results: list[Check] = []
    known = Check("codes known")
    for code in sorted(set(annual["code"]) - roles.known() - set(roles.alternatives)):
        known.failures.append(f"codes: {path.name} has code {code}, which tradegap does not know")
    known.summary = f"{annual['code'].nunique()} codes, all known"
    results.append(known)
    checks.require_all_passed(results)

    results.append(checks.check_month_sums(monthly, annual, label=path.name))
    monthly = replace.merged(monthly, roles.alternatives, ["code", "year", "month"])
    monthly = monthly.dropna(subset=["exports", "imports"], how="all")
    census_annual = replace.merged(annual[["code", "year", "exports", "imports"]], roles.alternatives,
                                   ["code", "year"])

    latest_month = monthly.groupby("year")["month"].max()
    months_by_year: dict[int, int] = dict(zip(latest_month.index.tolist(), latest_month.tolist(), strict=True))
    check_years(path.name, months_by_year, int(tables["annual"]["year"].min()), base_latest)
    newest_year = max(months_by_year)
    newest_month = months_by_year[newest_year]
    if (release_year, release_month) <= (newest_year, newest_month):  # Census publishes a month's figures after it
        raise SourceError(f"{path.name}: its figures run to {MONTH_NAMES[newest_month]} {newest_year}, so it cannot be "
                          f"the release of {MONTH_NAMES[release_month]} {release_year} (give --release MONTH)")
    base_months = tables["annual"][tables["annual"]["code"] == "WORLD"].set_index("year")["months"].to_dict()
    years, skipped = [], []
    for year, months in sorted(months_by_year.items()):
        if months == 12 or months >= base_months.get(year, 0):
            years.append(int(year))
        else:
            skipped.append(Period(int(year), int(months)))
    if not years:
        raise SourceError(f"{path.name}: nothing to import: the data in use has more months for every year the "
                          f"file covers ({', '.join(p.label for p in skipped)})")
    if not options.older:
        later = later_releases(release, years, months_by_year, (release_year, release_month))
        if later:
            raise SourceError(f"{path.name}: {later} come from a later release than this file's ({label}): "
                              "nothing imported (add --older to replace them with this file's figures)")

    provided_annual = census_annual[census_annual["year"].isin(years)]
    residual = curation.world_total["residual"]["code"]  # made from the world total, in no file
    itemized = [code for code in roles.places if code != residual]
    results.append(check_partners_kept(tables, itemized, provided_annual, years, path.name))
    checks.require_all_passed(results)
    new_monthly, new_annual = replace.replace_trade_years(tables, roles, years, monthly, provided_annual)
    imported = new_annual[new_annual["year"].isin(years)]
    results.append(checks.check_world(imported[imported["code"] == "WORLD"],
                                      new_monthly[(new_monthly["code"] == "WORLD") & new_monthly["year"].isin(years)],
                                      world_monthly[world_monthly["year"].isin(years)],
                                      world_annual[world_annual["year"].isin(years)]))
    imported_places = imported[imported["code"].isin(roles.places)]
    monthly_places = new_monthly[new_monthly["year"].isin(years) & new_monthly["code"].isin(roles.places)]
    results.append(checks.check_groups_vs_census(
        imported, roles.census_members, curation.known_group_differences,
        member_sums=census_member_sums(monthly_places, imported_places, roles, roles.census_members)))
    checks.require_all_passed(results)

    new_tables = dict(tables, monthly=new_monthly, annual=new_annual)
    new_tables["partners"] = assemble.with_years(tables["partners"], new_annual)
    sector_years = sorted(set(tables["sectors"]["year"]) & set(years))
    if sector_years:
        check = checks.check_sectors_vs_totals(
            tables["sectors"].rename(columns={"exports_k": "exports", "imports_k": "imports"})
            .assign(exports=lambda f: f["exports"] * 1000, imports=lambda f: f["imports"] * 1000)
            .query("year in @sector_years"), new_annual, new_tables["partners"])
        check.name = "sectors vs partner totals (other releases, information)"
        check.notes += check.failures
        check.failures = []
        results.append(check)

    file_latest = Period(max(years), int(months_by_year[max(years)]))
    latest = max(base_latest, file_latest, key=lambda p: (p.year, p.months))
    new_release = dict(release, latest_year=latest.year, latest_month=latest.months)
    new_release = with_vintage(new_release, "trade", years, label)
    if latest.year in years:
        new_release["release_label"] = label
    new_release = with_current_descriptions(new_release)
    new_release["updates"] = [*release.get("updates", []), {
        "source": "Census country file", "file": path.name, "release": label,
        "imported": datetime.now().date().isoformat(), "years": compress_years(years),
    }]
    written = finish(new_tables, new_release, results, latest)

    full = [year for year in years if months_by_year[year] == 12]
    partial = [Period(year, int(months_by_year[year])) for year in years if months_by_year[year] < 12]
    parts = [compress_years(full)] if full else []
    parts += [period.label for period in partial]
    default = "" if options.release_month else ", the file's modification month"
    summary = f"{' and '.join(parts)} imported from {path.name} ({label}{default})"
    if skipped:
        summary += "; " + ", ".join(f"{p.label} not imported: the data in use has more months" for p in skipped)
    return ImportResult(written, summary, latest, str(new_release.get("release_label", "")), results)


def check_years(name: str, months_by_year: dict[int, int], first_year: int, latest: Period) -> None:
    """SourceError (one line) for a year before the data's first, one still to come, or one after the data's
    latest with months missing in between (the rest of the latest year, or whole years), which neither the
    file nor the data in use would have."""
    years = sorted(months_by_year)
    if early := [year for year in years if year < first_year]:
        raise SourceError(f"{name}: has {compress_years(early)}, before {first_year}, where tradegap's data starts")
    this_year = datetime.now().year
    if future := [year for year in years if year > this_year]:
        raise SourceError(f"{name}: has {compress_years(future)}, a year still to come: is its year column right?")
    for year in years:
        if year <= latest.year:
            continue
        before = year - 1
        complete_before = months_by_year.get(before) == 12 or (before == latest.year and latest.is_full_year)
        if not complete_before:
            raise SourceError(f"{name}: has {year}, but the data in use ends in {latest.label} and the file does "
                              f"not complete {before}: the months between would be missing (import them first, "
                              f"or run tradegap update)")


def check_partners_kept(tables: dict, places: list[str], provided: pd.DataFrame, years: list[int],
                        name: str) -> Check:
    """Every place with trade in a year the file replaces is in the file for that year: a file of some
    partners only would otherwise take the others' figures away."""
    check = Check("partners kept")
    annual = tables["annual"]
    before = annual[annual["year"].isin(years) & annual["code"].isin(places)
                    & ((annual["exports"].fillna(0) != 0) | (annual["imports"].fillna(0) != 0))]
    had = set(zip(before["code"], before["year"].astype(int), strict=True))
    has = set(zip(provided["code"], provided["year"].astype(int), strict=True))
    lost = sorted(had - has, key=lambda pair: (pair[1], pair[0]))
    for year in sorted({year for _, year in lost}):
        codes = [code for code, y in lost if y == year]
        shown = ", ".join(codes[:8]) + (f" and {len(codes) - 8} more" if len(codes) > 8 else "")
        check.failures.append(f"{name} has no row for {len(codes)} of the {sum(1 for _, y in had if y == year)} "
                              f"partners with trade in {year} ({shown}): is it the whole country file?")
    check.summary = f"{len(had)} partner-years with trade, all in the file" if not lost else ""
    return check


def modification_month(path: Path) -> tuple[int, int]:
    stamp = datetime.fromtimestamp(Path(path).stat().st_mtime)
    return stamp.year, stamp.month
