"""Running a task: the chosen provider, streaming, storing the answer and logging the call.

Every call is logged with its session (task, provider, model, tokens, time to first token,
total time, outcome, error), also when it fails or is cancelled. The API key is never part of
anything stored.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from pydantic import ValidationError

from review_assistant.assistant import builtin
from review_assistant.assistant.accounts import compare
from review_assistant.assistant.as_markdown import differences_markdown, probes_markdown
from review_assistant.assistant.budget import Counter, counter_for, limits_for
from review_assistant.assistant.context import pack
from review_assistant.assistant.keeping import in_thread, keep_nothing, save_draft
from review_assistant.assistant.parsing import ParseError, parse_answer
from review_assistant.assistant.prompting import messages, render
from review_assistant.assistant.remote import (
    AssistantError,
    Delta,
    Streamed,
    deliver,
    stream_chat,
)
from review_assistant.assistant.settings import Settings
from review_assistant.assistant.tasks import (
    Differences,
    Probes,
    Reframe,
    Reply,
    Task,
    json_schema,
)
from review_assistant.domain.language import neutral_wording
from review_assistant.domain.models import (
    AssistantCall,
    CallOutcome,
    Draft,
    DraftKind,
    Review,
    Suggestion,
    SuggestionStatus,
)
from review_assistant.domain.phases import Phase, phase_def
from review_assistant.domain.text import counted, one_line
from review_assistant.store import Store
from review_assistant.writeup.narrative import Narrative, finished_claims, unsupported

LIMIT = 5


@dataclass
class Outcome:
    """What a finished (or failed) call produced; ``error`` is shown literally."""

    task: Task
    call: AssistantCall
    text: str = ""
    suggestions: list[Suggestion] = field(default_factory=list)
    draft: Draft | None = None
    reframe: Reframe | None = None
    error: str = ""
    #: Something worth knowing about a successful answer (sentences left out for want of a source).
    notice: str = ""
    partial: bool = False
    #: Token figures counted here rather than reported by the server (maybe approximate).
    counted: bool = False

    def tokens(self, counter: Counter) -> str:
        """ "in 1,234 / out 56", marked ≈ where counted with another model's encoding."""
        call = self.call

        def shown(value: int | None) -> str:
            if value is None:
                return "—"
            return counter.shown(value) if self.counted else f"{value:,}"

        return f"in {shown(call.prompt_tokens)} / out {shown(call.output_tokens)}"


@dataclass
class Request:
    task: Task
    phase: Phase
    participant_id: str | None = None
    text: str = ""
    #: The item the task is about (the note being reworded).
    ref_id: str | None = None


class Assistant:
    def __init__(self, store: Store, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.limits = limits_for(
            settings.model,
            context_window=settings.context_window,
            max_output=settings.max_output_tokens,
        )

    @property
    def counter(self) -> Counter:
        return counter_for(self.limits.encoding)

    @property
    def provider(self) -> str:
        return self.settings.provider

    async def run(
        self, session_id: str, request: Request, on_delta: Delta | None = None
    ) -> Outcome:
        call = AssistantCall(
            task=request.task.value, provider=self.provider, model=self.settings.model_label
        )
        outcome = Outcome(request.task, call)
        started = time.perf_counter()
        streamed = Streamed()
        #: What the answer leaves in the store, written with the call's log entry.
        keep: Callable[[Store], object] = keep_nothing
        review: Review | None = None
        try:
            review = await in_thread(self.store, lambda store: store.load_review(session_id))
            if self.provider == "builtin":
                # in a thread, like building a prompt: the app keeps answering keys meanwhile
                answer, text = await asyncio.to_thread(self._builtin, review, request)
                streamed = Streamed(text=text, ttft_ms=(time.perf_counter() - started) * 1000)
                if on_delta is not None:
                    for line in text.splitlines(keepends=True):
                        await deliver(on_delta, line)
            else:
                streamed = await self._remote(review, request, on_delta, into=streamed)
                outcome.counted = streamed.counted
                answer, text = self._read(request.task, streamed.text), streamed.text
            outcome.text = text
            if isinstance(answer, Probes):
                known = {i.id for i in review.events} | {n.id for n in review.notes}
                known |= {p.id for p in review.participants}
                for probe in answer.questions:
                    if probe.ref not in known:
                        probe.ref = None  # a model's made-up reference points nowhere
            keep = partial(self._keep, session_id, request, answer, outcome, review)
        except (AssistantError, ParseError, ValidationError) as exc:
            partial_text = getattr(exc, "partial", "") or streamed.text
            outcome.error, outcome.text = str(exc), partial_text
            outcome.partial = bool(partial_text)
            if isinstance(exc, ParseError | ValidationError):
                problem = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else exc
                outcome.error = f"the model's answer could not be read: {problem}"
            if partial_text and request.task.drafts and review is not None:
                keep = partial(self._salvage, session_id, review, request.task, outcome)
            call.outcome, call.error = CallOutcome.ERROR, outcome.error
        except asyncio.CancelledError:
            # written here and now, on the app's connection: a cancelled call waits for nothing
            call.outcome, call.error = CallOutcome.CANCELLED, "cancelled by the facilitator"
            outcome.text, outcome.partial = streamed.text, bool(streamed.text)
            if streamed.text and request.task.drafts and review is not None:
                # keep what arrived, marked partial
                self._salvage(session_id, review, request.task, outcome, self.store)
            self._log(session_id, outcome, streamed, started, self.store)
            raise
        except Exception as exc:  # unforeseen: logged as the error it is, then raised
            call.outcome = CallOutcome.ERROR
            call.error = f"the assistant failed: {type(exc).__name__}: {str(exc)[:300]}"
            self._log(session_id, outcome, streamed, started, self.store)
            raise

        def write(store: Store) -> None:
            keep(store)
            self._log(session_id, outcome, streamed, started, store)

        await in_thread(self.store, write, finish=True)
        return outcome

    def _log(
        self, session_id: str, outcome: Outcome, streamed: Streamed, started: float, store: Store
    ) -> None:
        """The call's log entry, with what was measured."""
        call = outcome.call
        call.total_ms = (time.perf_counter() - started) * 1000
        call.ttft_ms = streamed.ttft_ms
        call.prompt_tokens = streamed.prompt_tokens
        call.output_tokens = streamed.output_tokens
        if call.output_tokens is None and self.provider != "builtin" and outcome.text:
            call.output_tokens = self.counter.count(outcome.text)
            outcome.counted = True
        store.add(session_id, call)

    # -- the built-in engine ----------------------------------------------------------------

    def _builtin(self, review: Review, request: Request) -> tuple[Reply | str, str]:
        engine = builtin.Engine(review)
        if request.task is Task.SUGGEST:
            probes = engine.suggest(request.phase, LIMIT)
            return probes, probes_markdown(probes)
        if request.task is Task.INTERVIEW:
            person = review.participant(request.participant_id or "")
            if person is None:
                raise AssistantError("choose a participant to interview first")
            probes = engine.interview(person, LIMIT)
            return probes, probes_markdown(probes)
        if request.task is Task.COMPARE:
            found = compare(review)
            return found, differences_markdown(found)
        if request.task is Task.REFRAME:
            people = [(p.name, p.role) for p in review.participants]
            text, changes = neutral_wording(request.text, people)
            reframe = Reframe(
                text=text or request.text, why="; ".join(changes) or "already neutral"
            )
            return reframe, f"{reframe.text}\n\n_{reframe.why}_\n"
        from review_assistant.writeup import render_draft

        draft = render_draft(DraftKind(request.task.value), review)
        return draft, draft

    # -- a model ------------------------------------------------------------------------------

    async def _remote(
        self, review: Review, request: Request, on_delta: Delta | None, *, into: Streamed
    ) -> Streamed:
        """Streams into ``into``, so what was measured stays when the call fails or is cancelled."""
        # packing a big review takes tens of milliseconds: not on the app's event loop
        prompt, used = await asyncio.to_thread(self._prompt_and_tokens, review, request)
        schema = json_schema(request.task)
        streamed = await stream_chat(
            self.settings,
            prompt,
            max_tokens=self.limits.answer_room(used),
            schema=schema,
            on_delta=on_delta,
            result=into,
        )
        if streamed.prompt_tokens is None:
            streamed.prompt_tokens = used
            streamed.counted = True
        return streamed

    def _prompt_and_tokens(
        self, review: Review, request: Request
    ) -> tuple[list[dict[str, str]], int]:
        prompt = self.prompt(review, request)
        return prompt, self._tokens(prompt)

    def _tokens(self, prompt: list[dict[str, str]]) -> int:
        """The prompt's tokens as counted here (when the server reports none)."""
        return sum(self.counter.count(m["content"]) for m in prompt)

    def prepare(self, review: Review, phase: Phase) -> bool:
        """Builds and counts the prompt for the phase's questions and sends nothing, so that
        the facilitator's first ask is as quick as asking again.

        The first prompt for a review writes out, anonymises and counts thousands of lines.
        Lines are remembered by their content and counts by their text, so the review read
        afresh for the ask finds them ready, and notes added meanwhile cost only their own
        lines. Nothing is stored or logged; safe in a worker thread. False when there is
        nothing to prepare (the built-in engine) or the prompt cannot be built (the ask says
        why).
        """
        if self.provider == "builtin":
            return False
        import jinja2  # the prompt's templates load it in any case

        try:
            self._prompt_and_tokens(review, Request(Task.SUGGEST, phase))
        except (AssistantError, jinja2.TemplateError, OSError, ValueError):
            return False  # a bad template, a missing encoding: the ask reports it
        return True

    def prompt(self, review: Review, request: Request) -> list[dict[str, str]]:
        """The messages for a task, with the review packed into what the model can take."""
        definition = phase_def(request.phase)
        asked = [s.text for s in review.suggestions] + [q.text for q in review.questions]
        context: dict[str, object] = {
            "phase_title": definition.title,
            "phase_purpose": definition.purpose,
            "limit": LIMIT,
            # listed outside the data block: one short line each, so none can add lines there
            "already_asked": [one_line(text, 300) for text in asked[-40:]],
        }
        if request.task is Task.REFRAME:
            roles = [(p.name, p.role) for p in review.participants]
            prompt = messages(request.task, text=request.text, roles=roles)
            used = self._tokens(prompt)
            if used > self.limits.prompt_budget:  # cut short, the rewording would lose the rest
                raise AssistantError(
                    f"the note is too long for {self.settings.model_label} to reword: "
                    f"{self.counter.shown(used)} tokens, {self.limits.prompt_budget:,} fit"
                )
            return prompt
        if request.task is Task.INTERVIEW:
            person = review.participant(request.participant_id or "")
            if person is None:
                raise AssistantError("choose a participant to interview first")
            name = person.public_name() if review.session.anonymise else person.name
            context["person"] = f"{name} ({person.role or 'no role given'})"
        fixed = sum(
            self.counter.count(m["content"])
            for m in messages(request.task, data="", omitted="", **context)
        )
        phase = Phase.INTERVIEW if request.task in (Task.INTERVIEW, Task.COMPARE) else request.phase
        packed = pack(
            review,
            phase,
            self.limits.prompt_budget - fixed,
            self.counter,
            names=not review.session.anonymise,
        )
        if fixed + packed.tokens > self.limits.prompt_ceiling:  # the header alone is too much
            raise AssistantError(
                f"{self.settings.model_label}'s context window is too small for this: the "
                f"instructions and the review's header take {fixed + packed.tokens:,} tokens, "
                f"{self.limits.prompt_ceiling:,} fit"
            )
        return messages(request.task, data=packed.text, omitted=packed.omitted_text, **context)

    def _read(self, task: Task, text: str) -> Reply:
        return parse_answer(task, text)

    # -- keeping the answer -------------------------------------------------------------------

    def _keep(
        self,
        session_id: str,
        request: Request,
        answer: Reply | str,
        out: Outcome,
        review: Review,
        store: Store,
    ) -> None:
        """Questions, differences and rewordings become suggestions; a draft is saved."""
        if isinstance(answer, Narrative):
            text, dropped = self._cited(review, request.task, answer)
            left_out = (
                f"{counted(len(dropped), 'sentence')} without a source in the review "
                f"{'was' if len(dropped) == 1 else 'were'} left out"
            )
            if not text:  # nothing the model wrote can be traced: keep what the data says
                from review_assistant.writeup.render import render_draft

                text = render_draft(DraftKind(request.task.value), review)
                out.notice = "the model's draft cited nothing in the review, so it holds only " + (
                    f"the recorded data ({left_out})" if dropped else "the recorded data"
                )
            elif dropped:
                out.notice = left_out
            out.text = answer = text
        if isinstance(answer, str):
            out.draft = save_draft(store, session_id, request.task, answer, out.call, False)
            return
        offered: list[tuple[str, str, str | None]] = []  # (text, reason, what it is about)
        if isinstance(answer, Probes):
            offered = [(p.question, p.why, p.ref) for p in answer.questions]
        elif isinstance(answer, Differences):
            offered = [
                (
                    d.question,
                    f"{d.first_source}: {d.first_says} / {d.second_source}: {d.second_says}",
                    None,
                )
                for d in answer.differences
            ]
        elif isinstance(answer, Reframe):
            out.reframe = answer
            offered = [(answer.text, answer.why, request.ref_id)]
        for text, reason, ref in offered:
            suggestion = Suggestion(
                task=request.task.value,
                phase=request.phase,
                text=text,
                reason=reason,
                ref_id=ref,
                call_id=out.call.id,
            )
            out.suggestions.append(store.add(session_id, suggestion))

    def _cited(self, review: Review, task: Task, narrative: Narrative) -> tuple[str, list[str]]:
        """The draft with the model's cited sentences ("" if none has a source), and the
        sentences left out."""
        from review_assistant.writeup.render import render_draft

        dropped = unsupported(review, narrative)
        if narrative.claims() == len(dropped):
            return "", dropped
        return render_draft(DraftKind(task.value), review, narrative=narrative), dropped

    def _salvage(
        self, session_id: str, review: Review, task: Task, out: Outcome, store: Store
    ) -> None:
        """A call cut short keeps the sentences that were complete, as a partial draft."""
        text, _ = self._cited(review, task, finished_claims(out.text))
        if text:
            out.draft = save_draft(store, session_id, task, text, out.call, True)

    def set_status(self, session_id: str, suggestion_id: str, status: SuggestionStatus) -> None:
        self.store.update(session_id, Suggestion, suggestion_id, status=status)


__all__ = ["Assistant", "AssistantError", "Outcome", "Request", "render"]
