"""The one column spec and cell formatter the command line and the app share, and each ranking's columns."""

from __future__ import annotations

import math

import pytest

from tui.columns import (
    KINDS,
    Column,
    cell,
    chapter_columns,
    chapter_partner_columns,
    detail_chapter_columns,
    group_columns,
    history_columns,
    partner_columns,
)


@pytest.mark.parametrize(
    "value,kind,text",
    [
        (-297_012.3, "money", "-$297.0B"),
        (12_100.0, "money", "$12.1B"),
        (12_100.0, "signed", "+$12.1B"),
        (-512.3, "signed", "-$512.3M"),
        (1_200_000.0, "money", "$1.20T"),
        (0.0, "signed", "$0"),
        (24.74, "percent", "24.7%"),
        (None, "money", "n/a"),
        (math.nan, "signed", "n/a"),
        (math.nan, "percent", "n/a"),
        (12, "int", "12"),
        (12.0, "int", "12"),  # a rank that went through a float column
        (None, "int", ""),
        (math.nan, "int", ""),
        ("Vietnam", "text", "Vietnam"),
        ("Côte d'Ivoire", "text", "Côte d'Ivoire"),
        (None, "text", ""),
        (math.nan, "text", ""),
        (2024, "text", "2024"),
    ],
)
def test_cell_formats_each_kind(value, kind, text):
    assert cell(value, kind) == text


def test_cell_adds_only_ascii():
    for kind in KINDS:
        for value in (-1234.5, 0.0, 7.0, None, math.nan, 99.95):
            assert cell(value, kind).isascii(), (kind, value)


def test_a_column_knows_its_alignment_and_rejects_unknown_kinds():
    assert Column("balance", "Balance", "signed").right
    assert not Column("name", "Partner").right
    with pytest.raises(ValueError, match="unknown column kind"):
        Column("x", "X", "currency")  # type: ignore[arg-type]


def test_the_command_lines_partner_columns():
    columns = partner_columns("vs 2025 Jan-Aug")
    assert [(c.key, c.title, c.kind) for c in columns] == [
        ("rank", "#", "int"), ("iso", "ISO", "text"), ("name", "Partner", "text"), ("exports", "Exports", "money"),
        ("imports", "Imports", "money"), ("balance", "Balance", "signed"), ("change", "vs 2025 Jan-Aug", "signed"),
        ("share", "Share", "percent"),
    ]
    assert partner_columns("vs 2025", cumulative=True)[-1].key == "cum_share"  # tradegap top and the Partners list


def test_the_apps_wide_partner_columns_add_the_previous_balance_and_continent():
    columns = partner_columns("vs 2025", previous="2025 Jan-Aug", continent=True, name_width=34, cumulative=True)
    keys = [c.key for c in columns]
    assert keys == ["rank", "iso", "name", "continent", "exports", "imports", "balance", "prev_balance", "change",
                    "share", "cum_share"]
    by_key = {c.key: c for c in columns}
    assert by_key["prev_balance"].title == "2025 Jan-Aug" and by_key["change"].title == "vs 2025"
    assert by_key["name"].width == 34 and by_key["name"].min_width == 14


def test_group_columns_for_the_command_line_and_the_app():
    cli = group_columns("vs 2024")
    assert [c.key for c in cli] == ["rank", "name", "kind", "members", "exports", "imports", "balance", "change",
                                    "share"]
    assert cli[1].title == "Group"
    narrow = group_columns("vs 2024", name_title="Region or bloc", kind=False, trade=False, name_width=20)
    assert [c.key for c in narrow] == ["rank", "name", "members", "balance", "change", "share"]
    assert narrow[1].title == "Region or bloc" and narrow[1].width == 20


def test_chapter_column_sets():
    assert [c.key for c in chapter_columns()] == ["rank", "chapter", "name", "exports", "imports", "balance", "share"]
    assert [c.key for c in chapter_columns(trade=False)] == ["rank", "chapter", "name", "balance", "share"]
    assert [c.key for c in chapter_partner_columns(trade=False)] == ["rank", "iso", "name", "balance", "share"]
    sectors = chapter_columns(change_title="vs 2023", name_width=40)
    assert [c.key for c in sectors] == ["rank", "chapter", "name", "exports", "imports", "balance", "change", "share"]
    assert sectors[6].title == "vs 2023" and sectors[6].kind == "signed"
    assert [c.key for c in chapter_partner_columns(change_title="vs 2023")][-3:] == ["balance", "change", "share"]
    assert [c.key for c in detail_chapter_columns()] == ["chapter", "name", "exports", "imports", "balance"]
    assert [c.key for c in history_columns()] == ["year", "exports", "imports", "balance", "change", "pct_change"]


ALL_SETS = [
    partner_columns("vs 2024", previous="2024", continent=True, name_width=30),
    group_columns("vs 2024", name_width=26),
    chapter_columns(name_width=40),
    chapter_columns(change_title="vs 2023", name_width=40),
    chapter_partner_columns(name_width=26),
    chapter_partner_columns(change_title="vs 2023", name_width=26),
    detail_chapter_columns(name_width=34),
    history_columns(),
]


@pytest.mark.parametrize("columns", ALL_SETS, ids=lambda cs: "-".join(c.key for c in cs))
def test_each_set_keeps_name_and_balance_longest(columns):
    assert len({c.key for c in columns}) == len(columns)
    keep = max(c.priority for c in columns)
    for column in columns:
        if column.key in ("name", "balance"):
            assert column.priority == keep
        if column.min_width is not None:
            assert column.kind == "text" and column.width is not None and column.min_width <= column.width
    # what goes first when a table is too narrow: the change and share before the amounts
    by_key = {c.key: c.priority for c in columns}
    if "share" in by_key and "exports" in by_key:
        assert by_key["share"] < by_key["exports"]
    if "change" in by_key:
        assert by_key["change"] < by_key.get("exports", keep)
