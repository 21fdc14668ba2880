"""Opening a big review: 5,000 notes and 2,000 events, from Enter on home to the screen ready.

Baseline measured in the same run: opening the demo review (13 events, 9 notes).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from review_assistant.demo import build_demo
from review_assistant.domain.models import EventKind, Note, Review, ReviewSession, TimelineEvent
from review_assistant.domain.phases import REVIEW_PHASES
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.review_screen import ReviewScreen

RUNS = 3


def big_review(events: int = 2000, notes: int = 5000) -> Review:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    kinds = list(EventKind)
    return Review(
        session=ReviewSession(title="Big review", timezone="UTC", incident_start=start),
        events=[
            TimelineEvent(
                at=start + timedelta(seconds=37 * i),
                kind=kinds[i % len(kinds)],
                text=f"event {i}: something was observed on host-{i % 40}",
            )
            for i in range(events)
        ],
        notes=[
            Note(phase=REVIEW_PHASES[i % len(REVIEW_PHASES)], text=f"note {i} about the incident")
            for i in range(notes)
        ],
    )


async def time_open(folder: Path) -> float:
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen):
            await pilot.pause(0)
        await pilot.pause()
        elapsed = time.perf_counter() - began
        await pilot.press("pagedown", "pagedown")
    return elapsed * 1000


def measure(review: Review) -> list[float]:
    results = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            with Store(Path(folder) / "review.db") as store:
                store.save_review(review.model_copy(deep=True))
            results.append(asyncio.run(time_open(Path(folder))))
    return results


def main() -> int:
    small = measure(build_demo())
    big = measure(big_review())
    print("open review (Enter on home → review screen ready), medians of", RUNS, "runs")
    spread = f"{min(small):.0f}–{max(small):.0f}"
    print(f"  demo review: {statistics.median(small):.0f} ms  (min–max {spread})")
    print(
        f"  5,000 notes + 2,000 events: {statistics.median(big):.0f} ms  "
        f"(min–max {min(big):.0f}–{max(big):.0f})  target ≤ 300 ms"
    )
    print(f"  ratio big/demo: {statistics.median(big) / statistics.median(small):.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
