"""period_totals.csv: each period's exports and imports per code, the totals the first screen ranks.

Periods are every complete year, then, when the latest year is partial, its year to
date (e.g. 2026-ytd8) and the same months of the year before (2025-ytd8), which
changes are measured against. Complete years carry trade_annual's values (Census's
own annual columns); a year to date is the sum of the months, in exact tenths.
"""

from __future__ import annotations

import pandas as pd

from tui.pipeline.checks import Check
from tui.trade.periods import Period

COLUMNS = ["period", "code", "exports", "imports"]


def latest_period(monthly: pd.DataFrame) -> Period:
    """The newest period with data: a year to date when the latest year is partial."""
    year = int(monthly["year"].max())
    return Period(year, int(monthly.loc[monthly["year"] == year, "month"].max()))


def totals_periods(first_year: int, latest: Period) -> list[Period]:
    """The periods period_totals.csv covers, in the order it lists them."""
    last_complete = latest.year if latest.is_full_year else latest.year - 1
    periods = [Period(year) for year in range(first_year, last_complete + 1)]
    if not latest.is_full_year:
        periods += [latest.previous, latest]
    return sorted(periods, key=lambda p: (p.year, p.months))


def build_period_totals(monthly: pd.DataFrame, annual: pd.DataFrame) -> pd.DataFrame:
    """period, code, exports, imports (tenths), ordered by (year, months) of the period, then code.

    monthly and annual in integer tenths of a million dollars; a code with no rows in a
    period has no row."""
    latest = latest_period(monthly)
    parts = []
    for period in totals_periods(int(annual["year"].min()), latest):
        if period.is_full_year:
            rows = annual.loc[annual["year"] == period.year, ["code", "exports", "imports"]]
        else:
            months = monthly[(monthly["year"] == period.year) & (monthly["month"] <= period.months)]
            rows = months.groupby("code", as_index=False)[["exports", "imports"]].sum()
        rows = rows.sort_values("code").assign(period=period.key, _year=period.year, _months=period.months)
        parts.append(rows)
    totals = pd.concat(parts, ignore_index=True)
    totals = totals.sort_values(["_year", "_months", "code"], kind="stable").reset_index(drop=True)
    return totals[COLUMNS]


def check_period_totals(totals: pd.DataFrame, monthly: pd.DataFrame, annual: pd.DataFrame) -> Check:
    """The totals equal trade_annual for every code and complete year, and the months' sums for a
    year to date; every period expected is there, and nothing else."""
    check = Check("period totals")
    latest = latest_period(monthly)
    expected_periods = [p.key for p in totals_periods(int(annual["year"].min()), latest)]
    found_periods = list(dict.fromkeys(totals["period"]))
    if found_periods != expected_periods:
        check.failures.append(f"period totals: periods {found_periods[:3]}... differ from the expected "
                              f"{expected_periods[:3]}... ({len(found_periods)} vs {len(expected_periods)})")
        return check
    compared = 0
    for key in expected_periods:
        year_text, _, months_text = key.partition("-ytd")
        year = int(year_text)
        got = totals[totals["period"] == key].set_index("code")[["exports", "imports"]]
        if months_text:
            months = int(months_text)
            selected = monthly[(monthly["year"] == year) & (monthly["month"] <= months)]
            want = selected.groupby("code")[["exports", "imports"]].sum()
        else:
            want = annual[annual["year"] == year].set_index("code")[["exports", "imports"]]
        if set(got.index) != set(want.index):
            extra, missing = sorted(set(got.index) - set(want.index)), sorted(set(want.index) - set(got.index))
            check.failures.append(f"period totals: {key} codes differ (extra {extra[:5]}, missing {missing[:5]})")
            continue
        difference = (got - want.loc[got.index]).abs()
        for code in difference.index[(difference > 0.5).any(axis=1)]:
            check.failures.append(f"period totals: {key} {code}: {got.loc[code].tolist()} vs "
                                  f"{want.loc[code].tolist()} (tenths)")
        compared += len(got)
    check.summary = f"{len(expected_periods)} periods, {compared} period-codes equal to trade_annual or the month sums"
    return check
