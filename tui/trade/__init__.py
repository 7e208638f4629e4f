"""The trade domain layer: loading and querying the dataset with plain pandas.

Nothing here imports Textual; the command line, the app and the tests all
use these functions. Importing this package imports no pandas: each name
below loads its module when first used, so the app can draw its first
screen (from tui.trade.catalog and tui.trade.ranking) before pandas, which
is most of a start, is loaded.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

_MODULES = {
    "tui.trade.schema": ("WORLD", "DataError"),
    "tui.trade.catalog": ("Catalog", "load_catalog"),
    "tui.trade.dataset": ("Dataset", "load_dataset"),
    "tui.trade.formatting": ("money", "percent"),
    "tui.trade.lookup": ("UnknownGroup", "UnknownPartner", "find_group", "find_partner", "normalize"),
    "tui.trade.periods": ("Period", "PeriodError", "parse_period"),
    "tui.trade.queries": (
        "PARTNER_SORT_COLUMNS",
        "VIEWS",
        "NoTradeError",
        "PartnerSummary",
        "chapter_partners",
        "group_members",
        "partner_groups",
        "partner_history",
        "partner_monthly",
        "partner_summary",
        "period_totals",
        "rank_chapters",
        "rank_groups",
        "rank_partners",
        "previous_totals",
        "sector_year",
        "shown_total",
        "totals_map",
        "top_chapters",
        "world_totals",
    ),
}
_MODULE_OF = {name: module for module, names in _MODULES.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str):
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later uses skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # what type checkers and editors see
    from tui.trade.catalog import Catalog, load_catalog
    from tui.trade.dataset import Dataset, load_dataset
    from tui.trade.formatting import money, percent
    from tui.trade.lookup import UnknownGroup, UnknownPartner, find_group, find_partner, normalize
    from tui.trade.periods import Period, PeriodError, parse_period
    from tui.trade.queries import (
        PARTNER_SORT_COLUMNS,
        VIEWS,
        NoTradeError,
        PartnerSummary,
        chapter_partners,
        group_members,
        partner_groups,
        partner_history,
        partner_monthly,
        partner_summary,
        period_totals,
        previous_totals,
        rank_chapters,
        rank_groups,
        rank_partners,
        sector_year,
        shown_total,
        top_chapters,
        totals_map,
        world_totals,
    )
    from tui.trade.schema import WORLD, DataError
