"""Counterfactuals: "if only", "if we had …", "had the on-call …", "could have been prevented".

Rules, in the words of a reviewer (rule ``counterfactual``): "if only"; a claim that the
outcome was preventable ("would have been avoided", "could have been prevented", "was
preventable", "would never have happened"); and "if <person> had <done> …" or "had <person>
<done> …", where the person is a participant, a pronoun or a role. A conditional about a
mechanism is analysis, not a counterfactual about people, and is not flagged: "if the retry
had fired, the queue would have drained", "had the alert fired, …". "If we had more replicas"
(possession, not a past participle) is not flagged either.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review_assistant.lint.hindsight import WHAT_MADE_SENSE, is_participle
from review_assistant.lint.people import People
from review_assistant.lint.reword import Hit, Rule, next_word
from review_assistant.lint.vocabulary import starting, word_set

_IF_ONLY = starting("i", r"\bif\s+only\b", re.IGNORECASE)

_PREVENTABLE = starting(
    "wcmiab",
    r"\b(?:(?:would|could|might)(?:n['’]t|\s+not|\s+never)?\s+have\s+been\s+"
    r"(?:easily\s+|entirely\s+|totally\s+)?(?:avoided|prevented|averted)|"
    r"would(?:n['’]t|\s+not|\s+never)\s+have\s+happened|"
    r"(?:was|is|were|are|been)\s+(?:entirely\s+|completely\s+|totally\s+|easily\s+)?"
    r"(?:avoidable|preventable))\b",
    re.IGNORECASE,
)

_IF_HAD = starting(
    "i",
    r"\bif\s+(?!only\b)(?:[\w'’-]+\s+){1,5}?(?P<had>had(?:n['’]t|\s+not)?)\s+"
    r"(?:(?:only|just|actually|already)\s+)?(?P<word>[A-Za-z][\w'’-]*)",
    re.IGNORECASE,
)

_IF_D = starting(
    "i",
    r"\bif\s+(?P<who>we|they|i|he|she|you|someone)['’]d\s+(?:(?:only|just)\s+)?"
    r"(?P<word>[A-Za-z][\w'’-]*)",
    re.IGNORECASE,
)

_HAD_FIRST = re.compile(
    r"(?:^|(?<=[.;:!?,(]\s)|(?<=\n))(?P<had>had(?:n['’]t|\s+not)?)\s+", re.IGNORECASE
)

_COUNTER_WHY = "a counterfactual: describes what did not happen instead of what did"

_COUNTER_DO = (
    "describe what happened and what was known at that point; the other path was not visible then"
)


def _if_clauses(text: str, people: People) -> Iterator[Hit]:
    for m in _IF_ONLY.finditer(text):
        yield Hit(
            "counterfactual",
            m.start(),
            m.end(),
            m.group(0),
            _COUNTER_WHY,
            _COUNTER_DO,
            question=WHAT_MADE_SENSE,
        )
    yield from _if_had_clauses(text, people)


def _if_had_clauses(text: str, people: People) -> Iterator[Hit]:
    for m in _IF_HAD.finditer(text):
        if not is_participle(m.group("word")) and m.group("word").lower() != "been":
            continue
        subject = people.subject_before(text, m.start("had"))
        if subject is None or not subject.is_person or subject.start < m.start() + 3:
            continue
        yield _if_had(text, m.start(), m.end("had"))
    for m in _IF_D.finditer(text):
        if is_participle(m.group("word")):
            yield _if_had(text, m.start(), m.end("who") + 2)


def _preventable(text: str, people: People) -> Iterator[Hit]:
    for m in _PREVENTABLE.finditer(text):
        yield Hit(
            "counterfactual",
            m.start(),
            m.end(),
            m.group(0),
            "claims the outcome was preventable: judges the past by its outcome",
            "describe what each change would help with next time, not what it would have prevented",
            question="What would help us avoid, detect or fix this sooner next time?",
        )


def _had_first(text: str, people: People) -> Iterator[Hit]:
    for m in _HAD_FIRST.finditer(text):
        subject = people.subject_after(text, m.end())
        if subject is None or not subject.is_person:
            continue
        if is_participle(next_word(text, subject.end)):
            yield _if_had(text, m.start(), subject.end)


def _if_had(text: str, start: int, end: int) -> Hit:
    return Hit(
        "counterfactual",
        start,
        end,
        text[start:end],
        "a counterfactual about what a person could have done: it judges the decision "
        "by its outcome",
        _COUNTER_DO,
        question=WHAT_MADE_SENSE,
    )


#: Each rule with the words (lower case, as written) without which it cannot match.
COUNTERFACTUAL_RULES: tuple[tuple[frozenset[str], Rule], ...] = (
    (word_set("if"), _if_clauses),
    (word_set("avoided prevented averted happened avoidable preventable"), _preventable),
    (word_set("had hadn't hadn’t"), _had_first),
)
