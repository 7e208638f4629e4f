"""One function per raw source format. Each returns plain frames or raises SourceError naming the file.

Trade values come out as integer tenths of a million dollars (NaN = missing),
sector values as whole dollars, and Census codes as 4-character strings.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from tui.pipeline.sources import SECTOR_YEARS, SourceError
from tui.pipeline.units import to_tenths
from tui.trade.schema import MAX_AMOUNT_MUSD

MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
IMPORT_COLUMNS = ["I" + month for month in MONTH_NAMES]
EXPORT_COLUMNS = ["E" + month for month in MONTH_NAMES]
COUNTRY_TABLE_COLUMNS = ["year", "CTY_CODE", "CTYNAME", *IMPORT_COLUMNS, "IYR", *EXPORT_COLUMNS, "EYR"]


def parse_partners_json(path: Path) -> pd.DataFrame:
    """census-partners.json: one row per entry, Census codes as 4-character strings."""
    name = Path(path).name
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise SourceError(f"{name}: cannot read ({error})") from error
    frame = pd.DataFrame(raw)
    needed = {"country_code", "census_code", "name", "iso2", "kind", "first_year", "last_year"}
    if missing := needed - set(frame.columns):
        raise SourceError(f"{name}: missing fields {sorted(missing)}")
    frame["census_code"] = frame["census_code"].astype(str).str.zfill(4)
    if frame["census_code"].duplicated().any():
        raise SourceError(f"{name}: duplicate census codes")
    return frame


def parse_schedule_c(path: Path) -> pd.DataFrame:
    """The Schedule C fixed-width code list: code, name, iso2."""
    name = Path(path).name
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise SourceError(f"{name}: cannot read ({error})") from error
    rows = []
    for line in text.splitlines():
        match = re.match(r"^(\d{4})\s*\|\s*(.*?)\s*\|\s*(\S*)\s*$", line)
        if match:
            rows.append((match[1], match[2], match[3]))
    if len(rows) < 200:
        raise SourceError(f"{name}: only {len(rows)} codes parsed")
    return pd.DataFrame(rows, columns=["code", "name", "iso2"])


#: the largest value a country table may hold, in its millions of dollars: the data's own limit
MAX_COUNTRY_VALUE = MAX_AMOUNT_MUSD


def parse_country_table(table: pd.DataFrame, name: str) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The Census country file's table (year, CTY_CODE, CTYNAME, IJAN..IDEC, IYR, EJAN..EDEC, EYR)
    to (monthly, annual, names).

    monthly: code, year, month, exports, imports (integer tenths of $M)
    annual:  code, year, exports, imports, months (Census's IYR/EYR in tenths; months published)
    names:   code -> CTYNAME (of the latest year)

    A month that is zero for every row of a year is 'not yet published' and is left out.
    A code-year whose months and annual columns are all zero carries no trade at all (Census
    lists some retired codes with zero rows) and is dropped.
    """
    frame = table.copy()
    if missing := [c for c in COUNTRY_TABLE_COLUMNS if c not in frame.columns]:
        raise SourceError(f"{name}: missing columns {missing}")
    value_columns = IMPORT_COLUMNS + EXPORT_COLUMNS + ["IYR", "EYR"]
    for column in value_columns:
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any():
            position = int(np.flatnonzero(values.isna().to_numpy())[0])
            cell = frame[column].iloc[position]
            shown = "an empty cell" if pd.isna(cell) or not str(cell).strip() else f"text {str(cell)[:20]!r}"
            raise SourceError(f"{name}: non-numeric or empty values in column {column} "
                              f"({shown} in row {position + 2})")
        if (values < 0).any():
            raise SourceError(f"{name}: negative values in column {column}")
        if (implausible := ~np.isfinite(values) | (values > MAX_COUNTRY_VALUE)).any():
            position = int(np.flatnonzero(implausible.to_numpy())[0])
            raise SourceError(f"{name}: a value beyond any trade in column {column} (row {position + 2}: over "
                              f"{MAX_COUNTRY_VALUE:,.0f} million dollars, or not a finite number)")
        frame[column] = values
    codes = frame["CTY_CODE"].astype(str).str.strip()
    if not codes.str.fullmatch(r"\d{1,4}").all():
        raise SourceError(f"{name}: malformed CTY_CODE values")
    frame["code"] = codes.str.zfill(4)
    years = pd.to_numeric(frame["year"], errors="coerce")
    if years.isna().any() or (years != np.floor(years)).any():
        raise SourceError(f"{name}: non-numeric or empty values in column year")
    frame["year"] = years.astype(int)
    if frame.duplicated(["code", "year"]).any():
        raise SourceError(f"{name}: duplicate code/year rows")

    all_zero = (frame[value_columns] == 0).all(axis=1)
    frame = frame[~all_zero].copy()

    month_number = {month: i + 1 for i, month in enumerate(MONTH_NAMES)}
    imports = frame.melt(id_vars=["code", "year"], value_vars=IMPORT_COLUMNS, var_name="column", value_name="imports")
    exports = frame.melt(id_vars=["code", "year"], value_vars=EXPORT_COLUMNS, var_name="column", value_name="exports")
    imports["month"] = imports["column"].str[1:].map(month_number)
    exports["month"] = exports["column"].str[1:].map(month_number)
    monthly = imports.drop(columns="column").merge(exports.drop(columns="column"), on=["code", "year", "month"])
    monthly["imports"] = to_tenths(monthly["imports"])
    monthly["exports"] = to_tenths(monthly["exports"])

    # months that are zero for every code of a year were not yet published
    totals = monthly.groupby(["year", "month"])[["exports", "imports"]].sum()
    unpublished = totals[(totals["exports"] == 0) & (totals["imports"] == 0)].index
    key = pd.MultiIndex.from_frame(monthly[["year", "month"]])
    monthly = monthly[~key.isin(unpublished)].reset_index(drop=True)
    published = monthly.groupby("year")["month"].nunique()

    annual = pd.DataFrame({
        "code": frame["code"].values, "year": frame["year"].values,
        "exports": to_tenths(frame["EYR"]), "imports": to_tenths(frame["IYR"]),
    })
    annual["months"] = annual["year"].map(published).fillna(0).astype(int)
    latest_names = frame.sort_values("year").groupby("code")["CTYNAME"].last().astype(str).str.strip()
    names = {str(code): name for code, name in latest_names.items()}  # the codes are text already
    monthly = monthly[["code", "year", "month", "exports", "imports"]]
    return monthly, annual, names


def parse_country_csv(path: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The Census country file as CSV: see parse_country_table."""
    name = Path(path).name
    try:
        table = pd.read_csv(path, dtype={"CTY_CODE": str, "CTYNAME": str})
    except (OSError, ValueError, UnicodeDecodeError) as error:
        raise SourceError(f"{name}: cannot read ({error})") from error
    return parse_country_table(table, name)


def json_code_for(partners_json: pd.DataFrame, country_code: str, year: int) -> str:
    """A JSON country_code (ISO3 / AGG_xxxx / UNALLOC_xxxx) to the Census code of that year.

    For an ISO3 with several Census codes, the one whose first_year..last_year covers the
    year (the current one, i.e. latest last_year, if several do)."""
    entries = partners_json[partners_json["country_code"] == country_code]
    if entries.empty:
        raise SourceError(f"unknown country_code {country_code!r} in the {year} JSON file")
    if len(entries) == 1:
        return entries["census_code"].iloc[0]
    covering = entries[(entries["first_year"] <= year) & (entries["last_year"] >= year)]
    if covering.empty:
        raise SourceError(f"no Census code of {country_code} covers {year}")
    return covering.sort_values("last_year")["census_code"].iloc[-1]


def parse_country_json(path: Path, partners_json: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One year of the country file as JSON to (monthly, annual) like parse_country_table.

    annual carries Census's own exports_year/imports_year/balance_year (tenths) and
    months = the number of months with data in the file."""
    name = Path(path).name
    try:
        raw = json.loads(Path(path).read_text())
    except (OSError, ValueError) as error:
        raise SourceError(f"{name}: cannot read ({error})") from error
    if not isinstance(raw, list) or not raw:
        raise SourceError(f"{name}: expected a non-empty JSON array")
    monthly_rows, annual_rows = [], []
    seen = set()
    for record in raw:
        try:
            year = int(record["year"])
            code = json_code_for(partners_json, record["country_code"], year)
            exports, imports = record["exports"], record["imports"]
            if len(exports) != 12 or len(imports) != 12:
                raise SourceError(f"{name}: {record['country_code']} does not have 12 months")
            for i, (export_value, import_value) in enumerate(zip(exports, imports, strict=True)):
                if export_value is None and import_value is None:
                    continue
                for value in (export_value, import_value):
                    if value is not None and (not isinstance(value, (int, float)) or value < 0):
                        raise SourceError(f"{name}: {record['country_code']} month {i + 1}: bad value {value!r}")
                monthly_rows.append((code, year, i + 1, np.nan if export_value is None else float(export_value),
                                     np.nan if import_value is None else float(import_value)))
            months = sum(1 for e, m in zip(exports, imports, strict=True) if e is not None or m is not None)
            annual_rows.append((code, year, float(record["exports_year"]), float(record["imports_year"]),
                                float(record["balance_year"]), months))
        except (KeyError, TypeError, ValueError) as error:
            raise SourceError(f"{name}: malformed record {str(record)[:80]} ({error})") from error
        if (code, year) in seen:
            raise SourceError(f"{name}: code {code} appears twice for {year}")
        seen.add((code, year))
    monthly = pd.DataFrame(monthly_rows, columns=["code", "year", "month", "exports", "imports"])
    monthly["exports"] = to_tenths(monthly["exports"])
    monthly["imports"] = to_tenths(monthly["imports"])
    annual = pd.DataFrame(annual_rows, columns=["code", "year", "exports", "imports", "balance", "months"])
    for column in ("exports", "imports", "balance"):
        annual[column] = to_tenths(annual[column])
    return monthly, annual


def parse_hs_imports(path: Path) -> pd.DataFrame:
    """Census HS2 imports by partner (monthly, whole dollars) to annual dollars:
    cty, year, chapter, imports. cty keeps Census's codes, aggregates included;
    attrs['descriptions'] maps chapter -> Census's description."""
    name = Path(path).name
    try:
        frame = pd.read_csv(path, dtype=str)
    except (OSError, ValueError, EOFError) as error:
        raise SourceError(f"{name}: cannot read ({error})") from error
    needed = ["YEAR", "MONTH", "CTY_CODE", "I_COMMODITY", "I_COMMODITY_SDESC", "GEN_VAL_MO"]
    if missing := [c for c in needed if c not in frame.columns]:
        raise SourceError(f"{name}: missing columns {missing}")
    values = pd.to_numeric(frame["GEN_VAL_MO"], errors="coerce")
    if values.isna().any() or (values < 0).any() or (values != np.floor(values)).any():
        raise SourceError(f"{name}: GEN_VAL_MO must be non-negative whole dollars")
    if not frame["I_COMMODITY"].str.fullmatch(r"\d{2}").all():
        raise SourceError(f"{name}: I_COMMODITY must be 2-digit chapters")
    frame["imports"] = values.astype("int64")
    frame["year"] = frame["YEAR"].astype(int)
    frame["chapter"] = frame["I_COMMODITY"].astype(int)
    if frame.duplicated(["year", "MONTH", "CTY_CODE", "chapter"]).any():
        raise SourceError(f"{name}: duplicate year/month/country/chapter rows")
    result = (frame.groupby(["CTY_CODE", "year", "chapter"], as_index=False)[["imports"]].sum()
              .rename(columns={"CTY_CODE": "cty"}))
    result.attrs["descriptions"] = frame.drop_duplicates("chapter").set_index("chapter")["I_COMMODITY_SDESC"].to_dict()
    return result


def parse_dataweb_exports(path: Path, years: Iterable[int] = SECTOR_YEARS) -> pd.DataFrame:
    """USITC DataWeb exports by chapter and country: country, chapter, year, exports (whole dollars).

    Checks the 'Data Row Count' line and the 'Total:' footer against the data rows."""
    name = Path(path).name
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(f"{name}: cannot read ({error})") from error
    header = next((i for i, line in enumerate(lines) if line.startswith("Data Type,")), None)
    if header is None:
        raise SourceError(f"{name}: no 'Data Type,' header line")
    count_line = next((line for line in lines[:header] if line.startswith("Data Row Count")), None)
    body = pd.read_csv(io.StringIO("\n".join(lines[header:])), dtype=str)
    body.columns = [c.strip() for c in body.columns]
    is_data = body["Data Type"].str.strip() == "FAS Value"
    footer = body[~is_data]
    data = body[is_data].copy()
    if count_line is not None:
        count = int(count_line.split(",")[1])
        if count != len(data):
            raise SourceError(f"{name}: 'Data Row Count' says {count}, found {len(data)} rows")
    year_columns = [str(y) for y in years]
    if missing := [c for c in year_columns + ["HTS Number", "Description", "Country"] if c not in data.columns]:
        raise SourceError(f"{name}: missing columns {missing}")
    for column in year_columns:
        values = pd.to_numeric(data[column], errors="coerce")
        if values.isna().any() or (values < 0).any() or (values != np.round(values)).any():
            raise SourceError(f"{name}: column {column} must be non-negative whole dollars")
        data[column] = np.rint(values).astype("int64")
        total = footer[footer["Data Type"].str.strip().str.startswith("Total")]
        if len(total) == 1:
            footer_total = int(str(total[column].iloc[0]).replace(",", "").split(".")[0])
            if footer_total != int(data[column].sum()):
                raise SourceError(f"{name}: {column} rows sum to {int(data[column].sum())}, footer says {footer_total}")
    data["chapter"] = pd.to_numeric(data["HTS Number"], errors="coerce")
    if data["chapter"].isna().any():
        raise SourceError(f"{name}: non-numeric HTS Number")
    data["chapter"] = data["chapter"].astype(int)
    data["country"] = data["Country"].astype(str).str.strip()
    if data.duplicated(["chapter", "country"]).any():
        raise SourceError(f"{name}: duplicate chapter/country rows")
    result = data.melt(id_vars=["country", "chapter"], value_vars=year_columns, var_name="year", value_name="exports")
    result["year"] = result["year"].astype(int)
    result.attrs["descriptions"] = data.drop_duplicates("chapter").set_index("chapter")["Description"].to_dict()
    return result


def parse_seasonally_adjusted_series(path: Path, code: int) -> pd.DataFrame:
    """One series of Census's seasonally adjusted file (year, cty_code, cty_desc, E/I + JAN..DEC, whole
    dollars): year, months (published), exports, imports, summed over the year's months, in tenths of $M."""
    name = Path(path).name
    try:
        frame = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as error:
        raise SourceError(f"{name}: cannot read ({error})") from error
    columns = ["year", "cty_code", *EXPORT_COLUMNS, *IMPORT_COLUMNS]
    if missing := [c for c in columns if c not in frame.columns]:
        raise SourceError(f"{name}: missing columns {missing}")
    rows = frame[pd.to_numeric(frame["cty_code"], errors="coerce") == code]
    if rows.empty:
        raise SourceError(f"{name}: no series with code {code}")
    exports = rows[EXPORT_COLUMNS].apply(pd.to_numeric, errors="coerce")
    imports = rows[IMPORT_COLUMNS].apply(pd.to_numeric, errors="coerce")
    return pd.DataFrame({
        "year": rows["year"].astype(int).to_numpy(),
        "months": exports.notna().sum(axis=1).to_numpy(),
        "exports": np.rint(exports.sum(axis=1).to_numpy() / 1e5),
        "imports": np.rint(imports.sum(axis=1).to_numpy() / 1e5),
    }).sort_values("year").reset_index(drop=True)
