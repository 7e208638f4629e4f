"""Text helpers of the pipeline: name matching, Census descriptions, year ranges."""

from __future__ import annotations

import re
from collections.abc import Iterable

SMALL_WORDS = {"a", "an", "and", "or", "of", "the", "to", "for", "in", "by", "on", "at", "as"}
KEEP_UPPER = {"NESOI", "TV"}


def normalize_name(name: object) -> str:
    """A name for matching: single spaces, no outer spaces, case-folded."""
    return re.sub(r"\s+", " ", str(name)).strip().casefold()


def title_case(text: str) -> str:
    """Census upper-case descriptions to Title Case with small words in lower case."""
    first = True

    def replace(match: re.Match) -> str:
        nonlocal first
        word = match.group(0)
        if word.upper() in KEEP_UPPER:
            result = word.upper()
        elif not first and word.lower() in SMALL_WORDS:
            result = word.lower()
        else:
            result = word[:1].upper() + word[1:].lower()
        first = False
        return result

    result = re.sub(r"[A-Za-z][A-Za-z']*", replace, text.strip())
    return re.sub(r"\s+", " ", result)


def compress_years(years: Iterable[int]) -> str:
    """[1990, 1991, 1992, 1995] -> '1990-1992, 1995'."""
    ordered = sorted(set(years))
    parts, start = [], 0
    while start < len(ordered):
        end = start
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        parts.append(str(ordered[start]) if start == end else f"{ordered[start]}-{ordered[end]}")
        start = end + 1
    return ", ".join(parts)
