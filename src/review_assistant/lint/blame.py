"""Judgements of character and attention, blame, and "human error".

Rules, in the words of a reviewer:

- ``judgement``: words about character or attention (careless, sloppy, lazy, negligent,
  reckless, incompetent, "not paying attention", "should have known better") and blame
  ("blamed the on-call", "their fault", "the fault of"). Denials are not flagged ("nobody was
  careless", "this is not about blame"), nor technical uses ("lazy loading", "dumb pipe"), nor
  blaming a system ("we first blamed the CDN"), nor "blameless", "no-blame" or "blame culture".
- ``human-error``: "human error", "operator error", "user error", "pilot error". "User
  errors" (plural) and "user error page/rate/code …" are about the errors users see; "human
  factors" is a discipline, not a verdict.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review_assistant.lint.failures import BLAME_DO
from review_assistant.lint.people import People, Subject
from review_assistant.lint.reword import (
    Hit,
    Rule,
    drop_word,
    negated,
    next_word,
    previous_word,
)
from review_assistant.lint.vocabulary import SYSTEM_NOUNS, starting, word_set

_JUDGEMENT = starting(
    "abcdfilnprsuw",
    r"\b(?:(?P<adj>careless(?:ly)?|sloppy|sloppily|lazy|lazily|negligent(?:ly)?|"
    r"reckless(?:ly)?|incompetent(?:ly)?|stupid(?:ly)?|dumb|idiotic|foolish(?:ly)?|clueless|"
    r"inexcusabl[ey]|unprofessional|irresponsibl[ey]|complacent)|"
    r"(?P<noun>carelessness|sloppiness|laziness|negligence|recklessness|incompetence|"
    r"stupidity|complacency|inattention|idiots?)|"
    r"(?P<paying>(?P<be>was|were)(?:n['’]t|\s+not)\s+paying\s+attention)|"
    r"(?P<phrase>should\s+have\s+known\s+better|(?:lack|lapse)\s+of\s+(?:attention|focus|care|"
    r"judge?ment)|(?:bad|poor)\s+judge?ment|not\s+paying\s+attention|"
    r"asleep\s+at\s+the\s+wheel|inattentive))\b",
    re.IGNORECASE,
)
_TECHNICAL = re.compile(
    r"[ \t]*(?:-|(?:load|init|evaluat|eval|import|instantiat|connect|creat|comput|terminal|"
    r"pipe|client|proxy|switch|mode)\w*)",
    re.IGNORECASE,
)
_LINKING = word_set(
    "is was were are be been being seems seemed looks looked felt feels so very too "
    "really pretty quite extremely"
)
_HUMAN = starting(
    "atehoup",
    r"\b(?P<article>(?:a|an|the)\s+)?(?P<who>human|operator|user|pilot|engineer)\s+"
    r"(?P<what>error|errors|mistake|mistakes)\b",
    re.IGNORECASE,
)
_TECH_NOUNS = word_set(
    "page pages rate rates count counts message messages code codes budget ratio screen "
    "log logs spike response responses metric metrics class type types handling path "
    "paths dialog banner state view string strings"
)
_BLAME = starting("b", r"\b(?:blam(?:e|ed|es|ing)|blameworthy)\b(?!-?(?:less|free|aware))", re.I)
_FAULT = re.compile(
    r"\b(?:(?P<own>my|your|his|her|our|their)\s+fault|(?P<whose>[\w-]+)['’]s\s+fault|"
    r"the\s+fault\s+of\s+)(?![ \t]*-?(?:toleran|injection|domain|line|detect|handl|isolat))",
    re.IGNORECASE,
)

_NOT_OWNERS = word_set("nobody no-one anybody anyone it that this there here what")
_CHARACTER_DO = "describe what the person did, saw and was dealing with, not their character"


def _human_errors(text: str, people: People) -> Iterator[Hit]:
    for m in _HUMAN.finditer(text):
        who, what = m.group("who").lower(), m.group("what").lower()
        if (who == "user" and what.endswith("s")) or next_word(text, m.end()) in _TECH_NOUNS:
            continue
        if negated(text, m.start()):
            continue
        plural = what.endswith("s")
        start = m.start("who")
        yield Hit(
            "human-error",
            start,
            m.end(),
            text[start : m.end()],
            "ends the inquiry at a person; ask what made the step easy to get wrong",
            "describe the step and what made it easy to get wrong",
            fix=(
                m.start(),
                m.end(),
                "steps the system made easy to get wrong"
                if plural
                else "a step the system made easy to get wrong",
            ),
            question="What about the tools, the timing or the information made this "
            "step easy to get wrong?",
        )


def _judgements(text: str, people: People) -> Iterator[Hit]:
    for m in _JUDGEMENT.finditer(text):
        if negated(text, m.start()):
            continue
        fix: tuple[int, int, str] | None = None
        word = m.group(0).lower()
        if m.group("adj"):
            if (word.startswith("lazy") or word == "dumb") and _TECHNICAL.match(text, m.end()):
                continue
            if word.endswith("ly") or (
                next_word(text, m.end()) and previous_word(text, m.start()) not in _LINKING
            ):
                fix = drop_word(text, m.start(), m.end())
        elif m.group("paying"):
            fix = (m.start(), m.end(), f"{m.group('be')} focused elsewhere")
        yield Hit(
            "judgement",
            m.start(),
            m.end(),
            m.group(0),
            "a judgement of character or attention, not a description of what happened",
            _CHARACTER_DO,
            fix=fix,
            question="What else was competing for their attention at that moment?",
        )


def _blame_words(text: str, people: People) -> Iterator[Hit]:
    for m in _BLAME.finditer(text):
        before = text[max(0, m.start() - 4) : m.start()].lower()
        if before.endswith(("no-", "non-")) or previous_word(text, m.start()) == "to":
            continue
        if negated(text, m.start(), window=4) or next_word(text, m.end()) in (
            "culture",
            "game",
            "games",
        ):
            continue
        target = _blamed(text, m.end(), people)
        if target is not None and not target.is_person and not target.text[:1].isupper():
            continue  # "we first blamed the network": a system, not a person
        if target is not None and target.kind == "system":
            continue
        yield Hit(
            "judgement",
            m.start(),
            m.end(),
            m.group(0),
            "assigns blame",
            BLAME_DO,
            question="What conditions made this outcome likely?",
        )
    for m in _FAULT.finditer(text):
        whose = (m.group("whose") or "").lower()
        if whose in SYSTEM_NOUNS or whose in _NOT_OWNERS:
            continue
        if negated(text, m.start()):
            continue
        if m.group(0).lower().startswith("the fault of"):
            target = people.subject_after(text, m.end())
            if target is not None and target.kind == "system":
                continue
        yield Hit(
            "judgement",
            m.start(),
            m.end(),
            m.group(0).strip(),
            "assigns blame",
            BLAME_DO,
            question="What conditions made this outcome likely?",
        )


def _blamed(text: str, end: int, people: People) -> Subject | None:
    rest = text[end : end + 12].lower().lstrip()
    if rest.startswith(("it on ", "this on ", "that on ")):
        on = text.lower().index(" on ", end) + 4
        return people.subject_after(text, on)
    if rest.startswith("on "):
        return people.subject_after(text, text.lower().index("on ", end) + 3)
    if not next_word(text, end):
        return None
    return people.subject_after(text, end)


#: Each rule with the words (lower case, as written) without which it cannot match.
BLAME_RULES: tuple[tuple[frozenset[str], Rule], ...] = (
    (
        word_set(
            "careless carelessly sloppy sloppily lazy lazily negligent negligently reckless "
            "recklessly incompetent incompetently stupid stupidly dumb idiotic foolish foolishly "
            "clueless inexcusable inexcusably unprofessional irresponsible irresponsibly "
            "complacent carelessness sloppiness laziness negligence recklessness incompetence "
            "stupidity complacency inattention idiot idiots paying known lack lapse judgment "
            "judgement asleep inattentive"
        ),
        _judgements,
    ),
    (word_set("blame blamed blames blaming blameworthy fault"), _blame_words),
    (word_set("error errors mistake mistakes"), _human_errors),
)
