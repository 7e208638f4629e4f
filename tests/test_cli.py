"""The quick-lookup command line: tables, formats, exit codes, one-line errors."""

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from tui import __version__
from tui.cli import main

# the commands read the shipped data already parsed, as after a first run (conftest.py: each test its own copy)
pytestmark = pytest.mark.usefixtures("warm_cache")

TOP10_2024 = ["China", "Mexico", "Vietnam", "Ireland", "Germany", "Taiwan", "Japan", "South Korea", "Canada", "India"]


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_top_ten_2024(capsys):
    status, out, err = run(capsys, "top", "10", "--year", "2024")
    assert status == 0 and err == ""
    rows = out.splitlines()[2:12]
    assert [r.split()[0] for r in rows] == [str(i) for i in range(1, 11)]
    for row, name in zip(rows, TOP10_2024, strict=True):
        assert name in row
    assert "-$297.0B" in rows[0]
    assert "$440.3B" in rows[0] and "$143.3B" in rows[0]


def test_top_csv_and_json_carry_raw_millions(capsys):
    _, out, _ = run(capsys, "top", "3", "--year", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["name"] for r in rows] == TOP10_2024[:3]
    assert float(rows[0]["balance_musd"]) == pytest.approx(-297_047.7)  # the unit in the header
    assert list(rows[0]) == ["rank", "code", "iso", "name", "exports_musd", "imports_musd", "balance_musd",
                             "change_musd", "share_pct", "cum_share_pct", "period", "release", "basis"]
    _, out, _ = run(capsys, "top", "3", "--year", "2024", "--format", "json")
    records = json.loads(out)
    assert records[0]["code"] == "5700" and records[0]["imports"] == pytest.approx(440_319.4)


def _note_amount(note: str, label: str) -> str:
    """The amount after `label` in a footnote ('sum of the 10 partners shown: -$1.07T (89.1% of the US total
    balance) · share: ...', 'US total 2024: -$1.20T · release')."""
    return note.split(label, 1)[1].split("·")[0].split(" (")[0].strip(" _")


@pytest.mark.parametrize(
    "argv",
    [
        ["top", "10", "--year", "2024"],
        ["top", "5", "--year", "2024", "--surplus"],
        ["top", "3", "--year", "2024", "--group", "asean"],
        ["top", "10", "--year", "2024", "--format", "markdown"],
        ["top", "4", "--year", "2019", "--all"],
    ],
)
def test_top_footnote_sums_the_rows_shown_beside_the_us_total(capsys, argv):
    from tui.trade.formatting import money

    status, out, _ = run(capsys, *argv)
    assert status == 0
    note = next(line for line in out.splitlines() if " shown: " in line)
    year = argv[argv.index("--year") + 1]
    total = next(line for line in out.splitlines() if line.strip("_").startswith(f"US total {year}: "))
    json_argv = [a for a in argv if a not in ("--format", "markdown")] + ["--format", "json"]
    records = json.loads(run(capsys, *json_argv)[1])
    n = int(argv[1])
    what = "partner" if len(records) == 1 else "partners"
    assert note.strip("_").startswith(f"sum of the {len(records)} {what} shown: ") and len(records) <= n
    assert _note_amount(note, " shown: ") == money(sum(r["balance"] for r in records), signed=True)
    world = json.loads(run(capsys, "top", "1", "--year", year, "--all", "--format", "json")[1])[0]
    assert _note_amount(total, f"US total {year}: ") == money(world["balance"] / world["share"] * 100, signed=True)


def test_top_csv_has_every_field_json_has(capsys):
    _, out, _ = run(capsys, "top", "3", "--year", "2024", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    records = json.loads(run(capsys, "top", "3", "--year", "2024", "--format", "json")[1])
    assert [key.removesuffix("_musd").removesuffix("_pct") for key in rows[0]] == list(records[0])  # units apart
    assert [r["code"] for r in rows] == ["5700", "2010", "5520"]


def test_a_zero_balance_is_balanced_and_no_share_prints_minus_zero(capsys):
    status, out, _ = run(capsys, "show", "syria", "--year", "2012")
    assert status == 0
    balance = next(line for line in out.splitlines() if line.startswith("  Balance"))  # the fact, not the table
    assert "$0 (balanced," in balance
    assert "-0.0%" not in out and "Share of US total balance  0.0%" in out


def test_sectors_refuse_a_year_to_date(capsys):
    status, out, err = run(capsys, "sectors", "--year", "2024-ytd3")
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "annual" in err and "2023, 2024" in err


@pytest.mark.parametrize("latest", ["latest", " LATEST ", "", "ytd"])
def test_sectors_latest_is_the_default_year_as_for_every_command(capsys, latest):
    default = run(capsys, "sectors", "3")
    assert default[0] == 0 and default[1].startswith("HS chapters by balance · 2024 ·")
    assert run(capsys, "sectors", "3", "--year", latest) == default


def test_top_markdown(capsys):
    _, out, _ = run(capsys, "top", "2", "--year", "2024", "--format", "markdown")
    assert "| 1 | CHN | China |" in out.replace("  ", " ")
    assert "---:" in out


def test_top_surplus_and_group(capsys):
    _, out, _ = run(capsys, "top", "1", "--year", "2024", "--surplus", "--format", "json")
    assert json.loads(out)[0]["name"] == "Netherlands"
    _, out, _ = run(capsys, "top", "--year", "2024", "--group", "asean", "--format", "json")
    names = [r["name"] for r in json.loads(out)]
    assert names[0] == "Vietnam" and "China" not in names


def test_top_defaults_to_the_latest_year_to_date(capsys):
    _, out, _ = run(capsys, "top", "1")
    assert "2026 Jan-Aug" in out


@pytest.mark.parametrize("query", ["south korea", "KOR", "5800", "Korea"])
def test_show_accepts_names_aliases_and_codes(capsys, query):
    status, out, _ = run(capsys, "show", query, "--year", "2024")
    assert status == 0
    reference = run(capsys, "show", "South Korea", "--year", "2024")[1]
    assert out == reference
    assert out.startswith("South Korea (KOR)")


def test_show_china_has_the_figures_history_and_chapters(capsys):
    _, out, _ = run(capsys, "show", "china", "--year", "2024")
    assert "-$297.0B" in out and "#1 of" in out
    assert "Peak deficit" in out and "2018" in out


def test_a_peak_deficit_says_the_years_it_is_the_largest_of(capsys):
    # every complete year on record, those after the period shown too: Vietnam's peak of 2025 in a 2024 detail
    from tui.trade import load_dataset
    from tui.trade.places import partner_history

    history = partner_history(load_dataset(), "5520")
    complete = history.loc[history["months"] == 12, "year"]
    span = f"{complete.min()}-{complete.max()}"
    _, out, _ = run(capsys, "show", "vietnam", "--year", "2024")
    assert f"Peak deficit, {span}    2025: -$178.3B" in out
    facts = json.loads(run(capsys, "show", "vietnam", "--year", "2024", "--format", "json")[1])
    assert facts["peak_deficit_year"] == 2025 and facts["peak_deficit_of"] == f"complete years {span}"
    assert "Last 10 years" in out and "2026 YTD" not in out.split("Last 10 years")[0]
    assert "Top chapters by balance, 2024" in out and "Electrical machinery" in out


def test_show_json(capsys):
    _, out, _ = run(capsys, "show", "vietnam", "--year", "2024", "--format", "json")
    data = json.loads(out)
    assert data["name"] == "Vietnam" and data["rank"] == 3
    assert data["balance"] == pytest.approx(data["exports"] - data["imports"], abs=0.2)
    assert len(data["history"]) == 10
    assert data["chapters_year"] == 2024


def csv_sections(text: str) -> dict[str, list[dict]]:
    """A CSV of several tables: each after a line naming it, the tables apart by an empty line."""
    sections = {}
    for block in text.split("\n\n"):
        name, _, body = block.partition("\n")
        sections[name] = list(csv.DictReader(io.StringIO(body)))
    return sections


def test_show_csv_has_the_figures_row_then_history_and_chapters(capsys):
    _, out, _ = run(capsys, "show", "mexico", "--year", "2024", "--format", "csv")
    sections = csv_sections(out)
    assert list(sections) == ["figures", "history", "chapters"]
    (figures,) = sections["figures"]
    assert figures["name"] == "Mexico" and figures["previous_period"] == "2023"
    assert float(figures["balance_musd"]) - float(figures["prev_balance_musd"]) == pytest.approx(
        float(figures["change_musd"]), abs=0.01)
    assert [row["year"] for row in sections["history"]] == [str(y) for y in range(2015, 2025)]


# every CSV table of every command: the period (where its rows do not name their own), release and basis of
# its figures as its last columns. Per command: each table's name and what it gives, (its period, None where
# its rows name their own; where its release comes from: the partner figures' or the HS chapters')
SAID_BY_EVERY_TABLE = [
    (["top", "3", "--year", "2024"], {"": ("2024", "trade")}),
    (["top", "3", "--year", "2026-ytd8"], {"": ("2026 Jan-Aug", "trade")}),
    (["groups", "--year", "2026-ytd8"], {"": ("2026 Jan-Aug", "trade")}),
    (["sectors", "3", "--year", "2024"], {"": ("2024", "sectors")}),
    (["sectors", "3", "--partner", "china", "--year", "2023"], {"": ("2023", "sectors")}),
    (["show", "vietnam", "--year", "2024"],
     {"figures": ("2024", "trade"), "history": (None, "trade"), "chapters": ("2024", "sectors")}),
    (["show", "--group", "asean", "--year", "2026-ytd8"],
     {"figures": ("2026 Jan-Aug", "trade"), "history": (None, "trade"), "members": ("2026 Jan-Aug", "trade"),
      "chapters": ("2024", "sectors")}),
    (["show", "brics", "--year", "2009"],
     {"figures": ("2009", "trade"), "history": (None, "trade"), "members": ("2009", "trade"),
      "chapters": ("2023", "sectors")}),
    (["months", "canada", "--year", "2026"], {"": (None, "trade")}),
    (["compare", "china", "vietnam", "--year", "2024"], {"figures": ("2024", "trade"), "history": (None, "trade")}),
    (["compare", "china", "vietnam", "--year", "2009", "--chapters"], {"": ("2023", "sectors")}),
]


def _release(ds, year: str, kind: str) -> str:
    """The release of a --year's partner figures, or of a year's HS chapters."""
    from tui.trade import parse_period
    from tui.trade.releases import release_of, sector_release_of

    return sector_release_of(ds, int(year)) if kind == "sectors" else release_of(ds, parse_period(ds, year))


@pytest.mark.parametrize(("argv", "tables"), SAID_BY_EVERY_TABLE, ids=lambda v: " ".join(v) if isinstance(v, list)
                         else "tables")
def test_every_csv_row_says_its_period_release_and_basis(capsys, argv, tables):
    from tui.trade import load_dataset
    from tui.trade.changes import BASIS
    from tui.trade.releases import chapters_note

    ds = load_dataset()
    year = argv[argv.index("--year") + 1]
    _, out, _ = run(capsys, *argv, "--format", "csv")
    found = csv_sections(out) if "" not in tables else {"": list(csv.DictReader(io.StringIO(out)))}
    assert list(found) == list(tables)
    for name, rows in found.items():
        period, kind = tables[name]
        # HS chapters also say whether they come from another release than the totals
        chapters = kind == "sectors"
        assert rows and list(rows[0])[-3 if chapters else -2:] == ["release", "basis", *(["chapters_note"] if chapters
                                                                                         else [])], name
        for row in rows:
            assert row["basis"] == BASIS, (name, row)
            if chapters:
                assert row["chapters_note"] == chapters_note(ds, int(period)), (name, row)
            assert row.get("period") == period, (name, row)
            if name == "history":  # each year's own release; a last row of part of a year, the command's period's
                assert row["release"] == _release(ds, row["year"] if row["year"].isdigit() else year, kind), row
            else:
                assert row["release"] == _release(ds, period if kind == "sectors" else year, kind), (name, row)
        if name == "history" and argv[0] == "show" and year != "2009":  # the latest years from a later release
            assert len({row["release"] for row in rows}) > 1


def test_json_records_say_their_period_release_and_basis(capsys):
    from tui.trade import load_dataset
    from tui.trade.changes import BASIS

    ds = load_dataset()
    for argv, period, kind in ((["top", "2", "--year", "2026-ytd8"], "2026 Jan-Aug", "trade"),
                               (["groups", "--year", "2025"], "2025", "trade"),
                               (["sectors", "2", "--year", "2023"], "2023", "sectors"),
                               (["months", "china", "--year", "2025"], None, "trade")):
        _, out, _ = run(capsys, *argv, "--format", "json")
        for record in json.loads(out):
            assert record["basis"] == BASIS, argv
            assert record["release"] == _release(ds, period if kind == "sectors" else argv[-1], kind), argv
            assert record.get("period") == period, argv  # months: each record names its month
    _, out, _ = run(capsys, "compare", "china", "mexico", "--year", "2024", "--chapters", "--format", "json")
    data = json.loads(out)
    assert data["basis"] == BASIS and data["chapters_release"] == _release(ds, "2024", "sectors")
    assert all(r["period"] == "2024" and r["release"] == _release(ds, "2024", "trade") for r in data["figures"])
    assert [row["release"] for row in data["history"]] == [_release(ds, str(row["year"]), "trade")
                                                           for row in data["history"]]
    for argv in (["show", "china", "--year", "2024"], ["show", "--group", "asean", "--year", "2024"]):
        _, out, _ = run(capsys, *argv, "--format", "json")
        data = json.loads(out)
        assert data["basis"] == BASIS and data["release"] == _release(ds, "2024", "trade"), argv
        assert [row["release"] for row in data["history"]] == [_release(ds, row["year"], "trade")
                                                               for row in data["history"]], argv


@pytest.mark.parametrize(("argv", "says"), [
    (["compare", "china", "mexico", "--year", "2024"],
     "Figures: 2015-2021: Census country file of April 2025 · 2022-2024: Census country file of September 2026"),
    (["compare", "ussr", "czechoslovakia"], "Figures: 1985-1992: Census country file of April 2025"),
])
def test_a_comparisons_balances_by_year_name_the_releases_of_their_years(capsys, argv, says):
    for fmt in ("table", "markdown"):
        _, out, _ = run(capsys, *argv, "--format", fmt)
        assert says in out, fmt
        assert "Figures of " in out  # the period's own release, named as such


def test_a_blocs_detail_says_its_members_are_those_at_the_periods_end(capsys):
    # Indonesia left OPEC in November 2016 and is not listed; Gabon joined in July and its row is its whole year
    _, out, _ = run(capsys, "show", "opec", "--year", "2016")
    assert "Members at the end of 2016 (share: of the group's balance)" in out
    assert ("OPEC's members changed during 2016 (Gabon from Jul 2016; Indonesia until Nov 2016): its figures count "
            "each member for its months of membership; the members listed are those at its end, each row its whole "
            "period") in out
    assert "Indonesia" not in out.split("Members at the end of 2016")[1].split("OPEC's members changed")[0]


def test_a_groups_history_names_the_releases_of_its_years_as_a_partners_does(capsys):
    says = "Figures: 2015-2021: Census country file of April 2025 · 2022-2024: Census country file of September 2026"
    for argv in (["show", "china", "--year", "2024"], ["show", "--group", "asean", "--year", "2024"]):
        for fmt in ("table", "markdown"):
            _, out, _ = run(capsys, *argv, "--format", fmt)
            assert says in out, (argv, fmt)


def test_groups_and_sectors(capsys):
    status, out, _ = run(capsys, "groups", "--year", "2024", "--format", "json")
    names = [r["name"] for r in json.loads(out)]
    assert status == 0 and "Asia" in names and "Advanced Technology Products" not in names
    _, out, _ = run(capsys, "sectors", "5", "--partner", "china", "--format", "json")
    chapters = json.loads(out)
    assert len(chapters) == 5 and chapters[0]["balance"] < 0
    status, out, _ = run(capsys, "sectors", "--group", "asean", "--year", "2023")
    assert status == 0 and "2023" in out and ("ASEAN" in out or "Association" in out)


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["show", "Vietnm"], "no partner 'Vietnm' — did you mean Vietnam?"),
        (["show", "narnia"], "no partner 'narnia'"),
        (["top", "--year", "1900"], "no data for 1900"),
        (["top", "--year", "soon"], "'soon' is not a period: give a year (2024), a year to date (2026-ytd3: "
                                    "January to March) or a month (2026-03)"),
        (["top", "--year", "2026-13"], "a month is 01 to 12, not 13"),
        (["top", "--year", "2026-09"], "no data for 2026-09: the latest month is 2026-08"),
        (["months", "narnia"], "no partner 'narnia'"),
        (["show", "aseen"], "no partner or group 'aseen' — did you mean ASEAN"),
        (["show", "china", "--group", "asean"], "not both"),
        (["compare", "a", "b", "c", "d", "e", "f", "g"], ""),
        (["compare", "china", "vietnam", "mexico", "japan", "canada", "india", "korea"],
         "compare takes at most 6 partners or groups, not 7"),
        # two names of one place are one place: compare takes two different ones
        (["compare", "china"], "compare takes 2 to 6 different partners or groups, not 1 (only China)"),
        (["compare", "china", "China"], "compare takes 2 to 6 different partners or groups, not 1 (only China)"),
        (["compare", "china", "5700", "CN"], "compare takes 2 to 6 different partners or groups, not 1 (only China)"),
        # one line: not the note that 'australia' is also a group's name before it
        (["compare", "australia", "Australia"], "not 1 (only Australia)"),
        (["top", "--group", "asaen"], "no group 'asaen'"),
        (["top", "0"], "N must be at least 1"),
        (["top", "--format", "xml"], "invalid choice: 'xml'"),
        (["top", "--colour"], "unrecognized arguments: --colour"),
        (["--bogus"], "unrecognized arguments: --bogus"),  # with no command: the app is not started
        (["--theme"], "argument --theme: expected one argument"),
        (["show"], "the following arguments are required: partner (or --group GROUP)"),
        (["top", "ten"], "invalid int value: 'ten'"),
        (["top", "--year", "2024-ytd13"], "a period covers 1 to 12 months, not 13"),
        (["sectors", "--format", "xml"], "invalid choice: 'xml'"),
        (["frobnicate"], "invalid choice: 'frobnicate'"),
        (["sectors", "--year", "2019"], "no sector data for 2019"),
        (["sectors", "--partner", "china", "--group", "asean"], "not both"),
        (["show", "ussr", "--year", "2024"], "no recorded trade with USSR (former) in 2024 (data for 1985-1992)"),
    ],
)
def test_mistakes_exit_2_with_one_clear_line(capsys, argv, says):
    status, out, err = run(capsys, *argv)
    assert status == 2
    assert out == ""
    assert says in err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_missing_data_exits_1_naming_the_file(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("TRADEGAP_DATA_DIR", str(tmp_path / "nowhere"))
    status, out, err = run(capsys, "top")
    assert status == 1 and out == ""
    assert "partners.csv" in err and err.count("\n") == 1


def test_paths_show_the_config_cache_and_data_locations(capsys, isolated_dirs):
    config, cache = isolated_dirs
    _, out, _ = run(capsys, "paths")
    assert str(config / "settings.json") in out
    assert str(cache) in out
    assert "data" in out


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.strip() == f"tradegap {__version__}"


def test_python_dash_m_works_from_any_directory(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "tui", "top", "3", "--year", "2024", "--format", "csv"],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert [r["name"] for r in csv.DictReader(io.StringIO(result.stdout))] == TOP10_2024[:3]


@pytest.mark.skipif(shutil.which("tradegap") is None, reason="console script not installed")
def test_console_script_reports_errors_on_stderr(tmp_path):
    result = subprocess.run(["tradegap", "show", "Vietnm"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "tradegap: no partner 'Vietnm' — did you mean Vietnam?\n"


def test_ctrl_c_before_the_app_has_the_terminal_exits_quietly(monkeypatch, capsys):
    def interrupted(**options):
        raise KeyboardInterrupt

    monkeypatch.setattr("tui.launch.run", interrupted)
    assert main([]) == 130
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- which release, which members, which total


def test_footers_name_the_release_of_the_period_shown(capsys):
    out = run(capsys, "top", "3", "--year", "1988")[1]
    assert "Census country file of April 2025" in out and "2026" not in out.split("\n", 5)[-1]
    out = run(capsys, "top", "3", "--year", "2024")[1]
    assert out.rstrip().splitlines()[-2].endswith("Census country file of September 2026")  # then the basis
    out = run(capsys, "groups", "--year", "1988")[1]
    assert "Census country file of April 2025" in out and "October 2026" not in out
    out = run(capsys, "sectors", "3", "--year", "2023")[1]
    assert "HS chapters 2023: imports: Census API (2025); exports: USITC DataWeb (August 2025)" in out
    records = json.loads(run(capsys, "top", "2", "--year", "1990", "--format", "json")[1])
    assert {r["release"] for r in records} == {"Census country file of April 2025"}
    records = json.loads(run(capsys, "groups", "--year", "2026", "--format", "json")[1])
    assert {r["release"] for r in records} == {"Census release of October 2026"}
    facts = json.loads(run(capsys, "show", "china", "--year", "2024", "--format", "json")[1])
    assert facts["release"] == "Census country file of September 2026"
    assert facts["chapters_release"].startswith("imports: Census API (2025)")
    out = run(capsys, "show", "china", "--year", "2024")[1]
    assert "Figures of 2024: Census country file of September 2026" in out
    assert "2015-2021: Census country file of April 2025" in out and "Census, release of Oct 2026" not in out


def test_chapters_from_an_earlier_release_say_so(capsys):
    out = run(capsys, "show", "china", "--year", "2024")[1]
    assert "chapters from an earlier release than the totals" in out
    out = run(capsys, "sectors", "--partner", "china", "--year", "2024")[1]
    assert "chapters from an earlier release than the totals" in out
    facts = json.loads(run(capsys, "show", "china", "--year", "2024", "--format", "json")[1])
    assert facts["chapters_note"].startswith("chapters from an earlier release")


@pytest.mark.parametrize("argv", [["asean", "--year", "2016"], ["brics", "--year", "2009"], ["opec"]])
def test_a_groups_chapters_name_their_release_as_a_partners_do(capsys, argv):
    # the same sector year as Vietnam's detail of the period: the same release and note, said the same way
    year = argv[argv.index("--year") + 1] if "--year" in argv else "latest"
    partner = json.loads(run(capsys, "show", "vietnam", "--year", year, "--format", "json")[1])
    facts = json.loads(run(capsys, "show", *argv, "--format", "json")[1])
    assert facts["chapters_year"] == partner["chapters_year"]
    assert facts["chapters_release"] == partner["chapters_release"] != facts["release"]
    assert facts["chapters_note"] == partner["chapters_note"]
    assert facts["chapters_note"].startswith("chapters from an earlier release than the totals")
    said = (f"HS chapters {facts['chapters_year']}: {facts['chapters_release']} · {facts['chapters_note']}")
    out = run(capsys, "show", *argv)[1]
    assert f"Top chapters by balance, {facts['chapters_year']}" in out and said in out
    assert said in run(capsys, "show", "vietnam", "--year", year)[1]
    assert f"_{said}_" in run(capsys, "show", *argv, "--format", "markdown")[1]


def test_blocs_are_shown_with_the_members_of_their_time(capsys):
    out = run(capsys, "top", "--year", "2016", "--group", "opec")[1]
    assert out.splitlines()[0].endswith("· OPEC (members of Dec 2016)")
    assert "Gabon from Jul 2016; Indonesia until Nov 2016" in out
    out = run(capsys, "top", "--year", "2016", "--group", "opec today")[1]
    assert out.splitlines()[0].endswith("· OPEC (today's members)")
    groups = json.loads(run(capsys, "groups", "--year", "1988", "--format", "json")[1])
    by_code = {g["code"]: g for g in groups}
    assert "BRICS" not in by_code and by_code["BRICS-TODAY"]["name"] == "BRICS (today's members)"
    assert by_code["BRICS-TODAY"]["membership"] == "today" and by_code["OPEC"]["membership"] == "dated"
    groups = {g["code"]: g for g in json.loads(run(capsys, "groups", "--year", "2015", "--format", "json")[1])}
    assert groups["0003"]["members"] == 28 and groups["EU27"]["name"] == "EU27 (today's members)"
    out = run(capsys, "groups", "--year", "2016")[1]
    assert "members of each month" in out or "months of membership" in out


def test_a_blocs_detail_names_the_members_who_joined_or_left(capsys):
    out = run(capsys, "show", "--group", "opec", "--year", "2016")[1]
    members = out.split("Members at the end of 2016", 1)[1]
    assert "Gabon from Jul 2016; Indonesia until Nov 2016" in members
    assert "changed during" not in run(capsys, "show", "asean", "--year", "2024")[1]


def test_the_us_total_before_1992(capsys):
    out = run(capsys, "top", "3", "--year", "1985")[1]
    assert "US total (partners covered)" in out
    out = run(capsys, "top", "3", "--year", "1991")[1]
    assert "US total 1991: -$66.7B" in out and "partners covered" not in out


def test_predecessors_successors_and_unallocated_trade_in_show(capsys):
    out = run(capsys, "show", "russia", "--year", "1992")[1]
    assert "Change vs 1991             new partner" in out
    assert "Note: New partner in 1992, after the dissolution of the USSR" in out
    out = run(capsys, "show", "germany", "--year", "1988")[1]
    assert "Note: West Germany" in out
    assert "Note:" not in run(capsys, "show", "germany", "--year", "1995")[1]
    status, out, _ = run(capsys, "show", "unidentified countries", "--year", "2005")
    assert status == 0 and out.startswith("Unidentified countries · unallocated trade · 2005")
    assert "not ranked" in out
    out = run(capsys, "top", "--year", "2005", "--all")[1]
    assert "Unidentified countries (unallocated)" in out
    assert "(unallocated)" not in run(capsys, "top", "--year", "2005")[1]


def test_tradegap_alone_means_what_the_parser_makes_of_no_arguments(monkeypatch):
    """`tradegap` alone starts the app without building the parser: with the parser's own defaults."""
    from tui import cli

    assert vars(cli.build_parser().parse_args([])) == vars(cli.BARE)
    started = []
    monkeypatch.setattr(cli, "build_parser", lambda: pytest.fail("the parser was built"))
    monkeypatch.setattr(cli, "run_app", lambda args: started.append(args) or 0)
    monkeypatch.setattr(sys, "argv", ["tradegap"])
    assert main() == 0 and main([]) == 0
    assert started == [cli.BARE, cli.BARE]
