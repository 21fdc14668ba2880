"""Upgrades: a database made by every earlier schema version opens and migrates without loss.

For each version ``v`` before the latest, a database is made as that version of the app made
it: the app's own ``connect`` (WAL, the migrations table, ``user_version``) knowing only the
first ``v`` migrations. It is filled with plain SQL INSERTs into the tables of that schema (three
reviews: every kind of item, non-ASCII text, empty optional fields, NULLs, a pasted log, an item
id two reviews share) and then opened with the current :class:`Store`. Checked after the upgrade:

- every row of every old table is still there, with the same rowid and the same values, and
  each new column holds its documented default;
- the current API gives back every value: ``load_review`` (every field, every item, in order),
  ``list_sessions``, ``list_actions`` and ``find_action``, search and learning across incidents;
- search finds every old note, event, factor, learning and action on its own, the FTS5 indexes
  agree with their tables, and the schema is exactly that of a new database (tables, columns,
  indexes, triggers);
- ``PRAGMA integrity_check`` and ``foreign_key_check`` are clean, the migrations table lists
  every version once (the old ones as they were recorded), and opening again applies nothing.

The same checks run on the files in ``tests/fixtures/schema-v{N}.db`` (made by
``tests/fixtures/make_schema_fixtures.py`` and never rewritten), so an edit to a migration that
has already shipped shows up here, and on a database whose last writes are still in its WAL.
"""

from __future__ import annotations

import json
import random
import re
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from itertools import count
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlite_utils

from review_assistant.domain.models import ActionItem, ActionStatus, Note, TimelineEvent
from review_assistant.domain.phases import REVIEW_PHASES, Phase
from review_assistant.insights import gather
from review_assistant.store import Store, database
from review_assistant.store.migrations import LATEST, MIGRATIONS
from review_assistant.store.rows import TABLES
from review_assistant.store.search import INDEXED_TABLES, search
from review_assistant.store.tracking import (
    OPEN_STATUSES,
    change_action,
    find_action,
    list_actions,
)

Row = dict[str, Any]
#: Every row of every table (FTS5 tables aside), by table name, each with its ``_rowid``.
Snapshot = dict[str, list[Row]]

FIXTURES = Path(__file__).parent / "fixtures"
EARLIER = range(1, LATEST)

#: Columns a later migration added, and the value an upgraded row must hold in each.
NEW_COLUMNS: dict[tuple[str, str], Any] = {
    ("sessions", "phase_seconds"): "{}",  # 2
    ("events", "import_key"): None,  # 3
    ("sessions", "meeting_ended_at"): None,  # 5
    ("sessions", "pulse_learned"): None,  # 5
    ("sessions", "pulse_again"): None,  # 5
}
#: The same, as the model reads them.
NEW_FIELDS: dict[tuple[str, str], Any] = {
    ("sessions", "phase_seconds"): {},
    ("events", "import_key"): None,
    ("sessions", "meeting_ended_at"): None,
    ("sessions", "pulse_learned"): None,
    ("sessions", "pulse_again"): None,
}
#: What search calls each indexed table's items.
KINDS = {
    "notes": "note",
    "events": "event",
    "factors": "factor",
    "learnings": "learning",
    "actions": "action",
}
#: Indexes the store and search rely on (search names the ``*_by_time`` ones, ``events_by_at``
#: and their tables in ``INDEXED BY``; timeline imports rely on ``events_by_import_key``).
INDEXES = {
    "events_by_time",
    "notes_by_phase",
    "actions_by_status",
    "sessions_by_update",
    "events_by_import_key",
    "notes_by_time",
    "events_by_at",
    "factors_by_time",
    "learnings_by_time",
    "actions_by_time",
}
#: The day "overdue" is measured from.
TODAY = date(2026, 1, 15)
#: Each searchable row carries one ticket number like this, found nowhere else.
TICKET = re.compile(r"\bINC\d{4}\b")


# -- a database as an earlier version of the app made it ---------------------------------------


@contextmanager
def app_at(version: int) -> Iterator[None]:
    """The app as it was at schema ``version``: the same code, knowing the first migrations."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", MIGRATIONS[:version])
        patch.setattr(database, "LATEST", version)
        yield


def open_old_database(
    path: Path, version: int, *, page_size: int | None = None
) -> sqlite_utils.Database:
    """Create ``path`` as the app at ``version`` did: connect, WAL, migrations 1 to ``version``.

    ``page_size`` makes the file with that page size (the app leaves it to SQLite's default).
    """
    if page_size is not None:
        first = sqlite3.connect(path)
        first.execute(f"PRAGMA page_size = {page_size:d}")
        first.execute("PRAGMA journal_mode = WAL")  # writes the header: the size is now fixed
        first.close()
    with app_at(version):
        db = database.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == version
    return db


def make_old_database(
    path: Path,
    version: int,
    *,
    notes: int = 60,
    events: int = 45,
    pasted_log: bool = True,
    lists: int | None = None,
    page_size: int | None = None,
    seed: int = 7,
) -> Snapshot:
    """A closed database at ``version`` holding three reviews; returns the rows inserted.

    ``lists`` keeps at most that many of each other kind of item (participants aside).
    """
    db = open_old_database(path, version, page_size=page_size)
    try:
        return fill(
            db,
            version,
            notes=notes,
            events=events,
            pasted_log=pasted_log,
            lists=lists,
            seed=seed,
        )
    finally:
        db.close()


def stamp(moment: datetime) -> str:
    """How every version writes ``created_at`` and ``updated_at``: UTC, microseconds."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


class _Writer:
    """Plain SQL INSERTs into the schema at one version; each row sets every column."""

    def __init__(
        self, db: sqlite_utils.Database, version: int, seed: int, lists: int | None = None
    ) -> None:
        self.conn: sqlite3.Connection = db.conn
        self.version = version
        self.lists = lists
        self.rng = random.Random(seed)
        self.rows: Snapshot = {}
        self._tickets = count(7001)
        self._clock = count()
        self.columns = {
            table: [info[1] for info in self.conn.execute(f"PRAGMA table_info([{table}])")]
            for table in ["sessions", *(table for table, _ in TABLES.values())]
        }

    def some(self, items: tuple[Any, ...]) -> tuple[Any, ...]:
        """The first few of a list of items, or all of them."""
        return items if self.lists is None else items[: self.lists]

    def ident(self) -> str:
        return f"{self.rng.getrandbits(48):012x}"

    def ticket(self, text: str) -> str:
        return f"{text} (INC{next(self._tickets)})"

    def written(self, base: datetime) -> str:
        """The next moment something was written: one item every few seconds."""
        step = next(self._clock)
        return stamp(base + timedelta(seconds=11 * step, microseconds=self.rng.randrange(10**6)))

    def insert(self, table: str, row: Row) -> Row:
        assert sorted(row) == sorted(self.columns[table]), f"{table}: {sorted(row)}"
        names = ", ".join(f"[{name}]" for name in row)
        marks = ", ".join("?" for _ in row)
        self.conn.execute(f"INSERT INTO [{table}] ({names}) VALUES ({marks})", list(row.values()))
        self.rows.setdefault(table, []).append(row)
        return row


PEOPLE = (
    ("Alex Example", "on-call engineer", "Engineer A"),
    ("Casey Sample", "incident commander", ""),
    ("Émilie Exemple", "database administrator", "DBA"),
    ("Jordan Demo", "", ""),
)
NOTE_TEXTS = (
    "The connection pool on the checkout API looked healthy on the p99 graph.",
    "We assumed the latency spike came from the config change, because it went out that morning.",
    "The café Wi-Fi dropped during the bridge call; the rôle of the standby was unclear.",
    "A naïve retry loop in the façade service made the queue backlog worse.",
    "Grafana showed:\n  p99 → 4.2 s\n  errors ≈ 12 %\nand nobody knew which graph to trust.",
    "Das Rechenzentrum in Zürich meldete Paketverluste; die Übergabe dauerte 20 Minuten.",
    "東京リージョン のレプリカ遅延 was the first thing the dashboard showed.",
    "Quotes 'single' and \"double\", a tab\there and a backslash \\ stay as they were typed.",
    "שרת הגיבוי was not in the runbook, so the database administrator looked it up by hand.",
    "Chat during the incident: 🔥 then 🚒 then ✅ once the rollback finished.",
    "It made sense to wait: the synthetic probe showed recovery for a few minutes.",
    'Pasted by accident: SELECT * FROM notes; -- NEAR(pool retry) -minus col:word "unpaired',
)
EVENT_TEXTS = (
    ("trigger", "Config change to the connection pool rolled out in eu-central"),
    ("detection", "Alert fired: elevated 5xx on the checkout API"),
    ("detection", "Support reported customers seeing “payment failed” in the app"),
    ("escalation", "On-call engineer paged the database team"),
    ("diagnosis", "Found ECONNRESET in the pool logs on db-eu-central-12"),
    ("diagnosis", "Compared with the previous release — the pool size had halved"),
    ("mitigation", "Rolled back the pool change; error rate fell"),
    ("communication", "Status page: Zahlungen in Zürich verzögert"),
    ("resolution", "Error rate back to normal ✅"),
    ("other", "Joined the bridge from the café; audio kept dropping"),
    ("other", "東京リージョン failover test postponed"),
)


def _pasted_log() -> str:
    lines = [
        f"2025-11-03T13:{52 + i // 120:02d}:{i // 2 % 60:02d}.{i * 37 % 1000:03d}Z ERROR "
        f"checkout-api pool exhausted active=50 idle=0 waiting={i % 400}"
        for i in range(240)
    ]
    return "Pasted log from the checkout API:\n" + "\n".join(lines)


def _session(
    w: _Writer,
    *,
    title: str,
    severity: str,
    summary: str,
    status: str,
    phase: str,
    timezone: str,
    start: datetime | None,
    end: datetime | None,
    anonymise: bool,
    tracks_actions: bool,
    impact: tuple[str, str, str, str],
    phase_seconds: dict[str, float],
    created: datetime,
    updated: datetime,
) -> str:
    row: Row = {
        "id": w.ident(),
        "title": title,
        "severity": severity,
        "summary": summary,
        "status": status,
        "phase": phase,
        "timezone": timezone,
        "incident_start": start.isoformat() if start else None,
        "incident_end": end.isoformat() if end else None,
        "anonymise": int(anonymise),
        "tracks_actions": int(tracks_actions),
        "impact_users_affected": impact[0],
        "impact_duration": impact[1],
        "impact_money": impact[2],
        "impact_team_load": impact[3],
        "created_at": stamp(created),
        "updated_at": stamp(updated),
    }
    if w.version >= 2:
        row["phase_seconds"] = json.dumps(phase_seconds, sort_keys=True)
    return str(w.insert("sessions", row)["id"])


def _items(
    w: _Writer,
    sid: str,
    zone: ZoneInfo,
    start: datetime,
    *,
    notes: int,
    events: int,
    pasted_log: bool,
    shared_note_id: str | None,
) -> str:
    """Everything a review holds; returns the id of its first note."""
    base = start + timedelta(days=2)

    def item(text_row: Row) -> Row:
        return {"session_id": sid, "id": w.ident(), "created_at": w.written(base), **text_row}

    people = [
        w.insert("participants", item({"name": name, "role": role, "alias": alias}))
        for name, role, alias in PEOPLE
    ]
    interviews = [
        w.insert(
            "interviews",
            item(
                {
                    "participant_id": people[0]["id"],
                    "conducted_at": (start + timedelta(days=1, hours=2)).isoformat(),
                }
            ),
        ),
        w.insert("interviews", item({"participant_id": people[2]["id"], "conducted_at": None})),
    ]

    event_rows: list[Row] = []
    span = timedelta(hours=3, minutes=17)
    for i in range(events):
        kind, text = EVENT_TEXTS[i % len(EVENT_TEXTS)]
        at = (start + span * i / events).replace(microsecond=0 if i % 3 else 250_000 * (i % 4))
        at = at.astimezone(zone)
        interview = interviews[i % 2] if i % 7 == 3 else None
        imported = i % 5 == 1
        row: Row = {
            "at": at.isoformat(),
            "at_utc": stamp(at),
            "kind": kind,
            "text": w.ticket(text),
            "who": "" if i % 4 == 0 else str(people[i % len(people)]["name"]),
            "source": "import: pagerduty.csv" if imported else "review",
            "interview_id": interview["id"] if interview else None,
            "merged_from": event_rows[-1]["id"] if i == 9 else None,
        }
        if w.version >= 3:
            row["import_key"] = f"pagerduty:{i:05d}" if imported else None
        event_rows.append(w.insert("events", item(row)))

    note_ids: list[str] = []
    for i in range(notes):
        interview = interviews[i % 2] if i % 9 == 4 else None
        phase = Phase.INTERVIEW.value if interview else REVIEW_PHASES[i % len(REVIEW_PHASES)].value
        text = _pasted_log() if pasted_log and i == 17 else NOTE_TEXTS[i % len(NOTE_TEXTS)]
        row = item(
            {
                "phase": phase,
                "text": w.ticket(text),
                "interview_id": interview["id"] if interview else None,
            }
        )
        if i == 0 and shared_note_id:
            row["id"] = shared_note_id  # ids are unique within a review, not across reviews
        note_ids.append(str(w.insert("notes", row)["id"]))

    questions = (
        ("What made the pool change look safe to roll out?", 4, "The canary passed."),
        ("What did the dashboard show at 14:10?", 1, ""),
        ("Who else knew the pool was shared?", None, "Only the DBA — Émilie knew."),
        ("What did the alert say, exactly?", 2, "“elevated 5xx”, nothing about the pool"),
        ("How did the rollback decision come about?", 6, ""),
        ("Was the runbook in reach during the call?", None, ""),
    )
    for i, (text, event, answer) in enumerate(w.some(questions)):
        phase = (Phase.SENSE_MAKING, Phase.TIMELINE, Phase.INTERVIEW)[i % 3].value
        event_id = event_rows[event]["id"] if event is not None and event < events else None
        w.insert(
            "questions",
            item({"phase": phase, "text": text, "event_id": event_id, "answer": answer}),
        )
    for i, text in enumerate(
        w.some(
            (
                "The DBA happened to be online at 23:00 — lucky.",
                "The rollback script worked first time.",
                "Support spotted the pattern before our alerts did.",
                "Status page updates went out every 20 minutes.",
            )
        )
    ):
        w.insert("went_well", item({"text": text, "lucky": int(i == 0)}))
    for text in w.some(
        (
            "The pool is shared by checkout and search; nobody had that written down.",
            "Quiet dashboards are not the same as a healthy connection pool.",
            "Our canary does not exercise the façade service.",
            "Zürich traffic peaks an hour before ours.",
        )
    ):
        w.insert("learnings", item({"text": w.ticket(text)}))
    for area, text, tag in w.some(
        (
            ("avoid", "The pool change was not tested against peak traffic", "capacity"),
            ("detect", "No alert on pool saturation", ""),
            ("fix", "Only the DBA knew the failover steps — Émilie was on holiday", "knowledge"),
            ("avoid", "Ownership of the shared pool was unclear", "ownership"),
            ("detect", "Support saw it first; our monitoring was silent", ""),
            ("fix", "The runbook for the pool was out of date", "knowledge"),
            ("avoid", "The config review did not show the pool's other users", ""),
            ("detect", "The 5xx alert had been noisy and was muted", "process"),
            ("fix", "Rollback needed an approval nobody on call could give", "process"),
        )
    ):
        w.insert("factors", item({"area": area, "text": w.ticket(text), "tag": tag}))
    ideas = [
        w.insert("ideas", item({"phase": phase, "text": text, "action_id": None}))
        for phase, text in w.some(
            (
                ("factors", "Alert on pool saturation"),
                ("timeline", "Automate the pool rollback"),
                ("sense-making", "Write down who uses the shared pool"),
                ("actions", "Load-test before each pool change"),
                ("went-well", "Keep the 20-minute status page rhythm"),
            )
        )
    ]
    actions = (
        ("Add an alert on pool saturation for the checkout API", "detect", "Alex Example"),
        ("Automate the pool rollback", "fix", ""),
        ("Document the pool's users in the service catalogue", None, "platform team"),
        ("Load-test the checkout API before each pool change", "avoid", "Casey Sample"),
        ("Give on-call the approval to roll back", "fix", "Émilie Exemple"),
        ("Review the muted alerts — every one", "detect", ""),
        ("Translate the runbook für Zürich", None, "Jordan Demo"),
        ("Share the café incident story at the all-hands 🎤", None, ""),
    )
    dues = (date(2025, 12, 1), None, date(2026, 2, 28), date(2026, 1, 14), None)
    links = ("", "https://tracker.example/PLAT-1", "")
    for i, (text, area, owner) in enumerate(w.some(actions)):
        idea = ideas[i] if i < min(2, len(ideas) - 1) else None  # one idea stays parked
        due = dues[i % len(dues)]
        row = item(
            {
                "text": w.ticket(text),
                "area": area,
                "owner": owner,
                "due": due.isoformat() if due else None,
                "status": list(ActionStatus)[i % len(ActionStatus)].value,
                "link": links[i % len(links)],
                "idea_id": idea["id"] if idea else None,
            }
        )
        row["updated_at"] = stamp(datetime.fromisoformat(row["created_at"]) + timedelta(days=i))
        w.insert("actions", row)
        if idea:
            idea["action_id"] = row["id"]
            w.conn.execute(
                "UPDATE ideas SET action_id = ? WHERE session_id = ? AND id = ?",
                [row["id"], sid, idea["id"]],
            )

    calls = [
        w.insert(
            "assistant_calls",
            item(
                {
                    "task": task,
                    "provider": provider,
                    "model": model,
                    "prompt_tokens": prompt,
                    "output_tokens": output,
                    "ttft_ms": ttft,
                    "total_ms": total,
                    "outcome": outcome,
                    "error": error,
                }
            ),
        )
        for task, provider, model, prompt, output, ttft, total, outcome, error in w.some(
            (
                ("suggest", "builtin", "built-in engine", None, None, 0.4, 1.25, "ok", ""),
                ("suggest", "openai", "gpt-4o-mini", 6120, 311, 412.5, 3120.0, "ok", ""),
                ("summary", "openai", "gpt-4o", 7020, None, None, 30000.0, "error", "timed out"),
                ("writeup", "openai", "llama3.1", None, 12, 950.0, 1800.5, "cancelled", "stopped"),
            )
        )
    ]
    for task, phase, text, reason, ref, status, call in w.some(
        (
            ("suggest", "timeline", "What did the pool show first?", "a silence", 0, "new", 1),
            ("interview", "interview", "What did you expect?", "", None, "new", None),
            ("compare", "sense-making", "When was the DBA paged?", "14:05 / 14:20", 3, "new", 0),
            ("suggest", "timeline", "Who was on the bridge at 14:10?", "", None, "accepted", 1),
            ("reframe", "timeline", "The pool change went out untested.", "", None, "accepted", 0),
            ("suggest", "factors", "What made the muted alert seem fine?", "", 2, "dismissed", 1),
        )
    ):
        w.insert(
            "suggestions",
            item(
                {
                    "task": task,
                    "phase": phase,
                    "text": text,
                    "reason": reason,
                    "ref_id": event_rows[ref]["id"] if ref is not None and ref < events else None,
                    "status": status,
                    "call_id": calls[call % len(calls)]["id"] if call is not None else None,
                }
            ),
        )
    for kind, text, status, partial, call in w.some(
        (
            ("summary", "## Summary\n\nCheckout failed for 3 h 17 min [e1].", "draft", 0, 0),
            ("writeup", "", "dismissed", 1, 3),
            ("summary", "Zahlungen in Zürich — accepted draft ✅", "accepted", 0, None),
        )
    ):
        w.insert(
            "drafts",
            item(
                {
                    "kind": kind,
                    "text": text,
                    "status": status,
                    "partial": partial,
                    "call_id": calls[call % len(calls)]["id"] if call is not None else None,
                }
            ),
        )
    return note_ids[0]


def fill(
    db: sqlite_utils.Database,
    version: int,
    *,
    notes: int = 60,
    events: int = 45,
    pasted_log: bool = True,
    lists: int | None = None,
    seed: int = 7,
) -> Snapshot:
    """Three reviews written into the schema at ``version``, one transaction each, as the app
    at that version wrote them; returns the rows inserted, by table."""
    w = _Writer(db, version, seed, lists)
    berlin, kolkata = ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata")
    start = datetime(2025, 11, 3, 14, 52, 7, tzinfo=berlin)
    with database.transaction(db):
        first = _session(
            w,
            title="Checkout API: 5xx after a connection-pool change",
            severity="SEV2",
            summary="Checkout failed for about 3 h; the pool change halved the pool — “naïve” "
            "retries made it worse.",
            status="reviewed",
            phase="actions",
            timezone="Europe/Berlin",
            start=start,
            end=start + timedelta(hours=3, minutes=17),
            anonymise=True,
            tracks_actions=True,
            impact=("≈ 12 % of checkouts", "3 h 17 min", "€48,000", "two on-call engineers"),
            phase_seconds={"level-set": 312.5, "timeline": 1804.25, "sense-making": 960.0},
            created=start + timedelta(days=2),
            updated=start + timedelta(days=9, hours=3),
        )
        shared = _items(
            w,
            first,
            berlin,
            start,
            notes=notes,
            events=events,
            pasted_log=pasted_log,
            shared_note_id=None,
        )
    late = datetime(2025, 12, 8, 22, 40, tzinfo=kolkata)
    with database.transaction(db):
        second = _session(
            w,
            title="Zahlungs-Gateway: Zeitüberschreitungen — 東京 replica lag 🔥",
            severity="SEV1",
            summary="",
            status="in-review",
            phase="sense-making",
            timezone="Asia/Kolkata",
            start=late,
            end=None,
            anonymise=False,
            tracks_actions=False,
            impact=("", "still open", "", ""),
            phase_seconds={"timeline": 45.0},
            created=late + timedelta(days=1),
            updated=late + timedelta(days=3),
        )
        _items(
            w,
            second,
            kolkata,
            late,
            notes=notes,
            events=events,
            pasted_log=False,
            shared_note_id=shared,
        )
    with database.transaction(db):  # a review just opened: every optional field empty
        _session(
            w,
            title="DNS blip",
            severity="",
            summary="",
            status="preparing",
            phase="level-set",
            timezone="UTC",
            start=None,
            end=None,
            anonymise=True,
            tracks_actions=True,
            impact=("", "", "", ""),
            phase_seconds={},
            created=datetime(2026, 1, 10, 8, 0, tzinfo=UTC),
            updated=datetime(2026, 1, 10, 8, 0, tzinfo=UTC),
        )
    return w.rows


# -- reading a database as it is ----------------------------------------------------------------


def _dicts(cursor: sqlite3.Cursor) -> list[Row]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


def _is_fts(name: str) -> bool:
    return any(name == f"{t}_fts" or name.startswith(f"{t}_fts_") for t in INDEXED_TABLES)


def snapshot(conn: sqlite3.Connection) -> Snapshot:
    """Every row of every table but the FTS5 ones, in rowid order, with its rowid."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name"
        )
        if not _is_fts(row[0])
    ]
    return {
        name: _dicts(conn.execute(f"SELECT rowid AS _rowid, * FROM [{name}] ORDER BY rowid"))
        for name in names
    }


def read_snapshot(path: Path) -> Snapshot:
    conn = sqlite3.connect(path)
    try:
        return snapshot(conn)
    finally:
        conn.close()


def schema(conn: sqlite3.Connection) -> list[tuple[str, str, str, str]]:
    """Every table, index, trigger and view, with its SQL (spacing normalised)."""
    return [
        (kind, name, table, " ".join((sql or "").split()))
        for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"
        )
    ]


def without_rowids(rows: list[Row]) -> list[Row]:
    return [{k: v for k, v in row.items() if k != "_rowid"} for row in rows]


# -- what "without loss" means -----------------------------------------------------------------


def _same(stored: Any, value: Any) -> bool:
    """Does the model value ``value`` say exactly what the stored ``stored`` said?"""
    if stored is None or value is None:
        return stored is None and value is None
    if isinstance(value, bool):
        return type(stored) is int and stored in (0, 1) and bool(stored) is value
    if isinstance(value, datetime):  # the same instant, in the same offset
        if not isinstance(stored, str):
            return False
        parsed = datetime.fromisoformat(stored)
        return bool(parsed == value and parsed.utcoffset() == value.utcoffset())
    if isinstance(value, date):
        return bool(stored == value.isoformat())
    if isinstance(value, Enum):
        return type(stored) is str and stored == value.value
    if isinstance(value, dict):
        return isinstance(stored, str) and json.loads(stored) == {
            str(k): v for k, v in value.items()
        }
    return type(stored) is type(value) and bool(stored == value)


def _differences(table: str, row: Row, model: Any, columns: list[str]) -> list[str]:
    """What the model says differently from the stored row, column by column; and any model
    field the row had no column for that does not hold its documented default."""
    found = []
    for column in columns:
        stored = row[column]
        if column in ("_rowid", "session_id"):
            continue
        if column == "at_utc":  # derived from ``at``: the same instant, in UTC
            value = model.at
            if datetime.fromisoformat(stored) != value or not stored.endswith("+00:00"):
                found.append(f"{table} {row['id']}: at_utc {stored!r} vs at {value!r}")
            continue
        if column.startswith("impact_"):
            value = getattr(model.impact, column.removeprefix("impact_"))
        elif column in type(model).model_fields:
            value = getattr(model, column)
        else:
            found.append(f"{table} {row['id']}: column {column} is not read into the model")
            continue
        if not _same(stored, value):
            found.append(f"{table} {row['id']}: {column} {stored!r} came back as {value!r}")
    for field in type(model).model_fields:
        if field in columns or field == "impact":
            continue
        if (table, field) not in NEW_FIELDS:
            found.append(f"{table}: field {field} has no column and no documented default")
        elif getattr(model, field) != NEW_FIELDS[table, field]:
            found.append(f"{table} {row['id']}: new field {field} is {getattr(model, field)!r}")
    return found


def _order(table: str, rows: list[Row]) -> list[str]:
    """Item ids in the order the store lists them."""
    if table == "events":
        return [
            r["id"] for r in sorted(rows, key=lambda r: (r["at_utc"], r["created_at"], r["id"]))
        ]
    return [r["id"] for r in sorted(rows, key=lambda r: (r["created_at"], r["id"]))]


def _instant(text: str, zone: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(ZoneInfo(zone))


def assert_rows_kept(before: Snapshot, after: Snapshot) -> None:
    """Every old row is still there, same rowid, same values; new columns hold defaults."""
    assert set(before) <= set(after), set(before) - set(after)
    for table, rows in before.items():
        if table == "_migrations":
            continue
        old = list(rows[0]) if rows else []
        kept = [{k: v for k, v in row.items() if k in old} for row in after[table]]
        assert kept == rows, f"rows of {table} changed"
        for row in after[table]:
            for column in row.keys() - set(old):
                assert (table, column) in NEW_COLUMNS, f"{table}.{column}: no documented default"
                assert row[column] == NEW_COLUMNS[table, column], (table, column, row[column])


def assert_migrations_recorded(before: Snapshot, after: Snapshot, conn: sqlite3.Connection) -> None:
    recorded = after["_migrations"]
    assert [(r["version"], r["name"]) for r in recorded] == [
        (m.version, m.name) for m in MIGRATIONS
    ]
    assert recorded[: len(before["_migrations"])] == before["_migrations"]  # as first recorded
    for row in recorded:
        assert datetime.fromisoformat(row["applied_at"]).tzinfo is not None
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST


def assert_sound(conn: sqlite3.Connection) -> None:
    """SQLite's own checks; the indexes, search tables and triggers; each FTS5 index against
    the table it indexes."""
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    found = {(kind, name) for kind, name, _, _ in schema(conn)}
    missing = {("index", name) for name in INDEXES} - found
    assert not missing, f"indexes missing: {sorted(missing)}"
    for table in INDEXED_TABLES:
        fts = f"{table}_fts"
        assert ("table", fts) in found
        for change in ("insert", "delete", "update"):
            assert ("trigger", f"{fts}_{change}") in found
        try:
            conn.execute(f"INSERT INTO {fts} ({fts}, rank) VALUES ('integrity-check', 1)")
        except sqlite3.DatabaseError as exc:
            raise AssertionError(f"the index {fts} does not match {table}: {exc}") from None
        indexed = conn.execute(f"SELECT count(*) FROM {fts}_docsize").fetchone()[0]
        assert indexed == conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0], table


def assert_schema_current(conn: sqlite3.Connection, scratch: Path) -> None:
    """Tables, columns, indexes and triggers are exactly those of a new database."""
    Store(scratch).close()
    fresh = sqlite3.connect(scratch)
    try:
        upgraded, new = set(schema(conn)), set(schema(fresh))
    finally:
        fresh.close()
    assert upgraded == new, (
        f"only after the upgrade: {sorted(upgraded - new)}; only when new: {sorted(new - upgraded)}"
    )


def assert_loaded_as_stored(store: Store, before: Snapshot) -> None:
    """``load_review`` gives back every session and item, every value, in the store's order."""
    problems: list[str] = []
    for session_row in before["sessions"]:
        sid = session_row["id"]
        review = store.load_review(sid)
        problems += _differences("sessions", session_row, review.session, list(session_row))
        for _, (table, field) in TABLES.items():
            rows = [r for r in before.get(table, []) if r["session_id"] == sid]
            items = getattr(review, field)
            assert [i.id for i in items] == _order(table, rows), f"{table} of {sid}"
            by_id = {i.id: i for i in items}
            for row in rows:
                problems += _differences(table, row, by_id[row["id"]], list(row))
        assert store.resolve(sid) == sid
    assert problems == [], "\n".join(problems)


def assert_listed(store: Store, before: Snapshot) -> None:
    sessions = {row["id"]: row for row in before["sessions"]}
    actions = before.get("actions", [])
    open_values = {s.value for s in OPEN_STATUSES}
    summaries = store.list_sessions()
    newest = sorted(sessions.values(), key=lambda r: r["id"])
    newest.sort(key=lambda r: r["updated_at"], reverse=True)
    assert [s.id for s in summaries] == [r["id"] for r in newest]
    for summary in summaries:
        row = sessions[summary.id]
        for field in ("title", "severity", "status", "phase", "incident_start", "timezone"):
            assert _same(row[field], getattr(summary, field)), (summary.id, field)
        assert _same(row["created_at"], summary.created_at)
        assert _same(row["updated_at"], summary.updated_at)
        assert summary.open_actions == sum(
            1 for a in actions if a["session_id"] == summary.id and a["status"] in open_values
        )
        assert (summary.meeting_ended_at, summary.pulse_learned, summary.pulse_again) == (
            None,
            None,
            None,
        )

    ideas = {(r["session_id"], r["id"]): r["text"] for r in before.get("ideas", [])}
    for status in ActionStatus:
        tracked = list_actions(store, status=status, today=TODAY)
        wanted = {(a["session_id"], a["id"]): a for a in actions if a["status"] == status.value}
        assert {(t.session_id, t.action.id) for t in tracked} == set(wanted)
        for t in tracked:
            row = wanted[t.session_id, t.action.id]
            assert _differences("actions", row, t.action, list(row)) == []
            session = sessions[t.session_id]
            assert t.session_title == session["title"]
            assert t.session_severity == session["severity"]
            assert _same(session["incident_start"], t.incident_start)
            assert t.idea_text == (ideas[t.session_id, row["idea_id"]] if row["idea_id"] else None)
    overdue = {
        (a["session_id"], a["id"])
        for a in actions
        if a["status"] in open_values and a["due"] and a["due"] < TODAY.isoformat()
    }
    assert overdue, "the data should hold overdue actions"
    late = list_actions(store, overdue=True, today=TODAY)
    assert {(t.session_id, t.action.id) for t in late} == overdue
    unowned = {
        (a["session_id"], a["id"]) for a in actions if a["status"] in open_values and not a["owner"]
    }
    assert unowned, "the data should hold open actions nobody owns"
    assert {(t.session_id, t.action.id) for t in list_actions(store, owner="")} == unowned
    for a in actions:
        found_session, action = find_action(store, f"{a['session_id']}/{a['id']}")
        assert found_session == a["session_id"] and action.id == a["id"]

    insights = gather(store)
    assert {(s.session_id, s.item_id, s.text) for s in insights.factors} == {
        (r["session_id"], r["id"], r["text"]) for r in before.get("factors", [])
    }
    assert {(s.session_id, s.item_id, s.text) for s in insights.learnings} == {
        (r["session_id"], r["id"], r["text"]) for r in before.get("learnings", [])
    }
    assert {(s.session_id, s.item_id) for s in insights.ideas} == {
        (r["session_id"], r["id"]) for r in before.get("ideas", []) if r["action_id"] is None
    }
    assert insights.reviews == len(sessions)


def ticket_of(row: Row) -> str:
    """The ticket number in an item's text: a word no other item has."""
    ticket = TICKET.search(row["text"])
    assert ticket, f"{row['id']} has no ticket number to search for"
    return ticket.group(0)


def _expected_phase(table: str, row: Row) -> Phase:
    if table == "notes":
        return Phase(row["phase"])
    if table == "events":
        return Phase.INTERVIEW if row["interview_id"] else Phase.TIMELINE
    return {"factors": Phase.FACTORS, "learnings": Phase.SENSE_MAKING}.get(table, Phase.ACTIONS)


def assert_searchable(store: Store, before: Snapshot) -> None:
    """Search finds every old note, event, factor, learning and action on its own."""
    sessions = {row["id"]: row for row in before["sessions"]}
    searched = 0
    for table, kind in KINDS.items():
        for row in before.get(table, []):
            hits = search(store, ticket_of(row))
            assert [(h.session_id, h.kind, h.item_id) for h in hits] == [
                (row["session_id"], kind, row["id"])
            ], (table, row["id"])
            hit, session = hits[0], sessions[row["session_id"]]
            assert hit.text == row["text"]
            assert hit.session_title == session["title"]
            assert hit.phase is _expected_phase(table, row)
            assert hit.interview_id == row.get("interview_id")
            moment = row["at_utc"] if table == "events" else row["created_at"]
            assert hit.at == _instant(moment, session["timezone"])
            assert hit.at.utcoffset() == _instant(moment, session["timezone"]).utcoffset()
            searched += 1
    assert searched >= 1
    # Case and diacritics are folded for the old rows too.
    for query, pattern in (("cafe", r"\bcaf[eé]\b"), ("zurich", r"\bz[uü]rich\b")):
        hits = search(store, query, limit=10_000)
        expected = {
            (r["session_id"], KINDS[t], r["id"])
            for t in KINDS
            for r in before.get(t, [])
            if re.search(pattern, r["text"], re.IGNORECASE)
        }
        assert expected, query
        assert {(h.session_id, h.kind, h.item_id) for h in hits} == expected, query
    hits = search(store, "東京リージョン", limit=10_000)
    assert hits and all("東京リージョン" in h.text for h in hits)


def assert_upgraded_without_loss(path: Path, before: Snapshot, version: int) -> None:
    """Open ``path`` (a database at ``version`` holding ``before``) with the current store."""
    assert before["_migrations"] and before["_migrations"][-1]["version"] == version
    with Store(path) as store:
        conn = store.db.conn
        after = snapshot(conn)
        assert_rows_kept(before, after)
        assert_migrations_recorded(before, after, conn)
        assert_schema_current(conn, path.with_name(path.stem + "-new.db"))
        assert_sound(conn)
        assert_loaded_as_stored(store, before)
        assert_listed(store, before)
        assert_searchable(store, before)
    with Store(path) as store:  # opening again applies nothing and changes nothing
        assert database.migrate(store.db) == []
        assert snapshot(store.db.conn) == after


# -- the tests ----------------------------------------------------------------------------------


@pytest.mark.parametrize("version", EARLIER)
def test_database_from_an_earlier_version_upgrades_without_loss(
    tmp_path: Path, version: int
) -> None:
    path = tmp_path / "review.db"
    inserted = make_old_database(path, version)

    before = read_snapshot(path)
    assert_at_version(path, before, version)
    assert set(inserted) == {"sessions", *(table for table, _ in TABLES.values())}
    for table, rows in inserted.items():
        assert without_rowids(before[table]) == rows, table
    assert sum(len(rows) for rows in inserted.values()) >= 200

    assert_upgraded_without_loss(path, before, version)


def assert_at_version(path: Path, before: Snapshot, version: int) -> None:
    """The file records migrations 1 to ``version`` and has nothing a later one adds."""
    assert [r["version"] for r in before["_migrations"]] == list(range(1, version + 1))
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        columns = {
            (table, info[1])
            for table in ("sessions", "events")
            for info in conn.execute(f"PRAGMA table_info({table})")
        }
    finally:
        conn.close()
    added_by = {
        2: ("sessions", "phase_seconds") in columns,
        3: ("events", "import_key") in columns or "events_by_import_key" in names,
        4: "notes_fts" in names,
        5: ("sessions", "meeting_ended_at") in columns,
    }
    assert all(present == (v <= version) for v, present in added_by.items()), added_by


@pytest.mark.parametrize("version", EARLIER)
def test_checked_in_database_of_an_earlier_version_upgrades_without_loss(
    tmp_path: Path, version: int
) -> None:
    fixture = FIXTURES / f"schema-v{version}.db"
    assert fixture.is_file(), (
        f"no {fixture.name}: run `python tests/fixtures/make_schema_fixtures.py` "
        "(it adds the missing files and never rewrites one)"
    )
    path = tmp_path / "review.db"
    shutil.copyfile(fixture, path)
    before = read_snapshot(path)

    assert_at_version(path, before, version)
    tables = {"sessions", *(table for table, _ in TABLES.values())}
    assert all(before[table] for table in tables), "every table of the fixture holds rows"

    assert_upgraded_without_loss(path, before, version)


def test_database_left_with_its_last_writes_in_the_wal_upgrades_without_loss(
    tmp_path: Path,
) -> None:
    """The files of a version-(LATEST-1) database whose writer stopped before a checkpoint."""
    version = LATEST - 1
    live = tmp_path / "live" / "review.db"
    live.parent.mkdir()
    db = open_old_database(live, version)
    try:
        db.execute("PRAGMA wal_autocheckpoint = 0")
        inserted = fill(db, version)
        before = snapshot(db.conn)  # what the writer sees: the database with its WAL
        copy = tmp_path / "review.db"
        for suffix in ("", "-wal"):
            shutil.copyfile(f"{live}{suffix}", f"{copy}{suffix}")
    finally:
        db.close()

    wal = Path(f"{copy}-wal")
    assert wal.stat().st_size > 0
    main_only = tmp_path / "main-only" / "review.db"
    main_only.parent.mkdir()
    shutil.copyfile(copy, main_only)
    assert read_snapshot(main_only).get("sessions", []) == []  # the reviews live in the WAL only
    for table, rows in inserted.items():
        assert without_rowids(before[table]) == rows, table

    assert_upgraded_without_loss(copy, before, version)


@pytest.mark.parametrize("version", EARLIER)
def test_upgraded_database_keeps_working(tmp_path: Path, version: int) -> None:
    """Old rows can be edited and deleted with the index kept in step; new fields are stored."""
    path = tmp_path / "review.db"
    inserted = make_old_database(path, version, notes=12, events=12, pasted_log=False)
    first, second = (row["id"] for row in inserted["sessions"][:2])
    note = next(r for r in inserted["notes"] if r["session_id"] == first)
    event = next(r for r in inserted["events"] if r["session_id"] == first)
    action = next(r for r in inserted["actions"] if r["session_id"] == first)
    ended = datetime(2026, 1, 12, 16, 30, tzinfo=UTC)

    with Store(path) as store:
        cafe = {h.session_id for h in search(store, "cafe", limit=10_000)}
        assert cafe == {first, second}
        store.update(first, Note, note["id"], text="Rewritten after the review: a quokka note")
        store.delete(first, TimelineEvent, event["id"])
        added = store.add(first, Note(phase=Phase.TIMELINE, text="A wombat note written today"))
        store.update_session(first, meeting_ended_at=ended, pulse_learned=True, pulse_again=False)
        change_action(store, first, action["id"], status=ActionStatus.DONE, owner="Casey Sample")
        store.delete_session(second)

    with Store(path) as store:
        assert [h.item_id for h in search(store, "quokka")] == [note["id"]]
        assert search(store, ticket_of(note)) == []
        assert search(store, ticket_of(event)) == []
        assert [h.item_id for h in search(store, "wombat")] == [added.id]
        assert {h.session_id for h in search(store, "cafe", limit=10_000)} == {first}
        session = store.get_session(first)
        assert (session.meeting_ended_at, session.pulse_learned, session.pulse_again) == (
            ended,
            True,
            False,
        )
        done = store.get(first, ActionItem, action["id"])
        assert (done.status, done.owner) == (ActionStatus.DONE, "Casey Sample")
        for table in ["sessions", *(table for table, _ in TABLES.values())]:
            column = "id" if table == "sessions" else "session_id"
            left = store.db.execute(
                f"SELECT count(*) FROM [{table}] WHERE {column} = ?", [second]
            ).fetchone()[0]
            assert left == 0, table
        assert_sound(store.db.conn)


def test_no_earlier_version_is_left_out() -> None:
    """One fixture file per earlier version, and nothing claims a version that does not exist."""
    present = sorted(int(p.stem.removeprefix("schema-v")) for p in FIXTURES.glob("schema-v*.db"))
    assert present == list(EARLIER)
