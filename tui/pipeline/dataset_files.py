"""Reading a dataset directory (shipped or updated) back into the pipeline's exact units.

The inverse of write.trade_files: trade values to integer tenths of a million dollars,
sector values to integer thousands of dollars, codes as strings.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from tui.pipeline.sources import SourceError
from tui.trade.schema import DATA_FILES

#: what an updated dataset holds: the shipped files and the first screen's totals
DATASET_FILES = (*DATA_FILES, "period_totals.csv")


def read_dataset_tables(directory: Path) -> dict[str, Any]:
    """partners, monthly, annual, groups, group_members, sectors (exports_k/imports_k), chapters, release."""
    directory = Path(directory)

    def read(name: str, dtype: dict[str, Any]) -> pd.DataFrame:
        path = directory / name
        try:
            return pd.read_csv(path, dtype=dtype, keep_default_na=False)
        except FileNotFoundError:
            raise SourceError(f"data file {path} is missing") from None
        except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
            raise SourceError(f"data file {path} is malformed ({str(error).splitlines()[0]})") from None

    text = {"code": str, "census_name": str, "name": str, "iso2": str, "iso3": str, "kind": str, "continent": str,
            "alt_codes": str, "first_year": str, "last_year": str}
    partners = read("partners.csv", text)
    for column in ("first_year", "last_year"):
        partners[column] = pd.to_numeric(partners[column].replace("", np.nan)).astype("Int64")
    monthly = read("trade_monthly.csv", {"code": str, "year": "int64", "month": "int64",
                                          "exports": "float64", "imports": "float64"})
    annual = read("trade_annual.csv", {"code": str, "year": "int64", "months": "int64",
                                        "exports": "float64", "imports": "float64"})
    for frame in (monthly, annual):
        frame["exports"] = np.rint(frame["exports"] * 10.0)
        frame["imports"] = np.rint(frame["imports"] * 10.0)
    sectors = read("sectors.csv", {"code": str, "year": "int64", "chapter": "int64",
                                   "exports": "float64", "imports": "float64"})
    sectors["exports_k"] = np.rint(sectors["exports"] * 1000.0).astype("int64")
    sectors["imports_k"] = np.rint(sectors["imports"] * 1000.0).astype("int64")
    sectors = sectors[["code", "year", "chapter", "exports_k", "imports_k"]]
    groups = read("groups.csv", {"code": str, "name": str, "kind": str, "source": str, "as_of": str, "note": str})
    group_members = read("group_members.csv", {"group": str, "member": str})
    chapters = read("chapters.csv", {"chapter": "int64", "name": str, "description": str})
    return dict(partners=partners, monthly=monthly, annual=annual, groups=groups, group_members=group_members,
                sectors=sectors, chapters=chapters, release=read_release(directory))


def read_release(directory: Path) -> dict[str, Any]:
    """The dataset's release.json, with its latest year and month checked to be numbers."""
    path = Path(directory) / "release.json"
    try:
        release = json.loads(path.read_text(encoding="utf-8"))
        int(release["latest_year"]), int(release["latest_month"])
    except FileNotFoundError:
        raise SourceError(f"data file {path} is missing") from None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SourceError(f"data file {path} is malformed ({error})") from None
    return release
