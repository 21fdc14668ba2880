"""Linters for a review: blameless wording everywhere, and committable action items.

The core never imports the terminal UI. Entry points:

- ``lint_text(text, people=...)`` — blame and hindsight in one piece of text (fast enough to
  run on every keystroke);
- ``lint_action_text(text, owner=..., due=..., people=...)`` and ``lint_action(action,
  people)`` — wording plus the action rules for one action item;
- ``lint_review(review)`` — every item of a review, with coverage by area, as a ``LintReport``.

Findings are advice: nothing here refuses or changes what was recorded.
"""

from review_assistant.lint.actions import lint_action, lint_action_text
from review_assistant.lint.blameless import lint_text
from review_assistant.lint.findings import (
    AREAS,
    RULES,
    UNASSIGNED,
    LintFinding,
    LintReport,
    Severity,
    TextFinding,
)
from review_assistant.lint.people import People, people_index
from review_assistant.lint.review import lint_review

__all__ = [
    "AREAS",
    "RULES",
    "UNASSIGNED",
    "LintFinding",
    "LintReport",
    "People",
    "Severity",
    "TextFinding",
    "lint_action",
    "lint_action_text",
    "lint_review",
    "lint_text",
    "people_index",
]
