"""The whole story a new user follows, as one test, plus restart-and-restore of every filter."""

from __future__ import annotations

import json

import pytest

from pilot_helpers import choose, settle, type_text
from tui import locations
from tui.screens.detail import DetailScreen
from tui.screens.main import MainScreen
from tui.trade import Period, find_group, find_partner, group_members

SIZE = (100, 32)


@pytest.mark.slow
async def test_done_means(make_app, dataset):
    china = find_partner(dataset, "china")
    vietnam = find_partner(dataset, "vietnam")
    asean = find_group(dataset, "asean")

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # pick 2024 from the year list
        await pilot.press("y")
        await settle(pilot)
        await choose(pilot, "2024")
        assert app.settings.period == "2024"
        main = app.screen
        assert isinstance(main, MainScreen)
        table = main.query_one("#partners-table")
        assert table.keys[0] == china
        assert main.query_one("#status").text.startswith("2024 · all partners · deficits · ")

        # Vietnam's detail: its deficit grows over the years in the balance chart
        await pilot.press("slash")
        await type_text(pilot, "vietnam")
        await pilot.press("enter", "enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.code == vietnam
        bars = detail.query_one("#chart-balance").data()
        by_year = dict(zip(bars.labels, bars.values, strict=True))
        assert by_year["2024"] < by_year["2019"] < by_year["2014"] < by_year["2004"] < 0

        # back, Regions, ASEAN: its detail, then its members in the Partners list
        await pilot.press("b", "2")
        await settle(pilot)
        regions = app.screen.query_one("#regions-table")
        assert app.focused is regions
        await pilot.press(*["j"] * regions.keys.index(asean))
        await pilot.press("enter")
        await settle(pilot)
        assert type(app.screen).__name__ == "GroupScreen" and app.screen.code == asean
        await pilot.press("f")
        await settle(pilot)
        assert app.settings.group == asean
        assert app.screen.query_one("#tabs").active == "partners"
        shown = set(app.screen.query_one("#partners-table").keys)
        assert shown == set(group_members(dataset, asean, Period(2024)))
        assert "ASEAN" in app.screen.query_one("#status").text
        await pilot.press("q")

    saved = json.loads(locations.settings_path().read_text())
    assert saved["group"] == asean and saved["period"] == "2024"

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.settings.group == asean
        assert again.screen.query_one("#tabs").active == "partners"
        assert set(again.screen.query_one("#partners-table").keys) == set(group_members(dataset, asean, Period(2024)))
        assert again.screen.query_one("#status").text.startswith(
            "2024 · ASEAN (members of Dec 2024) · all balances · 10 partners")


@pytest.mark.slow
async def test_every_filter_is_restored_and_latest_stays_latest(make_app, dataset):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "m", "m", "s", "s", "S", "3")
        await settle(pilot)
        await pilot.press("t")  # the theme list
        await settle(pilot)
        await choose(pilot, "nord")
        expected = app.settings
        assert expected.view == "surplus" and expected.min_size == 1000.0
        assert expected.sort == "exports" and expected.descending is False
        assert expected.tab == "sectors" and expected.theme == "nord" and expected.period == "latest"
    saved = json.loads(locations.settings_path().read_text())
    assert saved["period"] == "latest"

    again = make_app()
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.settings == expected
        assert again.theme == "nord"
        assert again.screen.query_one("#tabs").active == "sectors"
