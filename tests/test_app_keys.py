"""Every key of every screen, driven with Pilot."""

from __future__ import annotations

import pytest

from pilot_helpers import choose, settle, type_text
from tui.messages import OpenPartner
from tui.screens.chapter import ChapterScreen
from tui.screens.detail import DetailScreen
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.settings import Settings
from tui.trade import (
    WORLD,
    NoTradeError,
    find_group,
    find_partner,
    group_members,
    partner_summary,
    rank_chapters,
    rank_partners,
)

SIZE = (100, 32)


def table_keys(app, selector="#partners-table") -> list[str]:
    return list(app.screen.query_one(selector).keys)


def status(app) -> str:
    return app.screen.query_one("StatusLine").text


def expected(app, **filters) -> list[str]:
    s = app.settings
    args = dict(group=s.group, view=s.view, min_size=s.min_size, sort=s.sort, descending=s.descending)
    args.update(filters)
    return list(rank_partners(app.state.dataset, app.state.period, **args)["code"])


# ---------------------------------------------------------------- partners


async def test_start_screen_ranks_deficits_of_the_latest_period(make_app, dataset):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert table_keys(app) == expected(app)
        text = status(app)
        assert text.startswith(f"{dataset.latest.label} · all partners · deficits · ")
        assert f"{len(table_keys(app))} partners" in text and text.endswith("Census release of Oct 2026")


async def test_arrows_and_vi_keys_move_the_cursor(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#partners-table")
        await pilot.press("j", "j", "down")
        assert table.cursor_row == 3
        await pilot.press("k", "up")
        assert table.cursor_row == 1


@pytest.mark.slow
async def test_year_keys_step_through_periods_and_latest_comes_back(make_app, dataset):
    app = make_app()
    periods = dataset.periods()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.state.period == periods[-2] and app.settings.period == periods[-2].key
        assert status(app).startswith(periods[-2].label + " · ")
        assert table_keys(app) == expected(app)
        await pilot.press("left_square_bracket", "right_square_bracket", "right_square_bracket")
        await settle(pilot)
        assert app.settings.period == "latest"  # stepping onto the newest period follows new data
        await pilot.press("left_square_bracket", "left_square_bracket", "l")
        await settle(pilot)
        assert app.settings.period == "latest"


async def test_sort_cycles_columns_and_reverses(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key, order in (("s", ("name", False)), ("s", ("exports", True)), ("S", ("exports", False))):
            await pilot.press(key)
            await settle(pilot)
            assert (app.settings.sort, app.settings.descending) == order, key
            assert table_keys(app) == expected(app)
        assert "by exports" in status(app)
        for _ in range(5):
            await pilot.press("s")
        await settle(pilot)
        assert app.settings.sort == "rank"


async def test_view_cycles_deficit_surplus_all(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for view, word in (("surplus", "surpluses"), ("all", "all balances"), ("deficit", "deficits")):
            await pilot.press("v")
            await settle(pilot)
            assert app.settings.view == view
            assert f" · {word} · " in status(app)
            assert table_keys(app) == expected(app)


@pytest.mark.slow
async def test_min_size_cycles_thresholds(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        sizes = []
        for _ in range(5):
            await pilot.press("m")
            await settle(pilot)
            sizes.append(app.settings.min_size)
            shown = app.screen.query_one("#partners-pane").shown
            assert all(abs(row["balance"]) >= app.settings.min_size for row in shown)
        assert sizes == [100.0, 1000.0, 10000.0, 50000.0, 0.0]
        await pilot.press("m", "m")
        await settle(pilot)
        assert "|balance| >= $1.0B" in status(app)


@pytest.mark.slow
async def test_search_filters_as_you_type_and_escape_clears(make_app, dataset):
    app = make_app(settings=None)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("v", "v")  # all partners
        await pilot.press("slash")
        assert app.focused.id == "search"
        await type_text(pilot, "ma")
        await settle(pilot)
        shown = app.screen.query_one("#partners-pane").shown
        assert len(shown) > 3
        names = [row["name"] for row in shown]
        assert names[0] == "Morocco"  # ISO code MA first, then names beginning with "ma", largest trade first
        assert {"Malaysia", "Malta", "Madagascar"} <= set(names) and "China" not in names
        await type_text(pilot, "lay")
        await settle(pilot)
        assert table_keys(app) == [find_partner(dataset, "malaysia")]
        assert "matching 'malay'" in status(app) and "1 partner " in status(app) + " "
        await pilot.press("escape")
        await settle(pilot)
        assert app.focused.id == "partners-table"
        assert table_keys(app) == expected(app)
        # by ISO code, kept after Enter
        await pilot.press("slash")
        await type_text(pilot, "deu")
        await pilot.press("enter")
        await settle(pilot)
        assert table_keys(app) == [find_partner(dataset, "germany")]
        assert app.focused.id == "partners-table"


async def test_a_search_that_the_filters_empty_says_who_it_found(make_app, dataset):
    surplus = rank_partners(dataset, dataset.latest, view="surplus").iloc[0]  # not in the deficits list
    app = make_app(settings=None)
    async with app.run_test(size=(160, 32)) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await type_text(pilot, str(surplus["name"]).lower())
        await settle(pilot)
        assert table_keys(app) == []
        said = status(app)
        assert f"matching '{str(surplus['name']).lower()}': {surplus['name']}" in said
        assert "not in this list (v: all partners, G: no group)" in said
        await pilot.press("enter", "v")  # the search kept; the surpluses: found, and the line says no more
        await settle(pilot)
        assert table_keys(app) == [surplus["code"]] and "not in this list" not in status(app)


@pytest.mark.slow
async def test_group_picker_restricts_and_G_clears(make_app, dataset):
    asean = find_group(dataset, "asean")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("g")
        await settle(pilot)
        await choose(pilot, "ASEAN")
        assert app.settings.group == asean
        assert set(table_keys(app)) <= set(group_members(dataset, asean, dataset.latest))
        assert " · ASEAN (members of Aug 2026) · " in status(app)  # a bloc of its time: which members
        await pilot.press("G")
        await settle(pilot)
        assert app.settings.group is None
        assert table_keys(app) == expected(app)


@pytest.mark.slow
async def test_next_and_previous_in_the_detail_follow_a_change_of_year(make_app, dataset):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+home", "enter")
        await settle(pilot)
        screen = app.screen
        first = screen.code
        await pilot.press("left_square_bracket")  # the year before: another ranking
        await settle(pilot)
        now = list(rank_partners(dataset, app.state.period)["code"])
        assert now != list(rank_partners(dataset, dataset.latest)["code"])  # the walk had to change
        assert screen.codes == now and first in now
        await pilot.press("n")
        await settle(pilot)
        assert screen.code == now[(now.index(first) + 1) % len(now)]
        assert f"{now.index(screen.code) + 1} of {len(now)} in the list" in str(screen.query_one("#detail-title").content)


async def test_a_click_on_a_tab_shows_it_and_the_arrows_on_the_focused_bar_move_through_them(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#tabs")
        switcher = app.screen.query_one("#tab-panes")
        regions = next(span for span in bar.spans() if span.tab == "regions")
        await pilot.click("#tabs", offset=(regions.label_start + 1, 0))
        await settle(pilot)
        assert bar.active == app.settings.tab == "regions" and switcher.current == "regions-pane"
        assert app.focused.id == "regions-table" and "regions and blocs" in status(app)
        bar.focus()
        await pilot.press("right")
        await settle(pilot)
        assert bar.active == app.settings.tab == "sectors" and switcher.current == "sectors-pane"
        assert app.focused.id == "sectors-table"


@pytest.mark.slow
async def test_number_keys_switch_tabs(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one("#tabs")
        for key, tab in (("2", "regions"), ("3", "sectors"), ("1", "partners")):
            await pilot.press(key)
            await settle(pilot)
            assert tabs.active == tab and app.settings.tab == tab
        await pilot.press("2")
        await settle(pilot)
        assert status(app).startswith(app.state.period.label + " · ") and "regions and blocs" in status(app)


def column_titles(app, selector: str) -> dict[str, str]:
    table = app.screen.query_one(selector)
    return {column.key: title for column, title in zip(table.shown_columns, table.column_titles, strict=True)}


@pytest.mark.slow
async def test_change_columns_say_what_a_year_to_date_is_compared_with(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot)
        assert dataset.latest.label == "2026 Jan-Aug"
        assert column_titles(app, "#partners-table")["change"] == "vs 2025 Jan-Aug"
        await pilot.press("2")
        await settle(pilot)
        assert column_titles(app, "#regions-table")["change"] == "vs 2025 Jan-Aug"
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert column_titles(app, "#regions-table")["change"] == "vs 2024"


# ---------------------------------------------------------------- detail


@pytest.mark.slow
async def test_detail_figures_next_previous_year_and_back(make_app, dataset):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("left_square_bracket")  # a complete year
        await settle(pilot)
        codes = table_keys(app)
        await pilot.press("ctrl+home", "j", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen) and screen.code == codes[1]
        s = screen.summary
        figures = str(screen.query_one("#figures").content)
        assert f"Rank #{s.rank} of {s.ranked}" in figures and "Share" in figures
        assert screen.query_one("#chart-balance").data() is not None
        assert len(screen.query_one("#chart-monthly").data().values) == 24
        await pilot.press("n")
        await settle(pilot)
        assert screen.code == codes[2]
        await pilot.press("p", "p")
        await settle(pilot)
        assert screen.code == codes[0]
        await pilot.press("p")  # wraps to the end of the ranking
        await settle(pilot)
        assert screen.code == codes[-1]
        before = screen.summary.period
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.state.period == before.previous
        try:  # the last partner of the ranking may have had no trade a year earlier
            summarised = partner_summary(dataset, screen.code, before.previous).period
        except NoTradeError:
            summarised = None
        assert (screen.summary and screen.summary.period) == summarised
        await pilot.press("j", "k")
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one("#status").text.startswith(app.state.period.label)
        assert table_keys(app) == expected(app)
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


async def test_a_detail_opened_again_shows_the_new_partner_and_year_as_a_new_one_would(make_app, dataset):
    """The detail's screen is kept when closed; opened again it shows the partner asked for, in the year now
    chosen, with its charts (not the tables h showed) from the top, and walks the list as it is now."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+home", "enter")
        await settle(pilot)
        first = app.screen
        assert isinstance(first, DetailScreen)
        await pilot.press("h", "space")  # the tables, scrolled down
        await settle(pilot)
        assert first.tables and first.query_one("#detail-body").scroll_y > 0
        await pilot.press("escape", "left_square_bracket")  # closed; another year
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        codes, chosen = table_keys(app), app.screen.query_one("#partners-table").current_key
        assert chosen != first.code
        await pilot.press("enter")
        await settle(pilot)
        again = app.screen
        assert again is first  # kept, not built again
        assert again.code == chosen and again.codes == codes
        assert again.summary is not None and again.summary.period == app.state.period
        name = dataset.partners.loc[chosen, "name"]
        assert str(again.query_one("#detail-title").content).startswith(name)
        assert not again.tables and not again.query_one("#charts").has_class("hidden")
        assert again.query_one("#detail-tables").has_class("hidden")
        assert again.query_one("#chart-balance").bars is not None  # drawn
        assert again.query_one("#detail-body").scroll_y == 0 and again.focused is again.query_one("#detail-body")
        await pilot.press("n")
        await settle(pilot)
        assert again.code == codes[(codes.index(chosen) + 1) % len(codes)]
        # the same partner again: its tables' rows from the top, as on a new screen
        await pilot.press("p")
        await settle(pilot)
        assert again.code == chosen
        chapters = again.query_one("#detail-chapters")
        chapters.move_cursor(row=2)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is again and chapters.row_count > 2 and chapters.cursor_row == 0


@pytest.mark.slow
async def test_detail_chapters_key_opens_sectors_for_the_partner(make_app, dataset):
    china = find_partner(dataset, "china")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenPartner(china))
        await settle(pilot)
        assert "Top HS chapters" in str(app.screen.query_one("#chapters-title").content)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.screen.query_one("#tabs").active == "sectors"
        year = dataset.sector_years[-1]
        assert table_keys(app, "#sectors-table") == [str(c) for c in rank_chapters(dataset, year, china)["chapter"]]
        assert " · China · " in status(app)


@pytest.mark.slow
async def test_status_lines_name_the_release_of_the_period_shown(make_app, dataset):
    app = make_app(settings=Settings(period="1988"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert status(app).endswith("Census file of Apr 2025")
        await pilot.press("2")
        await settle(pilot)
        assert status(app).endswith("Census file of Apr 2025")
        await pilot.press("3")
        await settle(pilot)
        # HS chapters exist for 2023-2024 only: their own release, earlier than the totals'
        assert status(app).endswith("Census API 2025 + DataWeb Aug 2025")  # the chapters' own release, short
        assert "chapters from an earlier release than the totals" in status(app)
        assert "Oct 2026" not in status(app)


@pytest.mark.slow
async def test_detail_says_what_a_partners_figures_are(make_app, dataset):
    app = make_app(settings=Settings(period="1992"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenPartner(find_partner(dataset, "russia")))
        await settle(pilot)
        figures = str(app.screen.query_one("#figures").content)
        assert "New partner: no figures a year earlier" in figures
        assert "Note: New partner in 1992, after the dissolution of the USSR" in figures
        assert app.screen.query_one("#detail-status").text.endswith("Census file of Apr 2025")
    app = make_app(settings=Settings(period="2024"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.post_message(OpenPartner(find_partner(dataset, "china")))
        await settle(pilot)
        title = str(app.screen.query_one("#chapters-title").content)
        assert title.startswith("Top HS chapters by balance, 2024") and "earlier release than the totals" in title
        assert "Note:" not in str(app.screen.query_one("#figures").content)


async def test_regions_members_and_the_group_filter_follow_the_period(make_app, dataset):
    app = make_app(settings=Settings(period="2015", tab="regions"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        regions = app.screen.query_one("#regions-table")
        eu = regions.keys.index("0003")
        assert regions.row_texts(eu)["members"] == "28"  # the EU28 of Census's 2015 series
        assert "BRICS" in regions.keys and "USMCA" in regions.keys
        await pilot.press("left_square_bracket")  # 2014
        await settle(pilot)
        assert regions.row_texts(regions.keys.index("0003"))["members"] == "28"
        app.update_settings(period="1990")
        await settle(pilot)
        assert "BRICS" not in regions.keys and "BRICS-TODAY" in regions.keys and "0003" not in regions.keys
        app.update_settings(period="2015", group="0003", view="all", tab="partners")
        await settle(pilot)
        shown = set(table_keys(app))
        assert "4120" in shown and shown == set(group_members(dataset, "0003", app.state.period))
        assert " · European Union (members of Dec 2015) · " in status(app)


# ---------------------------------------------------------------- sectors and chapters


@pytest.mark.slow
async def test_sectors_scope_and_chapter_partners(make_app, dataset):
    asean = find_group(dataset, "asean")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.update_settings(group=asean)
        await pilot.press("3")
        await settle(pilot)
        year = dataset.sector_years[-1]
        assert table_keys(app, "#sectors-table") == [str(c) for c in rank_chapters(dataset, year, asean)["chapter"]]
        await pilot.press("o")  # the group -> the highlighted partner (or back to the US)
        await settle(pilot)
        await pilot.press("o", "o")
        await settle(pilot)
        scopes = app.state.sector_scope_choices()
        assert WORLD in scopes and asean in scopes
        app.state.sector_scope = WORLD
        app.screen.query_one("#sectors-pane").refresh_data()
        await settle(pilot)
        await pilot.press("ctrl+home")
        first = table_keys(app, "#sectors-table")[0]
        assert first == str(rank_chapters(dataset, year, WORLD)["chapter"].iloc[0])
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChapterScreen) and screen.chapter == int(first)
        assert len(screen.ranking) > 10
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.code == screen.ranking[0]["code"]
        await pilot.press("b", "b")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)


@pytest.mark.slow
async def test_sectors_sort_cycles_and_reverses_keeping_the_ranks(make_app, dataset):
    app = make_app(settings=Settings(period="2024", tab="sectors"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sectors-table")
        assert "vs 2023" in table.column_titles and "Balance ▲" in table.column_titles
        ranks = {str(r["chapter"]): r["rank"] for r in rank_chapters(dataset, 2024).to_dict("records")}
        for key, (sort, descending) in (("s", ("exports", True)), ("s", ("imports", True)), ("S", ("imports", False)),
                                        ("s", ("change", False)), ("s", ("share", True)), ("s", ("balance", False))):
            await pilot.press(key)
            await settle(pilot)
            assert (app.state.sector_sort, app.state.sector_descending) == (sort, descending), key
            expected = rank_chapters(dataset, 2024, sort=sort, descending=descending)
            assert table_keys(app, "#sectors-table") == [str(c) for c in expected["chapter"]]
            pane = app.screen.query_one("#sectors-pane")
            assert all(ranks[str(row["chapter"])] == row["rank"] for row in pane.ranking)  # ranks kept
            said = "" if sort == "balance" else f" · by {sort}{' desc' if descending else ''} · "
            assert said in status(app)


@pytest.mark.slow
async def test_arriving_from_a_partner_puts_the_sectors_cursor_on_the_first_row(make_app, dataset):
    app = make_app(settings=Settings(period="2024", tab="sectors"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(*["j"] * 20)
        await settle(pilot)
        table = app.screen.query_one("#sectors-table")
        assert table.cursor_row == 20
        app.post_message(OpenPartner(find_partner(dataset, "vietnam")))
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert app.screen.query_one("#tabs").active == "sectors" and " · Vietnam · " in status(app)
        assert table.cursor_row == 0 and table.scroll_offset.y == 0


@pytest.mark.slow
async def test_rank_1_stays_in_view_when_a_year_change_moves_the_kept_chapter_up(make_app, dataset):
    app = make_app(settings=Settings(period="2024", tab="sectors"))
    async with app.run_test(size=(100, 24)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sectors-table")
        visible = table.scrollable_content_region.height - 1
        before = table_keys(app, "#sectors-table")
        after = [str(c) for c in rank_chapters(dataset, 2023)["chapter"]]
        # a chapter below the first page in 2024 that is on it in 2023
        row = next(i for i, key in enumerate(before) if i >= visible and after.index(key) < visible - 1)
        await pilot.press(*["j"] * row)
        await settle(pilot)
        assert table.scroll_offset.y > 0
        kept = table.current_key
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.state.period.year == 2023 and table.current_key == kept
        assert table.scroll_offset.y == 0  # rank 1 on the first row, the kept chapter further down


@pytest.mark.slow
async def test_the_chapter_screen_sorts_and_steps_the_year(make_app, dataset):
    from tui.trade import chapter_partners

    app = make_app(settings=Settings(period="2024", tab="sectors"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+home", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ChapterScreen) and screen.year == 2024
        chapter = screen.chapter
        await pilot.press("s")
        await settle(pilot)
        expected = chapter_partners(dataset, 2024, chapter, sort="exports", descending=True)
        assert table_keys(app, "#chapter-table") == list(expected["code"])
        assert "by exports desc" in status(app)
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert app.state.period.year == 2023 and screen.year == 2023
        expected = chapter_partners(dataset, 2023, chapter, sort="exports", descending=True)
        assert table_keys(app, "#chapter-table") == list(expected["code"])
        assert status(app).startswith("2023 · ") and "vs 2022" not in screen.query_one("#chapter-table").column_titles
        await pilot.press("right_square_bracket", "S")
        await settle(pilot)
        assert screen.year == 2024 and "vs 2023" in screen.query_one("#chapter-table").column_titles
        expected = chapter_partners(dataset, 2024, chapter, sort="exports", descending=False)
        assert table_keys(app, "#chapter-table") == list(expected["code"])
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen) and app.screen.query_one("#sectors-pane").year == 2024


# ---------------------------------------------------------------- help, palette, quit


@pytest.mark.slow
@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_keys_of_the_screen(make_app, key):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        described = {description for _keys, description, _details in app.screen.rows}
        assert {"Search", "Sort", "View", "Min size", "Group", "Help", "Quit"} <= described
        await pilot.press(key)
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        app.post_message(OpenPartner(app.state.partner_list[0]))
        await settle(pilot)
        await pilot.press(key)
        await settle(pilot)
        described = {description for _keys, description, _details in app.screen.rows}
        assert {"Back", "Next", "Prev", "Chapters"} <= described
        await pilot.press("escape")


async def test_help_lists_each_key_once(make_app):
    """The command palette's key (the footer's "^p palette") and Tab: one row each, said in full."""
    import io
    import re

    from rich.console import Console

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=300, file=io.StringIO(), color_system=None, record=True)  # a row a line
        console.print(app.screen.query_one("#help-table").content)
        text = console.export_text()
        keys = [line.split()[0] for line in text.splitlines() if line.strip()]
        assert len([key for key in keys if re.fullmatch(r"\^p|ctrl\+p", key)]) == 1, keys
        assert keys.count("tab") == 1, keys
        assert "Command palette" in text and "Next control" in text


@pytest.mark.slow
async def test_palette_commands(make_app, dataset):
    vietnam = find_partner(dataset, "vietnam")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # Go to partner…
        await pilot.press("ctrl+p")
        await choose(pilot, "go to partner")
        await choose(pilot, "Vietnam")
        assert isinstance(app.screen, DetailScreen) and app.screen.code == vietnam
        await pilot.press("b")
        # Year… straight from the palette
        await pilot.press("ctrl+p")
        await choose(pilot, "Year: 2019")
        assert app.settings.period == "2019"
        # Show group…
        await pilot.press("ctrl+p")
        await choose(pilot, "show group")
        await choose(pilot, "european union")
        assert app.settings.group == find_group(dataset, "european union")
        # Reset filters
        await pilot.press("s", "m")
        await pilot.press("ctrl+p")
        await choose(pilot, "reset filters")
        s = app.settings
        assert (s.period, s.group, s.view, s.sort, s.min_size) == ("latest", None, "deficit", "rank", 0.0)
        assert table_keys(app) == expected(app)


async def test_q_quits(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.slow
async def test_quick_tab_changes_settle_on_the_last_tab(make_app):
    """Tab messages that arrive after the tab changed again are ignored (they used to make tabs flip forever)."""
    import asyncio

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tabs = app.screen.query_one("#tabs")
        tabs.active = "regions"
        tabs.active = "sectors"
        await asyncio.wait_for(settle(pilot), timeout=10)
        await pilot.pause(0.2)
        assert tabs.active == "sectors" and app.settings.tab == "sectors"
        assert app.focused.id == "sectors-table"


async def test_the_search_box_is_made_at_the_first_slash_and_the_keys_typed_after_it_go_into_it(make_app):
    from tui.panes.partners import PartnersPane

    app = make_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(PartnersPane)
        assert pane.search_box is None  # not part of the first screen
        await pilot.press("slash", "c", "h", "i")
        await settle(pilot)
        box = pane.search_box
        assert box is not None and box.value == "chi" and app.focused is box
        assert app.screen.query_one("#partners-table").current_key == "5700"  # China, the best match
        await pilot.press("escape", "slash", "k", "o", "r")  # cleared and hidden, then shown again: the same box
        await settle(pilot)
        assert pane.search_box is box and box.value == "kor" and len(pane.query(type(box))) == 1


def test_the_group_pickers_count_the_members_of_the_period_shown(dataset):
    from tui.commands import group_title
    from tui.trade import Period

    asean = dataset.catalog.groups[find_group(dataset, "asean")]
    members_2009 = group_members(dataset, asean.code, Period(2009))
    assert len(members_2009) < len(asean.members)  # a member joined later: the count must follow the period
    assert group_title(asean, Period(2009)) == f"Group: {asean.name} ({len(members_2009)} partners)"
