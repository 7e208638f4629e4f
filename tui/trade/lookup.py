"""Finding a partner or a group from what a person types.

Accepts names in any case, with or without accents or punctuation, common
aliases, ISO2, ISO3 and Census codes. When nothing matches, the error
carries close suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from typing import TYPE_CHECKING

from tui.trade.schema import GROUP_KINDS, RANKABLE_KINDS

if TYPE_CHECKING:
    from tui.trade.dataset import Dataset

# Common names people use that differ from Census's spelling, by Census code.
PARTNER_ALIASES: dict[str, tuple[str, ...]] = {
    "5800": ("korea", "south korea", "republic of korea", "rok"),
    "5790": ("north korea", "dprk"),
    "4120": ("uk", "britain", "great britain", "england", "united kingdom of great britain and northern ireland"),
    "4210": ("holland", "the netherlands"),
    "5200": ("uae", "emirates"),
    "4351": ("czech republic", "czechia"),
    "5700": ("prc", "mainland china", "people's republic of china"),
    "5830": ("chinese taipei",),
    "4621": ("russian federation",),
    "4890": ("turkiye", "türkiye"),
    "5460": ("burma", "myanmar"),
    "7480": ("ivory coast",),
    "7660": ("drc", "dr congo", "democratic republic of the congo", "congo kinshasa"),
    "7630": ("congo brazzaville", "republic of the congo"),
    "5520": ("viet nam",),
    "4752": ("vatican", "holy see"),
    "4280": ("deutschland",),
    "5330": ("bharat",),
    "5820": ("hongkong",),
    "4794": ("north macedonia", "macedonia"),
    "7910": ("south africa", "rsa"),
    "5170": ("saudi",),
    "2774": ("sint maarten", "st maarten"),
    "2483": ("st kitts", "saint kitts"),
}

GROUP_ALIASES: dict[str, tuple[str, ...]] = {
    "0003": ("eu", "european union"),
    "EU27": ("eu27", "eu-27", "eu 27"),
    "0009": ("latin america", "south and central america"),
    "0014": ("pacific rim",),
}


def normalize(text: str) -> str:
    """Lower case, accents and punctuation removed, spaces folded: 'Côte d'Ivoire' -> 'cote divoire'."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("&", " and ").replace("'", "").replace("’", "")
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


class LookupError_(LookupError):
    """Nothing (or more than one thing) matches; suggestions may help."""

    def __init__(self, what: str, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        message = f"no {what} '{query}'"
        if suggestions:
            message += f" — did you mean {_or_list(suggestions)}?"
        super().__init__(message)


class UnknownPartner(LookupError_):
    def __init__(self, query: str, suggestions: list[str]):
        super().__init__("partner", query, suggestions)


class UnknownGroup(LookupError_):
    def __init__(self, query: str, suggestions: list[str]):
        super().__init__("group", query, suggestions)


def _or_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


class _Index:
    """Normalized keys to codes, and display names for suggestions."""

    def __init__(self, keys: dict[str, str], names: dict[str, str]):
        self.keys = keys
        self.names = names

    def find(self, query: str) -> tuple[str | None, list[str]]:
        key = normalize(query)
        if not key:
            return None, []
        if key in self.keys:
            return self.keys[key], []
        # a unique prefix of a name is a match ("viet" -> Vietnam); several are suggestions
        prefixed = sorted({code for k, code in self.keys.items() if len(key) >= 3 and k.startswith(key)})
        if len(prefixed) == 1:
            return prefixed[0], []
        close = difflib.get_close_matches(key, list(self.keys), n=6, cutoff=0.72)
        codes: list[str] = []
        for code in prefixed + [self.keys[k] for k in close]:
            if code not in codes:
                codes.append(code)
        return None, [self.names[c] for c in codes[:4]]


def _partner_index(ds: Dataset) -> _Index:
    if "partner_index" not in ds._memo:
        partners = ds.partners[ds.partners["kind"].isin(RANKABLE_KINDS)]
        keys: dict[str, str] = {}
        names: dict[str, str] = {}
        # weakest keys first so names and codes win over aliases on a clash
        for code, aliases in PARTNER_ALIASES.items():
            if code in partners.index:
                for alias in aliases:
                    keys[normalize(alias)] = code
        # plain columns, not iterrows(): a Series per row made this most of a quick lookup's own time
        alt_codes = partners["alt_codes"] if "alt_codes" in partners.columns else [""] * len(partners)
        columns = (partners["census_name"], partners["name"], partners["iso2"], partners["iso3"], alt_codes)
        rows = zip(partners.index, *columns, strict=True)
        for code, census_name, name, iso2, iso3, alts in rows:
            names[code] = name
            for value in (census_name, name, iso2, iso3, code):
                if value:
                    keys[normalize(value)] = code
            for alt in str(alts or "").split(";"):
                if alt.strip():
                    keys[normalize(alt)] = code
        ds._memo["partner_index"] = _Index(keys, names)
    return ds._memo["partner_index"]


def _group_index(ds: Dataset) -> _Index:
    if "group_index" not in ds._memo:
        groups = ds.groups[ds.groups["kind"].isin(GROUP_KINDS)]
        keys: dict[str, str] = {}
        names: dict[str, str] = {}
        for code, aliases in GROUP_ALIASES.items():
            if code in groups.index:
                for alias in aliases:
                    keys[normalize(alias)] = code
        for code, name in zip(groups.index, groups["name"], strict=True):
            names[code] = name
            keys[normalize(name)] = code
            keys[normalize(code)] = code
        ds._memo["group_index"] = _Index(keys, names)
    return ds._memo["group_index"]


def find_partner(ds: Dataset, query: str) -> str:
    """The Census code of the partner the query names; UnknownPartner otherwise."""
    code, suggestions = _partner_index(ds).find(query)
    if code is None:
        raise UnknownPartner(query, suggestions)
    return code


def find_group(ds: Dataset, query: str) -> str:
    """The code of the region, group or bloc the query names; UnknownGroup otherwise."""
    code, suggestions = _group_index(ds).find(query)
    if code is None:
        raise UnknownGroup(query, suggestions)
    return code
