"""What the linters report: findings on a piece of text, on a review item, and on a whole review."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Severity = Literal["warning", "info"]

#: Every rule id a finding can carry, in the order reports list them.
RULES: tuple[str, ...] = (
    "person-failure",
    "blame-verb",
    "judgement",
    "human-error",
    "hindsight",
    "counterfactual",
    "root-cause",
    "try-harder",
    "no-owner",
    "too-big",
    "vague",
    "coverage",
)


@dataclass(frozen=True, slots=True)
class TextFinding:
    """One problem in one piece of text.

    ``start``/``end`` locate ``words`` in the text (both 0 when the finding is about the item
    rather than its wording, e.g. a missing owner). ``suggestion`` is the whole text reworded
    neutrally when a rewording can be computed, else a short instruction. ``question`` is a
    question the facilitator can ask instead of judging (may be empty).
    """

    rule: str
    start: int
    end: int
    words: str
    why: str
    suggestion: str
    severity: Severity = "warning"
    question: str = ""


@dataclass(frozen=True, slots=True)
class LintFinding:
    """A finding placed on a review item (a note, a factor, an action item, a draft …).

    ``text`` is the item's full text; for drafts (whole documents) it is the line holding the
    words, and ``line`` is that line's number (1-based; 0 for every other kind of item).
    """

    rule: str
    item_kind: str
    item_id: str
    text: str
    start: int
    end: int
    words: str
    why: str
    suggestion: str
    severity: Severity = "warning"
    question: str = ""
    line: int = 0

    @classmethod
    def on(
        cls, found: TextFinding, item_kind: str, item_id: str, text: str, line: int = 0
    ) -> LintFinding:
        return cls(
            rule=found.rule,
            item_kind=item_kind,
            item_id=item_id,
            text=text,
            start=found.start,
            end=found.end,
            words=found.words,
            why=found.why,
            suggestion=found.suggestion,
            severity=found.severity,
            question=found.question,
            line=line,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "severity": self.severity,
            "item_kind": self.item_kind,
            "item_id": self.item_id,
            "line": self.line,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "words": self.words,
            "why": self.why,
            "suggestion": self.suggestion,
            "question": self.question,
        }


#: Coverage keys: the three factor areas, then action items with no area.
AREAS: tuple[str, ...] = ("avoid", "detect", "fix")
UNASSIGNED = "unassigned"


@dataclass(frozen=True, slots=True)
class LintReport:
    """Everything the linters found in one review, with action and factor coverage by area.

    ``coverage`` counts action items (not dropped) by area, plus ``unassigned``;
    ``factor_coverage`` counts contributing factors by area. ``missing_areas`` lists the areas
    no action addresses; it is empty when the review does not track actions or has none.
    """

    session_id: str
    findings: tuple[LintFinding, ...]
    coverage: dict[str, int] = field(default_factory=dict)
    factor_coverage: dict[str, int] = field(default_factory=dict)
    missing_areas: tuple[str, ...] = ()
    tracks_actions: bool = True

    def by_item(self) -> list[tuple[tuple[str, str, int], list[LintFinding]]]:
        """Findings grouped by (item kind, item id, line), in the order items were first met."""
        groups: dict[tuple[str, str, int], list[LintFinding]] = {}
        for found in self.findings:
            groups.setdefault((found.item_kind, found.item_id, found.line), []).append(found)
        return list(groups.items())

    def counts(self) -> dict[str, int]:
        """How many findings each rule produced (rules with none left out)."""
        counted: dict[str, int] = {}
        for found in self.findings:
            counted[found.rule] = counted.get(found.rule, 0) + 1
        return {rule: counted[rule] for rule in sorted(counted, key=_rule_order)}

    def as_dict(self) -> dict[str, Any]:
        return {
            "session": self.session_id,
            "findings": [found.as_dict() for found in self.findings],
            "coverage": {
                "tracks_actions": self.tracks_actions,
                "actions": dict(self.coverage),
                "factors": dict(self.factor_coverage),
                "missing_areas": list(self.missing_areas),
            },
        }


def _rule_order(rule: str) -> int:
    return RULES.index(rule) if rule in RULES else len(RULES)
