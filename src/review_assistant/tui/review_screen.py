"""The live review: phase stepper, the phase's workspace, guide panel and the capture bar."""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import ContentSwitcher, Header, Input

from review_assistant.domain.models import (
    ActionIdea,
    Factor,
    Item,
    Learning,
    Note,
    Question,
    SessionStatus,
    SuggestionStatus,
    TimelineEvent,
    WentWell,
    utcnow,
)
from review_assistant.domain.phases import PHASES, Phase, phase_def
from review_assistant.domain.text import printable
from review_assistant.live import LiveReview
from review_assistant.store import StoreError
from review_assistant.tui.actions import ItemActions
from review_assistant.tui.assistant_panel import SuggestionChosen
from review_assistant.tui.assisting import AssistActions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.importing import TimelineImport
from review_assistant.tui.views.actions import ActionsView, IdeaTable
from review_assistant.tui.views.base import Deleted, ItemTable, NotesTable, PhaseView, Request
from review_assistant.tui.views.factors import FactorList, FactorsView
from review_assistant.tui.views.level_set import LevelSetView
from review_assistant.tui.views.sense_making import SenseMakingView
from review_assistant.tui.views.timeline import TimelineView
from review_assistant.tui.views.went_well import WentWellView
from review_assistant.tui.widgets import CaptureBar, GuidePanel, PhaseStepper

VIEWS: dict[Phase, type[PhaseView]] = {
    Phase.LEVEL_SET: LevelSetView,
    Phase.TIMELINE: TimelineView,
    Phase.SENSE_MAKING: SenseMakingView,
    Phase.WENT_WELL: WentWellView,
    Phase.FACTORS: FactorsView,
    Phase.ACTIONS: ActionsView,
}

#: Where a captured item is shown, whatever phase it was typed in.
HOME_PHASE: dict[type[Item], Phase] = {
    TimelineEvent: Phase.TIMELINE,
    Question: Phase.SENSE_MAKING,
    Learning: Phase.SENSE_MAKING,
    WentWell: Phase.WENT_WELL,
    Factor: Phase.FACTORS,
    ActionIdea: Phase.ACTIONS,
}


class ReviewScreen(AssistActions, ItemActions, TimelineImport):
    """One review, run live: everything typed is committed before it is shown."""

    BINDINGS = [
        *(
            Binding(f"f{n + 2}", f"go({n})", d.title, show=False, id=f"review.phase-{d.id}")
            for n, d in enumerate(PHASES)
        ),
        Binding("ctrl+n", "step(1)", "Next phase", show=False, id="review.next"),
        Binding("ctrl+b", "step(-1)", "Prev phase", show=False, id="review.prev"),
        Binding("ctrl+g", "toggle_guide", "Guide", id="review.guide"),
        Binding("ctrl+r", "interviews", "Interviews", id="review.interviews"),
        Binding("ctrl+t", "who_knew", "Who knew", id="review.who-knew"),
        Binding("ctrl+o", "action_pass", "Action pass", id="review.action-pass"),
        Binding("f8", "details", "Details", id="review.details"),
        Binding("ctrl+y", "import_timeline", "Import timeline", show=False, id="review.import"),
        Binding("f9", "suggest", "Suggest", id="review.suggest"),
        Binding("f10", "draft", "Draft", id="review.draft"),
        Binding("f12", "end_meeting", "End meeting", show=False, id="review.end-meeting"),
        Binding("ctrl+l", "pick_suggestion", "Pick a suggestion", show=False, id="review.pick"),
        Binding("escape", "back", "Back", show=False, id="review.back"),
    ]
    DEFAULT_CSS = """
    ReviewScreen #body { height: 1fr; }
    ReviewScreen ContentSwitcher { width: 1fr; height: 1fr; }
    """

    def __init__(self, live: LiveReview) -> None:
        super().__init__()
        self.live = live
        self._entered = time.monotonic()

    @property
    def phase(self) -> Phase:
        return self.live.session.phase

    def compose(self) -> ComposeResult:
        yield Header()
        yield PhaseStepper(id="stepper")
        with Horizontal(id="body"):
            with ContentSwitcher(initial=f"view-{self.phase.value}", id="workspace"):
                # Only the current phase is built now; the others on first visit.
                yield VIEWS[self.phase](self.live.review)
            yield GuidePanel(self.live.review, id="side")
        yield CaptureBar(people=lambda: self.live.review.participants)
        yield KeyFooter(palette=False)

    def on_mount(self) -> None:
        self.sub_title = printable(self.live.session.title)
        self.query_one(GuidePanel).show_phase(self.phase)
        self._show_stepper()
        self.query_one(CaptureBar).input.focus()
        self.set_interval(60, self.save_phase_time)
        self.prepare_assistant_soon()

    def on_screen_suspend(self) -> None:
        self.save_phase_time()

    def on_unmount(self) -> None:
        self.save_phase_time(redraw=False)

    # -- phases -------------------------------------------------------------------------------

    def save_phase_time(self, *, redraw: bool = True) -> None:
        now = time.monotonic()
        spent, self._entered = now - self._entered, now
        if spent < 1:
            return
        seconds = dict(self.live.session.phase_seconds)
        seconds[self.phase] = seconds.get(self.phase, 0.0) + spent
        try:
            self.live.update_session(phase_seconds=seconds)
        except (StoreError, sqlite3.Error):
            return
        if redraw:
            self._show_stepper()

    def _show_stepper(self) -> None:
        self.query_one(PhaseStepper).show(self.phase, self.live.session.phase_seconds)

    async def action_go(self, index: int) -> None:
        target = PHASES[index].phase
        if target is self.phase:
            return
        self.save_phase_time()
        self.live.update_session(phase=target)
        switcher = self.query_one(ContentSwitcher)
        if not switcher.query_children(f"#view-{target.value}"):
            await switcher.mount(VIEWS[target](self.live.review))
        switcher.current = f"view-{target.value}"
        self.query_one(GuidePanel).show_phase(target)
        self._show_stepper()
        self.query_one(CaptureBar).report(
            f"Now: {phase_def(target).title} — {phase_def(target).purpose}"
        )

    async def show_item(self, phase: Phase, item_id: str) -> None:
        """Go to the phase that holds an item and put the cursor on it (from a search)."""
        if phase is Phase.INTERVIEW:
            self.action_interviews()
            return
        await self.action_go([d.phase for d in PHASES].index(phase))
        view = self.query_one(f"#view-{phase.value}", PhaseView)
        for table in view.query(ItemTable):
            if table.display and table.get_row_index(item_id) is not None:
                table.select_key(item_id)
                table.focus()
                self.query_one(CaptureBar).report("Found it: the cursor is on the matching item")
                return
        for factors in view.query(FactorList):
            if any(option.id == item_id for option in factors.options):
                factors.select_key(item_id)
                factors.focus()
                self.query_one(CaptureBar).report("Found it: the cursor is on the matching factor")
                return

    async def action_step(self, delta: int) -> None:
        order = [d.phase for d in PHASES]
        index = max(0, min(len(order) - 1, order.index(self.phase) + delta))
        await self.action_go(index)

    def action_toggle_guide(self) -> None:
        self.query_one(GuidePanel).toggle_class("-hidden")

    def action_back(self) -> None:
        if self.cancel_assistant():
            self.query_one(CaptureBar).report("Assistant call cancelled")
            return
        capture = self.query_one(CaptureBar).input
        if self.focused is not capture:
            capture.focus()
        else:
            self.app.pop_screen()

    # -- capture ------------------------------------------------------------------------------

    @on(Input.Submitted, "#capture")
    def capture(self, event: Input.Submitted) -> None:
        event.stop()
        bar = self.query_one(CaptureBar)
        text = event.value
        if not text.strip():
            return
        if self.phase is Phase.SENSE_MAKING and text.lstrip().startswith("="):
            self._answer_inline(text)
            return
        event_id = (
            self._sense_view().selected_event_id if self.phase is Phase.SENSE_MAKING else None
        )
        recorded = bar.save(
            lambda: self.live.capture(text, phase=self.phase, event_id=event_id), text
        )
        if recorded is None:
            return
        self.item_added(recorded.item)
        where = HOME_PHASE.get(type(recorded.item))
        suffix = f" (in {phase_def(where).title})" if where and where is not self.phase else ""
        extra = f" — {recorded.warnings[0]}" if recorded.warnings else ""
        bar.report(f"✓ saved {recorded.describe()}{suffix}{extra}")
        bar.check_wording(text, saved=True)

    def _sense_view(self) -> SenseMakingView:
        return self.query_one(SenseMakingView)

    def _answer_inline(self, text: str) -> None:
        """``= answer``: the selected event's open question gets this answer."""
        answer = text.lstrip()[1:].strip()
        bar = self.query_one(CaptureBar)
        view = self._sense_view()
        event_id = view.selected_event_id
        open_questions = [
            q for q in self.live.review.questions if q.event_id == event_id and not q.answer
        ]
        if not answer or not open_questions:
            bar.report(
                "`=` answers the selected event's open question: add one with `?` first", error=True
            )
            bar.input.value = text + bar.input.value  # back in the note line, to fix
            return
        question = open_questions[-1]
        self.live.update(Question, question.id, answer=answer)
        view.changed()
        bar.report(f"✓ answered: {question.text}")

    def item_added(self, item: Item) -> None:
        for view in self.query(PhaseView):
            view.added(item)
        if isinstance(item, ActionIdea):
            self.query_one("#side-ideas", IdeaTable).add_idea(item)

    def refresh_views(self) -> None:
        for view in self.query(PhaseView):
            view.changed()
        self.query_one("#side-ideas", IdeaTable).reload()

    # -- requests from the views --------------------------------------------------------------

    def on_request(self, message: Request) -> None:
        self.handle_request(message.action, message.item_id)

    def on_deleted(self, message: Deleted) -> None:
        self.confirm_delete(message.kind, message.item_id)

    async def probe_event(self, event_id: str) -> None:
        await self.action_go([d.phase for d in PHASES].index(Phase.SENSE_MAKING))
        self._sense_view().select_event(event_id)
        self.query_one(CaptureBar).input.focus()
        self.query_one(CaptureBar).report("Type `? question` to ask about this event, `= answer`")

    def after_change(self, message: str = "") -> None:
        self.refresh_views()
        if message:
            self.query_one(CaptureBar).report(message)

    # -- the assistant ------------------------------------------------------------------------

    def action_suggest(self) -> None:
        """Ask the assistant for questions for this phase (F9; `s` in the list)."""
        from review_assistant.assistant.service import Request
        from review_assistant.assistant.tasks import Task

        self.ask(Request(Task.SUGGEST, self.phase))

    def reframe(self, note_id: str) -> None:
        from review_assistant.assistant.service import Request
        from review_assistant.assistant.tasks import Task

        note = self.live.get(Note, note_id)
        self.ask(Request(Task.REFRAME, self.phase, text=note.text, ref_id=note.id))

    def on_suggestion_chosen(self, message: SuggestionChosen) -> None:
        suggestion = message.suggestion
        if suggestion.task != "reframe" or not message.accepted or not suggestion.ref_id:
            super().on_suggestion_chosen(message)
            return
        self.assistant().set_status(self.live.id, suggestion.id, SuggestionStatus.ACCEPTED)
        self._apply("✓ note reworded", Note, suggestion.ref_id, text=suggestion.text)
        for table in self.query(NotesTable):
            table.reload()
        self.query_one(CaptureBar).input.focus()

    def nothing_to_pick(self) -> None:
        self.query_one(CaptureBar).report("No suggestions showing: F9 asks for some")

    def use_suggestion(self, text: str) -> None:
        self.put_in_note_line(
            text, "Question ready in the note line: edit it or press Enter to record it"
        )

    def action_draft(self) -> None:
        """Draft a summary or the full write-up (F10)."""
        from review_assistant.tui.draft_screen import choose_draft

        choose_draft(self, self.live)

    def action_details(self) -> None:
        """Edit title, times, severity, summary and participants (F8)."""
        from review_assistant.tui.modals import FieldError
        from review_assistant.tui.review_form import review_form

        form = review_form(self.live.session, self.live.review.participants)
        check = form.validate

        def validate(values: dict[str, str]) -> dict[str, Any]:
            result = check(values)
            try:
                self.live.check_participants(result["participants"])
            except ValueError as exc:
                raise FieldError("participants", str(exc)) from None
            return result

        def saved(values: dict[str, Any] | None) -> None:
            if not values:
                return
            people = values.pop("participants")
            self.live.update_session(**values)
            self.live.set_participants(people)
            self.sub_title = printable(self.live.session.title)
            self.after_change("✓ review details saved")

        form.validate = validate
        self.app.push_screen(form, saved)

    def action_interviews(self) -> None:
        from review_assistant.tui.interview import choose_interview

        choose_interview(self, self.live)

    def action_who_knew(self) -> None:
        from review_assistant.tui.who_knew import WhoKnewScreen

        self.app.push_screen(WhoKnewScreen(self.live))

    def action_end_meeting(self) -> None:
        """Close the live review meeting: the pulse, then the action pass waits a day."""
        from review_assistant.tui.pulse import PulseScreen

        def close(answers: dict[str, bool | None] | None) -> None:
            if answers is None:
                return
            now = getattr(self.app, "now", utcnow)()
            self.live.update_session(meeting_ended_at=now, status=SessionStatus.REVIEWED, **answers)
            self.query_one(CaptureBar).report(
                "✓ meeting closed and its pulse saved. Hold the action pass (Ctrl+O) a day or "
                "more from now; the review will open on it."
            )

        self.app.push_screen(PulseScreen(), close)

    def action_action_pass(self) -> None:
        from review_assistant.tui.action_pass import ActionPassScreen

        self.app.push_screen(ActionPassScreen(self.live), lambda _: self.refresh_views())
