"""Timeline walk: the shared timeline, its gaps and the live incident metrics."""

from __future__ import annotations

import bisect
from datetime import datetime
from itertools import pairwise

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Static

from review_assistant.domain.metrics import (
    LONG_GAP_S,
    long_gap_threshold,
    long_gaps,
)
from review_assistant.domain.models import EventKind, Item, Review, TimelineEvent, event_sort_key
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import counted
from review_assistant.tui.format import cell, clock, clock_width, duration, spans_days
from review_assistant.tui.picture import IncidentPicture
from review_assistant.tui.row_table import Cell
from review_assistant.tui.views.base import ItemTable, PhaseView, Row

WHO_WIDTH = 14


KIND_LABELS = {EventKind.COMMUNICATION: "comms"}


def kind_label(kind: EventKind) -> str:
    return KIND_LABELS.get(kind, kind.value)


class EventTable(ItemTable):
    """The shared timeline in time order, with a gap marker before long silences."""

    DELETES = TimelineEvent
    BINDINGS = [
        Binding("e", "request('edit-event')", "Edit", id="timeline.edit"),
        Binding("k", "request('rekind')", "Kind", id="timeline.kind"),
        Binding("d", "delete", "Delete", id="timeline.delete"),
        Binding("m", "request('probe')", "Make sense", id="timeline.probe"),
        Binding("i", "screen.import_timeline", "Import", id="timeline.import"),
    ]

    def __init__(self, review: Review, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.review = review
        self._order: list[tuple[datetime, datetime, str]] = []
        self._threshold: float = LONG_GAP_S
        self._multi_day = False

    def on_mount(self) -> None:
        self.add_column("Time", width=5, key="time")
        self.add_column("Gap", width=6, key="gap")
        self.add_column("Kind", width=10, key="kind")
        self.add_column("Who", width=12, key="who")
        self.add_column("Event", key="text")
        self.reload()

    def _event_cells(self, event: TimelineEvent, gap: str) -> tuple[Cell, ...]:
        tz = self.review.session.tz
        return (
            clock(event.at, tz, with_date=self._multi_day),
            gap,
            kind_label(event.kind),
            cell(event.who, WHO_WIDTH),
            cell(event.text),
        )

    def _row(self, event: TimelineEvent, gap: str) -> Row:
        return Row(event.id, lambda: self._event_cells(event, gap))

    def reload(self) -> None:
        events = self.review.timeline()
        self._threshold = long_gap_threshold(events)
        self._multi_day = spans_days((e.at for e in events), self.review.session.tz)
        self.set_column_width("time", clock_width(self._multi_day))
        self._order = [event_sort_key(e) for e in events]
        gaps = ["", *(self._gap(a, b) for a, b in pairwise(events))] if events else []
        self._fit_narrow_columns(events, gaps)
        self.fill(self._row(event, gap) for event, gap in zip(events, gaps, strict=True))

    def _fit_narrow_columns(self, events: list[TimelineEvent], gaps: list[str]) -> None:
        """Gap and Who take only the room their longest value needs, leaving it to the text."""
        self.set_column_width("gap", max([3, *(len(g) for g in gaps)]))
        self.set_column_width("who", min(WHO_WIDTH, max([3, *(len(e.who) for e in events)])))

    def _gap(self, before: TimelineEvent | None, after: TimelineEvent) -> str:
        if before is None:
            return ""
        seconds = (after.at - before.at).total_seconds()
        return f"↑{duration(seconds)}" if seconds >= self._threshold else ""

    def added(self, event: TimelineEvent) -> None:
        """Append in place when the event is the latest; otherwise redraw in order."""
        key = event_sort_key(event)
        position = bisect.bisect(self._order, key)
        events = self.review.timeline()
        same_day = (
            events[0].at.astimezone(self.review.session.tz).date()
            == event.at.astimezone(self.review.session.tz).date()
        )
        appendable = position == len(self._order) and (self._multi_day or same_day)
        previous = events[-2] if len(events) > 1 else None
        gap = self._gap(previous, event)
        fits = len(gap) <= (self.column_width("gap") or 0) and min(WHO_WIDTH, len(event.who)) <= (
            self.column_width("who") or 0
        )
        if appendable and fits and long_gap_threshold(events) == self._threshold:
            self._order.append(key)
            self.append(self._row(event, gap))
        else:
            self.reload()
        self.select_key(event.id)


class TimelineView(PhaseView):
    PHASE = Phase.TIMELINE
    DEFAULT_CSS = """
    TimelineView #metrics { padding: 0 1; color: $accent; }
    TimelineView IncidentPicture { padding: 0 1; }
    TimelineView EventTable { height: 2fr; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static(id="metrics")
        yield IncidentPicture(id="picture")
        yield EventTable(self.review, id="events")
        yield from self.compose_notes()

    def on_mount(self) -> None:
        self.update_metrics()

    def update_metrics(self) -> None:
        """The picture states time to detect / mitigate / resolve; this line adds the gaps."""
        events = self.review.timeline()
        tz = self.review.session.tz
        quiet = long_gaps(events)[:2]
        line = counted(len(events), "event")
        if quiet:
            line += " · longest gaps: " + ", ".join(
                f"{duration(g.seconds)} after {clock(g.before.at, tz)}" for g in quiet
            )
        self.query_one("#metrics", Static).update(Content(line))
        self.query_one(IncidentPicture).show(self.review)

    def added(self, item: Item) -> None:
        super().added(item)
        if isinstance(item, TimelineEvent) and item.interview_id is None:
            self.query_one(EventTable).added(item)
            self.update_metrics()

    def changed(self) -> None:
        table = self.query_one(EventTable)
        selected = table.selected_key
        table.reload()
        if selected:
            table.select_key(selected)
        self.update_metrics()
