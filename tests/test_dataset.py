"""Loading the shipped data: the parsed-frame cache and clear errors for bad files."""

import os
import pickle
import shutil

import pytest

from tui import locations
from tui.trade import DataError, Period, load_dataset, partner_history, rank_partners
from tui.trade import dataset as dataset_module


@pytest.fixture
def data_copy(tmp_path):
    target = tmp_path / "data"
    target.mkdir()
    for name in dataset_module.DATA_FILES:
        shutil.copy2(locations.data_dir() / name, target / name)
    return target


def _count_parses(monkeypatch):
    calls = []
    real = dataset_module._parse

    def counting(data_dir):
        calls.append(data_dir)
        return real(data_dir)

    monkeypatch.setattr(dataset_module, "_parse", counting)
    return calls


def test_shipped_data_is_found_from_the_installed_package():
    for name in dataset_module.DATA_FILES:
        assert (locations.data_dir() / name).is_file(), name


def test_second_load_comes_from_the_cache(data_copy, tmp_path, monkeypatch):
    calls = _count_parses(monkeypatch)
    cache = tmp_path / "cache"
    first = load_dataset(data_copy, cache)
    second = load_dataset(data_copy, cache)
    assert len(calls) == 1
    assert len(list(cache.glob("dataset-*.pickle"))) == 1
    assert second.partners.equals(first.partners)
    assert second.annual.equals(first.annual)


def test_a_changed_data_file_invalidates_the_cache(data_copy, tmp_path, monkeypatch):
    calls = _count_parses(monkeypatch)
    cache = tmp_path / "cache"
    load_dataset(data_copy, cache)
    annual = data_copy / "trade_annual.csv"
    lines = annual.read_text().splitlines()
    header = lines[0].split(",")
    # double China's 2024 imports
    for i, line in enumerate(lines):
        cells = line.split(",")
        if cells[0] == "5700" and cells[1] == "2024":
            col = header.index("imports")
            cells[col] = str(float(cells[col]) * 2)
            lines[i] = ",".join(cells)
    annual.write_text("\n".join(lines) + "\n")
    changed = load_dataset(data_copy, cache)
    assert len(calls) == 2
    history = partner_history(changed, "5700").set_index("year")
    assert history.at[2024, "imports"] == pytest.approx(2 * 440_319.4)
    assert len(list(cache.glob("dataset-*.pickle"))) == 1  # the stale cache was removed


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", pickle.dumps({"_format": -1}), pickle.dumps([1, 2])])
def test_a_corrupt_cache_is_ignored_and_rebuilt(data_copy, tmp_path, monkeypatch, garbage):
    cache = tmp_path / "cache"
    load_dataset(data_copy, cache)
    (cached,) = cache.glob("dataset-*.pickle")
    cached.write_bytes(garbage)
    calls = _count_parses(monkeypatch)
    ds = load_dataset(data_copy, cache)
    assert len(calls) == 1
    assert rank_partners(ds, Period(2024)).iloc[0]["name"] == "China"
    assert pickle.loads(cached.read_bytes())["_format"] == dataset_module.CACHE_FORMAT


def test_a_cache_from_before_the_ten_trillion_bound_is_parsed_again(data_copy, tmp_path, monkeypatch):
    # format 5 caches were written before the data check refused amounts over ten trillion dollars
    cache = tmp_path / "cache"
    with monkeypatch.context() as before:
        before.setattr(dataset_module, "CACHE_FORMAT", 5)
        load_dataset(data_copy, cache)
    calls = _count_parses(monkeypatch)
    load_dataset(data_copy, cache)
    assert len(calls) == 1


def test_an_unusable_cache_directory_only_costs_speed(data_copy, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    ds = load_dataset(data_copy, blocker / "cache")
    assert rank_partners(ds, Period(2024)).iloc[0]["name"] == "China"


def test_a_missing_data_file_is_named(data_copy, tmp_path):
    (data_copy / "trade_monthly.csv").unlink()
    with pytest.raises(DataError) as error:
        load_dataset(data_copy, tmp_path / "cache")
    assert "trade_monthly.csv" in str(error.value) and "missing" in str(error.value)


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("partners.csv", "just,some\ncolumns,here\n", "missing column"),
        ("trade_annual.csv", "code,year,months,exports,imports\n5700,twenty,12,1,2\n", "malformed"),
        ("trade_monthly.csv", "code,year,month,exports,imports\n5700,2024,1,,2\n", "malformed"),
        ("sectors.csv", "\x00\x01\x02", "malformed"),
        ("release.json", "{not json", "malformed"),
        ("release.json", "{}", "malformed"),
        ("groups.csv", "", "malformed"),
    ],
)
def test_a_malformed_data_file_is_named(data_copy, tmp_path, name, content, says):
    (data_copy / name).write_text(content)
    with pytest.raises(DataError) as error:
        load_dataset(data_copy, tmp_path / "cache")
    message = str(error.value)
    assert name in message and says in message
    assert "\n" not in message


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_an_unreadable_data_file_is_named(data_copy, tmp_path):
    (data_copy / "groups.csv").chmod(0)
    with pytest.raises(DataError) as error:
        load_dataset(data_copy, tmp_path / "cache")
    assert "groups.csv" in str(error.value)


def test_files_in_any_row_order_load_as_the_shipped_ones(data_copy, tmp_path):
    """The loader keeps files that are in the index's order as they are and sorts the others: rows shuffled
    give the same tables, rankings and histories."""
    import random

    for name in ("trade_annual.csv", "trade_monthly.csv", "sectors.csv"):
        path = data_copy / name
        header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
        random.Random(name).shuffle(rows)
        path.write_text(header + "".join(rows), encoding="utf-8")
    shuffled = load_dataset(data_copy, tmp_path / "cache-shuffled")
    shipped = load_dataset(locations.data_dir(), tmp_path / "cache-shipped")
    for table in ("annual", "monthly", "sectors"):
        assert getattr(shuffled, table).equals(getattr(shipped, table)), table
    assert rank_partners(shuffled, shuffled.latest).equals(rank_partners(shipped, shipped.latest))
    assert partner_history(shuffled, "5700").equals(partner_history(shipped, "5700"))
