"""Importing timeline events from the review screen: a form, a worker, and the report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from review_assistant.domain.text import counted
from review_assistant.store import Store
from review_assistant.tui.format import literal
from review_assistant.tui.modals import DIALOG_CSS, FieldError, FormScreen
from review_assistant.tui.widgets import CaptureBar

if TYPE_CHECKING:
    from review_assistant.importers import ImportReport
    from review_assistant.live import LiveReview

GROUP = "import"


def import_form() -> FormScreen:
    def validate(values: dict[str, str]) -> dict[str, Any]:
        if not values["file"].strip():
            raise FieldError("file", "the path of a .csv or .json file, or a Slack export folder")
        try:
            path = Path(values["file"].strip()).expanduser()
        except RuntimeError as exc:  # "~nosuchuser/…"
            raise FieldError("file", str(exc)) from None
        if not path.exists():
            raise FieldError("file", f"no such file or folder: {path}")
        fmt = values["format"].strip().lower() or "auto"
        if fmt not in {"auto", "csv", "json", "slack"}:
            raise FieldError("format", "auto, csv, json or slack")
        bots = values["bots"].strip().lower() or "keep"
        if bots not in {"keep", "drop"}:
            raise FieldError("bots", "keep or drop")
        channels = [c.strip() for c in values["channels"].split(",") if c.strip()]
        return {"path": path, "fmt": fmt, "channels": channels, "bots": bots == "keep"}

    return FormScreen(
        "Import timeline events",
        [
            ("file", "File or Slack export folder", "", "~/incident/timeline.csv"),
            ("format", "Format", "auto", "auto, csv, json or slack"),
            ("channels", "Slack channels (comma-separated; empty: all)", "", "#incident-42"),
            ("bots", "Slack bot messages", "keep", "keep or drop"),
        ],
        validate,
    )


def run_import(db_path: Path, session_id: str, options: dict[str, Any]) -> ImportReport:
    """In a worker thread: its own connection, one transaction for the whole file."""
    from review_assistant.importers import import_timeline

    with Store(db_path) as store:
        return import_timeline(
            store,
            session_id,
            options["path"],
            fmt=options["fmt"],
            channels=options["channels"],
            bots=options["bots"],
        )


class ImportReportScreen(ModalScreen[None]):
    """What an import added, what it left out and why (file:line), shown literally."""

    DEFAULT_CSS = (
        DIALOG_CSS.format(name="ImportReportScreen")
        + """
    ImportReportScreen #report { height: auto; max-height: 20; }
    """
    )
    BINDINGS = [
        Binding("escape", "close", "Close", id="import.close"),
        Binding("enter", "close", "Close", show=False, id="import.ok"),
    ]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Timeline import", classes="dialog-title")
            with VerticalScroll(id="report"):
                yield Static(literal(self.text), id="report-text")
            yield Static("Enter or Escape closes", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


class TimelineImport(Screen[None]):
    """Mixed into the review screen: Ctrl+Y (or `i` on the timeline) imports events."""

    live: LiveReview

    def after_change(self, message: str = "") -> None:
        """Redraw what depends on the review (the review screen implements it)."""

    def action_import_timeline(self) -> None:
        self.app.push_screen(import_form(), self._start_import)

    def _start_import(self, options: dict[str, Any] | None) -> None:
        if not options:
            return
        self.query_one(CaptureBar).report(f"Importing {options['path'].name}…")
        self.run_worker(
            lambda: run_import(self.live.store.path, self.live.id, options),
            thread=True,
            group=GROUP,
            exclusive=True,
            exit_on_error=False,
            name="timeline-import",
        )

    def import_finished(self, worker: Worker[Any]) -> None:
        """Called by the screen when the import worker ends (success or error)."""
        from review_assistant.importers import TimelineImportError, report_text

        bar = self.query_one(CaptureBar)
        if worker.state is WorkerState.ERROR:
            error = worker.error
            message = str(error) if isinstance(error, TimelineImportError) else repr(error)
            bar.report(f"Import failed: {message}", error=True)
            return
        if worker.state is not WorkerState.SUCCESS or worker.result is None:
            return
        report: ImportReport = worker.result
        self.live.review.events.extend(report.events)
        self.after_change(f"✓ imported {counted(len(report.events), 'timeline event')}")
        self.app.push_screen(ImportReportScreen(report_text(report)))

    @on(Worker.StateChanged)
    def _import_worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == GROUP and event.state in (WorkerState.SUCCESS, WorkerState.ERROR):
            self.import_finished(event.worker)
