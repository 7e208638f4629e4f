"""Layouts by priority: what each screen keeps when the terminal is small, and how it uses a large one."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pilot_helpers import screen_text, settle
from tui.messages import OpenCompare, OpenGroup, OpenPartner
from tui.panes.base import charts_shown
from tui.settings import Settings
from tui.trade import find_partner
from tui.widgets.footer import DEFAULT_PRIORITY, KeyUnit, keys_to_hide
from tui.widgets.phrases import pack_phrases
from tui.widgets.status import STATUS_BASIS, Kept, StatusLine, fit_status
from tui.widgets.table import RankTable

RELEASE = "Census, release of Oct 2026"


# ---------------------------------------------------------------- the parts, without a terminal


def test_the_status_keeps_its_first_and_last_parts_whole():
    parts = ["2024", "all partners", "deficits", "102 partners", "total -$1.41T", RELEASE]
    full = " · ".join(parts)
    assert fit_status(parts, len(full)) == full
    fitted = fit_status(parts, 78)
    assert fitted == f"2024 · all partners · deficits · 102 partners … {RELEASE}" and len(fitted) <= 78
    assert fit_status(parts, 40) == f"2024 … {RELEASE}"
    # cut only at the end, the dropped parts still marked where they were
    assert fit_status(parts, 30, " | ", "...") == "2024 ... Census, release of..."


#: The Partners tab's status line for 2024 (its filters here as parts like the others: the basis alone is kept)
PARTNERS_2024 = ["2024", "all partners", "deficits", "102 partners", "sum of rows -$1.41T", "US total -$1.20T",
                 STATUS_BASIS, "Census file of Sep 2026"]


def test_the_status_keeps_the_basis_and_drops_the_parts_before_it():
    """At 120 columns (118 inside the line's padding) and 80: the basis stays, the parts before it go."""
    full = " · ".join(map(str, PARTNERS_2024))
    assert "goods, Census basis, NSA, current $" in full and fit_status(PARTNERS_2024, len(full)) == full
    assert fit_status(PARTNERS_2024, 118) == ("2024 · all partners · deficits · 102 partners · sum of rows -$1.41T "
                                              "… Census basis, NSA · Census file of Sep 2026")
    assert fit_status(PARTNERS_2024, 78) == "2024 · all partners · deficits … Census basis, NSA · Census file of Sep 2026"
    assert fit_status(PARTNERS_2024, 78, " | ", "...") == (
        "2024 | all partners | deficits ... Census basis, NSA | Census file of Sep 2026")


def test_the_basis_is_shortened_before_another_part_goes_and_is_as_long_as_fits():
    full = " · ".join(map(str, PARTNERS_2024))
    mid = full.replace("goods, Census basis, NSA, current $", "Census basis, NSA, current $")
    short = full.replace("goods, Census basis, NSA, current $", "Census basis, NSA")
    assert fit_status(PARTNERS_2024, len(full) - 1) == mid  # every part kept, the basis a little shorter
    assert fit_status(PARTNERS_2024, len(mid) - 1) == short
    # one part less: room again for the whole basis
    assert fit_status(PARTNERS_2024, len(short) - 1) == (
        "2024 · all partners · deficits · 102 partners · sum of rows -$1.41T … goods, Census basis, NSA, current $ "
        "· Census file of Sep 2026")


def test_the_basis_goes_only_when_it_and_the_ends_have_no_room_then_the_line_is_cut():
    assert fit_status(PARTNERS_2024, 50) == "2024 … Census basis, NSA · Census file of Sep 2026"
    assert fit_status(PARTNERS_2024, 49) == "2024 … Census file of Sep 2026"
    assert fit_status(PARTNERS_2024, 20) == "2024 … Census file…"
    alone = ["2024", STATUS_BASIS, "Census file of Sep 2026"]  # nothing else to drop: shortened, then dropped
    assert fit_status(alone, 68) == "2024 · goods, Census basis, NSA, current $ · Census file of Sep 2026"
    assert fit_status(alone, 67) == "2024 · Census basis, NSA, current $ · Census file of Sep 2026"
    assert fit_status(alone, 49) == "2024 … Census file of Sep 2026"


def test_a_filter_of_the_list_stays_longer_than_the_basis():
    """The Partners list's group, view and minimum size are said nowhere else: the basis goes before them."""
    parts = ["2024", Kept("ASEAN (members of Dec 2024)"), Kept("all balances"), Kept(""), "11 partners",
             "sum of rows -$227.3B", STATUS_BASIS, "Census file of Sep 2026"]
    assert fit_status(parts, 118) == ("2024 · ASEAN (members of Dec 2024) · all balances · 11 partners … "
                                      "Census basis, NSA · Census file of Sep 2026")  # an empty part is not said
    assert fit_status(parts, 78) == "2024 · ASEAN (members of Dec 2024) · all balances … Census file of Sep 2026"
    assert fit_status(parts, 60) == "2024 · ASEAN (members of Dec 2024) … Census file of Sep 2026"


def test_each_run_of_dropped_parts_is_one_ellipsis_where_they_were():
    parts = ["a", "b", Kept("K"), "c", "d", "z"]
    assert fit_status(parts, 21) == "a · b · K · c · d · z"
    assert fit_status(parts, 20) == "a · b · K · c … z"
    assert fit_status(parts, 16) == "a · b · K … z"
    assert fit_status(parts, 12) == "a … K … z"
    assert fit_status(parts, 8) == "a … z"


WORDS = st.text(alphabet="abcdefgh $-.", min_size=1, max_size=30).filter(lambda t: t.strip() == t and t)


@st.composite
def status_parts(draw):
    """A period, other parts (some Kept, with shorter forms) and a release, each told apart by a prefix."""
    middle: list = []
    for index in range(draw(st.integers(min_value=0, max_value=8))):
        if draw(st.booleans()):
            middle.append(f"{index}:{draw(WORDS)}")
        else:
            forms = sorted(draw(st.lists(WORDS, min_size=1, max_size=3)), key=len, reverse=True)
            middle.append(Kept(*(f"{index}.{n}:{form}" for n, form in enumerate(forms))))
    return [f"first:{draw(WORDS)}", *middle, f"last:{draw(WORDS)}"]


@given(parts=status_parts(), width=st.integers(min_value=1, max_value=160))
@settings(max_examples=300, deadline=None)
def test_any_status_fits_keeps_its_ends_and_drops_the_plain_parts_first(parts, width):
    line = fit_status(parts, width)
    assert len(line) <= width
    first, last = parts[0], parts[-1]
    if len(f"{first} … {last}") > width:
        return  # cut at the end: only its beginning is sure
    shown = re.split(" · | … ", line)
    assert shown[0] == first and shown[-1] == last, line
    plain = [part for part in parts[1:-1] if not isinstance(part, Kept)]
    kept = [part for part in parts[1:-1] if isinstance(part, Kept)]
    shown_plain = [text for text in shown[1:-1] if text in plain]
    assert shown_plain == plain[:len(shown_plain)], line  # the first ones, in order: dropped from the end
    if shown_plain:  # a plain part shown: every Kept part is too, in one of its forms
        assert all(any(form in shown[1:-1] for form in part.forms) for part in kept), line


async def test_a_status_line_says_the_whole_basis_when_asked_for_every_part():
    from textual.app import App

    class LineApp(App):
        def compose(self):
            yield StatusLine()

    async with LineApp().run_test(size=(80, 3)) as pilot:  # 78 cells inside the padding
        line = pilot.app.query_one(StatusLine)
        line.say("2024", "", "102 partners", STATUS_BASIS, RELEASE)
        await pilot.pause()
        assert line.text == f"2024 · 102 partners · goods, Census basis, NSA, current $ · {RELEASE}"
        assert line.shown == f"2024 · 102 partners · Census basis, NSA · {RELEASE}"


FOOTER_BINDINGS = [
    ("enter", "press('open')", "Open", None),
    ("s", "press('sort')", "Sort", None),
    ("left_square_bracket", "press('before')", "Year -", "Year"),
    ("right_square_bracket", "press('after')", "Year +", "Year"),
    ("x", "press('never')", "Disabled", None),
    ("question_mark", "press('help')", "Help", None),  # id app.help: never hidden
]


def footer_app(footer_class: type, ascii: bool = False):
    """A small app whose screen shows FOOTER_BINDINGS in the given footer; pressed actions are recorded."""
    from textual.app import App
    from textual.binding import Binding

    group = Binding.Group("Year", compact=True)

    class FooterApp(App):
        BINDINGS = [Binding(key, action, description, group=group if label else None,
                            id="app.help" if key == "question_mark" else None)
                    for key, action, description, label in FOOTER_BINDINGS]

        def __init__(self) -> None:
            super().__init__()
            self.ascii = ascii
            self.pressed: list[str] = []

        def compose(self):
            yield footer_class()

        def action_press(self, name: str) -> None:
            self.pressed.append(name)

        def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
            return None if parameters == ("never",) else True  # shown, disabled

    return FooterApp()


@pytest.mark.parametrize("width", [30, 100])
async def test_the_footer_draws_the_keys_as_textuals_footer_does(width):
    """Same keys, order, spacing and colours as Textual's Footer (a key, a compact group, a disabled key,
    the command palette's key on the right), so that only what it costs changed."""
    from textual.widgets import Footer

    from tui.widgets.footer import KeyFooter

    lines = {}
    for footer_class in (Footer, KeyFooter):
        app = footer_app(footer_class)
        async with app.run_test(size=(width, 3)) as pilot:
            await settle(pilot)
            strip = app.screen._compositor.render_strips()[-1]
            # the cells, with their colours; blank cells compared by background only (Textual's footer
            # leaves its gaps without a text colour, this one draws spaces in its own)
            lines[footer_class] = [(ch, str(seg.style) if ch != " " else str(seg.style.bgcolor))
                                   for seg in strip for ch in seg.text]
    textual_line, line = lines[Footer], lines[KeyFooter]
    if width == 100:
        assert line == textual_line
    else:  # too narrow: Textual's runs off the edge; this one hides whole keys, the palette's first, then the
        # rightmost of equal priority, help never
        assert "".join(ch for ch, _ in line).rstrip() == " ⏎ Open  s Sort  ? Help"


async def test_a_click_on_a_footer_key_presses_it_and_a_disabled_one_does_nothing():
    from tui.widgets.footer import KeyFooter

    app = footer_app(KeyFooter)
    async with app.run_test(size=(100, 3)) as pilot:
        await settle(pilot)
        text = "".join(seg.text for seg in app.screen._compositor.render_strips()[-1])
        footer = app.query_one(KeyFooter)
        for word in ("Sort", "]", "Disabled"):
            await pilot.click(footer, offset=(text.index(word), 0))
            await settle(pilot)
        assert app.pressed == ["sort", "after"]


def test_footer_keys_go_by_priority_the_rightmost_of_equals_first_help_and_quit_never():
    units = [KeyUnit([], 8, 70), KeyUnit([], 10, DEFAULT_PRIORITY), KeyUnit([], 8, DEFAULT_PRIORITY),
             KeyUnit([], 12, 40), KeyUnit([], 8, 100), KeyUnit([], 8, 100)]
    assert keys_to_hide(units, 60) == []
    assert keys_to_hide(units, 50) == [units[3]]
    assert keys_to_hide(units, 30) == [units[3], units[2], units[1]]
    assert keys_to_hide(units, 10) == [units[3], units[2], units[1], units[0]]  # help and quit stay


def test_phrases_break_between_phrases_only():
    phrases = ["Rank #3 of 230 by balance", "Share 10.3% of the US total deficit", "Change vs 2023 -$18.7B"]
    assert pack_phrases(phrases, 200, "   ") == ["   ".join(phrases)]
    assert pack_phrases(phrases, 70, "   ") == ["   ".join(phrases[:2]), phrases[2]]
    assert pack_phrases(phrases, 20, "   ") == phrases  # too long for a line: a line of its own each


# ---------------------------------------------------------------- in the app


async def open_screen(pilot, screen: str) -> None:
    """The tab, the detail (Vietnam), a chapter (the first of the Sectors tab), a group's detail (ASEAN) or
    three partners compared (China, Vietnam, Mexico)."""
    app = pilot.app
    await settle(pilot)
    if screen == "detail":
        app.post_message(OpenPartner(find_partner(app.state.dataset, "vietnam")))
    elif screen == "chapter":
        await pilot.press("enter")
    elif screen == "group":
        app.post_message(OpenGroup("ASEAN"))
    elif screen == "compare":
        app.post_message(OpenCompare([find_partner(app.state.dataset, name) for name in ("china", "vietnam", "mexico")]))
    await settle(pilot)


def settings_for(screen: str) -> Settings:
    tab = {"detail": "partners", "chapter": "sectors", "group": "regions", "compare": "partners"}.get(screen, screen)
    return Settings(period="2024", tab=tab)


# the detail and a chapter are opened from a tab: more than about 1 s each, slow
SCREENS = ["partners", "regions", "sectors", pytest.param("detail", marks=pytest.mark.slow),
           pytest.param("chapter", marks=pytest.mark.slow)]


@pytest.mark.parametrize("size", [(60, 20), pytest.param((70, 22), marks=pytest.mark.slow)],
                         ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
async def test_help_quit_period_and_release_stay_below_80_columns(make_app, screen, size):
    """At 80x24 the snapshot tests check it; down to the smallest size the app runs at too."""
    app = make_app(settings=settings_for(screen))
    async with app.run_test(size=size) as pilot:
        await open_screen(pilot, screen)
        lines = screen_text(app).splitlines()
        footer, status = lines[-1], lines[-2]
        assert "? Help" in footer and "q Quit" in footer, footer
        line = app.screen.query(StatusLine).last()
        release = line.text.rsplit(app.separator, 1)[-1]  # the release of the figures shown: the last part
        assert status.strip().startswith(("2024", "sectors 2024")) and status.rstrip().endswith(release), status


@pytest.mark.parametrize("screen", ["partners", *(pytest.param(screen, marks=pytest.mark.slow) for screen in (
    "regions", "sectors", "detail", "chapter", "group", "compare"))])
async def test_at_120_columns_the_status_line_says_the_basis_of_the_figures(make_app, screen):
    """The default terminal's width: the basis (at least "Census basis, NSA") stays on the line, just before the
    release, however many other parts it has."""
    app = make_app(settings=settings_for(screen))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_screen(pilot, screen)
        status = screen_text(app).splitlines()[-2].strip()
        line = app.screen.query(StatusLine).last()
        release = line.text.rsplit(app.separator, 1)[-1]
        assert STATUS_BASIS in line.parts and status.startswith(("2024", "sectors 2024")), status
        assert any(status.endswith(f"{form} · {release}") for form in STATUS_BASIS.forms), status
        if screen == "partners":
            assert status == ("2024 · all partners · deficits · 102 partners · sum of rows -$1.41T … Census basis, NSA "
                              "· Census file of Sep 2026")


async def test_at_80_columns_the_partners_status_line_says_the_group_before_the_basis(make_app):
    app = make_app(settings=Settings(period="2024", tab="partners", group="ASEAN"))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_screen(pilot, "partners")
        status = screen_text(app).splitlines()[-2].strip()
        assert status.startswith("2024 · ASEAN (members of Dec 2024) · deficits … "), status


# the fast tier keeps the narrowest width and the widest below 80 columns; the sweep is slow
@pytest.mark.parametrize("width", [60, *(pytest.param(w, marks=pytest.mark.slow) for w in (65, 70, 75)), 79,
                                   pytest.param(100, marks=pytest.mark.slow)])
@pytest.mark.parametrize("screen", ["partners", "regions", "sectors", pytest.param("chapter", marks=pytest.mark.slow)])
async def test_tables_drop_whole_columns_instead_of_cutting_them(make_app, screen, width):
    app = make_app(settings=settings_for(screen))
    async with app.run_test(size=(width, 24)) as pilot:
        await open_screen(pilot, screen)
        table = app.focused
        assert isinstance(table, RankTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # nothing off the right edge
        header = screen_text(app).splitlines()[table.region.y]
        for title in table.column_titles:
            assert title in header, (title, header)
        keys = [c.key for c in table.shown_columns]
        assert "balance" in keys and "name" in keys
        if width >= 75:
            assert "imports" in keys


@pytest.mark.slow
@pytest.mark.parametrize("tab", ["regions", "sectors"])
async def test_below_30_rows_the_chart_gives_way_to_the_table_and_h_brings_it_back(make_app, tab):
    app = make_app(settings=settings_for(tab))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one(f"#{tab}-table", RankTable)
        assert not charts_shown(app.screen)
        assert table.scrollable_content_region.height - 1 >= 12  # rows below the header
        assert "imports" in [c.key for c in table.shown_columns]
        await pilot.press("h")
        await settle(pilot)
        assert charts_shown(app.screen) and app.screen.query_one(f"#{tab}-chart").size.height >= 10
        await pilot.press("h")
        await settle(pilot)
        assert not charts_shown(app.screen)
        await pilot.resize_terminal(100, 32)  # 30 rows and more: the chart is shown unless hidden with h
        await settle(pilot)
        assert not charts_shown(app.screen)
        await pilot.press("h")
        await settle(pilot)
        assert charts_shown(app.screen)


@pytest.mark.slow
async def test_tall_terminals_give_the_charts_the_height(make_app):
    app = make_app(settings=settings_for("sectors"))
    async with app.run_test(size=(100, 48)) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#sectors-chart").size.height > 12
        await pilot.press("2")
        await settle(pilot)
        table = app.screen.query_one("#regions-table", RankTable)
        assert table.size.height == table.row_count + 1  # every region, and the chart the rest
        assert app.screen.query_one("#regions-chart").size.height > 20
    app = make_app(settings=settings_for("detail"))
    async with app.run_test(size=(160, 48)) as pilot:
        await open_screen(pilot, "detail")
        charts = app.screen.query_one("#charts")
        assert charts.size.height > 17
        assert app.screen.query_one("#detail-body").max_scroll_y == 0  # all of the detail in view


@pytest.mark.slow
@pytest.mark.parametrize("width", [60, 80, 100])
async def test_the_detail_header_breaks_between_phrases(make_app, width):
    app = make_app(settings=settings_for("detail"))
    async with app.run_test(size=(width, 24)) as pilot:
        await open_screen(pilot, "detail")
        for selector in ("#detail-title", "#figures", "#highlights"):
            widget = app.screen.query_one(selector)
            phrases = [phrase for line in widget.lines for phrase in line]
            region = widget.content_region
            rows = screen_text(app).splitlines()[region.y:region.bottom]
            for row in rows:
                text = row[region.x:region.right].strip()
                if text:  # the row is whole phrases, in order
                    assert any(text == widget.gap.join(phrases[i:j]) for i in range(len(phrases))
                               for j in range(i + 1, len(phrases) + 1)), (selector, text)


@pytest.mark.slow
@pytest.mark.parametrize("screen", ["regions", "sectors", "chapter"])
async def test_columns_follow_the_width_both_ways(make_app, screen):
    app = make_app(settings=settings_for(screen))
    async with app.run_test(size=(60, 24)) as pilot:  # drawn narrow first, then grown, shrunk and grown
        await open_screen(pilot, screen)
        table = app.focused
        narrow = [c.key for c in table.shown_columns]
        assert "balance" in narrow
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        wide = [c.key for c in table.shown_columns]
        assert {"exports", "imports", "balance", "share"} <= set(wide) and len(wide) > len(narrow)
        await pilot.resize_terminal(60, 24)
        await settle(pilot)
        assert [c.key for c in table.shown_columns] == narrow
        await pilot.resize_terminal(120, 24)
        await settle(pilot)
        assert [c.key for c in table.shown_columns] == wide
