"""Tests for data/build.py and the committed dataset in data/.

data/ is not a package, so build.py is loaded with importlib.  Tests that need the raw
sources (../shared/sources) skip when they are absent; the tests of the committed files
read data/*.csv only.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
SOURCES = ROOT.parent / "shared" / "sources"


def _load_build():
    name = "tradegap_data_build"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, DATA / "build.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod          # dataclasses need the module registered
    spec.loader.exec_module(mod)
    return mod


b = _load_build()

needs_sources = pytest.mark.skipif(
    not (SOURCES / b.CSV_FILE).is_file(), reason="raw sources (../shared/sources) not present")


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
    c = b.check_balance(a)
    assert not c.ok and len(c.failures) == 1 and "1220" in c.failures[0]
    a.loc[1, "balance"] = 400.0
    assert b.check_balance(a).ok


def test_check_month_sums_fails_when_months_do_not_add_up():
    m = pd.DataFrame({"code": "5700", "year": 2024, "month": range(1, 13),
                      "exports": 10.0, "imports": 20.0})   # tenths: sums 120 / 240
    ok = pd.DataFrame({"code": ["5700"], "year": [2024], "exports": [123.0],
                       "imports": [236.0], "months": [12]})
    assert b.check_month_sums(m, ok).ok                     # 0.3 / 0.4 within 0.5
    bad = ok.assign(exports=[126.0])                        # 0.6 off
    c = b.check_month_sums(m, bad)
    assert not c.ok and "exports" in c.failures[0]


def test_check_partners_table_fails_on_duplicates_and_empty_names():
    p = pd.DataFrame({"code": ["5700", "5700", "1220"], "name": ["China", "China", " "],
                      "iso2": ["CN", "CN", "CA"], "iso3": ["CHN", "", "CAN"],
                      "kind": ["country", "country", "planet"]})
    c = b.check_partners_table(p)
    text = "\n".join(c.failures)
    assert "duplicate code 5700" in text and "1220 has no name" in text
    assert "unknown kind" in text


def test_check_references_fails_on_unknown_code():
    p = pd.DataFrame({"code": ["5700", "WORLD"]})
    t = pd.DataFrame({"code": ["5700", "9999"]})
    c = b.check_references(p, {"trade_annual": (t, ["code"])})
    assert not c.ok and "9999" in c.failures[0]
    assert b.check_references(p, {"x": (t.iloc[:1], ["code"])}).ok


def _group_annual(group_value: float, year: int) -> pd.DataFrame:
    return pd.DataFrame({"code": ["A", "B", "G"], "year": [year] * 3,
                         "exports": [600.0, 400.0, group_value],
                         "imports": [600.0, 400.0, 1000.0]})


def test_check_groups_vs_census_fails_on_unexplained_recent_difference():
    members = {"G": ["A", "B"]}
    assert b.check_groups_vs_census(_group_annual(1000.0, 2024), members, known={}).ok
    c = b.check_groups_vs_census(_group_annual(1100.0, 2024), members, known={})
    assert not c.ok and "G 2024 exports" in c.failures[0]
    # an explanation turns it into a reported note
    c = b.check_groups_vs_census(_group_annual(1100.0, 2024), members,
                                 known={("G", 2020, 2025): "because"})
    assert c.ok and "because" in c.notes[0]
    # before the strict years it is reported, not failed
    c = b.check_groups_vs_census(_group_annual(1100.0, 2005), members, known={})
    assert c.ok and c.notes


def test_check_world_fails_from_1992_and_reports_before():
    census = pd.DataFrame({"code": "0015", "year": [1990, 2000], "exports": [1000.0, 1000.0],
                           "imports": [1000.0, 1000.0], "months": 12})
    world = pd.DataFrame({"code": "WORLD", "year": [1990, 2000], "months": 12,
                          "exports": [950.0, 1000.0], "imports": [990.0, 1000.0]})
    empty = pd.DataFrame(columns=["code", "year", "month", "exports", "imports"])
    c = b.check_world(world, empty, empty, census)
    assert c.ok and c.notes and "1990" in c.notes[0]
    c = b.check_world(world.assign(exports=[950.0, 990.0]), empty, empty, census)
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
    assert b.check_sectors_vs_totals(s, a, p, tol=tol, known={}).ok
    s, a, p = _sector_frames(1_100_000_000)                    # +100 $M
    c = b.check_sectors_vs_totals(s, a, p, tol=tol, known={})
    assert not c.ok and "5700 2024 imports" in c.failures[0]
    # explained by an earlier release ...
    prior = a.assign(imports=[11000.0])
    c = b.check_sectors_vs_totals(s, a, p, prior=prior, tol=tol, known={})
    assert c.ok and c.data["revised"]
    # ... or by a known exception
    c = b.check_sectors_vs_totals(s, a, p, tol=tol, known={("5700", 2024, "imports"): "x"})
    assert c.ok and c.data["explained"]


def test_check_hs_aggregates_fails_on_mismatch():
    sectors = pd.DataFrame({"code": ["ASEAN"], "year": [2024], "chapter": [1],
                            "exports": [0], "imports": [100]})
    hs = pd.DataFrame({"cty": ["0027"], "year": [2024], "chapter": [1], "imports": [100]})
    assert b.check_hs_aggregates(sectors, hs, [("0027", "ASEAN")]).ok
    c = b.check_hs_aggregates(sectors, hs.assign(imports=[110]), [("0027", "ASEAN")])
    assert not c.ok


def test_check_reference_figures_fails_on_wrong_china():
    ref = dict(b.REFERENCE, top10_deficit_2024=["5700"])
    partners = pd.DataFrame({"code": ["5700"], "kind": ["country"]})
    annual = pd.DataFrame({"code": ["5700"], "year": [2024], "exports": [1432717.0],
                           "imports": [4403194.0]})
    sectors = pd.DataFrame({"code": ["5700"], "year": [2024], "chapter": [85],
                            "exports": [0], "imports": [438_742_000_000]})
    assert b.check_reference_figures(annual, partners, sectors, ref).ok
    c = b.check_reference_figures(annual.assign(imports=[4403000.0]), partners, sectors, ref)
    assert not c.ok and any("imports" in f for f in c.failures)


# --------------------------------------------------------------------------------------
# parsing and mapping
# --------------------------------------------------------------------------------------

def test_dataweb_mapping_fails_on_unknown_name():
    partners = pd.DataFrame({"code": ["5800", "4351"], "census_name": ["Korea, South",
                                                                       "Czech Republic"],
                             "kind": ["country", "country"]})
    pj = pd.DataFrame({"census_code": ["5800"], "name": ["South Korea (Republic of Korea)"]})
    m = b.map_dataweb_names(["Korea, South", "Czechia (Czech Republic)", "Czech Republic "],
                            partners, pj, {})
    assert m["Czechia (Czech Republic)"] == "4351" and m["Korea, South"] == "5800"
    with pytest.raises(b.UnmappedNameError, match="Atlantis"):
        b.map_dataweb_names(["Korea, South", "Atlantis"], partners, pj, {})


def test_parse_dataweb_checks_footer_total(tmp_path):
    head = ("Total Exports|Annual Data,,,,,,,,,\nData Row Count,2,,,,,,,,\n"
            "Data Type,HTS Number,Description,Country,2020,2021,2022,2023,2024,2025\n"
            "FAS Value,01,LIVE ANIMALS,Canada,1.00,2.00,3.00,4.00,5.00,0.00\n"
            "FAS Value,02,MEAT,Canada,1.00,2.00,3.00,6.00,7.00,0.00\n")
    f = tmp_path / "dw.csv"
    f.write_text(head + 'Total: ,,,,"2","4","6","10","12",0\n')
    out = b.parse_dataweb_exports(f)
    assert out.groupby("year")["exports"].sum().to_dict() == {2023: 10, 2024: 12}
    f.write_text(head + 'Total: ,,,,"2","4","6","11","12",0\n')
    with pytest.raises(b.SourceError, match="footer"):
        b.parse_dataweb_exports(f)


def test_parse_country_csv_drops_unpublished_months_and_empty_years(tmp_path):
    cols = (["year", "CTY_CODE", "CTYNAME"] + ["I" + m for m in b.MONTHS] + ["IYR"]
            + ["E" + m for m in b.MONTHS] + ["EYR"])
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
    m, a, names = b.parse_country_csv(f)
    assert "4610" not in set(a["code"])
    assert sorted(m.loc[m["year"] == 2025, "month"].unique()) == [1, 2]
    assert set(a["code"]) == {"5700", "0003"}                 # leading zeros restored
    assert a.set_index(["code", "year"]).loc[("5700", 2025), "months"] == 2
    assert m.loc[(m["code"] == "5700") & (m["year"] == 2024), "imports"].sum() == 120


def test_number_formatting_and_title_case():
    assert b.fmt_tenths(1432717.0) == "143271.7" and b.fmt_tenths(0.0) == "0.0"
    assert b.fmt_thousands(b.dollars_to_thousands([1_234_500])[0]) == "1.235"
    assert b.fmt_thousands(0) == "0.000"
    assert b.title_case("SILK, INCLUDING YARNS AND WOVEN FABRIC THEREOF") == \
        "Silk, Including Yarns and Woven Fabric Thereof"
    assert b.title_case("PRODUCTS OF ANIMAL ORIGIN, NESOI") == "Products of Animal Origin, NESOI"


def test_write_atomic_leaves_no_temp_files(tmp_path):
    b.write_atomic(tmp_path / "x.csv", "a,b\n1,2\n")
    b.write_atomic(tmp_path / "x.csv", "a,b\n3,4\n")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]
    assert (tmp_path / "x.csv").read_text() == "a,b\n3,4\n"


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


@needs_sources
def test_main_refuses_to_write_when_a_check_fails(tmp_path, capsys):
    name = "census-country-monthly-2024.json"
    recs = json.loads((SOURCES / name).read_text())
    china = next(r for r in recs if r["country_code"] == "CHN")
    china["imports"][5] += 100.0                      # months no longer add up to the year
    src = _copy_sources(tmp_path / "src", {name: json.dumps(recs)})
    out = tmp_path / "out"
    out.mkdir()
    assert b.main(["--sources", str(src), "--out", str(out)]) == 1
    assert list(out.iterdir()) == []
    err = capsys.readouterr().err
    assert "FAILED month sums JSON 2022-2026: 5700 2024 imports" in err
    assert "nothing written" in err


@needs_sources
def test_main_refuses_to_write_on_unknown_dataweb_name(tmp_path, capsys):
    text = (SOURCES / b.DATAWEB_FILE).read_text(encoding="utf-8")
    text = text.replace(",Zimbabwe,", ",Zimbabwe Republic,")
    src = _copy_sources(tmp_path / "src", {b.DATAWEB_FILE: text})
    out = tmp_path / "out"
    assert b.main(["--sources", str(src), "--out", str(out)]) == 1
    assert not out.exists() or list(out.iterdir()) == []
    assert "Zimbabwe Republic" in capsys.readouterr().err


@needs_sources
def test_committed_files_are_what_the_build_produces():
    built = b.build(SOURCES)
    assert all(c.ok for c in built.checks), [f for c in built.checks for f in c.failures]
    for name, text in built.files.items():
        assert (DATA / name).read_text(encoding="utf-8") == text, f"data/{name} is stale"


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
                               "continent", "first_year", "last_year", "alt_codes"]
    assert p["code"].is_unique and (p["name"].str.strip() != "").all()
    assert set(p["kind"]) <= set(b.KINDS)
    places = p[p["code"].str.fullmatch(r"\d{4}")]
    assert (places["code"].str.len() == 4).all()
    assert p.set_index("code").loc["5800", "name"] == "South Korea"
    assert p.set_index("code").loc["4801", "alt_codes"] == "4802"
    assert p.set_index("code").loc["7321", "alt_codes"] == "7320"
    assert p.set_index("code").loc["7749", "alt_codes"] == "7740"
    assert not set(p["code"]) & {"0004", "0005", "0006", "0015", "0021", "0022", "4802"}
    assert p.set_index("code").loc["WORLD", "kind"] == "world"
    assert set(p.loc[p["kind"] == "bloc", "code"]) == set(b.BLOCS)


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
    singles = ~full.index.get_level_values(0).isin(list(b.BLOCS) + ["WORLD"])
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
    assert (g.loc[g["source"] == "members", "as_of"] != "").all()
    assert set(gm["group"]) == set(g["code"])
    mem = gm.groupby("group")["member"].apply(set)
    assert mem["USMCA"] == mem["0010"] == {"1220", "2010"}
    assert len(mem["EU27"]) == 27 and len(mem["ASEAN"]) == 10 and len(mem["OPEC"]) == 12
    assert "5700" in mem["BRICS"] and "5170" not in mem["BRICS"]


def test_chapters(shipped):
    ch, s = shipped["chapters.csv"], shipped["sectors.csv"]
    assert set(s["chapter"]) == set(ch["chapter"])
    assert (ch["name"].str.len() <= 34).all() and (ch["description"] != "").all()
    assert ch.set_index("chapter").loc[87, "name"] == "Vehicles & parts"
