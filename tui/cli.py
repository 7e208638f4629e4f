"""The `tradegap` command: quick lookups that print and exit, or the app.

Subcommands never import Textual, so a lookup in a meeting costs little
more than importing pandas. A user mistake (unknown partner, bad year,
bad option) prints one line on stderr and exits with status 2.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
from dataclasses import dataclass, field

from tui import __version__
from tui.columns import (
    Column,
    cell,
    chapter_columns,
    detail_chapter_columns,
    group_columns,
    history_columns,
    partner_columns,
)
from tui.startup import defer_collection, resume_collection

FORMATS = ("table", "csv", "json", "markdown")
EXIT_USAGE = 2
EXIT_DATA = 1


class UsageError(Exception):
    """A mistake in what the user typed: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not a usage dump
        raise UsageError(f"{message} (see '{self.prog} --help')")


# ---------------------------------------------------------------- output


@dataclass
class Table:
    columns: list[Column]
    records: list[dict]
    title: str = ""
    notes: list[str] = field(default_factory=list)


def _plain(value):
    """JSON/CSV values: floats rounded to the data's precision, NaN as null."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    return value


def render(table: Table, fmt: str) -> str:
    if fmt == "json":
        return json.dumps([{k: _plain(v) for k, v in r.items()} for r in table.records], indent=2)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([c.key for c in table.columns])
        for record in table.records:
            writer.writerow(["" if _plain(record[c.key]) is None else _plain(record[c.key]) for c in table.columns])
        return out.getvalue().rstrip("\n")
    cells = [[cell(r[c.key], c.kind) for c in table.columns] for r in table.records]
    if fmt == "markdown":
        lines = [f"**{table.title}**", ""] if table.title else []
        lines.append("| " + " | ".join(c.title for c in table.columns) + " |")
        lines.append("|" + "|".join("---:" if c.right else ":---" for c in table.columns) + "|")
        lines += ["| " + " | ".join(row) + " |" for row in cells]
        lines += [""] + [f"_{n}_" for n in table.notes] if table.notes else []
        return "\n".join(lines)
    widths = [max([len(c.title)] + [len(row[i]) for row in cells]) for i, c in enumerate(table.columns)]

    def line(values):
        aligned = (v.rjust(w) if c.right else v.ljust(w) for v, w, c in zip(values, widths, table.columns, strict=True))
        return "  ".join(aligned).rstrip()

    lines = [table.title] if table.title else []
    lines.append(line([c.title for c in table.columns]))
    lines += [line(row) for row in cells]
    lines += table.notes
    return "\n".join(lines)


def _records(frame, keys: list[str]) -> list[dict]:
    return frame[keys].to_dict("records")


# ---------------------------------------------------------------- commands


def _dataset():
    from tui.trade import load_dataset

    return load_dataset()


def _period(ds, year):
    from tui.trade import parse_period

    return parse_period(ds, year)


def _source_note(ds, period) -> str:
    from tui.trade import money, world_totals

    world = world_totals(ds, period)
    return f"US total {period.label}: {money(world['balance'], signed=True)} · {ds.release_label}"


def cmd_top(args) -> str:
    from tui.trade import find_group, rank_partners, shown_total
    from tui.trade.formatting import money

    ds = _dataset()
    period = _period(ds, args.year)
    if args.n is not None and args.n < 1:
        raise UsageError(f"N must be at least 1, not {args.n}")
    group = find_group(ds, args.group) if args.group else None
    view = "surplus" if args.surplus else "all" if args.all else "deficit"
    ranking = rank_partners(ds, period, group=group, view=view)
    total = shown_total(ranking)
    if args.n is not None:
        ranking = ranking.head(args.n)
    scope = ds.groups.at[group, "name"] if group else "all partners"
    what = {"deficit": "deficits", "surplus": "surpluses", "all": "balances"}[view]
    columns = partner_columns(f"vs {period.previous.label}")
    records = _records(ranking, ["rank", "code", "iso", "name", "exports", "imports", "balance", "change", "share"])
    title = f"US goods trade {what} · {period.label} · {scope}"
    notes = [
        f"{len(ranking)} shown · their balance {money(total['balance'], signed=True)} · share of the US total balance",
        _source_note(ds, period),
    ]
    return render(Table(columns, records, title, notes), args.format)


def cmd_show(args) -> str:
    from tui.trade import find_partner, partner_summary
    from tui.trade.formatting import money, percent

    ds = _dataset()
    period = _period(ds, args.year)
    code = find_partner(ds, args.partner)
    s = partner_summary(ds, code, period)
    last10 = s.history.tail(10)
    fmt = args.format
    if fmt in ("json", "csv"):
        facts = {
            "code": s.code,
            "name": s.name,
            "census_name": s.census_name,
            "iso": s.iso,
            "continent": s.continent,
            "period": s.period.label,
            "exports": s.exports,
            "imports": s.imports,
            "balance": s.balance,
            "change": s.change,
            "share": s.share,
            "rank": s.rank,
            "ranked": s.ranked,
            "peak_deficit_year": s.peak_deficit_year,
            "peak_deficit": s.peak_deficit,
            "change_5y": s.change_5y,
            "change_10y": s.change_10y,
        }
        if fmt == "csv":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(list(facts))
            writer.writerow(["" if _plain(v) is None else _plain(v) for v in facts.values()])
            return out.getvalue().rstrip("\n")
        facts["history"] = [{k: _plain(v) for k, v in r.items()} for r in last10.to_dict("records")]
        facts["groups"] = s.groups
        if s.chapters is not None:
            facts["chapters_year"] = s.sector_year
            facts["chapters"] = [
                {k: _plain(v) for k, v in r.items()}
                for r in s.chapters[["chapter", "name", "exports", "imports", "balance"]].to_dict("records")
            ]
        return json.dumps({k: _plain(v) for k, v in facts.items()}, indent=2)

    def signed_or_na(value):
        return "n/a" if value is None else money(value, signed=True)

    standing = "deficit" if s.balance < 0 else "surplus"
    rank_text = f"#{s.rank} of {s.ranked} partners by balance"
    facts_table = Table(
        [Column("what", ""), Column("value", "", "text")],
        [
            {"what": "Exports", "value": money(s.exports)},
            {"what": "Imports", "value": money(s.imports)},
            {"what": "Balance", "value": f"{money(s.balance, signed=True)} ({standing}, {rank_text})"},
            {"what": f"Change vs {s.period.previous.label}", "value": signed_or_na(s.change)},
            {"what": "Share of US total balance", "value": percent(s.share)},
            {
                "what": "Peak deficit",
                "value": f"{s.peak_deficit_year}: {money(s.peak_deficit, signed=True)}" if s.peak_deficit_year else "none",
            },
            {"what": "Change over 5 / 10 years", "value": f"{signed_or_na(s.change_5y)} / {signed_or_na(s.change_10y)}"},
            {"what": "Groups", "value": ", ".join(s.groups) or "none"},
        ],
        title=f"{s.name} ({s.iso}) · {s.continent or 'no continent'} · {s.period.label}",
    )
    history_rows = [
        {**r, "year": f"{r['year']}" if r["months"] == 12 else f"{r['year']} YTD"} for r in last10.to_dict("records")
    ]
    history_table = Table(
        history_columns(),
        history_rows,
        title="Last 10 years",
    )
    parts = [facts_table, history_table]
    if s.chapters is not None:
        parts.append(
            Table(
                detail_chapter_columns(),
                s.chapters.to_dict("records"),
                title=f"Top chapters by balance, {s.sector_year}",
            )
        )
    if fmt == "table":
        # the facts read better without a header row of empty titles
        first = render(facts_table, "table").splitlines()
        text = [first[0]] + ["  " + line for line in first[2:]]
        rest = ["\n" + render(t, "table") for t in parts[1:]]
        return "\n".join(text) + "\n" + "\n".join(rest) + "\n\n" + ds.release_label
    return "\n\n".join(render(t, "markdown") for t in parts)


def cmd_groups(args) -> str:
    from tui.trade import rank_groups

    ds = _dataset()
    period = _period(ds, args.year)
    ranking = rank_groups(ds, period)
    columns = group_columns(f"vs {period.previous.label}")
    records = _records(
        ranking, ["rank", "code", "name", "kind", "members", "exports", "imports", "balance", "change", "share"]
    )
    notes = ["Groups overlap: shares do not add up.", _source_note(ds, period)]
    return render(Table(columns, records, f"Regions and blocs · {period.label}", notes), args.format)


def cmd_sectors(args) -> str:
    from tui.trade import WORLD, find_group, find_partner, rank_chapters, sector_year
    from tui.trade.queries import PeriodError

    ds = _dataset()
    if args.partner and args.group:
        raise UsageError("use --partner or --group, not both")
    if args.year is None:
        year = ds.sector_years[-1]
    else:
        year = _period(ds, args.year).year
        if year not in ds.sector_years:
            nearest = sector_year(ds, year)
            raise PeriodError(
                f"no sector data for {year}: sectors cover {', '.join(map(str, ds.sector_years))} (try --year {nearest})"
            )
    if args.partner:
        code = find_partner(ds, args.partner)
        scope = ds.partners.at[code, "name"]
    elif args.group:
        code = find_group(ds, args.group)
        scope = ds.groups.at[code, "name"]
    else:
        code, scope = WORLD, "all partners"
    ranking = rank_chapters(ds, year, code)
    if args.n is not None:
        ranking = ranking.head(args.n)
    columns = chapter_columns()
    records = _records(ranking, ["rank", "chapter", "name", "exports", "imports", "balance", "share"])
    notes = ["Imports: Census by HS chapter; exports: USITC DataWeb. Share of the summed chapter balance."]
    return render(Table(columns, records, f"HS chapters by balance · {year} · {scope}", notes), args.format)


def cmd_paths(args) -> str:
    from tui import locations

    rows = [
        {"what": "config", "path": str(locations.settings_path())},
        {"what": "cache", "path": str(locations.cache_dir())},
        {"what": "data", "path": str(locations.data_dir())},
    ]
    return render(Table([Column("what", "What"), Column("path", "Path")], rows), args.format)


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="tradegap",
        description="The United States' goods trade balance with every partner (Census data, 1985 to the latest month).",
        epilog="With no command, tradegap opens the interactive app.",
    )
    parser.add_argument("--version", action="version", version=f"tradegap {__version__}")
    parser.add_argument("--theme", help="app theme (e.g. textual-dark, ansi-dark for 16-colour terminals)")
    parser.add_argument("--no-mouse", action="store_true", help="leave the mouse to the terminal (text selection)")
    parser.add_argument("--reset", action="store_true", help="forget saved filters and start with defaults")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name, func, help_text):
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(func=func)
        sub.add_argument("--format", choices=FORMATS, default="table", help="output format (default: table)")
        return sub

    top = add("top", cmd_top, "rank partners by balance (largest deficits first)")
    top.add_argument("n", nargs="?", type=int, metavar="N", help="show the first N")
    top.add_argument("--year", "-y", help="a year, or 'latest' (the latest year to date); default latest")
    top.add_argument("--group", "-g", help="only members of a region or bloc (e.g. asean, 'european union')")
    which = top.add_mutually_exclusive_group()
    which.add_argument("--surplus", action="store_true", help="partners with a US surplus, largest first")
    which.add_argument("--all", action="store_true", help="every partner, deficits first")

    show = add("show", cmd_show, "one partner: figures, rank, history, top chapters")
    show.add_argument("partner", help="name, alias, ISO2/ISO3 or Census code (e.g. vietnam, KOR, 5800)")
    show.add_argument("--year", "-y", help="a year, or 'latest'; default latest")

    groups = add("groups", cmd_groups, "rank regions and blocs by balance")
    groups.add_argument("--year", "-y", help="a year, or 'latest'; default latest")

    sectors = add("sectors", cmd_sectors, "rank HS chapters by balance")
    sectors.add_argument("n", nargs="?", type=int, metavar="N", help="show the first N")
    sectors.add_argument("--year", "-y", help="a year with sector data; default the latest one")
    sectors.add_argument("--partner", "-p", help="chapters of one partner")
    sectors.add_argument("--group", "-g", help="chapters of a region or bloc")

    add("paths", cmd_paths, "where the config, cache and data files are")
    return parser


def main(argv: list[str] | None = None) -> int:
    defer_collection()  # until the app's first screen is drawn: see tui/startup.py
    try:
        return _main(argv)
    finally:
        resume_collection(freeze=False)


def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        print(f"tradegap: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command is None:
        try:
            return run_app(args)  # before anything imports pandas: the app's first screen does without
        except KeyboardInterrupt:  # Ctrl-C before the app has the terminal (it is a key after)
            return 130

    from tui.trade.lookup import LookupError_
    from tui.trade.queries import NoTradeError, PeriodError
    from tui.trade.schema import DataError

    try:
        output = args.func(args)
    except UsageError as error:
        print(f"tradegap: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (LookupError_, PeriodError, NoTradeError) as error:
        print(f"tradegap: {error}", file=sys.stderr)
        return EXIT_USAGE
    except DataError as error:
        print(f"tradegap: {error}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    try:
        print(output)
        sys.stdout.flush()
    except BrokenPipeError:  # `tradegap top | head`
        sys.stdout = None
    return 0


def run_app(args) -> int:
    from tui.app import run

    return run(theme=args.theme, mouse=not args.no_mouse, reset=args.reset)
