"""The timeline picture: an incident's phases on a time axis, with its milestones marked.

One model (:class:`Picture`, built by :func:`incident_picture`) and its renderings: plain text
lines for Markdown code blocks, rows of styled runs for the terminal widget, and an SVG
(:func:`picture_svg`, in ``picture_svg.py``) for HTML. Stages are measured from the earliest
trigger, in UTC, as the metrics are; times are shown in the session's timezone. No event text
ever reaches a picture: only times, durations and fixed labels.
"""

from __future__ import annotations

import itertools
import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

from review_assistant.domain.metrics import Gap, Metrics, compute_metrics, long_gaps
from review_assistant.domain.models import EventKind, Review
from review_assistant.domain.times import format_duration

StageKey = Literal["context", "undetected", "responding", "mitigated"]
StyleKey = Literal[
    "plain", "context", "undetected", "responding", "mitigated", "mark", "tick", "gap", "axis"
]
STYLE_KEYS: tuple[StyleKey, ...] = get_args(StyleKey)
Row = list[tuple[str, StyleKey]]

#: How many long gaps a picture highlights.
MAX_GAPS = 3
FILL: dict[StageKey, str] = {"context": ".", "undetected": "=", "responding": "#", "mitigated": "-"}
#: The milestones, in order: their letter on the axis and their word in legends.
MARKS: dict[EventKind, tuple[str, str]] = {
    EventKind.TRIGGER: ("T", "trigger"),
    EventKind.DETECTION: ("D", "detected"),
    EventKind.MITIGATION: ("M", "mitigated"),
    EventKind.RESOLUTION: ("R", "resolved"),
}
# (stage, the milestone that ends it, note when it runs open, note when that milestone is absent)
_CHAIN: tuple[tuple[StageKey, EventKind, str, str], ...] = (
    ("undetected", EventKind.DETECTION, "not yet detected", "no detection recorded"),
    ("responding", EventKind.MITIGATION, "no mitigation recorded", "no mitigation recorded"),
    ("mitigated", EventKind.RESOLUTION, "no resolution recorded", "no resolution recorded"),
)
#: Round intervals for the axis's intermediate ticks, in seconds.
_STEPS = (60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800)


@dataclass(frozen=True, slots=True)
class Stage:
    key: StageKey
    label: str
    start: datetime
    end: datetime
    #: The milestone that would end it is missing: it runs to the last event.
    open_ended: bool = False
    #: What is missing, e.g. "not yet detected"; empty when nothing is.
    note: str = ""

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass(frozen=True, slots=True)
class Milestone:
    kind: EventKind
    at: datetime
    label: str

    @property
    def letter(self) -> str:
        return MARKS[self.kind][0]


@dataclass(frozen=True, slots=True)
class Picture:
    """Everything the renderings draw; all times in UTC."""

    start: datetime
    end: datetime
    tz: ZoneInfo
    stages: tuple[Stage, ...]
    milestones: tuple[Milestone, ...]
    #: The times of every event that is not a milestone.
    ticks: tuple[datetime, ...]
    #: The longest silences, longest first.
    gaps: tuple[Gap, ...]
    metrics: Metrics
    event_count: int

    @property
    def span_s(self) -> float:
        return (self.end - self.start).total_seconds()

    @property
    def has_trigger(self) -> bool:
        return any(m.kind is EventKind.TRIGGER for m in self.milestones)

    @property
    def with_date(self) -> bool:
        return self.start.astimezone(self.tz).date() != self.end.astimezone(self.tz).date()

    def position(self, at: datetime, width: int) -> int:
        """The column (0 … width-1) of a time; everything sits mid-way on a zero span."""
        return self.columns((at,), width)[0]

    def columns(self, times: Sequence[datetime], width: int) -> list[int]:
        """:meth:`position` for many times at once."""
        span, top = self.span_s, max(width - 1, 0)
        if span <= 0 or top == 0:
            return [top // 2] * len(times)
        scale, start = top / span, self.start
        return [min(top, max(0, round((at - start).total_seconds() * scale))) for at in times]

    def clock(self, at: datetime) -> str:
        """A time as the axis shows it, in the session's timezone."""
        local = at.astimezone(self.tz)
        if self.with_date:
            return local.strftime("%m-%d %H:%M")
        return local.strftime("%H:%M:%S" if 0 < self.span_s < 600 else "%H:%M")


def incident_picture(review: Review) -> Picture | None:
    """The picture of a review's shared timeline; None when it has no events at all."""
    events = review.timeline()
    if not events:
        return None
    pairs = [(event, event.at.astimezone(UTC)) for event in events]
    start, end = pairs[0][1], pairs[-1][1]
    triggers = [at for event, at in pairs if event.kind is EventKind.TRIGGER]
    firsts: dict[EventKind, tuple[int, datetime]] = {}
    for event, at in pairs:
        if event.kind in MARKS and at >= (triggers[0] if triggers else start):
            firsts.setdefault(event.kind, (id(event), at))
    times = {kind: at for kind, (_, at) in firsts.items()}
    if triggers:
        stages = _stages(start, end, times)
    else:
        stages = (Stage("context", "events", start, end, note="no trigger recorded"),)
    milestones = tuple(Milestone(k, times[k], MARKS[k][1]) for k in MARKS if k in times)
    marked = {ident for ident, _ in firsts.values()}
    ticks = tuple(at for event, at in pairs if id(event) not in marked)
    return Picture(
        start=start,
        end=end,
        tz=review.session.tz,
        stages=stages,
        milestones=milestones,
        ticks=ticks,
        gaps=tuple(long_gaps(events)[:MAX_GAPS]),
        metrics=compute_metrics(events),
        event_count=len(events),
    )


def _stages(start: datetime, end: datetime, firsts: dict[EventKind, datetime]) -> tuple[Stage, ...]:
    trigger = firsts[EventKind.TRIGGER]
    stages: list[Stage] = []
    if start < trigger:
        stages.append(Stage("context", "before the trigger", start, trigger))
    cursor, index = trigger, 0
    while index < len(_CHAIN):
        key, _, open_note, missing_note = _CHAIN[index]
        following = [j for j in range(index, len(_CHAIN)) if _CHAIN[j][1] in firsts]
        if not following:
            stages.append(Stage(key, key, cursor, end, open_ended=True, note=open_note))
            return tuple(stages)
        found = following[0]
        until = max(firsts[_CHAIN[found][1]], cursor)
        if until > cursor:
            stages.append(
                Stage(key, key, cursor, until, note="" if found == index else missing_note)
            )
        cursor, index = until, found + 1
    if cursor < end:
        stages.append(Stage("context", "after resolution", cursor, end))
    return tuple(stages)


def metrics_sentence(picture: Picture, *, glue: str = " ") -> str:
    """Time to detect, mitigate and resolve in words; ``glue`` joins a duration's parts."""
    if not picture.has_trigger:
        return "No trigger event: time to detect, mitigate and resolve are unknown."
    m = picture.metrics
    notes = {stage.key: stage.note for stage in picture.stages if stage.note}
    parts = zip(
        ("detect", "mitigate", "resolve"),
        (m.time_to_detect_s, m.time_to_mitigate_s, m.time_to_resolve_s),
        (notes.get(key, missing) for key, _, _, missing in _CHAIN),
        strict=True,
    )
    words = [
        f"{verb} unknown ({note})"
        if s is None
        else f"{verb} {format_duration(s)}".replace(" ", glue)
        for verb, s, note in parts
    ]
    return f"Time to {words[0]}, to {words[1]}, to {words[2]}."


def stage_label(stage: Stage) -> list[str]:
    """A stage's label with its duration, then shorter forms for narrow spaces."""
    if stage.key == "context":
        return [stage.note] if stage.note else []
    duration = format_duration(stage.seconds) + ("+" if stage.open_ended else "")
    full = [f"{stage.label} {duration}"]
    if stage.note:
        full.insert(0, f"{stage.label} {duration} ({stage.note})")
    return [*full, duration]


def axis_ticks(picture: Picture, target: int) -> list[tuple[datetime, str]]:
    """Round local times strictly inside the span (about ``target`` of them), labelled."""
    span = picture.span_s
    if span <= 0 or target < 1:
        return []
    step = next((s for s in _STEPS if span / s <= target), math.ceil(span / target / 86400) * 86400)
    local = picture.start.astimezone(picture.tz).replace(tzinfo=None)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    first = math.floor((local - midnight).total_seconds() / step) + 1
    found: list[tuple[datetime, str]] = []
    for n in range(first, first + target + 2):
        naive = midnight + timedelta(seconds=n * step)
        at = naive.replace(tzinfo=picture.tz).astimezone(UTC)
        if picture.start < at < picture.end:
            days = step >= 86400 or naive.time() == naive.time().min
            found.append((at, naive.strftime("%m-%d" if days else "%H:%M")))
    return found


def picture_segments(picture: Picture, width: int, *, key: bool = True) -> list[Row]:
    """The text picture as rows of (text, style key) runs, none wider than ``width``."""
    if width <= 0:
        return []
    rows = [_bar(picture, width), _marks(picture, width), _axis(picture, width)]
    sentence = metrics_sentence(picture, glue="\u00a0")  # textwrap never breaks at U+00A0
    lines = [line.replace("\u00a0", " ") for line in textwrap.wrap(sentence, width)]
    if key:
        lines += _pack(_key_entries(picture), width)
    rows.extend([(line, "plain")] for line in lines)
    return [[run for run in row if run[0]] for row in rows]


def picture_lines(picture: Picture, width: int = 72, *, key: bool = True) -> list[str]:
    """The picture as plain lines for a Markdown code block (no trailing spaces)."""
    return [
        "".join(text for text, _ in row).rstrip()
        for row in picture_segments(picture, width, key=key)
    ]


def picture_svg(picture: Picture) -> str:
    """The picture as one self-contained ``<svg>`` element."""
    from review_assistant.writeup.picture_svg import render_svg

    return render_svg(picture)


class _Canvas:
    def __init__(self, width: int) -> None:
        self.chars = [" "] * width
        self.styles: list[StyleKey] = ["plain"] * width

    def put(self, column: int, text: str, style: StyleKey) -> None:
        for offset, char in enumerate(text):
            if 0 <= column + offset < len(self.chars):
                self.chars[column + offset] = char
                self.styles[column + offset] = style

    def row(self) -> Row:
        runs: Row = []
        for char, style in zip(self.chars, self.styles, strict=True):
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + char, style)
            else:
                runs.append((char, style))
        return runs


def _bar(picture: Picture, width: int) -> Row:
    canvas = _Canvas(width)
    extents: list[tuple[Stage, int, int]] = []
    for number, stage in enumerate(picture.stages):
        left = picture.position(stage.start, width)
        right = picture.position(stage.end, width)
        if number + 1 < len(picture.stages) and right > left:
            right -= 1
        canvas.put(left, FILL[stage.key] * (right - left + 1), stage.key)
        extents.append((stage, left, right))
    for stage, left, right in extents:
        if stage.open_ended:
            canvas.put(right, ">", stage.key)
        room = right - left + 1 - (1 if stage.open_ended else 0)
        label = next((f" {t} " for t in stage_label(stage) if len(t) + 4 <= room), None)
        if label:
            canvas.put(left + (room - len(label)) // 2, label, stage.key)
    return canvas.row()


def _marks(picture: Picture, width: int) -> Row:
    canvas = _Canvas(width)
    for gap in picture.gaps:
        left = picture.position(gap.before.at, width) + 1
        right = picture.position(gap.after.at, width) - 1
        if right < left:
            continue
        canvas.put(left, "~" * (right - left + 1), "gap")
        label = f" {format_duration(gap.seconds)} "
        if len(label) + 2 <= right - left + 1:
            canvas.put(left + (right - left + 1 - len(label)) // 2, label, "gap")
    for column in set(picture.columns(picture.ticks, width)):
        canvas.put(column, "|", "tick")
    taken: set[int] = set()
    for milestone in picture.milestones:
        wanted = picture.position(milestone.at, width)
        nearby = itertools.chain(range(wanted, width), range(wanted - 1, -1, -1))
        spot = next((c for c in nearby if c not in taken), None)
        if spot is not None:
            taken.add(spot)
            canvas.put(spot, milestone.letter, "mark")
    return canvas.row()


def _axis(picture: Picture, width: int) -> Row:
    canvas = _Canvas(width)
    first, last = picture.clock(picture.start), picture.clock(picture.end)
    if picture.span_s <= 0 or len(first) + len(last) + 1 > width:
        canvas.put(max(0, (width - len(first)) // 2), first[:width], "axis")
        return canvas.row()
    canvas.put(0, first, "axis")
    end_at = width - len(last)
    canvas.put(end_at, last, "axis")
    used = len(first)
    for at, text in axis_ticks(picture, max(2, min(5, width // 18))):
        column = picture.position(at, width)
        label = "|" + text
        if column > used and column + len(label) < end_at:
            canvas.put(column, label, "axis")
            used = column + len(label)
    return canvas.row()


def _key_entries(picture: Picture) -> list[str]:
    keys = {stage.key for stage in picture.stages}
    entries = [f"{FILL[k]} {k}" for k in ("undetected", "responding", "mitigated") if k in keys]
    context = [s.label for s in picture.stages if s.key == "context"]
    if context:
        entries.append(". " + ("before/after" if len(context) > 1 else context[0]))
    entries += [f"{m.letter} {m.label}" for m in picture.milestones]
    if picture.ticks:
        entries.append("| other event")
    if picture.gaps:
        entries.append("~ long gap")
    return entries


def _pack(entries: list[str], width: int) -> list[str]:
    """Key entries on as few lines as fit, never splitting one (unless it is too wide)."""
    lines: list[str] = []
    for entry in entries:
        if lines and len(lines[-1]) + 2 + len(entry) <= width:
            lines[-1] += "  " + entry
        else:
            lines.extend(textwrap.wrap(entry, width) or [""])
    return lines
