"""Comparing accounts: where two people's versions of the same stretch do not agree.

The built-in engine works from event times, kinds and overlapping words; a model reads the
full text. Either way each difference names both sources and becomes a question.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from review_assistant.assistant.tasks import Difference, Differences
from review_assistant.domain.models import EventKind, Review, TimelineEvent
from review_assistant.domain.text import one_line

#: Two times for the same thing closer than this are the same time, told roughly.
SAME_TIME_S = 120
_WORD = re.compile(r"[a-z0-9][a-z0-9]+")
_COMMON = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "was",
        "were",
        "is",
        "are",
        "it",
        "this",
        "that",
        "we",
        "they",
        "he",
        "she",
        "i",
        "our",
        "us",
        "by",
        "from",
        "as",
        "be",
        "been",
        "had",
        "has",
        "have",
        "not",
        "no",
        "then",
        "than",
        "into",
        "about",
        "after",
        "before",
    ]
)
SHARED = "shared timeline"
_KNOWING = (EventKind.DETECTION, EventKind.DIAGNOSIS, EventKind.ESCALATION)


@dataclass(frozen=True)
class Account:
    source: str
    events: list[TimelineEvent]


def accounts(review: Review) -> list[Account]:
    """Each interview's events, and the shared timeline as typed in the meeting."""
    result = [
        Account(
            SHARED,
            [e for e in review.timeline() if not e.interview_id and not e.merged_from],
        )
    ]
    for interview in review.interviews:
        person = review.participant(interview.participant_id)
        name = person.name if person else "a participant"
        events = sorted(
            (e for e in review.events if e.interview_id == interview.id), key=lambda e: e.at
        )
        if events:
            result.append(Account(f"{name}'s account", events))
    return result


def stem(word: str) -> str:
    """Crude, but enough to meet "pages" with "paged" and "pager"."""
    for ending in ("ing", "ed", "er", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def words(text: str) -> frozenset[str]:
    return frozenset(stem(w) for w in _WORD.findall(text.casefold()) if w not in _COMMON)


def similar(a: TimelineEvent, b: TimelineEvent) -> bool:
    """Probably the same happening: same (non-'other') kind, or enough words in common."""
    shared, union = words(a.text) & words(b.text), words(a.text) | words(b.text)
    overlap = len(shared) / len(union) if union else 0.0
    if a.kind is b.kind and a.kind is not EventKind.OTHER:
        return overlap >= 0.25 or abs((a.at - b.at).total_seconds()) <= 5 * 60
    return overlap >= 0.34


def compare(review: Review, limit: int = 8) -> Differences:
    tz = review.session.tz

    def told(event: TimelineEvent) -> str:
        return f"{event.at.astimezone(tz):%H:%M} {event.kind.value}: {one_line(event.text, 90)}"

    found: list[tuple[float, Difference]] = []
    for first, second in itertools.combinations(accounts(review), 2):
        matched: set[str] = set()
        for a in first.events:
            b = next((e for e in second.events if e.id not in matched and similar(a, e)), None)
            if b is None:
                continue
            matched.add(b.id)
            apart = abs((a.at - b.at).total_seconds())
            if apart < SAME_TIME_S:
                continue
            found.append(
                (
                    a.at.timestamp(),
                    Difference(
                        topic=f"when: {one_line(a.text, 60)}",
                        first_source=first.source,
                        first_says=told(a),
                        second_source=second.source,
                        second_says=told(b),
                        question=(
                            f"The accounts put this {round(apart / 60)} minutes apart "
                            f"({a.at.astimezone(tz):%H:%M} and {b.at.astimezone(tz):%H:%M}). "
                            "What was each person looking at, and which time do the records "
                            "support?"
                        ),
                    ),
                )
            )
        # What the shared timeline has and one person's account lacks is expected; the other
        # way round (or between two people) is worth asking about.
        found += knowledge_gaps(second, first, told)
        if first.source != SHARED:
            found += knowledge_gaps(first, second, told)
    found.sort(key=lambda pair: pair[0])
    return Differences(differences=[d for _, d in found[:limit]])


def knowledge_gaps(
    knower: Account, other: Account, told: Callable[[TimelineEvent], str]
) -> list[tuple[float, Difference]]:
    """Something one account knew (a detection, diagnosis, escalation) that the other,
    though it goes on past that time, never mentions."""
    result = []
    for event in knower.events:
        if event.kind not in _KNOWING:
            continue
        later = [e for e in other.events if e.at > event.at]
        if not later or any(similar(event, e) for e in other.events):
            continue
        result.append(
            (
                event.at.timestamp(),
                Difference(
                    topic=f"what was known: {one_line(event.text, 60)}",
                    first_source=knower.source,
                    first_says=told(event),
                    second_source=other.source,
                    second_says=f"does not mention it; continues with {told(later[0])}",
                    question=(
                        f"{knower.source} has this ({told(event)[:5]}); "
                        f"{other.source} never mentions it. "
                        "When did that reach the others, and through which channel?"
                    ),
                ),
            )
        )
    return result
