from __future__ import annotations

import json

import pytest

from review_assistant.demo import build_demo
from review_assistant.domain.models import Note
from review_assistant.domain.phases import Phase
from review_assistant.exchange import ExchangeError, export_json, import_review, parse_export
from review_assistant.store import Store


def test_demo_round_trips_without_loss(store: Store) -> None:
    original_id = store.save_review(build_demo())
    first = export_json(store.load_review(original_id))
    new_id = import_review(store, first)
    second = export_json(store.load_review(new_id))
    assert new_id != original_id
    assert second == first.replace(original_id, new_id)


def test_hostile_text_round_trips(store: Store) -> None:
    review = build_demo()
    nasty = "[@click=app.quit]q[/] \x1b[2J\x00 {{ x }} {% if %} \u202eevil \U0001f525"
    review.notes.append(Note(phase=Phase.TIMELINE, text=nasty))
    session_id = store.save_review(review)
    exported = export_json(store.load_review(session_id))
    again = parse_export(exported)
    assert any(n.text == nasty for n in again.notes)


def test_demo_is_a_full_review() -> None:
    demo = build_demo()
    assert len(demo.timeline()) >= 10
    assert len(demo.interviews) >= 2
    assert {f.area.value for f in demo.factors} == {"avoid", "detect", "fix"}
    assert demo.went_well and demo.learnings and demo.ideas and demo.actions
    assert any(q.answer for q in demo.questions)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "not valid JSON"),
        ("[]", "not a review-assistant session export"),
        (json.dumps({"format": "review-assistant/session", "version": 99}), "newer"),
        (json.dumps({"format": "review-assistant/session", "version": 1}), "invalid at session"),
    ],
)
def test_bad_exports_are_refused(text: str, message: str) -> None:
    with pytest.raises(ExchangeError, match=message):
        parse_export(text)


def test_failed_import_writes_nothing(store: Store) -> None:
    document = json.loads(export_json(build_demo()))
    document["events"][3]["kind"] = "not-a-kind"
    with pytest.raises(ExchangeError, match=r"events\.3\.kind"):
        import_review(store, json.dumps(document))
    assert store.list_sessions() == []
