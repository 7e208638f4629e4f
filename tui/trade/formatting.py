"""Amounts as a person writes them: -$295.4B, +$12.1B, $438.9B, $512.3M, $1.20T."""

from __future__ import annotations

import math


def money(millions: float | None, *, signed: bool = False) -> str:
    """Format an amount given in millions of dollars.

    signed=True always shows the sign (+/-), as balances and changes do;
    otherwise only negatives carry one. Missing values print as 'n/a'.
    """
    if millions is None or (isinstance(millions, float) and math.isnan(millions)):
        return "n/a"
    value = float(millions)
    magnitude = abs(value)
    if magnitude >= 999_950:  # $999.95B and more would round to "$1,000.0B": a trillion
        body = f"${magnitude / 1_000_000:,.2f}T"
    elif magnitude >= 999.95:
        body = f"${magnitude / 1_000:,.1f}B"
    elif magnitude >= 0.05:
        body = f"${magnitude:,.1f}M"
    else:
        return "$0"
    if value < 0:
        return "-" + body
    return ("+" + body) if signed else body


def percent(value: float | None, *, signed: bool = False, digits: int = 1) -> str:
    """'24.7%' (or '+3.1%' when signed; digits after the point); 'n/a' for missing values; '0.0%', never
    '-0.0%' or '+0.0%', for a value that rounds to zero."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if round(float(value), digits) == 0:
        return f"{0:.{digits}f}%"
    return f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"


def standing(balance: float) -> str:
    """'deficit', 'surplus', or 'balanced' for a balance that prints as $0 (under $0.05M either way)."""
    if abs(balance) < 0.05:
        return "balanced"
    return "deficit" if balance < 0 else "surplus"


def billions(millions: float) -> float:
    """Millions to billions, for chart axes."""
    return millions / 1_000
