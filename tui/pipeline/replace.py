"""A new dataset from a current one: some years' figures replaced by a newer release.

Used by the update from the Census API and by the import of a country file: the
places' figures of the replaced years come from the new release, Census's aggregates
from the release where it has them and from their members otherwise, blocs and WORLD
are summed again, everything else is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from tui.pipeline import assemble
from tui.pipeline.curation import Curation
from tui.trade.schema import PLACE_KINDS, WORLD

TRADE_KEYS = ["code", "year", "month"]


@dataclass(frozen=True)
class CodeRoles:
    """What each code of a dataset is."""

    places: list[str]  # country, former, unallocated: summed into WORLD
    census_groups: list[str]  # Census's aggregates (values as published)
    products: list[str]  # product groups (0007): not places, not groups
    blocs: dict[str, list[str]]  # computed from members
    census_members: dict[str, list[str]]  # the curation's rules (derive_census_members)
    alternatives: dict[str, str]  # old code -> current code
    #: group_members rows (group, member, start, end) of the blocs, as the dataset has them
    bloc_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=assemble.GROUP_MEMBER_COLUMNS))
    #: what Census's aggregates sum, month by month (census_sum_memberships)
    census_rows: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=assemble.GROUP_MEMBER_COLUMNS))

    @property
    def computed(self) -> pd.DataFrame:
        """Blocs (each month the members of that month) and WORLD (every place): the codes summed from places."""
        world = pd.DataFrame({"group": WORLD, "member": self.places, "start": "", "end": ""},
                             columns=assemble.GROUP_MEMBER_COLUMNS)
        return pd.concat([self.bloc_rows[assemble.GROUP_MEMBER_COLUMNS], world], ignore_index=True)

    def census_sums(self, groups: Iterable[str] | None = None) -> pd.DataFrame:
        """What Census's aggregates (all, or the given ones) sum: dated rows."""
        rows = self.census_rows
        return rows if groups is None else rows[rows["group"].isin(set(groups))].reset_index(drop=True)

    def all_groups(self) -> pd.DataFrame:
        """Census's aggregates, blocs and WORLD: what their sectors sum."""
        return pd.concat([self.census_rows, self.computed], ignore_index=True)

    def known(self) -> set[str]:
        return set(self.places) | set(self.census_groups) | set(self.products) | set(self.blocs) | {WORLD}


def code_roles(tables: dict[str, Any], curation: Curation) -> CodeRoles:
    """The roles of a dataset's codes; blocs with the dated memberships of its group_members, Census's
    aggregates with the members the build checks them against (the curation's rules)."""
    partners, groups, members = tables["partners"], tables["groups"], tables["group_members"]
    places = sorted(partners.loc[partners["kind"].isin(PLACE_KINDS), "code"])
    census_groups = sorted(groups.loc[groups["source"] == "census", "code"])
    bloc_codes = sorted(groups.loc[groups["source"] == "members", "code"])
    by_group = members.groupby("group")["member"].apply(lambda s: sorted(set(s))).to_dict()
    derived = assemble.derive_census_members(partners, curation)
    census_members = {code: derived.get(code, by_group.get(code, [])) for code in census_groups}
    rows = members.fillna("").astype(str)
    alternatives = {}
    for code, alt_codes in zip(partners["code"], partners["alt_codes"].fillna(""), strict=True):
        for old in str(alt_codes).split(";"):
            if old:
                alternatives[old] = code
    return CodeRoles(
        places=places,
        census_groups=census_groups,
        products=sorted(partners.loc[partners["kind"] == "product", "code"]),
        blocs={code: by_group.get(code, []) for code in bloc_codes},
        census_members=census_members,
        alternatives=alternatives,
        bloc_rows=rows[rows["group"].isin(bloc_codes)][assemble.GROUP_MEMBER_COLUMNS].reset_index(drop=True),
        census_rows=assemble.census_sum_memberships(census_members, curation),
    )


def merged(frame: pd.DataFrame, alternatives: dict[str, str], keys: list[str]) -> pd.DataFrame:
    """Alternative codes re-coded to their current code and summed."""
    values = [c for c in frame.columns if c not in keys]
    return assemble.merge_codes(frame, alternatives, keys, values)


def replace_trade_years(tables: dict[str, Any], roles: CodeRoles, years: Iterable[int],
                        new_monthly: pd.DataFrame, new_annual: pd.DataFrame,
                        keep_codes: Iterable[str] = ()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """monthly and annual with the given years replaced.

    new_monthly: code, year, month, exports, imports (tenths) for places and Census aggregates
    new_annual: code, year, exports, imports (tenths): the release's own annual column for
    complete years (partial years are summed from the months).
    keep_codes: codes whose current figures stay for those years (none by default)."""
    years = set(int(y) for y in years)
    keep = set(keep_codes)
    monthly, annual = tables["monthly"], tables["annual"]
    kept_monthly = monthly[~monthly["year"].isin(years) | monthly["code"].isin(keep)]
    kept_annual = annual[~annual["year"].isin(years) | annual["code"].isin(keep)]

    single = set(roles.places) | set(roles.census_groups) | set(roles.products)
    fresh_monthly = new_monthly[new_monthly["year"].isin(years) & new_monthly["code"].isin(single - keep)]
    fresh_census = new_annual[new_annual["year"].isin(years) & new_annual["code"].isin(single - keep)]
    fresh_annual = assemble.finalize_annual(fresh_monthly, fresh_census)

    # Census's aggregates the release lacks: summed from their members
    provided = set(fresh_monthly["code"])
    missing_groups = roles.census_sums(g for g in roles.census_members if g not in provided and g not in keep)
    place_monthly = fresh_monthly[fresh_monthly["code"].isin(roles.places)]
    place_annual = fresh_annual[fresh_annual["code"].isin(roles.places)]
    parts_monthly, parts_annual = [fresh_monthly], [fresh_annual]
    for members in (missing_groups, roles.computed):
        group_monthly = assemble.group_sum_monthly(place_monthly, members)
        parts_monthly.append(group_monthly)
        parts_annual.append(assemble.group_sum_annual(place_annual, group_monthly, members, place_monthly))
    monthly = pd.concat([kept_monthly, *parts_monthly], ignore_index=True)
    annual = pd.concat([kept_annual, *parts_annual], ignore_index=True)
    monthly = monthly.dropna(subset=["exports", "imports"], how="all")
    monthly = monthly.sort_values(TRADE_KEYS).reset_index(drop=True)[["code", "year", "month", "exports", "imports"]]
    annual = annual.sort_values(["code", "year"]).reset_index(drop=True)[["code", "year", "months", "exports",
                                                                         "imports"]]
    annual["months"] = annual["months"].astype("int64")
    return monthly, annual


def replace_sector_years(tables: dict[str, Any], roles: CodeRoles, years: Iterable[int],
                         place_sectors: pd.DataFrame) -> pd.DataFrame:
    """sectors (exports_k/imports_k) with the given years replaced by place_sectors (code, year, chapter,
    exports, imports in whole dollars), groups, blocs and WORLD summed from their members."""
    from tui.pipeline.build import with_thousands

    years = set(int(y) for y in years)
    kept = tables["sectors"][~tables["sectors"]["year"].isin(years)]
    fresh = place_sectors[place_sectors["year"].isin(years) & place_sectors["code"].isin(roles.places)]
    fresh = assemble.with_group_sectors(fresh, roles.all_groups())
    fresh = with_thousands(fresh)
    combined = pd.concat([kept, fresh[["code", "year", "chapter", "exports_k", "imports_k"]]], ignore_index=True)
    return combined.sort_values(["code", "year", "chapter"]).reset_index(drop=True)


def changed_partners(before: pd.DataFrame, after: pd.DataFrame, places: Iterable[str], year: int,
                     months: int) -> int:
    """How many places' figures for the first `months` months of year differ between two monthly tables."""
    places = set(places)

    def sums(frame: pd.DataFrame) -> pd.DataFrame:
        rows = frame[(frame["year"] == year) & (frame["month"] <= months) & frame["code"].isin(places)]
        return rows.groupby("code")[["exports", "imports"]].sum()

    old, new = sums(before), sums(after)
    joined = old.merge(new, how="outer", left_index=True, right_index=True, suffixes=("_old", "_new")).fillna(0.0)
    differs = ((joined["exports_old"] - joined["exports_new"]).abs() > 0.5) | (
        (joined["imports_old"] - joined["imports_new"]).abs() > 0.5)
    return int(differs.sum())
