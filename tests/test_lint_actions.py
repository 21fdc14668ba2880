"""The action-item linter and the whole-review lint (coverage, items read, speed)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    ActionStatus,
    Draft,
    DraftKind,
    DraftStatus,
    Factor,
    FactorArea,
    Interview,
    Learning,
    Note,
    Participant,
    Question,
    Review,
    ReviewSession,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.phases import Phase
from review_assistant.lint import lint_action, lint_action_text, lint_review

ALEX = Participant(name="Alex Example", role="on-call engineer", alias="Engineer A")
CASEY = Participant(name="Casey Sample", role="incident commander")
OWNER = "Casey Sample"


def action_rules(text: str, owner: str = OWNER, due: date | None = None) -> list[tuple[str, str]]:
    return [(f.rule, f.words) for f in lint_action_text(text, owner=owner, due=due)]


# (action text, rule, the exact words that trigger it); every action has an owner.
FLAGGED: list[tuple[str, str, str]] = [
    ("Be more careful when editing the load balancer config.", "try-harder", "Be more careful"),
    ("Review database migrations more carefully.", "try-harder",
     "Review database migrations more carefully"),
    ("Double-check the certificate expiry before each release.", "try-harder", "Double-check"),
    ("Remember to drain the node before patching it.", "try-harder", "Remember to"),
    ("Make sure to update the status page within 10 minutes.", "try-harder", "Make sure to"),
    ("Pay more attention to the queue depth graph during deploys.", "try-harder",
     "Pay more attention"),
    ("On-call should keep an eye on disk usage after big imports.", "try-harder",
     "keep an eye on"),
    ("Don't forget to disable the feature flag after the test.", "try-harder", "Don't forget"),
    ("Remind engineers to run the smoke tests before merging.", "try-harder",
     "Remind engineers to"),
    ("Try harder to follow the change process.", "try-harder", "Try harder"),
    ("Make sure the on-call reads the handover notes.", "try-harder", "Make sure the on-call"),
    ("Be vigilant about expiring certificates.", "try-harder", "Be vigilant"),
    ("Rewrite the billing service in Go.", "too-big", "Rewrite"),
    ("Re-architect the job queue.", "too-big", "Re-architect"),
    ("Migrate everything to the new cluster.", "too-big", "Migrate everything"),
    ("Overhaul the deployment pipeline.", "too-big", "Overhaul"),
    ("Redesign the whole alerting stack.", "too-big", "Redesign"),
    ("Rebuild the payments platform on managed Postgres.", "too-big", "Rebuild"),
    ("Investigate the connection pool settings.", "vague", "Investigate"),
    ("Look into why the pager was slow.", "vague", "Look into"),
    ("Improve monitoring for the payments API.", "vague", "Improve"),
    ("Better alerting for certificate expiry.", "vague", "Better"),
    ("Consider adding a canary stage.", "vague", "Consider"),
    ("Revisit the retry policy.", "vague", "Revisit"),
    ("Explore options for faster failover.", "vague", "Explore"),
    ("Think about how we page the database team.", "vague", "Think about"),
]  # fmt: skip

MUST_NOT_FLAG: list[str] = [
    "Add an alert when checkout success drops to zero for 5 minutes.",
    "Add an automated double-check of DNS changes to the deploy script.",
    "Make sure the CI fails when a certificate expires within 14 days.",
    "Rotate API keys automatically so nobody has to remember to do it.",
    "Rewrite the retry function in the payments client to use jitter.",
    "Redesign the alert message so it names the affected region.",
    "Write a one-page proposal for re-architecting the job queue.",
    "Spike: rewrite the billing service's retry layer, then decide whether to continue.",
    "Raise the queue re-architecture with the platform lead for the Q3 roadmap.",
    "Investigate the pool exhaustion and report back at the Thursday ops review.",
    "Improve the p99 checkout latency to under 300 ms.",
    "Look into the pager delay (timebox: 4 hours) and share findings.",
    "Decide whether to move the cron jobs to the new scheduler by Friday.",
    "Add a pre-commit hook that rejects migrations without a down step.",
    "Run a failover drill with the on-call rota in May.",
    "Pair the DBA with a second engineer on the next two schema changes.",
    "Lower the disk alert threshold from 95% to 85%.",
    "Add a runbook step for draining a node before patching.",
    "Enable connection pool metrics on the checkout service dashboard.",
    "Block deploys on Fridays after 15:00 in the deploy tool.",
    "Explore managed certificate renewal within two weeks and recommend an option.",
    "Give the support lead read access to the status page admin.",
]


@pytest.mark.parametrize(("text", "rule", "words"), FLAGGED, ids=[f[0][:40] for f in FLAGGED])
def test_flagged_actions(text: str, rule: str, words: str) -> None:
    assert action_rules(text) == [(rule, words)]


@pytest.mark.parametrize("text", MUST_NOT_FLAG, ids=[t[:40] for t in MUST_NOT_FLAG])
def test_actions_that_must_not_be_flagged(text: str) -> None:
    assert action_rules(text) == []


def test_the_action_sets_are_large_enough() -> None:
    assert len(FLAGGED) >= 20 and len(MUST_NOT_FLAG) >= 20


@pytest.mark.parametrize("owner", ["", "  ", "TBD", "?", "someone", "the team", "n/a"])
def test_a_blank_or_placeholder_owner_is_no_owner(owner: str) -> None:
    [finding] = lint_action_text("Add a disk usage alert at 85%.", owner=owner)
    assert finding.rule == "no-owner" and finding.severity == "warning"
    assert finding.suggestion == "name an owner (a person or team) before the action meeting ends"
    assert (finding.start, finding.end, finding.words) == (0, 0, "")


def test_owner_check_is_skipped_when_no_owner_is_given() -> None:
    assert lint_action_text("Add a disk usage alert at 85%.") == []
    assert lint_action_text("Add a disk usage alert at 85%.", owner="platform team") == []


def test_a_due_date_bounds_a_vague_action() -> None:
    assert action_rules("Investigate the replica lag thresholds.") == [("vague", "Investigate")]
    assert action_rules("Investigate the replica lag thresholds.", due=date(2026, 4, 1)) == []


def test_suggestions_and_questions_for_action_rules() -> None:
    [harder] = lint_action_text("Be more careful with certificates.", owner=OWNER)
    assert harder.suggestion.startswith("turn it into a change in the system")
    assert harder.question == "What change to the system could replace this?"
    [big] = lint_action_text("Rewrite the billing service.", owner=OWNER)
    assert "first step" in big.suggestion
    [vague] = lint_action_text("Improve alerting.", owner=OWNER)
    assert vague.why.startswith("“Improve” with no bound")


def test_action_text_also_gets_the_wording_rules() -> None:
    found = lint_action_text(
        "Alex Example must stop being careless with deploys.", owner=OWNER, people=[ALEX]
    )
    assert [(f.rule, f.words) for f in found] == [("judgement", "careless")]


def test_lint_action_reads_the_item_and_skips_action_rules_once_done() -> None:
    open_item = ActionItem(text="Be more careful with DNS changes.", owner="")
    found = lint_action(open_item)
    assert [(f.rule, f.item_kind, f.item_id) for f in found] == [
        ("try-harder", "action", open_item.id),
        ("no-owner", "action", open_item.id),
    ]  # words first, then findings about the item as a whole
    assert all(f.text == open_item.text for f in found)
    done = ActionItem(text="We should have added a DNS check.", status=ActionStatus.DONE)
    assert [f.rule for f in lint_action(done)] == ["hindsight"]


def at(minute: int) -> datetime:
    return datetime(2026, 3, 12, 13, minute, tzinfo=UTC)


def make_review(**lists: object) -> Review:
    session = ReviewSession(title="Checkout errors after a pool change")
    return Review.model_validate({"session": session, "participants": [ALEX, CASEY], **lists})


def test_lint_review_reads_every_kind_of_item() -> None:
    interview = Interview(participant_id=ALEX.id)
    question = Question(phase=Phase.SENSE_MAKING, text="Who was to blame for the delay?",
                        answer="Obviously the alert looked flaky.")  # fmt: skip
    review = make_review(
        interviews=[interview],
        notes=[
            Note(phase=Phase.TIMELINE, text="Casey failed to page the DBA."),
            Note(
                phase=Phase.INTERVIEW, text="I should have paged sooner.", interview_id=interview.id
            ),
            Note(phase=Phase.TIMELINE, text="The pool graph flattened at 13:50."),
        ],
        events=[TimelineEvent(at=at(50), text="We ignored the pool alert.")],
        questions=[question],
        went_well=[WentWell(text="We got lucky: the canary caught a human error.")],
        learnings=[Learning(text="The root cause was a pool limit.")],
        factors=[Factor(area=FactorArea.AVOID, text="The change was careless.")],
        ideas=[ActionIdea(phase=Phase.FACTORS, text="Be more careful with pool settings.")],
        actions=[ActionItem(text="Investigate pool sizing.", area=FactorArea.FIX)],
        drafts=[
            Draft(kind=DraftKind.SUMMARY, text="# Summary\n\nIt was clearly the pool.\n"),
            Draft(
                kind=DraftKind.WRITEUP, text="If only we had known.", status=DraftStatus.DISMISSED
            ),
        ],
    )
    report = lint_review(review)
    seen = [(f.item_kind, f.rule, f.words) for f in report.findings if f.rule != "coverage"]
    assert seen == [
        ("note", "person-failure", "Casey failed to"),
        ("note", "hindsight", "should have"),
        ("event", "blame-verb", "ignored"),
        ("question", "judgement", "was to blame"),
        ("answer", "hindsight", "Obviously"),
        ("went-well", "human-error", "human error"),
        ("learning", "root-cause", "root cause"),
        ("factor", "judgement", "careless"),
        ("idea", "try-harder", "Be more careful"),
        ("action", "vague", "Investigate"),
        ("action", "no-owner", ""),
        ("draft", "hindsight", "clearly"),
    ]
    draft = next(f for f in report.findings if f.item_kind == "draft")
    assert (draft.line, draft.text) == (3, "It was clearly the pool.")
    assert draft.suggestion == "It was the pool."


def test_coverage_counts_actions_and_factors_by_area() -> None:
    review = make_review(
        factors=[
            Factor(area=FactorArea.AVOID, text="Pool limits live in two places."),
            Factor(area=FactorArea.DETECT, text="No alert on pool saturation."),
        ],
        actions=[
            ActionItem(
                text="Add a pool saturation alert at 90%.", area=FactorArea.DETECT, owner=OWNER
            ),
            ActionItem(text="Keep pool limits in one config file.", owner=OWNER),
            ActionItem(
                text="Drop the old pool.",
                area=FactorArea.FIX,
                owner=OWNER,
                status=ActionStatus.DROPPED,
            ),
        ],
    )
    report = lint_review(review)
    assert report.coverage == {"avoid": 0, "detect": 1, "fix": 0, "unassigned": 1}
    assert report.factor_coverage == {"avoid": 1, "detect": 1, "fix": 0}
    assert report.missing_areas == ("avoid", "fix")
    gaps = [(f.rule, f.item_kind, f.words, f.severity) for f in report.findings]
    assert gaps == [("coverage", "review", "avoid", "info"), ("coverage", "review", "fix", "info")]
    assert report.as_dict()["coverage"] == {
        "tracks_actions": True,
        "actions": {"avoid": 0, "detect": 1, "fix": 0, "unassigned": 1},
        "factors": {"avoid": 1, "detect": 1, "fix": 0},
        "missing_areas": ["avoid", "fix"],
    }


def test_no_coverage_gaps_without_actions_or_when_actions_are_not_tracked() -> None:
    assert lint_review(make_review()).missing_areas == ()
    untracked = make_review(actions=[ActionItem(text="Add a pool alert at 90%.", owner=OWNER)])
    untracked.session.tracks_actions = False
    report = lint_review(untracked)
    assert report.missing_areas == () and report.findings == ()
    assert report.as_dict()["coverage"]["tracks_actions"] is False


def test_lint_review_reads_five_thousand_notes() -> None:
    """(Its speed is measured by bench/bench_writeup.py.)"""
    texts = [
        "At {n} past the hour the on-call saw the error rate rise on the checkout dashboard.",
        "Casey failed to page the database team at 13:{n}.",
        "The pool graph flattened and the health check failed to start on node {n}.",
        "We should have rolled back at 14:{n}; in hindsight the canary was too small.",
    ]
    notes = [Note(phase=Phase.TIMELINE, text=texts[n % 4].format(n=n % 60)) for n in range(5000)]
    review = make_review(notes=notes)
    report = lint_review(review)
    assert len(report.findings) == 1250 + 1250 * 2
