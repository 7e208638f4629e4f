"""Tests for the data pipeline (tui.pipeline, run by data/build.py) and the committed dataset in data/.

Tests that need the raw sources (../shared/sources, or the directory named by
TRADEGAP_SOURCES) skip when they are absent; the tests of the committed files read
data/*.csv only.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from tui.pipeline import assemble, checks, parsers, sources, text, units, write
from tui.pipeline.build import build_from_sources, main
from tui.pipeline.curation import load_curation

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SOURCES = Path(os.environ.get("TRADEGAP_SOURCES") or ROOT.parent / "shared" / "sources")
CURATION = load_curation()

needs_sources = pytest.mark.skipif(
    not (SOURCES / sources.COUNTRY_CSV_FILE).is_file(), reason="raw sources (../shared/sources) not present")


def read_csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype={"code": str, "group": str, "member": str},
                       keep_default_na=False, na_values={"exports": [""], "imports": [""]})


# --------------------------------------------------------------------------------------
# each check can fail
# --------------------------------------------------------------------------------------

def test_check_balance_fails_on_wrong_balance():
    a = pd.DataFrame({"code": ["5700", "1220"], "year": [2024, 2024],
                      "exports": [1000.0, 500.0], "imports": [400.0, 100.0],
                      "balance": [600.0, 401.0]})          # tenths: 1220 is off by 0.1
    c = checks.check_balance(a)
    assert not c.ok and len(c.failures) == 1 and "1220" in c.failures[0]
    a.loc[1, "balance"] = 400.0
    assert checks.check_balance(a).ok


def test_check_month_sums_fails_when_months_do_not_add_up():
    m = pd.DataFrame({"code": "5700", "year": 2024, "month": range(1, 13),
                      "exports": 10.0, "imports": 20.0})   # tenths: sums 120 / 240
    ok = pd.DataFrame({"code": ["5700"], "year": [2024], "exports": [123.0],
                       "imports": [236.0], "months": [12]})
    assert checks.check_month_sums(m, ok).ok                     # 0.3 / 0.4 within 0.5
    bad = ok.assign(exports=[126.0])                        # 0.6 off
    c = checks.check_month_sums(m, bad)
    assert not c.ok and "exports" in c.failures[0]


def test_check_partners_table_fails_on_duplicates_and_empty_names():
    p = pd.DataFrame({"code": ["5700", "5700", "1220"], "name": ["China", "China", " "],
                      "iso2": ["CN", "CN", "CA"], "iso3": ["CHN", "", "CAN"],
                      "kind": ["country", "country", "planet"]})
    c = checks.check_partners_table(p)
    text = "\n".join(c.failures)
    assert "duplicate code 5700" in text and "1220 has no name" in text
    assert "unknown kind" in text


def test_check_references_fails_on_unknown_code():
    p = pd.DataFrame({"code": ["5700", "WORLD"]})
    t = pd.DataFrame({"code": ["5700", "9999"]})
    c = checks.check_codes_known(p, {"trade_annual": (t, ["code"])})
    assert not c.ok and "9999" in c.failures[0]
    assert checks.check_codes_known(p, {"x": (t.iloc[:1], ["code"])}).ok


def _group_annual(group_value: float, year: int) -> pd.DataFrame:
    return pd.DataFrame({"code": ["A", "B", "G"], "year": [year] * 3,
                         "exports": [600.0, 400.0, group_value],
                         "imports": [600.0, 400.0, 1000.0]})


def test_check_groups_vs_census_fails_on_unexplained_recent_difference():
    members = {"G": ["A", "B"]}
    assert checks.check_groups_vs_census(_group_annual(1000.0, 2024), members, known={}).ok
    c = checks.check_groups_vs_census(_group_annual(1100.0, 2024), members, known={})
    assert not c.ok and "G 2024 exports" in c.failures[0]
    # an explanation turns it into a reported note
    c = checks.check_groups_vs_census(_group_annual(1100.0, 2024), members,
                                 known={("G", 2020, 2025): "because"})
    assert c.ok and "because" in c.notes[0]
    # before the strict years it is reported, not failed
    c = checks.check_groups_vs_census(_group_annual(1100.0, 2005), members, known={})
    assert c.ok and c.notes


def test_check_world_fails_from_1992_and_reports_before():
    census = pd.DataFrame({"code": "0015", "year": [1990, 2000], "exports": [1000.0, 1000.0],
                           "imports": [1000.0, 1000.0], "months": 12})
    world = pd.DataFrame({"code": "WORLD", "year": [1990, 2000], "months": 12,
                          "exports": [950.0, 1000.0], "imports": [990.0, 1000.0]})
    empty = pd.DataFrame(columns=["code", "year", "month", "exports", "imports"])
    c = checks.check_world(world, empty, empty, census)
    assert c.ok and c.notes and "1990" in c.notes[0]
    c = checks.check_world(world.assign(exports=[950.0, 990.0]), empty, empty, census)
    assert not c.ok and "2000 exports" in c.failures[0]


def _sector_frames(chapter_dollars: int):
    partners = pd.DataFrame({"code": ["5700"], "kind": ["country"]})
    sectors = pd.DataFrame({"code": "5700", "year": 2024, "chapter": [84, 85],
                            "exports": [0, 0], "imports": [chapter_dollars // 2] * 2})
    annual = pd.DataFrame({"code": ["5700"], "year": [2024], "exports": [0.0],
                           "imports": [10000.0]})              # 1,000.0 $M
    return sectors, annual, partners


def test_check_sectors_vs_totals_fails_beyond_tolerance():
    tol = {"imports": (0.01, 5.0), "exports": (0.02, 10.0)}
    s, a, p = _sector_frames(1_010_000_000)                    # +10 $M: within 1% + 5
    assert checks.check_sectors_vs_totals(s, a, p, tolerance=tol, known={}).ok
    s, a, p = _sector_frames(1_100_000_000)                    # +100 $M
    c = checks.check_sectors_vs_totals(s, a, p, tolerance=tol, known={})
    assert not c.ok and "5700 2024 imports" in c.failures[0]
    # explained by an earlier release ...
    prior = a.assign(imports=[11000.0])
    c = checks.check_sectors_vs_totals(s, a, p, prior=prior, tolerance=tol, known={})
    assert c.ok and c.data["revised"]
    # ... or by a known exception
    c = checks.check_sectors_vs_totals(s, a, p, tolerance=tol, known={("5700", 2024, "imports"): "x"})
    assert c.ok and c.data["explained"]


def test_check_hs_aggregates_fails_on_mismatch():
    sectors = pd.DataFrame({"code": ["ASEAN"], "year": [2024], "chapter": [1],
                            "exports": [0], "imports": [100]})
    hs = pd.DataFrame({"cty": ["0027"], "year": [2024], "chapter": [1], "imports": [100]})
    assert checks.check_hs_aggregates(sectors, hs, [("0027", "ASEAN")]).ok
    c = checks.check_hs_aggregates(sectors, hs.assign(imports=[110]), [("0027", "ASEAN")])
    assert not c.ok


def test_check_reference_figures_fails_on_wrong_china():
    ref = dict(CURATION.reference_figures, top10_deficit_2024=["5700"])
    partners = pd.DataFrame({"code": ["5700"], "kind": ["country"]})
    annual = pd.DataFrame({"code": ["5700"], "year": [2024], "exports": [1432717.0],
                           "imports": [4403194.0]})
    sectors = pd.DataFrame({"code": ["5700"], "year": [2024], "chapter": [85],
                            "exports": [0], "imports": [438_742_000_000]})
    assert checks.check_reference_figures(annual, partners, sectors, ref).ok
    c = checks.check_reference_figures(annual.assign(imports=[4403000.0]), partners, sectors, ref)
    assert not c.ok and any("imports" in f for f in c.failures)


def test_group_sums_count_each_member_for_its_months():
    months = list(range(1, 13))
    monthly = pd.DataFrame({"code": ["A"] * 12 + ["B"] * 12, "year": 2016, "month": months * 2,
                            "exports": [10.0] * 12 + [1.0] * 12, "imports": 0.0})
    annual = pd.DataFrame({"code": ["A", "B"], "year": [2016, 2016], "months": [12, 12],
                           "exports": [121.0, 12.0], "imports": [0.0, 0.0]})     # Census's annual columns
    members = pd.DataFrame({"group": ["G", "G"], "member": ["A", "B"], "start": ["", "2016-07"], "end": ["", ""]})
    group_monthly = assemble.group_sum_monthly(monthly, members)
    assert group_monthly.set_index("month")["exports"].tolist() == [10.0] * 6 + [11.0] * 6
    group_annual = assemble.group_sum_annual(annual, group_monthly, members, monthly)
    assert group_annual["exports"].tolist() == [121.0 + 6.0]          # A's annual column, B's six months
    # a group with no member in a year has no row (a bloc before it existed)
    later = members.assign(start=["2017-01", "2017-01"])
    assert assemble.group_sum_annual(annual, assemble.group_sum_monthly(monthly, later), later, monthly).empty
    # undated members (a dict) are members in every month, as before
    plain = assemble.group_sum_annual(annual, group_monthly, {"G": ["A", "B"]})
    assert plain["exports"].tolist() == [133.0]
    with pytest.raises(sources.SourceError, match="overlap"):
        assemble.check_spans(pd.DataFrame({"group": ["G", "G"], "member": ["A", "A"], "start": ["", "2010-01"],
                                           "end": ["2010-06", ""]}))


def test_check_bloc_vs_census_fails_on_an_unexplained_difference():
    annual = pd.DataFrame({"code": ["OPEC", "OPEC"], "year": [2014, 2015], "months": 12,
                           "exports": [1000.0, 1000.0], "imports": [2000.0, 2000.0]})
    census = pd.DataFrame({"year": [2014, 2015], "months": [12, 12], "exports": [1000.0, 1100.0],
                           "imports": [2000.0, 2000.0]})
    check = checks.check_bloc_vs_census(annual, "OPEC", census, known={})
    assert not check.ok and "2015" in check.failures[0]
    check = checks.check_bloc_vs_census(annual, "OPEC", census, known={2015: "because"})
    assert check.ok and "because" in check.notes[0]


def test_world_residual_is_censuss_total_less_the_partners():
    monthly = pd.DataFrame({"code": ["A", "B"], "year": 1990, "month": 1, "exports": [10.0, 5.0], "imports": 1.0})
    annual = pd.DataFrame({"code": ["A", "B"], "year": 1990, "months": 12, "exports": [120.0, 60.0], "imports": 12.0})
    census_monthly = pd.DataFrame({"code": "0015", "year": [1990, 1992], "month": 1, "exports": [20.0, 9.0],
                                   "imports": [3.0, 9.0]})
    census_annual = pd.DataFrame({"code": "0015", "year": [1990, 1992], "months": 12, "exports": [200.0, 9.0],
                                  "imports": [30.0, 9.0]})
    residual_monthly, residual_annual = assemble.world_residual(monthly, annual, census_monthly, census_annual,
                                                                "OTHER", before=1992)
    assert residual_monthly[["year", "exports", "imports"]].values.tolist() == [[1990, 5.0, 1.0]]
    assert residual_annual[["year", "exports", "imports"]].values.tolist() == [[1990, 20.0, 6.0]]


def test_every_place_has_a_continent_and_the_curation_says_where_it_is_from():
    partners = read_csv("partners.csv")
    places = partners[partners["kind"].isin(["country", "former"])]
    assert set(places["code"]) <= set(CURATION.continents)
    assert set(CURATION.continents.values()) == {"Africa", "Asia", "Caribbean", "Central America", "Europe",
                                                 "North America", "Oceania", "South America"}
    for bloc in CURATION.blocs.values():
        assert bloc.source and all(span.source for span in bloc.spans)
    assert all(span.source for span in CURATION.census_aggregates["0003"].spans)


def test_sources_md_documents_memberships_and_the_world_total():
    text = (DATA / "SOURCES.md").read_text(encoding="utf-8")
    assert "admission of Timor-Leste as the 11th member, 26 Oct 2025" in text
    assert "| `OPEC` | Indonesia | Jan 2016 | Nov 2016 |" in text
    assert "### The US total (WORLD)" in text and "partners covered" in text
    assert "| 1991 | 7,181.4 | 4,648.1 |" in text  # the partners the country file does not itemize
    assert "OPEC vs Census" in text and "EU25 back-cast" in text


# --------------------------------------------------------------------------------------
# parsing and mapping
# --------------------------------------------------------------------------------------

def test_dataweb_mapping_fails_on_unknown_name():
    partners = pd.DataFrame({"code": ["5800", "4351"], "census_name": ["Korea, South",
                                                                       "Czech Republic"],
                             "kind": ["country", "country"]})
    pj = pd.DataFrame({"census_code": ["5800"], "name": ["South Korea (Republic of Korea)"]})
    m = assemble.map_dataweb_names(["Korea, South", "Czechia (Czech Republic)", "Czech Republic "],
                            partners, pj, {}, CURATION.dataweb_names)
    assert m["Czechia (Czech Republic)"] == "4351" and m["Korea, South"] == "5800"
    with pytest.raises(sources.UnmappedNameError, match="Atlantis"):
        assemble.map_dataweb_names(["Korea, South", "Atlantis"], partners, pj, {}, CURATION.dataweb_names)


def test_parse_dataweb_checks_footer_total(tmp_path):
    head = ("Total Exports|Annual Data,,,,,,,,,\nData Row Count,2,,,,,,,,\n"
            "Data Type,HTS Number,Description,Country,2020,2021,2022,2023,2024,2025\n"
            "FAS Value,01,LIVE ANIMALS,Canada,1.00,2.00,3.00,4.00,5.00,0.00\n"
            "FAS Value,02,MEAT,Canada,1.00,2.00,3.00,6.00,7.00,0.00\n")
    f = tmp_path / "dw.csv"
    f.write_text(head + 'Total: ,,,,"2","4","6","10","12",0\n')
    out = parsers.parse_dataweb_exports(f)
    assert out.groupby("year")["exports"].sum().to_dict() == {2023: 10, 2024: 12}
    f.write_text(head + 'Total: ,,,,"2","4","6","11","12",0\n')
    with pytest.raises(sources.SourceError, match="footer"):
        parsers.parse_dataweb_exports(f)


def test_parse_country_csv_drops_unpublished_months_and_empty_years(tmp_path):
    cols = (["year", "CTY_CODE", "CTYNAME"] + ["I" + m for m in parsers.MONTH_NAMES] + ["IYR"]
            + ["E" + m for m in parsers.MONTH_NAMES] + ["EYR"])
    rows = [
        [2024, 5700, "China"] + [1.0] * 12 + [12.0] + [0.5] * 12 + [6.0],
        [2024, 4610, "USSR"] + [0.0] * 26,                               # no trade at all
        [2025, 5700, "China"] + [1.0, 1.0] + [0.0] * 10 + [2.0] + [0.5, 0.5] + [0.0] * 10
        + [1.0],
        [2025, 3, "European Union"] + [2.0, 2.0] + [0.0] * 10 + [4.0] + [1.0, 1.0]
        + [0.0] * 10 + [2.0],
    ]
    f = tmp_path / "c.csv"
    pd.DataFrame(rows, columns=cols).to_csv(f, index=False)
    m, a, names = parsers.parse_country_csv(f)
    assert "4610" not in set(a["code"])
    assert sorted(m.loc[m["year"] == 2025, "month"].unique()) == [1, 2]
    assert set(a["code"]) == {"5700", "0003"}                 # leading zeros restored
    assert a.set_index(["code", "year"]).loc[("5700", 2025), "months"] == 2
    assert m.loc[(m["code"] == "5700") & (m["year"] == 2024), "imports"].sum() == 120


def test_number_formatting_and_title_case():
    assert units.format_tenths(1432717.0) == "143271.7" and units.format_tenths(0.0) == "0.0"
    assert units.format_thousands(units.dollars_to_thousands([1_234_500])[0]) == "1.235"
    assert units.format_thousands(0) == "0.000"
    assert text.title_case("SILK, INCLUDING YARNS AND WOVEN FABRIC THEREOF") == \
        "Silk, Including Yarns and Woven Fabric Thereof"
    assert text.title_case("PRODUCTS OF ANIMAL ORIGIN, NESOI") == "Products of Animal Origin, NESOI"


def test_write_atomic_leaves_no_temp_files(tmp_path):
    write.write_file_atomically(tmp_path / "x.csv", "a,b\n1,2\n")
    write.write_file_atomically(tmp_path / "x.csv", "a,b\n3,4\n")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
    assert (tmp_path / "x.csv").read_text() == "a,b\n3,4\n"


def test_write_dataset_directory_is_one_rename(tmp_path, monkeypatch):
    target = tmp_path / "datasets" / "one"
    write.write_dataset_directory({"a.csv": "x\n", "b.csv": "y\n"}, target)
    assert sorted(p.name for p in target.iterdir()) == ["a.csv", "b.csv"]
    assert [p.name for p in target.parent.iterdir()] == ["one"]

    # a failure half-way leaves neither the destination nor a temporary folder
    calls = []
    real = write._write_file

    def failing(path, content):
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        real(path, content)

    monkeypatch.setattr(write, "_write_file", failing)
    with pytest.raises(OSError, match="No space"):
        write.write_dataset_directory({"a.csv": "x\n", "b.csv": "y\n"}, tmp_path / "datasets" / "two")
    assert [p.name for p in (tmp_path / "datasets").iterdir()] == ["one"]


def test_replace_files_in_directory_keeps_old_files_when_writing_fails(tmp_path, monkeypatch):
    (tmp_path / "a.csv").write_text("old a\n")
    (tmp_path / "build.py").write_text("# kept\n")
    real = write._write_file

    def failing(path, content):
        if path.name == "b.csv":
            raise OSError(28, "No space left on device")
        real(path, content)

    monkeypatch.setattr(write, "_write_file", failing)
    with pytest.raises(OSError):
        write.replace_files_in_directory({"a.csv": "new a\n", "b.csv": "new b\n"}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "build.py"]
    assert (tmp_path / "a.csv").read_text() == "old a\n"
    monkeypatch.setattr(write, "_write_file", real)
    write.replace_files_in_directory({"a.csv": "new a\n", "b.csv": "new b\n"}, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.csv", "b.csv", "build.py"]
    assert (tmp_path / "a.csv").read_text() == "new a\n"


def test_the_pipeline_never_imports_textual():
    code = ("import sys\nimport tui.pipeline.build, tui.pipeline.report\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'plotext')))\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert result.stdout.strip() == "[]"


def test_curation_data_is_loaded_from_files():
    assert CURATION.display_names["5800"] == "South Korea"
    assert CURATION.chapter_names[87] == "Vehicles & parts"
    assert len(CURATION.blocs["EU27"].members) == 27
    # Census's EU series: today's 27 and the United Kingdom, each with its months
    assert CURATION.census_aggregates["0003"].codes == tuple(sorted([*CURATION.blocs["EU27"].members, "4120"]))
    assert CURATION.dataweb_names["Czechia (Czech Republic)"] == "4351"
    assert ("0027", "ASEAN") in CURATION.hs_aggregate_checks


# --------------------------------------------------------------------------------------
# the build refuses to write
# --------------------------------------------------------------------------------------

def _copy_sources(dst: Path, replace: dict[str, str] | None = None) -> Path:
    dst.mkdir()
    for f in SOURCES.iterdir():
        if replace and f.name in replace:
            (dst / f.name).write_text(replace[f.name])
        else:
            os.symlink(f, dst / f.name)
    return dst


@pytest.mark.slow
@needs_sources
def test_main_refuses_to_write_when_a_check_fails(tmp_path, capsys):
    name = "census-country-monthly-2024.json"
    recs = json.loads((SOURCES / name).read_text())
    china = next(r for r in recs if r["country_code"] == "CHN")
    china["imports"][5] += 100.0                      # months no longer add up to the year
    src = _copy_sources(tmp_path / "src", {name: json.dumps(recs)})
    out = tmp_path / "out"
    out.mkdir()
    assert main(["--sources", str(src), "--out", str(out)]) == 1
    assert list(out.iterdir()) == []
    err = capsys.readouterr().err
    assert "FAILED month sums JSON 2022-2026: 5700 2024 imports" in err
    assert "nothing written" in err


@pytest.mark.slow
@needs_sources
def test_main_refuses_to_write_on_unknown_dataweb_name(tmp_path, capsys):
    text = (SOURCES / sources.DATAWEB_EXPORTS_FILE).read_text(encoding="utf-8")
    text = text.replace(",Zimbabwe,", ",Zimbabwe Republic,")
    src = _copy_sources(tmp_path / "src", {sources.DATAWEB_EXPORTS_FILE: text})
    out = tmp_path / "out"
    assert main(["--sources", str(src), "--out", str(out)]) == 1
    assert not out.exists() or list(out.iterdir()) == []
    assert "Zimbabwe Republic" in capsys.readouterr().err


@pytest.mark.slow
@needs_sources
def test_committed_files_are_what_the_build_produces():
    built = build_from_sources(SOURCES)
    assert all(c.ok for c in built.checks), [f for c in built.checks for f in c.failures]
    for name, content in built.files.items():
        assert (DATA / name).read_text(encoding="utf-8") == content, f"data/{name} is stale"


@pytest.mark.slow
@needs_sources
def test_data_build_py_rebuilds_data_byte_for_byte(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, str(DATA / "build.py"), "--sources", str(SOURCES), "--out", str(out)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    built = sorted(p.name for p in out.iterdir())
    shipped = sorted(p.name for p in DATA.iterdir() if p.name != "build.py" and not p.name.startswith((".", "__")))
    assert built == shipped
    for name in built:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), f"data/{name} differs from a rebuild"


# --------------------------------------------------------------------------------------
# the committed dataset (data/*.csv only)
# --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def shipped():
    return {n: read_csv(n) for n in ["partners.csv", "trade_monthly.csv", "trade_annual.csv",
                                     "groups.csv", "group_members.csv", "sectors.csv",
                                     "chapters.csv"]}


def test_reference_figures_china_2024(shipped):
    a = shipped["trade_annual.csv"].set_index(["code", "year"])
    ex, im = a.loc[("5700", 2024), "exports"], a.loc[("5700", 2024), "imports"]
    assert ex == pytest.approx(143271.7, abs=0.05)
    assert im == pytest.approx(440319.4, abs=0.05)
    assert ex - im == pytest.approx(-297047.7, abs=0.05)


def test_reference_top10_deficits_2024(shipped):
    p, a = shipped["partners.csv"], shipped["trade_annual.csv"]
    countries = set(p.loc[p["kind"] == "country", "code"])
    y = a[(a["year"] == 2024) & a["code"].isin(countries)]
    top = (y.assign(bal=y["exports"] - y["imports"]).sort_values("bal")["code"].head(10)
           .map(p.set_index("code")["name"]).tolist())
    assert top == ["China", "Mexico", "Vietnam", "Ireland", "Germany", "Taiwan", "Japan",
                   "South Korea", "Canada", "India"]


def test_reference_china_chapter_imports_2024(shipped):
    s = shipped["sectors.csv"]
    total = s[(s["code"] == "5700") & (s["year"] == 2024)]["imports"].sum()
    assert total == pytest.approx(438742, abs=1.0)


def test_partners_table(shipped):
    p = shipped["partners.csv"]
    assert list(p.columns) == ["code", "census_name", "name", "iso2", "iso3", "kind",
                               "continent", "first_year", "last_year", "alt_codes", "note_years", "note"]
    assert p["code"].is_unique and (p["name"].str.strip() != "").all()
    assert set(p["kind"]) <= set(checks.KINDS)
    places = p[p["code"].str.fullmatch(r"\d{4}")]
    assert (places["code"].str.len() == 4).all()
    assert p.set_index("code").loc["5800", "name"] == "South Korea"
    assert p.set_index("code").loc["4801", "alt_codes"] == "4802"
    assert p.set_index("code").loc["7321", "alt_codes"] == "7320"
    assert p.set_index("code").loc["7749", "alt_codes"] == "7740"
    assert not set(p["code"]) & {"0004", "0005", "0006", "0015", "0021", "0022", "4802"}
    assert p.set_index("code").loc["WORLD", "kind"] == "world"
    todays = {bloc.today[0] for bloc in CURATION.blocs.values() if bloc.today}
    assert set(p.loc[p["kind"] == "bloc", "code"]) == set(CURATION.blocs) | todays


def test_every_code_is_a_partner(shipped):
    known = set(shipped["partners.csv"]["code"])
    for t, cols in [("trade_monthly.csv", ["code"]), ("trade_annual.csv", ["code"]),
                    ("sectors.csv", ["code"]), ("group_members.csv", ["group", "member"]),
                    ("groups.csv", ["code"])]:
        for c in cols:
            assert set(shipped[t][c]) <= known, (t, c)


def test_monthly_and_annual_agree(shipped):
    m, a = shipped["trade_monthly.csv"], shipped["trade_annual.csv"]
    assert m["month"].between(1, 12).all()
    assert not m.duplicated(["code", "year", "month"]).any()
    last = m[m["year"] == m["year"].max()]
    release = json.loads((DATA / "release.json").read_text())
    assert (release["latest_year"], release["latest_month"]) == (2026, 8)
    assert last["month"].max() == release["latest_month"]
    counts = m.groupby(["code", "year"]).size().rename("n")
    x = a.set_index(["code", "year"]).join(counts)
    assert (x["months"] == x["n"]).all()
    full = x[x["months"] == 12]
    sums = m.groupby(["code", "year"])[["exports", "imports"]].sum().loc[full.index]
    computed = set(read_csv("groups.csv").query("source == 'members'")["code"]) | {"WORLD"}
    singles = ~full.index.get_level_values(0).isin(computed)
    assert (sums.loc[singles] - full.loc[singles, ["exports", "imports"]]).abs().max().max() \
        <= 0.5 + 1e-6


def test_world_is_the_sum_of_places(shipped):
    p, a = shipped["partners.csv"], shipped["trade_annual.csv"]
    places = set(p.loc[p["kind"].isin(["country", "former", "unallocated"]), "code"])
    s = a[a["code"].isin(places)].groupby("year")[["exports", "imports"]].sum()
    w = a[a["code"] == "WORLD"].set_index("year")[["exports", "imports"]]
    assert (s - w).abs().max().max() < 0.01


def test_files_are_formatted_with_fixed_decimals():
    line = (DATA / "trade_monthly.csv").read_text().splitlines()[1]
    assert re.fullmatch(r"\d{4},\d{4},\d{1,2},\d+\.\d,\d+\.\d", line), line
    line = (DATA / "sectors.csv").read_text().splitlines()[1]
    assert re.fullmatch(r"\d{4},\d{4},\d{1,2},\d+\.\d{3},\d+\.\d{3}", line), line


def test_groups_and_members(shipped):
    g, gm = shipped["groups.csv"], shipped["group_members.csv"]
    assert set(g["kind"]) <= {"region", "group", "bloc"}
    assert set(g["source"]) == {"census", "members"}
    assert (g.loc[g["membership"] == "today", "as_of"] != "").all()
    assert set(g["membership"]) == {"dated", "today", "codes"}
    assert set(gm["group"]) == set(g["code"])
    assert list(gm.columns) == ["group", "member", "start", "end"]
    mem = gm.groupby("group")["member"].apply(set)
    assert mem["USMCA"] == mem["0010"] == {"1220", "2010"}
    assert len(mem["EU27"]) == 27 and len(mem["ASEAN-TODAY"]) == 11 and len(mem["OPEC-TODAY"]) == 12
    assert "5700" in mem["BRICS"] and "5170" not in mem["BRICS"]


def test_chapters(shipped):
    ch, s = shipped["chapters.csv"], shipped["sectors.csv"]
    assert set(s["chapter"]) == set(ch["chapter"])
    assert (ch["name"].str.len() <= 34).all() and (ch["description"] != "").all()
    assert ch.set_index("chapter").loc[87, "name"] == "Vehicles & parts"


def test_period_totals_file(shipped):
    lines = (DATA / "period_totals.csv").read_text().splitlines()
    assert lines[0] == "period,code,exports,imports"
    assert all(re.fullmatch(r"\d{4}(-ytd\d{1,2})?,[0-9A-Z-]+,\d+\.\d,\d+\.\d", line) for line in lines[1:])
    totals = pd.read_csv(DATA / "period_totals.csv", dtype={"period": str, "code": str})
    periods = list(dict.fromkeys(totals["period"]))
    assert periods == [str(y) for y in range(1985, 2025)] + ["2025-ytd8", "2025", "2026-ytd8"]
    # ordered by (year, months) of the period, then code
    order = totals["period"].map({p: i for i, p in enumerate(periods)})
    assert (order.diff().dropna() >= 0).all()
    assert all(group["code"].is_monotonic_increasing for _, group in totals.groupby("period"))

    m, a = shipped["trade_monthly.csv"], shipped["trade_annual.csv"]
    codes = set(m["code"]) | set(a["code"])
    assert set(totals["code"]) == codes
    full = totals[~totals["period"].str.contains("ytd")].assign(year=lambda f: f["period"].astype(int))
    complete = a[a["year"] <= 2025]
    joined = full.merge(complete, on=["code", "year"], suffixes=("", "_annual"), how="outer", indicator=True)
    assert (joined["_merge"] == "both").all()
    assert (joined["exports"] == joined["exports_annual"]).all()
    assert (joined["imports"] == joined["imports_annual"]).all()
    for key, year in (("2025-ytd8", 2025), ("2026-ytd8", 2026)):
        sums = m[(m["year"] == year) & (m["month"] <= 8)].groupby("code")[["exports", "imports"]].sum()
        got = totals[totals["period"] == key].set_index("code")[["exports", "imports"]]
        assert set(got.index) == set(sums.index)
        assert (got - sums.loc[got.index]).abs().max().max() < 0.05
    china = totals[(totals["code"] == "5700")].set_index("period")
    assert china.loc["2024", "imports"] == 440319.4


def test_period_totals_of_a_complete_latest_year_have_no_year_to_date():
    from tui.pipeline.period_totals import build_period_totals, check_period_totals

    monthly = pd.DataFrame({"code": "A", "year": [2023] * 12 + [2024] * 12, "month": list(range(1, 13)) * 2,
                            "exports": 10.0, "imports": 20.0})
    annual = pd.DataFrame({"code": ["A", "A"], "year": [2023, 2024], "months": [12, 12],
                           "exports": [121.0, 119.0], "imports": [240.0, 240.0]})
    totals = build_period_totals(monthly, annual)
    assert totals["period"].tolist() == ["2023", "2024"]
    assert totals["exports"].tolist() == [121.0, 119.0]          # Census's annual column, not the months
    assert check_period_totals(totals, monthly, annual).ok
    partial = monthly[(monthly["year"] == 2023) | (monthly["month"] <= 3)]
    partial_annual = annual.assign(months=[12, 3], exports=[121.0, 30.0], imports=[240.0, 60.0])
    totals = build_period_totals(partial, partial_annual)
    assert totals["period"].tolist() == ["2023-ytd3", "2023", "2024-ytd3"]
    assert totals.set_index("period").loc["2023-ytd3", "exports"] == 30.0


def test_check_period_totals_fails_on_a_wrong_value():
    from tui.pipeline.period_totals import build_period_totals, check_period_totals

    monthly = pd.DataFrame({"code": "A", "year": [2023] * 12 + [2024] * 2, "month": list(range(1, 13)) + [1, 2],
                            "exports": 10.0, "imports": 20.0})
    annual = pd.DataFrame({"code": ["A", "A"], "year": [2023, 2024], "months": [12, 2],
                           "exports": [120.0, 20.0], "imports": [240.0, 40.0]})
    totals = build_period_totals(monthly, annual)
    assert check_period_totals(totals, monthly, annual).ok
    wrong = totals.copy()
    wrong.loc[wrong["period"] == "2024-ytd2", "imports"] += 1.0
    check = check_period_totals(wrong, monthly, annual)
    assert not check.ok and "period totals: 2024-ytd2 A" in check.failures[0]
    check = check_period_totals(totals[totals["period"] != "2023-ytd2"], monthly, annual)
    assert not check.ok and "periods" in check.failures[0]
