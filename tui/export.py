"""A view as a document: its tables, what its figures are and where they come from, in four formats.

The command line prints documents (`--format table|csv|json|markdown`) and the
app writes the same documents to files (Export view…) or copies their
Markdown (Copy view as Markdown), so a view handed over has the columns the
command line gives for it. Plain Python: neither pandas nor Textual.

- CSV: raw values, money in millions of dollars and percentages as numbers, the unit in each
  header (`balance_musd`, `share_pct`); a view of several tables writes each after a line naming it.
  Every row ends with what its figures are (its period where the row does not name one, its release,
  its basis), so that a row pasted elsewhere still says it.
- Markdown: each table with its title and notes, then a footnote with the basis and the release.
- JSON: the command line's JSON; a file adds `metadata` (view, period, release, basis, units).
- table: the command line's text tables.
"""

from __future__ import annotations

import csv
import errno
import io
import json
import math
import os
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tui.columns import Column, cell
from tui.trade.changes import BASIS
from tui.vocabulary import EXPORT_FORMATS

FORMATS = EXPORT_FORMATS
#: The formats a view can be exported to, with their file extensions.
FILE_FORMATS = {"csv": "csv", "markdown": "md", "json": "json"}
UNITS = "millions of US dollars (money), percent (shares and changes in %)"


@dataclass
class Table:
    columns: list[Column]
    records: list[dict]
    title: str = ""
    notes: list[str] = field(default_factory=list)
    name: str = ""  # what the table is, in a CSV or JSON of several tables ("history", "chapters")
    #: what every row's figures are, the same for all (period, release, basis): the CSV's last columns
    context: dict[str, str] = field(default_factory=dict)
    #: the same where it differs from row to row (the release of each year of a history): read from each record
    row_context: tuple[str, ...] = ()
    #: record keys that programs need and people do not see (a compare's codes, which name the columns of its
    #: other tables): the CSV's first columns
    ids: tuple[str, ...] = ()

    def csv_columns(self) -> list[Column]:
        """The ids, the columns shown, then those of the context the table does not already have."""
        have = {c.key for c in self.columns}
        return [*(Column(key, key) for key in self.ids if key not in have), *self.columns,
                *(Column(key, key) for key in (*self.row_context, *self.context) if key not in have)]


@dataclass
class Document:
    """A view: its tables, and what a file of it is called and says about its figures."""

    view: str  # partners, regions, sectors, chapter, partner, group, compare, months
    period_key: str  # '2024', '2026-ytd8', '2026-03', or a sector year
    period_label: str
    tables: list[Table]
    release: str = ""
    subject: str = ""  # whose view: 'china', 'asean', 'china-vietnam-mexico'
    title: str = ""
    data: Any = None  # the JSON value; None: the first table's records
    text: str | None = None  # the table format when it is not the tables one after another
    notes: list[str] = field(default_factory=list)  # lines after the tables (and before the basis)
    lead: str = ""  # a sentence under the title (Markdown): how the balance changed
    markdown_tables: list[Table] | None = None  # the tables for people, when not the same as for programs

    @property
    def rows(self) -> int:
        return len(self.tables[0].records) if self.tables else 0


def plain(value: Any) -> Any:
    """JSON/CSV values: floats rounded to the data's precision, NaN as null."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 3)
    return value


def plain_records(records: list[dict]) -> list[dict]:
    return [{k: plain(v) for k, v in r.items()} for r in records]


def footnote(doc: Document) -> str:
    """What the figures are and where they come from."""
    source = f" Source: {doc.release}." if doc.release else ""
    return f"Figures: {BASIS}.{source}"


# ---------------------------------------------------------------- the formats


def _csv_table(table: Table, writer: Any) -> None:
    columns = table.csv_columns()
    shown = {c.key for c in table.columns}
    constant = {key: value for key, value in table.context.items() if key not in shown}
    writer.writerow([c.csv_key for c in columns])
    for record in table.records:
        values = (plain(constant[c.key] if c.key in constant else record.get(c.key)) for c in columns)
        writer.writerow(["" if value is None else value for value in values])


def to_csv(doc: Document) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    several = len(doc.tables) > 1
    for index, table in enumerate(doc.tables):
        if several:
            if index:
                writer.writerow([])
            writer.writerow([table.name or table.title or f"table {index + 1}"])
        _csv_table(table, writer)
    return out.getvalue().rstrip("\n")


def _markdown_cell(text: str) -> str:
    return text.replace("|", "\\|")


def markdown_table(table: Table) -> str:
    cells = [[_markdown_cell(cell(r.get(c.key), c.kind)) for c in table.columns] for r in table.records]
    lines = [f"**{table.title}**", ""] if table.title else []
    lines.append("| " + " | ".join(c.title or c.key for c in table.columns) + " |")
    lines.append("|" + "|".join("---:" if c.right else ":---" for c in table.columns) + "|")
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    lines += [""] + [f"_{n}_" for n in table.notes] if table.notes else []
    return "\n".join(lines)


def to_markdown(doc: Document) -> str:
    parts = [f"## {doc.title}"] if doc.title else []
    parts += [doc.lead] if doc.lead else []
    parts += [markdown_table(t) for t in (doc.markdown_tables if doc.markdown_tables is not None else doc.tables)]
    parts += [f"_{n}_" for n in doc.notes]
    parts.append(f"<sub>{footnote(doc)}</sub>")
    return "\n\n".join(parts)


def text_table(table: Table, header: bool = True) -> str:
    cells = [[cell(r.get(c.key), c.kind) for c in table.columns] for r in table.records]
    widths = [max([len(c.title) if header else 0] + [len(row[i]) for row in cells]) for i, c in enumerate(table.columns)]

    def line(values: list[str]) -> str:
        aligned = (v.rjust(w) if c.right else v.ljust(w) for v, w, c in zip(values, widths, table.columns, strict=True))
        return "  ".join(aligned).rstrip()

    lines = [table.title] if table.title else []
    if header:
        lines.append(line([c.title for c in table.columns]))
    lines += [line(row) for row in cells]
    lines += table.notes
    return "\n".join(lines)


def to_text(doc: Document) -> str:
    body = doc.text if doc.text is not None else "\n\n".join(text_table(t) for t in doc.tables)
    tail = [*doc.notes, f"Figures: {BASIS}"]
    return body + "\n" + "\n".join(tail)


def to_json(doc: Document, *, metadata: bool = False) -> str:
    data = doc.data if doc.data is not None else plain_records(doc.tables[0].records if doc.tables else [])
    if metadata:
        data = {"metadata": metadata_of(doc), "data": data}
    return json.dumps(data, indent=2, ensure_ascii=False)


def metadata_of(doc: Document) -> dict:
    return {"view": doc.view, "subject": doc.subject or None, "title": doc.title, "period": doc.period_label,
            "period_key": doc.period_key, "release": doc.release, "basis": BASIS, "units": UNITS,
            "exported": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")}


def render(doc: Document, fmt: str) -> str:
    """The document as the command line prints it."""
    if fmt == "csv":
        return to_csv(doc)
    if fmt == "json":
        return to_json(doc)
    if fmt == "markdown":
        return to_markdown(doc)
    return to_text(doc)


def file_text(doc: Document, fmt: str) -> str:
    """The document as a file holds it: the command line's output, JSON with its metadata."""
    if fmt == "json":
        return to_json(doc, metadata=True) + "\n"
    return render(doc, fmt) + "\n"


# ---------------------------------------------------------------- files


def slug(text: str) -> str:
    """'South Korea' -> 'south-korea': a file name's part."""
    import unicodedata

    plain_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", plain_text).strip("-")[:60]


def file_name(doc: Document, fmt: str) -> str:
    """'tradegap-partners-2024.csv', 'tradegap-partner-china-2026-ytd8.md'."""
    parts = ["tradegap", doc.view, slug(doc.subject) if doc.subject else "", doc.period_key]
    return "-".join(p for p in parts if p) + "." + FILE_FORMATS[fmt]


def export_dir() -> Path:
    """Where exports (and screenshots) go: TRADEGAP_EXPORT_DIR (~ expanded), else the current directory."""
    value = os.environ.get("TRADEGAP_EXPORT_DIR", "").strip()
    return Path(os.path.expanduser(value)).absolute() if value else Path.cwd()


def free_path(directory: Path, name: str) -> Path:
    """directory/name, or name-2, name-3 … when a file of that name is there already: nothing is overwritten."""
    path = directory / name
    stem, suffix = path.stem, path.suffix
    number = 2
    while os.path.lexists(path):  # a link of that name, even one to nothing, is not ours to replace
        path = directory / f"{stem}-{number}{suffix}"
        number += 1
    return path


def _new_file_beside(path: Path) -> tuple[Path, int]:
    """A new, empty temporary file in path's directory, open for writing: its path and descriptor.

    Created with mode 0o666 less the umask, as any new file is (mkstemp's are 0600: private)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free name for a temporary file", str(path.parent))


def write_text(path: Path, text: str) -> None:
    """Write atomically (a temp file, then a rename): a reader never sees half a file. OSError on failure.

    The file is for handing over (an export, a screenshot): it gets the mode of any file the user creates
    (0o666 less the umask), not a temp file's private 0600."""
    temporary, fd = _new_file_beside(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def require_directory(directory: Path) -> None:
    """OSError, with the reason a person can act on, unless `directory` is a directory to write into."""
    if not directory.is_dir():
        if directory.exists():  # a file, or a link to one (a link to nothing: no such directory)
            raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(directory))
        raise FileNotFoundError(errno.ENOENT, "no such directory", str(directory))


def export(doc: Document, fmt: str, directory: Path | None = None) -> Path:
    """Write the document in a file format into the export directory; the file's full path.

    OSError (with the reason) when the directory is missing or cannot be written; nothing is left."""
    if fmt not in FILE_FORMATS:
        raise ValueError(f"export formats are {', '.join(FILE_FORMATS)}, not {fmt!r}")
    directory = directory or export_dir()
    require_directory(directory)
    path = free_path(directory, file_name(doc, fmt))
    write_text(path, file_text(doc, fmt))
    return path
