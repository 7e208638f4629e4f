"""Each view tradegap shows, as a document (tui.export): the same columns, titles and notes for the
command line's output and the app's exports and copies.

The builders take figures already computed (records of the rankings, a partner's or group's
summary, a comparison) and import no pandas, so that the app can export its first screen before
the full dataset is loaded.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from tui.columns import (
    Column,
    chapter_columns,
    chapter_matrix_columns,
    chapter_partner_columns,
    compare_columns,
    detail_chapter_columns,
    group_columns,
    history_columns,
    member_columns,
    month_columns,
    partner_columns,
    period_comparison_columns,
)
from tui.export import Document, Table, plain, plain_records, text_table
from tui.trade.changes import BASIS, change_sentence, change_words, pct_change
from tui.trade.formatting import money, percent
from tui.trade.ranking import with_cumulative_share

if TYPE_CHECKING:
    from tui.trade.catalog import Catalog
    from tui.trade.compare import ChapterMatrix
    from tui.trade.dataset import Dataset
    from tui.trade.periods import Period
    from tui.trade.places import GroupSummary
    from tui.trade.queries import PartnerSummary

PARTNER_KEYS = ["rank", "code", "iso", "name", "exports", "imports", "balance", "change", "share", "cum_share"]
GROUP_KEYS = ["rank", "code", "name", "kind", "members", "exports", "imports", "balance", "change", "share",
              "membership"]
CHAPTER_KEYS = ["rank", "chapter", "name", "exports", "imports", "balance", "share"]
CHAPTER_PARTNER_KEYS = ["rank", "code", "iso", "name", "exports", "imports", "balance", "share"]


def context_of(period_label: str | None, release: str) -> dict[str, str]:
    """What a table's figures are, for each of its rows in CSV and JSON: their period (None: the rows name
    their own, as a history's years do), their release and their basis."""
    return {**({"period": period_label} if period_label is not None else {}), "release": release, "basis": BASIS}


def chapters_context(period_label: str, release: str, note: str) -> dict[str, str]:
    """A table of HS chapters' context: context_of (period_label: releases.sector_label, '2024' or, for the
    latest year when incomplete, '2026 Jan-Sep'), and whether the chapters come from another release than the
    year's totals (releases.chapters_note; '' when not), in every row as the text says it under the table."""
    return {**context_of(period_label, release), "chapters_note": note}


def _pick(records: list[dict], keys: list[str], context: dict[str, str]) -> list[dict]:
    return [{**{k: r.get(k) for k in keys}, **context} for r in records]


def _sum(records: list[dict], key: str) -> float:
    return math.fsum(r[key] for r in records if not (isinstance(r[key], float) and math.isnan(r[key])))


def rows_and_total(count: int, rows_balance: float, world: float | None, period_label: str,
                   what: str = "rows", total_label: str = "US total") -> tuple[str, str]:
    """The two sums a ranking's reader must not confuse: of the rows shown, and the US total (total_label:
    'US total (partners covered)' for a year whose total is only the sum of the partners the source covers)."""
    share = "" if not world else f" ({percent(rows_balance / world * 100)} of the {balance_of(total_label)})"
    shown = f"sum of the {count} {what} shown: {money(rows_balance, signed=True)}{share}"
    total = f"{total_label} {period_label}: {money(world, signed=True)}"
    return shown, total


def balance_of(total_label: str) -> str:
    """'US total' -> 'US total balance'; 'US total (partners covered)' -> 'US total balance of the partners
    covered'."""
    return "US total balance" + (" of the partners covered" if "partners covered" in total_label else "")


# ---------------------------------------------------------------- rankings


def partners_document(records: list[dict], *, period: Period, scope: str, what: str, world: float | None,
                      release: str, filters: str = "", total_label: str = "US total",
                      changes: list[str] | None = None) -> Document:
    """Partners ranked by balance (the rows shown, in their order): `tradegap top` and the Partners list.

    total_label: what the US total of the period is (releases.us_total_label); changes: lines naming the
    members that joined or left the group shown during the period. CSV and JSON carry the same fields
    (the code and the release too, which the table does not show)."""
    rows = with_cumulative_share(records)
    shown, total = rows_and_total(len(rows), _sum(rows, "balance"), world, period.label,
                                  "partner" if len(rows) == 1 else "partners", total_label)
    title = " · ".join(x for x in (f"US goods trade {what}", period.label, scope, filters) if x)
    notes = [f"{shown} · share: of the {balance_of(total_label)}; cum. share: down the rows shown",
             *(changes or []), f"{total} · {release}"]
    shown_columns = [c for c in partner_columns(f"vs {period.previous.label}", cumulative=True)
                     if c.key in PARTNER_KEYS]
    by_key = {c.key: c for c in shown_columns}
    every = [by_key.get(key) or Column(key, key) for key in PARTNER_KEYS]
    context = context_of(period.label, release)
    data = _pick(rows, PARTNER_KEYS, context)
    table = Table(shown_columns, rows, title, notes)
    subject = "" if scope == "all partners" else scope
    return Document("partners", period.key, period.label, [Table(every, data, title, notes, context=context)], release,
                    subject=subject, title=title, data=plain_records(data), text=text_table(table),
                    markdown_tables=[table])


def groups_document(records: list[dict], *, period: Period, world: float | None, release: str,
                    total_label: str = "US total") -> Document:
    """Regions and blocs ranked by balance: `tradegap groups` and the Regions & blocs tab."""
    title = f"Regions and blocs · {period.label}"
    notes = ["Groups overlap: shares do not add up.",
             f"Blocs count each member for its months of membership; Members: at the end of {period.label}; "
             "'(today's members)': today's members in every period.",
             f"{total_label} {period.label}: {money(world, signed=True)} · {release}"]
    columns = group_columns(f"vs {period.previous.label}")
    context = context_of(period.label, release)
    return Document("regions", period.key, period.label, [Table(columns, records, title, notes, context=context)],
                    release, title=title, data=plain_records(_pick(records, GROUP_KEYS, context)))


def sectors_document(records: list[dict], *, year: int, scope: str, release: str,
                     chapters_note: str = "", chapters_period: str = "") -> Document:
    """HS chapters ranked by balance: `tradegap sectors` and the Sectors tab (chapters_note: said when the
    chapters come from another release than the year's totals, releases.chapters_note; chapters_period: the
    months they cover, releases.sector_label)."""
    span = chapters_period or str(year)
    title = f"HS chapters by balance · {span} · {scope}"
    notes = [f"HS chapters {span}: {release}" + (f" · {chapters_note}" if chapters_note else ""),
             "Share of the summed chapter balance."]
    subject = "" if scope in ("all partners", "US total") else scope
    context = chapters_context(span, release, chapters_note)
    return Document("sectors", str(year), span, [Table(chapter_columns(), records, title, notes, context=context)],
                    release, subject=subject, title=title, data=plain_records(_pick(records, CHAPTER_KEYS, context)))


def chapter_document(records: list[dict], *, year: int, chapter: int, name: str, scope: str,
                     release: str, chapters_note: str = "", chapters_period: str = "") -> Document:
    """The partners that make up one HS chapter's balance (the app's chapter screen; chapters_note and
    chapters_period: as sectors_document's)."""
    span = chapters_period or str(year)
    title = f"HS {chapter:02d} {name} · {span} · {scope}"
    shown, _ = rows_and_total(len(records), _sum(records, "balance"), None, span, "partners")
    notes = [f"{shown.split(' (')[0]} · share: of the chapter's US balance",
             f"HS chapters: {release}" + (f" · {chapters_note}" if chapters_note else "")]
    context = chapters_context(span, release, chapters_note)
    return Document("chapter", str(year), span,
                    [Table(chapter_partner_columns(), records, title, notes, context=context)],
                    release, subject=f"hs{chapter:02d}", title=title,
                    data=plain_records(_pick(records, CHAPTER_PARTNER_KEYS, context)))


# ---------------------------------------------------------------- one place


def _comparison_rows(figures: dict) -> list[dict]:
    rows = []
    for flow in ("exports", "imports", "balance"):
        now, before = figures[flow], figures[f"prev_{flow}"]
        pct = pct_change(now, before) if flow == "balance" else (
            (now - before) / before * 100 if before and not math.isnan(before) else math.nan)
        rows.append({"what": flow.capitalize(), "previous": before, "current": now, "change": now - before,
                     "pct_change": pct})
    return rows


def comparison_table(figures: dict) -> Table:
    """Exports, imports and balance of the period next to the same months a year earlier."""
    return Table(period_comparison_columns(figures["previous_period"], figures["period"]),
                 _comparison_rows(figures), name="comparison")


def sentence(figures: dict, arrow: str = "→") -> str:
    """The balance a year earlier and now, and how it changed; a bloc's first, part year says so instead."""
    if figures.get("note"):
        return f"{figures['period']} {money(figures['balance'], signed=True)}: {figures['note']}"
    return change_sentence(figures["previous_period"], figures["prev_balance"], figures["period"],
                           figures["balance"], arrow)


def _history_table(rows: list[dict], period: Period, note: str = "") -> Table:
    """rows: each with the release of its year (with_releases), which the CSV gives row by row."""
    return Table(history_columns(), rows, f"Last {len(rows)} years, to {period.label}", [note] if note else [],
                 name="history", context={"basis": BASIS}, row_context=("release",))


def _chapters_table(chapters: Any, year: int | None, release: str = "", note: str = "",
                    period: str = "") -> Table | None:
    if chapters is None or getattr(chapters, "empty", True):
        return None
    span = period or str(year)
    said = [f"HS chapters {span}: {release}" + (f" · {note}" if note else "")] if release or note else []
    return Table(detail_chapter_columns(), chapters.to_dict("records"), f"Top chapters by balance, {span}", said,
                 name="chapters", context=chapters_context(span, release, note))


def _chapters_data(chapters: Table, year: int | None, release: str, note: str, period: str = "") -> dict:
    """A detail's top chapters as its JSON gives them: their year (and the months it covers), release, note and
    rows."""
    return {"chapters_year": year, "chapters_period": period or str(year), "chapters_release": release,
            "chapters_note": note,
            "chapters": plain_records([{k: r[k] for k in ("chapter", "name", "exports", "imports", "balance")}
                                       for r in chapters.records])}


def _facts_text(title: str, facts: list[tuple[str, str]], comparison: Table, said: str, tables: list[Table],
                after: list[str] | None = None) -> str:
    width = max(len(what) for what, _ in facts)
    lines = [title, text_table(comparison), said, ""]
    lines += [f"  {what.ljust(width)}  {value}" for what, value in facts]
    lines += after or []
    return "\n".join(lines) + "".join("\n\n" + text_table(t) for t in tables)


def _facts_markdown_table(facts: list[tuple[str, str]]) -> Table:
    return Table([Column("what", "What"), Column("value", "Value")],
                 [{"what": what, "value": value} for what, value in facts], name="facts")


FACT_COLUMNS = [
    Column("code", "code"), Column("name", "name"), Column("period", "period"),
    Column("exports", "exports", "money"), Column("imports", "imports", "money"), Column("balance", "balance", "signed"),
    Column("previous_period", "previous_period"), Column("prev_exports", "prev_exports", "money"),
    Column("prev_imports", "prev_imports", "money"), Column("prev_balance", "prev_balance", "signed"),
    Column("change", "change", "signed"), Column("pct_change", "pct_change", "signed_percent"),
    Column("share", "share", "percent"), Column("rank", "rank", "int"), Column("ranked", "ranked", "int"),
]


def partner_document(s: PartnerSummary, figures: dict, history: list[dict], release: str,
                     arrow: str = "→", *, total_label: str = "US total", history_note: str = "",
                     chapters_release: str = "", chapters_note: str = "", chapters_period: str = "") -> Document:
    """One partner: the period next to a year earlier, rank, share, highlights, history, top chapters.

    total_label: what the US total of the period is; history_note: the releases of the history's years;
    chapters_release and chapters_note: where the chapters come from (releases.sector_release_of,
    releases.chapters_note)."""
    period = s.period
    said = "New partner: no figures a year earlier" if s.new_partner else sentence(figures, arrow)
    standing = "deficit" if s.balance < 0 else "surplus" if s.balance > 0 else "balanced"
    rank = f"#{s.rank} of {s.ranked} partners by balance" if s.rank else "unallocated: not a partner, not ranked"
    facts = [
        ("Balance", f"{money(s.balance, signed=True)} ({standing}, {rank})"),
        *([(f"Change vs {period.previous.label}", "new partner")] if s.new_partner else []),
        (f"Share of {balance_of(total_label)}", percent(s.share)),
        (f"Peak deficit, {s.peak_years}" if s.peak_years else "Peak deficit",
         f"{s.peak_deficit_year}: {money(s.peak_deficit, signed=True)}"
         if s.peak_deficit_year else "none"),
        ("Change over 5 / 10 years", f"{money(s.change_5y, signed=True) if s.change_5y is not None else 'n/a'} / "
                                     f"{money(s.change_10y, signed=True) if s.change_10y is not None else 'n/a'}"),
        ("Groups", ", ".join(s.groups) or "none"),
    ]
    # what a predecessor's or successor's figures are, and the release of the period's figures
    after = [*([f"Note: {s.note}"] if s.note else []), f"Figures of {period.label}: {release}"]
    continent = s.continent or ("unallocated trade" if s.kind == "unallocated" else "no continent")
    title = f"{s.name}{f' ({s.iso})' if s.iso else ''} · {continent} · {period.label}"
    history_table = _history_table(history, period, history_note)
    chapters = _chapters_table(s.chapters, s.sector_year, chapters_release, chapters_note, chapters_period)
    rest = [history_table] + ([chapters] if chapters else [])
    record = {"code": s.code, "name": s.name, "census_name": s.census_name, "iso": s.iso, "continent": s.continent,
              **figures, "share": s.share, "rank": s.rank, "ranked": s.ranked,
              "peak_deficit_year": s.peak_deficit_year, "peak_deficit": s.peak_deficit,
              "peak_deficit_of": f"complete years {s.peak_years}" if s.peak_years else "no complete year",
              "change_5y": s.change_5y,
              "change_10y": s.change_10y, "new_partner": s.new_partner, "note": s.note, "us_total": total_label,
              "release": release}
    columns = [*FACT_COLUMNS[:2], Column("census_name", "census_name"), Column("iso", "iso"),
               Column("continent", "continent"), *FACT_COLUMNS[2:],
               Column("peak_deficit_year", "peak_deficit_year", "int"),
               Column("peak_deficit", "peak_deficit", "signed"), Column("change_5y", "change_5y", "signed"),
               Column("change_10y", "change_10y", "signed"), Column("new_partner", "new_partner"),
               Column("note", "note"), Column("us_total", "us_total"), Column("release", "release")]
    data = {k: plain(v) for k, v in record.items()}
    data["basis"] = BASIS
    data["change_words"] = change_words(figures["balance"], figures["prev_balance"])
    data["history"] = plain_records(history)
    data["groups"] = s.groups
    if chapters is not None:
        data.update(_chapters_data(chapters, s.sector_year, chapters_release, chapters_note, chapters_period))
    facts_table = Table(columns, [record], name="figures", context={"basis": BASIS})
    return Document("partner", period.key, period.label, [facts_table, *rest], release, subject=s.name,
                    title=title, data=data,
                    text=_facts_text(title, facts, comparison_table(figures), said, rest, after),
                    notes=[release], lead=said,
                    markdown_tables=[comparison_table(figures),
                                     _facts_markdown_table(facts + ([("Note", s.note)] if s.note else [])), *rest])


def group_rank(g: GroupSummary, *, short: bool = False) -> str:
    """A group's rank as its row in the regions and blocs list of the period, saying what that list counts:
    '#17 of 22 by balance in the regions and blocs list, today's-members rows included'; short: '#17 of 22
    in the regions and blocs list'."""
    if short:
        return f"#{g.rank} of {g.ranked} in the regions and blocs list"
    return f"#{g.rank} of {g.ranked} by balance in {ranked_among(g)}"


def ranked_among(g: GroupSummary) -> str:
    """What a group's rank counts: 'the regions and blocs list, today's-members rows included'."""
    return "the regions and blocs list" + (", today's-members rows included" if g.today_rows else "")


def group_document(g: GroupSummary, history: list[dict], release: str, arrow: str = "→", *,
                   total_label: str = "US total", changes: list[str] | None = None, history_note: str = "",
                   chapters_release: str = "", chapters_note: str = "", chapters_period: str = "") -> Document:
    """One region or bloc: the period next to a year earlier, rank among groups, history, members, chapters.

    total_label: what the US total of the period is; changes: lines naming the members that joined or left
    during the period (the members listed are those of the period's end); history_note: the releases of the
    history's years, as a partner's; chapters_release and chapters_note: where the chapters come from, as a
    partner's (chapters_releases)."""
    period = g.period
    figures = g.figures
    said = sentence(figures, arrow)
    facts = [
        ("Balance", f"{money(figures['balance'], signed=True)} ({group_rank(g)})"),
        (f"Share of {balance_of(total_label)}", percent(g.share)),
        ("Kind", f"{g.kind} ({g.source}), {g.member_count} members"),
    ]
    if g.note:
        facts.append(("Members", g.note))
    title = f"{g.name} · {g.kind} · {period.label}"
    listed = f"Members at the end of {period.label}" if changes else f"Members, {period.label}"
    members = Table(member_columns(), g.members, f"{listed} (share: of the group's balance)",
                    list(changes or []), name="members", context=context_of(period.label, release))
    chapters = _chapters_table(g.chapters, g.sector_year, chapters_release, chapters_note, chapters_period)
    rest = [_history_table(history, period, history_note), members] + ([chapters] if chapters else [])
    record = {"code": g.code, "name": g.name, "kind": g.kind, "members": g.member_count, **figures,
              "share": g.share, "rank": g.rank, "ranked": g.ranked, "ranked_among": ranked_among(g),
              "release": release}
    columns = [*FACT_COLUMNS[:2], Column("kind", "kind"), Column("members", "members", "int"), *FACT_COLUMNS[2:],
               Column("ranked_among", "ranked_among"), Column("release", "release")]
    data = {k: plain(v) for k, v in record.items()}
    data["basis"] = BASIS
    data["change_words"] = change_words(figures["balance"], figures["prev_balance"])
    data["history"] = plain_records(history)
    data["member_list"] = plain_records([{k: r.get(k) for k in ("rank", "code", "iso", "name", "exports", "imports",
                                                                 "balance", "change", "share")} for r in g.members])
    if chapters is not None:
        data.update(_chapters_data(chapters, g.sector_year, chapters_release, chapters_note, chapters_period))
    return Document("group", period.key, period.label,
                    [Table(columns, [record], name="figures", context={"basis": BASIS}), *rest], release,
                    subject=g.name, title=title, data=data,
                    text=_facts_text(title, facts, comparison_table(figures), said, rest), notes=[release], lead=said,
                    markdown_tables=[comparison_table(figures), _facts_markdown_table(facts), *rest])


def months_document(name: str, period: Period, rows: list[dict], release: str) -> Document:
    """A place's months in a period, each against the same month a year earlier: `tradegap months`."""
    title = f"{name} · months of {period.label}"
    notes = ["A year earlier: the balance of the same month a year before; % change: of the deficit's or "
             "surplus's size", release]
    context = context_of(None, release)  # each row names its month
    return Document("months", period.key, period.label, [Table(month_columns(), rows, title, notes, context=context)],
                    release, subject=name, title=title,
                    data=plain_records(_pick(rows, [c.key for c in month_columns()], context)))


# ---------------------------------------------------------------- a comparison


def compare_document(figures: list[dict], histories: list[dict], matrix: ChapterMatrix | None, *, period: Period,
                     world: float | None, release: str, chapters_release: str = "", history_note: str = "",
                     chapters_only: bool = False, total_label: str = "US total", chapters_note: str = "",
                     chapters_period: str = "") -> Document:
    """Partners and groups side by side, their balances by year, and (with matrix) the chapter matrix.

    histories: each row with its year's release (with_releases); history_note: the releases of its years
    (history_releases); total_label: what the US total of the period is (releases.us_total_label);
    chapters_release, chapters_note: where the matrix's chapters come from (chapters_releases)."""
    names = [row["name"] for row in figures]
    codes = [row["code"] for row in figures]
    title = f"{' vs '.join(names)} · {period.label}"
    context = context_of(period.label, release)
    figures_table = Table(compare_columns(f"vs {period.previous.label}"), figures, title,
                          [f"Share: of the {balance_of(total_label)} ({money(world, signed=True)} in {period.label}); "
                           "% change: of the deficit's or surplus's size"], name="figures", context=context,
                          ids=("code",))  # the code names each place's columns in the history and chapters
    history_columns_ = [Column("year", "Year", "int")] + [Column(code, f"{name} balance", "signed")
                                                          for code, name in zip(codes, names, strict=True)]
    history = Table(history_columns_, histories[-10:], "Balance by year", [history_note] if history_note else [],
                    name="history", context={"basis": BASIS}, row_context=("release",))
    tables = [figures_table, history]
    data: dict = {"period": period.label, "basis": BASIS, "figures": plain_records([{**r, **context} for r in figures]),
                  "history": plain_records(histories)}
    if matrix is not None:
        since = str(matrix.previous_year) if matrix.previous_year is not None else None
        span = chapters_period or str(matrix.year)
        chapter_table = Table(chapter_matrix_columns(matrix.codes, names, share_change=since), matrix.rows,
                              f"Top HS chapters of their exports to the US, {span}",
                              ["Imports: US general imports from each; share: of all US imports of the chapter"
                               + (f"; pts: the share's change since {since}" if since else ""),
                               f"HS chapters: {chapters_release}" + (f" · {chapters_note}" if chapters_note else "")
                               if chapters_release else ""],
                              # each code its columns are named by, and whose it is: the CSV may hold this table alone
                              name="chapters", context={**{f"name_{code}": name for code, name in
                                                           zip(matrix.codes, names, strict=True)},
                                                        **chapters_context(span, chapters_release,
                                                                           chapters_note)})
        chapter_table.notes = [n for n in chapter_table.notes if n]
        tables = [chapter_table] if chapters_only else [*tables, chapter_table]
        data["chapters_year"] = matrix.year
        data["chapters_period"] = span
        data["chapters_release"] = chapters_release
        data["chapters_note"] = chapters_note
        data["chapters"] = plain_records(matrix.rows)
    subject = "-".join(names)
    return Document("compare", period.key, period.label, tables, release, subject=subject, title=title, data=data,
                    notes=[f"Figures of {period.label}: {release}"])


# ---------------------------------------------------------------- the notes a document carries, from the data


#: what the rows of a list restricted to a group cover: each member's whole period, not the group's months
WHOLE_PERIOD_ROWS = "each member's row here is its whole period"
#: the same of a group's detail, whose list is of the members at the period's end
MEMBER_ROWS = "the members listed are those at its end, each row its whole period"


def membership_changes(catalog: Catalog, group: str | None, period: Period, *, rows: str = "") -> list[str]:
    """A line naming the members that joined or left a group during the period, whose figures the group
    counts for their months of membership only ([] for no group, or no change). rows: what the members'
    rows shown beside it cover when the group began during the period ("" for the group's months too)."""
    if group is None:
        return []
    from tui.trade.catalog import month_label

    chosen = catalog.groups[group]
    began = chosen.started_in(period)
    lines = [f"{chosen.name} began in {month_label(chosen.since)}, so its figures for {period.label} are "
             f"{chosen.months_in(period)} only" + (f"; {rows}" if rows else "")] if began else []
    changes = [f"{catalog.name_of(member)} {'from' if what == 'joined' else 'until'} {month_label(month)}"
               for member, what, month in chosen.changes_in(period)
               if not (began and what == "joined" and month == chosen.since)]  # its founders: said above
    if changes:
        lines.append(f"{chosen.name}'s members changed during {period.label} ({'; '.join(changes)}): its figures "
                     f"count each member for its months of membership" + (f"; {rows}" if rows else ""))
    return lines


def _history_periods(ds: Dataset, history: list[dict]) -> list[Period]:
    from tui.trade.periods import Period, parse_period

    periods = []
    for row in history:
        year, _, months = str(row["year"]).partition(" ")
        periods.append(Period(int(year)) if not months else parse_period(ds, _period_key(str(row["year"]))))
    return periods


def history_releases(ds: Dataset, history: list[dict], separator: str = " · ") -> str:
    """The releases of a history's years ('Figures: 2017-2021: Census country file of April 2025 · ...');
    separator: between the runs of years (the app's, " | " on a terminal without Unicode)."""
    from tui.trade.releases import releases_by_years

    runs = releases_by_years(ds, _history_periods(ds, history))
    return "Figures: " + separator.join(f"{years}: {label}" for years, label in runs)


def with_releases(ds: Dataset, history: list[dict]) -> list[dict]:
    """A history's rows, each with the release its figures come from (by its "year": a year, or the label of a
    period such as '2026 Jan-Aug')."""
    from tui.trade.releases import release_of

    return [{**row, "release": release_of(ds, period)} for row, period in zip(history, _history_periods(ds, history),
                                                                             strict=True)]


def _period_key(label: str) -> str:
    """A history row's label of a period that is not a full year ('2026 Jan-Aug', '2026 Mar') as a --year."""
    from tui.trade.periods import MONTH_ABBRS

    year, _, months = label.partition(" ")
    abbr = {name: number for number, name in enumerate(MONTH_ABBRS) if name}
    first, _, last = months.partition("-")
    if last:
        return f"{year}-ytd{abbr[last]}"
    return f"{year}-{abbr[first]:02d}"


def chapters_releases(ds: Dataset, year: int | None) -> tuple[str, str]:
    """(release, note) of the top chapters a partner's or group's detail shows from sector `year` (None: it
    shows none): the release they come from (releases.sector_release_of) and, when it is not the totals',
    what that means for them (releases.chapters_note)."""
    from tui.trade.releases import chapters_note, sector_release_of

    if year is None:
        return "", ""
    return sector_release_of(ds, year), chapters_note(ds, year)


def chapters_span(ds: Dataset, year: int | None) -> str:
    """The months the chapters of sector `year` cover (releases.sector_label); '' for none."""
    from tui.trade.releases import sector_label

    return "" if year is None else sector_label(ds, year)


def partner_detail(ds: Dataset, summary: PartnerSummary, figures: dict, history: list[dict],
                   arrow: str = "→") -> Document:
    """partner_document with every note the data gives it: the US total's label, the releases of the
    history's years and of the chapters. The command line's `show` and the app's export of a detail."""
    from tui.trade.releases import release_of, us_total_label

    period = summary.period
    chapters_release, chapters_note = chapters_releases(
        ds, summary.sector_year if summary.chapters is not None else None)
    return partner_document(summary, figures, with_releases(ds, history), release_of(ds, period), arrow,
                            total_label=us_total_label(ds, period), history_note=history_releases(ds, history),
                            chapters_release=chapters_release, chapters_note=chapters_note,
                            chapters_period=chapters_span(ds, summary.sector_year))


def group_detail(ds: Dataset, summary: GroupSummary, history: list[dict], arrow: str = "→") -> Document:
    """group_document with the US total's label, the members that joined or left during the period and the
    release of the chapters. The command line's `show --group` and the app's export of a group's detail."""
    from tui.trade.releases import release_of, us_total_label

    period = summary.period
    chapters_release, chapters_note = chapters_releases(
        ds, summary.sector_year if summary.chapters is not None else None)
    return group_document(summary, with_releases(ds, history), release_of(ds, period), arrow,
                          total_label=us_total_label(ds, period), history_note=history_releases(ds, history),
                          changes=membership_changes(ds.catalog, summary.code, period, rows=MEMBER_ROWS),
                          chapters_release=chapters_release, chapters_note=chapters_note,
                          chapters_period=chapters_span(ds, summary.sector_year))
