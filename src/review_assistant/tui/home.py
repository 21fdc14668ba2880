"""Home: the reviews in the data directory, filtered as you type."""

from __future__ import annotations

import contextlib
from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Header, Input, Static

from review_assistant.store import SessionSummary
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.format import TextInput, cell
from review_assistant.tui.views.base import fit_flex_column

if TYPE_CHECKING:
    from review_assistant.tui.app import ReviewApp


def _age(moment: datetime, now: datetime) -> str:
    seconds = (now - moment).total_seconds()
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds >= size:
            return f"{int(seconds // size)}{unit} ago"
    return "just now"


def _pulse(*answers: bool | None) -> str:
    """The meeting pulse in two marks: ✓ yes, ✗ no, · not asked."""
    if all(a is None for a in answers):
        return "—"
    return "".join("·" if a is None else ("✓" if a else "✗") for a in answers)


def warm_up() -> None:
    """Import the review screen and parse the guides ahead of the first Enter."""
    import rich.markdown  # noqa: F401  (the guide panel renders with it)

    import review_assistant.lint  # (the capture bar checks wording as you type)
    import review_assistant.tui.review_screen  # noqa: F401
    from review_assistant.domain.phases import PHASES
    from review_assistant.guidebook import load_guide

    for definition in PHASES:
        try:
            load_guide(definition.phase)
        except (OSError, ValueError):
            return  # the guide panel reports it when the phase is shown


class HomeScreen(Screen[None]):
    BINDINGS = [
        Binding("n", "new_review", "New review", id="home.new"),
        Binding("slash", "filter", "Filter", id="home.filter"),
        Binding("s", "search", "Search", id="home.search"),
        Binding("a", "open_actions", "Open actions", id="home.open-actions"),
        Binding("L", "learning", "Learning", id="home.learning"),
        Binding("escape", "clear_filter", "Clear filter", show=False, id="home.clear"),
        Binding("ctrl+q", "app.quit", "Quit", id="home.quit"),
    ]
    DEFAULT_CSS = """
    HomeScreen #filter { border: tall $primary 40%; }
    HomeScreen #reviews { height: 1fr; }
    HomeScreen #empty { padding: 1 2; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[SessionSummary] = []

    @property
    def review_app(self) -> ReviewApp:
        from review_assistant.tui.app import ReviewApp

        assert isinstance(self.app, ReviewApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextInput(placeholder="/ to filter by title, severity or phase", id="filter")
        yield DataTable(id="reviews", cursor_type="row", zebra_stripes=True)
        yield Static("", id="empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#reviews", DataTable)
        table.add_column("Title", key="title")
        table.add_column("Incident", width=10, key="date")
        table.add_column("Sev", width=5, key="sev")
        table.add_column("Phase", width=12, key="phase")
        table.add_column("Open", width=4, key="open")
        table.add_column("Pulse", width=5, key="pulse")
        table.add_column("Changed", width=8, key="changed")
        self.reload()
        # While the facilitator reads the list, load what opening a review needs.
        self.run_worker(warm_up, thread=True, group="warm-up", exit_on_error=False)
        fit_flex_column(table, "title")
        table.focus()

    def on_resize(self) -> None:
        fit_flex_column(self.query_one("#reviews", DataTable), "title")

    def on_screen_resume(self) -> None:
        self.reload()

    def reload(self) -> None:
        self.summaries = self.review_app.store.list_sessions()
        self.show(self.query_one("#filter", Input).value)

    def show(self, query: str) -> None:
        table = self.query_one("#reviews", DataTable)
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear()
        words = query.lower().split()
        for s in self.summaries:
            haystack = f"{s.title} {s.severity} {s.phase.value} {s.status}".lower()
            if all(word in haystack for word in words):
                table.add_row(
                    cell(s.title),
                    s.incident_start.strftime("%Y-%m-%d") if s.incident_start else "—",
                    cell(s.severity or "—", 5),
                    s.phase.value,
                    str(s.open_actions),
                    _pulse(s.pulse_learned, s.pulse_again),
                    _age(s.updated_at, self.review_app.now()),
                    key=s.id,
                )
        if selected and selected in {s.id for s in self.summaries}:
            with contextlib.suppress(Exception):
                table.move_cursor(row=table.get_row_index(selected), animate=False)
        empty = self.query_one("#empty", Static)
        if not self.summaries:
            empty.update("No reviews yet — press n to start one.")
        elif not table.row_count:
            empty.update("No review matches the filter (Escape clears it).")
        else:
            empty.update("")

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self) -> None:
        self.query_one("#reviews", DataTable).focus()

    def action_search(self) -> None:
        from review_assistant.tui.search import SearchScreen

        self.app.push_screen(SearchScreen())

    def action_open_actions(self) -> None:
        from review_assistant.tui.open_actions import OpenActionsScreen

        self.app.push_screen(OpenActionsScreen())

    def action_learning(self) -> None:
        from review_assistant.tui.learning import LearningScreen

        self.app.push_screen(LearningScreen())

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        self.query_one("#filter", Input).value = ""
        self.query_one("#reviews", DataTable).focus()

    @on(DataTable.RowSelected, "#reviews")
    def open_review(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.review_app.open_review(event.row_key.value)

    def action_new_review(self) -> None:
        from review_assistant.tui.review_form import review_form

        def created(values: dict[str, Any] | None) -> None:
            if values:
                session_id = self.review_app.create_review(values)
                self.review_app.open_review(session_id)

        self.app.push_screen(review_form(), created)
