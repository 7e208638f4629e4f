"""What each screen looks like at 80x24, 100x32 and 160x48 (pytest-textual-snapshot; Textual pinned exactly).

Run `pytest tests/test_snapshots.py --snapshot-update` after a deliberate change of looks.
"""

from __future__ import annotations

import pytest

from pilot_helpers import screen_text, settle
from tui.messages import OpenCompare, OpenGroup, OpenPartner
from tui.settings import Settings
from tui.trade import find_partner
from tui.widgets.status import StatusLine

SMALL, MEDIUM, LARGE = (80, 24), (100, 32), (160, 48)
SIZES = [SMALL, MEDIUM]  # the screens added for comparing and groups, at the two common sizes
TABS = [("partners", MEDIUM), ("partners", SMALL)] + [(tab, size) for tab in ("regions", "sectors")
                                                        for size in (MEDIUM, SMALL, LARGE)]


def size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


def settings_for(tab: str) -> Settings:
    # a complete year, so the pictures only change when that year's data does
    return Settings(period="2024", tab=tab)


async def open_vietnam(pilot) -> None:
    await settle(pilot)
    pilot.app.post_message(OpenPartner(find_partner(pilot.app.state.dataset, "vietnam")))
    await settle(pilot)


async def open_first_chapter(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter")  # the Sectors tab's first chapter
    await settle(pilot)


#: What each screen is opened with: (settings, what is done before the picture)
SCREENS = {
    "partners": (settings_for("partners"), settle),
    "regions": (settings_for("regions"), settle),
    "sectors": (settings_for("sectors"), settle),
    "detail": (settings_for("partners"), open_vietnam),
    "chapter": (settings_for("sectors"), open_first_chapter),
}


# the fast tier keeps each tab at 80x24; the larger sizes are slow
@pytest.mark.parametrize("tab,size", [pytest.param(tab, size, id=f"{tab}-{size_id(size)}",
                                                   marks=[] if size == SMALL else [pytest.mark.slow])
                                      for tab, size in TABS])
def test_tab(snap_compare, make_app, tab, size):
    assert snap_compare(make_app(settings=settings_for(tab)), terminal_size=size, run_before=settle)


@pytest.mark.slow
@pytest.mark.parametrize("size", [MEDIUM, SMALL, LARGE], ids=size_id)
def test_detail(snap_compare, make_app, size):
    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=size, run_before=open_vietnam)


@pytest.mark.slow
def test_chapter(snap_compare, make_app):
    assert snap_compare(make_app(settings=settings_for("sectors")), terminal_size=SMALL, run_before=open_first_chapter)


@pytest.mark.parametrize("screen", sorted(SCREENS))
async def test_each_screen_at_80x24_shows_help_quit_the_basis_and_the_release(make_app, screen):
    """What the pictures at 80x24 must show, read from the screen's text: the keys to get help and to quit
    in the footer, the period first, the basis of the figures (shortened) and the release last on the status
    line."""
    settings, before = SCREENS[screen]
    app = make_app(settings=settings)
    async with app.run_test(size=SMALL) as pilot:
        await before(pilot)
        *_, status, footer = screen_text(app).splitlines()
        assert "? Help" in footer and "q Quit" in footer, footer
        assert status.split()[0] in ("2024", "sectors"), status
        # the release of the figures shown: the status line's last part, kept whole however narrow
        line = app.screen.query(StatusLine).last()
        release = line.text.rsplit(app.separator, 1)[-1]
        assert release and status.rstrip().endswith(release), (status, release)
        assert f"Census basis, NSA{', current $' if 'current $' in status else ''} · {release}" in status, status


def test_help(snap_compare, make_app):
    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=(100, 32), press=["question_mark"],
                        run_before=settle)


def test_too_small(snap_compare, make_app):
    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=(50, 16), run_before=settle)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_compare(snap_compare, make_app, dataset, size):
    codes = [find_partner(dataset, name) for name in ("china", "vietnam", "mexico")]

    async def open_compare(pilot):
        await settle(pilot)
        pilot.app.post_message(OpenCompare(codes))
        await settle(pilot)

    assert snap_compare(make_app(settings=settings_for("partners")), terminal_size=size, run_before=open_compare)


@pytest.mark.slow
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_group_detail(snap_compare, make_app, size):
    async def open_asean(pilot):
        await settle(pilot)
        pilot.app.post_message(OpenGroup("ASEAN"))
        await settle(pilot)

    assert snap_compare(make_app(settings=settings_for("regions")), terminal_size=size, run_before=open_asean)


@pytest.mark.slow
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
