"""The command palette: tradegap's commands, partners, groups and years, and a palette safe against fast keys.

Every command posts a message or runs an app action: the palette changes
nothing by itself.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual import on
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.theme import ThemeProvider
from textual.widgets import Input, OptionList

from tui.messages import OpenGroup, OpenPartner, ShowGroup

if TYPE_CHECKING:
    from tui.app import TradeGapApp
    from tui.trade.catalog import Group
    from tui.trade.periods import Period

#: (text shown, what it runs, help text or None)
Command = tuple[str, Callable[[], object], str | None]


def year_commands(app: TradeGapApp) -> list[Command]:
    """The latest period, every year, the years to date of the latest year, and every month (2026-03)."""
    state = app.state
    latest = state.catalog.latest

    def set_period(setting: str) -> None:
        app.update_settings(period=setting)

    items: list[Command] = [(f"Year: latest ({latest.label})", partial(set_period, "latest"), "Always the newest data")]
    for period in reversed(state.periods):
        if period != latest:
            items.append((f"Year: {period.label}", partial(set_period, period.key), None))
    for period in state.year_to_date_periods():
        items.append((f"Year to date: {period.label} ({period.key})", partial(set_period, period.key),
                      "Compared with the same months a year earlier"))
    for period in state.month_periods():
        items.append((f"Month: {period.label} ({period.key})", partial(set_period, period.key),
                      "One month, compared with the same month a year earlier"))
    return items


def group_title(group: Group, period: Period) -> str:
    """'Group: ASEAN (10 partners)': its members in the period shown, as the list restricted to it counts them
    (a bloc's members of the period's last month), not everyone who ever was one."""
    return f"Group: {group.name} ({len(group.members_of(period))} partners)"


def place_commands(app: TradeGapApp, query: str, *, groups: bool = True, limit: int = 12) -> list[Command]:
    """Partners (and groups) matching what is typed, best first, as the command line finds them."""
    from tui.trade.lookup import search

    catalog = app.state.catalog
    items: list[Command] = []
    for match in search(catalog, query, groups=groups, limit=limit):
        if match.is_group:
            group = catalog.groups[match.code]
            items.append((group_title(group, app.state.period), partial(app.post_message, OpenGroup(group.code)),
                          "Open the group's detail"))
        else:
            partner = catalog.partners[match.code]
            items.append((f"Partner: {partner.name} ({partner.iso})", partial(app.post_message, OpenPartner(partner.code)),
                          None))
    return items


def group_commands(app: TradeGapApp, with_all: bool = False) -> list[Command]:
    catalog = app.state.catalog
    items: list[Command] = []
    if with_all:
        items.append(("Group: all partners", partial(app.post_message, ShowGroup(None)), "No group filter"))
    groups = sorted(catalog.groups.values(), key=lambda group: group.name.casefold())
    for group in groups:
        items.append((group_title(group, app.state.period), partial(app.post_message, ShowGroup(group.code)),
                      f"{group.kind}, {group.source}"))
    return items


def partner_commands(app: TradeGapApp) -> list[Command]:
    partners = sorted(app.state.catalog.rankable_partners(), key=lambda partner: partner.name.casefold())
    return [(f"Partner: {partner.name} ({partner.iso})", partial(app.post_message, OpenPartner(partner.code)), None)
            for partner in partners]


class TradeCommands(Provider):
    """Go to partner…, Show group…, Year…, Reset filters; and partners, groups and years by name."""

    @property
    def tradegap(self) -> TradeGapApp:
        return cast("TradeGapApp", self.app)

    def _entries(self) -> list[Command]:
        app = self.tradegap
        dots = app.ellipsis
        return [
            (f"Go to partner{dots}", app.action_pick_partner, "Open a partner's detail"),
            (f"Show group{dots}", app.action_pick_group, "Restrict the Partners list to a region or bloc"),
            (f"Year{dots}", app.action_pick_year, "Choose the period shown"),
            ("Reset filters", app.action_reset_filters, "Back to the latest period, all partners, deficits, by rank"),
            (f"Export view{dots}", app.action_export_view,
             "Save what is shown as CSV, Markdown or JSON, in the current directory or TRADEGAP_EXPORT_DIR"),
            ("Copy view as Markdown", app.action_copy_view, "To the terminal's clipboard (OSC 52; works over SSH and tmux)"),
            ("Compare marked", app.action_compare_marked, "The partners and groups marked with Space, side by side"),
            ("About the data", app.action_about, "What the figures are: goods, Census basis, shares, YTD, HS chapters, releases"),
            ("Update data from Census", app.action_update_data,
             "Fetch the newest months from the Census API (the screen keeps working meanwhile)"),
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self._entries():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.tradegap
        typed = query.strip().casefold()
        for name, callback, help_text in self._entries():
            if (score := matcher.match(name)) > 0:
                # a command whose name starts as typed comes before the partners ("compare", "export")
                yield Hit(2.0 if name.casefold().startswith(typed) else score, matcher.highlight(name), callback,
                          help=help_text)
        # partners and groups as the command line finds them (exact, alias or code, beginning, part), best first
        for rank, (name, callback, help_text) in enumerate(place_commands(app, query)):
            yield Hit(1.5 - rank / 100, matcher.highlight(name), callback, help=help_text)
        for name, callback, help_text in year_commands(app):
            if (score := matcher.match(name)) > 0:
                yield Hit(score * 0.9, matcher.highlight(name), callback, help=help_text)


class PartnerPicker(Provider):
    """Go to partner…: every partner by name; what is typed finds them as the command line does, best first."""

    @property
    def tradegap(self) -> TradeGapApp:
        return cast("TradeGapApp", self.app)

    async def discover(self) -> Hits:
        for name, callback, help_text in partner_commands(self.tradegap):
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for rank, (name, callback, help_text) in enumerate(place_commands(self.tradegap, query, groups=False,
                                                                          limit=30)):
            yield Hit(1.0 - rank / 100, matcher.highlight(name), callback, help=help_text)


class Palette(CommandPalette):
    """Textual's command palette, safe against keys typed faster than it redraws or closes.

    - PageUp/PageDown while the list has results but no size yet raise KeyError inside Textual's
      OptionList: they wait until the list is drawn (the palette's own page keys, replaced here).
    - Enter pressed twice (or Enter then Esc) before the palette has closed would run the command
      twice, and the second close would close the screen under the palette (Screen.dismiss pops
      whatever is on top), leaving a blank terminal: once closing, the palette ignores them.
    """

    BINDINGS = [
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
    ]

    _leaving = False

    def action_page(self, direction: int) -> None:
        commands = self.query_one(CommandList)
        if not commands.scrollable_content_region:
            return
        if direction > 0:
            commands.action_page_down()
        else:
            commands.action_page_up()

    @on(Input.Submitted)
    @on(OptionList.OptionSelected)
    def _closed_already(self, event: Input.Submitted | OptionList.OptionSelected) -> None:
        if self._leaving or self is not self.app.screen:
            event.prevent_default()  # CommandPalette's own handlers would run the command again
            event.stop()

    def dismiss(self, result=None) -> AwaitComplete:
        if self._leaving or self is not self.app.screen:
            return AwaitComplete()
        self._leaving = True
        return super().dismiss(result)


class ThemeChoices(ThemeProvider):
    """Textual's themes, each chosen through the app (TradeGapApp.choose_theme), so that choosing the theme
    already shown is saved too."""

    @property
    def commands(self) -> list[tuple[str, Callable[[], None]]]:
        app = cast("TradeGapApp", self.app)
        return [(name, partial(app.choose_theme, name)) for name in sorted(app.available_themes)]
