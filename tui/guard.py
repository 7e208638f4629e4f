"""The process's standard files and the terminal: what tradegap does when they are not what it expects.

No Textual, pandas or asyncio imported here: the command line uses
plug_closed_std_fds() before anything else, and the app the terminal functions
below (TradeGapApp.run, through on_terminal).
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Iterator, Mapping

try:
    import termios
except ImportError:  # not a POSIX terminal: nothing to save or put back by hand
    termios = None  # type: ignore[assignment]

STD_NAMES = {0: "stdin", 1: "stdout", 2: "stderr"}


def _is_open(fd: int) -> bool:
    try:
        os.fstat(fd)
    except OSError:
        return False
    return True


def plug_closed_std_fds() -> frozenset[int]:
    """Open /dev/null on any of fds 0, 1 and 2 that is closed (`tradegap >&-`), and give sys a stream for it.

    Otherwise the next file tradegap opens (a settings file, a data file) would take the closed
    number and a print would write into it. Returns the fds that were closed, so that a command can
    refuse to run with nowhere to write.
    """
    closed = set()
    for fd in (0, 1, 2):
        if getattr(sys, STD_NAMES[fd]) is not None and _is_open(fd):
            continue
        closed.add(fd)
        if not _is_open(fd):
            try:
                null = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        try:
            stream = open(fd, "r" if fd == 0 else "w", closefd=False, errors="backslashreplace",  # noqa: SIM115
                          buffering=-1 if fd == 0 else 1)
        except OSError:
            continue
        name = STD_NAMES[fd]
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    return frozenset(closed)


def discard(stream: object) -> None:
    """Point the file under a stream that failed (a broken pipe, a full disk) at /dev/null, so that
    the flush at exit neither fails again nor turns the exit status into 120."""
    try:
        fd = stream.fileno()  # type: ignore[attr-defined]
        null = os.open(os.devnull, os.O_WRONLY)
    except (AttributeError, OSError, ValueError):
        return
    try:
        os.dup2(null, fd)
    except OSError:
        pass
    finally:
        os.close(null)


# ---------------------------------------------------------------- the app's terminal

#: What the app's terminal is put back to when it cannot be left the ordinary way (see _last_resort):
#: keyboard protocol, alternate screen, cursor, focus events, mouse reporting, bracketed paste, autowrap.
RESTORE_SEQUENCE = ("\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1004l\x1b[?1000l\x1b[?1003l\x1b[?1015l\x1b[?1006l"
                    "\x1b[?1016l\x1b[?2004l\x1b[?7h")
#: Signals that end the app with the terminal restored and status 128 + the signal's number: those
#: whose default action ends the process. SIGINT is one: Ctrl-C typed in the app is a key, but a SIGINT
#: sent from outside (`kill -INT`) was taken by asyncio's own handler, which cancels the app and left
#: status 0, as if it had been quit; asyncio leaves a handler of ours in place. (Ctrl-Z and SIGCONT are
#: Textual's; SIGPIPE and SIGXFSZ Python ignores; SIGPROF and SIGVTALRM are left to profilers.)
EXIT_SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM")
#: After such a signal, the app has this long to leave the terminal the ordinary way.
EXIT_GRACE = 3.0
NOT_A_TERMINAL = "not a terminal: use `tradegap top ...` and the other commands for tables"


def forget_stale_size() -> None:
    """Drop COLUMNS and LINES before the app is made: Rich and Textual would take them for the terminal's
    size (a stale 500x200 drew a blank screen, even after a real resize); the terminal itself says it."""
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)


class NoTerminal(Exception):
    """The app cannot run here (no terminal, or one that cannot show it): the one-line reason."""


def terminal_problem(env: Mapping[str, str] | None = None) -> str | None:
    """Why the app cannot be shown, judged from the environment alone (TERM=dumb)."""
    term = (os.environ if env is None else env).get("TERM", "")
    if term.strip().lower() == "dumb":
        return "TERM=dumb cannot show the app: use `tradegap top ...` and the other commands for tables"
    return None


def _open_terminal() -> int | None:
    """A file descriptor on the controlling terminal, or None when the process has none."""
    flags = os.O_RDWR | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        return os.open("/dev/tty", flags)
    except OSError:
        return None


def _is_tty(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


class _Session:
    """What on_terminal() changed, to be put back."""

    def __init__(self) -> None:
        self.saved_fds: dict[int, int] = {}
        self.saved_streams: dict[str, object] = {}
        self.saved_env: dict[str, str] = {}
        self.saved_handlers: dict[int, object] = {}
        self.tty: int | None = None
        self.attrs: list | None = None
        self.signalled: int | None = None

    def point_at_terminal(self, tty: int) -> None:
        """fds 0 and 2 (where Textual reads keys and writes the screen) on the terminal, if they are not."""
        for fd, name, mode in ((0, "stdin", "r"), (2, "stderr", "w")):
            if _is_tty(fd):
                continue
            if _is_open(fd):
                self.saved_fds[fd] = os.dup(fd)
            os.dup2(tty, fd)
            stream = getattr(sys, f"__{name}__")
            if stream is None or _fileno(stream) != fd:  # e.g. started with it closed, not through main()
                self.saved_streams[name] = stream
                new = open(fd, mode, closefd=False, errors="backslashreplace",  # noqa: SIM115
                           buffering=-1 if fd == 0 else 1)
                setattr(sys, f"__{name}__", new)
                if getattr(sys, name) is None:
                    self.saved_streams[f"_{name}"] = None
                    setattr(sys, name, new)

    def restore(self) -> None:
        for signum, handler in self.saved_handlers.items():
            with contextlib.suppress(OSError, ValueError):
                signal.signal(signum, handler)  # type: ignore[arg-type]
        for fd, saved in self.saved_fds.items():
            if fd == 2 and sys.stderr is not None:
                with contextlib.suppress(OSError, ValueError):
                    sys.stderr.flush()  # what was written for the terminal goes there
            os.dup2(saved, fd)
            os.close(saved)
        for name, stream in self.saved_streams.items():
            if name.startswith("_"):
                setattr(sys, name[1:], stream)
            else:
                setattr(sys, f"__{name}__", stream)
        os.environ.update(self.saved_env)
        if self.tty is not None:
            os.close(self.tty)


def _fileno(stream: object) -> int | None:
    try:
        return stream.fileno()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ValueError):
        return None


@contextlib.contextmanager
def on_terminal(app: object) -> Iterator[_Session]:
    """Run the app (inside the with block) on the controlling terminal, whatever stdin and stderr are.

    - TERM=dumb, or no controlling terminal (cron, `setsid ... </dev/null >log`): NoTerminal, before
      anything is written.
    - Textual reads keys from fd 0 and draws on fd 2: each that is not a terminal (`2>/dev/null`,
      `2>file`, `2>&-`, `</dev/null`, `<&-`) points at /dev/tty for the app's lifetime, and is
      given back afterwards, so that messages after the app go where the user sent them.
    - COLUMNS and LINES, which would override the terminal's real size, are dropped meanwhile.
    - SIGTERM, SIGHUP and SIGQUIT end the app the ordinary way, restoring the terminal, with
      status 128 + the signal's number (app.return_code); if it has not ended EXIT_GRACE seconds
      later, or at a second signal, the terminal is reset by hand and the process exits at once.
    """
    problem = terminal_problem()
    if problem:
        raise NoTerminal(problem)
    session = _Session()
    session.tty = _open_terminal()
    if session.tty is None and not (_is_tty(0) and _is_tty(2)):
        raise NoTerminal(NOT_A_TERMINAL)
    try:
        if session.tty is not None:
            session.point_at_terminal(session.tty)
        for name in ("COLUMNS", "LINES"):
            if name in os.environ:
                session.saved_env[name] = os.environ.pop(name)
        if termios is not None:
            with contextlib.suppress(OSError, termios.error):
                session.attrs = termios.tcgetattr(session.tty if session.tty is not None else 0)
        _exit_on_signals(app, session)
        yield session
    finally:
        session.restore()


def _exit_on_signals(app: object, session: _Session) -> None:
    import asyncio  # here, not at the top: the commands import this module and need neither
    import functools
    import threading

    def handler(signum: int, frame: object) -> None:
        status = 128 + signum
        if session.signalled is not None:  # a second signal: do not wait any longer
            _last_resort(session, status)
        session.signalled = signum
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        if loop is None:  # the app is not running (yet, or any more): nothing of the terminal to restore
            _last_resort(session, status)
            return
        loop.call_soon_threadsafe(functools.partial(app.exit, None, status))  # type: ignore[attr-defined]
        timer = threading.Timer(EXIT_GRACE, _last_resort, args=(session, status))
        timer.daemon = True
        timer.start()

    for name in EXIT_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        with contextlib.suppress(OSError, ValueError):  # ValueError: not the main thread (a test's thread)
            session.saved_handlers[signum] = signal.signal(signum, handler)


def _last_resort(session: _Session, status: int) -> None:
    """Put the terminal back by hand and exit now (the app did not end in time, or is not running)."""
    fd = session.tty if session.tty is not None else 2
    with contextlib.suppress(OSError):
        os.write(fd, RESTORE_SEQUENCE.encode())
    if session.attrs is not None and termios is not None:
        with contextlib.suppress(OSError, termios.error):
            termios.tcsetattr(fd, termios.TCSANOW, session.attrs)
    os._exit(status)
