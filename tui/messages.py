"""What widgets and workers tell the app. Each is handled in one place, on TradeGapApp.

Widgets never push screens themselves: they post one of these, and the app
changes the state (tui.state.ExplorerState) and the screens. Keys that change
the remembered filters call TradeGapApp.update_settings() directly, so that a
burst of keys is applied in order, each on the state the one before left.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the first screen is drawn before pandas (and so the Dataset) is imported
    from textual.screen import Screen

    from tui.settings import Settings
    from tui.trade.dataset import Dataset


@dataclass
class ScreenRequest(Message):
    """A request to show something: `origin` is the screen it came from, and once another screen is on top
    of that one the request is ignored (a second Enter typed before the first one's screen was drawn)."""

    origin: Screen | None = field(default=None, kw_only=True)


@dataclass
class OpenPartner(ScreenRequest):
    """Show a partner's detail; `codes` is the list n/p walk (None: the list it was chosen from)."""

    code: str
    codes: list[str] | None = None


@dataclass
class ShowGroup(ScreenRequest):
    """The Partners list restricted to a group's members (None: all partners again)."""

    code: str | None


@dataclass
class OpenGroup(ScreenRequest):
    """Show a region's or bloc's detail (figures, history, members, chapters)."""

    code: str


@dataclass
class OpenCompare(ScreenRequest):
    """Partners and groups side by side (1 to 6 codes, in the order given)."""

    codes: list[str]


@dataclass
class OpenChapter(ScreenRequest):
    """Which partners make up one HS chapter's balance in a year, among a group's members or all."""

    year: int
    chapter: int
    group: str | None = None


@dataclass
class ShowChaptersOf(ScreenRequest):
    """The Sectors tab for a partner or group."""

    code: str


@dataclass
class SettingsChanged(Message):
    """Sent to every screen after the settings changed: what they show may have to be drawn again."""

    old: Settings
    new: Settings


@dataclass
class DatasetReplaced(Message):
    """Sent to every screen when an update from Census swapped a newer dataset in: redraw everything."""


@dataclass
class DatasetLoaded(Message):
    """Sent to every screen once pandas and the full dataset are in (the first screen is drawn without)."""

    dataset: Dataset
