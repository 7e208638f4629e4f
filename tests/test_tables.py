"""RankTable through Pilot: rows, cursor, keys, mouse, messages, columns dropped by priority, styles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from textual import on
from textual.app import App, ComposeResult
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip

import tui.widgets.table as table_module
from tui.columns import cell, partner_columns
from tui.widgets.table import RankTable, fit_columns, truncate

NAMES = [
    "Vietnam", "Mexico", "Taiwan", "China", "Thailand", "Bosnia and Herzegovina",
    "Saint Vincent and the Grenadines", "Korea, South", "Germany", "Japan", "Ireland", "Italy", "Switzerland",
    "India", "Malaysia", "Canada", "Austria", "Indonesia", "Cambodia", "Slovenia", "Israel", "Hungary", "Sweden",
    "Denmark", "Lithuania", "Finland", "Portugal", "Czech Republic", "Russia", "Romania",
]


def records() -> list[dict]:
    rows = []
    for i, name in enumerate(NAMES):
        balance = -180_000.0 / (i + 1)
        rows.append({"code": f"{5000 + i}", "rank": i + 1, "iso": name[:3].upper(), "name": name,
                     "continent": "Somewhere", "exports": 10_000.0 + 137 * i, "imports": 10_000.0 + 137 * i - balance,
                     "balance": balance, "prev_balance": balance * 0.9, "change": balance * 0.1,
                     "share": 100 / (i + 2)})
    return rows


WIDE = partner_columns("vs 2025", previous="2025 Jan-Aug", continent=True, name_width=30)


class Host(App):
    CSS = "RankTable { height: 1fr; }"

    def __init__(self, columns=WIDE, rows=None, ascii: bool | None = None) -> None:
        super().__init__()
        self.columns, self.rows, self.ascii_flag = columns, rows if rows is not None else records(), ascii
        self.selected: list[tuple[str, int]] = []
        self.highlighted: list[tuple[str, int]] = []

    def compose(self) -> ComposeResult:
        yield RankTable(id="t", ascii=self.ascii_flag)

    def on_mount(self) -> None:
        table = self.query_one(RankTable)
        table.set_data(self.columns, self.rows, "code")
        table.focus()

    @on(RankTable.RowSelected, "#t")
    def _selected(self, event: RankTable.RowSelected) -> None:
        self.selected.append((event.key, event.cursor_row))

    @on(RankTable.RowHighlighted, "#t")
    def _highlighted(self, event: RankTable.RowHighlighted) -> None:
        self.highlighted.append((event.key, event.cursor_row))


def strips(table: RankTable) -> list[Strip]:
    return table.render_lines(Region(0, 0, table.size.width, table.size.height))


def lines(table: RankTable) -> list[str]:
    return [strip.text for strip in strips(table)]


def background(strip: Strip, x: int = 1):
    """The background colour of the cell at x."""
    for segment in strip.crop(x, x + 1):
        return segment.style.bgcolor if segment.style else None


async def test_rows_and_a_header_with_right_aligned_numeric_titles():
    app = Host()
    async with app.run_test(size=(150, 20)) as pilot:
        await pilot.pause()
        table = app.query_one(RankTable)
        shown = lines(table)
        header, first = shown[0], shown[1]
        for column in WIDE:
            assert column.title in header
        assert "Vietnam" in first and cell(-180_000.0, "signed") in first and "-$180.0B" in first
        # numbers end where their titles end; text starts where its title starts
        assert header.index("Balance") + len("Balance") == first.index("-$180.0B") + len("-$180.0B")
        assert header.index("Partner") == first.index("Vietnam")
        assert len(shown) == 20 and all(NAMES[i][:20] in shown[i + 1] for i in range(19))
        assert table.keys == [r["code"] for r in records()] and table.current_key == "5000"
        assert app.highlighted == [("5000", 0)]


async def test_keys_move_the_cursor_and_enter_selects_the_key():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        await pilot.press("down", "j", "j", "k")
        assert table.cursor_row == 2 and table.current_key == "5002"
        assert [key for key, _ in app.highlighted] == ["5000", "5001", "5002", "5003", "5002"]
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == [("5002", 2)]
        await pilot.press("end")
        assert table.cursor_row == len(NAMES) - 1
        shown = lines(table)
        assert "Partner" in shown[0]  # the header stays on top
        assert NAMES[-1] in shown[-1]  # the cursor row was scrolled into view
        await pilot.press("home")
        assert table.cursor_row == 0 and NAMES[0] in lines(table)[1]
        await pilot.press("pagedown")
        visible = table.size.height - 1
        assert table.cursor_row == visible
        assert any(NAMES[visible] in line for line in lines(table)[1:])
        await pilot.press("pageup", "up")
        assert table.cursor_row == 0


async def test_a_click_highlights_a_row_and_a_second_click_opens_it():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        await pilot.click(RankTable, offset=(10, 3))  # line 3: the header, then rows 0, 1, 2
        assert table.cursor_row == 2 and app.selected == []
        await pilot.click(RankTable, offset=(10, 3))
        await pilot.pause()
        assert app.selected == [("5002", 2)]
        await pilot.click(RankTable, offset=(10, 0))  # the header: nothing
        await pilot.pause()
        assert table.cursor_row == 2 and len(app.selected) == 1


async def test_columns_are_dropped_by_priority_never_cut_and_come_back():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        await pilot.pause()
        assert [c.key for c in table.shown_columns] == [c.key for c in WIDE]
        seen = {}
        for width in (100, 80, 60, 40):
            await pilot.resize_terminal(width, 12)
            await pilot.pause()
            shown = table.shown_columns
            seen[width] = [c.key for c in shown]
            for line in lines(table):
                assert len(line.rstrip()) <= width
            for row, line in zip(records(), lines(table)[1:], strict=False):
                for column in shown:
                    if column.right:  # every number shown whole
                        assert cell(row[column.key], column.kind) in line, (width, column.key, line)
            assert "name" in seen[width] and "balance" in seen[width]
        # the lowest priority first: the continent, the previous balance, then the share and the change
        assert seen[100] == [c.key for c in WIDE if c.key != "continent"]
        assert seen[80] == [c.key for c in WIDE if c.key not in ("continent", "prev_balance")]
        assert seen[60] == ["rank", "iso", "name", "exports", "imports", "balance"]
        assert seen[40] == ["rank", "iso", "name", "balance"]
        # narrowed to its minimum, the name ends in an ellipsis
        saint = next(line for line in lines(table) if "Saint" in line)
        assert "Saint Vincent and the Grenadines" not in saint and "…" in saint
        await pilot.resize_terminal(150, 12)
        await pilot.pause()
        assert [c.key for c in table.shown_columns] == [c.key for c in WIDE]
        assert any("Saint Vincent and the Grenadines"[:29] in line for line in lines(table))


async def test_ascii_mode_cuts_names_with_three_dots():
    app = Host(columns=partner_columns("vs 2025", name_width=14), ascii=True)
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        text = "\n".join(lines(app.query_one(RankTable)))
        assert "Bosnia and... " in text and text.isascii()


async def test_set_data_keeps_the_cursor_on_the_same_key():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        await pilot.press("j", "j", "j")
        assert table.current_key == "5003"
        table.set_data(WIDE, list(reversed(records())), "code")
        await pilot.pause()
        assert table.current_key == "5003" and table.cursor_row == len(NAMES) - 4
        assert any("China" in line for line in lines(table)[1:])  # scrolled to where it went
        messages = len(app.highlighted)
        table.set_data(WIDE, list(reversed(records())), "code")  # the same rows: nothing moves or is said
        await pilot.pause()
        assert len(app.highlighted) == messages
        table.set_data(WIDE, [r for r in records() if r["code"] != "5003"], "code")
        await pilot.pause()
        assert table.cursor_row == 0 and table.current_key == "5000"
        assert app.highlighted[-1] == ("5000", 0)
        table.set_data(WIDE, [], "code")
        await pilot.press("j", "enter")
        await pilot.pause()
        assert table.current_key is None and app.selected == []
        assert "Partner" in lines(table)[0] and NAMES[0] not in "".join(lines(table))  # the header, no rows


async def test_new_data_shows_the_top_rows_when_the_kept_row_is_among_them():
    """After a change of year the row kept under the cursor may move up: the ranks above it stay in view."""
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        await pilot.press("end")
        await pilot.pause()
        assert table.scroll_offset.y > 0 and table.current_key == "5029"
        moved = records()
        moved.insert(2, moved.pop())  # the cursor's row is now the third
        table.set_data(WIDE, moved, "code")
        await pilot.pause()
        assert table.cursor_row == 2 and table.scroll_offset.y == 0
        assert lines(table)[1].split()[2] == NAMES[0]  # rank 1 on the first row
        table.set_data(WIDE, records(), "code")  # back at the bottom: as little scrolled as shows it
        await pilot.pause()
        visible = table.size.height - 1
        assert table.cursor_row == len(NAMES) - 1 and table.scroll_offset.y == len(NAMES) - visible


async def test_the_cursor_row_follows_focus_and_rows_are_striped():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        await pilot.press("j")
        focused = strips(table)
        table.blur()
        await pilot.pause()
        blurred = strips(table)
        assert background(focused[2]) != background(blurred[2])  # the cursor row (row 1)
        assert background(blurred[3]) != background(blurred[4])  # rows 2 and 3: zebra stripes
        assert background(blurred[3]) == background(blurred[5])
        header = strips(table)[0]
        assert all(segment.style.bold for segment in header if segment.text.strip())


async def test_the_row_under_the_mouse_is_marked_until_a_key_moves_the_cursor():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        plain = background(strips(table)[4])
        await pilot.hover(RankTable, offset=(10, 4))  # row 3
        assert background(strips(table)[4]) != plain
        await pilot.press("j")
        assert background(strips(table)[4]) == plain


async def test_a_new_theme_is_drawn_with_its_colours():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        before = [background(strip) for strip in strips(table)[:4]]
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await pilot.pause()
        after = [background(strip) for strip in strips(table)[:4]]
        assert all(b != a for b, a in zip(before, after, strict=True))  # header, cursor row, both stripes


async def test_without_colour_the_cursor_row_is_reversed(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = Host()
    assert app.no_color
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        await pilot.press("j")
        shown = strips(table)
        assert all(segment.style.reverse for segment in shown[2])
        assert not any(segment.style.reverse for segment in shown[3])
        table.blur()
        await pilot.pause()
        assert all(segment.style.reverse for segment in strips(table)[2])


async def test_a_table_that_cannot_take_focus():
    app = Host()
    async with app.run_test(size=(150, 12)) as pilot:
        table = app.query_one(RankTable)
        table.can_focus = False
        table.blur()
        await pilot.press("tab", "j")
        assert app.focused is None and table.cursor_row == 0


def test_fit_columns_narrows_the_name_then_drops_the_lowest_priority():
    columns = partner_columns("vs 2025", name_width=30)
    natural = [2, 3, 30, 7, 8, 8, 7, 5]
    everything = sum(w + 2 for w in natural)
    assert fit_columns(columns, natural, everything) == list(enumerate(natural))
    narrower = fit_columns(columns, natural, everything - 10)
    assert [i for i, _ in narrower] == list(range(8)) and dict(narrower)[2] == 20
    # the name at its minimum (14) and still 1 cell short: the share goes, and the name gets back what is left
    short = everything - 16 - 1
    fitted = dict(fit_columns(columns, natural, short))
    assert 7 not in fitted and fitted[2] == 14 + 7 - 1
    assert list(fit_columns(columns, natural, 5)) == [(2, 14)]  # one column is always left


def test_truncate():
    assert truncate("Bosnia and Herzegovina", 12) == "Bosnia and…"
    assert truncate("Bosnia and Herzegovina", 12, "...") == "Bosnia an..."
    assert truncate("Japan", 12) == "Japan"
    assert truncate("Japan", 2, "...") == "Ja"


def test_the_table_uses_no_private_textual_attributes():
    """Every `x._name` in the module is the table's own: on `self`, and not a name Textual's ScrollView has."""
    source = Path(table_module.__file__).read_text(encoding="utf-8")
    textual_names = set(dir(ScrollView())) | set(vars(ScrollView()))
    offenders = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            own = isinstance(node.value, ast.Name) and node.value.id == "self" and node.attr not in textual_names
            if not own:
                offenders.append(f"line {node.lineno}: {ast.unparse(node)}")
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            names = [a.name for a in node.names]
            private = [p for m in modules for p in m.split(".")] + names
            if any(p.startswith("_") and not p.startswith("__") for p in private):
                offenders.append(f"line {node.lineno}: {ast.unparse(node)}")
    assert offenders == []


@pytest.mark.parametrize("private", ["self._refresh_scrollbars", "table._row_locations", "super()._update_dimensions",
                                     "from textual._segment_tools import line_crop"])
def test_the_private_attribute_check_finds_them(private, tmp_path, monkeypatch):
    bad = tmp_path / "bad.py"
    source = Path(table_module.__file__).read_text(encoding="utf-8")
    bad.write_text(source + f"\n\ndef _x(self, table):\n    {private}\n")
    monkeypatch.setattr(table_module, "__file__", str(bad))
    with pytest.raises(AssertionError):
        test_the_table_uses_no_private_textual_attributes()
