"""The application object and the ``make_app()`` factory used by the CLI and the tests."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from review_assistant.cli.render import review_text
from review_assistant.paths import DB_NAME
from review_assistant.store import Store


class HomeScreen(Screen[None]):
    """The reviews in the data directory."""

    BINDINGS = [Binding("enter", "open_review", "Open", id="home.open")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable(id="reviews", cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Incident", "Severity", "Phase", "Open actions", "Title")
        app = self.app
        assert isinstance(app, ReviewApp)
        for summary in app.store.list_sessions():
            started = summary.incident_start.strftime("%Y-%m-%d") if summary.incident_start else "—"
            table.add_row(
                started,
                Content(summary.severity or "—"),
                summary.phase.value,
                str(summary.open_actions),
                Content(summary.title),
                key=summary.id,
            )

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.app.push_screen(ReviewScreen(event.row_key.value))

    def action_open_review(self) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            table.action_select_cursor()


class ReviewScreen(Screen[None]):
    """A read-only view of one review (the full workspace arrives with the TUI issue)."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back", id="review.back")]

    def __init__(self, session_id: str) -> None:
        super().__init__()
        self.session_id = session_id

    def compose(self) -> ComposeResult:
        yield Header()
        app = self.app
        assert isinstance(app, ReviewApp)
        review = app.store.load_review(self.session_id)
        yield Static(Content(review_text(review)), id="review-text")
        yield Footer()


class ReviewApp(App[None]):
    TITLE = "review-assistant"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", id="app.quit")]

    def __init__(self, data_dir: Path, session_id: str | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.session_id = session_id
        self.store = Store(data_dir / DB_NAME)

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        if self.session_id:
            self.push_screen(ReviewScreen(self.session_id))

    def on_unmount(self) -> None:
        self.store.close()


def make_app(data_dir: Path, *, session_id: str | None = None) -> ReviewApp:
    return ReviewApp(data_dir, session_id=session_id)
