"""How a balance changed, said in words: "deficit widened by $50.8B, +45%".

A bare signed change of a balance reads backwards (a change of -$50.8B is a
deficit that grew), so tradegap says what happened to the deficit or the
surplus. The percent change is of the size of the deficit (or surplus): +45%
is a deficit 45% larger; it is not given when the balance changed sides.
Plain Python: the command line, the app and the exports use it.
"""

from __future__ import annotations

import math

from tui.trade.formatting import money, percent

#: What every figure is, said once for each screen and output.
BASIS = "goods, Census basis, not seasonally adjusted, current dollars"
#: The same, short enough for a status line.
BASIS_SHORT = "goods, Census basis, NSA, current $"
#: Shorter still, for a narrow status line, longest first: the last keeps what sets the figures apart from
#: others published for the same months (the Census basis, not the balance of payments'; not seasonally
#: adjusted).
BASIS_SHORTER = ("Census basis, NSA, current $", "Census basis, NSA")


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def pct_change(balance: float | None, previous: float | None) -> float:
    """The change in the size of a deficit or surplus, in percent; NaN when it changed sides or was zero."""
    if _missing(balance) or _missing(previous) or previous == 0:
        return math.nan
    assert balance is not None and previous is not None
    if balance != 0 and (balance < 0) != (previous < 0):
        return math.nan
    return (abs(balance) - abs(previous)) / abs(previous) * 100


def change_percent(value: float | None) -> str:
    """A change in percent as people say it: '+45%', '-12%', '+0.4%' (a decimal below 10%), 'n/a'."""
    if _missing(value):
        return "n/a"
    assert value is not None
    return percent(value, signed=True, digits=1 if abs(value) < 9.95 else 0)


def change_words(balance: float | None, previous: float | None) -> str:
    """'deficit widened by $50.8B, +45%', 'surplus shrank by $1.2B, -10%', 'a surplus turned into a deficit'."""
    if _missing(balance) or _missing(previous):
        return "no figures to compare with"
    assert balance is not None and previous is not None
    diff = abs(balance - previous)
    if balance == previous:
        return "unchanged"
    if previous < 0 and balance < 0:
        verb = "widened" if balance < previous else "narrowed"
        noun = "deficit"
    elif previous > 0 and balance > 0:
        verb = "grew" if balance > previous else "shrank"
        noun = "surplus"
    elif previous == 0:
        return f"from balanced to a {'deficit' if balance < 0 else 'surplus'} of {money(abs(balance))}"
    elif balance == 0:
        return f"the {'deficit' if previous < 0 else 'surplus'} of {money(abs(previous))} closed"
    else:
        before, after = ("deficit", "surplus") if previous < 0 else ("surplus", "deficit")
        return f"the {before} turned into a {after} (a swing of {money(diff)})"
    return f"{noun} {verb} by {money(diff)}, {change_percent(pct_change(balance, previous))}"


def change_sentence(previous_label: str, previous: float | None, label: str, balance: float | None,
                    arrow: str = "→") -> str:
    """'2025 Jan-Aug -$113.1B → 2026 Jan-Aug -$163.9B: deficit widened by $50.8B, +45%'."""
    before = money(previous, signed=True)
    return f"{previous_label} {before} {arrow} {label} {money(balance, signed=True)}: {change_words(balance, previous)}"
