"""The one-line status under each screen: what is shown, and where the numbers come from."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tui.widgets.table import truncate


def fit_status(parts: Sequence[str], width: int, separator: str = " · ", ellipsis: str = "…") -> str:
    """The parts joined by `separator` in `width` cells: the first (the period) and the last (the release)
    whole, and as many of the others, in order, as fit; a dropped one is marked by the ellipsis.

    Only when the first and last alone are too long is the line cut at the end."""
    text = separator.join(parts)
    if cell_len(text) <= width or len(parts) < 3:
        return truncate(text, width, ellipsis)
    first, middle, last = parts[0], list(parts[1:-1]), parts[-1]
    while middle:
        middle.pop()
        shortened = separator.join([first, *middle]) + f" {ellipsis} " + last
        if cell_len(shortened) <= width:
            return shortened
    return truncate(separator.join([first, last]), width, ellipsis)


class StatusLine(Widget):
    """The parts a screen says, joined by the app's separator ('·', or '|' in ASCII mode); when the line is
    too narrow for them all, the first (the period) and the last (the release) stay whole (fit_status)."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        width: 1fr;
        padding: 0 1;
        background: $panel;
        color: $foreground;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: tuple[str, ...] = ()

    def say(self, *parts: str) -> None:
        """Show the non-empty parts: the period first, the release last."""
        said = tuple(p for p in parts if p)
        if said != self.parts:
            self.parts = said
            self.refresh()

    @property
    def separator(self) -> str:
        return getattr(self.app, "separator", " · ")

    @property
    def text(self) -> str:
        """Every part, as the line would say them with room for all."""
        return self.separator.join(self.parts)

    @property
    def shown(self) -> str:
        """What the line shows at its width."""
        width = self.content_size.width
        if width <= 0:
            return self.text
        return fit_status(self.parts, width, self.separator, getattr(self.app, "ellipsis", "…"))

    def render(self) -> Text:
        return Text(self.shown, no_wrap=True, overflow="crop", end="")
