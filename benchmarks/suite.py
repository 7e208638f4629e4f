"""The measurements: a speed reference, first paint, keystrokes, peak memory, quick lookup, scale.

Every figure comes from the real programs on the real data: tradegap and
VisiData run in tmux panes and are timed until the screen shows data (see
terminal.py); the lookup runs the real command line; the scale part times the
real domain functions.

Every figure is measured in two conditions (benchmarks/conditions.py): the
machine as it is, and "slow", pinned to one core beside a CPU-bound neighbour.
Repeated measurements alternate between the programs and the conditions
compared, so a slow moment of a noisy machine hits all of them alike; the
figures are medians, and ratios are taken within each round. Each condition
also has a speed reference (a Textual hello-world's first paint and key,
`python -c pass`, `python -c "import pandas"`), and every figure is reported
both as a time and as a ratio to the reference of its kind, which says more
than a time when the machine itself is slower or busier one day.

tradegap always starts with a fresh, empty config directory (its saved
filters would otherwise change what the next run shows) and, unless the run
is "cold", with a dataset cache that one untimed run has already filled.
"""

from __future__ import annotations

import compileall
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
from benchmarks.conditions import NORMAL, argv_in, conditions, neighbour, slow_available
from benchmarks.terminal import Expect, Pane, TerminalError, Tmux, ensure_tmux, terminal_env

ROOT = Path(__file__).resolve().parent.parent
HELLO = Path(__file__).resolve().parent / "hello.py"
HELLO_MARKER = "Hello from Textual"
HELLO_KEY_MARKER = "Key x pressed"
SIZE = (120, 40)
TIMEOUT = 60.0
LOOKUP_PAIRS_PER_RUN = 3  # quick lookups are cheap and noisy: 3n alternating rounds
EARLY_KEY_DELAY = 0.3  # seconds after the first paint: a key typed while the dataset loads

# the speed reference of a condition, by kind of figure
REFERENCE_PAINT = "hello paint"
REFERENCE_KEY = "hello key"
REFERENCE_PASS = "python -c pass"
REFERENCE_PANDAS = "import pandas"
COMMANDS = {
    "tradegap show china": None,  # filled in by lookup_commands()
    REFERENCE_PANDAS: [sys.executable, "-c", "import pandas"],
    REFERENCE_PASS: [sys.executable, "-c", "pass"],
}


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


def compile_checkout() -> None:
    """Byte-compile the checkout, as an installed package is: with PYTHONDONTWRITEBYTECODE set (it
    often is in containers) every start would otherwise compile tradegap's modules again."""
    compileall.compile_dir(ROOT / "tui", quiet=1)


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

    def launch(self, tmux: Tmux, condition: str, size: tuple[int, int] | None = None) -> Pane:
        return tmux.launch(argv_in(condition, self.argv), env=self.env(), cwd=ROOT, size=size)


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
    items = list(items)
    i %= len(items)
    return items[i:] + items[:i]


def _summary(samples: list) -> dict:
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


def round_ratios(a: list, b: list) -> dict:
    """Median of the per-round ratios a/b (and the ratios themselves)."""
    ratios = [x / y for x, y in zip(a, b, strict=True) if x is not None and y]
    return {"median": statistics.median(ratios) if ratios else None, "runs": ratios}


# ---------------------------------------------------------------- first paint


def paint_once(tmux: Tmux, program: Program, condition: str = NORMAL, settle: float = 0.0) -> float:
    """Seconds from launch to the ready marker; with settle, the program runs that much longer before it is closed."""
    with neighbour(condition):
        pane = program.launch(tmux, condition)
        try:
            seconds = pane.wait_for(program.ready, pane.t0, TIMEOUT)
            time.sleep(settle)
            return seconds
        finally:
            _stop(pane)


def warm_up(tmux: Tmux, programs: list[Program]) -> None:
    """One untimed launch of each program, running for a few seconds as a first use would, so that
    what a program keeps for its next start (tradegap's dataset cache, the system's file cache) is there:
    "warm" means "has been run before"."""
    for program in programs:
        paint_once(tmux, program, settle=3.0)


def measure_paint(tmux: Tmux, programs: list[Program], conds: tuple[str, ...], n: int, log=print) -> dict:
    """Launch-to-data seconds of each program in each condition, n rounds, alternating both."""
    warm_up(tmux, programs)
    samples = {c: {p.name: [] for p in programs} for c in conds}
    for i in range(n):
        for condition in _rotate(conds, i):
            for program in _rotate(programs, i):
                samples[condition][program.name].append(paint_once(tmux, program, condition))
                time.sleep(0.05)
            log(f"  paint round {i + 1} {condition}: "
                + ", ".join(f"{k} {v[-1]:.3f}s" for k, v in samples[condition].items()))
    return {c: {name: _summary(runs) for name, runs in samples[c].items()} for c in conds}


# ---------------------------------------------------------------- keys typed while the dataset loads


def measure_first_key(tmux: Tmux, program: Program, step: Step, conds: tuple[str, ...], n: int, log=print) -> dict:
    """A key sent the moment the first paint is seen (warm cache): seconds from the paint to its answer.

    tradegap draws its first screen before it loads pandas and the full dataset in the background;
    that loading must leave the event loop free to answer a key."""
    painted: dict[str, list] = {c: [] for c in conds}
    answered: dict[str, list] = {c: [] for c in conds}
    for i in range(n):
        for condition in _rotate(conds, i):
            with neighbour(condition):
                pane = program.launch(tmux, condition)
                try:
                    paint = pane.wait_for(program.ready, pane.t0, TIMEOUT)
                    pane.send(*step.keys, literal=step.literal)
                    answer = pane.wait_for(step.expect, pane.t0, TIMEOUT)
                finally:
                    _stop(pane)
            painted[condition].append(paint)
            answered[condition].append(answer - paint)
            time.sleep(0.05)
            log(f"  first key round {i + 1} {condition}: painted {paint:.3f}s, "
                f"key answered {answered[condition][-1]:.3f}s after the paint")
    return {c: {"after_paint": _summary(answered[c]), "painted": _summary(painted[c]), "keys": list(step.keys)}
            for c in conds}


def _task_ticks(pid: int) -> dict[int, int]:
    """CPU time (clock ticks) of each thread of a process."""
    ticks = {}
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return ticks
    for tid in tasks:
        try:
            fields = Path(f"/proc/{pid}/task/{tid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks[int(tid)] = int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            continue
    return ticks


def _wait_watching_threads(pane: Pane, expect: Expect, since: float, after: float = 0.0) -> tuple[float, list]:
    """Wait for `expect` (seconds from `since`), sampling the CPU time of the program's threads all along,
    and `after` seconds more; returns the wait and the samples [(seconds from `since`, {thread: ticks})]."""
    samples = [(0.0, _task_ticks(pane.pid))]
    answer = None
    while True:
        now = time.perf_counter()
        samples.append((now - since, _task_ticks(pane.pid)))
        if answer is None and expect.met(pane.screen()):
            answer = time.perf_counter() - since
        if answer is not None and now - since >= answer + after:
            return answer, samples
        if now - since > TIMEOUT:
            raise TerminalError(f"waiting for {expect}: not shown within {TIMEOUT:.0f} s:\n{pane.screen()}")
        time.sleep(0.002)


#: CPU a thread must have used in all (clock ticks of 10 ms) to be the one loading the dataset: the load
#: takes several hundred ms of CPU (importing pandas alone about 300 ms), the thread the app starts once the
#: data is in (importing the next screens' code) a few tens
LOADER_MIN_TICKS = 10


def _loading_ended(samples: list, main: int) -> float | None:
    """When the thread that loads the data last used CPU (seconds, as in the samples); None if it did not
    use any while sampled. That thread is the one, besides the event loop's, that used the most CPU while
    sampled among those that used at least LOADER_MIN_TICKS in all (a thread started after the data came,
    which the load's own thread may have left before the key, is not taken for it)."""
    first, last = samples[0][1], samples[-1][1]
    used = {tid: ticks - first.get(tid, 0) for tid, ticks in last.items()
            if tid != main and ticks >= LOADER_MIN_TICKS}
    if not used or max(used.values()) <= 0:
        return None
    loader = max(used, key=used.__getitem__)
    ended, before = None, first.get(loader, 0)
    for at, ticks in samples:
        if ticks.get(loader, before) > before:
            ended, before = at, ticks[loader]
    return ended


def early_key_once(tmux: Tmux, program: Program, step: Step, condition: str) -> dict:
    """A key sent EARLY_KEY_DELAY after the first paint: its answer, and when the data arrived.

    The data has arrived when the thread loading it stops using CPU: the program's threads are sampled
    from the key until a second after its answer (or the end of the loading), and the loading thread is
    the one, besides the event loop's, that used the most CPU. CPU time is counted in clock ticks (10 ms),
    so the arrival is known to within a tick."""
    with neighbour(condition):
        pane = program.launch(tmux, condition)
        try:
            paint = pane.wait_for(program.ready, pane.t0, TIMEOUT)
            time.sleep(max(0.0, pane.t0 + paint + EARLY_KEY_DELAY - time.perf_counter()))
            sent = pane.send(*step.keys, literal=step.literal)
            answer, samples = _wait_watching_threads(pane, step.expect, sent, after=1.0)
            ended = _loading_ended(samples, pane.pid)
        finally:
            _stop(pane)
    data = max(0.0, ended) if ended is not None else 0.0  # None: the data was in before the key
    return {"answer": answer, "data": data, "after_data": after_data(answer, data), "loading_at_key": ended is not None}


def after_data(answer: float, data: float) -> float:
    """How long after the data the key was answered. The key needs the data, so the data was in before the
    answer; a loading thread that stops only after the answer was not the load's alone (once the data is in,
    another thread imports the screens' code), and its end says nothing of the data: the answer's own time
    is then the bound."""
    return answer - data if data <= answer else answer


def measure_early_keys(tmux: Tmux, program: Program, data_key: Step, list_key: Step, conds: tuple[str, ...], n: int,
                       log=print) -> dict:
    """Keys typed EARLY_KEY_DELAY after the first paint, while the dataset loads: one that needs it is answered
    soon after it arrives, one of the Partners list at once."""
    out: dict = {c: {"data_key": [], "list_key": []} for c in conds}
    for i in range(n):
        for condition in _rotate(conds, i):
            for kind, step in _rotate([("data_key", data_key), ("list_key", list_key)], i):
                out[condition][kind].append(early_key_once(tmux, program, step, condition))
                time.sleep(0.05)
            d, k = out[condition]["data_key"][-1], out[condition]["list_key"][-1]
            log(f"  early keys round {i + 1} {condition}: data key answered {d['answer'] * 1000:.0f} ms after it "
                f"({d['after_data'] * 1000:.0f} ms after the data, in {d['data'] * 1000:.0f} ms); "
                f"list key {k['answer'] * 1000:.0f} ms (loading at the key: {k['loading_at_key']})")
    result = {}
    for c in conds:
        data, listed = out[c]["data_key"], out[c]["list_key"]
        result[c] = {
            "data_key": {"keys": list(data_key.keys), "answer": _summary([r["answer"] for r in data]),
                         "data": _summary([r["data"] for r in data]),
                         "after_data": _summary([r["after_data"] for r in data])},
            "list_key": {"keys": list(list_key.keys), "answer": _summary([r["answer"] for r in listed]),
                         "loading_at_key": sum(r["loading_at_key"] for r in listed)},
            "delay": EARLY_KEY_DELAY,
        }
    return result


# ---------------------------------------------------------------- keystrokes


def _do(pane: Pane, step: Step) -> float:
    screen = pane.screen()
    if step.expect.met(screen):
        raise TerminalError(f"{step.expect} is on screen before the keys {step.keys} were sent:\n{screen}")
    t = pane.send(*step.keys, literal=step.literal)
    return pane.wait_for(step.expect, t, TIMEOUT)


def key_once(tmux: Tmux, program: Program, scenario: Scenario, condition: str = NORMAL) -> float:
    with neighbour(condition):
        pane = program.launch(tmux, condition, size=scenario.size)
        try:
            pane.wait_for(program.ready, pane.t0, TIMEOUT)
            pane.settle()
            for step in scenario.setup:
                _do(pane, step)
                pane.settle()
            return _do(pane, scenario.action)
        finally:
            _stop(pane)


def measure_keys(tmux: Tmux, programs: dict[str, Program], scenarios: list[Scenario], conds: tuple[str, ...], n: int,
                 log=print) -> dict:
    """Key-to-screen seconds per scenario and condition; each run is a fresh, settled app; scenarios alternate."""
    samples = {c: {s.name: [] for s in scenarios} for c in conds}
    for i in range(n):
        for condition in _rotate(conds, i):
            for scenario in _rotate(scenarios, i):
                samples[condition][scenario.name].append(key_once(tmux, programs[scenario.program], scenario, condition))
            log(f"  keys round {i + 1} {condition}: "
                + ", ".join(f"{k} {v[-1] * 1000:.0f}ms" for k, v in samples[condition].items()))
    out: dict = {}
    for c in conds:
        out[c] = {
            s.name: {
                **_summary(samples[c][s.name]),
                "target": s.target,
                "program": s.program,
                "keys": list(s.action.keys),
                "expect": str(s.action.expect),
                "size": list(s.size or SIZE),
            }
            for s in scenarios
        }
    return out


# ---------------------------------------------------------------- memory


def measure_memory(tmux: Tmux, program: Program, tour: list[Step], log=print) -> dict:
    """Peak resident memory (VmHWM) of one run that visits every screen, read just before quitting."""
    pane = program.launch(tmux, NORMAL)
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
    pane = program.launch(tmux, NORMAL)
    try:
        pane.wait_for(program.ready, pane.t0, TIMEOUT)
        pane.settle()
        return pane.memory()
    finally:
        _stop(pane)


# ---------------------------------------------------------------- quick lookup and the reference commands


def run_command(argv: list[str], env: dict, condition: str) -> float:
    """Wall seconds of one run of a command in a condition."""
    with neighbour(condition):
        t0 = time.perf_counter()
        result = subprocess.run(argv_in(condition, argv), cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.perf_counter() - t0
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({result.returncode}): {result.stderr.strip()}")
    return elapsed


def measure_commands(ws: Workspace, names: list[str], conds: tuple[str, ...], rounds: int, log=print) -> dict:
    """Wall seconds of each command in each condition, alternating; one untimed run of each first.

    The commands: `tradegap show china`, and the reference `python -c "import pandas"` and `python -c pass`."""
    env = {**ws.base_env(), **ws.tradegap_env()}
    commands = {name: tradegap_command() + ["show", "china"] if name == "tradegap show china" else COMMANDS[name]
                for name in names}
    for argv in commands.values():
        run_command(argv, env, NORMAL)  # untimed: fills the dataset cache and the system's file cache
    samples = {c: {name: [] for name in commands} for c in conds}
    for i in range(rounds):
        for condition in _rotate(conds, i):
            for name in _rotate(list(commands), i):
                samples[condition][name].append(run_command(commands[name], env, condition))
    for c in conds:
        log(f"  commands {c}: " + ", ".join(f"{k} {statistics.median(v):.3f}s" for k, v in samples[c].items()))
    return {c: {name: {**_summary(v), "argv": commands[name]} for name, v in samples[c].items()} for c in conds}


# ---------------------------------------------------------------- vd and hello


def first_data_value(csv_path: Path) -> tuple[list[str], list[str]]:
    """The header and first data row of a CSV, as text."""
    with csv_path.open(encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
        first = handle.readline().strip().split(",")
    return header, first


def vd_program() -> Program | None:
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


HELLO_KEY = hello_key_scenario().name


# ---------------------------------------------------------------- the whole run


def run(parts: set[str], n: int, log=print) -> dict:
    conds = conditions()
    results: dict = {"n": n, "terminal": f"{SIZE[0]}x{SIZE[1]}", "notes": [], "conditions": list(conds)}
    why_not = slow_available()
    if why_not:
        results["notes"].append(why_not)
        log(f"  {why_not}")
    compile_checkout()
    ws = Workspace()
    try:
        log("reference commands" + (" and quick lookup" if "lookup" in parts else ""))
        names = (["tradegap show china"] if "lookup" in parts else []) + [REFERENCE_PANDAS, REFERENCE_PASS]
        commands = measure_commands(ws, names, conds, LOOKUP_PAIRS_PER_RUN * n, log)
        results["commands"] = commands
        needs_terminal = parts & {"paint", "keys", "memory"}
        if needs_terminal:
            terminal = _terminal_parts(ws, parts, conds, n, log)
            results["notes"] += terminal.pop("notes", [])
            results.update(terminal)
        if "scale" in parts:
            log("scale")
            results["scale"] = run_scale_part(n, conds, log)
            disabled = {size.get("numpy_disabled") for size in results["scale"]["sizes"]} - {None}
            if disabled:
                results["notes"].append(f"scale: numpy ran with NPY_DISABLE_CPU_FEATURES={' '.join(sorted(disabled))}, "
                                        "as tradegap sets it on AMD Zen 4 (tui/compat.py: its AVX2 sort is faster there)")
    finally:
        ws.close()
    results["reference"] = reference(results)
    return results


def reference(results: dict) -> dict:
    """Each condition's speed reference: the median of each reference figure measured in this run."""
    out: dict = {}
    for c in results.get("conditions", [NORMAL]):
        ref: dict = {}
        commands = results.get("commands", {}).get(c, {})
        for name in (REFERENCE_PASS, REFERENCE_PANDAS):
            if name in commands:
                ref[name] = commands[name]["median"]
        paint = results.get("paint", {}).get(c, {}).get("programs", {})
        if "hello" in paint:
            ref[REFERENCE_PAINT] = paint["hello"]["median"]
        keys = results.get("keys", {}).get(c, {})
        if HELLO_KEY in keys:
            ref[REFERENCE_KEY] = keys[HELLO_KEY]["median"]
        out[c] = ref
    return out


def _terminal_parts(ws: Workspace, parts: set[str], conds: tuple[str, ...], n: int, log) -> dict:
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
        vd = vd_program()
        hello = hello_program()
        hello_pandas = hello_program(with_pandas=True)
        if app is None:
            out.setdefault("notes", []).append("tui/app.py is missing: tradegap's app was not measured")
        if "paint" in parts:
            log("first paint")
            programs = ([tradegap, cold] if app else []) + ([vd] if vd else []) + [hello, hello_pandas]
            paint = measure_paint(tmux, programs, conds, n, log)
            out["paint"] = {}
            for c in conds:
                ratios = {}
                for a in ("tradegap", "tradegap cold"):
                    for b in ("vd", "hello", "hello+pandas"):
                        if a in paint[c] and b in paint[c]:
                            ratios[f"{a}/{b}"] = round_ratios(paint[c][a]["runs"], paint[c][b]["runs"])
                out["paint"][c] = {"programs": paint[c], "ratios": ratios}
            out["paint_markers"] = {p.name: str(p.ready) for p in programs}
            if app:
                log("keys typed while the dataset loads")
                first = measure_first_key(tmux, tradegap, app.first_key, conds, n, log)
                early = measure_early_keys(tmux, tradegap, app.data_key, app.list_key, conds, n, log)
                for c in conds:
                    out["paint"][c]["first_key"] = first[c]
                    out["paint"][c]["early_keys"] = early[c]
            if vd is None:
                out.setdefault("notes", []).append("VisiData (vd) is not installed: pip install '.[bench]'")
        if "keys" in parts:
            log("keystrokes")
            programs = {"tradegap": tradegap, "hello": hello}
            scenarios = [*(app.scenarios if app else []), hello_key_scenario()]
            out["keys"] = measure_keys(tmux, programs, scenarios, conds, n, log)
        if "memory" in parts:
            log("peak memory")
            memory = {}
            if app:
                memory["tradegap"] = measure_memory(tmux, tradegap, app.tour, log)
            if vd:
                loaded = Program("vd", vd.argv, Expect(f"{vd_rows_loaded(data_dir() / 'trade_monthly.csv')} rows"))
                memory["vd"] = measure_idle_memory(tmux, loaded)
            memory["hello"] = measure_idle_memory(tmux, hello)
            out["memory"] = memory
    return out


def run_scale_part(n: int, conds: tuple[str, ...], log) -> dict:
    from benchmarks.scale import DEFAULT_FACTORS, PROCESSES, run_scale
    from tui.trade import load_dataset

    with tempfile.TemporaryDirectory(prefix="tradegap-bench-cache-") as cache:
        ds = load_dataset(cache_dir=Path(cache))
    return run_scale(ds, DEFAULT_FACTORS, repeats=max(3, n), log=log, conditions=conds, processes=PROCESSES)
