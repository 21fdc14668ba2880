"""The note capture syntax shared by the command line and the terminal UI.

A note may start with a marker:

* ``14:05`` or an ISO time — a timeline event, optionally ``14:05 detection: pager fired``
* ``!`` — park an action idea
* ``+`` — something that went well (``+ lucky:`` for where we got lucky)
* ``avoid:`` / ``detect:`` / ``fix:`` — a contributing factor (``avoid(ownership): …`` tags it)
* ``?`` — a question to ask
* ``learning:`` or ``surprise:`` — a learning

Anything else is a plain note of the current phase. Parsing never loses the typed text: a
malformed marker raises :class:`CaptureError` and the caller keeps the input as it was.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from review_assistant.domain.models import MAX_TEXT, EventKind, FactorArea
from review_assistant.domain.times import TimeError, parse_clock, parse_datetime, place_clock_time


class CaptureError(ValueError):
    """The typed text has a marker that cannot be understood; nothing was saved."""


@dataclass(frozen=True, slots=True)
class NoteCapture:
    text: str


@dataclass(frozen=True, slots=True)
class EventCapture:
    at: datetime
    kind: EventKind
    text: str
    who: str = ""


@dataclass(frozen=True, slots=True)
class IdeaCapture:
    text: str


@dataclass(frozen=True, slots=True)
class WentWellCapture:
    text: str
    lucky: bool = False


@dataclass(frozen=True, slots=True)
class FactorCapture:
    area: FactorArea
    text: str
    tag: str = ""


@dataclass(frozen=True, slots=True)
class QuestionCapture:
    text: str


@dataclass(frozen=True, slots=True)
class LearningCapture:
    text: str


Capture = (
    NoteCapture
    | EventCapture
    | IdeaCapture
    | WentWellCapture
    | FactorCapture
    | QuestionCapture
    | LearningCapture
)


@dataclass(frozen=True, slots=True)
class CaptureContext:
    """What a bare ``HH:MM`` needs: the incident's timezone and a moment to place it near."""

    timezone: str
    anchor: datetime

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


KIND_ALIASES: dict[str, EventKind] = {
    **{kind.value: kind for kind in EventKind},
    "triggered": EventKind.TRIGGER,
    "cause": EventKind.TRIGGER,
    "detect": EventKind.DETECTION,
    "detected": EventKind.DETECTION,
    "alert": EventKind.DETECTION,
    "escalate": EventKind.ESCALATION,
    "escalated": EventKind.ESCALATION,
    "page": EventKind.ESCALATION,
    "diagnose": EventKind.DIAGNOSIS,
    "diagnosed": EventKind.DIAGNOSIS,
    "investigation": EventKind.DIAGNOSIS,
    "mitigate": EventKind.MITIGATION,
    "mitigated": EventKind.MITIGATION,
    "resolve": EventKind.RESOLUTION,
    "resolved": EventKind.RESOLUTION,
    "comms": EventKind.COMMUNICATION,
    "communicate": EventKind.COMMUNICATION,
    "update": EventKind.COMMUNICATION,
}

_ISO_PREFIX = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|z|[+-]\d{2}:?\d{2})?(?=\s|$)"
)
_LOOKS_LIKE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\S*")
_CLOCK_PREFIX = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?=\s|$)")
_LOOKS_LIKE_CLOCK = re.compile(r"^\d{1,2}:\d{2}\S*")
_KIND_WORD = re.compile(r"^([A-Za-z-]+):(?:\s+|$)")
_KIND_WHO = re.compile(r"^([A-Za-z-]+)\s+(?=@)")
_WHO = re.compile(r"^@([^:@]{1,60}):(?:\s+|$)|^@(\S{1,60})(?:\s+|$)")
_FACTOR = re.compile(r"^(avoid|detect|fix)\s*(?:\(([^)]*)\))?\s*:", re.IGNORECASE)
_LEARNING = re.compile(r"^(learning|learned|surprise)\s*:", re.IGNORECASE)
_LUCKY = re.compile(r"^lucky\s*:", re.IGNORECASE)
_TAG = re.compile(r"^[a-z0-9][a-z0-9 _-]{0,58}$")


def parse_capture(raw: str, context: CaptureContext) -> Capture:
    """Read one line (or paste) typed by the facilitator."""
    text = raw.strip()
    if not text:
        raise CaptureError("nothing to save: the note is empty")
    if len(text) > MAX_TEXT:
        raise CaptureError(
            f"the note is {len(text):,} characters; the limit is {MAX_TEXT:,}. "
            "Summarise it, or keep long logs outside the review and link to them"
        )
    head = text[0]
    if head == "!":
        return IdeaCapture(_body(text[1:], "`!` parks an action idea"))
    if head == "+":
        rest = text[1:].strip()
        lucky = _LUCKY.match(rest)
        if lucky:
            return WentWellCapture(_body(rest[lucky.end() :], "`+ lucky:` records luck"), True)
        return WentWellCapture(_body(rest, "`+` records something that went well"))
    if head == "?":
        return QuestionCapture(_body(text[1:], "`?` records a question to ask"))
    factor = _FACTOR.match(text)
    if factor:
        area = FactorArea(factor[1].lower())
        tag = _tag(factor[2]) if factor[2] is not None else ""
        return FactorCapture(area, _body(text[factor.end() :], f"`{area.value}:` is a factor"), tag)
    learning = _LEARNING.match(text)
    if learning:
        return LearningCapture(_body(text[learning.end() :], "`learning:` records a learning"))
    if text[0].isdigit():
        event = _event(text, context)
        if event is not None:
            return event
    return NoteCapture(text)


def _body(rest: str, what: str) -> str:
    body = rest.strip()
    if not body:
        raise CaptureError(f"{what}: write the text after the marker")
    return body


def _tag(raw: str) -> str:
    tag = raw.strip().lower()
    if not _TAG.match(tag):
        raise CaptureError(
            f"factor tag {raw!r} is not a tag; use a short word such as ownership, load "
            "or knowledge, e.g. avoid(ownership): …"
        )
    return tag


def _event(text: str, context: CaptureContext) -> EventCapture | None:
    iso = _ISO_PREFIX.match(text)
    try:
        if iso:
            at = parse_datetime(iso.group(0), context.tz)
            rest = text[iso.end() :]
        elif clock := _CLOCK_PREFIX.match(text):
            at = place_clock_time(parse_clock(clock.group(0)), context.tz, context.anchor)
            rest = text[clock.end() :]
        elif _LOOKS_LIKE_DATE.match(text) or _LOOKS_LIKE_CLOCK.match(text):
            word = text.split()[0]
            raise CaptureError(
                f"{word!r} is not a time: write HH:MM (24-hour) or an ISO time such as "
                "2024-05-01T14:05+02:00, then a space and the event"
            )
        else:
            return None
    except TimeError as exc:
        raise CaptureError(str(exc)) from None
    rest = rest.strip()
    kind = EventKind.OTHER
    kind_word = _KIND_WORD.match(rest)
    kind_who = _KIND_WHO.match(rest)
    if kind_who and kind_who[1].lower() in KIND_ALIASES:  # "14:05 detection @on-call: …"
        kind = KIND_ALIASES[kind_who[1].lower()]
        rest = rest[kind_who.end() :]
    elif kind_word:
        name = kind_word[1].lower()
        if name in KIND_ALIASES:
            kind = KIND_ALIASES[name]
            rest = rest[kind_word.end() :].strip()
        elif kind_word[1].islower():
            close = difflib.get_close_matches(name, list(KIND_ALIASES), n=1, cutoff=0.75)
            if close:
                kinds = ", ".join(k.value for k in EventKind)
                raise CaptureError(
                    f"unknown event kind {kind_word[1]!r} (did you mean {close[0]!r}?); "
                    f"kinds are: {kinds}"
                )
    who = ""
    if who_match := _WHO.match(rest):  # "@on-call engineer: …" or "@sre …"
        who = (who_match[1] or who_match[2]).strip()
        rest = rest[who_match.end() :].strip()
    if not rest:
        raise CaptureError("a timeline event needs text after the time, e.g. 14:05 pager fired")
    return EventCapture(at, kind, rest, who)
