"""Work done once, or before the key that shows it: charts drawn once per size, a hidden tab's chart
drawn ahead at the size it will have, a new screen laid out once with the terminal's size classes."""

from __future__ import annotations

import pytest

from pilot_helpers import settle
from tui.screens.detail import DetailScreen
from tui.widgets import plots
from tui.widgets.barchart import BarChart
from tui.widgets.charts import Bars

SIZE = (120, 40)


@pytest.fixture
def draws(monkeypatch):
    """Every chart drawn with plotext: (width, height, title)."""
    made = []
    original = plots.draw

    def counting(plt, bars, width, height, **kwargs):
        made.append((width, height, bars.title))
        return original(plt, bars, width, height, **kwargs)

    monkeypatch.setattr(plots, "draw", counting)
    return made


def bars(title: str) -> Bars:
    return Bars((title,), ["a", "b"], [-3.0, 2.0])


async def test_a_chart_is_drawn_once_for_its_data_and_size(make_app, draws):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        chart = app.screen.query_one("#regions-chart", BarChart)
        chart.show(lambda w, h: bars("first"))
        chart.draw_ahead(40, 12)
        chart.draw_ahead(40, 12)
        assert draws.count((40, 12, "first")) == 1
        chart.show(lambda w, h: bars("second"))  # new data: drawn again
        chart.draw_ahead(40, 12)
        assert draws.count((40, 12, "second")) == 1


async def drawn_ahead(pilot, draws, seconds: float = 5.0) -> int:
    """How many charts were drawn once those of Regions and Sectors have been (the hidden tabs are filled
    0.3 s after the last key), or after `seconds`."""
    for _ in range(int(seconds / 0.05)):
        await settle(pilot)
        if len(draws) >= 2:
            break
        await pilot.pause(0.05)
    return len(draws)


@pytest.mark.parametrize("tab", ["2", "3"])
async def test_a_hidden_tab_s_chart_is_drawn_before_its_key(make_app, draws, tab):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        before = await drawn_ahead(pilot, draws)
        assert before >= 2  # the charts of Regions and Sectors, drawn ahead
        await pilot.press(tab)
        await settle(pilot)
        chart = app.screen.query_one("#regions-chart" if tab == "2" else "#sectors-chart", BarChart)
        assert chart.bars is not None and (chart.size.width, chart.size.height) in [d[:2] for d in draws[:before]]
        assert [d for d in draws[before:] if d[2] == chart.bars.title] == []  # shown, not drawn again


async def test_hidden_tabs_mounted_late_are_still_drawn_ahead(make_app, draws, monkeypatch):
    """On a busy machine the hidden tabs' panes can be mounted after the first wait for keys to stop."""
    from tui.screens.main import MainScreen

    original = MainScreen.mount_hidden_panes
    monkeypatch.setattr(MainScreen, "mount_hidden_panes", lambda self: self.set_timer(0.5, lambda: original(self)))
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert await drawn_ahead(pilot, draws) >= 2


async def test_a_new_screen_has_the_size_classes_before_it_is_laid_out(make_app, monkeypatch):
    seen = []
    original = DetailScreen.compose

    def compose(self):
        seen.append(set(self.classes))
        return original(self)

    monkeypatch.setattr(DetailScreen, "compose", compose)
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert {"-wide", "-tall"} <= seen[0]
        assert {"-wide", "-tall"} <= set(app.screen.classes)
