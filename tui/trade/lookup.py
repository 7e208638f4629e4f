"""Finding a partner or a group from what a person types.

Accepts names in any case, with or without accents or punctuation, common
aliases, ISO2, ISO3 and Census codes. When nothing matches, the error
carries close suggestions.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from tui.trade.schema import GROUP_KINDS, PLACE_KINDS

if TYPE_CHECKING:
    from tui.trade.catalog import Catalog
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
    "7950": ("swaziland",),
    "7643": ("cape verde",),
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
    "ASEAN-TODAY": ("asean today", "asean now"),
    "OPEC-TODAY": ("opec today", "opec now"),
    "BRICS-TODAY": ("brics today", "brics now"),
    "MERCOSUR-TODAY": ("mercosur today", "mercosur now"),
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


# Letters with dots, as in U.K., U.A.E. or D.R. Congo: one word ("uk", "uae", "dr congo").
_DOTTED = re.compile(r"(?<![^\W\d_])((?:[^\W\d_]\.){2,})")
# Short forms of words in names, expanded where the name has other words ("S. Korea", "St. Lucia").
_ABBREVIATIONS = {
    "s": "south", "n": "north", "e": "east", "w": "west", "st": "saint", "ste": "sainte", "mt": "mount",
    "is": "islands", "isl": "islands", "rep": "republic", "dem": "democratic", "fed": "federated",
}
# Words left out of names that have others: "the Bahamas", "Bosnia-Herzegovina", "Korea, Republic of".
_FILLERS = {"the", "of", "and"}
#: Queries longer than this are not compared with every name for suggestions.
MAX_QUERY = 100


def lookup_key(text: str) -> str:
    """What a name is matched by: normalize() with dotted letters joined, short forms expanded and
    filler words dropped ('U.K.' -> 'uk', 'S. Korea' -> 'south korea', 'cote d ivoire' -> 'cote d ivoire').
    A single word (an ISO code such as ST, IS or AND) is kept as it is."""
    text = _DOTTED.sub(lambda m: m.group(1).replace(".", "") + " ", str(text))
    words = normalize(text).split()
    if len(words) > 1:
        words = [_ABBREVIATIONS.get(word, word) for word in words]
        words = [word for word in words if word not in _FILLERS] or words
    return " ".join(words)


def _compact(key: str) -> str:
    return key.replace(" ", "")


def escape_controls(text: str) -> str:
    """Control and format characters (escape sequences, newlines, bidi overrides, undecodable bytes) as Python
    escapes: what the user typed, echoed in a message, stays one line and cannot drive the terminal."""
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for ch in text)


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def echoed(text: object, limit: int) -> str:
    """What the user typed, escaped, cut at `limit` characters as shown (escapes counted)."""
    return cut(escape_controls(str(text)[: limit + 1]), limit)  # each character shows as one or more


def _shown(query: str) -> str:
    """The query as echoed in a message: escaped, cut at 60 characters."""
    return echoed(query, 60)


class LookupError_(LookupError):
    """Nothing (or more than one thing) matches; suggestions may help."""

    def __init__(self, what: str, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        message = f"no {what} '{_shown(query)}'"
        if suggestions:
            message += f" — did you mean {_or_list(suggestions)}?"
        super().__init__(message)


class UnknownPartner(LookupError_):
    def __init__(self, query: str, suggestions: list[str]):
        super().__init__("partner", query, suggestions)


class NotAPartner(UnknownPartner):
    """A name of the United States' own total ('world', 'US total'): what gives it, instead of a partner that
    merely has the word in its name (Census's 'World total less the partners itemized')."""

    def __init__(self, query: str):
        LookupError.__init__(self, f"'{_shown(query)}' names the United States' trade with the world, not a "
                                   "partner: `tradegap top` ranks every partner with its share of the US total, "
                                   "`tradegap sectors` gives the US total's HS chapters")
        self.query = query
        self.suggestions = []


#: lookup_key()s of the United States' own total
US_TOTAL_NAMES = frozenset({"world", "world total", "total", "us total", "us", "usa", "united states",
                            "united states america", "all partners"})


class UnknownGroup(LookupError_):
    def __init__(self, query: str, suggestions: list[str]):
        super().__init__("group", query, suggestions)


def _or_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " or " + names[-1]


class _Index:
    """Names, aliases and codes to codes, matched three ways, and display names for suggestions.

    A name is found by its lookup_key(), then with spaces ignored ('cote d ivoire' finds 'Cote
    d'Ivoire'), then with its words in any order ('korea republic' finds 'Republic of Korea'). Keys
    added earlier win a clash at the first way; a key that two codes share at a looser way is dropped.
    """

    def __init__(self) -> None:
        self.keys: dict[str, str] = {}
        self.compact: dict[str, str] = {}
        self.words: dict[str, str] = {}
        self.names: dict[str, str] = {}
        self._clashes: set[str] = set()

    def add(self, value: str, code: str) -> None:
        key = lookup_key(value)
        if not key:
            return
        self.keys[key] = code
        for table, loose in ((self.compact, _compact(key)), (self.words, " ".join(sorted(key.split())))):
            if table.get(loose, code) != code:
                self._clashes.add(loose)
            table[loose] = code

    def _loose(self, table: dict[str, str], key: str) -> str | None:
        return None if key in self._clashes else table.get(key)

    def find(self, query: str) -> tuple[str | None, list[str]]:
        key = lookup_key(query)
        if not key:
            return None, []
        if key in self.keys:
            return self.keys[key], []
        code = self._loose(self.compact, _compact(key)) or self._loose(self.words, " ".join(sorted(key.split())))
        if code is not None:
            return code, []
        if len(key) > MAX_QUERY:
            return None, []
        # a unique prefix of a name is a match ("viet" -> Vietnam); several are suggestions
        prefixed = sorted({code for k, code in self.keys.items() if len(key) >= 3 and k.startswith(key)})
        if len(prefixed) == 1:
            return prefixed[0], []
        return None, [self.names[c] for c in (prefixed + self._closest(key, exclude=set(prefixed)))[:4]]

    def _closest(self, key: str, exclude: set[str]) -> list[str]:
        """Codes whose names are closest to key, best first: by similarity of the whole key, with the
        key's spaces ignored, then by the words they share with it."""
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(key)
        compact = difflib.SequenceMatcher(autojunk=False)
        compact.set_seq2(_compact(key))
        words = set(key.split())
        best: dict[str, float] = {}
        for candidate, code in self.keys.items():
            if code in exclude or code not in self.names:
                continue
            matcher.set_seq1(candidate)
            if matcher.real_quick_ratio() < 0.6 or matcher.quick_ratio() < 0.6:
                continue
            compact.set_seq1(_compact(candidate))
            score = max(matcher.ratio(), compact.ratio())
            score += 0.05 * len(words & set(candidate.split())) / max(len(words), 1)
            if score >= 0.72 and score > best.get(code, 0):
                best[code] = score
        return sorted(best, key=lambda code: (-best[code], self.names[code]))


def _aliased(aliases: dict, codes) -> _Index:
    """An index holding the aliases of the codes present; added first, so that names and codes,
    added after, win over an alias on a clash."""
    index = _Index()
    for code, names in aliases.items():
        if code in codes:
            for alias in names:
                index.add(alias, code)
    return index


def _partner_index(ds: Dataset) -> _Index:
    if "partner_index" not in ds._memo:
        partners = ds.partners[ds.partners["kind"].isin(PLACE_KINDS)]  # unallocated trade too: findable
        index = _aliased(PARTNER_ALIASES, partners.index)
        # plain columns, not iterrows(): a Series per row made this most of a quick lookup's own time
        alt_codes = partners["alt_codes"] if "alt_codes" in partners.columns else [""] * len(partners)
        rows = zip(partners.index, partners["census_name"], partners["name"], partners["iso2"], partners["iso3"],
                   alt_codes, strict=True)
        for code, census_name, name, iso2, iso3, alts in rows:
            index.names[code] = name
            for value in (census_name, name, iso2, iso3, code):
                if value:
                    index.add(value, code)
            for alt in str(alts or "").split(";"):
                if alt.strip():
                    index.add(alt, code)
        ds._memo["partner_index"] = index
    return ds._memo["partner_index"]


def _group_index(ds: Dataset) -> _Index:
    if "group_index" not in ds._memo:
        groups = ds.groups[ds.groups["kind"].isin(GROUP_KINDS)]
        index = _aliased(GROUP_ALIASES, groups.index)
        for code, name in zip(groups.index, groups["name"], strict=True):
            index.names[code] = name
            index.add(name, code)
            index.add(code, code)
        ds._memo["group_index"] = index
    return ds._memo["group_index"]


def find_partner(ds: Dataset, query: str) -> str:
    """The Census code of the partner the query names; UnknownPartner otherwise (NotAPartner for the US total)."""
    if lookup_key(query) in US_TOTAL_NAMES:
        raise NotAPartner(query)
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


# ---------------------------------------------------------------- searching as a person types (the app)

#: How a search match was found, best first.
EXACT, ALIAS, PREFIX, CONTAINS = 0, 1, 2, 3


@dataclass(frozen=True)
class Match:
    """A partner or group a search found: how (tier, EXACT first) and how much it trades (a tie-break)."""

    code: str
    name: str
    is_group: bool
    tier: int
    size: float


class _SearchIndex:
    """Every partner's and group's names, aliases and codes, as lookup keys."""

    def __init__(self, catalog: Catalog) -> None:
        totals = catalog.period_totals(catalog.latest) or {}
        self.entries: list[tuple[str, str, bool, float, list[str], list[str], list[str]]] = []
        for partner in catalog.rankable:
            self._add(partner.code, partner.name, False, totals, [partner.name, partner.census_name],
                      list(PARTNER_ALIASES.get(partner.code, ())),
                      [partner.iso2, partner.iso3, partner.code, *partner.alt_codes])
        for group in catalog.groups.values():
            if group.kind in GROUP_KINDS:
                self._add(group.code, group.name, True, totals, [group.name], list(GROUP_ALIASES.get(group.code, ())),
                          [group.code])

    def _add(self, code: str, name: str, is_group: bool, totals: Mapping[str, tuple[float, float]],
             names: list[str], aliases: list[str], codes: list[str]) -> None:
        flows = totals.get(code, (0.0, 0.0))

        def keys(texts: list[str]) -> list[str]:
            return [key for key in (lookup_key(text) for text in texts if text) if key]

        self.entries.append((code, name, is_group, flows[0] + flows[1], keys(names), keys(aliases), keys(codes)))

    def search(self, query: str, groups: bool) -> list[Match]:
        key = lookup_key(query)
        if not key:
            return []
        compact = _compact(key)
        found = []
        for code, name, is_group, size, names, aliases, codes in self.entries:
            if is_group and not groups:
                continue
            if any(k == key or _compact(k) == compact for k in names):
                tier = EXACT
            elif any(k == key or _compact(k) == compact for k in aliases + codes):
                tier = ALIAS
            elif (any(k.startswith(key) or any(w.startswith(key) for w in k.split()) for k in names)
                  or (len(key) >= 3 and any(k.startswith(key) for k in aliases))
                  or (len(key) >= 2 and any(k.startswith(key) for k in codes))):
                tier = PREFIX  # a word of the name, an alias or a code ('ch' of CHN) begins as typed
            elif len(key) >= 2 and any(key in k for k in names):
                tier = CONTAINS
            else:
                continue
            found.append(Match(code, name, is_group, tier, size))
        found.sort(key=lambda m: (m.tier, -m.size, m.name))
        return found


_SEARCH_INDEXES: WeakKeyDictionary[Catalog, _SearchIndex] = WeakKeyDictionary()


def search(catalog: Catalog, query: str, *, groups: bool = True, limit: int | None = None) -> list[Match]:
    """Partners (and groups) matching what is typed, best first: a name typed whole, then an alias, ISO or
    Census code, then names starting with it (or with a word starting with it), then names containing it;
    within each, the one that trades more with the US first. Plain Python: the app's first screen uses it."""
    index = _SEARCH_INDEXES.get(catalog)
    if index is None:
        index = _SEARCH_INDEXES[catalog] = _SearchIndex(catalog)
    found = index.search(query, groups)
    return found if limit is None else found[:limit]
