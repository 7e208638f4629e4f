"""The terminal's clipboard through OSC 52: the one way text reaches the clipboard of the machine in front of
the user when tradegap runs over SSH, with no clipboard library and no X11.

`osc52()` builds the escape sequence: ESC ] 52 ; c ; <base64 of the UTF-8 text> BEL. Inside tmux
(TMUX set) it is wrapped in tmux's passthrough, ESC P tmux; <the sequence, every ESC doubled> ESC \\,
so that tmux hands it to the outer terminal (tmux's allow-passthrough on), then sent once more as it
is, for tmux to take itself and pass on (set-clipboard on); inside GNU screen (STY set) it is wrapped in
screen's, ESC P <sequence> ESC \\. `unsupported()` says why the terminal cannot take it, when it can
tell. Plain Python.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping

ESC = "\x1b"
BEL = "\x07"
ST = ESC + "\\"
#: Beyond this many bytes of base64 many terminals drop the sequence (xterm's default limit is about 100 kB;
#: tmux's passthrough has its own): the app offers the export instead.
MAX_BASE64 = 74_994

#: Terminals (by TERM or TERM_PROGRAM) known not to take OSC 52.
NO_OSC52 = {"linux": "the Linux console", "dumb": "a dumb terminal", "Apple_Terminal": "macOS Terminal"}


def osc52(text: str, env: Mapping[str, str] | None = None) -> str:
    """The escape sequence that puts `text` on the clipboard, wrapped for tmux or screen as `env` says."""
    env = {} if env is None else env
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    sequence = f"{ESC}]52;c;{payload}{BEL}"
    if env.get("TMUX"):
        return f"{ESC}Ptmux;{sequence.replace(ESC, ESC + ESC)}{ST}{sequence}"
    if env.get("STY"):
        return f"{ESC}P{sequence}{ST}"
    return sequence


def unsupported(text: str, env: Mapping[str, str], *, headless: bool = False) -> str | None:
    """Why the clipboard cannot take `text` here (None: it can, as far as tradegap can tell)."""
    if headless:
        return "there is no terminal"
    for name in ("TERM_PROGRAM", "TERM"):
        known = NO_OSC52.get(env.get(name, ""))
        if known:
            return f"{known} does not take clipboard sequences (OSC 52)"
    size = len(base64.b64encode(text.encode("utf-8")))
    if size > MAX_BASE64:
        return f"the view is too large for the terminal's clipboard ({size // 1000} kB)"
    return None
