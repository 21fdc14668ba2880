"""Level-set: context notes and the incident's impact, saved as they are typed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Grid
from textual.widgets import Input, Label

from review_assistant.domain.models import Impact
from review_assistant.domain.phases import Phase
from review_assistant.tui.format import TextInput
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
    LevelSetView Grid { grid-gutter: 1 0; margin: 1 0; }
    LevelSetView Grid Label { color: $text-muted; }
    LevelSetView Grid Input { margin: 0; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        impact = self.review.session.impact
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
