"""Chart data, prepared as plain values (no Textual, no plotting).

Each function turns a frame from tui.trade into what a bar chart shows: one
label and one value per bar, in billions of dollars (in millions when every
value is under a billion: see unit_of), the bars to mark (the
selected period, the table's cursor row), the notes printed next to bars
(their label and value) and title forms from longest to shortest. Keeping
this apart from drawing lets tests compare every bar with the domain layer's
numbers. How values map onto cells (Scale) is plain arithmetic too, so it
lives here; tui.widgets.plots draws.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from tui.trade.periods import Period

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Note:
    """Text printed next to bars first..last (first == last for one bar): what they are and their value."""

    first: int
    last: int
    text: str
    marked: bool = False  # about the marked bars (drawn in their colour)


@dataclass(frozen=True)
class Bars:
    """One bar chart: bar i stands for labels[i] and has height values[i] (in `unit`: $B or $M)."""

    titles: tuple[str, ...]  # title forms, longest first: the chart shows the longest that fits
    labels: list[str]  # what each bar stands for: '2024', '2026 YTD', 'Nov 2024', a name
    values: list[float]  # in `unit`, negative = US deficit
    second: list[float] | None = None  # a second series at the same bars (imports, negative: drawn below 0)
    keys: list[int] | None = None  # numbers the axis labels are aligned on (years, months); None: any bar
    label_steps: tuple[int, ...] = (1, 2, 5, 10, 20, 25, 50, 100)  # label every k-th key, the smallest k that fits
    marked: frozenset[int] = frozenset()  # the selected period's bars, or the table's cursor row
    notes: tuple[Note, ...] = ()  # printed next to their bars (vertical charts)
    amounts: list[str] = field(default_factory=list)  # each bar's value as printed beside it (horizontal charts)
    unit: str = "$B"

    @property
    def title(self) -> str:
        return self.titles[0] if self.titles else ""

    def title_for(self, width: int) -> str:
        """The longest title form of at most `width` characters; the shortest cut to fit when none does."""
        for form in self.titles:
            if len(form) <= width:
                return form
        return shorten(self.titles[-1] if self.titles else "", max(1, width))

    @property
    def lower(self) -> float:
        return min([0.0, *self.values, *(self.second or [])])

    @property
    def upper(self) -> float:
        return max([0.0, *self.values, *(self.second or [])])


# ---------------------------------------------------------------- values and ticks


def unit_of(millions: Sequence[float]) -> tuple[str, float]:
    """The unit of a chart of these amounts (millions of dollars) and what divides them into it: '$B', 1000;
    '$M', 1 when every one is under a billion, so that a small partner's bars and ticks do not all read 0.0."""
    largest = max((abs(v) for v in millions if math.isfinite(v)), default=0.0)
    return ("$B", 1000.0) if largest >= 1000 else ("$M", 1.0)


def in_unit(millions: Sequence[float]) -> tuple[str, list[float]]:
    """The chart's unit for these amounts (unit_of) and the amounts in it."""
    unit, per = unit_of(millions)
    return unit, [v / per for v in millions]


def _in_unit(forms: tuple[str, ...], unit: str) -> tuple[str, ...]:
    """Title forms that name the unit ('($B ...'), naming the chart's own."""
    return forms if unit == "$B" else tuple(form.replace("($B", f"({unit}") for form in forms)


def amount(value: float, *, fine: bool = False) -> str:
    """'+12.3', '-629.7', '-1,203.4', '0.0': a value in the chart's unit as printed next to its bar; fine: to the
    thousand dollars when under a tenth ('+0.004'), for amounts in $M of the chapters' precision."""
    if fine and 0 < abs(value) < 0.05:
        return f"{value:+.3f}"
    text = f"{value:+,.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def nice_step(span: float, max_ticks: int) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving at most max_ticks ticks."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(1, max_ticks - 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


def nice_ticks(lower: float, upper: float, max_ticks: int = 5) -> list[float]:
    """Round tick values covering lower..upper, always including 0."""
    lower, upper = min(lower, 0.0), max(upper, 0.0)
    if upper - lower < 1e-9:
        upper = lower + 1.0
    step = nice_step(upper - lower, max_ticks)
    first = math.floor(lower / step + 1e-9) * step
    last = math.ceil(upper / step - 1e-9) * step
    count = int(round((last - first) / step))
    ticks = [round(first + i * step, 10) for i in range(count + 1)]
    return [0.0 if abs(t) < 1e-9 else t for t in ticks]


def tick_label(value: float) -> str:
    """'-250', '0', '+50', '+2.5': signs make deficits and surpluses readable without colour."""
    if abs(value) < 1e-9:
        return "0"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text if value < 0 else "+" + text


@dataclass(frozen=True)
class Scale:
    """Values onto cells (rows or columns): a tick every `cells` cells, one every `step` $B.

    The zero line takes a cell of its own; `below` cells hold negative values
    and `above` cells positive ones, so a bar starts next to the line and a
    value v spans v / per_cell cells. Ticks are the multiples of step that fit.
    """

    step: float
    cells: int
    below: int
    above: int

    @property
    def per_cell(self) -> float:
        return self.step / self.cells

    @property
    def size(self) -> int:
        return self.below + 1 + self.above

    @property
    def ticks(self) -> list[float]:
        """Tick values, lowest first; tick j * step sits j * cells cells from the zero line."""
        low, high = -(self.below // self.cells), self.above // self.cells
        return [0.0 if j == 0 else round(j * self.step, 10) for j in range(low, high + 1)]

    def offset(self, tick: float) -> int:
        """Cells from the zero line to a tick's cell (negative: below or left of it)."""
        return int(round(tick / self.step)) * self.cells


def _steps(span: float) -> list[float]:
    power = math.floor(math.log10(span)) if span > 0 else 0
    return [f * 10.0 ** e for e in range(power - 3, power + 2) for f in (1, 2, 2.5, 5)]


def _reach(value: float, cells: int, step: float) -> int:
    """Cells a bar of this size needs at `cells` cells per step (at least one for any nonzero value)."""
    if value <= 0:
        return 0
    return max(1, math.ceil(value * cells / step - 1e-9))


def choose_scale(lower: float, upper: float, room: int, *, min_cells: int = 1, max_cells: int | None = None,
                 prefer: Sequence[int] = (2, 3, 4, 5, 6, 1)) -> Scale:
    """The finest round scale fitting lower..upper (lower <= 0 <= upper) into `room` cells.

    The finest is the one with the fewest $B per cell; among scales nearly as
    fine, ticks every `prefer[0]` cells come first, then prefer[1]... Ticks are
    at least min_cells apart (room for their labels on a horizontal axis) and
    at most max_cells (so that there are a few of them).
    Cells left over extend the axis to the next tick.
    """
    lower, upper = min(lower, 0.0), max(upper, 0.0)
    room = max(1, room)
    if upper - lower < 1e-12:
        upper = 1.0  # nothing to show: an axis from 0 to +1
    best: list[tuple[float, Scale]] = []
    for step in _steps(upper - lower):
        cells = min(room - 1, int((room - 1) * step / (upper - lower)) + 1, max_cells or room)
        while cells >= max(1, min_cells):
            below, above = _reach(-lower, cells, step), _reach(upper, cells, step)
            if below + above + 1 <= room and max(below, above) >= cells:
                best.append((step / cells, Scale(step, cells, below, above)))
                break
            cells -= 1
    if not best:  # too little room for a tick besides zero: one step spans the space there is
        step = _steps(upper - lower)[-1]
        cells = max(1, room - 1)
        below = min(room - 1, _reach(-lower, cells, step))
        return Scale(step, cells, below, room - 1 - below)
    # steps of 2.5 give labels like -17.5: taken only when clearly finer
    best = [(per_cell * (1.1 if round(s.step / 10 ** math.floor(math.log10(s.step)), 6) == 2.5 else 1), s)
            for per_cell, s in best]
    finest = min(per_cell for per_cell, _ in best)
    close = [scale for per_cell, scale in best if per_cell <= finest * 1.05 + 1e-12]
    rank = {cells: i for i, cells in enumerate(prefer)}
    scale = min(close, key=lambda s: (rank.get(s.cells, len(prefer)), s.step / s.cells))
    # cells left over: one between the frame and the zero line on an empty side, then the side with
    # the larger values is extended to its next tick, then the other side; the rest goes to the larger side
    spare = room - scale.size
    sides = {"below": scale.below, "above": scale.above}
    larger, other = ("below", "above") if -lower >= upper else ("above", "below")
    if spare and sides[other] == 0:
        sides[other], spare = 1, spare - 1
    for side in (larger, other):
        reach = sides[side]
        extra = min(spare, math.ceil(reach / scale.cells) * scale.cells - reach)
        sides[side], spare = reach + extra, spare - extra
    sides[larger] += spare
    return Scale(scale.step, scale.cells, sides["below"], sides["above"])


# ---------------------------------------------------------------- titles


def shorten(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "."


def title_forms(title: str | Sequence[str]) -> tuple[str, ...]:
    """Title forms from longest to shortest: given, or made by dropping the last '(...)', ', ...' or ': ...'."""
    if not isinstance(title, str):
        forms = [str(t) for t in title if str(t)]
        return tuple(forms) if forms else ("",)
    forms = [title]
    text = title
    while True:
        if text.endswith(")") and " (" in text:
            text = text[: text.rindex(" (")]
        elif ", " in text:
            text = text[: text.rindex(", ")]
        elif ": " in text:
            text = text[: text.index(": ")]
        else:
            break
        forms.append(text)
    return tuple(forms)


# ---------------------------------------------------------------- the detail's charts


def year_label(year: int, months: int) -> str:
    """'2024' for a complete year, '2026 YTD' for the months so far of the latest."""
    return str(year) if months >= 12 else f"{year} YTD"


def month_label(year: int, month: int) -> str:
    """'Nov 2024': a month that cannot be read as a day."""
    return f"{MONTHS[month - 1]} {year}"


def _yearly(history: pd.DataFrame) -> tuple[list[int], list[str]]:
    """The years and their labels: '2026 YTD' for the latest year's months so far, and '2009 Jun-Dec' for an
    earlier year of fewer months (a bloc's first year, which it began after January)."""
    years = [int(y) for y in history["year"].tolist()]
    months = [int(m) for m in history["months"].tolist()]
    labels = [year_label(y, m) if i == len(years) - 1 or m >= 12 else f"{y} {MONTHS[12 - m]}-Dec"
              for i, (y, m) in enumerate(zip(years, months, strict=True))]
    return years, labels


def _notes(labels: list[str], texts: list[str], marked: frozenset[int]) -> tuple[Note, ...]:
    """The latest bar's note, and the marked bar's when it is another."""
    if not labels:
        return ()
    latest = len(labels) - 1
    notes = [Note(latest, latest, f"{labels[latest]} {texts[latest]}", latest in marked)]
    for i in sorted(marked - {latest}):
        notes.append(Note(i, i, f"{labels[i]} {texts[i]}", True))
    return tuple(notes)


def _span(labels: list[str]) -> str:
    """'1985-2026 YTD'; from a first year of some months only ('2009 Jun-Dec'), 'Jun 2009-2026 YTD'."""
    if not labels:
        return "no years"
    year, _, months = labels[0].partition(" ")
    first = f"{months.partition('-')[0]} {year}" if "-" in months else labels[0]
    return f"{first}-{labels[-1]}"


def _marked_year(years: list[int], selected: Period | None) -> frozenset[int]:
    if selected is None:
        return frozenset()
    return frozenset(i for i, y in enumerate(years) if y == selected.year)


def balance_history(history: pd.DataFrame, *, selected: Period | None = None) -> Bars:
    """The balance of every year, the latest year to date included, in $B (deficits below zero).

    The selected period's year is marked; the latest bar and the marked one carry their value.
    """
    years, labels = _yearly(history)
    unit, values = in_unit([float(v) for v in history["balance"].tolist()])
    marked = _marked_year(years, selected)
    span = _span(labels)
    return Bars(
        _in_unit((f"Balance by year, {span} ($B, deficit below 0)", f"Balance by year, {span} ($B)",
                  "Balance by year ($B)", "Balance by year", "Balance"), unit),
        labels, values, keys=years, marked=marked, notes=_notes(labels, [amount(v) for v in values], marked),
        unit=unit)


def exports_imports(history: pd.DataFrame, *, selected: Period | None = None) -> Bars:
    """Exports (above the line) and imports (below it) of every year, the latest to date included, in $B.

    Drawing imports downwards keeps one column per year, so the whole history
    fits at 80 columns and the gap between the two is the balance.
    """
    years, labels = _yearly(history)
    count = len(history)
    unit, both = in_unit([float(v) for v in (*history["exports"].tolist(), *history["imports"].tolist())])
    exports, imports = both[:count], both[count:]
    marked = _marked_year(years, selected)
    span = _span(labels)
    texts = [f"{amount(e)}/{amount(-i)}" for e, i in zip(exports, imports, strict=True)]
    return Bars(
        _in_unit((f"Exports (above 0) and imports (below 0) by year, {span} ($B)",
                  f"Exports above 0, imports below 0, {span} ($B)", "Exports above 0, imports below 0 ($B)",
                  "Exports up, imports down ($B)", "Exports up, imports down", "Exports, imports"), unit),
        labels, exports, second=[-v for v in imports], keys=years, marked=marked,
        notes=_notes(labels, texts, marked), unit=unit)


def monthly_balance(monthly: pd.DataFrame, *, selected: Period | None = None) -> Bars:
    """The balance of each month given, in $B (deficits below zero).

    The months of the selected period are marked and, when all of them are
    shown, noted with the period's total; the latest month carries its value.
    """
    years = [int(y) for y in monthly["year"].tolist()]
    months = [int(m) for m in monthly["month"].tolist()]
    labels = [month_label(y, m) for y, m in zip(years, months, strict=True)]
    unit, values = in_unit([float(v) for v in monthly["balance"].tolist()])
    marked: frozenset[int] = frozenset()
    notes: list[Note] = []
    if labels:
        latest = len(labels) - 1
        if selected is not None:
            marked = frozenset(i for i, (y, m) in enumerate(zip(years, months, strict=True))
                               if y == selected.year and m <= selected.months)
        if marked:
            first, last = min(marked), max(marked)
            whole = len(marked) == selected.months if selected is not None else False
            total = f" {amount(sum(values[i] for i in marked))}" if whole else " (part)"
            notes.append(Note(first, last, f"{selected.label if selected is not None else ''}{total}", True))
        notes.append(Note(latest, latest, f"{labels[latest]} {amount(values[latest])}", latest in marked))
    span = f"{labels[0]} to {labels[-1]}" if labels else "no months"
    return Bars(
        _in_unit((f"Balance by month, {span} ($B, deficit below 0)", f"Balance by month, {span} ($B)",
                  "Balance by month ($B)", "Balance by month", "Monthly"), unit),
        labels, values, keys=[y * 12 + m - 1 for y, m in zip(years, months, strict=True)],
        label_steps=(1, 2, 3, 6, 12, 24, 48), marked=marked, notes=tuple(notes), unit=unit)


# ---------------------------------------------------------------- rankings


def _rows_shown(forms: tuple[str, ...], first: int, last: int, total: int) -> tuple[str, ...]:
    """Title forms saying which rows the bars are ('Largest chapter balances, 2024, rows 40-50 of 98 ($B)'), the
    shortest ones as they were."""
    rows = f"rows {first}-{last} of {total}"
    said = []
    for form in forms:
        head, paren, tail = form.rpartition(" (")
        said.append(f"{head}, {rows} ({tail}" if paren and form.endswith(")") else f"{form}, {rows}")
    return (*said, *forms)


def ranked(records: Sequence[Mapping], label: str, *, rows: int, title: str | Sequence[str], label_width: int = 16,
           selected: object = None, key: str = "code") -> Bars:
    """The first `rows` rows of a ranking (records) as horizontal bars, top row first, in $B (in $M when every
    bar shown is under a billion: the title's '($B' says which).

    `selected` is the key (column `key`) of the table's cursor row: its bar is
    marked, and when it is further down than `rows` the bars shown are the
    ones just above it and it. `title` is a string (shorter forms are made by
    dropping its last parts) or the forms, longest first.
    """
    rows = max(0, rows)
    start, marked = 0, frozenset[int]()
    if selected is not None:
        wanted = str(selected)
        position = next((i for i, row in enumerate(records) if str(row.get(key)) == wanted), None)
        if position is not None and rows:
            start = max(0, position - rows + 1)
            marked = frozenset({position - start})
    window = records[start:start + rows]
    labels = [shorten(str(row[label]), label_width) for row in window]
    unit, values = in_unit([float(row["balance"]) for row in window])
    forms = title_forms(title)
    if start:  # scrolled to the cursor: not the first rows, which the title speaks of
        forms = _rows_shown(forms, start + 1, start + len(window), len(records))
    return Bars(_in_unit(forms, unit), labels, values, marked=marked,
                amounts=[amount(v, fine=unit == "$M") for v in values], unit=unit)
