"""The floor: a minimal Textual app that shows one line of text.

Its time to first paint is what any Textual app pays before it can show
anything at all; tradegap is measured against it. With --with-pandas it
imports pandas first, as any app whose first screen is computed with pandas
must. Pressing x changes the text: the floor of keystroke latency.
"""

import sys

if "--with-pandas" in sys.argv:
    import pandas  # noqa: F401

from textual.app import App, ComposeResult
from textual.widgets import Static

MARKER = "Hello from Textual"
KEY_MARKER = "Key x pressed"


class Hello(App):
    BINDINGS = [("x", "pressed", "Change the text")]

    def compose(self) -> ComposeResult:
        yield Static(MARKER, id="text")

    def action_pressed(self) -> None:
        self.query_one("#text", Static).update(KEY_MARKER)


if __name__ == "__main__":
    Hello().run()
