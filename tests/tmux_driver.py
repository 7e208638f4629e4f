"""Driving programs in real terminals: tmux panes, watched through one control-mode client.

Used by tests/test_terminal_tmux.py and by the benchmarks (benchmarks/terminal.py).

Every program runs in its own detached tmux session of a fixed size, on a
private tmux server (its own socket, no user config). We talk to that server
through a single `tmux -C` control client, so reading the screen costs a round
trip on a pipe rather than a new tmux process per look: the watcher takes as
little CPU as possible away from the program it watches.

"On screen" means in tmux's copy of the pane, exactly what a terminal attached
to it would show. Two ways to wait for it:

- `Pane.wait_for(expect)`: the first moment the screen shows `expect` (what a
  benchmark times). The frame may still be half drawn.
- `Pane.wait_settled(expect)`: the screen shows `expect`, the program used no
  CPU and the screen did not change between two looks `interval` apart (what a
  test checks). A busy machine only makes it take longer.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Queue

POLL_SECONDS = 0.002  # between looks while timing: short, a look is one round trip on a pipe
# between looks in the first FINE_SPAN of a wait: an answer that quick (the hello-world's key, the speed
# reference of the keys, about 2.5 ms) is timed to a few tenths of a millisecond, where 2 ms between looks
# put it on one of two values 2.3 ms apart, and the median of seven on whichever had four
FINE_POLL_SECONDS = 0.00025
FINE_SPAN = 0.010
SETTLE_SECONDS = 0.1  # between the two looks that must agree for a screen to count as settled


class TerminalError(RuntimeError):
    """tmux is missing, or a program did not show what was expected."""


def ensure_tmux() -> str:
    """The tmux executable, installed with apt-get when missing and we are root."""
    found = shutil.which("tmux")
    if found:
        return found
    if os.name == "posix" and os.geteuid() == 0 and shutil.which("apt-get"):
        print("tmux is missing: installing it with apt-get", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=False, env=env)
        subprocess.run(["apt-get", "install", "-y", "-qq", "tmux"], check=False, env=env)
        found = shutil.which("tmux")
        if found:
            return found
    raise TerminalError(
        "the terminal benchmarks need tmux: install it (e.g. `sudo apt-get install tmux` or "
        "`brew install tmux`), or run only the parts that do not need it: --only lookup scale"
    )


def terminal_env(base: Mapping[str, str] | None = None, drop: Iterable[str] = ()) -> dict[str, str]:
    """An environment for the tmux server: not nested in another tmux, UTF-8, without the names in `drop`.

    tmux reads and reports the screen in the server's locale, so it must be UTF-8; a pane can still
    run its program in another locale (launch's env). COLUMNS and LINES go (pytest-xdist sets them
    in its workers): a program that finds them takes its size from them and never sees a resize."""
    env = {k: v for k, v in (os.environ if base is None else base).items()
           if k not in ("TMUX", "TMUX_PANE", "LC_ALL", "COLUMNS", "LINES", *drop)}
    if "UTF-8" not in env.get("LANG", "").upper() and "UTF8" not in env.get("LANG", "").upper():
        env["LANG"] = "C.UTF-8"
    return env


@dataclass
class Expect:
    """What the screen must show: every text in all_of, none of the texts in none_of."""

    all_of: tuple[str, ...]
    none_of: tuple[str, ...] = ()
    at_least: dict[str, int] = field(default_factory=dict)  # text -> how many times it must appear

    def __post_init__(self) -> None:
        if isinstance(self.all_of, str):
            self.all_of = (self.all_of,)
        if isinstance(self.none_of, str):
            self.none_of = (self.none_of,)

    def met(self, screen: str) -> bool:
        return (
            all(t in screen for t in self.all_of)
            and not any(t in screen for t in self.none_of)
            and all(screen.count(t) >= k for t, k in self.at_least.items())
        )

    def __str__(self) -> str:
        text = " + ".join(repr(t) for t in self.all_of)
        if self.at_least:
            text += " + " + ", ".join(f"{k} x {t!r}" for t, k in self.at_least.items())
        if self.none_of:
            text += " without " + ", ".join(repr(t) for t in self.none_of)
        return text


def _expect(what: Expect | str | Iterable[str]) -> Expect:
    if isinstance(what, Expect):
        return what
    return Expect((what,) if isinstance(what, str) else tuple(what))


class Tmux:
    """A private tmux server and one control-mode client talking to it."""

    def __init__(self, width: int = 80, height: int = 24, env: Mapping[str, str] | None = None) -> None:
        self.tmux = ensure_tmux()
        self.width, self.height = width, height
        self.socket = f"tradegap-{os.getpid()}-{uuid.uuid4().hex[:6]}"
        self._env = terminal_env(env)
        self._lines: Queue[str | None] = Queue()
        self._proc = subprocess.Popen(
            [self.tmux, "-L", self.socket, "-f", os.devnull, "-C", "new-session", "-s", "home",
             "-x", str(width), "-y", str(height), "sleep 1000000"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=self._env, text=True, encoding="utf-8", errors="replace", bufsize=1,
        )  # fmt: skip
        threading.Thread(target=self._read, daemon=True).start()
        self._lock = threading.Lock()
        self._socket_path = ""
        try:
            self._wait_attached()
            self._socket_path = (self.command("display-message -p '#{socket_path}'") or [""])[0]
            self.command("refresh-client -f no-output")  # pane output is read with capture-pane, not streamed
            terminal = "tmux-256color" if _has_terminfo("tmux-256color") else "screen-256color"
            for option in (f"default-terminal {terminal}", "escape-time 0", "remain-on-exit on", "history-limit 0"):
                self.command(f"set-option -g {option}")
        except BaseException:
            self.close()
            raise

    def _wait_attached(self, timeout: float = 10.0) -> None:
        """Commands sent before the control client is attached fail: wait for its session."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self._lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except Empty:
                raise TerminalError("tmux did not start a control client") from None
            if line is None:
                raise TerminalError("tmux exited at start")
            if line.startswith("%session-changed"):
                return

    def _read(self) -> None:
        assert self._proc.stdout is not None
        for line in self._proc.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def command(self, line: str, timeout: float = 10.0) -> list[str]:
        """Run one tmux command; its output lines. Raises TerminalError on %error."""
        assert self._proc.stdin is not None
        with self._lock:
            token = uuid.uuid4().hex
            # a marker command after the real one tells our reply apart from earlier, unrelated blocks
            try:
                self._proc.stdin.write(f"{line}\ndisplay-message -p {token}\n")
                self._proc.stdin.flush()
            except (BrokenPipeError, ValueError):
                raise TerminalError("the tmux control client exited") from None
            blocks: list[tuple[bool, list[str]]] = []
            deadline = time.monotonic() + timeout
            current: list[str] | None = None
            while True:
                try:
                    text = self._lines.get(timeout=max(0.01, deadline - time.monotonic()))
                except Empty:
                    raise TerminalError(f"tmux did not answer {line!r}") from None
                if text is None:
                    raise TerminalError("the tmux control client exited")
                if current is None:
                    if text.startswith("%begin"):
                        current = []
                    continue  # notifications between blocks
                if text.startswith("%end") or text.startswith("%error"):
                    blocks.append((text.startswith("%error"), current))
                    current = None
                    if blocks[-1][1] == [token]:
                        break
                    continue
                current.append(text)
            failed, output = blocks[-2] if len(blocks) >= 2 else (False, [])
            if failed:
                raise TerminalError(f"tmux {line!r}: {' '.join(output)}")
            return output

    def launch(
        self,
        argv: list[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: str | Path | None = None,
        size: tuple[int, int] | None = None,
        log: Path | None = None,
    ) -> Pane:
        """Start a program in a new pane; the returned Pane's t0 is taken just before the launch.

        env: variables for this program only (TERM too, which tmux would otherwise set for the pane).
        log: keep every byte the program writes in this file (pipe-pane), from the first one."""
        name = "p" + uuid.uuid4().hex[:10]
        width, height = size or (self.width, self.height)
        parts = ["new-session", "-d", "-s", name, "-x", str(width), "-y", str(height)]
        if cwd is not None:
            parts += ["-c", str(cwd)]
        if env:
            argv = ["env", *(f"{k}={v}" for k, v in env.items()), *argv]
        if log is not None:
            # wait for a line on stdin before starting, so that pipe-pane is in place for the first byte
            argv = ["sh", "-c", 'read _ && exec "$@"', "sh", *argv]
        # exec: the pane's process is the program itself (env and sh exec it too), so its pid is the program's
        parts.append("exec " + shlex.join(argv))
        line = " ".join(_quote(p) if i else p for i, p in enumerate(parts))
        t0 = time.perf_counter()
        self.command(line)
        pane = Pane(self, name, t0, log)
        if log is not None:
            self.command(f"pipe-pane -o -t {pane.target} {_quote('cat >> ' + shlex.quote(str(log)))}")
            pane.send("Enter")
        return pane

    def close(self) -> None:
        with contextlib.suppress(TerminalError):
            self.command("kill-server", timeout=2)
        with contextlib.suppress(OSError):
            if self._proc.stdin is not None:
                self._proc.stdin.close()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        if self._socket_path.startswith("/"):
            Path(self._socket_path).unlink(missing_ok=True)  # tmux leaves it behind after kill-server

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Pane:
    tmux: Tmux
    name: str
    t0: float
    log: Path | None = None
    _pid: int | None = field(default=None, repr=False)

    @property
    def target(self) -> str:
        """The pane in a tmux command's words."""
        return _quote(self.name)

    def screen(self, escapes: bool = False) -> str:
        """What the pane shows; with escapes, the SGR sequences of its colours and attributes too."""
        return "\n".join(self.tmux.command(f"capture-pane -p{' -e' if escapes else ''} -t {self.target}"))

    def info(self, fmt: str) -> str:
        out = self.tmux.command(f"display-message -p -t {self.target} {_quote(fmt)}")
        return out[0] if out else ""

    @property
    def pid(self) -> int:
        if self._pid is None:
            self._pid = int(self.info("#{pane_pid}"))
        return self._pid

    def dead(self) -> bool:
        return self.info("#{pane_dead}") == "1"

    def send(self, *keys: str, literal: bool = False) -> float:
        """Send tmux key names (or literal text); the time just before sending."""
        flag = " -l" if literal else ""
        line = f"send-keys{flag} -t {self.target} " + " ".join(_quote(k) for k in keys)
        t = time.perf_counter()
        self.tmux.command(line)
        return t

    def resize(self, width: int, height: int) -> None:
        self.tmux.command(f"resize-window -t {self.target} -x {width} -y {height}")

    def wait_for(self, expect: Expect | str | Iterable[str], since: float | None = None,
                 timeout: float = 30.0) -> float:
        """Seconds from `since` (default: now) until the screen first meets `expect`.

        TerminalError on timeout or when the program exits."""
        expect = _expect(expect)
        started = time.perf_counter()
        since = started if since is None else since
        checks = 0
        while True:
            screen = self.screen()
            now = time.perf_counter()
            if expect.met(screen):
                return now - since
            checks += 1
            if now - since > timeout or (checks % 50 == 0 and self.dead()):
                why = "exited" if self.dead() else f"did not show it within {timeout:.0f} s"
                raise TerminalError(f"waiting for {expect}: the program {why}; last screen:\n{screen}")
            time.sleep(FINE_POLL_SECONDS if now - started < FINE_SPAN else POLL_SECONDS)

    def wait_settled(self, expect: Expect | str | Iterable[str] = (), timeout: float = 30.0,
                     interval: float = SETTLE_SECONDS, escapes: bool = False) -> str:
        """The screen once it meets `expect` and is settled: the program used no CPU and the screen
        did not change between two looks `interval` seconds apart.

        A half-drawn frame, or one about to be redrawn by work still under way, never passes.
        TerminalError on timeout or when the program exits."""
        expect = _expect(expect)
        deadline = time.monotonic() + timeout
        last: tuple[str, int] | None = None
        while True:
            screen = self.screen(escapes=escapes)
            now = (screen, _cpu_ticks(self.pid))
            plain = self.screen() if escapes else screen
            if now == last and expect.met(plain):
                return screen
            if time.monotonic() > deadline or self.dead():
                why = "exited" if self.dead() else f"did not settle on it within {timeout:.0f} s"
                raise TerminalError(f"waiting for {expect}: the program {why}; last screen:\n{plain}")
            last = now
            time.sleep(interval)

    def settle(self, quiet: float = 0.3, timeout: float = 10.0) -> None:
        """Wait until the program is idle: no CPU used and no screen change for `quiet` seconds.

        Gives up silently after `timeout` (a benchmark goes on; its next wait has its own deadline)."""
        start = time.perf_counter()
        last = (self.screen(), _cpu_ticks(self.pid))
        since = time.perf_counter()
        while time.perf_counter() - start < timeout:
            time.sleep(0.05)
            now = (self.screen(), _cpu_ticks(self.pid))
            if now != last:
                last, since = now, time.perf_counter()
            elif time.perf_counter() - since >= quiet:
                return

    def written(self) -> bytes:
        """Every byte the program has written so far (launched with log=...)."""
        return self.log.read_bytes() if self.log and self.log.exists() else b""

    def quiet(self, seconds: float = 0.5, timeout: float = 30.0) -> int:
        """Wait until the program has written nothing and used no CPU for `seconds`; the bytes written so far.

        Without the CPU check, a pause in writing while the program works (loading data on a busy
        machine) would pass for the end of its output."""
        deadline = time.monotonic() + timeout
        last = (len(self.written()), _cpu_ticks(self.pid))
        since = time.monotonic()
        while time.monotonic() - since < seconds:
            if time.monotonic() > deadline:
                raise TerminalError(f"the program kept writing or working for {timeout:.0f} s")
            time.sleep(0.05)
            now = (len(self.written()), _cpu_ticks(self.pid))
            if now != last:
                last, since = now, time.monotonic()
        return last[0]

    def memory(self) -> dict:
        """Peak and current resident memory of the pane's program, in MB (from /proc)."""
        return peak_memory(self.pid)

    def kill(self) -> None:
        with contextlib.suppress(TerminalError):
            self.tmux.command(f"kill-session -t {self.target}")


def peak_memory(pid: int) -> dict:
    status = Path(f"/proc/{pid}/status").read_text()
    values = {}
    for line in status.splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024  # kB -> MB
    return {"peak_mb": values.get("VmHWM"), "rss_mb": values.get("VmRSS")}


def _cpu_ticks(pid: int) -> int:
    """CPU time the process has used, in clock ticks (all its threads); -1 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime + stime
    except (OSError, IndexError, ValueError):
        return -1


def _quote(arg: str) -> str:
    """One word of tmux command syntax: single quotes keep everything literal."""
    if "'" not in arg:
        return f"'{arg}'"
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"').replace("$", "\\$") + '"'


def _has_terminfo(name: str) -> bool:
    if not shutil.which("infocmp"):
        return False
    return subprocess.run(["infocmp", name], capture_output=True).returncode == 0
