"""Lines of phrases that break between phrases, never inside one: the detail's title and figures."""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Size
from textual.widgets import Static


def pack_phrases(phrases: Sequence[str], width: int, gap: str) -> list[str]:
    """The phrases joined by `gap` into lines of at most `width` cells, a line breaking only between two
    phrases (where the gap is left out). A phrase longer than a line has a line of its own."""
    lines: list[str] = []
    line = ""
    for phrase in phrases:
        if not line:
            line = phrase
        elif cell_len(line) + cell_len(gap) + cell_len(phrase) <= width:
            line += gap + phrase
        else:
            lines.append(line)
            line = phrase
    if line:
        lines.append(line)
    return lines


class Phrases(Static):
    """Lines of phrases, each line packed to the width (pack_phrases); a phrase longer than the width is
    wrapped at its spaces. `content` holds every line whole, as it reads with room for it."""

    DEFAULT_CSS = """
    Phrases {
        height: auto;
    }
    """

    def __init__(self, *, gap: str = "   ", id: str | None = None) -> None:
        super().__init__("", id=id, markup=False)  # names may contain brackets
        self.gap = gap
        self.lines: list[list[str]] = []

    def say(self, *lines: Sequence[str]) -> None:
        """Show these lines, each a sequence of phrases (empty phrases are left out)."""
        said = [[phrase for phrase in line if phrase] for line in lines]
        if said != self.lines:
            self.lines = said
            self.update("\n".join(self.gap.join(line) for line in said))

    def packed(self, width: int) -> Text:
        rows = [row for line in self.lines for row in (pack_phrases(line, width, self.gap) or [""])]
        return Text("\n".join(rows), end="")

    def render(self) -> Text:
        width = self.content_size.width
        return self.packed(width) if width > 0 else Text(str(self.content), end="")

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if width <= 0:
            return len(self.lines)
        return len(self.packed(width).wrap(self.app.console, width))
