"""The review form: the same fields create a review and edit its details later."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from review_assistant.domain.models import Participant, ReviewSession, check_timezone
from review_assistant.domain.times import TimeError, parse_datetime
from review_assistant.tui.modals import FieldError, FormScreen


def local_timezone() -> str:
    import os

    name = os.environ.get("TZ", "")
    try:
        return check_timezone(name) if name else "UTC"
    except ValueError:
        return "UTC"


def parse_participants(text: str) -> list[tuple[str, str]]:
    """``Name: role; Name: role`` → [(name, role)], each name once."""
    people: list[tuple[str, str]] = []
    seen: set[str] = set()
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        name, _, role = chunk.partition(":")
        if not name.strip():
            raise FieldError("participants", f"{chunk.strip()!r}: write Name: role")
        if name.strip().casefold() in seen:
            raise FieldError("participants", f"{name.strip()!r} is listed twice")
        seen.add(name.strip().casefold())
        people.append((name.strip(), role.strip()))
    return people


def format_participants(people: Sequence[Participant]) -> str:
    return "; ".join(f"{p.name}: {p.role}" if p.role else p.name for p in people)


def _local(moment: datetime | None, timezone: str) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(timezone)).replace(tzinfo=None)
    return local.isoformat(sep=" ", timespec="minutes")


def review_form(
    session: ReviewSession | None = None, people: Sequence[Participant] = ()
) -> FormScreen:
    """A new review when ``session`` is None, else its details with the current values.

    The result holds session fields plus ``participants`` as [(name, role)].
    """

    def validate(values: dict[str, str]) -> dict[str, Any]:
        if not values["title"].strip():
            raise FieldError("title", "a review needs a title")
        try:
            timezone = check_timezone(values["timezone"].strip() or "UTC")
        except ValueError as exc:
            raise FieldError("timezone", str(exc)) from None
        moments: dict[str, datetime | None] = {}
        for key in ("started", "ended"):
            moments[key] = None
            if values[key].strip():
                try:
                    moments[key] = parse_datetime(values[key], ZoneInfo(timezone))
                except TimeError as exc:
                    raise FieldError(key, str(exc)) from None
        started, ended = moments["started"], moments["ended"]
        if started and ended and ended < started:
            raise FieldError("ended", "the end is before the start")
        return {
            "title": values["title"].strip(),
            "timezone": timezone,
            "incident_start": started,
            "incident_end": ended,
            "severity": values["severity"].strip()[:40],
            "summary": values["summary"].strip(),
            "participants": parse_participants(values["participants"]),
        }

    tz = session.timezone if session else local_timezone()
    return FormScreen(
        "Review details" if session else "New review",
        [
            ("title", "Title", session.title if session else "", "what happened, in a few words"),
            (
                "started",
                "Incident start (ISO, local to the timezone)",
                _local(session.incident_start, tz) if session else "",
                "2026-03-12 13:52",
            ),
            (
                "ended",
                "Incident end (optional)",
                _local(session.incident_end, tz) if session else "",
                "2026-03-12 15:10",
            ),
            ("timezone", "Timezone (IANA)", tz, "Europe/London"),
            ("severity", "Severity", session.severity if session else "", "SEV2"),
            (
                "summary",
                "Summary",
                session.summary if session else "",
                "one or two sentences (optional)",
            ),
            (
                "participants",
                "Participants (Name: role; Name: role)",
                format_participants(people),
                "Alex Example: on-call engineer",
            ),
        ],
        validate,
    )
