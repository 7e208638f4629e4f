"""Searching as a person types (the app's search and palette), with the command line's names, aliases and codes,
before pandas is loaded."""

from __future__ import annotations

import pytest

from tui.trade.catalog import load_catalog
from tui.trade.lookup import ALIAS, CONTAINS, EXACT, PREFIX, search


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.mark.parametrize(("typed", "first"), [
    ("chi", "China"),  # not Chile: both begin so, China trades more
    ("holland", "Netherlands"),  # an alias, not Heard and McDonald Islands
    ("uk", "United Kingdom"),  # an alias before Ukraine, which only begins so
    ("korea", "South Korea"),  # the alias before North Korea
    ("KOR", "South Korea"), ("5700", "China"), ("de", "Germany"),  # ISO and Census codes
    ("Côte d'Ivoire", "Cote d'Ivoire"), ("ivory", "Cote d'Ivoire"),  # accents, aliases
    ("s. korea", "South Korea"), ("viet", "Vietnam"), ("Korea, South", "South Korea"),
])
def test_the_best_match_comes_first(catalog, typed, first):
    assert search(catalog, typed, groups=False)[0].name == first


def test_tiers_then_trade_size(catalog):
    found = search(catalog, "uk")
    assert [(m.name, m.tier) for m in found[:2]] == [("United Kingdom", ALIAS), ("Ukraine", PREFIX)]
    assert search(catalog, "Mexico")[0].tier == EXACT
    islands = [m for m in search(catalog, "land") if m.tier == CONTAINS]
    sizes = [m.size for m in islands]
    assert sizes == sorted(sizes, reverse=True) and any(m.name == "Switzerland" for m in islands)


def test_groups_are_found_unless_left_out(catalog):
    assert search(catalog, "asean")[0].is_group
    assert search(catalog, "eu")[0].name == "European Union"
    assert not any(m.is_group for m in search(catalog, "asean", groups=False))
    assert search(catalog, "") == [] and search(catalog, "zzzz") == []
