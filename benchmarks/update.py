"""python -m benchmarks.update: `tradegap update` against a local Census API server.

Two measurements, each the median of N runs of the real command (`python -m tui
update --api URL`) in a fresh data directory, the server in its own process
(tests/census_server.py) serving the shipped data's months extended by one month:

- one month: the data already updated from the API to August 2026 (partners and
  HS chapters 2013-2026), the server has September: tradegap fetches the months of
  2025-2026 again and the chapters of 2025 and 2026. Target < 10 s.
- full chapter history: from the shipped data, every HS chapter year from 2013 to
  the latest month and the months of 2025-2026. Target < 60 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS = {"one month": 10.0, "full chapter history": 60.0}


def _server(store_dir: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, str(ROOT / "tests" / "census_server.py"), str(store_dir)],
                               stdout=subprocess.PIPE, text=True, cwd=ROOT)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://"):
        process.kill()
        raise RuntimeError("the local Census API server did not start")
    return process, url


def _update(url: str, data_dir: Path, cache_dir: Path) -> float:
    env = {**os.environ, "TRADEGAP_DATA_DIR": str(data_dir), "TRADEGAP_CACHE_DIR": str(cache_dir)}
    env.pop("CENSUS_API_KEY", None)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "tui", "update", "--api", url], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"tradegap update failed: {result.stderr.strip()}")
    return elapsed


def run(runs: int, log=print) -> dict[str, list[float]]:
    sys.path.insert(0, str(ROOT / "tests"))
    sys.path.insert(0, str(ROOT))
    from census_server import CensusStore
    from tui import locations

    work = Path(tempfile.mkdtemp(prefix="tradegap-update-bench-"))
    try:
        august, september = work / "store-august", work / "store-september"
        CensusStore.from_dataset(locations.shipped_data_dir(), new_months=0).write(august)
        CensusStore.from_dataset(locations.shipped_data_dir(), new_months=1).write(september)
        base = work / "base"
        base.mkdir()
        server, url = _server(august)
        try:
            _update(url, base, work / "cache")  # the data from the API to August: partners and chapters
        finally:
            server.terminate()
            server.wait()
        times: dict[str, list[float]] = {name: [] for name in TARGETS}
        server, url = _server(september)
        try:
            for run_number in range(runs):
                one = work / f"one-{run_number}"
                shutil.copytree(base, one, ignore=shutil.ignore_patterns("update.lock"))
                times["one month"].append(_update(url, one, work / "cache"))
                full = work / f"full-{run_number}"
                full.mkdir()
                times["full chapter history"].append(_update(url, full, work / "cache"))
                log(f"run {run_number + 1}: one month {times['one month'][-1]:.2f} s, "
                    f"full chapter history {times['full chapter history'][-1]:.2f} s")
        finally:
            server.terminate()
            server.wait()
        return times
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.update", description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=3, help="runs per measurement (default 3)")
    args = parser.parse_args(argv)
    times = run(max(1, args.n))
    failed = False
    print("| measurement | median | runs | target | |")
    print("|---|---|---|---|---|")
    for name, target in TARGETS.items():
        median = statistics.median(times[name])
        passed = median < target
        failed |= not passed
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        verdict = "PASS" if passed else "FAIL"
        print(f"| tradegap update, {name} | {median:.2f} s | {runs} | < {target:g} s | {verdict} |")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
