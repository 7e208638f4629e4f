"""Cyclic garbage collection around the start of the app.

Importing pandas and Textual and drawing the first screen create some
hundred thousand objects that live as long as the process. The cyclic
garbage collector would walk them all several times over while they are
being created (about 25 ms of a start), and again in the first keystrokes.
The command line turns it off before those imports; once the app has loaded
the dataset in the background (pandas too), the objects that exist are frozen
out of every later collection and collection resumes. Nothing is skipped for
objects made after that.
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
