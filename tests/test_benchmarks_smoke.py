"""The benchmark suite still imports and its scale part still runs (tiny sizes, no timing limits).

The terminal parts need tmux and VisiData and take minutes: they are run with
`python -m benchmarks`, not here.
"""

import math
import statistics
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # the suite lives next to the package, not inside it
    sys.path.insert(0, str(ROOT))

from benchmarks import report, scale, suite  # noqa: E402
from benchmarks.terminal import Expect  # noqa: E402


def test_synthetic_dataset_has_factor_times_the_places(dataset):
    factor = 11  # two-digit copy numbers: they must still sort after their code
    bigger = scale.synthetic_dataset(dataset, factor)
    places = dataset.partners["kind"].isin(scale.PLACE_KINDS) & (dataset.partners.index != scale.WORLD)
    assert len(bigger.partners) == len(dataset.partners) + (factor - 1) * places.sum()
    for name in scale.TRADE_TABLES:
        real, copy = getattr(dataset, name), getattr(bigger, name)
        assert len(real) < len(copy) <= factor * len(real)
        assert list(copy.columns) == list(real.columns)
        assert dict(copy.dtypes) == dict(real.dtypes)
        assert (copy["balance"] == copy["exports"] - copy["imports"]).all()
        if real["code"].is_monotonic_increasing:
            assert copy["code"].is_monotonic_increasing
    assert {"5700#01", "5700#10"} <= set(bigger.partners.index)
    assert bigger.partners.index.is_unique


def test_scale_runs_on_tiny_sizes_and_reports_growth(dataset):
    lines = []
    result = scale.run_scale(dataset, factors=(1, 2), repeats=1, log=lines.append)
    assert [s["factor"] for s in result["sizes"]] == [1, 2]
    assert result["skipped"] == []
    assert result["conditions"] == ["normal"]
    names = [q.name for q in scale.queries(dataset)]
    for size in result["sizes"]:
        times = size["times"]["normal"]
        assert set(times) == set(names)
        assert all(t["median"] > 0 and len(t["runs"]) == 1 for t in times.values())
        assert size["rows"]["monthly"] > 0
    for name in names:
        growth = result["growth"]["normal"][name]
        assert growth["last_step"] == [1, 2]
        assert 1.5 < growth["steps"][-1]["row_ratio"] <= 2
        assert not math.isnan(growth["last_step_exponent"])
    assert len(lines) == 2
    rows = report.rows({"scale": result, "conditions": ["normal"]})
    assert any(r.what.startswith("scale: rank_partners") for r in rows)


@pytest.mark.slow
def test_each_size_can_be_timed_in_fresh_processes_and_their_runs_pooled(dataset):
    lines = []
    result = scale.run_scale(dataset, factors=(1, 2), repeats=2, log=lines.append, processes=2)
    names = [q.name for q in scale.queries(dataset)]
    for size in result["sizes"]:
        assert size["processes"] == 2
        for name in names:
            timed = size["times"]["normal"][name]
            assert len(timed["runs"]) == 4 and len(timed["process_medians"]) == 2
            assert timed["median"] == statistics.median(timed["runs"])
    assert result["sizes"][1]["rows"]["partners"] > result["sizes"][0]["rows"]["partners"]
    assert len(lines) == 2


def test_every_figure_has_a_cell_per_condition_and_a_ratio_to_its_reference():
    results = {
        "conditions": ["normal", "slow"],
        "reference": {"normal": {"hello key": 0.004}, "slow": {"hello key": 0.008}},
        "keys": {c: {"sort (s)": {"median": m, "target": 0.05, "program": "tradegap"}}
                 for c, m in (("normal", 0.040), ("slow", 0.120))},
    }
    row = next(r for r in report.rows(results) if r.what == "key: sort (s)")
    assert row.cells == {"normal": "40.0 ms = 10.0x", "slow": "120.0 ms = 15.0x"}
    assert row.status == "MISS"  # 15 hello-world keys in the slow condition: more than 12
    results["keys"]["slow"]["sort (s)"]["median"] = 0.090
    assert next(r for r in report.rows(results) if r.what == "key: sort (s)").status == "PASS"


def test_screen_expectations():
    expect = Expect(("China", "-$1.2T"), none_of=("Loading",), at_least={"┌": 2})
    assert expect.met("China -$1.2T ┌ ┌")
    assert not expect.met("China -$1.2T ┌")
    assert not expect.met("China -$1.2T ┌ ┌ Loading")
    assert suite.round_ratios([2.0, 4.0, 6.0], [1.0, 2.0, 2.0])["median"] == 2.0


def test_the_loading_thread_is_the_busiest_besides_the_main_one_and_ends_when_its_cpu_stops():
    main, loader, other = 100, 101, 102
    samples = [
        (0.0, {main: 50, loader: 3, other: 1}),
        (0.1, {main: 60, loader: 9, other: 1}),
        (0.2, {main: 61, loader: 20, other: 2}),  # the other thread ticks once, later too
        (0.3, {main: 70, loader: 20, other: 2}),
        (0.4, {main: 71, loader: 20, other: 3}),
    ]
    assert suite._loading_ended(samples, main) == 0.2
    idle = [(0.0, {main: 50, loader: 20}), (0.5, {main: 80, loader: 20})]
    assert suite._loading_ended(idle, main) is None  # loaded before the key
    # loaded before the key, its thread gone; the app's next thread (importing the next screens' code,
    # a few ticks in all) works while sampled: not the load
    after = [(0.0, {main: 50, other: 0}), (0.1, {main: 55, other: 2}), (0.3, {main: 60, other: 3})]
    assert suite._loading_ended(after, main) is None


def test_a_slow_timing_is_the_mean_of_calls_back_to_back_each_on_an_empty_memo(dataset):
    calls, memo_sizes = [], []

    def run(ds):
        memo_sizes.append(len(ds._memo))
        ds._memo["left over"] = True
        calls.append(1)
        return [1]

    query = scale.Query("counted", "annual", run)
    assert scale.time_once(dataset, query) > 0 and len(calls) == 1  # the normal condition: one call
    calls.clear()
    assert scale.time_once(dataset, query, span=0.01) > 0
    assert len(calls) > 1 and set(memo_sizes) == {0} and "left over" not in dataset._memo


def test_a_slow_timing_shares_the_span_s_wall_time_out_by_cpu_time():
    # the program had half the core over the span (1 s of wall time, 0.5 s of CPU), the calls 0.45 s of that
    # CPU; timed alone they took 0.5 s, the neighbour's turns having fallen between them
    assert scale.share_of_span(1.0, 0.5, 0.45, 0.5) == pytest.approx(0.9)
    assert scale.share_of_span(1.0, 1.0, 1.0, 1.0) == pytest.approx(1.0)  # the core to itself, nothing between
    assert scale.share_of_span(1.0, 0.4, 0.5, 0.9) == pytest.approx(1.0)  # clocks a hair apart: never over the span
    assert scale.share_of_span(1.0, 0.0, 0.0, 0.7) == 0.7  # no CPU time to share by: the calls' own wall time


def test_a_key_answered_before_the_loading_thread_stops_counts_its_own_time_after_the_data():
    assert suite.after_data(0.120, 0.090) == pytest.approx(0.030)  # the thread stopped, then the answer
    assert suite.after_data(0.036, 0.093) == 0.036  # answered first: the data was in earlier, worked on after
    assert suite.after_data(0.036, 0.0) == 0.036  # the data in before the key
