"""Bar charts drawn with plotext inside Textual (textual-plotext's Plot).

draw() is a plain function of a plotext figure so tests can check the
drawn canvas; BarChart is the widget that calls it at its own size with
the app theme's colours. plotext is imported when a chart is first drawn
(or by preload(), once the first screen is up), not when the app starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.color import Color
from textual.widget import Widget

from tui.widgets.charts import Bars

# Box drawing and block glyphs to ASCII, for terminals without UTF-8.
ASCII_TABLE = str.maketrans(
    {
        "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "┤": "+", "├": "+", "┬": "+", "┴": "+", "┼": "+", "█": "#", "▄": "#", "▀": "#",
        "▌": "#", "▐": "#", "•": "*", "·": ".",
    }
)

ColorSpec = str | int | tuple[int, int, int]


@dataclass(frozen=True)
class Colors:
    negative: ColorSpec = "red"  # deficits, imports
    positive: ColorSpec = "green"  # surpluses, exports
    axis: ColorSpec = "default"


def draw(plt, bars: Bars, width: int, height: int, *, horizontal: bool = False, colors: Colors = Colors()) -> str:
    """Draw bars on a plotext figure of width x height cells and return the canvas.

    Negative and positive values are separate series (plotext gives one bar
    series one colour), and the zero line is drawn last so deficits sit
    below it (left of it) and surpluses above (right).
    """
    from tui import compat

    plt.clear_figure()
    plt.theme("clear")
    compat.plot_size(plt, width, height)
    if bars.title:
        # a title wider than the chart makes plotext wrap it and break the frame
        plt.title(bars.title if len(bars.title) <= width - 2 else bars.title[: width - 3] + ".")
    orientation = "horizontal" if horizontal else "vertical"
    bar_width = 0.1 if horizontal else 0.7
    series = [(bars.values, None)]
    if bars.second is not None:
        series.append((bars.second, colors.negative))
    for values, fixed in series:
        for sign, color in ((-1, colors.negative), (1, colors.positive)):
            chosen = [(p, v) for p, v in zip(bars.positions, values) if (v < 0 if sign < 0 else v > 0)]
            if chosen:
                plt.bar([p for p, _ in chosen], [v for _, v in chosen], orientation=orientation,
                        width=bar_width, color=fixed if fixed is not None else color, marker="sd")
    lo, hi = bars.ticks[0], bars.ticks[-1]
    if horizontal:
        plt.xticks(bars.ticks, bars.tick_labels)
        plt.xlim(lo, hi)
        if bars.positions:
            plt.yticks(bars.label_ticks, bars.label_tick_labels)
            # limits on the first and last positions map every position onto a row
            # exactly; with half-row margins plotext can paint a bar on its neighbour's row
            low, high = min(bars.positions), max(bars.positions)
            plt.ylim(low, high) if high > low else plt.ylim(low - 1, high + 1)
        plt.vline(0, colors.axis)
    else:
        plt.yticks(bars.ticks, bars.tick_labels)
        plt.ylim(lo, hi)
        if bars.positions:
            plt.xticks(bars.label_ticks, bars.label_tick_labels)
            plt.xlim(min(bars.positions) - 0.6, max(bars.positions) + 0.6)
        plt.hline(0, colors.axis)
    return plt.build()


def _plot_color(value: str | None, fallback: ColorSpec) -> ColorSpec:
    """A theme colour as plotext wants it: an ANSI index for ANSI themes, else RGB."""
    if not value:
        return fallback
    try:
        color = Color.parse(value)
    except Exception:
        return fallback
    if color.ansi is not None:
        return "default" if color.ansi < 0 else color.ansi
    return color.rgb


def preload() -> None:
    """Import plotext (about 20 ms), so that the first chart shown does not pay for it."""
    import textual_plotext.plot  # noqa: F401

    import tui.compat  # noqa: F401


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
        self._plot = None

    @property
    def plt(self):
        """This chart's plotext figure (textual-plotext's Plot; colours come from the app theme)."""
        if self._plot is None:
            from textual_plotext.plot import Plot

            self._plot = Plot()
        return self._plot

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.refresh())

    def show(self, prepare: Callable[[int, int], Bars | None] | None) -> None:
        self._prepare = prepare
        self.refresh()

    def data(self) -> Bars | None:
        """What the chart shows (or would show, when scrolled out of view) at its size."""
        if self._prepare is None:
            return None
        width, height = self.size
        return self._prepare(width or 80, height or 13)

    def colors(self) -> Colors:
        variables = self.app.theme_variables
        return Colors(
            negative=_plot_color(variables.get("error"), "red"),
            positive=_plot_color(variables.get("success"), "green"),
        )

    def render(self) -> Text:
        width, height = self.size
        if self._prepare is None or width < 12 or height < 5:
            self.bars = None
            return Text("")
        bars = self._prepare(width, height)
        self.bars = bars
        if bars is None:
            return Text("")
        canvas = draw(self.plt, bars, width, height, horizontal=self.horizontal, colors=self.colors())
        if self.app.has_class("-ascii"):
            canvas = canvas.translate(ASCII_TABLE)
        return Text.from_ansi(canvas, no_wrap=True)
