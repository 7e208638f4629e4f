"""Drive the real app with the shipped data and save an SVG of each screen.

    python screenshots/make_screenshots.py                    # every screen
    python screenshots/make_screenshots.py compare group-asean   # only these

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


SHOTS = ("partners", "detail-vietnam", "regions", "sectors", "help", "compare", "compare-chapters", "group-asean",
         "months-canada")


async def shoot(wanted: set[str]) -> None:
    from tui.app import TradeGapApp
    from tui.settings import Settings
    from tui.trade import find_partner, load_catalog

    async def settle(pilot) -> None:
        # a few rounds: what a worker's result updates (a title that now wraps) is laid out a frame later
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()

    def save(app, name: str) -> None:
        if name in wanted:
            app.save_screenshot(f"{name}.svg", str(HERE))

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
        save(app, "partners")

        # Vietnam from the ranking, so n/p would walk the whole list
        table = app.screen.query_one("#partners-table")
        await pilot.press("ctrl+home", *["j"] * table.keys.index(find_partner(app.state.dataset, "vietnam")), "enter")
        await settle(pilot)
        save(app, "detail-vietnam")
        await pilot.press("b", "ctrl+home", "2")
        await settle(pilot)
        save(app, "regions")

        await pilot.press("3")
        await settle(pilot)
        save(app, "sectors")

        await pilot.press("question_mark")
        await settle(pilot)
        save(app, "help")

        # China, Mexico and Vietnam (the first three rows of 2024) marked and compared; then the chapters
        await pilot.press("escape", "1", "ctrl+home", "space", "space", "space", "c")
        await settle(pilot)
        save(app, "compare")
        await pilot.press("space", "space")
        await settle(pilot)
        save(app, "compare-chapters")

        # ASEAN's detail from Regions & blocs
        await pilot.press("b", "u", "2", "ctrl+home")
        await settle(pilot)
        regions = app.screen.query_one("#regions-table")
        await pilot.press(*["j"] * regions.keys.index("ASEAN"), "enter", "h")  # its history and members as tables
        await settle(pilot)
        save(app, "group-asean")

        # Canada in March 2026: its history and months as tables
        await pilot.press("h", "b", "1", "y")
        await settle(pilot)
        await pilot.press(*"2026-03", "enter")
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"canada", "enter")
        await settle(pilot)
        await pilot.press("h", "space")
        await settle(pilot)
        save(app, "months-canada")


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(SHOTS))
    if unknown:
        print(f"unknown screenshot(s) {', '.join(unknown)}: choose from {', '.join(SHOTS)}", file=sys.stderr)
        return 2
    wanted = set(names or SHOTS)
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["TRADEGAP_CONFIG_DIR"] = str(Path(scratch) / "config")
        os.environ["TRADEGAP_CACHE_DIR"] = str(Path(scratch) / "cache")
        os.environ.pop("NO_COLOR", None)
        asyncio.run(shoot(wanted))
    for name in SHOTS:
        if name in wanted:
            print(HERE / f"{name}.svg")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
