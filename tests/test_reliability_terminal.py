"""The app and its terminal: signals, redirected or closed stdin and stderr, no terminal at all, stale sizes.

The tmux tests run `python -m tui` (this checkout) in a pane of a private tmux
server, inside a small shell script that records the terminal's settings
before and after and prints the exit status, so that the pane stays alive and
tmux can be asked how the app left the terminal: alternate screen, cursor,
mouse reporting, autowrap (`display -p` formats).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tui import locations

ROOT = Path(__file__).resolve().parent.parent
TMUX = shutil.which("tmux")
START_TIMEOUT = 40
FIRST_SCREEN = "1 Partners"
RESTORED = {"alternate_on": "0", "cursor_flag": "1", "mouse_any_flag": "0", "wrap_flag": "1"}


def _quote(arg: str) -> str:
    return "'" + arg.replace("'", "'\\''") + "'"


class Server:
    def __init__(self, workdir: Path) -> None:
        self.socket = f"tradegap-reliability-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self.workdir = workdir
        env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "NO_COLOR", "COLORTERM", "TRADEGAP_ASCII",
                                                                 "COLUMNS", "LINES", "LC_ALL")}
        env["LANG"] = "C.UTF-8"
        self.env = env
        self.tmux("new-session", "-d", "-s", "home", "-x", "80", "-y", "24", "sleep 600")
        for option in ("default-terminal screen-256color", "escape-time 0"):
            self.tmux("set-option", "-g", *option.split())

    def tmux(self, *args: str) -> str:
        result = subprocess.run([TMUX, "-L", self.socket, "-f", os.devnull, *args], capture_output=True, text=True,
                                env=self.env, timeout=20)
        if result.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)}: {result.stderr.strip()}")
        return result.stdout

    def start(self, redirections: str = "", env: dict[str, str] | None = None) -> Pane:
        name = "p" + uuid.uuid4().hex[:8]
        here = self.workdir / name
        here.mkdir()
        variables = {"PYTHONPATH": str(ROOT), "TRADEGAP_CONFIG_DIR": str(here / "config"),
                     "TRADEGAP_CACHE_DIR": str(self.workdir / "cache"), **(env or {})}
        app = " ".join(_quote(a) for a in ["env", *[f"{k}={v}" for k, v in variables.items()], sys.executable,
                                           "-m", "tui"])
        # app.sh writes its pid and becomes the app (exec keeps the pid); run.sh around it outlives it
        (here / "app.sh").write_text(f'echo $$ > "{here}/pid"\nexec {app} {redirections.format(here=here)}\n')
        script = here / "run.sh"
        script.write_text(f'stty -g > "{here}/before"\nsh "{here}/app.sh"\necho "status=$?"\n'
                          f'stty -g > "{here}/after"\nexec sleep 600\n')
        self.tmux("new-session", "-d", "-s", name, "-x", "80", "-y", "24", "-c", str(here), f"sh {_quote(str(script))}")
        return Pane(self, name, here)

    def close(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.tmux("kill-server")


class Pane:
    def __init__(self, server: Server, name: str, here: Path) -> None:
        self.server, self.name, self.here = server, name, here

    def screen(self) -> str:
        return self.server.tmux("capture-pane", "-p", "-t", self.name)

    def wait_for(self, text: str, timeout: float = START_TIMEOUT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if text in screen:
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"{text!r} did not appear within {timeout}s; the screen shows:\n{screen}")
            time.sleep(0.1)

    def keys(self, *keys: str) -> None:
        self.server.tmux("send-keys", "-t", self.name, *keys)

    @property
    def pid(self) -> int:
        return int((self.here / "pid").read_text())

    def flags(self) -> dict[str, str]:
        names = list(RESTORED)
        values = self.server.tmux("display", "-p", "-t", self.name, " ".join(f"#{{{n}}}" for n in names)).split()
        return dict(zip(names, values, strict=True))

    def status(self) -> int:
        screen = self.wait_for("status=", timeout=20)
        return int(screen.split("status=")[1].split()[0])

    def terminal_restored(self) -> None:
        """After the app: the terminal as before it (tmux's view, and the tty's own settings)."""
        deadline = time.monotonic() + 10
        while not (self.here / "after").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert self.flags() == RESTORED
        assert (self.here / "after").read_text() == (self.here / "before").read_text()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    if TMUX is None:
        pytest.skip("tmux is not installed")
    server = Server(tmp_path_factory.mktemp("tmux"))
    yield server
    server.close()


@pytest.mark.tmux
@pytest.mark.slow
@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGALRM"])
def test_a_signal_restores_the_terminal_and_exits_128_plus_its_number(server, name):
    pane = server.start()
    pane.wait_for(FIRST_SCREEN)
    assert pane.flags()["alternate_on"] == "1"
    os.kill(pane.pid, getattr(signal, name))
    assert pane.status() == 128 + getattr(signal, name)
    pane.terminal_restored()


@pytest.mark.tmux
@pytest.mark.slow
@pytest.mark.parametrize(
    "redirections",
    ["2>/dev/null", "2>{here}/stderr.txt", "2>&-", "<&-", "</dev/null", ">/dev/null 2>&1 </dev/null", ">&-"],
)
def test_the_app_draws_on_the_terminal_whatever_stdin_and_stderr_are(server, redirections):
    pane = server.start(redirections)
    pane.wait_for(FIRST_SCREEN)
    pane.keys("v")  # keys reach it
    pane.wait_for("surplus")
    pane.keys("q")
    assert pane.status() == 0
    pane.terminal_restored()
    if "stderr.txt" in redirections:  # the screen went to the terminal, not the file
        assert "\x1b" not in (pane.here / "stderr.txt").read_text(errors="replace")


@pytest.mark.tmux
@pytest.mark.slow
def test_stale_columns_and_lines_do_not_override_the_real_size(server):
    pane = server.start(env={"COLUMNS": "500", "LINES": "200"})
    pane.wait_for(FIRST_SCREEN)
    lines = pane.wait_for("q Quit").splitlines()  # the footer, drawn last
    assert lines[0].startswith(" " + FIRST_SCREEN)
    assert len(lines) == 24 and "q Quit" in lines[23] and max(map(len, lines)) <= 80, lines
    pane.keys("q")
    assert pane.status() == 0


# ---------------------------------------------------------------- no terminal


def _app(env: dict[str, str] | None = None, **options) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "TRADEGAP_CONFIG_DIR": str(locations.config_dir()),
                   "TRADEGAP_CACHE_DIR": str(locations.cache_dir()), **(env or {})}
    return subprocess.run([sys.executable, "-m", "tui"], env=environment, timeout=60, cwd=ROOT,
                          capture_output=True, **options)


def test_no_controlling_terminal_is_one_line_and_status_2():
    result = _app(stdin=subprocess.DEVNULL, start_new_session=True)  # as from cron or `setsid ... </dev/null`
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr == b"tradegap: not a terminal: use `tradegap top ...` and the other commands for tables\n"


def test_term_dumb_is_refused_in_one_line():
    result = _app(env={"TERM": "dumb"}, stdin=subprocess.DEVNULL, start_new_session=True)
    assert result.returncode == 2
    assert result.stderr.count(b"\n") == 1 and b"TERM=dumb" in result.stderr and b"\x1b" not in result.stderr


def test_no_terminal_leaves_the_environment_and_settings_alone(monkeypatch):
    """In process: NoTerminal is raised before anything is changed, and run() says it in one line."""
    from tui import guard

    monkeypatch.setattr(guard, "_open_terminal", lambda: None)
    monkeypatch.setattr(guard, "_is_tty", lambda fd: False)
    monkeypatch.setenv("COLUMNS", "500")
    handlers = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)}
    with pytest.raises(guard.NoTerminal), guard.on_terminal(object()):
        pass
    assert os.environ["COLUMNS"] == "500"
    assert {s: signal.getsignal(s) for s in handlers} == handlers
