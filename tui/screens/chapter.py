"""Which partners make up one HS chapter's balance."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tui.trade import chapter_partners, shown_total
from tui.trade.formatting import money
from tui.widgets.charts import ranked
from tui.widgets.plots import BarChart
from tui.widgets.footer import KeyFooter
from tui.widgets.status import StatusLine
from tui.widgets.tables import Col, RankTable
from tui.screens.regions import chart_rows


class ChapterScreen(Screen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="chapter.back", tooltip="Back to the chapters"),
        Binding("b", "back", "Back", show=False, id="chapter.back_letter", tooltip="Back (no Esc delay)"),
    ]

    def __init__(self, year: int, chapter: int, group: str | None = None) -> None:
        super().__init__()
        self.year = year
        self.chapter = chapter
        self.group = group
        self.ranking = None

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
        app = self.app
        ds = app.ds
        name = ds.chapters.at[self.chapter, "name"] if self.chapter in ds.chapters.index else "Chapter"
        scope = ds.groups.at[self.group, "name"] if self.group else "all partners"
        self.ranking = chapter_partners(ds, self.year, self.chapter, group=self.group)
        sep = app.separator
        self.query_one("#chapter-title", Static).update(
            sep.join([f"HS {self.chapter:02d} {name}", str(self.year), scope, "share: of the chapter's US balance"]))
        wide = app.size.width >= 100
        columns = [Col("rank", "#", "int"), Col("iso", "ISO", "text", 3), Col("name", "Partner", "text", 26 if wide else 18)]
        if wide:
            columns += [Col("exports", "Exports", "money"), Col("imports", "Imports", "money")]
        columns += [Col("balance", "Balance", "signed"), Col("share", "Share", "percent")]
        table = self.query_one("#chapter-table", RankTable)
        table.set_data(columns, self.ranking.to_dict("records"), "code")
        frame = self.ranking
        self.query_one("#chapter-chart", BarChart).show(
            lambda w, h: ranked(frame, "name", rows=chart_rows(h), label_width=16,
                                title=f"HS {self.chapter:02d}: largest partner balances, {self.year} ($B)",
                                selected=table.current_key))
        total = shown_total(frame)["balance"] if len(frame) else 0.0
        self.query_one("#chapter-status", StatusLine).say(
            f"HS {self.chapter:02d}", str(self.year), scope, f"{len(frame)} partners",
            f"total {money(total, signed=True)}", ds.release_label)
        table.focus()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(DataTable.RowHighlighted, "#chapter-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#chapter-chart", BarChart).refresh()  # the chart marks the cursor row

    @on(DataTable.RowSelected, "#chapter-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.app.screen is not self:  # a second Enter that arrived after the first opened the partner
            return
        table = self.query_one("#chapter-table", RankTable)
        if table.current_key:
            self.app.open_partner(table.current_key, codes=list(table.keys))
