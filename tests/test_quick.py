"""The first screen's ranking without pandas: the same rows as the pandas ranking, from a file that
is only ever read for the data it was made from."""

from __future__ import annotations

import math
import os
import pickle
import shutil

import pandas as pd
import pytest

from tui import locations
from tui.trade import Period, rank_partners
from tui.trade.quick import QUICK_FORMAT, load_quick, quick_data, quick_file, save_quick
from tui.trade.quick import rank_partners as quick_rank_partners

SORTS = ("rank", "name", "exports", "imports", "balance", "change", "share")


@pytest.fixture(scope="module")
def quick(dataset):
    return quick_data(dataset)


def _same(a, b) -> bool:
    return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))


def _assert_same_rows(pandas_rows: list[dict], quick_rows: list[dict]) -> None:
    assert [r["code"] for r in quick_rows] == [r["code"] for r in pandas_rows]
    for expected, got in zip(pandas_rows, quick_rows, strict=True):
        assert got.keys() == expected.keys()
        different = {k: (expected[k], got[k]) for k in expected if not _same(expected[k], got[k])}
        assert different == {}, expected["code"]


def _compare(dataset, quick, period, **filters) -> None:
    expected = rank_partners(dataset, period, **filters).to_dict("records")
    _assert_same_rows(expected, quick_rank_partners(quick, period, **filters))


@pytest.mark.parametrize("view", ["deficit", "surplus", "all"])
def test_every_period_ranks_as_pandas_does(dataset, quick, view):
    for period in dataset.periods():
        _compare(dataset, quick, period, view=view)


@pytest.mark.parametrize("view", ["deficit", "surplus", "all"])
def test_every_group_ranks_as_pandas_does(dataset, quick, view):
    for group in dataset.group_codes:
        _compare(dataset, quick, dataset.latest, group=group, view=view)


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_and_size_ranks_as_pandas_does(dataset, quick, sort):
    asean = "ASEAN" if "ASEAN" in dataset.group_codes else dataset.group_codes[0]
    for period in (dataset.latest, dataset.periods()[0], dataset.periods()[-2]):
        for view in ("deficit", "surplus", "all"):
            for group in (None, asean):
                for descending in (False, True):
                    for min_size in (0.0, 1_000.0):
                        _compare(dataset, quick, period, group=group, view=view, min_size=min_size, sort=sort,
                                 descending=descending)


def test_what_the_data_covers_matches_the_dataset(dataset, quick):
    assert quick.latest == dataset.latest
    assert quick.first_year == dataset.first_year
    assert quick.periods() == dataset.periods()
    assert quick.release_label == dataset.release_label
    assert quick.group_codes == dataset.group_codes
    assert all(quick.group_name(code) == dataset.group_name(code) for code in dataset.group_codes)


def test_periods_and_groups_it_has_no_totals_for_give_none(dataset, quick):
    latest = dataset.latest
    assert quick_rank_partners(quick, latest) is not None
    shorter = Period(latest.year, latest.months - 1)  # a saved year to date from an older release
    assert quick_rank_partners(quick, shorter) is None
    assert quick_rank_partners(quick, latest, group="NOSUCHGROUP") is None


def test_saved_file_loads_back(dataset, tmp_path):
    cache = tmp_path / "cache"
    assert load_quick(cache_dir=cache) is None
    path = quick_file(cache_dir=cache)
    assert save_quick(dataset, path)
    assert path.exists() and not list(cache.glob(".*.tmp"))
    loaded = load_quick(cache_dir=cache)
    assert loaded is not None and loaded.pandas_version == pd.__version__
    _assert_same_rows(rank_partners(dataset, dataset.latest).to_dict("records"),
                      quick_rank_partners(loaded, dataset.latest))


def test_changed_data_is_never_ranked_from_an_old_file(dataset, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(locations.data_dir(), data)
    cache = tmp_path / "cache"
    assert save_quick(dataset, quick_file(data, cache))
    assert load_quick(data_dir=data, cache_dir=cache) is not None
    monthly = data / "trade_monthly.csv"
    stat = monthly.stat()
    os.utime(monthly, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # a new release, same size
    assert load_quick(data_dir=data, cache_dir=cache) is None
    assert save_quick(dataset, quick_file(data, cache))
    assert len(list(cache.glob("first-screen-*.pickle"))) == 1  # the old file is gone
    monthly.unlink()
    assert load_quick(data_dir=data, cache_dir=cache) is None  # pandas will say what is missing


@pytest.mark.parametrize("damage", ["truncated", "garbage", "other format", "not quick data"])
def test_a_damaged_file_is_ignored(dataset, tmp_path, damage):
    cache = tmp_path / "cache"
    path = quick_file(cache_dir=cache)
    save_quick(dataset, path)
    if damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    elif damage == "garbage":
        path.write_bytes(b"\x00not a pickle")
    elif damage == "other format":
        path.write_bytes(pickle.dumps({"_format": QUICK_FORMAT + 1, "data": quick_data(dataset)}))
    else:
        path.write_bytes(pickle.dumps({"_format": QUICK_FORMAT, "data": {"partners": {}}}))
    assert load_quick(cache_dir=cache) is None
    assert save_quick(dataset, path) and load_quick(cache_dir=cache) is not None  # replaced when asked


def test_an_unwritable_cache_only_costs_speed(dataset, tmp_path):
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache directory should be")
    assert save_quick(dataset, blocked / "first-screen-x.pickle") is False
    assert load_quick(cache_dir=blocked) is None
