"""Parsing times the way a facilitator types them, with timezones kept."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_ISO = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})[T ](?P<time>\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)"
    r"(?P<offset>Z|z|[+-]\d{2}:?\d{2})?$"
)
_CLOCK = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?$")


class TimeError(ValueError):
    """A time that cannot be understood; the message says what to type instead."""


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach a timezone to a wall-clock time, refusing times skipped by a DST change.

    Times repeated when the clocks go back take their first occurrence.
    """
    aware = naive.replace(tzinfo=tz, fold=0)
    if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise TimeError(
            f"{naive:%Y-%m-%d %H:%M} does not exist in {tz.key} (the clocks went forward); "
            "give the time with its UTC offset, e.g. 2024-03-31T02:30+01:00"
        )
    return aware


def parse_clock(value: str) -> time:
    """Parse HH:MM or HH:MM:SS on a 24-hour clock."""
    match = _CLOCK.match(value.strip())
    if not match:
        raise TimeError(f"{value!r} is not a time; write it as HH:MM on a 24-hour clock")
    hour, minute = int(match["h"]), int(match["m"])
    second = int(match["s"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        raise TimeError(f"{value!r} is not a time of day; use 00:00 to 23:59")
    return time(hour, minute, second)


def parse_datetime(value: str, tz: ZoneInfo) -> datetime:
    """Parse an ISO-8601 date-time; one without an offset is read in ``tz``.

    A bare date means midnight in ``tz``.
    """
    text = value.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            day = date.fromisoformat(text)
        except ValueError as exc:
            raise TimeError(f"{value!r} is not a valid date: {exc}") from None
        return localize(datetime.combine(day, time()), tz)
    match = _ISO.match(text)
    if not match:
        raise TimeError(
            f"{value!r} is not an ISO time; write it like 2024-05-01T14:05 or "
            "2024-05-01T14:05+02:00"
        )
    try:
        day = date.fromisoformat(match["date"])
    except ValueError as exc:
        raise TimeError(f"{value!r} is not a valid date: {exc}") from None
    clock = parse_clock(match["time"].split(".")[0])
    fraction = match["time"].partition(".")[2]
    micro = int((fraction + "000000")[:6]) if fraction else 0
    naive = datetime.combine(day, clock.replace(microsecond=micro))
    offset = match["offset"]
    if offset is None:
        return localize(naive, tz)
    if offset in {"Z", "z"}:
        return naive.replace(tzinfo=UTC)
    try:
        return datetime.fromisoformat(f"{naive.isoformat()}{offset}")
    except ValueError:
        raise TimeError(f"{value!r} has an invalid UTC offset {offset!r}") from None


def place_clock_time(clock: time, tz: ZoneInfo, anchor: datetime) -> datetime:
    """Put a time of day on the date nearest the anchor (the incident's start).

    A review of an incident that began at 23:40 reads ``00:10`` as ten past midnight the
    next day, and one that began at 00:20 reads ``23:55`` as the evening before.
    """
    local_anchor = anchor.astimezone(tz)
    best: datetime | None = None
    errors: list[TimeError] = []
    for shift in (0, 1, -1):
        day = local_anchor.date() + timedelta(days=shift)
        try:
            candidate = localize(datetime.combine(day, clock), tz)
        except TimeError as exc:
            errors.append(exc)
            continue
        if best is None or abs(candidate - anchor) < abs(best - anchor):
            best = candidate
    if best is None or (errors and _nearest_was_skipped(clock, tz, anchor, best)):
        raise errors[0]
    return best


def _nearest_was_skipped(clock: time, tz: ZoneInfo, anchor: datetime, best: datetime) -> bool:
    """True when the wall time nearest the anchor falls in a DST gap."""
    local_anchor = anchor.astimezone(tz)
    for shift in (0, 1, -1):
        naive = datetime.combine(local_anchor.date() + timedelta(days=shift), clock)
        guess = naive.replace(tzinfo=tz)
        if abs(guess - anchor) < abs(best - anchor):
            try:
                localize(naive, tz)
            except TimeError:
                return True
    return False


def format_duration(seconds: float | None) -> str:
    """Render a duration as ``1h 05m`` / ``12m 30s``; unknown durations as an em dash."""
    if seconds is None:
        return "—"
    total = round(seconds)
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hours:02d}h {minutes:02d}m"
    if hours:
        return f"{sign}{hours}h {minutes:02d}m"
    if minutes:
        return f"{sign}{minutes}m {secs:02d}s"
    return f"{sign}{secs}s"
