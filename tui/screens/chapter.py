"""Which partners make up one HS chapter's balance."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual import on
from textual.app import ComposeResult
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Static

from tui.bindings import BACK_BINDINGS, EXPORT_BINDINGS
from tui.columns import chapter_partner_columns
from tui.messages import OpenPartner
from tui.panes.regions import chart_rows
from tui.trade.changes import BASIS_SHORT
from tui.trade.formatting import money
from tui.trade.ranking import shown_total
from tui.widgets.charts import ranked
from tui.widgets.footer import KeyFooter
from tui.widgets.plots import BarChart
from tui.widgets.status import StatusLine
from tui.widgets.table import RankTable

if TYPE_CHECKING:
    from tui.app import TradeGapApp


class ChapterScreen(Screen):
    BINDINGS = [*BACK_BINDINGS, *EXPORT_BINDINGS]

    def __init__(self, year: int, chapter: int, group: str | None = None) -> None:
        super().__init__()
        self.year = year
        self.chapter = chapter
        self.group = group
        self.ranking = None
        self.names: tuple[str, str] = ("", "")  # the chapter's name and the scope's

    def compose(self) -> ComposeResult:
        yield Static("", id="chapter-title", markup=False)
        with Container(classes="body"):
            yield RankTable(id="chapter-table")
            yield BarChart(horizontal=True, id="chapter-chart")
        yield StatusLine(id="chapter-status")
        yield KeyFooter()

    def on_mount(self) -> None:
        if self not in self.app.screen_stack:  # closed again before it was built (Enter, Esc typed at once)
            return
        from tui.trade.queries import chapter_partners

        app = cast("TradeGapApp", self.app)
        ds = app.state.dataset
        assert ds is not None, "chapters are opened from the Sectors tab, drawn with the full dataset"
        name = ds.chapters.at[self.chapter, "name"] if self.chapter in ds.chapters.index else "Chapter"
        scope = ds.groups.at[self.group, "name"] if self.group else "all partners"
        self.ranking = chapter_partners(ds, self.year, self.chapter, group=self.group).to_dict("records")
        sep = app.separator
        self.query_one("#chapter-title", Static).update(
            sep.join([f"HS {self.chapter:02d} {name}", str(self.year), scope, "share: of the chapter's US balance"]))
        wide = app.size.width >= 100
        columns = chapter_partner_columns(trade=wide, name_width=26 if wide else 18)
        table = self.query_one("#chapter-table", RankTable)
        table.set_data(columns, self.ranking, "code")
        frame = self.ranking
        self.query_one("#chapter-chart", BarChart).show(
            lambda w, h: ranked(frame, "name", rows=chart_rows(h), label_width=16,
                                title=f"HS {self.chapter:02d}: largest partner balances, {self.year} ($B)"))
        total = shown_total(frame)["balance"]
        self.names = (str(name), str(scope))
        self.query_one("#chapter-status", StatusLine).say(
            f"HS {self.chapter:02d}", str(self.year), scope, f"{len(frame)} partners",
            f"sum of rows {money(total, signed=True)}", BASIS_SHORT, app.state.catalog.release_label)
        table.focus()

    def export_document(self):
        from tui.pipeline.releases import release_of
        from tui.views import chapter_document

        if self.ranking is None:
            return None
        ds = cast("TradeGapApp", self.app).state.dataset
        return chapter_document(self.ranking, year=self.year, chapter=self.chapter, name=self.names[0],
                                scope=self.names[1], release=release_of(ds, self.year, "sectors"))

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(RankTable.RowSelected, "#chapter-table")
    def _open(self, event: RankTable.RowSelected) -> None:
        event.stop()
        if self.app.screen is not self:  # a second Enter that arrived after the first opened the partner
            return
        table = self.query_one("#chapter-table", RankTable)
        if table.current_key:
            self.post_message(OpenPartner(table.current_key, codes=list(table.keys), origin=self))
