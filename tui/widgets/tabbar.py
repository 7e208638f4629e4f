"""The tab bar: one widget drawing the two lines of Textual's tab bar (the labels, then the underline).

Textual's TabbedContent draws its tab bar with some ten widgets (ContentTabs, a Tab per label, the
Underline and the containers that lay them out), each styled, laid out and drawn on its own: about
12 ms of the main screen's first paint, measured. This bar draws the same cells (the same characters,
colours and text styles, from the same CSS variables as Textual's Tabs, Tab and Underline) as the two
lines of one widget, and answers the mouse and the arrow keys as Textual's Tabs does. The panes it
switches sit in a plain ContentSwitcher.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

# Textual's Underline draws with these (textual.renderables.bar.Bar): a full bar, and the half bars
# either side of the highlighted span
BAR = "━"
HALF_BAR_LEFT = "╺"
HALF_BAR_RIGHT = "╸"


class TabSpan(NamedTuple):
    """Where a tab is drawn on the labels line: its cells with the padding, and the label's own."""

    tab: str
    start: int  # the tab's first cell (its left padding)
    end: int  # the cell after its right padding
    label: str  # the text drawn, brackets included when the underline is hidden

    @property
    def label_start(self) -> int:
        return self.start + 1

    @property
    def label_end(self) -> int:
        return self.end - 1


class TabBar(Widget, can_focus=True):
    """A row of tabs over an underline that highlights the active one, as Textual's Tabs draws it.

    `tabs` maps each tab's id to its label (plain text, not markup). Setting `active` (by code, a
    click on a tab, or left/right while the bar has focus) redraws the bar and posts
    `TabBar.Activated` when the active tab changes; the initial tab posts nothing.

    Without the underline (the app's class -ascii: no box-drawing glyphs; NO_COLOR: no colour to
    mark the span) the active label is drawn in brackets instead, so the active tab is still seen.
    """

    ALLOW_SELECT = False

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tab-bar--tab",
        "tab-bar--tab-hover",
        "tab-bar--tab-active",
        "tab-bar--underline",
    }
    """
    | Class | Description |
    | :- | :- |
    | `tab-bar--tab` | A label (Textual's Tab). |
    | `tab-bar--tab-hover` | Over an inactive label under the mouse (Tab:hover). |
    | `tab-bar--tab-active` | Over the active tab's label; its background under its padding too (Tab.-active). |
    | `tab-bar--underline` | The underline (Underline's underline--bar): color for the active span, background |
    |  | for the rest. `display: none` hides it, and the active label is bracketed instead. |
    """

    # The rules of Textual's Tabs, Tab and Underline (textual/widgets/_tabs.py), on the same CSS variables,
    # so that every theme draws this bar as it draws theirs. The `:ansi` rules come after the `:focus`
    # ones: with equal specificity the later rule wins, as Underline's and Tab's ansi rules win over
    # Tabs' focus rules in Textual (an ANSI theme keeps the underline's background and the bold label).
    DEFAULT_CSS = """
    TabBar {
        width: 100%;
        height: 2;
        & > .tab-bar--tab {
            color: $foreground 50%;
        }
        & > .tab-bar--tab-hover {
            color: $foreground;
        }
        & > .tab-bar--tab-active {
            color: $foreground;
        }
        & > .tab-bar--underline {
            color: $block-cursor-background;
            background: $foreground 10%;
        }
        &:focus {
            & > .tab-bar--tab-active {
                text-style: $block-cursor-text-style;
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
            & > .tab-bar--underline {
                background: $foreground 30%;
            }
        }
        &:ansi {
            & > .tab-bar--tab {
                text-style: dim;
            }
            & > .tab-bar--tab-active {
                text-style: not dim bold;
            }
            & > .tab-bar--underline {
                color: $block-cursor-background;
                background: $border-blurred;
            }
        }
    }
    /* no box-drawing glyphs, or no colour to tell the active span: no underline, brackets instead */
    App.-ascii TabBar > .tab-bar--underline, TabBar:nocolor > .tab-bar--underline {
        display: none;
    }
    """
    # not scoped: Textual would put `TabBar ` before a rule that starts with App (a TabBar inside a TabBar)
    SCOPED_CSS = False

    # the keys and descriptions of Textual's Tabs, so that a footer shows the same
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "previous_tab", "Previous tab", show=False),
        Binding("right", "next_tab", "Next tab", show=False),
    ]

    class Activated(Message):
        """Another tab became the active one (by code, a click, or a key)."""

        def __init__(self, tab_bar: TabBar, tab: str) -> None:
            self.tab_bar = tab_bar
            self.tab = tab  # the id of the tab now active
            super().__init__()

        @property
        def control(self) -> TabBar:
            """The tab bar, for `@on(TabBar.Activated, "#id")`."""
            return self.tab_bar

    active: reactive[str] = reactive("", init=False)
    """The id of the active tab."""

    def __init__(
        self,
        tabs: Mapping[str, str],
        active: str,
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self._labels = dict(tabs)
        if active not in self._labels:
            raise ValueError(f"No tab with id {active!r}")
        self.set_reactive(TabBar.active, active)  # the initial tab: no Activated message
        self._hover: str | None = None  # the tab under the mouse, on the labels line

    @property
    def tabs(self) -> Mapping[str, str]:
        """Each tab's id and label, in the order drawn."""
        return dict(self._labels)

    def validate_active(self, active: str) -> str:
        if active not in self._labels:
            raise ValueError(f"No tab with id {active!r}")
        return active

    def watch_active(self, active: str) -> None:
        self.post_message(self.Activated(self, active))

    # ------------------------------------------------------------ layout

    @property
    def underline_shown(self) -> bool:
        """Whether the underline is drawn (the CSS hides it in ASCII mode and without colour)."""
        return self.get_component_styles("tab-bar--underline").display != "none"

    def spans(self) -> list[TabSpan]:
        """The tabs left to right as Textual's Tab draws them: the label with one cell of padding
        either side, next to each other from the left edge."""
        bracket = not self.underline_shown
        spans = []
        x = 0
        for tab, label in self._labels.items():
            text = f"[{label}]" if bracket and tab == self.active else label
            width = cell_len(text) + 2
            spans.append(TabSpan(tab, x, x + width, text))
            x += width
        return spans

    def tab_at(self, x: int) -> str | None:
        """The tab drawn at column x of either line (None: none): Textual's Tab takes clicks on its
        padding too, and its Underline passes a click on to the tab above."""
        return next((span.tab for span in self.spans() if span.start <= x < span.end), None)

    # ------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        # the bar's own background: that of the screen beneath it (the bar has none of its own, as Tabs)
        blank = Style(bgcolor=self.rich_style.bgcolor)
        if y == 0:
            segments = self._labels_line(blank)
        elif y == 1 and self.underline_shown:
            segments = self._underline(width, blank)
        else:
            segments = [Segment(" " * width, blank)]
        return Strip(segments).adjust_cell_length(width, blank)

    def _labels_line(self, blank: Style) -> list[Segment]:
        segments = []
        tab = self.get_component_rich_style("tab-bar--tab")
        for span in self.spans():
            # the active or hovered tab's rules over a tab's, as Tab.-active and Tab:hover override Tab's
            style = tab
            if span.tab == self.active:
                style = tab + self.get_component_rich_style("tab-bar--tab-active")
            elif span.tab == self._hover:
                style = tab + self.get_component_rich_style("tab-bar--tab-hover")
            # Textual's Tab draws its padding in its background only, without a colour or text style
            padding = Style(bgcolor=style.bgcolor)
            segments += [Segment(" ", padding), Segment(span.label, style), Segment(" ", padding)]
        return segments

    def _underline(self, width: int, blank: Style) -> list[Segment]:
        """The underline as Textual's Bar draws it with the active label's span highlighted (its cells
        without the padding): full bars, with half bars where the highlight starts and ends."""
        bar = self.get_component_rich_style("tab-bar--underline")
        highlight = Style(color=bar.color, bgcolor=blank.bgcolor)
        rest = Style(color=bar.bgcolor, bgcolor=blank.bgcolor)
        span = next(span for span in self.spans() if span.tab == self.active)
        start, end = max(span.label_start, 0), min(span.label_end, width)
        if start > end:  # the active label is past the right edge: Bar draws no highlight
            return [Segment(BAR * width, rest)]
        # Bar draws the rest of the line blank when its background is the terminal's default colour
        drawn = bar.bgcolor is None or not bar.bgcolor.is_default
        full, left, right = (BAR, HALF_BAR_LEFT, HALF_BAR_RIGHT) if drawn else (" ", " ", " ")
        segments = [Segment(full * max(start - 1, 0), rest)]
        if start > 0:
            segments.append(Segment(right, rest))
        segments.append(Segment(BAR * (end - start), highlight))
        if end < width:
            segments += [Segment(left, rest), Segment(full * (width - end - 1), rest)]
        return segments

    # ------------------------------------------------------------ the mouse and the keys

    def on_click(self, event: events.Click) -> None:
        tab = self.tab_at(event.x)
        if tab is not None:
            self.focus()  # as Textual's Tabs does when one of its tabs is clicked
            self.active = tab

    def on_mouse_move(self, event: events.MouseMove) -> None:
        # Textual's Tab is hovered over its own line only, padding included (not over the underline)
        self._set_hover(self.tab_at(event.x) if event.y == 0 else None)

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def _set_hover(self, tab: str | None) -> None:
        if tab != self._hover:
            self._hover = tab
            self.styles.pointer = "default" if tab is None else "pointer"  # Tab's pointer, over a tab only
            self.refresh()

    def action_previous_tab(self) -> None:
        self._move(-1)

    def action_next_tab(self) -> None:
        self._move(+1)

    def _move(self, step: int) -> None:
        """The tab `step` places along, wrapping round at either end, as Textual's Tabs does."""
        tabs = list(self._labels)
        self.active = tabs[(tabs.index(self.active) + step) % len(tabs)]
