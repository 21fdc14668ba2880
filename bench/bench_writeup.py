"""Timeline import, linting and write-up export on big inputs.

Prints, each with a baseline measured in the same run:
- importing a 10,000-message Slack export (two channels, threads, mentions) against storing the
  same number of ready-made events in one transaction (the floor: no reading, no parsing);
- exporting the Markdown and HTML write-ups of a review with 2,000 events and 5,000 notes
  against rendering the short summary of the same review;
- the timeline picture for those 2,000 events.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from review_assistant.domain.models import (
    DraftKind,
    EventKind,
    Note,
    Participant,
    Review,
    ReviewSession,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.importers import import_timeline
from review_assistant.store import Store
from review_assistant.writeup.export import export_writeup
from review_assistant.writeup.picture import incident_picture, picture_lines, picture_svg
from review_assistant.writeup.render import render_draft

START = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


def _slack_export(root: Path, messages: int) -> Path:
    users = [{"id": f"U{i}", "real_name": f"Responder {i}"} for i in range(20)]
    (root / "users.json").parent.mkdir(parents=True, exist_ok=True)
    (root / "users.json").write_text(json.dumps(users), encoding="utf-8")
    channels = ["incident", "ops"]
    (root / "channels.json").write_text(
        json.dumps([{"id": f"C{i}", "name": name} for i, name in enumerate(channels)]),
        encoding="utf-8",
    )
    per_day = messages // (len(channels) * 5)
    for c, name in enumerate(channels):
        folder = root / name
        folder.mkdir()
        for d in range(5):
            day = START + timedelta(days=d)
            rows: list[dict[str, str]] = []
            for i in range(per_day):
                ts = f"{int(day.timestamp()) + i * 30}.{c:03d}{i % 1000:03d}"
                row = {"type": "message", "ts": ts, "user": f"U{i % 20}"}
                row["text"] = f"<@U{(i + 1) % 20}> step {i}: checked the pool &amp; the graphs"
                if i % 10 == 9:
                    row["thread_ts"] = rows[-1]["ts"]
                rows.append(row)
            (folder / f"{day:%Y-%m-%d}.json").write_text(json.dumps(rows), encoding="utf-8")
    return root


def _big_review() -> Review:
    session = ReviewSession(title="Big review", timezone="Europe/London", incident_start=START)
    kinds = list(EventKind)
    events = [
        TimelineEvent(at=START + timedelta(seconds=45 * i), kind=kinds[i % 8], text=f"event {i}")
        for i in range(2000)
    ]
    notes = [Note(phase=Phase.TIMELINE, text=f"note {i} about the pool " * 4) for i in range(5000)]
    people = [Participant(name="Alex Example", role="on-call engineer")]
    return Review(session=session, participants=people, events=events, notes=notes)


def _median_ms(work: Callable[[], object], rounds: int) -> tuple[float, float, float]:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        export = _slack_export(base / "slack", 10_000)
        imports, floors = [], []
        for round_ in range(3):
            with Store(base / f"import-{round_}.db") as store:
                session = store.create_session(ReviewSession(title="s", incident_start=START))
                began = time.perf_counter()
                report = import_timeline(store, session.id, export)
                imports.append((time.perf_counter() - began) * 1000)
                assert report.added == 10_000, report.added
                other = store.create_session(ReviewSession(title="floor"))
                ready = [e.model_copy(update={"id": f"f{e.id}"}) for e in report.events]
                began = time.perf_counter()
                store.add_events(other.id, ready)
                floors.append((time.perf_counter() - began) * 1000)
        print(
            f"import 10,000 Slack messages: median {statistics.median(imports):.0f} ms "
            f"(min {min(imports):.0f}, max {max(imports):.0f}); floor (store the same events): "
            f"{statistics.median(floors):.0f} ms; ratio "
            f"{statistics.median(imports) / statistics.median(floors):.1f}×"
        )

    review = _big_review()
    summary = _median_ms(lambda: render_draft(DraftKind.SUMMARY, review), 5)
    for fmt in ("md", "html"):

        def write_up(fmt: str = fmt) -> str:
            return export_writeup(review, fmt)

        median, low, high = _median_ms(write_up, 5)
        print(
            f"export {fmt} (2,000 events, 5,000 notes): median {median:.0f} ms "
            f"(min {low:.0f}, max {high:.0f}); baseline summary {summary[0]:.0f} ms; "
            f"ratio {median / summary[0]:.1f}×"
        )

    from review_assistant.lint import lint_review, lint_text

    notes = [
        "At 13:52 the on-call saw the error rate climb on the checkout dashboard and paged the "
        "incident commander; the pool graph showed connections at the limit.",
        "Alex Example failed to page the database team; in hindsight the canary was too small.",
    ]
    for note in notes:
        lint_text(note, people=review.participants)  # warm up
    typed = _median_ms(
        lambda: [lint_text(notes[0], people=review.participants) for _ in range(100)], 5
    )
    search = _median_ms(lambda: [notes[0].lower().find("should have") for _ in range(100)], 5)
    print(
        f"lint one typed note: median {typed[0] * 10:.0f} µs (min {typed[1] * 10:.0f}, "
        f"max {typed[2] * 10:.0f}); baseline one substring search {search[0] * 10:.1f} µs"
    )
    linted = _median_ms(lambda: lint_review(review), 5)
    print(
        f"lint a review of 5,000 notes and 2,000 events: median {linted[0]:.0f} ms "
        f"(min {linted[1]:.0f}, max {linted[2]:.0f}); baseline summary {summary[0]:.0f} ms; "
        f"ratio {linted[0] / summary[0]:.1f}×"
    )

    def draw() -> None:
        picture = incident_picture(review)
        assert picture is not None
        picture_lines(picture, 100)
        picture_svg(picture)

    median, low, high = _median_ms(draw, 10)
    timeline = _median_ms(review.timeline, 10)
    print(
        f"timeline picture, text + SVG (2,000 events): median {median:.1f} ms "
        f"(min {low:.1f}, max {high:.1f}); baseline sorting the timeline {timeline[0]:.1f} ms; "
        f"ratio {median / timeline[0]:.1f}×"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
