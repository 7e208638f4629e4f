"""The units the pipeline computes in, and the fixed formats the files are written with.

Trade values are held as integer tenths of a million dollars (so sums of members
are exact) and sector values as whole dollars; they are written with one and
three decimals of millions.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def to_tenths(values: Iterable[float] | np.ndarray) -> np.ndarray:
    """Millions of dollars (float, possibly with float noise) to integer tenths (as float)."""
    return np.rint(np.asarray(values, dtype="float64") * 10.0)


def dollars_to_tenths(values: Iterable[int] | np.ndarray) -> np.ndarray:
    """Whole dollars to integer tenths of a million (as float), half away from zero."""
    dollars = np.asarray(values, dtype="int64")
    tenths = np.where(dollars >= 0, (dollars + 50_000) // 100_000, -((-dollars + 50_000) // 100_000))
    return tenths.astype("float64")


def format_tenths(value: float | None) -> str:
    """Integer tenths of a million to '143271.7'; missing to ''."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{int(value) / 10:.1f}"


def dollars_to_thousands(values: Iterable[int] | np.ndarray) -> np.ndarray:
    """Whole dollars to integer thousands (millions with 3 decimals), half up."""
    dollars = np.asarray(values, dtype="int64")
    return np.where(dollars >= 0, (dollars + 500) // 1000, -((-dollars + 500) // 1000))


def format_thousands(value: int) -> str:
    """Integer thousands of dollars to millions with three decimals: 1235 -> '1.235'."""
    value = int(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    return f"{sign}{value // 1000}.{value % 1000:03d}"


def _decimal_text(values: Iterable[float] | np.ndarray, scale: int, digits: int) -> list[str]:
    """Integers (as floats; NaN = missing) divided by scale, as text with a fixed number of decimals."""
    array = np.asarray(values, dtype="float64")
    missing = np.isnan(array)
    integers = np.where(missing, 0, array).astype("int64")
    magnitude = np.abs(integers)
    whole = (magnitude // scale).astype(str)
    fraction = np.char.zfill((magnitude % scale).astype(str), digits)
    sign = np.where(integers < 0, "-", "")
    text = np.char.add(np.char.add(np.char.add(sign, whole), "."), fraction)
    return ["" if gone else str(value) for value, gone in zip(text.tolist(), missing.tolist(), strict=True)]


def tenths_text(values: Iterable[float] | np.ndarray) -> list[str]:
    """format_tenths for a whole column at once."""
    return _decimal_text(values, 10, 1)


def thousands_text(values: Iterable[int] | np.ndarray) -> list[str]:
    """format_thousands for a whole column at once."""
    return _decimal_text(values, 1000, 3)
