"""The trade domain layer: loading and querying the dataset with plain pandas.

Nothing here imports Textual; the command line, the app and the tests all
use these functions.
"""

from tui.trade.dataset import WORLD, DataError, Dataset, load_dataset
from tui.trade.formatting import money, percent
from tui.trade.lookup import UnknownGroup, UnknownPartner, find_group, find_partner, normalize
from tui.trade.periods import Period
from tui.trade.queries import (
    PARTNER_SORT_COLUMNS,
    VIEWS,
    NoTradeError,
    PartnerSummary,
    PeriodError,
    chapter_partners,
    group_members,
    parse_period,
    partner_groups,
    partner_history,
    partner_monthly,
    partner_summary,
    period_totals,
    rank_chapters,
    rank_groups,
    rank_partners,
    sector_year,
    shown_total,
    top_chapters,
    world_totals,
)

__all__ = [
    "WORLD",
    "DataError",
    "Dataset",
    "load_dataset",
    "money",
    "percent",
    "UnknownGroup",
    "UnknownPartner",
    "find_group",
    "find_partner",
    "normalize",
    "Period",
    "PARTNER_SORT_COLUMNS",
    "VIEWS",
    "NoTradeError",
    "PartnerSummary",
    "PeriodError",
    "chapter_partners",
    "group_members",
    "parse_period",
    "partner_groups",
    "partner_history",
    "partner_monthly",
    "partner_summary",
    "period_totals",
    "rank_chapters",
    "rank_groups",
    "rank_partners",
    "sector_year",
    "shown_total",
    "top_chapters",
    "world_totals",
]
