"""What every phase workspace shares: the review it shows and a table of the phase's notes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.text import TextType
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey, RowKey

from review_assistant.domain.models import Item, Note, Review
from review_assistant.domain.phases import Phase, phase_def
from review_assistant.tui.format import cell, clock


class Deleted(Message):
    """A view asks the screen to delete an item (the screen confirms first)."""

    def __init__(self, kind: type[Item], item_id: str) -> None:
        super().__init__()
        self.kind = kind
        self.item_id = item_id


class Request(Message):
    """A view asks the screen to do something to an item (edit, promote, re-kind …)."""

    def __init__(self, action: str, item_id: str | None = None) -> None:
        super().__init__()
        self.action = action
        self.item_id = item_id


def fit_flex_column(table: DataTable[object], key: str) -> None:
    column = table.columns.get(ColumnKey(key))
    if column is None or not table.size.width:
        return
    padding = 2 * table.cell_padding
    others = sum(c.get_render_width(table) for k, c in table.columns.items() if k.value != key)
    width = max(12, table.size.width - others - padding - 2)
    if column.width != width or column.auto_width:
        column.width = width
        column.auto_width = False
        table._require_update_dimensions = True  # the public API has no column resize
        table.refresh()


class ItemTable(DataTable[object]):
    """A row-per-item table; rows are keyed by item id and added without redrawing the rest."""

    DEFAULT_CSS = """
    ItemTable { height: 1fr; }
    """
    # Rows fit the width, so Home and End go to the first and last row, not sideways.
    BINDINGS = [
        Binding("home", "scroll_top", "First row", show=False, id="table.first"),
        Binding("end", "scroll_bottom", "Last row", show=False, id="table.last"),
    ]

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, flex: str = "text"
    ) -> None:
        super().__init__(id=id, classes=classes, cursor_type="row", zebra_stripes=True)
        self.flex = flex

    def on_resize(self) -> None:
        self.fit_flex_column()

    def add_column(
        self,
        label: TextType,
        *,
        width: int | None = None,
        key: str | None = None,
        default: object | None = None,
    ) -> ColumnKey:
        """The free text column starts at a set width; ``fit_flex_column`` resizes it."""
        if width is None and key == self.flex:
            width = 20
        return super().add_column(label, width=width, key=key, default=default)

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Skip measuring every new cell when nothing here is sized by its content.

        DataTable measures each cell of each new row to size auto-width columns; with every
        column at a set width and every row one line high, that work (most of the cost of
        filling 2,000 rows) changes nothing, so only the scrollable size is updated.
        """
        rows = [self.rows[key] for key in new_rows if key in self.rows]
        fixed = all(not column.auto_width for column in self.columns.values())
        if not fixed or any(row.auto_height or row.label is not None for row in rows):
            super()._update_dimensions(new_rows)
            return
        width = sum(column.get_render_width(self) for column in self.columns.values())
        header = self.header_height if self.show_header else 0
        self.virtual_size = Size(
            width + self._row_label_column_width, len(self._y_offsets) + header
        )

    def fit_flex_column(self) -> None:
        """Give the free text column whatever width the fixed columns leave."""
        fit_flex_column(self, self.flex)

    @property
    def selected_key(self) -> str | None:
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return row_key.value

    #: The kind of item the rows hold, for subclasses that bind a delete key.
    DELETES: ClassVar[type[Item] | None] = None

    def action_request(self, action: str) -> None:
        """Ask the screen to act on the highlighted row."""
        if self.selected_key:
            self.post_message(Request(action, self.selected_key))

    def action_delete(self) -> None:
        """Ask the screen to delete the highlighted row's item (it confirms first)."""
        if self.selected_key and self.DELETES is not None:
            self.post_message(Deleted(self.DELETES, self.selected_key))

    def select_key(self, key: str) -> None:
        try:
            index = self.get_row_index(key)
        except Exception:
            return
        self.move_cursor(row=index, animate=False)


class NotesTable(ItemTable):
    BINDINGS = [
        Binding("r", "request('reframe')", "Neutral wording", id="notes.reframe"),
    ]

    def __init__(self, review: Review, phase: Phase, *, id: str | None = None) -> None:
        super().__init__(id=id, classes="notes")
        self.review = review
        self.phase = phase

    def on_mount(self) -> None:
        self.add_column("Noted", width=5, key="at")
        self.add_column("Note", key="text")
        self.reload()

    def reload(self) -> None:
        """Fill the table in one pass and move the cursor once (per-row moves are quadratic)."""
        self.clear()
        tz = self.review.session.tz
        for note in self.review.notes_for(self.phase):
            self.add_row(clock(note.created_at, tz), cell(note.text), key=note.id)
        if self.row_count:
            self.move_cursor(row=self.row_count - 1, animate=False)

    def add_note(self, note: Note) -> None:
        tz = self.review.session.tz
        self.add_row(clock(note.created_at, tz), cell(note.text), key=note.id)
        self.move_cursor(row=self.row_count - 1, animate=False)


class PhaseView(Vertical):
    """Base class: a phase's workspace. Subclasses add their own tables above the notes."""

    PHASE: ClassVar[Phase]
    DEFAULT_CSS = """
    PhaseView { height: 1fr; }
    PhaseView > .view-title { padding: 0 1; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    PhaseView .section { padding: 0 1; text-style: bold; color: $text-muted; }
    PhaseView NotesTable { height: 1fr; min-height: 4; }
    """

    def __init__(self, review: Review) -> None:
        super().__init__(id=f"view-{self.PHASE.value}", classes="phase-view")
        self.review = review

    def compose_title(self) -> ComposeResult:
        definition = phase_def(self.PHASE)
        yield Static(
            Content.assemble((definition.title, "bold"), " — ", (definition.purpose, "dim")),
            classes="view-title",
        )

    def compose_notes(self) -> ComposeResult:
        yield Static("Notes", classes="section")
        yield NotesTable(self.review, self.PHASE, id=f"notes-{self.PHASE.value}")

    def added(self, item: Item) -> None:
        """An item was saved while this phase was showing (or it belongs here)."""
        if isinstance(item, Note) and item.phase is self.PHASE and item.interview_id is None:
            self.query_one(NotesTable).add_note(item)

    def changed(self) -> None:
        """Something this view shows was edited or deleted elsewhere: redraw what depends."""
