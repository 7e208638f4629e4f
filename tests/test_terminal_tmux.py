"""The app in a real terminal: tmux runs it in a pane and we read what the pane shows and what it was sent.

Each test starts `python -m tui` in its own pane on a private tmux server (no
user configuration; tests/tmux_driver.py), waits with a deadline until the
screen shows what it expects and has settled (the app idle, two looks at the
screen alike), and looks at the screen (capture-pane, with -e for colours) or
at the bytes the app wrote (pipe-pane). Skipped when tmux is not installed.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import time
import uuid
from pathlib import Path

import pytest

from tmux_driver import Pane, Tmux, terminal_env

# one worker runs them all, one after the other, on one tmux server
pytestmark = [pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"), pytest.mark.tmux,
              pytest.mark.xdist_group("tmux")]

# seconds: a deadline only, reached when something is wrong; a cold start on a busy machine imports pandas
# and Textual and parses the data, and the machine may be running the rest of the tests too
TIMEOUT = 60
ENLARGE = "Enlarge the terminal to at least 60x20"
MOUSE_ON = re.compile(rb"\x1b\[\?(1000|1002|1003|1006|1015)h")
# SGR colour parameters: 30-37 40-47 90-97 100-107, and 38/48 for 256 and RGB colours (39/49 are the
# terminal's own default colours)
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
COLOUR_PARAM = re.compile(r"^(3[0-7]|4[0-7]|9[0-7]|10[0-7])$")


class Terminal:
    """tradegap in panes of a private tmux server, each with its own config dir and a shared cache."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        # the app sees what a user's terminal would give it: nothing of pytest's, nor the colour and
        # ASCII choices of the machine running the tests (each test sets its own)
        drop = [k for k in os.environ if k.startswith("PYTEST_")] + ["NO_COLOR", "COLORTERM", "TRADEGAP_ASCII"]
        self.tmux = Tmux(80, 24, env=terminal_env(drop=drop))

    def start(self, *app_args: str, env: dict[str, str] | None = None, size: tuple[int, int] = (80, 24),
              log: bool = False) -> Pane:
        """Run tradegap in a new pane; with log=True every byte it writes is kept (pipe-pane) from the first."""
        name = uuid.uuid4().hex[:8]
        variables = {"TRADEGAP_CONFIG_DIR": str(self.workdir / name / "config"),
                     "TRADEGAP_CACHE_DIR": str(self.workdir / "cache"), **(env or {})}
        # from a directory of its own: `python -m tui` must find the installed package, not a checkout's
        return self.tmux.launch([sys.executable, "-m", "tui", *app_args], env=variables, cwd=self.workdir,
                                size=size, log=self.workdir / f"{name}.bytes" if log else None)


@pytest.fixture(scope="module")
def tmux(tmp_path_factory):
    terminal = Terminal(tmp_path_factory.mktemp("tmux"))
    yield terminal
    terminal.tmux.close()


@pytest.fixture(scope="module")
def first_row(dataset):
    """The name and balance on the first row of the Partners list, as the app formats them."""
    from tui.trade import money, rank_partners

    top = rank_partners(dataset, dataset.latest).iloc[0]
    return str(top["name"]), money(top["balance"], signed=True)


def colour_params(screen: str) -> set[str]:
    """The colours set by the SGR sequences on screen: '31', '44', '38' (256 or RGB foreground) ..."""
    found = set()
    for match in SGR.finditer(screen):
        params = [p for p in re.split("[;:]", match.group(1)) if p]
        while params:
            param = params.pop(0)
            if param in ("38", "48"):
                found.add(param)
                kind = params.pop(0) if params else ""
                del params[: 1 if kind == "5" else 3 if kind == "2" else 0]  # the colour's own numbers
            elif COLOUR_PARAM.match(param):
                found.add(param)
    return found


def test_starts_at_80x24_with_the_first_ranked_row(tmux, first_row):
    pane = tmux.start()
    screen = pane.wait_settled((*first_row, "1 Partners"), timeout=TIMEOUT)
    assert len(screen.splitlines()) <= 24
    assert not screen.isascii()  # UTF-8 glyphs in a UTF-8 locale, so the next test can tell the difference


def test_a_c_locale_puts_only_ascii_on_screen(tmux, first_row):
    pane = tmux.start(env={"LANG": "C", "LC_ALL": "C"})
    screen = pane.wait_settled((*first_row, "[1 Partners]"), timeout=TIMEOUT)
    assert screen.isascii(), sorted({ch for ch in screen if not ch.isascii()})
    pane.send("Enter")  # the detail's charts too
    screen = pane.wait_settled("Peak deficit", timeout=TIMEOUT)
    assert screen.isascii(), sorted({ch for ch in screen if not ch.isascii()})


def test_the_linux_console_gets_16_colours(tmux, first_row):
    pane = tmux.start(env={"TERM": "linux"})
    pane.wait_settled(first_row, timeout=TIMEOUT)
    params = colour_params(pane.screen(escapes=True))
    assert params and not params & {"38", "48"}, params  # only the 16 ANSI colours, no 256 or RGB


def test_no_color_means_no_colour(tmux, first_row):
    pane = tmux.start(env={"NO_COLOR": "1"})
    pane.wait_settled(first_row, timeout=TIMEOUT)
    assert colour_params(pane.screen(escapes=True)) == set()
    plain = tmux.start()
    plain.wait_settled(first_row, timeout=TIMEOUT)
    assert colour_params(plain.screen(escapes=True))  # without NO_COLOR the same check finds colours


def test_too_small_asks_to_enlarge_and_growing_back_restores(tmux, first_row):
    pane = tmux.start(log=True)
    pane.wait_settled(first_row, timeout=TIMEOUT)
    pane.quiet()
    before = pane.screen()
    pane.resize(50, 15)
    screen = pane.wait_settled(ENLARGE, timeout=TIMEOUT)
    assert first_row[0] not in screen
    pane.resize(80, 24)
    pane.wait_settled(first_row, timeout=TIMEOUT)
    pane.quiet()
    assert pane.screen() == before  # every cell as it was


def test_no_mouse_never_turns_mouse_reporting_on(tmux, first_row):
    quiet = tmux.start("--no-mouse", log=True)
    mouse = tmux.start(log=True)
    for pane in (quiet, mouse):
        pane.wait_settled(first_row, timeout=TIMEOUT)
        pane.quiet()
    assert not MOUSE_ON.search(quiet.written())
    assert MOUSE_ON.search(mouse.written())  # the same check finds it when the mouse is on


def test_nothing_is_written_while_idle(tmux, first_row):
    pane = tmux.start(log=True)
    pane.wait_settled(first_row, timeout=TIMEOUT)
    # the detail is built ahead once the data and the screens' code are in, off the screen; Textual then draws
    # the main screen again, once (the same lines): part of the start-up, not of the idle time measured below
    start = pane.quiet(1.5)
    pane.send("j")  # one step down the list
    step = pane.quiet() - start
    before = len(pane.written())
    time.sleep(3)
    idle = len(pane.written()) - before
    print(f"bytes written at 80x24: start-up {start}, one step down {step}, 3 s idle {idle}")
    assert idle == 0
    assert 0 < step < 2_000 and start < 60_000  # the README gives the figures; these are loose ceilings


def test_the_detail_built_ahead_is_never_drawn_before_enter(tmux, first_row):
    # the detail's screen is built off the screen once the data is in (pushed and popped between two frames):
    # not a byte of it may reach the terminal before the Enter that opens it
    pane = tmux.start(log=True)
    pane.wait_settled(first_row, timeout=TIMEOUT)
    pane.quiet(1.0)  # the data loaded, the screens' code imported, the detail built
    assert b"in the list" not in pane.written() and b"Balance by year" not in pane.written()
    pane.send("Enter")
    pane.wait_for("in the list", timeout=TIMEOUT)


def test_keys_typed_before_the_app_has_the_terminal_are_all_kept(tmux, dataset):
    """j j Enter typed as tradegap starts: the Enter arrives as a newline (the terminal is still in line
    mode, which turns CR into NL) and must still open the third partner's detail."""
    from tui.trade import rank_partners

    third = str(rank_partners(dataset, dataset.latest).iloc[2]["name"])
    pane = tmux.start()
    pane.send("j", "j", "Enter")  # at once: long before the first screen is drawn
    screen = pane.wait_settled((third, "3 of "), timeout=TIMEOUT)
    assert screen.lstrip().startswith(third)


def test_at_80x24_every_screen_keeps_help_quit_and_the_release(tmux, first_row, dataset):
    """Read off the terminal: the footer's last keys and the status line's last part are not cut."""
    pane = tmux.start()
    pane.wait_settled(first_row, timeout=TIMEOUT)
    from tui.trade.releases import compact, release_of, sector_release_of

    figures = compact(release_of(dataset.catalog, dataset.latest))
    chapters = compact(sector_release_of(dataset.catalog, dataset.sector_years[-1]))
    # the Regions tab by its table's header: with the latest period's labels its status line has room for the
    # period, the basis and the release only
    releases = {"1 Partners": figures, "Region or bloc": figures, "HS chapters": chapters,
                "share: of the chapter": chapters, "Peak deficit": figures}
    for keys, shown in (((), "1 Partners"), (("2",), "Region or bloc"), (("3",), "HS chapters"),
                        (("Enter",), "share: of the chapter"), (("Enter",), "Peak deficit")):
        if keys:
            pane.send(*keys)
        lines = pane.wait_settled(shown, timeout=20).splitlines()
        footer, status = lines[-1], lines[-2]
        assert "? Help" in footer and "q Quit" in footer, (shown, footer)
        assert status.rstrip().endswith(releases[shown]), (shown, status)
