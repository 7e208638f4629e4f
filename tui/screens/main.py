"""The start screen: Partners, Regions & blocs and Sectors as tabs over one status line."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from tui.screens.partners import PartnersPane
from tui.screens.regions import RegionsPane
from tui.screens.sectors import SectorsPane
from tui.widgets.footer import KeyFooter
from tui.widgets.status import StatusLine

TAB_KEYS = ("partners", "regions", "sectors")
TABLE_OF = {"partners": "#partners-table", "regions": "#regions-table", "sectors": "#sectors-table"}
TAB_TITLES = {"partners": "1 Partners", "regions": "2 Regions & blocs", "sectors": "3 Sectors"}

# Keys that change the period or group: on every screen that shows figures.
PERIOD_BINDINGS = [
    Binding("left_square_bracket", "app.step_year(-1)", "Year -", id="year.previous",
            tooltip="The year before", group=Binding.Group("Year", compact=True)),
    Binding("right_square_bracket", "app.step_year(1)", "Year +", id="year.next",
            tooltip="The year after (the latest year to date comes last)", group=Binding.Group("Year", compact=True)),
    Binding("y", "app.pick_year", "Year...", show=False, id="year.pick", tooltip="Choose a year from a list"),
    Binding("l", "app.latest", "Latest", show=False, id="year.latest",
            tooltip="The latest period with data (year to date); follows new data"),
]


class Tabs(TabbedContent):
    """The three tabs; only keys, clicks and settings change the active tab, never focus.

    TabbedContent also activates the pane of a widget that gets focus. Focus
    arrives as a message, so with keys typed quickly (1 then 2, or a key
    mashed over SSH) the focus of an earlier tab switch arrives after a later
    one and flips the tab back: the tab shown and the saved tab then differ.
    Only the active pane's widgets can take focus here, so nothing is lost.
    """

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.prevent_default()  # TabbedContent's own handler would switch to the focused pane
        event.stop()


class MainScreen(Screen):
    BINDINGS = [
        Binding("1", "show_tab('partners')", "Partners", show=False, id="tab.partners", tooltip="The Partners tab"),
        Binding("2", "show_tab('regions')", "Regions", show=False, id="tab.regions", tooltip="The Regions & blocs tab"),
        Binding("3", "show_tab('sectors')", "Sectors", show=False, id="tab.sectors", tooltip="The Sectors tab"),
        *PERIOD_BINDINGS,
        Binding("g", "app.pick_group", "Group", id="group.pick", tooltip="Restrict to a region or bloc"),
        Binding("G", "app.clear_group", "All partners", show=False, id="group.clear", tooltip="Remove the group filter"),
    ]

    def compose(self) -> ComposeResult:
        # focus the active tab's table as the screen is composed, so the first frame is drawn focused
        # (Textual would focus the first focusable widget, and a later change of focus redraws it all)
        self.AUTO_FOCUS = TABLE_OF[self.app.settings.tab]
        with Tabs(initial=self.app.settings.tab, id="tabs"):
            with TabPane(TAB_TITLES["partners"], id="partners"):
                yield PartnersPane()
            with TabPane(TAB_TITLES["regions"], id="regions"):
                yield RegionsPane()
            with TabPane(TAB_TITLES["sectors"], id="sectors"):
                yield SectorsPane()
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._stale = False
        self.refresh_active(force=True)
        self.focus_active()
        self.mark_active_tab()
        self.call_after_refresh(self.app.first_screen_shown)

    def mark_active_tab(self) -> None:
        """In ASCII mode there is no underline, and without colour it cannot show which tab is active:
        brackets show it instead."""
        if not (self.app.ascii or self.app.no_color):
            return
        tabs = self.query_one("#tabs", TabbedContent)
        for tab, title in TAB_TITLES.items():
            tabs.get_tab(tab).label = f"[{title}]" if tab == tabs.active else title

    def settings_changed(self, old, new) -> None:
        """Redraw what the new settings change, now if visible, else when shown again."""
        if new.tab != self.active_tab:
            self.query_one("#tabs", TabbedContent).active = new.tab  # TabActivated redraws
        if self.is_current:
            self.refresh_active()
        else:
            self._stale = True
        self.prepare_hidden_tabs_soon()

    def prepare_hidden_tabs_soon(self, delay: float = 0.3) -> None:
        """Fill the tabs not shown with the current figures once keys have stopped for a moment,
        so that switching to one only has to draw it."""
        timer = getattr(self, "_prepare_timer", None)
        if timer is not None:
            timer.stop()
        self._prepare_timer = self.set_timer(delay, self._prepare_hidden_tabs)

    def _prepare_hidden_tabs(self) -> None:
        self._prepare_timer = None
        if not self.app.dataset_loaded:
            return  # the full dataset comes first; it asks again
        active = self.active_tab
        for tab in TAB_KEYS:
            if tab != active:
                self.pane(tab).refresh_data()

    def sector_scope_changed(self) -> None:
        self.pane("sectors")._key = None
        self._stale = True

    def on_screen_resume(self) -> None:
        if getattr(self, "_stale", False):
            self._stale = False
            self.refresh_active()
            self.focus_active()

    def clear_search(self) -> None:
        box = self.query_one("#search")
        box.value = ""
        box.add_class("hidden")

    @property
    def active_tab(self) -> str:
        return self.query_one("#tabs", TabbedContent).active or "partners"

    def pane(self, tab: str | None = None):
        tab = tab or self.active_tab
        return self.query_one({"partners": "#partners-pane", "regions": "#regions-pane", "sectors": "#sectors-pane"}[tab])

    def refresh_active(self, force: bool = False) -> None:
        """Recompute the visible tab only; the others catch up when shown."""
        self.pane().refresh_data(force=force)
        self.update_status()

    def update_status(self) -> None:
        self.query_one("#status", StatusLine).say(*self.pane().status_parts())

    def focus_active(self) -> None:
        table = self.query_one(TABLE_OF[self.active_tab])
        if self.focused is not table:  # focusing it again would redraw it
            table.focus()

    def action_show_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab

    @on(TabbedContent.TabActivated, "#tabs")
    def _tab_changed(self, event: TabbedContent.TabActivated) -> None:
        tab = event.pane.id or "partners"
        if tab not in TAB_KEYS or tab != self.active_tab:
            # a stale message (the tab changed again since): acting on it would flip the tab
            # back and forth between settings and TabbedContent forever
            return
        self.refresh_active()
        self.focus_active()
        self.mark_active_tab()
        if self.app.settings.tab != tab:
            self.app.update_settings(tab=tab)
