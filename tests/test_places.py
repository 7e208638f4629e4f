"""Months as periods, changes said in words, partners and groups as places, and comparisons, on the shipped data."""

from __future__ import annotations

import math

import pytest

from tui.trade import Period, PeriodError, find_partner, parse_period, period_totals, rank_groups, rank_partners
from tui.trade.changes import change_sentence, change_words, pct_change
from tui.trade.compare import TooManyPlaces, balance_histories, chapter_matrix, compare_figures
from tui.trade.places import (
    UnknownPlace,
    comparison,
    find_place,
    group_summary,
    history_table,
    monthly_table,
)

# ---------------------------------------------------------------- a month as a period


def test_a_month_is_a_period_of_its_own():
    march = Period.month(2026, 3)
    assert (march.label, march.key) == ("2026 Mar", "2026-03")
    assert march.previous == Period.month(2025, 3) and march.previous.label == "2025 Mar"
    assert not march.is_full_year and list(march.month_numbers) == [3]
    assert march != Period(2026, 3)  # January to March is another period
    assert Period(2026, 3).key == "2026-ytd3" and Period(2026, 3).label == "2026 Jan-Mar"
    assert Period.month(2025, 12).key == "2025-12" and not Period.month(2025, 12).is_full_year


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-03", Period.month(2026, 3)), ("2026-3", Period.month(2026, 3)), ("1985-01", Period.month(1985, 1)),
    ("2024-12", Period.month(2024, 12)), ("2025-ytd8", Period(2025, 8)), ("2024", Period(2024)),
])
def test_parse_period_takes_months_years_and_years_to_date(dataset, text, expected):
    assert parse_period(dataset, text) == expected
    assert parse_period(dataset, expected.key) == expected  # a saved key reads back


@pytest.mark.parametrize(("text", "says"), [
    ("2026-09", "no data for 2026-09: the latest month is 2026-08"),
    ("2026-13", "a month is 01 to 12, not 13"),
    ("2026-00", "a month is 01 to 12, not 00"),
    ("1984-05", "no data for 1984"),
    ("march", "give a year (2024), a year to date (2026-ytd3: January to March) or a month (2026-03)"),
])
def test_parse_period_says_what_is_wrong_with_a_month(dataset, text, says):
    with pytest.raises(PeriodError, match=None) as error:
        parse_period(dataset, text)
    assert says in str(error.value)


def test_a_months_totals_are_that_months_rows(dataset):
    march = period_totals(dataset, Period.month(2026, 3))
    monthly = dataset.monthly
    canada = monthly[(monthly["code"] == "1220") & (monthly["year"] == 2026) & (monthly["month"] == 3)].iloc[0]
    assert march.at["1220", "exports"] == pytest.approx(canada["exports"])
    assert march.at["1220", "balance"] == pytest.approx(canada["exports"] - canada["imports"])


def test_partners_rank_in_a_single_month(dataset):
    ranking = rank_partners(dataset, Period.month(2026, 3), view="all")
    assert ranking["balance"].is_monotonic_increasing
    assert ranking["share"].sum() == pytest.approx(100, abs=0.5)
    china = ranking.set_index("code").loc["5700"]
    before = period_totals(dataset, Period.month(2025, 3)).loc["5700"]
    assert china["prev_balance"] == pytest.approx(before["balance"])


# ---------------------------------------------------------------- changes said in words


@pytest.mark.parametrize(("before", "after", "words"), [
    (-113_100, -163_900, "deficit widened by $50.8B, +45%"),
    (-163_900, -113_100, "deficit narrowed by $50.8B, -31%"),
    (5_000, 6_000, "surplus grew by $1.0B, +20%"),
    (5_000, 4_000, "surplus shrank by $1.0B, -20%"),
    (-5_000, 4_000, "the deficit turned into a surplus (a swing of $9.0B)"),
    (3_000, -1_000, "the surplus turned into a deficit (a swing of $4.0B)"),
    (-2_000, -2_000, "unchanged"),
    (math.nan, -2_000, "no figures to compare with"),
])
def test_a_change_is_said_as_what_happened_to_the_deficit_or_surplus(before, after, words):
    assert change_words(after, before) == words


def test_the_sentence_names_both_periods():
    assert change_sentence("2025 Jan-Aug", -113_100, "2026 Jan-Aug", -163_900) == (
        "2025 Jan-Aug -$113.1B → 2026 Jan-Aug -$163.9B: deficit widened by $50.8B, +45%")


def test_percent_change_is_of_the_size_and_not_given_across_zero():
    assert pct_change(-150, -100) == pytest.approx(50)
    assert pct_change(150, 100) == pytest.approx(50)
    assert math.isnan(pct_change(100, -100)) and math.isnan(pct_change(100, 0))


# ---------------------------------------------------------------- one place


def test_vietnam_next_to_a_year_earlier(dataset):
    vietnam = find_partner(dataset, "vietnam")
    figures = comparison(dataset, vietnam, Period(2026, 8))
    assert (figures["previous_period"], figures["period"]) == ("2025 Jan-Aug", "2026 Jan-Aug")
    assert figures["balance"] == pytest.approx(-163_900, abs=100)
    assert figures["prev_balance"] == pytest.approx(-113_100, abs=100)
    assert figures["pct_change"] == pytest.approx(45, abs=0.5)


def test_the_history_ends_at_the_periods_year(dataset):
    china = "5700"
    rows = history_table(dataset, china, Period(2019))
    assert [r["year"] for r in rows] == [str(y) for y in range(2010, 2020)]
    by_year = {r["year"]: r for r in rows}
    assert by_year["2019"]["change"] == pytest.approx(by_year["2019"]["balance"] - by_year["2018"]["balance"])
    latest = history_table(dataset, china, Period(2026, 8))
    assert latest[-1]["year"] == "2026 Jan-Aug" and latest[-2]["year"] == "2025"
    assert latest[-1]["prev_balance"] == pytest.approx(comparison(dataset, china, Period(2026, 8))["prev_balance"])


def test_the_months_of_a_period(dataset):
    canada = find_partner(dataset, "canada")
    rows = monthly_table(dataset, canada, Period(2026, 8))
    assert [r["month"] for r in rows] == [f"2026-{m:02d}" for m in range(1, 9)]
    march = monthly_table(dataset, canada, Period.month(2026, 3))
    assert len(march) == 1 and march[0] == rows[2]
    totals = period_totals(dataset, Period.month(2025, 3))
    assert march[0]["prev_balance"] == pytest.approx(totals.at[canada, "balance"])


# ---------------------------------------------------------------- partners and groups by name


@pytest.mark.parametrize(("query", "code", "is_group"), [
    ("asean", "ASEAN", True), ("European Union", "0003", True), ("china", "5700", False), ("KOR", "5800", False),
])
def test_find_place_takes_partners_and_groups(dataset, query, code, is_group):
    place = find_place(dataset, query)
    assert (place.code, place.is_group, place.note) == (code, is_group, None)


def test_unknown_names_suggest_groups_too(dataset):
    with pytest.raises(UnknownPlace) as error:
        find_place(dataset, "aseen")
    assert str(error.value).startswith("no partner or group 'aseen' — did you mean ASEAN")
    with pytest.raises(UnknownPlace) as error:
        find_place(dataset, "Vietnm")
    assert str(error.value) == "no partner 'Vietnm' — did you mean Vietnam?"


def test_a_partner_and_a_group_of_one_name_the_partner_wins(dataset, monkeypatch):
    from tui.trade import lookup

    monkeypatch.setitem(lookup.GROUP_ALIASES, "USMCA", ("mexico",))
    monkeypatch.delitem(dataset._memo, "group_index", raising=False)
    try:
        place = find_place(dataset, "mexico", group_option=True)
        assert place.name == "Mexico" and not place.is_group
        assert place.note == "'mexico' is also a group: 'tradegap show --group mexico' shows USMCA/NAFTA partners"
        # months and compare have no --group: the group's full name is what names it there
        assert find_place(dataset, "mexico").note == "'mexico' is also a group: 'USMCA/NAFTA partners' names the group"
        assert find_place(dataset, "USMCA/NAFTA partners").is_group
    finally:
        dataset._memo.pop("group_index", None)


def test_asean_as_a_group(dataset):
    summary = group_summary(dataset, "ASEAN", Period(2024))
    assert summary.member_count == 10 and len(summary.members) == 10
    assert math.fsum(m["balance"] for m in summary.members) == pytest.approx(summary.figures["balance"], abs=1)
    assert math.fsum(m["share"] for m in summary.members) == pytest.approx(100, abs=0.01)
    assert summary.members[0]["name"] == "Vietnam" and summary.rank >= 1 and summary.ranked >= 10
    assert summary.chapters is not None and summary.sector_year == 2024


@pytest.mark.parametrize("key", ["latest", "2016", "2009", "2026-03"])
def test_a_groups_rank_is_its_row_in_the_regions_and_blocs_list(dataset, key):
    # the detail ranks a group among the rows the list shows (the blocs' today's-members forms among them)
    period = parse_period(dataset, key)
    listed = rank_groups(dataset, period)
    assert (listed["membership"] == "today").any()
    for code, row_number in zip(listed["code"], range(1, len(listed) + 1), strict=True):
        summary = group_summary(dataset, code, period)
        assert (summary.rank, summary.ranked) == (row_number, len(listed)), code
        assert summary.today_rows == int((listed["membership"] == "today").sum())


def test_the_ranks_the_list_and_the_detail_disagreed_on(dataset):
    # OPEC now, ASEAN in 2016, ASEAN's today's members now, BRICS in its first year: the list's row numbers
    for code, key, rank in [("OPEC", "latest", 17), ("ASEAN", "2016", 10), ("ASEAN-TODAY", "latest", 4),
                            ("BRICS", "2009", 4)]:
        summary = group_summary(dataset, code, parse_period(dataset, key))
        assert (summary.rank, summary.ranked) == (rank, 22), code


# ---------------------------------------------------------------- comparisons


def test_compare_china_vietnam_mexico(dataset):
    codes = ["5700", "5520", "2010"]
    rows = compare_figures(dataset, codes, Period(2024))
    assert [r["name"] for r in rows] == ["China", "Vietnam", "Mexico"]
    ranking = rank_partners(dataset, Period(2024)).set_index("code")
    for row in rows:
        assert row["balance"] == pytest.approx(ranking.at[row["code"], "balance"])
        assert row["share"] == pytest.approx(ranking.at[row["code"], "share"])
    history = balance_histories(dataset, codes, 2024)
    assert history[-1]["year"] == 2024 and history[-1]["5700"] == pytest.approx(ranking.at["5700", "balance"])


def test_the_chapter_matrix_shares_are_of_all_us_imports_of_the_chapter(dataset):
    matrix = chapter_matrix(dataset, ["5700", "5520", "2010"], 2024)
    assert matrix.previous_year == 2023 and len(matrix.rows) == 10
    electrical = next(r for r in matrix.rows if r["chapter"] == 85)
    sectors = dataset.sectors
    us = sectors[(sectors["year"] == 2024) & (sectors["code"] == "WORLD") & (sectors["chapter"] == 85)].iloc[0]
    china = sectors[(sectors["year"] == 2024) & (sectors["code"] == "5700") & (sectors["chapter"] == 85)].iloc[0]
    assert electrical["imports_5700"] == pytest.approx(china["imports"])
    assert electrical["share_5700"] == pytest.approx(china["imports"] / us["imports"] * 100)
    assert sum(electrical[f"share_{c}"] for c in ("5700", "5520", "2010")) < 100


def test_a_place_without_chapters_that_year_is_not_available_rather_than_zero(dataset):
    # the USSR has no HS chapters in 2024: n/a, not $0 and 0.0% beside its n/a figures
    ussr = find_place(dataset, "ussr").code
    matrix = chapter_matrix(dataset, [ussr, "5700"], 2024)
    assert all(math.isnan(row[f"imports_{ussr}"]) and math.isnan(row[f"share_{ussr}"]) for row in matrix.rows)
    assert all(row["imports_5700"] > 0 for row in matrix.rows)


def test_a_comparison_takes_two_to_six_different_places(dataset):
    with pytest.raises(TooManyPlaces, match="at most 6"):
        compare_figures(dataset, [str(c) for c in ("5700", "5520", "2010", "1220", "5880", "5330", "5800")],
                        Period(2024))
    for codes in (["5700"], ["5700", "5700"], []):
        with pytest.raises(TooManyPlaces, match=f"2 to 6 different partners or groups, not {len(set(codes))}"):
            compare_figures(dataset, codes, Period(2024))
    assert len(compare_figures(dataset, ["5700", "5700", "ASEAN"], Period(2024))) == 2


# ---------------------------------------------------------------- a bloc that began within a year


def test_a_bloc_s_first_part_year_says_so_and_is_not_compared_with_a_whole_year(dataset):
    brics = dataset.catalog.groups["BRICS"]
    assert brics.since == 200906  # the first leaders' summit: June 2009
    first = comparison(dataset, "BRICS", Period(2009))
    assert first["note"] == "BRICS began in Jun 2009, so its figures for 2009 are Jun-Dec only"
    then = comparison(dataset, "BRICS", Period(2010))
    assert math.isnan(then["prev_balance"]) and math.isnan(then["prev_exports"]) and math.isnan(then["change"])
    assert then["note"] == "not compared with 2009, whose figures are Jun-Dec only (BRICS began in Jun 2009)"
    assert "note" not in comparison(dataset, "BRICS", Period(2011))  # whole years: compared as ever
    assert "note" not in comparison(dataset, find_partner(dataset, "china"), Period(2010))


def test_a_bloc_s_members_in_its_first_part_year_cover_its_months(dataset):
    g = group_summary(dataset, "BRICS", Period(2009))
    assert math.fsum(m["share"] for m in g.members) == pytest.approx(100.0)  # the bloc is its members' sum
    assert math.fsum(m["balance"] for m in g.members) == pytest.approx(g.figures["balance"], abs=1.0)
    whole_year = {r["code"]: r["balance"] for r in rank_partners(dataset, Period(2009), group="BRICS", view="all")
                  .to_dict("records")}
    china = next(m for m in g.members if m["iso"] == "CHN")
    assert abs(china["balance"]) < abs(whole_year[china["code"]])  # seven months, not twelve


def test_a_bloc_s_history_starts_with_its_first_months(dataset):
    rows = history_table(dataset, "BRICS", Period(2011))
    assert [r["year"] for r in rows] == ["2009 Jun-Dec", "2010", "2011"]
    assert math.isnan(rows[0]["change"]) and math.isnan(rows[1]["change"])  # nothing before; not like with like
    assert not math.isnan(rows[2]["change"])
    assert [r["year"] for r in history_table(dataset, "BRICS", Period(2009))] == ["2009 Jun-Dec"]


def test_a_bloc_s_first_part_year_is_its_beginning_not_a_change_of_members(dataset):
    from tui.views import membership_changes

    assert membership_changes(dataset.catalog, "BRICS", Period(2009)) == [
        "BRICS began in Jun 2009, so its figures for 2009 are Jun-Dec only"]


def test_a_bloc_s_first_part_year_is_labelled_by_its_months_on_the_charts(dataset):
    from tui.trade.queries import partner_history
    from tui.widgets.charts import balance_history

    bars = balance_history(partner_history(dataset, "BRICS"))
    assert bars.labels[0] == "2009 Jun-Dec" and bars.labels[-1].endswith("YTD")
    assert bars.titles[0].startswith(f"Balance by year, Jun 2009-{bars.labels[-1]}")


def test_a_month_of_a_bloc_that_began_that_year_is_a_month_like_any_other(dataset):
    for month in (Period.month(2009, 12), Period.month(2009, 6), Period.month(2010, 7)):
        figures = comparison(dataset, "BRICS", month)
        assert "note" not in figures, month  # one month: the bloc had it all, or was compared with it all
        g = group_summary(dataset, "BRICS", month)
        assert math.fsum(m["balance"] for m in g.members) == pytest.approx(figures["balance"], abs=1.0), month
    assert not math.isnan(comparison(dataset, "BRICS", Period.month(2010, 7))["prev_balance"])


def test_a_bloc_s_year_to_date_is_not_compared_with_its_first_months_anywhere(dataset):
    ytd = Period(2010, 8)
    assert math.isnan(comparison(dataset, "BRICS", ytd)["change"])
    assert history_table(dataset, "BRICS", ytd)[-1]["year"] == "2010 Jan-Aug"
    assert math.isnan(history_table(dataset, "BRICS", ytd)[-1]["change"])
    groups = rank_groups(dataset, Period(2010)).set_index("code")
    assert math.isnan(groups.at["BRICS", "change"])  # the list as the detail: not against Jun-Dec 2009
    assert not math.isnan(groups.at["BRICS-TODAY", "change"])  # today's members: the whole of 2009
