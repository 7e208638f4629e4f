"""Bar charts: plotext draws the frame, title and ticks; the bars are drawn here, in eighths of a cell.

plotext (through textual-plotext's Plot) lays out what it does well: the
title, the frame, the value ticks with their labels and the tick marks under
the bars. Its own bars fill whole cells only, so the bars, the zero line, the
marks and the labels under the bars are painted here on its canvas, on a
scale (tui.widgets.charts.Scale) that puts every tick on a cell of its own:

- vertical bars take whole columns with a gap between them when there is
  room, with ⅛-row steps (a deficit's partial cell is a lower block in
  reverse video); with less room they are drawn in half columns (▌, ▐▌, █)
  with a gap of half a column and half-row steps;
- horizontal bars take one row, with ⅛-column steps and a gap row when there
  is room, else the lower half of their row (▄) with half-column steps;
- the zero line has a row (column) of its own: bars start next to it, so a
  tiny value never fills a cell on the wrong side;
- marked bars (the selected period, the table's cursor row) are drawn in the
  theme's primary colour and pointed at by ▲ (vertical) or ▶ (horizontal),
  which stay under NO_COLOR and become ^ and > in ASCII.

draw() is a plain function of a plotext figure so tests can read the drawn
canvas; BarChart is the widget that calls it at its own size.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.color import Color

from tui.widgets.charts import Bars, Scale, choose_scale, tick_label

if TYPE_CHECKING:
    from textual_plotext.plot import Plot

# Box drawing and block glyphs to ASCII, for terminals without UTF-8 (draw(ascii=True) uses ASCII bars itself).
ASCII_TABLE = str.maketrans(
    {
        "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+",
        "┤": "+", "├": "+", "┬": "+", "┴": "+", "┼": "+", "█": "#", "▄": "#", "▀": "#",
        "▌": "#", "▐": "#", "•": "*", "·": ".", "▲": "^", "▶": ">", "…": ".",
        "▁": ".", "▂": ".", "▃": ".", "▅": "#", "▆": "#", "▇": "#", "▔": "'",
        "▏": ":", "▎": ":", "▍": ":", "▋": "#", "▊": "#", "▉": "#", "▕": ":",
        "▖": ".", "▗": ".", "▘": "'", "▝": "'",
    }
)

LOWER = " ▁▂▃▄▅▆▇"  # LOWER[k]: the lower k eighths of a cell
LEFT = " ▏▎▍▌▋▊▉"  # LEFT[k]: the left k eighths


@dataclass(frozen=True)
class Glyphs:
    """How a bar's cells are drawn: `steps` steps per cell; tips[k] is a tip of k steps (glyph, reversed)."""

    steps: int
    body: str
    forward: tuple[tuple[str, bool], ...]  # tips of bars going up (vertical) or right (horizontal)
    backward: tuple[tuple[str, bool], ...]  # going down or left
    zero: str
    arrow: str


def _eighths(partial: str, one: str, half: str) -> tuple[tuple[str, bool], ...]:
    """Tips 0..7 eighths filled from the far side: the one-eighth and half glyphs, else a glyph in reverse video."""
    return tuple(("", False) if k == 0 else (one, False) if k == 1 else (half, False) if k == 4
                 else (partial[8 - k], True) for k in range(8))


VERTICAL = Glyphs(8, "█", tuple((LOWER[k], False) for k in range(8)), _eighths(LOWER, "▔", "▀"), "─", "▲")
# bars in half columns: a cell holds a bar's whole width, its left half or its right half
VERTICAL_HALF = Glyphs(2, "▌", (("", False), ("▖", False)), (("", False), ("▘", False)), "─", "▲")
VERTICAL_HALF_RIGHT = Glyphs(2, "▐", (("", False), ("▗", False)), (("", False), ("▝", False)), "─", "▲")
VERTICAL_HALF_FULL = Glyphs(2, "█", (("", False), ("▄", False)), (("", False), ("▀", False)), "─", "▲")
HORIZONTAL = Glyphs(8, "█", tuple((LEFT[k], False) for k in range(8)), _eighths(LEFT, "▕", "▐"), "│", "▶")
HORIZONTAL_HALF = Glyphs(2, "▄", (("", False), ("▖", False)), (("", False), ("▗", False)), "│", "▶")
ASCII_VERTICAL = Glyphs(2, "#", (("", False), (".", False)), (("", False), ("'", False)), "-", "^")
ASCII_VERTICAL_HALF = Glyphs(2, "|", (("", False), (".", False)), (("", False), ("'", False)), "-", "^")
ASCII_HORIZONTAL = Glyphs(2, "#", (("", False), (":", False)), (("", False), (":", False)), "|", ">")
ASCII_HORIZONTAL_HALF = Glyphs(2, "=", (("", False), ("-", False)), (("", False), ("-", False)), "|", ">")


@dataclass(frozen=True)
class Colors:
    """Rich colours of the bars: deficits and imports, surpluses and exports, the marked bars."""

    negative: str = "red"
    positive: str = "green"
    marked: str = "blue"


@dataclass
class Drawing:
    """A drawn chart: characters, each cell's role (its style), and where things went (for tests)."""

    chars: list[list[str]]
    roles: list[list[str]]  # '', 'title', 'pos', 'neg', 'mark', 'zero', 'arrow', 'note', 'note-mark', 'label-mark'
    reverse: set[tuple[int, int]] = field(default_factory=set)  # cells drawn in reverse video
    shown: list[int] = field(default_factory=list)  # the bars drawn (indices into the Bars), in order
    cells: list[range] = field(default_factory=list)  # canvas columns (vertical) or the row (horizontal) of each
    zero: int = -1  # the zero line's canvas row (vertical) or column (horizontal)
    scale: Scale | None = None
    steps: int = 8  # steps per cell of the bars' length
    title: str = ""

    @property
    def lines(self) -> list[str]:
        return ["".join(row) for row in self.chars]

    def put(self, row: int, col: int, text: str, role: str = "", reverse: bool = False) -> None:
        chars, roles = self.chars[row], self.roles[row]
        for i, ch in enumerate(text):
            c = col + i
            if 0 <= c < len(chars):
                chars[c] = ch
                roles[c] = role
                if reverse:
                    self.reverse.add((row, c))
                else:
                    self.reverse.discard((row, c))

    def segments(self, styles: dict[str, Style], base: Style | None = None) -> list[list[Segment]]:
        """Each row of the drawing as Rich segments, each run of cells in its role's style over `base`.

        A blank cell shows no foreground, so it joins the run around it: a
        row of bars and gaps is one run, not one per bar (fewer style changes
        for the terminal to be sent). Blanks never join a reversed run.
        """
        lines = []
        for r, (chars, roles) in enumerate(zip(self.chars, self.roles, strict=True)):
            line: list[Segment] = []
            start, key = 0, None  # the run's role and reverse; None while it is only blanks
            for c, ch in enumerate(chars):
                reversed_cell = (r, c) in self.reverse
                if ch == " " and not reversed_cell:
                    if key is not None and key[1]:
                        _append(line, chars[start:c], key, styles, base)
                        start, key = c, None
                    continue
                if key is not None and (roles[c], reversed_cell) != key or key is None and reversed_cell:
                    _append(line, chars[start:c], key, styles, base)
                    start = c
                key = (roles[c], reversed_cell)
            _append(line, chars[start:], key, styles, base)
            lines.append(line)
        return lines


REVERSE = Style(reverse=True)


def _append(line: list[Segment], chars: list[str], key: tuple[str, bool] | None, styles: dict[str, Style],
            base: Style | None) -> None:
    if not chars:
        return
    style = styles.get(key[0]) if key else None
    if key and key[1]:
        style = style + REVERSE if style else REVERSE
    if base is not None:
        style = base + style if style else base
    line.append(Segment("".join(chars), style))


def _steps_of(value: float, per_cell: float, steps: int, room: int) -> int:
    """A bar's length in steps: the value rounded to a step, at least one step for any nonzero value."""
    if value == 0 or per_cell <= 0:
        return 0
    length = math.floor(abs(value) / per_cell * steps + 0.5)
    return min(room * steps, max(1, length))


def _canvas(plt: Plot, width: int, height: int, title: str, xlim: int, ylim: int, xticks: list[int], xlabels: list[str],
            yticks: list[int], ylabels: list[str]) -> Drawing:
    """plotext's frame, title and ticks on a width x height canvas; the plot area is xlim x ylim cells."""
    from tui import compat

    plt.clear_figure()
    plt.theme("clear")
    compat.plot_size(plt, width, height)
    plt.title(title)
    plt.scatter([0], [0], marker=" ")  # plotext draws ticks only around some data: an invisible point
    plt.xlim(0, max(1, xlim - 1))
    plt.ylim(0, max(1, ylim - 1))
    plt.xticks([float(x) for x in xticks], xlabels)
    plt.yticks([float(y) for y in yticks], ylabels)
    lines = plt.uncolorize(plt.build()).split("\n")
    chars = [list(line.ljust(width)[:width]) for line in lines[:height]]
    chars += [[" "] * width for _ in range(height - len(chars))]
    drawing = Drawing(chars, [[""] * width for _ in range(height)], title=title)
    for c in range(width):
        if chars[0][c] != " ":
            drawing.roles[0][c] = "title"
    return drawing


def _place(free: list[bool], length: int, preferred: list[int], margin: int, anchor: int) -> int | None:
    """The first start among `preferred`, else the nearest to them, where `length` cells and a margin are free."""
    width = len(free)
    if length > width:
        return None

    def fits(start: int) -> bool:
        return all(free[c] for c in range(max(0, start - margin), min(width, start + length + margin)))

    starts = [min(max(0, s), width - length) for s in preferred]
    for start in starts:
        if fits(start):
            return start
    for start in sorted(range(width - length + 1), key=lambda s: (abs(s + length // 2 - anchor), s)):
        if fits(start):
            return start
    return None


Placed = tuple[int, str, str]  # start column, text, role


def _labels(width: int, bars: Bars, anchors: dict[int, int], pitch: float) -> tuple[list[Placed], list[int]]:
    """The row under a vertical chart: notes (label and value of the latest and the marked bars) first,
    then as many labels as fit, on round keys (every 5 or 10 years, every 3 or 6 months...).

    Returns what goes where, and the columns of the single bars labelled (plotext's tick marks).
    """
    free = [True] * width
    placed: list[Placed] = []
    ticks: list[int] = []
    for note in sorted(bars.notes, key=lambda n: (-n.last, -n.first)):  # from the right: the latest first
        if note.first not in anchors or note.last not in anchors:
            continue
        anchor = (anchors[note.first] + anchors[note.last]) // 2
        length = len(note.text)
        start = _place(free, length, [anchor - length // 2, anchor - length + 1, anchor], 2, anchor)
        if start is None:
            continue
        placed.append((start, note.text, "note-mark" if note.marked else "note"))
        for c in range(start, start + length):
            free[c] = False
        if note.first == note.last:
            ticks.append(anchor)
    shown = sorted(anchors)
    if not shown:
        return placed, ticks
    longest = max(len(bars.labels[i]) for i in shown)
    keys = bars.keys if bars.keys is not None else list(range(len(bars.labels)))
    newest = keys[shown[-1]]
    stride = next((k for k in bars.label_steps if k * pitch >= longest + 2), None)
    if stride is None:
        return placed, ticks
    for i in reversed(shown):
        if bars.keys is None and (newest - keys[i]) % stride or bars.keys is not None and keys[i] % stride:
            continue
        text = bars.labels[i]
        start = _place(free, len(text), [anchors[i] - len(text) // 2], 2, anchors[i])
        if start is None or not start <= anchors[i] < start + len(text):
            continue
        placed.append((start, text, ""))
        for c in range(start, start + len(text)):
            free[c] = False
        ticks.append(anchors[i])
    return placed, ticks


def _window(count: int, room: int, marked: frozenset[int]) -> list[int]:
    """The bars that fit in `room` cells: all, else the newest ones, moved back to show the marked ones."""
    if count <= room:
        return list(range(count))
    start = count - room
    if marked and min(marked) < start:
        start = min(marked)
    return list(range(start, start + room))


def _vertical(plt: Plot, bars: Bars, width: int, height: int, ascii: bool) -> Drawing:
    rows = height - 4  # title, top and bottom of the frame, labels
    scale = choose_scale(bars.lower, bars.upper, rows, max_cells=max(3, rows // 4))
    ticks = scale.ticks
    tick_labels = [tick_label(t) for t in ticks]
    axis = max(len(label) for label in tick_labels)
    room = width - axis - 2
    shown = _window(len(bars.values), max(1, room), bars.marked)
    count = len(shown)
    parts: list[list[tuple[int, Glyphs]]] = []  # each bar's columns and how each is drawn
    if room >= 2 * count - 1:  # whole columns, a gap of at least one
        pitch: float = (room + 1) // count
        gap = 1 if pitch <= 5 else int(pitch) // 3
        bar = max(1, int(pitch) - gap)
        left = axis + 1 + (room - (count * int(pitch) - gap)) // 2
        glyphs = ASCII_VERTICAL if ascii else VERTICAL
        parts = [[(left + k * int(pitch) + c, glyphs) for c in range(bar)] for k in range(count)]
    else:  # half columns: bars one or more halves wide, a gap of one half (ASCII: a column each)
        halves = 2 if ascii else max(2, (2 * room + 1) // count)
        first = 2 * (axis + 1) + (2 * room - (count * halves - 1)) // 2
        pitch = halves / 2
        glyphs = ASCII_VERTICAL_HALF if ascii else VERTICAL_HALF
        for k in range(count):
            span = range(first + k * halves, first + (k + 1) * halves - 1)
            cells = []
            for col in sorted({h // 2 for h in span}):
                both_halves = 2 * col in span and 2 * col + 1 in span
                cells.append((col, glyphs if ascii or (not both_halves and 2 * col in span)
                              else VERTICAL_HALF_FULL if both_halves else VERTICAL_HALF_RIGHT))
            parts.append(cells)
    columns = [range(cells[0][0], cells[-1][0] + 1) for cells in parts]
    anchors = {i: cols.start + (len(cols) - 1) // 2 for i, cols in zip(shown, columns, strict=True)}
    top = 2
    zero = top + scale.above
    title = bars.title_for(width - axis)
    placed, label_ticks = _labels(width, bars, anchors, pitch)
    label_ticks = label_ticks or [anchors[shown[-1]]]
    drawing = _canvas(plt, width, height, title, room, rows, [c - axis - 1 for c in label_ticks],
                      [""] * len(label_ticks), [scale.below + scale.offset(t) for t in ticks], tick_labels)
    drawing.put(height - 1, 0, " " * width)
    for start, text, role in placed:
        drawing.put(height - 1, start, text, role)
    drawing.shown, drawing.cells, drawing.zero, drawing.scale, drawing.steps = shown, columns, zero, scale, glyphs.steps
    drawing.put(zero, axis + 1, glyphs.zero * room, "zero")
    for values in [bars.values] if bars.second is None else [bars.values, bars.second]:
        for i, cells in zip(shown, parts, strict=True):
            value = values[i]
            going_up = value > 0
            length = _steps_of(value, scale.per_cell, glyphs.steps, scale.above if going_up else scale.below)
            whole, rest = divmod(length, glyphs.steps)
            role = "mark" if i in bars.marked else "pos" if going_up else "neg"
            direction = -1 if going_up else 1
            for col, drawn in cells:
                tip, reverse = (drawn.forward if going_up else drawn.backward)[rest]
                for k in range(whole):
                    drawing.put(zero + direction * (k + 1), col, drawn.body, role)
                if rest:
                    drawing.put(zero + direction * (whole + 1), col, tip, role, reverse)
    for i in bars.marked:
        if i in anchors:
            drawing.put(height - 2, anchors[i], glyphs.arrow, "arrow")
    if ascii:
        _to_ascii(drawing)
    return drawing


def _horizontal(plt: Plot, bars: Bars, width: int, height: int, ascii: bool) -> Drawing:
    rows = height - 4  # title, top and bottom of the frame, tick labels
    shown = list(range(min(len(bars.values), max(0, rows))))
    count = len(shown)
    gaps = count > 1 and rows >= 2 * count - 1
    pitch = 2 if gaps else 1
    if ascii:
        glyphs = ASCII_HORIZONTAL if gaps or count <= 1 else ASCII_HORIZONTAL_HALF
    else:
        glyphs = HORIZONTAL if gaps or count <= 1 else HORIZONTAL_HALF
    amounts = bars.amounts or [""] * len(bars.values)
    name = max((len(bars.labels[i]) for i in shown), default=0)
    value = max((len(amounts[i]) for i in shown), default=0)
    # the names give way (down to 6 characters) so that the bars keep at least a third of the width
    name = max(min(name, 6), min(name, width - (width // 3) - value - 4))
    tick_room = max(len(tick_label(bars.lower)), len(tick_label(bars.upper))) + 2
    axis = 1 + name + (1 + value if value else 0)
    room = width - axis - 2
    min_cells = min(tick_room, max(1, room // 2))
    scale = choose_scale(bars.lower, bars.upper, room, min_cells=min_cells, max_cells=max(min_cells, room // 3),
                         prefer=())
    ticks = scale.ticks
    labels = []
    for i in shown:
        text = bars.labels[i] if len(bars.labels[i]) <= name else bars.labels[i][: max(1, name - 1)] + "."
        labels.append(" " + text.ljust(name) + (" " + amounts[i].rjust(value) if value else ""))
    title = bars.title_for(width - axis)
    drawing = _canvas(plt, width, height, title, room, rows,
                      [scale.below + scale.offset(t) for t in ticks], [tick_label(t) for t in ticks],
                      [rows - 1 - k * pitch for k in range(count)], labels)
    left = axis + 1
    zero = left + scale.below
    top = 2
    drawing.shown, drawing.zero, drawing.scale, drawing.steps = shown, zero, scale, glyphs.steps
    drawing.cells = [range(top + k * pitch, top + k * pitch + 1) for k in range(count)]
    for row in range(top, top + rows):
        drawing.put(row, zero, glyphs.zero, "zero")
    for k, i in enumerate(shown):
        row = top + k * pitch
        value_i = bars.values[i]
        going_right = value_i > 0
        length = _steps_of(value_i, scale.per_cell, glyphs.steps, scale.above if going_right else scale.below)
        whole, rest = divmod(length, glyphs.steps)
        marked = i in bars.marked
        role = "mark" if marked else "pos" if going_right else "neg"
        direction = 1 if going_right else -1
        for c in range(whole):
            drawing.put(row, zero + direction * (c + 1), glyphs.body, role)
        if rest:
            tip, reverse = (glyphs.forward if going_right else glyphs.backward)[rest]
            drawing.put(row, zero + direction * (whole + 1), tip, role, reverse)
        if marked:
            drawing.put(row, 0, glyphs.arrow, "arrow")
            for c in range(1, axis):
                drawing.roles[row][c] = "label-mark"
    if ascii:
        _to_ascii(drawing)
    return drawing


def _to_ascii(drawing: Drawing) -> None:
    for row in drawing.chars:
        for c, ch in enumerate(row):
            if not ch.isascii():
                row[c] = ch.translate(ASCII_TABLE)


def draw(plt: Plot, bars: Bars, width: int, height: int, *, horizontal: bool = False, ascii: bool = False) -> Drawing:
    """Draw bars on a plotext figure of width x height cells (at least 12 x 6).

    Vertical charts have a row of labels under the frame: the latest bar's and
    the marked bars' labels with their values, and as many others as fit.
    Horizontal charts print each bar's value after its label.
    """
    if not bars.values:
        drawing = Drawing([[" "] * width for _ in range(height)], [[""] * width for _ in range(height)])
        title = bars.title_for(width)
        drawing.put(0, (width - len(title)) // 2, title, "title")
        drawing.put(2, 1, "no data"[: width - 1])
        return drawing
    if horizontal:
        return _horizontal(plt, bars, width, height, ascii)
    return _vertical(plt, bars, width, height, ascii)


def rich_color(value: str | None, fallback: str) -> str:
    """A theme colour as Rich takes it: an ANSI colour for ANSI themes, else its hex form."""
    if not value:
        return fallback
    try:
        color = Color.parse(value)
    except Exception:
        return fallback
    if color.ansi is not None:
        return "default" if color.ansi < 0 else f"color({color.ansi})"
    return color.hex


def styles(colors: Colors) -> dict[str, Style]:
    marked = Style(color=colors.marked)
    return {
        "title": Style(bold=True),
        "pos": Style(color=colors.positive),
        "neg": Style(color=colors.negative),
        "mark": marked,
        "arrow": marked + Style(bold=True),
        "note": Style(bold=True),
        "note-mark": marked + Style(bold=True),
        "label-mark": marked + Style(bold=True),
    }


def preload() -> None:
    """Import plotext (about 20 ms), so that the first chart shown does not pay for it."""
    import textual_plotext.plot  # noqa: F401

    import tui.compat  # noqa: F401
