"""Rankings, histories, groups and sectors against the shipped Census data."""


import pytest

from tui.trade import (
    WORLD,
    NoTradeError,
    Period,
    PeriodError,
    chapter_partners,
    group_members,
    parse_period,
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

TOP10_2024 = ["China", "Mexico", "Vietnam", "Ireland", "Germany", "Taiwan", "Japan", "South Korea", "Canada", "India"]


def test_2024_top_ten_deficits_are_the_census_ones(dataset):
    ranking = rank_partners(dataset, Period(2024))
    assert ranking["name"].head(10).tolist() == TOP10_2024
    assert ranking["rank"].head(3).tolist() == [1, 2, 3]


def test_china_2024_matches_the_newest_census_release(dataset):
    china = rank_partners(dataset, Period(2024)).set_index("code").loc["5700"]
    assert china["exports"] == pytest.approx(143_271.7)
    assert china["imports"] == pytest.approx(440_319.4)
    assert china["balance"] == pytest.approx(-297_047.7)


def test_2024_us_total_is_about_minus_1_2_trillion(dataset):
    world = world_totals(dataset, Period(2024))
    assert world["balance"] == pytest.approx(-1_202_000, rel=0.01)
    assert world["imports"] == pytest.approx(3_267_461, rel=0.01)


def test_ranking_is_sorted_and_views_filter_by_sign(dataset):
    period = Period(2023)
    deficits = rank_partners(dataset, period, view="deficit")
    surpluses = rank_partners(dataset, period, view="surplus")
    everyone = rank_partners(dataset, period, view="all")
    assert (deficits["balance"] < 0).all() and deficits["balance"].is_monotonic_increasing
    assert (surpluses["balance"] > 0).all() and surpluses["balance"].is_monotonic_decreasing
    assert everyone["balance"].is_monotonic_increasing
    assert len(everyone) >= len(deficits) + len(surpluses)
    assert surpluses.iloc[0]["name"] == "Netherlands"


def test_shares_of_all_partners_add_up_to_the_us_total(dataset):
    everyone = rank_partners(dataset, Period(2024), view="all")
    # the remainder is Census's unallocated residual, which is part of the total but not a partner
    assert everyone["share"].sum() == pytest.approx(100, abs=0.5)
    china = everyone.set_index("code").loc["5700"]
    assert china["share"] == pytest.approx(-297_047.7 / world_totals(dataset, Period(2024))["balance"] * 100)


def test_change_is_against_the_previous_period(dataset):
    ranking = rank_partners(dataset, Period(2024)).set_index("code")
    previous = rank_partners(dataset, Period(2023), view="all").set_index("code")
    assert ranking.at["5520", "prev_balance"] == pytest.approx(previous.at["5520", "balance"])
    assert ranking.at["5520", "change"] == pytest.approx(ranking.at["5520", "balance"] - previous.at["5520", "balance"])


def test_first_year_has_no_change(dataset):
    ranking = rank_partners(dataset, Period(dataset.first_year))
    assert ranking["change"].isna().all()


def test_group_and_min_size_filters(dataset):
    asean = set(group_members(dataset, "ASEAN", Period(2024)))
    ranking = rank_partners(dataset, Period(2024), group="ASEAN", view="all")
    assert set(ranking["code"]) <= asean and len(ranking) == len(asean)
    big = rank_partners(dataset, Period(2024), min_size=50_000)
    assert (big["balance"].abs() >= 50_000).all()
    assert big["name"].tolist() == TOP10_2024[: len(big)]
    assert big["rank"].tolist() == list(range(1, len(big) + 1))


def test_sort_reorders_without_reranking(dataset):
    by_imports = rank_partners(dataset, Period(2024), sort="imports", descending=True)
    assert by_imports["imports"].is_monotonic_decreasing
    assert by_imports.iloc[0]["name"] in ("Mexico", "China")
    by_name = rank_partners(dataset, Period(2024), sort="name")
    assert by_name["name"].str.casefold().is_monotonic_increasing
    assert set(by_name["rank"]) == set(range(1, len(by_name) + 1))
    with pytest.raises(ValueError):
        rank_partners(dataset, Period(2024), sort="colour")
    with pytest.raises(ValueError):
        rank_partners(dataset, Period(2024), view="sideways")


def test_product_groups_and_aggregates_are_not_ranked_as_partners(dataset):
    names = set(rank_partners(dataset, Period(2024), view="all")["name"])
    assert "Advanced Technology Products" not in names
    assert not names & set(dataset.groups["name"])
    assert "World (all partners)" not in names


def test_latest_period_is_a_year_to_date(dataset):
    latest = dataset.latest
    assert (latest.year, latest.months) == (2026, 8)
    assert not latest.is_full_year
    assert latest.label == "2026 Jan-Aug"
    assert dataset.periods()[-1] == latest
    assert dataset.periods()[-2] == Period(2025)
    assert dataset.periods()[0] == Period(1985)


def test_year_to_date_compares_with_the_same_months(dataset):
    period = dataset.latest
    totals = period_totals(dataset, period)
    monthly = dataset.monthly
    china_2025 = monthly[(monthly.code == "5700") & (monthly.year == 2025) & (monthly.month <= 8)]
    ranking = rank_partners(dataset, period, view="all").set_index("code")
    assert ranking.at["5700", "prev_balance"] == pytest.approx(china_2025["balance"].sum())
    assert totals.at["5700", "balance"] == pytest.approx(ranking.at["5700", "balance"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024", Period(2024)),
        (2019, Period(2019)),
        (None, Period(2026, 8)),
        ("latest", Period(2026, 8)),
        ("2026", Period(2026, 8)),
        ("2026-ytd3", Period(2026, 3)),
        (" 1985 ", Period(1985)),
    ],
)
def test_parse_period(dataset, text, expected):
    assert parse_period(dataset, text) == expected


@pytest.mark.parametrize("text", ["1984", "2027", "abc", "20x4", "2026-ytd9", "2024-ytd0", "-5"])
def test_parse_period_rejects_years_without_data(dataset, text):
    with pytest.raises(PeriodError) as error:
        parse_period(dataset, text)
    assert "\n" not in str(error.value)


def test_partner_history_and_monthly(dataset):
    history = partner_history(dataset, "5520")
    assert history["year"].is_monotonic_increasing
    assert history.iloc[-1]["months"] == 8
    full = history[history["months"] == 12].set_index("year")
    # Vietnam's deficit grew from 2014 to 2024
    assert full.at[2024, "balance"] < full.at[2019, "balance"] < full.at[2014, "balance"] < 0
    months = partner_monthly(dataset, "5520", last=24)
    assert len(months) == 24
    assert months.iloc[-1]["label"] == "2026-08"
    assert months["balance"].tolist() == pytest.approx((months["exports"] - months["imports"]).tolist())


def test_group_ranking_agrees_with_members(dataset):
    groups = rank_groups(dataset, Period(2024)).set_index("code")
    assert groups["balance"].is_monotonic_increasing
    for code in ("ASEAN", "G7", "EU27", "OPEC"):
        members = rank_partners(dataset, Period(2024), group=code, view="all")
        assert groups.at[code, "balance"] == pytest.approx(members["balance"].sum(), abs=1)
        assert groups.at[code, "members"] == len(group_members(dataset, code, Period(2024)))
    assert "0007" not in groups.index  # Advanced Technology Products is not a place


def test_asia_census_aggregate_is_a_large_deficit(dataset):
    groups = rank_groups(dataset, Period(2024)).set_index("code")
    assert groups.loc[groups["name"] == "Asia", "balance"].iloc[0] < -500_000


def test_us_chapters_2024(dataset):
    chapters = rank_chapters(dataset, 2024)
    assert chapters["balance"].is_monotonic_increasing
    top = chapters.head(6)["chapter"].tolist()
    assert 84 in top and 85 in top and 87 in top and 30 in top
    assert chapters.set_index("chapter").at[88, "balance"] > 0  # aircraft: a surplus
    assert chapters.set_index("chapter").at[84, "name"] == "Machinery"


def test_china_chapters_sum_to_its_imports(dataset):
    chapters = rank_chapters(dataset, 2024, "5700")
    assert chapters["imports"].sum() == pytest.approx(438_742, abs=5)
    top = top_chapters(dataset, "5700", 2024, 3)
    assert top["balance"].abs().is_monotonic_decreasing
    assert 85 in top["chapter"].tolist()


def test_chapter_partners_make_up_the_chapter(dataset):
    parts = chapter_partners(dataset, 2024, 87)
    us = rank_chapters(dataset, 2024).set_index("chapter").loc[87]
    assert parts["balance"].sum() == pytest.approx(us["balance"], rel=0.01)
    assert parts.iloc[0]["name"] in ("Mexico", "Japan")
    asean = chapter_partners(dataset, 2024, 85, group="ASEAN")
    assert set(asean["code"]) <= set(group_members(dataset, "ASEAN"))


def _chapter_balance(dataset, year, code, chapter) -> float:
    rows = dataset.sectors
    row = rows[(rows["year"] == year) & (rows["code"] == code) & (rows["chapter"] == chapter)]
    return float(row["exports"].iloc[0] - row["imports"].iloc[0])


def test_chapters_change_against_the_year_before(dataset):
    chapters = rank_chapters(dataset, 2024).set_index("chapter")
    for chapter in (84, 87, 88):
        before = _chapter_balance(dataset, 2023, WORLD, chapter)
        assert chapters.at[chapter, "change"] == pytest.approx(chapters.at[chapter, "balance"] - before)
    assert rank_chapters(dataset, 2023)["change"].isna().all()  # the first sector year: nothing to compare
    parts = chapter_partners(dataset, 2024, 87).set_index("code")
    mexico = parts.loc["2010"]
    assert mexico["change"] == pytest.approx(mexico["balance"] - _chapter_balance(dataset, 2023, "2010", 87))


@pytest.mark.parametrize("sort", ["exports", "imports", "change", "share"])
@pytest.mark.parametrize("descending", [False, True])
def test_chapters_sorted_by_a_column_keep_their_ranks(dataset, sort, descending):
    ranked = rank_chapters(dataset, 2024, "5700")
    ranks = dict(zip(ranked["chapter"], ranked["rank"], strict=True))
    for frame in (rank_chapters(dataset, 2024, "5700", sort=sort, descending=descending),
                  chapter_partners(dataset, 2024, 85, sort=sort, descending=descending)):
        known = frame[sort].dropna()
        assert known.is_monotonic_decreasing if descending else known.is_monotonic_increasing
        assert frame[sort].isna().sum() == 0 or frame[sort].iloc[len(known):].isna().all()  # missing ones last
    sorted_ = rank_chapters(dataset, 2024, "5700", sort=sort, descending=descending)
    assert dict(zip(sorted_["chapter"], sorted_["rank"], strict=True)) == ranks


def test_chapters_by_balance_reversed_put_the_largest_surplus_first(dataset):
    ranked = rank_chapters(dataset, 2024)
    reversed_ = rank_chapters(dataset, 2024, sort="balance", descending=True)
    assert reversed_["rank"].tolist() == ranked["rank"].tolist()[::-1]
    with pytest.raises(ValueError, match="sort must be one of"):
        rank_chapters(dataset, 2024, sort="name")


def test_sector_year_falls_back_to_nearest(dataset):
    assert dataset.sector_years == [2023, 2024]
    assert sector_year(dataset, 2024) == 2024
    assert sector_year(dataset, 2026) == 2024
    assert sector_year(dataset, 1990) == 2023
    with pytest.raises(PeriodError):
        rank_chapters(dataset, 2019)


def test_partner_summary_for_vietnam(dataset):
    summary = partner_summary(dataset, "5520", Period(2024))
    assert summary.name == "Vietnam" and summary.iso == "VNM" and summary.continent == "Asia"
    assert summary.rank == 3
    assert summary.balance == pytest.approx(summary.exports - summary.imports)
    assert summary.peak_deficit_year is not None
    assert summary.peak_deficit == summary.history[summary.history.months == 12]["balance"].min()
    assert summary.change_10y < 0  # the deficit grew over ten years
    assert summary.sector_year == 2024
    assert summary.biggest_chapter is not None
    assert "ASEAN" in summary.groups or "Association of Southeast Asian Nations" in " ".join(summary.groups)


def test_partner_summary_without_trade_in_the_period(dataset):
    with pytest.raises(NoTradeError) as error:
        partner_summary(dataset, "4610", Period(2024))  # USSR
    assert "USSR" in str(error.value)


def test_shown_total(dataset):
    ranking = rank_partners(dataset, Period(2024), group="ASEAN")
    assert shown_total(ranking)["balance"] == pytest.approx(ranking["balance"].sum())


def test_world_is_sum_of_places(dataset):
    totals = period_totals(dataset, Period(2024))
    places = dataset.partners[dataset.partners["kind"].isin(["country", "former", "unallocated"])].index
    assert totals.loc[totals.index.isin(places), "balance"].sum() == pytest.approx(totals.at[WORLD, "balance"], abs=2)


# ---------------------------------------------------------------- the US total, blocs and groups of their time


def test_us_total_before_1992_is_censuss_world_total(dataset):
    from tui.trade.releases import partners_covered, us_total_label

    # the country file itemizes 81-84 partners before 1992; Census's world total (0015) exists from 1987
    assert world_totals(dataset, Period(1991))["balance"] == pytest.approx(-66_723.1, abs=0.05)
    assert world_totals(dataset, Period(1987))["imports"] == pytest.approx(406_241.0, abs=0.05)
    china = rank_partners(dataset, Period(1991), view="all").set_index("code").loc["5700"]
    assert china["share"] == pytest.approx(china["balance"] / -66_723.1 * 100)
    # where Census publishes no world total, the total is that of the partners covered, and says so
    assert partners_covered(dataset.catalog, Period(1986)) and not partners_covered(dataset.catalog, Period(1987))
    assert us_total_label(dataset.catalog, Period(1985)) == "US total (partners covered)"
    assert us_total_label(dataset.catalog, Period(1991)) == "US total"


def test_blocs_have_the_members_of_their_time(dataset):
    def balance(code, period):
        return rank_groups(dataset, period).set_index("code").at[code, "balance"]

    # OPEC's 2016 members (Indonesia Jan-Nov, Gabon from July, not Congo or Equatorial Guinea) give a deficit
    assert balance("OPEC", Period(2016)) < 0 < balance("OPEC-TODAY", Period(2016))
    # BRICS: none before its first summit (June 2009), Indonesia from January 2025
    assert "BRICS" not in set(rank_groups(dataset, Period(1988))["code"])
    assert "BRICS-TODAY" in set(rank_groups(dataset, Period(1988))["code"])
    assert rank_groups(dataset, Period(2009)).set_index("code").at["BRICS", "name"] == "BRICS (from Jun 2009)"
    assert "5600" not in group_members(dataset, "BRICS", Period(2024))
    assert "5600" in group_members(dataset, "BRICS", Period(2025))
    # Mercosur 2013 with Venezuela (a member July 2012 - November 2016); ASEAN with Timor-Leste from October 2025
    assert "3070" in group_members(dataset, "MERCOSUR", Period(2013))
    assert "3070" not in group_members(dataset, "MERCOSUR", Period(2017))
    assert "5601" in group_members(dataset, "ASEAN", dataset.latest)
    assert "5601" not in group_members(dataset, "ASEAN", Period(2024))
    assert set(rank_partners(dataset, Period(2013), group="MERCOSUR", view="all")["code"]) >= {"3070"}
    groups = rank_groups(dataset, Period(2024)).set_index("code")
    assert groups.at["ASEAN-TODAY", "name"] == "ASEAN (today's members)"
    assert groups.at["ASEAN-TODAY", "membership"] == "today" and groups.at["ASEAN", "membership"] == "dated"


def test_the_eu_series_lists_the_members_of_each_period(dataset):
    for year, count in ((2005, 25), (2010, 27), (2015, 28), (2024, 27)):
        period = Period(year)
        group = rank_groups(dataset, period).set_index("code").loc["0003"]
        members = rank_partners(dataset, period, group="0003", view="all")
        assert group["members"] == count == len(group_members(dataset, "0003", period))
        for flow in ("exports", "imports"):  # within 0.5% (July 2005: Census's series has $0.85B more imports)
            assert members[flow].sum() == pytest.approx(group[flow], rel=0.005), (year, flow)
        assert abs(members["balance"].sum() - group["balance"]) < 0.01 * abs(group["balance"]), year
    assert "4120" in group_members(dataset, "0003", Period(2019))
    assert "4120" not in group_members(dataset, "0003", Period(2020))
    assert "4791" not in group_members(dataset, "0003", Period(2012))


def test_continents_are_continents(dataset):
    partners = dataset.catalog.partners
    assert partners["2010"].continent == "North America"  # Mexico, not "Central America & Caribbean"
    assert partners["2050"].continent == "Central America" and partners["2410"].continent == "Caribbean"
    assert partners["4634"].continent == "Asia" and partners["4621"].continent == "Europe"


def test_unallocated_trade_is_found_and_listed_in_the_all_view_only(dataset):
    from tui.trade import find_partner

    assert find_partner(dataset, "8220") == find_partner(dataset, "unidentified countries") == "8220"
    assert find_partner(dataset, "other partners") == "OTHER"
    everyone = rank_partners(dataset, Period(2005), view="all").set_index("code")
    assert everyone.at["8220", "kind"] == "unallocated" and everyone.at["8220", "name"].endswith("(unallocated)")
    assert everyone["share"].sum() == pytest.approx(100)
    for view in ("deficit", "surplus"):
        assert not (rank_partners(dataset, Period(2005), view=view)["kind"] == "unallocated").any()
    assert "OTHER" in set(rank_partners(dataset, Period(1990), view="all")["code"])


def test_predecessors_and_successors_say_what_their_figures_are(dataset):
    russia = partner_summary(dataset, "4621", Period(1992))
    assert russia.new_partner and "USSR" in russia.note
    assert not partner_summary(dataset, "4621", Period(1993)).new_partner
    assert "West Germany" in partner_summary(dataset, "4280", Period(1988)).note
    assert partner_summary(dataset, "4280", Period(1991)).note == ""
    assert "South Sudan" in partner_summary(dataset, "7321", Period(2010)).note
    assert partner_summary(dataset, "2777", Period(2011)).new_partner  # Curacao
    bolivia = partner_summary(dataset, "3350", Period(1992))  # itemized from 1992, not a new country
    assert not bolivia.new_partner and bolivia.note == ""
