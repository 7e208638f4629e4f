"""What the Pilot tests share."""

from __future__ import annotations


async def settle(pilot) -> None:
    """Until the app's workers are done and the messages they and the keys sent are handled."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
