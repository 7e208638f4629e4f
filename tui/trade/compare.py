"""Partners and groups side by side: the period's figures, their balances over the years, and the HS
chapters they supply the US with (is the trade shifting from China to Vietnam and Mexico?).

Money in millions of US dollars. Shares: of the US total balance for the
figures (as everywhere in tradegap), of the US's imports of the chapter in the
chapter matrix.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from tui.trade.dataset import Dataset
from tui.trade.periods import Period
from tui.trade.places import comparison, place
from tui.trade.queries import NoTradeError, partner_history, world_totals
from tui.trade.schema import WORLD
from tui.vocabulary import MAX_COMPARED, MIN_COMPARED

NAN = math.nan


class TooManyPlaces(ValueError):
    """More places than a comparison takes, or fewer than two."""


def check_codes(codes: list[str]) -> list[str]:
    """The codes without repeats; TooManyPlaces unless MIN_COMPARED to MAX_COMPARED are left."""
    unique = list(dict.fromkeys(codes))
    if len(unique) < MIN_COMPARED:
        raise TooManyPlaces(f"compare takes {MIN_COMPARED} to {MAX_COMPARED} different partners or groups, "
                            f"not {len(unique)}")
    if len(unique) > MAX_COMPARED:
        raise TooManyPlaces(f"compare takes at most {MAX_COMPARED} partners or groups, not {len(unique)}")
    return unique


def compare_figures(ds: Dataset, codes: list[str], period: Period) -> list[dict]:
    """One record per place, in the order given: code, name, kind, exports, imports, balance,
    prev_balance, change, pct_change, share (of the US total balance). A place without trade in the
    period has NaN figures."""
    world = float(world_totals(ds, period)["balance"])
    rows = []
    for code in check_codes(codes):
        where = place(ds, code)
        try:
            figures = comparison(ds, code, period)
        except NoTradeError:
            figures = {"exports": NAN, "imports": NAN, "balance": NAN, "prev_balance": NAN, "change": NAN,
                       "pct_change": NAN}
        rows.append({"code": code, "name": where.name, "kind": where.kind, "exports": figures["exports"],
                     "imports": figures["imports"], "balance": figures["balance"],
                     "prev_balance": figures["prev_balance"], "change": figures["change"],
                     "pct_change": figures["pct_change"],
                     "share": figures["balance"] / world * 100 if world else NAN})
    return rows


def balance_histories(ds: Dataset, codes: list[str], last_year: int | None = None) -> list[dict]:
    """Each complete year's balance of every place (by code), up to last_year: year, then one key per code
    (NaN where a place has no figures that year)."""
    series = {}
    for code in check_codes(codes):
        history = partner_history(ds, code)
        full = history[history["months"] == 12]
        series[code] = dict(zip(full["year"].astype(int), full["balance"].astype(float), strict=True))
    years = sorted({year for values in series.values() for year in values})
    if last_year is not None:
        years = [year for year in years if year <= last_year]
    return [{"year": year, **{code: series[code].get(year, NAN) for code in series}} for year in years]


@dataclass(frozen=True)
class ChapterMatrix:
    """Top chapters x places: what each place sells the US of each chapter, and its share of the US's
    imports of that chapter (and the share's change in points on the year before, when known)."""

    year: int
    previous_year: int | None
    codes: list[str]
    rows: list[dict]  # chapter, name, us_imports, then per code: imports_<code>, share_<code>, share_change_<code>


def chapter_matrix(ds: Dataset, codes: list[str], year: int, top: int = 10) -> ChapterMatrix:
    """The `top` chapters the places together sell the US most of, in the sector year."""
    codes = check_codes(codes)
    sectors = ds.sectors
    previous = year - 1 if year - 1 in ds.sector_years else None

    def imports_by(code_year: int) -> dict[tuple[str, int], float]:
        rows = sectors[(sectors["year"] == code_year) & (sectors["code"].isin([*codes, WORLD]))]
        return {(c, int(ch)): float(v) for c, ch, v in zip(rows["code"], rows["chapter"], rows["imports"], strict=True)}

    now = imports_by(year)
    before = imports_by(previous) if previous is not None else {}
    chapters = sorted({chapter for (code, chapter) in now if code != WORLD})
    combined = {ch: math.fsum(now.get((code, ch), 0.0) for code in codes) for ch in chapters}
    chosen = sorted(chapters, key=lambda ch: (-combined[ch], ch))[:top]
    names = ds.chapters["name"]
    with_chapters = {code for (code, _) in now}  # a place with none that year (gone, as the USSR): n/a, not $0
    rows = []
    for chapter in chosen:
        us = now.get((WORLD, chapter), NAN)
        us_before = before.get((WORLD, chapter), NAN)
        row: dict = {"chapter": chapter, "name": str(names.get(chapter, "Chapter")), "us_imports": us}
        for code in codes:
            value = now.get((code, chapter), 0.0 if code in with_chapters else NAN)
            share = value / us * 100 if us else NAN
            then = before.get((code, chapter))
            share_before = then / us_before * 100 if then is not None and us_before else NAN
            row[f"imports_{code}"] = value
            row[f"share_{code}"] = share
            row[f"share_change_{code}"] = share - share_before
        rows.append(row)
    return ChapterMatrix(year, previous, codes, rows)
