"""Drafted narrative: sentences a model wrote, each tied to the items it came from.

A model drafting the narrative parts of a write-up (summary, how it made sense, learnings)
answers with sentences and the ids of the notes, events and other items each one rests on.
Only sentences with at least one source that exists in the review are kept; references to
items that do not exist are removed, and a sentence left with none is dropped. In the rendered
write-up each kept sentence ends with its citations ("[2, 5]"), and a Sources section lists what
each number points to, so a reader can check every claim.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from review_assistant.domain.models import Review
from review_assistant.domain.phases import phase_def
from review_assistant.domain.text import one_line

SECTIONS = ("summary", "sense_making", "learnings")


def clip(limit: int) -> BeforeValidator:
    """Models ramble: over-long text is cut to fit rather than failing the whole answer."""

    def cut(value: Any) -> Any:
        if isinstance(value, str) and len(value) > limit:
            return value[: limit - 1] + "…"
        return value

    return BeforeValidator(cut)


def _ids(value: Any) -> Any:
    """Sources as a list of ids, also when a model writes one id as a string or "[id]"."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [str(v).strip().strip("[]").strip() for v in value if str(v).strip()]
    return value


class Claim(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: Annotated[str, clip(2000)] = Field(min_length=1)
    sources: Annotated[list[Annotated[str, clip(64)]], BeforeValidator(_ids)] = Field(
        default_factory=list
    )


class Narrative(BaseModel):
    """A model's answer for the narrative parts of a summary or write-up."""

    model_config = ConfigDict(extra="ignore")

    summary: list[Claim] = Field(default_factory=list)
    sense_making: list[Claim] = Field(default_factory=list)
    learnings: list[Claim] = Field(default_factory=list)

    def claims(self) -> int:
        return sum(len(getattr(self, name)) for name in SECTIONS)


@dataclass
class Cited:
    """A narrative checked against the review: what to print and what was left out."""

    sections: dict[str, list[dict[str, str]]]
    sources: list[dict[str, str]]
    dropped: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(self.sections.values())


def _describe(review: Review, clock: Callable[[datetime], str]) -> dict[str, tuple[str, str]]:
    """Every item a sentence may cite: id → (what it is, its text)."""
    found: dict[str, tuple[str, str]] = {}
    for e in review.events:
        where = "interview account" if e.interview_id else "timeline"
        found[e.id] = (f"{where}, {clock(e.at)} {e.kind.value}", e.text)
    for n in review.notes:
        where = "interview note" if n.interview_id else f"note ({phase_def(n.phase).title})"
        found[n.id] = (where, n.text)
    for q in review.questions:
        found[q.id] = (f"question: {one_line(q.text, 120)}", q.answer or "(not answered)")
    found.update(
        {w.id: ("lucky break" if w.lucky else "went well", w.text) for w in review.went_well}
    )
    found.update({x.id: ("learning", x.text) for x in review.learnings})
    found.update({f.id: (f"contributing factor ({f.area.value})", f.text) for f in review.factors})
    found.update({i.id: ("parked idea", i.text) for i in review.ideas})
    found.update({a.id: ("action item", a.text) for a in review.actions})
    return found


def cite(
    review: Review,
    narrative: Narrative,
    *,
    hide: Callable[[str], str],
    clock: Callable[[datetime], str],
) -> Cited:
    """Keep the sentences with real sources and number those sources in order of first use."""
    known = _describe(review, clock)
    numbers: dict[str, int] = {}
    sections: dict[str, list[dict[str, str]]] = {}
    dropped: list[str] = []
    for name in SECTIONS:
        kept = []
        for claim in getattr(narrative, name):
            refs = [r for r in dict.fromkeys(claim.sources) if r in known]
            if not refs:
                dropped.append(claim.text)
                continue
            for ref in refs:
                numbers.setdefault(ref, len(numbers) + 1)
            cites = ", ".join(str(numbers[r]) for r in refs)
            kept.append({"text": hide(" ".join(claim.text.split())), "cites": cites})
        sections[name] = kept
    sources = [
        {"n": str(n), "label": hide(known[ref][0]), "text": hide(known[ref][1])}
        for ref, n in numbers.items()
    ]
    return Cited(sections, sources, dropped)


def unsupported(review: Review, narrative: Narrative) -> list[str]:
    """The sentences that cite nothing the review holds (they are left out of a draft)."""
    known = {item.id for field in _CITABLE for item in getattr(review, field)}
    return [
        claim.text
        for name in SECTIONS
        for claim in getattr(narrative, name)
        if not any(ref in known for ref in claim.sources)
    ]


_CITABLE = (
    "events", "notes", "questions", "went_well", "learnings", "factors", "ideas", "actions",
)  # fmt: skip
_SECTION_KEY = re.compile(r'"(summary|sense_making|learnings)"\s*:\s*\[')


def finished_claims(partial: str) -> Narrative:
    """The sentences complete so far in a narrative answer still streaming in (or cut off)."""
    decoder = json.JSONDecoder()
    found: dict[str, list[Claim]] = {name: [] for name in SECTIONS}
    for match in _SECTION_KEY.finditer(partial):
        index = match.end()
        while True:
            while index < len(partial) and partial[index] in " \t\r\n,":
                index += 1
            if index >= len(partial) or partial[index] != "{":
                break
            try:
                value, index = decoder.raw_decode(partial, index)
            except ValueError:
                break
            if isinstance(value, dict) and isinstance(value.get("text"), str) and value["text"]:
                try:
                    found[match.group(1)].append(Claim.model_validate(value))
                except ValidationError:
                    continue  # a malformed sentence ("sources": 5) is left out
    return Narrative.model_validate(found)
