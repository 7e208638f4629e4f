"""How the domain layer's queries grow with the data: synthetic datasets 10x, 100x, 1000x the real one.

A synthetic dataset of factor k has k times the partners: every real place
(not the WORLD total, not the groups' own rows) gets k - 1 copies with new
codes ("5700#001", "5700#002", ...), names and group memberships, and every
trade row of theirs (annual, monthly, sectors) is copied with exports and
imports each multiplied by a random factor between 0.5 and 1.5, so the
copies rank differently from the originals. The frames keep the real ones'
dtypes and sort order and are handed to Dataset(...) directly; nothing is
written to disk and every timed query starts from an empty memo. In the slow
condition a timing is the mean over calls made back to back for SLOW_SPAN,
the span's wall time shared out by CPU time (see share_of_span).

As every other figure of the suite is timed over several fresh programs, each
size is built and timed in PROCESSES fresh Python processes (`python -m
benchmarks.scale`), their timings pooled: within one process a size's timings
agree to a few per cent, but from one process to the next the 1000x ones moved
by up to 24% (the same calls, the same data, other places in memory), so
that a size timed in one process measured where its arrays had landed as much as
the query.
"""

from __future__ import annotations

import argparse
import gc
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from benchmarks.conditions import NORMAL, SLOW, pinned_here
from tui.compat import numpy_sort_choice
from tui.trade import Dataset, Period, rank_chapters, rank_partners
from tui.trade.dataset import PLACE_KINDS, WORLD, catalog_of

DEFAULT_FACTORS = (1, 10, 100, 1000)
#: fresh processes each size is timed in by the suite (run_scale's default, 0, times in this one: the tests)
PROCESSES = 3
TRADE_TABLES = ("annual", "monthly", "sectors")


def synthetic_dataset(ds: Dataset, factor: int, seed: int = 0) -> Dataset:
    """A dataset with `factor` times the real partners and their trade rows."""
    if factor < 1:
        raise ValueError("factor must be at least 1")
    rng = np.random.default_rng(seed)
    # places only: the WORLD total and the groups keep their own rows, once
    replicated = set(ds.partners.index[ds.partners["kind"].isin(PLACE_KINDS)]) - {WORLD}
    frames = {
        "partners": _replicate_partners(ds.partners, replicated, factor),
        "groups": ds.groups.copy(),
        "members": _replicate_members(ds.members, replicated, factor),
        "chapters": ds.chapters.copy(),
        "release": dict(ds.release),
    }
    for name in TRADE_TABLES:
        frames[name] = _replicate_rows(getattr(ds, name), replicated, factor, rng)
    catalog = catalog_of(frames["partners"], frames["groups"], frames["members"], frames["release"], ds.first_year)
    return Dataset(**frames, catalog=catalog)


def _suffixed(codes: np.ndarray, replicas: np.ndarray) -> np.ndarray:
    """'5700' and replica 3 of 1000 -> '5700#003'; replica 0 keeps the real code.

    Zero-padded, and '#' sorts before letters and digits, so the copies of a
    code sort right after it: a frame sorted by code stays sorted. One string
    object per distinct (code, replica), shared by all its rows, as a parsed
    file's repeated values would be.
    """
    uniques, inverse = np.unique(codes.astype(str), return_inverse=True)
    count = int(replicas.max()) + 1 if len(replicas) else 1
    digits = len(str(count - 1))
    table = np.empty((len(uniques), count), dtype=object)
    for i, code in enumerate(uniques):
        table[i] = [code] + [f"{code}#{r:0{digits}d}" for r in range(1, count)]
    return table[inverse.ravel(), replicas]


def _segments(copies: np.ndarray, lengths: np.ndarray):
    """Row positions for blocks of `lengths` rows, each block repeated `copies` times in a row."""
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    seg_block = np.repeat(np.arange(len(lengths)), copies)
    seg_replica = np.concatenate([np.arange(c) for c in copies]) if len(copies) else np.array([], int)
    seg_len = lengths[seg_block]
    seg_out_start = np.concatenate([[0], np.cumsum(seg_len)[:-1]])
    total = int(seg_len.sum())
    offset = np.arange(total) - np.repeat(seg_out_start, seg_len)
    rows = np.repeat(starts[seg_block], seg_len) + offset
    return seg_block, seg_replica, seg_len, rows


def _replicate_rows(frame: pd.DataFrame, replicated: set, factor: int, rng) -> pd.DataFrame:
    """Each replicated code's block of rows copied factor - 1 times right after it (sort order kept)."""
    frame = frame.reset_index(drop=True)
    codes = frame["code"].to_numpy(dtype=object)
    # blocks of consecutive rows with the same code (the real frames are sorted by code or grouped)
    change = np.flatnonzero(codes[1:] != codes[:-1]) + 1
    starts = np.concatenate([[0], change])
    lengths = np.diff(np.concatenate([starts, [len(codes)]]))
    block_codes = codes[starts]
    copies = np.array([factor if c in replicated else 1 for c in block_codes])
    seg_block, seg_replica, seg_len, rows = _segments(copies, lengths)
    out = frame.iloc[rows].reset_index(drop=True)
    labels = _suffixed(block_codes[seg_block], seg_replica)
    out["code"] = pd.Series(np.repeat(labels, seg_len), dtype=frame["code"].dtype)
    copied = np.repeat(seg_replica, seg_len) > 0
    n = int(copied.sum())
    for column in ("exports", "imports"):
        values = out[column].to_numpy(copy=True)
        values[copied] *= rng.uniform(0.5, 1.5, n)
        out[column] = values
    out["balance"] = out["exports"] - out["imports"]
    return out


def _replicate_partners(partners: pd.DataFrame, replicated: set, factor: int) -> pd.DataFrame:
    base = partners.reset_index(drop=True)
    keep = base["code"].isin(replicated).to_numpy()
    copies = np.where(keep, factor, 1)
    seg_block, seg_replica, _, rows = _segments(copies, np.ones(len(base), dtype=int))
    out = base.iloc[rows].reset_index(drop=True)
    codes = _suffixed(base["code"].to_numpy(dtype=object)[seg_block], seg_replica)
    out["code"] = pd.Series(codes, dtype=base["code"].dtype)
    suffix = np.where(seg_replica > 0, np.char.add(" ", seg_replica.astype(str)).astype(object), "")
    for column in ("name", "census_name"):
        if column in out:
            out[column] = pd.Series(out[column].to_numpy(dtype=object) + suffix, dtype=base[column].dtype)
    return out.set_index("code", drop=False)


def _replicate_members(members: pd.DataFrame, replicated: set, factor: int) -> pd.DataFrame:
    base = members.reset_index(drop=True)
    copies = np.where(base["member"].isin(replicated).to_numpy(), factor, 1)
    seg_block, seg_replica, _, rows = _segments(copies, np.ones(len(base), dtype=int))
    out = base.iloc[rows].reset_index(drop=True)
    labels = _suffixed(base["member"].to_numpy(dtype=object)[seg_block], seg_replica)
    out["member"] = pd.Series(labels, dtype=base["member"].dtype)
    return out


# ---------------------------------------------------------------- timing


@dataclass(frozen=True)
class Query:
    name: str
    table: str  # the table whose rows it scans
    run: object  # callable(ds)


def queries(ds: Dataset) -> list[Query]:
    """The ranking and sector questions the app asks most, as on its first screens."""
    latest = ds.latest
    full_year = latest.year if latest.is_full_year else latest.year - 1
    sector_year = ds.sector_years[-1]
    ytd_table = "annual" if latest.is_full_year else "monthly"
    return [
        Query(f"rank_partners {latest.label}", ytd_table, lambda d: rank_partners(d, latest)),
        Query(f"rank_partners {full_year}", "annual", lambda d: rank_partners(d, Period(full_year))),
        Query(f"rank_chapters {sector_year} US", "sectors", lambda d: rank_chapters(d, sector_year, WORLD)),
        Query(f"rank_chapters {sector_year} China", "sectors", lambda d: rank_chapters(d, sector_year, "5700")),
    ]


def _frame_bytes(ds: Dataset) -> int:
    """The frames' own arrays (strings shared between rows are not counted per row)."""
    return sum(int(getattr(ds, n).memory_usage(deep=False).sum()) for n in ("partners", "members", *TRADE_TABLES))


def _available_bytes() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


#: in the slow condition a timing is the mean time per call over calls made back to back for at least this
#: long: a call shorter than the scheduler's slice (a few ms), started as the thread wakes beside the busy
#: neighbour, mostly ran to its end before the neighbour was scheduled and was timed as if it had the core to
#: itself (1.3-1.6x its normal time at 100x, where the 10x longer call at 1000x took 2.0-2.4x), so that the
#: exponent between the two measured the scheduler as much as the query; over many slices every size gets
#: the condition's half of the core
SLOW_SPAN = 0.05


def time_once(ds: Dataset, query: Query, span: float = 0.0) -> float:
    """Seconds per call, each on an empty memo (no result reused between calls): one call, or with `span` the
    mean over calls made back to back for at least that many seconds, the span's wall time shared out by the
    calls' CPU time (share_of_span)."""
    calls, spent, calls_cpu = 0, 0.0, 0.0
    start, start_cpu = time.perf_counter(), time.thread_time()
    while not calls or time.perf_counter() - start < span:
        ds._memo.clear()
        t0, c0 = time.perf_counter(), time.thread_time()
        result = query.run(ds)
        spent += time.perf_counter() - t0
        calls_cpu += time.thread_time() - c0
        ds._memo.clear()
        calls += 1
        if len(result) == 0:
            raise AssertionError(f"{query.name} returned no rows")
        del result
    if not span:
        return spent / calls
    return share_of_span(time.perf_counter() - start, time.thread_time() - start_cpu, calls_cpu, spent) / calls


def share_of_span(span_wall: float, span_cpu: float, calls_cpu: float, calls_wall: float) -> float:
    """The calls' wall time over a span: the span's wall time times the calls' share of the span's CPU time.

    Timing the calls alone gave the neighbour's turns to the few steps between them: at 100x the calls took
    1.04-1.19x their CPU time while the whole span took 2.0x (the program had half the core), and at 1000x,
    where a call spans many turns, 1.9x. Shared out by CPU time, every size gets the same half of the core.
    Without a CPU time to share by (a clock too coarse), the calls' own wall time."""
    if span_cpu <= 0 or calls_cpu <= 0:
        return calls_wall
    return span_wall * min(1.0, calls_cpu / span_cpu)


def time_query(ds: Dataset, query: Query, repeats: int, conditions: tuple[str, ...] = (NORMAL,)) -> dict[str, list[float]]:
    """Seconds per call in each condition, the conditions alternating call by call."""
    times: dict[str, list[float]] = {c: [] for c in conditions}
    for r in range(repeats):
        for condition in conditions[r % len(conditions):] + conditions[: r % len(conditions)]:
            with pinned_here(condition):
                times[condition].append(time_once(ds, query, SLOW_SPAN if condition == SLOW else 0.0))
    return times


def run_scale(ds: Dataset, factors=DEFAULT_FACTORS, repeats: int = 5, log=print,
              conditions: tuple[str, ...] = (NORMAL,), processes: int = 0) -> dict:
    """Time each query at each size, in each condition; growth is measured against the smallest size.

    With processes > 0 each size is built and timed in that many fresh processes (measure_in_processes), their
    timings pooled, each from the shipped dataset it loads itself (ds then only sizes the memory estimate); with
    0, here, from ds. Returns {"conditions": [...], "sizes": [...], "growth": {condition:
    {...}}, "skipped": [...]}. A size whose frames would not fit in the memory available (estimated from the
    real frames) is skipped.
    """
    real_bytes = _frame_bytes(ds)
    sizes, skipped = [], []
    for factor in factors:
        need = real_bytes * factor * 3  # the frames, plus the copies made while building them
        available = _available_bytes()
        if available is not None and factor > 1 and need > available:
            reason = f"needs about {need / 2**30:.1f} GiB, {available / 2**30:.1f} GiB available"
            skipped.append({"factor": factor, "reason": reason})
            log(f"  scale {factor}x: skipped ({skipped[-1]['reason']})")
            continue
        if processes:
            size = measure_in_processes(factor, repeats, conditions, processes)
        else:
            size = measure(ds, factor, repeats, conditions)
        sizes.append(size)
        for c in conditions:
            log(f"  scale {factor}x {c}: " + ", ".join(f"{k} {v['median'] * 1000:.1f} ms"
                                                         for k, v in size["times"][c].items()))
        gc.collect()
    return {"conditions": list(conditions), "sizes": sizes, "growth": {c: growth(sizes, c) for c in conditions},
            "skipped": skipped}


def measure(ds: Dataset, factor: int, repeats: int, conditions: tuple[str, ...]) -> dict:
    """One size, built from ds and timed here: {"factor", "rows", "build_seconds", "frames_mb", "times"}."""
    t0 = time.perf_counter()
    big = synthetic_dataset(ds, factor, seed=factor)
    build = time.perf_counter() - t0
    rows = {name: len(getattr(big, name)) for name in TRADE_TABLES}
    rows["partners"] = len(big.partners)
    times: dict[str, dict] = {c: {} for c in conditions}
    for q in queries(big):
        samples = time_query(big, q, repeats, conditions)
        for c in conditions:
            times[c][q.name] = {"median": statistics.median(samples[c]), "runs": samples[c], "table": q.table}
    return {"factor": factor, "rows": rows, "build_seconds": build, "frames_mb": _frame_bytes(big) / 2**20,
            "times": times, "processes": 1}


def measure_in_processes(factor: int, repeats: int, conditions: tuple[str, ...], processes: int) -> dict:
    """One size timed in `processes` fresh processes, one after the other, each loading the shipped dataset
    as the app does; the runs pooled (their median is the size's time)."""
    environ = dict(os.environ)  # as the app's own process would have it (tui.cli.main)
    choice = numpy_sort_choice(environ)
    if choice is not None:
        environ["NPY_DISABLE_CPU_FEATURES"] = choice
    made = []
    for _ in range(processes):
        command = [sys.executable, "-m", "benchmarks.scale", "--factor", str(factor), "--repeats", str(repeats),
                   "--conditions", ",".join(conditions)]
        done = subprocess.run(command, cwd=Path(__file__).resolve().parent.parent, env=environ, capture_output=True,
                              text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command[1:])} failed: {done.stderr.strip()[-400:]}")
        made.append(json.loads(done.stdout))
    times: dict[str, dict] = {c: {} for c in conditions}
    for c in conditions:
        for name, first in made[0]["times"][c].items():
            runs = [run for m in made for run in m["times"][c][name]["runs"]]
            times[c][name] = {"median": statistics.median(runs), "runs": runs, "table": first["table"],
                              "process_medians": [m["times"][c][name]["median"] for m in made]}
    return {**made[0], "times": times, "processes": processes,
            "build_seconds": statistics.median(m["build_seconds"] for m in made)}


def growth(sizes: list[dict], condition: str = NORMAL) -> dict:
    """Per query: time ratio against row ratio from the smallest size, and the exponent between the two largest.

    An exponent of 1 is linear; below 1 the fixed costs still dominate.
    """
    if len(sizes) < 2:
        return {}
    out = {}
    base = sizes[0]
    for name, t in base["times"][condition].items():
        table = t["table"]
        steps = []
        for size in sizes[1:]:
            row_ratio = size["rows"][table] / base["rows"][table]
            time_ratio = size["times"][condition][name]["median"] / t["median"]
            steps.append({"factor": size["factor"], "row_ratio": row_ratio, "time_ratio": time_ratio})
        a, b = sizes[-2], sizes[-1]
        rows_ab = b["rows"][table] / a["rows"][table]
        time_ab = b["times"][condition][name]["median"] / a["times"][condition][name]["median"]
        exponent = math.log(time_ab) / math.log(rows_ab) if rows_ab > 1 and time_ab > 0 else float("nan")
        out[name] = {"table": table, "steps": steps, "last_step_exponent": exponent,
                     "last_step": [a["factor"], b["factor"]]}
    return out


def main(argv: list[str] | None = None) -> int:
    """One size in this fresh process: the shipped dataset loaded as the app loads it, the size built from it
    and timed; its measure() as JSON on stdout."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale")
    parser.add_argument("--factor", type=int, required=True)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--conditions", default=NORMAL)
    args = parser.parse_args(argv)
    from tui.trade import load_dataset

    with tempfile.TemporaryDirectory(prefix="tradegap-bench-cache-") as cache:
        ds = load_dataset(cache_dir=Path(cache))
    size = measure(ds, args.factor, args.repeats, tuple(args.conditions.split(",")))
    # set before this process imported numpy (measure_in_processes), so numpy runs with it
    size["numpy_disabled"] = os.environ.get("NPY_DISABLE_CPU_FEATURES")
    json.dump(size, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
