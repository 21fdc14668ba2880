"""Blame and hindsight in wording: find it, and offer neutral wording for it.

Used by the assistant's built-in reframing. The rules live in ``review_assistant.lint`` (see
its modules for what is flagged and what is deliberately left alone); this module keeps the
small interface the assistant needs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from review_assistant.lint.actions import try_harder_hits
from review_assistant.lint.blameless import wording_hits
from review_assistant.lint.people import NOBODY, People
from review_assistant.lint.reword import resolve, reword


@dataclass(frozen=True, slots=True)
class Finding:
    start: int
    end: int
    words: str
    why: str


def find_blame(text: str) -> list[Finding]:
    """Every blaming, hindsight or "try harder" phrase in ``text``, in order."""
    hits = resolve([*wording_hits(text, NOBODY), *try_harder_hits(text)])
    return [Finding(h.start, h.end, h.words, h.why) for h in hits]


def neutral_wording(text: str, names: Iterable[tuple[str, str]] = ()) -> tuple[str, list[str]]:
    """Rewrite blaming phrases and name people by role: (new text, what changed and why).

    ``names`` are (name, role) pairs; a name becomes "the <role>" (or "a participant").
    Phrases with no mechanical rewording are left as they are and listed with what to do.
    """
    people = People(tuple((name, role, "") for name, role in names if name.strip()))
    hits = resolve(wording_hits(text, people))
    result = reword(text, [h.fix for h in hits if h.fix is not None], people)
    changes = [
        f"{name!r} → {label!r}: describe roles and situations, not people"
        for name, label in people.replace_names(text)[1]
    ]
    for hit in hits:
        todo = "" if hit.fix is not None else f" ({hit.instruction})"
        changes.append(f"{hit.words!r}: {hit.why}{todo}")
    return result, changes
