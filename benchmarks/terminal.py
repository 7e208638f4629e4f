"""Driving real programs in real terminals: the driver the terminal tests use too, tests/tmux_driver.py.

Every program runs in its own detached tmux session of a fixed size, on a
private tmux server, watched through one `tmux -C` control client; see that
module for how the screen is read and waited for.
"""

from __future__ import annotations

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parent.parent / "tests")
if _TESTS not in sys.path:  # the driver lives with the tests, which import it from their own directory
    sys.path.append(_TESTS)

from tmux_driver import Expect, Pane, TerminalError, Tmux, ensure_tmux, peak_memory, terminal_env  # noqa: E402

__all__ = ["Expect", "Pane", "TerminalError", "Tmux", "ensure_tmux", "peak_memory", "terminal_env"]
