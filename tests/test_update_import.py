"""tradegap import FILE: the Census country file (country.xlsx, or the same table as CSV)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from tui import locations
from tui.cli import main
from tui.pipeline.lock import exclusive_lock
from tui.pipeline.parsers import COUNTRY_TABLE_COLUMNS, EXPORT_COLUMNS, IMPORT_COLUMNS
from tui.update_cli import parse_release_month

SOURCES = Path(os.environ.get("TRADEGAP_SOURCES") or Path(__file__).resolve().parents[2] / "shared" / "sources")
OFFICIAL = SOURCES / "census-country-official-format-1985-2024jun.xlsx"

# on one worker: the country table and the bad files below are written once, not once on each
pytestmark = pytest.mark.xdist_group("country-file")


@pytest.fixture
def user_data(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "user-data"
    directory.mkdir()
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(directory))
    return directory


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def top3(capsys, *more: str) -> str:
    status, out, err = run(capsys, "top", "3", *more)
    assert status == 0, err
    return out


@pytest.fixture(scope="module")
def country_table() -> list[list]:
    """The country file's table for 2022-2023 of every place and Census aggregate, from the shipped data
    (values in millions as Census writes them, codes with leading zeros)."""
    data = locations.shipped_data_dir()
    partners = pd.read_csv(data / "partners.csv", dtype=str, keep_default_na=False)
    monthly = pd.read_csv(data / "trade_monthly.csv", dtype={"code": str})
    annual = pd.read_csv(data / "trade_annual.csv", dtype={"code": str})
    codes = partners[partners["code"].str.fullmatch(r"\d{4}") & (partners["kind"] != "product")]
    names = dict(zip(codes["code"], codes["census_name"], strict=True))
    rows = [list(COUNTRY_TABLE_COLUMNS)]
    for year in (2022, 2023):
        months = monthly[(monthly["year"] == year) & monthly["code"].isin(names)]
        wide = {flow: months.pivot(index="code", columns="month", values=flow) for flow in ("imports", "exports")}
        totals = annual[annual["year"] == year].set_index("code")
        for code in sorted(wide["imports"].index):
            rows.append([str(year), code, names[code]] + [float(v) for v in wide["imports"].loc[code]]
                        + [float(totals.loc[code, "imports"])] + [float(v) for v in wide["exports"].loc[code]]
                        + [float(totals.loc[code, "exports"])])
    return rows


def write_xlsx(path: Path, rows: list[list], sheet: str = "country") -> Path:
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, rows: list[list]) -> Path:
    pd.DataFrame(rows[1:], columns=rows[0]).to_csv(path, index=False)
    return path


def nothing_written(user_data: Path) -> bool:
    datasets = user_data / "datasets"
    return not datasets.exists() or list(datasets.iterdir()) == []


# ---------------------------------------------------------------- it works


@pytest.mark.slow
@pytest.mark.skipif(not OFFICIAL.is_file(), reason="raw sources (../shared/sources) not present")
def test_the_official_file_as_users_download_it(user_data, capsys, tmp_path):
    before_latest = top3(capsys)
    # the years in use are of later releases (April 2025, September 2026): replaced only when asked to
    status, out, err = run(capsys, "import", OFFICIAL, "--release", "Jul 2024")
    assert (status, out) == (1, "") and nothing_written(user_data)
    assert err == ("tradegap: census-country-official-format-1985-2024jun.xlsx: 1985-2021 (Census country file of "
                   "April 2025), 2022-2023 (Census country file of September 2026) come from a later release than "
                   "this file's (Census country file of July 2024): nothing imported (add --older to replace them "
                   "with this file's figures)\n")
    status, out, err = run(capsys, "import", OFFICIAL, "--release", "Jul 2024", "--older")
    assert status == 0, err
    assert "1985-2023 imported from census-country-official-format-1985-2024jun.xlsx" in out
    assert "Census country file of July 2024" in out
    assert "2024 Jan-Jun not imported: the data in use has more months" in out
    assert top3(capsys) == before_latest  # 2026 and 2025 are not in the file
    assert "Census country file of July 2024" in top3(capsys, "--year", "2015")
    status, out, _ = run(capsys, "show", "china", "--year", "2023", "--format", "json")
    shown = json.loads(out)
    sheet = openpyxl.load_workbook(OFFICIAL, read_only=True)["country"]
    china = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "2023" and row[1] == "5700")
    assert shown["exports"] == pytest.approx(china[-1], abs=0.05) and shown["release"].endswith("July 2024")


@pytest.mark.slow
def test_a_csv_of_the_same_table(user_data, capsys, tmp_path, country_table):
    path = write_csv(tmp_path / "country.csv", country_table)
    before = top3(capsys, "--year", "2023")
    status, out, err = run(capsys, "import", path, "--release", "2026-09")
    assert status == 0, err
    assert out.startswith("2022-2023 imported from country.csv (Census country file of September 2026)")
    after = top3(capsys, "--year", "2023")
    assert after.replace("Census country file of September 2026", "X") == before.replace(
        "Census country file of September 2026", "X")  # the same figures, now from the imported release
    status, out, _ = run(capsys, "paths")
    assert "data in use (updated)" in out


@pytest.mark.slow
def test_the_release_defaults_to_the_files_modification_month(user_data, capsys, tmp_path, country_table):
    path = write_xlsx(tmp_path / "country.xlsx", country_table)
    stamp = datetime(2026, 10, 15, 12).timestamp()
    os.utime(path, (stamp, stamp))
    status, out, err = run(capsys, "import", path)
    assert status == 0, err
    assert "(Census country file of October 2026, the file's modification month)" in out


@pytest.mark.parametrize(("text", "month"), [("Sep 2026", (2026, 9)), ("september 2026", (2026, 9)),
                                             ("2026-09", (2026, 9)), ("Sept. 2026", (2026, 9)),
                                             ("Smarch 2026", None), ("2026-13", None), ("soon", None)])
def test_release_months(text, month):
    assert parse_release_month(text) == month


# ---------------------------------------------------------------- bad files change nothing


def spoiled_files(tmp_path: Path, rows: list[list]) -> dict[str, tuple[Path, str]]:
    header = rows[0]
    text_rows = [list(row) for row in rows]
    text_rows[5][header.index("IMAR")] = "n/a"
    missing = [[cell for i, cell in enumerate(row) if header[i] != "EYR"] for row in rows]
    good = write_xlsx(tmp_path / "good.xlsx", rows)
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    csv_path = write_csv(tmp_path / "good.csv", rows)
    cut_csv = tmp_path / "truncated.csv"
    text = csv_path.read_text()
    cut_csv.write_text(text[: len(text) // 2 + 7].rstrip("\n"))
    not_country = tmp_path / "notes.csv"
    not_country.write_text("a,b\n1,2\n")
    open_quote = tmp_path / "quote.csv"
    open_quote.write_text('"' + "a\n" * 100_000)  # one cell of 200 KB, past the csv module's limit
    huge_rows = [list(row) for row in rows]
    huge_rows[5][header.index("IMAR")] = 1e300
    return {
        "a value beyond any trade": (write_csv(tmp_path / "huge.csv", huge_rows), "a value beyond any trade in "
                                     "column IMAR (row 6: over 10,000,000 million dollars"),
        "a wrong sheet": (write_xlsx(tmp_path / "sheet.xlsx", rows, sheet="Sheet1"), "no sheet 'country'"),
        "missing columns": (write_xlsx(tmp_path / "columns.xlsx", missing), "missing columns EYR"),
        "text in a number cell": (write_xlsx(tmp_path / "text.xlsx", text_rows), "text 'n/a' in row 6"),
        "text in a number cell of a CSV": (write_csv(tmp_path / "text.csv", text_rows), "text 'n/a' in row 6"),
        "a truncated Excel file": (truncated, "truncated or damaged"),
        "a truncated CSV": (cut_csv, "the last row is cut off"),
        "an empty file": (tmp_path / "empty.csv", "the file is empty"),
        "a quote left open": (open_quote, "quote.csv: not a readable CSV (field larger than field limit"),
        "not the country file": (not_country, "missing columns year, CTY_CODE"),
    }


BAD = ["a value beyond any trade", "a wrong sheet", "missing columns", "text in a number cell", "text in a number cell of a CSV",
       "a truncated Excel file", "a truncated CSV", "an empty file", "not the country file", "a quote left open"]


@pytest.fixture(scope="module")
def spoiled(tmp_path_factory, country_table) -> dict[str, tuple[Path, str]]:
    """The bad files, written once for the module: an import only reads them."""
    directory = tmp_path_factory.mktemp("spoiled")
    (directory / "empty.csv").write_text("")
    return spoiled_files(directory, country_table)


@pytest.mark.parametrize("name", BAD)
def test_a_bad_file_is_one_line_and_changes_nothing(user_data, capsys, spoiled, name):
    path, says = spoiled[name]
    before = top3(capsys)
    status, out, err = run(capsys, "import", path)
    assert status == 1 and out == ""
    assert says in err and err.startswith("tradegap: ") and err.count("\n") == 1, err
    assert nothing_written(user_data) and top3(capsys) == before


def test_a_file_larger_than_any_country_file_is_refused_unread(user_data, capsys, tmp_path):
    from tui.pipeline.importer import MAX_COUNTRY_FILE_BYTES

    path = tmp_path / "country.csv"
    with path.open("wb") as handle:  # sparse: it takes no room on the disk
        handle.truncate(MAX_COUNTRY_FILE_BYTES + 1)
    before = top3(capsys)
    status, out, err = run(capsys, "import", path)
    assert status == 1 and out == "" and err.count("\n") == 1, err
    assert err.startswith("tradegap: country.csv: ") and "MB, larger than a Census country file can be" in err
    assert nothing_written(user_data) and top3(capsys) == before


def test_a_check_that_fails_names_it_and_changes_nothing(user_data, capsys, tmp_path, country_table):
    rows = [list(row) for row in country_table]
    china = next(row for row in rows if row[0] == "2023" and row[1] == "5700")
    china[COUNTRY_TABLE_COLUMNS.index("IJUN")] += 100.0  # the months no longer add up to IYR
    before = top3(capsys)
    status, out, err = run(capsys, "import", write_xlsx(tmp_path / "country.xlsx", rows))
    assert status == 1 and "check 'month sums country.xlsx' failed: " in err and "5700 2023 imports" in err
    assert nothing_written(user_data) and top3(capsys) == before


def test_usage_mistakes(user_data, capsys, tmp_path):
    assert run(capsys, "import", tmp_path / "nothing.xlsx")[0] == 2
    assert run(capsys, "import", tmp_path)[0] == 2
    status, _, err = run(capsys, "import", "")
    assert status == 2 and "the country file's name is empty" in err and err.count("\n") == 1
    os.mkfifo(tmp_path / "pipe.csv")  # nothing writes to it: reading it would wait forever
    status, _, err = run(capsys, "import", tmp_path / "pipe.csv")
    assert status == 2 and "is not a regular file" in err and err.count("\n") == 1
    (tmp_path / "f.csv").write_text("x")
    status, _, err = run(capsys, "import", tmp_path / "f.csv", "--release", "Smarch 2026")
    assert status == 2 and "--release takes a month" in err


def test_a_name_too_long_for_the_system_is_one_line(user_data, capsys, tmp_path):
    status, out, err = run(capsys, "import", tmp_path / ("j" * 300))
    assert status == 1 and out == "" and err.count("\n") == 1, err
    assert err.startswith("tradegap: jjj") and err.endswith(": cannot read (File name too long)\n")
    assert nothing_written(user_data)


def test_an_import_while_an_update_runs(user_data, capsys, tmp_path, country_table):
    path = write_csv(tmp_path / "country.csv", country_table)
    with exclusive_lock(user_data / "update.lock"):
        status, out, err = run(capsys, "import", path)
    assert status == 1 and "another tradegap update or import is running" in err
    assert nothing_written(user_data)


def test_month_and_column_names_are_the_census_ones():
    assert IMPORT_COLUMNS[0] == "IJAN" and EXPORT_COLUMNS[-1] == "EDEC"


def test_a_file_of_some_partners_only_is_refused(user_data, capsys, tmp_path, country_table):
    # every year a file brings replaces that year: one without the other partners would take their figures
    rows = [country_table[0], *(row for row in country_table[1:] if row[1] == "5700")]
    before = top3(capsys, "--year", "2023")
    status, out, err = run(capsys, "import", write_csv(tmp_path / "china.csv", rows), "--release", "Sep 2026")
    assert status == 1 and out == "" and err.count("\n") == 1
    assert "check 'partners kept' failed: china.csv has no row for" in err and "partners with trade in 2022" in err
    assert nothing_written(user_data) and top3(capsys, "--year", "2023") == before


@pytest.mark.parametrize(("release", "status", "says"), [
    ("Jan 1900", 1, "so it cannot be the release of January 1900"),
    ("2023-12", 1, "so it cannot be the release of December 2023"),
    (f"{datetime.now().year + 1}-01", 2, "is a month still to come"),
])
def test_a_release_month_before_the_files_figures_or_to_come_is_refused(user_data, capsys, tmp_path, country_table,
                                                                        release, status, says):
    before = top3(capsys)
    code, out, err = run(capsys, "import", write_csv(tmp_path / "country.csv", country_table), "--release", release)
    assert code == status and out == "" and says in err and err.count("\n") == 1, err
    assert nothing_written(user_data) and top3(capsys) == before


@pytest.mark.parametrize(("year", "says"), [
    ("1984", "has 1984, before 1985, where tradegap's data starts"),
    (str(datetime.now().year + 2), "a year still to come"),
])
def test_a_year_out_of_the_data_s_span_is_refused(user_data, capsys, tmp_path, country_table, year, says):
    rows = [country_table[0], *([year, *row[1:]] if row[0] == "2022" else row for row in country_table[1:])]
    before = top3(capsys)
    status, out, err = run(capsys, "import", write_csv(tmp_path / "years.csv", rows), "--release", "Sep 2026")
    assert status == 1 and out == "" and says in err and err.count("\n") == 1, err
    assert nothing_written(user_data) and top3(capsys) == before


def test_a_year_after_a_gap_is_refused():
    from tui.pipeline.importer import check_years
    from tui.pipeline.sources import SourceError
    from tui.trade.periods import Period

    check_years("country.csv", {2023: 12, 2024: 12, 2025: 3}, 1985, Period(2024, 12))  # the next year may come
    check_years("country.csv", {2024: 12, 2025: 3}, 1985, Period(2024, 8))  # the file completes the latest year
    with pytest.raises(SourceError, match="has 2026, but the data in use ends in 2024 and the file does not "
                                          "complete 2025: the months between would be missing"):
        check_years("country.csv", {2025: 6, 2026: 12}, 1985, Period(2024, 12))
    with pytest.raises(SourceError, match="has 2025, but the data in use ends in 2024 Jan-Aug and the file does "
                                          "not complete 2024"):
        check_years("country.csv", {2025: 3}, 1985, Period(2024, 8))  # Sep-Dec 2024 would be missing
