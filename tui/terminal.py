"""What the terminal can show, decided from the environment (no Textual import).

Over SSH, in tmux or on the Linux console the app may only have 16 colours
or no UTF-8; these small functions decide the theme and whether to draw
with ASCII only, so the decisions are testable without a terminal.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

DEFAULT_THEME = "textual-dark"
ANSI_THEME = "ansi-dark"


def color_system(env: Mapping[str, str] | None = None) -> str:
    """'truecolor', '256', 'standard' (16 colours) or 'none', as Textual will see it."""
    env = os.environ if env is None else env
    forced = env.get("TEXTUAL_COLOR_SYSTEM", "").strip().lower()
    if forced in ("truecolor", "256", "standard"):
        return forced
    if env.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    term = env.get("TERM", "").strip().lower()
    if term in ("", "dumb", "unknown"):
        return "none"
    suffix = term.rpartition("-")[2]
    return {"256color": "256", "16color": "standard", "truecolor": "truecolor", "direct": "truecolor"}.get(
        suffix, "standard"
    )


def initial_theme(requested: str | None, saved: str, env: Mapping[str, str] | None = None) -> str:
    """The theme to start with: --theme, else the saved one.

    A saved default theme on a 16-colour terminal (TERM=linux, xterm) becomes
    the ANSI theme, which uses the terminal's own palette instead of
    approximating 24-bit colours badly.
    """
    if requested:
        return requested
    if saved == DEFAULT_THEME and color_system(env) == "standard":
        return ANSI_THEME
    return saved


def ascii_only(env: Mapping[str, str] | None = None) -> bool:
    """True when the terminal cannot be trusted with non-ASCII glyphs.

    TRADEGAP_ASCII=1/0 decides outright; otherwise a locale that is not
    UTF-8 (LANG=C, POSIX, ISO-8859-x) means ASCII. Python turns LANG=C into
    LC_CTYPE=C.UTF-8 for itself, so that value alone does not count.
    """
    env = os.environ if env is None else env
    forced = env.get("TRADEGAP_ASCII", "").strip().lower()
    if forced in ("1", "yes", "true", "on"):
        return True
    if forced in ("0", "no", "false", "off"):
        return False
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name, "").strip()
        if not value:
            continue
        if name == "LC_CTYPE" and value in ("C.UTF-8", "C.utf8") and env.get("LANG", "C") in ("C", "POSIX", ""):
            return True  # coerced by Python from a C locale
        return "utf-8" not in value.lower() and "utf8" not in value.lower()
    return True
