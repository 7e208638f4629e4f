"""Chart data against the domain layer's numbers, and drawn bars against their values.

The drawn charts are read back from the canvas the way a person reads them:
the value of a row or column comes from the printed tick labels, a bar's
length from its glyphs (full blocks, eighths, halves), its identity from the
labels under (vertical) or beside (horizontal) it.
"""

from __future__ import annotations

import ast
import calendar
import itertools
import math
import re
from pathlib import Path

import pytest
from textual_plotext.plot import Plot

from tui.trade import (
    WORLD,
    find_group,
    find_partner,
    parse_period,
    partner_history,
    partner_monthly,
    period_totals,
    rank_chapters,
    rank_groups,
)
from tui.trade.periods import Period
from tui.widgets.charts import (
    Bars,
    amount,
    balance_history,
    choose_scale,
    exports_imports,
    monthly_balance,
    nice_ticks,
    ranked,
    shorten,
    tick_label,
    title_forms,
)
from tui.widgets.plots import ASCII_TABLE, LEFT, LOWER, Drawing, draw

# ---------------------------------------------------------------- reading a drawn canvas


def _fill_vertical(ch: str, reverse: bool, up: bool, steps: int) -> int | None:
    """Steps of a cell filled from the zero line's side (None: not part of a bar)."""
    if steps == 2:  # half cells: whole, left or right half of the width; half-row tips
        if ch in "█▌▐#|":
            return 2
        return {True: {"▄": 1, "▖": 1, "▗": 1, ".": 1}, False: {"▀": 1, "▘": 1, "▝": 1, "'": 1}}[up].get(ch)
    if ch == "█":
        return 8
    if up:
        if ch in LOWER[1:] and not reverse:
            return LOWER.index(ch)
        return {"▖": 1, ".": 1}.get(ch)
    if ch in LOWER[1:] and reverse:
        return 8 - LOWER.index(ch)
    return {"▔": 1, "▀": 4, "▘": 1, "'": 1}.get(ch)


def _fill_horizontal(ch: str, reverse: bool, right: bool) -> int | None:
    if ch == "█":
        return 8
    if ch in "▄#=":
        return 2  # half-height rows and ASCII: two steps a cell
    if right:
        if ch in LEFT[1:] and not reverse:
            return LEFT.index(ch)
        return {"▖": 1, ":": 1, "-": 1}.get(ch)
    if ch in LEFT[1:] and reverse:
        return 8 - LEFT.index(ch)
    return {"▕": 1, "▐": 4, "▗": 1, ":": 1, "-": 1}.get(ch)


def _run(cells: list[tuple[str, bool]], fill, whole: int) -> tuple[int, int]:
    """(steps, cells) of a bar read outwards from the zero line: whole cells, then at most one partial."""
    total = count = 0
    for ch, reverse in cells:
        steps = fill(ch, reverse)
        if steps is None or ch == " ":
            break
        total += steps
        count += 1
        if steps != whole:
            break  # a partial cell ends the bar
    return total, count


def _y_ticks(lines: list[str]) -> dict[int, float]:
    """Canvas row -> value, from the labels left of the frame's ┤ (or + in ASCII)."""
    frame = lines[1].index("┌") if "┌" in lines[1] else lines[1].index("+")
    ticks = {}
    for row, line in enumerate(lines[2:-2], start=2):
        if line[frame] in "┤+" and line[:frame].strip():
            ticks[row] = float(line[:frame].strip().replace(",", ""))
    return ticks


def _x_ticks(lines: list[str]) -> dict[int, float]:
    """Canvas column -> value, from the labels under the frame's ┬ marks (horizontal charts)."""
    bottom, labels = lines[-2], lines[-1]
    ticks = {}
    for col, ch in enumerate(bottom):
        if ch in "┬+" and 0 < col < len(bottom) - 1 and bottom[col - 1] in "─-┬+" and labels[col] != " ":
            start = col
            while start > 0 and labels[start - 1] != " ":
                start -= 1
            end = col
            while end < len(labels) - 1 and labels[end + 1] != " ":
                end += 1
            ticks[col] = float(labels[start:end + 1].replace(",", ""))
    return ticks


def _evenly(ticks: dict[int, float]) -> float:
    """Value per cell of evenly spaced ticks (asserts the spacing and the round, signed labels)."""
    cells = sorted(ticks)
    assert len(cells) >= 2, "at least two ticks"
    gaps = {b - a for a, b in itertools.pairwise(cells)}
    steps = {round(ticks[b] - ticks[a], 9) for a, b in itertools.pairwise(cells)}
    assert len(gaps) == 1 and len(steps) == 1, f"uneven ticks {ticks}"
    assert 0.0 in ticks.values()
    return abs(steps.pop() / gaps.pop())


def check_vertical(drawing: Drawing, bars: Bars, *, steps: int) -> None:
    lines = drawing.lines
    ticks = _y_ticks(lines)
    per_row = _evenly(ticks)
    labels = {row: lines[row][: lines[1].index("┌" if "┌" in lines[1] else "+")].strip() for row in ticks}
    assert all(label == "0" or label[0] in "+-" for label in labels.values()), labels
    zero = next(row for row, value in ticks.items() if value == 0)
    assert zero == drawing.zero
    frame = lines[1].index("┌") if "┌" in lines[1] else lines[1].index("+")
    assert set(lines[zero][frame + 1:-1]) <= {"─", "-"}, "the zero row is a line only, no bar fills it"
    series = [bars.values] if bars.second is None else [bars.values, bars.second]
    for values in series:
        for i, cols in zip(drawing.shown, drawing.cells, strict=True):
            value = values[i]
            for col in cols:
                up = [(lines[r][col], (r, col) in drawing.reverse) for r in range(zero - 1, 1, -1)]
                down = [(lines[r][col], (r, col) in drawing.reverse) for r in range(zero + 1, len(lines) - 2)]
                if value > 0:
                    length, _ = _run(up, lambda ch, rev: _fill_vertical(ch, rev, True, steps), steps)
                elif value < 0:
                    length, _ = _run(down, lambda ch, rev: _fill_vertical(ch, rev, False, steps), steps)
                else:
                    length = 0
                wanted = abs(value) / per_row * steps
                assert abs(length - wanted) <= 1 or (value != 0 and length == 1 and wanted < 1), \
                    (bars.labels[i], value, length, wanted)


def check_horizontal(drawing: Drawing, bars: Bars, *, steps: int) -> None:
    lines = drawing.lines
    ticks = _x_ticks(lines)
    per_col = _evenly(ticks)
    assert all(tick_label(v) in lines[-1] for v in ticks.values())
    zero = next(col for col, value in ticks.items() if value == 0)
    assert zero == drawing.zero
    frame = lines[2].index("┤") if "┤" in lines[2] else lines[2].index("+")
    for i, rows in zip(drawing.shown, drawing.cells, strict=True):
        row = rows.start
        line = lines[row]
        assert line[frame] in "┤+", "the bar is on its label's row"
        printed = amount(bars.values[i])
        assert line[:frame].endswith(" " + printed), "its value is printed beside it"
        name = line[1:frame - len(printed)].strip()
        assert bars.labels[i].startswith(name.rstrip(".")), (line, bars.labels[i])
        value = bars.values[i]
        right = [(line[c], (row, c) in drawing.reverse) for c in range(zero + 1, len(line) - 1)]
        left = [(line[c], (row, c) in drawing.reverse) for c in range(zero - 1, frame, -1)]
        if value > 0:
            length, _ = _run(right, lambda ch, rev: _fill_horizontal(ch, rev, True), steps)
        else:
            length, _ = _run(left, lambda ch, rev: _fill_horizontal(ch, rev, False), steps)
        wanted = abs(value) / per_col * steps
        assert abs(length - wanted) <= 1 or (value != 0 and length == 1 and wanted < 1), (bars.labels[i], value,
                                                                                         length, wanted)


# ---------------------------------------------------------------- scales and ticks


@pytest.mark.parametrize(
    "lower,upper", [(-295.4, 0), (-12.3, 48.2), (0, 0), (-0.04, 0.02), (-1200, 350), (0, 7), (-7, 0), (-197, 0.3)]
)
@pytest.mark.parametrize("room", [6, 9, 13, 22, 40, 70])
def test_a_scale_fits_the_values_with_round_evenly_spaced_ticks(lower, upper, room):
    scale = choose_scale(lower, upper, room)
    assert scale.size == room
    assert scale.below * scale.per_cell >= -lower - 1e-9 and scale.above * scale.per_cell >= upper - 1e-9
    ticks = scale.ticks
    assert 0.0 in ticks and len(ticks) >= 2
    assert {round(b - a, 9) for a, b in itertools.pairwise(ticks)} == {round(scale.step, 9)}
    mantissa = scale.step / 10 ** math.floor(math.log10(scale.step))
    assert round(mantissa, 6) in (1, 2, 2.5, 5)
    assert all(scale.offset(t) % scale.cells == 0 for t in ticks)


def test_a_tiny_surplus_does_not_cost_a_deficit_chart_its_resolution():
    # Vietnam-like: deficits to -197, one year +0.3: the positive side needs one row, not one tick step
    scale = choose_scale(-197, 0.3, 9, max_cells=3)
    assert scale.above <= 2 and scale.per_cell <= 34


@pytest.mark.parametrize("lower,upper", [(-295.4, 0), (-12.3, 48.2), (-1200, 350), (3, 7), (-7, -3)])
def test_nice_ticks_are_round_cover_the_values_and_include_zero(lower, upper):
    ticks = nice_ticks(lower, upper, 5)
    assert 0.0 in ticks
    assert ticks[0] <= min(lower, 0) and ticks[-1] >= max(upper, 0)
    assert len({round(b - a, 9) for a, b in itertools.pairwise(ticks)}) == 1


def test_tick_labels_and_amounts_carry_a_sign():
    assert [tick_label(v) for v in (-250, 0, 50, 2.5, -0.5)] == ["-250", "0", "+50", "+2.5", "-0.5"]
    assert [amount(v) for v in (-629.66, 0.04, -0.04, 12.3, -1203.4)] == ["-629.7", "0.0", "0.0", "+12.3", "-1,203.4"]


# ---------------------------------------------------------------- data against the domain layer


def test_balance_history_is_every_year_with_the_year_to_date_labelled(dataset):
    history = partner_history(dataset, find_partner(dataset, "vietnam"))
    latest = dataset.latest
    bars = balance_history(history, selected=parse_period(dataset, "2019"))
    assert bars.values == pytest.approx([v / 1000 for v in history["balance"]])
    assert len(bars.values) == len(history)
    # the latest year to date is a bar of its own, labelled as such
    assert not latest.is_full_year
    assert bars.labels[-1] == f"{latest.year} YTD"
    assert all(label.isdigit() for label in bars.labels[:-1])
    by_year = dict(zip(bars.labels, bars.values, strict=True))
    assert by_year["2024"] < by_year["2019"] < by_year["2014"] < by_year["2009"] < 0
    # the selected year is marked and noted with its value; the latest bar is noted too
    assert [bars.labels[i] for i in bars.marked] == ["2019"]
    notes = {bars.labels[n.first]: n.text for n in bars.notes}
    assert notes == {f"{latest.year} YTD": f"{latest.year} YTD {amount(bars.values[-1])}",
                     "2019": f"2019 {amount(by_year['2019'])}"}


def test_exports_above_and_imports_below_zero(dataset):
    history = partner_history(dataset, find_partner(dataset, "china"))
    bars = exports_imports(history, selected=dataset.latest)
    assert bars.values == pytest.approx([v / 1000 for v in history["exports"]])
    assert bars.second == pytest.approx([-v / 1000 for v in history["imports"]])
    assert bars.marked == {len(history) - 1}  # the year to date, the latest bar
    (note,) = bars.notes
    assert note.marked and note.text == f"{bars.labels[-1]} {amount(bars.values[-1])}/{amount(bars.second[-1])}"


def test_monthly_balance_marks_the_selected_periods_months_and_notes_its_total(dataset):
    code = find_partner(dataset, "mexico")
    monthly = partner_monthly(dataset, code, last=24)
    latest = dataset.latest
    bars = monthly_balance(monthly, selected=latest)
    assert len(bars.values) == 24
    assert bars.values == pytest.approx([v / 1000 for v in monthly["balance"]])
    # months read as months, not days: 'Aug 2026', never 'Aug 26'
    assert all(re.fullmatch(r"[A-Z][a-z]{2} \d{4}", label) for label in bars.labels)
    assert bars.labels[-1] == f"{calendar.month_abbr[latest.months]} {latest.year}"
    assert sorted(bars.marked) == list(range(24 - latest.months, 24))
    total = period_totals(dataset, latest).loc[code, "balance"] / 1000
    texts = [n.text for n in bars.notes]
    assert f"{latest.label} {amount(total)}" in texts
    assert f"{bars.labels[-1]} {amount(bars.values[-1])}" in texts
    # a year only partly shown is marked, and said to be a part
    partly = monthly_balance(monthly, selected=Period(latest.year - 2))
    assert [bars.labels[i][-4:] for i in partly.marked] == [str(latest.year - 2)] * len(partly.marked)
    assert any(n.text == f"{latest.year - 2} (part)" for n in partly.notes)
    # a year not shown at all: nothing marked
    assert monthly_balance(monthly, selected=Period(2001)).marked == frozenset()


def test_ranked_marks_the_cursor_row_and_scrolls_to_it(dataset):
    ranking = rank_groups(dataset, parse_period(dataset, "2024"))
    bars = ranked(ranking.to_dict("records"), "name", rows=6, title="groups")
    assert bars.values == pytest.approx([v / 1000 for v in ranking["balance"].head(6)])
    assert bars.marked == frozenset()
    third = ranking["code"].iloc[2]
    assert ranked(ranking.to_dict("records"), "name", rows=6, title="groups", selected=third).marked == {2}
    tenth = ranking.iloc[9]
    further = ranked(ranking.to_dict("records"), "name", rows=6, title="groups", selected=tenth["code"])
    assert further.labels[-1] == shorten(tenth["name"], 16) and further.marked == {5}
    assert further.amounts[-1] == amount(tenth["balance"] / 1000)
    # scrolled to the cursor, the title says which rows the bars are; at the top it needs not
    assert further.title == f"groups, rows 5-10 of {len(ranking)}" and bars.title == "groups"


FORMS = [
    lambda ds: balance_history(partner_history(ds, find_partner(ds, "mexico")), selected=ds.latest),
    lambda ds: exports_imports(partner_history(ds, find_partner(ds, "mexico")), selected=ds.latest),
    lambda ds: monthly_balance(partner_monthly(ds, find_partner(ds, "mexico")), selected=ds.latest),
    lambda ds: ranked(rank_groups(ds, ds.latest).to_dict("records"), "name", rows=8,
                      title=f"Balance by region or bloc, {ds.latest.label} ($B; deficit left of 0)"),
]


def test_title_forms_shorten_from_the_end():
    assert title_forms("Largest chapter balances, US total, 2024 ($B)") == (
        "Largest chapter balances, US total, 2024 ($B)", "Largest chapter balances, US total, 2024",
        "Largest chapter balances, US total", "Largest chapter balances")
    assert title_forms("HS 87: largest partner balances, 2024 ($B)")[-1] == "HS 87"


@pytest.mark.parametrize("chart", range(len(FORMS)))
def test_titles_are_never_empty_from_20_to_200_columns(dataset, chart):
    bars = FORMS[chart](dataset)
    plot = Plot()
    horizontal = chart == 3
    shown = set()
    for width in range(20, 201):
        title = bars.title_for(width)
        assert title and len(title) <= width
        drawn = draw(plot, bars, width, 12, horizontal=horizontal).lines[0].strip()
        assert drawn and drawn in bars.titles or drawn.endswith("."), (width, drawn)
        shown.add(drawn)
    assert len(shown) >= 3  # shorter forms at narrow widths, the full one at wide


# ---------------------------------------------------------------- drawn bars against their values


SIZES = [(78, 13), (96, 13), (51, 26), (60, 9), (120, 17), (160, 30)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("partner", ["vietnam", "mexico", "china", "canada"])
def test_each_vertical_bar_has_its_length_within_a_step(dataset, partner, size):
    code = find_partner(dataset, partner)
    history = partner_history(dataset, code)
    period = parse_period(dataset, "2019")
    plot = Plot()
    for bars in (balance_history(history, selected=period), exports_imports(history, selected=period),
                 monthly_balance(partner_monthly(dataset, code), selected=period)):
        drawing = draw(plot, bars, *size)
        check_vertical(drawing, bars, steps=drawing.steps)
        ascii_drawing = draw(plot, bars, *size, ascii=True)
        assert "".join(ascii_drawing.lines).isascii()
        check_vertical(ascii_drawing, bars, steps=ascii_drawing.steps)


def test_bars_have_gaps_and_eighths_when_there_is_room_else_half_columns(dataset):
    history = partner_history(dataset, find_partner(dataset, "mexico"))
    bars = balance_history(history)
    count = len(bars.values)
    plot = Plot()
    wide = draw(plot, bars, 2 * count + 8, 14)
    assert wide.steps == 8 and wide.shown == list(range(count))
    for a, b in itertools.pairwise(wide.cells):
        assert b.start - a.stop >= 1, "a gap between bars"
    narrow = draw(plot, bars, count + 10, 14)
    assert narrow.steps == 2 and narrow.shown == list(range(count))
    glyphs = {ch for line in narrow.lines[2:-2] for ch in line[narrow.cells[0].start:narrow.cells[-1].stop]}
    assert glyphs <= set("▌▖▘─ ") or glyphs <= set("▐▗▝─ "), "half-column bars leave half of each column empty"
    # with room for one and a half columns a bar, bars are a column wide with half a column between them
    between = draw(plot, bars, count * 3 // 2 + 8, 14)
    assert between.steps == 2
    widths = [sum(2 if between.lines[between.zero + 1][c] in "█" else 1 for c in cols) for cols in between.cells
              if bars.values[between.shown[between.cells.index(cols)]] < -20]
    assert set(widths) == {2}, "every bar two half columns wide"
    rows = between.lines[between.zero + 1:-2]
    glyphs = {ch for line in rows for ch in line[between.cells[0].start:between.cells[-1].stop]}
    assert {"▐", "▌", "█"} <= glyphs


def test_a_tiny_value_does_not_fill_the_zero_row():
    bars = Bars(("t",), ["a", "b", "c"], [0.3, -35.0, 0.0])
    drawing = draw(Plot(), bars, 40, 12)
    lines = drawing.lines
    up = lines[drawing.zero - 1][drawing.cells[0].start]
    down = lines[drawing.zero + 1][drawing.cells[0].start]
    assert up in LOWER[1:3] and down == " ", "a $0.3B surplus is a sliver above the line"
    assert lines[drawing.zero + 1][drawing.cells[1].start] == "█"
    assert lines[drawing.zero - 1][drawing.cells[2].start] == " "


def test_the_selected_year_is_marked_under_its_bar_with_its_value(dataset):
    history = partner_history(dataset, find_partner(dataset, "mexico"))
    for selected, width in ((Period(2010), 96), (Period(1990), 51), (dataset.latest, 78)):
        bars = balance_history(history, selected=selected)
        drawing = draw(Plot(), bars, width, 14)
        (marked,) = bars.marked
        column = drawing.cells[drawing.shown.index(marked)]
        arrows = [c for c, ch in enumerate(drawing.lines[-2]) if ch == "▲"]
        assert arrows == [column.start + (len(column) - 1) // 2]
        assert all(drawing.roles[r][c] == "mark" for r in range(len(drawing.lines)) for c in column
                   if drawing.lines[r][c] in "█▌▖▘" + LOWER[1:])
        note = f"{bars.labels[marked]} {amount(bars.values[marked])}"
        assert note in drawing.lines[-1]
        assert f"{bars.labels[-1]} {amount(bars.values[-1])}" in drawing.lines[-1], "the latest bar's value"
        ascii_drawing = draw(Plot(), bars, width, 14, ascii=True)
        column = ascii_drawing.cells[ascii_drawing.shown.index(marked)]
        assert [c for c, ch in enumerate(ascii_drawing.lines[-2]) if ch == "^"] == [column.start]


def test_signed_labels_on_both_sides_of_zero(dataset):
    history = partner_history(dataset, find_partner(dataset, "mexico"))
    drawing = draw(Plot(), exports_imports(history), 96, 14)
    ticks = _y_ticks(drawing.lines)
    assert min(ticks.values()) < 0 < max(ticks.values())
    labels = [drawing.lines[r].split("┤")[0].strip() for r in ticks]
    assert all(label == "0" or label[0] in "+-" for label in labels)
    assert len(set(labels)) == len(labels), "no label on both sides of zero"


@pytest.mark.parametrize("height", [6, 8, 12, 16, 22, 30, 44])
@pytest.mark.parametrize("width", [40, 60, 78, 100])
def test_each_region_bar_is_on_its_row_with_its_length(dataset, width, height):
    ranking = rank_groups(dataset, parse_period(dataset, "2024"))
    bars = ranked(ranking.to_dict("records"), "name", rows=height - 4, title="Balance by region or bloc, 2024 ($B)",
                  selected=ranking["code"].iloc[1])
    drawing = draw(Plot(), bars, width, height, horizontal=True)
    check_horizontal(drawing, bars, steps=drawing.steps)
    marked_row = drawing.cells[1].start
    assert drawing.lines[marked_row][0] == "▶"
    assert [r for r, line in enumerate(drawing.lines) if line.startswith("▶")] == [marked_row]
    if height - 4 >= 2 * len(bars.values) - 1:
        assert all(b.start - a.start == 2 for a, b in itertools.pairwise(drawing.cells)), "a gap row"
    ascii_drawing = draw(Plot(), bars, width, height, horizontal=True, ascii=True)
    assert "".join(ascii_drawing.lines).isascii() and ascii_drawing.lines[marked_row][0] == ">"
    check_horizontal(ascii_drawing, bars, steps=ascii_drawing.steps)


@pytest.mark.parametrize("scope", ["world", "china", "asean"])
def test_each_chapter_bar_matches_its_value(dataset, scope):
    code = {"world": WORLD, "china": find_partner(dataset, "china"), "asean": find_group(dataset, "asean")}[scope]
    year = dataset.sector_years[-1]
    ranking = rank_chapters(dataset, year, code)
    assert not ranking.empty
    named = ranking.assign(label=[f"{c:02d} {n}" for c, n in zip(ranking["chapter"], ranking["name"], strict=True)])
    for width, height in ((90, 14), (78, 41), (78, 70)):
        bars = ranked(named.to_dict("records"), "label", rows=height - 4, title="chapters", key="chapter",
                      selected=ranking["chapter"].iloc[0])
        drawing = draw(Plot(), bars, width, height, horizontal=True)
        check_horizontal(drawing, bars, steps=drawing.steps)


def test_the_segments_style_every_drawn_cell_by_its_role(dataset):
    from rich.style import Style

    from tui.widgets.plots import Colors, styles

    palette = styles(Colors(negative="red", positive="green", marked="blue"))
    base = Style(color="white", bgcolor="black")
    history = partner_history(dataset, find_partner(dataset, "mexico"))
    for width in (96, 52, 78):
        drawing = draw(Plot(), exports_imports(history, selected=Period(2010)), width, 13)
        rows = drawing.segments(palette, base)
        assert ["".join(segment.text for segment in row) for row in rows] == drawing.lines
        for r, row in enumerate(rows):
            cells = [(ch, segment.style) for segment in row for ch in segment.text]
            for c, (ch, style) in enumerate(cells):
                assert style is not None and style.bgcolor == base.bgcolor, (r, c, ch)
                reverse = (r, c) in drawing.reverse
                assert bool(style.reverse) == reverse, (r, c, ch)
                if ch != " ":
                    role = drawing.roles[r][c]
                    assert style.color == (palette[role].color if role in palette and palette[role].color
                                           else base.color), (r, c, ch)
        styled = sum(1 for row in rows for segment in row if segment.style != base)
        assert styled < 6 * len(rows), "blanks join the runs around them, not one run a bar"


def test_ascii_table_leaves_only_ascii(dataset):
    history = partner_history(dataset, find_partner(dataset, "canada"))
    for bars in (balance_history(history, selected=Period(2010)), exports_imports(history)):
        for width in (60, 100):
            text = "".join(draw(Plot(), bars, width, 13).lines).translate(ASCII_TABLE)
            assert text.isascii()


# ---------------------------------------------------------------- boundaries


def test_chart_data_imports_no_textual_nor_plotext():
    source = Path(__file__).resolve().parent.parent / "tui" / "widgets" / "charts.py"
    imported = set()
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])
    assert not imported & {"textual", "textual_plotext", "plotext", "rich"}


def test_the_private_plotext_call_is_tied_to_the_checked_versions():
    from importlib.metadata import version

    from tui import compat

    assert compat.installed_versions() == {name: version(name) for name in compat.TESTED_WITH}
    compat.check_versions()  # the installed versions are the checked ones
    with pytest.raises(compat.CompatError, match="textual-plotext 1.0.2"):
        compat.check_versions({**compat.TESTED_WITH, "textual-plotext": "1.0.2"})
    # and it makes a figure as large as asked, whatever the terminal the tests run in
    drawing = draw(Plot(), Bars(("t",), ["a"], [1.0]), 230, 70)
    assert len(drawing.lines) == 70 and {len(line) for line in drawing.lines} == {230}
    assert drawing.lines[-2].rstrip().endswith("┘")


# ---------------------------------------------------------------- in the app


def _arrow_columns(chart) -> list[int]:
    return [c for c, ch in enumerate(chart.drawing.lines[-2]) if ch == "▲"]


@pytest.mark.slow
async def test_stepping_the_year_moves_the_mark_in_the_details_charts(make_app, dataset):
    from pilot_helpers import settle
    from tui.messages import OpenPartner
    from tui.settings import Settings
    from tui.widgets.barchart import BarChart

    mexico = find_partner(dataset, "mexico")
    latest = dataset.latest
    app = make_app(settings=Settings(tab="partners"))
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        app.post_message(OpenPartner(mexico))
        await settle(pilot)
        charts = {chart.id: chart for chart in app.screen.query(BarChart)}

        def marked(name: str) -> list[str]:
            bars = charts[name].bars
            return [bars.labels[i] for i in sorted(bars.marked)]

        assert marked("chart-balance") == marked("chart-trade") == [f"{latest.year} YTD"]
        assert len(marked("chart-monthly")) == latest.months
        before = {name: _arrow_columns(chart) for name, chart in charts.items()}
        await pilot.press("left_square_bracket")
        await settle(pilot)
        year = latest.year - 1
        assert app.state.period == Period(year)
        assert marked("chart-balance") == marked("chart-trade") == [str(year)]
        assert marked("chart-monthly") == [label for label in charts["chart-monthly"].bars.labels
                                           if label.endswith(str(year))]
        for name in ("chart-balance", "chart-trade"):
            (column,) = _arrow_columns(charts[name])
            (was,) = before[name]
            assert column < was, "the mark moved to the year before"
        balance = charts["chart-balance"]
        value = balance.bars.values[balance.bars.labels.index(str(year))]
        assert f"{year} {amount(value)}" in balance.drawing.lines[-1]
        assert period_totals(dataset, Period(year)).loc[mexico, "balance"] / 1000 == pytest.approx(value)
        for _ in range(year - 2010):
            await pilot.press("left_square_bracket")
        await settle(pilot)
        assert marked("chart-balance") == ["2010"] and charts["chart-monthly"].bars.marked == frozenset()
        assert "2010 " in balance.drawing.lines[-1]


async def test_the_regions_chart_marks_the_tables_cursor_row(make_app, dataset):
    from pilot_helpers import settle
    from tui.settings import Settings
    from tui.widgets.barchart import BarChart

    app = make_app(settings=Settings(tab="regions"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        chart = app.screen.query_one("#regions-chart", BarChart)
        ranking = rank_groups(dataset, app.state.period)

        def marked() -> str:
            (i,) = chart.bars.marked
            row = chart.drawing.cells[chart.drawing.shown.index(i)].start
            assert chart.drawing.lines[row].startswith("▶")
            return chart.bars.labels[i]

        assert marked() == ranking["name"].iloc[0][:16]
        await pilot.press("down", "down")
        await settle(pilot)
        assert marked() == ranking["name"].iloc[2][:16]


def test_a_chart_without_bars_keeps_its_title_and_says_so():
    drawing = draw(Plot(), Bars(("Balance by month ($B)", "Balance by month"), [], []), 30, 10)
    assert drawing.lines[0].strip() == "Balance by month ($B)" and "no data" in drawing.lines[2]


def test_a_chart_of_amounts_all_under_a_billion_is_in_millions(dataset):
    # Antigua and Barbuda's chapters: a few million dollars each, which in $B would all read 0.0
    code = find_partner(dataset, "antigua")
    chapters = rank_chapters(dataset, 2024, code).to_dict("records")
    bars = ranked(chapters, "name", rows=6, title="Largest chapter balances, Antigua and Barbuda, 2024 ($B)")
    assert bars.unit == "$M" and bars.title == "Largest chapter balances, Antigua and Barbuda, 2024 ($M)"
    assert bars.values == pytest.approx([row["balance"] for row in chapters[:6]])
    assert all(text not in ("0.0", "+0.0", "-0.0") for text in bars.amounts)
    scale = choose_scale(bars.lower, bars.upper, 60, min_cells=8)
    labels = [tick_label(t) for t in scale.ticks]
    assert len(set(labels)) == len(labels) and any(label.startswith("-") for label in labels)
    # a billion or more among them: billions, as every other chart
    china = ranked(rank_chapters(dataset, 2024, find_partner(dataset, "china")).to_dict("records"), "name", rows=6,
                   title="Largest chapter balances, China, 2024 ($B)")
    assert china.unit == "$B" and china.title.endswith("($B)")


def test_a_small_partners_history_and_months_are_in_millions(dataset):
    code = find_partner(dataset, "tuvalu")
    history, monthly = partner_history(dataset, code), partner_monthly(dataset, code)
    for bars, millions in ((balance_history(history), history["balance"]),
                           (exports_imports(history), history["exports"]),
                           (monthly_balance(monthly), monthly["balance"])):
        assert bars.unit == "$M" and "($M" in bars.title and "$B" not in " ".join(bars.titles)
        assert bars.values == pytest.approx(list(millions))
