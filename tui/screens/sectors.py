"""The Sectors tab: HS chapters ranked by balance for the US, a group or a partner."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.widgets import DataTable, Static

from tui import trade
from tui.trade.schema import WORLD
from tui.widgets.charts import ranked
from tui.widgets.plots import BarChart
from tui.widgets.tables import Col, RankTable
from tui.screens.regions import chart_rows


class SectorsPane(Vertical):
    BINDINGS = [
        Binding("o", "cycle_scope", "Scope", id="sectors.scope",
                tooltip="Chapters of the US total, the selected group or the highlighted partner"),
    ]

    def __init__(self) -> None:
        super().__init__(id="sectors-pane")
        self.ranking = None
        self.year: int | None = None
        self._key = None

    def compose(self) -> ComposeResult:
        yield Static("", id="sectors-scope", markup=False)
        with Container(classes="body"):
            yield RankTable(id="sectors-table")
            yield BarChart(horizontal=True, id="sectors-chart")

    @property
    def table(self) -> RankTable:
        return self.query_one("#sectors-table", RankTable)

    def scope_choices(self) -> list[str]:
        app = self.app
        choices = [WORLD]
        if app.settings.group:
            choices.append(app.settings.group)
        partner = app.highlighted_partner
        if partner and partner not in choices:
            choices.append(partner)
        if app.sector_scope and app.sector_scope not in choices:
            choices.append(app.sector_scope)
        return choices

    @property
    def scope(self) -> str:
        app = self.app
        if app.sector_scope:
            return app.sector_scope
        return app.settings.group or WORLD

    def scope_name(self, code: str) -> str:
        ds = self.app.ds
        if code == WORLD:
            return "US total"
        if code in ds.groups.index:
            return str(ds.groups.at[code, "name"])
        return str(ds.partners.at[code, "name"])

    def refresh_data(self, force: bool = False) -> None:
        app = self.app
        ds = app.ds
        code = self.scope
        wide = app.size.width >= 100
        key = (app.period.year, code, wide)
        if not force and key == self._key:
            return
        self._key = key
        label = self.query_one("#sectors-scope", Static)
        if not ds.sector_years:
            self.ranking, self.year = None, None
            label.update("No sector data in this dataset.")
            self.table.set_data([], [], "chapter")
            self.query_one("#sectors-chart", BarChart).show(None)
            return
        self.year = trade.sector_year(ds, app.period.year)
        self.ranking = trade.rank_chapters(ds, self.year, code)
        note = "" if self.year == app.period.year else f" (the nearest year with sector data to {app.period.year})"
        name = self.scope_name(code)
        if self.ranking.empty:
            label.update(f"{name}: no chapter data for {self.year}.")
        else:
            label.update(f"{name}: HS chapters, {self.year}{note}")
        columns = [
            Col("rank", "#", "int"),
            Col("chapter", "HS", "int"),
            Col("name", "Chapter", "text", 40 if wide else 22),
        ]
        if wide:
            columns += [Col("exports", "Exports", "money"), Col("imports", "Imports", "money")]
        columns += [Col("balance", "Balance", "signed"), Col("share", "Share", "percent")]
        self.table.set_data(columns, self.ranking.to_dict("records"), "chapter")
        frame, year = self.ranking, self.year

        def prepare(width: int, height: int):
            if frame.empty:
                return None
            named = frame.assign(label=[f"{c:02d} {n}" for c, n in zip(frame["chapter"], frame["name"])])
            return ranked(named, "label", rows=chart_rows(height), label_width=16 if width < 70 else 24,
                          title=f"Largest chapter balances, {name}, {year} ($B)",
                          selected=self.table.current_key, key="chapter")

        self.query_one("#sectors-chart", BarChart).show(prepare)

    def status_parts(self) -> list[str]:
        app = self.app
        if self.ranking is None:
            return [app.period.label, "no sector data", app.ds.release_label]
        return [
            f"sectors {self.year}",
            self.scope_name(self.scope),
            f"{len(self.ranking)} chapters",
            "imports: Census; exports: USITC DataWeb",
            app.ds.release_label,
        ]

    def action_cycle_scope(self) -> None:
        choices = self.scope_choices()
        current = self.scope
        following = choices[(choices.index(current) + 1) % len(choices)] if current in choices else choices[0]
        self.app.sector_scope = following
        self.refresh_data()
        self.screen.update_status()

    @on(DataTable.RowHighlighted, "#sectors-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.query_one("#sectors-chart", BarChart).refresh()  # the chart marks the cursor row

    @on(DataTable.RowSelected, "#sectors-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.app.screen is not self.screen:  # a second Enter that arrived after the first opened a screen
            return
        chapter = self.table.current_key
        if chapter is None or self.year is None:
            return
        code = self.scope
        group = code if code in self.app.ds.groups.index else None
        self.app.open_chapter(self.year, int(chapter), group)
