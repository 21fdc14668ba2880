"""The application object and the ``make_app()`` factory used by the CLI and the tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from review_assistant import collector
from review_assistant.domain.phases import Phase
from review_assistant.paths import DB_NAME
from review_assistant.store.listing import SessionSummary, peek

if TYPE_CHECKING:
    from textual.worker import Worker

    from review_assistant.assistant.settings import Settings
    from review_assistant.store import Store
    from review_assistant.store.ahead import ReadAhead


def _now() -> datetime:
    return datetime.now(UTC)


class ReviewApp(App[None]):
    TITLE = "review-assistant"
    BINDINGS = [
        Binding("f1", "help", "Help", id="app.help"),
        Binding("ctrl+q", "quit", "Quit", show=False, id="app.quit"),
    ]

    def __init__(
        self,
        data_dir: Path,
        session_id: str | None = None,
        settings: Settings | None = None,
        summaries: list[SessionSummary] | None = None,
    ) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.initial_session = session_id
        self._store: Store | None = None
        self._settings = settings
        self._summaries = summaries  # the list as already read, shown first
        self._ahead: ReadAhead | None = None  # the review under the home screen's cursor
        #: Why the configured assistant could not be used (the built-in one is used instead).
        self.settings_error = ""
        self.now: Callable[[], datetime] = _now  # replaced by tests that need a fixed clock

    @property
    def store(self) -> Store:
        """The review database, opened (and migrated) on first use."""
        if self._store is None:
            from review_assistant.store import Store

            self._store = Store(self.data_dir / DB_NAME)
        return self._store

    @property
    def settings(self) -> Settings:
        """The assistant's settings, read on first use; if they cannot be used, the built-in
        assistant stands in and the facilitator is told why."""
        if self._settings is None:
            from review_assistant.assistant.settings import Settings, SettingsError, load_settings

            try:
                self._settings = load_settings()
            except SettingsError as exc:
                self._settings = Settings()
                self.settings_error = f"assistant configuration: {exc}; using the built-in one"
                self.notify(self.settings_error, severity="warning", markup=False, timeout=10)
        return self._settings

    def session_summaries(self) -> list[SessionSummary]:
        """The home screen's list: before the store is open, read straight from the file
        (or taken as the command line already read it)."""
        if (read := self._summaries) is not None:
            self._summaries = None
            return read
        if self._store is None and (summaries := peek(self.data_dir / DB_NAME)) is not None:
            return summaries
        return self.store.list_sessions()

    def on_mount(self) -> None:
        from review_assistant.tui.home import HomeScreen

        self.push_screen(HomeScreen())
        if self.initial_session:
            self.open_review(self.initial_session)

    def finish_start(self) -> None:
        """Open the store and read the settings (the home screen calls this once it has
        imported them in the background after its first frame)."""
        self.store  # noqa: B018 - opening it now keeps the first key press quick
        self.settings  # noqa: B018
        collector.settle()

    @property
    def store_open(self) -> bool:
        return self._store is not None

    def read_ahead(self, session_id: str) -> None:
        """Read a review in a worker thread, so that opening it finds it read (it is read
        again if anything is committed meanwhile)."""
        from review_assistant.store.ahead import read_ahead, take

        if take(self._ahead, self.store, session_id) is not None:
            return  # read already, and still as on disk
        self._ahead = None
        self.run_worker(
            partial(read_ahead, self.store.path, session_id, self.store.version()),
            thread=True,
            group="read-ahead",
            exclusive=True,
            exit_on_error=False,
            name="read-ahead",
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        from textual.worker import WorkerState

        worker = event.worker
        replaced = worker.is_cancelled  # a later one took its place
        if worker.group == "read-ahead" and event.state is WorkerState.SUCCESS and not replaced:
            self._ahead = worker.result

    def on_unmount(self) -> None:
        collector.release()
        if self._store is not None:
            self._store.close()

    def open_review(
        self,
        session_id: str,
        *,
        action_pass: bool = False,
        at: tuple[str, str, Phase] | None = None,
    ) -> None:
        """Open a review; after its live meeting (or when asked) it opens on the action pass;
        ``at`` = (kind, item id, phase) puts the cursor on one item (a search result)."""
        from review_assistant.domain.models import SessionStatus
        from review_assistant.live import LiveReview
        from review_assistant.store.ahead import take
        from review_assistant.tui.review_screen import ReviewScreen

        ahead, self._ahead = self._ahead, None  # used once: the screen changes the review
        live = LiveReview(self.store, session_id, take(ahead, self.store, session_id))
        if live.session.status is SessionStatus.PREPARING:
            live.update_session(status=SessionStatus.IN_REVIEW)
        screen = ReviewScreen(live)
        self.push_screen(screen)
        if at is not None:
            _, item_id, phase = at
            screen.call_after_refresh(screen.show_item, phase, item_id)
        elif action_pass or live.session.meeting_ended_at is not None:
            # the live meeting is over: this is the action meeting (Escape goes to the review)
            screen.call_after_refresh(screen.action_action_pass)

    def create_review(self, values: dict[str, Any]) -> str:
        from review_assistant.domain.models import Participant, ReviewSession

        participants = [
            Participant(name=name, role=role) for name, role in values.pop("participants", [])
        ]
        session = ReviewSession(**values)
        self.store.create_session(session, participants)
        return session.id

    def action_help(self) -> None:
        from review_assistant.tui.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        keys = [
            (self.get_key_display(active.binding), active.binding.description)
            for active in self.screen.active_bindings.values()
            if active.binding.description
        ]
        self.push_screen(HelpScreen(sorted(set(keys))))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every key binding of the current screen is also a command-palette entry."""
        yield from super().get_system_commands(screen)
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)
            yield SystemCommand(
                f"{binding.description} ({key})",
                binding.tooltip or f"Same as pressing {key}",
                lambda node=active.node, action=binding.action: self.run_action(action, node),
            )


def make_app(
    data_dir: Path,
    *,
    session_id: str | None = None,
    settings: Settings | None = None,
    summaries: list[SessionSummary] | None = None,
) -> ReviewApp:
    """Build the app on a data directory, optionally opening one review straight away.

    Without ``settings`` they are read from the environment and the config file once the
    first frame is drawn; if those cannot be used, the built-in assistant stands in and a
    notification says why. ``summaries``: the review list, when the caller has just read it.
    """
    return ReviewApp(data_dir, session_id=session_id, settings=settings, summaries=summaries)
