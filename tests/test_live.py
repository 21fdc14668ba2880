"""The live review: participant list edits keep ids, aliases and interviews."""

from __future__ import annotations

import pytest

from review_assistant.domain.models import Participant, ReviewSession
from review_assistant.live import LiveReview
from review_assistant.store import Store


def test_set_participants_keeps_ids_and_aliases(store: Store, session: ReviewSession) -> None:
    live = LiveReview(store, session.id)
    alex = next(p for p in live.review.participants if p.name == "Alex Example")
    live.set_participants(
        [("alex example", "incident commander"), ("Jordan Demo", "database engineer")]
    )
    stored = store.load_review(session.id).participants
    assert [(p.name, p.role) for p in stored] == [
        ("alex example", "incident commander"),
        ("Jordan Demo", "database engineer"),
    ]
    kept = stored[0]
    assert (kept.id, kept.alias) == (alex.id, "Engineer A")
    assert live.review.participants == stored


def test_someone_interviewed_cannot_be_dropped(store: Store, session: ReviewSession) -> None:
    live = LiveReview(store, session.id)
    casey = next(p for p in live.review.participants if p.name == "Casey Sample")
    live.interview_for(casey.id)
    with pytest.raises(ValueError, match="Casey Sample has an interview"):
        live.set_participants([("Alex Example", "on-call engineer")])
    assert {p.name for p in store.items(session.id, Participant)} == {
        "Alex Example",
        "Casey Sample",
    }
