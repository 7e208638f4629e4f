"""Targets, the results table, the machine's description and the results files."""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS_MD = HERE / "results.md"
RESULTS_JSON = HERE / "results.json"

# "No worse than linear": over the whole range the time ratio may not exceed the row ratio, and between the
# two largest sizes time may grow at most as rows^1.1 (the rankings sort their rows, n log n, and the
# machine is noisy).
MAX_EXPONENT = 1.1

PACKAGES = ("tradegap", "textual", "textual-plotext", "plotext", "pandas", "numpy", "rich", "visidata")

NORMAL, SLOW = "normal", "slow"
CONDITION_TEXT = {NORMAL: "the machine as it is",
                  SLOW: "pinned to core 0 (taskset -c 0) with a busy-loop process on that core for each run"}
KEY_TARGET = 0.050  # seconds, on a normal machine
KEY_TIMES_HELLO = 12  # the slow condition: a key within 12 hello-world keys
DETAIL_TARGET = 0.150
DETAIL_TIMES_HELLO = 30
FIRST_KEY_TARGET = 0.3  # seconds from the first paint to the answer of a key sent at that moment
AFTER_DATA_TARGET = 0.1  # seconds from the data's arrival to the answer of a key that waited for it

# what each kind of figure is divided by (the condition's own speed reference)
REF_PAINT, REF_KEY, REF_PASS, REF_PANDAS = "hello paint", "hello key", "python -c pass", "import pandas"
REF_LABEL = {REF_PAINT: "hello-world paint", REF_KEY: "hello-world key", REF_PASS: "`python -c pass`",
             REF_PANDAS: "`import pandas`"}


@dataclass
class Row:
    what: str
    cells: dict[str, str]  # condition -> the figure, as a time and a ratio
    ratio_to: str  # the reference the ratios are to
    target: str
    status: str  # PASS, MISS, info or "not measured"


def _ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f} ms"


def _s(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.3f} s"


def _check(oks: list[bool | None]) -> str:
    known = [ok for ok in oks if ok is not None]
    if not known:
        return "not measured"
    return "PASS" if all(known) else "MISS"


def _ratio(value: float | None, ref: float | None) -> float | None:
    return None if value is None or not ref else value / ref


def _cell(value: float | None, ref: float | None, fmt=_ms) -> str:
    r = _ratio(value, ref)
    if r is None:
        return fmt(value)
    return fmt(value) + (f" = {r:.1f}x" if r >= 0.95 else f" = {r:.2g}x")


def rows(results: dict) -> list[Row]:
    """One row per figure, a cell per condition: the speed reference, first paint, keystrokes, memory, lookup, scale."""
    out: list[Row] = []
    conds = results.get("conditions", [NORMAL])
    refs = results.get("reference", {})

    def ref(c: str, name: str) -> float | None:
        return refs.get(c, {}).get(name)

    # ---- the reference
    for name, fmt in ((REF_PAINT, _s), (REF_KEY, _ms), (REF_PASS, _s), (REF_PANDAS, _s)):
        cells = {c: fmt(ref(c, name)) for c in conds if ref(c, name) is not None}
        if cells:
            slow = _ratio(ref(SLOW, name), ref(NORMAL, name))
            note = f"slow/normal {slow:.1f}x" if slow else "-"
            out.append(Row(f"reference: {REF_LABEL[name]}", cells, "-", note, "reference"))

    # ---- first paint
    paint = results.get("paint", {})

    def med(c: str, name: str) -> float | None:
        return paint.get(c, {}).get("programs", {}).get(name, {}).get("median")

    def pratio(c: str, key: str) -> float | None:
        return paint.get(c, {}).get("ratios", {}).get(key, {}).get("median")

    if paint:
        for who, label in (("tradegap", "warm"), ("tradegap cold", "cold: first run, empty cache")):
            for other, limit, name in (("vd", 1.0, "VisiData"), ("hello", 2.0, "Textual hello-world")):
                cells, oks = {}, []
                for c in conds:
                    r = pratio(c, f"{who}/{other}")
                    if r is not None:
                        cells[c] = f"{r:.2f}x ({_s(med(c, who))} vs {_s(med(c, other))})"
                        oks.append(r <= limit if who == "tradegap" else None)
                if cells:
                    target = f"<= {limit:.1f}x" if who == "tradegap" else "-"
                    out.append(Row(f"first paint, {label}: tradegap / {name}", cells, name, target,
                                   _check(oks) if who == "tradegap" else "info"))
        cells = {c: f"{pratio(c, 'tradegap/hello+pandas'):.2f}x ({_s(med(c, 'hello+pandas'))} for hello+pandas)"
                 for c in conds if pratio(c, "tradegap/hello+pandas") is not None}
        if cells:
            out.append(Row("first paint: tradegap / a hello-world that imports pandas", cells, "hello+pandas", "-",
                           "info"))
        cells, oks = {}, []
        for c in conds:
            first = paint.get(c, {}).get("first_key")
            if first and first["after_paint"]["median"] is not None:
                v = first["after_paint"]["median"]
                cells[c] = _cell(v, ref(c, REF_KEY), _s) + f" (painted at {_s(first['painted']['median'])})"
                oks.append(v <= FIRST_KEY_TARGET)
                keys = " ".join(first["keys"])
        if cells:
            out.append(Row(f"a key ({keys}) pressed at first paint: answered after the paint", cells,
                           REF_LABEL[REF_KEY], f"<= {FIRST_KEY_TARGET} s", _check(oks)))
        cells, oks = {}, []
        for c in conds:
            early = paint.get(c, {}).get("early_keys")
            if early and early["data_key"]["after_data"]["median"] is not None:
                d = early["data_key"]
                v = d["after_data"]["median"]
                past = sum(a < b for a, b in zip(d["answer"]["runs"], d["data"]["runs"], strict=False))
                cells[c] = (f"{_ms(v)} after the data (key answered {_ms(d['answer']['median'])} after it; "
                            f"data in {_ms(d['data']['median'])} after it"
                            + (f"; in {past} of {len(d['answer']['runs'])} runs the thread taken for the loading one "
                               "stopped after the answer: the answer's time counted" if past else "") + ")")
                oks.append(v <= AFTER_DATA_TARGET)
                keys = " ".join(d["keys"])
                delay = early["delay"]
        if cells:
            out.append(Row(f"a key needing the full dataset ({keys}) pressed {delay} s after the first paint: "
                           "answered after the data arrived", cells, "-", f"<= {AFTER_DATA_TARGET * 1000:.0f} ms",
                           _check(oks)))
        cells, oks = {}, []
        for c in conds:
            early = paint.get(c, {}).get("early_keys")
            if early and early["list_key"]["answer"]["median"] is not None:
                k = early["list_key"]
                v = k["answer"]["median"]
                runs = len(k["answer"]["runs"])
                cells[c] = _cell(v, ref(c, REF_KEY)) + f" (data still loading in {k['loading_at_key']} of {runs} runs)"
                oks.append(_key_ok(c, v, ref(c, REF_KEY), KEY_TARGET, KEY_TIMES_HELLO))
                keys = " ".join(k["keys"])
                delay = early["delay"]
        if cells:
            out.append(Row(f"a Partners-list key ({keys}) pressed {delay} s after the first paint, while the dataset "
                           "loads", cells, REF_LABEL[REF_KEY], _key_target(KEY_TARGET, KEY_TIMES_HELLO), _check(oks)))
    else:
        out.append(Row("first paint", {}, "-", "<= 1.0x VisiData", "not measured"))

    # ---- keystrokes
    keys = results.get("keys", {})
    names = list(next(iter(keys.values()), {}))
    for name in names:
        k0 = next(keys[c][name] for c in conds if c in keys)
        if k0.get("program", "tradegap") != "tradegap":
            continue
        detail = k0["target"] > KEY_TARGET
        target, times = (DETAIL_TARGET, DETAIL_TIMES_HELLO) if detail else (KEY_TARGET, KEY_TIMES_HELLO)
        cells, oks = {}, []
        for c in conds:
            if c in keys:
                m = keys[c][name]["median"]
                cells[c] = _cell(m, ref(c, REF_KEY))
                oks.append(_key_ok(c, m, ref(c, REF_KEY), target, times))
        out.append(Row(f"key: {name}", cells, REF_LABEL[REF_KEY], _key_target(target, times), _check(oks)))
    if not keys:
        out.append(Row("keystrokes", {}, "-", _key_target(KEY_TARGET, KEY_TIMES_HELLO), "not measured"))

    # ---- memory
    memory = results.get("memory", {})
    peak = memory.get("tradegap", {}).get("peak_mb")
    others = ", ".join(f"{k} {v['peak_mb']:.0f} MB" for k, v in memory.items() if k != "tradegap" and v.get("peak_mb"))
    figure = "n/a" if peak is None else f"{peak:.0f} MB" + (f" ({others})" if others else "")
    out.append(Row("peak RSS, every screen visited", {NORMAL: figure}, "-", "<= 150 MB",
                   _check([None if peak is None else peak <= 150])))

    # ---- quick lookup
    commands = results.get("commands", {})
    cells, oks = {}, []
    for c in conds:
        cmd = commands.get(c, {})
        if "tradegap show china" in cmd:
            a = cmd["tradegap show china"]
            b = cmd[REF_PANDAS]
            r = round_ratio(a["runs"], b["runs"])
            cells[c] = f"{r:.2f}x ({_s(a['median'])} vs {_s(b['median'])}, {len(a['runs'])} pairs)"
            oks.append(r <= 1.3)
    out.append(Row("`tradegap show china` / `python -c 'import pandas'`", cells, REF_LABEL[REF_PANDAS], "<= 1.3x",
                   _check(oks)))

    # ---- scale
    scale = results.get("scale")
    if scale and scale["sizes"]:
        sizes = scale["sizes"]
        biggest = sizes[-1]
        scale_conds = [c for c in conds if c in scale.get("growth", {})]
        for name in scale["growth"][scale_conds[0]]:
            cells, oks = {}, []
            for c in scale_conds:
                g = scale["growth"][c][name]
                e = g["last_step_exponent"]
                a, b = g["last_step"]
                last = g["steps"][-1]
                cells[c] = (f"time x{last['time_ratio']:.0f} for rows x{last['row_ratio']:.0f} ({sizes[0]['factor']}x to "
                            f"{last['factor']}x); exponent {e:.2f} from {a}x to {b}x")
                oks.append(last["time_ratio"] <= last["row_ratio"] and not math.isnan(e) and e <= MAX_EXPONENT)
            out.append(Row(f"scale: {name}", cells, "-", f"time ratio <= row ratio, exponent <= {MAX_EXPONENT}",
                           _check(oks)))
        for name, t in biggest["times"][scale_conds[0]].items():
            cells, oks = {}, []
            for c in scale_conds:
                v = biggest["times"][c][name]["median"]
                cells[c] = _cell(v, ref(c, REF_PANDAS), _s)
                oks.append(v < 1.0 if biggest["factor"] >= 1000 else None)
            what = f"scale: {name} at {biggest['factor']}x ({biggest['rows'][t['table']]:,} {t['table']} rows)"
            out.append(Row(what, cells, REF_LABEL[REF_PANDAS], "< 1 s at 1000x", _check(oks)))
        for skipped in scale.get("skipped", []):
            out.append(Row(f"scale: {skipped['factor']}x", {}, "-", skipped["reason"], "not measured"))
    else:
        out.append(Row("scale", {}, "-", "linear; 1000x ranking < 1 s", "not measured"))
    return out


def round_ratio(a: list, b: list) -> float:
    ratios = sorted(x / y for x, y in zip(a, b, strict=False) if x is not None and y)
    n = len(ratios)
    if not n:
        return math.nan
    return ratios[n // 2] if n % 2 else (ratios[n // 2 - 1] + ratios[n // 2]) / 2


def _key_ok(condition: str, seconds: float | None, hello: float | None, target: float, times: int) -> bool | None:
    """A key's target: an absolute time on a normal machine, a multiple of the hello-world key when slow."""
    if seconds is None:
        return None
    if condition == SLOW:
        return None if not hello else seconds <= times * hello
    return seconds <= target


def _key_target(target: float, times: int) -> str:
    return f"<= {target * 1000:.0f} ms; slow: <= {times}x hello key"


def table(rs: list[Row], conds: list[str]) -> str:
    lines = ["| Measurement | " + " | ".join(conds) + " | ratio to | Target | |",
             "|---|" + "---|" * len(conds) + "---|---|---|"]
    lines += [f"| {r.what} | " + " | ".join(r.cells.get(c, "") for c in conds) + f" | {r.ratio_to} | {r.target} | "
              f"{r.status} |" for r in rs]
    return "\n".join(lines)


def plain_table(rs: list[Row], conds: list[str]) -> str:
    out = []
    for r in rs:
        out.append(f"{r.what}  [{r.status}]  target {r.target}" + (f"  (ratios to {r.ratio_to})" if r.ratio_to != "-" else ""))
        for c in conds:
            if c in r.cells:
                out.append(f"    {c:6s} {r.cells[c]}")
    return "\n".join(out)


# ---------------------------------------------------------------- machine


def machine() -> dict:
    info = {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": _memory_gib(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "packages": {},
    }
    for name in PACKAGES:
        try:
            info["packages"][name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            info["packages"][name] = "not installed"
    try:
        info["tmux"] = subprocess.run(["tmux", "-V"], capture_output=True, text=True).stdout.strip()
    except OSError:
        info["tmux"] = "not installed"
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return None


def load_average() -> str:
    """The 1, 5 and 15 minute load averages: how busy the machine was besides the benchmark."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def machine_line(m: dict) -> str:
    p = m["packages"]
    return (
        f"{m['cpu']}, {m['cores_usable']} cores, {m['memory_gib']} GiB RAM, {m['os']}; Python {m['python']}, "
        f"Textual {p['textual']}, pandas {p['pandas']}, numpy {p['numpy']}, VisiData {p['visidata']}, "
        f"{m.get('tmux', '')}"
    )


# ---------------------------------------------------------------- files


def write(results: dict, log_lines: list[str], command: str) -> list[Path]:
    """results.json (everything, raw runs included) and results.md (the table, the machine, the raw log)."""
    m = results["machine"]
    RESULTS_JSON.write_text(json.dumps({**results, "log": log_lines, "command": command}, indent=1, default=str) + "\n",
                            encoding="utf-8")
    rs = rows(results)
    conds = results.get("conditions", [NORMAL])
    md = [
        "# Benchmark results",
        "",
        f"Run on {results['date']} with `{command}` (n = {results['n']} alternating runs, medians; "
        f"terminal {results.get('terminal', '')}).",
        "",
        f"Machine: {machine_line(m)}.",
        "",
        f"Load average (1, 5, 15 min) at start {results.get('load_average', {}).get('start', 'n/a')}, "
        f"at end {results.get('load_average', {}).get('end', 'n/a')}: the benchmark itself keeps about one core busy.",
        "",
        "Conditions: " + "; ".join(f"**{c}**: {CONDITION_TEXT.get(c, c)}" for c in conds) + ". Each figure is a "
        "median, with its ratio to the condition's own reference (the median of that reference in this run).",
        "",
        table(rs, conds),
        "",
    ]
    if results.get("notes"):
        md += ["Notes:", ""] + [f"- {n}" for n in results["notes"]] + [""]
    md += ["## Raw output", "", "```", *log_lines, "```", "", "Every run's figures are in results.json.", ""]
    RESULTS_MD.write_text("\n".join(md), encoding="utf-8")
    return [RESULTS_JSON, RESULTS_MD]


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
