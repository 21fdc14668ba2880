"""A table that draws only the rows on screen, for lists that run to thousands of rows.

``DataTable`` builds and measures every row as it is added and renders each cell through Rich;
with a couple of thousand rows that is most of a second before the first frame. ``RowTable``
keeps the items themselves and turns one into cells only when its line is drawn, so showing
a list costs the same for 20 rows as for 20,000.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Generic, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from review_assistant.domain.text import one_line

T = TypeVar("T")

#: A cell: plain text (shown literally) or styled Content.
Cell = Content | str


@dataclass(frozen=True)
class Column:
    label: str
    key: str
    width: int | None = None  # None: takes whatever width the other columns leave


class RowTable(ScrollView, Generic[T], can_focus=True):
    """Rows of items with a sticky header, a row cursor and zebra stripes.

    ``cells`` turns an item into its cells and ``key`` names it; both run only for rows that
    are drawn (or asked for), never for the whole list.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor_up", "Up", show=False, id="rows.up"),
        Binding("down", "cursor_down", "Down", show=False, id="rows.down"),
        Binding("pageup", "page_up", "Page up", show=False, id="rows.page-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="rows.page-down"),
        Binding("home", "first", "First row", show=False, id="rows.first"),
        Binding("end", "last", "Last row", show=False, id="rows.last"),
        Binding("enter", "select", "Open", show=False, id="rows.select"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "row-table--header",
        "row-table--cursor",
        "row-table--even-row",
    }
    DEFAULT_CSS = """
    RowTable {
        height: 1fr;
        overflow-x: hidden;
        background: $surface;
        color: $foreground;
        &:focus {
            background-tint: $foreground 5%;
            & > .row-table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
        }
        & > .row-table--header { text-style: bold; background: $panel; color: $foreground; }
        & > .row-table--even-row { background: $surface-lighten-1 50%; }
        &:dark > .row-table--even-row { background: $surface-darken-1 40%; }
        & > .row-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True, init=False)

    class RowMessage(Message):
        """About one row: ``row`` is its index, ``key`` its item's key."""

        def __init__(self, table: RowTable[object], row: int, key: str) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.key = key

        @property
        def control(self) -> RowTable[object]:
            return self.table

    class Highlighted(RowMessage):
        """The cursor moved to another row."""

    class Selected(RowMessage):
        """Enter (or a click) on a row."""

    def __init__(
        self,
        columns: Sequence[Column],
        cells: Callable[[T], Sequence[Cell]],
        key: Callable[[T], str],
        *,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.columns = list(columns)
        self._cells = cells
        self._key = key
        self.items: Sequence[T] = ()
        self._index: dict[str, int] | None = None  # key → row, built on first lookup
        self._lines: dict[tuple[int, bool, bool, int], Strip] = {}
        self._styles: dict[tuple[bool, tuple[str, ...]], Style] = {}

    # -- contents -------------------------------------------------------------------------

    def show(self, items: Sequence[T], keep: str | None = None) -> None:
        """Show these items (the cursor stays on the row keyed ``keep`` if it is still here)."""
        self.items = items
        self._index = None
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(items) + 1)
        row = self.get_row_index(keep) if keep is not None else None
        self.cursor_row = row if row is not None else min(self.cursor_row, max(len(items) - 1, 0))
        self.refresh()

    @property
    def row_count(self) -> int:
        return len(self.items)

    def get_row_index(self, key: str | None) -> int | None:
        if key is None:
            return None
        if self._index is None:
            self._index = {self._key(item): row for row, item in enumerate(self.items)}
        return self._index.get(key)

    def get_row_at(self, row: int) -> list[Cell]:
        return list(self._cells(self.items[row]))

    @property
    def selected(self) -> T | None:
        return self.items[self.cursor_row] if self.items else None

    @property
    def selected_key(self) -> str | None:
        item = self.selected
        return self._key(item) if item is not None else None

    def move_cursor(self, row: int) -> None:
        self.cursor_row = row

    # -- the cursor -----------------------------------------------------------------------

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, len(self.items) - 1)) if self.items else 0

    def watch_cursor_row(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self._reveal(new)
        if self.items:
            self.post_message(self.Highlighted(self, new, self._key(self.items[new])))  # type: ignore[arg-type]

    def _reveal(self, row: int) -> None:
        visible = max(self.scrollable_content_region.height - 1, 1)
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)

    def _refresh_row(self, row: int) -> None:
        y = row - round(self.scroll_y) + 1
        if 0 < y < self.size.height:
            self.refresh_line(y)

    @property
    def _page(self) -> int:
        return max(self.scrollable_content_region.height - 2, 1)

    def action_cursor_up(self) -> None:
        self.cursor_row -= 1

    def action_cursor_down(self) -> None:
        self.cursor_row += 1

    def action_page_up(self) -> None:
        self.cursor_row -= self._page

    def action_page_down(self) -> None:
        self.cursor_row += self._page

    def action_first(self) -> None:
        self.cursor_row = 0

    def action_last(self) -> None:
        self.cursor_row = len(self.items) - 1

    def action_select(self) -> None:
        if self.items:
            row = self.cursor_row
            self.post_message(self.Selected(self, row, self._key(self.items[row])))  # type: ignore[arg-type]

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        row = round(self.scroll_y) + offset.y - 1
        if 0 <= row < len(self.items):
            self.cursor_row = row
            self.action_select()

    # -- drawing --------------------------------------------------------------------------

    def on_resize(self) -> None:
        self._lines.clear()
        self.virtual_size = Size(self.size.width, len(self.items) + 1)
        self._reveal(self.cursor_row)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.clear()
        self._styles.clear()

    def widths(self, width: int) -> list[int]:
        """Each column's text width at this table width (one space either side of each)."""
        fixed = sum(c.width for c in self.columns if c.width is not None)
        flex = max(width - fixed - 2 * len(self.columns), 8)
        return [c.width if c.width is not None else flex for c in self.columns]

    def _line(self, cells: Sequence[Cell], width: int) -> Content:
        parts: list[Content | str] = []
        for value, room in zip(cells, self.widths(width), strict=False):
            text = value if isinstance(value, Content) else Content(one_line(value, 400))
            parts += [" ", text.truncate(room, ellipsis=True, pad=True), " "]
        return Content.assemble(*parts)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y == 0:
            style = self._style("row-table--header")
            header = self._line([Content(c.label) for c in self.columns], width)
            return self._strip(header, width, style)
        row = round(self.scroll_y) + y - 1
        if row >= len(self.items):
            return Strip.blank(width, self.rich_style)
        cursor = row == self.cursor_row
        cache_key = (row, cursor, self.has_focus, width)
        if (strip := self._lines.get(cache_key)) is None:
            classes = ["row-table--even-row"] if row % 2 else []
            if cursor:
                classes.append("row-table--cursor")
            style = self._style(*classes)
            line = self._line(self._cells(self.items[row]), width)
            strip = self._lines[cache_key] = self._strip(line, width, style)
            if len(self._lines) > 4 * max(self.size.height, 10):
                self._lines = {cache_key: strip}
        return strip

    def _style(self, *classes: str) -> Style:
        """The style of a kind of row, worked out once per look (focus, theme, CSS)."""
        key = (self.has_focus, classes)
        if (style := self._styles.get(key)) is None:
            style = self._styles[key] = self.get_visual_style(*classes)
        return style

    def _strip(self, line: Content, width: int, style: Style) -> Strip:
        """One line as it is (cells are already cut to their columns): no wrapping pass."""
        strip = Strip(line.render_segments(style), line.cell_length)
        return strip.extend_cell_length(width, style.rich_style).crop(0, width)
