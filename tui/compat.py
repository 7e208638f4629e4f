"""The one place tradegap uses private parts of the libraries it draws with.

Each use says why, names the upstream issue, and is tied to the versions it
was checked against: importing this module with other versions raises, so an
upgrade cannot silently change how the charts are sized.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

CHECKED = {"plotext": "5.3.2", "textual-plotext": "1.0.1"}


class CompatError(RuntimeError):
    """A library is at a version tui/compat.py was not checked against."""


def installed_versions() -> dict[str, str]:
    """The installed versions of CHECKED, read without importlib.metadata (whose import alone takes 40 ms)."""
    import plotext
    import textual_plotext

    found = {"plotext": str(plotext.__version__)}
    site = Path(textual_plotext.__file__).resolve().parent.parent
    infos = sorted(site.glob("textual_plotext-*.dist-info"))
    if len(infos) == 1:
        found["textual-plotext"] = infos[0].name[len("textual_plotext-"):-len(".dist-info")]
    else:  # another layout than a plain install: ask the slow way
        from importlib.metadata import version

        found["textual-plotext"] = version("textual-plotext")
    return found


def check_versions(found: dict[str, str] | None = None) -> None:
    """Raise CompatError unless every library is at the version the workarounds below were checked with."""
    found = found if found is not None else installed_versions()
    wrong = [f"{name} {found.get(name)} (checked: {expected})" for name, expected in CHECKED.items()
             if found.get(name) != expected]
    if wrong:
        raise CompatError("tui/compat.py was checked against other versions: " + ", ".join(wrong)
                          + "; check whether its workarounds are still needed and update CHECKED")


check_versions()


def plot_size(plt: Any, width: int, height: int) -> None:
    """Make a plotext figure exactly width x height cells.

    plotext 5 clamps plotsize() to the terminal size it read (through
    shutil) when the figure was made: a figure made in a smaller terminal, or
    where there is no terminal (tests, screenshots), is cut. Its public
    limit_size() only reaches plotext's global figure, not a Plot of our own.
    textual-plotext's widget sets the private size as well, for the same
    reason: https://github.com/Textualize/textual-plotext/issues/5
    """
    plt.plotsize(width, height)
    plt._set_size(width, height)
