from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from review_assistant.domain.capture import CaptureError
from review_assistant.domain.models import (
    ActionIdea,
    EventKind,
    Factor,
    Interview,
    Learning,
    Note,
    Question,
    ReviewSession,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.phases import Phase
from review_assistant.recording import record
from review_assistant.store import Store


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("plain words", Note),
        ("14:05 detection: pager fired", TimelineEvent),
        ("! add an alert", ActionIdea),
        ("+ fast rollback", WentWell),
        ("fix: slow deploys", Factor),
        ("? who saw the dashboard", Question),
        ("learning: pools hide latency", Learning),
    ],
)
def test_each_marker_is_committed_as_its_item(
    store: Store, session: ReviewSession, text: str, kind: type
) -> None:
    recorded = record(store, session.id, text)
    assert isinstance(recorded.item, kind)
    assert store.get(session.id, kind, recorded.item.id) == recorded.item
    assert recorded.describe()


def test_plain_note_takes_the_current_or_given_phase(store: Store, session: ReviewSession) -> None:
    store.update_session(session.id, phase=Phase.FACTORS)
    current = record(store, session.id, "note a")
    given = record(store, session.id, "note b", phase=Phase.WENT_WELL)
    assert isinstance(current.item, Note) and current.item.phase is Phase.FACTORS
    assert isinstance(given.item, Note) and given.item.phase is Phase.WENT_WELL


def test_bare_time_uses_incident_date_and_zone(store: Store, session: ReviewSession) -> None:
    recorded = record(store, session.id, "14:05 mitigation: rolled back")
    event = store.get(session.id, TimelineEvent, recorded.item.id)
    assert event.at == datetime(2026, 3, 12, 14, 5, tzinfo=ZoneInfo("Europe/London"))
    assert event.kind is EventKind.MITIGATION


def test_interview_capture_is_marked_with_the_participant(
    store: Store, session: ReviewSession
) -> None:
    person = store.load_review(session.id).participants[0]
    interview = store.add(session.id, Interview(participant_id=person.id))
    event = record(
        store, session.id, "14:20 detection: pager", interview_id=interview.id, who=person.name
    ).item
    note = record(
        store, session.id, "did not know about the deploy", interview_id=interview.id
    ).item
    assert isinstance(event, TimelineEvent) and isinstance(note, Note)
    assert event.interview_id == interview.id
    assert event.source == "interview: Alex Example"
    assert note.phase is Phase.INTERVIEW
    assert store.load_review(session.id).timeline() == []  # not in the shared timeline


def test_error_saves_nothing(store: Store, session: ReviewSession) -> None:
    with pytest.raises(CaptureError):
        record(store, session.id, "26:00 impossible")
    assert store.items(session.id, TimelineEvent) == []
    assert store.items(session.id, Note) == []


def test_control_characters_warn_but_are_kept(store: Store, session: ReviewSession) -> None:
    text = "\x1b[31mred\x1b[0m\x07"
    recorded = record(store, session.id, text)
    assert recorded.warnings and "3 control" in recorded.warnings[0]
    assert store.get(session.id, Note, recorded.item.id).text == text
    assert "\x1b" not in recorded.describe()


def test_typed_who_wins_over_the_interviewee(store: Store, session: ReviewSession) -> None:
    from review_assistant.recording import build_item

    said = build_item(session, "14:05 @support lead: phoned me", interview_id="i1", who="Alex")
    default = build_item(session, "14:06 saw the graph", interview_id="i1", who="Alex")
    assert isinstance(said, TimelineEvent) and isinstance(default, TimelineEvent)
    assert (said.who, said.source) == ("support lead", "interview: Alex")
    assert default.who == "Alex"
