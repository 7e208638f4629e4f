"""RankTable: the rows of a ranking, drawn line by line (Textual's Line API) from pre-formatted cells.

Each row is formatted once when the data is set; a line is drawn only when it
is on screen and not in the cache of drawn lines. When the table is narrower
than its columns, whole columns of the lowest priority are dropped (a number
is never cut) after the name column has narrowed to its minimum width; they
come back when the table grows again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.columns import Column, cell

PADDING = 1  # blank cells on each side of a column's text
ELLIPSIS, ASCII_ELLIPSIS = "…", "..."
HEADER = -1  # the row number of the header line in the cache of drawn lines


def text_width(text: str) -> int:
    return len(text) if text.isascii() else cell_len(text)


def truncate(text: str, width: int, ellipsis: str = ELLIPSIS) -> str:
    """`text` cut to `width` cells, ending in `ellipsis` when something was cut."""
    if text_width(text) <= width:
        return text
    keep = width - len(ellipsis)
    if keep < 1:
        return set_cell_size(text, max(0, width))
    return set_cell_size(text, keep).rstrip() + ellipsis


def fit_columns(columns: Sequence[Column], natural: Sequence[int], available: int) -> list[tuple[int, int]]:
    """(index, width of its text) of the columns shown in `available` cells, in their order.

    A column with a min_width narrows down to it first; if the columns still do not fit, the
    column of the lowest priority (the rightmost of equals) is dropped, and so on while more than
    one column is left. Space freed by a dropped column goes back to the narrowed ones.
    """
    shown = list(range(len(columns)))

    def least(index: int) -> int:
        minimum = columns[index].min_width
        return natural[index] if minimum is None else min(natural[index], minimum)

    while len(shown) > 1 and sum(least(i) + 2 * PADDING for i in shown) > available:
        shown.remove(min(shown, key=lambda i: (columns[i].priority, -i)))
    widths = {i: natural[i] for i in shown}
    excess = sum(w + 2 * PADDING for w in widths.values()) - available
    for i in reversed(shown):
        if excess <= 0:
            break
        give = min(excess, natural[i] - least(i))
        widths[i] -= give
        excess -= give
    return [(i, widths[i]) for i in shown]


class RowMessage(Message):
    """What a RankTable says of one of its rows: the table, the row's index and the row's key."""

    def __init__(self, table: RankTable, cursor_row: int, key: str) -> None:
        super().__init__()
        self.table = table
        self.cursor_row = cursor_row
        self.key = key

    @property
    def control(self) -> RankTable:
        return self.table


class RankTable(ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of a ranking; `keys[i]` is the code of row i. A header line stays on top."""

    ALLOW_SELECT = False

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Open", id="table.open", tooltip="Open the highlighted row"),
        Binding("down", "cursor_down", "Cursor down", show=False),
        Binding("up", "cursor_up", "Cursor up", show=False),
        Binding("j", "cursor_down", "Down", show=False, id="table.down", tooltip="Next row"),
        Binding("k", "cursor_up", "Up", show=False, id="table.up", tooltip="Previous row"),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home,ctrl+home", "cursor_first", "Top", show=False),
        Binding("end,ctrl+end", "cursor_last", "Bottom", show=False),
        Binding("left", "scroll_left", "Scroll left", show=False),
        Binding("right", "scroll_right", "Scroll right", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "ranktable--header",
        "ranktable--cursor",
        "ranktable--hover",
        "ranktable--even-row",
        "ranktable--odd-row",
    }

    # DataTable's look, on the same theme variables
    DEFAULT_CSS = """
    RankTable {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;

        &:focus {
            background-tint: $foreground 5%;
            & > .ranktable--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .ranktable--header {
                background-tint: $foreground 5%;
            }
        }
        &:dark > .ranktable--even-row {
            background: $surface-darken-1 40%;
        }
        & > .ranktable--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .ranktable--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .ranktable--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .ranktable--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .ranktable--hover {
            background: $block-hover-background;
        }
        /* without colour (NO_COLOR) the cursor row is shown in reverse video */
        &:nocolor > .ranktable--cursor {
            text-style: reverse;
        }
        &:nocolor:focus > .ranktable--cursor {
            text-style: bold reverse;
        }
    }
    """

    class RowHighlighted(RowMessage):
        """The cursor is on another row (or the row under it holds another key)."""

    class RowSelected(RowMessage):
        """Enter, or a click on the highlighted row."""

    def __init__(self, *, id: str | None = None, classes: str | None = None, name: str | None = None,
                 ascii: bool | None = None, zebra_stripes: bool = True) -> None:
        super().__init__(id=id, classes=classes, name=name)
        self.keys: list[str] = []
        self.zebra_stripes = zebra_stripes
        self._ascii = ascii  # None: as the app draws (its `ascii` attribute)
        self._spec: list[Column] = []
        self._titles: list[str] = []
        self._rows: list[tuple[str, ...]] = []
        self._natural: list[int] = []  # the width of each column's text, all of it shown
        self._shown: list[tuple[int, int]] = []  # (column index, width of its text) of the columns shown
        self._shown_for: int | None = None  # the width the shown columns were chosen for (None: no width yet)
        self._fitted = False  # the shown columns are those of the current data and _shown_for
        self._table_width = 0
        self._cursor = 0
        self._hover: int | None = None
        self._lines: LRUCache[tuple, Strip] = LRUCache(1024)
        self._generation = 0  # of the data, the columns shown and the styles: part of every cached line's key
        self._palette: tuple[Style, ...] | None = None
        self._cell_styles: dict[tuple[Style, int], Style] = {}  # a line's style marked with a column
        self._scroll_pending = False
        self._width = 0  # the table's width while it draws its lines

    # ------------------------------------------------------------ data

    @property
    def cursor_row(self) -> int:
        return self._cursor

    @property
    def row_count(self) -> int:
        return len(self.keys)

    @property
    def current_key(self) -> str | None:
        if not self.keys or not 0 <= self._cursor < len(self.keys):
            return None
        return self.keys[self._cursor]

    @property
    def columns(self) -> list[Column]:
        """The columns given to set_data."""
        return list(self._spec)

    @property
    def shown_columns(self) -> list[Column]:
        """The columns on screen: those that fit the table's width, by priority."""
        self._fit()
        return [self._spec[i] for i, _ in self._shown]

    @property
    def column_titles(self) -> list[str]:
        """The titles of the columns on screen, as drawn in the header (sort arrows included)."""
        self._fit()
        return [self._titles[i] for i, _ in self._shown]

    def set_data(self, columns: Sequence[Column], records: Sequence[Mapping], key: str,
                 labels: Mapping[str, str] | None = None) -> None:
        """Replace the rows, keeping the cursor on the same key when it is still there.

        labels: titles to show instead of some columns' own (a sort arrow), by column key.
        """
        before = (self.current_key, self._cursor)
        spec = list(columns)
        titles = [labels.get(c.key, c.title) if labels else c.title for c in spec]
        rows = [tuple(cell(r[c.key], c.kind) for c in spec) for r in records]
        keys = [str(r[key]) for r in records]
        if spec == self._spec and titles == self._titles and rows == self._rows and keys == self.keys:
            return  # the same table: nothing to draw again
        self._spec, self._titles, self._rows, self.keys = spec, titles, rows, keys
        natural = []
        for i, column in enumerate(spec):
            if column.width is not None:
                natural.append(column.width)
            else:
                natural.append(max([text_width(titles[i])] + [text_width(row[i]) for row in rows]))
        self._natural = natural
        self._hover = None
        self._generation += 1
        self._fit(force=True)
        keep = before[0]
        self._cursor = keys.index(keep) if keep in keys else 0
        self.scroll_to(x=0, y=0, animate=False)
        self._scroll_to_cursor()
        self.refresh()
        if keys and (self.current_key, self._cursor) != before:
            self.post_message(self.RowHighlighted(self, self._cursor, keys[self._cursor]))

    def row_texts(self, row: int) -> dict[str, str]:
        """The texts of a row's cells, by column key (every column given, shown or not)."""
        return {column.key: text for column, text in zip(self._spec, self._rows[row], strict=True)}

    def _available(self) -> int | None:
        """The cells a line has for columns, or None before the table has a size."""
        width = self.scrollable_content_region.width
        return width if width > 0 else None

    def _fit(self, force: bool = False) -> None:
        """Choose the columns shown for the table's width, when that or the data changed."""
        available = self._available()
        if self._fitted and not force and available == self._shown_for:
            return
        shown = list(enumerate(self._natural)) if available is None else fit_columns(self._spec, self._natural, available)
        if shown != self._shown:
            self._generation += 1
        self._shown, self._shown_for, self._fitted = shown, available, True
        self._table_width = sum(w + 2 * PADDING for _, w in shown)
        # before the table has a width its columns are not fitted to it: told their natural width, Textual laid
        # it out with a horizontal scroll bar (a row taller) that stayed once the columns fitted
        self.virtual_size = Size(self._table_width if available is not None else 0, len(self.keys) + 1)

    def on_resize(self, event: events.Resize) -> None:
        self._fit()
        self._scroll_to_cursor()

    # ------------------------------------------------------------ cursor

    def move_cursor(self, *, row: int | None = None, animate: bool = False, scroll: bool = True) -> None:
        """Put the cursor on `row` (kept within the rows) and scroll it into view."""
        if row is None or not self.keys:
            return
        row = max(0, min(len(self.keys) - 1, row))
        old = self._cursor
        self._cursor = row
        if old != row:
            self.refresh_line(old + 1)
            self.refresh_line(row + 1)
            self.post_message(self.RowHighlighted(self, row, self.keys[row]))
        if scroll:
            self._scroll_to_cursor(animate)

    def _rows_visible(self) -> int:
        return self.scrollable_content_region.height - 1  # below the header

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        visible = self._rows_visible()
        if visible <= 0:
            if not self._scroll_pending:  # not laid out yet: once it is
                self._scroll_pending = True
                self.call_after_refresh(self._scroll_when_sized)
            return
        top = self.scroll_offset.y
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=animate)
        elif self._cursor >= top + visible:
            self.scroll_to(y=self._cursor - visible + 1, animate=animate)

    def _scroll_when_sized(self) -> None:
        self._scroll_pending = False
        if self._rows_visible() > 0:
            self._scroll_to_cursor()

    def _set_hover(self, row: int | None) -> None:
        if row == self._hover:
            return
        for old_or_new in (self._hover, row):
            if old_or_new is not None:
                self.refresh_line(old_or_new + 1)
        self._hover = row

    # ------------------------------------------------------------ keys and mouse

    def action_cursor_down(self) -> None:
        self._set_hover(None)
        self.move_cursor(row=self._cursor + 1)

    def action_cursor_up(self) -> None:
        self._set_hover(None)
        self.move_cursor(row=self._cursor - 1)

    def action_page_down(self) -> None:
        self._set_hover(None)
        page = max(1, self._rows_visible())
        self.scroll_to(y=self.scroll_y + page, animate=False)
        self.move_cursor(row=self._cursor + page)

    def action_page_up(self) -> None:
        self._set_hover(None)
        page = max(1, self._rows_visible())
        self.scroll_to(y=self.scroll_y - page, animate=False)
        self.move_cursor(row=self._cursor - page)

    def action_cursor_first(self) -> None:
        self._set_hover(None)
        self.move_cursor(row=0)

    def action_cursor_last(self) -> None:
        self._set_hover(None)
        self.move_cursor(row=len(self.keys) - 1)

    def action_select_cursor(self) -> None:
        self._set_hover(None)
        if self.keys:
            self.post_message(self.RowSelected(self, self._cursor, self.keys[self._cursor]))

    def _row_at(self, event: events.MouseEvent) -> int | None:
        """The row under the mouse, None over the header or below the last row."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return None
        row = offset.y - 1 + self.scroll_offset.y
        return row if row < len(self.keys) else None

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row is None:
            return
        event.stop()
        if row == self._cursor:
            self.post_message(self.RowSelected(self, row, self.keys[row]))
        else:
            self.move_cursor(row=row)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._row_at(event))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    # ------------------------------------------------------------ drawing

    def _styles(self) -> tuple[Style, ...]:
        """(base, header, even row, odd row, cursor, hover) as the CSS has them now (focus, theme, NO_COLOR).

        Read before each drawing: when they differ from the last ones, every cached line is stale."""
        get = self.get_component_rich_style
        palette = (self.rich_style, get("ranktable--header"), get("ranktable--even-row"), get("ranktable--odd-row"),
                   get("ranktable--cursor"), get("ranktable--hover"))
        if palette != self._palette:
            self._palette = palette
            self._cell_styles.clear()
            self._generation += 1
        return palette

    def render_lines(self, crop: Region) -> list[Strip]:
        self._fit()
        self._styles()
        self._width = self.size.width  # looked up once per drawing, not once per line
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self._width or self.size.width
        palette = self._palette or self._styles()
        if y == 0:
            row = HEADER
        else:
            row = y - 1 + self.scroll_offset.y
            if row >= len(self.keys):
                return Strip.blank(width, palette[0])
        cursor = row == self._cursor
        hover = row == self._hover
        key = (row, width, cursor, hover, self._generation)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._draw(row, width, cursor, hover, palette)
            self._lines[key] = strip
        scroll_x = self.scroll_offset.x
        if scroll_x or self._table_width > width:
            return strip.crop(scroll_x, scroll_x + width)
        return strip

    def _draw(self, row: int, width: int, cursor: bool, hover: bool, palette: tuple[Style, ...]) -> Strip:
        """One whole line of the table (all the columns shown), at least `width` cells long."""
        base, header, even, odd, cursor_style, hover_style = palette
        texts: Sequence[str]
        if row == HEADER:
            style, texts = header, self._titles
        else:
            style = (odd if row % 2 else even) if self.zebra_stripes else base
            if cursor:
                style += cursor_style
            elif hover:
                style += hover_style
            texts = self._rows[row]
        ellipsis = ASCII_ELLIPSIS if self._ascii_mode() else ELLIPSIS
        pad = " " * PADDING
        segments = []
        cell_styles = self._cell_styles
        for column, (index, inner) in enumerate(self._shown):
            text = texts[index]
            size = text_width(text)
            if size > inner:
                text = truncate(text, inner, ellipsis)
                size = text_width(text)
            fill = " " * (inner - size)
            text = fill + text if self._spec[index].right else text + fill
            # each cell a segment of its own, marked with its column, as DataTable draws them
            cell_style = cell_styles.get((style, column))
            if cell_style is None:
                cell_style = cell_styles[style, column] = style + Style.from_meta({"column": column})
            segments.append(Segment(pad + text + pad, cell_style))
        if self._table_width < width:
            segments.append(Segment(" " * (width - self._table_width), style))
        return Strip(segments, max(width, self._table_width))

    def _ascii_mode(self) -> bool:
        if self._ascii is not None:
            return self._ascii
        return bool(getattr(self.app, "ascii", False))
