"""The app in a real terminal: tmux runs it in a pane and we read what the pane shows and what it was sent.

Each test starts `python -m tui` in its own pane on a private tmux server (no
user configuration), waits for what it expects with a deadline, and looks at
the screen (capture-pane, with -e for colours) or at the bytes the app wrote
(pipe-pane). Skipped when tmux is not installed.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

TMUX = shutil.which("tmux")
pytestmark = pytest.mark.skipif(TMUX is None, reason="tmux is not installed")

START_TIMEOUT = 30  # seconds: a cold start in CI imports pandas and Textual and parses the data
ENLARGE = "Enlarge the terminal to at least 60x20"
MOUSE_ON = re.compile(rb"\x1b\[\?(1000|1002|1003|1006|1015)h")
# SGR colour parameters: 30-37 40-47 90-97 100-107, and 38/48 for 256 and RGB colours (39/49 are the
# terminal's own default colours)
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
COLOUR_PARAM = re.compile(r"^(3[0-7]|4[0-7]|9[0-7]|10[0-7])$")


class Tmux:
    """A private tmux server; each pane runs one program."""

    def __init__(self, workdir: Path) -> None:
        self.socket = f"tradegap-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.workdir = workdir
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR", "COLORTERM", "TRADEGAP_ASCII")}
        env["LANG"] = "C.UTF-8"  # tmux itself reads and reports the screen in UTF-8
        env.pop("LC_ALL", None)
        self.env = env
        self.run("new-session", "-d", "-s", "home", "-x", "80", "-y", "24", "sleep 600")
        term = "tmux-256color" if subprocess.run(["infocmp", "tmux-256color"], capture_output=True).returncode == 0 \
            else "screen-256color"
        for option in (f"default-terminal {term}", "escape-time 0", "remain-on-exit on"):
            self.run("set-option", "-g", *option.split())

    def run(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-L", self.socket, "-f", os.devnull, *args], capture_output=True, text=True,
                                env=self.env, timeout=20)
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, *app_args: str, env: dict[str, str] | None = None, size=(80, 24), log: bool = False) -> Pane:
        """Run tradegap in a new pane; with log=True every byte it writes is kept (pipe-pane) from the first."""
        name = "p" + uuid.uuid4().hex[:8]
        variables = {"TRADEGAP_CONFIG_DIR": str(self.workdir / name / "config"),
                     "TRADEGAP_CACHE_DIR": str(self.workdir / "cache"), **(env or {})}
        command = ["env", *[f"{k}={v}" for k, v in variables.items()], sys.executable, "-m", "tui", *app_args]
        if log:
            # wait for a line on stdin before starting, so that pipe-pane is in place for the first byte
            command = ["sh", "-c", 'read _ && exec "$@"', "sh", *command]
        # from a directory of its own: `python -m tui` must find the installed package, not a checkout's
        self.run("new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), "-c", str(self.workdir),
                 " ".join(_quote(a) for a in command))
        pane = Pane(self, name, self.workdir / f"{name}.bytes" if log else None)
        if log:
            self.run("pipe-pane", "-o", "-t", name, f"cat >> {_quote(str(pane.log))}")
            self.run("send-keys", "-t", name, "Enter")
        return pane

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.run("kill-server")


class Pane:
    def __init__(self, tmux: Tmux, name: str, log: Path | None) -> None:
        self.tmux, self.name, self.log = tmux, name, log

    def screen(self, escapes: bool = False) -> str:
        return self.tmux.run("capture-pane", "-p", *(["-e"] if escapes else []), "-t", self.name)

    def keys(self, *keys: str) -> None:
        self.tmux.run("send-keys", "-t", self.name, *keys)

    def resize(self, width: int, height: int) -> None:
        self.tmux.run("resize-window", "-t", self.name, "-x", str(width), "-y", str(height))

    def wait_for(self, *texts: str, timeout: float = START_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{texts} did not appear within {timeout}s; the screen shows:\n{screen}")
            time.sleep(0.05)

    def written(self) -> bytes:
        return self.log.read_bytes() if self.log and self.log.exists() else b""

    def quiet(self, seconds: float = 0.5, timeout: float = 10) -> int:
        """Wait until nothing has been written for `seconds`; the number of bytes written so far."""
        deadline = time.monotonic() + timeout
        size, since = len(self.written()), time.monotonic()
        while time.monotonic() - since < seconds:
            if time.monotonic() > deadline:
                raise AssertionError("the app kept writing")
            time.sleep(0.05)
            now = len(self.written())
            if now != size:
                size, since = now, time.monotonic()
        return size


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


@pytest.fixture(scope="module")
def tmux(tmp_path_factory):
    server = Tmux(tmp_path_factory.mktemp("tmux"))
    yield server
    server.close()


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
    screen = pane.wait_for(*first_row, "1 Partners")
    assert len(screen.splitlines()) <= 24
    assert not screen.isascii()  # UTF-8 glyphs in a UTF-8 locale, so the next test can tell the difference


def test_a_c_locale_puts_only_ascii_on_screen(tmux, first_row):
    pane = tmux.start(env={"LANG": "C", "LC_ALL": "C"})
    screen = pane.wait_for(*first_row, "[1 Partners]")
    assert screen.isascii(), sorted({ch for ch in screen if not ch.isascii()})
    pane.keys("Enter")  # the detail's charts too
    screen = pane.wait_for("Peak deficit")
    assert screen.isascii(), sorted({ch for ch in screen if not ch.isascii()})


def test_the_linux_console_gets_16_colours(tmux, first_row):
    pane = tmux.start(env={"TERM": "linux"})
    pane.wait_for(*first_row)
    params = colour_params(pane.screen(escapes=True))
    assert params and not params & {"38", "48"}, params  # only the 16 ANSI colours, no 256 or RGB


def test_no_color_means_no_colour(tmux, first_row):
    pane = tmux.start(env={"NO_COLOR": "1"})
    pane.wait_for(*first_row)
    assert colour_params(pane.screen(escapes=True)) == set()
    plain = tmux.start()
    plain.wait_for(*first_row)
    assert colour_params(plain.screen(escapes=True))  # without NO_COLOR the same check finds colours


def test_too_small_asks_to_enlarge_and_growing_back_restores(tmux, first_row):
    pane = tmux.start(log=True)
    pane.wait_for(*first_row)
    pane.quiet()
    before = pane.screen()
    pane.resize(50, 15)
    screen = pane.wait_for(ENLARGE, timeout=10)
    assert first_row[0] not in screen
    pane.resize(80, 24)
    pane.wait_for(*first_row, timeout=10)
    pane.quiet()
    assert pane.screen() == before  # every cell as it was


def test_no_mouse_never_turns_mouse_reporting_on(tmux, first_row):
    quiet = tmux.start("--no-mouse", log=True)
    mouse = tmux.start(log=True)
    for pane in (quiet, mouse):
        pane.wait_for(*first_row)
        pane.quiet()
    assert not MOUSE_ON.search(quiet.written())
    assert MOUSE_ON.search(mouse.written())  # the same check finds it when the mouse is on


def test_nothing_is_written_while_idle(tmux, first_row):
    pane = tmux.start(log=True)
    pane.wait_for(*first_row)
    start = pane.quiet()
    pane.keys("j")  # one step down the list
    step = pane.quiet() - start
    before = len(pane.written())
    time.sleep(3)
    idle = len(pane.written()) - before
    print(f"bytes written at 80x24: start-up {start}, one step down {step}, 3 s idle {idle}")
    assert idle == 0
    assert 0 < step < 2_000 and start < 60_000  # the README gives the figures; these are loose ceilings
