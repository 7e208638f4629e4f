"""A line chart of several balances over the years (Compare), told apart without colour: each series has
its own marker, named in a legend under the chart.

lines_of() prepares plain values (testable without drawing); draw_lines() draws them on a plotext figure;
LineChart is the widget. plotext is imported when the chart is first drawn.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.widget import Widget

from tui.compat import plot_size
from tui.trade.formatting import billions
from tui.widgets.charts import nice_ticks, tick_label
from tui.widgets.plots import ASCII_TABLE

MARKERS = ("●", "✕", "▲", "■", "◆", "★")
ASCII_MARKERS = ("o", "x", "+", "#", "@", "%")
COLORS = ("red", "blue", "green", "magenta", "cyan", "yellow")


@dataclass(frozen=True)
class Series:
    label: str
    marker: str
    years: list[float]
    values: list[float]  # $B, negative = US deficit


@dataclass(frozen=True)
class Lines:
    title: str
    series: list[Series]
    ticks: list[float]
    tick_labels: list[str]
    year_ticks: list[float]
    year_labels: list[str]

    @property
    def legend(self) -> str:
        return "   ".join(f"{s.marker} {s.label}" for s in self.series)


def _spread(years: list[float], room: int, width: int) -> list[float]:
    """Every k-th year, the newest kept, so that labels of `width` characters fit in `room` columns."""
    if not years:
        return []
    step = max(1, math.ceil(len(years) / max(1, room // (width + 2))))
    return [years[i] for i in range(len(years) - 1, -1, -step)][::-1]


def lines_of(histories: Sequence[dict], codes: Sequence[str], names: Sequence[str], *, width: int = 80,
             height: int = 14, ascii: bool = False, title: str = "Balance by year, $B (deficit below 0)") -> Lines:
    """Each code's balance by year (records of tui.trade.compare.balance_histories) as series in $B."""
    markers = ASCII_MARKERS if ascii else MARKERS
    series = []
    for index, (code, name) in enumerate(zip(codes, names, strict=True)):
        points = [(float(row["year"]), billions(float(row[code]))) for row in histories
                  if not math.isnan(float(row.get(code, math.nan)))]
        series.append(Series(name, markers[index % len(markers)], [p[0] for p in points], [p[1] for p in points]))
    values = [v for s in series for v in s.values]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]), max(3, min(7, height // 2)))
    years = sorted({y for s in series for y in s.years})
    year_ticks = _spread(years, max(10, width - 8), 4)
    return Lines(title, series, ticks, [tick_label(t) for t in ticks], year_ticks, [str(int(y)) for y in year_ticks])


def draw_lines(plt, lines: Lines, width: int, height: int, *, colors: bool = True) -> str:
    plt.clear_figure()
    plt.theme("clear")
    plot_size(plt, width, height)
    plt.title(lines.title if len(lines.title) <= width - 2 else lines.title[: width - 3] + ".")
    for index, series in enumerate(lines.series):
        if series.years:
            plt.plot(series.years, series.values, marker=series.marker,
                     color=COLORS[index % len(COLORS)] if colors else "default")
    plt.yticks(lines.ticks, lines.tick_labels)
    plt.ylim(lines.ticks[0], lines.ticks[-1])
    if lines.year_ticks:
        plt.xticks(lines.year_ticks, lines.year_labels)
        plt.xlim(min(lines.year_ticks + [min(s.years[0] for s in lines.series if s.years)]) - 0.5,
                 max(lines.year_ticks) + 0.5)
    plt.hline(0, "default")
    return plt.build()


class LineChart(Widget):
    """Lines redrawn from a `prepare(width, height) -> Lines` function at each render, with a legend line."""

    DEFAULT_CSS = """
    LineChart {
        height: 16;
        width: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._prepare: Callable[[int, int], Lines | None] | None = None
        self.lines: Lines | None = None  # what was drawn last, for tests
        self._plot = None

    @property
    def plt(self):
        if self._plot is None:
            from textual_plotext.plot import Plot

            self._plot = Plot()
        return self._plot

    def show(self, prepare: Callable[[int, int], Lines | None] | None) -> None:
        self._prepare = prepare
        self.refresh()

    def render(self) -> Text:
        width, height = self.size
        if self._prepare is None or width < 20 or height < 6:
            self.lines = None
            return Text("")
        lines = self.lines = self._prepare(width, height - 1)
        if lines is None:
            return Text("")
        canvas = draw_lines(self.plt, lines, width, height - 1, colors=not self.app.no_color)
        if self.app.has_class("-ascii"):
            canvas = canvas.translate(ASCII_TABLE)
        text = Text.from_ansi(canvas.rstrip("\n"), no_wrap=True)
        text.append("\n" + "  " + lines.legend)  # the markers named: the series apart without colour
        return text
