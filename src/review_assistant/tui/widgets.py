"""Widgets shared by the review screens: the phase stepper, guide panel and capture bar."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, Static

from review_assistant.domain.capture import CaptureError
from review_assistant.domain.models import Participant, Review
from review_assistant.domain.phases import PHASES, Phase, phase_def
from review_assistant.recording import Recorded
from review_assistant.store import StoreError
from review_assistant.tui.format import TextInput, duration, literal
from review_assistant.tui.guide_text import GuideText

CAPTURE_HINT = (
    "note · 14:05 kind: event · ! idea · + went well · avoid:/detect:/fix: factor · ? question"
)


class PhaseStepper(Static):
    """level-set → timeline → … with the current phase lit and time spent in each."""

    DEFAULT_CSS = """
    PhaseStepper { height: 1; padding: 0 1; background: $boost; }
    """

    def show(self, current: Phase, seconds: dict[Phase, float]) -> None:
        parts: list[Content] = []
        index = (
            [d.phase for d in PHASES].index(current) if current in [d.phase for d in PHASES] else 0
        )
        for number, definition in enumerate(PHASES):
            spent = seconds.get(definition.phase, 0.0)
            label = f" F{number + 2} {definition.short}"
            if spent >= 60:
                label += f" {duration(spent).split()[0]}"
            label += " "
            if definition.phase is current:
                style = "bold reverse"
            elif number < index:
                style = "$success"
            else:
                style = "$text-muted"
            parts.append(Content.styled(label, style))
        self.update(Content("›").join(parts))


class GuidePanel(Vertical):
    """The current phase's facilitator guide and the parking lot."""

    DEFAULT_CSS = """
    GuidePanel { width: 32; border-left: vkey $primary 40%; }
    GuidePanel.-hidden { display: none; }
    GuidePanel #guide { height: 2fr; padding: 0 1; }
    GuidePanel #side-ideas { height: 1fr; min-height: 4; }
    """

    def __init__(self, review: Review, *, id: str | None = None, pick_key: str = "Ctrl+L") -> None:
        super().__init__(id=id)
        self.review = review
        self.pick_key = pick_key

    def compose(self) -> ComposeResult:
        from review_assistant.tui.assistant_panel import AssistantPanel
        from review_assistant.tui.views.actions import IdeaTable

        yield AssistantPanel(id="assistant", pick_key=self.pick_key)
        yield GuideText(id="guide")
        yield IdeaTable(self.review, id="side-ideas", compact=True)

    def show_phase(self, phase: Phase) -> None:
        """The phase's guide, from its top."""
        from review_assistant.guidebook import load_guide

        guide = self.query_one(GuideText)
        try:
            guide.show(load_guide(phase).markdown)
        except (OSError, ValueError) as exc:
            message = f"The guide for {phase_def(phase).title} could not be read: {exc}"
            guide.show(message, markdown=False)


#: Only the start of a long paste is checked as it is typed (the lint command reads it all).
WORDING_LIMIT = 2_000


class NoteInput(TextInput):
    """The note line. Enter takes the note and empties the line in the same step, so keys
    typed after it (typed ahead while the app was busy, or pasted with their line breaks)
    start the next note instead of joining this one."""

    #: How wide the text is, for scrolling it sideways. Textual lays the whole screen out again
    #: when it changes, that is at every key; the line's own size never depends on it, so
    #: here it only redraws the line (it takes a fraction of the time).
    virtual_size = Reactive(Size(0, 0), layout=False)

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            await self.action_submit()
            return
        await super()._on_key(event)

    async def action_submit(self) -> None:
        value = self.value
        self.value = ""
        self.post_message(self.Submitted(self, value, None))


class CaptureBar(Vertical):
    """The always-ready note input, a line saying what happened to the last note, and a line
    pointing out blame or hindsight in the wording (as it is typed, and for the note saved)."""

    DEFAULT_CSS = """
    CaptureBar { height: auto; dock: bottom; }
    CaptureBar Input { border: tall $accent; }
    CaptureBar #wording { height: auto; max-height: 2; padding: 0 1; color: $text-warning; }
    CaptureBar #wording.-empty { display: none; }
    CaptureBar #feedback { height: 1; padding: 0 1; color: $text-muted; }
    CaptureBar #feedback.-error { color: $error; text-style: bold; }
    CaptureBar #feedback.-ok { color: $success; }
    """

    def __init__(self, people: Callable[[], Sequence[Participant]] = tuple) -> None:
        super().__init__()
        self.people = people
        self._keep_wording = False

    def compose(self) -> ComposeResult:
        yield Static("", id="wording", classes="-empty")
        yield Static(Content(f"Type and press Enter — {CAPTURE_HINT}"), id="feedback")
        yield NoteInput(placeholder="Type a note…", id="capture")

    @on(Input.Changed, "#capture")
    def _wording_as_typed(self, event: Input.Changed) -> None:
        if not event.value.strip() and self._keep_wording:
            return  # the input was cleared by a save: keep what was said about that note
        self._keep_wording = False
        self.check_wording(event.value)

    def check_wording(self, text: str, *, saved: bool = False) -> bool:
        """Show the first blame or hindsight finding in ``text`` (or nothing); True if any."""
        from review_assistant.lint import lint_action_text, lint_text

        line = self.query_one("#wording", Static)
        body = text.strip()[:WORDING_LIMIT]
        findings = []
        if body:
            people = self.people()
            if body.startswith("!"):
                findings = lint_action_text(body[1:].strip(), owner=None, people=people)
            else:
                findings = lint_text(body, people=people)
        line.set_class(not findings, "-empty")
        if findings:
            first = findings[0]
            more = f" (+{len(findings) - 1} more)" if len(findings) > 1 else ""
            lead = "⚑ in the note just saved: " if saved else "⚑ "
            line.update(
                literal(f"{lead}“{first.words}” — {first.why}{more}. Try: {first.suggestion}")
            )
        self._keep_wording = saved and bool(findings)
        return bool(findings)

    def report(self, message: str, *, error: bool = False) -> None:
        feedback = self.query_one("#feedback", Static)
        feedback.set_class(error, "-error")
        feedback.set_class(not error, "-ok")
        feedback.update(literal(message))

    @property
    def input(self) -> Input:
        return self.query_one("#capture", Input)

    def save(self, capture: Callable[[], Recorded], text: str) -> Recorded | None:
        """Run one capture of ``text`` (the note line was emptied when Enter took it); on
        failure put the text back in front of anything typed since, and say why."""
        try:
            return capture()
        except CaptureError as exc:
            self.report(f"Not saved: {exc}", error=True)
        except (StoreError, sqlite3.Error, ValueError) as exc:
            self.report(f"Not saved — the database refused it: {exc}", error=True)
        typed_since = self.input.value
        self.input.value = text + typed_since
        self.input.cursor_position = len(text)
        return None
