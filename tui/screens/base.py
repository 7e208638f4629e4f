"""What the screens opened over the tabs share: typed access to the app, keys dropped until the screen is
built, Esc back; for the detail screens (a partner, a group, a comparison), the scrolling body they are
drawn into, again when the settings or the dataset change; and the layout of a partner's and a group's."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from tui.columns import detail_chapter_columns
from tui.messages import DatasetLoaded, DatasetReplaced, OpenPartner, SettingsChanged, ShowChaptersOf
from tui.trade import releases
from tui.widgets.barchart import BarChart
from tui.widgets.footer import KeyFooter
from tui.widgets.status import StatusLine
from tui.widgets.table import RankTable

if TYPE_CHECKING:
    import pandas as pd

    from tui.app import TradeGapApp
    from tui.trade.dataset import Dataset


class DrillScreen(Screen):
    """A screen opened over the tabs; Esc goes back to the one under it."""

    @property
    def tradegap(self) -> TradeGapApp:
        return cast("TradeGapApp", self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys that arrive before the screen is built are dropped

    def on_screen_resume(self) -> None:
        # built (or shown again): the keys typed while it was opened are for it. Replayed from the app, as if
        # typed now: a key made here would not bubble past this screen (its sender) to the app's bindings. Not
        # when it is no longer on top: the detail built ahead resumes after it has been put away again
        if self.is_current:
            self.app.call_later(self.tradegap.release_keys)

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
        for table in self.query(self.FIXED_TABLES):
            table.can_focus = False
        if self.closed_early():
            return
        self.redraw()
        self.query_one("#detail-body").focus()

    def redraw(self) -> None:
        """Draw the detail from the app's state (again): show() it from the full dataset; while that loads in
        the background, the body's loading indicator under the plain title (the screen is drawn again when the
        dataset arrives)."""
        ds = self.tradegap.state.dataset
        self.query_one("#detail-body", VerticalScroll).loading = ds is None
        if ds is None:
            self.show_title([self.plain_title()])
        else:
            self.show(ds)

    @on(SettingsChanged)
    @on(DatasetLoaded)
    @on(DatasetReplaced)
    def _draw_again(self) -> None:
        self.redraw()

    def show(self, ds: Dataset) -> None:
        """Draw the detail from the full dataset and the app's state."""
        raise NotImplementedError

    def plain_title(self) -> str:
        """The title while the dataset loads: what the detail is of."""
        raise NotImplementedError

    def show_title(self, phrases: Sequence[str]) -> None:
        """The title: its phrases one after the other."""
        self.query_one("#detail-title", Static).update(self.tradegap.separator.join(phrases))

    def action_scroll(self, delta: int) -> None:
        self.query_one("#detail-body", VerticalScroll).scroll_relative(y=delta * 3, animate=False)

    def action_page(self, delta: int) -> None:
        body = self.query_one("#detail-body", VerticalScroll)
        if delta > 0:
            body.scroll_page_down(animate=False)
        else:
            body.scroll_page_up(animate=False)


class PlaceScreen(DetailBodyScreen):
    """A partner's or a group's detail, both laid out alike: under the title, the figures, the highlights, the
    charts (#charts), tables that h shows instead of them (TABLES), the place's other tables and its top HS
    chapters. n and p step through a list, h shows the tables instead of the charts, c the place's HS chapters."""

    #: the ids of the charts
    CHARTS: ClassVar[tuple[str, ...]]
    #: the id of the container of the tables h shows instead of the charts
    TABLES: ClassVar[str]
    #: those tables, as {the id of the table's title: the table's id}
    CHART_TABLES: ClassVar[dict[str, str]]
    #: the tables between those and the top HS chapters, as {the id of the table's title: the table's id}
    OTHER_TABLES: ClassVar[dict[str, str]] = {}
    #: the id of the table of the place's top HS chapters
    CHAPTERS: ClassVar[str]
    #: the id of the status line
    STATUS: ClassVar[str]
    code: str
    tables: bool  # h: the tables shown instead of the charts

    def headings(self) -> tuple[Static, Static, Static]:
        """The title (#detail-title), the figures (#figures) and the highlights (#highlights)."""
        return (Static("", id="detail-title", markup=False), Static("", id="figures", markup=False),
                Static("", id="highlights", markup=False))

    def compose(self) -> ComposeResult:
        title, figures, highlights = self.headings()
        yield title
        with VerticalScroll(id="detail-body"):
            yield figures
            yield highlights
            with Container(id="charts"):
                for chart in self.CHARTS:
                    yield BarChart(id=chart)
            # the tables h shows instead of the charts, mounted at the first h (mount_tables)
            yield Container(id=self.TABLES, classes="hidden")
            yield from titled_tables(self.OTHER_TABLES)
            yield Static("", id="chapters-title", markup=False)
            yield RankTable(id=self.CHAPTERS)
        yield StatusLine(id=self.STATUS)
        yield KeyFooter()

    def plain_title(self) -> str:
        return self.tradegap.state.catalog.name_of(self.code)

    def step_in(self, codes: list[str], delta: int, missing: int = 0) -> None:
        """Show the place `delta` after this one in `codes` (counted from index `missing` when this one is not
        in them), from the top."""
        if not codes:
            return
        index = codes.index(self.code) if self.code in codes else missing
        self.code = codes[(index + delta) % len(codes)]
        self.redraw()
        self.query_one("#detail-body", VerticalScroll).scroll_home(animate=False, immediate=True)  # in this frame

    async def action_toggle_tables(self) -> None:
        """h: the tables, or the charts again."""
        if not self.tables:
            await self.mount_tables()
        self.show_charts(not self.tables)
        self.redraw()

    async def mount_tables(self) -> None:
        """The tables h shows instead of the charts, mounted the first time they are asked for: a detail is
        composed and styled without them (the partner's two tables and their titles were about a sixth of
        the first detail's styling), and drawn without filling them while they are hidden."""
        container = self.query_one(f"#{self.TABLES}")
        if not container.children:
            await container.mount_all(titled_tables(self.CHART_TABLES))
            for table in container.query(self.FIXED_TABLES):
                table.can_focus = False

    def show_charts(self, tables: bool = False) -> None:
        """The charts, or with `tables` the tables h shows instead (drawn at the next redraw)."""
        self.tables = tables
        self.query_one("#charts").set_class(tables, "hidden")
        self.query_one(f"#{self.TABLES}").set_class(not tables, "hidden")

    def action_chapters(self) -> None:
        self.post_message(ShowChaptersOf(self.code, origin=self))

    def show_top_chapters(self, ds: Dataset, year: int | None, chapters: pd.DataFrame | None, place: str) -> None:
        """The place's top HS chapters by balance in the sector `year` (with, after the title, what their release
        means when it is not the totals': releases.chapters_note), or a line saying that this `place` (partner,
        group) has none."""
        title = self.query_one("#chapters-title", Static)
        table = self.query_one(f"#{self.CHAPTERS}", RankTable)
        if chapters is not None and not chapters.empty and year is not None:
            note = releases.chapters_note(ds, year)
            title.update(f"Top HS chapters by balance, {releases.sector_label(ds, year)} (c: all chapters)"
                         + (f"{self.tradegap.separator}{note}" if note else ""))
            table.set_data(detail_chapter_columns(name_width=34), chapters.to_dict("records"), "chapter")
            table.display = True
        else:
            title.update(f"No HS chapter data for this {place}.")
            table.display = False


def titled_tables(tables: dict[str, str]) -> ComposeResult:
    """Tables, each under a one-line title: {the title's id: the table's id}."""
    for title, table in tables.items():
        yield Static("", id=title, classes="table-title", markup=False)
        yield RankTable(id=table)
