"""Cyclic garbage collection around the start of the app, and in the pauses between keys.

Importing pandas and Textual and drawing the first screen create some
hundred thousand objects that live as long as the process. The cyclic
garbage collector would walk them all several times over while they are
being created (about 25 ms of a start), and again in the first keystrokes.
The command line turns it off before those imports; once the app has loaded
the dataset in the background (pandas too), the objects that exist are frozen
out of every later collection and collection resumes. Nothing is skipped for
objects made after that.

Those later objects (the screens' code imported in the background, the detail
built ahead, the rows and strips each key draws and caches) build up in the
oldest generation: in a long session a full collection over them took 10-30 ms
and came, every few keys, in the middle of a key's answer. The app asks for one
when the keys stop for a moment instead (collect_in_pause), which also puts off
the next automatic one: Python starts a full collection only once a quarter as
many objects as the last one found have reached the oldest generation since.
"""

from __future__ import annotations

import gc

_deferred = False


def defer_collection() -> None:
    global _deferred
    if gc.isenabled():
        gc.disable()
        _deferred = True


def resume_collection(freeze: bool = True) -> None:
    """Collect again (freezing what exists first); a no-op unless defer_collection() turned it off."""
    global _deferred
    if _deferred:
        _deferred = False
        if freeze:
            gc.freeze()
        gc.enable()


def collect_in_pause() -> None:
    """A full collection now, while no key waits for an answer; none while the start defers collection."""
    if gc.isenabled():
        gc.collect()
