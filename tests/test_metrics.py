from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from review_assistant.domain.metrics import compute_metrics, gaps
from review_assistant.domain.models import EventKind, TimelineEvent
from review_assistant.domain.times import format_duration

T0 = datetime(2026, 5, 1, 14, 0, tzinfo=UTC)


def ev(minutes: float, kind: EventKind, **extra: object) -> TimelineEvent:
    return TimelineEvent(at=T0 + timedelta(minutes=minutes), kind=kind, text=kind.value, **extra)


def test_metrics_from_earliest_trigger() -> None:
    events = [
        ev(-5, EventKind.DETECTION),  # before the trigger: ignored
        ev(0, EventKind.TRIGGER),
        ev(3, EventKind.TRIGGER),
        ev(12, EventKind.DETECTION),
        ev(20, EventKind.DETECTION),
        ev(30, EventKind.MITIGATION),
        ev(60, EventKind.RESOLUTION),
    ]
    metrics = compute_metrics(events)
    assert metrics.as_dict() == {
        "time_to_detect_s": 720.0,
        "time_to_mitigate_s": 1800.0,
        "time_to_resolve_s": 3600.0,
    }


def test_metrics_unknown_without_trigger_or_end() -> None:
    assert compute_metrics([ev(0, EventKind.DETECTION)]).time_to_detect_s is None
    partial = compute_metrics([ev(0, EventKind.TRIGGER), ev(9, EventKind.MITIGATION)])
    assert partial.time_to_detect_s is None
    assert partial.time_to_mitigate_s == 540
    assert partial.time_to_resolve_s is None


def test_metrics_are_computed_in_utc_across_offsets() -> None:
    plus2 = timezone(timedelta(hours=2))
    trigger = TimelineEvent(
        at=datetime(2026, 5, 1, 16, 0, tzinfo=plus2), kind=EventKind.TRIGGER, text="t"
    )
    detect = TimelineEvent(
        at=datetime(2026, 5, 1, 14, 10, tzinfo=UTC), kind=EventKind.DETECTION, text="d"
    )
    assert compute_metrics([trigger, detect]).time_to_detect_s == 600


def test_interview_events_do_not_count() -> None:
    events = [ev(0, EventKind.TRIGGER), ev(5, EventKind.DETECTION, interview_id="abc")]
    assert compute_metrics(events).time_to_detect_s is None


def test_gaps_longest_first() -> None:
    events = [ev(0, EventKind.TRIGGER), ev(40, EventKind.DETECTION), ev(45, EventKind.MITIGATION)]
    found = gaps(events, minimum_s=15 * 60)
    assert [g.seconds for g in found] == [2400]
    assert found[0].before.kind is EventKind.TRIGGER


def test_format_duration() -> None:
    assert format_duration(None) == "—"
    assert format_duration(42) == "42s"
    assert format_duration(750) == "12m 30s"
    assert format_duration(3900) == "1h 05m"
    assert format_duration(90_000) == "1d 01h 00m"
