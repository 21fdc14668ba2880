"""Two copies of the real app write to the same review at once: the live review in one, a
participant's pre-meeting interview in the other. Neither is ever refused by the database,
everything either one confirms is stored exactly once, and the file stays sound. And several
processes opening one database at the same moment (a new data directory, or a file that needs
migrating) all get a working store."""

from __future__ import annotations

import random
import re
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pty_terminal import Terminal
from review_assistant.domain.models import Participant, ReviewSession
from review_assistant.store import Store
from review_assistant.store.migrations import LATEST, MIGRATIONS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

#: How long both copies of the app keep typing, in seconds.
DURATION = 60.0
SEED = 20260313

#: Anything that means a write was refused or the app failed.
REFUSED = re.compile(
    rb"database is locked|database table is locked|Not saved|Not deleted|Traceback"
    rb"|OperationalError|DatabaseError|StoreError"
)

#: (line template, table the item lands in): ``{body}`` is the text stored.
LIVE_KINDS = (
    ("{body}", "notes"),
    ("14:{minute:02d} {event}: {body}", "events"),
    ("! {body}", "ideas"),
    ("+ {body}", "went_well"),
    ("learning: {body}", "learnings"),
    ("avoid: {body}", "factors"),
)
INTERVIEW_KINDS = (
    ("{body}", "notes"),
    ("{body}", "notes"),
    ("14:{minute:02d} {event}: {body}", "events"),
    ("! {body}", "ideas"),
)
EVENT_KINDS = ("detection", "escalation", "diagnosis", "mitigation", "communication")
#: Short enough for the whole confirmation line to fit in 100 columns.
PHRASES = (
    "saw the lag alarm",
    "checked the replica",
    "asked for a second pair",
    "paused the deploy train",
    "read the runbook step",
    "posted in the channel",
    "rolled back the config",
    "watched error rates fall",
)
TABLES = ("events", "factors", "ideas", "learnings", "notes", "went_well")


@dataclass(frozen=True)
class Typed:
    """One line typed into a note input: ``token`` makes its text unique."""

    token: str
    line: str
    table: str
    text: str


@dataclass
class Writer:
    """One copy of the app and what was typed into it and confirmed by it."""

    name: str
    prefix: str
    kinds: tuple[tuple[str, str], ...]
    terminal: Terminal
    rng: random.Random
    submitted: dict[str, Typed] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)
    exit_status: int | None = None

    def line(self) -> Typed:
        token = f"{self.prefix}{len(self.submitted) + 1:04d}"
        template, table = self.rng.choice(self.kinds)
        body = f"{token} {self.rng.choice(PHRASES)}"
        line = template.format(
            body=body, minute=self.rng.randrange(60), event=self.rng.choice(EVENT_KINDS)
        )
        return Typed(token, line, table, body)

    def type_until(self, seen: int, deadline: float, stop: threading.Event) -> None:
        """Type one line after another, each once the previous one is confirmed."""
        while time.monotonic() < deadline and not stop.is_set():
            typed = self.line()
            self.submitted[typed.token] = typed
            self.terminal.type(typed.line + "\r")
            seen = self.terminal.acknowledged(typed.text, after=seen, refused=REFUSED)
            self.acknowledged.add(typed.token)


def open_live_review(terminal: Terminal) -> int:
    # The review screen's own keys in the footer: its input has focus, typing is safe.
    return terminal.read_until(b"Details", refused=REFUSED)


def open_interview(terminal: Terminal) -> int:
    seen = terminal.read_until(b"Details", refused=REFUSED)
    terminal.type("\x12")  # Ctrl+R: whose account?
    seen = terminal.read_until(b"Enter to choose", after=seen, refused=REFUSED)
    terminal.type("\r")  # the first participant: Alex Example
    seen = terminal.read_until(b"Interview: Alex Example", after=seen, refused=REFUSED)
    return terminal.read_until(b"Their account", after=seen, refused=REFUSED)


def drive(
    writer: Writer,
    opening: Callable[[Terminal], int],
    start: threading.Barrier,
    stop: threading.Event,
) -> None:
    """Open the screen, type for the whole minute (once both screens are ready), then quit."""
    try:
        seen = opening(writer.terminal)
        start.wait(timeout=120)
        writer.type_until(seen, time.monotonic() + DURATION, stop)
        writer.exit_status = writer.terminal.quit()
    except BaseException:
        stop.set()
        start.abort()
        raise


def stored(db: sqlite3.Connection, session_id: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """Every typed item of the review by token: [(table, text, interview id)]."""
    rows: dict[str, list[tuple[str, str, str | None]]] = {}
    for table in TABLES:
        interview = "interview_id" if table in ("notes", "events") else "NULL"
        sql = f"SELECT text, {interview} FROM {table} WHERE session_id = ?"
        for text, interview_id in db.execute(sql, [session_id]):
            rows.setdefault(str(text).split(" ", 1)[0], []).append((table, str(text), interview_id))
    return rows


def test_live_review_and_interview_write_the_same_review_at_once(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    with Store(path) as store:
        session = ReviewSession(
            title="Replica lag during failover",
            timezone="UTC",
            incident_start=datetime(2026, 3, 12, 13, 40, tzinfo=UTC),
        )
        store.create_session(session, [Participant(name="Alex Example", role="on-call engineer")])
    args = ["--data-dir", str(tmp_path), "open", session.id]
    rng = random.Random(SEED)
    live = Writer("live review", "lv", LIVE_KINDS, Terminal(args), random.Random(rng.random()))
    interview = Writer(
        "interview", "iv", INTERVIEW_KINDS, Terminal(args), random.Random(rng.random())
    )
    start = threading.Barrier(2)
    stop = threading.Event()
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            jobs = [
                pool.submit(drive, live, open_live_review, start, stop),
                pool.submit(drive, interview, open_interview, start, stop),
            ]
            failures = [error for job in jobs if (error := job.exception()) is not None]
        # The copy that failed first says why; the other one only saw the start called off.
        failures.sort(key=lambda error: isinstance(error, threading.BrokenBarrierError))
        if failures:
            raise failures[0]
    finally:
        for writer in (live, interview):
            writer.terminal.kill()
    for writer in (live, interview):
        output = bytes(writer.terminal.output)
        assert (bad := REFUSED.search(output)) is None, f"{writer.name}: {bad.group()!r}"
        assert writer.exit_status == 0, f"{writer.name} exited with {writer.exit_status}"

    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []
        (interview_id,) = db.execute(
            "SELECT i.id FROM interviews i JOIN participants p "
            "ON p.session_id = i.session_id AND p.id = i.participant_id "
            "WHERE i.session_id = ? AND p.name = ?",
            [session.id, "Alex Example"],
        ).fetchone()
        rows = stored(db, session.id)
    finally:
        db.close()
    expected_interview = {"live review": None, "interview": interview_id}
    for writer in (live, interview):
        wanted = expected_interview[writer.name]
        for token in sorted(writer.acknowledged):
            typed = writer.submitted[token]
            got = rows.get(token)
            want_interview = wanted if typed.table in ("notes", "events") else None
            assert got == [(typed.table, typed.text, want_interview)], (
                f"{writer.name} confirmed {typed.line!r}; stored {got}"
            )
    submitted = live.submitted | interview.submitted
    for token, found in rows.items():
        assert token in submitted and len(found) == 1, f"stored {found}, typed once or never"
    # The app's own store reads every row back as a valid item.
    with Store(path) as store:
        review = store.load_review(session.id)
    assert len(review.interviews) == 1
    acknowledged = len(live.acknowledged) + len(interview.acknowledged)
    assert acknowledged >= 2, "nothing was typed: the minute proves nothing"
    print(
        f"\n{DURATION:.0f}s: live review confirmed {len(live.acknowledged)}, interview "
        f"{len(interview.acknowledged)}; {sum(map(len, rows.values()))} items stored"
    )


#: Opens the store at each path it is given. Every copy has loaded the code before the first
#: path arrives, so all of them open the same file in the same instant.
OPENER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from review_assistant.store.repository import Store

    print("ready", flush=True)
    for line in sys.stdin:
        with Store(Path(line.strip())) as store:
            store.list_sessions()
        print("opened", flush=True)
    """
)
OPENERS = 4
ATTEMPTS = 25


def at_version_one(path: Path) -> None:
    """A database written by the first release: schema version 1, in WAL mode."""
    path.parent.mkdir(parents=True)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("BEGIN")
        conn.execute(
            "CREATE TABLE _migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        for statement in MIGRATIONS[0].statements:
            conn.execute(statement)
        conn.execute(
            "INSERT INTO _migrations VALUES (1, ?, ?)",
            [MIGRATIONS[0].name, datetime.now(UTC).isoformat()],
        )
        conn.execute("PRAGMA user_version = 1")
        conn.execute("COMMIT")
    finally:
        conn.close()


def check_opened_once(path: Path) -> None:
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA user_version").fetchone() == (LATEST,)
        versions = [v for (v,) in conn.execute("SELECT version FROM _migrations ORDER BY 1")]
    finally:
        conn.close()
    assert versions == [m.version for m in MIGRATIONS], path  # each applied exactly once


@pytest.mark.parametrize("start", ["new", "version 1"])
def test_processes_opening_one_database_at_once_all_get_a_store(tmp_path: Path, start: str) -> None:
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPENER],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(OPENERS)
    ]
    try:
        for opener in openers:
            assert opener.stdout is not None
            assert opener.stdout.readline() == "ready\n"
        for attempt in range(ATTEMPTS):
            path = tmp_path / f"data-{attempt}" / "review.db"
            if start == "version 1":
                at_version_one(path)
            for opener in openers:
                assert opener.stdin is not None
                opener.stdin.write(f"{path}\n")
                opener.stdin.flush()
            for opener in openers:
                assert opener.stdout is not None
                if opener.stdout.readline() != "opened\n":
                    opener.wait(timeout=60)
                    assert opener.stderr is not None
                    raise AssertionError(f"attempt {attempt}: {opener.stderr.read()}")
            check_opened_once(path)
        for opener in openers:
            assert opener.stdin is not None
            opener.stdin.close()
            assert opener.wait(timeout=60) == 0
    finally:
        for opener in openers:
            if opener.poll() is None:
                opener.kill()
                opener.wait()
