from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from review_assistant.domain.models import (
    ActionItem,
    ActionStatus,
    EventKind,
    Factor,
    FactorArea,
    Note,
    Question,
    ReviewSession,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.store import NotFoundError, Store


def test_pragmas_are_durable(store: Store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_writes_are_visible_to_another_connection_at_once(
    store: Store, session: ReviewSession
) -> None:
    note = store.add(session.id, Note(phase=Phase.LEVEL_SET, text="context"))
    other = sqlite3.connect(store.path)
    rows = other.execute("SELECT text FROM notes WHERE id = ?", [note.id]).fetchall()
    other.close()
    assert rows == [("context",)]


def test_session_round_trip(store: Store, session: ReviewSession) -> None:
    loaded = store.get_session(session.id)
    assert loaded.title == session.title
    assert loaded.incident_start == session.incident_start
    assert loaded.timezone == "Europe/London"
    review = store.load_review(session.id)
    assert [p.name for p in review.participants] == ["Alex Example", "Casey Sample"]


def test_update_session_validates_and_merges_impact(store: Store, session: ReviewSession) -> None:
    store.update_session(session.id, impact={"users_affected": "12% of logins"})
    updated = store.update_session(session.id, impact={"money": "none"}, phase=Phase.TIMELINE)
    assert updated.impact.users_affected == "12% of logins"
    assert updated.impact.money == "none"
    assert store.get_session(session.id).phase is Phase.TIMELINE
    with pytest.raises(ValueError, match="timezone"):
        store.update_session(session.id, timezone="Nowhere/Atlantis")
    assert store.get_session(session.id).timezone == "Europe/London"


def test_events_come_back_in_time_order_with_offsets(store: Store, session: ReviewSession) -> None:
    base = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)
    later = store.add(session.id, TimelineEvent(at=base + timedelta(minutes=30), text="b"))
    plus2 = datetime(
        2026, 3, 12, 15, 10, tzinfo=__import__("datetime").timezone(timedelta(hours=2))
    )
    earlier = store.add(session.id, TimelineEvent(at=plus2, text="a"))  # 13:10 UTC
    events = store.items(session.id, TimelineEvent)
    assert [e.id for e in events] == [earlier.id, later.id]
    assert events[0].at.utcoffset() == timedelta(hours=2)


def test_update_and_delete_items(store: Store, session: ReviewSession) -> None:
    event = store.add(
        session.id, TimelineEvent(at=datetime(2026, 3, 12, 14, 0, tzinfo=UTC), text="x")
    )
    question = store.add(
        session.id, Question(phase=Phase.SENSE_MAKING, text="q", event_id=event.id)
    )
    changed = store.update(session.id, TimelineEvent, event.id, kind=EventKind.DETECTION)
    assert changed.kind is EventKind.DETECTION
    assert store.get(session.id, TimelineEvent, event.id).kind is EventKind.DETECTION
    with pytest.raises(ValueError):
        store.update(session.id, TimelineEvent, event.id, kind="nonsense")
    store.delete(session.id, TimelineEvent, event.id)
    assert store.items(session.id, TimelineEvent) == []
    assert store.get(session.id, Question, question.id).event_id is None
    with pytest.raises(NotFoundError):
        store.delete(session.id, TimelineEvent, event.id)


def test_action_update_stamps_updated_at(store: Store, session: ReviewSession) -> None:
    action = store.add(session.id, ActionItem(text="add alert", area=FactorArea.DETECT))
    done = store.update(
        session.id, ActionItem, action.id, status=ActionStatus.DONE, due=date(2026, 4, 1)
    )
    assert done.updated_at > action.updated_at
    assert store.get(session.id, ActionItem, action.id).due == date(2026, 4, 1)


def test_list_sessions_counts_open_actions_and_orders_by_change(store: Store) -> None:
    first = store.create_session(ReviewSession(title="first"))
    second = store.create_session(ReviewSession(title="second"))
    store.add(first.id, ActionItem(text="a"))
    store.add(first.id, ActionItem(text="b", status=ActionStatus.DONE))
    summaries = store.list_sessions()
    assert [s.id for s in summaries] == [first.id, second.id]  # first was touched last
    assert summaries[0].open_actions == 1


def test_resolve_by_prefix(store: Store) -> None:
    one = store.create_session(ReviewSession(id="abc123000000", title="one"))
    store.create_session(ReviewSession(id="abd456000000", title="two"))
    assert store.resolve("abc") == one.id
    assert store.resolve("ABC123000000") == one.id
    with pytest.raises(NotFoundError, match="several"):
        store.resolve("ab")
    with pytest.raises(NotFoundError, match="no review session"):
        store.resolve("zzz")
    with pytest.raises(NotFoundError):
        store.resolve("a%")


def test_delete_session_cascades(store: Store, session: ReviewSession) -> None:
    store.add(session.id, Factor(area=FactorArea.AVOID, text="f"))
    store.delete_session(session.id)
    assert store.db.execute("SELECT count(*) FROM factors").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM participants").fetchone()[0] == 0


def test_item_for_missing_session_is_refused(store: Store) -> None:
    with pytest.raises(NotFoundError):
        store.add("missing", Note(phase=Phase.TIMELINE, text="x"))
    assert store.db.execute("SELECT count(*) FROM notes").fetchone()[0] == 0


def test_reopen_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    with Store(path) as first:
        created = first.create_session(ReviewSession(title="kept"))
        first.add(created.id, Note(phase=Phase.LEVEL_SET, text="n" * 1_000_000))
    with Store(path) as again:
        notes = again.items(created.id, Note)
    assert len(notes[0].text) == 1_000_000


def test_open_uses_data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REVIEW_ASSISTANT_HOME", str(tmp_path / "home"))
    with Store.open() as from_env:
        assert from_env.path == tmp_path / "home" / "review.db"
    with Store.open(tmp_path / "flag") as from_flag:
        assert from_flag.path == tmp_path / "flag" / "review.db"
    assert (tmp_path / "flag" / "review.db").exists()


def test_imported_events_with_a_known_key_are_skipped(store: Store, session: ReviewSession) -> None:
    at = datetime(2026, 3, 1, 14, 5, tzinfo=UTC)
    first = [
        TimelineEvent(at=at, text="alert fired", import_key="k1"),
        TimelineEvent(at=at, text="page acknowledged", import_key="k2"),
    ]
    assert store.add_events(session.id, first) == first
    again = [
        TimelineEvent(at=at, text="alert fired, re-kinded", import_key="k1"),
        TimelineEvent(at=at, text="new line", import_key="k3"),
        TimelineEvent(at=at, text="typed by hand"),
    ]
    added = store.add_events(session.id, again)
    assert [e.text for e in added] == ["new line", "typed by hand"]
    stored = store.items(session.id, TimelineEvent)
    assert sorted(e.import_key or "" for e in stored) == ["", "k1", "k2", "k3"]
    # the same key in another session is another event
    other = store.create_session(ReviewSession(title="another review"))
    assert len(store.add_events(other.id, first[:1])) == 1
