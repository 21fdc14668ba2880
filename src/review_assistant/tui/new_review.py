"""The new-review form, validated field by field."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from review_assistant.domain.models import Participant, check_timezone
from review_assistant.domain.times import TimeError, parse_datetime
from review_assistant.tui.modals import FieldError, FormScreen


def local_timezone() -> str:
    import os

    name = os.environ.get("TZ", "")
    try:
        return check_timezone(name) if name else "UTC"
    except ValueError:
        return "UTC"


def parse_participants(text: str) -> list[Participant]:
    people = []
    for chunk in text.split(";"):
        if not chunk.strip():
            continue
        name, _, role = chunk.partition(":")
        if not name.strip():
            raise FieldError("participants", f"{chunk.strip()!r}: write Name: role")
        people.append(Participant(name=name.strip(), role=role.strip()))
    return people


def new_review_form() -> FormScreen:
    def validate(values: dict[str, str]) -> dict[str, Any]:
        if not values["title"].strip():
            raise FieldError("title", "a review needs a title")
        try:
            timezone = check_timezone(values["timezone"] or "UTC")
        except ValueError as exc:
            raise FieldError("timezone", str(exc)) from None
        started = None
        if values["started"].strip():
            try:
                started = parse_datetime(values["started"], ZoneInfo(timezone))
            except TimeError as exc:
                raise FieldError("started", str(exc)) from None
        return {
            "title": values["title"].strip(),
            "timezone": timezone,
            "incident_start": started,
            "severity": values["severity"].strip()[:40],
            "summary": values["summary"].strip(),
            "participants": parse_participants(values["participants"]),
        }

    return FormScreen(
        "New review",
        [
            ("title", "Title", "", "what happened, in a few words"),
            ("started", "Incident start (ISO, local to the timezone)", "", "2026-03-12 13:52"),
            ("timezone", "Timezone (IANA)", local_timezone(), "Europe/London"),
            ("severity", "Severity", "", "SEV2"),
            ("summary", "Summary", "", "one or two sentences (optional)"),
            ("participants", "Participants (Name: role; Name: role)", "", "Alex Example: on-call"),
        ],
        validate,
    )
