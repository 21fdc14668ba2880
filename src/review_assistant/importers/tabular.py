"""Timelines written as rows: a CSV file with an ``at,kind,text`` header, or a JSON list."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from review_assistant.domain.models import MAX_TEXT, ReviewSession, TimelineEvent, first_error
from review_assistant.domain.times import TimeError
from review_assistant.importers.common import (
    Cleaner,
    ParsedTimeline,
    Problem,
    TimelineImportError,
    check_lengths,
    default_source,
    parse_kind,
    read_text,
    row_key,
)
from review_assistant.importers.located_json import load_located
from review_assistant.importers.times import parse_at

REQUIRED = ("at", "kind", "text")
OPTIONAL = ("who", "source")
_HEADER_HELP = "the first line must name the columns at,kind,text (who and source are optional)"


class _Rows:
    """Turns the fields of one row into an event, or into a problem naming its line."""

    def __init__(self, fmt: str, shown: str, session: ReviewSession) -> None:
        self.fmt = fmt
        self.shown = shown
        self.session = session
        self.parsed = ParsedTimeline(format=fmt)
        self.cleaner = Cleaner()
        self.keys: set[str] = set()

    def problem(self, line: int | None, reason: str) -> None:
        self.parsed.problems.append(Problem(self.shown, line, reason))

    def add(self, line: int, at: str, kind: str, text: str, who: str, source: str) -> None:
        try:
            moment = parse_at(at, self.session)
            event_kind = parse_kind(kind)
        except (TimeError, ValueError) as exc:
            self.problem(line, str(exc))
            return
        text = self.cleaner.text(text)
        who = self.cleaner.line(who)
        source = self.cleaner.line(source) or default_source(f"{self.fmt} {self.shown}:{line}")
        reason = check_lengths(text, who, source)
        if reason:
            self.problem(line, reason)
            return
        key = row_key(moment, event_kind.value, text, who)
        if key in self.keys:
            self.parsed.repeated += 1
            return
        try:
            event = TimelineEvent(
                at=moment, kind=event_kind, text=text, who=who, source=source, import_key=key
            )
        except ValidationError as exc:  # pragma: no cover - the checks above come first
            where, message = first_error(exc)
            self.problem(line, f"{where}: {message}" if where else message)
            return
        self.keys.add(key)
        self.parsed.events.append(event)

    def finish(self) -> ParsedTimeline:
        warning = self.cleaner.warning(self.shown)
        if warning:
            self.parsed.warnings.append(warning)
        return self.parsed


# -- CSV --------------------------------------------------------------------------------------


@contextmanager
def _long_fields() -> Iterator[None]:
    """Let a CSV field be as long as an event's text may be (the default is 128 KiB)."""
    previous = csv.field_size_limit()
    csv.field_size_limit(max(previous, MAX_TEXT + 1))
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def read_csv(path: Path, shown: str, session: ReviewSession) -> ParsedTimeline:
    text = read_text(path, shown)
    rows = _Rows("csv", shown, session)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    with _long_fields():
        columns = _header(reader, shown)
        unknown = [name or "(unnamed)" for name in columns if name not in (*REQUIRED, *OPTIONAL)]
        if unknown:
            rows.parsed.warnings.append(
                f"{shown}: ignored the unknown columns {', '.join(unknown)}"
            )
        index = {name: columns.index(name) for name in (*REQUIRED, *OPTIONAL) if name in columns}
        needed = max(index[name] for name in REQUIRED) + 1
        while True:
            start = reader.line_num + 1
            try:
                record = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                rows.problem(start, _csv_reason(exc))
                continue
            if not any(field.strip() for field in record):
                continue
            reason = _width_problem(record, len(columns), needed)
            if reason:
                rows.problem(start, reason)
                continue
            cells = {name: record[i] if i < len(record) else "" for name, i in index.items()}
            rows.add(
                start,
                cells["at"],
                cells["kind"],
                cells["text"],
                cells.get("who", ""),
                cells.get("source", ""),
            )
    return rows.finish()


def _width_problem(record: list[str], width: int, needed: int) -> str | None:
    """Why a row has the wrong number of fields (empty trailing fields are fine), or None."""
    if len(record) > width and any(field.strip() for field in record[width:]):
        return (
            f"the row has {len(record)} fields but the header names {width} "
            "(put text that holds commas in double quotes)"
        )
    if len(record) < needed:
        return f"the row has {len(record)} fields but the header names {width}"
    return None


def _header(reader: Any, shown: str) -> list[str]:
    try:
        columns = next(
            [field.strip().lower() for field in record]
            for record in reader
            if any(field.strip() for field in record)
        )
    except StopIteration:
        raise TimelineImportError(f"{shown} is empty; {_HEADER_HELP}") from None
    except csv.Error as exc:
        raise TimelineImportError(f"{shown}: the header line is not valid CSV ({exc})") from None
    present = [name for name in REQUIRED if name in columns]
    if len(present) < 2:
        raise TimelineImportError(f"{shown} has no header line; {_HEADER_HELP}")
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        names = " or ".join(repr(name) for name in missing)
        raise TimelineImportError(f"{shown}: the header has no {names} column; {_HEADER_HELP}")
    twice = sorted({name for name in columns if name and columns.count(name) > 1})
    if twice:
        raise TimelineImportError(f"{shown}: the header names {', '.join(twice)} more than once")
    return columns


def _csv_reason(exc: csv.Error) -> str:
    message = str(exc)
    if "unexpected end of data" in message:
        return "a quoted field is never closed, so the rest of the file could not be read"
    if "field larger than field limit" in message:
        return f"a field is longer than {MAX_TEXT:,} characters"
    return f"the row is not valid CSV ({message}); quote text that holds commas or quotes"


# -- JSON -------------------------------------------------------------------------------------

_JSON_FIELDS = frozenset({"at", "kind", "text", "who", "source"})


def read_json(path: Path, shown: str, session: ReviewSession) -> ParsedTimeline:
    text = read_text(path, shown)
    try:
        located = load_located(text, "timeline")
    except RecursionError:
        raise TimelineImportError(f"{shown}: the JSON is nested too deeply to read") from None
    except json.JSONDecodeError as exc:
        raise TimelineImportError(
            f"{shown} is not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if located.items is None:
        raise TimelineImportError(
            f'{shown}: expected a list of events or an object with a "timeline" list '
            "of {at, kind, text, who} objects"
        )
    objects = [item for _, item in located.items if isinstance(item, dict)]
    if objects and all("ts" in item and "at" not in item for item in objects):
        raise TimelineImportError(
            f"{shown} looks like one day of a Slack export; import the channel's folder "
            "or the whole export folder instead"
        )
    rows = _Rows("json", shown, session)
    unknown: set[str] = set()
    for line, item in located.items:
        if not isinstance(item, dict):
            rows.problem(line, "not an object with at, kind and text")
            continue
        unknown.update(str(key) for key in item if key not in _JSON_FIELDS)
        values, reason = _json_values(item)
        if reason:
            rows.problem(line, reason)
            continue
        rows.add(line, *values)
    if unknown:
        rows.parsed.warnings.append(
            f"{shown}: ignored the unknown fields {', '.join(sorted(unknown))}"
        )
    return rows.finish()


def _json_values(item: dict[str, Any]) -> tuple[tuple[str, str, str, str, str], str | None]:
    values: list[str] = []
    for name in ("at", "kind", "text", "who", "source"):
        value = item.get(name)
        if value is None:
            if name in ("at", "text"):
                return ("", "", "", "", ""), f"{name!r} is missing"
            value = ""
        if not isinstance(value, str):
            return ("", "", "", "", ""), f"{name!r} must be a string, not {_json_type(value)}"
        values.append(value)
    at, kind, text, who, source = values
    return (at, kind, text, who, source), None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
