"""What widgets and workers tell the app. Each is handled in one place, on TradeGapApp.

Widgets never push screens themselves: they post one of these, and the app
changes the state (tui.state.ExplorerState) and the screens. Keys that change
the remembered filters call TradeGapApp.update_settings() directly, so that a
burst of keys is applied in order, each on the state the one before left.

Plain classes rather than dataclasses: the messages are imported before the first screen is drawn, and
making a dataclass (generating and compiling its methods) took 0.2 ms each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the first screen is drawn before pandas (and so the Dataset) is imported
    from textual.screen import Screen

    from tui.settings import Settings
    from tui.trade.dataset import Dataset


class ScreenRequest(Message):
    """A request to show something: `origin` is the screen it came from, and once another screen is on top
    of that one the request is ignored (a second Enter typed before the first one's screen was drawn)."""

    def __init__(self, *, origin: Screen | None = None) -> None:
        super().__init__()
        self.origin = origin


class OpenPartner(ScreenRequest):
    """Show a partner's detail; `codes` is the list n/p walk (None: the list it was chosen from)."""

    def __init__(self, code: str, codes: list[str] | None = None, *, origin: Screen | None = None) -> None:
        super().__init__(origin=origin)
        self.code = code
        self.codes = codes


class PlaceRequest(ScreenRequest):
    """A request about one partner or group, by its code."""

    def __init__(self, code: str, *, origin: Screen | None = None) -> None:
        super().__init__(origin=origin)
        self.code = code


class ShowGroup(ScreenRequest):
    """The Partners list restricted to a group's members (None: all partners again)."""

    def __init__(self, code: str | None, *, origin: Screen | None = None) -> None:
        super().__init__(origin=origin)
        self.code = code


class OpenGroup(PlaceRequest):
    """Show a region's or bloc's detail (figures, history, members, chapters)."""


class OpenCompare(ScreenRequest):
    """Partners and groups side by side (1 to 6 codes, in the order given)."""

    def __init__(self, codes: list[str], *, origin: Screen | None = None) -> None:
        super().__init__(origin=origin)
        self.codes = codes


class OpenChapter(ScreenRequest):
    """Which partners make up one HS chapter's balance in a year, among a group's members or all."""

    def __init__(self, year: int, chapter: int, group: str | None = None, *, origin: Screen | None = None) -> None:
        super().__init__(origin=origin)
        self.year = year
        self.chapter = chapter
        self.group = group


class ShowChaptersOf(PlaceRequest):
    """The Sectors tab for a partner or group."""


class SettingsChanged(Message):
    """Sent to every screen after the settings changed: what they show may have to be drawn again."""

    def __init__(self, old: Settings, new: Settings) -> None:
        super().__init__()
        self.old = old
        self.new = new


class DatasetReplaced(Message):
    """Sent to every screen when an update from Census swapped a newer dataset in: redraw everything."""


class DatasetLoaded(Message):
    """Sent to every screen once pandas and the full dataset are in (the first screen is drawn without)."""

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()
        self.dataset = dataset
