"""The data contract: every data file checked when parsed, one line naming the file and the check, status 1."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

from tui import locations
from tui.cli import main
from tui.trade import dataset as dataset_module
from tui.trade import load_dataset
from tui.trade.schema import DataError

SHIPPED = locations.data_dir()


@pytest.fixture
def data(tmp_path, monkeypatch) -> Path:
    """A copy of the shipped data files that the test may break; tradegap reads it."""
    target = tmp_path / "data"
    target.mkdir()
    for name in dataset_module.DATA_FILES:
        shutil.copy2(SHIPPED / name, target / name)
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(target))
    return target


def edit_lines(path: Path, change) -> None:
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(change(lines)))


def replace_field(path: Path, row_start: str, column: int, value: str) -> None:
    def change(lines):
        for i, line in enumerate(lines):
            if line.startswith(row_start):
                fields = line.rstrip("\n").split(",")
                fields[column] = value
                lines[i] = ",".join(fields) + "\n"
                return lines
        raise AssertionError(f"no row starting {row_start!r}")

    edit_lines(path, change)


def set_release(data: Path, **changes) -> None:
    release = json.loads((data / "release.json").read_text())
    release.update(changes)
    (data / "release.json").write_text(json.dumps(release))


def refused(capsys, data: Path, name: str, says: str) -> None:
    status = main(["top", "3"])
    out, err = capsys.readouterr()
    assert status == 1 and out == "", err
    assert err.startswith(f"tradegap: data file {data / name} ") and err.count("\n") == 1, err
    assert says in err, err
    assert "Traceback" not in err


# ---------------------------------------------------------------- the trade tables


def test_a_duplicate_monthly_row_is_refused(capsys, data):
    path = data / "trade_monthly.csv"
    added = len(path.read_text().splitlines()) + 1  # the line the duplicate is written on
    edit_lines(path, lambda lines: lines + [next(line for line in lines if line.startswith("5700,2024,3,"))])
    refused(capsys, data, "trade_monthly.csv", f"1 duplicate (code, year, month) rows (first at line {added})")


async def test_a_duplicate_annual_row_is_refused_by_the_app_too(capsys, data):
    from pilot_helpers import settle
    from tui.app import TradeGapApp
    from tui.trade.catalog import load_catalog

    edit_lines(data / "trade_annual.csv", lambda lines: lines[:5] + lines[4:])
    refused(capsys, data, "trade_annual.csv", "duplicate (code, year) rows (first at line 6)")
    app = TradeGapApp(catalog=load_catalog(data), ascii=False)  # the first screen needs only the catalog
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)  # the full dataset, loading after the first screen, is refused: the app ends
    assert app.return_code == 1
    assert "duplicate (code, year) rows" in app.data_error and "\n" not in app.data_error


def test_a_duplicate_sector_row_is_refused(capsys, data):
    edit_lines(data / "sectors.csv", lambda lines: lines + [lines[1]])
    refused(capsys, data, "sectors.csv", "duplicate (code, year, chapter) rows")


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", ""])
def test_values_that_are_not_finite_are_refused(capsys, data, value):
    replace_field(data / "trade_monthly.csv", "5700,2024,3,", 3, value)
    refused(capsys, data, "trade_monthly.csv", "exports or imports missing or not finite at line")


@pytest.mark.parametrize("name", ["trade_annual.csv", "trade_monthly.csv", "sectors.csv"])
def test_an_amount_over_ten_trillion_dollars_is_refused(capsys, data, name):
    # a slip of the kind a hand edit makes (1e308): printed, it would be a number of 300 digits
    replace_field(data / name, "5700,2024,", 4, "1e308")
    refused(capsys, data, name, "exports or imports over ten trillion dollars at line")


@pytest.mark.parametrize("name", ["trade_annual.csv", "trade_monthly.csv", "sectors.csv"])
def test_negative_trade_is_refused(capsys, data, name):
    replace_field(data / name, "5700,2024,", 4, "-12.5")
    refused(capsys, data, name, "negative exports or imports at line")


@pytest.mark.parametrize(
    ("name", "row", "column", "value", "says"),
    [
        ("trade_monthly.csv", "5700,2024,3,", 2, "13", "month not 1 to 12"),
        ("trade_monthly.csv", "5700,2024,3,", 2, "0", "month not 1 to 12"),
        ("trade_monthly.csv", "5700,2024,3,", 1, "1800", "year 1800 at line"),
        ("trade_monthly.csv", "5700,2024,3,", 1, "2031", "year 2031 at line"),
        ("trade_monthly.csv", "5700,2024,3,", 0, "9999", "code '9999' at line"),
        ("trade_annual.csv", "5700,2024,", 2, "11", "months must be 12, or 8 in 2026"),
        ("sectors.csv", "5700,2024,", 2, "0", "chapter 0 at line"),
        ("sectors.csv", "5700,2024,", 0, "NOPE", "code 'NOPE' at line"),
        ("trade_monthly.csv", "5700,2024,3,", 1, "twenty", "column year at line 68484 holds 'twenty', not a number"),
        ("trade_annual.csv", "5700,2024,", 3, "lots", "column exports at line"),
    ],
)
def test_values_out_of_range_or_unknown_are_refused(capsys, data, name, row, column, value, says):
    replace_field(data / name, row, column, value)
    refused(capsys, data, name, says)


def test_a_month_after_the_release_is_refused(capsys, data):
    path = data / "trade_monthly.csv"
    added = len(path.read_text().splitlines()) + 1
    edit_lines(path, lambda lines: lines + ["5700,2026,9,1.0,2.0\n"])
    refused(capsys, data, "trade_monthly.csv", f"2026 Sep at line {added} is after the latest month in release.json")


def test_a_header_only_sectors_file_is_refused(capsys, data):
    edit_lines(data / "sectors.csv", lambda lines: lines[:1])
    refused(capsys, data, "sectors.csv", "has no rows")
    status = main(["sectors"])
    assert status == 1 and "has no rows" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("name", "drop", "says"),
    [
        ("trade_annual.csv", lambda line: line.startswith("WORLD,"), "WORLD must have every year from 1985 to 2026"),
        ("trade_annual.csv", lambda line: line.startswith("WORLD,2026,"), "WORLD must have every year"),
        ("trade_monthly.csv", lambda line: line.startswith("WORLD,"), "no WORLD rows"),
        ("trade_monthly.csv", lambda line: line.startswith("WORLD,2024,3,"), "none for 2024 Mar"),
        ("sectors.csv", lambda line: line.startswith("WORLD,2024,27,"), "WORLD must have every chapter"),
        ("partners.csv", lambda line: line.startswith("WORLD,"), "no WORLD row"),
    ],
    ids=["annual-world", "annual-latest", "monthly-world", "monthly-month", "sectors-chapter", "partners-world"],
)
def test_missing_world_rows_are_a_data_error_not_the_users(capsys, data, name, drop, says):
    edit_lines(data / name, lambda lines: [line for line in lines if not drop(line)])
    status = main(["top", "3"])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("tradegap: data file ") and says in err and err.count("\n") == 1, err


@pytest.mark.parametrize(
    ("name", "change", "says"),
    [
        ("partners.csv", lambda ls: ls + [ls[5]], "1 duplicate codes (first at line"),
        ("partners.csv", lambda ls: ls[:3] + [ls[3].replace(",region,", ",planet,")] + ls[4:],
         "unknown kind at line 4"),
        ("groups.csv", lambda ls: ls + [ls[1]], "duplicate codes"),
        ("group_members.csv", lambda ls: ls + ["0003,NOPE\n"], "member 'NOPE' at line"),
        ("group_members.csv", lambda ls: ls + ["NOPE,5700\n"], "group 'NOPE' at line"),
        ("group_members.csv", lambda ls: ls + [ls[1]], "duplicate (group, member, start) rows"),
        ("chapters.csv", lambda ls: ls + [ls[1]], "duplicate chapters"),
        ("chapters.csv", lambda ls: ls[:2] + ls[3:], "chapter 2 at line"),  # sectors name a chapter not listed
        ("chapters.csv", lambda ls: ls + ["100,Spare,\n"], "chapter outside 1 to 99"),
    ],
)
def test_the_reference_tables_are_checked(capsys, data, name, change, says):
    edit_lines(data / name, change)
    status = main(["top", "3"])
    err = capsys.readouterr().err
    assert status == 1 and err.startswith("tradegap: data file ") and says in err and err.count("\n") == 1, err


# ---------------------------------------------------------------- release.json


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"latest_month": 0}, "latest_month 0 is not a month (1 to 12)"),
        ({"latest_month": 13}, "latest_month 13 is not a month (1 to 12)"),
        ({"latest_year": 10**30}, "latest_year 1000000000000000000000000000000 is not a year"),
        ({"latest_month": 9}, "latest 2026 Sep is not the last month trade_monthly.csv has for WORLD"),
        ({"latest_month": 7}, "2026 Aug at line"),
        ({"latest_year": 2027}, "latest 2027 Aug is not the last month trade_monthly.csv has for WORLD (2026 Aug)"),
        ({"latest_month": "8"}, "latest_month is not a whole number ('8')"),
        ({"latest_month": True}, "latest_month is not a whole number (True)"),
        ({"latest_year": 2026.0}, "latest_year is not a whole number (2026.0)"),
        ({"latest_year": None}, "latest_year is not a whole number (None)"),
    ],
)
def test_release_json_is_checked_against_the_data(capsys, data, changes, says):
    set_release(data, **changes)
    status = main(["top", "3"])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1 and "Traceback" not in err, err
    assert err.startswith("tradegap: data file ") and says in err, err


@pytest.mark.parametrize(
    ("content", "says"),
    [(b"[1, 2]", "is not a JSON object"), (b"{}", "no latest_year"), (b"[" * 100_000, "is malformed"),
     (b'{"latest_year": 2026, "latest_month": 8, "release_label": 5}', "release_label is not text")],
)
def test_release_json_that_is_not_a_release(capsys, data, content, says):
    (data / "release.json").write_bytes(content)
    refused(capsys, data, "release.json", says)


# ---------------------------------------------------------------- files that cannot be read


@pytest.mark.parametrize("name", ["groups.csv", "period_totals.csv", "partners.csv"])
def test_a_fifo_in_place_of_a_data_file_is_not_read(capsys, data, name):
    import signal

    (data / name).unlink()
    os.mkfifo(data / name)

    def hung(signum, frame):
        raise AssertionError("reading the FIFO hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)
    try:
        refused(capsys, data, name, "cannot be read: it is not a regular file")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_directory_in_place_of_a_data_file(capsys, data):
    (data / "release.json").unlink()
    (data / "release.json").mkdir()
    refused(capsys, data, "release.json", "cannot be read: it is a directory")


def test_permission_denied_is_not_called_malformed(capsys, data, monkeypatch):
    (data / "sectors.csv").chmod(0)
    if os.access(data / "sectors.csv", os.R_OK):  # root reads anything: make the read itself fail
        original = dataset_module.pd.read_csv

        def denied(path, *args, **kwargs):
            if Path(path).name == "sectors.csv":
                raise PermissionError(13, "Permission denied", str(path))
            return original(path, *args, **kwargs)

        monkeypatch.setattr(dataset_module.pd, "read_csv", denied)
    refused(capsys, data, "sectors.csv", "cannot be read: permission denied")


# ---------------------------------------------------------------- the parsed-frame cache


def _cache_file(data: Path, cache: Path) -> Path:
    return cache / f"dataset-{dataset_module._cache_key(data)}.pickle"


@pytest.mark.parametrize(
    "damage",
    [
        lambda frames: {**frames, "partners": "not a frame"},
        lambda frames: {k: v for k, v in frames.items() if k != "sectors"},
        lambda frames: {**frames, "extra": 1},
        lambda frames: {**frames, "monthly": frames["monthly"].drop(columns="balance")},
        lambda frames: {**frames, "release": ["not", "a", "dict"]},
        lambda frames: {**frames, "release": {"latest_year": "2026"}},
        lambda frames: {**frames, "annual": frames["annual"].astype({"year": str})},
        lambda frames: {**frames, "sectors": frames["sectors"].astype({"exports": str})},
        lambda frames: {**frames, "partners": pd.concat([frames["partners"], frames["partners"].head(1)])},
    ],
    ids=["not-a-frame", "missing-frame", "extra-key", "missing-column", "release-list", "release-text",
         "year-as-text", "exports-as-text", "duplicate-partner"],
)
def test_a_cache_with_the_right_marker_but_wrong_content_is_rebuilt(tmp_path, data, damage):
    cache = tmp_path / "cache"
    good = load_dataset(data, cache)
    path = _cache_file(data, cache)
    frames = pickle.loads(path.read_bytes())
    path.write_bytes(pickle.dumps(damage(frames)))
    rebuilt = load_dataset(data, cache)
    for name in ("partners", "annual", "monthly", "groups", "members", "sectors", "chapters"):
        assert getattr(rebuilt, name).equals(getattr(good, name)), name
    assert rebuilt.release == good.release
    assert pickle.loads(path.read_bytes()).keys() == frames.keys()  # and written back whole


def test_the_contract_runs_when_parsing_not_when_reading_the_cache(tmp_path, data, monkeypatch):
    cache = tmp_path / "cache"
    calls = []
    monkeypatch.setattr(dataset_module, "check_contract", lambda *args: calls.append(args))
    load_dataset(data, cache)
    load_dataset(data, cache)
    assert len(calls) == 1


def test_the_contract_passes_on_the_shipped_data_as_parsed():
    from tui.trade.contract import check_contract

    frames = dataset_module._parse(SHIPPED)
    for name in ("annual", "monthly", "sectors"):
        frames[name] = frames[name].drop(columns="balance")
    frames["partners"] = frames["partners"].reset_index(drop=True)
    frames["groups"] = frames["groups"].reset_index(drop=True)
    frames["chapters"] = frames["chapters"].reset_index(drop=True)
    check_contract(SHIPPED, frames)  # passes (about 15 ms: timings belong to the benchmarks, not the tests)


def test_the_shipped_data_meets_the_contract():
    try:
        dataset_module._parse(SHIPPED)
    except DataError as error:  # pragma: no cover - says which check
        pytest.fail(str(error))


@pytest.mark.parametrize(
    ("change", "check"),
    [
        (lambda lines: lines + [lines[1]], "listed twice"),
        (lambda lines: [line for line in lines if not line.startswith("2024,WORLD,")], "no WORLD total for 2024"),
        (lambda lines: lines[:1] + ["2024,5700,12.0,inf"] + lines[1:], "not an amount"),
        (lambda lines: lines[:1] + ["2024,5700,12.0,1e308"] + lines[1:], "not an amount"),
        (lambda lines: ["period,code,exports"] + lines[1:], "header"),
    ],
    ids=["duplicate", "no-world", "infinite", "over-ten-trillion", "header"],
)
def test_a_damaged_period_totals_file_is_one_line_naming_it(tmp_path, change, check):
    import shutil

    from tui.trade.catalog import load_catalog

    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    path = data / "period_totals.csv"
    path.write_text("\n".join(change(path.read_text().splitlines())) + "\n")
    with pytest.raises(DataError) as error:
        load_catalog(data)
    message = str(error.value)
    assert "period_totals.csv" in message and check in message and "\n" not in message


def test_totals_read_on_demand_are_the_totals_read_at_once():
    from tui.trade.catalog import load_catalog

    at_once, on_demand = load_catalog(SHIPPED), load_catalog(SHIPPED, totals_on_demand=True)
    assert on_demand.first_year == at_once.first_year
    keys = list(at_once.totals)
    assert len(keys) > 40
    for key in keys:
        assert on_demand.totals.get(key) == at_once.totals[key], key
    assert on_demand.totals.get("1900") is None
    on_demand.check_totals()
    assert on_demand.totals == at_once.totals


def _first_two_periods_swapped(lines: list[str]) -> list[str]:
    first = [line for line in lines[1:] if line.startswith("1985,")]
    second = [line for line in lines[1:] if line.startswith("1986,")]
    return lines[:1] + second + first + lines[1 + len(first) + len(second):]


@pytest.mark.parametrize(
    ("change", "check", "damaged"),
    [
        (lambda lines: lines + [lines[1]], "listed twice", "1985"),
        (lambda lines: [line for line in lines if not line.startswith("2024,WORLD,")], "no WORLD total for 2024", "2024"),
        (lambda lines: lines[:1] + ["2024,5700,12.0,inf"] + lines[1:], "not an amount", "2024"),
        (_first_two_periods_swapped, "not oldest first", None),
    ],
    ids=["duplicate", "no-world", "infinite", "out-of-order"],
)
def test_totals_read_on_demand_leave_a_damaged_period_out_until_checked(tmp_path, change, check, damaged):
    """The app reads the totals on demand: a damaged period is one it cannot draw from them, and the
    check it runs in the background reports the file as reading it at once does."""
    import shutil

    from tui.trade.catalog import load_catalog

    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    path = data / "period_totals.csv"
    path.write_text("\n".join(change(path.read_text().splitlines())) + "\n")
    catalog = load_catalog(data, totals_on_demand=True)
    if damaged is not None:
        assert catalog.totals.get(damaged) is None
    assert catalog.totals.get("2025") is not None
    with pytest.raises(DataError) as error:
        catalog.check_totals()
    message = str(error.value)
    assert "period_totals.csv" in message and check in message and "\n" not in message
    with pytest.raises(DataError) as at_once:
        load_catalog(data)
    assert str(at_once.value) == message


def test_totals_with_windows_line_ends_read_on_demand_as_at_once(tmp_path):
    import shutil

    from tui.trade.catalog import load_catalog

    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    path = data / "period_totals.csv"
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    at_once, on_demand = load_catalog(data), load_catalog(data, totals_on_demand=True)
    for key in at_once.totals:
        assert on_demand.totals.get(key) == at_once.totals[key], key
    on_demand.check_totals()


def test_totals_read_on_demand_check_their_header_at_once(tmp_path):
    import shutil

    from tui.trade.catalog import load_catalog

    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    path = data / "period_totals.csv"
    path.write_text("period,code,exports\n" + "\n".join(path.read_text().splitlines()[1:]) + "\n")
    with pytest.raises(DataError, match="header"):
        load_catalog(data, totals_on_demand=True)


def test_a_fifo_in_place_of_the_cache_is_passed_over_and_replaced(isolated_dirs):
    import signal

    from tui.trade import load_dataset

    _, cache_dir = isolated_dirs
    load_dataset()
    (cache,) = cache_dir.glob("dataset-*.pickle")
    cache.unlink()
    os.mkfifo(cache)

    def hung(signum, frame):
        raise AssertionError("reading the FIFO hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(5)  # the loader takes any error reading its cache for a cache to rebuild: timed as well
    start = time.monotonic()
    try:
        load_dataset()
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - start < 5
    assert cache.is_file()  # rebuilt in its place
