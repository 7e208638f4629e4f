"""The key footer: rebuilt only when the keys it shows change, and fitted to its width by priority."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer

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


@dataclass
class KeyUnit:
    """What the footer shows or hides as one: a key, or a group of keys with its label."""

    widgets: list[Widget]
    width: int
    priority: int


def outer_width(widget: Widget, room: Size) -> int:
    """The cells a footer item takes: its content, padding, border and margins."""
    styles = widget.styles
    return widget.get_content_width(room, room) + styles.gutter.width + styles.margin.width


def item_width(widget: Widget, room: Size) -> int:
    """outer_width, without rendering the item when it is a key: its key and description are known, and
    so is how Textual's FooterKey pads them (its component styles). Measuring by rendering took half a
    footer's rebuild (a tab switch, a detail opened). A group's label is measured by rendering."""
    key_display = getattr(widget, "key_display", None)
    if widget.children or not isinstance(key_display, str):
        return outer_width(widget, room)
    key_padding = widget.get_component_styles("footer-key--key").padding
    content = key_padding.left + cell_len(key_display) + key_padding.right
    description = getattr(widget, "description", "")
    if description:
        description_padding = widget.get_component_styles("footer-key--description").padding
        content += description_padding.left + cell_len(description) + description_padding.right
    styles = widget.styles
    return content + styles.gutter.width + styles.margin.width


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


class KeyFooter(Footer):
    """Textual's Footer, with two changes.

    It rebuilds all its keys whenever the screen's bindings are refreshed, e.g. each time the command
    palette closes; that mounts some twenty widgets before the next frame. This one skips the rebuild
    when what it would show is what it shows.

    It lets the keys that do not fit run off its right edge, help and quit first (they come last). This
    one hides whole keys by PRIORITY until the rest fit, at each rebuild and each change of width."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple | None = None

    def _signature(self) -> tuple:
        app = self.app
        keys = tuple(
            (binding.key, app.get_key_display(binding), binding.description, binding.action, enabled,
             tooltip, binding.group)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show
        )
        palette = self.show_command_palette and app.ENABLE_COMMAND_PALETTE
        command = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING) if palette else None
        return keys, palette, command and (command[1].key, command[2], command[3]), self.compact

    def bindings_changed(self, screen) -> None:
        if not (screen.app.app_focus and self.is_attached and screen is self.screen):
            super().bindings_changed(screen)
            return
        signature = self._signature()
        if signature == self._shown:
            return
        self._shown = signature
        super().bindings_changed(screen)

    async def recompose(self) -> None:
        with self.app.batch_update():  # the keys that do not fit are never drawn
            await super().recompose()
            self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        self.fit_keys()

    def priority_of(self, key: str, bindings: Mapping | None = None) -> int:
        """The priority of the key a footer item presses (by its binding's id; `bindings`: the screen's
        active bindings, which Textual gathers anew at each call)."""
        active = (self.screen.active_bindings if bindings is None else bindings).get(key)
        binding_id = active.binding.id if active is not None else None
        return PRIORITY.get(binding_id or "", DEFAULT_PRIORITY)

    def key_units(self, room: Size) -> list[KeyUnit]:
        """The footer's items as units, left to right; the palette key (docked right) last."""
        units: list[KeyUnit] = []
        palette: list[KeyUnit] = []
        bindings = self.screen.active_bindings
        for child in self.children:
            keys = [child, *child.children] if child.children else [child]
            pressed = [getattr(widget, "key", None) for widget in keys]
            priorities = [self.priority_of(key, bindings) for key in pressed if isinstance(key, str)]
            width = item_width(child, room)
            if child.has_class("-command-palette"):
                palette.append(KeyUnit([child], width, PALETTE_PRIORITY))
            elif not priorities and units:  # a group's label: shown and hidden with its keys
                units[-1].widgets.append(child)
                units[-1].width += width
            else:
                units.append(KeyUnit([child], width, max(priorities, default=DEFAULT_PRIORITY)))
        return units + palette

    def fit_keys(self) -> None:
        """Show every key, then hide whole keys by priority until the others fit the footer's width."""
        width = self.size.width
        if not width or not self.children:
            return
        room = Size(width, 1)
        units = self.key_units(room)
        for unit in units:
            for widget in unit.widgets:
                widget.display = True
        for unit in keys_to_hide(units, width):
            for widget in unit.widgets:
                widget.display = False
