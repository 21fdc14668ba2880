"""Incident metrics from the timeline, as PRODUCT.md defines them."""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC

from review_assistant.domain.models import EventKind, TimelineEvent, event_sort_key


@dataclass(frozen=True, slots=True)
class Metrics:
    """Seconds from the earliest trigger; None where either end is missing."""

    time_to_detect_s: float | None
    time_to_mitigate_s: float | None
    time_to_resolve_s: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {
            "time_to_detect_s": self.time_to_detect_s,
            "time_to_mitigate_s": self.time_to_mitigate_s,
            "time_to_resolve_s": self.time_to_resolve_s,
        }


@dataclass(frozen=True, slots=True)
class Gap:
    before: TimelineEvent
    after: TimelineEvent

    @property
    def seconds(self) -> float:
        return (self.after.at - self.before.at).total_seconds()


def compute_metrics(events: Iterable[TimelineEvent]) -> Metrics:
    shared = [e for e in events if e.interview_id is None]
    triggers = [e.at for e in shared if e.kind is EventKind.TRIGGER]
    if not triggers:
        return Metrics(None, None, None)
    start = min(triggers)

    def since_start(kind: EventKind) -> float | None:
        ends = [e.at for e in shared if e.kind is kind and e.at >= start]
        if not ends:
            return None
        return (min(ends).astimezone(UTC) - start.astimezone(UTC)).total_seconds()

    return Metrics(
        since_start(EventKind.DETECTION),
        since_start(EventKind.MITIGATION),
        since_start(EventKind.RESOLUTION),
    )


LONG_GAP_S = 15 * 60


def long_gap_threshold(events: Sequence[TimelineEvent]) -> float:
    """A gap is long past 15 minutes, or past three times the median gap if that is shorter."""
    ordered = sorted(events, key=event_sort_key)
    steps = [(b.at - a.at).total_seconds() for a, b in itertools.pairwise(ordered)]
    positive = [s for s in steps if s > 0]
    if len(positive) >= 3:
        return min(LONG_GAP_S, 3 * statistics.median(positive))
    return LONG_GAP_S


def long_gaps(events: Sequence[TimelineEvent]) -> list[Gap]:
    """The shared timeline's long silences, longest first."""
    shared = [e for e in events if e.interview_id is None]
    return gaps(shared, minimum_s=long_gap_threshold(shared))


def gaps(events: Sequence[TimelineEvent], *, minimum_s: float = 0) -> list[Gap]:
    """Consecutive pairs of events, longest first, at least ``minimum_s`` apart."""
    ordered = sorted(events, key=event_sort_key)
    pairs = [Gap(a, b) for a, b in itertools.pairwise(ordered)]
    return sorted(
        (g for g in pairs if g.seconds >= minimum_s),
        key=lambda g: (-g.seconds, g.before.at.astimezone(UTC)),
    )
