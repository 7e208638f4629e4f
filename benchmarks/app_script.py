"""What tradegap's app must show after each key, computed from the domain layer.

The terminal benchmarks wait for these markers. Every marker that says
"the data is there" is a figure computed here with tui.trade on the same
dataset the app loads and formatted as the app formats it (e.g. the first
ranked partner's balance, the number of rows in the status line, a row only
a filter's list has), so a marker can only appear once the app has really
computed and drawn that data. Chart markers are the charts' titles, which plotext writes
into the chart's canvas: they appear only once the chart itself is drawn.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.terminal import Expect

ROOT = Path(__file__).resolve().parent.parent
WIDE = (160, 48)  # the app's wide layout (150+ columns): the detail's three charts side by side
CHART_CORNER = "┌"  # plotext's frame
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass
class Step:
    """Keys to send, and what the screen shows once they have done their work."""

    keys: tuple[str, ...]
    expect: Expect
    literal: bool = False  # send the keys as typed text rather than key names


@dataclass
class Scenario:
    name: str
    action: Step
    target: float  # seconds
    setup: list[Step] = field(default_factory=list)
    size: tuple[int, int] | None = None  # the terminal size when not the default
    program: str = "tradegap"  # or "hello": the reference, reported for information


@dataclass
class AppScript:
    ready: Expect  # the first paint: the first ranked partner row and the status line, with data
    scenarios: list[Scenario]
    tour: list[Step]  # every screen, for the peak memory run
    first_key: Step  # a key sent the moment the first paint is seen: when does the app answer it?
    data_key: Step  # a key that needs the full dataset, sent while it loads: answered once it is in
    list_key: Step  # a key of the Partners list, sent while the dataset loads: answered at once


def load(log=print) -> AppScript | None:
    if not (ROOT / "tui" / "app.py").exists():
        log("  tui/app.py is not there: tradegap's app is not measured")
        return None
    from tui.trade import load_dataset

    with tempfile.TemporaryDirectory(prefix="tradegap-bench-cache-") as cache:
        ds = load_dataset(cache_dir=Path(cache))
    return script(ds)


def _partners_marks(ranking, *, extra: tuple[str, ...] = (), cursor: str | None = None,
                    count: bool = True) -> tuple[str, ...]:
    """The cursor's row (name, balance) and the status line's count of a ranking.

    At 120 columns the status line keeps the filters and the basis of the figures and drops what does
    not fit from the end of the rest (fit_status): the sort, the US total, the sum of rows (with the
    latest period's labels), and with a group's long name the count too (count=False leaves it out).

    The table keeps its cursor on the same partner when the rows change and scrolls to it, so the
    row on screen for certain is the cursor's (the first row when that partner is not in the ranking).
    """
    from tui.trade import money

    n = len(ranking)
    rows = ranking[ranking["code"] == cursor] if cursor is not None else ranking.iloc[:0]
    first = rows.iloc[0] if len(rows) else ranking.iloc[0]
    return (
        str(first["name"]),
        money(first["balance"], signed=True),
        *([f"{n} partner{'s' if n != 1 else ''}"] if count else []),
        *extra,
    )


def _search(ranking, query: str, catalog):
    """The app's partner search: the rows the lookup finds (tui.trade.lookup.search), best first."""
    from tui.trade.lookup import search

    codes = [m.code for m in search(catalog, query, groups=False) if m.code in set(ranking["code"])]
    return ranking.set_index("code", drop=False).loc[codes].reset_index(drop=True)


def script(ds) -> AppScript:
    from tui.trade import WORLD, money, rank_chapters, rank_groups, rank_partners, sector_year

    latest = ds.latest
    first = rank_partners(ds, latest)
    ready = Expect(_partners_marks(first))
    top = first.iloc[0]

    previous = ds.periods()[-2]
    year_before = rank_partners(ds, previous)
    by_name = rank_partners(ds, latest, sort="name")

    group_code = "ASEAN" if "ASEAN" in ds.groups.index else str(ds.groups.index[0])
    group_name = str(ds.groups.at[group_code, "name"])
    in_group = rank_partners(ds, latest, group=group_code, view="all")

    query = "chin" if len(_search(first, "chin", ds.catalog)) else str(top["name"])[:4].lower()
    typed, last = query[:-1], query[-1]
    found = _search(first, query, ds.catalog)
    found_before = _search(first, typed, ds.catalog)

    regions = rank_groups(ds, latest)
    s_year = sector_year(ds, latest.year)
    chapters = rank_chapters(ds, s_year, WORLD)
    top_chapter = int(chapters.iloc[0]["chapter"])

    detail_marks = (f"{top['name']} ({top['iso']})", f"Balance {money(top['balance'], signed=True)}", "Balance by year")
    # Each drawn chart has a frame; its top-left corner is on screen once the chart is drawn (and in view).
    # At 120x40 the first chart and the top of the second are in view; the wide layout shows all three,
    # and the monthly chart's last label is the latest month of data.
    newest_month = f"{MONTHS[latest.months - 1]} {latest.year}"
    charts_visible = {CHART_CORNER: 2}
    all_charts = {CHART_CORNER: 3}

    cursor = str(top["code"])  # where the cursor is on the first screen
    year = Step(("[",), Expect(_partners_marks(year_before, cursor=cursor)))
    # the sorted column's arrow: the status line may leave "by name" out when it does not fit
    sort = Step(("s",), Expect(_partners_marks(by_name, extra=("Partner ▲",), cursor=cursor)))
    group_setup = [
        Step(("g",), Expect("Group: " + group_name)),
        Step((group_name,), Expect(f"Group: {group_name} (", none_of=tuple(
            f"Group: {n} (" for n in ds.groups["name"] if group_name.lower() not in str(n).lower())[:3]), literal=True),
    ]
    # a member the list before had no row for (a surplus, in a list of deficits), its name short enough to be
    # shown whole: the group's list is drawn
    only_in_group = [name for name in in_group["name"] if name not in set(first["name"]) and len(name) <= 14][:1]
    group = Step(("Enter",), Expect((group_name, *_partners_marks(in_group, cursor=cursor, count=not only_in_group),
                                     *only_in_group), none_of=("Group: ",)))
    search_setup = [
        Step(("/",), Expect("Search by name or code")),
        Step((typed,), Expect((f"matching '{typed}'", *_partners_marks(found_before)[2:])), literal=True),
    ]
    search = Step((last,), Expect((f"matching '{query}'", *_partners_marks(found)[2:])), literal=True)
    detail = Step(("Enter",), Expect(detail_marks, at_least=charts_visible))
    detail_wide = Step(("Enter",), Expect((*detail_marks, newest_month), at_least=all_charts))
    regions_tab = Step(("2",), Expect((f"{len(regions)} regions and blocs", "Balance by region or bloc")))
    sectors_tab = Step(("3",), Expect((f"sectors {s_year}", f"{len(chapters)} chapters", "Largest chapter balances")))

    scenarios = [
        Scenario("year change ([)", year, 0.050),
        Scenario("sort (s)", sort, 0.050),
        Scenario(f"group filter (Enter on '{group_name}' in g)", group, 0.050, setup=group_setup),
        Scenario(f"search typing ('{last}' after '/{typed}')", search, 0.050, setup=search_setup),
        Scenario("Regions tab (2)", regions_tab, 0.050),
        Scenario("Sectors tab (3)", sectors_tab, 0.050),
        Scenario("detail (Enter), charts in view drawn, 120x40", detail, 0.150),
        Scenario(f"detail (Enter), all 3 charts drawn, {WIDE[0]}x{WIDE[1]}", detail_wide, 0.150, size=WIDE),
    ]
    tour = [
        detail,
        Step(("End",), Expect("Balance by month")),  # scroll: the third chart is drawn when it comes into view
        Step(("b",), ready),
        year,
        Step(("l",), ready),
        *search_setup,
        search,
        Step(("Escape",), ready),
        *group_setup,
        group,
        Step(("G",), Expect(_partners_marks(rank_partners(ds, latest, view="all")))),
        regions_tab,
        sectors_tab,
        Step(("Enter",), Expect(f"HS {top_chapter:02d}: largest partner balances")),
        Step(("b",), Expect(f"{len(chapters)} chapters")),
        Step(("?",), Expect("Every key that works here"), literal=True),
        Step(("Escape",), Expect(f"{len(chapters)} chapters", none_of=("Every key that works here",))),
    ]
    # Regions is drawn from the first screen's totals, but its chart needs plotext, loaded in the background;
    # Sectors needs the full dataset's HS chapters
    return AppScript(ready, scenarios, tour, first_key=regions_tab, data_key=sectors_tab, list_key=sort)
