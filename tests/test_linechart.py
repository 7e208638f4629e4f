"""Compare's chart: each balance over the years, told apart without colour by its marker and a legend."""

from __future__ import annotations

import pytest

from tui.trade.compare import balance_histories
from tui.widgets.linechart import ASCII_MARKERS, draw_lines, lines_of


def test_each_series_is_its_places_balance_in_billions(dataset):
    codes = ["5700", "5520", "2010"]
    histories = balance_histories(dataset, codes, 2024)
    lines = lines_of(histories, codes, ["China", "Vietnam", "Mexico"], width=100, height=17)
    china = dict(zip(lines.series[0].years, lines.series[0].values, strict=True))
    assert china[2024.0] == pytest.approx(-297.0477)
    assert len({s.marker for s in lines.series}) == 3
    assert lines.legend == "● China   ✕ Vietnam   ▲ Mexico"
    assert lines.ticks[0] <= min(china.values()) and 0.0 in lines.ticks
    assert lines.year_labels[-1] == "2024"


def test_ascii_markers_and_a_drawing_without_colour(dataset):
    from textual_plotext.plot import Plot

    codes = ["5700", "ASEAN"]
    lines = lines_of(balance_histories(dataset, codes, 2024), codes, ["China", "ASEAN"], ascii=True)
    assert [s.marker for s in lines.series] == list(ASCII_MARKERS[:2]) and lines.legend.isascii()
    canvas = draw_lines(Plot(), lines, 80, 16, colors=False)
    assert "\x1b[3" not in canvas  # no foreground colours: the markers tell the series apart
    body = "\n".join(canvas.splitlines()[1:])  # below the title
    assert body.count("o") > 20 and body.count("x") > 20
