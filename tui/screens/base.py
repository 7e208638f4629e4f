"""What the screens opened over the tabs share: typed access to the app, keys dropped until the screen is
built, Esc back; and, for the detail screens (a partner, a group, a comparison), the scrolling body they
are drawn into."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.messages import DatasetLoaded, DatasetReplaced, OpenPartner, SettingsChanged, ShowChaptersOf
from tui.widgets.table import RankTable

if TYPE_CHECKING:
    from tui.app import TradeGapApp
    from tui.trade.dataset import Dataset


class DrillScreen(Screen):
    """A screen opened over the tabs; Esc goes back to the one under it."""

    @property
    def tradegap(self) -> TradeGapApp:
        return cast("TradeGapApp", self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys that arrive before the screen is built are dropped

    def closed_early(self) -> bool:
        """True when the screen was closed again before it was built (Enter, Esc typed at once)."""
        return self not in self.app.screen_stack

    def action_back(self) -> None:
        self.app.pop_screen()

    def open_partner_in(self, selector: str) -> None:
        """Open the partner of the table's highlighted row, n/p walking the table's rows."""
        if self.app.screen is not self:  # a second Enter that arrived after the first opened the partner
            return
        table = self.query_one(selector, RankTable)
        if table.current_key:
            self.post_message(OpenPartner(table.current_key, codes=list(table.keys), origin=self))


class DetailBodyScreen(DrillScreen):
    """A detail under a title (#detail-title), drawn into a scrolling body (#detail-body) that has the focus;
    its tables only show. It is drawn again when the settings change and when the dataset is loaded or
    replaced."""

    #: the tables that take no focus (j, k and Space scroll the body instead)
    FIXED_TABLES: ClassVar[str] = "RankTable"

    def on_mount(self) -> None:
        if self.closed_early():
            return
        for table in self.query(self.FIXED_TABLES):
            table.can_focus = False
        self.redraw()
        self.query_one("#detail-body").focus()

    def redraw(self) -> None:
        """Draw the detail from the app's state (again)."""
        raise NotImplementedError

    @on(SettingsChanged)
    @on(DatasetLoaded)
    @on(DatasetReplaced)
    def _draw_again(self) -> None:
        self.redraw()

    def show_title(self, phrases: Sequence[str]) -> None:
        """The title: its phrases one after the other."""
        self.query_one("#detail-title", Static).update(self.tradegap.separator.join(phrases))

    def loaded_dataset(self, title: str) -> Dataset | None:
        """The full dataset; None while it loads in the background, with the body's loading indicator shown
        and `title` alone as the title (the screen is drawn again when the dataset arrives)."""
        ds = self.tradegap.state.dataset
        self.query_one("#detail-body", VerticalScroll).loading = ds is None
        if ds is None:
            self.show_title([title])
        return ds

    def action_scroll(self, delta: int) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_relative(y=delta * 3, animate=False)

    def action_page(self, delta: int) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        if delta > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)


class PlaceScreen(DetailBodyScreen):
    """A partner's or a group's detail: n and p step through a list, h shows tables instead of the charts,
    c the place's HS chapters."""

    #: the container of the tables h shows instead of the charts (#charts)
    TABLES: ClassVar[str]
    code: str
    tables: bool  # h: the tables shown instead of the charts

    def step_in(self, codes: list[str], delta: int, missing: int = 0) -> None:
        """Show the place `delta` after this one in `codes` (counted from index `missing` when this one is not
        in them), from the top."""
        if not codes:
            return
        index = codes.index(self.code) if self.code in codes else missing
        self.code = codes[(index + delta) % len(codes)]
        self.redraw()
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False)

    def action_toggle_tables(self) -> None:
        """h: the tables, or the charts again."""
        self.tables = not self.tables
        self.query_one("#charts").set_class(self.tables, "hidden")
        self.query_one(self.TABLES).set_class(not self.tables, "hidden")
        self.redraw()

    def action_chapters(self) -> None:
        self.post_message(ShowChaptersOf(self.code, origin=self))
