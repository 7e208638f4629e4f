"""The app in a meeting, with Pilot: "send me that" (export, copy, screenshot), "what about March" (months),
"China against Vietnam and Mexico" (Compare), "how has ASEAN moved" (the group detail), and finding things."""

from __future__ import annotations

import json
import math
import os
import stat
from pathlib import Path

import pytest

from pilot_helpers import choose, screen_text, settle, type_text
from tui.cli import main as cli
from tui.messages import OpenCompare, OpenGroup, OpenPartner
from tui.screens.compare import CompareScreen
from tui.screens.detail import DetailScreen
from tui.screens.group import GroupScreen
from tui.screens.help import AboutScreen
from tui.screens.main import MainScreen
from tui.settings import Settings
from tui.trade import Period, find_group, find_partner, group_members, rank_partners
from tui.trade.changes import BASIS
from tui.trade.formatting import money
from tui.trade.places import history_table

SIZE = (120, 36)


def notices(app) -> list[str]:
    return [n.message for n in app._notifications]


def cli_output(capsys, *argv: str) -> str:
    capsys.readouterr()
    assert cli(list(argv)) == 0
    return capsys.readouterr().out


@pytest.fixture
def exports(isolated_dirs):
    """Where exports go in every test (conftest): never the current directory."""
    return Path(os.environ["TRADEGAP_EXPORT_DIR"])


async def open_place(pilot, request: type[OpenGroup] | type[OpenPartner], code: str) -> None:
    """Open a group's or partner's detail from the screen shown, and wait until it is drawn."""
    pilot.app.screen.post_message(request(code, origin=pilot.app.screen))
    await settle(pilot)


async def export_as(pilot, label: str) -> None:
    await pilot.press("e")
    await settle(pilot)
    await choose(pilot, label)


# ---------------------------------------------------------------- "send me that"


@pytest.mark.slow
async def test_the_partners_view_exported_is_what_the_command_line_prints(make_app, exports, capsys):
    # the command line first: inside the app, stdout is the app's
    expected = {fmt: cli_output(capsys, "top", "--year", "2024", "--format", fmt) for fmt in ("csv", "markdown", "json")}
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await export_as(pilot, "csv")
        path = exports / "tradegap-partners-2024.csv"
        assert path.read_text(encoding="utf-8") == expected["csv"]
        assert f"Saved {path}" in notices(app)
        await export_as(pilot, "markdown")
        text = (exports / "tradegap-partners-2024.md").read_text(encoding="utf-8")
        assert text == expected["markdown"]
        assert f"Figures: {BASIS}. Source: Census country file of September 2026." in text
        await export_as(pilot, "json")
        data = json.loads((exports / "tradegap-partners-2024.json").read_text(encoding="utf-8"))
        assert data["data"] == json.loads(expected["json"])
        assert data["metadata"]["basis"] == BASIS and data["metadata"]["period"] == "2024"
        assert data["metadata"]["release"] == "Census country file of September 2026"
        await export_as(pilot, "csv")  # again: a new file, the first one is kept
        assert (exports / "tradegap-partners-2024-2.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize(("setup", "name", "argv"), [
    (["2"], "tradegap-regions-2024.csv", ["groups", "--year", "2024"]),
    (["3"], "tradegap-sectors-2024.csv", ["sectors", "--year", "2024"]),
    (["enter"], "tradegap-partner-china-2024.csv", ["show", "china", "--year", "2024"]),
    (["2", "enter"], "tradegap-group-asia-2024.csv", ["show", "asia", "--year", "2024"]),
], ids=["regions", "sectors", "partner", "group"])
async def test_every_view_exports_the_command_lines_columns(make_app, exports, capsys, setup, name, argv):
    expected = cli_output(capsys, *argv, "--format", "csv")
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*setup)
        await settle(pilot)
        await export_as(pilot, "csv")
        assert (exports / name).read_text(encoding="utf-8") == expected


@pytest.mark.slow
@pytest.mark.parametrize(("settings", "opens", "argv", "note"), [
    ({"period": "2024"}, None, ["show", "china", "--year", "2024"], "_Figures: 2015-2021: Census country file of"),
    ({"period": "1999"}, "ASEAN", ["show", "asean", "--year", "1999"], "members changed during 1999 (Cambodia from"),
    ({"period": "2016"}, "ASEAN", ["show", "asean", "--year", "2016"],
     "_HS chapters 2023: imports: Census API (2025); exports: USITC DataWeb (August 2025) · chapters from an "
     "earlier release than the totals"),
    ({"period": "1999", "group": "ASEAN"}, "", ["top", "--group", "asean", "--year", "1999"],
     "members changed during 1999 (Cambodia from"),
], ids=["partner", "group", "group-chapters", "partners-of-a-group"])
async def test_an_exported_view_carries_the_notes_the_command_line_prints(make_app, exports, capsys, settings, opens,
                                                                          argv, note):
    """The releases of a history's years and of the chapters, the members that joined during the period: the
    app's Markdown export is the command line's output, notes and all."""
    from tui.messages import OpenGroup

    expected = cli_output(capsys, *argv, "--format", "markdown")
    assert note in expected
    app = make_app(settings=Settings(**settings))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        if opens is None:
            await pilot.press("enter")  # the first partner of the list: China
        elif opens:
            await open_place(pilot, OpenGroup, opens)
        await export_as(pilot, "markdown")
        (written,) = exports.glob("*.md")
        assert written.read_text(encoding="utf-8") == expected


@pytest.mark.slow
async def test_a_chapters_partners_and_a_comparison_export(make_app, exports, capsys):
    expected = json.loads(cli_output(capsys, "compare", "china", "mexico", "vietnam", "--year", "2024", "--chapters",
                                     "--format", "json"))
    app = make_app(settings=Settings(period="2024", tab="sectors"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")  # the chapter with the largest deficit
        await settle(pilot)
        await export_as(pilot, "markdown")
        (chapter,) = exports.glob("tradegap-chapter-hs*-2024.md")
        assert chapter.read_text(encoding="utf-8").startswith("## HS ")
        await pilot.press("b", "1", "space", "space", "space", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        await export_as(pilot, "json")
        data = json.loads((exports / "tradegap-compare-china-mexico-vietnam-2024.json").read_text(encoding="utf-8"))
        assert data["data"] == expected


@pytest.mark.slow
@pytest.mark.parametrize(("there", "reason"), [(None, "no such directory"), ("a file", "not a directory")],
                         ids=["missing", "a file"])
async def test_an_export_where_it_cannot_be_written_says_so_and_leaves_nothing(make_app, tmp_path, monkeypatch,
                                                                               there, reason):
    missing = tmp_path / "nowhere"
    if there is not None:
        missing.write_text(there)
    monkeypatch.setenv("TRADEGAP_EXPORT_DIR", str(missing))
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await export_as(pilot, "csv")
        assert any(n.startswith(f"Not exported: {reason}") and str(missing) in n for n in notices(app))
        assert list(tmp_path.iterdir()) == ([missing] if there else [])
        assert there is None or missing.read_text() == there


async def test_copy_as_markdown_writes_osc52_wrapped_for_tmux(make_app, monkeypatch):
    from tui import clipboard, compat

    written = []
    monkeypatch.setattr(clipboard, "unsupported", lambda text, env, headless=False: None)
    monkeypatch.setattr(compat, "write_to_terminal", lambda app, sequence: written.append(sequence) or True)
    monkeypatch.setenv("TMUX", "/tmp/tmux-0/default,1,0")
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        doc = app.view_document()
        from tui.export import to_markdown

        assert written == [clipboard.osc52(to_markdown(doc), {"TMUX": "x"})]
        assert written[0].startswith("\x1bPtmux;\x1b\x1b]52;c;") and "\x07\x1b\\\x1b]52;c;" in written[0]
        assert any(n.startswith("Copied US goods trade deficits · 2024 · all partners as Markdown") for n in notices(app))


@pytest.mark.slow
async def test_copy_where_the_terminal_cannot_take_it_offers_the_export(make_app, exports):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:  # headless: no terminal to write to
        await settle(pilot)
        await pilot.press("C")
        await settle(pilot)
        assert any(n.startswith("Cannot copy: there is no terminal. Export to a file instead?") for n in notices(app))
        await choose(pilot, "markdown")  # the export's formats are offered at once
        assert (exports / "tradegap-partners-2024.md").exists()


@pytest.mark.slow
async def test_the_palettes_screenshot_goes_where_exports_go_and_says_where(make_app, exports, tmp_path, monkeypatch):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await choose(pilot, "screenshot")
        await pilot.pause(0.2)
        await settle(pilot)
        path = exports / "tradegap-partners-2024.svg"
        assert path.read_text(encoding="utf-8").startswith("<svg")
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~current_umask()  # for handing over, not private
        assert f"Saved {path}" in notices(app)
        monkeypatch.setenv("TRADEGAP_EXPORT_DIR", str(tmp_path / "gone"))
        app.action_screenshot()
        await settle(pilot)
        assert any(n.startswith("Screenshot not saved: no such directory") for n in notices(app))
        (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")  # a link to nothing: no such directory either
        monkeypatch.setenv("TRADEGAP_EXPORT_DIR", str(tmp_path / "dangling"))
        app.action_screenshot()
        await settle(pilot)
        assert sum(n.startswith("Screenshot not saved: no such directory") for n in notices(app)) == 2
        (tmp_path / "a-file").write_text("kept")
        monkeypatch.setenv("TRADEGAP_EXPORT_DIR", str(tmp_path / "a-file"))
        app.action_screenshot()
        await settle(pilot)
        assert any(n.startswith("Screenshot not saved: not a directory") for n in notices(app))
        assert (tmp_path / "a-file").read_text() == "kept"


# ---------------------------------------------------------------- "what about March"


@pytest.mark.slow
async def test_the_year_picker_offers_months_and_the_list_ranks_one(make_app, dataset):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        await choose(pilot, "2026-03")
        assert app.settings.period == "2026-03"
        await settle(pilot)  # the month's totals come from the dataset
        table = app.screen.query_one("#partners-table")
        march = Period.month(2026, 3)
        assert list(table.keys) == list(rank_partners(dataset, march)["code"])
        assert app.screen.query_one("#status").text.startswith("2026 Mar · all partners · deficits")
        assert "vs 2025 Mar" in table.column_titles  # a month against the same month, said so
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert app.settings.period == "2026-04"
        await pilot.press("y")
        await settle(pilot)
        await choose(pilot, "2026 Jan-Mar")
        assert app.settings.period == "2026-ytd3"


@pytest.mark.slow
async def test_canada_in_march_2026_with_its_months(make_app, dataset):
    canada = find_partner(dataset, "canada")
    app = make_app(settings=Settings(period="2026-03"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await choose(pilot, "canada")
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.code == canada
        figures = detail.query_one("#figures").render().plain
        assert "2025 Mar" in figures and "→ 2026 Mar" in figures
        assert "deficit narrowed by" in figures or "deficit widened by" in figures
        await pilot.press("h")
        await settle(pilot)
        assert detail.query_one("#charts").has_class("hidden")
        months = detail.query_one("#detail-months")
        assert list(months.keys) == [f"2026-{m:02d}" for m in range(1, 9)]
        history = detail.query_one("#detail-history")
        assert list(history.keys)[-1] == "2026 Mar" and list(history.keys)[0] == "2017"
        await pilot.press("h")
        await settle(pilot)
        assert not detail.query_one("#charts").has_class("hidden")


async def test_the_details_tables_are_mounted_at_the_first_h_and_follow_the_partner(make_app, dataset):
    # composed without them, a detail is styled faster; shown, they are the partner's, whichever it is by then
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        assert not detail.query("#detail-history") and not detail.query("#detail-months")
        first = detail.code
        await pilot.press("n", "h")
        await settle(pilot)
        assert detail.code != first and detail.query_one("#charts").has_class("hidden")
        history = detail.query_one("#detail-history")
        rows = history_table(dataset, detail.code, Period(2024))
        expected = [str(row["year"]) for row in rows]
        assert list(history.keys) == expected and expected and not history.can_focus
        assert list(detail.query_one("#detail-months").keys)[0] == "2024-01"
        shown = history.row_texts(len(expected) - 1)
        await pilot.press("h", "n", "h")  # the charts, the next partner, the tables again: that partner's
        await settle(pilot)
        assert len(detail.query("#detail-history")) == 1
        now = detail.query_one("#detail-history").row_texts(len(history_table(dataset, detail.code, Period(2024))) - 1)
        assert now != shown and now["balance"] == money(detail.summary.balance, signed=True)


# ---------------------------------------------------------------- "China against Vietnam and Mexico"


@pytest.mark.slow
async def test_mark_compare_china_vietnam_mexico_in_hs_85(make_app, dataset):
    china, vietnam, mexico = (find_partner(dataset, n) for n in ("china", "vietnam", "mexico"))
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#partners-table")
        await pilot.press("space", "space", "space")  # China, Mexico, Vietnam: the first three rows
        await settle(pilot)
        assert app.state.marked == [china, mexico, vietnam]
        assert table.columns[0].key == "mark"
        assert "3 marked (c compare, u unmark)" in app.screen.query_one("#status").text
        await pilot.press("c")
        await settle(pilot)
        compare = app.screen
        assert isinstance(compare, CompareScreen)
        figures = compare.query_one("#compare-figures")
        assert list(figures.keys) == [china, mexico, vietnam]
        lines = compare.query_one("#compare-chart").lines
        assert [s.label for s in lines.series] == ["China", "Mexico", "Vietnam"]
        assert len({s.marker for s in lines.series}) == 3 and "● China" in lines.legend
        # the chart's years come from two releases, not only the one of 2024 the status line names
        assert str(compare.query_one("#compare-history-note").render()) == (
            "Figures: 1985-2021: Census country file of April 2025 · 2022-2024: Census country file of "
            "September 2026")
        chapters = compare.query_one("#compare-chapters")
        assert "85" in chapters.keys
        row = compare.matrix.rows[list(chapters.keys).index("85")]
        assert row["share_5700"] > row["share_5520"] > 0
        assert "China share" in [c.title for c in chapters.columns]
        await pilot.press("b")
        await settle(pilot)
        await pilot.press("escape")  # no search kept: Esc clears the marks
        await settle(pilot)
        assert app.state.marked == [] and table.columns[0].key != "mark"


async def test_the_comparisons_chapters_fit_their_width_without_a_scroll_bar(make_app, dataset):
    # laid out before its columns were fitted, the table kept a horizontal scroll bar (a row taller) it did
    # not need, when the compare screen came after the detail built ahead
    codes = [find_partner(dataset, name) for name in ("china", "vietnam", "mexico")]
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        app.post_message(OpenCompare(codes))
        await settle(pilot)
        chapters = app.screen.query_one("#compare-chapters")
        assert len(chapters.keys) == 10
        assert not chapters.show_horizontal_scrollbar and chapters.size.height == len(chapters.keys) + 1


async def test_a_chart_selected_with_the_mouse_copies_its_text(make_app):
    # the charts render on the line API: a selection over one must still copy the chart as drawn
    from tui.widgets.barchart import BarChart

    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        chart = app.screen.query_one("#chart-balance", BarChart)
        region = chart.region
        await pilot.mouse_down(offset=(region.x + 2, region.y + 1))
        await pilot.hover(offset=(region.x + 30, region.y + 8))
        await pilot.mouse_up(offset=(region.x + 30, region.y + 8))
        await settle(pilot)
        assert chart.text_selection is not None
        lines = chart.drawing.lines
        selected = app.screen.get_selected_text()
        assert selected is not None and selected.startswith(lines[1][2:]) and lines[2] in selected


@pytest.mark.slow
async def test_a_seventh_mark_is_refused_and_u_unmarks(make_app):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["space"] * 7)
        await settle(pilot)
        assert len(app.state.marked) == 6
        assert any(n.startswith("Compare takes up to 6") for n in notices(app))
        await pilot.press("u")
        await settle(pilot)
        assert app.state.marked == []


async def test_one_mark_is_not_compared_alone(make_app, dataset):
    """Compare takes two to six, as the command line's compare does: c (or the palette's Compare marked) on one
    mark says to mark another."""
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "c")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.state.marked == [find_partner(dataset, "china")]
        assert notices(app)[-1] == "Compare takes 2 to 6: mark another partner or group with Space, then c"
        app.action_compare_marked()  # the palette's Compare marked
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and notices(app)[-2] == notices(app)[-1]
        await pilot.press("space", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen) and len(app.screen.codes) == 2


@pytest.mark.slow
async def test_groups_are_marked_in_regions_and_compared_with_partners(make_app, dataset):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("space", "2", "space", "c")
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        kinds = [row["kind"] for row in app.screen.figures]
        assert kinds == ["partner", "group"]


# ---------------------------------------------------------------- "how has ASEAN moved"


@pytest.mark.slow
async def test_asean_since_2015_in_the_group_detail(make_app, dataset):
    asean = find_group(dataset, "asean")
    app = make_app(settings=Settings(period="2024", tab="regions"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        regions = app.screen.query_one("#regions-table")
        await pilot.press(*["j"] * regions.keys.index(asean), "enter")
        await settle(pilot)
        group = app.screen
        assert isinstance(group, GroupScreen) and group.code == asean
        assert "ASEAN · bloc · 10 members · 2024 · #" in group.query_one("#detail-title").render().plain
        figures = group.query_one("#figures").render().plain
        assert "2023 -$203.2B → 2024 -$227.3B: deficit widened by $24.1B, +12%" in figures
        bars = group.query_one("#group-chart-balance").data()
        assert "2015" in bars.labels
        members = group.query_one("#group-members")
        # the members of 2024 (Timor-Leste joined in 2025): a bloc is shown with the members of its time
        assert set(members.keys) == set(dataset.catalog.groups[asean].members_of(Period(2024)))
        assert set(members.keys) < set(group_members(dataset, asean))
        assert math.fsum(m["share"] for m in group.summary.members) == pytest.approx(100)
        await pilot.press("h")
        await settle(pilot)
        assert list(group.query_one("#group-history").keys) == [str(y) for y in range(2015, 2025)]
        await pilot.press("f")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.settings.group == asean


@pytest.mark.slow
async def test_a_groups_detail_ranks_it_at_its_row_of_the_regions_tab(make_app, dataset):
    brics = find_group(dataset, "brics")
    app = make_app(settings=Settings(period="2009", tab="regions"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        regions = app.screen.query_one("#regions-table")
        keys = list(regions.keys)
        row = keys.index(brics) + 1
        await pilot.press(*["j"] * (row - 1), "enter")
        await settle(pilot)
        group = app.screen
        assert isinstance(group, GroupScreen) and group.code == brics
        assert (group.summary.rank, group.summary.ranked) == (row, len(keys)) == (4, 22)
        title = group.query_one("#detail-title").render().plain
        assert title.endswith(" · #4 of 22 in the regions and blocs list")
        figures = group.query_one("#figures").render().plain
        assert "Rank #4 of 22 by balance in the regions and blocs list, today's-members rows included" in figures


@pytest.mark.slow
async def test_a_groups_chapters_title_names_their_release_as_a_partners_does(make_app, dataset):
    from tui.messages import OpenGroup, OpenPartner

    app = make_app(settings=Settings(period="2009", tab="regions"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_place(pilot, OpenPartner, find_partner(dataset, "china"))
        partner = str(app.screen.query_one("#chapters-title").content)
        await pilot.press("escape")
        await settle(pilot)
        await open_place(pilot, OpenGroup, find_group(dataset, "brics"))
        assert isinstance(app.screen, GroupScreen)
        group = str(app.screen.query_one("#chapters-title").content)
        assert group == partner
        assert group.startswith("Top HS chapters by balance, 2023") and "earlier release than the totals" in group


async def test_a_blocs_detail_screen_names_the_members_who_joined_or_left(make_app, dataset):
    app = make_app(settings=Settings(period="2016"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_place(pilot, OpenGroup, find_group(dataset, "opec"))
        assert isinstance(app.screen, GroupScreen)
        highlights = str(app.screen.query_one("#highlights").content)
        assert "OPEC's members changed during 2016 (Gabon from Jul 2016; Indonesia until Nov 2016)" in highlights
        assert str(app.screen.query_one("#members-title").content).startswith("Members at the end of 2016:")


@pytest.mark.slow
async def test_a_group_from_the_palette(make_app):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await choose(pilot, "asean")
        assert isinstance(app.screen, GroupScreen) and app.screen.code == "ASEAN"


# ---------------------------------------------------------------- finding things


@pytest.mark.slow
@pytest.mark.parametrize(("typed", "name"), [
    ("chi", "China"), ("holland", "Netherlands"), ("uk", "United Kingdom"), ("korea", "South Korea"),
    ("KOR", "South Korea"), ("5700", "China"), ("cote", "Cote d'Ivoire"),
])
async def test_the_palette_finds_partners_as_the_command_line_does(make_app, typed, name):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await choose(pilot, typed)
        assert isinstance(app.screen, DetailScreen)
        assert app.state.catalog.partners[app.screen.code].name == name


@pytest.mark.slow
async def test_go_to_partner_and_the_list_search_rank_the_same_way(make_app):
    app = make_app(settings=Settings(period="2024", view="all"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, "uk")
        await pilot.press("enter")
        await settle(pilot)
        shown = app.screen.query_one("#partners-pane").shown
        assert [row["name"] for row in shown][:2] == ["United Kingdom", "Ukraine"]
        await pilot.press("escape")  # Esc on the list clears the kept search
        await settle(pilot)
        assert app.screen.query_one("#partners-pane").search_text == ""
        assert len(app.screen.query_one("#partners-pane").shown) > 100
        await pilot.press("ctrl+p")
        await settle(pilot)
        await choose(pilot, "go to partner")
        await choose(pilot, "holland")
        assert app.state.catalog.partners[app.screen.code].name == "Netherlands"


@pytest.mark.slow
async def test_home_end_and_space_pages_the_detail(make_app):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#partners-table")
        await pilot.press("end")
        assert table.cursor_row == len(table.keys) - 1
        await pilot.press("home")
        assert table.cursor_row == 0
        await pilot.press("enter")
        await settle(pilot)
        body = app.screen.query_one("#detail-body")
        await pilot.press("space")
        await settle(pilot)
        assert body.scroll_y >= body.scrollable_content_region.height - 1


async def test_restored_filters_are_said_in_one_line(make_app, dataset):
    app = make_app(settings=Settings(period="2019", group="ASEAN"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Restored 2019 · ASEAN — l latest, G all partners" in notices(app)
    plain = make_app(settings=Settings())
    async with plain.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not any(n.startswith("Restored") for n in notices(plain))


# ---------------------------------------------------------------- numbers that explain themselves


async def test_top_5_in_2024_and_their_share(make_app, dataset):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#partners-pane")
        five = rank_partners(dataset, Period(2024)).head(5)
        assert pane.shown[4]["cum_share"] == pytest.approx(five["share"].sum())
        status = app.screen.query_one("#status").text
        assert "sum of rows -$1.41T" in status and "US total -$1.20T" in status
        assert "goods, Census basis, NSA, current $" in status


@pytest.mark.slow
async def test_every_screen_says_what_the_figures_are(make_app):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for keys in (["2"], ["3"], ["3", "enter"], ["b", "1", "enter"], ["b", "2", "enter"]):
            await pilot.press(*keys)
            await settle(pilot)
            status = app.screen.query_one("StatusLine").text
            assert "goods, Census basis, NSA, current $" in status, (keys, status)


@pytest.mark.slow
async def test_about_the_data_from_the_help_and_the_palette(make_app):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark", "a")
        await settle(pilot)
        assert isinstance(app.screen, AboutScreen)
        text = app.screen.query_one("#about-text").render().plain
        for words in ("net US balance", "more than 100%", "surplus a negative share", "same months",
                      "HS chapters", "annual revision", "not seasonally adjusted"):
            assert words in " ".join(text.split()), words
        await pilot.press("escape", "escape")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await choose(pilot, "about the data")
        assert isinstance(app.screen, AboutScreen)


def current_umask() -> int:
    umask = os.umask(0o077)
    os.umask(umask)
    return umask


@pytest.mark.parametrize("umask", [0o022, 0o027, 0o002])
def test_an_export_gets_the_mode_of_any_new_file_not_a_temp_files_private_one(tmp_path, umask):
    """Exports are handed to colleagues: 0o666 less the umask (written through a temp file, which is 0600)."""
    from tui.columns import Column
    from tui.export import Document, Table, export

    doc = Document("partners", "2024", "2024", [Table([Column("name", "Partner")], [{"name": "China"}])])
    before = os.umask(umask)
    try:
        paths = [export(doc, fmt, tmp_path) for fmt in ("csv", "markdown", "json")]
    finally:
        os.umask(before)
    assert [stat.S_IMODE(p.stat().st_mode) for p in paths] == [0o666 & ~umask] * 3
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in paths)  # no temp file left beside them


def test_an_export_that_fails_while_written_leaves_nothing(tmp_path, monkeypatch):
    from tui import export as export_module

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_module.os, "replace", fail)
    with pytest.raises(OSError, match="No space left"):
        export_module.write_text(tmp_path / "tradegap-partners-2024.csv", "name\nChina\n")
    assert os.listdir(tmp_path) == []


def test_the_export_directory_is_the_current_one_unless_set(monkeypatch, tmp_path):
    from tui.export import export_dir

    monkeypatch.delenv("TRADEGAP_EXPORT_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    assert export_dir() == tmp_path
    monkeypatch.setenv("TRADEGAP_EXPORT_DIR", "~/reports")
    assert export_dir() == tmp_path.__class__(os.path.expanduser("~/reports"))


@pytest.mark.slow
async def test_a_saved_month_is_ranked_once_the_dataset_is_in(dataset):
    """A month's totals are not in the catalog: the list waits for the dataset (Textual's loading indicator)."""
    from tui.app import TradeGapApp
    from tui.trade.catalog import load_catalog

    app = TradeGapApp(catalog=load_catalog(), settings=Settings(period="2026-03"), ascii=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pane = app.screen.query_one("#partners-pane")
        assert app.state.dataset is not None and not pane.loading
        march = rank_partners(dataset, Period.month(2026, 3))
        assert list(app.screen.query_one("#partners-table").keys) == list(march["code"])


def test_a_link_by_the_exports_name_is_not_replaced_even_one_to_nothing(tmp_path):
    from tui.export import free_path

    (tmp_path / "tradegap-partners-2024.csv").symlink_to(tmp_path / "nowhere")
    assert free_path(tmp_path, "tradegap-partners-2024.csv") == tmp_path / "tradegap-partners-2024-2.csv"


async def test_a_comparisons_history_note_is_ascii_on_a_terminal_without_unicode(make_app, dataset):
    app = make_app(settings=Settings(period="2024"), ascii=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.post_message(OpenCompare([find_partner(dataset, "china"), find_partner(dataset, "mexico")]))
        await settle(pilot)
        note = str(app.screen.query_one("#compare-history-note").render())
        assert note.isascii() and " | 2022-2024: Census country file of September 2026" in note


async def test_the_export_chooser_is_ascii_on_a_terminal_without_unicode(make_app):
    from textual.command import CommandInput

    app = make_app(settings=Settings(period="2024"), ascii=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        placeholder = app.screen.query_one(CommandInput).placeholder
        assert placeholder.startswith("Export US goods trade deficits | 2024") and placeholder.isascii(), placeholder


@pytest.mark.parametrize(("year", "total"), [("1985", "US total (partners covered)"), ("1995", "US total")])
async def test_a_total_that_is_only_the_partners_covered_says_so_on_every_screen(make_app, dataset, year, total):
    # before 1987 Census publishes no world total: the US total is the sum of the partners it lists
    balance = f"{total.replace('US total', 'US total balance')}".replace(" (partners covered)",
                                                                          " of the partners covered")
    app = make_app(settings=Settings(period=year))
    async with app.run_test(size=(200, 36)) as pilot:
        await settle(pilot)
        status = str(app.screen.query_one("#status").render())
        assert f"· {total} -$" in status, status
        await pilot.press("2")
        await settle(pilot)
        assert app.view_document().tables[0].notes[-1].startswith(f"{total} {year}: -$")  # the Regions export
        await open_place(pilot, OpenGroup, find_group(dataset, "asia"))
        assert isinstance(app.screen, GroupScreen)
        assert f"of the {total} deficit" in str(app.screen.query_one("#figures").content)
        await pilot.press("escape")
        await settle(pilot)
        app.post_message(OpenCompare([find_partner(dataset, "japan"), find_partner(dataset, "canada")]))
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        assert f"share: of the {balance}" in screen_text(app)
        document = app.view_document()
        assert document.tables[0].notes[0].startswith(f"Share: of the {balance} (")


async def test_a_comparisons_chapters_say_they_come_from_an_earlier_release_as_a_details_do(make_app, dataset):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenCompare([find_partner(dataset, "china"), find_partner(dataset, "vietnam")]))
        await settle(pilot)
        assert isinstance(app.screen, CompareScreen)
        title = str(app.screen.query_one("#matrix-title").content)
        assert title.startswith("Top HS chapters of their sales to the US, 2024")
        assert "chapters from an earlier release than the totals" in title
        assert app.view_document().data["chapters_note"].startswith("chapters from an earlier release")


async def test_a_chapters_partners_exported_say_the_chapters_come_from_an_earlier_release(make_app):
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        table = app.view_document().tables[0]
        assert table.context["chapters_note"].startswith("chapters from an earlier release than the totals")
        assert table.notes[-1].endswith(table.context["chapters_note"])


@pytest.mark.parametrize(("year", "group", "says"), [
    ("1990", "mercosur", "Mercosur began in Mar 1991: no figures for 1990."),
    ("1990", "european union", "No recorded trade with European Union in 1990."),  # Census's series: from 1997
])
async def test_a_groups_detail_for_a_year_without_figures_says_so(make_app, dataset, year, group, says):
    app = make_app(settings=Settings(period=year))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_place(pilot, OpenGroup, find_group(dataset, group))
        assert isinstance(app.screen, GroupScreen)
        assert str(app.screen.query_one("#figures").content) == says
        assert app.view_document() is None  # nothing to export
        await pilot.press("h", "l")  # the tables, and the latest period, which has figures: shown again
        await settle(pilot)
        assert isinstance(app.screen, GroupScreen) and app.view_document() is not None


async def test_n_and_p_on_a_partner_opened_from_a_comparison_walk_its_partners_only(make_app, dataset):
    china, japan = find_partner(dataset, "china"), find_partner(dataset, "japan")
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenCompare([china, find_group(dataset, "opec"), japan]))
        await settle(pilot)
        await pilot.press("tab", "enter")  # China's detail
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.codes == [china, japan]
        await pilot.press("n")
        await settle(pilot)
        assert app.screen.code == japan and "2 of 2 in the list" in screen_text(app)


async def test_a_partners_detail_for_a_year_without_figures_leaves_no_tables_titles_of_another(make_app, dataset):
    app = make_app(settings=Settings(period="1992"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await open_place(pilot, OpenPartner, find_partner(dataset, "vietnam"))
        await pilot.press("h")  # the history and months as tables, titled for 1992
        await settle(pilot)
        await pilot.press("[")  # 1991: no figures for Vietnam
        await settle(pilot)
        assert "No recorded trade with Vietnam in 1991" in screen_text(app)
        assert [str(app.screen.query_one(f"#{title}").content) for title in ("history-title", "months-title")] == [
            "", ""]


async def test_a_partners_list_of_a_bloc_before_it_began_says_it_had_no_members_yet(make_app, dataset):
    assert dataset.catalog.groups["BRICS"].label(Period(2009)) == "BRICS (members of Dec 2009)"
    app = make_app(settings=Settings(period="2005", group="BRICS"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.screen.query_one("#partners-table").keys == []
        assert " · BRICS (no members yet: began Jun 2009) · " in str(app.screen.query_one("#status").render())
