"""The facilitator guides in ``guides/`` and the question bank they hold.

Each guide is Markdown whose last section, ``## Questions``, lists one question per line as
``- [tag, tag] Question text?``. Those lines form the question bank the assistant draws on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from review_assistant.domain.phases import INTERVIEW, PHASES, Phase, phase_def
from review_assistant.paths import resource_dir


class Probe(StrEnum):
    """What a question probes."""

    OBSERVATION = "observation"
    JUDGEMENT = "judgement"
    DECISION = "decision"
    KNOWLEDGE = "knowledge"
    ACTION = "action"
    HELP = "help"
    GAP = "gap"
    AVOID = "avoid"
    DETECT = "detect"
    FIX = "fix"
    WENT_WELL = "went-well"


PLACEHOLDERS = frozenset({"event", "time", "start", "end", "participant", "area"})
_QUESTION = re.compile(r"^- \[([a-z-]+(?:, [a-z-]+)*)\] (.+)$")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


class GuideError(ValueError):
    """A guide file does not follow the format."""


@dataclass(frozen=True, slots=True)
class BankQuestion:
    id: str
    phase: Phase
    tags: frozenset[Probe]
    text: str

    @property
    def placeholders(self) -> frozenset[str]:
        return frozenset(_PLACEHOLDER.findall(self.text))


@dataclass(frozen=True, slots=True)
class Guide:
    phase: Phase
    title: str
    body: str
    questions: tuple[BankQuestion, ...]

    @property
    def markdown(self) -> str:
        return self.body


def parse_guide(phase: Phase, text: str, source: str = "guide") -> Guide:
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise GuideError(f"{source}: the first line must be '# Title'")
    try:
        start = lines.index("## Questions")
    except ValueError:
        raise GuideError(f"{source}: no '## Questions' section") from None
    questions: list[BankQuestion] = []
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if not line.strip():
            continue
        match = _QUESTION.match(line)
        if not match:
            raise GuideError(f"{source}:{number}: expected '- [tags] question', got {line!r}")
        try:
            tags = frozenset(Probe(t) for t in match[1].split(", "))
        except ValueError as exc:
            raise GuideError(f"{source}:{number}: {exc}") from None
        unknown = set(_PLACEHOLDER.findall(match[2])) - PLACEHOLDERS
        if unknown:
            raise GuideError(f"{source}:{number}: unknown placeholder {sorted(unknown)}")
        questions.append(BankQuestion(f"{phase.value}:{len(questions) + 1}", phase, tags, match[2]))
    return Guide(phase, lines[0][2:].strip(), text, tuple(questions))


@cache
def load_guide(phase: Phase | str, folder: Path | None = None) -> Guide:
    definition = phase_def(phase)
    path = (folder or resource_dir("guides")) / definition.guide
    return parse_guide(definition.phase, path.read_text(encoding="utf-8"), path.name)


def all_guides(folder: Path | None = None) -> list[Guide]:
    return [load_guide(d.phase, folder) for d in (*PHASES, INTERVIEW)]


def question_bank(folder: Path | None = None) -> list[BankQuestion]:
    return [q for guide in all_guides(folder) for q in guide.questions]
