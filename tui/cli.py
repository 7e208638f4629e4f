"""The `tradegap` command: quick lookups that print and exit, or the app.

Subcommands never import Textual, so a lookup in a meeting costs little
more than importing pandas. A user mistake (unknown partner, bad year,
bad option) prints one line on stderr and exits with status 2; what the user
typed is echoed with its control characters escaped. Output that cannot be
written (a full disk, a closed stdout) is one line on stderr and status 1; a
reader that stops early (`tradegap top | head`) ends tradegap quietly with
status 141, as SIGPIPE ends other commands; a stdout that cannot encode the
table's few non-ASCII characters gets their ASCII forms.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import sys
import unicodedata
from dataclasses import dataclass, field

from tui import __version__
from tui.columns import (
    Column,
    cell,
    change_title,
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
EXIT_OUTPUT = 1  # the output could not be written
EXIT_PIPE = 128 + 13  # the reader went away (SIGPIPE's status): quietly


class UsageError(Exception):
    """A mistake in what the user typed: one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, not a usage dump
        raise UsageError(f"{message} (see '{self.prog} --help')")

    def _print_message(self, message: str, file=None) -> None:  # --help, --version
        # argparse ignores a failed write; here it is reported as any other output's is
        if message:
            stream = file or sys.stdout
            stream.write(_fit(message, stream))


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
        # every field of the records, as JSON has them (the code too, which the table does not show)
        keys = list(table.records[0]) if table.records else [c.key for c in table.columns]
        writer.writerow(keys)
        for record in table.records:
            writer.writerow(["" if _plain(record[key]) is None else _plain(record[key]) for key in keys])
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
    from tui.trade.releases import release_of, us_total_label

    world = world_totals(ds, period)
    return f"{us_total_label(ds, period)} {period.label}: {money(world['balance'], signed=True)} · {release_of(ds, period)}"


def _with_meta(records: list[dict], **fields) -> list[dict]:
    """Each record with fields that say where its figures come from (shown by --format json and csv)."""
    return [{**record, **fields} for record in records]


def _group_scope(ds, group: str, period) -> str:
    """A group as a ranking of its members names it: which members are shown ("ASEAN (members of Dec 2016)")."""
    return ds.catalog.groups[group].label(period)


def _changes_note(ds, group: str | None, period) -> list[str]:
    """A line naming the members that joined or left a group during the period, whose figures the group
    counts for their months of membership only."""
    if group is None:
        return []
    from tui.trade.catalog import month_label

    chosen = ds.catalog.groups[group]
    changes = [f"{ds.catalog.name_of(member)} {'from' if what == 'joined' else 'until'} {month_label(month)}"
               for member, what, month in chosen.changes_in(period)]
    if not changes:
        return []
    return [f"{chosen.name}'s members changed during {period.label} ({'; '.join(changes)}): its figures count "
            f"each member for its months of membership"]


def cmd_top(args) -> str:
    from tui.trade import find_group, rank_partners, shown_total, world_totals
    from tui.trade.formatting import money
    from tui.trade.releases import release_of, us_total_label

    _check_n(args.n)
    ds = _dataset()
    period = _period(ds, args.year)
    group = find_group(ds, args.group) if args.group is not None else None
    view = "surplus" if args.surplus else "all" if args.all else "deficit"
    ranking = rank_partners(ds, period, group=group, view=view)
    if args.n is not None:
        ranking = ranking.head(args.n)
    total = shown_total(ranking)  # of the rows shown, not of all the view holds
    scope = _group_scope(ds, group, period) if group else "all partners"
    what = {"deficit": "deficits", "surplus": "surpluses", "all": "balances"}[view]
    columns = partner_columns(change_title(period))
    records = _records(ranking, ["rank", "code", "iso", "name", "exports", "imports", "balance", "change", "share"])
    records = _with_meta(records, release=release_of(ds, period), **({"group": scope} if group else {}))
    title = f"US goods trade {what} · {period.label} · {scope}"
    total_label = us_total_label(ds, period)
    notes = [
        f"{len(ranking)} shown · their balance {money(total['balance'], signed=True)} · "
        f"{total_label} {money(world_totals(ds, period)['balance'], signed=True)} · shares are of the "
        f"{total_label.replace('US total', 'US total balance')}",
        *_changes_note(ds, group, period),
        release_of(ds, period),
    ]
    return render(Table(columns, records, title, notes), args.format)


def cmd_show(args) -> str:
    from tui.trade import find_partner, partner_summary
    from tui.trade.formatting import money, percent, standing
    from tui.trade.releases import chapters_note, release_of, releases_by_years, sector_release_of, us_total_label

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
            "new_partner": s.new_partner,
            "note": s.note,
            "us_total": us_total_label(ds, s.period),
            "release": release_of(ds, s.period),
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
            facts["chapters_release"] = sector_release_of(ds, s.sector_year)
            facts["chapters_note"] = chapters_note(ds, s.sector_year)
            facts["chapters"] = [
                {k: _plain(v) for k, v in r.items()}
                for r in s.chapters[["chapter", "name", "exports", "imports", "balance"]].to_dict("records")
            ]
        return json.dumps({k: _plain(v) for k, v in facts.items()}, indent=2)

    def signed_or_na(value):
        return "n/a" if value is None else money(value, signed=True)

    rank_text = f"#{s.rank} of {s.ranked} partners by balance" if s.rank else "unallocated: not a partner, not ranked"
    change = "new partner" if s.new_partner else signed_or_na(s.change)
    facts_table = Table(
        [Column("what", ""), Column("value", "", "text")],
        [
            {"what": "Exports", "value": money(s.exports)},
            {"what": "Imports", "value": money(s.imports)},
            {"what": "Balance", "value": f"{money(s.balance, signed=True)} ({standing(s.balance)}, {rank_text})"},
            {"what": f"Change vs {s.period.previous.label}", "value": change},
            {"what": f"Share of {us_total_label(ds, s.period)} balance", "value": percent(s.share)},
            {
                "what": "Peak deficit",
                "value": f"{s.peak_deficit_year}: {money(s.peak_deficit, signed=True)}" if s.peak_deficit_year else "none",
            },
            {"what": "Change over 5 / 10 years", "value": f"{signed_or_na(s.change_5y)} / {signed_or_na(s.change_10y)}"},
            {"what": "Groups", "value": ", ".join(s.groups) or "none"},
        ],
        title=" · ".join([s.name + (f" ({s.iso})" if s.iso else ""),
                          s.continent or ("unallocated trade" if s.kind == "unallocated" else "no continent"),
                          s.period.label]),
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
                notes=[f"HS chapters {s.sector_year}: {sector_release_of(ds, s.sector_year)}"
                       + (f" · {note}" if (note := chapters_note(ds, s.sector_year)) else "")],
            )
        )
    history_table.notes = ["Figures: " + " · ".join(
        f"{years}: {label}" for years, label in releases_by_years(ds, _periods_of(ds, last10)))]
    facts_table.notes = [*([f"Note: {s.note}"] if s.note else []),
                         f"Figures of {s.period.label}: {release_of(ds, s.period)}"]
    if fmt == "table":
        # the facts read better without a header row of empty titles; a note follows them, unindented
        first = render(Table(facts_table.columns, facts_table.records, facts_table.title), "table").splitlines()
        text = [first[0]] + ["  " + line for line in first[2:]] + facts_table.notes
        rest = ["\n" + render(t, "table") for t in parts[1:]]
        return "\n".join(text) + "\n" + "\n".join(rest)
    return "\n\n".join(render(t, "markdown") for t in parts)


def _periods_of(ds, history) -> list:
    """The periods of a partner's history rows (the latest year: its year to date)."""
    from tui.trade import Period

    return [Period(int(year), int(months)) for year, months in zip(history["year"], history["months"], strict=True)]


def cmd_groups(args) -> str:
    from tui.trade import rank_groups
    from tui.trade.releases import release_of

    ds = _dataset()
    period = _period(ds, args.year)
    ranking = rank_groups(ds, period)
    columns = group_columns(change_title(period))
    records = _records(
        ranking,
        ["rank", "code", "name", "kind", "members", "exports", "imports", "balance", "change", "share", "membership"],
    )
    records = _with_meta(records, release=release_of(ds, period))
    notes = [
        "Groups overlap: shares do not add up.",
        f"Blocs count each member for its months of membership; Members: at the end of {period.label}; "
        "'(today's members)': today's members in every period.",
        _source_note(ds, period),
    ]
    return render(Table(columns, records, f"Regions and blocs · {period.label}", notes), args.format)


def _check_n(n: int | None) -> None:
    if n is not None and n < 1:
        raise UsageError(f"N must be at least 1, not {n}")


def cmd_sectors(args) -> str:
    from tui.trade import WORLD, Period, find_group, find_partner, rank_chapters, sector_year
    from tui.trade.queries import NoTradeError, PeriodError
    from tui.trade.releases import chapters_note, release_of, sector_release_of

    _check_n(args.n)
    if args.partner is not None and args.group is not None:
        raise UsageError("use --partner or --group, not both")
    ds = _dataset()
    if args.year is None:
        year = ds.sector_years[-1]
    else:
        period = _period(ds, args.year)
        year = period.year
        if year not in ds.sector_years:
            nearest = sector_year(ds, year)
            raise PeriodError(
                f"no sector data for {year}: sectors cover {', '.join(map(str, ds.sector_years))} (try --year {nearest})"
            )
        if not period.is_full_year:  # the chapters are annual: a year to date of them does not exist
            raise PeriodError(f"HS chapters are annual, not for {period.label}: sectors cover "
                              f"{', '.join(map(str, ds.sector_years))} (try --year {year})")
    if args.partner is not None:  # an empty name is a name nothing matches, not no name
        code = find_partner(ds, args.partner)
        scope = ds.partners.at[code, "name"]
    elif args.group is not None:
        code = find_group(ds, args.group)
        scope = _group_scope(ds, code, Period(year))  # chapters are annual: the members of the year's end
    else:
        code, scope = WORLD, "all partners"
    ranking = rank_chapters(ds, year, code)
    if ranking.empty:  # a valid request the data has no figures for, as `show` says of a partner
        raise NoTradeError(f"No chapter data for {scope} in {year} (sectors cover {_years(ds.sector_years)})")
    if args.n is not None:
        ranking = ranking.head(args.n)
    columns = chapter_columns()
    records = _records(ranking, ["rank", "chapter", "name", "exports", "imports", "balance", "share"])
    release = sector_release_of(ds, year)
    records = _with_meta(records, release=release)
    note = chapters_note(ds, year)
    notes = [f"HS chapters {year}: {release}. Share of the summed chapter balance.",
             *([f"Totals {year}: {release_of(ds, year)}: {note}."] if note and code != WORLD else [])]
    return render(Table(columns, records, f"HS chapters by balance · {year} · {scope}", notes), args.format)


def _years(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else ", ".join(map(str, years))


def cmd_paths(args) -> str:
    from tui import locations

    data, kind = locations.data_in_use()
    rows = [
        {"what": "config", "path": str(locations.settings_path())},
        {"what": "cache", "path": str(locations.cache_dir())},
        {"what": f"data in use ({kind})", "path": str(data)},
        {"what": "updated data", "path": str(locations.datasets_dir())},
        {"what": "shipped data", "path": str(locations.shipped_data_dir())},
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

    from tui.update_cli import add_update_commands

    add_update_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from tui.guard import plug_closed_std_fds

    closed = plug_closed_std_fds()  # before any file is opened: see tui/guard.py
    defer_collection()  # until the app's first screen is drawn: see tui/startup.py
    try:
        return _main(argv, stdout_closed=1 in closed)
    finally:
        resume_collection(freeze=False)


# ---------------------------------------------------------------- messages and output

#: ASCII forms of the few non-ASCII characters in tables and messages, for a stdout or stderr that
#: cannot encode them (PYTHONIOENCODING=ascii, LC_ALL=C with PYTHONUTF8=0); as the app's ASCII mode.
ASCII_FORMS = {"·": "|", "—": "-", "–": "-", "−": "-", "…": "...", "▲": "^", "▼": "v", "→": "->", "←": "<-",
               "×": "x", "’": "'", "‘": "'", "“": '"', "”": '"', "≥": ">=", "≤": "<=", "\u00a0": " "}


def _fit(text: str, stream) -> str:
    """text as stream can encode it: unchanged when it can; else ASCII forms, accents dropped, '?' last."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
        return text
    except UnicodeEncodeError:
        pass
    except LookupError:
        encoding = "ascii"
    out = []
    for ch in text:
        for form in (ch, ASCII_FORMS.get(ch, ""),
                     "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))):
            try:
                if form:
                    form.encode(encoding)
                    out.append(form)
                    break
            except UnicodeEncodeError:
                continue
        else:
            out.append("?")
    return "".join(out)


#: Messages longer than this (a 5,000-digit --year echoed) are cut.
MAX_MESSAGE = 500


def _escaped(text: object) -> str:
    """Control and format characters (escape sequences, newlines, bidi overrides) as Python escapes,
    so a message that echoes what the user typed stays one line and cannot drive the terminal."""
    text = str(text)
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 3] + "..."
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for ch in text)


def _say(message: object) -> None:
    """One line on stderr; nothing, and no traceback, when stderr is closed or broken."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(_fit(f"tradegap: {_escaped(message)}\n", stream))
        stream.flush()
    except (OSError, ValueError):
        from tui.guard import discard

        discard(stream)


def _emit(text: str) -> int:
    """Write a command's output to stdout; the exit status."""
    stream = sys.stdout
    try:
        stream.write(_fit(text + "\n", stream))
        stream.flush()
    except (OSError, ValueError) as error:
        return _output_failed(stream, error)
    return 0


def _flush_stdout() -> int:
    try:
        sys.stdout.flush()
    except (OSError, ValueError) as error:
        return _output_failed(sys.stdout, error)
    return 0


def _output_failed(stream, error: Exception) -> int:
    """Say why the output could not be written (unless the reader just went away); the exit status."""
    from tui.guard import discard

    discard(stream)
    if isinstance(error, BrokenPipeError):  # `tradegap top | head`: the reader has what it wanted
        return EXIT_PIPE
    _say(f"cannot write the output: {getattr(error, 'strerror', None) or error}")
    return EXIT_OUTPUT


def _sentence_tail(message: object) -> str:
    """A message written as a sentence ("No recorded trade with ...") as it reads after 'tradegap: '."""
    text = str(message)
    return text[:1].lower() + text[1:] if text[1:2].islower() else text


APP_FLAGS = (("--theme", "theme"), ("--no-mouse", "no_mouse"), ("--reset", "reset"))


def _main(argv: list[str] | None, stdout_closed: bool = False) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except UsageError as error:
        _say(error)
        return EXIT_USAGE
    except OSError as error:  # --help or --version could not be written
        return _output_failed(sys.stdout, error)
    except SystemExit:  # after --help or --version, whose output may fail when flushed
        if stdout_closed:
            _say("standard output is closed: nowhere to write the output")
            return EXIT_OUTPUT
        status = _flush_stdout()
        if status:
            return status
        raise
    from tui.locations import check_overrides

    problem = check_overrides()
    if problem:
        _say(problem)
        return EXIT_USAGE
    if args.command is None:
        try:
            return run_app(args)  # before anything imports pandas: the app's first screen does without
        except KeyboardInterrupt:  # Ctrl-C before the app has the terminal (it is a key after)
            return 130
    given = [flag for flag, name in APP_FLAGS if getattr(args, name) not in (None, False)]
    if given:
        _say(f"{given[0]} is an option of the app, not of '{args.command}' (see 'tradegap --help')")
        return EXIT_USAGE
    if stdout_closed:
        _say("standard output is closed: nowhere to write the output")
        return EXIT_OUTPUT

    from tui.trade.lookup import LookupError_
    from tui.trade.queries import NoTradeError, PeriodError
    from tui.trade.schema import DataError

    try:
        output = args.func(args)
    except UsageError as error:
        _say(error)
        return EXIT_USAGE
    except (LookupError_, PeriodError, NoTradeError) as error:
        _say(_sentence_tail(error))
        return EXIT_USAGE
    except DataError as error:
        _say(error)
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    try:
        return _emit(output)
    except KeyboardInterrupt:  # Ctrl-C while a long table is being written to a slow reader
        return 130


def run_app(args) -> int:
    from tui.guard import forget_stale_size
    from tui.launch import run

    forget_stale_size()  # before the app (and its console) is made

    return run(theme=args.theme, mouse=not args.no_mouse, reset=args.reset)
