"""What every phase workspace shares: the review it shows and a table of the phase's notes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Static

from review_assistant.domain.models import Item, Note, Review
from review_assistant.domain.phases import Phase, phase_def
from review_assistant.tui.format import cell, clock
from review_assistant.tui.row_table import Cell, Column, RowTable


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


@dataclass(frozen=True, slots=True)
class Row:
    """One row: its item's key, and its cells (or how to make them, when it is drawn)."""

    key: str
    cells: Sequence[Cell] | Callable[[], Sequence[Cell]]


def _row_cells(row: Row) -> Sequence[Cell]:
    return row.cells() if callable(row.cells) else row.cells


class ItemTable(RowTable[Row]):
    """A row-per-item table keyed by item id, filled column by column and row by row.

    Rows are kept as they are given and turned into cells only when drawn, so a phase with
    thousands of notes or events opens as fast as one with ten.
    """

    def __init__(
        self, *, id: str | None = None, classes: str | None = None, flex: str = "text"
    ) -> None:
        super().__init__([], _row_cells, key=lambda row: row.key, id=id, classes=classes)
        self.flex = flex
        self._rows: list[Row] = []
        self.items = self._rows

    def add_column(self, label: str, *, width: int | None = None, key: str | None = None) -> None:
        """A column; the free text one (``flex``) takes whatever width the others leave."""
        key = key or f"column-{len(self.columns)}"
        self.columns.append(Column(label, key, None if key == self.flex else width))
        self._lines.clear()
        self.refresh()

    def column_width(self, key: str) -> int | None:
        return next(column.width for column in self.columns if column.key == key)

    def set_column_width(self, key: str, width: int) -> None:
        index = next(n for n, column in enumerate(self.columns) if column.key == key)
        if self.columns[index].width != width:
            self.columns[index] = replace(self.columns[index], width=width)
            self._lines.clear()
            self.refresh()

    def add_row(self, *cells: Cell, key: str) -> None:
        self.append(Row(key, cells))

    def append(self, row: Row) -> None:
        """Add one row at the end (the first row added also becomes the highlighted one)."""
        self._rows.append(row)
        if self._index is not None:
            self._index[row.key] = len(self._rows) - 1
        self.virtual_size = Size(self.size.width, len(self._rows) + 1)
        self.refresh()
        if len(self._rows) == 1:
            self.cursor_row = 0

    def fill(self, rows: Iterable[Row], keep: str | None = None) -> None:
        """Replace every row at once; the cursor stays on ``keep`` if it is still there."""
        self._rows = list(rows)
        self.show(self._rows, keep=keep)

    def clear(self) -> None:
        self.fill([])

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
        row = self.get_row_index(key)
        if row is not None:
            self.move_cursor(row)


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
        """Every note of the phase, the cursor on the newest; cells are made when drawn."""
        self.fill(self._row(note) for note in self.review.notes_for(self.phase))
        self.move_cursor(self.row_count - 1)

    def _row(self, note: Note) -> Row:
        tz = self.review.session.tz
        return Row(note.id, lambda: (clock(note.created_at, tz), cell(note.text)))

    def add_note(self, note: Note) -> None:
        self.append(self._row(note))
        self.move_cursor(self.row_count - 1)


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
