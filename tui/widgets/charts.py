"""Chart data, prepared as plain values (no Textual, no plotting).

Each function turns a frame from tui.trade into what a bar chart draws:
positions, labels and values in billions of dollars, plus round tick
values. Keeping this apart from drawing lets tests compare every bar with
the domain layer's numbers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui.trade.formatting import billions

if TYPE_CHECKING:
    import pandas as pd

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Bars:
    """One bar chart: bar i is drawn at positions[i] with height values[i] ($B)."""

    title: str
    positions: list[float]
    labels: list[str]  # what each bar stands for (year, month, name)
    values: list[float]  # billions of dollars, negative = US deficit
    ticks: list[float]  # value-axis ticks, always including 0
    tick_labels: list[str]
    label_ticks: list[float] = field(default_factory=list)  # positions shown on the label axis
    label_tick_labels: list[str] = field(default_factory=list)
    second: list[float] | None = None  # a second series at the same positions (imports, drawn below 0)

    @property
    def lower(self) -> float:
        return min([0.0, *self.values, *(self.second or [])])

    @property
    def upper(self) -> float:
        return max([0.0, *self.values, *(self.second or [])])


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
    """'-250', '0', '+50', '2.5': signs make deficits and surpluses readable without colour."""
    if abs(value) < 1e-9:
        return "0"
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}".rstrip("0").rstrip(".")
    return text if value < 0 else "+" + text


def _value_ticks(values: list[float], max_ticks: int) -> tuple[list[float], list[str]]:
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]), max_ticks)
    return ticks, [tick_label(t) for t in ticks]


def _every(positions: list[float], labels: list[str], room: int, width: int) -> tuple[list[float], list[str]]:
    """Every k-th label so that labels of `width` characters fit in `room` columns."""
    if not positions:
        return [], []
    fits = max(1, room // (width + 2))
    step = max(1, math.ceil(len(positions) / fits))
    chosen = list(range(len(positions) - 1, -1, -step))[::-1]  # always keep the newest
    return [positions[i] for i in chosen], [labels[i] for i in chosen]


def _year_label(year: int, months: int) -> str:
    return str(year) if months == 12 else f"{year} {MONTHS[months - 1]}"


def balance_history(history: pd.DataFrame, *, width: int = 80, height: int = 12) -> Bars:
    """Annual balance for every complete year, in $B (deficits below zero)."""
    full = history[history["months"] == 12]
    years = [int(y) for y in full["year"]]
    values = [billions(float(v)) for v in full["balance"]]
    ticks, tick_labels = _value_ticks(values, max(3, min(7, height // 2)))
    lx, ll = _every([float(y) for y in years], [str(y) for y in years], max(10, width - 8), 4)
    span = f"{years[0]}-{years[-1]}" if years else "no complete years"
    return Bars(f"Balance by year, {span}, $B (deficit below 0)", [float(y) for y in years],
                [str(y) for y in years], values, ticks, tick_labels, lx, ll)


def exports_imports(history: pd.DataFrame, *, width: int = 80, height: int = 12) -> Bars:
    """Exports (above the line) and imports (below it) for every complete year, in $B.

    Drawing imports downwards keeps one column per year, so the whole history
    fits at 80 columns and the gap between the two is the balance.
    """
    full = history[history["months"] == 12]
    years = [int(y) for y in full["year"]]
    exports = [billions(float(v)) for v in full["exports"]]
    imports = [billions(float(v)) for v in full["imports"]]
    ticks = nice_ticks(-max([0.0, *imports]), max([0.0, *exports]), max(3, min(7, height // 2)))
    tick_labels = [tick_label(abs(t)).lstrip("+") for t in ticks]
    lx, ll = _every([float(y) for y in years], [str(y) for y in years], max(10, width - 8), 4)
    span = f"{years[0]}-{years[-1]}" if years else "no complete years"
    return Bars(f"Exports (above 0), imports (below 0), {span}, $B", [float(y) for y in years],
                [str(y) for y in years], exports, ticks, tick_labels, lx, ll, second=[-v for v in imports])


def monthly_balance(monthly: pd.DataFrame, *, width: int = 80, height: int = 12) -> Bars:
    """Balance of each of the last months given, in $B (deficits below zero)."""
    labels = [f"{MONTHS[int(m) - 1]} {int(y) % 100:02d}" for y, m in zip(monthly["year"], monthly["month"], strict=False)]
    values = [billions(float(v)) for v in monthly["balance"]]
    positions = [float(i + 1) for i in range(len(values))]
    ticks, tick_labels = _value_ticks(values, max(3, min(7, height // 2)))
    lx, ll = _every(positions, labels, max(10, width - 8), 6)
    span = f"{labels[0]} to {labels[-1]}" if labels else "no months"
    return Bars(f"Balance by month, {span}, $B (deficit below 0)", positions, labels, values,
                ticks, tick_labels, lx, ll)


def shorten(text: str, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: max(1, width - 1)].rstrip() + "."


def ranked(records: Sequence[Mapping], label: str, *, rows: int, title: str, label_width: int = 16,
           max_ticks: int = 5) -> Bars:
    """The first `rows` rows of a ranking (records) as horizontal bars, top row first, in $B.

    Positions count down (rows .. 1) so the first row is drawn at the top.
    """
    head = list(records[: max(0, rows)])
    labels = [shorten(str(row[label]), label_width) for row in head]
    values = [billions(float(row["balance"])) for row in head]
    positions = [float(len(values) - i) for i in range(len(values))]
    ticks, tick_labels = _value_ticks(values, max_ticks)
    return Bars(title, positions, labels, values, ticks, tick_labels, positions, labels)
