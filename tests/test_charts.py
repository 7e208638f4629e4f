"""Chart data against the domain layer's numbers, and drawn bars against their values."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest
from textual_plotext.plot import Plot

from tui.trade import (
    WORLD,
    find_group,
    find_partner,
    parse_period,
    partner_history,
    partner_monthly,
    rank_chapters,
    rank_groups,
)
from tui.widgets.charts import balance_history, exports_imports, monthly_balance, nice_ticks, ranked, tick_label
from tui.widgets.plots import ASCII_TABLE, draw

ANSI = re.compile(r"\x1b\[[0-9;]*m")
BLOCK = "█"


def canvas_lines(text: str) -> list[str]:
    return ANSI.sub("", text).splitlines()


# ---------------------------------------------------------------- ticks


@pytest.mark.parametrize(
    "lower,upper", [(-295.4, 0), (-12.3, 48.2), (0, 0), (-0.04, 0.02), (-1200, 350), (3, 7), (-7, -3)]
)
def test_ticks_are_round_cover_the_values_and_include_zero(lower, upper):
    ticks = nice_ticks(lower, upper, 5)
    assert 0.0 in ticks
    assert ticks[0] <= min(lower, 0) and ticks[-1] >= max(upper, 0)
    assert 2 <= len(ticks) <= 7
    steps = {round(b - a, 9) for a, b in pairwise(ticks)}
    assert len(steps) == 1


def test_tick_labels_carry_a_sign():
    assert [tick_label(v) for v in (-250, 0, 50, 2.5, -0.5)] == ["-250", "0", "+50", "+2.5", "-0.5"]


# ---------------------------------------------------------------- data against the domain layer


def test_balance_history_is_every_complete_year_in_billions(dataset):
    code = find_partner(dataset, "vietnam")
    history = partner_history(dataset, code)
    full = history[history["months"] == 12]
    bars = balance_history(history, width=100, height=14)
    assert bars.positions == [float(y) for y in full["year"]]
    assert bars.values == pytest.approx([v / 1000 for v in full["balance"]])
    # the story the chart tells: Vietnam's deficit grew over the years
    by_year = dict(zip(full["year"], bars.values, strict=True))
    assert by_year[2024] < by_year[2019] < by_year[2014] < by_year[2009] < 0
    assert bars.ticks[0] <= min(bars.values) and 0.0 in bars.ticks


def test_exports_above_and_imports_below_zero(dataset):
    history = partner_history(dataset, find_partner(dataset, "china"))
    full = history[history["months"] == 12]
    bars = exports_imports(history, width=80, height=13)
    assert bars.values == pytest.approx([v / 1000 for v in full["exports"]])
    assert bars.second == pytest.approx([-v / 1000 for v in full["imports"]])
    assert bars.ticks[0] <= min(bars.second) and bars.ticks[-1] >= max(bars.values)
    assert all(not label.startswith(("-", "+")) for label in bars.tick_labels)  # amounts, both sides


def test_monthly_balance_is_the_last_24_months(dataset):
    code = find_partner(dataset, "mexico")
    monthly = partner_monthly(dataset, code, last=24)
    bars = monthly_balance(monthly, width=80, height=13)
    assert len(bars.values) == 24
    assert bars.values == pytest.approx([v / 1000 for v in monthly["balance"]])
    latest = dataset.latest
    month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][latest.months - 1]
    assert bars.labels[-1] == f"{month} {latest.year % 100:02d}"
    assert bars.label_ticks[-1] == bars.positions[-1]  # the newest month is always labelled


def test_label_ticks_thin_out_to_fit(dataset):
    history = partner_history(dataset, WORLD)
    narrow = balance_history(history, width=60, height=12)
    wide = balance_history(history, width=240, height=12)
    assert len(narrow.label_ticks) < len(wide.label_ticks) <= len(wide.positions)
    assert len(narrow.label_ticks) * 6 <= 60


def test_ranked_groups_follow_the_ranking(dataset):
    period = parse_period(dataset, "2024")
    ranking = rank_groups(dataset, period)
    bars = ranked(ranking.to_dict("records"), "name", rows=6, title="groups")
    assert bars.values == pytest.approx([v / 1000 for v in ranking["balance"].head(6)])
    assert bars.positions == [6.0, 5.0, 4.0, 3.0, 2.0, 1.0]  # first row at the top


# ---------------------------------------------------------------- drawn bars against their values


def _columns_of(line: str, chars: str) -> list[int]:
    return [i for i, ch in enumerate(line) if ch in chars]


def _horizontal_check(bars, width: int, height: int) -> None:
    lines = canvas_lines(draw(Plot(), bars, width, height, horizontal=True))
    bottom = next(line for line in lines if "└" in line)
    tick_cols = _columns_of(bottom, "┬┴┼")
    assert len(tick_cols) == len(bars.ticks), "a value tick went missing"
    t0, t1 = bars.ticks[0], bars.ticks[-1]
    c0, c1 = tick_cols[0], tick_cols[-1]

    def column(value: float) -> float:
        return c0 + (value - t0) / (t1 - t0) * (c1 - c0)

    zero = column(0.0)
    rows = [line for line in lines if "┤" in line and not line.strip().startswith("└")]
    assert len(rows) == len(bars.labels), "one row per bar"
    for label, value, line in zip(bars.labels, bars.values, rows, strict=True):
        assert line.split("┤")[0].strip() == label, "the bar is on its label's row"
        filled = _columns_of(line, BLOCK)
        if abs(column(value) - zero) < 1:
            continue  # smaller than a cell: nothing to see
        assert filled, f"{label}: no bar for {value}"
        start, end = min(filled), max(filled)
        if value < 0:
            assert abs(start - column(value)) <= 1.5 and abs(end - zero) <= 1.5, (label, value, start, end)
        else:
            assert abs(end - column(value)) <= 1.5 and abs(start - zero) <= 1.5, (label, value, start, end)
        assert filled == list(range(start, end + 1)), "a bar is one unbroken run"


@pytest.mark.parametrize("height", [5, 8, 12, 16, 20, 26])
@pytest.mark.parametrize("width", [60, 100])
def test_each_region_bar_is_on_its_row_with_its_length(dataset, width, height):
    from tui.panes.regions import chart_rows

    ranking = rank_groups(dataset, parse_period(dataset, "2024"))
    bars = ranked(ranking.to_dict("records"), "name", rows=chart_rows(height), title="regions")
    _horizontal_check(bars, width, height)


@pytest.mark.parametrize("scope", ["world", "china", "asean"])
def test_each_chapter_bar_matches_its_value(dataset, scope):
    from tui.panes.regions import chart_rows

    code = {"world": WORLD, "china": find_partner(dataset, "china"), "asean": find_group(dataset, "asean")}[scope]
    year = dataset.sector_years[-1]
    ranking = rank_chapters(dataset, year, code)
    assert not ranking.empty
    bars = ranked(ranking.to_dict("records"), "name", rows=chart_rows(14), title="chapters")
    _horizontal_check(bars, 90, 14)


def test_vertical_bars_sit_below_zero_for_deficits(dataset):
    history = partner_history(dataset, find_partner(dataset, "vietnam"))
    width, height = 100, 14
    bars = balance_history(history, width=width, height=height)
    lines = canvas_lines(draw(Plot(), bars, width, height))
    left = [line.index(ch) if ch in line else -1 for line in lines for ch in ["┤├"[0]]]
    # the zero row is the one whose axis mark is the zero tick's
    zero_row = next(i for i, line in enumerate(lines)
                    if line.split("├")[0].strip() == "0" or line.split("┤")[0].strip() == "0")
    above = "".join(lines[1:zero_row])
    below = "".join(lines[zero_row + 1 :])
    deficits = sum(1 for v in bars.values if v < 0)
    assert left and deficits > 20
    assert BLOCK in below
    # the newest year, the largest deficit, reaches the lowest drawn row
    lowest = max(i for i, line in enumerate(lines) if BLOCK in line)
    assert lowest > zero_row + (height - 4) // 3
    assert BLOCK not in above or max(bars.values) > 0


def test_ascii_table_leaves_only_ascii(dataset):
    history = partner_history(dataset, find_partner(dataset, "canada"))
    text = ANSI.sub("", draw(Plot(), balance_history(history), 80, 13)).translate(ASCII_TABLE)
    assert text.isascii()
