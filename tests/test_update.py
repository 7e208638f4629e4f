"""tradegap update against a local Census API server (tests/census_server.py).

Every fault must leave the data as it was: `tradegap top 3` prints exactly what it
printed before, and no dataset (nor any half-written folder) appears.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from census_server import CensusServer, CensusStore, Fault, chapter_query, data_query
from tui import locations
from tui.cli import main
from tui.pipeline import write
from tui.pipeline.lock import exclusive_lock
from tui.pipeline.sources import SourceError
from tui.pipeline.update import UpdateOptions, run_update
from tui.update_cli import ProgressLine

TODAY = date(2026, 11, 30)

# on one worker: the Census store below is built once, not once on each
pytestmark = pytest.mark.xdist_group("census")


@pytest.fixture(scope="session")
def census_store() -> CensusStore:
    """The shipped data's 2025-2026 months, September 2026, and chapters from 2013, as the API has them."""
    return CensusStore.from_dataset(locations.shipped_data_dir())


@pytest.fixture
def user_data(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "user-data"
    directory.mkdir()
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(directory))
    monkeypatch.delenv("TRADEGAP_CENSUS_API", raising=False)
    monkeypatch.delenv("CENSUS_API_KEY", raising=False)
    return directory


@pytest.fixture
def quick_retries(monkeypatch) -> None:
    """Retries 0.01 s apart instead of 1 s where an update makes its own options (the command line, the app).

    A dataclass's defaults are fixed in its __init__, so the class itself is swapped."""

    @dataclass
    class QuickRetries(UpdateOptions):
        backoff_seconds: float = 0.01

    monkeypatch.setattr("tui.pipeline.update.UpdateOptions", QuickRetries)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def top3(capsys) -> str:
    status, out, err = run(capsys, "top", "3")
    assert status == 0, err
    return out


def options(server: CensusServer, **changes) -> UpdateOptions:
    settings = dict(api_url=server.url, today=TODAY, timeout_seconds=2.0, backoff_seconds=0.01,
                    chapters_since=2024)
    settings.update(changes)
    return UpdateOptions(**settings)


def nothing_written(user_data: Path) -> bool:
    datasets = user_data / "datasets"
    return not datasets.exists() or list(datasets.iterdir()) == []


# ---------------------------------------------------------------- what a user does


@pytest.mark.slow
def test_update_adds_september_names_its_release_and_revert_brings_back_august(census_store, user_data, capsys,
                                                                              monkeypatch):
    before = top3(capsys)
    assert "2026 Jan-Aug" in before
    with CensusServer(census_store) as server:
        monkeypatch.setenv("TRADEGAP_CENSUS_API", server.url)
        status, out, err = run(capsys, "update")
    assert status == 0, err
    assert "2026 Sep added" in out and "chapters 2013-2026" in out
    assert err == ""  # not a terminal: no progress

    after = top3(capsys)
    assert "2026 Jan-Sep" in after and "vs 2025 Jan-Sep" in after
    assert "Census API, fetched" in after
    status, out, _ = run(capsys, "top", "3", "--format", "json")
    assert {row["release"] for row in json.loads(out)} == {f"Census API, fetched {date.today().isoformat()}"}
    status, out, _ = run(capsys, "top", "3", "--year", "2015")
    assert "Census country file of April 2025" in out
    # the vintages the update wrote, read by tui.trade.releases: the API for 2026, the country file for 2024
    assert f"Census API, fetched {date.today().isoformat()}" in after
    status, out, _ = run(capsys, "top", "3", "--year", "2024")
    assert "Census country file of September 2026" in out and "Census API" not in out

    status, out, err = run(capsys, "sectors", "--year", "2015", "--partner", "china")
    assert status == 0, err
    assert "HS chapters by balance · 2015 · China" in out and "Census API (HS chapters)" in out
    status, out, _ = run(capsys, "paths")
    assert "data in use (updated)" in out and str(user_data / "datasets") in out

    status, out, err = run(capsys, "update", "--revert")
    assert status == 0, err
    assert "1 updated dataset removed" in out
    assert top3(capsys) == before
    status, out, _ = run(capsys, "paths")
    assert "data in use (shipped)" in out


@pytest.mark.slow
def test_the_updated_dataset_has_the_shipped_schema_and_its_checks(census_store, user_data):
    with CensusServer(census_store) as server:
        result = run_update(options(server))
    assert result.written is not None and result.written.parent == user_data / "datasets"
    assert sorted(p.name for p in result.written.iterdir()) == sorted(locations.UPDATED_DATASET_FILES)
    shipped = locations.shipped_data_dir()
    for name in ("partners.csv", "trade_monthly.csv", "trade_annual.csv", "sectors.csv", "period_totals.csv"):
        assert (result.written / name).read_text().splitlines()[0] == (shipped / name).read_text().splitlines()[0]
    assert all(check.ok for check in result.checks)
    names = {check.name for check in result.checks}
    assert {"month complete for every partner", "month sums Census API 2025-2026",
            "partners vs the Census API's total", "groups vs Census aggregates", "period totals"} <= names
    release = json.loads((result.written / "release.json").read_text())
    assert (release["latest_year"], release["latest_month"]) == (2026, 9)
    assert release["vintages"]["trade"]["2025-2026"] == "Census API, fetched 2026-11-30"
    assert release["vintages"]["trade"]["1985-2021"] == "Census country file of April 2025"
    assert release["vintages"]["sectors"]["2024-2026"] == "Census API (HS chapters), fetched 2026-11-30"
    # the months the API has again are the shipped ones: unchanged
    assert "2025 unchanged" in result.summary and "2026 Jan-Aug unchanged" in result.summary
    assert (shipped / "release.json").read_text().count('"latest_month": 8') == 1  # the shipped data untouched


@pytest.mark.slow
def test_a_revised_month_is_counted(census_store, user_data):
    revised = CensusStore(partners={flow: frame.copy() for flow, frame in census_store.partners.items()},
                          chapters=census_store.chapters)
    imports = revised.partners["imports"]
    china_march = (imports["code"] == "5700") & (imports["time"] == "2025-03")
    bump = 1_000_000_000
    imports.loc[china_march, "value"] = (imports.loc[china_march, "value"].astype("int64") + bump).astype(str)
    after_march = (imports["code"].isin(["5700", "-", "5XXX", "0014"]) & imports["time"].str.startswith("2025-")
                   & (imports["time"] >= "2025-03"))
    imports.loc[after_march, "year_to_date"] = (imports.loc[after_march, "year_to_date"].astype("int64")
                                                + bump).astype(str)
    for code in ("-", "5XXX", "0014"):
        row = (imports["code"] == code) & (imports["time"] == "2025-03")
        imports.loc[row, "value"] = (imports.loc[row, "value"].astype("int64") + bump).astype(str)
    with CensusServer(revised) as server:
        result = run_update(options(server))
    assert "2025 revised (1 partner changed)" in result.summary


def test_check_asks_one_small_question(census_store, user_data, capsys, monkeypatch):
    with CensusServer(census_store) as server:
        status, out, err = run(capsys, "update", "--check", "--api", server.url)
        assert status == 0, err
        assert "a newer month is out: 2026 Sep (tradegap has to 2026 Aug)" in out
        assert len(server.requests) == 1
        path, query = server.requests[0]
        assert path == "/imports/hs" and query["CTY_CODE"] == "-"
    assert nothing_written(user_data)


@pytest.mark.slow
def test_a_second_update_fetches_only_what_changed(census_store, user_data, capsys):
    with CensusServer(census_store) as server:
        first = run_update(options(server, chapters_since=2013))
        first_requests = len(server.requests)
        second = run_update(options(server, chapters_since=2013))
        second_requests = len(server.requests) - first_requests
        status, out, _ = run(capsys, "update", "--check", "--api", server.url)
    assert first.written is not None and second.written is None
    assert second.summary == "already current: the Census API has nothing after 2026 Sep"
    assert second_requests == 1  # the one question
    assert "tradegap is current" in out
    assert first_requests == 1 + 2 * 2 + 2 * 14


def test_nothing_reaches_the_network_without_update(census_store, user_data, capsys, monkeypatch):
    with CensusServer(census_store) as server:
        monkeypatch.setenv("TRADEGAP_CENSUS_API", server.url)
        for argv in (["top", "3"], ["show", "china"], ["groups"], ["sectors"], ["paths"]):
            assert run(capsys, *argv)[0] == 0
        assert server.requests == []


@pytest.mark.slow
def test_the_key_is_sent_but_never_printed_or_written(census_store, user_data, capsys, quick_retries):
    secret = "k3y-" + "x" * 36
    with CensusServer(census_store, Fault("status", status=503, when=data_query)) as server:
        status, out, err = run(capsys, "update", "--api", server.url, "--key", secret)
        assert all(query.get("key") == secret for _, query in server.requests)
    assert status == 1 and secret not in out + err
    with CensusServer(census_store) as server:
        result = run_update(options(server, key=secret))
    assert not any(secret in path.read_text() for path in result.written.iterdir())
    assert secret not in (user_data / "update.lock").read_text()


def test_progress_on_a_terminal_only():
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    from tui.pipeline.update import Progress

    terminal, pipe = Terminal(), io.StringIO()
    for stream in (terminal, pipe):
        line = ProgressLine(stream)
        line(Progress(3, 9, "2026 imports by partner", 1.25))
        line.done()
    assert "3/9 requests · 2026 imports by partner · 1.2 s" in terminal.getvalue()
    assert pipe.getvalue() == ""


@pytest.mark.parametrize("argv", [
    ["update", "--chapters-since", "1990"],
    ["update", "--api", "ftp://example"],
    ["update", "--revert", "--key", "x"],
    ["update", "--check", "--revert"],
    ["update", "--no-such-option"],
])
def test_usage_mistakes_exit_2(capsys, user_data, argv):
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == "" and err.count("\n") == 1


BAD_URLS = {
    "a port that is not a number": ("http://127.0.0.1:abc/", "invalid port: 'abc'"),
    "an IPv6 address not closed": ("http://[::1", "an unmatched [ or ]"),
    "an escape sequence": ("http://127.0.0.1:9/\x1b[2J", "'http://127.0.0.1:9/\\x1b[2J'"),
    "a host name part over 63 characters": ("http://" + "a" * 300 + "/", "over 63 characters"),
}


@pytest.mark.parametrize("name", list(BAD_URLS))
def test_a_url_that_cannot_be_used_is_a_usage_mistake(user_data, capsys, monkeypatch, name):
    url, says = BAD_URLS[name]
    status, out, err = run(capsys, "update", "--api", url)
    assert status == 2 and out == "" and err.count("\n") == 1 and "\x1b" not in err, err
    assert err.startswith("tradegap: --api is not a URL tradegap can use") and says in err
    monkeypatch.setenv("TRADEGAP_CENSUS_API", url)
    status, out, err = run(capsys, "update", "--check")
    assert status == 2 and out == "" and err.count("\n") == 1 and "\x1b" not in err, err
    assert err.startswith("tradegap: TRADEGAP_CENSUS_API is not a URL tradegap can use") and says in err
    assert nothing_written(user_data)


# ---------------------------------------------------------------- faults leave the data as it was


FAULTS = {
    "429 every time": (Fault("status", status=429, when=data_query), "daily limit"),
    "500 every time": (Fault("status", status=500, when=data_query), "HTTP 500"),
    "204 where data was expected": (Fault("empty", when=data_query), "has no data for"),
    "malformed JSON": (Fault("malformed", when=data_query), "not valid JSON"),
    "a header without an expected column": (Fault("no-column", when=data_query), "has no column"),
    "text where a number belongs": (Fault("text-in-number", when=data_query), "'(D)' where a number"),
    "a month for some partners only": (Fault("some-partners", when=data_query),
                                       "check 'month complete for every partner' failed"),
    "a response cut off mid-body": (Fault("cut-off", when=chapter_query), "cut off"),
    "a read timeout": (Fault("slow", delay=1.5, when=chapter_query, times=1), "did not answer within 0.5 s"),
}


@pytest.mark.parametrize("name", list(FAULTS))
def test_a_fault_of_the_source_changes_nothing(census_store, user_data, capsys, name):
    fault, says = FAULTS[name]
    before = top3(capsys)
    # a timeout of 0.5 s for the one that waits for it, 2 s for the others (answers slowed by a busy machine)
    timeout = 0.5 if fault.kind == "slow" else 2.0
    with CensusServer(census_store, fault) as server, pytest.raises(SourceError) as error:
        run_update(options(server, timeout_seconds=timeout))
    message = str(error.value)
    assert says in message and "\n" not in message
    assert nothing_written(user_data)
    assert top3(capsys) == before


def test_a_fault_is_one_line_and_status_1_on_the_command_line(census_store, user_data, capsys):
    before = top3(capsys)
    with CensusServer(census_store, Fault("malformed", when=data_query)) as server:
        status, out, err = run(capsys, "update", "--api", server.url)
    assert status == 1 and out == ""
    assert err.startswith("tradegap: ") and err.count("\n") == 1 and "Traceback" not in err
    assert top3(capsys) == before


def test_connection_refused(user_data, capsys):
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = top3(capsys)
    status, out, err = run(capsys, "update", "--api", f"http://127.0.0.1:{port}")
    assert status == 1 and "cannot reach the Census API" in err and err.count("\n") == 1
    assert nothing_written(user_data) and top3(capsys) == before


def test_an_endless_answer_is_one_line_and_changes_nothing(census_store, user_data, capsys, monkeypatch):
    monkeypatch.setattr("tui.pipeline.census_api.MAX_ANSWER_BYTES", 1024 * 1024)
    before = top3(capsys)
    # 'endless' up to 16 MB: were the cap not kept, this test would still end
    with CensusServer(census_store, Fault("endless", size=16 * 1024 * 1024, when=data_query)) as server:
        status, out, err = run(capsys, "update", "--api", server.url)
    assert status == 1 and out == ""
    assert err.startswith("tradegap: the Census API's answer is over 1 MB") and err.count("\n") == 1, err
    assert nothing_written(user_data) and top3(capsys) == before


def test_the_answer_cap_leaves_room_for_the_largest_real_answer(census_store):
    from tui.pipeline.census_api import MAX_ANSWER_BYTES

    # a whole month's chapters of every partner: the largest answer an update asks for
    with CensusServer(census_store) as server:
        _, body, _ = server.answer("/exports/hs", {"get": "CTY_CODE,E_COMMODITY,ALL_VAL_YR", "COMM_LVL": "HS2",
                                                   "time": "2025-12"})
    assert len(body) > 500_000 and 20 * len(body) < MAX_ANSWER_BYTES


@pytest.mark.slow
def test_429_and_5xx_are_retried_with_backoff(census_store, user_data):
    pauses = []
    with CensusServer(census_store, Fault("status", status=429, when=data_query, times=2)) as server:
        result = run_update(options(server, sleep=pauses.append, backoff_seconds=0.5))
    assert result.written is not None
    assert pauses == [0.5, 1.0]
    with CensusServer(census_store, Fault("status", status=502, times=3)) as server:
        run_update(options(server, sleep=pauses.append, backoff_seconds=0.5, status_retries=3))
    with CensusServer(census_store, Fault("status", status=502)) as server, pytest.raises(SourceError) as error:
        run_update(options(server, sleep=lambda s: None, status_retries=2))
    assert "(HTTP 502) after 3 tries" in str(error.value)


@pytest.mark.slow
def test_ctrl_c_in_the_middle_changes_nothing(census_store, user_data, capsys):
    before = top3(capsys)

    def interrupt(progress) -> None:
        if progress.requests_done == 3:
            raise KeyboardInterrupt

    with CensusServer(census_store) as server, pytest.raises(KeyboardInterrupt):
        run_update(options(server), interrupt)
    assert nothing_written(user_data) and top3(capsys) == before
    with CensusServer(census_store) as server:  # the lock was let go
        assert run_update(options(server)).written is not None


def test_ctrl_c_on_the_command_line_says_nothing_was_written(census_store, user_data, capsys, monkeypatch):
    import tui.pipeline.update as update_module

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(update_module, "fetch_chapters", interrupted)
    with CensusServer(census_store) as server:
        status, out, err = run(capsys, "update", "--api", server.url)
    assert status == 130 and "interrupted: nothing written" in err
    assert nothing_written(user_data)


def test_two_updates_at_once(census_store, user_data, capsys):
    before = top3(capsys)
    with exclusive_lock(user_data / "update.lock"), CensusServer(census_store) as server:
        status, out, err = run(capsys, "update", "--api", server.url)
        assert server.requests == []
    assert status == 1 and "another tradegap update or import is running" in err
    assert nothing_written(user_data) and top3(capsys) == before


@pytest.mark.slow
def test_two_updates_at_once_in_threads(census_store, user_data):
    results: list[object] = []
    with CensusServer(census_store, Fault("hang", when=data_query, times=1)) as server:
        first = threading.Thread(target=lambda: results.append(run_update(options(server))))
        first.start()
        while not server.requests:
            threading.Event().wait(0.02)
        with pytest.raises(SourceError, match="another tradegap update or import is running"):
            run_update(options(server))
        server.release.set()
        first.join(30)
    assert len(results) == 1 and results[0].written is not None


@pytest.mark.slow
def test_a_full_disk_changes_nothing(census_store, user_data, capsys, monkeypatch):
    before = top3(capsys)
    real = write._write_file

    def full(path, text):
        if path.name == "sectors.csv":
            raise OSError(errno.ENOSPC, "No space left on device")
        real(path, text)

    monkeypatch.setattr(write, "_write_file", full)
    with CensusServer(census_store) as server:
        status, out, err = run(capsys, "update", "--api", server.url, "--chapters-since", "2025")
    assert status == 1 and "No space left on device" in err and "unchanged" in err
    assert nothing_written(user_data) and top3(capsys) == before


@pytest.mark.slow
def test_an_unwritable_data_directory_changes_nothing(census_store, user_data, capsys):
    before = top3(capsys)
    (user_data / "datasets").write_text("a file where the datasets folder belongs")
    with CensusServer(census_store) as server:
        status, out, err = run(capsys, "update", "--api", server.url, "--chapters-since", "2025")
    assert status == 1 and "cannot write the new dataset" in err and err.count("\n") == 1
    assert top3(capsys) == before


def test_a_data_directory_that_cannot_be_created(census_store, tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(blocker / "data"))
    with CensusServer(census_store) as server:
        status, out, err = run(capsys, "update", "--api", server.url)
        assert server.requests == []
    assert status == 1 and "cannot write to the data directory" in err and err.count("\n") == 1


# ---------------------------------------------------------------- in the app


@pytest.mark.slow
async def test_the_app_updates_in_a_worker_and_swaps_the_new_dataset_in(census_store, user_data, monkeypatch):
    from pilot_helpers import settle
    from tui.app import TradeGapApp
    from tui.settings import Settings
    from tui.trade import load_catalog

    with CensusServer(census_store) as server:
        monkeypatch.setenv("TRADEGAP_CENSUS_API", server.url)
        app = TradeGapApp(catalog=load_catalog(), settings=Settings(), ascii=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            assert app.screen.query_one("#status").text.startswith("2026 Jan-Aug")
            app.action_update_data()
            await pilot.press("j", "k")  # the screen keeps working meanwhile
            await settle(pilot)
            await pilot.pause()
            assert app.state.catalog.latest.label == "2026 Jan-Sep"
            assert app.screen.query_one("#status").text.startswith("2026 Jan-Sep")  # swapped in place
            notes = [n.message for n in app._notifications]
            assert any("2026 Jan-Sep now available" in note for note in notes), notes
            assert not app.query("UpdateProgress")


async def test_a_failed_update_in_the_app_is_one_notice_and_changes_nothing(census_store, user_data, monkeypatch,
                                                                            quick_retries):
    from pilot_helpers import settle
    from tui.app import TradeGapApp
    from tui.settings import Settings
    from tui.trade import load_catalog

    with CensusServer(census_store, Fault("status", status=500)) as server:
        monkeypatch.setenv("TRADEGAP_CENSUS_API", server.url)
        app = TradeGapApp(catalog=load_catalog(), settings=Settings(), ascii=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot)
            before = app.screen.query_one("#status").text
            notes = await _update_notices(app, pilot)
            assert len(notes) == 1 and notes[0].startswith("Update failed, nothing changed") and "\n" not in notes[0]
            assert app.screen.query_one("#status").text == before
            assert nothing_written(user_data)


async def _update_notices(app, pilot) -> list[str]:
    """Start the app's update and wait for what it says (the worker fails: settle() would raise its error)."""
    app.action_update_data()
    for _ in range(400):
        await pilot.pause(0.05)
        if app._notifications:
            break
    await pilot.pause()
    return [n.message for n in app._notifications]


async def test_a_url_that_cannot_be_used_is_a_sentence_in_the_app(user_data, monkeypatch):
    from pilot_helpers import settle
    from tui.app import TradeGapApp
    from tui.settings import Settings
    from tui.trade import load_catalog

    monkeypatch.setenv("TRADEGAP_CENSUS_API", "http://127.0.0.1:abc/")
    app = TradeGapApp(catalog=load_catalog(), settings=Settings(), ascii=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        notes = await _update_notices(app, pilot)
        assert notes == ["Update failed, nothing changed: TRADEGAP_CENSUS_API is not a URL tradegap can use "
                         "(invalid port: 'abc'): 'http://127.0.0.1:abc/'"], notes
        assert nothing_written(user_data)


@pytest.mark.slow
def test_an_update_sums_each_bloc_with_the_members_of_each_month(census_store, user_data):
    import pandas as pd

    with CensusServer(census_store) as server:
        result = run_update(options(server))
    assert result.written is not None
    read = dict(dtype={"code": str}, keep_default_na=False)
    shipped = pd.read_csv(locations.shipped_data_dir() / "trade_annual.csv", **read)
    updated = pd.read_csv(result.written / "trade_annual.csv", **read)
    blocs = pd.read_csv(locations.shipped_data_dir() / "groups.csv", **read)
    bloc_codes = set(blocs.loc[blocs["source"] == "members", "code"])
    # the months fetched again are the shipped ones: every bloc's 2025 as the build made it
    before = shipped[shipped["code"].isin(bloc_codes) & (shipped["year"] == 2025)].reset_index(drop=True)
    after = updated[updated["code"].isin(bloc_codes) & (updated["year"] == 2025)].reset_index(drop=True)
    pd.testing.assert_frame_equal(before, after)
    # BRICS admitted Indonesia in January 2025: in 2026, not in 2024
    monthly = pd.read_csv(result.written / "trade_monthly.csv", **read)
    brics_2026 = ["3510", "4621", "5070", "5200", "5330", "5600", "5700", "7290", "7749", "7910"]
    september = monthly[(monthly["year"] == 2026) & (monthly["month"] == 9)].set_index("code")
    assert september.loc["BRICS", "imports"] == pytest.approx(september.loc[brics_2026, "imports"].sum(), abs=0.05)
    year_2024 = updated[updated["year"] == 2024].set_index("code")
    brics_2024 = [code for code in brics_2026 if code != "5600"]
    assert year_2024.loc["BRICS", "imports"] == pytest.approx(year_2024.loc[brics_2024, "imports"].sum(), abs=0.05)
    assert year_2024.loc["5600", "imports"] > 1000


@pytest.mark.slow
def test_the_latest_years_chapters_say_they_are_its_year_to_date(census_store, user_data, capsys):
    # an update fetches the chapters of 2026 to its latest month: they are 2026 Jan-Sep, not a whole year
    with CensusServer(census_store) as server:
        assert run_update(options(server)).written is not None
    status, latest, _ = run(capsys, "sectors", "3")
    assert status == 0 and latest.startswith("HS chapters by balance · 2026 Jan-Sep · all partners")
    assert "HS chapters 2026 Jan-Sep: Census API (HS chapters), fetched" in latest
    assert "earlier release" not in latest and "later release" not in latest  # fetched with the totals
    assert run(capsys, "sectors", "3", "--year", "2026") == (0, latest, "")
    status, _, err = run(capsys, "sectors", "--year", "2026-ytd3")
    assert status == 2 and "not for 2026 Jan-Mar" in err and "2026 Jan-Sep" in err
    rows = list(csv.DictReader(io.StringIO(run(capsys, "sectors", "2", "--format", "csv")[1])))
    assert {(row["period"], row["chapters_note"]) for row in rows} == {("2026 Jan-Sep", "")}
    facts = json.loads(run(capsys, "show", "china", "--format", "json")[1])
    assert (facts["chapters_year"], facts["chapters_period"]) == (2026, "2026 Jan-Sep")
    assert "Top chapters by balance, 2026 Jan-Sep" in run(capsys, "show", "china")[1]
    assert "Top HS chapters of their exports to the US, 2026 Jan-Sep" in run(
        capsys, "compare", "china", "mexico", "--chapters")[1]


@pytest.mark.slow
async def test_the_sectors_tab_says_the_latest_years_chapters_are_its_year_to_date(census_store, user_data):
    from pilot_helpers import settle
    from tui.app import TradeGapApp
    from tui.settings import Settings
    from tui.trade import load_dataset

    with CensusServer(census_store) as server:
        assert run_update(options(server)).written is not None
    app = TradeGapApp(dataset=load_dataset(), settings=Settings(tab="sectors"), ascii=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#sectors-pane")
        assert pane.status_parts()[0] == "sectors 2026 Jan-Sep"
        assert str(app.screen.query_one("#sectors-scope").content) == (
            "US total: HS chapters, 2026 Jan-Sep · share: of the summed chapter balance")
        # no change of Jan-Sep against the whole of 2025
        assert not any(column.title.startswith("vs ") for column in app.screen.query_one("#sectors-table").columns)
        assert app.view_document().tables[0].context["period"] == "2026 Jan-Sep"
