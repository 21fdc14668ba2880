"""`review-assistant search QUERY… [--limit N] [--json]` through a real subprocess."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from review_assistant.domain.models import (
    ActionItem,
    Factor,
    FactorArea,
    Note,
    ReviewSession,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from test_cli import assert_one_line_error, cli, ok

T0 = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)


def seed(data_dir: Path) -> dict[str, str]:
    """Two reviews with matching items at known times; returns name → id."""
    checkout = ReviewSession(title="Checkout outage", timezone="Europe/Berlin")
    search = ReviewSession(title="Search lag", timezone="UTC")
    event = TimelineEvent(at=T0, text="Pool saturation alert fired", created_at=T0)
    note = Note(
        phase=Phase.SENSE_MAKING,
        text="We thought pool saturation\x1b[31m was normal",
        created_at=T0 + timedelta(hours=2),
    )
    factor = Factor(
        area=FactorArea.DETECT,
        text="No alert on connection pool saturation",
        created_at=T0 + timedelta(hours=1),
    )
    action = ActionItem(text="Size the pool for peak", created_at=T0 + timedelta(hours=3))
    with Store(data_dir / "review.db") as store:
        store.create_session(checkout)
        store.create_session(search)
        store.add(checkout.id, event)
        store.add(checkout.id, factor)
        store.add(search.id, note)
        store.add(search.id, action)
    return {
        "checkout": checkout.id,
        "search": search.id,
        "event": event.id,
        "note": note.id,
        "factor": factor.id,
        "action": action.id,
    }


def test_search_prints_newest_first_with_matches_marked(tmp_path: Path) -> None:
    ids = seed(tmp_path)
    out = ok(cli("search", "pool", "saturation", data_dir=tmp_path)).stdout

    blocks = out.strip().split("\n\n")
    assert blocks[0] == (
        f"Search lag [{ids['search']}] · How did it make sense · note · 2026-03-12 16:00 UTC\n"
        "  We thought [pool] [saturation]␛[31m was normal"
    )
    assert blocks[1] == (
        f"Checkout outage [{ids['checkout']}] · Contributing factors · factor · "
        "2026-03-12 16:00 CET\n"
        "  No alert on connection [pool] [saturation]"
    )
    assert blocks[2] == (
        f"Checkout outage [{ids['checkout']}] · Timeline walk · event · 2026-03-12 15:00 CET\n"
        "  [Pool] [saturation] alert fired"
    )
    assert blocks[3] == "3 matches, newest first."
    assert "\x1b" not in out


def test_search_json_lists_hits_with_marked_snippets(tmp_path: Path) -> None:
    ids = seed(tmp_path)
    out = ok(cli("search", "pool*", "--json", "--limit", "2", data_dir=tmp_path)).stdout

    hits = json.loads(out)
    assert [(h["kind"], h["item_id"]) for h in hits] == [
        ("action", ids["action"]),
        ("note", ids["note"]),
    ]
    assert hits[0] == {
        "session": ids["search"],
        "title": "Search lag",
        "kind": "action",
        "item_id": ids["action"],
        "phase": "actions",
        "interview_id": None,
        "at": "2026-03-12T17:00:00+00:00",
        "text": "Size the pool for peak",
        "snippet": "Size the **pool** for peak",
    }
    assert hits[1]["text"] == "We thought pool saturation\x1b[31m was normal"


def test_an_argument_with_spaces_is_a_phrase(tmp_path: Path) -> None:
    ids = seed(tmp_path)
    hits = json.loads(ok(cli("search", "connection pool", "--json", data_dir=tmp_path)).stdout)
    assert [h["item_id"] for h in hits] == [ids["factor"]]
    hits = json.loads(ok(cli("search", "pool connection", "--json", data_dir=tmp_path)).stdout)
    assert hits == []


def test_search_without_matches_is_not_an_error(tmp_path: Path) -> None:
    seed(tmp_path)
    assert ok(cli("search", "zeppelin", data_dir=tmp_path)).stdout == "No matches.\n"
    assert json.loads(ok(cli("search", "zeppelin", "--json", data_dir=tmp_path)).stdout) == []
    hostile = ok(cli("search", "--", 'NEAR("pool', "-x", "col:y", ")", data_dir=tmp_path))
    assert hostile.stdout == "No matches.\n"


def test_search_needs_a_word(tmp_path: Path) -> None:
    seed(tmp_path)
    assert_one_line_error(cli("search", "", data_dir=tmp_path), "give at least one word")
    assert_one_line_error(cli("search", '"', "*", data_dir=tmp_path), "give at least one word")
    assert_one_line_error(
        cli("search", "pool", "--limit", "0", data_dir=tmp_path), "--limit must be at least 1"
    )
