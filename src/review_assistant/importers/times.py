"""Reading the ``at`` of an imported row: an instant, a local date-time, or a time of day.

Unlike times typed by hand, an imported local time that the clocks skipped or repeated is
refused rather than guessed: a file may hold many such rows and a silent guess would put
events in the wrong order.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from review_assistant.domain.models import ReviewSession
from review_assistant.domain.times import TimeError, parse_clock

_RELATIVE = re.compile(
    r"^(?:(?P<days>[+-]\d{1,3})\s*d\s*)?(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)$", re.IGNORECASE
)
_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: "14:05 UTC", "2026-03-12 14:05 GMT": as public incident timelines often write them.
_UTC_SUFFIX = re.compile(r"\s*(?:UTC|GMT)$", re.IGNORECASE)
#: "2026-03-12 14:05:00 +01:00": a space before the offset.
_SPACED_OFFSET = re.compile(r"(\d)\s+([+-]\d{2}:?\d{2})$")
_EXAMPLES = "e.g. 2026-03-12T14:05+00:00, 2026-03-12 14:05, 14:05 or +1d 00:10"


def local_instant(naive: datetime, tz: ZoneInfo) -> datetime:
    """A wall-clock time in ``tz``; refuses times the clocks skipped or repeated."""
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    day = f"{naive:%Y-%m-%d}"
    clock = f"{naive:%H:%M}" + (f":{naive:%S}" if naive.second else "")
    if _wall(first, tz) != naive:
        raise TimeError(
            f"{clock} does not exist in {tz.key} on {day}: clocks went forward; "
            "give the time with its UTC offset"
        )
    earlier, later = (_offset(first), _offset(second))
    raise TimeError(
        f"{clock} happens twice in {tz.key} on {day}: clocks went back; give an offset, "
        f"{day}T{clock}{earlier} (the first) or {day}T{clock}{later} (the second)"
    )


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    return moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None)


def _offset(moment: datetime) -> str:
    delta = moment.utcoffset() or timedelta()
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def parse_at(value: str, session: ReviewSession) -> datetime:
    """The instant an imported ``at`` value names (raises TimeError saying why not).

    * ISO-8601 with an offset or ``Z``: that instant, with its offset kept;
    * a date and time without an offset: local time in the review's timezone;
    * a time of day (``14:05``, ``14:05:30``), optionally after a day offset (``+1d 00:10``):
      on the local date of the incident's start;
    * either of the last two followed by ``UTC`` or ``GMT``: read in UTC instead.
    """
    text = value.strip()
    if not text:
        raise TimeError("'at' is empty")
    in_utc = bool(_UTC_SUFFIX.search(text)) and len(text) > 3
    if in_utc:
        text = _UTC_SUFFIX.sub("", text)
    relative = _RELATIVE.match(text)
    if relative:
        if in_utc:
            utc = session.model_copy(update={"timezone": "UTC"})
            return _on_incident_day(relative["clock"], int(relative["days"] or 0), utc)
        return _on_incident_day(relative["clock"], int(relative["days"] or 0), session)
    text = _SPACED_OFFSET.sub(r"\1\2", text)
    if in_utc and not re.search(r"(?:Z|[+-]\d{2}:?\d{2})$", text):
        text += "Z"
    if _DATE_ONLY.match(text):
        raise TimeError(f"{text!r} has no time of day; {_EXAMPLES}")
    if text[-1] == "z":
        text = text[:-1] + "Z"
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise TimeError(f"{text!r} is not a time; {_EXAMPLES}") from None
    if moment.tzinfo is None:
        moment = local_instant(moment, session.tz)
    try:
        moment.astimezone(UTC)
    except OverflowError:
        raise TimeError(f"{text!r} is too far from today to place in UTC") from None
    return moment


def _on_incident_day(clock_text: str, days: int, session: ReviewSession) -> datetime:
    clock = parse_clock(clock_text)
    if session.incident_start is None:
        raise TimeError(
            f"{clock_text!r} has no date and the review has no incident start; "
            "set the incident start or give a full date"
        )
    day = session.incident_start.astimezone(session.tz).date() + timedelta(days=days)
    return local_instant(datetime.combine(day, clock), session.tz)
