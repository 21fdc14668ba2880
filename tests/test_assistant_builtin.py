"""The built-in engine: questions by note kind, gaps, coverage, silence, no repeats, stable."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from review_assistant.assistant.accounts import compare
from review_assistant.assistant.builtin import Engine, classify
from review_assistant.assistant.parsing import ParseError, parse_answer
from review_assistant.assistant.tasks import Probes, Reframe, Task
from review_assistant.demo import build_demo
from review_assistant.domain.language import find_blame, neutral_wording
from review_assistant.domain.models import (
    EventKind,
    Factor,
    FactorArea,
    Interview,
    Note,
    Participant,
    Question,
    Review,
    ReviewSession,
    Suggestion,
    SuggestionStatus,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.guidebook import Probe as Tag

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def review(**lists: object) -> Review:
    return Review.model_validate(
        {"session": ReviewSession(title="Queue backlog", timezone="UTC", incident_start=START)}
        | lists
    )


def at(minutes: int) -> datetime:
    return START + timedelta(minutes=minutes)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("I assumed the graph looked fine", Tag.JUDGEMENT),
        ("we decided to roll back the deploy", Tag.DECISION),
        ("nobody knew the runbook existed", Tag.KNOWLEDGE),
        ("noticed the queue depth alert", Tag.OBSERVATION),
        ("lunch was late", None),
    ],
)
def test_notes_are_classified_by_what_they_describe(text: str, tag: Tag | None) -> None:
    assert classify(text) == tag


def test_a_judgement_gets_a_how_could_you_tell_probe() -> None:
    note = Note(phase=Phase.SENSE_MAKING, text="The on-call assumed the dashboard looked fine")
    probes = Engine(review(notes=[note])).suggest(Phase.SENSE_MAKING).questions
    first = probes[0]
    assert first.ref == note.id
    assert "judgement" in first.why
    assert "how could you tell" in first.question.lower()


def test_a_decision_gets_an_alternatives_probe() -> None:
    event = TimelineEvent(at=at(30), kind=EventKind.MITIGATION, text="decided to fail over")
    probes = Engine(review(events=[event])).suggest(Phase.SENSE_MAKING).questions
    about = [p for p in probes if p.ref == event.id]
    assert about, probes
    assert about[0].question.startswith("What else was on the table when “decided to fail over”")


def test_long_gaps_become_between_questions() -> None:
    events = [
        TimelineEvent(at=at(m), kind=EventKind.OTHER, text=f"step {m}") for m in (0, 2, 4, 6, 40)
    ]
    probes = Engine(review(events=events)).suggest(Phase.TIMELINE).questions
    gap = probes[0]
    assert "09:06" in gap.question and "09:40" in gap.question
    assert gap.why == "34 minutes of timeline with nothing recorded"


def test_thin_factor_areas_are_probed_in_the_factors_phase() -> None:
    factors = [
        Factor(area=FactorArea.AVOID, text="a"),
        Factor(area=FactorArea.AVOID, text="b"),
        Factor(area=FactorArea.DETECT, text="c"),
    ]
    probes = Engine(review(factors=factors)).suggest(Phase.FACTORS).questions
    whys = [p.why for p in probes[:2]]
    assert whys == [
        "only 1 factor(s) in detect; look for more",
        "only 0 factor(s) in fix; look for more",
    ]


def test_events_nobody_asked_about_are_covered_then_dropped() -> None:
    event = TimelineEvent(at=at(10), kind=EventKind.ESCALATION, text="paged the database team")
    uncovered = Engine(review(events=[event])).suggest(Phase.SENSE_MAKING).questions
    assert any(p.ref == event.id for p in uncovered)
    asked = Question(
        phase=Phase.SENSE_MAKING, text="what made paging them right?", event_id=event.id
    )
    covered = Engine(review(events=[event], questions=[asked])).suggest(Phase.SENSE_MAKING)
    assert not any(p.ref == event.id for p in covered.questions)


def test_participants_nobody_heard_from_are_named() -> None:
    quiet = Participant(name="Riley Fixture", role="support lead")
    heard = Participant(name="Alex Example", role="on-call engineer")
    note = Note(phase=Phase.LEVEL_SET, text="Alex Example joined at ten")
    probes = Engine(review(participants=[quiet, heard], notes=[note])).suggest(Phase.LEVEL_SET)
    about = [p for p in probes.questions if p.ref is not None and "support lead" in p.why]
    assert about and about[0].ref == quiet.id
    assert not any(p.ref == heard.id for p in probes.questions)


def test_nothing_suggested_asked_or_dismissed_comes_back() -> None:
    demo = build_demo()
    first = Engine(demo).suggest(Phase.TIMELINE).questions
    assert len(first) == 5
    demo.suggestions = [
        Suggestion(task="suggest", phase=Phase.TIMELINE, text=p.question, status=status)
        for p, status in zip(
            first, [SuggestionStatus.DISMISSED, SuggestionStatus.ACCEPTED] * 3, strict=False
        )
    ]
    demo.questions.append(Question(phase=Phase.TIMELINE, text="Extra question asked?"))
    second = Engine(demo).suggest(Phase.TIMELINE).questions
    assert second
    assert not {p.question for p in first} & {p.question for p in second}


def test_same_state_same_questions() -> None:
    demo = build_demo()
    for phase in (Phase.TIMELINE, Phase.SENSE_MAKING, Phase.FACTORS, Phase.ACTIONS):
        assert Engine(demo.model_copy(deep=True)).suggest(phase) == Engine(demo).suggest(phase)


def test_interview_questions_start_from_where_the_person_appears() -> None:
    demo = build_demo()
    person = next(p for p in demo.participants if p.role == "database engineer")
    probes = Engine(demo).interview(person).questions
    assert "database engineer is named at 14:47" in probes[0].why
    assert len({p.question for p in probes}) == len(probes) == 5


def test_compare_finds_time_and_knowledge_differences() -> None:
    alex = Participant(name="Alex Example", role="on-call engineer")
    riley = Participant(name="Riley Fixture", role="support lead")
    a, r = Interview(participant_id=alex.id), Interview(participant_id=riley.id)
    events = [
        TimelineEvent(at=at(20), kind=EventKind.DETECTION, text="pager for queue depth",
                      interview_id=a.id),
        TimelineEvent(at=at(31), kind=EventKind.DETECTION, text="queue depth pager fired",
                      interview_id=r.id),
        TimelineEvent(at=at(5), kind=EventKind.ESCALATION, text="customers reported stuck jobs",
                      interview_id=r.id),
        TimelineEvent(at=at(40), kind=EventKind.MITIGATION, text="drained the queue",
                      interview_id=a.id),
    ]  # fmt: skip
    found = compare(review(participants=[alex, riley], interviews=[a, r], events=events))
    topics = [d.topic for d in found.differences]
    assert "what was known: customers reported stuck jobs" in topics
    when = next(d for d in found.differences if d.topic.startswith("when"))
    assert "11 minutes apart" in when.question
    assert {when.first_source, when.second_source} == {
        "Alex Example's account",
        "Riley Fixture's account",
    }


def test_blame_is_found_and_reworded_by_role() -> None:
    text = "Alex Example should have checked the graph; it was human error."
    assert [f.words for f in find_blame(text)] == ["should have", "human error"]
    reworded, changes = neutral_wording(text, [("Alex Example", "on-call engineer")])
    assert reworded.startswith("The on-call engineer could have checked the graph")
    assert "human error" not in reworded and "Alex" not in reworded
    assert len(changes) == 3


@pytest.mark.parametrize(
    "answer",
    [
        '{"questions": [{"question": "What did you see?", "why": "w"}]}',
        'Sure! ```json\n{"questions": [{"question": "What did you see?"}]}\n```',
        '[{"question": "What did you see?"}]',
        "1. What did you see? — the first signal\n2. nothing here",
    ],
)
def test_question_answers_are_read_tolerantly(answer: str) -> None:
    parsed = parse_answer(Task.SUGGEST, answer)
    assert isinstance(parsed, Probes)
    assert parsed.questions[0].question == "What did you see?"


def test_unreadable_structured_answers_raise_with_what_came_back() -> None:
    with pytest.raises(ParseError, match="it began: 'no json here'"):
        parse_answer(Task.COMPARE, "no json here")
    assert parse_answer(Task.REFRAME, "plain rewrite") == Reframe(text="plain rewrite")


def test_rambling_answers_are_clipped_not_refused() -> None:
    long_why = "x" * 3000
    parsed = parse_answer(
        Task.SUGGEST, '{"questions": [{"question": "Q?", "why": "' + long_why + '"}]}'
    )
    assert isinstance(parsed, Probes)
    assert len(parsed.questions[0].why) == 2000 and parsed.questions[0].why.endswith("…")
