"""The help screen, generated from the bindings active where it was opened, and the too-small notice."""

from __future__ import annotations

from rich import box
from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

NAVIGATION = ("cursor_", "scroll_", "page_", "select_cursor")

#: Keys the help lists on every screen, said better than their bindings say them (the footer's short
#: "palette"): (action, key shown when the screen has no binding for it, description, details)
ALWAYS_LISTED = (
    ("command_palette", "^p", "Command palette", "Go to partner..., Show group..., Year..., Export view..., Copy "
                                                 "view as Markdown, Compare marked, About the data, Reset filters, "
                                                 "Theme, Screenshot"),
    ("app.focus_next", "tab", "Next control", "Move the focus"),
    ("app.focus_previous", "shift+tab", "Previous control", "Move the focus back"),
)


def binding_rows(app, active_bindings) -> list[tuple[str, str, str]]:
    """(keys, description, details) per action, one row each: this app's keys first (with the
    ALWAYS_LISTED ones), then moving around."""
    rows: dict[str, list] = {}
    for _key, active in active_bindings.items():
        binding = active.binding
        if binding.system or (not binding.description and not binding.tooltip):
            continue
        display = binding.key_display or app.get_key_display(binding)
        row = rows.setdefault(binding.action, [[], binding.description, active.tooltip or binding.tooltip])
        if display not in row[0]:
            row[0].append(display)
        if not row[2]:
            row[2] = active.tooltip or binding.tooltip
    for action, key, description, details in ALWAYS_LISTED:
        row = rows.setdefault(action, [[key], description, details])
        row[1:] = [description, details]
    ordered = sorted(rows.items(), key=lambda item: item[0].startswith(NAVIGATION) and item[0] != "select_cursor")
    return [(" ".join(keys), description, details) for _action, (keys, description, details) in ordered]


class HelpScreen(ModalScreen):
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help"),
        Binding("a", "about", "About the data", id="help.about",
                tooltip="What the figures are: goods, Census basis, shares, YTD, HS chapters, releases"),
        Binding("j", "scroll(1)", "Down", show=False, id="help.down", tooltip="Scroll down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="help.up", tooltip="Scroll up"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=box.ASCII if getattr(self.app, "ascii", False) else box.SIMPLE_HEAD, expand=True, title=self.title_text)
        # long texts fold onto the next line rather than end in an ellipsis (a glyph ASCII mode lacks);
        # a row of many keys (the search box's editing keys) folds too instead of squeezing the rest
        table.add_column("Key", style="bold", max_width=18, overflow="fold")
        table.add_column("Does", overflow="fold")
        table.add_column("Details", ratio=1, overflow="fold")
        for key, description, tooltip in self.rows:
            table.add_row(key, description, tooltip)
        with Center(), VerticalScroll(id="help-body"):
            yield Static(table, id="help-table")
            yield Static("a: About the data (what the figures are). Esc, q, ? or F1 closes this help.",
                         id="help-hint", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted  # keys that arrive before the screen is built are dropped

    def on_mount(self) -> None:
        if self in self.app.screen_stack:  # not closed again before it was built
            self.query_one("#help-body").focus()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta * 3, animate=False)

    def action_about(self) -> None:
        self.app.push_screen(AboutScreen())


class AboutScreen(ModalScreen):
    """About the data: what the figures are, shares, years to date, HS chapters, releases and revisions."""

    BINDINGS = [
        Binding("escape,q,a", "dismiss", "Close", id="about.close", tooltip="Close this page"),
        Binding("j", "scroll(1)", "Down", show=False, id="about.down", tooltip="Scroll down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="about.up", tooltip="Scroll up"),
    ]

    def compose(self) -> ComposeResult:
        from rich.text import Text

        from tui.about import ABOUT

        text = Text()
        text.append("About the data\n", style="bold")
        for heading, paragraph in ABOUT:
            text.append("\n" + heading + "\n", style="bold")
            text.append(paragraph + "\n")
        with Center(), VerticalScroll(id="help-body"):
            yield Static(text, id="about-text")
            yield Static("Esc, q or a closes this page.", id="help-hint", markup=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.is_mounted

    def on_mount(self) -> None:
        if self in self.app.screen_stack:
            self.query_one("#help-body").focus()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta * 3, animate=False)


class TooSmallScreen(Screen):
    """Shown instead of a squeezed layout; the app removes it when the terminal is big enough."""

    BINDINGS = [Binding("q", "app.quit", "Quit", id="small.quit", tooltip="Quit tradegap")]

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.min_width, self.min_height = width, height

    def compose(self) -> ComposeResult:
        yield Static(f"Enlarge the terminal to at least {self.min_width}x{self.min_height}\n(q quits)",
                     id="too-small", markup=False)
