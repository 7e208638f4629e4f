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

import json
import os
import sys
import unicodedata
from types import SimpleNamespace
from typing import TYPE_CHECKING, NoReturn

from tui import __version__
from tui.columns import Column
from tui.startup import defer_collection, resume_collection
from tui.trade.periods import PERIOD_FORMS
from tui.vocabulary import EXPORT_FORMATS, View

if TYPE_CHECKING:  # tui.export is loaded by the commands that print: the app's start does without it
    import argparse

    from tui.export import Document

EXIT_USAGE = 2
EXIT_DATA = 1
EXIT_OUTPUT = 1  # the output could not be written
EXIT_PIPE = 128 + 13  # the reader went away (SIGPIPE's status): quietly


class UsageError(Exception):
    """A mistake in what the user typed: one line, exit status 2."""


# ---------------------------------------------------------------- commands


def _dataset():
    from tui.trade import load_dataset

    return load_dataset()


def _period(ds, year):
    from tui.trade import parse_period

    return parse_period(ds, year)


def _world(ds, period) -> float:
    from tui.trade import world_totals

    return float(world_totals(ds, period)["balance"])


def _release(ds, period, kind: str = "trade") -> str:
    from tui.trade.releases import release_of, sector_release_of

    return sector_release_of(ds, period) if kind == "sectors" else release_of(ds, period)


def _group_scope(ds, group: str, period) -> str:
    """A group as a ranking of its members names it: which members are shown ("ASEAN (members of Dec 2016)")."""
    return ds.catalog.groups[group].label(period)


def _total_label(ds, period) -> str:
    """'US total', or 'US total (partners covered)' before the source itemizes every partner."""
    from tui.trade.releases import us_total_label

    return us_total_label(ds, period)


def _say_note(note: str | None) -> None:
    if note:
        _say(note)


def cmd_top(args) -> Document:
    from tui.trade import find_group, rank_partners
    from tui.views import partners_document

    _check_n(args.n)
    ds = _dataset()
    period = _period(ds, args.year)
    group = find_group(ds, args.group) if args.group is not None else None
    if group is not None and not ds.catalog.groups[group].members_during(period):  # a bloc before it began
        from tui.trade.catalog import month_label, period_months
        from tui.trade.queries import NoTradeError

        chosen = ds.catalog.groups[group]
        began = f": it began in {month_label(chosen.since)}" if chosen.since > period_months(period)[1] else ""
        raise NoTradeError(f"No members of {chosen.name} in {period.label}{began}")
    view: View = "surplus" if args.surplus else "all" if args.all else "deficit"
    ranking = rank_partners(ds, period, group=group, view=view)
    if args.n is not None:
        ranking = ranking.head(args.n)
    from tui.views import WHOLE_PERIOD_ROWS, membership_changes

    scope = _group_scope(ds, group, period) if group else "all partners"
    what = {"deficit": "deficits", "surplus": "surpluses", "all": "balances"}[view]
    return partners_document(ranking.to_dict("records"), period=period, scope=scope, what=what,
                             world=_world(ds, period), release=_release(ds, period),
                             total_label=_total_label(ds, period),
                             changes=membership_changes(ds.catalog, group, period, rows=WHOLE_PERIOD_ROWS))


def cmd_show(args) -> Document:
    from tui.trade import partner_summary
    from tui.trade.places import comparison, find_group, find_place, history_table, place
    from tui.views import partner_detail

    if args.group and args.partner:
        raise UsageError("give a partner, or --group GROUP, not both")
    if not args.group and not args.partner:
        raise UsageError("the following arguments are required: partner (or --group GROUP)")
    ds = _dataset()
    period = _period(ds, args.year)
    where = place(ds, find_group(ds, args.group)) if args.group else find_place(ds, args.partner, group_option=True)
    if where.is_group:
        return _show_group(ds, where.code, period)
    _say_note(where.note)
    summary = partner_summary(ds, where.code, period)
    return partner_detail(ds, summary, comparison(ds, where.code, period), history_table(ds, where.code, period))


def _show_group(ds, code: str, period) -> Document:
    from tui.trade.places import group_summary, history_table
    from tui.views import group_detail

    return group_detail(ds, group_summary(ds, code, period), history_table(ds, code, period))


def cmd_months(args) -> Document:
    from tui.trade.places import find_place, monthly_table
    from tui.views import months_document

    ds = _dataset()
    period = _period(ds, args.year)
    where = find_place(ds, args.partner)
    _say_note(where.note)
    rows = monthly_table(ds, where.code, period)
    if not rows:
        from tui.trade.queries import NoTradeError

        raise NoTradeError(f"No recorded trade with {where.name} in {period.label}")
    return months_document(where.name, period, rows, _release(ds, period))


def cmd_compare(args) -> Document:
    from tui.trade.compare import TooManyPlaces, balance_histories, chapter_matrix, check_codes, compare_figures
    from tui.trade.places import find_place
    from tui.trade.queries import sector_year
    from tui.views import chapters_releases, chapters_span, compare_document, history_releases, with_releases

    ds = _dataset()
    period = _period(ds, args.year)
    places = [find_place(ds, name) for name in args.places]
    try:
        codes = check_codes([where.code for where in places])
    except TooManyPlaces as error:  # too many, or one place however often named ('china', 'china China 5700')
        alone = f" (only {places[0].name})" if len({where.code for where in places}) == 1 else ""
        raise UsageError(f"{error}{alone}") from None
    for where in places:
        _say_note(where.note)
    matrix = None
    chapters_release = chapters_note = ""
    if args.chapters:
        if not ds.sector_years:
            raise UsageError("this dataset has no HS chapter data")
        year = sector_year(ds, period.year)
        matrix = chapter_matrix(ds, codes, year)
        chapters_release, chapters_note = chapters_releases(ds, year)
    histories = with_releases(ds, balance_histories(ds, codes, period.year))
    return compare_document(compare_figures(ds, codes, period), histories, matrix,
                            history_note=history_releases(ds, histories[-10:]),
                            period=period, world=_world(ds, period), release=_release(ds, period),
                            total_label=_total_label(ds, period),
                            chapters_release=chapters_release, chapters_note=chapters_note,
                            chapters_period=chapters_span(ds, matrix.year if matrix is not None else None),
                            chapters_only=args.format == "csv" and args.chapters)


def cmd_groups(args) -> Document:
    from tui.trade import rank_groups
    from tui.views import groups_document

    ds = _dataset()
    period = _period(ds, args.year)
    ranking = rank_groups(ds, period)
    return groups_document(ranking.to_dict("records"), period=period, world=_world(ds, period),
                           release=_release(ds, period), total_label=_total_label(ds, period))


def _check_n(n: int | None) -> None:
    if n is not None and n < 1:
        raise UsageError(f"N must be at least 1, not {n}")


def cmd_sectors(args) -> Document:
    from tui.trade import WORLD, Period, find_group, find_partner, rank_chapters, sector_year
    from tui.trade.periods import names_latest
    from tui.trade.queries import NoTradeError, PeriodError
    from tui.trade.releases import sector_label
    from tui.views import sectors_document

    _check_n(args.n)
    if args.partner is not None and args.group is not None:
        raise UsageError("use --partner or --group, not both")
    ds = _dataset()
    if names_latest(args.year):  # as --year says everywhere else: the latest year (here, of HS chapters)
        year = ds.sector_years[-1]
    else:
        period = _period(ds, args.year)
        year = period.year
        if year not in ds.sector_years:
            nearest = sector_year(ds, year)
            raise PeriodError(
                f"no sector data for {year}: sectors cover {', '.join(map(str, ds.sector_years))} (try --year {nearest})"
            )
        if not period.is_full_year and period.label != sector_label(ds, year):
            # the chapters are annual, but for the latest year's (an update fetches its year to date)
            raise PeriodError(f"HS chapters are annual, not for {period.label}: sectors cover "
                              f"{', '.join(sector_label(ds, covered) for covered in ds.sector_years)} "
                              f"(try --year {year})")
    if args.partner is not None:  # an empty name is a name nothing matches, not no name
        code = find_partner(ds, args.partner)
        scope = ds.partners.at[code, "name"]
    elif args.group is not None:
        code = find_group(ds, args.group)
        # chapters are annual: the members of the year's end (of the latest year's, of its latest month)
        scope = _group_scope(ds, code, ds.latest if sector_label(ds, year) != str(year) else Period(year))
    else:
        code, scope = WORLD, "all partners"
    ranking = rank_chapters(ds, year, code)
    if ranking.empty:  # a valid request the data has no figures for, as `show` says of a partner
        raise NoTradeError(f"No chapter data for {scope} in {sector_label(ds, year)} "
                           f"(sectors cover {_years(ds.sector_years)})")
    if args.n is not None:
        ranking = ranking.head(args.n)
    from tui.trade.releases import chapters_note

    return sectors_document(ranking.to_dict("records"), year=year, scope=scope, release=_release(ds, year, "sectors"),
                            chapters_note=chapters_note(ds, year), chapters_period=sector_label(ds, year))


def _years(years: list[int]) -> str:
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else ", ".join(map(str, years))


def cmd_paths(args) -> str:
    from tui import locations
    from tui.export import export_dir

    data, kind = locations.data_in_use()
    rows = [
        {"what": "config", "path": str(locations.settings_path())},
        {"what": "cache", "path": str(locations.cache_dir())},
        {"what": f"data in use ({kind})", "path": str(data)},
        {"what": "updated data", "path": str(locations.datasets_dir())},
        {"what": "shipped data", "path": str(locations.shipped_data_dir())},
        {"what": "exports and screenshots (the app)", "path": str(export_dir())},
    ]
    from tui.export import Document, Table, markdown_table, text_table, to_csv

    table = Table([Column("what", "What"), Column("path", "Path")], rows)
    if args.format == "csv":
        return to_csv(Document("paths", "", "", [table]))
    if args.format == "json":
        return json.dumps(rows, indent=2)
    return markdown_table(table) if args.format == "markdown" else text_table(table)


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    import argparse  # here: `tradegap` alone starts the app without a parser (argparse took 1.5 ms to import)

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> NoReturn:  # one line, not a usage dump
            raise UsageError(f"{message} (see '{self.prog} --help')")

        def _print_message(self, message: str, file=None) -> None:  # --help, --version
            # argparse ignores a failed write; here it is reported as any other output's is
            if message:
                stream = file or sys.stdout
                stream.write(_fit(message, stream))

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
        sub.add_argument("--format", choices=EXPORT_FORMATS, default="table", help="output format (default: table)")
        return sub

    year_help = f"{PERIOD_FORMS}, or 'latest' (the default: the latest year to date)"
    top = add("top", cmd_top, "rank partners by balance (largest deficits first)")
    top.add_argument("n", nargs="?", type=int, metavar="N", help="show the first N")
    top.add_argument("--year", "-y", help=year_help)
    top.add_argument("--group", "-g", help="only members of a region or bloc (e.g. asean, 'european union')")
    which = top.add_mutually_exclusive_group()
    which.add_argument("--surplus", action="store_true", help="partners with a US surplus, largest first")
    which.add_argument("--all", action="store_true", help="every partner, deficits first")

    show = add("show", cmd_show, "one partner or group: figures against a year earlier, rank, history, chapters")
    show.add_argument("partner", nargs="?", help="name, alias, ISO2/ISO3 or Census code (e.g. vietnam, KOR, 5800); "
                      "a region or bloc's name (asean) shows the group")
    show.add_argument("--group", "-g", help="a region or bloc, when a partner has the same name")
    show.add_argument("--year", "-y", help=year_help)

    months = add("months", cmd_months, "a partner's or group's months, each against the same month a year earlier")
    months.add_argument("partner", help="name, alias, ISO or Census code of a partner, or a group's name")
    months.add_argument("--year", "-y", help=f"{year_help}; the months it covers")

    compare = add("compare", cmd_compare, "partners and groups side by side (2 to 6): figures, balances by year, "
                  "and with --chapters the HS chapters the US imports from each")
    compare.add_argument("places", nargs="+", metavar="PLACE", help="partners or groups (e.g. china vietnam mexico)")
    compare.add_argument("--year", "-y", help=year_help)
    compare.add_argument("--chapters", action="store_true",
                         help="top HS chapters x places: imports and share of all US imports of the chapter "
                              "(for the sector year nearest to --year; with --format csv, this table alone)")

    groups = add("groups", cmd_groups, "rank regions and blocs by balance")
    groups.add_argument("--year", "-y", help=year_help)

    sectors = add("sectors", cmd_sectors, "rank HS chapters by balance")
    sectors.add_argument("n", nargs="?", type=int, metavar="N", help="show the first N")
    sectors.add_argument("--year", "-y", help="a year with sector data, or latest (the default): the latest one")
    sectors.add_argument("--partner", "-p", help="chapters of one partner")
    sectors.add_argument("--group", "-g", help="chapters of a region or bloc")

    add("paths", cmd_paths, "where the config, cache and data files are")

    from tui.update_cli import add_update_commands

    add_update_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    from tui.compat import prefer_numpy_avx2_sort
    from tui.guard import plug_closed_std_fds

    closed = plug_closed_std_fds()  # before any file is opened: see tui/guard.py
    prefer_numpy_avx2_sort()  # before numpy is imported: see tui/compat.py
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


def _escaped(text: object, stream: object) -> str:
    """A message that echoes what the user typed, as one line that cannot drive the terminal, in the stream's
    encoding (lookup.escape_controls, _fit), cut at MAX_MESSAGE characters as it is written."""
    from tui.trade.lookup import cut, escape_controls

    shown = escape_controls(str(text)[: MAX_MESSAGE + 1])
    return cut(_fit(shown, stream), MAX_MESSAGE)


def _say(message: object) -> None:
    """One line on stderr; nothing, and no traceback, when stderr is closed or broken."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(f"tradegap: {_escaped(message, stream)}\n")
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


#: What `tradegap` alone means: the app with every flag at its default (build_parser's defaults).
BARE = SimpleNamespace(theme=None, no_mouse=False, reset=False, command=None)


#: Arguments that are file names: kept as the system gave them, to be opened as such ('côte.xlsx' decoded as
#: UTF-8 under LC_ALL=C could not be encoded back to open it).
PATH_ARGUMENTS = frozenset({"file"})


def _utf8(text: str) -> str:
    """An argument's bytes read as UTF-8 when they are UTF-8, else the argument as Python decoded it.

    Where Python decodes the command line as ASCII (LC_ALL=C with PYTHONUTF8=0), 'côte' arrives as
    'c\\udcc3\\udcb4te': the name of no partner."""
    try:
        return os.fsencode(text).decode("utf-8")
    except UnicodeError:
        return text


def _names_as_utf8(args: argparse.Namespace) -> argparse.Namespace:
    """The parsed arguments with every name given (partners, groups, periods, options) as UTF-8 (_utf8)."""
    for name, value in list(vars(args).items()):
        if name in PATH_ARGUMENTS:
            continue
        if isinstance(value, str):
            setattr(args, name, _utf8(value))
        elif isinstance(value, list):
            setattr(args, name, [_utf8(item) if isinstance(item, str) else item for item in value])
    return args


def _main(argv: list[str] | None, stdout_closed: bool = False) -> int:
    if argv is None:
        argv = sys.argv[1:]
    try:
        # `tradegap` alone skips building the parser (its dozen subcommands took 7 ms of the app's start)
        args = BARE if not argv else _names_as_utf8(build_parser().parse_args(argv))
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

    from tui.export import Document, render
    from tui.trade.lookup import LookupError_
    from tui.trade.queries import NoTradeError, PeriodError
    from tui.trade.schema import DataError

    try:
        output = args.func(args)
        if isinstance(output, Document):
            output = render(output, args.format)
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
