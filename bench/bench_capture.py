"""Note capture: typed text to a committed row, in a review with 5,000 notes and 2,000 events.

Prints the median and p99 of ``record()`` (parse + one fsync'd commit) and, as the baseline
measured in the same run, the floor: a bare one-row INSERT committed with the same pragmas.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from review_assistant.domain.models import Note, ReviewSession, TimelineEvent
from review_assistant.domain.phases import Phase
from review_assistant.recording import record
from review_assistant.store import Store

ROUNDS = 300


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _build(store: Store) -> str:
    session = store.create_session(ReviewSession(title="bench", timezone="UTC"))
    start = datetime(2026, 1, 1, tzinfo=UTC)
    rows = [
        TimelineEvent(at=start + timedelta(seconds=30 * i), text=f"event {i}") for i in range(2000)
    ]
    notes = [Note(phase=Phase.TIMELINE, text=f"note {i} " * 8) for i in range(5000)]
    review = store.load_review(session.id)
    review.events, review.notes = rows, notes
    store.delete_session(session.id)
    return store.save_review(review)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "review.db")
        session_id = _build(store)
        capture: list[float] = []
        for i in range(ROUNDS):
            began = time.perf_counter()
            record(store, session_id, f"note typed live number {i}")
            capture.append((time.perf_counter() - began) * 1000)
        store.close()

        floor_conn = sqlite3.connect(Path(folder) / "floor.db", isolation_level=None)
        floor_conn.execute("PRAGMA journal_mode = WAL")
        floor_conn.execute("PRAGMA synchronous = FULL")
        floor_conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT)")
        floor: list[float] = []
        for i in range(ROUNDS):
            began = time.perf_counter()
            floor_conn.execute("BEGIN IMMEDIATE")
            floor_conn.execute("INSERT INTO t (text) VALUES (?)", [f"row {i}"])
            floor_conn.execute("COMMIT")
            floor.append((time.perf_counter() - began) * 1000)
        floor_conn.close()

    median, p99 = statistics.median(capture), _percentile(capture, 0.99)
    floor_median = statistics.median(floor)
    print(f"note capture (record → committed), {ROUNDS} notes, review of 5,000 notes/2,000 events")
    spread = f"{min(capture):.2f}–{max(capture):.2f}"
    print(f"  median {median:.2f} ms  p99 {p99:.2f} ms  min–max {spread} ms")
    floor_p99 = _percentile(floor, 0.99)
    print(f"  floor (bare fsync'd commit): median {floor_median:.2f} ms  p99 {floor_p99:.2f} ms")
    print(f"  ratio to floor: {median / floor_median:.2f}×  (target: median ≤ 10 ms, p99 ≤ 30 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
