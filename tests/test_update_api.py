"""The Census API client and the answers' format, on small real fixtures; releases; where the data in use is."""

from __future__ import annotations

import gzip
import json
import shutil
import time

import pandas as pd
import pytest

from census_server import CensusServer, CensusStore, Fault
from tui import locations
from tui.pipeline.census_api import ApiSettings, CensusApi, CensusApiError, parse_answer
from tui.pipeline.releases import compress_vintages, recorded_years, with_vintage
from tui.pipeline.update import fetch_chapters, fetch_partner_months
from tui.trade.periods import Period
from tui.trade.releases import release_of, sector_release_of

HS_FILE = "census-hs2-imports-by-partner-monthly-2023-2024.csv.gz"


@pytest.fixture(scope="module")
def server():
    with CensusServer(CensusStore.from_directory()) as running:
        yield running


def test_the_answer_has_a_header_then_rows_of_strings_with_the_predicates_echoed(server):
    with CensusApi(ApiSettings(base_url=server.url)) as api:
        table = api.get_table("imports/hs", {"get": "CTY_CODE,I_COMMODITY,GEN_VAL_YR", "COMM_LVL": "HS2",
                                             "time": "2024-12"}, ["CTY_CODE"])
    assert list(table.columns) == ["CTY_CODE", "I_COMMODITY", "GEN_VAL_YR", "COMM_LVL", "time"]
    assert set(table["COMM_LVL"]) == {"HS2"} and set(table["time"]) == {"2024-12"}
    assert all(isinstance(value, str) for value in table.iloc[0])


def test_chapters_are_the_real_year_to_date_values(server):
    with CensusApi(ApiSettings(base_url=server.url)) as api:
        chapters = fetch_chapters(api, "imports", 2024, 12)
    china = chapters[chapters["code"] == "5700"].set_index("chapter")["value"]
    assert china.sum() == pytest.approx(438_742e6, rel=1e-5)  # China's 2024 imports by chapter, as published
    assert china[85] > china[84] > 0


def test_chapters_equal_the_sum_of_the_hs_files_months(server, tmp_path):
    import os
    from pathlib import Path

    sources = Path(os.environ.get("TRADEGAP_SOURCES") or Path(__file__).resolve().parents[2] / "shared" / "sources")
    if not (sources / HS_FILE).exists():
        pytest.skip("raw sources not present")
    with gzip.open(sources / HS_FILE, "rt") as handle:
        months = pd.read_csv(handle, dtype=str)
    vietnam = months[(months["CTY_CODE"] == "5520") & (months["YEAR"] == "2024") & (months["I_COMMODITY"] == "85")]
    with CensusApi(ApiSettings(base_url=server.url)) as api:
        chapters = fetch_chapters(api, "imports", 2024, 12)
    got = chapters[(chapters["code"] == "5520") & (chapters["chapter"] == 85)]["value"].item()
    assert got == vietnam["GEN_VAL_MO"].astype("int64").sum()


def test_partner_months_with_their_year_to_date(server):
    with CensusApi(ApiSettings(base_url=server.url)) as api:
        months = fetch_partner_months(api, "imports", (2026, 7), (2026, 8))
        assert api.get_table("imports/hs", {"get": "CTY_CODE,GEN_VAL_MO", "time": "2019-01"}, ["CTY_CODE"],
                             allow_empty=True).empty  # 204: no data
    china = months[months["code"] == "5700"].set_index("month")
    assert china.loc[8, "value"] == 27_133_800_000 and china.loc[8, "year_to_date"] == 183_524_000_000
    assert china.loc[7, "year_to_date"] + china.loc[8, "value"] == china.loc[8, "year_to_date"]


def test_a_bad_query_is_one_line_with_the_servers_reason(server):
    with CensusApi(ApiSettings(base_url=server.url, key="secret-key")) as api, \
            pytest.raises(CensusApiError) as error:
        api.get_table("imports/hs", {"get": "NOPE", "time": "2024-12"}, ["NOPE"])
    assert "HTTP 400: error: unknown variable 'NOPE'" in str(error.value) and "secret-key" not in str(error.value)


@pytest.mark.parametrize("fault", [
    Fault("endless", size=16 * 1024 * 1024),  # far past the cap: read until the cap, then refused
    Fault("oversized", size=2 * 1024 * 1024),  # announced past the cap, never sent: refused unread
], ids=["a body past the cap", "a length past the cap"])
def test_an_answer_larger_than_the_cap_is_refused_in_one_line(fault, monkeypatch):
    monkeypatch.setattr("tui.pipeline.census_api.MAX_ANSWER_BYTES", 1024 * 1024)
    with CensusServer(CensusStore.from_directory(), fault) as server, \
            CensusApi(ApiSettings(base_url=server.url, timeout_seconds=2.0)) as api, \
            pytest.raises(CensusApiError) as error:
        api.get_table("imports/hs", {"get": "CTY_CODE,GEN_VAL_MO", "time": "2024-12"}, ["CTY_CODE"])
    message = str(error.value)
    assert "the Census API's answer is over 1 MB" in message and "\n" not in message


def test_an_answer_that_never_ends_arriving_is_given_up_in_one_line():
    # a byte every 50 ms: never silent as long as the 2 s read timeout, so only the answer's own limit ends it
    with CensusServer(CensusStore.from_directory(), Fault("trickle", delay=0.05)) as server, \
            CensusApi(ApiSettings(base_url=server.url, timeout_seconds=2.0, answer_seconds=0.5)) as api, \
            pytest.raises(CensusApiError) as error:
        started = time.monotonic()
        api.get_table("imports/hs", {"get": "CTY_CODE,GEN_VAL_MO", "time": "2024-12"}, ["CTY_CODE"])
    message = str(error.value)
    assert "the Census API's answer was still arriving after 0.5 s" in message and "\n" not in message
    assert time.monotonic() - started < 5  # well before the 30 s of a hung server's release


def test_a_redirect_to_a_host_name_that_cannot_be_looked_up_is_one_line():
    too_long = "http://" + "a" * 300 + "/"  # the resolver cannot encode a part of a name over 63 characters
    with CensusServer(CensusStore.from_directory(), Fault("redirect", location=too_long)) as server, \
            CensusApi(ApiSettings(base_url=server.url, timeout_seconds=2.0)) as api, \
            pytest.raises(CensusApiError, match="redirected to a host name that cannot be looked up"):
        api.get_table("imports/hs", {"get": "CTY_CODE,GEN_VAL_MO", "time": "2024-12"}, ["CTY_CODE"])


@pytest.mark.parametrize(("body", "says"), [
    (b"<html>oops</html>", "not valid JSON"),
    (b'{"a": 1}', "not a table"),
    (b"[]", "not a table"),
    (b'[["CTY_CODE","GEN_VAL_MO"],["5700"]]', "row of 1 cells"),
    (b'[["CTY_CODE"],["5700"]]', "no column GEN_VAL_MO"),
    (b"[" * 100_000, "nested too deep"),  # well under the size cap, too deep for the JSON decoder
])
def test_answers_that_are_not_a_table(body, says):
    with pytest.raises(CensusApiError, match=says):
        parse_answer(body, ["CTY_CODE", "GEN_VAL_MO"], "the query")


# ---------------------------------------------------------------- releases


def test_the_release_of_each_period_of_the_shipped_data(dataset):
    assert release_of(dataset, Period(1990)) == "Census country file of April 2025"
    assert release_of(dataset, Period(2024)) == "Census country file of September 2026"
    assert release_of(dataset, Period(2026, 8)) == "Census release of October 2026"
    assert release_of(dataset, "2025-ytd8") == "Census country file of September 2026"
    assert sector_release_of(dataset, 2024).startswith("imports: Census API (2025)")
    assert sector_release_of(dataset, 1990) == dataset.release_label  # no chapters then: the overall label


def test_release_of_reads_the_older_keys_when_there_are_no_vintages():
    release = {"release_label": "Census, release of Oct 2026",
               "releases": {"1985-2021": "April 2025 file", "2026": "October 2026"},
               "sector_releases": {"imports 2023-2024": "API 2025", "exports 2023-2024": "DataWeb"}}
    assert release_of(release, 2000) == "April 2025 file"
    assert release_of(release, 2023) == "Census, release of Oct 2026"
    assert sector_release_of(release, 2024) == "imports: API 2025; exports: DataWeb"


def test_vintages_are_kept_as_year_ranges():
    older = {"releases": {"2020-2022": "a"}, "sector_releases": {"imports 2024": "b", "exports 2024": "c"}}
    assert recorded_years(older) == {2020: "a", 2021: "a", 2022: "a"}
    assert recorded_years(older, "sectors") == {2024: "imports: b; exports: c"}
    assert compress_vintages({2020: "a", 2021: "a", 2022: "b", 2024: "b"}) == {"2020-2021": "a", "2022": "b",
                                                                               "2024": "b"}
    release = with_vintage({"vintages": {"trade": {"1985-2024": "old"}, "sectors": {}}}, "trade", [2024, 2025], "new")
    assert release["vintages"]["trade"] == {"1985-2023": "old", "2024-2025": "new"}
    # a period's own key stays unless its year is written again; what is written is read back
    monthly = {"vintages": {"trade": {"1985-2025": "file", "2026-ytd8": "October"}}}
    assert with_vintage(monthly, "trade", [2024], "api")["vintages"]["trade"] == {
        "1985-2023": "file", "2024": "api", "2025": "file", "2026-ytd8": "October"}
    written = with_vintage(monthly, "trade", [2026], "api")
    assert written["vintages"]["trade"] == {"1985-2025": "file", "2026": "api"}
    assert release_of(written, Period(2026, 9)) == "api" and release_of(written, 2025) == "file"


# ---------------------------------------------------------------- where the data in use is


def test_the_data_in_use_is_the_newest_complete_updated_dataset(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(tmp_path))
    assert locations.data_dir() == locations.shipped_data_dir()  # an empty data directory: the shipped data
    datasets = tmp_path / "datasets"
    older, newer, partial = datasets / "20261001T000000Z-a", datasets / "20261101T000000Z-b", datasets / "2026x"
    for directory in (older, newer):
        shutil.copytree(locations.shipped_data_dir(), directory, ignore=shutil.ignore_patterns("build.py", "*.md"))
    partial.mkdir()
    (datasets / ".20261201T000000Z-c.partial").mkdir()
    assert locations.updated_datasets() == [older, newer]
    assert locations.data_in_use() == (newer, "updated")
    (newer / "period_totals.csv").unlink()  # incomplete: not used
    assert locations.data_dir() == older


def test_a_data_directory_that_holds_a_dataset_is_used_as_it_is(tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(tmp_path / "missing"))
    assert locations.data_dir() == tmp_path / "missing"  # said to be missing, not replaced by the shipped data
    (tmp_path / "here").mkdir()
    (tmp_path / "here" / "partners.csv").write_text("code\n")
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(tmp_path / "here"))
    assert locations.data_in_use() == (tmp_path / "here", "TRADEGAP_DATA_DIR")


def test_the_shipped_release_json_names_the_vintages():
    release = json.loads((locations.shipped_data_dir() / "release.json").read_text())
    assert release["vintages"]["trade"]["2026"] == "Census release of October 2026"


def test_the_update_benchmark_has_its_targets():
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    from benchmarks import update

    assert update.TARGETS == {"one month": 10.0, "full chapter history": 60.0}
