"""Linting a whole review: every item's wording, the action items, and coverage by area.

What is read, as (item kind, text):

- ``note`` (interview notes too), ``event`` (timeline event text, interview accounts too),
  ``question`` and ``answer`` (a question's text and its answer), ``went-well``, ``learning``,
  ``factor``, ``idea`` (parked action ideas: wording and "try harder"), ``action`` (wording for
  every action but dropped ones; the action rules for open and in-progress ones), ``draft``
  (summaries and write-ups not dismissed, line by line).

Coverage counts the action items that are not dropped by area (plus ``unassigned``) and the
factors by area. When the review tracks actions and has at least one, each area with no action
gets an information finding (rule ``coverage``): a review may end with no actions at all, and
a gap may be a deliberate choice, so it is a prompt, not an error.
"""

from __future__ import annotations

from collections.abc import Iterator

from review_assistant.domain.models import ActionStatus, DraftStatus, Review
from review_assistant.lint.actions import lint_action, try_harder_hits
from review_assistant.lint.blameless import wording_hits
from review_assistant.lint.findings import AREAS, UNASSIGNED, LintFinding, LintReport
from review_assistant.lint.people import People, people_index
from review_assistant.lint.reword import finish

_AREA_QUESTION = "Actions are thin in the {area} area; is that a real gap or a deliberate choice?"


def lint_review(review: Review) -> LintReport:
    """Every finding in ``review`` (in item order) with action and factor coverage."""
    people = people_index(review.participants)
    findings = list(_wording(review, people))
    for action in review.actions:
        if action.status is ActionStatus.DROPPED:
            continue
        findings += lint_action(action, people)
    for draft in review.drafts:
        if draft.status is not DraftStatus.DISMISSED:
            for number, line in enumerate(draft.text.splitlines(), start=1):
                findings += [
                    LintFinding.on(found, "draft", draft.id, line, number)
                    for found in finish(line, wording_hits(line, people), people)
                ]
    live = [a for a in review.actions if a.status is not ActionStatus.DROPPED]
    coverage = dict.fromkeys((*AREAS, UNASSIGNED), 0)
    for action in live:
        coverage[action.area.value if action.area else UNASSIGNED] += 1
    factor_coverage = dict.fromkeys(AREAS, 0)
    for factor in review.factors:
        factor_coverage[factor.area.value] += 1
    tracks = review.session.tracks_actions
    missing = tuple(area for area in AREAS if coverage[area] == 0) if tracks and live else ()
    for area in missing:
        findings.append(
            LintFinding(
                rule="coverage",
                item_kind="review",
                item_id=review.session.id,
                text="",
                start=0,
                end=0,
                words=area,
                why=f"no action item addresses the {area} area "
                f"({factor_coverage[area]} {area} factor(s) recorded)",
                suggestion=f"check the {area} factors for a committable action, or record "
                "that the gap is deliberate",
                severity="info",
                question=_AREA_QUESTION.format(area=area),
            )
        )
    return LintReport(
        session_id=review.session.id,
        findings=tuple(findings),
        coverage=coverage,
        factor_coverage=factor_coverage,
        missing_areas=missing,
        tracks_actions=tracks,
    )


def _items(review: Review) -> Iterator[tuple[str, str, str]]:
    for note in review.notes:
        yield "note", note.id, note.text
    for event in review.events:
        yield "event", event.id, event.text
    for question in review.questions:
        yield "question", question.id, question.text
        if question.answer.strip():
            yield "answer", question.id, question.answer
    for went in review.went_well:
        yield "went-well", went.id, went.text
    for learning in review.learnings:
        yield "learning", learning.id, learning.text
    for factor in review.factors:
        yield "factor", factor.id, factor.text


def _wording(review: Review, people: People) -> Iterator[LintFinding]:
    for kind, item_id, text in _items(review):
        for found in finish(text, wording_hits(text, people), people):
            yield LintFinding.on(found, kind, item_id, text)
    for idea in review.ideas:
        hits = wording_hits(idea.text, people) + try_harder_hits(idea.text)[:1]
        for found in finish(idea.text, hits, people):
            yield LintFinding.on(found, "idea", idea.id, idea.text)
