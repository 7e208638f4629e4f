"""Random keys and terminal sizes, seeded: the app never raises, never stops and always shows a consistent screen.

Each chunk drives one app with KEYS_PER_CHUNK keys drawn from the app's own
bindings, letters, digits and the keys a hurried user hits (arrows, Enter,
Esc, Tab, Ctrl+P, Backspace, space ...), resizing the terminal now and then
between 40x12 and 250x60. Some keys come in bursts, faster than the app
redraws, as when a user mashes keys over SSH. Once the app has dealt with a
key, the screen must agree with the app's state, recomputed with tui.trade.
A failure names the seed, the step and the last keys, with the traceback.

Keys are posted straight to the app instead of through Pilot.press, which
waits for the CPU to go idle (about 40 ms a key): 5,000 keys that way would
take minutes. handled() waits until every message has been handled instead,
and the screen is drawn every DRAW_EVERY steps rather than on the clock. A
seed always sends the same keys and sizes; what the command palette has
found when the next key arrives depends on its background search, so the
screens visited vary a little from run to run. The chunks run two at a time
in forked processes: about 35 s on two cores, twice that on one.

To replay one chunk in this process: asyncio.run(drive(app, seed, keys)).
"""

from __future__ import annotations

import asyncio
import random
import string
import time
import unicodedata
from collections import Counter, deque

import pytest
import textual.screen
from textual import events
from textual.command import CommandPalette
from textual.geometry import Size
from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

from pilot_helpers import messages_pending
from tui.app import MIN_HEIGHT, MIN_WIDTH, TradeGapApp
from tui.panes.partners import PartnersPane, SearchBox
from tui.panes.regions import RegionsPane
from tui.panes.sectors import SectorsPane
from tui.screens.chapter import ChapterScreen
from tui.screens.compare import CompareScreen
from tui.screens.detail import DetailScreen
from tui.screens.group import GroupScreen
from tui.screens.help import AboutScreen, HelpScreen, TooSmallScreen
from tui.screens.main import MainScreen
from tui.trade import Period, rank_partners
from tui.trade.lookup import search
from tui.vocabulary import VIEW_WORDS
from tui.widgets.table import RankTable

pytestmark = pytest.mark.fuzz

SEEDS = (1, 2, 3, 4)
KEYS_PER_CHUNK = 1250  # four chunks: 5,000 keys
ASCII_SEEDS = (4,)  # drawn in ASCII (LANG=C): every 25 steps the whole screen must be ASCII
SIZES = [(80, 24)] * 4 + [(40, 12), (59, 24), (80, 19), (60, 20), (100, 32), (160, 48), (250, 60)]
RESIZE = 1 / 40  # chance that a step is a resize rather than a key
DRAW_EVERY = 3  # steps: the screen is drawn on the step count, not the clock, however fast the machine
BURST = 1 / 3  # chance that a step is 2 to 4 keys sent at once
PASTE = 1 / 60  # chance that a step is a paste (text with newlines, control characters, or a page of it)
MODAL_KEYS = ("question_mark", "f1", "ctrl+p", "g", "y", "t")  # keys that open a modal screen or the palette
KNOWN_SCREENS = (MainScreen, DetailScreen, ChapterScreen, GroupScreen, CompareScreen, HelpScreen, AboutScreen,
                 TooSmallScreen, CommandPalette)


def binding_keys() -> list[str]:
    """Every key bound anywhere in tradegap, as Textual names it."""
    owners = [TradeGapApp, MainScreen, PartnersPane, SearchBox, RegionsPane, SectorsPane, DetailScreen, ChapterScreen,
              GroupScreen, CompareScreen, HelpScreen, AboutScreen, TooSmallScreen, RankTable]
    return sorted({key.strip() for owner in owners for binding in owner.BINDINGS for key in binding.key.split(",")})


OTHER_KEYS = (
    list(string.ascii_letters) + list(string.digits)
    + ["up", "down", "left", "right", "enter", "escape", "tab", "shift+tab", "ctrl+p", "backspace", "space",
       "home", "end", "pageup", "pagedown", "ctrl+home", "ctrl+end", "delete", "ctrl+c", "ctrl+q", "minus",
       "full_stop", "comma"]
)


def paste_text(rng: random.Random) -> str:
    """What a user may paste: a name, lines of text, control characters, or a page of it."""
    kind = rng.randrange(4)
    if kind == 0:
        return rng.choice(["vietnam", "China\nMexico", "Côte d'Ivoire", "U.K."])
    if kind == 1:
        return "".join(rng.choice(string.printable) for _ in range(rng.randint(1, 80)))
    if kind == 2:
        return "\x1b[31m\x07\x00" + "".join(chr(rng.randrange(0x20)) for _ in range(10))
    return "x" * rng.randint(100, 5000)


def key_pool() -> list[str]:
    # the app's own keys three times as often, and Enter more often still: most of the time the user
    # means something, and Enter is what leads from each list to the next screen
    return binding_keys() * 3 + OTHER_KEYS + ["enter"] * 6


def key_event(key: str) -> events.Key:
    """The event a terminal's key press becomes (what Pilot.press sends)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def handled(pilot, draw: bool = False) -> None:
    """Until every message, and every message those sent, has been handled (and the screen drawn, if asked).

    pilot_helpers.settle() does this with Pilot.pause, which also waits for the CPU to go idle: too
    slow for thousands of keys."""
    app = pilot.app
    quiet = 0
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        await asyncio.sleep(0)
        quiet = 0 if messages_pending(app) else quiet + 1
        if quiet == 3:
            if not draw:
                return
            app.screen._on_timer_update()  # lay out and draw what changed, as the screen's refresh timer does
            quiet, draw = 0, False
    raise AssertionError("the app was still busy after 10 seconds")


def too_small(size) -> bool:
    return size[0] < MIN_WIDTH or size[1] < MIN_HEIGHT


def screen_text(app) -> str:
    """Every cell of the screen as it is drawn now, as text."""
    import io

    from rich.console import Console

    console = Console(width=app.size.width, file=io.StringIO(), force_terminal=True, color_system=None, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def check(app, size) -> None:
    """What must hold once the app has dealt with a key."""
    assert app.is_running and app.return_code is None
    screen = app.screen
    assert isinstance(screen, KNOWN_SCREENS), type(screen).__name__
    stack = app.screen_stack  # the main screen at the bottom
    names = [type(s).__name__ for s in stack]
    assert isinstance(stack[0], MainScreen) and not any(isinstance(s, MainScreen) for s in stack[1:]), names
    assert app.size == size
    # the notice shows exactly when the terminal is below the minimum, on top of everything else
    smalls = [s for s in stack if isinstance(s, TooSmallScreen)]
    assert (smalls == [screen]) == too_small(size), (size, names)
    if isinstance(screen, MainScreen):
        check_main(app, screen)
    elif isinstance(screen, DetailScreen):
        name = str(app.state.dataset.partners.at[screen.code, "name"])
        status = screen.query_one("#detail-status").text
        assert status.startswith(app.state.period.label + app.separator + name), (status, name)
    elif isinstance(screen, ChapterScreen):
        status = screen.query_one("#chapter-status").text
        assert status.startswith(f"{screen.year}{app.separator}HS {screen.chapter:02d}{app.separator}"), status
    elif isinstance(screen, GroupScreen):
        name = app.state.catalog.group_name(screen.code)
        status = screen.query_one("#group-status").text
        assert status.startswith(app.state.period.label + app.separator + name), (status, name)
    elif isinstance(screen, CompareScreen):
        status = screen.query_one("#compare-status").text
        assert status.startswith(f"{app.state.period.label}{app.separator}{len(screen.codes)} compared"), status
        assert list(screen.query_one("#compare-figures").keys) == screen.codes


def check_main(app, screen: MainScreen) -> None:
    s, sep = app.settings, app.separator
    tab = screen.query_one("#tabs").active
    assert tab == s.tab, f"the {tab} tab shows but the settings say {s.tab}"
    status = screen.query_one("#status").text
    if tab == "partners":
        pane = screen.query_one("#partners-pane", PartnersPane)
        # a bloc of its time says which members it lists: "ASEAN (members of Aug 2026)"
        group = app.state.catalog.groups[s.group].label(app.state.period) if s.group else "all partners"
        assert status.startswith(sep.join([app.state.period.label, group, VIEW_WORDS[s.view]])), (status, s)
        ranking = rank_partners(app.state.dataset, app.state.period, group=s.group, view=s.view, min_size=s.min_size, sort=s.sort,
                                descending=s.descending)
        if pane.search_text:  # the rows the lookup finds, best first
            found = [m.code for m in search(app.state.catalog, pane.search_text, groups=False)]
            ranking = ranking.set_index("code", drop=False).reindex([c for c in found if c in set(ranking["code"])])
        assert list(pane.table.keys) == list(ranking["code"]), (status, s, pane.search_text)
        count = len(ranking)
        assert f"{sep}{count} partner{'s' if count != 1 else ''}{sep}" in status, status
    elif tab == "regions":
        assert status.startswith(app.state.period.label + sep) and "regions and blocs" in status, status
    else:
        pane = screen.query_one("#sectors-pane", SectorsPane)
        code = app.state.sectors_scope
        scope = (app.state.catalog.groups[code].label(Period(pane.year)) if code in app.state.catalog.groups
                 else app.state.scope_name(code))
        assert status.startswith(f"sectors {pane.year}{sep}{scope}{sep}"), status


async def drive(app, seed: int, keys: int) -> Counter:
    """Press `keys` random keys (some in bursts, now and then a resize); check after each step."""
    rng = random.Random(seed)
    pool = key_pool()
    recent: deque = deque(maxlen=30)
    seen: Counter = Counter()
    size = (80, 24)
    # quitting is a key like any other, but the app has to keep running for the test: count it instead
    app.action_quit = lambda: seen.update(["quit"])
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        step = 0
        while seen["keys"] < keys:
            step += 1
            # the same random numbers every step, whatever the app did: a seed always gives the same keys
            roll, new_size = rng.random(), rng.choice(SIZES)
            burst = [rng.choice(pool) for _ in range(rng.randint(2, 4) if rng.random() < BURST else 1)]
            pasted = paste_text(rng)
            if roll > 1 - PASTE:
                recent.append(f"paste {len(pasted)} characters")
                app.post_message(events.Paste(pasted))
            elif roll < (0.3 if too_small(size) else RESIZE):  # a small terminal is soon made bigger again
                size = new_size
                recent.append(f"resize {size[0]}x{size[1]}")
                app._driver._size = Size(*size)  # what Pilot.resize_terminal does, without its idle wait
                app.post_message(events.Resize(Size(*size), Size(*size)))
            else:
                if isinstance(app.screen, CommandPalette) and roll > 0.5:
                    burst = ["escape"]  # the palette takes any text: do not spend half the run typing in it
                recent.append("+".join(burst))
                seen["keys"] += len(burst)
                for key in burst:
                    app.post_message(key_event(key))
                    await asyncio.sleep(0)  # the next key arrives before this one is fully handled
                    if key in MODAL_KEYS and roll < 0.2:  # the terminal resized while the modal opens
                        size = new_size
                        recent.append(f"resize {size[0]}x{size[1]} as it opens")
                        app._driver._size = Size(*size)
                        app.post_message(events.Resize(Size(*size), Size(*size)))
            try:
                await handled(pilot, draw=step % DRAW_EVERY == 0)
                check(app, size)
                if app.ascii and step % 25 == 0:
                    text = screen_text(app)
                    assert text.isascii(), sorted({ch for ch in text if not ch.isascii()})
            except AssertionError as error:
                raise AssertionError(f"seed {seed}, step {step}, after {list(recent)}: {error}") from app._exception
            seen[type(app.screen).__name__] += 1
            if isinstance(app.screen, MainScreen):
                seen[f"tab {app.settings.tab}"] += 1
        await pilot.pause()  # and one last drawing of the screen, forced
        check(app, size)
    return seen


def run_chunk(seed: int, dataset, home: str) -> dict:
    """One seeded chunk in this process: what was seen, or the failure with its traceback."""
    import os
    import traceback

    from tui.settings import Settings

    saved = dict(os.environ), textual.screen.UPDATE_PERIOD  # put back when the chunk runs in pytest's process
    os.environ["HOME"] = home
    os.environ["TRADEGAP_CONFIG_DIR"] = os.path.join(home, "config")
    os.environ["TRADEGAP_EXPORT_DIR"] = home  # exports and the palette's Screenshot (the directory may be missing)
    textual.screen.UPDATE_PERIOD = 3600.0  # no drawing on the clock: see DRAW_EVERY
    start = time.perf_counter()
    try:
        app = TradeGapApp(dataset=dataset, settings=Settings(), ascii=seed in ASCII_SEEDS)
        seen = asyncio.run(drive(app, seed, KEYS_PER_CHUNK))
        assert app._exception is None, app._exception
    except BaseException:
        return {"seed": seed, "error": traceback.format_exc(limit=-15)}
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        textual.screen.UPDATE_PERIOD = saved[1]
    return {"seed": seed, "seen": dict(seen), "seconds": time.perf_counter() - start}


def test_random_keys_and_sizes(dataset, tmp_path, monkeypatch):
    """SEEDS chunks of KEYS_PER_CHUNK keys, two at a time in forked processes (about 35 s on two cores);
    one after the other where there is one core or no fork."""
    import multiprocessing
    import os

    monkeypatch.delenv("NO_COLOR", raising=False)
    chunks = [(seed, dataset, str(tmp_path / f"seed-{seed}")) for seed in SEEDS]
    workers = min(len(SEEDS), os.cpu_count() or 1, 2)
    if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        with multiprocessing.get_context("fork").Pool(workers) as pool:  # the children share the dataset
            results = pool.starmap(run_chunk, chunks, chunksize=1)
    else:
        results = [run_chunk(*chunk) for chunk in chunks]
    failures = [r["error"] for r in results if "error" in r]
    assert not failures, "\n\n".join(failures)
    for result in results:
        seen = result["seen"]
        print(f"seed {result['seed']}: {seen['keys']} keys in {result['seconds']:.1f}s, {seen}")
        # every screen, every tab and the notice were visited, so the checks above checked something
        wanted = {"MainScreen", "DetailScreen", "ChapterScreen", "HelpScreen", "TooSmallScreen", "Palette",
                  "tab partners", "tab regions", "tab sectors"}
        assert wanted <= set(seen), (result["seed"], wanted - set(seen), seen)
    assert sum(r["seen"]["keys"] for r in results) >= 5000



@pytest.mark.parametrize("seed", range(12))
async def test_random_bursts_right_after_q_end_the_app_cleanly(make_app, seed):
    """`q` and whatever is typed next in the same burst (a shell command, a mashed key): exit 0, no traceback."""
    rng = random.Random(seed)
    pool = key_pool()
    app = make_app()
    async with app.run_test(size=rng.choice(SIZES[4:])) as pilot:
        await pilot.pause()
        for key in ["q"] + [rng.choice(pool) for _ in range(rng.randint(1, 6))]:
            app.post_message(key_event(key))
            await asyncio.sleep(0)
        await pilot.pause(0.2)
    assert app.return_code == 0 and app._exception is None
