"""The assistant on the review screen: ask for questions, use or set them aside, draft, cancel.

Calls run in one async worker group ("assistant"), exclusive, never taking the app down;
Escape cancels. Notes can be typed the whole time.

With a model configured, the review screen prepares the prompt material in a worker thread
shortly after it is drawn ("assistant-prepare"), so the first ask is as quick as the next ones.
That shows nothing, logs no call, and any error in it is left for the ask to report.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import SuggestionStatus
from review_assistant.tui.assistant_panel import (
    AssistantPanel,
    SuggestionChosen,
    SuggestionList,
)

if TYPE_CHECKING:
    from review_assistant.assistant.service import Assistant, Outcome, Request
    from review_assistant.domain.phases import Phase
    from review_assistant.live import LiveReview

GROUP = "assistant"
#: The worker (and its group) that prepares the prompt material in the background.
PREPARE = "assistant-prepare"
#: How long after the screen is shown that starts: its first frames come first.
PREPARE_AFTER_S = 0.5
WHAT = {
    Task.SUGGEST: "Questions for this phase",
    Task.INTERVIEW: "Interview questions",
    Task.COMPARE: "Comparing accounts",
    Task.REFRAME: "Neutral wording",
    Task.SUMMARY: "Summary draft",
    Task.WRITEUP: "Write-up draft",
}


def _finished_sentences(raw: str) -> list[str]:
    from review_assistant.writeup.narrative import SECTIONS, finished_claims

    narrative = finished_claims(raw)
    return [claim.text for name in SECTIONS for claim in getattr(narrative, name)]


#: While an answer streams, the panel shows at most this many questions (or drafted
#: sentences) and this many characters of a plain answer; the whole answer is shown (as a
#: list, or in the draft) once it is complete. A runaway answer cannot slow the room down.
SHOWN_ITEMS = 20
SHOWN_TEXT = 8_000
MORE = "\n\n… (the rest of the answer is not shown here while it streams)\n"


class QuestionFeed:
    """Shows a JSON answer as it streams: each question (or drafted sentence) once its text is
    complete (raw JSON is no use to a room); an answer that is not JSON streams as it comes."""

    def __init__(self, panel: AssistantPanel, *, drafting: bool = False) -> None:
        self.panel = panel
        self.raw = ""
        self.shown = 0  # questions or sentences shown
        self.shown_text = 0  # characters of a plain answer shown
        self.scanned = 0  # where to look for the next complete question
        self.full = False  # the panel has shown all it will while streaming
        self.drafting = drafting

    async def __call__(self, piece: str) -> None:
        self.raw += piece
        if self.full:
            return
        if not self.raw.lstrip().startswith(("{", "[", "`")):
            room = SHOWN_TEXT - self.shown_text
            await self.panel.feed(piece[:room])
            self.shown_text += min(len(piece), room)
            if len(piece) > room:
                await self._enough()
            return
        if self.drafting:
            if "}" not in piece:
                return  # no cited sentence can have been completed by this piece
            found = _finished_sentences(self.raw)[self.shown :]
        else:
            if '"' not in piece:
                return  # no question can have been completed by this piece
            from review_assistant.assistant.parsing import questions_after

            found, self.scanned = questions_after(self.raw, self.scanned)
        for item in found:
            if self.shown == SHOWN_ITEMS:
                await self._enough()
                return
            await self.panel.feed(f"- {item}\n")
            self.shown += 1

    async def _enough(self) -> None:
        self.full = True
        await self.panel.feed(MORE)


def _prepare(assistant: Assistant, session_id: str, phase: Phase) -> bool:
    """In a worker thread: the review read on a connection of its own, then its prompt
    material prepared. Any error means only that the first ask does the work itself."""
    from review_assistant.assistant.keeping import on_own_connection

    try:
        review = on_own_connection(assistant.store.path, lambda s: s.load_review(session_id))
        if get_current_worker().is_cancelled:  # the screen was closed meanwhile
            return False
        return assistant.prepare(review, phase)
    except Exception:  # only a warm-up: the ask reports what is wrong
        return False


class AssistActions(Screen[None]):
    """Mixed into screens that have an AssistantPanel and a ``live`` review."""

    live: LiveReview

    def assistant(self) -> Assistant:
        from review_assistant.assistant.service import Assistant

        settings = getattr(self.app, "settings", None)
        store = getattr(self.app, "store", None)
        assert settings is not None and store is not None
        return Assistant(store, settings)

    def prepare_assistant_soon(self) -> None:
        """Prepare the prompt material once the screen's first frames are drawn."""
        self.set_timer(PREPARE_AFTER_S, self.prepare_assistant)

    def prepare_assistant(self) -> Worker[bool] | None:
        """With a model configured, the review's prompt material is prepared in a worker thread
        (``Assistant.prepare``); nothing with the built-in engine, which needs none, nor while
        an ask is already doing that work."""
        assistant = self.assistant()
        if assistant.provider == "builtin" or self.assistant_running:
            return None
        work = partial(_prepare, assistant, self.live.id, self.live.session.phase)
        return self.run_worker(
            work, thread=True, group=PREPARE, exclusive=True, exit_on_error=False, name=PREPARE
        )

    @property
    def assistant_running(self) -> bool:
        return any(
            w.group == GROUP and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in self.workers
        )

    def cancel_assistant(self) -> bool:
        """Escape while a call runs cancels it (and nothing else)."""
        if not self.assistant_running:
            return False
        self.workers.cancel_group(self, GROUP)
        return True

    def ask(self, request: Request) -> None:
        self.run_worker(
            self._ask(request), group=GROUP, exclusive=True, exit_on_error=False, name="assistant"
        )

    async def _ask(self, request: Request) -> Outcome | None:
        panel = self.query_one(AssistantPanel)
        assistant = self.assistant()
        await panel.start(WHAT[request.task], assistant.settings.model_label)
        feed = panel.feed
        if assistant.provider != "builtin":
            feed = QuestionFeed(panel, drafting=request.task.drafts)
        try:
            outcome = await assistant.run(self.live.id, request, on_delta=feed)
        except Exception as exc:  # the panel says what broke; the app carries on
            await panel.fail(f"the assistant failed: {type(exc).__name__}: {exc}")
            return None
        await panel.finish(outcome, outcome.tokens(assistant.counter))
        self.assistant_done(outcome)
        return outcome

    def assistant_done(self, outcome: Outcome) -> None:
        """Screens react to a finished call (e.g. open the draft preview)."""

    async def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group == GROUP and event.state is WorkerState.CANCELLED:
            await self.query_one(AssistantPanel).cancelled()

    def on_suggestion_chosen(self, message: SuggestionChosen) -> None:
        status = SuggestionStatus.ACCEPTED if message.accepted else SuggestionStatus.DISMISSED
        self.assistant().set_status(self.live.id, message.suggestion.id, status)
        if message.accepted:
            self.use_suggestion(message.suggestion.text)

    def use_suggestion(self, text: str) -> None:
        """Put an accepted question where the facilitator can ask and record it."""

    def action_pick_suggestion(self) -> None:
        """Move to the suggestion list, if one is showing."""
        listing = self.query_one(SuggestionList)
        if listing.display and listing.option_count:
            listing.focus()
        else:
            self.nothing_to_pick()

    def nothing_to_pick(self) -> None:
        """Screens with somewhere to say so, say there is nothing to pick."""

    def put_in_note_line(self, text: str, hint: str) -> None:
        """The question, ready to edit or record, in a screen's note line (a CaptureBar)."""
        from review_assistant.tui.widgets import CaptureBar

        bar = self.query_one(CaptureBar)
        bar.input.value = f"? {text}"
        bar.input.focus()
        bar.report(hint)
