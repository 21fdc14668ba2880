"""The list of review sessions, readable before the rest of the store is loaded.

The home screen's first frame shows this list. It needs only the standard library's
``sqlite3``: ``peek()`` reads it straight from the file when the schema is current, so the app
can draw its first frame before the models and the migration machinery are imported;
``Store.list_sessions`` uses the same query on its own connection.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from review_assistant.domain.phases import Phase
from review_assistant.store.migrations import LATEST

#: Action statuses counted as open (the values of ``ActionStatus.OPEN`` / ``IN_PROGRESS``).
OPEN_STATUSES = ("open", "in-progress")

LIST_SQL = """
    SELECT s.id, s.title, s.severity, s.status, s.phase, s.incident_start, s.timezone,
           s.created_at, s.updated_at, s.meeting_ended_at, s.pulse_learned, s.pulse_again,
           (SELECT count(*) FROM actions a WHERE a.session_id = s.id
            AND a.status IN (?, ?)) AS open_actions
    FROM sessions s ORDER BY s.updated_at DESC, s.id
"""


@dataclass(frozen=True, slots=True)
class SessionSummary:
    id: str
    title: str
    severity: str
    status: str
    phase: Phase
    incident_start: datetime | None
    timezone: str
    open_actions: int
    created_at: datetime
    updated_at: datetime
    meeting_ended_at: datetime | None = None
    pulse_learned: bool | None = None
    pulse_again: bool | None = None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _answer(value: Any) -> bool | None:
    return None if value is None else bool(value)


def list_sessions(conn: sqlite3.Connection) -> list[SessionSummary]:
    """Every review session, most recently changed first."""
    cursor = conn.execute(LIST_SQL, OPEN_STATUSES)
    names = [column[0] for column in cursor.description]
    summaries = []
    for values in cursor:
        row = dict(zip(names, values, strict=True))
        summaries.append(
            SessionSummary(
                id=str(row["id"]),
                title=str(row["title"]),
                severity=str(row["severity"] or ""),
                status=str(row["status"]),
                phase=Phase(row["phase"]),
                incident_start=_moment(row["incident_start"]),
                timezone=str(row["timezone"]),
                open_actions=int(row["open_actions"]),
                created_at=datetime.fromisoformat(row["created_at"]),
                updated_at=datetime.fromisoformat(row["updated_at"]),
                meeting_ended_at=_moment(row["meeting_ended_at"]),
                pulse_learned=_answer(row["pulse_learned"]),
                pulse_again=_answer(row["pulse_again"]),
            )
        )
    return summaries


def peek(path: Path) -> list[SessionSummary] | None:
    """The sessions in the database at ``path``, read-only, if it is there and current.

    ``None`` when it is missing, older or newer than this version, or cannot be read: the
    caller then opens the store properly, which migrates it or says what is wrong.
    """
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA user_version").fetchone()[0] != LATEST:
            return None
        return list_sessions(conn)
    except (sqlite3.Error, ValueError, KeyError):
        return None
    finally:
        conn.close()
