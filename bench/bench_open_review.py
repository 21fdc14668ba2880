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

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Header, Static

from review_assistant.demo import build_demo
from review_assistant.domain.models import EventKind, Note, Review, ReviewSession, TimelineEvent
from review_assistant.domain.phases import REVIEW_PHASES
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.footer import KeyFooter
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


class Blank(Screen[None]):
    """The floor: the cheapest screen the app could push (header, one line, footer)."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("blank")
        yield KeyFooter()


async def time_floor(folder: Path) -> float:
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        began = time.perf_counter()
        app.push_screen(Blank())
        await pilot.pause()
        return (time.perf_counter() - began) * 1000


async def time_open(folder: Path, keys: list[float] | None = None) -> float:
    """Enter on home → review screen idle; then, if asked, time single key presses."""
    app = make_app(folder)
    async with app.run_test(size=(100, 30)) as pilot:
        # A facilitator reads the list for a moment first: the home screen's background
        # imports (store, models, review screen) are done by then.
        await app.workers.wait_for_complete()
        await pilot.pause()
        began = time.perf_counter()
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen):
            await pilot.pause(0)
        await pilot.pause()
        elapsed = time.perf_counter() - began
        if keys is not None:
            await pilot.press("f3")  # the timeline: 2,000 events
            await pilot.pause()
            app.screen.query_one("#events").focus()
            for key in ["pagedown"] * 10 + ["down"] * 10 + ["end", "home"]:
                pressed = time.perf_counter()
                await pilot.press(key)
                await pilot.pause()
                keys.append((time.perf_counter() - pressed) * 1000)
    return elapsed * 1000


def measure(review: Review, keys: list[float] | None = None) -> list[float]:
    results = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as folder:
            with Store(Path(folder) / "review.db") as store:
                store.save_review(review.model_copy(deep=True))
            results.append(asyncio.run(time_open(Path(folder), keys)))
    return results


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.0f} ms (min–max {min(values):.0f}–{max(values):.0f})"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        floor = [asyncio.run(time_floor(Path(folder))) for _ in range(RUNS)]
    small_keys: list[float] = []
    small = measure(build_demo(), small_keys)
    keys: list[float] = []
    big = measure(big_review(), keys)
    print(f"open review (Enter on home → review screen idle), medians of {RUNS} runs, 100×30")
    print(f"  floor, a blank screen pushed: {spread(floor)}")
    print(f"  demo review: {spread(small)}")
    print(f"  5,000 notes + 2,000 events: {spread(big)}")
    print(f"  ratio big/demo: {statistics.median(big) / statistics.median(small):.2f}×")
    print(f"  ratio big/floor: {statistics.median(big) / statistics.median(floor):.2f}×")
    print(f"scrolling the timeline, key press → idle, {len(keys)} presses each")
    for label, values in (("demo, 13 events", small_keys), ("2,000 events", keys)):
        p95 = statistics.quantiles(values, n=20)[18]
        print(
            f"  {label}: median {statistics.median(values):.0f} ms, p95 {p95:.0f} ms, "
            f"max {max(values):.0f} ms"
        )
    ratio = statistics.median(keys) / statistics.median(small_keys)
    print(f"  ratio 2,000 events/demo: {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
