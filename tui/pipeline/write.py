"""The dataset's files as text, and writing them so that no reader ever sees a half-written dataset.

Two ways to write a whole dataset:

- write_dataset_directory: into a new temporary folder next to the destination,
  every file flushed to disk, then one rename to the destination (which must not
  exist). A failure at any point removes the temporary folder and leaves the
  destination absent.
- replace_files_in_directory: for a directory that holds other files too (data/
  in a checkout holds build.py): every file is first written in full to a
  temporary folder inside the directory, and only then moved into place, each by
  one rename. A failure while writing leaves every old file as it was.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from tui.pipeline.period_totals import COLUMNS as PERIOD_TOTALS_COLUMNS
from tui.pipeline.units import tenths_text, thousands_text


def csv_text(frame: pd.DataFrame, formats: Mapping[str, Callable[[Any], str]] | None = None,
             column_formats: Mapping[str, Callable[[Any], list[str]]] | None = None) -> str:
    """Deterministic CSV: per-value or per-column formatters, '\\n' line endings."""
    frame = frame.copy()
    for column, formatter in (formats or {}).items():
        frame[column] = [formatter(value) for value in frame[column]]
    for column, column_formatter in (column_formats or {}).items():
        frame[column] = column_formatter(frame[column].to_numpy())
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue()


def optional_year(value: Any) -> str:
    return "" if pd.isna(value) else str(int(value))


def trade_files(tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    """The texts of the tidy tables: partners, trade_monthly, trade_annual, groups, group_members,
    sectors (exports_k/imports_k: integer thousands of dollars), chapters and period_totals."""
    money = {"exports": tenths_text, "imports": tenths_text}
    sectors = tables["sectors"]
    return {
        "partners.csv": csv_text(tables["partners"], {"first_year": optional_year, "last_year": optional_year}),
        "trade_monthly.csv": csv_text(tables["monthly"][["code", "year", "month", "exports", "imports"]],
                                      column_formats=money),
        "trade_annual.csv": csv_text(tables["annual"][["code", "year", "months", "exports", "imports"]],
                                     column_formats=money),
        "groups.csv": csv_text(tables["groups"]),
        "group_members.csv": csv_text(tables["group_members"]),
        "sectors.csv": csv_text(
            sectors[["code", "year", "chapter", "exports_k", "imports_k"]].rename(
                columns={"exports_k": "exports", "imports_k": "imports"}),
            column_formats={"exports": thousands_text, "imports": thousands_text}),
        "chapters.csv": csv_text(tables["chapters"]),
        "period_totals.csv": csv_text(tables["period_totals"][PERIOD_TOTALS_COLUMNS], column_formats=money),
    }


def json_text(value: Any) -> str:
    return json.dumps(value, indent=2) + "\n"


def _write_file(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, 0o666 & ~umask)


def _sync_directory(directory: Path) -> None:
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return  # not every platform opens directories
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_file_atomically(path: Path, text: str) -> None:
    """One file: written to a temporary file beside it, then renamed over it."""
    path = Path(path)
    descriptor, temporary = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    os.close(descriptor)
    try:
        _write_file(Path(temporary), text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_dataset_directory(files: dict[str, str], destination: Path) -> Path:
    """Write every file into a new temporary folder beside destination, then rename it to destination.

    destination must not exist. Returns destination."""
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    if destination.exists():
        raise FileExistsError(f"{destination} already exists")
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.", suffix=".partial", dir=destination.parent))
    try:
        for name, text in files.items():
            _write_file(staging / name, text)
        _sync_directory(staging)
        os.chmod(staging, 0o777 & ~_current_umask())
        os.rename(staging, destination)
        _sync_directory(destination.parent)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return destination


def replace_files_in_directory(files: dict[str, str], directory: Path) -> None:
    """Write every file in full into a temporary folder inside directory, then move each into place."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".build-", suffix=".partial", dir=directory))
    try:
        for name, text in files.items():
            _write_file(staging / name, text)
        for name in files:
            os.replace(staging / name, directory / name)
        _sync_directory(directory)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _current_umask() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return umask
