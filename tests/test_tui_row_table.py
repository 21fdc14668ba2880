"""The table that draws only the rows on screen (used where lists run to thousands of rows)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import App, ComposeResult

from review_assistant.tui.row_table import Cell, Column, RowTable
from tui_helpers import HOSTILE

COLUMNS = [Column("Text", "text"), Column("No.", "number", 6)]


class TableApp(App[None]):
    def __init__(self, items: Sequence[str]) -> None:
        super().__init__()
        self.items = items
        self.drawn: list[str] = []
        self.selected: list[str] = []

    def cells(self, item: str) -> tuple[Cell, ...]:
        self.drawn.append(item)
        return (item, str(len(item)))

    def compose(self) -> ComposeResult:
        yield RowTable(COLUMNS, self.cells, key=lambda item: item)

    def on_mount(self) -> None:
        table = self.query_one(RowTable)
        table.show(self.items)
        table.focus()

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        self.selected.append(event.key)


def lines(app: TableApp) -> list[str]:
    table = app.query_one(RowTable)
    return [table.render_line(y).text for y in range(table.size.height)]


async def test_twenty_thousand_rows_draw_only_the_screenful() -> None:
    items = [f"item {n}" for n in range(20_000)]
    app = TableApp(items)
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        table = app.query_one(RowTable)
        assert table.row_count == 20_000
        assert 0 < len(set(app.drawn)) <= 12  # only the rows on screen were turned into cells
        assert lines(app)[0].split() == ["Text", "No."]  # the header
        assert lines(app)[1].split() == ["item", "0", "6"]
        await pilot.press("end")
        await pilot.pause()
        assert table.selected == "item 19999"
        assert "item 19999" in lines(app)[-1]  # scrolled so the cursor row shows
        assert len(set(app.drawn)) <= 30
        await pilot.press("home", "down", "down")
        await pilot.pause()
        assert table.cursor_row == 2 and "item 0" in lines(app)[1]


async def test_keys_move_the_cursor_and_enter_or_a_click_selects() -> None:
    app = TableApp([f"row {n}" for n in range(50)])
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        await pilot.press("pagedown")
        page = table.cursor_row
        assert 5 <= page < 12  # a screenful, less the header
        await pilot.press("pageup", "up")  # stops at the first row
        assert table.cursor_row == 0
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.selected == ["row 1"]
        await pilot.click(RowTable, offset=(3, 4))  # the fourth row under the header
        await pilot.pause()
        assert table.cursor_row == 3 and app.selected == ["row 1", "row 3"]
        await pilot.click(RowTable, offset=(3, 0))  # the header selects nothing
        await pilot.pause()
        assert app.selected == ["row 1", "row 3"]


async def test_showing_new_items_keeps_the_cursor_on_the_same_key() -> None:
    app = TableApp(["a", "b", "c", "d"])
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(RowTable)
        table.move_cursor(2)
        table.show(["x", "c", "y"], keep="c")
        await pilot.pause()
        assert table.selected == "c" and table.cursor_row == 1
        table.show(["only"], keep="gone")  # the kept row left: the cursor stays in range
        await pilot.pause()
        assert table.cursor_row == 0 and table.selected_key == "only"
        table.show([])
        await pilot.pause()
        assert table.selected is None and table.row_count == 0
        await pilot.press("down", "enter")  # nothing to select, nothing breaks
        assert app.selected == []


async def test_text_is_shown_literally_and_clipped_to_its_column() -> None:
    long = "x" * 200
    app = TableApp([HOSTILE, "line one\nline two", long])
    async with app.run_test(size=(60, 12)) as pilot:
        await pilot.pause()
        shown = lines(app)
        assert "[@click=app.quit]boom[/]" in shown[1]  # markup is text, not a link
        assert "line one line two" in shown[2]  # one line per row
        assert shown[3].startswith(" xxx")
        assert shown[3].count("x") < 60 and "…" in shown[3]
        assert all(len(line) == 60 for line in shown)
