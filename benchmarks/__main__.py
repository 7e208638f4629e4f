"""python -m benchmarks [--quick | -n N] [--only PART ...] [--no-write]"""

from __future__ import annotations

import argparse
import sys

PARTS = ("paint", "keys", "memory", "lookup", "scale")  # the speed reference is always measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time tradegap against VisiData and a Textual hello-world, in tmux, and its queries at scale, "
                    "on the machine as it is and pinned to one core beside a busy neighbour.",
    )
    parser.add_argument("-n", type=int, default=7,
                        help="alternating runs per measurement and condition (default 7)")
    parser.add_argument("--quick", action="store_true", help="3 runs per measurement")
    parser.add_argument(
        "--only", nargs="+", choices=PARTS, metavar="PART", help=f"only these parts: {', '.join(PARTS)}"
    )
    parser.add_argument("--no-write", action="store_true", help="print the table; leave results.md/results.json alone")
    parser.add_argument(
        "--report", action="store_true", help="only rewrite results.md from results.json (no measuring)"
    )
    args = parser.parse_args(argv)
    if args.report:
        import json

        from benchmarks import report

        saved = json.loads(report.RESULTS_JSON.read_text(encoding="utf-8"))
        log_lines, command = saved.pop("log"), saved.pop("command")
        report.write(saved, log_lines, command)
        print(report.plain_table(report.rows(saved), saved.get("conditions", ["normal"])))
        return 0
    n = 3 if args.quick else args.n
    if n < 1:
        parser.error("-n must be at least 1")
    parts = set(args.only or PARTS)

    from benchmarks import report, suite
    from benchmarks.terminal import TerminalError

    log_lines: list[str] = []

    def log(line: str) -> None:
        log_lines.append(line)
        print(line, flush=True)

    m = report.machine()
    log(f"machine: {report.machine_line(m)}")
    load_start = report.load_average()
    log(f"load average at start: {load_start}")
    try:
        results = suite.run(parts, n, log)
    except TerminalError as error:
        print(f"benchmarks: {error}", file=sys.stderr)
        return 1
    load_end = report.load_average()
    log(f"load average at end: {load_end}")
    load = {"start": load_start, "end": load_end}
    results.update(machine=m, date=report.now(), parts=sorted(parts), load_average=load)
    rows = report.rows(results)
    log("")
    for line in report.plain_table(rows, results["conditions"]).splitlines():
        log(line)
    if not args.no_write:
        command = "python -m benchmarks" + (" --quick" if args.quick else f" -n {n}" if n != 7 else "")
        if args.only:
            command += " --only " + " ".join(args.only)
        for path in report.write(results, log_lines, command):
            print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
