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
# two largest sizes time may grow at most as rows^1.15 (the rankings sort their rows, n log n, and the
# machine is noisy).
MAX_EXPONENT = 1.15

PACKAGES = ("tradegap", "textual", "textual-plotext", "plotext", "pandas", "numpy", "rich", "visidata")


@dataclass
class Row:
    what: str
    figure: str
    target: str
    status: str  # PASS, MISS or "not measured"


def _ms(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:.1f} ms"


def _s(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.3f} s"


def _check(ok: bool | None) -> str:
    return "not measured" if ok is None else ("PASS" if ok else "MISS")


def rows(results: dict) -> list[Row]:
    """One row per target: first paint, keystrokes, memory, lookup, scale."""
    out: list[Row] = []
    paint = results.get("paint", {})
    programs, ratios = paint.get("programs", {}), paint.get("ratios", {})

    def med(name):
        return programs.get(name, {}).get("median")

    for ref, limit in (("vd", 1.0), ("hello", 2.0)):
        r = ratios.get(f"tradegap/{ref}", {}).get("median")
        label = "VisiData" if ref == "vd" else "Textual hello-world"
        figure = "n/a" if r is None else f"{r:.2f}x ({_s(med('tradegap'))} vs {_s(med(ref))})"
        out.append(Row(f"first paint, tradegap / {label} (warm cache)", figure, f"<= {limit:.1f}x",
                       _check(None if r is None else r <= limit)))
    r = ratios.get("tradegap/hello+pandas", {}).get("median")
    if r is not None:
        out.append(Row("first paint, tradegap / hello-world that imports pandas (for information)",
                       f"{r:.2f}x ({_s(med('hello+pandas'))} for hello+pandas)", "-", "info"))
    for ref in ("vd", "hello"):
        r = ratios.get(f"tradegap cold/{ref}", {}).get("median")
        if r is not None:
            label = "VisiData" if ref == "vd" else "hello-world"
            out.append(Row(f"first paint, cold cache / {label} (for information)",
                           f"{r:.2f}x ({_s(med('tradegap cold'))})", "-", "info"))
    first_key = paint.get("first_key")
    if first_key and first_key["answered"]["median"] is not None:
        keys = " ".join(first_key["keys"])
        out.append(Row(f"a key ({keys}) pressed at first paint: answered after launch (for information)",
                       f"{_s(first_key['answered']['median'])} (painted at {_s(first_key['painted']['median'])})",
                       "-", "info"))
    for name, k in results.get("keys", {}).items():
        target = k["target"]
        m = k["median"]
        if k.get("program", "tradegap") != "tradegap":
            out.append(Row(f"key: {name} (for information)", _ms(m), "-", "info"))
            continue
        ok = None if m is None else m <= target
        out.append(Row(f"key: {name}", _ms(m), f"<= {target * 1000:.0f} ms", _check(ok)))
    if "keys" not in results:
        out.append(Row("keystrokes", "n/a", "<= 50 ms; detail <= 150 ms", "not measured"))
    memory = results.get("memory", {})
    peak = memory.get("tradegap", {}).get("peak_mb")
    others = ", ".join(f"{k} {v['peak_mb']:.0f} MB" for k, v in memory.items() if k != "tradegap" and v.get("peak_mb"))
    figure = "n/a" if peak is None else f"{peak:.0f} MB" + (f" ({others})" if others else "")
    ok = None if peak is None else peak <= 150
    out.append(Row("peak RSS, every screen visited", figure, "<= 150 MB", _check(ok)))
    lookup = results.get("lookup")
    if lookup:
        a, b = (c["median"] for c in lookup["commands"].values())
        r = lookup["ratio"]["median"]
        pairs = len(lookup["ratio"]["runs"])
        out.append(Row("`tradegap show china` / `python -c 'import pandas'`",
                       f"{r:.2f}x ({_s(a)} vs {_s(b)}, {pairs} pairs)",
                       "<= 1.3x", _check(r <= 1.3)))
    else:
        out.append(Row("`tradegap show china` / bare pandas import", "n/a", "<= 1.3x", "not measured"))
    scale = results.get("scale")
    if scale and scale["sizes"]:
        sizes = scale["sizes"]
        biggest = sizes[-1]
        for name, g in scale["growth"].items():
            e = g["last_step_exponent"]
            a, b = g["last_step"]
            last = g["steps"][-1]
            figure = (f"time x{last['time_ratio']:.0f} for rows x{last['row_ratio']:.0f} ({sizes[0]['factor']}x to "
                      f"{last['factor']}x); exponent {e:.2f} from {a}x to {b}x")
            ok = last["time_ratio"] <= last["row_ratio"] and not math.isnan(e) and e <= MAX_EXPONENT
            target = f"time ratio <= row ratio, exponent <= {MAX_EXPONENT}"
            out.append(Row(f"scale: {name}", figure, target, _check(ok)))
        for name, t in biggest["times"].items():
            if name.startswith("rank_partners"):
                ok = t["median"] < 1.0 if biggest["factor"] >= 1000 else None
                what = f"scale: {name} at {biggest['factor']}x ({biggest['rows'][t['table']]:,} {t['table']} rows)"
                out.append(Row(what, _s(t["median"]), "< 1 s at 1000x", _check(ok)))
        for skipped in scale.get("skipped", []):
            out.append(Row(f"scale: {skipped['factor']}x", "skipped", skipped["reason"], "not measured"))
    else:
        out.append(Row("scale", "n/a", "linear; 1000x ranking < 1 s", "not measured"))
    return out


def table(rs: list[Row]) -> str:
    lines = ["| Measurement | Result | Target | |", "|---|---|---|---|"]
    lines += [f"| {r.what} | {r.figure} | {r.target} | {r.status} |" for r in rs]
    return "\n".join(lines)


def plain_table(rs: list[Row]) -> str:
    widths = [max(len(getattr(r, f)) for r in rs) for f in ("what", "figure", "target")]
    return "\n".join(
        f"{r.what.ljust(widths[0])}  {r.figure.ljust(widths[1])}  {r.target.ljust(widths[2])}  {r.status}" for r in rs
    )


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
        table(rs),
        "",
    ]
    if results.get("notes"):
        md += ["Notes:", ""] + [f"- {n}" for n in results["notes"]] + [""]
    md += ["## Raw output", "", "```", *log_lines, "```", "", "Every run's figures are in results.json.", ""]
    RESULTS_MD.write_text("\n".join(md), encoding="utf-8")
    return [RESULTS_JSON, RESULTS_MD]


def now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
