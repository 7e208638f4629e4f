"""SOURCES.md: the provenance, transformations, checks and differences of a build.

The prose is the template templates/SOURCES.md.tmpl (string.Template: $name is
replaced, $$ is a dollar sign); this module computes the values and tables it names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from string import Template
from typing import Any

from tui.pipeline import assemble, sources
from tui.pipeline import checks as checks_module
from tui.pipeline.checks import Check
from tui.pipeline.curation import Curation
from tui.trade.periods import MONTH_ABBRS, MONTH_NAMES

TEMPLATE_PATH = Path(__file__).resolve().parent / "templates" / "SOURCES.md.tmpl"


def markdown_table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(str(value) for value in row) + " |" for row in rows]
    return "\n".join(lines)


def bullet_lines(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _month_text(month: str) -> str:
    """'2016-07' -> 'Jul 2016'; '' stays ''."""
    if not month:
        return ""
    return f"{MONTH_ABBRS[int(month[5:7])]} {month[:4]}"


def render_sources_markdown(checks: list[Check], facts: dict[str, Any], curation: Curation) -> str:
    """SOURCES.md of a build, from its checks and facts (partners, latest, file_rows, alternatives, alternative_years,
    census_members)."""
    by_name = {check.name: check for check in checks}
    names = facts["partners"].set_index("code")["name"].to_dict()
    latest_year, latest_month = facts["latest"]
    rows = facts["file_rows"]
    groups = by_name["groups vs Census aggregates"]
    world = by_name["WORLD vs Census world (0015)"]
    sectors = by_name["sectors vs partner totals"]
    hs_aggregates = by_name["HS-file aggregates vs member sums"]

    merged_rows = [[f"`{old}`", f"`{new}` {names[new]}", facts["alternative_years"].get(old, "")]
                   for old, new in sorted(facts["alternatives"].items())]
    latest = (latest_year, latest_month)
    bloc_rows = []
    for code, bloc in curation.blocs.items():
        today = assemble.today_codes(bloc, latest)
        membership = ("members of each month" if bloc.membership == "dated"
                      else f"today's members ({latest_year}-{latest_month:02d}) in every period")
        bloc_rows.append([f"`{code}`", bloc.name, membership, _month_text(bloc.since) or "before 1985",
                          len(today), ", ".join(sorted(names[c] for c in today)), bloc.source])
        if bloc.today is not None:
            bloc_rows.append([f"`{bloc.today[0]}`", bloc.today[1],
                              f"today's members ({latest_year}-{latest_month:02d}) in every period", "before 1985",
                              len(today), "as above", f"the members of `{code}` in {latest_year}-{latest_month:02d}"])
    dated_rows = [[f"`{code}`", span.name, _month_text(span.start) or "before 1985", _month_text(span.end) or "",
                   span.source]
                  for code, bloc in curation.blocs.items() if bloc.membership == "dated" for span in bloc.spans
                  if span.start or span.end or code in ("ASEAN", "OPEC", "BRICS", "MERCOSUR", "USMCA")]
    eu_rows = [[span.name, _month_text(span.start), _month_text(span.end), span.source]
               for span in curation.census_aggregates["0003"].spans]
    opec = by_name["OPEC vs Census's OPEC series"]
    opec_rows = [[row["year"], f"{row['census'][0]:,.1f}", f"{row['bloc'][0]:,.1f}",
                  f"{row['relative']['exports'] * 100:+.2f}%", f"{row['census'][1]:,.1f}", f"{row['bloc'][1]:,.1f}",
                  f"{row['relative']['imports'] * 100:+.2f}%",
                  (f"{row['today']['exports'] * 100:+.1f}% / {row['today']['imports'] * 100:+.1f}%"
                   if row["today"] else ""), row["why"] or ""]
                 for row in opec.data["rows"]]
    note_rows = [[f"`{code}`", names.get(code, ""), f"{first}" if first == last else f"{first}-{last}", note, source]
                 for code, (first, last, note, source) in sorted(curation.partner_notes.items())]
    block_continents = {"1": "North America", "2": "Central America & Caribbean", "3": "South America",
                        "4": "Europe", "5": "Asia", "6": "Oceania", "7": "Africa"}
    continent_rows = [[f"`{code}`", names.get(code, ""), f"{code[0]}xxx ({block_continents.get(code[0], '')})",
                       continent] for code, continent in sorted(curation.continents.items())
                      if block_continents.get(code[0]) != continent and code[0] != "2"]
    residual = curation.world_total["residual"]
    annual = facts["annual"]
    residual_rows = [[int(row["year"]), f"{row['exports'] / 10:,.1f}", f"{row['imports'] / 10:,.1f}"]
                     for _, row in annual[annual["code"] == residual["code"]].iterrows()]
    world_basis = facts["world_total"]
    aggregate_rows = [[f"`{group}`", names[group], len(codes), curation.census_aggregates[group].note]
                      for group, codes in sorted(facts["census_members"].items())]
    dataweb_rows = [[name, f"`{code}`", names[code]] for name, code in sorted(curation.dataweb_names.items())]

    world_by_span: dict[str, dict[str, tuple[float, float, float]]] = {}
    for span, flow, got, reference, relative in world.data["rows"]:
        world_by_span.setdefault(span, {})[flow] = (got / 10, reference / 10, relative)
    world_rows = [[span, f"{v['exports'][0]:,.1f}", f"{v['exports'][1]:,.1f}", f"{v['exports'][2] * 100:+.2f}%",
                   f"{v['imports'][0]:,.1f}", f"{v['imports'][1]:,.1f}", f"{v['imports'][2] * 100:+.2f}%"]
                  for span, v in world_by_span.items()]

    stats = sectors.data["stats"]
    sector_rows = [[flow, year, f"{chapters:,.1f}", f"{total:,.1f}", f"{(chapters - total) / total * 100:+.2f}%"]
                   for flow, v in stats.items() for year, (chapters, total) in sorted(v["totals"].items())]
    flow_lines = [f"{flow}: largest absolute difference {v['max_abs']:,.1f} $M; 95% of partner-years with totals "
                  f"above $100M are within {v['p95_rel'] * 100:.2f}%; tolerance {v['rel'] * 100:g}% + ${v['abs']:g}M, "
                  f"{v['n_out']} of {v['n']} partner-years outside it, all explained below."
                  for flow, v in stats.items()]
    revised_lines = [f"{names[e['code']]} (`{e['code']}`) {e['year']} {e['flow']}: chapters {e['chapters']:,.1f}, "
                     f"April 2025 release {e['prior']:,.1f}, shipped total {e['total']:,.1f}"
                     for e in sectors.data["revised"]]
    explained_lines = [f"{names[e['code']]} (`{e['code']}`) {e['year']} {e['flow']}: chapters {e['chapters']:,.1f} "
                       f"vs total {e['total']:,.1f}: {e['why']}" for e in sectors.data["explained"]]
    hs_rows = [[f"`{census_code}`", f"`{code}`", year, f"{got:,.1f}", f"{census:,.1f}", f"{relative * 100:+.3f}%"]
               for census_code, code, year, got, census, relative in hs_aggregates.data["rows"]]

    imports_relative, imports_absolute = checks_module.SECTOR_TOLERANCE["imports"]
    exports_relative, exports_absolute = checks_module.SECTOR_TOLERANCE["exports"]
    values = dict(
        rows_partners=rows["partners.csv"], rows_trade_monthly=rows["trade_monthly.csv"],
        rows_trade_annual=rows["trade_annual.csv"], rows_groups=rows["groups.csv"],
        rows_group_members=rows["group_members.csv"], rows_sectors=rows["sectors.csv"],
        rows_chapters=rows["chapters.csv"], rows_period_totals=rows.get("period_totals.csv", 0),
        latest_year=latest_year, latest_month=latest_month, latest_year_month=f"{latest_year}-{latest_month:02d}",
        latest_month_name=MONTH_NAMES[latest_month], previous_year=latest_year - 1,
        country_csv_file=sources.COUNTRY_CSV_FILE, hs_imports_file=sources.HS_IMPORTS_FILE,
        dataweb_exports_file=sources.DATAWEB_EXPORTS_FILE, partners_file=sources.PARTNERS_FILE,
        schedule_c_file=sources.SCHEDULE_C_FILE,
        release_1985_2021=curation.releases["1985-2021"], release_2022_2025=curation.releases["2022-2025"],
        release_2026=curation.releases["2026"],
        sector_release_imports=curation.sector_releases["imports 2023-2024"],
        sector_release_exports=curation.sector_releases["exports 2023-2024"],
        merged_codes_table=markdown_table(["Census code", "merged into", "years the old code has data"], merged_rows),
        blocs_table=markdown_table(["code", "name", "membership", "since", "n today", "today's members", "source"],
                                   bloc_rows),
        memberships_table=markdown_table(["bloc", "member", "from", "until", "source"], dated_rows),
        eu_members_table=markdown_table(["member", "from", "until", "source"], eu_rows),
        opec_table=markdown_table(["year", "exports Census", "exports OPEC", "diff", "imports Census", "imports OPEC",
                                   "diff", "today's members: diff (exports / imports)", "explanation"], opec_rows),
        result_opec=opec.summary,
        opec_tolerance_percent=f"{opec.data['tol'] * 100:g}",
        partner_notes_table=markdown_table(["code", "name", "years", "note", "source"], note_rows),
        continent_exceptions_table=markdown_table(["code", "name", "Census code block", "continent"], continent_rows),
        residual_code=residual["code"], residual_name=residual["name"],
        residual_table=markdown_table(["year", "exports", "imports"], residual_rows),
        all_partners_from=world_basis["all_partners_from"],
        census_world_years=world_basis["census_world_total"] or "none",
        partners_covered_years=world_basis["partners_covered"] or "none",
        seasonally_adjusted_file=sources.SEASONALLY_ADJUSTED_FILE,
        census_aggregates_table=markdown_table(["code", "name", "members", "rule"], aggregate_rows),
        dataweb_names_table=markdown_table(["DataWeb name", "Census code", "tradegap name"], dataweb_rows),
        result_balance=by_name["balance"].summary,
        result_month_sums_csv=by_name["month sums CSV 1985-2021"].summary,
        result_month_sums_json=by_name["month sums JSON 2022-2026"].summary,
        result_month_sums_output=by_name["month sums output partners"].summary,
        result_month_sums_groups=by_name["month sums output (groups, info)"].summary,
        result_partners_table=by_name["partners table"].summary,
        result_codes_known=by_name["codes known"].summary,
        result_groups=groups.summary, result_world=world.summary, result_sectors=sectors.summary,
        result_hs_aggregates=hs_aggregates.summary,
        result_reference_figures=by_name["reference figures"].summary,
        result_period_totals=by_name["period totals"].summary if "period totals" in by_name else "",
        group_tolerance_percent=f"{checks_module.GROUP_RELATIVE_TOLERANCE * 100:g}",
        group_strict_from=checks_module.GROUP_STRICT_FROM,
        group_worst_recent=f"{groups.data['worst_recent'] * 100:.3f}",
        group_notes=bullet_lines(groups.notes),
        world_strict_from=checks_module.WORLD_STRICT_FROM,
        world_tolerance_percent=f"{checks_module.WORLD_RELATIVE_TOLERANCE * 100:g}",
        world_table=markdown_table(["year", "exports WORLD", "exports 0015", "diff", "imports WORLD", "imports 0015",
                                    "diff"], world_rows),
        sector_imports_relative=f"{imports_relative * 100:g}", sector_imports_absolute=f"{imports_absolute:g}",
        sector_exports_relative=f"{exports_relative * 100:g}", sector_exports_absolute=f"{exports_absolute:g}",
        sector_totals_table=markdown_table(["flow", "year", "sum of chapters, all partners", "partner totals", "diff"],
                                           sector_rows),
        sector_flow_lines=bullet_lines(flow_lines),
        sector_revised_lines=bullet_lines(revised_lines),
        sector_explained_lines=bullet_lines(explained_lines),
        hs_tolerance_percent=f"{checks_module.HS_AGGREGATE_RELATIVE_TOLERANCE * 100:g}",
        hs_aggregates_table=markdown_table(["HS code", "tradegap code", "year", "member sum", "Census", "diff"],
                                           hs_rows),
    )
    template = Template(TEMPLATE_PATH.read_text(encoding="utf-8"))
    return template.substitute(values)
