"""The one-line status under each screen: what is shown, and where the numbers come from."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from tui.trade.changes import BASIS_SHORT, BASIS_SHORTER
from tui.widgets.table import truncate


class Kept:
    """A part the status line keeps while it can: one without which the figures cannot be read (a filter of
    the list said nowhere else on screen, the basis of the figures). Said in the longest of its forms that
    fits: the first is the whole part, each next one shorter. Empty (not said) when its first form is."""

    __slots__ = ("forms",)

    def __init__(self, *forms: str) -> None:
        if not forms:
            raise ValueError("a kept part has at least one form")
        self.forms = forms

    def form(self, level: int) -> str:
        """Its form at `level` of shortening: 0 the whole part, its shortest beyond its last."""
        return self.forms[min(level, len(self.forms) - 1)]

    def __str__(self) -> str:
        return self.forms[0]

    def __bool__(self) -> bool:
        return bool(self.forms[0])

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Kept) and other.forms == self.forms

    def __hash__(self) -> int:
        return hash(self.forms)

    def __repr__(self) -> str:
        return f"Kept{self.forms!r}"


#: The basis of every figure (goods, Census basis, NSA, current dollars), said on every screen's status line
#: just before the release: shortened on a narrow line, to "Census basis, NSA" at the least.
STATUS_BASIS = Kept(BASIS_SHORT, *BASIS_SHORTER)

Part = str | Kept


def _join(shown: Sequence[str | None], separator: str, ellipsis: str) -> str:
    """The shown parts joined by `separator`; each run of dropped ones (None) between two shown is one
    ellipsis instead."""
    text, dropped = "", False
    for part in shown:
        if part is None:
            dropped = True
            continue
        if text:
            text += f" {ellipsis} " if dropped else separator
        text, dropped = text + part, False
    return text


def fit_status(parts: Sequence[Part], width: int, separator: str = " · ", ellipsis: str = "…") -> str:
    """The parts joined by `separator` in `width` cells; the ellipsis marks where parts were dropped.

    The first (the period) and the last (the release) stay whole. The Kept parts (a filter, the basis) stay
    too. Of the others, as many are shown, in order, as fit, and the Kept parts in the longest of their forms
    that fits beside them: a Kept part is shortened before another part is dropped from the end. When there
    is no room left for the Kept parts either, they are dropped from the end (the basis, just
    before the release, first); only when the first and last alone are too long is the line cut at the end
    (the ellipsis again). Empty parts are not said."""
    parts = [part for part in parts if part]
    if len(parts) < 3:
        return truncate(separator.join(map(str, parts)), width, ellipsis)
    last = len(parts) - 1
    kept = [i for i in range(1, last) if isinstance(parts[i], Kept)]
    others = [i for i in range(1, last) if i not in kept]
    levels = max((len(part.forms) for part in parts if isinstance(part, Kept)), default=1)

    def line(shown: set[int], level: int) -> str:
        return _join([(part.form(level) if isinstance(part, Kept) else part) if i in shown else None
                      for i, part in enumerate(parts)], separator, ellipsis)

    ends = {0, last}
    candidates = [ends | set(kept) | set(others[:count]) for count in range(len(others), -1, -1)]
    candidates += [ends | set(kept[:count]) for count in range(len(kept) - 1, -1, -1)]
    for shown in candidates:
        for level in range(levels):
            text = line(shown, level)
            if cell_len(text) <= width:
                return text
    return truncate(line(ends, 0), width, ellipsis)


class StatusLine(Widget):
    """The parts a screen says, joined by the app's separator ('·', or '|' in ASCII mode); when the line is
    too narrow for them all, the first (the period) and the last (the release) stay whole, the Kept parts
    (a filter, the basis: STATUS_BASIS) stay, shortened if need be, and the others are dropped from the end
    (fit_status)."""

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
        self.parts: tuple[Part, ...] = ()

    def say(self, *parts: Part) -> None:
        """Show the non-empty parts: the period first, the others from the most to the least needed (the
        last of them dropped first when there is no room), STATUS_BASIS just before the release, the release last."""
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
        return self.separator.join(map(str, self.parts))

    @property
    def shown(self) -> str:
        """What the line shows at its width."""
        width = self.content_size.width
        if width <= 0:
            return self.text
        return fit_status(self.parts, width, self.separator, getattr(self.app, "ellipsis", "…"))

    def render(self) -> Text:
        return Text(self.shown, no_wrap=True, overflow="crop", end="")
