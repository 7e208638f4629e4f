"""Which release each period's figures come from (tui.trade.releases), and what release.json may say."""

import json
import shutil

import pytest

from tui import locations
from tui.trade import DataError, Period, load_catalog
from tui.trade import dataset as dataset_module
from tui.trade.releases import (
    chapters_note,
    compact,
    release_of,
    releases_by_years,
    sector_release_of,
    us_total_label,
)


def test_each_period_names_its_own_release(dataset):
    assert release_of(dataset.catalog, Period(1988)) == "Census country file of April 2025"
    assert release_of(dataset.catalog, Period(2024)) == "Census country file of September 2026"
    assert release_of(dataset.catalog, dataset.latest) == "Census release of October 2026"
    assert release_of(dataset, "2025-ytd8") == "Census country file of September 2026"
    assert sector_release_of(dataset.catalog, 2024).startswith("imports: Census API (2025); exports: USITC DataWeb")
    assert chapters_note(dataset.catalog, 2024).startswith("chapters from an earlier release than the totals")
    assert releases_by_years(dataset.catalog, [Period(2020), Period(2021), Period(2022), Period(2026, 8)]) == [
        ("2020-2021", "Census country file of April 2025"), ("2022", "Census country file of September 2026"),
        ("2026 Jan-Aug", "Census release of October 2026")]
    assert compact("Census country file of September 2026") == "Census file of Sep 2026"


def test_a_period_key_wins_over_its_year_and_a_year_over_a_range():
    release = {"release_label": "overall", "vintages": {"trade": {
        "1985-2025": "old", "2026": "year", "2026-ytd9": "September update"}}}
    assert release_of(release, Period(2024)) == "old"
    assert release_of(release, Period(2026, 8)) == "year"
    assert release_of(release, Period(2026, 9)) == "September update"
    assert release_of(release, 1980) == "overall"  # no release named for it: the dataset's label


def test_chapters_fetched_with_the_totals_are_of_the_same_release():
    # an update fetches the months and the chapters from the API at once: they add up, nothing to say
    release = {"release_label": "Census API, fetched 2026-12-01", "vintages": {
        "trade": {"1985-2025": "Census country file of September 2026", "2026-ytd9": "Census API, fetched 2026-12-01"},
        "sectors": {"2013-2025": "Census API (HS chapters), fetched 2026-11-02",
                    "2026": "Census API (HS chapters), fetched 2026-12-01"}}}
    assert chapters_note(release, 2026, Period(2026, 9)) == ""
    assert chapters_note(release, 2025).startswith("chapters from a later release than the totals")


def test_a_dataset_of_an_earlier_shape_still_names_its_releases():
    old = {"release_label": "Census, release of Oct 2026",
           "releases": {"1985-2021": "April 2025 file", "2022-2026": "later file"},
           "sector_releases": {"imports 2023-2024": "Census API", "exports 2023-2024": "DataWeb"}}
    assert release_of(old, Period(1990)) == "April 2025 file" and release_of(old, Period(2026, 8)) == "later file"
    assert sector_release_of(old, 2024) == "imports: Census API; exports: DataWeb"
    assert release_of({"release_label": "only this"}, Period(2000)) == "only this"
    assert us_total_label(old, Period(1985)) == "US total"  # nothing says the partners covered it


@pytest.mark.parametrize(
    "vintages",
    [["not", "a", "mapping"], {"trade": "1985-2021"}, {"trade": {"soon": "x"}}, {"trade": {"2024": 5}}],
)
def test_malformed_vintages_are_refused_naming_the_file(tmp_path, vintages):
    target = tmp_path / "data"
    target.mkdir()
    for name in dataset_module.DATA_FILES:
        shutil.copy2(locations.data_dir() / name, target / name)
    release = json.loads((target / "release.json").read_text())
    release["vintages"] = vintages
    (target / "release.json").write_text(json.dumps(release))
    with pytest.raises(DataError, match="release.json"):
        load_catalog(target)


def test_the_chapters_two_sources_are_named_short_enough_for_a_status_line():
    label = "imports: Census API (2025); exports: USITC DataWeb (Aug 2025)"
    assert compact(label) == "Census API 2025 + DataWeb Aug 2025"
