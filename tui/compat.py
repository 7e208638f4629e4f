"""Every place tradegap reaches into a private member of Textual or plotext, each with why and the upstream issue,
and the one choice it makes for numpy (its sort on AMD Zen 4).

Nothing else in tradegap reads or overrides a private Textual or plotext member
(tests/test_architecture.py checks). Each workaround here was written against the
versions in TESTED_WITH; tests/test_compat.py fails as soon as another version is
installed, and each workaround checks at use that what it relies on is still there,
so an upgrade breaks loudly here instead of silently somewhere else. The numpy one
checks numpy's version itself (numpy is not pinned).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, MutableMapping
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


# ---------------------------------------------------------------- numpy's sort on AMD Zen 4

NUMPY_ZEN4_SORT_ISSUE = "https://github.com/numpy/x86-simd-sort/issues/6"

#: numpy's names for its AVX-512 code in the numpy versions NUMPY_NAMES_CHECKED (other versions name them
#: otherwise or may: an unknown name is an ImportWarning, a traceback under -W error; the choice is not made there)
NUMPY_AVX512_FEATURES = "X86_V4 AVX512_ICL AVX512_SPR"
NUMPY_NAMES_CHECKED = ((2, 4), (2, 5))  # from, to (not included)
NUMPY_FEATURE_VARIABLES = ("NPY_DISABLE_CPU_FEATURES", "NPY_ENABLE_CPU_FEATURES")


def is_zen4(cpuinfo: str) -> bool:
    """An AMD Zen 4 processor with AVX-512, from /proc/cpuinfo: family 25 (Zen 3 has no AVX-512; Zen 5 is 26)."""
    fields: dict[str, str] = {}
    for line in cpuinfo.splitlines():
        if not line.strip():
            break  # the first processor's block is enough
        name, _, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return (fields.get("vendor_id") == "AuthenticAMD" and fields.get("cpu family") == "25"
            and "avx512f" in fields.get("flags", "").split())


def numpy_features_to_disable(cpuinfo: str, numpy_wheel: tuple[tuple[int, ...], str] | None,
                              environ: Mapping[str, str]) -> str | None:
    """What NPY_DISABLE_CPU_FEATURES should say for numpy to sort with its AVX2 code, or None to leave numpy be.

    On Zen 4, numpy's AVX-512 sort writes each partition step with a masked compress-store, which that
    processor runs in microcode (x86-simd-sort#6): numpy's own AVX2 sort is faster. With numpy 2.4.6 on an
    AMD EPYC of that family, a million float64 sorted in 52 ms on AVX-512 and in 8.7 ms on AVX2 (argsort: 73 and
    26 ms); the ranking of the benchmark's 1000x partners (95,750 rows) took 7.5 ms and 4.3 ms. What is given
    up: numpy's AVX-512 math functions, about 5x faster there (a million exp or log: 0.8 against 4.4 ms), which
    tradegap does not call; its sums, comparisons and takes run as fast, and loading its dataset took 30 ms
    either way.

    numpy_wheel is (numpy's version, its wheel's tags), from the installed distribution: the names are those
    of the versions in NUMPY_NAMES_CHECKED, and only a wheel built for any x86-64 (manylinux, musllinux) is
    sure not to have AVX-512 in its baseline, which numpy would refuse to disable. A user's own
    NPY_DISABLE_CPU_FEATURES or NPY_ENABLE_CPU_FEATURES, even empty, is theirs: then nothing is chosen.
    """
    if any(name in environ for name in NUMPY_FEATURE_VARIABLES) or numpy_wheel is None:
        return None
    version, tags = numpy_wheel
    portable = any(tag.split("-")[-1].startswith(("manylinux", "musllinux")) for tag in tags.split())
    checked = NUMPY_NAMES_CHECKED[0] <= version < NUMPY_NAMES_CHECKED[1]
    if not checked or not portable or not is_zen4(cpuinfo):
        return None
    return NUMPY_AVX512_FEATURES


def installed_numpy_wheel() -> tuple[tuple[int, ...], str] | None:
    """(version, wheel tags) of the numpy that would be imported, read from its distribution's files without
    importing it (importlib.metadata costs about 35 ms); None when they cannot be read."""
    from importlib.util import find_spec

    try:
        spec = find_spec("numpy")
        if spec is None or spec.origin is None:
            return None
        site = os.path.dirname(os.path.dirname(spec.origin))
        found = [name for name in os.listdir(site) if name.startswith("numpy-") and name.endswith(".dist-info")]
        if len(found) != 1:
            return None
        with open(os.path.join(site, found[0], "WHEEL"), encoding="utf-8") as wheel:
            tags = " ".join(line.partition(":")[2].strip() for line in wheel if line.startswith("Tag:"))
        version = tuple(int(part) for part in found[0][len("numpy-"):-len(".dist-info")].split(".")[:2])
    except (OSError, ValueError, ImportError):
        return None
    return version, tags


def numpy_sort_choice(environ: Mapping[str, str], cpuinfo_path: str = "/proc/cpuinfo") -> str | None:
    """numpy_features_to_disable for this machine and the numpy installed; None off Linux or when anything
    cannot be read (numpy then runs as it would have)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        with open(cpuinfo_path, encoding="utf-8", errors="replace") as file:
            cpuinfo = file.read(16384)  # the first processor's block, even on a machine of hundreds of cores
    except OSError:
        return None
    if not is_zen4(cpuinfo):  # before looking for numpy's files: most machines stop here
        return None
    return numpy_features_to_disable(cpuinfo, installed_numpy_wheel(), environ)


def prefer_numpy_avx2_sort(environ: MutableMapping[str, str] = os.environ, cpuinfo_path: str = "/proc/cpuinfo") -> bool:
    """Before numpy is imported: on AMD Zen 4, have it sort with its AVX2 code (numpy_features_to_disable).

    True when the choice was made; nothing happens once numpy is imported (it reads the variable as it loads).
    Called first thing at start: whatever goes wrong here leaves numpy as it is, never stops tradegap."""
    if "numpy" in sys.modules:
        return False
    try:
        features = numpy_sort_choice(environ, cpuinfo_path)
    except Exception:  # noqa: BLE001 - a choice of speed is never worth a start that fails
        return False
    if features is None:
        return False
    environ["NPY_DISABLE_CPU_FEATURES"] = features
    return True
