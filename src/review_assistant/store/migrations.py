"""Versioned schema migrations. Append new versions; never edit an applied one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    statements: tuple[str, ...]


def _item_table(name: str, columns: str) -> str:
    return f"""
    CREATE TABLE {name} (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        {columns},
        PRIMARY KEY (session_id, id)
    )"""


_V1 = (
    """
    CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        severity TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL,
        phase TEXT NOT NULL,
        timezone TEXT NOT NULL,
        incident_start TEXT,
        incident_end TEXT,
        anonymise INTEGER NOT NULL DEFAULT 1,
        tracks_actions INTEGER NOT NULL DEFAULT 1,
        impact_users_affected TEXT NOT NULL DEFAULT '',
        impact_duration TEXT NOT NULL DEFAULT '',
        impact_money TEXT NOT NULL DEFAULT '',
        impact_team_load TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    )""",
    _item_table("participants", "name TEXT NOT NULL, role TEXT NOT NULL, alias TEXT NOT NULL"),
    _item_table("interviews", "participant_id TEXT NOT NULL, conducted_at TEXT"),
    _item_table("notes", "phase TEXT NOT NULL, text TEXT NOT NULL, interview_id TEXT"),
    _item_table(
        "events",
        "at TEXT NOT NULL, at_utc TEXT NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, "
        "who TEXT NOT NULL, source TEXT NOT NULL, interview_id TEXT, merged_from TEXT",
    ),
    _item_table(
        "questions",
        "phase TEXT NOT NULL, text TEXT NOT NULL, event_id TEXT, answer TEXT NOT NULL",
    ),
    _item_table("went_well", "text TEXT NOT NULL, lucky INTEGER NOT NULL"),
    _item_table("learnings", "text TEXT NOT NULL"),
    _item_table("factors", "area TEXT NOT NULL, text TEXT NOT NULL, tag TEXT NOT NULL"),
    _item_table("ideas", "phase TEXT NOT NULL, text TEXT NOT NULL, action_id TEXT"),
    _item_table(
        "actions",
        "text TEXT NOT NULL, area TEXT, owner TEXT NOT NULL, due TEXT, status TEXT NOT NULL, "
        "link TEXT NOT NULL, idea_id TEXT, updated_at TEXT NOT NULL",
    ),
    _item_table(
        "suggestions",
        "task TEXT NOT NULL, phase TEXT NOT NULL, text TEXT NOT NULL, reason TEXT NOT NULL, "
        "ref_id TEXT, status TEXT NOT NULL, call_id TEXT",
    ),
    _item_table(
        "drafts",
        "kind TEXT NOT NULL, text TEXT NOT NULL, status TEXT NOT NULL, partial INTEGER NOT NULL, "
        "call_id TEXT",
    ),
    _item_table(
        "assistant_calls",
        "task TEXT NOT NULL, provider TEXT NOT NULL, model TEXT NOT NULL, prompt_tokens INTEGER, "
        "output_tokens INTEGER, ttft_ms REAL, total_ms REAL, outcome TEXT NOT NULL, "
        "error TEXT NOT NULL",
    ),
    "CREATE INDEX events_by_time ON events (session_id, at_utc)",
    "CREATE INDEX notes_by_phase ON notes (session_id, phase)",
    "CREATE INDEX actions_by_status ON actions (status)",
    "CREATE INDEX sessions_by_update ON sessions (updated_at)",
)

_V2 = ("ALTER TABLE sessions ADD COLUMN phase_seconds TEXT NOT NULL DEFAULT '{}'",)

_V3 = (
    "ALTER TABLE events ADD COLUMN import_key TEXT",
    "CREATE UNIQUE INDEX events_by_import_key ON events (session_id, import_key) "
    "WHERE import_key IS NOT NULL",
)


def _search_index(table: str, time_column: str, time_index: str) -> tuple[str, ...]:
    """An external-content FTS5 index of ``table.text``, kept in step by triggers and filled
    from the rows already there, plus an index on the column search results are ordered by."""
    fts = f"{table}_fts"
    add = f"INSERT INTO {fts} (rowid, text) VALUES (new.rowid, new.text);"
    remove = f"INSERT INTO {fts} ({fts}, rowid, text) VALUES ('delete', old.rowid, old.text);"
    return (
        f"""
        CREATE VIRTUAL TABLE {fts} USING fts5(
            text,
            content='{table}',
            content_rowid='rowid',
            tokenize='unicode61 remove_diacritics 2',
            prefix='2 3'
        )""",
        f"CREATE TRIGGER {fts}_insert AFTER INSERT ON {table} BEGIN {add} END",
        f"CREATE TRIGGER {fts}_delete AFTER DELETE ON {table} BEGIN {remove} END",
        f"CREATE TRIGGER {fts}_update AFTER UPDATE OF text ON {table} "
        f"WHEN old.text IS NOT new.text BEGIN {remove} {add} END",
        f"INSERT INTO {fts} ({fts}) VALUES ('rebuild')",
        f"CREATE INDEX {time_index} ON {table} ({time_column})",
    )


_V4 = (
    *_search_index("notes", "created_at", "notes_by_time"),
    *_search_index("events", "at_utc", "events_by_at"),
    *_search_index("factors", "created_at", "factors_by_time"),
    *_search_index("learnings", "created_at", "learnings_by_time"),
    *_search_index("actions", "created_at", "actions_by_time"),
)

_V5 = (
    "ALTER TABLE sessions ADD COLUMN meeting_ended_at TEXT",
    "ALTER TABLE sessions ADD COLUMN pulse_learned INTEGER",
    "ALTER TABLE sessions ADD COLUMN pulse_again INTEGER",
)

MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial schema", _V1),
    Migration(2, "time spent per phase", _V2),
    Migration(3, "imported timeline events remember where they came from", _V3),
    Migration(4, "full-text search", _V4),
    Migration(5, "the review meeting's end and its pulse", _V5),
)

LATEST = MIGRATIONS[-1].version
