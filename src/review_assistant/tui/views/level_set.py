"""Level-set: context notes and the incident's impact, saved as they are typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.content import Content
from textual.widgets import Input, Label, Static

from review_assistant.domain.models import Impact
from review_assistant.domain.phases import Phase
from review_assistant.tui.format import TextInput, literal
from review_assistant.tui.views.base import PhaseView

IMPACT_LABELS = {
    "users_affected": "Users affected",
    "duration": "Duration",
    "money": "Money",
    "team_load": "Team load",
}


class LevelSetView(PhaseView):
    PHASE = Phase.LEVEL_SET
    DEFAULT_CSS = """
    LevelSetView Grid { grid-size: 2; grid-columns: 16 1fr; height: auto; padding: 0 1; }
    LevelSetView Grid { grid-gutter: 1 0; margin: 0 0 1 0; }
    LevelSetView #details { margin-bottom: 1; }
    LevelSetView Grid Label { color: $text-muted; }
    LevelSetView Grid Input { margin: 0; }
    LevelSetView #details { padding: 0 1; height: auto; max-height: 4; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static(self.details(), id="details")
        impact = self.review.session.impact
        yield Static("Impact — Tab from the note line; saved as you type", classes="section")
        with Grid(id="impact"):
            for key, label in IMPACT_LABELS.items():
                yield Label(label)
                yield TextInput(
                    getattr(impact, key),
                    placeholder="unknown yet",
                    id=f"impact-{key}",
                    max_length=500,
                    classes="impact-field",
                    compact=True,
                )
        yield from self.compose_notes()

    def details(self) -> Content:
        """Severity, window, people and summary — what everyone should agree on first."""
        session = self.review.session
        tz = session.tz
        window = "start not set"
        if session.incident_start:
            window = session.incident_start.astimezone(tz).strftime("%Y-%m-%d %H:%M")
            if session.incident_end:
                window += " → " + session.incident_end.astimezone(tz).strftime("%Y-%m-%d %H:%M")
        people = ", ".join(
            f"{p.name} ({p.role})" if p.role else p.name for p in self.review.participants
        )
        return Content.assemble(
            literal(session.severity or "no severity").stylize("bold"),
            f" · {window} {session.timezone} · ",
            literal(people or "no participants yet"),
            "\n",
            literal(session.summary) if session.summary else ("no summary yet", "italic dim"),
            ("  (F8 edits these)", "dim"),
        )

    def changed(self) -> None:
        self.query_one("#details", Static).update(self.details())

    def on_input_changed(self, event: Input.Changed) -> None:
        """Each keystroke in an impact field is committed (one small write)."""
        if not event.input.has_class("impact-field") or event.input.id is None:
            return
        event.stop()
        key = event.input.id.removeprefix("impact-")
        current: Impact = self.review.session.impact
        if getattr(current, key) == event.value:
            return
        live = getattr(self.screen, "live", None)
        if live is not None:
            live.update_session(impact={key: event.value})
            self.review = live.review

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.has_class("impact-field"):
            event.stop()
            self.screen.focus_next()
