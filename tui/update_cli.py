"""`tradegap update` and `tradegap import`: the command line of the data pipeline's update and import.

A failure of the source or of the data directory is one line on stderr and exit status 1
(raised as DataError, which the command line reports); a usage mistake is status 2.
Progress goes to stderr when it is a terminal.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TextIO

MONTHS = {name.lower(): number for number, name in enumerate(
    ["", "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
     "November", "December"]) if name}


def _command(commands: Any, name: str, func: Callable[[argparse.Namespace], str], help_text: str,
             description: str) -> argparse.ArgumentParser:
    """The subcommand `name` on the command line's subparsers, run by `func`."""
    parser: argparse.ArgumentParser = commands.add_parser(name, help=help_text, description=description)
    parser.set_defaults(func=func)
    return parser


def add_update_commands(commands: Any) -> None:
    """The update and import subcommands, on the command line's subparsers."""
    update = _command(
        commands, "update", cmd_update, "make the data current from the Census International Trade API",
        "Fetch the months after the data tradegap has (and again the current and previous year, which Census "
        "revises) and HS chapters from 2013, check them as the build does, and write a new dataset into your data "
        "directory. The shipped data is never modified.")
    which = update.add_mutually_exclusive_group()
    which.add_argument("--check", action="store_true", help="only say whether a newer month exists (one request)")
    which.add_argument("--revert", action="store_true", help="go back to the data shipped with tradegap")
    update.add_argument("--api", metavar="URL", help="the API's base URL (default: TRADEGAP_CENSUS_API, else "
                                                     "https://api.census.gov/data/timeseries/intltrade)")
    update.add_argument("--key", help="a Census API key (default: CENSUS_API_KEY); without one the API allows "
                                      "500 queries a day")
    update.add_argument("--chapters-since", type=int, metavar="YEAR", default=None,
                        help="fetch HS chapters from this year on (default 2013, the first the API has)")

    importer = _command(
        commands, "import", cmd_import, "import the Census country file (country.xlsx, or the same table as CSV)",
        "Import the country file as downloaded from census.gov: the periods it covers replace those of the data "
        "in use, after the build's checks; a new dataset is written into your data directory.")
    # a file name: opened as the system decoded it, not read as UTF-8 as names are (tui.cli.PATH_ARGUMENTS)
    importer.add_argument("file", metavar="FILE", help="country.xlsx, or a CSV of the same table")
    importer.add_argument("--release", metavar="MONTH", help="the file's release, e.g. 'Sep 2026' (default: the "
                                                             "month the file was last modified)")
    importer.add_argument("--older", action="store_true", help="replace figures that come from a later release "
                                                               "than the file's (refused otherwise)")


def _usage(message: str) -> Exception:
    from tui.cli import UsageError

    return UsageError(message)


def _data_error(error: Exception) -> Exception:
    from tui.trade.schema import DataError

    return DataError(str(error))


class ProgressLine:
    """Requests done of total, what, elapsed: rewritten in place on a terminal, nothing otherwise."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.active = stream.isatty()
        self.width = 0

    def __call__(self, progress: Any) -> None:
        if not self.active:
            return
        text = (f"  {progress.requests_done}/{progress.requests_total} requests · {progress.what} · "
                f"{progress.elapsed_seconds:.1f} s")
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = len(text)

    def done(self) -> None:
        if self.active and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def cmd_update(args: argparse.Namespace) -> str:
    from tui.pipeline.census_api import BASE_URL_VARIABLE, base_url_problem, default_base_url
    from tui.pipeline.sources import SourceError
    from tui.pipeline.update import (
        FIRST_CHAPTER_YEAR,
        UpdateOptions,
        check_for_newer_month,
        revert_to_shipped,
        run_update,
    )

    if args.api and (problem := base_url_problem(args.api, "--api")):
        raise _usage(problem)
    since = args.chapters_since
    if since is not None and not FIRST_CHAPTER_YEAR <= since <= date.today().year:
        raise _usage(f"--chapters-since takes a year from {FIRST_CHAPTER_YEAR} to {date.today().year}, not {since}")
    if args.revert and (args.api or args.key or since is not None):
        raise _usage("--revert takes no other option")
    # the variable is the user's as the option is: a mistake in it is theirs to fix (a revert does not read it)
    if not args.revert and not args.api and (problem := base_url_problem(default_base_url(), BASE_URL_VARIABLE)):
        raise _usage(problem)
    options = UpdateOptions(api_url=args.api, key=args.key, chapters_since=since or FIRST_CHAPTER_YEAR)
    progress = ProgressLine(sys.stderr)
    started = time.monotonic()
    try:
        if args.revert:
            return revert_to_shipped()
        if args.check:
            return check_for_newer_month(options).summary
        result = run_update(options, progress)
    except SourceError as error:
        progress.done()
        raise _data_error(error) from None
    except KeyboardInterrupt:
        progress.done()
        print("tradegap: update interrupted: nothing written", file=sys.stderr)
        raise
    progress.done()
    if result.written is None:
        return result.summary
    return (f"{result.summary}\n"
            f"now using {result.written} ({result.latest.label}, {result.release}); "
            f"{result.requests} requests in {time.monotonic() - started:.1f} s")


def parse_release_month(text: str) -> tuple[int, int] | None:
    """'Sep 2026', 'September 2026', '2026-09' -> (2026, 9)."""
    cleaned = text.strip().lower()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", cleaned)
    if match and 1 <= int(match.group(2)) <= 12:
        return int(match.group(1)), int(match.group(2))
    match = re.fullmatch(r"([a-z]+)\.?\s+(\d{4})", cleaned)
    if match:
        for name, number in MONTHS.items():
            if len(match.group(1)) >= 3 and name.startswith(match.group(1)):
                return int(match.group(2)), number
    return None


def cmd_import(args: argparse.Namespace) -> str:
    from tui.pipeline.importer import ImportOptions, run_import
    from tui.pipeline.sources import SourceError

    if not args.file.strip():
        raise _usage("the country file's name is empty")
    path = Path(args.file)
    try:
        exists, is_directory, is_file = path.exists(), path.is_dir(), path.is_file()
    except OSError as error:  # a name too long, a directory on the way that cannot be searched
        raise _data_error(SourceError(f"{path.name}: cannot read ({error.strerror or error})")) from None
    if not exists:
        raise _usage(f"no file {path}")
    if is_directory:
        raise _usage(f"{path} is a directory, not a country file")
    if not is_file:  # a FIFO would wait for a writer, a device never end
        raise _usage(f"{path} is not a regular file (a pipe, a device or a socket), not a country file")
    release = None
    if args.release is not None:
        release = parse_release_month(args.release)
        if release is None:
            raise _usage(f"--release takes a month such as 'Sep 2026' or 2026-09, not {args.release!r}")
        today = date.today()
        if release > (today.year, today.month):
            raise _usage(f"--release {args.release!r} is a month still to come")
    try:
        result = run_import(ImportOptions(path=path, release_month=release, older=args.older))
    except SourceError as error:
        raise _data_error(error) from None
    except KeyboardInterrupt:
        print("tradegap: import interrupted: nothing written", file=sys.stderr)
        raise
    return f"{result.summary}\nnow using {result.written} ({result.latest.label}, {result.release})"
