"""Work in a background thread that steps aside while the main thread is working.

The app draws its first screen, then loads pandas and the full dataset in a
thread. Python runs one thread at a time: a thread importing hundreds of
modules holds the interpreter most of the time, and the event loop, which
answers keys, has to wait for its turn at every step it takes (on a machine
short of CPU, a key typed then was answered a second later). So the loading
thread looks, between two modules it imports and between the steps of the
load, at the main thread's CPU clock: when the main thread has been busy in
the last QUIET seconds (a key is being answered: it used more than BUSY of
the time since the last look), the loading thread sleeps until it has been
quiet that long. Keys are answered as if nothing else ran; the loading goes
on in the gaps, and past the odd timer (a spinner's frame). It never waits
more than MAX_WAIT at a time, so it cannot hold up a main thread that is
itself waiting for it.

Plain Python (no Textual, no pandas).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from importlib.abc import Loader, MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any

QUIET = 0.025  # longer than the gap between two frames of one answer (Textual draws at most 60 a second)
BUSY = 0.25  # the share of the time the main thread ran, since the last look, that makes it busy
BUSY_MIN = 0.002  # seconds: it ran at least this long
MAX_WAIT = 0.25
NAP = 0.004
#: How soon the interpreter hands over to a thread that waits for it, while the background works.
SWITCH_INTERVAL = 0.001


class StepAside:
    """Call it between two steps of background work: it returns once the main thread is quiet."""

    def __init__(self) -> None:
        self._clock: int | None = None
        main = threading.main_thread().ident
        with contextlib.suppress(AttributeError, OSError, TypeError):  # no per-thread clocks here: never waits
            if main is not None:
                self._clock = time.pthread_getcpuclockid(main)
        self._main_cpu = self._main_time()
        self._looked = self._main_active = time.monotonic()
        self.waited = 0.0  # seconds spent waiting, in all
        self.enabled = True  # False: work on without looking (what the main thread is about to need)

    def _main_time(self) -> float:
        return time.clock_gettime(self._clock) if self._clock is not None else 0.0

    def __call__(self) -> None:
        if self._clock is None or not self.enabled or threading.current_thread() is threading.main_thread():
            return
        start = time.monotonic()
        while True:
            cpu, now = self._main_time(), time.monotonic()
            ran, elapsed = cpu - self._main_cpu, now - self._looked
            if ran > max(BUSY_MIN, BUSY * elapsed):  # the main thread worked since the last look
                self._main_active = now
            self._main_cpu, self._looked = cpu, now
            if now - self._main_active >= QUIET or now - start >= MAX_WAIT:
                break
            time.sleep(NAP)
        self.waited += time.monotonic() - start

    @contextlib.contextmanager
    def around_imports(self) -> Iterator[StepAside]:
        """Within the block, step aside before each module this thread imports; the interpreter also
        switches threads sooner than usual."""
        finder = _StepAsideFinder(self, threading.get_ident())
        interval = sys.getswitchinterval()
        sys.meta_path.insert(0, finder)
        sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
        try:
            yield self
        finally:
            sys.setswitchinterval(interval)
            with contextlib.suppress(ValueError):
                sys.meta_path.remove(finder)


class _StepAsideFinder(MetaPathFinder):
    """Finds a module as the finders after it do, and has its loader step aside before making it.

    Not in find_spec itself: the import system calls finders holding its global lock, and the main
    thread could then import nothing while this thread sleeps. A loader runs with only its own
    module's lock held."""

    def __init__(self, step_aside: StepAside, thread: int) -> None:
        self.step_aside = step_aside
        self.thread = thread
        self._finding = False

    def find_spec(self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None) -> ModuleSpec | None:
        if threading.get_ident() != self.thread or self._finding:
            return None
        self._finding = True
        try:
            for finder in sys.meta_path:
                find = getattr(finder, "find_spec", None) if finder is not self else None
                spec = find(fullname, path, target) if find is not None else None
                if spec is not None:
                    if spec.loader is not None and hasattr(spec.loader, "exec_module"):
                        spec.loader = _StepAsideLoader(spec.loader, self.step_aside)
                    return spec
            return None
        finally:
            self._finding = False


class _StepAsideLoader(Loader):
    """A module's own loader, after a step aside; the module is made by, and knows, its own loader."""

    def __init__(self, loader: Any, step_aside: StepAside) -> None:
        self.loader = loader
        self.step_aside = step_aside

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        self.step_aside()
        spec.loader = self.loader  # the import goes on with the module's own loader (it executes it)
        return self.loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:  # only if create_module was not asked first
        self.loader.exec_module(module)
