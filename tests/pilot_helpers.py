"""What the Pilot tests share."""

from __future__ import annotations

import contextlib

from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerFailed

ROUNDS = 10


def messages_pending(app: App) -> bool:
    """Whether the app or any of its widgets has a message waiting to be handled."""
    return not app._message_queue.empty() or any(not node._message_queue.empty() for node in list(app._registry))


def busy(app: App) -> bool:
    """A worker still running, a message still waiting, or a callback waiting for the next refresh
    (call_after_refresh: a screen focusing its table once mounted) or the next turn (call_next)."""
    return (
        any(not worker.is_finished for worker in app.workers)
        or messages_pending(app)
        or any(screen._callbacks for screen in app.screen_stack)
        or any(node._next_callbacks for node in [app, *app._registry])
    )


async def settle(pilot: Pilot) -> None:
    """Until the app's workers are done and the messages they and the keys sent are handled.

    Handling a message can start a worker, send more messages or leave a callback for the next
    refresh, so this goes round until a round leaves nothing to do."""
    app = pilot.app
    for _ in range(ROUNDS):
        # a failed worker is finished too: the app learns of the failure through its state, as the tests check
        with contextlib.suppress(WorkerFailed):
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not busy(app):
            return
    raise AssertionError(f"the app was still busy after {ROUNDS} rounds of waiting")


def screen_text(app: App) -> str:
    """What the terminal shows, as plain text: one line per row, the screens below a modal one included."""
    import io

    from rich.console import Console

    console = Console(width=app.size.width, file=io.StringIO(), force_terminal=True, color_system=None, record=True)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key, as a user would."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def choose(pilot: Pilot, text: str) -> None:
    """In the list just opened (palette, year, group, theme): type `text` and take the first match."""
    await type_text(pilot, text)
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
