"""Turning untrusted text into widgets' content: always literal, never markup."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.content import Content
from textual.widgets import Input

from review_assistant.domain.text import one_line, printable

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo


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
    from review_assistant.domain.times import format_duration  # (not needed for the first frame)

    return format_duration(seconds)


#: Control characters (tab aside) and the one symbol each is drawn as in an input line.
_INPUT_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f-\x9f]")


def _symbol(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)
    return "\u2421" if code == 0x7F else "\ufffd"


class TextInput(Input):
    """An Input whose cursor holds still when there is no terminal (tests, snapshots), and
    that draws a pasted or stored control character (an ANSI escape, a line break) as one
    visible symbol, never raw to the terminal; the value itself is never changed."""

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    @property
    def _value(self) -> Text:
        """The value as drawn: one symbol per control character, so that the cursor and the
        selection stay on the characters they are on."""
        if self.password or not _INPUT_CONTROL.search(self.value):
            return super()._value
        text = Text(
            _INPUT_CONTROL.sub(_symbol, self.value), no_wrap=True, overflow="ignore", end=""
        )
        return self.highlighter(text) if self.highlighter is not None else text
