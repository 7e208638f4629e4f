"""The progress of an update from Census, shown over the footer while the screen keeps working."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class UpdateProgress(Horizontal):
    DEFAULT_CSS = """
    UpdateProgress {
        dock: bottom;
        height: 1;
        margin-bottom: 2;
        background: $panel;
        padding: 0 1;
    }
    UpdateProgress Label {
        width: auto;
        margin-right: 1;
    }
    UpdateProgress ProgressBar {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        yield Label("Updating from Census", id="update-what")
        yield ProgressBar(total=None, show_eta=False, id="update-bar")

    def advance_to(self, done: int, total: int, what: str) -> None:
        self.query_one("#update-bar", ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#update-what", Label).update(f"Updating from Census: {what}")
