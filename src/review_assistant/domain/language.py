"""Blame and hindsight in wording: find it, and offer neutral wording for it.

Shared by the assistant's built-in reframing and the write-up's blameless checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Pattern:
    regex: re.Pattern[str]
    replacement: str  # "" drops the words
    why: str


def _p(words: str, replacement: str, why: str) -> Pattern:
    return Pattern(re.compile(rf"\b(?:{words})\b", re.IGNORECASE), replacement, why)


BLAME_PATTERNS: tuple[Pattern, ...] = (
    _p(r"should(?:n't| not)? have", "could have", "hindsight: judges the past by what we know now"),
    _p(
        r"failed to|neglected to|forgot to|didn't bother to",
        "did not",
        "judges a person, not a step",
    ),
    _p(
        r"human error|operator error|user error",
        "a step the system let go wrong",
        "ends the inquiry at a person",
    ),
    _p(
        r"careless(?:ly)?|sloppy|lazy|negligent(?:ly)?|reckless(?:ly)?",
        "",
        "a judgement of character",
    ),
    _p(r"obviously|clearly", "", "hindsight: it was not obvious at the time"),
    _p(r"root cause", "a contributing factor", "there is never a single cause"),
    _p(r"fault of|to blame|blamed", "involved", "assigns blame"),
    _p(
        r"try harder|be more careful|pay more attention",
        "change the conditions",
        "not an action anyone can commit to",
    ),
)


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    words: str
    why: str


def find_blame(text: str) -> list[Finding]:
    """Every blaming or hindsight phrase in ``text``, in order."""
    found = [
        Finding(m.start(), m.end(), m.group(0), pattern.why)
        for pattern in BLAME_PATTERNS
        for m in pattern.regex.finditer(text)
    ]
    return sorted(found, key=lambda f: f.start)


def neutral_wording(text: str, names: Iterable[tuple[str, str]] = ()) -> tuple[str, list[str]]:
    """Rewrite blaming phrases and name people by role: (new text, what changed and why).

    ``names`` are (name, role) pairs; a name becomes "the <role>" (or "a participant").
    """
    changes: list[str] = []
    result = text
    for name, role in names:
        if not name.strip():
            continue
        person = re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE)
        if person.search(result):
            label = f"the {role}" if role else "a participant"
            result = person.sub(label, result)
            changes.append(f"{name!r} → {label!r}: describe roles and situations, not people")
    for pattern in BLAME_PATTERNS:
        for match in pattern.regex.finditer(result):
            changes.append(f"{match.group(0)!r}: {pattern.why}")
        result = pattern.regex.sub(pattern.replacement, result)
    result = re.sub(r"[ \t]{2,}", " ", result).strip()
    result = re.sub(r"\s+([,.;:!?])", r"\1", result)
    if result and result[0].islower() and text[:1].isupper():
        result = result[0].upper() + result[1:]
    return result, changes
