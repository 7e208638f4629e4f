#!/usr/bin/env python3
"""Build tradegap's shipped dataset (the tidy files in data/) from the raw sources.

Usage:  python data/build.py [--sources DIR] [--out DIR]

Defaults: sources = ../shared/sources next to the repository, out = the directory of
this script (data/).  This script is the only part of tradegap that reads the raw
sources; everything else reads the files it writes.

The build parses every source, builds every table, then runs the validation checks.
If any hard check fails it prints one line per failure on stderr, writes nothing and
exits with status 1.  Otherwise each file is written to a temporary file in the output
directory and moved into place with os.replace.  Output is deterministic: rows are
sorted and numbers are formatted with a fixed number of decimals, so re-running the
build on the same sources gives byte-identical files.

Internally, trade values are held as integer tenths of a million dollars (so sums of
members are exact) and sector values as whole dollars.
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

# --------------------------------------------------------------------------------------
# Source files and vintages
# --------------------------------------------------------------------------------------

CSV_FILE = "census-country-monthly-1985-2025feb.csv"
JSON_FILES = {y: f"census-country-monthly-{y}.json" for y in range(2022, 2027)}
PARTNERS_FILE = "census-partners.json"
SCHEDULE_C_FILE = "census-schedule-c-country-codes.txt"
HS_IMPORTS_FILE = "census-hs2-imports-by-partner-monthly-2023-2024.csv.gz"
DATAWEB_FILE = "dataweb-hs2-exports-by-country-2020-2024.csv"

CSV_LAST_YEAR = 2021          # the April 2025 CSV is used up to here (final years)
SECTOR_YEARS = (2023, 2024)

RELEASES = {
    "1985-2021": "Census country file (country.xlsx), release of April 2025",
    "2022-2025": "Census country.xlsx of September 2026 (after the June 2026 annual revision)",
    "2026": "Census country file, October 2026 release (January-August 2026)",
}
# the one-line credit the app's status line and the command line print
RELEASE_LABEL = "Census, release of Oct 2026"
SECTOR_RELEASES = {
    "imports 2023-2024": "Census international trade API (general imports by HS chapter), 2025",
    "exports 2023-2024": "USITC DataWeb total exports by HS chapter, downloaded 2025-08-07",
}

MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]

# --------------------------------------------------------------------------------------
# Codes, kinds, names
# --------------------------------------------------------------------------------------

PLACE_KINDS = ("country", "former", "unallocated")   # the kinds summed into WORLD
KINDS = ("country", "former", "unallocated", "region", "group", "bloc", "world", "product")

# Census series that are not places and are not shipped.
DROPPED_CODES = {
    "0004": "World, seasonally adjusted: a different basis; not shipped",
    "0015": "World, not seasonally adjusted: used only to validate WORLD",
    "0005": "NAFTA with Mexico (Consump): imports for consumption under a program, exports 0",
    "0006": "NAFTA with Canada (Consump): imports for consumption under a program, exports 0",
    "0021": "USMCA with Mexico (Consump): imports for consumption under a program, exports 0",
    "0022": "USMCA with Canada (Consump): imports for consumption under a program, exports 0",
}
CENSUS_WORLD = "0015"

# Codes found in the country CSV but absent from census-partners.json.
EXTRA_CODES = {
    # Israel's earlier Schedule C code; only all-zero placeholder rows (1993-1996, 2003).
    "5080": dict(census_name="Israel", merge_into="5081"),
    # Iraq-Saudi Arabia Neutral Zone (divided in 1991); only all-zero placeholder rows.
    "5160": dict(census_name="Iraq-Saudi Arabia Neutral Zone", kind="former",
                 name="Iraq-Saudi Arabia Neutral Zone"),
}

# ISO3-like codes in census-partners.json that are not ISO 3166 codes.
NOT_ISO3 = {"XKX", "XGZ", "XWB"}
# Schedule C "ISO" codes that are Census's own, not ISO 3166-1 (Kosovo, Gaza, West Bank).
NOT_ISO2 = {"KV", "GZ", "WE", "XK"}

CONTINENTS = {
    "1": "North America", "2": "Central America & Caribbean", "3": "South America",
    "4": "Europe", "5": "Asia", "6": "Oceania", "7": "Africa",
}

# Short display names (code -> name) where Census's spelling is long or awkward.
DISPLAY_NAMES = {
    "0003": "European Union",
    "0007": "Advanced Technology Products",
    "0019": "Sub-Saharan Africa",
    "1610": "Saint Pierre and Miquelon",
    "2483": "Saint Kitts and Nevis",
    "2487": "Saint Lucia",
    "2488": "Saint Vincent and the Grenadines",
    "3720": "Falkland Islands",
    "4031": "Svalbard and Jan Mayen",
    "4099": "Denmark",
    "4280": "Germany",
    "4641": "Moldova",
    "4752": "Vatican City",
    "4794": "North Macedonia",
    "4610": "USSR (former)",
    "4350": "Czechoslovakia (former)",
    "4799": "Serbia and Montenegro (former)",
    "4790": "Yugoslavia (former)",
    "2771": "Netherlands Antilles (former)",
    "5020": "Syria",
    "5082": "Gaza Strip",
    "5083": "West Bank",
    "5210": "Yemen",
    "5460": "Myanmar (Burma)",
    "5530": "Laos",
    "5601": "Timor-Leste",
    "5660": "Macao",
    "5790": "North Korea",
    "5800": "South Korea",
    "6024": "Christmas Island",
    "6029": "Heard and McDonald Islands",
    "6150": "Samoa",
    "6820": "Micronesia",
    "6862": "Nauru",
    "7580": "Saint Helena",
    "7630": "Republic of the Congo",
    "7660": "DR Congo",
    "7810": "British Indian Ocean Territory",
    "7830": "Tanzania",
    "7905": "French Southern Territories",
    "8220": "Unidentified countries",
    "8500": "International organizations",
}

# --------------------------------------------------------------------------------------
# Computed blocs: member lists as facts, applied to every year
# --------------------------------------------------------------------------------------

BLOCS = {
    "ASEAN": dict(
        name="ASEAN", as_of="2025-01-01",
        source="ASEAN Secretariat: 10 member states (Timor-Leste, admitted Oct 2025, not included)",
        members={"5610": "Brunei", "5550": "Cambodia", "5600": "Indonesia", "5530": "Laos",
                 "5570": "Malaysia", "5460": "Myanmar (Burma)", "5650": "Philippines",
                 "5590": "Singapore", "5490": "Thailand", "5520": "Vietnam"}),
    "OPEC": dict(
        name="OPEC", as_of="2025-01-01",
        source="OPEC member countries: 12 (Angola left 1 Jan 2024)",
        members={"7210": "Algeria", "7630": "Republic of the Congo", "7380": "Equatorial Guinea",
                 "7550": "Gabon", "5070": "Iran", "5050": "Iraq", "5130": "Kuwait",
                 "7250": "Libya", "7530": "Nigeria", "5170": "Saudi Arabia",
                 "5200": "United Arab Emirates", "3070": "Venezuela"}),
    "G7": dict(
        name="G7 partners", as_of="2025-01-01",
        source="Group of Seven members other than the United States",
        members={"1220": "Canada", "4279": "France", "4280": "Germany", "4759": "Italy",
                 "5880": "Japan", "4120": "United Kingdom"}),
    "BRICS": dict(
        name="BRICS", as_of="2025-01-01",
        source="BRICS members incl. Egypt, Ethiopia, Iran, UAE (2024) and Indonesia (Jan 2025); "
               "Saudi Arabia (status unconfirmed) left out",
        members={"3510": "Brazil", "4621": "Russia", "5330": "India", "5700": "China",
                 "7910": "South Africa", "7290": "Egypt", "7749": "Ethiopia", "5070": "Iran",
                 "5200": "United Arab Emirates", "5600": "Indonesia"}),
    "MERCOSUR": dict(
        name="Mercosur", as_of="2025-01-01",
        source="Mercosur full members incl. Bolivia (2024); Venezuela (suspended) left out",
        members={"3570": "Argentina", "3510": "Brazil", "3530": "Paraguay", "3550": "Uruguay",
                 "3350": "Bolivia"}),
    "GCC": dict(
        name="Gulf Cooperation Council", as_of="2025-01-01",
        source="Gulf Cooperation Council: 6 member states",
        members={"5250": "Bahrain", "5130": "Kuwait", "5230": "Oman", "5180": "Qatar",
                 "5170": "Saudi Arabia", "5200": "United Arab Emirates"}),
    "EU27": dict(
        name="EU27 (current members)", as_of="2025-01-01",
        source="European Union member states since the UK's withdrawal (1 Feb 2020)",
        members={"4330": "Austria", "4231": "Belgium", "4870": "Bulgaria", "4791": "Croatia",
                 "4910": "Cyprus", "4351": "Czech Republic", "4099": "Denmark",
                 "4470": "Estonia", "4050": "Finland", "4279": "France", "4280": "Germany",
                 "4840": "Greece", "4370": "Hungary", "4190": "Ireland", "4759": "Italy",
                 "4490": "Latvia", "4510": "Lithuania", "4239": "Luxembourg", "4730": "Malta",
                 "4210": "Netherlands", "4550": "Poland", "4710": "Portugal",
                 "4850": "Romania", "4359": "Slovakia", "4792": "Slovenia", "4700": "Spain",
                 "4010": "Sweden"}),
    "USMCA": dict(
        name="USMCA partners", as_of="2025-01-01",
        source="United States-Mexico-Canada Agreement (in force 1 Jul 2020; NAFTA before)",
        members={"1220": "Canada", "2010": "Mexico"}),
}
WORLD = "WORLD"

# --------------------------------------------------------------------------------------
# Census aggregates: member lists derived so that they reproduce the Census series
# (checked by check_groups_vs_census).  Rules are applied to the partner codes.
# --------------------------------------------------------------------------------------

NORTH_AFRICA = {"7140", "7210", "7230", "7250", "7290", "7370"}
# Overseas territories in Africa that Census leaves out of Sub-Saharan Africa.
AFRICAN_TERRITORIES = {"7580", "7810", "7881", "7904", "7905"}

CENSUS_AGGREGATES = {
    "0003": dict(rule="list", codes=sorted(BLOCS["EU27"]["members"]),
                 note="members of the day; since 2020 the EU27"),
    "0009": dict(rule="range", lo=2000, hi=3999, exclude={"2010"},
                 note="codes 2000-3999 except Mexico"),
    "0010": dict(rule="list", codes=["1220", "2010"],
                 note="Canada and Mexico only (not Greenland or Saint Pierre and Miquelon)"),
    "0012": dict(rule="range", lo=4000, hi=4999, note="codes 4000-4999"),
    "0013": dict(rule="range", lo=7000, hi=7999, note="codes 7000-7999"),
    "0014": dict(rule="list",
                 codes=["6021", "5610", "5700", "5820", "5600", "5880", "5800", "5660", "5570",
                        "6141", "6040", "5650", "5590", "5830"],
                 note="Census's Pacific Rim list (14 partners)"),
    "0016": dict(rule="range", lo=5000, hi=5999, note="codes 5000-5999"),
    "0017": dict(rule="list", codes=["2230", "2470", "2110", "2050", "2150", "2190"],
                 note="Costa Rica, Dominican Republic, El Salvador, Guatemala, Honduras, Nicaragua"),
    "0018": dict(rule="range", lo=6000, hi=6999, note="codes 6000-6999"),
    "0019": dict(rule="range", lo=7000, hi=7999, exclude=NORTH_AFRICA | AFRICAN_TERRITORIES,
                 note="codes 7000-7999 except North Africa (Morocco, Algeria, Tunisia, Libya, "
                      "Egypt, Western Sahara) and Reunion, Mayotte, Saint Helena, British Indian "
                      "Ocean Territory, French Southern Territories"),
}

# Differences > 0.5% between a member sum and the Census aggregate that are understood.
# key: (group code, first year, last year) -> explanation.
KNOWN_GROUP_DIFFERENCES = {
    ("0003", 1997, 2019): "Census's EU series follows its membership of the time (EU25 incl. "
                          "the UK for 1997-2006, + Bulgaria and Romania from 2007, + Croatia "
                          "from 2013, without the UK from 2020); tradegap's list is the current "
                          "EU27, so the UK (and before 2007/2013 Bulgaria, Romania, Croatia) "
                          "make the difference",
    ("0019", 1992, 1993): "Census's Sub-Saharan Africa series leaves out the old Ethiopia code "
                          "7740 (Ethiopia incl. Eritrea), which tradegap merges into Ethiopia 7749",
}

# HS-file aggregate codes (imports by chapter) compared with tradegap's groups.
HS_AGGREGATE_CHECKS = [
    ("-", WORLD), ("0003", "0003"), ("0003", "EU27"), ("0014", "0014"), ("0017", "0017"),
    ("0027", "ASEAN"), ("0020", "USMCA"), ("0020", "0010"), ("4XXX", "0012"),
    ("5XXX", "0016"), ("6XXX", "0018"), ("7XXX", "0013"),
]

# --------------------------------------------------------------------------------------
# DataWeb country names that do not match a Census spelling
# --------------------------------------------------------------------------------------

DATAWEB_NAMES = {
    "Curaçao": "2777",
    "Czechia (Czech Republic)": "4351",
    "Côte d`Ivoire": "7480",
    "Democratic Republic of the Congo": "7660",
    "Eswatini (Swaziland)": "7950",
    "Falkland Islands": "3720",
    "Gaza Strip": "5082",
    "Myanmar (Burma)": "5460",
    "North Korea": "5790",
    "Republic of the Congo": "7630",
    "South Korea": "5800",
    "São Tomé and Príncipe": "7644",
    "West Bank": "5083",
    "Yemen": "5210",
}

# --------------------------------------------------------------------------------------
# HS chapter short names (at most ~32 characters)
# --------------------------------------------------------------------------------------

CHAPTER_NAMES = {
    1: "Live animals", 2: "Meat", 3: "Fish & seafood", 4: "Dairy, eggs & honey",
    5: "Other animal products", 6: "Plants & cut flowers", 7: "Vegetables",
    8: "Fruit & nuts", 9: "Coffee, tea & spices", 10: "Cereals", 11: "Milling products",
    12: "Oilseeds & grains", 13: "Gums & resins", 14: "Other vegetable products",
    15: "Fats & oils", 16: "Meat & fish preparations", 17: "Sugar & confectionery",
    18: "Cocoa & chocolate", 19: "Cereal & bakery products", 20: "Fruit & vegetable preparations",
    21: "Misc. food preparations", 22: "Beverages & spirits", 23: "Food residues & animal feed",
    24: "Tobacco", 25: "Salt, stone & cement", 26: "Ores, slag & ash", 27: "Mineral fuels & oil",
    28: "Inorganic chemicals", 29: "Organic chemicals", 30: "Pharmaceuticals",
    31: "Fertilizers", 32: "Dyes, paints & inks", 33: "Perfumes & cosmetics",
    34: "Soaps, waxes & candles", 35: "Glues & enzymes", 36: "Explosives & fireworks",
    37: "Photographic goods", 38: "Misc. chemical products", 39: "Plastics", 40: "Rubber",
    41: "Hides, skins & leather", 42: "Leather goods & handbags", 43: "Furskins",
    44: "Wood", 45: "Cork", 46: "Basketware", 47: "Wood pulp & waste paper",
    48: "Paper & paperboard", 49: "Books & printed matter", 50: "Silk", 51: "Wool",
    52: "Cotton", 53: "Other vegetable fibers", 54: "Man-made filaments",
    55: "Man-made staple fibers", 56: "Wadding, twine & ropes", 57: "Carpets",
    58: "Special fabrics & lace", 59: "Coated & industrial textiles", 60: "Knitted fabrics",
    61: "Apparel, knit", 62: "Apparel, not knit", 63: "Other textile articles",
    64: "Footwear", 65: "Headgear", 66: "Umbrellas & walking sticks",
    67: "Feathers & artificial flowers", 68: "Stone & cement articles", 69: "Ceramics",
    70: "Glass", 71: "Precious stones & metals", 72: "Iron & steel",
    73: "Iron & steel articles", 74: "Copper", 75: "Nickel", 76: "Aluminum", 78: "Lead",
    79: "Zinc", 80: "Tin", 81: "Other base metals", 82: "Tools & cutlery",
    83: "Misc. base metal articles", 84: "Machinery", 85: "Electrical machinery & electronics",
    86: "Railway equipment", 87: "Vehicles & parts", 88: "Aircraft & spacecraft",
    89: "Ships & boats", 90: "Optical & medical instruments", 91: "Clocks & watches",
    92: "Musical instruments", 93: "Arms & ammunition", 94: "Furniture & lighting",
    95: "Toys, games & sports goods", 96: "Misc. manufactured articles", 97: "Art & antiques",
    98: "Special classification", 99: "Special import provisions",
}

# --------------------------------------------------------------------------------------
# Tolerances
# --------------------------------------------------------------------------------------

TOL_BALANCE = 0.05 + 1e-6         # millions: exports - imports vs Census balance
TOL_MONTH_SUM = 0.5 + 1e-6        # millions: sum of months vs Census annual column
TOL_GROUP_REL = 0.005             # member sum vs Census aggregate
GROUP_STRICT_FROM = 2022          # unexplained group differences fail from this year on
TOL_WORLD_REL = 0.005             # WORLD vs Census 0015
WORLD_STRICT_FROM = 1992
TOL_HS_AGG_REL = 0.005            # HS-file aggregates vs member sums (same file)
# sector sums vs trade_annual (different vintages): |diff| <= rel * total + abs
SECTOR_TOL = {"imports": (0.01, 5.0), "exports": (0.02, 10.0)}
# partner/year/flow combinations outside the sector tolerance that are understood
_DATAWEB_VINTAGE = ("DataWeb (downloaded Aug 2025) is a third release, presumably carrying "
                    "Census's mid-2025 annual revision, which is not among the sources; it "
                    "differs from both Census releases here")
KNOWN_SECTOR_DIFFERENCES: dict[tuple[str, int, str], str] = {
    ("2482", 2023, "exports"): _DATAWEB_VINTAGE + " (Apr 2025: 441.3, Sep 2026: 507.2)",
    ("2777", 2024, "exports"): _DATAWEB_VINTAGE + " (Apr 2025: 823.5, Sep 2026: 822.3)",
    ("3350", 2024, "exports"): _DATAWEB_VINTAGE + " (Apr 2025: 401.0, Sep 2026: 382.1)",
    ("4039", 2023, "exports"): _DATAWEB_VINTAGE + " (Apr 2025: 5,021.6, Sep 2026: 5,267.1)",
}

REFERENCE = dict(
    china_2024_exports=143271.7, china_2024_imports=440319.4, china_2024_balance=-297047.7,
    top10_deficit_2024=["5700", "2010", "5520", "4190", "4280", "5830", "5880", "5800",
                        "1220", "5330"],
    china_2024_chapter_imports=438742.0, china_chapter_tol=1.0,
)


class SourceError(Exception):
    """A source file is missing, malformed or cannot be interpreted."""


# --------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------

def to_tenths(values) -> np.ndarray:
    """Millions of dollars (float, possibly with float noise) -> integer tenths (as float)."""
    return np.rint(np.asarray(values, dtype="float64") * 10.0)


def fmt_tenths(v) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return ""
    return f"{int(v) / 10:.1f}"


def dollars_to_thousands(v) -> np.ndarray:
    """Whole dollars -> integer thousands (millions with 3 decimals), half up."""
    a = np.asarray(v, dtype="int64")
    return np.where(a >= 0, (a + 500) // 1000, -((-a + 500) // 1000))


def fmt_thousands(v) -> str:
    v = int(v)
    sign = "-" if v < 0 else ""
    v = abs(v)
    return f"{sign}{v // 1000}.{v % 1000:03d}"


def norm_name(s: str) -> str:
    return re.sub(r"\s+", " ", str(s)).strip().casefold()


SMALL_WORDS = {"a", "an", "and", "or", "of", "the", "to", "for", "in", "by", "on", "at", "as"}
KEEP_UPPER = {"NESOI", "TV"}


def title_case(s: str) -> str:
    """Census upper-case descriptions -> Title Case with small words in lower case."""
    out = []
    first = True

    def repl(m: re.Match) -> str:
        nonlocal first
        w = m.group(0)
        if w.upper() in KEEP_UPPER:
            r = w.upper()
        elif not first and w.lower() in SMALL_WORDS:
            r = w.lower()
        else:
            r = w[:1].upper() + w[1:].lower()
        first = False
        return r

    out = re.sub(r"[A-Za-z][A-Za-z']*", repl, s.strip())
    return re.sub(r"\s+", " ", out)


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


# --------------------------------------------------------------------------------------
# Parsing the sources
# --------------------------------------------------------------------------------------

def parse_partners_json(path: Path) -> pd.DataFrame:
    """census-partners.json -> one row per entry (codes as strings)."""
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        raise SourceError(f"{Path(path).name}: cannot read ({e})") from e
    df = pd.DataFrame(raw)
    need = {"country_code", "census_code", "name", "iso2", "kind", "first_year", "last_year"}
    if missing := need - set(df.columns):
        raise SourceError(f"{Path(path).name}: missing fields {sorted(missing)}")
    df["census_code"] = df["census_code"].astype(str).str.zfill(4)
    if df["census_code"].duplicated().any():
        raise SourceError(f"{Path(path).name}: duplicate census codes")
    return df


def parse_schedule_c(path: Path) -> pd.DataFrame:
    """Schedule C fixed-width list -> code, name, iso2."""
    rows = []
    try:
        text = Path(path).read_text()
    except OSError as e:
        raise SourceError(f"{Path(path).name}: cannot read ({e})") from e
    for line in text.splitlines():
        m = re.match(r"^(\d{4})\s*\|\s*(.*?)\s*\|\s*(\S*)\s*$", line)
        if m:
            rows.append((m[1], m[2], m[3]))
    if len(rows) < 200:
        raise SourceError(f"{Path(path).name}: only {len(rows)} codes parsed")
    return pd.DataFrame(rows, columns=["code", "name", "iso2"])


def parse_country_csv(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict]:
    """Census country CSV -> (monthly, annual, names).

    monthly: code, year, month, exports, imports (integer tenths of $M, NaN = missing)
    annual:  code, year, exports, imports, months (Census IYR/EYR in tenths; months published)
    names:   code -> CTYNAME (latest year)

    A month that is zero for every row of a year is 'not yet published' (2025 Mar-Dec) and
    becomes missing.  A code-year whose months and annual columns are all zero carries no
    trade at all (Census lists some retired codes with zero rows) and is dropped.
    """
    name = Path(path).name
    try:
        df = pd.read_csv(path, dtype={"CTY_CODE": str, "CTYNAME": str})
    except (OSError, ValueError) as e:
        raise SourceError(f"{name}: cannot read ({e})") from e
    icols = ["I" + m for m in MONTHS]
    ecols = ["E" + m for m in MONTHS]
    need = ["year", "CTY_CODE", "CTYNAME", *icols, "IYR", *ecols, "EYR"]
    if missing := [c for c in need if c not in df.columns]:
        raise SourceError(f"{name}: missing columns {missing}")
    for c in icols + ecols + ["IYR", "EYR"]:
        vals = pd.to_numeric(df[c], errors="coerce")
        if vals.isna().any():
            raise SourceError(f"{name}: non-numeric or empty values in column {c}")
        if (vals < 0).any():
            raise SourceError(f"{name}: negative values in column {c}")
        df[c] = vals
    if not df["CTY_CODE"].str.fullmatch(r"\d{1,4}").all():
        raise SourceError(f"{name}: malformed CTY_CODE values")
    df["code"] = df["CTY_CODE"].str.zfill(4)
    df["year"] = df["year"].astype(int)
    if df.duplicated(["code", "year"]).any():
        raise SourceError(f"{name}: duplicate code/year rows")

    allzero = (df[icols + ecols + ["IYR", "EYR"]] == 0).all(axis=1)
    df = df[~allzero].copy()

    imp = df.melt(id_vars=["code", "year"], value_vars=icols, var_name="m", value_name="imports")
    exp = df.melt(id_vars=["code", "year"], value_vars=ecols, var_name="m", value_name="exports")
    imp["month"] = imp["m"].str[1:].map({m: i + 1 for i, m in enumerate(MONTHS)})
    exp["month"] = exp["m"].str[1:].map({m: i + 1 for i, m in enumerate(MONTHS)})
    monthly = imp.drop(columns="m").merge(exp.drop(columns="m"), on=["code", "year", "month"])
    monthly["imports"] = to_tenths(monthly["imports"])
    monthly["exports"] = to_tenths(monthly["exports"])

    # months that are zero for every code of a year were not yet published
    tot = monthly.groupby(["year", "month"])[["exports", "imports"]].sum()
    unpublished = tot[(tot["exports"] == 0) & (tot["imports"] == 0)].index
    key = pd.MultiIndex.from_frame(monthly[["year", "month"]])
    monthly = monthly[~key.isin(unpublished)].reset_index(drop=True)
    published = monthly.groupby("year")["month"].nunique()

    annual = pd.DataFrame({
        "code": df["code"].values, "year": df["year"].values,
        "exports": to_tenths(df["EYR"]), "imports": to_tenths(df["IYR"]),
    })
    annual["months"] = annual["year"].map(published).astype(int)
    names = (df.sort_values("year").groupby("code")["CTYNAME"].last().str.strip().to_dict())
    monthly = monthly[["code", "year", "month", "exports", "imports"]]
    return monthly, annual, names


def json_code_map(partners_json: pd.DataFrame, country_code: str, year: int) -> str:
    """Map a JSON country_code (ISO3 / AGG_xxxx / UNALLOC_xxxx) to a Census code for a year.

    For an ISO3 with several Census codes, pick the one whose first_year..last_year covers
    the year (the current one, i.e. latest last_year, if several do)."""
    ents = partners_json[partners_json["country_code"] == country_code]
    if ents.empty:
        raise SourceError(f"unknown country_code {country_code!r} in the {year} JSON file")
    if len(ents) == 1:
        return ents["census_code"].iloc[0]
    cover = ents[(ents["first_year"] <= year) & (ents["last_year"] >= year)]
    if cover.empty:
        raise SourceError(f"no Census code of {country_code} covers {year}")
    return cover.sort_values("last_year")["census_code"].iloc[-1]


def parse_country_json(path: Path, partners_json: pd.DataFrame
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One year's JSON -> (monthly, annual) like parse_country_csv.

    annual carries Census's own exports_year/imports_year/balance_year (tenths) and
    months = number of months with data in the file."""
    name = Path(path).name
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError) as e:
        raise SourceError(f"{name}: cannot read ({e})") from e
    if not isinstance(raw, list) or not raw:
        raise SourceError(f"{name}: expected a non-empty JSON array")
    mrows, arows = [], []
    seen = set()
    for r in raw:
        try:
            y = int(r["year"])
            code = json_code_map(partners_json, r["country_code"], y)
            ex, im = r["exports"], r["imports"]
            if len(ex) != 12 or len(im) != 12:
                raise SourceError(f"{name}: {r['country_code']} does not have 12 months")
            for i, (e, m) in enumerate(zip(ex, im)):
                if e is None and m is None:
                    continue
                for v in (e, m):
                    if v is not None and (not isinstance(v, (int, float)) or v < 0):
                        raise SourceError(f"{name}: {r['country_code']} month {i + 1}: "
                                          f"bad value {v!r}")
                mrows.append((code, y, i + 1, np.nan if e is None else float(e),
                              np.nan if m is None else float(m)))
            n = sum(1 for e, m in zip(ex, im) if e is not None or m is not None)
            arows.append((code, y, float(r["exports_year"]), float(r["imports_year"]),
                          float(r["balance_year"]), n))
        except (KeyError, TypeError, ValueError) as e:
            raise SourceError(f"{name}: malformed record {str(r)[:80]} ({e})") from e
        if (code, y) in seen:
            raise SourceError(f"{name}: code {code} appears twice for {y}")
        seen.add((code, y))
    monthly = pd.DataFrame(mrows, columns=["code", "year", "month", "exports", "imports"])
    monthly["exports"] = to_tenths(monthly["exports"])
    monthly["imports"] = to_tenths(monthly["imports"])
    annual = pd.DataFrame(arows, columns=["code", "year", "exports", "imports", "balance",
                                          "months"])
    for c in ("exports", "imports", "balance"):
        annual[c] = to_tenths(annual[c])
    return monthly, annual


def parse_hs_imports(path: Path) -> pd.DataFrame:
    """Census HS2 imports by partner (monthly, whole dollars) -> annual dollars:
    cty, year, chapter, imports (int dollars).  cty keeps Census's codes incl. aggregates."""
    name = Path(path).name
    try:
        df = pd.read_csv(path, dtype=str)
    except (OSError, ValueError) as e:
        raise SourceError(f"{name}: cannot read ({e})") from e
    need = ["YEAR", "MONTH", "CTY_CODE", "I_COMMODITY", "I_COMMODITY_SDESC", "GEN_VAL_MO"]
    if missing := [c for c in need if c not in df.columns]:
        raise SourceError(f"{name}: missing columns {missing}")
    v = pd.to_numeric(df["GEN_VAL_MO"], errors="coerce")
    if v.isna().any() or (v < 0).any() or (v != np.floor(v)).any():
        raise SourceError(f"{name}: GEN_VAL_MO must be non-negative whole dollars")
    if not df["I_COMMODITY"].str.fullmatch(r"\d{2}").all():
        raise SourceError(f"{name}: I_COMMODITY must be 2-digit chapters")
    df["imports"] = v.astype("int64")
    df["year"] = df["YEAR"].astype(int)
    df["chapter"] = df["I_COMMODITY"].astype(int)
    if df.duplicated(["year", "MONTH", "CTY_CODE", "chapter"]).any():
        raise SourceError(f"{name}: duplicate year/month/country/chapter rows")
    out = (df.groupby(["CTY_CODE", "year", "chapter"], as_index=False)["imports"].sum()
             .rename(columns={"CTY_CODE": "cty"}))
    out.attrs["descriptions"] = (df.drop_duplicates("chapter")
                                   .set_index("chapter")["I_COMMODITY_SDESC"].to_dict())
    return out


def parse_dataweb_exports(path: Path, years=SECTOR_YEARS) -> pd.DataFrame:
    """USITC DataWeb export file -> country, chapter, year, exports (int dollars).

    Checks the 'Data Row Count' line and the 'Total:' footer against the data rows."""
    name = Path(path).name
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as e:
        raise SourceError(f"{name}: cannot read ({e})") from e
    hdr = next((i for i, l in enumerate(lines) if l.startswith("Data Type,")), None)
    if hdr is None:
        raise SourceError(f"{name}: no 'Data Type,' header line")
    count = next((l for l in lines[:hdr] if l.startswith("Data Row Count")), None)
    body = pd.read_csv(io.StringIO("\n".join(lines[hdr:])), dtype=str)
    body.columns = [c.strip() for c in body.columns]
    is_data = body["Data Type"].str.strip() == "FAS Value"
    footer = body[~is_data]
    data = body[is_data].copy()
    if count is not None:
        n = int(count.split(",")[1])
        if n != len(data):
            raise SourceError(f"{name}: 'Data Row Count' says {n}, found {len(data)} rows")
    ycols = [str(y) for y in years]
    if missing := [c for c in ycols + ["HTS Number", "Description", "Country"]
                   if c not in data.columns]:
        raise SourceError(f"{name}: missing columns {missing}")
    for c in ycols:
        v = pd.to_numeric(data[c], errors="coerce")
        if v.isna().any() or (v < 0).any() or (v != np.round(v)).any():
            raise SourceError(f"{name}: column {c} must be non-negative whole dollars")
        data[c] = np.rint(v).astype("int64")
        tot = footer[footer["Data Type"].str.strip().str.startswith("Total")]
        if len(tot) == 1:
            ft = int(str(tot[c].iloc[0]).replace(",", "").split(".")[0])
            if ft != int(data[c].sum()):
                raise SourceError(f"{name}: {c} rows sum to {int(data[c].sum())}, "
                                  f"footer says {ft}")
    data["chapter"] = pd.to_numeric(data["HTS Number"], errors="coerce")
    if data["chapter"].isna().any():
        raise SourceError(f"{name}: non-numeric HTS Number")
    data["chapter"] = data["chapter"].astype(int)
    data["country"] = data["Country"].astype(str).str.strip()
    if data.duplicated(["chapter", "country"]).any():
        raise SourceError(f"{name}: duplicate chapter/country rows")
    out = data.melt(id_vars=["country", "chapter"], value_vars=ycols, var_name="year",
                    value_name="exports")
    out["year"] = out["year"].astype(int)
    out.attrs["descriptions"] = (data.drop_duplicates("chapter")
                                     .set_index("chapter")["Description"].to_dict())
    return out


# --------------------------------------------------------------------------------------
# Building the tables
# --------------------------------------------------------------------------------------

def alt_code_map(partners_json: pd.DataFrame) -> dict[str, str]:
    """Census codes to merge: codes sharing an ISO3 go to the current one (latest
    last_year), plus the extra CSV-only codes with merge_into."""
    m = {}
    places = partners_json[~partners_json["country_code"].str.startswith(("AGG_", "UNALLOC_"))]
    for _, g in places.groupby("country_code"):
        if len(g) > 1:
            keep = g.sort_values(["last_year", "first_year"])["census_code"].iloc[-1]
            for c in g["census_code"]:
                if c != keep:
                    m[c] = keep
    for c, info in EXTRA_CODES.items():
        if "merge_into" in info:
            m[c] = info["merge_into"]
    return m


def merge_codes(df: pd.DataFrame, alt: dict[str, str], keys: list[str],
                values: list[str]) -> pd.DataFrame:
    """Re-code alt codes to their current code and sum (NaN stays NaN if all NaN)."""
    df = df.copy()
    df["code"] = df["code"].replace(alt)
    return df.groupby(keys, as_index=False)[values].sum(min_count=1)


def combine_sources(csv_m, csv_a, json_m, json_a, csv_last_year=CSV_LAST_YEAR):
    """CSV up to csv_last_year, JSON for the years it covers (newest release wins)."""
    jyears = set(json_a["year"])
    cm = csv_m[(csv_m["year"] <= csv_last_year) & ~csv_m["year"].isin(jyears)]
    ca = csv_a[(csv_a["year"] <= csv_last_year) & ~csv_a["year"].isin(jyears)]
    monthly = pd.concat([cm, json_m[["code", "year", "month", "exports", "imports"]]],
                        ignore_index=True)
    annual = pd.concat([ca[["code", "year", "exports", "imports", "months"]],
                        json_a[["code", "year", "exports", "imports", "months"]]],
                       ignore_index=True)
    return monthly, annual


def finalize_annual(monthly: pd.DataFrame, census_annual: pd.DataFrame) -> pd.DataFrame:
    """trade_annual for single codes: Census annual columns for complete years, sum of
    months for partial years; months = number of months with data."""
    ms = monthly.groupby(["code", "year"]).agg(
        m_exports=("exports", lambda s: s.sum(min_count=1)),
        m_imports=("imports", lambda s: s.sum(min_count=1)),
        months=("month", "nunique")).reset_index()
    a = ms.merge(census_annual[["code", "year", "exports", "imports"]], on=["code", "year"],
                 how="left")
    partial = a["months"] < 12
    a.loc[partial, "exports"] = a.loc[partial, "m_exports"]
    a.loc[partial, "imports"] = a.loc[partial, "m_imports"]
    return a[["code", "year", "months", "exports", "imports"]]


def derive_census_members(partners: pd.DataFrame) -> dict[str, list[str]]:
    """Member lists of the Census aggregates from the rules in CENSUS_AGGREGATES."""
    places = partners[partners["kind"].isin(["country", "former"])]["code"]
    out = {}
    for g, rule in CENSUS_AGGREGATES.items():
        if rule["rule"] == "list":
            mem = list(rule["codes"])
        else:
            mem = [c for c in places if c.isdigit() and rule["lo"] <= int(c) <= rule["hi"]
                   and c not in rule.get("exclude", set())]
        out[g] = sorted(mem)
    return out


def group_sum_monthly(monthly: pd.DataFrame, members: dict[str, list[str]]) -> pd.DataFrame:
    """Sum member months for each group (over the members that have data)."""
    mem = pd.DataFrame([(g, c) for g, cs in members.items() for c in cs],
                       columns=["group", "code"])
    x = monthly.merge(mem, on="code")
    out = (x.groupby(["group", "year", "month"], as_index=False)[["exports", "imports"]]
             .sum(min_count=1).rename(columns={"group": "code"}))
    return out


def group_sum_annual(annual: pd.DataFrame, monthly_groups: pd.DataFrame,
                     members: dict[str, list[str]]) -> pd.DataFrame:
    """Annual group totals = sum of members' annual figures; months from the group's
    monthly rows."""
    mem = pd.DataFrame([(g, c) for g, cs in members.items() for c in cs],
                       columns=["group", "code"])
    x = annual.merge(mem, on="code")
    a = (x.groupby(["group", "year"], as_index=False)[["exports", "imports"]]
           .sum(min_count=1).rename(columns={"group": "code"}))
    months = monthly_groups.groupby(["code", "year"])["month"].nunique().rename("months")
    a = a.merge(months.reset_index(), on=["code", "year"], how="left")
    return a[["code", "year", "months", "exports", "imports"]]


def short_name(code: str, census_name: str, json_name: str | None) -> str:
    if code in DISPLAY_NAMES:
        return DISPLAY_NAMES[code]
    base = json_name or census_name
    base = re.sub(r"\s*\(.*\)\s*$", "", base).strip()   # drop trailing parenthetical
    return base or census_name


def build_partners(partners_json: pd.DataFrame, schedule_c: pd.DataFrame,
                   csv_names: dict, alt: dict[str, str], annual: pd.DataFrame) -> pd.DataFrame:
    """partners.csv rows for places and Census aggregates (not blocs / WORLD)."""
    sc_iso = schedule_c.set_index("code")["iso2"].to_dict()
    rows = []
    pj = partners_json.set_index("census_code")
    codes = set(pj.index) | set(EXTRA_CODES)
    for code in sorted(codes):
        if code in DROPPED_CODES or code in alt:
            continue
        if code in pj.index:
            e = pj.loc[code]
            kind, jname, cc, iso2 = e["kind"], e["name"], e["country_code"], e["iso2"]
        else:
            info = EXTRA_CODES[code]
            kind, jname, cc, iso2 = info["kind"], info["name"], "", None
        census_name = csv_names.get(code, jname)
        if not iso2 or (isinstance(iso2, float) and np.isnan(iso2)):
            iso2 = sc_iso.get(code, "")
        if iso2 in NOT_ISO2:
            iso2 = ""
        iso3 = cc if cc and not cc.startswith(("AGG_", "UNALLOC_")) and cc not in NOT_ISO3 \
            else ""
        is_place = kind in ("country", "former")
        rows.append(dict(
            code=code, census_name=census_name, name=short_name(code, census_name, jname),
            iso2=iso2 or "", iso3=iso3, kind=kind,
            continent=CONTINENTS.get(code[0], "") if is_place else "",
            alt_codes=";".join(sorted(c for c, k in alt.items() if k == code))))
    df = pd.DataFrame(rows)
    for b, info in BLOCS.items():
        df.loc[len(df)] = dict(code=b, census_name="", name=info["name"], iso2="", iso3="",
                               kind="bloc", continent="", alt_codes="")
    df.loc[len(df)] = dict(code=WORLD, census_name="", name="World (all partners)", iso2="",
                           iso3="", kind="world", continent="", alt_codes="")
    yrs = annual.groupby("code")["year"].agg(["min", "max"])
    df["first_year"] = df["code"].map(yrs["min"]).astype("Int64")
    df["last_year"] = df["code"].map(yrs["max"]).astype("Int64")
    cols = ["code", "census_name", "name", "iso2", "iso3", "kind", "continent",
            "first_year", "last_year", "alt_codes"]
    return df[cols].sort_values("code").reset_index(drop=True)


class UnmappedNameError(SourceError):
    pass


def map_dataweb_names(names, partners: pd.DataFrame, partners_json: pd.DataFrame,
                      alt: dict[str, str], explicit: dict[str, str] = DATAWEB_NAMES
                      ) -> dict[str, str]:
    """DataWeb country name -> Census code.  Exact (case-insensitive) match on a Census
    spelling (country file or census-partners.json), else the explicit dict; any name
    left over raises UnmappedNameError."""
    lookup: dict[str, set] = {}
    places = partners[partners["kind"].isin(PLACE_KINDS)]
    for code, cn in zip(places["code"], places["census_name"]):
        lookup.setdefault(norm_name(cn), set()).add(code)
    for code, jn in zip(partners_json["census_code"], partners_json["name"]):
        code = alt.get(code, code)
        if code in set(places["code"]):
            lookup.setdefault(norm_name(jn), set()).add(code)
    expl = {norm_name(k): v for k, v in explicit.items()}
    out, bad = {}, []
    for n in sorted(set(names)):
        key = norm_name(n)
        if key in expl:
            out[n] = expl[key]
        elif key in lookup and len(lookup[key]) == 1:
            out[n] = next(iter(lookup[key]))
        else:
            bad.append(n)
    if bad:
        raise UnmappedNameError("DataWeb country names without a Census code: "
                                + ", ".join(repr(b) for b in bad))
    return out


def build_sectors(hs: pd.DataFrame, dw: pd.DataFrame, dw_map: dict[str, str],
                  alt: dict[str, str], members: dict[str, list[str]],
                  years=SECTOR_YEARS) -> pd.DataFrame:
    """sectors: code, year, chapter, exports, imports in whole dollars (int64)."""
    imp = hs[hs["cty"].str.fullmatch(r"[1-9]\d{3}") & hs["year"].isin(years)].copy()
    imp["code"] = imp["cty"].replace(alt)
    imp = imp.groupby(["code", "year", "chapter"], as_index=False)["imports"].sum()
    exp = dw[dw["year"].isin(years)].copy()
    exp["code"] = exp["country"].map(dw_map)
    exp = exp.groupby(["code", "year", "chapter"], as_index=False)["exports"].sum()
    s = imp.merge(exp, on=["code", "year", "chapter"], how="outer").fillna(0)
    s[["exports", "imports"]] = s[["exports", "imports"]].astype("int64")
    mem = pd.DataFrame([(g, c) for g, cs in members.items() for c in cs],
                       columns=["group", "code"])
    grp = (s.merge(mem, on="code").groupby(["group", "year", "chapter"], as_index=False)
             [["exports", "imports"]].sum().rename(columns={"group": "code"}))
    out = pd.concat([s, grp], ignore_index=True)
    return out[["code", "year", "chapter", "exports", "imports"]]


# --------------------------------------------------------------------------------------
# Checks
# --------------------------------------------------------------------------------------

@dataclass
class Check:
    name: str
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    summary: str = ""
    data: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures


def check_balance(annual: pd.DataFrame, tol: float = TOL_BALANCE) -> Check:
    """exports - imports = balance where the source gives one (tenths in, $M tolerance)."""
    c = Check("balance")
    a = annual.dropna(subset=["balance"])
    d = (a["exports"] - a["imports"] - a["balance"]).abs() / 10
    for _, r in a[d > tol].iterrows():
        c.failures.append(f"balance: {r['code']} {r['year']}: exports-imports "
                          f"{(r['exports'] - r['imports']) / 10:.1f} != balance "
                          f"{r['balance'] / 10:.1f}")
    c.summary = (f"{len(a)} code-years, max abs(exports - imports - balance) "
                 f"{d.max() if len(d) else 0:.2f}")
    return c


def check_month_sums(monthly: pd.DataFrame, annual: pd.DataFrame, label: str = "",
                     tol: float = TOL_MONTH_SUM) -> Check:
    """Sum of months vs Census annual column, for every code-year in `annual` (whose
    `months` says how many months were published; the annual column is then YTD)."""
    c = Check(f"month sums{(' ' + label) if label else ''}")
    ms = monthly.groupby(["code", "year"], as_index=False)[["exports", "imports"]].sum()
    x = annual.merge(ms, on=["code", "year"], how="left", suffixes=("", "_m")).fillna(
        {"exports_m": 0, "imports_m": 0})
    worst = 0.0
    for flow in ("exports", "imports"):
        d = (x[flow] - x[flow + "_m"]).abs() / 10
        worst = max(worst, float(d.max()) if len(d) else 0.0)
        for _, r in x[d > tol].iterrows():
            c.failures.append(f"month sums{(' ' + label) if label else ''}: {r['code']} "
                              f"{r['year']} {flow}: months sum to {r[flow + '_m'] / 10:.1f}, "
                              f"annual column {r[flow] / 10:.1f}")
    c.summary = f"{len(x)} code-years, max difference {worst:.1f}"
    c.data["max_diff"] = worst
    return c


def check_partners_table(partners: pd.DataFrame) -> Check:
    c = Check("partners table")
    dup = partners["code"][partners["code"].duplicated()]
    for d in sorted(set(dup)):
        c.failures.append(f"partners: duplicate code {d}")
    for _, r in partners.iterrows():
        if not isinstance(r["name"], str) or not r["name"].strip():
            c.failures.append(f"partners: code {r['code']} has no name")
        if r["kind"] not in KINDS:
            c.failures.append(f"partners: code {r['code']} has unknown kind {r['kind']!r}")
        if r["iso2"] and not re.fullmatch(r"[A-Z]{2}", str(r["iso2"])):
            c.failures.append(f"partners: code {r['code']} has bad iso2 {r['iso2']!r}")
        if r["iso3"] and not re.fullmatch(r"[A-Z]{3}", str(r["iso3"])):
            c.failures.append(f"partners: code {r['code']} has bad iso3 {r['iso3']!r}")
    iso3 = partners["iso3"][partners["iso3"] != ""]
    for d in sorted(set(iso3[iso3.duplicated()])):
        c.failures.append(f"partners: iso3 {d} used by more than one row")
    c.summary = f"{len(partners)} rows, codes unique, names present"
    return c


def check_references(partners: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> Check:
    """Every code used in another table exists in partners."""
    c = Check("codes known")
    known = set(partners["code"])
    for tname, (df, cols) in tables.items():
        for col in cols:
            for u in sorted(set(df[col].astype(str)) - known):
                c.failures.append(f"codes: {tname}.{col} uses code {u} not in partners.csv")
    c.summary = f"{len(tables)} tables reference only partners.csv codes"
    return c


def explanation_for(key_code: str, year: int, known: dict) -> str | None:
    for (g, y0, y1), text in known.items():
        if g == key_code and y0 <= year <= y1:
            return text
    return None


def compress_years(years: list[int]) -> str:
    years = sorted(set(years))
    out, i = [], 0
    while i < len(years):
        j = i
        while j + 1 < len(years) and years[j + 1] == years[j] + 1:
            j += 1
        out.append(str(years[i]) if i == j else f"{years[i]}-{years[j]}")
        i = j + 1
    return ", ".join(out)


def check_groups_vs_census(annual: pd.DataFrame, members: dict[str, list[str]],
                           known: dict = KNOWN_GROUP_DIFFERENCES,
                           tol: float = TOL_GROUP_REL,
                           strict_from: int = GROUP_STRICT_FROM) -> Check:
    """Member sums vs the Census aggregate series, every year the aggregate exists.

    Differences above tol are reported; unexplained ones from strict_from on fail."""
    c = Check("groups vs Census aggregates")
    worst_recent = 0.0
    diffs = []
    a = annual.set_index(["code", "year"])
    for g, mem in sorted(members.items()):
        if g not in a.index.get_level_values(0):
            continue
        ga = a.loc[g]
        ma = annual[annual["code"].isin(mem)].groupby("year")[["exports", "imports"]].sum()
        for y in ga.index:
            for flow in ("exports", "imports"):
                ref = ga.loc[y, flow]
                got = ma.loc[y, flow] if y in ma.index else 0.0
                if not ref:
                    continue
                rel = (got - ref) / ref
                if y >= strict_from:
                    worst_recent = max(worst_recent, abs(rel))
                if abs(rel) > tol:
                    why = explanation_for(g, y, known)
                    diffs.append(dict(group=g, year=int(y), flow=flow, members=got / 10,
                                      census=ref / 10, rel=rel, why=why))
                    if not why and y >= strict_from:
                        c.failures.append(
                            f"groups: unexplained difference {g} {y} {flow}: members "
                            f"{got / 10:,.1f} vs Census {ref / 10:,.1f} ({rel * 100:+.2f}%)")
    # one note per group and explanation
    seen = {}
    for d in diffs:
        if d["why"] or d["year"] < strict_from:
            seen.setdefault((d["group"], d["why"] or "unexplained (historical year)"),
                            []).append(d)
    for (g, why), ds in seen.items():
        lo, hi = min(d["rel"] for d in ds), max(d["rel"] for d in ds)
        c.notes.append(f"{g} {compress_years([d['year'] for d in ds])}: members vs Census "
                       f"{lo * 100:+.1f}% to {hi * 100:+.1f}% ({len(ds)} year-flows): {why}")
    c.data.update(diffs=diffs, worst_recent=worst_recent, tol=tol, strict_from=strict_from)
    c.summary = (f"{len(members)} aggregates, every year; max abs diff {strict_from}+ "
                 f"{worst_recent * 100:.3f}%; {len(diffs)} year-flows > {tol * 100:.1f}% "
                 f"(all explained)" if not c.failures else
                 f"{len(c.failures)} unexplained differences > {tol * 100:.1f}%")
    return c


def check_world(world_annual: pd.DataFrame, world_monthly: pd.DataFrame,
                census_monthly: pd.DataFrame, census_annual: pd.DataFrame,
                tol: float = TOL_WORLD_REL, strict_from: int = WORLD_STRICT_FROM) -> Check:
    """WORLD (partner sum) vs Census 0015 World NSA: complete years on annual figures,
    a partial year on the months both have.  From strict_from on, > tol fails."""
    c = Check("WORLD vs Census world (0015)")
    w = world_annual.set_index("year")
    worst_strict = 0.0
    rows, short = [], []
    for _, r in census_annual.sort_values("year").iterrows():
        y = int(r["year"])
        if r["months"] == 12:
            if y not in w.index:
                continue
            got = {f: w.loc[y, f] for f in ("exports", "imports")}
            ref = {f: r[f] for f in ("exports", "imports")}
            span = str(y)
        else:
            cm = census_monthly[census_monthly["year"] == y]
            wm = world_monthly[(world_monthly["year"] == y)
                               & world_monthly["month"].isin(cm["month"])]
            if wm.empty:
                continue
            got = {f: wm[f].sum() for f in ("exports", "imports")}
            ref = {f: cm[f].sum() for f in ("exports", "imports")}
            span = f"{y} months {cm['month'].min()}-{cm['month'].max()}"
        for f in ("exports", "imports"):
            rel = (got[f] - ref[f]) / ref[f]
            rows.append((span, f, got[f], ref[f], rel))
            line = (f"WORLD {span} {f}: partner sum {got[f] / 10:,.1f} vs Census "
                    f"{ref[f] / 10:,.1f} ({rel * 100:+.2f}%)")
            if y >= strict_from:
                worst_strict = max(worst_strict, abs(rel))
                if abs(rel) > tol:
                    c.failures.append(f"world: {line} exceeds {tol * 100:.1f}%")
            elif abs(rel) > tol:
                short.append((y, f, rel))
    if short:
        c.notes.append(f"WORLD {compress_years([y for y, _, _ in short])}: partner sum "
                       f"{min(r for *_, r in short) * 100:+.2f}% to "
                       f"{max(r for *_, r in short) * 100:+.2f}% vs Census world: before 1992 "
                       f"the country file covers only 81-84 partners, so the partner sum "
                       f"falls short of the world total")
    c.data["rows"] = rows
    c.summary = (f"{len(rows) // 2} years compared; {strict_from}+ max abs diff "
                 f"{worst_strict * 100:.3f}% (limit {tol * 100:.1f}%)")
    return c


def check_sectors_vs_totals(sectors: pd.DataFrame, annual: pd.DataFrame,
                            partners: pd.DataFrame, prior: pd.DataFrame | None = None,
                            tol: dict = SECTOR_TOL,
                            known: dict = KNOWN_SECTOR_DIFFERENCES) -> Check:
    """Sum of chapters vs trade_annual, per place partner, sector year and flow.

    sectors in whole dollars; annual and prior (an earlier release of the same annual
    totals, e.g. the April 2025 country file) in tenths of $M.  A partner-year-flow passes
    if it is within tol of trade_annual; if not, it is explained as a revision when it is
    within tol of the earlier release, or by an entry in `known`; otherwise it fails."""
    c = Check("sectors vs partner totals")
    places = set(partners.loc[partners["kind"].isin(PLACE_KINDS), "code"])
    years = sorted(sectors["year"].unique())
    s = (sectors[sectors["code"].isin(places)].groupby(["code", "year"])[
        ["exports", "imports"]].sum() / 1e6).reset_index()
    a = annual[annual["code"].isin(places) & annual["year"].isin(years)][
        ["code", "year", "exports", "imports"]].copy()
    a[["exports", "imports"]] = a[["exports", "imports"]] / 10
    x = s.merge(a, on=["code", "year"], how="outer", suffixes=("_s", "_t"))
    if prior is not None:
        p = prior[prior["code"].isin(places) & prior["year"].isin(years)][
            ["code", "year", "exports", "imports"]].copy()
        p = p.rename(columns={"exports": "exports_p", "imports": "imports_p"})
        p[["exports_p", "imports_p"]] = p[["exports_p", "imports_p"]] / 10
        x = x.merge(p, on=["code", "year"], how="left")
    x = x.fillna(0.0)
    stats, revised, explained = {}, [], []
    for flow, (rel, ab) in tol.items():
        d = x[flow + "_s"] - x[flow + "_t"]
        lim = rel * x[flow + "_t"].abs() + ab
        rd = (d / x[flow + "_t"].where(x[flow + "_t"] > 100)).abs()
        n_out = 0
        for i in x.index[d.abs() > lim]:
            r = x.loc[i]
            n_out += 1
            code, y = r["code"], int(r["year"])
            line = (f"{code} {y} {flow}: chapters {r[flow + '_s']:,.1f} vs total "
                    f"{r[flow + '_t']:,.1f} (diff {d[i]:+,.1f}, limit {rel * 100:g}% + {ab:g})")
            if prior is not None and abs(r[flow + "_s"] - r[flow + "_p"]) <= (
                    rel * abs(r[flow + "_p"]) + ab):
                revised.append(dict(code=code, year=y, flow=flow, chapters=r[flow + "_s"],
                                    total=r[flow + "_t"], prior=r[flow + "_p"]))
            elif (code, y, flow) in known:
                explained.append(dict(code=code, year=y, flow=flow, chapters=r[flow + "_s"],
                                      total=r[flow + "_t"],
                                      prior=r.get(flow + "_p", float("nan")),
                                      why=known[(code, y, flow)]))
            else:
                c.failures.append(f"sectors: {line}")
        tot = x.groupby("year")[[flow + "_s", flow + "_t"]].sum()
        stats[flow] = dict(max_abs=float(d.abs().max()),
                           max_rel=float(rd.max()) if rd.notna().any() else 0.0,
                           p95_rel=float(rd.quantile(0.95)) if rd.notna().any() else 0.0,
                           n=len(x), n_out=n_out, rel=rel, abs=ab,
                           totals={int(y): (float(v[flow + "_s"]), float(v[flow + "_t"]))
                                   for y, v in tot.iterrows()})
    for e in revised:
        c.notes.append(f"{e['code']} {e['year']} {e['flow']}: chapters {e['chapters']:,.1f} vs "
                       f"total {e['total']:,.1f}; matches the April 2025 release "
                       f"({e['prior']:,.1f}): revised since")
    for e in explained:
        c.notes.append(f"{e['code']} {e['year']} {e['flow']}: chapters {e['chapters']:,.1f} vs "
                       f"total {e['total']:,.1f}: {e['why']}")
    c.data.update(stats=stats, revised=revised, explained=explained)
    c.summary = "; ".join(
        f"{f}: {v['n']} partner-years, {v['n_out']} outside {v['rel'] * 100:g}% + ${v['abs']:g}M "
        f"(max abs diff {v['max_abs']:,.1f})" for f, v in stats.items())
    return c


def check_hs_aggregates(sectors: pd.DataFrame, hs: pd.DataFrame,
                        mapping: list = HS_AGGREGATE_CHECKS,
                        tol: float = TOL_HS_AGG_REL) -> Check:
    """HS-file aggregate rows (imports) vs tradegap's member sums of the same file."""
    c = Check("HS-file aggregates vs member sums")
    got = sectors.groupby(["code", "year"])["imports"].sum()
    ref = hs.groupby(["cty", "year"])["imports"].sum()
    n = 0
    worst = 0.0
    rows = []
    for cty, code in mapping:
        for y in sorted(set(sectors["year"])):
            if (cty, y) not in ref.index:
                continue
            r, g = ref.loc[(cty, y)], got.get((code, y), 0)
            rel = (g - r) / r
            n += 1
            worst = max(worst, abs(rel))
            line = (f"HS {cty} vs {code} {y} imports: members {g / 1e6:,.1f} vs Census "
                    f"{r / 1e6:,.1f} ({rel * 100:+.3f}%)")
            rows.append((cty, code, int(y), g / 1e6, r / 1e6, rel))
            if abs(rel) > tol:
                c.failures.append(f"hs aggregates: {line}")
    c.data["rows"] = rows
    c.summary = f"{n} comparisons, max abs diff {worst * 100:.3f}%"
    return c


def check_reference_figures(annual: pd.DataFrame, partners: pd.DataFrame,
                            sectors: pd.DataFrame, ref: dict = REFERENCE) -> Check:
    """Published figures the dataset must reproduce (annual in tenths, sectors in $)."""
    c = Check("reference figures")
    a = annual.set_index(["code", "year"])
    try:
        ex, im = a.loc[("5700", 2024), "exports"] / 10, a.loc[("5700", 2024), "imports"] / 10
    except KeyError:
        c.failures.append("reference: no 2024 row for China (5700)")
        return c
    for lab, got, want in (("exports", ex, ref["china_2024_exports"]),
                           ("imports", im, ref["china_2024_imports"]),
                           ("balance", ex - im, ref["china_2024_balance"])):
        if abs(got - want) > 0.05 + 1e-6:
            c.failures.append(f"reference: China 2024 {lab} {got:,.1f}, expected {want:,.1f}")
    countries = set(partners.loc[partners["kind"] == "country", "code"])
    y24 = annual[(annual["year"] == 2024) & annual["code"].isin(countries)].copy()
    y24["balance"] = y24["exports"] - y24["imports"]
    top = y24.sort_values(["balance", "code"])["code"].head(10).tolist()
    if top != ref["top10_deficit_2024"]:
        c.failures.append(f"reference: 2024 top-10 deficit partners {top}, expected "
                          f"{ref['top10_deficit_2024']}")
    ch = sectors[(sectors["code"] == "5700") & (sectors["year"] == 2024)]["imports"].sum() / 1e6
    if abs(ch - ref["china_2024_chapter_imports"]) > ref["china_chapter_tol"]:
        c.failures.append(f"reference: China 2024 chapter imports sum {ch:,.1f}, expected "
                          f"~{ref['china_2024_chapter_imports']:,.0f}")
    c.summary = (f"China 2024 exports {ex:,.1f} imports {im:,.1f} balance {ex - im:,.1f}; "
                 f"top-10 deficits 2024 {', '.join(top)}; China 2024 chapter imports "
                 f"{ch:,.1f}")
    return c


# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------

def csv_text(df: pd.DataFrame, formats: dict | None = None) -> str:
    """Deterministic CSV: given per-column formatters, '\n' line endings, UTF-8."""
    df = df.copy()
    for col, f in (formats or {}).items():
        df[col] = [f(v) for v in df[col]]
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue()


def write_atomic(path: Path, text: str) -> None:
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


# --------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------

@dataclass
class Build:
    files: dict[str, str]          # output file name -> text
    checks: list[Check]
    facts: dict


def build(sources: Path) -> Build:
    """Parse, assemble and check everything; return texts to write and the checks.

    Raises SourceError if a source cannot be interpreted."""
    sources = Path(sources)
    for f in [CSV_FILE, PARTNERS_FILE, SCHEDULE_C_FILE, HS_IMPORTS_FILE, DATAWEB_FILE,
              *JSON_FILES.values()]:
        if not (sources / f).is_file():
            raise SourceError(f"{f}: missing from {sources}")

    pj = parse_partners_json(sources / PARTNERS_FILE)
    sc = parse_schedule_c(sources / SCHEDULE_C_FILE)
    csv_m, csv_a, csv_names = parse_country_csv(sources / CSV_FILE)
    unknown = sorted(set(csv_a["code"]) - set(pj["census_code"]) - set(EXTRA_CODES))
    if unknown:
        raise SourceError(f"{CSV_FILE}: codes not in census-partners.json and not handled: "
                          f"{unknown}")
    jm, ja = [], []
    for y, f in sorted(JSON_FILES.items()):
        m, a = parse_country_json(sources / f, pj)
        if set(a["year"]) != {y}:
            raise SourceError(f"{f}: contains years {sorted(set(a['year']))}, expected {y}")
        jm.append(m)
        ja.append(a)
    json_m, json_a = pd.concat(jm, ignore_index=True), pd.concat(ja, ignore_index=True)

    checks: list[Check] = []
    checks.append(check_balance(json_a))
    csv_used = csv_a[csv_a["year"] <= CSV_LAST_YEAR]
    checks.append(check_month_sums(csv_m, csv_used, label="CSV 1985-2021"))
    checks.append(check_month_sums(json_m, json_a, label="JSON 2022-2026"))

    # Census world series, for validation only
    cw_m = csv_m[csv_m["code"] == CENSUS_WORLD]
    cw_a = csv_a[csv_a["code"] == CENSUS_WORLD]

    # assemble, drop non-place program series, merge codes
    monthly, cannual = combine_sources(csv_m, csv_a, json_m, json_a)
    monthly = monthly[~monthly["code"].isin(DROPPED_CODES)]
    cannual = cannual[~cannual["code"].isin(DROPPED_CODES)]
    alt = alt_code_map(pj)
    alt_years = {old: (compress_years(cannual.loc[cannual["code"] == old, "year"].tolist())
                       or "none (all-zero rows only)") for old in alt}
    monthly = merge_codes(monthly, alt, ["code", "year", "month"], ["exports", "imports"])
    cannual = merge_codes(cannual, alt, ["code", "year"], ["exports", "imports"])
    monthly = monthly.dropna(subset=["exports", "imports"], how="all")
    annual = finalize_annual(monthly, cannual)

    # partners (without years yet) and memberships
    partners0 = build_partners(pj, sc, csv_names, alt, annual)
    places = partners0.loc[partners0["kind"].isin(PLACE_KINDS), "code"].tolist()
    census_members = derive_census_members(partners0)
    bloc_members = {b: sorted(info["members"]) for b, info in BLOCS.items()}
    computed = {**bloc_members, WORLD: sorted(places)}

    place_m = monthly[monthly["code"].isin(places)]
    place_a = annual[annual["code"].isin(places)]
    gm = group_sum_monthly(place_m, computed)
    ga = group_sum_annual(place_a, gm, computed)
    monthly = pd.concat([monthly, gm], ignore_index=True)
    annual = pd.concat([annual, ga], ignore_index=True)
    monthly = monthly.sort_values(["code", "year", "month"]).reset_index(drop=True)
    annual = annual.sort_values(["code", "year"]).reset_index(drop=True)
    partners = build_partners(pj, sc, csv_names, alt, annual)

    # bloc member names must agree with the partner table
    pname = partners.set_index("code")["name"].to_dict()
    bad = [f"{b}: {c} ({n})" for b, info in BLOCS.items() for c, n in info["members"].items()
           if c not in pname or partners.set_index("code").loc[c, "kind"] != "country"]
    if bad:
        raise SourceError("bloc members that are not current partner countries: "
                          + "; ".join(bad))

    # month sums on the output (merged codes, groups): informational maxima
    out_ms = check_month_sums(monthly, annual[annual["months"] == 12], label="output")
    singles = annual[~annual["code"].isin(computed)]
    out_single = check_month_sums(monthly, singles[singles["months"] == 12],
                                  label="output partners")
    out_ms.failures = []           # group sums accumulate members' rounding: info only
    out_ms.name = "month sums output (groups, info)"
    checks += [out_single, out_ms]

    checks.append(check_groups_vs_census(annual, census_members))
    w_a = annual[annual["code"] == WORLD]
    w_m = monthly[monthly["code"] == WORLD]
    checks.append(check_world(w_a, w_m, cw_m, cw_a))

    # sectors
    hs = parse_hs_imports(sources / HS_IMPORTS_FILE)
    dw = parse_dataweb_exports(sources / DATAWEB_FILE)
    dw_map = map_dataweb_names(dw["country"].unique(), partners, pj, alt)
    all_members = {**census_members, **computed}
    sectors = build_sectors(hs, dw, dw_map, alt, all_members)
    sectors["exports_k"] = dollars_to_thousands(sectors["exports"])
    sectors["imports_k"] = dollars_to_thousands(sectors["imports"])
    sectors = sectors[(sectors["exports_k"] != 0) | (sectors["imports_k"] != 0)]
    sectors = sectors.sort_values(["code", "year", "chapter"]).reset_index(drop=True)
    prior = merge_codes(csv_a[csv_a["year"].isin(SECTOR_YEARS)], alt, ["code", "year"],
                        ["exports", "imports"])
    checks.append(check_sectors_vs_totals(sectors, annual, partners, prior))
    checks.append(check_hs_aggregates(sectors, hs))

    # memberships table
    gm_rows = [(g, c) for g, cs in {**census_members, **bloc_members}.items() for c in cs]
    group_members = pd.DataFrame(gm_rows, columns=["group", "member"]).sort_values(
        ["group", "member"]).reset_index(drop=True)

    checks.append(check_partners_table(partners))
    checks.append(check_references(partners, {
        "trade_monthly": (monthly, ["code"]), "trade_annual": (annual, ["code"]),
        "sectors": (sectors, ["code"]), "group_members": (group_members, ["group", "member"]),
    }))
    checks.append(check_reference_figures(annual, partners, sectors))

    # groups table
    grows = []
    for g in sorted(census_members):
        prow = partners.set_index("code").loc[g]
        grows.append(dict(code=g, name=prow["name"], kind=prow["kind"], source="census",
                          as_of="", note=f"Census series; members as used by Census for "
                                         f"recent years: {CENSUS_AGGREGATES[g]['note']}"))
    for b, info in BLOCS.items():
        grows.append(dict(code=b, name=info["name"], kind="bloc", source="members",
                          as_of=info["as_of"], note=info["source"] +
                          "; membership applied to all years"))
    groups = pd.DataFrame(grows).sort_values("code").reset_index(drop=True)

    # chapters
    desc = {**dw.attrs["descriptions"], **hs.attrs["descriptions"]}
    chs = sorted(set(sectors["chapter"]))
    missing = [ch for ch in chs if ch not in CHAPTER_NAMES]
    if missing:
        raise SourceError(f"no short name for HS chapters {missing}")
    chapters = pd.DataFrame([dict(chapter=ch, name=CHAPTER_NAMES[ch],
                                  description=title_case(desc[ch])) for ch in chs])

    ly = int(monthly["year"].max())
    lm = int(monthly.loc[monthly["year"] == ly, "month"].max())
    used = [PARTNERS_FILE, SCHEDULE_C_FILE, CSV_FILE, *JSON_FILES.values(), HS_IMPORTS_FILE,
            DATAWEB_FILE]
    release = {
        "latest_year": ly, "latest_month": lm,
        "release_label": RELEASE_LABEL,
        "releases": RELEASES,
        "sector_releases": SECTOR_RELEASES,
        "built_from": [{"file": f, "sha256": sha256(sources / f)} for f in sorted(used)],
    }

    files = {
        "partners.csv": csv_text(partners, {
            "first_year": lambda v: "" if pd.isna(v) else str(int(v)),
            "last_year": lambda v: "" if pd.isna(v) else str(int(v))}),
        "trade_monthly.csv": csv_text(monthly[["code", "year", "month", "exports", "imports"]],
                                      {"exports": fmt_tenths, "imports": fmt_tenths}),
        "trade_annual.csv": csv_text(annual[["code", "year", "months", "exports", "imports"]],
                                     {"exports": fmt_tenths, "imports": fmt_tenths}),
        "groups.csv": csv_text(groups),
        "group_members.csv": csv_text(group_members),
        "sectors.csv": csv_text(
            sectors[["code", "year", "chapter", "exports_k", "imports_k"]].rename(
                columns={"exports_k": "exports", "imports_k": "imports"}),
            {"exports": fmt_thousands, "imports": fmt_thousands}),
        "chapters.csv": csv_text(chapters),
        "release.json": json.dumps(release, indent=2) + "\n",
    }
    facts = dict(partners=partners, monthly=monthly, annual=annual, groups=groups,
                 group_members=group_members, census_members=census_members, alt=alt,
                 sectors=sectors, chapters=chapters, dw_map=dw_map, latest=(ly, lm),
                 csv_names=csv_names, alt_years=alt_years,
                 file_rows={k: v.count("\n") - 1 for k, v in files.items()})
    files["SOURCES.md"] = sources_md(checks, facts)
    return Build(files=files, checks=checks, facts=facts)


def _md_table(header: list[str], rows: list[list]) -> str:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(str(v) for v in r) + " |" for r in rows]
    return "\n".join(out)


def sources_md(checks: list[Check], facts: dict) -> str:
    """SOURCES.md: provenance, transformations, checks and the differences found."""
    ck = {c.name: c for c in checks}
    P = facts["partners"].set_index("code")
    nm = P["name"].to_dict()
    ly, lm = facts["latest"]
    files = facts["file_rows"]
    L = []
    add = L.append

    add("# tradegap data: sources, build and checks\n")
    add("The files in `data/` are built by `data/build.py` from published U.S. Census Bureau "
        "and USITC DataWeb files (public domain). The build is re-runnable and deterministic; "
        "it validates everything before writing and writes nothing if a check fails. "
        "This document is generated by the build, so the figures below are those of the "
        "shipped files.\n")
    add("## Files\n")
    add(_md_table(["file", "rows", "columns", "content"], [
        ["partners.csv", files["partners.csv"],
         "code, census_name, name, iso2, iso3, kind, continent, first_year, last_year, alt_codes",
         "every partner, Census aggregate, computed bloc and WORLD"],
        ["trade_monthly.csv", files["trade_monthly.csv"], "code, year, month, exports, imports",
         f"monthly goods trade, 1985-01 .. {ly}-{lm:02d}, $ millions (1 decimal)"],
        ["trade_annual.csv", files["trade_annual.csv"], "code, year, months, exports, imports",
         f"annual totals; months = months with data (12, or {lm} for {ly} year-to-date)"],
        ["groups.csv", files["groups.csv"], "code, name, kind, source, as_of, note",
         "Census aggregates (source census) and computed blocs (source members)"],
        ["group_members.csv", files["group_members.csv"], "group, member",
         "member codes of every group"],
        ["sectors.csv", files["sectors.csv"], "code, year, chapter, exports, imports",
         "trade by HS chapter, 2023 and 2024, $ millions (3 decimals)"],
        ["chapters.csv", files["chapters.csv"], "chapter, name, description",
         "HS chapters: short name and Census description"],
        ["release.json", 1, "latest_year, latest_month, release_label, releases, sector_releases, built_from",
         "vintages and the sha256 of every source file used"],
    ]))
    add("\nAll codes are strings: 4-digit Census Schedule C codes with leading zeros for "
        "places and Census aggregates (`5700` China, `0003` European Union), short ids for "
        "computed blocs (`ASEAN`, `OPEC`, `G7`, `BRICS`, `MERCOSUR`, `GCC`, `EU27`, `USMCA`) "
        "and `WORLD` for the total over all partners.\n")

    add("## Units and definitions\n")
    add("- Goods only, Census basis, not seasonally adjusted, U.S. dollars in **millions**.\n"
        "- Exports = total exports (domestic + foreign), F.A.S. value. Imports = general "
        "imports, customs value. Balance = exports - imports (negative = U.S. deficit); it is "
        "not stored, compute it.\n"
        "- `trade_monthly`/`trade_annual` values are rounded to 0.1 and written with one "
        "decimal; `sectors` values are whole dollars converted to millions and rounded to "
        "0.001 (thousands of dollars), written with three decimals. Sums (blocs, WORLD) are "
        "computed before rounding, from exact tenths (trade) or whole dollars (sectors).\n")

    add("## Sources and vintages\n")
    add(_md_table(["years", "figures", "source", "vintage"], [
        ["1985-2021", "monthly and annual, all partners",
         f"`{CSV_FILE}` (Census country file as CSV)", RELEASES["1985-2021"]],
        ["2022-2025", "monthly and annual, all partners",
         "`census-country-monthly-2022.json` .. `2025.json`", RELEASES["2022-2025"]],
        ["2026", f"January-{pd.Timestamp(2026, lm, 1).strftime('%B')}",
         "`census-country-monthly-2026.json`", RELEASES["2026"]],
        ["2023-2024", "imports by HS chapter", f"`{HS_IMPORTS_FILE}`",
         SECTOR_RELEASES["imports 2023-2024"]],
        ["2023-2024", "exports by HS chapter", f"`{DATAWEB_FILE}`",
         SECTOR_RELEASES["exports 2023-2024"]],
        ["-", "codes, names, ISO codes, kinds", f"`{PARTNERS_FILE}`, `{SCHEDULE_C_FILE}`",
         "2026 list; Schedule C list of 2014"],
    ]))
    add("\nThe CSV also covers 2022 to February 2025 (April 2025 release); for those years "
        "the newer JSON files win, so the CSV is used for 1985-2021 only (final years, no "
        "longer revised). 1985-1991 cover 81-84 partners a year (the larger partners); from "
        "1992 about 240.\n")

    add("## What the build does\n")
    add("### Rows kept and dropped\n")
    add("- Census's preference-program series `0005`/`0006` (NAFTA with Mexico/Canada "
        "(Consump)) and `0021`/`0022` (USMCA with Mexico/Canada (Consump)) are dropped: they "
        "are imports for consumption entered under a trade program, with exports 0, not "
        "places or partner totals.\n"
        "- The world series `0004` (seasonally adjusted) and `0015` (not seasonally adjusted) "
        "are not shipped; `0015` is used only to validate WORLD (below).\n"
        "- A month that is zero for every code of a year in the CSV was not yet published "
        "(2025 March-December) and is treated as missing; null months in the 2026 JSON "
        f"(after {ly}-{lm:02d}) are missing. Months where both flows are missing get no row.\n"
        "- A code-year whose 12 months and annual columns are all zero carries no trade at all: "
        "the country file lists some retired codes with zero rows (e.g. USSR, Yugoslavia, "
        "Czechoslovakia 1993-1996 and 2003). Such code-years are dropped. Within a year that "
        "has data, zero months are real zeros and are kept, so complete years have 12 "
        "months.\n"
        "- Float noise in the CSV (`180549.80000000002`) and unrounded values (many CSV rows "
        "from 2003 on carry 6 decimals) are rounded to 0.1.\n")

    add("### Merged codes\n")
    alt = facts["alt"]
    rows = []
    for old, new in sorted(alt.items()):
        yrs = facts["alt_years"].get(old, "")
        rows.append([f"`{old}`", f"`{new}` {nm[new]}", yrs])
    add(_md_table(["Census code", "merged into", "years the old code has data"], rows))
    add("\nCodes that share an ISO3 code in census-partners.json (SRB, SDN, ETH) are merged "
        "into the current code (latest last_year): their monthly and annual values are summed "
        "and the old code is listed in `alt_codes`. Where the two codes overlap in a year "
        "(Sudan 2011, around South Sudan's independence; Ethiopia 1993, around Eritrea's "
        "independence) that year carries both codes' trade, summed. So Sudan `7321` before "
        "2011 includes what is now South Sudan, and Ethiopia `7749` before mid-1993 includes "
        "Eritrea.\n")
    add("Two codes in the CSV are missing from census-partners.json and from the 2014 "
        "Schedule C list:\n\n"
        "- `5080` \"Israel\": an earlier Israel code. It has only all-zero rows (1993-1996, "
        "2003), so it carries no trade; it is recorded as an alt code of Israel `5081`.\n"
        "- `5160` \"Iraq-Saudi Arabia Neutral Zone\": the zone was divided between the two "
        "countries in 1991; the file has only all-zero rows for it (1993-1996, 2003). It is "
        "kept in partners.csv as kind `former` (so the code resolves) with empty "
        "first_year/last_year and no trade rows.\n")
    add("In the JSON files partners are identified by ISO3 (or `AGG_xxxx`); they are mapped "
        "to Census codes through census-partners.json, and for an ISO3 with two Census codes "
        "the one whose first_year..last_year covers the year is used.\n")

    add("### Annual values\n")
    add("For complete years `trade_annual` uses Census's own annual columns (CSV `IYR`/`EYR`, "
        "JSON `imports_year`/`exports_year`), not the sum of the rounded months (they differ "
        f"by at most 0.4). For {ly} the value is the sum of the months January-"
        f"{pd.Timestamp(2026, lm, 1).strftime('%B')} (year-to-date) and `months` = {lm}; "
        "compare it with the same months of the previous year from `trade_monthly`. For "
        "blocs and WORLD the annual value is the sum of the members' annual values.\n")

    add("### Computed blocs\n")
    add("Member lists are facts written in build.py (`BLOCS`). Membership is applied to "
        "**every year** (a bloc's 1995 value is the trade with today's members in 1995); "
        "predecessor states (USSR, Czechoslovakia, ...) are not members. Before 1992 only "
        "the members the country file covers are summed. A bloc month sums the members that "
        "have data for that month.\n")
    rows = []
    for b, info in BLOCS.items():
        rows.append([f"`{b}`", info["name"], info["as_of"], len(info["members"]),
                     ", ".join(nm[c] for c in sorted(info["members"], key=lambda c: nm[c])),
                     info["source"]])
    add(_md_table(["code", "name", "as of", "n", "members", "note"], rows))
    add("\n`WORLD` (\"World (all partners)\") is the sum over every partner of kind "
        "`country`, `former` or `unallocated` (Census aggregates and blocs are not "
        "added).\n")

    add("### Census aggregates and their members\n")
    add("The aggregates `0003`, `0009`, `0010`, `0012`, `0013`, `0014`, `0016`, `0017`, "
        "`0018`, `0019` are Census's own series (values as published). Their member lists in "
        "group_members.csv are derived so that they reproduce Census's series for recent "
        "years (they match 2022-2026 within rounding: see checks); they are the lists as "
        "used by Census for recent years, not a history of membership. sectors.csv values "
        "for these codes are sums over these members.\n")
    rows = []
    for g, mem in sorted(facts["census_members"].items()):
        rows.append([f"`{g}`", nm[g], len(mem), CENSUS_AGGREGATES[g]["note"]])
    add(_md_table(["code", "name", "members", "rule"], rows))
    add("\nFindings: Census's North America (`0010`) is Canada + Mexico only (the same "
        "pair as the USMCA bloc); Greenland (`1010`) and Saint Pierre and Miquelon (`1610`) "
        "are in no Census continental aggregate, and Mexico (`2010`) is left out of South and "
        "Central America although its code is in the 2xxx block. Sub-Saharan Africa leaves "
        "out North Africa and five territories (Reunion, Mayotte, Saint Helena, British "
        "Indian Ocean Territory, French Southern Territories). Census's European Union "
        "series follows membership of the day (see differences). `0007` Advanced Technology "
        "Products is a product group, not a place: it is in partners.csv (kind `product`) "
        "with its trade series but not in groups.csv.\n")

    add("### Sectors (HS chapters)\n")
    add(f"- Imports: `{HS_IMPORTS_FILE}`, general imports by partner and chapter, monthly "
        "whole dollars summed to years. Its aggregate rows (`-` total, `00xx` groupings, "
        "`1XXX`..`7XXX` regions) are used only for validation; note its `0021`/`0022` are "
        "other groupings than the country file's.\n"
        f"- Exports: `{DATAWEB_FILE}`, the 2023 and 2024 columns (the 2025 column is all zero "
        "and ignored). The build checks the file's `Data Row Count` and its `Total:` footer "
        "against the data rows. DataWeb names are matched to Census spellings; the names "
        "that differ are mapped explicitly (below). An unmapped name fails the build.\n"
        "- Partner codes are merged as above; groups, blocs and WORLD are sums of their "
        "members' dollars; rows where both flows round to 0.000 are dropped. Chapter 77 is "
        "reserved in the HS and absent; chapter 99 (special import provisions) exists for "
        "imports only.\n")
    add(_md_table(["DataWeb name", "Census code", "tradegap name"],
                  [[k, f"`{v}`", nm[v]] for k, v in sorted(DATAWEB_NAMES.items())]))
    add("")

    add("### Names and ISO codes\n")
    add("`census_name` is the country file's spelling (which truncates a few long names, "
        "e.g. \"Falkland Islands(Islas Malvin\"); `name` is a short display name (e.g. "
        "\"South Korea\", \"DR Congo\", \"Republic of the Congo\", \"Myanmar (Burma)\", "
        "\"North Macedonia\"). `iso3` comes from census-partners.json except for its "
        "made-up codes XKX (Kosovo), XGZ (Gaza Strip) and XWB (West Bank), which are left "
        "empty; former states keep their withdrawn ISO 3166-3 codes (ANT, CSK, SUN, YUG, "
        "SCG). `iso2` comes from census-partners.json, else from the Schedule C list, except "
        "Schedule C's own KV/GZ/WE, which are not ISO codes (left empty). `continent` follows "
        "the first digit of the Census code (1 North America, 2 Central America & "
        "Caribbean, 3 South America, 4 Europe, 5 Asia, 6 Oceania, 7 Africa) and is empty "
        "for aggregates, blocs, WORLD and unallocated codes (8xxx). `first_year`/"
        "`last_year` are the years with data in trade_annual.\n")

    add("## Validation\n")
    add("The build refuses to write (exit status 1, one line per failure on stderr) if any "
        "of these checks fails:\n")
    add(_md_table(["check", "rule", "result"], [
        ["balance", "JSON: exports_year - imports_year = balance_year within 0.05",
         ck["balance"].summary],
        ["month sums", "sum of months = Census annual column within 0.5, every code-year "
         "(CSV 1985-2021, JSON 2022-2026 incl. the 2026 year-to-date column)",
         ck["month sums CSV 1985-2021"].summary + " (CSV); " +
         ck["month sums JSON 2022-2026"].summary + " (JSON); output partners after merges: "
         + ck["month sums output partners"].summary],
        ["partners table", "codes unique, names non-empty, kinds known, ISO codes well "
         "formed, no ISO3 used twice", ck["partners table"].summary],
        ["codes known", "every code in trade, sectors and group members is in partners.csv",
         ck["codes known"].summary],
        ["groups vs Census", f"member sum vs Census aggregate, every year; > "
         f"{TOL_GROUP_REL * 100:g}% must be explained, unexplained from {GROUP_STRICT_FROM} "
         f"on fails", ck["groups vs Census aggregates"].summary],
        ["WORLD vs Census world", f"WORLD vs `0015` every year it exists; from "
         f"{WORLD_STRICT_FROM} within {TOL_WORLD_REL * 100:g}%",
         ck["WORLD vs Census world (0015)"].summary],
        ["sectors vs totals", "sum of chapters vs trade_annual per partner and year: imports "
         f"within {SECTOR_TOL['imports'][0] * 100:g}% + ${SECTOR_TOL['imports'][1]:g}M, "
         f"exports within {SECTOR_TOL['exports'][0] * 100:g}% + "
         f"${SECTOR_TOL['exports'][1]:g}M; else explained as a revision (matches the April "
         "2025 release within the same tolerance) or listed as a known exception",
         ck["sectors vs partner totals"].summary],
        ["HS aggregates", f"the HS file's own aggregates (imports) vs member sums within "
         f"{TOL_HS_AGG_REL * 100:g}%", ck["HS-file aggregates vs member sums"].summary],
        ["reference figures", "2024 China exports 143,271.7, imports 440,319.4, balance "
         "-297,047.7; 2024 top-10 deficit countries China, Mexico, Vietnam, Ireland, Germany, "
         "Taiwan, Japan, South Korea, Canada, India; 2024 China chapter imports ~438,742",
         ck["reference figures"].summary],
    ]))
    add("\nBloc and WORLD month sums accumulate the members' rounding: "
        + ck["month sums output (groups, info)"].summary + " (not a check).\n")

    add("## Differences found\n")
    add("### Census aggregates vs member sums\n")
    g = ck["groups vs Census aggregates"]
    add(f"From {GROUP_STRICT_FROM} on every aggregate matches its member sum within "
        f"{g.data['worst_recent'] * 100:.3f}%. Differences above {TOL_GROUP_REL * 100:g}% "
        "(all in earlier years, all explained):\n")
    for n in g.notes:
        add(f"- {n}")
    add("\nThe EU27 bloc and Census's EU series agree from 2020 on. Before 2020 Census's "
        "series includes the UK (and is EU25 from 1997, with Bulgaria/Romania from 2007 and "
        "Croatia from 2013); the EU27 bloc is the 27 current members in every year.\n")

    add("### WORLD vs Census world total (0015)\n")
    w = ck["WORLD vs Census world (0015)"]
    rows = {}
    for span, f, got, ref, rel in w.data["rows"]:
        rows.setdefault(span, {})[f] = (got / 10, ref / 10, rel)
    add("WORLD is the sum of partners; `0015` is Census's world total from the April 2025 "
        "CSV. For 2022-2024 the two are different releases (WORLD uses the September 2026 "
        "revision), and 2025 is compared on the months the CSV has.\n")
    add(_md_table(["year", "exports WORLD", "exports 0015", "diff", "imports WORLD",
                   "imports 0015", "diff"],
                  [[span, f"{v['exports'][0]:,.1f}", f"{v['exports'][1]:,.1f}",
                    f"{v['exports'][2] * 100:+.2f}%", f"{v['imports'][0]:,.1f}",
                    f"{v['imports'][1]:,.1f}", f"{v['imports'][2] * 100:+.2f}%"]
                   for span, v in rows.items()]))
    add("\nBefore 1992 the country file covers only the 81-84 main partners, so the "
        "partner sum falls 1-3% short of the world total; those years are reported, not "
        "failed. From 1992 to 2021 the partner sum reproduces Census's world total within "
        "rounding; the 2022-2025 differences are the revision between the April 2025 release "
        "(`0015`) and the September 2026 release (partners), within "
        f"{TOL_WORLD_REL * 100:g}% as required.\n")

    add("### Sector totals vs partner totals\n")
    sc = ck["sectors vs partner totals"]
    add("The sector files are earlier releases (Census API 2025, DataWeb August 2025) than "
        "the partner totals for 2023-2024 (September 2026 revision), so they do not add up "
        "exactly. Measured over all partners:\n")
    rows = []
    for f, v in sc.data["stats"].items():
        for y, (s_, t_) in sorted(v["totals"].items()):
            rows.append([f, y, f"{s_:,.1f}", f"{t_:,.1f}", f"{(s_ - t_) / t_ * 100:+.2f}%"])
    add(_md_table(["flow", "year", "sum of chapters, all partners", "partner totals",
                   "diff"], rows))
    add("")
    for f, v in sc.data["stats"].items():
        add(f"- {f}: largest absolute difference {v['max_abs']:,.1f} $M; 95% of partner-years "
            f"with totals above $100M are within {v['p95_rel'] * 100:.2f}%; tolerance "
            f"{v['rel'] * 100:g}% + ${v['abs']:g}M, {v['n_out']} of {v['n']} partner-years "
            "outside it, all explained below.")
    add("\nExports come from DataWeb, a third release, so their tolerance is wider.\n")
    add("Outside the tolerance but matching the April 2025 release within it (revised "
        "since):\n")
    for e in sc.data["revised"]:
        add(f"- {nm[e['code']]} (`{e['code']}`) {e['year']} {e['flow']}: chapters "
            f"{e['chapters']:,.1f}, April 2025 release {e['prior']:,.1f}, shipped total "
            f"{e['total']:,.1f}")
    add("\nKnown exceptions (listed in build.py):\n")
    for e in sc.data["explained"]:
        add(f"- {nm[e['code']]} (`{e['code']}`) {e['year']} {e['flow']}: chapters "
            f"{e['chapters']:,.1f} vs total {e['total']:,.1f}: {e['why']}")
    add("\nThe chapter split of a partner is therefore best read as shares; the partner's "
        "headline totals come from trade_annual.\n")

    add("### HS-file aggregates\n")
    h = ck["HS-file aggregates vs member sums"]
    add("The HS imports file carries Census's own group totals; tradegap's member sums of the "
        "same file reproduce them, which confirms the member lists for ASEAN, the EU, "
        "USMCA/North America, Pacific Rim, CAFTA-DR and the continents:\n")
    add(_md_table(["HS code", "tradegap code", "year", "member sum", "Census", "diff"],
                  [[f"`{a}`", f"`{b}`", y, f"{g_:,.1f}", f"{r_:,.1f}", f"{rel * 100:+.3f}%"]
                   for a, b, y, g_, r_, rel in h.data["rows"]]))
    add("")
    return "\n".join(L) + "\n"


def main(argv: list[str] | None = None) -> int:
    here = Path(__file__).resolve().parent
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=Path, default=here.parents[1] / "shared" / "sources")
    ap.add_argument("--out", type=Path, default=here)
    args = ap.parse_args(argv)

    try:
        b = build(args.sources)
    except SourceError as e:
        print(f"FAILED source: {e}", file=sys.stderr)
        print("build refused: nothing written", file=sys.stderr)
        return 1
    except Exception as e:  # noqa: BLE001 - any surprise in the sources refuses the build
        print(f"FAILED build error: {type(e).__name__}: {e}", file=sys.stderr)
        print("build refused: nothing written", file=sys.stderr)
        return 1

    failures = [f for c in b.checks for f in c.failures]
    for c in b.checks:
        print(f"[{'ok' if c.ok else 'FAIL'}] {c.name}: {c.summary}")
        for n in c.notes:
            print(f"       note: {n}")
    if failures:
        for f in failures:
            print(f"FAILED {f}", file=sys.stderr)
        print(f"build refused: {len(failures)} failed check(s), nothing written",
              file=sys.stderr)
        return 1

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in b.files.items():
        write_atomic(out / name, text)
    print(f"wrote {len(b.files)} files to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
