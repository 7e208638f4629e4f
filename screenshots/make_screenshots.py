"""Drive the real app with the shipped data and save an SVG of each screen.

    python screenshots/make_screenshots.py

Settings and cache go to a temporary directory, so your own filters are
neither used nor changed.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SIZE = (120, 36)


async def shoot() -> None:
    from tui.app import TradeGapApp
    from tui.settings import Settings
    from tui.trade import find_partner, load_catalog

    async def settle(pilot) -> None:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    # the shipped data, not a dataset `tradegap update` may have put in the user's data directory
    app = TradeGapApp(catalog=load_catalog(HERE.parent / "data"), settings=Settings(), ascii=False,
                      theme="textual-dark")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        # 2024, the last complete year, as a new user would pick it
        await pilot.press("y", "2", "0", "2", "4")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        app.save_screenshot("partners.svg", str(HERE))

        # Vietnam from the ranking, so n/p would walk the whole list
        table = app.screen.query_one("#partners-table")
        await pilot.press("ctrl+home", *["j"] * table.keys.index(find_partner(app.state.dataset, "vietnam")), "enter")
        await settle(pilot)
        app.save_screenshot("detail-vietnam.svg", str(HERE))
        await pilot.press("b", "ctrl+home", "2")
        await settle(pilot)
        app.save_screenshot("regions.svg", str(HERE))

        await pilot.press("3")
        await settle(pilot)
        app.save_screenshot("sectors.svg", str(HERE))

        await pilot.press("question_mark")
        await settle(pilot)
        app.save_screenshot("help.svg", str(HERE))


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["TRADEGAP_CONFIG_DIR"] = str(Path(scratch) / "config")
        os.environ["TRADEGAP_CACHE_DIR"] = str(Path(scratch) / "cache")
        os.environ.pop("NO_COLOR", None)
        asyncio.run(shoot())
    for name in ("partners", "detail-vietnam", "regions", "sectors", "help"):
        print(HERE / f"{name}.svg")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main())
