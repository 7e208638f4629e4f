"""The one-line status under each screen: what is shown, and where the numbers come from."""

from __future__ import annotations

from textual.widgets import Static


class StatusLine(Static):
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
        super().__init__("", id=id, markup=False)  # names may contain brackets

    def say(self, *parts: str) -> None:
        """Join the non-empty parts with the app's separator ('·', or '|' in ASCII mode)."""
        separator = getattr(self.app, "separator", " · ")
        text = separator.join(p for p in parts if p)
        if str(self.content) != text:
            self.update(text)

    @property
    def text(self) -> str:
        return str(self.content)
