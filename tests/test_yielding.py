"""Background work steps aside while the main thread works, and goes on at once while it is idle."""

from __future__ import annotations

import sys
import threading
import time

import pytest

from tui import yielding
from tui.yielding import StepAside

pytestmark = pytest.mark.skipif(not hasattr(time, "pthread_getcpuclockid"), reason="no per-thread CPU clocks here")


def in_thread(work) -> dict:
    """Run work() in a thread while the main thread waits (idle); its result and how long it took."""
    out: dict = {}

    def run() -> None:
        start = time.monotonic()
        out["result"] = work()
        out["seconds"] = time.monotonic() - start

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=10)
    return out


def test_it_goes_on_at_once_while_the_main_thread_is_idle():
    step_aside = StepAside()

    def work() -> float:
        step_aside()  # the first look: the main thread has run since it was made (it started this thread)
        return _timed(lambda: [step_aside() for _ in range(20)])

    out = in_thread(work)  # the main thread waits for it: idle
    assert out["result"] < yielding.QUIET / 2


def test_it_waits_while_the_main_thread_works():
    step_aside = StepAside()
    done = {}

    def background() -> None:
        time.sleep(0.02)  # the main thread is busy by now
        start = time.monotonic()
        step_aside()
        done["waited"] = time.monotonic() - start
        done["at"] = time.monotonic()

    thread = threading.Thread(target=background)
    thread.start()
    busy_until = time.monotonic() + 0.15
    while time.monotonic() < busy_until:  # the main thread working (a key being answered)
        sum(range(1000))
    thread.join(timeout=10)
    # it went on only once the main thread had stopped, and had been quiet for QUIET
    assert done["at"] >= busy_until + yielding.QUIET * 0.8
    assert done["waited"] <= yielding.MAX_WAIT + 0.05


def test_it_never_waits_longer_than_max_wait():
    step_aside = StepAside()
    result = {}
    thread = threading.Thread(target=lambda: result.update(seconds=_timed(step_aside)))
    thread.start()
    busy_until = time.monotonic() + yielding.MAX_WAIT * 3
    while time.monotonic() < busy_until and thread.is_alive():
        sum(range(1000))
    thread.join(timeout=10)
    assert yielding.MAX_WAIT * 0.9 <= result["seconds"] <= yielding.MAX_WAIT + 0.1


def _timed(work) -> float:
    start = time.monotonic()
    work()
    return time.monotonic() - start


def test_imports_in_the_block_step_aside_and_the_interpreter_is_put_back():
    calls = []
    step_aside = StepAside()
    step_aside.__class__ = type("Counting", (StepAside,), {"__call__": lambda self: calls.append(1)})
    interval = sys.getswitchinterval()

    def work() -> None:
        with step_aside.around_imports():
            assert sys.getswitchinterval() <= yielding.SWITCH_INTERVAL
            import colorsys  # noqa: F401  (a module no test has imported yet, most likely)
            sys.modules.pop("colorsys", None)
            import colorsys  # noqa: F401, F811

    in_thread(work)
    assert len(calls) >= 1
    assert sys.getswitchinterval() == interval
    assert not any(type(finder).__name__ == "_StepAsideFinder" for finder in sys.meta_path)


def test_the_main_thread_imports_while_the_background_steps_aside(tmp_path, monkeypatch):
    """The import system's global lock is not held while the background thread waits: a module the main
    thread imports meanwhile comes at once."""
    for name in ("stepaside_background", "stepaside_main"):
        (tmp_path / f"{name}.py").write_text("VALUE = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    step_aside = StepAside()
    waiting = threading.Event()
    original = StepAside.__call__

    def call(self) -> None:
        waiting.set()
        original(self)

    monkeypatch.setattr(StepAside, "__call__", call)

    def background() -> None:
        with step_aside.around_imports():
            import stepaside_background  # noqa: F401  (waits while the main thread works)

    thread = threading.Thread(target=background)
    thread.start()
    assert waiting.wait(5)
    busy_until = time.monotonic() + 0.05
    while time.monotonic() < busy_until:  # the main thread working: the background is waiting
        sum(range(1000))
    start = time.monotonic()
    import stepaside_main  # noqa: F401

    took = time.monotonic() - start
    thread.join(timeout=10)
    assert took < yielding.QUIET / 2
    assert "stepaside_background" in sys.modules
