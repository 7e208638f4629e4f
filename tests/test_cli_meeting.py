"""The command line in a meeting: months, comparisons, groups, changes in words, sums that say what they sum,
and every command in every format."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest

from tui.cli import main
from tui.trade import Period, period_totals, rank_partners, world_totals
from tui.trade.changes import BASIS

# the commands read the shipped data already parsed, as after a first run (conftest.py: each test its own copy)
pytestmark = pytest.mark.usefixtures("warm_cache")


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def sections(text: str) -> dict[str, list[dict]]:
    found = {}
    for block in text.strip().split("\n\n"):
        name, _, body = block.partition("\n")
        found[name] = list(csv.DictReader(io.StringIO(body)))
    return found


# ---------------------------------------------------------------- "top 5 in 2024 and their share"


def test_top_5_says_the_sum_of_its_rows_and_the_us_total_apart(capsys, dataset):
    status, out, _ = run(capsys, "top", "5", "--year", "2024")
    assert status == 0
    five = rank_partners(dataset, Period(2024)).head(5)
    world = world_totals(dataset, Period(2024))["balance"]
    rows_sum = five["balance"].sum()
    assert f"sum of the 5 partners shown: -${-rows_sum / 1000:.1f}B ({rows_sum / world * 100:.1f}% of the US total" in out
    assert "US total 2024: -$1.20T" in out
    body = out.splitlines()[2:7]
    assert body[-1].rstrip().endswith(f"{five['share'].sum():.1f}%")  # the cumulative share of the fifth row


def test_top_csv_has_the_cumulative_share(capsys):
    _, out, _ = run(capsys, "top", "3", "--year", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    shares = [float(r["share_pct"]) for r in rows]
    assert [float(r["cum_share_pct"]) for r in rows] == pytest.approx([sum(shares[:i + 1]) for i in range(3)], abs=0.01)


# ---------------------------------------------------------------- "what about March"


def test_canada_in_march_2026(capsys, dataset):
    status, out, _ = run(capsys, "show", "canada", "--year", "2026-03")
    assert status == 0
    march = period_totals(dataset, Period.month(2026, 3)).loc["1220"]
    before = period_totals(dataset, Period.month(2025, 3)).loc["1220"]
    assert out.startswith("Canada (CAN) · North America · 2026 Mar")
    assert f"2025 Mar -${-before['balance'] / 1000:.1f}B → 2026 Mar -${-march['balance'] / 1000:.1f}B" in out
    assert "deficit narrowed by" in out or "deficit widened by" in out


def test_months_prints_each_month_against_a_year_earlier(capsys, dataset):
    status, out, _ = run(capsys, "months", "canada", "--year", "2026", "--format", "csv")
    assert status == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["month", "exports_musd", "imports_musd", "balance_musd", "prev_balance_musd",
                             "change_musd", "pct_change_pct", "release", "basis"]
    assert [r["month"] for r in rows] == [f"2026-{m:02d}" for m in range(1, 9)]
    march = period_totals(dataset, Period.month(2026, 3)).loc["1220"]
    assert float(rows[2]["balance_musd"]) == pytest.approx(march["balance"], abs=0.01)
    status, out, _ = run(capsys, "months", "canada", "--year", "2024")
    assert status == 0 and "2024-12" in out and "A year earlier" in out and BASIS in out


def test_top_ranks_a_single_month(capsys):
    status, out, _ = run(capsys, "top", "3", "--year", "2026-03")
    assert status == 0
    assert out.startswith("US goods trade deficits · 2026 Mar · all partners")
    assert "vs 2025 Mar" in out


def test_help_shows_the_three_forms_of_a_period(capsys):
    for command in ("top", "show", "groups", "months", "compare"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = " ".join(capsys.readouterr().out.split())
        assert "a year (2024), a year to date (2026-ytd3: January to March) or a month (2026-03)" in out, command


# ---------------------------------------------------------------- "China against Vietnam and Mexico"


def test_compare_china_vietnam_mexico(capsys):
    status, out, _ = run(capsys, "compare", "china", "vietnam", "mexico", "--year", "2024")
    assert status == 0
    assert out.startswith("China vs Vietnam vs Mexico · 2024")
    assert "Balance by year" in out and "China balance" in out and BASIS in out


def test_compare_chapters_in_every_format(capsys):
    status, out, _ = run(capsys, "compare", "china", "vietnam", "mexico", "--year", "2024", "--chapters",
                         "--format", "json")
    data = json.loads(out)
    electrical = next(r for r in data["chapters"] if r["chapter"] == 85)
    assert data["chapters_year"] == 2024 and electrical["share_5520"] > 0
    assert data["chapters_note"].startswith("chapters from an earlier release than the totals")
    assert [r["name"] for r in data["figures"]] == ["China", "Vietnam", "Mexico"]
    _, out, _ = run(capsys, "compare", "china", "vietnam", "mexico", "--year", "2024", "--chapters", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert "share_5700_pct" in rows[0] and "imports_5520_musd" in rows[0] and "share_change_2010_pts" in rows[0]
    _, out, _ = run(capsys, "compare", "china", "vietnam", "mexico", "--year", "2024", "--chapters",
                    "--format", "markdown")
    assert "| 85 | Electrical machinery & electronics |" in out and BASIS in out


def test_a_compare_csv_names_the_codes_its_columns_are_named_by(capsys):
    from test_cli import csv_sections

    _, out, _ = run(capsys, "compare", "japan", "asean", "--year", "2024", "--format", "csv")
    tables = csv_sections(out)
    assert [(r["code"], r["name"]) for r in tables["figures"]] == [("5880", "Japan"), ("ASEAN", "ASEAN")]
    assert list(tables["figures"][0])[:2] == ["code", "name"]
    assert [key for key in tables["history"][0] if key.endswith("_musd")] == ["5880_musd", "ASEAN_musd"]
    # the chapters alone (--chapters, CSV): each row names the places its columns' codes stand for
    _, out, _ = run(capsys, "compare", "japan", "asean", "--year", "2024", "--chapters", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert "share_5880_pct" in rows[0] and {(r["name_5880"], r["name_ASEAN"]) for r in rows} == {("Japan", "ASEAN")}


@pytest.mark.parametrize(("year", "total"), [("1985", "US total balance of the partners covered"),
                                           ("1995", "US total balance")])
def test_a_comparisons_share_says_what_the_us_total_is(capsys, year, total):
    _, out, _ = run(capsys, "compare", "japan", "canada", "--year", year)
    assert f"Share: of the {total} (-$" in out


def test_compare_takes_groups(capsys):
    status, out, _ = run(capsys, "compare", "china", "asean", "--year", "2024", "--format", "json")
    assert status == 0
    assert [(r["name"], r["kind"]) for r in json.loads(out)["figures"]] == [("China", "partner"), ("ASEAN", "group")]


# ---------------------------------------------------------------- "how has ASEAN moved"


def test_show_asean_shows_the_group(capsys):
    status, out, err = run(capsys, "show", "asean", "--year", "2024")
    assert status == 0 and err == ""
    assert out.startswith("ASEAN · bloc · 2024")
    assert "2023 -$203.2B → 2024 -$227.3B: deficit widened by $24.1B, +12%" in out
    assert "Members, 2024" in out and "Share of group" in out and "Vietnam" in out
    listed = [row["code"] for row in json.loads(run(capsys, "groups", "--year", "2024", "--format", "json")[1])]
    rank = f"#{listed.index('ASEAN') + 1} of {len(listed)} by balance in the regions and blocs list"
    assert f"{rank}, today's-members rows included" in out
    assert run(capsys, "show", "--group", "asean", "--year", "2024")[1] == out


@pytest.mark.parametrize(("argv", "rank"), [
    (["opec"], 17), (["asean", "--year", "2016"], 10), (["asean today"], 4), (["brics", "--year", "2009"], 4),
])
def test_a_groups_rank_in_show_is_its_row_in_groups(capsys, argv, rank):
    year = argv[argv.index("--year") + 1] if "--year" in argv else "latest"
    listed = json.loads(run(capsys, "groups", "--year", year, "--format", "json")[1])
    shown = json.loads(run(capsys, "show", *argv, "--format", "json")[1])
    row = next(r for r in listed if r["code"] == shown["code"])
    assert (shown["rank"], shown["ranked"]) == (row["rank"], len(listed)) == (rank, 22)
    assert shown["ranked_among"] == "the regions and blocs list, today's-members rows included"
    text = run(capsys, "show", *argv)[1]
    assert f"(#{rank} of 22 by balance in the regions and blocs list, today's-members rows included)" in text


def test_show_asean_since_2015_in_json(capsys):
    _, out, _ = run(capsys, "show", "asean", "--year", "2024", "--format", "json")
    data = json.loads(out)
    assert [row["year"] for row in data["history"]] == [str(y) for y in range(2015, 2025)]
    assert data["change_words"] == "deficit widened by $24.1B, +12%"
    assert math.fsum(m["share"] for m in data["member_list"]) == pytest.approx(100, abs=0.1)


def test_a_partner_named_like_a_group_wins_and_the_note_names_the_group_form(capsys, dataset, monkeypatch):
    from tui.trade import lookup

    monkeypatch.setattr("tui.cli._dataset", lambda: dataset)
    monkeypatch.setitem(lookup.GROUP_ALIASES, "USMCA", ("mexico",))
    dataset._memo.pop("group_index", None)
    try:
        status, out, err = run(capsys, "show", "mexico", "--year", "2024")
    finally:
        dataset._memo.pop("group_index", None)
    assert status == 0 and out.startswith("Mexico (MEX)")
    assert err == "tradegap: 'mexico' is also a group: 'tradegap show --group mexico' shows USMCA/NAFTA partners\n"


# ---------------------------------------------------------------- numbers that explain themselves


def test_show_puts_the_same_period_a_year_earlier_next_to_it(capsys):
    status, out, _ = run(capsys, "show", "vietnam")
    assert status == 0
    assert "2025 Jan-Aug -$113.1B → 2026 Jan-Aug -$163.9B: deficit widened by $50.8B, +45%" in out
    lines = out.splitlines()
    assert lines[1].split() == ["2025", "Jan-Aug", "2026", "Jan-Aug", "Change", "%", "change"]


def test_shows_last_10_years_end_at_the_selected_year(capsys):
    _, out, _ = run(capsys, "show", "china", "--year", "2019", "--format", "json")
    assert [row["year"] for row in json.loads(out)["history"]] == [str(y) for y in range(2010, 2020)]


COMMANDS = [
    ["top", "3", "--year", "2024"],
    ["show", "china", "--year", "2024"],
    ["show", "asean", "--year", "2024"],
    ["months", "canada", "--year", "2026-ytd3"],
    ["compare", "china", "vietnam", "--year", "2024"],
    ["groups", "--year", "2024"],
    ["sectors", "3", "--year", "2024"],
]


@pytest.mark.parametrize("argv", COMMANDS, ids=lambda a: "-".join(a[:2]))
def test_every_command_in_every_format_says_what_the_figures_are(capsys, argv):
    status, table, _ = run(capsys, *argv)
    assert status == 0 and BASIS in table
    status, markdown, _ = run(capsys, *argv, "--format", "markdown")
    assert status == 0 and f"Figures: {BASIS}." in markdown.splitlines()[-1]
    status, text, _ = run(capsys, *argv, "--format", "json")
    assert status == 0 and json.loads(text)
    status, text, _ = run(capsys, *argv, "--format", "csv")
    assert status == 0
    found = sections(text) if "\n\n" in text else {"": list(csv.DictReader(io.StringIO(text)))}
    for rows in found.values():
        assert rows and all(None not in row for row in rows)  # every row as long as its header
        assert not any(key in ("exports", "imports", "balance") for key in rows[0])  # units in the headers


def test_a_list_restricted_to_a_bloc_in_its_first_year_says_its_rows_are_whole_periods(capsys):
    from tui.cli import main

    assert main(["top", "--group", "brics", "--year", "2009", "--all"]) == 0
    out = capsys.readouterr().out
    assert ("BRICS began in Jun 2009, so its figures for 2009 are Jun-Dec only; each member's row here is its "
            "whole period") in out


@pytest.mark.parametrize(("argv", "says"), [
    (["--group", "brics", "--year", "2005"], "tradegap: no members of BRICS in 2005: it began in Jun 2009\n"),
    (["--group", "mercosur", "--year", "1990", "--format", "csv"],
     "tradegap: no members of Mercosur in 1990: it began in Mar 1991\n"),
])
def test_a_bloc_before_it_began_is_one_line_not_an_empty_table(capsys, argv, says):
    status, out, err = run(capsys, "top", *argv)
    assert (status, out, err) == (2, "", says)
