"""Turning untrusted text into widgets' content: always literal, never markup."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from textual.content import Content
from textual.widgets import Input

from review_assistant.domain.text import one_line, printable
from review_assistant.domain.times import format_duration


def literal(text: str) -> Content:
    """Text shown exactly as typed (control characters as visible symbols)."""
    return Content(printable(text))


def cell(text: str, width: int = 200) -> Content:
    """One line of text for a table cell."""
    return Content(one_line(text, width))


def spans_days(moments: Iterable[datetime], tz: ZoneInfo) -> bool:
    """Do these times fall on more than one local day (so times need their date)?"""
    return len({moment.astimezone(tz).date() for moment in moments}) > 1


def clock_width(with_date: bool) -> int:
    return 11 if with_date else 5


def clock(moment: datetime, tz: ZoneInfo, *, with_date: bool = False) -> str:
    local = moment.astimezone(tz)
    return local.strftime("%m-%d %H:%M" if with_date else "%H:%M")


def duration(seconds: float | None) -> str:
    return format_duration(seconds)


class TextInput(Input):
    """An Input whose cursor holds still when there is no terminal (tests, snapshots)."""

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False
