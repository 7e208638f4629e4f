"""The bar chart widget: what it shows is prepared at each render and drawn by tui.widgets.plots.

It renders through Textual's line API (render_line): a drawing's rows become its strips once, and are
handed out as they are at every later render. Through render() they were a Rich Text, converted to
Textual's content and cut into lines at every render: about a third of the three charts' 17 ms (of a
detail's 85) at 160x48.

Kept apart from the drawing code so that a screen with charts can be composed without loading it:
plots (and plotext behind it) load with the first chart drawn, or in the background after the first
screen, not before the first screen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.segment import Segment
from textual.geometry import Region
from textual.selection import Selection
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from textual_plotext.plot import Plot

    from tui.widgets.charts import Bars
    from tui.widgets.plots import Colors, Drawing


class BarChart(Widget):
    """A bar chart redrawn from a `prepare(width, height) -> Bars` function at each render."""

    DEFAULT_CSS = """
    BarChart {
        height: 14;
        width: 1fr;
    }
    """

    def __init__(self, *, horizontal: bool = False, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.horizontal = horizontal
        self._prepare: Callable[[int, int], Bars | None] | None = None
        self.bars: Bars | None = None  # what was drawn last, for tests and the status line
        self.drawing: Drawing | None = None
        self._plot: Plot | None = None
        # the bars drawn last at each size and look: the same bars again (a refresh, the same data shown
        # again, a tab shown) are not drawn again; plotext's drawing is most of a chart's time
        self._drawn: dict[tuple, tuple[Bars | None, Drawing | None, list[Strip]]] = {}
        self._lines: list[Strip] = []  # the rows of this render (render_lines), handed out by render_line

    @property
    def plt(self) -> Plot:
        """This chart's plotext figure (textual-plotext's Plot)."""
        if self._plot is None:
            from textual_plotext.plot import Plot

            self._plot = Plot()
        return self._plot

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh())

    def show(self, prepare: Callable[[int, int], Bars | None] | None) -> None:
        self._prepare = prepare
        self.refresh()

    def draw_ahead(self, width: int, height: int) -> None:
        """Draw now what render() will show at this size (a hidden tab's chart, before it is shown)."""
        if self._prepare is not None and width >= 12 and height >= 6:
            self._drawn_at(width, height)

    def data(self) -> Bars | None:
        """What the chart shows (or would show, when scrolled out of view) at its size."""
        if self._prepare is None:
            return None
        width, height = self.size
        return self._prepare(width or 80, height or 13)

    def palette(self) -> Colors:
        from tui.widgets.plots import Colors, rich_color

        variables = self.app.theme_variables
        return Colors(
            negative=rich_color(variables.get("error"), "red"),
            positive=rich_color(variables.get("success"), "green"),
            marked=rich_color(variables.get("primary"), "blue"),
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        """The chart's rows, drawn (or found drawn) once for this render; render_line hands them out."""
        width, height = self.size
        if self._prepare is None or width < 12 or height < 6:
            self.bars = self.drawing = None
            self._lines = []
        else:
            self.bars, self.drawing, self._lines = self._drawn_at(width, height)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        if not 0 <= y < len(self._lines):
            return Strip.blank(self.size.width, self.visual_style.rich_style)
        line = self._lines[y]
        selection = self.text_selection
        span = selection.get_span(y) if selection is not None else None
        if span is None:
            return line
        # the cells selected with the mouse, in the screen's selection style over the chart's own
        start, end = span
        end = line.cell_length if end == -1 else min(end, line.cell_length)
        before, chosen, after = line.divide([start, end, line.cell_length])
        style = self.screen.get_component_rich_style("screen--selection")
        return Strip.join([before, Strip(list(Segment.apply_style(chosen, post_style=style)), chosen.cell_length),
                           after])

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        """The chart's text under a mouse selection (each cell is one character: its rows as drawn)."""
        if self.drawing is None:
            return None
        return selection.extract("\n".join(self.drawing.lines)), "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self.refresh()

    def _drawn_at(self, width: int, height: int) -> tuple[Bars | None, Drawing | None, list[Strip]]:
        """The bars, their drawing and its rows as strips at a size, drawn once per bars, size and look.

        The bars are prepared every time (cheap): they may depend on more than the data shown (the
        table's cursor row is marked), and equal bars are what makes a drawing reusable."""
        from tui.widgets import plots  # through the module, so that the tests can count the drawings

        assert self._prepare is not None
        bars = self._prepare(width, height)
        palette, ascii, base = self.palette(), self.app.has_class("-ascii"), self.visual_style.rich_style
        key = (width, height, palette, ascii, base)
        found = self._drawn.get(key)
        if found is None or found[0] != bars:
            if bars is None:
                found = (None, None, [])
            else:
                drawing = plots.draw(self.plt, bars, width, height, horizontal=self.horizontal, ascii=ascii)
                rows = drawing.segments(plots.styles(palette), base)
                # each cell's place in the drawing's text, for a mouse selection (apply_offsets)
                found = (bars, drawing, [Strip(row).adjust_cell_length(width, base).apply_offsets(0, y)
                                         for y, row in enumerate(rows)])
            if len(self._drawn) >= 4:  # a few sizes (resizes, the layouts' breakpoints), not every size seen
                self._drawn.clear()
            self._drawn[key] = found
        return found
