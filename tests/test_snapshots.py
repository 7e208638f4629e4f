"""What each screen looks like at 100x32 and 80x24 (pytest-textual-snapshot; Textual pinned exactly).

Run `pytest tests/test_snapshots.py --snapshot-update` after a deliberate change of looks.
"""

from __future__ import annotations

import pytest

from pilot_helpers import settle
from tui.messages import OpenCompare, OpenGroup, OpenPartner
from tui.settings import Settings
from tui.trade import find_partner

SIZES = [(100, 32), (80, 24)]


def settings_for(tab: str) -> Settings:
    # a complete year, so the pictures only change when that year's data does
    return Settings(period="2024", tab=tab)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("tab", ["partners", "regions", "sectors"])
def test_tab(snap_compare, make_app, tab, size):
    assert snap_compare(make_app(settings=settings_for(tab)), terminal_size=size, run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_detail(snap_compare, make_app, dataset, size):
    vietnam = find_partner(dataset, "vietnam")

    async def open_vietnam(pilot):
        await settle(pilot)
        pilot.app.post_message(OpenPartner(vietnam))
        await settle(pilot)

    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=size, run_before=open_vietnam)


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=(100, 32), press=["question_mark"],
                        run_before=settle)


def test_too_small(snap_compare, make_app):
    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=(50, 16), run_before=settle)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare(snap_compare, make_app, dataset, size):
    codes = [find_partner(dataset, name) for name in ("china", "vietnam", "mexico")]

    async def open_compare(pilot):
        await settle(pilot)
        pilot.app.post_message(OpenCompare(codes))
        await settle(pilot)

    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=size, run_before=open_compare)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_group_detail(snap_compare, make_app, size):
    async def open_asean(pilot):
        await settle(pilot)
        pilot.app.post_message(OpenGroup("ASEAN"))
        await settle(pilot)

    assert snap_compare(make_app(settings=settings_for("regions")), terminal_size=size, run_before=open_asean)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_monthly_table(snap_compare, make_app, dataset, size):
    canada = find_partner(dataset, "canada")

    async def months_of_canada(pilot):
        await settle(pilot)
        pilot.app.post_message(OpenPartner(canada))
        await settle(pilot)
        await pilot.press("h", "space")  # the tables, paged down to the months
        await settle(pilot)

    app = make_app(settings=Settings(period="2026-03", tab="partners"))
    assert snap_compare(app, terminal_size=size, run_before=months_of_canada)
