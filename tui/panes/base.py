"""What every tab's pane shares: typed access to the app and its state, its table and what Enter on it opens,
and the status it reports; the key that shows or hides a screen's charts, a chart that marks its table's
cursor row, and the sort arrow of a table's header."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from tui.vocabulary import MAX_COMPARED
from tui.widgets.barchart import BarChart
from tui.widgets.status import STATUS_BASIS, Part
from tui.widgets.table import RankTable

if TYPE_CHECKING:
    from tui.app import TradeGapApp
    from tui.columns import Column
    from tui.messages import ScreenRequest
    from tui.state import ExplorerState

#: Below 30 rows the charts under a table are hidden at first (tradegap.tcss): this key shows them, or hides them.
CHART_BINDINGS = [
    Binding("h", "toggle_charts", "Chart", id="charts.toggle",
            tooltip="Show or hide the chart (below 30 rows it starts hidden, to leave the table the room)"),
]
CHARTS_SHOWN, CHARTS_HIDDEN = "-charts-shown", "-charts-hidden"


def charts_shown(screen: Screen) -> bool:
    """Whether the screen's charts beside or under a table (`.body BarChart`) are on screen now."""
    return any(chart.styles.display != "none" for chart in screen.query(".body BarChart").results(BarChart))


def toggle_charts(screen: Screen) -> None:
    """Hide the screen's charts if they are shown, else show them (at any height, until toggled again)."""
    shown = charts_shown(screen)
    screen.set_class(not shown, CHARTS_SHOWN)
    screen.set_class(shown, CHARTS_HIDDEN)


def sort_labels(ascii: bool, columns: Sequence[Column], sort: str, descending: bool) -> dict[str, str]:
    """The sorted column's title with an arrow (▼ descending, ▲ ascending; v and ^ in ASCII)."""
    arrow = ("v" if descending else "^") if ascii else ("▼" if descending else "▲")
    return {c.key: f"{c.title} {arrow}" for c in columns if c.key == sort}


class Pane(Widget):
    """A tab's content: a table (#TABLE_ID) and what goes with it. The main screen asks it to refresh_data()
    and for its status_parts()."""

    #: the id of the pane's table
    TABLE_ID: ClassVar[str]
    #: what the table was last drawn for: refresh_data() draws again when it changes, or when it is None
    _key: tuple | None = None

    @property
    def tradegap(self) -> TradeGapApp:
        return cast("TradeGapApp", self.app)

    @property
    def state(self) -> ExplorerState:
        return self.tradegap.state

    @property
    def table(self) -> RankTable:
        return self.query_one(f"#{self.TABLE_ID}", RankTable)

    def on_current_screen(self) -> bool:
        """False for a second Enter that arrives after the first one opened another screen."""
        return self.app.screen is self.screen

    def request_for(self, key: str) -> ScreenRequest | None:
        """What Enter on the table's row `key` opens (None: nothing)."""
        return None

    @on(RankTable.RowSelected)
    def _open(self, event: RankTable.RowSelected) -> None:
        """Enter on the table: open what its highlighted row stands for (request_for)."""
        event.stop()
        key = self.table.current_key
        request = self.request_for(key) if key and self.on_current_screen() else None
        if request is not None:
            self.post_message(request)

    def refresh_data(self, force: bool = False) -> None:
        raise NotImplementedError

    def waiting(self, data: object) -> bool:
        """True, with Textual's loading indicator shown, while what the pane needs is not loaded (None)."""
        self.loading = data is None
        return self.loading

    def forget(self) -> None:
        """Draw again at the next refresh_data(), even if nothing it knows of changed."""
        self._key = None

    def dataset_loaded(self) -> None:
        """The full dataset is in: a pane that waited for it draws at its next refresh_data().

        A pane drawn from the catalog's totals shows the same figures either way: not drawn again."""
        if self.loading:
            self.forget()

    def status_parts(self) -> list[Part]:
        return []

    def action_toggle_charts(self) -> None:
        toggle_charts(self.screen)

    def export_document(self):
        """What is shown, as a document (tui.export) to export or copy; None while it is loading."""
        return None

    def release(self, period: object = None, kind: str = "trade") -> str:
        """The release the figures of the period (default: the one shown) come from."""
        from tui.trade.releases import release_of, sector_release_of

        chosen = period if period is not None else self.state.period
        return (sector_release_of if kind == "sectors" else release_of)(self.state.catalog, chosen)  # type: ignore[arg-type]

    # ------------------------------------------------------------ marks for Compare (Partners, Regions & blocs)

    def mark_symbol(self) -> str:
        return "*" if self.tradegap.ascii else "✓"

    def with_marks(self, rows: list[dict]) -> list[dict]:
        """The rows with a "mark" key: the mark symbol on the rows marked for Compare."""
        marked = set(self.state.marked)
        symbol = self.mark_symbol()
        return [{**row, "mark": symbol if row["code"] in marked else ""} for row in rows]

    def toggle_mark(self, code: str | None) -> bool:
        """Mark or unmark a partner or group for Compare; when six are marked already, say so."""
        if code is None:
            return False
        if self.state.toggle_mark(code) is None:
            self.app.notify(f"Compare takes up to {MAX_COMPARED}: unmark one first (Space on it, u unmarks all)",
                            severity="warning", timeout=4)
            return False
        self.marks_changed()
        return True

    def clear_marks(self) -> bool:
        if not self.state.clear_marks():
            return False
        self.marks_changed()
        return True

    def marks_changed(self) -> None:
        """Draw the marks again (this pane now; the other tabs when shown)."""
        from tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            self.screen.marks_changed()

    def marks_status(self) -> str:
        count = len(self.state.marked)
        return f"{count} marked (c compare, u unmark)" if count else ""

    def compare_marked(self) -> None:
        """c: the marked partners and groups side by side (two to six)."""
        from tui.messages import OpenCompare

        if not self.state.marked:
            self.app.notify("Mark partners or groups with Space (up to 6), then c compares them", timeout=4)
            return
        too_few = self.state.too_few_marked()
        if too_few:
            self.app.notify(too_few, timeout=4)
            return
        if self.on_current_screen():
            self.post_message(OpenCompare(list(self.state.marked), origin=self.screen))

    def draw_ahead(self, area: Size) -> None:
        """Hidden, with the data shown: draw now what takes long to draw (its charts), for `area`, the size
        the tab's content (which the pane fills) will have, so that showing the tab only has to put it on
        the screen."""
        gutter_width, gutter_height = self.styles.gutter.totals
        inside = Size(max(0, area.width - gutter_width), max(0, area.height - gutter_height))
        for chart in self.query(BarChart):
            size = size_within(chart, self, inside)
            if size is not None:
                chart.draw_ahead(*size)

    def update_status(self) -> None:
        from tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            self.screen.update_status()


class ChartMarksCursor(Widget):
    """Mixin for a pane or screen whose chart (#CHART_ID) marks the cursor row of the table beside it: the
    chart is drawn again as the cursor moves."""

    #: the id of the chart
    CHART_ID: ClassVar[str]

    @property
    def chart(self) -> BarChart:
        return self.query_one(f"#{self.CHART_ID}", BarChart)

    @on(RankTable.RowHighlighted)
    def _cursor_moved(self) -> None:
        self.chart.refresh()  # its bars mark the cursor row: drawn again if they changed


class MarkingPane(Pane):
    """A pane whose list marks rows for Compare (MARK_BINDINGS): Space, u and c on its table."""

    def list_status(self) -> list[Part]:
        """What the status line says of the list shown; [] while there is none."""
        return []

    def status_parts(self) -> list[Part]:
        """The list's status, then what every marking list ends with: the marks, the basis, the release."""
        parts = self.list_status()
        return [*parts, self.marks_status(), STATUS_BASIS, self.state.release()] if parts else []

    def action_mark(self) -> None:
        """Space: mark or unmark the highlighted row for Compare, then go to the next row."""
        if self.toggle_mark(self.table.current_key):
            self.table.action_cursor_down()

    def action_unmark(self) -> None:
        self.clear_marks()

    def action_compare(self) -> None:
        self.compare_marked()


def size_within(widget: Widget, ancestor: Widget, area: Size) -> Size | None:
    """The size of `widget`'s content if `ancestor`'s content were `area`, from Textual's own arrangement of
    each container on the way down (for a widget not laid out yet); None if it cannot be known."""
    chain = []
    node: object = widget
    while node is not ancestor:
        if not isinstance(node, Widget):
            return None
        chain.append(node)
        node = node.parent
    size, container = area, ancestor
    for child in reversed(chain):
        placement = next((p for p in container.arrange(size).placements if p.widget is child), None)
        if placement is None:
            return None
        gutter_width, gutter_height = child.styles.gutter.totals
        size = Size(max(0, placement.region.width - gutter_width), max(0, placement.region.height - gutter_height))
        container = child
    return size
