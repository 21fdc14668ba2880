"""What every timeline reader shares: problems, the parsed result, text cleaning, keys."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from review_assistant.domain.models import MAX_TEXT, EventKind, TimelineEvent

#: Limits of the event fields an import fills (see ``TimelineEvent``).
MAX_WHO = 200
MAX_SOURCE = 300
MAX_KEY = 200

KINDS = ", ".join(kind.value for kind in EventKind)

# Control characters other than newline and tab: they never belong in an imported line.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n?")


class TimelineImportError(Exception):
    """The whole file cannot be imported; the one-line message names the file."""


@dataclass(frozen=True, slots=True)
class Problem:
    """A row (or a file inside a Slack export) that was not imported, and why."""

    file: str
    line: int | None
    reason: str

    @property
    def where(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "reason": self.reason}

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}"


@dataclass
class ParsedTimeline:
    """Everything read from one file or export, before anything is stored.

    ``repeated`` counts rows that were the same as an earlier row of the same file (kept
    once); ``skipped`` counts what was deliberately left out, by what it was.
    """

    format: str
    events: list[TimelineEvent] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    repeated: int = 0


class Cleaner:
    """Normalises imported text and remembers how many control characters it removed."""

    def __init__(self) -> None:
        self.removed = 0

    def text(self, value: str) -> str:
        """Multi-line text: CRLF/CR become newlines, control characters go, ends trimmed."""
        cleaned, count = _CONTROL.subn("", _NEWLINES.sub("\n", value))
        self.removed += count
        return cleaned.strip()

    def line(self, value: str) -> str:
        """A one-line value such as a name: all whitespace runs become one space."""
        return " ".join(self.text(value).split())

    def warning(self, name: str) -> str | None:
        if not self.removed:
            return None
        chars = "1 control character" if self.removed == 1 else f"{self.removed} control characters"
        return f"{name}: removed {chars}"


def parse_kind(value: str) -> EventKind:
    """An event kind, case and surrounding space ignored, with the same aliases as typed notes
    ("detected", "mitigated", "resolved", "comms" …); empty means ``other``."""
    from review_assistant.domain.capture import KIND_ALIASES

    name = value.strip().lower()
    if not name:
        return EventKind.OTHER
    if name in KIND_ALIASES:
        return KIND_ALIASES[name]
    raise ValueError(f"unknown kind {value.strip()!r} (kinds: {KINDS})")


def check_lengths(text: str, who: str, source: str) -> str | None:
    """Why the values do not fit an event, or None."""
    if not text:
        return "the text is empty"
    if len(text) > MAX_TEXT:
        return f"the text is {len(text):,} characters long; at most {MAX_TEXT:,} fit"
    if len(who) > MAX_WHO:
        return f"'who' is {len(who)} characters long; at most {MAX_WHO} fit"
    if len(source) > MAX_SOURCE:
        return f"'source' is {len(source)} characters long; at most {MAX_SOURCE} fit"
    return None


def row_key(at: datetime, kind: str, text: str, who: str) -> str:
    """The import key of a CSV or JSON row: the same row is the same key, wherever it is."""
    canonical = json.dumps(
        [at.astimezone(UTC).isoformat(), kind.strip().lower(), text, who],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return "row:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:32]


def bounded_key(key: str) -> str:
    """Keys longer than the column allows are replaced by a hash of themselves."""
    if len(key) <= MAX_KEY:
        return key
    prefix = key.split(":", 1)[0]
    return f"{prefix}:sha256:{hashlib.sha256(key.encode('utf-8')).hexdigest()}"


def default_source(label: str) -> str:
    return label if len(label) <= MAX_SOURCE else label[: MAX_SOURCE - 1] + "…"


def read_text(path: Path, shown: str) -> str:
    """A file's text as UTF-8 (a byte-order mark is dropped); failures name the file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise TimelineImportError(f"{shown}: no such file or folder") from None
    except IsADirectoryError:
        raise TimelineImportError(f"{shown} is a folder, not a file") from None
    except OSError as exc:
        raise TimelineImportError(f"{shown}: cannot read it ({exc.strerror or exc})") from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TimelineImportError(
            f"{shown} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 and try again"
        ) from None
