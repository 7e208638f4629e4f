"""The words tradegap's filters are made of, defined once for the settings, the app and the command line.

Plain Python (no pandas, no Textual): the settings file, the first screen and
the command line all import it.
"""

from __future__ import annotations

from typing import Literal, get_args

View = Literal["deficit", "surplus", "all"]
Sort = Literal["rank", "name", "exports", "imports", "balance", "change", "share"]
Tab = Literal["partners", "regions", "sectors"]
#: The orders of the Sectors tab and of a chapter's partners: "balance" is the ranking's own (deficit first).
ChapterSort = Literal["balance", "exports", "imports", "change", "share"]

VIEWS: tuple[View, ...] = get_args(View)
SORTS: tuple[Sort, ...] = get_args(Sort)
TABS: tuple[Tab, ...] = get_args(Tab)
CHAPTER_SORTS: tuple[ChapterSort, ...] = get_args(ChapterSort)

#: How each view is said in the status line.
VIEW_WORDS: dict[View, str] = {"deficit": "deficits", "surplus": "surpluses", "all": "all balances"}

#: The direction a column is first sorted in: names A-Z, amounts largest first, balances deficit first
#: (for the chapter sorts too).
FIRST_DESCENDING: dict[Sort, bool] = {
    "rank": False, "name": False, "exports": True, "imports": True, "balance": False, "change": False, "share": True,
}

#: Tab titles, with the key that shows each.
TAB_TITLES: dict[Tab, str] = {"partners": "1 Partners", "regions": "2 Regions & blocs", "sectors": "3 Sectors"}

#: The command line's output formats (tui.export renders them; the parser names them without loading it).
EXPORT_FORMATS = ("table", "csv", "json", "markdown")

#: How many partners and groups Compare shows side by side: two (distinct ones) to six.
MIN_COMPARED = 2
MAX_COMPARED = 6

#: The minimum-size thresholds `m` cycles through, in millions of dollars of absolute balance.
MIN_SIZES: tuple[float, ...] = (0.0, 100.0, 1_000.0, 10_000.0, 50_000.0)


def sort_words(sort: str, descending: bool, default: str = "rank") -> str:
    """How a sort is said in a status line: nothing for the ranking's own order, else 'by exports desc'."""
    if sort == default and not descending:
        return ""
    return f"by {sort}{' desc' if descending else ''}"


def next_in(values: tuple, current: object, step: int = 1):
    """The value after `current` in `values`, wrapping round (the first one if `current` is not there)."""
    if current not in values:
        return values[0]
    return values[(values.index(current) + step) % len(values)]


def next_min_size(current: float) -> float:
    """The next threshold up, wrapping to none; a saved odd value joins the cycle where it fits."""
    for size in MIN_SIZES:
        if size > current:
            return size
    return MIN_SIZES[0]
