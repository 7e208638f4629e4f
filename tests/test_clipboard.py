"""Copy as Markdown: the OSC 52 sequence as a pure function, and the bytes tradegap writes in a real tmux pane."""

from __future__ import annotations

import base64
import re
import shutil
import sys
import time
from pathlib import Path

import pytest

import tui
from tui.clipboard import MAX_BASE64, osc52, unsupported

TEXT = "| Partner | Balance |\n|:---|---:|\n| Côte d'Ivoire | -$3.1B |"


def payload(sequence: str) -> str:
    match = re.search(r"\]52;c;([A-Za-z0-9+/=]*)\x07", sequence)
    assert match, repr(sequence)
    return base64.b64decode(match.group(1)).decode("utf-8")


def test_osc52_outside_tmux():
    sequence = osc52(TEXT, {})
    assert sequence.startswith("\x1b]52;c;") and sequence.endswith("\x07")
    assert sequence.count("\x1b") == 1 and payload(sequence) == TEXT


def test_osc52_inside_tmux_is_wrapped_for_the_outer_terminal_then_sent_as_it_is():
    sequence = osc52(TEXT, {"TMUX": "/tmp/tmux-1000/default,4242,0"})
    wrapped, _, plain = sequence.partition("\x07\x1b\\")
    assert wrapped.startswith("\x1bPtmux;\x1b\x1b]52;c;")
    inner = wrapped[len("\x1bPtmux;"):] + "\x07"
    assert "\x1b" not in inner.replace("\x1b\x1b", "")  # every ESC inside is doubled
    assert payload(inner.replace("\x1b\x1b", "\x1b")) == TEXT
    assert plain == osc52(TEXT, {})  # for tmux itself, with set-clipboard on


def test_osc52_inside_screen():
    sequence = osc52(TEXT, {"STY": "1234.pts-0.host"})
    assert sequence.startswith("\x1bP\x1b]52;c;") and sequence.endswith("\x07\x1b\\")


@pytest.mark.parametrize(("env", "headless", "says"), [
    ({"TERM": "linux"}, False, "the Linux console does not take clipboard sequences"),
    ({"TERM": "xterm-256color", "TERM_PROGRAM": "Apple_Terminal"}, False, "macOS Terminal"),
    ({"TERM": "xterm-256color"}, True, "there is no terminal"),
    ({"TERM": "xterm-256color"}, False, None),
    ({"TERM": "tmux-256color", "TMUX": "x"}, False, None),
])
def test_when_the_terminal_cannot_take_it(env, headless, says):
    reason = unsupported(TEXT, env, headless=headless)
    assert (reason is None) if says is None else (says in reason)


def test_a_view_too_large_for_the_clipboard_is_refused():
    assert "too large" in unsupported("x" * MAX_BASE64, {"TERM": "xterm"})


# ---------------------------------------------------------------- one real terminal


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.tmux
@pytest.mark.xdist_group("tmux")
def test_copy_inside_tmux_writes_the_wrapped_sequence(tmp_path, dataset):
    from tmux_driver import Tmux, terminal_env
    from tui.trade import rank_partners

    top = str(rank_partners(dataset, dataset.latest).iloc[0]["name"])
    checkout = str(Path(tui.__file__).resolve().parent.parent)  # this checkout's tradegap, whatever is installed
    env = {"TRADEGAP_CONFIG_DIR": str(tmp_path / "config"), "TRADEGAP_CACHE_DIR": str(tmp_path / "cache"),
           "TRADEGAP_EXPORT_DIR": str(tmp_path), "PYTHONPATH": checkout, "TERM": "tmux-256color"}
    with Tmux(100, 30, env=terminal_env(drop=("NO_COLOR", "TRADEGAP_ASCII"))) as tmux:
        pane = tmux.launch([sys.executable, "-m", "tui"], env=env, cwd=tmp_path, size=(100, 30),
                           log=tmp_path / "written.bytes")
        pane.wait_settled(top, timeout=60)
        pane.send("C")
        pane.wait_for("Copied", timeout=20)
        deadline = time.monotonic() + 10
        written = b""
        while time.monotonic() < deadline and b"\x07\x1b\\" not in written:
            written = pane.written()
            time.sleep(0.1)
    start = written.index(b"\x1bPtmux;\x1b\x1b]52;c;")
    end = written.index(b"\x07\x1b\\", start)
    sequence = written[start:end + 3].decode("ascii")
    markdown = payload(sequence.replace("\x1b\x1b", "\x1b"))
    assert markdown.startswith(f"## US goods trade deficits · {dataset.latest.label} · all partners")
    assert f"| 1 | {rank_partners(dataset, dataset.latest).iloc[0]['iso']} | {top} |" in markdown
    assert "goods, Census basis, not seasonally adjusted, current dollars" in markdown
