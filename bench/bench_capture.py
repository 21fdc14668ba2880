"""Note capture: typed text to a committed row, in a review with 5,000 notes and 2,000 events.

Prints the median and p99 of ``record()`` (parse + one fsync'd commit), of Enter in the app's
note line to the row committed (Pilot driver), and, as the baseline
measured in the same run, the floor: a bare one-row INSERT committed with the same pragmas.
"""

from __future__ import annotations

import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from textual import events
from textual.widgets import Input

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


async def _in_the_app(folder: Path, session_id: str, rounds: int) -> list[tuple[float, float]]:
    """Enter in the review screen's note line → the row committed, in the app (Pilot driver).

    Two figures per note: from the Enter key reaching the note line to the capture's commit
    returning, and the same from the moment the test driver sends the key (which adds the
    driver's and Textual's delivery of the key). What the screen does after the commit
    (the table row, the confirmation) is not counted.
    """
    from review_assistant.live import LiveReview
    from review_assistant.tui.app import make_app
    from review_assistant.tui.widgets import NoteInput

    marks: dict[str, float] = {}
    capture, on_key = LiveReview.capture, NoteInput._on_key

    def timed(self: LiveReview, *args: Any, **kwargs: Any) -> Any:
        result = capture(self, *args, **kwargs)
        marks["committed"] = time.perf_counter()
        return result

    async def key(self: NoteInput, event: events.Key) -> None:
        marks["key"] = time.perf_counter()
        await on_key(self, event)

    LiveReview.capture = timed  # type: ignore[method-assign]
    NoteInput._on_key = key  # type: ignore[method-assign]
    latencies = []
    app = make_app(folder, session_id=session_id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        note_line = app.screen.query_one("#capture", Input)
        for i in range(rounds):
            note_line.value = f"note typed in the app number {i}"
            began = time.perf_counter()
            await pilot.press("enter")
            done = marks["committed"]
            latencies.append(((done - marks["key"]) * 1000, (done - began) * 1000))
    LiveReview.capture, NoteInput._on_key = capture, on_key  # type: ignore[method-assign]
    return latencies


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
        in_app = asyncio.run(_in_the_app(Path(folder), session_id, ROUNDS))

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
    print(f"  ratio to floor: {median / floor_median:.2f}×")
    for index, what in ((0, "Enter at the note line"), (1, "the test driver sending Enter")):
        values = [pair[index] for pair in in_app]
        app_median, app_p99 = statistics.median(values), _percentile(values, 0.99)
        print(
            f"  in the app, {what} → committed: median {app_median:.2f} ms  "
            f"p99 {app_p99:.2f} ms  min–max {min(values):.2f}–{max(values):.2f} ms; "
            f"ratio to floor {app_median / floor_median:.1f}×"
        )
    print("  (target: median ≤ 10 ms, p99 ≤ 30 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
