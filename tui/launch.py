"""`tradegap` with no command: read the settings and the catalog, run the app, say what went wrong after.

Nothing here imports pandas: the app draws its first screen from the catalog
(tui.trade.catalog) and loads the full dataset in the background.
"""

from __future__ import annotations

import sys

from tui import locations
from tui.guard import NoTerminal
from tui.settings import Settings, load_settings, save_settings
from tui.terminal import initial_theme
from tui.trade.catalog import load_catalog
from tui.trade.schema import DataError, require_files


def run(theme: str | None = None, mouse: bool = True, reset: bool = False) -> int:
    """Start the app; returns the exit status (1: the data could not be read, 2: a usage mistake)."""
    from textual.theme import BUILTIN_THEMES

    if theme and theme not in BUILTIN_THEMES:
        print(f"tradegap: unknown theme {theme[:64]!r} (choose from {', '.join(sorted(BUILTIN_THEMES))})", file=sys.stderr)
        return 2
    try:
        data = locations.data_dir()
        require_files(data)
        catalog = load_catalog(data, totals_on_demand=True)  # the rest checked once the first screen is up
    except DataError as error:
        print(f"tradegap: {error}", file=sys.stderr)
        return 1
    path = locations.settings_path()
    notices: list[str] = []
    can_save = True
    if reset:
        settings = Settings()
        try:
            save_settings(path, settings)
        except OSError as error:
            notices.append(f"settings will not be saved ({error.strerror or error}: {path})")
            can_save = False
    else:
        settings, notice = load_settings(path)
        if notice:
            notices.append(notice)

    from tui.app import TradeGapApp

    app = TradeGapApp(catalog=catalog, settings=settings, notices=notices,
                      theme=initial_theme(theme, settings.theme), settings_path=path, can_save=can_save)
    try:
        app.run(mouse=mouse)
    except NoTerminal as error:  # cron, `setsid ... </dev/null`, TERM=dumb
        print(f"tradegap: {error}", file=sys.stderr)
        return 2
    if app.data_error:
        print(f"tradegap: {app.data_error}", file=sys.stderr)
    return app.return_code or 0
