"""Pre-meeting interviews: one participant's account, merged into the timeline by key."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from review_assistant.domain.models import Interview, Participant
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import printable
from review_assistant.live import LiveReview
from review_assistant.tui.assisting import AssistActions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.format import cell, clock, clock_width, literal, spans_days
from review_assistant.tui.modals import ChoiceScreen, FieldError, FormScreen
from review_assistant.tui.views.base import ItemTable, Row
from review_assistant.tui.views.timeline import kind_label
from review_assistant.tui.widgets import CaptureBar, GuidePanel

ADD_PARTICIPANT = "+add"


class AccountTable(ItemTable):
    """The events this person describes, in time order, then their notes."""

    def __init__(self, live: LiveReview, interview: Interview) -> None:
        super().__init__(id="account")
        self.live = live
        self.interview = interview

    def on_mount(self) -> None:
        self.add_column("Time", width=5, key="time")
        self.add_column("Kind", width=10, key="kind")
        self.add_column("Who", width=12, key="who")
        self.add_column("Timeline", width=8, key="merged")
        self.add_column("Their account", key="text")
        self.reload()

    def reload(self) -> None:
        selected = self.selected_key
        rows: list[Row] = []
        review = self.live.review
        merged = {e.merged_from for e in review.events if e.merged_from}
        tz = review.session.tz
        events = sorted(
            (e for e in review.events if e.interview_id == self.interview.id), key=lambda e: e.at
        )
        multi_day = spans_days((e.at for e in events), tz)
        self.set_column_width("time", clock_width(multi_day))
        for event in events:
            state = "merged" if event.id in merged else "—"
            cells = (
                clock(event.at, tz, with_date=multi_day),
                kind_label(event.kind),
                cell(event.who, 12),
                state,
                cell(event.text),
            )
            rows.append(Row(event.id, cells))
        for note in review.notes:
            if note.interview_id == self.interview.id:
                rows.append(Row(note.id, ("note", "", "", "", cell(note.text))))
        self.fill(rows, keep=selected)


class InterviewScreen(AssistActions):
    BINDINGS = [
        Binding("ctrl+l", "merge", "Merge event", id="interview.merge"),
        Binding("ctrl+y", "merge_all", "Merge all", id="interview.merge-all"),
        Binding("f9", "suggest", "Suggest", id="interview.suggest"),
        Binding("ctrl+t", "pick_suggestion", "Pick a suggestion", show=False, id="interview.pick"),
        Binding("escape", "back", "Back", id="interview.back"),
    ]
    DEFAULT_CSS = """
    InterviewScreen #who { padding: 0 1; text-style: bold; background: $boost; }
    InterviewScreen #body { height: 1fr; }
    InterviewScreen #account { width: 1fr; }
    """

    def __init__(self, live: LiveReview, participant: Participant) -> None:
        super().__init__()
        self.live = live
        self.participant = participant
        self.interview = live.interview_for(participant.id)

    def compose(self) -> ComposeResult:
        yield Header()
        role = f" — {self.participant.role}" if self.participant.role else ""
        yield Static(literal(f"Interview: {self.participant.name}{role}"), id="who")
        with Horizontal(id="body"):
            yield AccountTable(self.live, self.interview)
            yield GuidePanel(self.live.review, id="side", pick_key="Ctrl+T")
        yield CaptureBar(people=lambda: self.live.review.participants)
        yield KeyFooter()

    def action_suggest(self) -> None:
        """Questions for this person's interview (F9)."""
        from review_assistant.assistant.service import Request
        from review_assistant.assistant.tasks import Task

        self.ask(Request(Task.INTERVIEW, Phase.INTERVIEW, participant_id=self.participant.id))

    def use_suggestion(self, text: str) -> None:
        self.put_in_note_line(text, "Question ready: ask it, then record their answer as a note")

    def on_mount(self) -> None:
        self.sub_title = printable(self.live.session.title)
        self.query_one(GuidePanel).show_phase(Phase.INTERVIEW)
        bar = self.query_one(CaptureBar)
        bar.report("Their account: plain notes, or `14:05 kind: what they saw` for events")
        bar.input.focus()
        self.prepare_assistant_soon()  # F9 here asks for this person's interview questions

    @on(Input.Submitted, "#capture")
    def capture(self, event: Input.Submitted) -> None:
        event.stop()
        bar = self.query_one(CaptureBar)
        if not event.value.strip():
            return
        recorded = bar.save(
            lambda: self.live.capture(
                event.value, interview_id=self.interview.id, who=self.participant.name
            ),
            event.value,
        )
        if recorded is None:
            return
        table = self.query_one(AccountTable)
        table.reload()
        table.select_key(recorded.item.id)
        bar.report(f"✓ saved {recorded.describe()}")
        bar.check_wording(event.value, saved=True)

    def action_merge(self) -> None:
        table = self.query_one(AccountTable)
        key = table.selected_key
        if not key or not any(e.id == key for e in self.live.review.events):
            self.query_one(CaptureBar).report(
                "Select one of their events (↑↓) to merge", error=True
            )
            return
        copy = self.live.merge_event(key)
        table.reload()
        message = "✓ merged into the shared timeline" if copy else "Already in the shared timeline"
        self.query_one(CaptureBar).report(message)

    def action_merge_all(self) -> None:
        merged = 0
        for event in list(self.live.review.events):
            if event.interview_id == self.interview.id and self.live.merge_event(event.id):
                merged += 1
        self.query_one(AccountTable).reload()
        self.query_one(CaptureBar).report(f"✓ merged {merged} event(s) into the shared timeline")

    def action_back(self) -> None:
        if self.cancel_assistant():
            self.query_one(CaptureBar).report("Assistant call cancelled")
            return
        self.dismiss(None)


def participant_form() -> FormScreen:
    def validate(values: dict[str, str]) -> dict[str, Any]:
        if not values["name"].strip():
            raise FieldError("name", "a name is needed (it is replaced by the role when shared)")
        return {k: v.strip() for k, v in values.items()}

    return FormScreen(
        "Add a participant",
        [
            ("name", "Name", "", ""),
            ("role", "Role", "", "on-call engineer, incident commander …"),
            ("alias", "Alias when anonymised", "", "Engineer A"),
        ],
        validate,
    )


def choose_interview(screen: Screen[Any], live: LiveReview) -> None:
    """Pick a participant (or add one) and open their interview."""
    counts: dict[str, int] = {}
    for interview in live.review.interviews:
        counts[interview.participant_id] = sum(
            1 for e in live.review.events if e.interview_id == interview.id
        ) + sum(1 for n in live.review.notes if n.interview_id == interview.id)
    choices = [
        (p.id, f"{p.name} — {p.role or 'no role'} ({counts.get(p.id, 0)} items)")
        for p in live.review.participants
    ]
    choices.append((ADD_PARTICIPANT, "+ add a participant"))

    def open_interview(participant_id: str | None) -> None:
        if participant_id == ADD_PARTICIPANT:
            screen.app.push_screen(participant_form(), add_participant)
        elif participant_id:
            person = live.review.participant(participant_id)
            if person:
                screen.app.push_screen(InterviewScreen(live, person), lambda _: refresh())

    def add_participant(values: dict[str, Any] | None) -> None:
        if values:
            person = live.add(Participant(**values))
            screen.app.push_screen(InterviewScreen(live, person), lambda _: refresh())

    def refresh() -> None:
        changed = getattr(screen, "after_change", None)
        if callable(changed):
            changed("")

    screen.app.push_screen(ChoiceScreen("Whose account?", choices), open_interview)
