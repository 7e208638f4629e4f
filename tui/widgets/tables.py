"""A ranked table: a DataTable of rows keyed by code, with vi keys and formatted money."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding

from tui.compat import FastRankingTable
from tui.trade.formatting import money, percent
from tui.widgets.charts import shorten


@dataclass(frozen=True)
class Col:
    key: str
    title: str
    kind: str = "text"  # text | int | money | signed | percent
    width: int | None = None


def cell(value, kind: str, width: int | None = None) -> Text | str:
    if kind == "money":
        return Text(money(value), justify="right")
    if kind == "signed":
        return Text(money(value, signed=True), justify="right")
    if kind == "percent":
        return Text(percent(value), justify="right")
    if kind == "int":
        return Text("" if value is None or (isinstance(value, float) and math.isnan(value)) else str(int(value)),
                    justify="right")
    text = "" if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)
    return shorten(text, width) if width else text


def plain_text(datum) -> tuple[str, str | None] | None:
    """(text, justify) of a cell that is one line of unstyled text, else None.

    These are the cells RankTable draws itself; anything else (markup, styles,
    several lines, tabs) goes through DataTable's Rich rendering.
    """
    if isinstance(datum, Text):
        if datum.spans or datum.style or datum.justify not in (None, "default", "left", "right"):
            return None
        text, justify = datum.plain, datum.justify
    elif isinstance(datum, str):
        if "[" in datum:  # DataTable reads strings as markup
            return None
        text, justify = datum, None
    else:
        return None
    if not text.isprintable() or (justify == "right" and text != text.rstrip()):
        return None
    return text, justify


class RankTable(FastRankingTable):
    """Rows of a ranking; `keys[i]` is the code of row i."""

    BINDINGS = [
        Binding("enter", "select_cursor", "Open", id="table.open", tooltip="Open the highlighted row"),
        Binding("j", "cursor_down", "Down", show=False, id="table.down", tooltip="Next row"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up", tooltip="Previous row"),
    ]

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True, cell_padding=1)
        self.keys: list[str] = []
        self._spec: tuple = ()
        self._widths: list[int] | None = None  # widest cell of each column in the rows set_data added

    @property
    def current_key(self) -> str | None:
        if not self.keys or self.cursor_row is None or not 0 <= self.cursor_row < len(self.keys):
            return None
        return self.keys[self.cursor_row]

    def set_data(self, columns: list[Col], records: list[dict], key: str, labels: dict[str, str] | None = None) -> None:
        """Replace the rows, keeping the cursor on the same key when it is still there."""
        keep = self.current_key
        spec = tuple((c.key, labels.get(c.key, c.title) if labels else c.title, c.kind, c.width) for c in columns)
        if spec != self._spec:
            self.clear(columns=True)
            for col_key, title, kind, width in spec:
                label = Text(title, justify="right") if kind != "text" else Text(title)
                self.add_column(label, key=col_key, width=width)
            self._spec = spec
        else:
            self.clear()
        self.keys = [str(r[key]) for r in records]
        rows = [[cell(r[c.key], c.kind, c.width) for c in columns] for r in records]
        self.add_rows(rows)
        self._widths = _widths(rows, len(columns))
        if keep in self.keys:
            self.move_cursor(row=self.keys.index(keep), animate=False)
        elif self.keys:
            self.move_cursor(row=0, animate=False)


def _widths(rows: list[list], count: int) -> list[int] | None:
    """The widest cell of each column, as DataTable measures it; None when a cell is not plain text."""
    widths = [0] * count
    for row in rows:
        for i, datum in enumerate(row):
            plain = plain_text(datum)
            if plain is None:
                return None
            width = cell_len(plain[0])
            if width > widths[i]:
                widths[i] = width
    return widths
