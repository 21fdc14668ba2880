"""Home: the reviews in the data directory, filtered as you type.

The filter line appears when it is asked for (``/``) and goes again when it is cleared
(Escape): the list has the screen to itself, and the first frame has one widget fewer to
build."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static
from textual.worker import Worker, WorkerState

from review_assistant.store.listing import SessionSummary
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.row_table import Cell, Column, RowTable

if TYPE_CHECKING:
    from textual.timer import Timer

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


COLUMNS = [
    Column("Title", "title"),
    Column("Incident", "date", 10),
    Column("Sev", "sev", 5),
    Column("Phase", "phase", 12),
    Column("Open", "open", 4),
    Column("Pulse", "pulse", 5),
    Column("Changed", "changed", 8),
]


#: How long after the first frame is drawn the warm-up begins (the frame is written first).
WARM_UP_AFTER_S = 0.05
#: How long the cursor rests on a review before it is read ahead (not every row passed over).
READ_AHEAD_AFTER_S = 0.15


def warm_up() -> None:
    """Import the store, the settings and the review screen, and read and parse the guides,
    while the facilitator reads the list (the first frame needs none of them)."""
    import rich.markdown  # noqa: F401  (the guide panel renders with it)
    import textual.scrollbar  # noqa: F401  (the review screen's lists scroll)

    import review_assistant.assistant.service  # (the assistant panel makes one)
    import review_assistant.assistant.settings
    import review_assistant.lint  # (the capture bar checks wording as you type)
    import review_assistant.store.repository
    import review_assistant.tui.review_screen  # noqa: F401
    from review_assistant.domain.phases import PHASES
    from review_assistant.guidebook import load_guide
    from review_assistant.tui.guide_text import parsed

    for definition in PHASES:
        try:
            parsed(load_guide(definition.phase).markdown)
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
    AUTO_FOCUS = "#reviews"
    DEFAULT_CSS = """
    HomeScreen #filter { border: tall $primary 40%; }
    HomeScreen #reviews { height: 1fr; }
    HomeScreen #empty { padding: 1 2; color: $text-muted; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.summaries: list[SessionSummary] = []
        self._left = False  # set once another screen has covered this one
        self._resting: Timer | None = None  # until the cursor has rested on a review

    @property
    def review_app(self) -> ReviewApp:
        from review_assistant.tui.app import ReviewApp

        assert isinstance(self.app, ReviewApp)
        return self.app

    def compose(self) -> ComposeResult:
        yield Header()
        yield RowTable(COLUMNS, self.cells, key=lambda summary: summary.id, id="reviews")
        yield Static("", id="empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        # Once the list is on screen (not before: the imports would slow the first frame,
        # and they would hold up the thread that writes it to the terminal), load what
        # opening a review needs while the facilitator reads it.
        self.call_after_refresh(self.set_timer, WARM_UP_AFTER_S, self.start_warm_up)

    def start_warm_up(self) -> None:
        self.run_worker(warm_up, thread=True, group="warm-up", exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == "warm-up" and event.state in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
        ):
            self.review_app.finish_start()
            self.read_ahead()

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        """Back from a review or a view: titles, phases and counts may have changed."""
        if self._left:
            self.reload()
            self.highlighted()  # the review just left has changed: read it again

    def reload(self) -> None:
        self.summaries = self.review_app.session_summaries()
        line = self.filter_line
        self.show(line.value if line is not None else "")

    @property
    def filter_line(self) -> Input | None:
        """The filter line, while it is shown."""
        return self.query_one_optional("#filter", Input)

    def cells(self, summary: SessionSummary) -> tuple[Cell, ...]:
        return (
            summary.title,
            summary.incident_start.strftime("%Y-%m-%d") if summary.incident_start else "—",
            summary.severity or "—",
            summary.phase.value,
            str(summary.open_actions),
            _pulse(summary.pulse_learned, summary.pulse_again),
            _age(summary.updated_at, self.review_app.now()),
        )

    def show(self, query: str) -> None:
        table = self.query_one("#reviews", RowTable)
        words = query.lower().split()
        shown = [
            s
            for s in self.summaries
            if all(
                word in f"{s.title} {s.severity} {s.phase.value} {s.status}".lower()
                for word in words
            )
        ]
        table.show(shown, keep=table.selected_key)
        empty = self.query_one("#empty", Static)
        if not self.summaries:
            empty.update(Content("No reviews yet — press n to start one."))
        elif not shown:
            empty.update(Content("No review matches the filter (Escape clears it)."))
        empty.display = not shown  # only when there is something to say

    @on(Input.Changed, "#filter")
    def filter_changed(self, event: Input.Changed) -> None:
        self.show(event.value)

    @on(Input.Submitted, "#filter")
    def filter_done(self, event: Input.Submitted) -> None:
        """Enter: back to the list, filtered (an empty filter line goes)."""
        if not event.value:
            event.input.remove()
        self.query_one("#reviews", RowTable).focus()

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
        """The filter line, shown above the list (made the first time) and focused."""
        from review_assistant.tui.format import TextInput

        line = self.filter_line
        if line is None:
            line = TextInput(placeholder="Filter by title, severity or phase", id="filter")
            self.mount(line, before="#reviews")
        line.focus()

    def action_clear_filter(self) -> None:
        """Escape: every review listed again, the filter line gone."""
        if (line := self.filter_line) is not None:
            line.remove()
            self.show("")
        self.query_one("#reviews", RowTable).focus()

    @on(RowTable.Highlighted, "#reviews")
    def highlighted(self) -> None:
        """Once the cursor rests on a review, read it ahead (after start-up: the store is
        opened once the first frame is drawn)."""
        if self._resting is not None:
            self._resting.stop()
        if self.review_app.store_open:
            self._resting = self.set_timer(READ_AHEAD_AFTER_S, self.read_ahead)

    def read_ahead(self) -> None:
        self._resting = None
        key = self.query_one("#reviews", RowTable).selected_key
        if key is not None and self.is_current:
            self.review_app.read_ahead(key)

    @on(RowTable.Selected, "#reviews")
    def open_review(self, event: RowTable.Selected) -> None:
        self.review_app.open_review(event.key)

    def action_new_review(self) -> None:
        from review_assistant.tui.review_form import review_form

        def created(values: dict[str, Any] | None) -> None:
            if values:
                session_id = self.review_app.create_review(values)
                self.review_app.open_review(session_id)

        self.app.push_screen(review_form(), created)
