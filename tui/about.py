"""About the data: what tradegap's figures are, said once for the help and the README. Plain Python."""

from __future__ import annotations

ABOUT: list[tuple[str, str]] = [
    ("What the figures are",
     "Goods only (no services), Census basis, not seasonally adjusted, in current dollars (not adjusted for "
     "inflation). Source: U.S. Census Bureau, Foreign Trade Division, U.S. International Trade in Goods by "
     "Country; exports by HS chapter from USITC DataWeb, which republishes Census data. Exports are total exports "
     "(F.A.S. value), imports are general imports (customs value); balance = exports - imports, so a negative "
     "balance is a US deficit. Amounts are written $297.0B; exports to files carry millions of dollars, and each "
     "row of a CSV its period, release and basis. The "
     "status line says it just before the release: 'goods, Census basis, NSA, current $' (NSA: not seasonally "
     "adjusted), on a narrow one 'Census basis, NSA'."),
    ("Share",
     "A partner's balance as a percent of the net US balance with the world in the same period. The US runs an "
     "overall deficit, so a partner with a deficit has a positive share and one with a surplus a negative share: "
     "the shares of all partners add up to 100%, and the deficits alone add up to more than 100%. Cum. share adds "
     "the shares down the rows shown; the status line keeps the sum of the rows shown apart from the US total. "
     "Groups overlap (Asia, ASEAN, Pacific Rim), so the shares of groups do not add up."),
    ("Years to date and months",
     "The latest year is partial: it is shown as a year to date (2026 Jan-Aug) and compared with the same months "
     "a year earlier, never with a whole year. A single month (2026-03) is compared with the same month a year "
     "earlier: the figures are not seasonally adjusted, so a month is compared with the same month of another "
     "year, not with the month before."),
    ("Changes",
     "'Deficit widened / narrowed' and 'surplus grew / shrank' say what happened to the size of the deficit or "
     "surplus. % change is of that size: +45% is a deficit 45% larger. It is not given when the balance changed "
     "sides (a deficit turned into a surplus)."),
    ("HS chapters",
     "The 2-digit chapters of the Harmonized System (85 Electrical machinery, 84 Machinery, 87 Vehicles ...). "
     "Imports by chapter come from Census (general imports by chapter and partner), exports from USITC DataWeb. "
     "Chapters cover fewer years than partners; for another year the nearest year with chapters is used, and "
     "each screen names the year it shows. On the Sectors tab a chapter's share is of the summed balance of the "
     "chapters shown (the US's, a partner's or a group's), as `tradegap sectors` says; on a chapter's screen a "
     "partner's share is of the chapter's US balance; in Compare a chapter's share is of all US imports of that "
     "chapter. The latest year's chapters, once `tradegap update` has fetched them, are its year to date "
     "(2026 Jan-Sep) and are named so."),
    ("Releases and revisions",
     "Census revises its figures: every June the previous years (the annual revision), every month the recent "
     "months. Each figure comes from a named release, which the status line, the command line's footers and "
     "every export name; 'tradegap update' fetches the newest months and the revised ones from the Census API. "
     "Figures can therefore differ slightly from earlier publications."),
]


def about_text(width: int = 88) -> str:
    """The page as plain text, each paragraph wrapped to width."""
    import textwrap

    parts = []
    for heading, paragraph in ABOUT:
        parts.append(heading + "\n" + textwrap.fill(paragraph, width=width, initial_indent="  ",
                                                    subsequent_indent="  "))
    return "\n\n".join(parts)
