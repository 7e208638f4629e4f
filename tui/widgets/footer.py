"""The key footer: one widget drawing the screen's keys as one line, fitted to its width by priority.

Textual's Footer mounts a widget per key (some twenty) and mounts them all again whenever the
screen's bindings change: at each tab switch, each detail opened, each close of the command palette.
That rebuild was about a fifth of a detail's time on the screen. This footer draws the same line
(the same keys, spacing and colours as Textual's, which it reuses through the same CSS variables) as
text: a change of bindings is a redraw of one line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from itertools import groupby
from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.widget import Widget

#: Which keys the footer keeps longest when they do not all fit, by binding id: the help and quit
#: keys are always shown. Any other key ranks DEFAULT_PRIORITY; among equals the rightmost goes first.
PRIORITY: dict[str, int] = {
    "app.help": 100,
    "app.quit": 100,
    "back": 90,
    "table.open": 70,
    "year.previous": 60,
    "year.next": 60,
    "partners.min_size": 40,
}
DEFAULT_PRIORITY = 50
PALETTE_PRIORITY = 30  # the command palette's key: the help lists it too


class ShownKey(NamedTuple):
    """A key as the footer draws it: the cells it takes, and what a click on them presses."""

    key: str
    display: str
    description: str
    tooltip: str
    enabled: bool


class KeyUnit(NamedTuple):
    """What the footer shows or hides as one: a key, or a group of keys with its label.

    `parts` are (text, role, key) runs: role is "key", "description" or "" (the footer's own
    background), key the ShownKey a click on the run presses (None: none)."""

    parts: list[tuple[str, str, ShownKey | None]]
    width: int
    priority: int
    palette: bool = False


def keys_to_hide(units: list[KeyUnit], room: int) -> list[KeyUnit]:
    """The units to hide so that the others fit in `room` cells: lowest priority first, the rightmost of equals."""
    shown = list(units)
    hidden = []
    while shown and sum(unit.width for unit in shown) > room:
        lowest = min(range(len(shown)), key=lambda i: (shown[i].priority, -i))
        if shown[lowest].priority >= max(PRIORITY.values()):
            break  # help and quit stay, even cut
        hidden.append(shown.pop(lowest))
    return hidden


def _unit(parts: list[tuple[str, str, ShownKey | None]], priority: int, palette: bool = False) -> KeyUnit:
    return KeyUnit(parts, sum(cell_len(text) for text, _, _ in parts), priority, palette)


class KeyFooter(Widget, can_focus=False):
    """The active bindings of the screen as Textual's Footer lays them out (not compact): ' k Description '
    for a key; ' []' then 'Year ' for a compact group of keys; the command palette's key on the right,
    after a thin rule. Keys that do not fit are hidden whole by PRIORITY, help and quit last."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"footer-key--key", "footer-key--description", "footer-key--rule", "footer-key--hover"}
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        text-wrap: nowrap;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .footer-key--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .footer-key--rule {
            color: $foreground 20%;
        }
        .footer-key--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        &:hover {
            pointer: pointer;
        }
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._units: list[KeyUnit] = []
        self._shown: tuple | None = None  # what the units were made from: no redraw while it is the same
        self._spans: list[tuple[int, int, ShownKey]] = []  # cells of each key on the line, for the mouse
        self._hover: ShownKey | None = None

    # ------------------------------------------------------------ the keys

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen) -> None:
        """The screen's keys may have changed (focus moved, a key was pressed, a screen opened)."""
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            return  # Textual's footer keeps its keys while the app is not focused, and so does this one
        bindings = screen.active_bindings
        signature = self._signature(bindings)
        if signature == self._shown:
            return
        self._shown = signature
        self._units = self.key_units(bindings)
        self.refresh()

    def _signature(self, bindings: Mapping) -> tuple:
        app = self.app
        keys = tuple((binding.key, app.get_key_display(binding), binding.description, binding.action, enabled,
                      tooltip, binding.group, binding.id)
                     for (_, binding, enabled, tooltip) in bindings.values() if binding.show)
        command = bindings.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        return keys, command and (command[1].key, command[2], command[3])

    @staticmethod
    def priority_of(binding: Binding) -> int:
        return PRIORITY.get(binding.id or "", DEFAULT_PRIORITY)

    def key_units(self, bindings: Mapping) -> list[KeyUnit]:
        """The footer's items, left to right, as Textual's Footer makes them (a key per action, the
        keys of a group together); the palette key (drawn on the right) last."""
        app = self.app
        by_action: defaultdict[str, list[tuple[Binding, bool, str]]] = defaultdict(list)
        for (_, binding, enabled, tooltip) in bindings.values():
            if binding.show:
                by_action[binding.action].append((binding, enabled, tooltip))
        units: list[KeyUnit] = []
        for group, members in groupby(by_action.values(), lambda same: same[0][0].group):
            actions = list(members)
            if group is not None and len(actions) > 1:
                keys = [ShownKey(b.key, app.get_key_display(b), "", tooltip or b.description, enabled)
                        for b, enabled, tooltip in (action[0] for action in actions)]
                if group.compact:  # ' []' and 'Year ': the keys side by side after one space
                    parts = [(" ", "", None), *((k.display, "key", k) for k in keys), (" ", "", None)]
                else:  # each key with a space either side
                    parts = [part for k in keys for part in ((" ", "", None), (k.display, "key", k), (" ", "", None))]
                parts += [(group.description, "description", None), (" ", "", None)]
                priority = max(self.priority_of(action[0][0]) for action in actions)
                units.append(_unit(parts, priority))
                continue
            for binding, enabled, tooltip in (action[0] for action in actions):
                key = ShownKey(binding.key, app.get_key_display(binding), binding.description, tooltip, enabled)
                units.append(_unit([(f" {key.display} ", "key", key), (f"{key.description} ", "description", key)],
                                   self.priority_of(binding)))
        command = bindings.get(app.COMMAND_PALETTE_BINDING) if app.ENABLE_COMMAND_PALETTE else None
        if command is not None:
            _, binding, enabled, tooltip = command
            key = ShownKey(binding.key, app.get_key_display(binding), binding.description,
                            binding.tooltip or binding.description, enabled)
            rule = [] if getattr(app, "ascii", False) else [("▏", "rule", None)]  # ASCII: no rule glyph
            units.append(_unit([*rule, (key.display, "key", key), (f" {key.description}", "description", key),
                                (" ", "", None)], PALETTE_PRIORITY, palette=True))
        return units

    # ------------------------------------------------------------ drawing

    def render(self) -> Text:
        width = self.size.width
        hidden = {id(unit) for unit in keys_to_hide(self._units, width)} if width else set()
        shown = [unit for unit in self._units if id(unit) not in hidden]
        left = [unit for unit in shown if not unit.palette]
        right = [unit for unit in shown if unit.palette]
        gap = max(0, width - sum(unit.width for unit in shown))
        background = Style(bgcolor=self.rich_style.bgcolor)  # spaces between keys: no colour of their own
        styles = {
            "": background,
            "key": self.get_component_rich_style("footer-key--key"),
            "description": self.get_component_rich_style("footer-key--description"),
            "rule": self.get_component_rich_style("footer-key--rule"),
        }
        hover = self.get_component_rich_style("footer-key--hover") if self._hover is not None else None
        dim = Style(dim=True)
        line = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, ShownKey]] = []
        for unit in (*left, None, *right):
            if unit is None:
                line.append(" " * gap, background)
                continue
            for text, role, key in unit.parts:
                style = styles[role]
                if key is not None:
                    start = line.cell_len
                    spans.append((start, start + cell_len(text), key))
                    if key is self._hover and hover is not None:
                        style = style + hover
                    if not key.enabled:
                        style = style + dim
                line.append(text, style)
        self._spans = spans
        return line

    # ------------------------------------------------------------ the mouse

    def key_at(self, x: int) -> ShownKey | None:
        """The key drawn at cell x of the line (None: none)."""
        for start, end, key in self._spans:
            if start <= x < end:
                return key
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        if key is not self._hover:
            self._hover = key
            self.tooltip = key.tooltip if key is not None and key.tooltip else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
