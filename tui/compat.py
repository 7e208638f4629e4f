"""Every place tradegap reaches into a private member of Textual or plotext, each with why and the upstream issue.

Nothing else in tradegap reads or overrides a private Textual or plotext member
(tests/test_architecture.py checks). Each workaround here was written against the
versions in TESTED_WITH; tests/test_compat.py fails as soon as another version is
installed, and each workaround checks at use that what it relies on is still there,
so an upgrade breaks loudly here instead of silently somewhere else.
"""

from __future__ import annotations

from importlib.metadata import version
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.widgets import DataTable, TabbedContent, TabPane

if TYPE_CHECKING:
    from textual.app import App

#: The package versions these workarounds were written and checked against.
TESTED_WITH = {"textual": "8.2.8", "textual-plotext": "1.0.1", "plotext": "5.3.2"}


class CompatError(RuntimeError):
    """A workaround no longer fits the installed Textual: read its upstream issue, then adapt or drop it."""


def installed_versions() -> dict[str, str]:
    return {name: version(name) for name in TESTED_WITH}


def require(owner: object, name: str, issue: str) -> Any:
    if not hasattr(owner, name):
        raise CompatError(f"{type(owner).__name__ if not isinstance(owner, type) else owner.__name__}.{name} "
                          f"is gone: see {issue}")
    return getattr(owner, name)


# ---------------------------------------------------------------- NO_COLOR

NO_COLOR_ISSUE = "https://github.com/Textualize/textual/issues/839 (and https://github.com/jcs/no_color/issues/240)"


def no_colour_codes(app: App) -> None:
    """NO_COLOR: no colour codes at all, rather than Textual's shades of grey.

    Textual answers NO_COLOR with a Monochrome filter (textual#839), which still writes grey
    colour codes; the no-color.org convention (no_color#240) is none at all, leaving the terminal's
    own colours. Textual has no public way to choose the filter, so it is swapped here.
    """
    from textual.filter import Monochrome, NoColor

    filters = require(app, "_filters", NO_COLOR_ISSUE)
    app._filters = [NoColor() if isinstance(f, Monochrome) else f for f in filters]


# ---------------------------------------------------------------- TabbedContent and focus

TAB_FOCUS_ISSUE = "https://github.com/Textualize/textual/issues/4955"


class KeyboardTabs(TabbedContent):
    """TabbedContent whose active tab only keys, clicks and code change, never focus.

    TabbedContent also activates the pane of a widget that gets focus. Focus arrives as a message,
    so with keys typed quickly (1 then 2, or a key mashed over SSH) the focus of an earlier tab
    switch arrives after a later one and flips the tab back (textual#4955): the tab shown and the
    saved tab then differ. Only the active pane's widgets take focus in tradegap, so nothing is lost.
    """

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.prevent_default()  # TabbedContent's own handler would switch to the focused pane
        event.stop()


require(TabbedContent, "_on_tab_pane_focused", TAB_FOCUS_ISSUE)


# ---------------------------------------------------------------- DataTable drawing

TABLE_SPEED_ISSUE = "https://github.com/Textualize/textual/issues/4737 (the cost of DataTable's per-cell rendering)"


class FastRankingTable(DataTable):
    """DataTable drawing and measuring its one-line, unstyled cells from the strings themselves.

    DataTable renders every cell through Rich (padding, styling, line splitting and cropping) and
    measures every cell of a new row through Rich too (see textual#4737 for the same cost on a change
    of focus). For a ranking's cells both come down to string lengths: a year change redraws in
    35 ms instead of 60. The segments are the same as DataTable's (tests/test_tables.py compares).
    Subclasses set `_widths` (the widest cell of each column of the rows just added) and cells that are
    not plain text go through DataTable's own rendering. Public alternative, not yet built: a
    ScrollView on the Line API (render_line -> Strip), as toolong's LogLines.
    """

    _widths: list[int] | None = None

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
        plain = plain_cell(self._data[row_key].get(column_key)) if row is not None and row.height == 1 else None
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


def plain_cell(datum: object) -> tuple[str, str | None] | None:
    from tui.widgets.tables import plain_text

    return plain_text(datum)


for _method in ("_render_cell", "_update_dimensions", "_get_styles_to_render_cell"):
    require(DataTable, _method, TABLE_SPEED_ISSUE)


# ---------------------------------------------------------------- plotext's size

PLOT_SIZE_ISSUE = "https://github.com/Textualize/textual-plotext/issues/5"


def force_plot_size(plt: Any, width: int, height: int) -> None:
    """plotsize() alone does not always stick in textual-plotext's figure (textual-plotext#5)."""
    plt.plotsize(width, height)
    require(plt, "_set_size", PLOT_SIZE_ISSUE)(width, height)
