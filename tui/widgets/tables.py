"""A ranked table: a DataTable of rows keyed by code, with vi keys and formatted money."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.widgets import DataTable

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


def _plain(datum) -> tuple[str, str | None] | None:
    """(text, justify) of a cell that is one line of unstyled text, else None.

    These are the cells RankTable draws itself; anything else (markup, styles,
    several lines, tabs) goes through DataTable's Rich rendering.
    """
    if isinstance(datum, Text):
        if datum._spans or datum.style or datum.justify not in (None, "default", "left", "right"):
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


class RankTable(DataTable):
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

    # DataTable renders every cell through Rich (Padding, Styled, line splitting and cropping) and
    # measures every cell of a new row through Rich too. For the one-line, unstyled cells of a
    # ranking both come down to string lengths: the two methods below do that and leave every
    # other cell to DataTable, giving the same segments (see tests/test_tables.py).

    def _render_cell(self, row_index: int, column_index: int, base_style: Style, width: int,
                     cursor: bool = False, hover: bool = False):
        if row_index < 0 or column_index < 0:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cache_key = (row_key, column_key, base_style, cursor, hover, self._show_hover_cursor,
                     self._update_count, self._pseudo_class_state)
        cache = self._cell_render_cache
        if cache_key in cache:
            return cache[cache_key]
        row = self.rows.get(row_key)
        plain = _plain(self._data[row_key].get(column_key)) if row is not None and row.height == 1 else None
        padding = self.cell_padding
        inner = width - 2 * padding
        if plain is None or cell_len(plain[0]) > inner:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        text, justify = plain
        fill = " " * (inner - cell_len(text))
        text = fill + text if justify == "right" else text + fill
        if padding:
            text = " " * padding + text + " " * padding
        fixed = row_index < self.fixed_rows or column_index < self.fixed_columns
        component_style, post_style = self._get_styles_to_render_cell(
            False, False, fixed, hover, cursor, self.show_cursor, self._show_hover_cursor,
            self.cursor_foreground_priority == "css", self.cursor_background_priority == "css")
        style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        style = style + post_style if style else post_style
        lines = [[Segment(text, style)]]
        cache[cache_key] = lines
        return lines

    def _update_dimensions(self, new_rows) -> None:
        before = [column.content_width for column in self.ordered_columns]
        self._measure_new_rows(new_rows)
        if [column.content_width for column in self.ordered_columns] != before:
            # DataTable measures new rows when idle; a resize can draw the table before that, and the
            # cells drawn then were cached cut to the old widths (a balance lost its last letter
            # after the terminal was made too small and big again): draw them again
            self._update_count += 1
            self.refresh()

    def _measure_new_rows(self, new_rows) -> None:
        widths = self._widths
        if widths is None or len(widths) != len(self.columns) or self._labelled_row_exists:
            return super()._update_dimensions(new_rows)
        self._widths = None
        for column, content_width in zip(self.ordered_columns, widths, strict=False):
            column.content_width = max(column.content_width, content_width)
        header_height = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            sum(column.get_render_width(self) for column in self.columns.values()) + self._row_label_column_width,
            self._total_row_height + header_height,
        )

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
            plain = _plain(datum)
            if plain is None:
                return None
            width = cell_len(plain[0])
            if width > widths[i]:
                widths[i] = width
    return widths
