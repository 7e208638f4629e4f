"""Every place tradegap reaches into a private member of Textual or plotext, each with why and the upstream issue.

Nothing else in tradegap reads or overrides a private Textual or plotext member
(tests/test_architecture.py checks). Each workaround here was written against the
versions in TESTED_WITH; tests/test_compat.py fails as soon as another version is
installed, and each workaround checks at use that what it relies on is still there,
so an upgrade breaks loudly here instead of silently somewhere else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

#: The package versions these workarounds were written and checked against.
TESTED_WITH = {"textual": "8.2.8", "textual-plotext": "1.0.1", "plotext": "5.3.2"}


class CompatError(RuntimeError):
    """A workaround no longer fits the installed Textual: read its upstream issue, then adapt or drop it."""


def installed_versions() -> dict[str, str]:
    from importlib.metadata import version  # imported here: about 40 ms, and only the tests ask

    return {name: version(name) for name in TESTED_WITH}


def check_versions(found: dict[str, str] | None = None) -> None:
    """Raise CompatError unless every library is at the version the workarounds here were checked with."""
    found = found if found is not None else installed_versions()
    wrong = [f"{name} {found.get(name)} (checked: {expected})" for name, expected in TESTED_WITH.items()
             if found.get(name) != expected]
    if wrong:
        raise CompatError("tui/compat.py was checked against other versions: " + ", ".join(wrong)
                          + "; check whether its workarounds are still needed and update TESTED_WITH")


def require(owner: object, name: str, issue: str) -> Any:
    if not hasattr(owner, name):
        raise CompatError(f"{type(owner).__name__ if not isinstance(owner, type) else owner.__name__}.{name} "
                          f"is gone: see {issue}")
    return getattr(owner, name)


# ---------------------------------------------------------------- NO_COLOR

NO_COLOR_ISSUE = "https://github.com/Textualize/textual/issues/839 (and https://github.com/jcs/no_color/issues/240)"


def no_colour_codes(app: App) -> None:
    """NO_COLOR: no colour codes at all, rather than Textual's shades of grey.

    Textual answers NO_COLOR with a Monochrome filter (textual#839), which still writes grey
    colour codes; the no-color.org convention (no_color#240) is none at all, leaving the terminal's
    own colours. Textual has no public way to choose the filter, so it is swapped here.
    """
    from textual.filter import Monochrome, NoColor

    filters = require(app, "_filters", NO_COLOR_ISSUE)
    app._filters = [NoColor() if isinstance(f, Monochrome) else f for f in filters]


# ---------------------------------------------------------------- plotext's size

PLOT_SIZE_ISSUE = "https://github.com/Textualize/textual-plotext/issues/5"


def plot_size(plt: Any, width: int, height: int) -> None:
    """Make a plotext figure exactly width x height cells.

    plotext 5 clamps plotsize() to the terminal size it read (through shutil) when the figure was
    made: a figure made in a smaller terminal, or where there is no terminal (tests, screenshots), is
    cut. Its public limit_size() only reaches plotext's global figure, not a Plot of our own.
    textual-plotext's widget sets the private size as well, for the same reason (textual-plotext#5).
    """
    plt.plotsize(width, height)
    require(plt, "_set_size", PLOT_SIZE_ISSUE)(width, height)


# ---------------------------------------------------------------- a clipboard sequence for tmux

CLIPBOARD_ISSUE = ("App.copy_to_clipboard writes OSC 52 as it is, which tmux keeps to itself unless its set-clipboard "
                   "is on (https://github.com/tmux/tmux/wiki/Clipboard); Textual has no public way to write the "
                   "passthrough-wrapped sequence")


def write_to_terminal(app: App, sequence: str) -> bool:
    """Write an escape sequence to the terminal between frames, through the app's driver; False without one.

    Used for the clipboard (tui.clipboard.osc52): inside tmux the sequence must be wrapped in tmux's
    passthrough to reach the outer terminal, which App.copy_to_clipboard does not do."""
    driver = require(app, "_driver", CLIPBOARD_ISSUE)
    if driver is None or app.is_headless:
        return False
    driver.write(sequence)
    return True
