"""The tradegap app: screens, keys, command palette, remembered filters.

The app holds the dataset and the Settings (the filters the user chose);
screens read them and call update_settings(), which saves the settings
and lets the screens redraw. Every number comes from tui.trade.
"""

from __future__ import annotations

import contextlib
import os
import sys
from functools import cached_property, partial
from pathlib import Path

from textual import events, on
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.command import CommandList, CommandPalette, DiscoveryHit, Hit, Hits, Provider, SimpleProvider
from textual.filter import Monochrome, NoColor
from textual.reactive import reactive
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.widgets import Input, OptionList

from tui import locations, trade
from tui.guard import NoTerminal, on_terminal
from tui.settings import Settings, check_settings, load_settings, save_settings
from tui.terminal import DEFAULT_THEME, ascii_only, initial_theme
from tui.trade import quick as first_screen
from tui.trade.periods import parse_period
from tui.trade.schema import RANKABLE_KINDS, DataError

MIN_WIDTH, MIN_HEIGHT = 60, 20
ELLIPSIS = "…"


class AsciiScrollBarRender(ScrollBarRender):
    """Scroll bars drawn with spaces and colour only, for terminals without block glyphs."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


class TradeCommands(Provider):
    """Go to partner…, Show group…, Year…, Reset filters; and partners, groups and years by name."""

    def _entries(self):
        app = self.app
        dots = app.ellipsis
        return [
            (f"Go to partner{dots}", app.action_pick_partner, "Open a partner's detail"),
            (f"Show group{dots}", app.action_pick_group, "Restrict the Partners list to a region or bloc"),
            (f"Year{dots}", app.action_pick_year, "Choose the period shown"),
            ("Reset filters", app.action_reset_filters, "Back to the latest period, all partners, deficits, by rank"),
        ]

    async def discover(self) -> Hits:
        for name, callback, help_text in self._entries():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.app
        for name, callback, help_text in self._entries():
            if (score := matcher.match(name)) > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        for name, callback, help_text in app.partner_commands() + app.group_commands() + app.year_commands():
            if (score := matcher.match(name)) > 0:
                yield Hit(score * 0.9, matcher.highlight(name), callback, help=help_text)


class Palette(CommandPalette):
    """Textual's command palette, safe against keys typed faster than it redraws or closes.

    - PageUp/PageDown while the list has results but no size yet raise
      KeyError inside Textual's OptionList: ignored until the list is drawn.
    - Enter pressed twice (or Enter then Esc) before the palette has closed
      would run the command twice, and the second close would close the
      screen under the palette (Screen.dismiss pops whatever is on top),
      leaving a blank terminal: once closing, the palette ignores them.
    """

    _leaving = False

    def _action_command_list(self, action: str) -> None:
        if action.startswith("page_") and not self.query_one(CommandList).scrollable_content_region:
            return
        super()._action_command_list(action)

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


class TradeGapApp(App):
    CSS_PATH = "tradegap.tcss"
    TITLE = "tradegap"
    COMMANDS = App.COMMANDS | {TradeCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="?", id="app.help",
                tooltip="Every key that works here"),
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit tradegap (filters are already saved)"),
        Binding("t", "change_theme", "Theme", show=False, id="app.theme", tooltip="Choose a colour theme"),
    ]

    settings: reactive[Settings] = reactive(Settings(), init=False, always_update=False)

    def __init__(
        self,
        *,
        dataset: trade.Dataset | None = None,
        quick: first_screen.QuickData | None = None,
        settings: Settings | None = None,
        notices: list[str] | tuple[str, ...] = (),
        theme: str | None = None,
        settings_path: Path | None = None,
        ascii: bool | None = None,
        can_save: bool = True,
        first_screen_file: Path | None = None,
    ) -> None:
        super().__init__()
        if self.no_color:
            # NO_COLOR: Textual greys colours out (Monochrome) unless the theme is an ANSI one;
            # the convention is no colour codes at all, so the terminal's own colours everywhere
            self._filters = [NoColor() if isinstance(f, Monochrome) else f for f in self._filters]
        # nothing moves unless a key is pressed: no sliding underlines or smooth scrolling over SSH
        self.animation_level = "none"
        # With quick (and no dataset) the first screen is drawn before pandas is imported: see
        # tui/trade/quick.py. The full dataset is loaded right after it (load_dataset_now).
        self._dataset = dataset if dataset is not None or quick is not None else trade.load_dataset()
        self._quick = quick if self._dataset is None else None
        # where the first screen's data for these data files lives (run() takes it before loading
        # anything): written once the dataset is loaded if missing, or summed by another pandas
        self._first_screen_file = first_screen_file
        self._quick_made_with = quick.pandas_version if quick is not None else None
        self.data_error: str | None = None
        self.settings_path = settings_path or locations.settings_path()
        checked, notice = check_settings(settings or Settings(), self.catalog)
        self.set_reactive(TradeGapApp.settings, checked)
        self.notices = [n for n in (*notices, notice) if n]
        self.ascii = ascii_only() if ascii is None else ascii
        self.separator = " | " if self.ascii else " · "
        self.ellipsis = "..." if self.ascii else ELLIPSIS
        ScrollBar.renderer = AsciiScrollBarRender if self.ascii else ScrollBarRender
        # what the screens share besides the settings
        self.current_codes: list[str] = []  # the Partners list as shown: what n/p walk through
        self.highlighted_partner: str | None = None
        self.sector_scope: str | None = None  # a partner or group chosen for the Sectors tab
        self._periods = self.catalog.periods()
        self._started = False
        self._save_disabled = not can_save  # can_save=False: the caller has said why settings will not be saved
        wanted = theme or checked.theme
        if wanted not in self.available_themes:
            self.notices.append(f"unknown theme {wanted!r}: using {DEFAULT_THEME}")
            wanted = DEFAULT_THEME
        self.theme = wanted

    def run(self, **options):  # on the controlling terminal whatever stdin/stderr are; signals: tui/guard.py
        with contextlib.nullcontext() if options.get("headless") else on_terminal(self):
            return super().run(**options)

    def get_key_display(self, binding: Binding) -> str:
        if self.ascii and not binding.key_display:
            key = binding.key.split(",")[0]
            return {"question_mark": "?", "slash": "/", "left_square_bracket": "[",
                    "right_square_bracket": "]"}.get(key, key)
        return super().get_key_display(binding)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        from tui.screens.help import TooSmallScreen

        # while the terminal is too small only quitting works (no palette or help over the notice)
        if isinstance(self.screen, TooSmallScreen):
            return action in ("quit", "help_quit")
        return True

    # ------------------------------------------------------------ start

    def on_mount(self) -> None:
        if self.ascii:
            self.add_class("-ascii")
        # Textual drops the frames drawn while it is starting up, which is when on_mount runs: the
        # first screen is pushed right after, so that the frame it draws is the one on the terminal
        self.call_later(self._start)

    def _start(self) -> None:
        from tui.screens.main import MainScreen

        self._main = MainScreen()
        self.push_screen(self._main)
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8)
        if self._save_disabled or self.settings_path.is_dir():
            self._save_disabled = True  # said already, by the caller or by load_settings
        elif not _writable(self.settings_path.parent):
            self._save_disabled = True
            self.notify(f"{self.settings_path.parent} is not writable: settings will not be saved",
                        severity="warning", timeout=8)
        self._started = True
        self._check_size()

    def delay_update(self, delay: float = 0.05) -> None:
        """Hold the screen until the messages queued now have been handled, not for `delay` seconds.

        Textual's palette calls this as it closes and queues its command, so that the screen
        without the palette and the command's result appear together; its 50 ms were most of
        the time a group picked from the palette took to show. Handling the command takes less.
        """
        self._begin_batch()

        def release() -> None:
            self._end_batch()
            if not self._batch_count:
                self.screen.refresh()

        # two hops: the command is queued after this call, so after the first hop too
        self.call_later(self.call_later, release)

    def first_screen_shown(self) -> None:
        """What the first screen could do without, once it is on the terminal: pandas and the full
        dataset, then plotext for the charts. Keys typed meanwhile wait and are answered right after."""
        from tui.startup import resume_collection
        from tui.widgets.plots import preload

        self.load_dataset_now()
        resume_collection()
        preload()
        if self.dataset_loaded:
            self._main.prepare_hidden_tabs_soon()

    def on_resize(self, event: events.Resize) -> None:
        # runs before App's own handler has stored the new size: use the event's
        if self._started:
            self._check_size(event.size)

    def _check_size(self, size=None) -> None:
        from tui.screens.help import TooSmallScreen

        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        on_top = isinstance(self.screen, TooSmallScreen)
        if small and not on_top:
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif not small and on_top:
            self.pop_screen()
        self.set_class(width >= 150, "-wide")
        self.set_class(height >= 40, "-tall")

    # ------------------------------------------------------------ state

    @property
    def ds(self) -> trade.Dataset:
        """The full dataset (pandas), loaded now if the first screen was drawn without it."""
        if self._dataset is None:
            self._dataset = trade.load_dataset()
            self._quick = None
        return self._dataset

    @property
    def dataset_loaded(self) -> bool:
        return self._dataset is not None

    @property
    def catalog(self) -> trade.Dataset | first_screen.QuickData:
        """What the data covers (periods, groups, release): from the first screen's data until pandas is in."""
        return self._dataset if self._dataset is not None else self._quick

    def load_dataset_now(self) -> None:
        """Load the full dataset once the first screen is drawn; keep that screen's data for next time."""
        try:
            ds = self.ds
        except DataError as error:  # a data file broke under a first screen drawn from the quick file
            self._data_failed(error)
            return
        path, self._first_screen_file = self._first_screen_file, None
        if path is None or self._quick_made_with == first_screen.pandas_version():
            return
        try:
            unchanged = first_screen.quick_file() == path  # the data files did not change while loading
        except DataError:
            unchanged = False
        if unchanged:
            first_screen.save_quick(ds, path)

    def _data_failed(self, error: DataError) -> None:
        self.data_error = str(error)  # run() says it, on one line, once the terminal is back
        self.exit(return_code=1)

    def _handle_exception(self, error: Exception) -> None:
        # a key that needs the full dataset, pressed before it failed to load under a first screen
        # drawn from the quick file: the one-line message and exit status 1, not a traceback
        if isinstance(error, DataError):
            self._data_failed(error)
            return
        super()._handle_exception(error)

    def partner_ranking(self, period, **filters) -> list[dict]:
        """The Partners ranking as records: without pandas while the first screen is being drawn."""
        if self._dataset is None:
            rows = first_screen.rank_partners(self._quick, period, **filters)
            if rows is not None:
                return rows
        return trade.rank_partners(self.ds, period, **filters).to_dict("records")

    @property
    def period(self):
        return parse_period(self.catalog, self.settings.period)

    def world_balance(self, period) -> float:
        return float(trade.world_totals(self.ds, period)["balance"])

    def update_settings(self, **changes) -> None:
        new = self.settings.changed(**changes)
        if new == self.settings:
            return
        if new.group != self.settings.group:
            self.sector_scope = None
        self.settings = new
        self._save()

    def watch_settings(self, old: Settings, new: Settings) -> None:
        main = getattr(self, "_main", None)
        if main is not None and main.is_mounted:
            main.settings_changed(old, new)

    def watch_theme(self, theme: str) -> None:
        if self._started and theme != self.settings.theme:
            self.update_settings(theme=theme)

    def _save(self) -> None:
        if self._save_disabled:
            return
        try:
            save_settings(self.settings_path, self.settings)
        except OSError as error:
            self._save_disabled = True
            reason = error.strerror or str(error)
            self.notify(f"settings will not be saved ({reason}: {self.settings_path})", severity="warning",
                        timeout=8)

    # ------------------------------------------------------------ navigation

    def _to_main(self) -> None:
        from tui.screens.main import MainScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()

    def open_partner(self, code: str, codes: list[str] | None = None) -> None:
        """A partner's detail; n/p walk `codes` if given, else the Partners list (when the partner is
        in it) or all partners, either of them as it stands after any change of year or filter."""
        from tui.screens.detail import DetailScreen

        if codes is not None:
            fixed = list(codes)
            walk = lambda: fixed  # noqa: E731  (e.g. a chapter's partners)
        elif code in self.current_codes:
            walk = self.partner_list_codes
        else:
            walk = self.all_partner_codes
        if isinstance(self.screen, DetailScreen):
            self.screen.follow(code, walk)
        else:
            self.push_screen(DetailScreen(code, walk))

    def partner_list_codes(self) -> list[str]:
        """The Partners list as shown (filters, sort and search), brought up to date with the settings."""
        self._main.pane("partners").refresh_data()
        return self.current_codes

    def all_partner_codes(self) -> list[str]:
        return [row["code"] for row in self.partner_ranking(self.period, view="all")]

    def show_group(self, code: str | None) -> None:
        """The Partners list restricted to a group's members (all of them, deficit or surplus)."""
        self._to_main()
        self._main.clear_search()
        if code is None:
            self.update_settings(group=None, tab="partners")
        else:
            self.update_settings(group=code, view="all", tab="partners")

    def open_chapter(self, year: int, chapter: int, group: str | None) -> None:
        from tui.screens.chapter import ChapterScreen

        self.push_screen(ChapterScreen(year, chapter, group))

    def show_chapters_of(self, code: str) -> None:
        self._to_main()
        self.sector_scope = code
        self._main.sector_scope_changed()
        self.update_settings(tab="sectors")

    # ------------------------------------------------------------ actions

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, binding_rows

        if self.screen.is_modal:
            return
        title = {"MainScreen": "Keys", "DetailScreen": "Keys: partner detail", "ChapterScreen": "Keys: chapter"}.get(
            type(self.screen).__name__, "Keys")
        self.push_screen(HelpScreen(title, binding_rows(self, self.screen.active_bindings)))

    def action_step_year(self, delta: int) -> None:
        periods = self._periods
        current = self.period
        index = periods.index(current) if current in periods else len(periods) - 1
        target = max(0, min(len(periods) - 1, index + delta))
        if target == index:
            return
        self.set_period(periods[target])

    def set_period(self, period) -> None:
        key = "latest" if period == self.catalog.latest else period.key
        self.update_settings(period=key)

    def action_latest(self) -> None:
        self.update_settings(period="latest")

    def action_clear_group(self) -> None:
        self.update_settings(group=None)

    def action_reset_filters(self) -> None:
        self._to_main()
        self._main.clear_search()
        self.sector_scope = None
        self.update_settings(**{k: v for k, v in Settings().__dict__.items() if k not in ("theme", "tab")})
        self.notify("Filters reset", timeout=3)

    def year_commands(self) -> list[tuple]:
        latest = self.catalog.latest
        items = [(f"Year: latest ({latest.label})", partial(self.update_settings, period="latest"),
                  "Always the newest data")]
        for period in reversed(self._periods):
            if period != latest:
                items.append((f"Year: {period.label}", partial(self.set_period, period), None))
        return items

    @cached_property
    def _group_names(self) -> list[tuple[str, str, str]]:
        items = [(f"Group: {row['name']} ({len(trade.group_members(self.ds, code))} partners)", code,
                  f"{row['kind']}, {row['source']}") for code, row in self.ds.groups.iterrows()]
        return sorted(items, key=lambda item: item[0].casefold())

    @cached_property
    def _partner_names(self) -> list[tuple[str, str]]:
        partners = self.ds.partners[self.ds.partners["kind"].isin(RANKABLE_KINDS)]
        iso = partners["iso3"].where(partners["iso3"] != "", partners["code"])
        items = [(f"Partner: {name} ({code3})", code) for code, name, code3 in zip(partners.index, partners["name"], iso)]
        return sorted(items, key=lambda item: item[0].casefold())

    def group_commands(self) -> list[tuple]:
        return [(name, partial(self.show_group, code), help_text) for name, code, help_text in self._group_names]

    def partner_commands(self) -> list[tuple]:
        return [(name, partial(self.open_partner, code), None) for name, code in self._partner_names]

    def action_pick_year(self) -> None:
        self.search_commands(self.year_commands(), placeholder=f"Year{self.ellipsis}")

    def action_pick_group(self) -> None:
        items = [("Group: all partners", partial(self.show_group, None), "No group filter")] + self.group_commands()
        self.search_commands(items, placeholder=f"Show group{self.ellipsis}")

    def action_pick_partner(self) -> None:
        self.search_commands(self.partner_commands(), placeholder=f"Go to partner{self.ellipsis}")

    def get_system_commands(self, screen):
        # Textual's "Keys" panel repeats the help (? or F1) and has no ASCII form: left out
        for command in super().get_system_commands(screen):
            if command.title != "Keys":
                yield command

    # Textual's three ways of opening its palette, with Palette and placeholders that suit ASCII mode

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(id="--command-palette", placeholder=f"Search for commands{self.ellipsis}"))

    def search_commands(self, commands, placeholder: str | None = None):
        return self.push_screen(Palette(providers=[SimpleProvider(self.screen, commands)],
                                        placeholder=placeholder or f"Search for commands{self.ellipsis}"))

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        self.push_screen(Palette(providers=[ThemeProvider], placeholder=f"Search for themes{self.ellipsis}"))


def _writable(directory: Path) -> bool:
    """Can settings be saved here (creating the directory if needed)?"""
    path = Path(directory)
    while not path.exists():
        if path.parent == path:
            return False
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK)


def run(theme: str | None = None, mouse: bool = True, reset: bool = False) -> int:
    """Start the app (the `tradegap` command with no subcommand); returns the exit status."""
    from textual.theme import BUILTIN_THEMES

    if theme and theme not in BUILTIN_THEMES:  # before --reset acts: nothing changes on a mistake
        themes = ", ".join(sorted(BUILTIN_THEMES))
        print(f"tradegap: unknown theme {theme[:64]!r} (choose from {themes})", file=sys.stderr)
        return 2
    path = locations.settings_path()
    notices: list[str] = []
    can_save = True
    if reset:
        settings = Settings()
        try:
            save_settings(path, settings)
        except OSError as error:
            notices.append(f"settings will not be saved ({error.strerror or error}: {path})")
            can_save = False
    else:
        settings, notice = load_settings(path)
        if notice:
            notices.append(notice)
    # the first screen without pandas when this data has been seen before; else pandas now
    try:
        quick_file = first_screen.quick_file()  # before anything is loaded: see load_dataset_now
    except DataError:
        quick_file = None  # a data file is missing: load_dataset says which
    quick = first_screen.load_quick(path=quick_file) if quick_file is not None else None
    dataset = None
    if quick is None:
        try:
            dataset = trade.load_dataset()
        except DataError as error:
            print(f"tradegap: {error}", file=sys.stderr)
            return 1
    app = TradeGapApp(dataset=dataset, quick=quick, settings=settings, notices=notices,
                      theme=initial_theme(theme, settings.theme), settings_path=path, can_save=can_save,
                      first_screen_file=quick_file)
    try:
        app.run(mouse=mouse)
    except NoTerminal as error:  # cron, `setsid ... </dev/null`, TERM=dumb
        print(f"tradegap: {error}", file=sys.stderr)
        return 2
    if app.data_error:
        print(f"tradegap: {app.data_error}", file=sys.stderr)
    return app.return_code or 0
