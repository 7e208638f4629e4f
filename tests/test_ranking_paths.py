"""One ranking, two ways of computing it: plain Python (tui.trade.ranking) for the real data's few
hundred partners, numpy (tui.trade.vector) above a size threshold. They must give the same rows in
the same order for every period, view, sort, direction and group, on the real data and on a
synthetic dataset ten times its size, with the same values, records, CSV and JSON (the numpy way's
text columns are categoricals of the same strings, and nothing else differs); and the dataset's
index must give what a scan of the whole tables gives."""

from __future__ import annotations

import itertools
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tui.trade import WORLD, Period, partner_history, partner_monthly, queries, rank_chapters, ranking, vector
from tui.vocabulary import SORTS, VIEWS

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the synthetic datasets are the benchmarks'
    sys.path.insert(0, str(ROOT))


@pytest.fixture(scope="module")
def tenfold(dataset):
    from benchmarks.scale import synthetic_dataset

    return synthetic_dataset(dataset, 10, seed=10)


def both_ways(ds, period: Period, **filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The plain-Python ranking and the numpy one, from the same totals."""
    current = queries.totals_map(ds, period)
    previous = queries.totals_map(ds, period.previous) if period.year > ds.first_year else None
    plain = pd.DataFrame.from_records(ranking.rank_partners(ds.catalog, current, previous, period=period, **filters),
                                      columns=list(ranking.PARTNER_COLUMNS))
    flows = vector.flows_of(current, ds.index), vector.flows_of(previous, ds.index) if previous is not None else None
    return plain, vector.rank_partners(ds.catalog, ds.index, *flows, period=period, **filters)


def assert_same(plain: pd.DataFrame, vectorised: pd.DataFrame, what: str, outputs: bool = True) -> None:
    """The same rows and values; with `outputs`, also the same records, CSV and JSON (the costlier part: the
    sweeps check it once per period and view)."""
    assert list(plain["code"]) == list(vectorised["code"]), what
    if len(plain):
        assert list(plain.columns) == list(vectorised.columns), what
        text = list(vector.TEXT_COLUMNS)
        for column in text:  # the one difference: categoricals of the same strings
            assert plain[column].dtype == "str", (what, column)
            dtype = vectorised[column].dtype
            assert isinstance(dtype, pd.CategoricalDtype) and dtype.categories.dtype == "str", (what, column)
            assert not dtype.ordered and dtype.categories.is_monotonic_increasing, (what, column)
            assert plain[column].tolist() == vectorised[column].tolist(), (what, column)
        pd.testing.assert_frame_equal(plain.drop(columns=text), vectorised.drop(columns=text), check_exact=True,
                                      obj=what)
        if not outputs:
            return
        # what the command line, the exports and partner_summary read: records (values and their types), text
        assert typed(plain.to_dict("records")) == typed(vectorised.to_dict("records")), what
        assert plain.to_csv() == vectorised.to_csv() and plain.to_json() == vectorised.to_json(), what
        assert plain.sort_values("name", kind="stable").index.equals(
            vectorised.sort_values("name", kind="stable").index), what


def typed(records: list[dict]) -> list[list[tuple[str, type, str]]]:
    """Records as (key, type, repr) triples: NaN equals NaN, and a numpy scalar is not a Python one."""
    return [[(key, type(value), repr(value)) for key, value in row.items()] for row in records]


def periods_of(ds) -> list[Period]:
    """Every period the app lists, and years to date the catalog does not list (summed from the index)."""
    latest = ds.latest
    return [*ds.periods(), Period(latest.year - 1, 3), Period(latest.year - 6, latest.months), Period(ds.first_year + 12, 1),
            Period.month(latest.year, latest.months), Period.month(2003, 11)]


def assert_same_in_every_view_and_sort(ds, periods: list[Period]) -> None:
    """Both ways agree for each period in every view and sort, either direction (the outputs compared once
    per period and view)."""
    for period in periods:
        for view in VIEWS:
            for sort in SORTS:
                for descending in (False, True):
                    what = f"{period.key} {view} {sort} {descending}"
                    assert_same(*both_ways(ds, period, view=view, sort=sort, descending=descending), what,
                                outputs=sort == "name" and descending)


@pytest.mark.slow  # every period, view, sort and group: about 4 s
def test_both_ways_agree_on_the_real_data(dataset):
    groups = [None, *dataset.catalog.groups]
    assert_same_in_every_view_and_sort(dataset, periods_of(dataset))
    for period in (dataset.latest, Period(2024), Period(2001)):
        for group in groups:
            for view in VIEWS:
                for min_size in (0.0, 1_000.0):
                    filters = {"group": group, "view": view, "min_size": min_size, "sort": "change", "descending": True}
                    assert_same(*both_ways(dataset, period, **filters), f"{period.key} {filters}",
                                outputs=view == "all" and not min_size)


@pytest.mark.slow
def test_both_ways_agree_on_ten_times_the_partners(tenfold):
    assert len(tenfold.catalog.rankable) > vector.VECTOR_MIN  # queries.rank_partners ranks it with numpy
    latest = tenfold.latest
    assert_same_in_every_view_and_sort(tenfold, [latest, latest.previous, Period(latest.year - 1), Period(2010),
                                                 Period(latest.year - 3, 5), Period(tenfold.first_year),
                                                 Period.month(latest.year - 1, 7)])
    for group in tenfold.catalog.groups:
        for view in VIEWS:
            assert_same(*both_ways(tenfold, latest, group=group, view=view, min_size=100.0), f"{group} {view}")


def test_ties_and_balances_a_hair_apart_rank_as_the_plain_way(tenfold):
    """The numpy way sorts packed keys, which cannot tell apart equal balances (ties go by name) nor
    balances a hair apart (the lower one first): where they meet, it must still rank as the plain way."""
    latest = tenfold.latest
    current = dict(queries.totals_map(tenfold, latest))
    previous = queries.totals_map(tenfold, latest.previous)
    places = sorted((p for p in tenfold.catalog.rankable if p.code in current), key=lambda p: p.code)
    # pairs whose order by code (their places in the numpy way) is the reverse of their order by name
    pairs, used = [], set()
    for a, b in itertools.combinations(places[:400], 2):
        if a.name > b.name and not {a.code, b.code} & used and len(pairs) < 4:
            pairs.append((a, b))
            used |= {a.code, b.code}
    (tie_a, tie_b), (hair_a, hair_b), (up_a, up_b), (up_hair_a, up_hair_b) = pairs
    current[tie_a.code] = current[tie_b.code] = (1.0, 5_000.0)  # a tied deficit: by name, so b first
    current[up_a.code] = current[up_b.code] = (5_000.0, 1.0)  # a tied surplus
    imports = 4_321.123
    current[hair_a.code] = (0.0, imports)  # a's deficit is one ulp smaller than b's: b first
    current[hair_b.code] = (0.0, float(np.nextafter(imports, np.inf)))
    current[up_hair_a.code] = (float(np.nextafter(imports, np.inf)), 0.0)  # a's surplus one ulp larger: a first
    current[up_hair_b.code] = (imports, 0.0)
    flows = vector.flows_of(current, tenfold.index), vector.flows_of(previous, tenfold.index)
    for view in VIEWS:
        for sort, descending in (("rank", False), ("balance", True), ("imports", False)):
            plain = pd.DataFrame.from_records(
                ranking.rank_partners(tenfold.catalog, current, previous, period=latest, view=view, sort=sort,
                                      descending=descending), columns=list(ranking.PARTNER_COLUMNS))
            vectorised = vector.rank_partners(tenfold.catalog, tenfold.index, *flows, period=latest, view=view,
                                              sort=sort, descending=descending)
            assert_same(plain, vectorised, f"{view} {sort} {descending}", outputs=False)
    deficits = list(vector.rank_partners(tenfold.catalog, tenfold.index, *flows, period=latest)["code"])
    assert deficits.index(tie_b.code) == deficits.index(tie_a.code) - 1
    assert deficits.index(hair_b.code) == deficits.index(hair_a.code) - 1


def test_rank_partners_takes_the_numpy_way_only_for_many_partners(dataset, tenfold, monkeypatch):
    calls = []
    original = vector.rank_partners
    monkeypatch.setattr(vector, "rank_partners", lambda *a, **k: calls.append(1) or original(*a, **k))
    queries.rank_partners(dataset, dataset.latest)
    assert calls == []
    got = queries.rank_partners(tenfold, tenfold.latest, sort="name")
    assert calls == [1]
    assert_same(both_ways(tenfold, tenfold.latest, sort="name")[0], got, "the numpy way, through queries")


@pytest.mark.parametrize("which", ["real", "tenfold"])
def test_the_index_gives_the_totals_a_scan_gives(dataset, tenfold, which):
    ds = dataset if which == "real" else tenfold
    latest = ds.latest
    for period in (Period(latest.year, 1), latest, Period(latest.year - 1, latest.months), Period(2003, 11)):
        monthly = ds.monthly[(ds.monthly["year"] == period.year) & (ds.monthly["month"] <= period.months)]
        scanned = monthly.groupby("code")[["exports", "imports"]].sum()
        codes, exports, imports = queries._period_totals(ds, period)
        assert list(codes) == list(scanned.index), period
        np.testing.assert_allclose(exports, scanned["exports"].to_numpy(), rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(imports, scanned["imports"].to_numpy(), rtol=1e-12, atol=1e-9)
    for year in (ds.first_year, 2015, latest.year - 1):
        scanned = ds.annual[ds.annual["year"] == year].set_index("code")
        totals = queries._period_totals(ds, Period(year))
        assert list(totals[0]) == list(scanned.index)
        assert totals[1].tolist() == scanned["exports"].tolist() and totals[2].tolist() == scanned["imports"].tolist()


def test_a_partners_rows_and_chapters_come_from_the_index_as_from_a_scan(dataset):
    for code in ("5700", "5520", "1220", WORLD, "ASEAN"):
        history = dataset.annual[dataset.annual["code"] == code][["year", "months", "exports", "imports", "balance"]]
        pd.testing.assert_frame_equal(partner_history(dataset, code), history.reset_index(drop=True))
        months = dataset.monthly[dataset.monthly["code"] == code].tail(24)
        assert partner_monthly(dataset, code)["label"].tolist() == [f"{y}-{m:02d}" for y, m in
                                                                     zip(months["year"], months["month"], strict=True)]
        for year in dataset.sector_years:
            rows = dataset.sectors[(dataset.sectors["year"] == year) & (dataset.sectors["code"] == code)]
            expected = rows.sort_values("balance", kind="stable")["chapter"].tolist()
            assert rank_chapters(dataset, year, code)["chapter"].tolist() == expected
    assert partner_history(dataset, "no such code").empty
    assert rank_chapters(dataset, dataset.sector_years[-1], "no such code").empty


def test_the_command_line_prints_the_same_either_way(tenfold, monkeypatch, capsys):
    """`tradegap top` and `show` on ten times the partners (the numpy way), byte for byte as the plain way
    prints them, in every format."""
    from tui import cli
    from tui.export import EXPORT_FORMATS

    monkeypatch.setattr(cli, "_dataset", lambda: tenfold)
    year = str(tenfold.latest.year - 1)
    commands = [["top", "--year", year, "--format", fmt] for fmt in EXPORT_FORMATS]
    commands += [["top", "30", "--all"], ["top", "20", "--surplus", "--group", "asean", "--year", year],
                 ["show", "china"], ["show", "mexico 3", "--year", year, "--format", "json"]]

    def printed() -> list[tuple[int, str, str]]:
        tenfold._memo.clear()
        out = []
        for argv in commands:
            status = cli.main(argv)
            out.append((status, *capsys.readouterr()))
            assert status == 0, (argv, out[-1])
        return out

    calls = []
    original = vector.rank_partners
    monkeypatch.setattr(vector, "rank_partners", lambda *a, **k: calls.append(1) or original(*a, **k))
    numpy_way = printed()
    assert len(calls) == len(commands)  # every command ranked the numpy way
    monkeypatch.setattr(vector, "VECTOR_MIN", 10**9)
    assert printed() == numpy_way
    assert len(calls) == len(commands)
