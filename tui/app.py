"""The tradegap app: one ExplorerState, the messages that change it, and the screens that show it.

Widgets post messages (tui.messages); they are handled here, in one place,
by changing the state (tui.state) and telling the screens. Slow work runs
in thread workers: the full dataset (pandas) loads after the first screen is
on the terminal, and settings are saved off the event loop.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette, Provider
from textual.message import Message
from textual.screen import Screen
from textual.scrollbar import ScrollBar, ScrollBarRender
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from tui import compat, locations, startup
from tui.guard import on_terminal
from tui.messages import (
    DatasetLoaded,
    DatasetReplaced,
    OpenChapter,
    OpenCompare,
    OpenGroup,
    OpenPartner,
    SettingsChanged,
    ShowChaptersOf,
    ShowGroup,
)
from tui.settings import Settings, save_settings
from tui.state import ExplorerState
from tui.terminal import DEFAULT_THEME, ascii_only
from tui.trade.schema import DataError

if TYPE_CHECKING:
    from tui.trade.catalog import Catalog
    from tui.trade.dataset import Dataset

MIN_WIDTH, MIN_HEIGHT = 60, 20
SCREENS_CSS = Path(__file__).with_name("screens.tcss")
#: How long the command palette holds the screen as it closes and runs its command (Textual: 50 ms)
PALETTE_HOLD = 0.005
ELLIPSIS = "…"
#: how long keys typed after an Enter on a list's row wait for the screen it opens to be pushed (if it opens none,
#: they then go where the focus is: on a busy machine the push itself came 150 ms after the Enter), and once it is
#: pushed, for it to be built
OPENING_HOLD, OPENED_HOLD = 1.0, 2.0
#: the detail is built ahead as soon as the screens' code is loaded, unless a key has come in the last this many
#: seconds (then this long after the last key): building it takes the event loop for some 30-40 ms, which a key
#: typed in a burst would wait for
BUILD_AHEAD_AFTER = 0.5
#: once keys stop for this many seconds, the cyclic garbage collector runs in full (tui.startup): in the pause, not
#: in the answer to a later key, which an automatic full collection would take 10-30 ms of in a long session
COLLECT_AFTER = 0.5
#: the name under which the partner's detail screen is kept between openings
KEPT_DETAIL = "partner-detail"


def _trade_commands() -> type[Provider]:
    """The palette's tradegap commands, imported when the palette first opens, not at every start."""
    from tui.commands import TradeCommands

    return TradeCommands


class AsciiScrollBarRender(ScrollBarRender):
    """Scroll bars drawn with spaces and colour only, for terminals without block glyphs."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


class TradeGapApp(App):
    CSS_PATH = "tradegap.tcss"
    TITLE = "tradegap"
    COMMANDS = App.COMMANDS | {_trade_commands}
    # wide terminals put each table beside its chart; short ones hide the charts under a table at first,
    # tall ones give the charts the rows the tables leave
    HORIZONTAL_BREAKPOINTS = [(0, "-normal"), (150, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-medium"), (40, "-tall")]
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="?", id="app.help",
                tooltip="Every key that works here"),
        # a priority binding: `q` quits before the keys typed after it in the same burst are looked at
        # (check_action lets it through to a text box, and to the help, where it closes the help)
        Binding("q", "quit", "Quit", id="app.quit", tooltip="Quit tradegap (filters are already saved)",
                priority=True),
        Binding("t", "change_theme", "Theme", show=False, id="app.theme", tooltip="Choose a colour theme"),
    ]

    def __init__(
        self,
        *,
        catalog: Catalog | None = None,
        dataset: Dataset | None = None,
        settings: Settings | None = None,
        notices: list[str] | tuple[str, ...] = (),
        theme: str | None = None,
        settings_path: Path | None = None,
        ascii: bool | None = None,
        can_save: bool = True,
    ) -> None:
        """Give the catalog (the full dataset then loads in the background) or the dataset itself."""
        super().__init__()
        if catalog is None:
            if dataset is None:
                raise ValueError("TradeGapApp needs a catalog or a dataset")
            catalog = dataset.catalog
        if self.no_color:
            compat.no_colour_codes(self)
        # nothing moves unless a key is pressed: no sliding underlines or smooth scrolling over SSH
        self.animation_level = "none"
        self.state = ExplorerState(catalog, settings or Settings(), dataset)
        self.data_error: str | None = None  # why the dataset could not be loaded: run() says it on exit
        self.settings_path = settings_path or locations.settings_path()
        self.notices = [n for n in (*notices, self.state.settings_notice) if n]
        self.ascii = ascii_only() if ascii is None else ascii
        self.separator = " | " if self.ascii else " · "
        self.ellipsis = "..." if self.ascii else ELLIPSIS
        ScrollBar.renderer = AsciiScrollBarRender if self.ascii else ScrollBarRender
        self._started = False
        self.leaving = False  # quitting has begun: no key, paste or click may start anything else
        self._early_keys: list[events.Key] = []  # typed before the first screen was up: replayed to it
        self._held_keys: list[events.Key] | None = None  # typed while an Enter opens a screen: replayed to it
        self._hold_timer: Timer | None = None
        self._last_key = 0.0  # time.monotonic() of the last key typed
        self._collect_timer: Timer | None = None  # a full garbage collection once the keys stop
        self._typing_settled = False  # keys typed before the terminal was handed over have all arrived
        self._save_disabled = not can_save  # can_save=False: the caller has said why settings will not be saved
        self._save_lock = threading.Lock()
        wanted = theme or self.state.settings.theme
        if wanted not in self.available_themes:
            # a hand-edited file: said, and kept in the file (a save writes it back) until a theme is chosen
            saved = wanted == self.state.settings.theme
            self.notices.append(f"saved settings: theme {wanted[:64]!r} does not exist: using {DEFAULT_THEME} until t "
                                "chooses one" if saved else f"unknown theme {wanted[:64]!r}: using {DEFAULT_THEME}")
            wanted = DEFAULT_THEME
        self.theme = wanted

    # ------------------------------------------------------------ what the screens read

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def dataset(self) -> Dataset | None:
        """The full dataset once loaded (pandas); None while the first screen is drawn from the catalog."""
        return self.state.dataset

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
        top = self._screen_over_main()
        if top is not None:
            from tui.screens.help import HelpScreen, TooSmallScreen

            # while the terminal is too small only quitting works (no palette or help over the notice)
            if isinstance(top, TooSmallScreen):
                return action in ("quit", "help_quit")
            if action == "quit" and isinstance(top, HelpScreen):  # `q` closes the help
                return False
        if action == "quit":  # `q` is a letter in a text box
            from textual.widgets import Input

            return not isinstance(self.focused, Input)
        return True

    def _screen_over_main(self) -> Screen | None:
        """The top screen when it is not the main one. The help screens' module is then imported only once a
        screen is over the main one, not for the first frame (whose footer asks check_action of each key)."""
        return self.screen if len(self.screen_stack) > 1 else None

    async def on_event(self, event: events.Event) -> None:
        # `q` and the next keys in one burst (the user typing their next shell command at once): once
        # quitting has begun, a key must not open a palette or a help over a screen that is closing
        if self.leaving and isinstance(event, (events.Key, events.Paste, events.MouseEvent)):
            return
        if isinstance(event, events.Key) and event.key == "ctrl+j" and not self._typing_settled:
            # Enter typed while the terminal was still in line mode reaches us as a newline (the tty
            # turns CR into NL until the app sets raw mode): in the first moments it is an Enter
            event = events.Key("enter", "\r")
        if not self._started and isinstance(event, events.Key):
            # typed before the first screen is up (as the terminal is handed over): kept for it, in order
            self._early_keys.append(event)
            return
        if isinstance(event, events.Key) and not event.is_forwarded:
            self._last_key = time.monotonic()
            if self._collect_timer is None:
                self._collect_timer = self.set_timer(COLLECT_AFTER, self._collect_in_pause)
            if self._held_keys is not None:
                # typed after an Enter that opens a screen, before that screen is built: for it, in order. An
                # Enter right behind it is the same press again (it would act on the screen the first one opens)
                if event.key != "enter" or self._held_keys:
                    self._held_keys.append(event)
                return
            if event.key == "enter" and self._enter_opens_a_screen():
                await super().on_event(event)
                self._hold_keys(OPENING_HOLD)
                return
        await super().on_event(event)

    def _collect_in_pause(self) -> None:
        """Keys have stopped for COLLECT_AFTER seconds: collect now (else later, after the keys typed since)."""
        self._collect_timer = None
        if (quiet := time.monotonic() - self._last_key) < COLLECT_AFTER:
            self._collect_timer = self.set_timer(COLLECT_AFTER - quiet, self._collect_in_pause)
            return
        startup.collect_in_pause()

    def _enter_opens_a_screen(self) -> bool:
        """Enter on a list's row opens a screen: a partner's, a group's or a chapter's (an empty list, none)."""
        from tui.widgets.table import RankTable

        return isinstance(self.focused, RankTable) and self.focused.row_count > 0

    def _hold_keys(self, seconds: float) -> None:
        """Keep the next keys for a screen being opened, for at most `seconds` more."""
        if self._held_keys is None:
            self._held_keys = []
        if self._hold_timer is not None:
            self._hold_timer.stop()
        self._hold_timer = self.set_timer(seconds, self.release_keys)

    def release_keys(self) -> None:
        """The screen an Enter opened is built (or none was opened in time): the keys typed since go to it."""
        keys, self._held_keys = self._held_keys, None
        if self._hold_timer is not None:
            self._hold_timer.stop()
            self._hold_timer = None
        for key in keys or []:
            self.post_message(events.Key(key.key, key.character))

    async def action_quit(self) -> None:
        self.leaving = True
        await super().action_quit()

    # ------------------------------------------------------------ start

    def on_mount(self) -> None:
        if self.ascii:
            self.add_class("-ascii")
        # Textual drops the frames drawn while it is starting up, which is when on_mount runs: the
        # notices go up after it, so that the frame that shows them is the one on the terminal
        self.call_later(self._started_up)

    def get_default_screen(self) -> Screen:
        """The main screen is the app's first, composed as the app starts: no blank screen is composed,
        laid out and drawn before it (as pushing it over Textual's default screen did, 3-7 ms of each start).
        It is never popped."""
        from tui.screens.main import MainScreen

        screen = MainScreen()
        screen.update_classes(self.size_classes(), update=False)
        return screen

    def _started_up(self) -> None:
        """The first screen is up: say the start's notices, check the terminal's size, replay early keys."""
        for notice in self.notices:
            self.notify(notice, severity="warning", timeout=8)
        restored = self.state.restored_notice(ascii=self.ascii)
        if restored:
            self.notify(restored, timeout=6, markup=False)
        try:
            special = self.settings_path.exists() and not self.settings_path.is_file()  # a directory, FIFO, device
        except OSError:  # its directory cannot be looked into (permission, a name too long): said by the load
            special = True
        if self._save_disabled or special:
            self._save_disabled = True  # said already, by the caller or by load_settings
        elif not _writable(self.settings_path.parent):
            self._save_disabled = True
            self.notify(f"{self.settings_path.parent} is not writable: settings will not be saved",
                        severity="warning", timeout=8)
        self._started = True
        self._check_size()
        if self._early_keys:
            self.call_after_refresh(self._replay_early_keys)

    def _settle_typing(self) -> None:
        self._typing_settled = True

    def _replay_early_keys(self) -> None:
        keys, self._early_keys = self._early_keys, []
        for key in keys:
            self.post_message(events.Key(key.key, key.character))

    def push_screen(self, screen, *args, **kwargs):
        """Push a screen with the classes of the terminal's size (-wide, -tall ...) already on it, and the
        style sheet of the screens after the first.

        Textual adds the classes once the new screen has been laid out, which lays it out (and draws its
        charts) a second time at the size the classes give."""
        self.read_screens_css()
        if isinstance(screen, Screen):
            screen.update_classes(self.size_classes(), update=False)
        if self._held_keys is not None:
            from tui.screens.base import DrillScreen

            if isinstance(screen, DrillScreen):  # the screen the Enter opens: the keys wait until it is built
                self._hold_keys(OPENED_HOLD)
            else:  # another one (the terminal too small): the keys go where they would have gone
                self.call_later(self.release_keys)
        return super().push_screen(screen, *args, **kwargs)

    def read_screens_css(self) -> None:
        """Add the rules of the screens after the first (screens.tcss) to the style sheet, once: before a
        screen's widgets are styled. Parsing them at every start was 2 ms of the first paint; as the last
        source they rank as they did at the end of one file."""
        if not self.stylesheet.has_source(str(SCREENS_CSS), ""):
            self.stylesheet.read(SCREENS_CSS)

    def size_classes(self) -> dict[str, bool]:
        """The breakpoint classes for the terminal's size, as Textual sets them on a screen."""
        width, height = self.size
        classes = {name: False for _, name in (*self.HORIZONTAL_BREAKPOINTS, *self.VERTICAL_BREAKPOINTS)}
        for dimension, breakpoints in ((width, self.HORIZONTAL_BREAKPOINTS), (height, self.VERTICAL_BREAKPOINTS)):
            for threshold, name in sorted(breakpoints, reverse=True):
                if dimension >= threshold:
                    classes[name] = True
                    break
        return classes

    def delay_update(self, delay: float = 0.05) -> None:
        """Hold the screen for PALETTE_HOLD, not for `delay` seconds.

        Textual's palette calls this as it closes and queues its command, so that the screen
        without the palette and the command's result appear together; its 50 ms were most of the
        time a group picked from the palette took to show. tradegap's commands take less.
        """
        super().delay_update(PALETTE_HOLD)

    def first_screen_shown(self) -> None:
        """The first screen is on the terminal: load what it could do without, in the background."""
        from tui.startup import resume_collection

        self.set_timer(0.5, self._settle_typing)
        if self.state.dataset is None:
            self._load_dataset()  # the garbage collector resumes once it is loaded
        else:
            resume_collection()
            self._preload_screens()

    @work(thread=True, exclusive=True, group="dataset", exit_on_error=False)
    def _load_dataset(self) -> Dataset:
        """plotext (the charts), then pandas and the dataset, stepping aside while a key is answered."""
        from tui.yielding import StepAside

        with StepAside().around_imports() as step_aside:
            # plotext first and at once (once a key typed at the first screen has been answered): the first
            # tab or detail shown needs it, and the main thread would otherwise wait for it, importing it
            # itself or waiting for this thread to finish importing it
            step_aside()
            step_aside.enabled = False
            from tui.widgets.plots import preload

            preload()
            step_aside.enabled = True
            step_aside()
            self.state.catalog.check_totals()  # the periods the first screen did not read (DataError: the app stops)
            from tui.trade.dataset import load_dataset

            step_aside()
            dataset = load_dataset(catalog=self.state.catalog)
        return dataset

    @work(thread=True, group="preload", exclusive=True)
    def _preload_screens(self) -> None:
        """The code of the screens a key opens next (a partner's detail, a group's, a chapter's, the help) and of
        the search, imported in the background once the data is in: the first detail opened took 10 ms more
        than the next ones to import its modules (about 15 of them), with the user watching."""
        from tui.widgets.plots import preload
        from tui.yielding import StepAside

        with StepAside().around_imports():
            preload()
            import tui.screens.chapter
            import tui.screens.detail
            import tui.screens.group
            import tui.screens.help
            import tui.trade.lookup
            import tui.trade.places
            import tui.views  # noqa: F401

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group == "preload" and event.state == WorkerState.SUCCESS:
            self.call_later(self._build_detail_ahead)
            return
        if worker.group == "update" and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self._update_finished(worker)
            return
        if worker.group != "dataset" or worker.name != "_load_dataset":
            return
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            from tui.startup import resume_collection

            self.state.dataset = worker.result
            dataset = worker.result
            self._tell_screens(lambda: DatasetLoaded(dataset))
            resume_collection()  # what exists now lives as long as the app: frozen out of collections
            self._preload_screens()
        elif event.state == WorkerState.ERROR:
            error = worker.error
            reason = str(error) if isinstance(error, DataError) else f"the dataset could not be loaded ({error!r})"
            self.data_error = reason  # run() says it, on one line, once the terminal is back
            self.exit(return_code=1)

    def on_resize(self, event: events.Resize) -> None:
        # runs before App's own handler has stored the new size: use the event's
        if self._started:
            self._check_size(event.size)

    def _check_size(self, size: tuple[int, int] | None = None) -> None:
        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if not small and self._screen_over_main() is None:
            return
        from tui.screens.help import TooSmallScreen

        on_top = isinstance(self.screen, TooSmallScreen)
        if small and not on_top:
            self.push_screen(TooSmallScreen(MIN_WIDTH, MIN_HEIGHT))
        elif not small and on_top:
            self.pop_screen()

    # ------------------------------------------------------------ an update from Census

    def action_update_data(self) -> None:
        """Fetch the newest months from Census in a worker, with a progress bar; swap the new dataset in."""
        from tui.widgets.progress import UpdateProgress

        if any(worker.group == "update" and worker.is_running for worker in self.workers):
            self.notify("An update from Census is already running", timeout=4)
            return
        self.screen.mount(UpdateProgress(id="update-progress"))
        self._run_update()

    @work(thread=True, exclusive=True, group="update", exit_on_error=False)
    def _run_update(self) -> tuple:
        from tui.pipeline.update import UpdateOptions, run_update
        from tui.trade.catalog import load_catalog
        from tui.trade.dataset import load_dataset

        def progress(step) -> None:
            self.call_from_thread(self._update_progress, step.requests_done, step.requests_total, step.what)

        result = run_update(UpdateOptions(), progress)
        if result.written is None:
            return result, None, None
        catalog = load_catalog(result.written)
        return result, catalog, load_dataset(result.written, catalog=catalog)

    def _update_progress(self, done: int, total: int, what: str) -> None:
        from tui.widgets.progress import UpdateProgress

        for bar in self.query(UpdateProgress):
            bar.advance_to(done, total, what)

    def _update_finished(self, worker: Worker) -> None:
        from tui.pipeline.sources import SourceError
        from tui.widgets.progress import UpdateProgress

        for bar in self.query(UpdateProgress):
            bar.remove()
        if worker.state == WorkerState.ERROR:
            error = worker.error
            reason = str(error) if isinstance(error, (SourceError, DataError, OSError)) else repr(error)
            self.notify(f"Update failed, nothing changed: {reason}", severity="error", timeout=10)
            return
        if worker.result is None:
            return
        result, catalog, dataset = worker.result
        if catalog is None:
            self.notify(f"Already current: {result.summary}", timeout=6)
            return
        before = self.state.catalog.latest
        self.state.replace_data(catalog, dataset)
        self._tell_screens(DatasetReplaced)
        added = f"{catalog.latest.label} now available" if catalog.latest != before else "revised figures"
        self.notify(f"{added} ({result.summary})", title="Updated from Census", timeout=10)

    # ------------------------------------------------------------ changing the state

    def update_settings(self, **changes: object) -> None:
        """Change the remembered filters, tell the screens, save them in the background."""
        old = self.state.apply(self.state.changed(**changes))
        if old is None:
            return
        new = self.state.settings
        self._tell_screens(lambda: SettingsChanged(old, new))
        self._save()

    def _tell_screens(self, message: Callable[[], Message]) -> None:
        """Post a new message to each screen on the stack (the main screen is the bottom one)."""
        for screen in self.screen_stack:
            screen.post_message(message())

    def watch_theme(self, theme: str) -> None:
        if self._started and theme != self.settings.theme:
            self.update_settings(theme=theme)

    def _save(self) -> None:
        if not self._save_disabled:
            self._save_settings()

    @work(thread=True, group="settings")
    def _save_settings(self) -> None:
        """Write the settings as they are when this runs (a later change's save writes them again)."""
        with self._save_lock:
            try:
                save_settings(self.settings_path, self.state.settings)
            except OSError as error:
                self.call_from_thread(self._save_failed, error)

    def _save_failed(self, error: OSError) -> None:
        if self._save_disabled:
            return
        self._save_disabled = True
        reason = error.strerror or str(error)
        self.notify(f"settings will not be saved ({reason}: {self.settings_path})", severity="warning", timeout=8)

    # ------------------------------------------------------------ navigation

    def _to_main(self) -> None:
        from tui.screens.main import MainScreen

        while len(self.screen_stack) > 1 and not isinstance(self.screen, MainScreen):
            self.pop_screen()

    def _main(self):
        from tui.screens.main import MainScreen

        for screen in self.screen_stack:
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _stale(self, message: OpenPartner | ShowGroup | OpenChapter | ShowChaptersOf | OpenGroup | OpenCompare) -> bool:
        """A message from a screen that is no longer on top: a second Enter that arrived after the first."""
        return message.origin is not None and message.origin is not self.screen

    @on(OpenPartner)
    def _open_partner(self, message: OpenPartner) -> None:
        """A partner's detail; n/p walk the given codes, else the Partners list (when the partner is in it)
        or all partners, either of them as it stands after any change of year or filter."""
        from tui.screens.detail import DetailScreen

        if self._stale(message):
            return
        walk: Callable[[], list[str]]
        if message.codes is not None:
            fixed = list(message.codes)

            def walk() -> list[str]:  # e.g. a chapter's partners
                return fixed
        elif message.code in self.state.partner_list:
            walk = self.partner_list_codes
        else:
            walk = self.state.all_partner_codes
        if isinstance(self.screen, DetailScreen):
            self.screen.follow(message.code, walk)
        elif not self.is_screen_installed(KEPT_DETAIL):
            # kept when closed: opened again it shows the next partner without being composed and styled
            # again, which was over half of a detail's 75-90 ms
            detail = DetailScreen(message.code, walk)
            self.install_screen(detail, KEPT_DETAIL)
            self.push_screen(detail)
        elif (kept := self.get_screen(KEPT_DETAIL, DetailScreen)) not in self.screen_stack:
            kept.reopen(message.code, walk)
            self.push_screen(kept)
        else:  # the kept one is under the screen on top (a help screen): another one over it
            self.push_screen(DetailScreen(message.code, walk))

    def _build_detail_ahead(self) -> None:
        """Build the partner's detail screen ahead, kept for the first Enter, when nothing else is happening:
        composing and styling it was over half of the first detail's opening. It is pushed and popped in
        this one callback, between two frames: never drawn, never on top when Textual draws."""
        from tui.screens.detail import DetailScreen

        if self.is_screen_installed(KEPT_DETAIL) or self.leaving or not self.screen_stack:  # none: closing
            return
        if self._screen_over_main() is not None or self._held_keys is not None or self.state.dataset is None:
            self.set_timer(BUILD_AHEAD_AFTER, self._build_detail_ahead)  # later, when the main screen is back
            return
        if (quiet := time.monotonic() - self._last_key) < BUILD_AHEAD_AFTER:  # keys are being typed: after them
            self.set_timer(BUILD_AHEAD_AFTER - quiet, self._build_detail_ahead)
            return
        codes = self.state.all_partner_codes()
        if not codes:
            return
        detail = DetailScreen(codes[0], self.state.all_partner_codes)
        self.install_screen(detail, KEPT_DETAIL)
        self.push_screen(detail)
        self.pop_screen()

    def partner_list_codes(self) -> list[str]:
        """The Partners list as shown (filters, sort and search), brought up to date with the settings."""
        main = self._main()
        if main is not None:
            main.refresh_partners()
        return self.state.partner_list

    @on(ShowGroup)
    def _show_group(self, message: ShowGroup) -> None:
        """The Partners list restricted to a group's members (all of them, deficit or surplus)."""
        if self._stale(message):
            return
        self._to_main()
        main = self._main()
        if main is not None:
            main.clear_search()
        if message.code is None:
            self.update_settings(group=None, tab="partners")
        else:
            self.update_settings(group=message.code, view="all", tab="partners")

    @on(OpenGroup)
    def _open_group(self, message: OpenGroup) -> None:
        """A region's or bloc's detail; from another group's detail, that one shows the new group."""
        from tui.screens.group import GroupScreen

        if self._stale(message):
            return
        if isinstance(self.screen, GroupScreen):
            self.screen.follow(message.code)
        else:
            self.push_screen(GroupScreen(message.code))

    @on(OpenCompare)
    def _open_compare(self, message: OpenCompare) -> None:
        """Partners and groups side by side."""
        from tui.screens.compare import CompareScreen
        from tui.vocabulary import MIN_COMPARED

        if self._stale(message) or len(set(message.codes)) < MIN_COMPARED:
            return
        self.push_screen(CompareScreen(list(message.codes)))

    @on(OpenChapter)
    def _open_chapter(self, message: OpenChapter) -> None:
        from tui.screens.chapter import ChapterScreen

        if self._stale(message):
            return
        self.push_screen(ChapterScreen(message.year, message.chapter, message.group))

    @on(ShowChaptersOf)
    def _show_chapters_of(self, message: ShowChaptersOf) -> None:
        if self._stale(message):
            return
        self._to_main()
        self.state.sector_scope = message.code
        main = self._main()
        if main is not None:
            main.sector_scope_changed()
        self.update_settings(tab="sectors")

    # ------------------------------------------------------------ actions

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen, binding_rows

        if self.screen.is_modal:
            return
        titles = {"MainScreen": "Keys", "DetailScreen": "Keys: partner detail", "ChapterScreen": "Keys: chapter",
                  "GroupScreen": "Keys: group detail", "CompareScreen": "Keys: compare"}
        title = titles.get(type(self.screen).__name__, "Keys")
        self.push_screen(HelpScreen(title, binding_rows(self, self.screen.active_bindings)))

    def action_step_year(self, delta: int) -> None:
        period = self.state.stepped_period(delta)
        if period is not None:
            self.update_settings(period=self.state.period_setting(period))

    def action_latest(self) -> None:
        self.update_settings(period="latest")

    def action_clear_group(self) -> None:
        self.update_settings(group=None)

    def action_reset_filters(self) -> None:
        self._to_main()
        main = self._main()
        self.state.reset_sectors()
        if main is not None:
            main.clear_search()
            main.sector_scope_changed()
        self.update_settings(**self.state.reset_changes())
        self.notify("Filters reset", timeout=3)

    def action_pick_year(self) -> None:
        from tui.commands import year_commands

        self.search_commands(year_commands(self), placeholder=f"Year{self.ellipsis}")

    def action_pick_group(self) -> None:
        from tui.commands import group_commands

        self.search_commands(group_commands(self, with_all=True), placeholder=f"Show group{self.ellipsis}")

    def action_pick_partner(self) -> None:
        from tui.commands import Palette, PartnerPicker

        self.push_screen(Palette(providers=[PartnerPicker], placeholder=f"Go to partner{self.ellipsis}"))

    def action_compare_marked(self) -> None:
        if not self.state.marked:
            self.notify("Mark partners or groups with Space in Partners or Regions & blocs (up to 6), then c",
                        timeout=5)
            return
        too_few = self.state.too_few_marked()
        if too_few:
            self.notify(too_few, timeout=5)
            return
        self.post_message(OpenCompare(list(self.state.marked)))

    def action_about(self) -> None:
        from tui.screens.help import AboutScreen

        if not isinstance(self.screen, AboutScreen):
            self.push_screen(AboutScreen())

    def get_system_commands(self, screen):
        from textual.app import SystemCommand

        # Textual's "Keys" panel repeats the help (? or F1) and has no ASCII form: left out; its "Screenshot"
        # saves into ~/Downloads and says nothing when that is missing: tradegap's saves where exports go
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                yield SystemCommand("Screenshot", "Save an SVG of the screen where exports go, and say where",
                                    lambda: self.set_timer(0.1, self.action_screenshot))  # once the palette is gone
            elif command.title != "Keys":
                yield command

    # ------------------------------------------------------------ handing a view over

    def view_document(self):
        """The view on the topmost screen that shows one, as a document (tui.export); None while loading."""
        for screen in reversed(self.screen_stack):
            make = getattr(screen, "export_document", None)
            if make is not None:
                return make()
        return None

    def action_export_view(self, placeholder: str | None = None) -> None:
        """Choose a format, then write the view into a file where exports go and say where."""
        from tui.export import file_name

        doc = self.view_document()
        if doc is None:
            self.notify("Nothing to export here yet: the figures are loading, or there are none", timeout=4)
            return
        choices = [(f"{label} {self.separator.strip()} {file_name(doc, fmt)}", partial(self.export_view_as, doc, fmt),
                    help_text) for fmt, label, help_text in (
            ("csv", "CSV", "Raw values; money in millions of dollars, the unit in each header; each row ends with "
                           "its period, release and basis"),
            ("markdown", "Markdown", "The tables as shown, with a footnote on the figures and their release"),
            ("json", "JSON", "The command line's JSON, with metadata: period, release, basis, units"))]
        title = (doc.title or doc.view).replace(" · ", self.separator)  # ASCII on a terminal without Unicode
        self.search_commands(choices, placeholder=placeholder or f"Export {title} as{self.ellipsis}")

    def export_view_as(self, doc, fmt: str) -> None:
        from tui.export import export, export_dir

        try:
            path = export(doc, fmt)
        except OSError as error:
            where = error.filename or export_dir()
            self.notify(f"Not exported: {error.strerror or error} ({where}); set TRADEGAP_EXPORT_DIR to a "
                        "writable directory", severity="error", timeout=10, markup=False)
            return
        self.notify(f"Saved {path}", title="Exported", timeout=10, markup=False)

    def action_copy_view(self) -> None:
        """The view as Markdown to the terminal's clipboard (OSC 52); when the terminal cannot take it, the export."""
        from tui import clipboard
        from tui.export import to_markdown

        doc = self.view_document()
        if doc is None:
            self.notify("Nothing to copy here yet: the figures are loading, or there are none", timeout=4)
            return
        text = to_markdown(doc)
        problem = clipboard.unsupported(text, os.environ, headless=self.is_headless)
        if problem is None and compat.write_to_terminal(self, clipboard.osc52(text, os.environ)):
            rows = f"{doc.rows} row{'s' if doc.rows != 1 else ''}"
            self.notify(f"Copied {doc.title or doc.view} as Markdown ({rows}). If nothing pastes, the terminal "
                        "does not allow clipboard access: e exports to a file", title="Copied", timeout=8,
                        markup=False)
            return
        self.notify(f"Cannot copy: {problem or 'no terminal to write to'}. Export to a file instead?",
                    severity="warning", timeout=8, markup=False)
        self.action_export_view(placeholder=f"Cannot copy here: export as{self.ellipsis}")

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """Save an SVG of the screen where exports go (the current directory or TRADEGAP_EXPORT_DIR); say where."""
        from tui.export import export_dir, free_path, require_directory, slug, write_text

        directory = Path(path) if path else export_dir()
        doc = self.view_document()
        name = filename or "-".join(x for x in ("tradegap", doc and doc.view, doc and slug(doc.subject),
                                                 doc and doc.period_key) if x) + ".svg"
        try:
            require_directory(directory)
            target = free_path(directory, name)
            write_text(target, self.export_screenshot())
        except OSError as error:
            self.notify(f"Screenshot not saved: {error.strerror or error} ({error.filename or directory})",
                        severity="error", timeout=10, markup=False)
            return
        self.notify(f"Saved {target}", title="Screenshot", timeout=10, markup=False)

    # Textual's three ways of opening its palette, with Palette and placeholders that suit ASCII mode

    def action_command_palette(self) -> None:
        from tui.commands import Palette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette(placeholder=f"Search for commands{self.ellipsis}"))

    def search_commands(self, commands, placeholder: str | None = None):
        from textual.command import SimpleProvider

        from tui.commands import Palette

        return self.push_screen(Palette(providers=[SimpleProvider(self.screen, commands)],  # type: ignore[list-item]
                                        placeholder=placeholder or f"Search for commands{self.ellipsis}"))

    def search_themes(self) -> None:
        from tui.commands import Palette, ThemeChoices

        self.push_screen(Palette(providers=[ThemeChoices], placeholder=f"Search for themes{self.ellipsis}"))

    def choose_theme(self, name: str) -> None:
        """A theme chosen from the list: shown and saved, even when it is already the one shown (in place of
        a saved theme that does not exist, which is then forgotten)."""
        self.theme = name  # watch_theme saves a change
        if name != self.settings.theme:
            self.update_settings(theme=name)


def _writable(directory: Path) -> bool:
    """Can settings be saved here (creating the directory if needed)?"""
    path = Path(directory)
    while not path.exists():
        if path.parent == path:
            return False
        path = path.parent
    return path.is_dir() and os.access(path, os.W_OK)
