"""The key footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer rebuilds all its keys whenever the screen's bindings are refreshed, e.g.
    each time the command palette closes; that mounts some twenty widgets before the next frame.
    This one skips the rebuild when what it would show is what it shows."""

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
