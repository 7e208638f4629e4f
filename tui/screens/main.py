"""The start screen: Partners, Regions & blocs and Sectors as tabs over one status line.

The tab bar (tui.widgets.tabbar) is the source of which tab is shown; the tabs' panes sit in a
ContentSwitcher."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount
from textual.widgets import ContentSwitcher

from tui.bindings import EXPORT_BINDINGS, PERIOD_BINDINGS
from tui.messages import DatasetLoaded, DatasetReplaced, SettingsChanged
from tui.panes.partners import PartnersPane
from tui.vocabulary import TAB_TITLES, TABS
from tui.widgets.footer import KeyFooter
from tui.widgets.status import StatusLine
from tui.widgets.tabbar import TabBar

if TYPE_CHECKING:
    from tui.app import TradeGapApp
    from tui.panes.regions import RegionsPane
    from tui.panes.sectors import SectorsPane

TABLE_OF = {"partners": "#partners-table", "regions": "#regions-table", "sectors": "#sectors-table"}
PANE_OF = {"partners": "#partners-pane", "regions": "#regions-pane", "sectors": "#sectors-pane"}
HOLD = 0.5  # seconds: the longest a tab switch holds the screen before it is drawn


def new_pane(tab: str) -> PartnersPane | RegionsPane | SectorsPane:
    """A new pane for the tab; the modules of the tabs not shown at first are imported as their panes are
    mounted, after the first frame."""
    if tab == "regions":
        from tui.panes.regions import RegionsPane

        return RegionsPane()
    if tab == "sectors":
        from tui.panes.sectors import SectorsPane

        return SectorsPane()
    return PartnersPane()


class MainScreen(Screen):
    BINDINGS = [
        Binding("1", "show_tab('partners')", "Partners", show=False, id="tab.partners", tooltip="The Partners tab"),
        Binding("2", "show_tab('regions')", "Regions", show=False, id="tab.regions", tooltip="The Regions & blocs tab"),
        Binding("3", "show_tab('sectors')", "Sectors", show=False, id="tab.sectors", tooltip="The Sectors tab"),
        *PERIOD_BINDINGS,
        Binding("g", "app.pick_group", "Group", id="group.pick", tooltip="Restrict to a region or bloc"),
        Binding("G", "app.clear_group", "All partners", show=False, id="group.clear", tooltip="Remove the group filter"),
        *EXPORT_BINDINGS,
    ]

    @property
    def tradegap(self) -> TradeGapApp:
        return cast("TradeGapApp", self.app)

    def __init__(self) -> None:
        super().__init__()
        self._panes: dict[str, PartnersPane | RegionsPane | SectorsPane] = {}  # pane(): each, once mounted

    def compose(self) -> ComposeResult:
        tab = self.tradegap.settings.tab
        # focus the active tab's table as the screen is composed, so the first frame is drawn focused
        # (Textual would focus the first focusable widget, and a later change of focus redraws it all)
        self.AUTO_FOCUS = TABLE_OF[tab]  # type: ignore[misc]  # per screen: the tab it starts on
        yield TabBar({str(name): title for name, title in TAB_TITLES.items()}, tab, id="tabs")
        # only the tab shown is built with the screen; the others are mounted once the first frame is on the
        # terminal (their widgets were 6 ms of the first paint): see mount_hidden_panes
        with ContentSwitcher(initial=PANE_OF[tab][1:], id="tab-panes"):
            yield new_pane(tab)
        yield StatusLine(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._held: contextlib.AbstractContextManager | None = None
        self._stale = False
        self._prepare_timer: Timer | None = None
        self._mounting: dict[str, AwaitMount] = {}  # the hidden tabs' panes being mounted
        self.refresh_active(force=True)
        self.focus_active()
        self.call_after_refresh(self.tradegap.first_screen_shown)
        self.call_after_refresh(self.mount_hidden_panes)
        self.prepare_hidden_tabs_soon()

    @on(SettingsChanged)
    def _settings_changed(self, message: SettingsChanged) -> None:
        """Redraw what the new settings change, now if visible, else when shown again."""
        if message.new.tab != self.active_tab:
            self.tab_bar.active = message.new.tab  # TabBar.Activated shows the tab
        self.refresh_when_shown()
        self.prepare_hidden_tabs_soon()

    def mount_hidden_panes(self) -> None:
        """Mount the panes of the tabs not shown (after the first frame). Until a pane is mounted, the
        screen leaves it out (pane() is None); mounted later, it draws from the state as it is then."""
        switcher = self.query_one("#tab-panes", ContentSwitcher)
        if not switcher.is_attached:  # the app is closing (a signal, q typed at once): nothing to mount into
            return
        for tab in TABS:
            if tab not in self._mounting and not self.query(PANE_OF[tab]):
                pane = new_pane(tab)
                pane.display = False  # the switcher shows one child: it hides the others as it starts only
                self._mounting[tab] = switcher.mount(pane)

    async def pane_ready(self, tab: str) -> None:
        """Return once the tab's pane is mounted (at once, nearly always: the first frame mounts it)."""
        if self.pane(tab) is None:
            self.mount_hidden_panes()
            if tab in self._mounting:
                await self._mounting[tab]

    @on(DatasetLoaded)
    @on(DatasetReplaced)
    def _dataset_changed(self, message: DatasetLoaded | DatasetReplaced) -> None:
        """The full dataset is in (the tabs that waited for it draw), or a newer one replaced it (all draw again)."""
        replaced = isinstance(message, DatasetReplaced)
        for tab in TABS:
            pane = self.pane(tab)
            if pane is None:
                continue  # mounted later, it draws with what is there then
            if replaced:
                pane.forget()
            else:
                pane.dataset_loaded()
        self.refresh_when_shown(force=replaced)
        self.prepare_hidden_tabs_soon()

    def prepare_hidden_tabs_soon(self, delay: float = 0.3) -> None:
        """Fill the tabs not shown with the current figures once keys have stopped for a moment,
        so that switching to one only has to draw it."""
        if self._prepare_timer is not None:
            self._prepare_timer.stop()
        self._prepare_timer = self.set_timer(delay, self._prepare_hidden_tabs)

    def _prepare_hidden_tabs(self) -> None:
        """One tab at a time (a key typed meanwhile is answered in between); its chart drawn too, at the
        size the tab shown now has."""
        self._prepare_timer = None
        active = self.active_tab
        hidden = [tab for tab in TABS if tab != active]
        if any(self.pane(tab) is None for tab in hidden):
            # their panes are mounted after the first frame: on a busy machine that can be later than this
            self.prepare_hidden_tabs_soon()
            return
        area = self.query_one("#tab-panes", ContentSwitcher).content_size

        def unchanged() -> bool:
            return self.active_tab == active and self._prepare_timer is None

        def fill(tab: str) -> None:
            pane = self.pane(tab)
            if unchanged() and pane is not None:
                pane.refresh_data()

        def draw(tab: str) -> None:
            pane = self.pane(tab)
            if unchanged() and pane is not None and not pane.loading and area.area:
                pane.draw_ahead(area)

        for tab in hidden:  # in steps of a few milliseconds each: a key typed meanwhile goes in between
            self.call_later(fill, tab)
            self.call_later(draw, tab)

    def sector_scope_changed(self) -> None:
        """The Sectors tab shows another scope (or its sort was reset): drawn again from its first row."""
        pane = self.pane("sectors")
        if pane is not None:  # else it is mounted later, with the scope as it is then
            cast("SectorsPane", pane).scope_changed()
        self.refresh_when_shown()

    def refresh_when_shown(self, force: bool = False) -> None:
        """Draw the visible tab again now if this screen is on top, else when it is shown again."""
        if self.is_current:
            self.refresh_active(force=force)
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.refresh_active()
            self.focus_active()

    def marks_changed(self) -> None:
        """Partners or groups were marked for Compare: the visible tab shows it now, the others when shown."""
        for tab in ("partners", "regions"):
            pane = self.pane(tab)
            if tab != self.active_tab and pane is not None:
                pane.forget()
        self.refresh_active()

    def export_document(self):
        """The visible tab as a document (tui.export), or None while its figures are loading."""
        pane = self.pane()
        return pane.export_document() if pane is not None else None

    def clear_search(self) -> None:
        pane = self.pane("partners")
        if isinstance(pane, PartnersPane):
            pane.clear_search()

    def refresh_partners(self) -> None:
        """Bring the Partners list (and so the list a detail's n/p walk) up to date with the settings."""
        pane = self.pane("partners")
        if pane is not None:
            pane.refresh_data()

    @property
    def tab_bar(self) -> TabBar:
        return self.query_one("#tabs", TabBar)

    @property
    def active_tab(self) -> str:
        return self.tab_bar.active

    def pane(self, tab: str | None = None) -> PartnersPane | RegionsPane | SectorsPane | None:
        """The tab's pane (default: the tab shown), or None while it is not mounted yet.

        Kept once found: a tab key asks for it some seven times, and each query walked the screen's widgets
        (panes are mounted once and never removed)."""
        tab = tab or self.active_tab
        pane = self._panes.get(tab)
        if pane is None:
            found = self.query(PANE_OF[tab])
            pane = cast("PartnersPane | RegionsPane | SectorsPane | None", found.first() if found else None)
            if pane is None or not pane.is_mounted:
                return None
            self._panes[tab] = pane
        return pane

    def refresh_active(self, force: bool = False) -> None:
        """Recompute the visible tab only; the others catch up when shown."""
        pane = self.pane()
        if pane is not None:  # else it is being mounted, and the tab's switch draws it once it is
            pane.refresh_data(force=force)
            self.update_status()

    def update_status(self) -> None:
        pane = self.pane()
        if pane is not None:
            self.query_one("#status", StatusLine).say(*pane.status_parts())

    def focus_active(self) -> None:
        pane = self.pane()
        if pane is not None and self.focused is not pane.table:  # focusing it again would redraw it
            pane.table.focus()

    def action_show_tab(self, tab: str) -> None:
        if self.active_tab != tab:
            self._hold_frames()  # until the tab is drawn, focused and its status said: one frame, not four
            if self.pane(tab) is not None:
                # shown now, in this key's handler: switched only as TabBar.Activated is handled, the layout of
                # the new pane came a frame after the status and tab bar (some 30 ms later)
                self.query_one("#tab-panes", ContentSwitcher).current = PANE_OF[tab][1:]
            self.tab_bar.active = tab

    def _hold_frames(self) -> None:
        """No frame until _release_frames (at most HOLD seconds): a change made in several steps is drawn once."""
        if self._held is None:
            self._held = self.app.batch_update()
            self._held.__enter__()
            self.set_timer(HOLD, self._release_frames)

    def _release_frames(self) -> None:
        if self._held is not None:
            held, self._held = self._held, None
            held.__exit__(None, None, None)

    @on(TabBar.Activated, "#tabs")
    async def _tab_changed(self, event: TabBar.Activated) -> None:
        tab = event.tab
        await self.pane_ready(tab)
        if tab != self.active_tab:
            # a stale message (the tab changed again since): acting on it would flip the tab
            # back and forth between settings and the tab bar forever
            return
        self.query_one("#tab-panes", ContentSwitcher).current = PANE_OF[tab][1:]
        self.refresh_active()
        self.focus_active()
        if self.tradegap.settings.tab != tab:
            self.tradegap.update_settings(tab=tab)
        # now, not after a refresh: while frames are held, what waits for the next refresh runs at once (the
        # footer's rebuild) and would come before the tab instead of after it
        self._release_frames()
