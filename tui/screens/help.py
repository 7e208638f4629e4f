"""The help screen, generated from the bindings active where it was opened, and the too-small notice."""

from __future__ import annotations

from rich.table import Table
from rich import box
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static


def binding_rows(app, active_bindings) -> list[tuple[str, str, str]]:
    """(keys, description, tooltip) for each action, keys of one action joined, in binding order."""
    rows: dict[tuple[str, str], list[str]] = {}
    details: dict[tuple[str, str], str] = {}
    for key, active in active_bindings.items():
        binding = active.binding
        if binding.system or not binding.description:
            continue
        name = (binding.action, binding.description)
        rows.setdefault(name, [])
        display = binding.key_display or app.get_key_display(binding)
        if display not in rows[name]:
            rows[name].append(display)
        details[name] = active.tooltip or binding.tooltip
    return [(" ".join(keys), desc, details[(action, desc)]) for (action, desc), keys in rows.items()]


class HelpScreen(ModalScreen):
    BINDINGS = [
        Binding("escape,q,f1,question_mark", "dismiss", "Close", id="help.close", tooltip="Close the help"),
        Binding("j", "scroll(1)", "Down", show=False, id="help.down"),
        Binding("k", "scroll(-1)", "Up", show=False, id="help.up"),
    ]

    def __init__(self, title: str, rows: list[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=box.ASCII if self.app.ascii else box.SIMPLE_HEAD, expand=True, title=self.title_text)
        table.add_column("Key", no_wrap=True, style="bold")
        table.add_column("Does")
        table.add_column("Details", ratio=1)
        extra = [
            ("ctrl+p", "Command palette", "Go to partner..., Show group..., Year..., Reset filters, Theme"),
            ("tab", "Next control", "Move the focus"),
        ]
        for key, description, tooltip in self.rows + extra:
            table.add_row(key, description, tooltip)
        with Center():
            with VerticalScroll(id="help-body"):
                yield Static(table, id="help-table")
                yield Static("Esc, q, ? or F1 closes this help.", id="help-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#help-body").focus()

    def action_scroll(self, delta: int) -> None:
        self.query_one("#help-body", VerticalScroll).scroll_relative(y=delta * 3, animate=False)

    def action_dismiss(self) -> None:
        self.dismiss()


class TooSmallScreen(Screen):
    """Shown instead of a squeezed layout; the app removes it when the terminal is big enough."""

    BINDINGS = [Binding("q", "app.quit", "Quit", id="small.quit", tooltip="Quit tradegap")]

    def __init__(self, width: int, height: int) -> None:
        super().__init__()
        self.min_width, self.min_height = width, height

    def compose(self) -> ComposeResult:
        yield Static(f"Enlarge the terminal to at least {self.min_width}x{self.min_height}\n(q quits)",
                     id="too-small", markup=False)
