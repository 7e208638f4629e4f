"""The tab bar draws what Textual's TabbedContent draws for its tabs, cell by cell, and answers clicks and keys as it does."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Button, Static, TabbedContent, TabPane, Tabs

from tui.vocabulary import TAB_TITLES
from tui.widgets.tabbar import TabBar

THEMES = ("textual-dark", "textual-light", "ansi-dark")
WIDTHS = (60, 120, 200)
HEIGHT = 6  # the TabbedContent's two rows and one of its pane, a blank row, then the bar's two rows


class BarsApp(App):
    """Textual's TabbedContent (its tabs on rows 0-1) over a TabBar (rows 4-5), with the same tabs."""

    # TabbedContent as tradegap's stylesheet styled it: no padding in the panes; no underline in ASCII
    # mode or without colour (where the active label gets brackets)
    CSS = """
    TabbedContent { height: 3; }
    TabbedContent TabPane { padding: 0; }
    App.-ascii Underline { display: none; }
    App:nocolor Underline { display: none; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.animation_level = "none"  # as tradegap: Textual's underline does not slide

    def compose(self) -> ComposeResult:
        with TabbedContent(initial="partners"):
            for tab, title in TAB_TITLES.items():
                yield TabPane(title, Static(""), id=tab)
        yield Static("", id="gap")
        yield TabBar(TAB_TITLES, "partners", id="bar")


def rows(app: App, widget: Widget) -> list[list[tuple[str, str]]]:
    """The widget's two rows as the terminal gets them: each cell's character and style (colours, bold,
    dim, underline, reverse...), once the screen has put the widgets together (Textual's tabs are ten, so
    the screen's compositor is read, as in the footer's test: Textual has no public way to these cells)."""
    top = widget.region.y
    strips = app.screen._compositor.render_strips()[top : top + 2]
    return [[(ch, str(segment.style)) for segment in strip for ch in segment.text] for strip in strips]


async def redraw(pilot) -> None:
    """Until what was changed is drawn: the messages handled (focus, mouse, active tab), the screen
    refreshed, and what waited for the refresh done (Textual's underline is moved after it)."""
    for _ in range(2):
        await pilot.pause(0)  # without waiting for the process to be idle (20 ms or more each time)


async def move_mouse(pilot, x: int, y: int) -> None:
    """The mouse to (x, y) on the screen, told to the app as the terminal's driver tells it (Pilot's
    hover waits twice for the process to be idle: a tenth of a second each move)."""
    pilot.app.post_message(events.MouseMove(None, x, y, 0, 0, 0, False, False, False, screen_x=x, screen_y=y))
    await redraw(pilot)


async def show_tab(pilot, tab: str, bracketed: bool) -> None:
    """Make `tab` active in both; with brackets, Textual's as tradegap's main screen marked it."""
    app = pilot.app
    tabbed = app.query_one(TabbedContent)
    tabbed.active = tab
    if bracketed:
        for other, title in TAB_TITLES.items():
            tabbed.get_tab(other).label = f"[{title}]" if other == tab else title
    app.query_one(TabBar).active = tab
    await redraw(pilot)


async def both_drawn(pilot, focused: bool, hovered: str | None = None) -> tuple[list, list]:
    """The rows of Textual's tabs and of the bar, each drawn with the focus on it (or on nothing), and
    with the mouse over the given tab's label (None: wherever it is, off both)."""
    app = pilot.app
    both = (app.query_one(Tabs), app.query_one(TabBar))
    if not focused and hovered is None:  # one state for both: drawn once
        app.set_focus(None)
        await redraw(pilot)
        return rows(app, both[0]), rows(app, both[1])
    drawn = []
    for tabs in both:
        app.set_focus(tabs if focused else None)
        if hovered is not None:
            text = "".join(ch for ch, _ in rows(app, tabs)[0])
            await move_mouse(pilot, text.index(TAB_TITLES[hovered]), tabs.region.y)
        await redraw(pilot)
        drawn.append(rows(app, tabs))
    return drawn[0], drawn[1]


MODES = ["colour", "ascii", "no colour"]


@pytest.mark.parametrize("mode", MODES)
async def test_the_bar_draws_the_cells_textuals_tabbed_content_draws(mode, monkeypatch):
    """Same characters and styles in every cell of both rows: for each active tab, focused or not, at three
    widths, in three themes, and with the mouse over a label; in ASCII mode and without colour, as
    Textual's with the underline hidden and the active label in brackets."""
    if mode == "no colour":
        monkeypatch.setenv("NO_COLOR", "1")  # read as the app is made
    else:
        monkeypatch.delenv("NO_COLOR", raising=False)
    bracketed = mode != "colour"
    app = BarsApp()
    async with app.run_test(size=(WIDTHS[0], HEIGHT)) as pilot:
        if mode == "ascii":
            app.add_class("-ascii")
        drawn = {}
        for width in WIDTHS:
            await pilot.resize_terminal(width, HEIGHT)
            for theme in THEMES:
                app.theme = theme
                for tab in TAB_TITLES:
                    await show_tab(pilot, tab, bracketed)
                    states = [(False, None), (True, None)]
                    if width == WIDTHS[0]:  # the mouse over another label, then over the active one
                        states += [(False, next(t for t in TAB_TITLES if t != tab)), (True, tab)]
                    for focused, hovered in states:
                        textual, bar = await both_drawn(pilot, focused, hovered)
                        where = f"{width} columns, {theme}, {tab} active, focused={focused}, mouse over {hovered}"
                        assert len(textual) == len(bar) == 2 and len(bar[0]) == len(textual[0]) == width, where
                        assert bar == textual, where
                        drawn[width, theme, tab, focused, hovered] = bar
                    await move_mouse(pilot, 0, app.query_one("#gap").region.y)  # off both
        # each width, theme and active tab drew something of its own (none was compared in a state that
        # had not changed yet); the focus shows, but for an ANSI theme without colour
        unfocused = [bar for (_, _, _, focused, hovered), bar in drawn.items() if not focused and hovered is None]
        assert len({repr(bar) for bar in unfocused}) == len(WIDTHS) * len(THEMES) * len(TAB_TITLES)
        for (width, theme, tab, focused, hovered), bar in drawn.items():
            if focused and hovered is None and not (theme.startswith("ansi") and mode == "no colour"):
                assert bar != drawn[width, theme, tab, False, None]
            # the hover shows on another tab's label (not in an ANSI theme: labels have the terminal's
            # colour, hovered or not), never on the active one's
            if hovered is not None:
                shows = hovered != tab and not theme.startswith("ansi")
                assert (bar != drawn[width, theme, tab, focused, None]) == shows, (theme, tab, hovered)


# ---------------------------------------------------------------- clicks, keys and code


class BarApp(App):
    """The bar over a button (something else to focus); the bar's Activated messages are recorded."""

    def __init__(self) -> None:
        super().__init__()
        self.activated: list[str] = []

    def compose(self) -> ComposeResult:
        yield TabBar(TAB_TITLES, "partners", id="bar")
        yield Button("elsewhere")

    def on_tab_bar_activated(self, message: TabBar.Activated) -> None:
        assert message.tab_bar is self.query_one(TabBar) and message.control is message.tab_bar
        self.activated.append(message.tab)


def bar_text(app: App) -> list[str]:
    return ["".join(ch for ch, _ in row) for row in rows(app, app.query_one(TabBar))]


async def test_a_click_on_a_tab_or_under_it_activates_it_and_focuses_the_bar():
    app = BarApp()
    async with app.run_test(size=(60, 6)) as pilot:
        bar = app.query_one(TabBar)
        app.query_one(Button).focus()
        labels = bar_text(app)[0]
        await pilot.click(bar, offset=(labels.index("2 Regions"), 0))
        assert (bar.active, app.activated, app.focused) == ("regions", ["regions"], bar)
        await pilot.click(bar, offset=(labels.index("& blocs"), 0))  # the active tab again: no message
        await pilot.click(bar, offset=(labels.index("3 Sectors") - 1, 1))  # the underline, under its padding
        assert (bar.active, app.activated) == ("sectors", ["regions", "sectors"])
        await pilot.click(bar, offset=(len(labels.rstrip()) + 1, 0))  # past the tabs: nothing
        assert (bar.active, app.activated) == ("sectors", ["regions", "sectors"])


async def test_active_set_by_code_redraws_the_bar_and_posts_a_change_only():
    app = BarApp()
    async with app.run_test(size=(60, 6)) as pilot:
        bar = app.query_one(TabBar)
        before = bar_text(app)
        bar.active = "partners"  # already active
        await pilot.pause()
        assert app.activated == [] and bar_text(app) == before
        bar.active = "sectors"
        await pilot.pause()
        assert app.activated == ["sectors"]
        underline = bar_text(app)[1]
        start = bar_text(app)[0].index("3 Sectors")
        assert underline[start - 1 : start + len("3 Sectors") + 1] == "╸" + "━" * len("3 Sectors") + "╺"
        with pytest.raises(ValueError, match="nowhere"):
            bar.active = "nowhere"
    with pytest.raises(ValueError, match="nowhere"):
        TabBar(TAB_TITLES, "nowhere")


async def test_left_and_right_move_the_active_tab_round_while_the_bar_has_focus():
    app = BarApp()
    async with app.run_test(size=(60, 6)) as pilot:
        bar = app.query_one(TabBar)
        app.query_one(Button).focus()
        await pilot.press("right")
        assert bar.active == "partners"  # the keys are the bar's own
        bar.focus()
        await pilot.press("right", "right", "right", "left")
        assert app.activated == ["regions", "sectors", "partners", "sectors"]
    # the keys, actions and descriptions of Textual's Tabs, not shown: a footer shows the same
    def keys(bindings: list) -> list[tuple]:
        return [(b.key, b.action, b.description, b.show) for b in bindings if isinstance(b, Binding)]

    assert keys(TabBar.BINDINGS) == keys(Tabs.BINDINGS) and len(keys(Tabs.BINDINGS)) == 2


async def test_the_bar_drops_its_underline_for_brackets_when_the_app_turns_ascii():
    app = BarApp()
    async with app.run_test(size=(60, 6)) as pilot:
        assert bar_text(app)[0].startswith(" 1 Partners  2 Regions")
        app.add_class("-ascii")
        await pilot.pause()
        assert bar_text(app) == [" [1 Partners]  2 Regions & blocs  3 Sectors".ljust(60), " " * 60]
        app.remove_class("-ascii")
        await pilot.pause()
        assert bar_text(app)[0].startswith(" 1 Partners  2 Regions") and "━" in bar_text(app)[1]
