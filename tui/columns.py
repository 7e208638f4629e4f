"""The columns of each ranking, written once for the command line and the app.

A Column says what a column holds (its record key, title and kind); the
command line prints every column whole, and the app's tables also read its
width and priority. `cell()` is the one way a value becomes the text of a
cell. Neither pandas nor Textual is imported here.
"""

from __future__ import annotations

import math
from typing import Any, Literal, NamedTuple

from tui.trade.changes import change_percent
from tui.trade.formatting import money, percent

Kind = Literal["text", "int", "money", "signed", "percent", "signed_percent", "points"]
KINDS: tuple[Kind, ...] = ("text", "int", "money", "signed", "percent", "signed_percent", "points")

# Priorities: when a table in the app is too narrow for all its columns, whole columns go, lowest
# priority first (a number is never cut). Names and balances stay.
KEEP = 100
HIGH = 80
MEDIUM = 50
LOW = 30
LOWEST = 10


class _ColumnFields(NamedTuple):
    key: str
    title: str
    kind: Kind = "text"
    width: int | None = None
    priority: int = MEDIUM
    min_width: int | None = None


class Column(_ColumnFields):
    """One column: the record key it shows, its title and the kind of its values.

    width: in the app, the column's width in cells (a text column's values are cut to it, with an
    ellipsis); None: as wide as its widest value. The command line ignores it.
    min_width: in the app, a text column may narrow down to this before any column is dropped.
    priority: in the app, columns of lower priority are dropped first when the table is too narrow.
    """

    # an immutable record, as the catalog's are: a NamedTuple is made in a fraction of the time a frozen
    # dataclass takes to generate its methods (these are imported before the app's first screen)
    __slots__ = ()

    def __new__(cls, *args: Any, **kwargs: Any) -> Column:
        column = super().__new__(cls, *args, **kwargs)
        if column.kind not in KINDS:
            raise ValueError(f"unknown column kind {column.kind!r} (one of {', '.join(KINDS)})")
        return column

    @property
    def right(self) -> bool:
        """Numbers are aligned right, text left."""
        return self.kind != "text"

    @property
    def csv_key(self) -> str:
        """The CSV header: the key with its unit ('balance_musd', 'share_pct'), as a file carries no other."""
        unit = UNITS.get(self.kind, "")
        return self.key if not unit or self.key.endswith(unit) else self.key + unit


#: The unit each kind of column's raw values are in, as CSV headers name it.
UNITS: dict[str, str] = {"money": "_musd", "signed": "_musd", "percent": "_pct", "signed_percent": "_pct",
                         "points": "_pts"}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def cell(value: Any, kind: Kind) -> str:
    """The text of a value in a column of this kind: -$297.0B, +$12.1B, 24.7%, 12, Vietnam.

    Amounts and percentages print 'n/a' when missing; numbers and text print nothing. Only ASCII
    characters are added: a value's own text is kept as it is.
    """
    if kind == "money":
        return money(value)
    if kind == "signed":
        return money(value, signed=True)
    if kind == "percent":
        return percent(value)
    if kind == "signed_percent":
        return change_percent(value)
    if kind == "points":
        return "n/a" if _missing(value) else f"{value:+.1f} pts"
    if _missing(value):
        return ""
    if kind == "int" and isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# ---------------------------------------------------------------- the columns every ranking shares


def _rank() -> Column:
    return Column("rank", "#", "int", priority=HIGH)


def _trade() -> list[Column]:
    return [Column("exports", "Exports", "money", priority=MEDIUM - 5),
            Column("imports", "Imports", "money", priority=MEDIUM)]


def _balance() -> Column:
    return Column("balance", "Balance", "signed", priority=KEEP)


def _change(title: str) -> Column:
    return Column("change", title, "signed", priority=LOW + 5)


def _share() -> Column:
    return Column("share", "Share", "percent", priority=LOW)


def _cumulative() -> Column:
    return Column("cum_share", "Cum. share", "percent", priority=LOWEST + 2)


def _pct_change() -> Column:
    return Column("pct_change", "% change", "signed_percent", priority=LOW + 2)


def _name(title: str, width: int | None, min_width: int) -> Column:
    return Column("name", title, "text", width, priority=KEEP, min_width=min(min_width, width) if width else None)


# ---------------------------------------------------------------- the rankings


def partner_columns(change_title: str, *, previous: str | None = None, continent: bool = False,
                    name_width: int | None = None, cumulative: bool = False) -> list[Column]:
    """Partners ranked by balance: `tradegap top` and the Partners list.

    change_title: the title of the change against the previous period ('vs 2025').
    previous: the previous period's balance too, under this title (the app, when wide).
    continent: a Continent column (the app, when very wide).
    cumulative: the running sum of the shares, down the rows shown (the records' cum_share).
    """
    columns = [_rank(), Column("iso", "ISO", "text", 3, priority=HIGH - 10), _name("Partner", name_width, 14)]
    if continent:
        columns.append(Column("continent", "Continent", "text", 16, priority=LOWEST))
    columns += [*_trade(), _balance()]
    if previous is not None:
        columns.append(Column("prev_balance", previous, "signed", priority=LOWEST + 5))
    columns += [_change(change_title), _share()]
    return columns + [_cumulative()] if cumulative else columns


def group_columns(change_title: str, *, name_title: str = "Group", kind: bool = True, trade: bool = True,
                  name_width: int | None = None) -> list[Column]:
    """Regions and blocs ranked by balance: `tradegap groups` and the Regions & blocs tab."""
    columns = [_rank(), _name(name_title, name_width, 14)]
    if kind:
        columns.append(Column("kind", "Kind", priority=LOWEST + 10))
    columns.append(Column("members", "Members", "int", priority=LOW - 5))
    if trade:
        columns += _trade()
    return columns + [_balance(), _change(change_title), _share()]


def _balance_change_share(change_title: str | None) -> list[Column]:
    return [_balance(), *([_change(change_title)] if change_title is not None else []), _share()]


def chapter_columns(*, trade: bool = True, change_title: str | None = None,
                    name_width: int | None = None) -> list[Column]:
    """HS chapters ranked by balance: `tradegap sectors` and the Sectors tab (which adds the change, under
    change_title: 'vs 2023')."""
    columns = [_rank(), Column("chapter", "HS", "int", priority=HIGH + 5), _name("Chapter", name_width, 16)]
    if trade:
        columns += _trade()
    return columns + _balance_change_share(change_title)


def chapter_partner_columns(*, trade: bool = True, change_title: str | None = None,
                            name_width: int | None = None) -> list[Column]:
    """The partners that make up one HS chapter's balance (the app's chapter screen)."""
    columns = [_rank(), Column("iso", "ISO", "text", 3, priority=HIGH - 10), _name("Partner", name_width, 14)]
    if trade:
        columns += _trade()
    return columns + _balance_change_share(change_title)


def detail_chapter_columns(*, name_width: int | None = None) -> list[Column]:
    """A partner's top HS chapters: `tradegap show` and the partner's detail."""
    return [Column("chapter", "HS", "int", priority=HIGH + 5), _name("Chapter", name_width, 16), *_trade(),
            _balance()]


def history_columns() -> list[Column]:
    """A partner's or group's last years, each with its change on the year before: `tradegap show` and the
    detail's history table."""
    return [Column("year", "Year", priority=KEEP), *_trade(), _balance(), _change("Change"), _pct_change()]


def month_columns() -> list[Column]:
    """A place's months, each against the same month a year earlier: `tradegap months` and the detail."""
    return [Column("month", "Month", priority=KEEP), *_trade(), _balance(),
            Column("prev_balance", "A year earlier", "signed", priority=LOW + 4), _change("Change"), _pct_change()]


def period_comparison_columns(previous: str, current: str) -> list[Column]:
    """Exports, imports and balance of a period next to the same months a year earlier."""
    return [Column("what", "", priority=KEEP), Column("previous", previous, "money", priority=HIGH),
            Column("current", current, "money", priority=KEEP), _change("Change"), _pct_change()]


def member_columns(*, name_width: int | None = None) -> list[Column]:
    """A group's members ranked by balance; share: of the group's balance."""
    return [_rank(), Column("iso", "ISO", "text", 3, priority=HIGH - 10), _name("Member", name_width, 14),
            *_trade(), _balance(), _change("Change"), Column("share", "Share of group", "percent", priority=LOW)]


def compare_columns(change_title: str, *, name_width: int | None = None) -> list[Column]:
    """Partners and groups side by side: `tradegap compare` and the Compare screen."""
    return [_name("Partner or group", name_width, 14), Column("kind", "Kind", priority=LOWEST), *_trade(),
            _balance(), _change(change_title), _pct_change(), _share()]


def chapter_matrix_columns(codes: list[str], names: list[str], *, name_width: int | None = None,
                           share_change: str | None = None) -> list[Column]:
    """Top chapters x places: each place's imports and share of the US's imports of the chapter
    (and the share's change in points since share_change, the year before, when given)."""
    columns = [Column("chapter", "HS", "int", priority=HIGH + 5), _name("Chapter", name_width, 16),
               Column("us_imports", "US imports", "money", priority=LOW)]
    for code, name in zip(codes, names, strict=True):
        # narrow: the shares and how they moved stay, the amounts go first
        columns.append(Column(f"imports_{code}", f"{name} imports", "money", priority=MEDIUM - 10))
        columns.append(Column(f"share_{code}", f"{name} share", "percent", priority=HIGH))
        if share_change:
            columns.append(Column(f"share_change_{code}", f"pts vs {share_change}", "points", priority=MEDIUM))
    return columns


def change_title(period: Any) -> str:
    """The change column's title: what the change is measured against ('vs 2025 Jan-Aug' for a year to date)."""
    return f"vs {period.previous.label}"
