"""The two conditions every figure is measured in: the machine as it is, and a slow one.

"normal": the program runs as any program does, on every core.

"slow": the program is pinned to core 0 (`taskset -c 0`) and a CPU-bound neighbour (a busy
loop, also pinned to core 0) runs for the whole run. The program gets about half of one core,
and its threads (Textual's input and output threads, the background loading) share that half:
this is the shared server over SSH whose Python imports are 2-3x slower, and a key's Python work
with them. The neighbour is started just before each run and stopped right after it, so the
runs of the normal condition, which alternate with these, never meet it.

In-process timings (the scale part) pin the timing thread itself to core 0 and start the same
neighbour around each timed call of the slow condition.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

NORMAL, SLOW = "normal", "slow"
CONDITIONS = (NORMAL, SLOW)
CORE = 0
DESCRIPTION = {
    NORMAL: "the machine as it is",
    SLOW: f"pinned to core {CORE} (taskset -c {CORE}) with a busy-loop process on that core for the run",
}


def slow_available() -> str | None:
    """None when the slow condition can be set up here, else why not."""
    if shutil.which("taskset") is None:
        return "taskset is missing (util-linux): the slow condition is not measured"
    if not hasattr(os, "sched_setaffinity"):
        return "this system cannot pin a process to a core: the slow condition is not measured"
    try:
        if CORE not in os.sched_getaffinity(0):
            return f"core {CORE} is not available to this process: the slow condition is not measured"
    except OSError as error:
        return f"the cores available cannot be read ({error}): the slow condition is not measured"
    return None


def conditions() -> tuple[str, ...]:
    return CONDITIONS if slow_available() is None else (NORMAL,)


def argv_in(condition: str, command: list[str]) -> list[str]:
    """The command as run in this condition."""
    if condition == SLOW:
        return ["taskset", "-c", str(CORE), *command]
    return list(command)


@contextlib.contextmanager
def neighbour(condition: str) -> Iterator[None]:
    """In the slow condition, a busy loop on core 0 for the duration of the block."""
    if condition != SLOW:
        yield
        return
    # a shell's builtin loop: it spins at once (a Python one would first spend 20 ms starting up)
    process = subprocess.Popen(["taskset", "-c", str(CORE), "sh", "-c", "while :; do :; done"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_spinning(process.pid)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(process.pid, signal.SIGKILL)  # our own busy loop, by its pid
        process.wait()


def _wait_spinning(pid: int, timeout: float = 1.0) -> None:
    """Until the busy loop has used CPU time (it is past exec and spinning)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            if int(fields[11]) + int(fields[12]) > 0:
                return
        except (OSError, IndexError, ValueError):
            return  # no /proc: it is running by now in any case
        time.sleep(0.002)


@contextlib.contextmanager
def pinned_here(condition: str) -> Iterator[None]:
    """In the slow condition, the calling thread on core 0 beside a busy loop, for the block."""
    if condition != SLOW:
        yield
        return
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {CORE})
    try:
        with neighbour(condition):
            yield
    finally:
        os.sched_setaffinity(0, before)
