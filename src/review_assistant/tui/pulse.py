"""Closing the review meeting: two quick questions (the meeting pulse), then the action pass
waits for another day."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from review_assistant.domain.models import ReviewSession
from review_assistant.tui.modals import DIALOG_CSS

QUESTIONS = (
    ("pulse_learned", "Did at least one person learn something new?"),
    ("pulse_again", "Would people come to a review like this again?"),
)


def pulse_text(session: ReviewSession) -> str:
    """ "learned something new: yes · would come again: no" (or "not recorded")."""
    if session.pulse_learned is None and session.pulse_again is None:
        return "pulse not recorded"

    def answer(value: bool | None) -> str:
        return "—" if value is None else ("yes" if value else "no")

    return (
        f"learned something new: {answer(session.pulse_learned)} · "
        f"would come again: {answer(session.pulse_again)}"
    )


def since(moment: datetime, now: datetime) -> str:
    """ "3 hours ago", "2 days ago"."""
    elapsed = now - moment
    if elapsed < timedelta(minutes=1):
        return "just now"
    if elapsed < timedelta(hours=1):
        return f"{int(elapsed.total_seconds() // 60)} min ago"
    if elapsed < timedelta(days=2):
        hours = int(elapsed.total_seconds() // 3600)
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return f"{elapsed.days} days ago"


class PulseScreen(ModalScreen[dict[str, bool | None] | None]):
    """y / n / s (skip) for each question; Escape leaves the meeting open."""

    DEFAULT_CSS = DIALOG_CSS.format(name="PulseScreen") + (
        "PulseScreen #pulse-question { margin: 1 0 0 0; text-style: bold; }"
    )
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="pulse.yes"),
        Binding("n", "answer(False)", "No", id="pulse.no"),
        Binding("s", "answer(None)", "Skip", id="pulse.skip"),
        Binding("escape", "cancel", "Cancel", id="pulse.cancel"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.answers: dict[str, bool | None] = {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("End the review meeting", classes="dialog-title")
            yield Static(
                "Two quick questions for the room; the answers stay with the review. "
                "Next time the review opens, it opens on the action pass.",
                id="pulse-intro",
            )
            yield Static("", id="pulse-question")
            yield Static(
                "y yes · n no · s skip · Escape keeps the meeting open", classes="dialog-hint"
            )

    def on_mount(self) -> None:
        self._ask()

    def _ask(self) -> None:
        _, question = QUESTIONS[len(self.answers)]
        number = len(self.answers) + 1
        self.query_one("#pulse-question", Static).update(Content(f"{number}/2  {question}"))

    def action_answer(self, value: bool | None) -> None:
        key, _ = QUESTIONS[len(self.answers)]
        self.answers[key] = value
        if len(self.answers) == len(QUESTIONS):
            self.dismiss(self.answers)
        else:
            self._ask()

    def action_cancel(self) -> None:
        self.dismiss(None)
