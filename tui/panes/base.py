"""What every tab's pane shares: typed access to the app and its state, and the status it reports."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.widget import Widget

if TYPE_CHECKING:
    from tui.app import TradeGapApp
    from tui.state import ExplorerState


class Pane(Widget):
    """A tab's content. The main screen asks it to refresh_data() and for its status_parts()."""

    @property
    def tradegap(self) -> TradeGapApp:
        return cast("TradeGapApp", self.app)

    @property
    def state(self) -> ExplorerState:
        return self.tradegap.state

    def on_current_screen(self) -> bool:
        """False for a second Enter that arrives after the first one opened another screen."""
        return self.app.screen is self.screen

    def refresh_data(self, force: bool = False) -> None:
        raise NotImplementedError

    def waiting(self, data: object) -> bool:
        """True, with Textual's loading indicator shown, while what the pane needs is not loaded (None)."""
        self.loading = data is None
        return self.loading

    def forget(self) -> None:
        """Draw again at the next refresh_data(), even if nothing it knows of changed."""

    def dataset_loaded(self) -> None:
        """The full dataset is in: a pane that waited for it draws at its next refresh_data().

        A pane drawn from the catalog's totals shows the same figures either way: not drawn again."""
        if self.loading:
            self.forget()

    def status_parts(self) -> list[str]:
        return []

    def update_status(self) -> None:
        from tui.screens.main import MainScreen

        if isinstance(self.screen, MainScreen):
            self.screen.update_status()
