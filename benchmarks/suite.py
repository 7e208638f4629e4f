"""The measurements: first paint, keystrokes, peak memory, quick lookup, scale.

Every figure comes from the real programs on the real data: tradegap and
VisiData run in tmux panes and are timed until the screen shows data (see
terminal.py); the lookup runs the real command line; the scale part times the
real domain functions. Repeated measurements alternate between the programs
compared, so a slow moment of a noisy machine hits all of them alike; the
figures are medians, and ratios are taken within each round.

tradegap always starts with a fresh, empty config directory (its saved
filters would otherwise change what the next run shows) and, unless the run
is "cold", with a dataset cache that one untimed run has already filled.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import app_script
from benchmarks.app_script import Scenario, Step
from benchmarks.terminal import Expect, Pane, TerminalError, Tmux, ensure_tmux, terminal_env

ROOT = Path(__file__).resolve().parent.parent
HELLO = Path(__file__).resolve().parent / "hello.py"
HELLO_MARKER = "Hello from Textual"
HELLO_KEY_MARKER = "Key x pressed"
SIZE = (120, 40)
TIMEOUT = 60.0
LOOKUP_PAIRS_PER_RUN = 3  # quick lookups are cheap and noisy: 3n alternating pairs


# ---------------------------------------------------------------- programs


def tradegap_command() -> list[str]:
    """How to start this checkout's tradegap: its console script when it is an editable install of
    this directory, else `python -m tui` from the checkout (the same code path: tui.cli.main)."""
    script = Path(sys.executable).with_name("tradegap")
    if script.exists() and _editable_install_here():
        return [str(script)]
    return [sys.executable, "-m", "tui"]


def _editable_install_here() -> bool:
    from importlib import metadata

    try:
        text = metadata.distribution("tradegap").read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return False
    if not text:
        return False
    info = json.loads(text)
    url = info.get("url", "")
    return bool(info.get("dir_info", {}).get("editable")) and url.rstrip("/").endswith(str(ROOT))


def vd_command() -> list[str] | None:
    found = Path(sys.executable).with_name("vd")
    if found.exists():
        return [str(found)]
    which = shutil.which("vd")
    return [which] if which else None


def data_dir() -> Path:
    from tui import locations

    return locations.data_dir()


@dataclass
class Program:
    name: str
    argv: list[str]
    ready: Expect
    env: Callable[[], dict] = dict  # extra environment, made fresh for each launch


class Workspace:
    """Temporary directories for one benchmark run: home, configs, a warm and cold caches."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="tradegap-bench-"))
        self.home = self.root / "home"
        self.home.mkdir()
        self.warm_cache = self.root / "cache-warm"
        self._count = 0

    def fresh(self, what: str) -> Path:
        self._count += 1
        path = self.root / f"{what}-{self._count}"
        path.mkdir()
        return path

    def base_env(self) -> dict:
        env = terminal_env()
        env.update(HOME=str(self.home), XDG_CONFIG_HOME=str(self.home / ".config"),
                   XDG_CACHE_HOME=str(self.home / ".cache"))
        return env

    def tradegap_env(self, cold: bool = False) -> dict:
        return {
            "TRADEGAP_CONFIG_DIR": str(self.fresh("config")),
            "TRADEGAP_CACHE_DIR": str(self.fresh("cache-cold") if cold else self.warm_cache),
        }

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _rotate(items: list, i: int) -> list:
    i %= len(items)
    return items[i:] + items[:i]


def _summary(samples: list[float]) -> dict:
    ok = [s for s in samples if s is not None]
    if not ok:
        return {"median": None, "min": None, "max": None, "runs": samples}
    return {"median": statistics.median(ok), "min": min(ok), "max": max(ok), "runs": samples}


def _stop(pane: Pane) -> None:
    """Close the pane and wait until its program is gone, so it takes no CPU from the next run."""
    try:
        pid = pane.pid
    except (TerminalError, ValueError):
        pid = None
    pane.kill()
    if pid is None:
        return
    deadline = time.monotonic() + 5
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        if _zombie(pid):
            break
        time.sleep(0.01)
    else:
        if Path(f"/proc/{pid}").exists() and not _zombie(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # our own program, by its pid


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


# ---------------------------------------------------------------- first paint


def paint_once(tmux: Tmux, ws: Workspace, program: Program, settle: float = 0.0) -> float:
    """Seconds from launch to the ready marker; with settle, the program runs that much longer before it is closed."""
    pane = tmux.launch(program.argv, env=program.env(), cwd=ROOT)
    try:
        seconds = pane.wait_for(program.ready, pane.t0, TIMEOUT)
        time.sleep(settle)
        return seconds
    finally:
        _stop(pane)


def measure_paint(tmux: Tmux, ws: Workspace, programs: list[Program], n: int, log=print) -> dict:
    """Launch-to-data seconds of each program, n alternating rounds after one untimed launch each.

    The untimed launch runs for a few seconds, as a first use would, so that what a program keeps
    for its next start (tradegap's caches) is written: "warm" means "has been run before".
    """
    for program in programs:
        paint_once(tmux, ws, program, settle=3.0)
    samples: dict[str, list] = {p.name: [] for p in programs}
    for i in range(n):
        for program in _rotate(programs, i):
            samples[program.name].append(paint_once(tmux, ws, program))
            time.sleep(0.05)
        log(f"  paint round {i + 1}: " + ", ".join(f"{k} {v[-1]:.3f}s" for k, v in samples.items()))
    return {name: _summary(runs) for name, runs in samples.items()}


def measure_first_key(tmux: Tmux, program: Program, step: Step, n: int, log=print) -> dict:
    """Launch to a key's answer, the key sent the moment the first paint is seen (warm cache).

    tradegap draws its first screen before it loads pandas and the full dataset; a key typed
    that early waits for them. This is when the app is answering keys, for information.
    """
    answered, painted = [], []
    for i in range(n):
        pane = tmux.launch(program.argv, env=program.env(), cwd=ROOT)
        try:
            painted.append(pane.wait_for(program.ready, pane.t0, TIMEOUT))
            pane.send(*step.keys, literal=step.literal)
            answered.append(pane.wait_for(step.expect, pane.t0, TIMEOUT))
        finally:
            _stop(pane)
        time.sleep(0.05)
        log(f"  first key round {i + 1}: painted {painted[-1]:.3f}s, key answered {answered[-1]:.3f}s after launch")
    return {"answered": _summary(answered), "painted": _summary(painted), "keys": list(step.keys)}


def round_ratios(a: list, b: list) -> dict:
    """Median of the per-round ratios a/b (and the ratios themselves)."""
    ratios = [x / y for x, y in zip(a, b, strict=True) if x is not None and y]
    return {"median": statistics.median(ratios) if ratios else None, "runs": ratios}


# ---------------------------------------------------------------- keystrokes


def _do(pane: Pane, step: Step) -> float:
    screen = pane.screen()
    if step.expect.met(screen):
        raise TerminalError(f"{step.expect} is on screen before the keys {step.keys} were sent:\n{screen}")
    t = pane.send(*step.keys, literal=step.literal)
    return pane.wait_for(step.expect, t, TIMEOUT)


def key_once(tmux: Tmux, ws: Workspace, program: Program, scenario: Scenario) -> float:
    pane = tmux.launch(program.argv, env=program.env(), cwd=ROOT, size=scenario.size)
    try:
        pane.wait_for(program.ready, pane.t0, TIMEOUT)
        pane.settle()
        for step in scenario.setup:
            _do(pane, step)
            pane.settle()
        return _do(pane, scenario.action)
    finally:
        _stop(pane)


def measure_keys(
    tmux: Tmux, ws: Workspace, programs: dict[str, Program], scenarios: list[Scenario], n: int, log=print
) -> dict:
    """Key-to-screen seconds per scenario; each run is a fresh, settled app; scenarios alternate."""
    samples: dict[str, list] = {s.name: [] for s in scenarios}
    for i in range(n):
        for scenario in _rotate(scenarios, i):
            samples[scenario.name].append(key_once(tmux, ws, programs[scenario.program], scenario))
        log(f"  keys round {i + 1}: " + ", ".join(f"{k} {v[-1] * 1000:.0f}ms" for k, v in samples.items()))
    return {
        s.name: {
            **_summary(samples[s.name]),
            "target": s.target,
            "program": s.program,
            "keys": list(s.action.keys),
            "expect": str(s.action.expect),
            "size": list(s.size or SIZE),
        }
        for s in scenarios
    }


# ---------------------------------------------------------------- memory


def measure_memory(tmux: Tmux, ws: Workspace, program: Program, tour: list[Step], log=print) -> dict:
    """Peak resident memory (VmHWM) of one run that visits every screen, read just before quitting."""
    pane = tmux.launch(program.argv, env=program.env(), cwd=ROOT)
    try:
        pane.wait_for(program.ready, pane.t0, TIMEOUT)
        pane.settle()
        at_first_paint = pane.memory()
        visited = []
        for step in tour:
            _do(pane, step)
            pane.settle()
            visited.append(str(step.expect))
        peak = pane.memory()
        log(f"  memory {program.name}: peak {peak['peak_mb']:.1f} MB after {len(tour)} screens")
        return {"peak_mb": peak["peak_mb"], "rss_mb": peak["rss_mb"], "first_paint_peak_mb": at_first_paint["peak_mb"],
                "visited": visited}
    finally:
        _stop(pane)


def measure_idle_memory(tmux: Tmux, program: Program) -> dict:
    """Peak resident memory of a reference program once it shows its data."""
    pane = tmux.launch(program.argv, env=program.env(), cwd=ROOT)
    try:
        pane.wait_for(program.ready, pane.t0, TIMEOUT)
        pane.settle()
        return pane.memory()
    finally:
        _stop(pane)


# ---------------------------------------------------------------- quick lookup


def measure_lookup(ws: Workspace, n: int, log=print) -> dict:
    """Wall seconds of `tradegap show china` and of a bare `python -c "import pandas"`, alternating.

    n pairs; the caller asks for more than the other parts use, as each pair takes well under a second
    and the ratio of two short runs is the noisiest figure of all.
    """
    env = {**ws.base_env(), **ws.tradegap_env()}
    commands = {
        "tradegap show china": tradegap_command() + ["show", "china"],
        "python -c 'import pandas'": [sys.executable, "-c", "import pandas"],
    }

    def once(argv: list[str]) -> float:
        t0 = time.perf_counter()
        result = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
        return elapsed

    for argv in commands.values():
        once(argv)  # untimed: fills the dataset cache and the bytecode caches
    samples: dict[str, list] = {k: [] for k in commands}
    for i in range(n):
        for name in _rotate(list(commands), i):
            samples[name].append(once(commands[name]))
    a, b = samples.values()
    ratio = round_ratios(a, b)
    log(f"  lookup: show china {statistics.median(a):.3f}s, import pandas {statistics.median(b):.3f}s, "
        f"ratio {ratio['median']:.2f}")
    return {"commands": {k: {**_summary(v), "argv": commands[k]} for k, v in samples.items()}, "ratio": ratio}


# ---------------------------------------------------------------- vd and hello


def first_data_value(csv_path: Path) -> tuple[list[str], list[str]]:
    """The header and first data row of a CSV, as text."""
    with csv_path.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
        first = handle.readline().strip().split(",")
    return header, first


def vd_program(ws: Workspace) -> Program | None:
    argv = vd_command()
    if argv is None:
        return None
    csv_path = data_dir() / "trade_monthly.csv"
    header, first = first_data_value(csv_path)
    # the first row's exports and imports values, as VisiData prints them (the file's own text)
    values = tuple(first[header.index(c)] for c in ("exports", "imports"))
    # -N: no user config or plugins; no message-of-the-day download
    return Program("vd", argv + ["-N", "--motd-url", "", str(csv_path)], Expect(values))


def vd_rows_loaded(csv_path: Path) -> int:
    with csv_path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def hello_program(with_pandas: bool = False) -> Program:
    if with_pandas:
        return Program("hello+pandas", [sys.executable, str(HELLO), "--with-pandas"], Expect(HELLO_MARKER))
    return Program("hello", [sys.executable, str(HELLO)], Expect(HELLO_MARKER))


def hello_key_scenario() -> Scenario:
    """The floor of keystroke latency: a key that changes one line of text in the hello-world app."""
    return Scenario("Textual hello-world: x changes its text", Step(("x",), Expect(HELLO_KEY_MARKER)), 0.050,
                    program="hello")


# ---------------------------------------------------------------- the whole run


def run(parts: set[str], n: int, log=print) -> dict:
    results: dict = {"n": n, "terminal": f"{SIZE[0]}x{SIZE[1]}", "notes": []}
    ws = Workspace()
    try:
        if "lookup" in parts:
            log("quick lookup")
            results["lookup"] = measure_lookup(ws, LOOKUP_PAIRS_PER_RUN * n, log)
        needs_terminal = parts & {"paint", "keys", "memory"}
        if needs_terminal:
            terminal = _terminal_parts(ws, parts, n, log)
            results["notes"] += terminal.pop("notes", [])
            results.update(terminal)
        if "scale" in parts:
            log("scale")
            results["scale"] = run_scale_part(n, log)
    finally:
        ws.close()
    return results


def _terminal_parts(ws: Workspace, parts: set[str], n: int, log) -> dict:
    out: dict = {}
    try:
        ensure_tmux()
    except TerminalError as error:
        log(f"  {error}")
        return {"notes": [str(error)]}
    app = app_script.load(log)
    with Tmux(*SIZE, env=ws.base_env()) as tmux:
        out["tmux"] = subprocess.run([tmux.tmux, "-V"], capture_output=True, text=True).stdout.strip()
        tradegap = Program("tradegap", tradegap_command(), app.ready if app else Expect(()), ws.tradegap_env)
        cold = Program("tradegap cold", tradegap.argv, tradegap.ready, lambda: ws.tradegap_env(cold=True))
        vd = vd_program(ws)
        hello = hello_program()
        hello_pandas = hello_program(with_pandas=True)
        if app is None:
            out.setdefault("notes", []).append("tui/app.py is missing: tradegap's app was not measured")
        if "paint" in parts:
            log("first paint")
            programs = ([tradegap, cold] if app else []) + ([vd] if vd else []) + [hello, hello_pandas]
            paint = measure_paint(tmux, ws, programs, n, log)
            out["paint"] = {"programs": paint, "markers": {p.name: str(p.ready) for p in programs}}
            ratios = {}
            for a in ("tradegap", "tradegap cold"):
                for b in ("vd", "hello", "hello+pandas"):
                    if a in paint and b in paint:
                        ratios[f"{a}/{b}"] = round_ratios(paint[a]["runs"], paint[b]["runs"])
            out["paint"]["ratios"] = ratios
            if app:
                out["paint"]["first_key"] = measure_first_key(tmux, tradegap, app.first_key, n, log)
            if vd is None:
                out.setdefault("notes", []).append("VisiData (vd) is not installed: pip install '.[bench]'")
        if "keys" in parts and app:
            log("keystrokes")
            programs = {"tradegap": tradegap, "hello": hello}
            out["keys"] = measure_keys(tmux, ws, programs, [*app.scenarios, hello_key_scenario()], n, log)
        if "memory" in parts:
            log("peak memory")
            memory = {}
            if app:
                memory["tradegap"] = measure_memory(tmux, ws, tradegap, app.tour, log)
            if vd:
                loaded = Program("vd", vd.argv, Expect(f"{vd_rows_loaded(data_dir() / 'trade_monthly.csv')} rows"))
                memory["vd"] = measure_idle_memory(tmux, loaded)
            memory["hello"] = measure_idle_memory(tmux, hello)
            out["memory"] = memory
    return out


def run_scale_part(n: int, log) -> dict:
    from benchmarks.scale import DEFAULT_FACTORS, run_scale
    from tui.trade import load_dataset

    with tempfile.TemporaryDirectory(prefix="tradegap-bench-cache-") as cache:
        ds = load_dataset(cache_dir=Path(cache))
    return run_scale(ds, DEFAULT_FACTORS, repeats=max(3, n), log=log)
