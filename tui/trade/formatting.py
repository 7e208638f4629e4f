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
    if magnitude >= 1_000_000:
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
    """'24.7%' (or '+3.1%' when signed; digits after the point); 'n/a' for missing values."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    return f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"


def billions(millions: float) -> float:
    """Millions to billions, for chart axes."""
    return millions / 1_000
