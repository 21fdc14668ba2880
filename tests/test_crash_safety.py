"""Killing the real app at random moments, 50 times on one database, loses nothing it said was
saved, saves nothing twice and never damages the file.

Each round starts ``review-assistant open SESSION`` in a pseudo-terminal on the database the
previous round killed, types notes of every kind and sends SIGKILL at a moment drawn from a
seeded generator: while the app is opening, right after a confirmation, with a note half typed,
right after Enter, at any instant while notes follow each other with no pause, or while it sits
idle. After every kill the file is checked read-only, so the next round still starts on what
the kill left behind.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest

from pty_terminal import SAVED, Terminal
from review_assistant.domain.models import Participant, ReviewSession
from review_assistant.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")

SEED = 20260312
ROUNDS = 50

#: Every kill moment, each several times; their order and details come from the seed.
MOMENTS = (
    *("opening",) * 5,  # somewhere between the process starting and the review being ready
    *("after-ack",) * 10,  # the instant the last note's confirmation is read
    *("half-typed",) * 9,  # part of a note in the input, Enter not pressed
    *("after-enter",) * 10,  # Enter sent, the confirmation not yet seen
    *("stream",) * 9,  # notes one after another with no pause, killed at any instant
    *("idle",) * 7,  # after a few notes, while nothing is being typed
)
assert len(MOMENTS) == ROUNDS

#: (line template, table the item lands in): ``{body}`` is the text stored.
KINDS = (
    ("{body}", "notes"),
    ("14:{minute:02d} {event}: {body}", "events"),
    ("! {body}", "ideas"),
    ("+ {body}", "went_well"),
    ("learning: {body}", "learnings"),
    ("detect: {body}", "factors"),
)
EVENT_KINDS = ("detection", "escalation", "diagnosis", "mitigation", "communication")
#: Short enough for the whole confirmation line to fit in 100 columns.
PHRASES = (
    "pager fired for lag",
    "queue dashboard opened",
    "failover runbook held",
    "retry storm hid errors",
    "deploy train paused",
    "dead letter queue grew",
    "rollback took 4 min",
    "status page updated",
)
TABLES = tuple(sorted({table for _, table in KINDS}))
#: Tables with a full-text index kept in step by triggers.
INDEXED = ("events", "factors", "learnings", "notes")


@dataclass(frozen=True)
class Typed:
    """One line typed into the note input: ``token`` makes its text unique."""

    token: str
    line: str
    table: str
    text: str


@dataclass
class Ledger:
    """What was typed, sent with Enter and confirmed on screen, over all rounds."""

    submitted: dict[str, Typed] = field(default_factory=dict)
    unsent: dict[str, Typed] = field(default_factory=dict)
    acknowledged: set[str] = field(default_factory=set)
    log: list[str] = field(default_factory=list)


def make_line(rng: random.Random, round_no: int, index: int) -> Typed:
    token = f"k{round_no:02d}x{index:02d}"
    template, table = rng.choice(KINDS)
    body = f"{token} {rng.choice(PHRASES)}"
    line = template.format(body=body, minute=rng.randrange(60), event=rng.choice(EVENT_KINDS))
    return Typed(token, line, table, body)


def run_round(
    terminal: Terminal, rng: random.Random, round_no: int, moment: str, ledger: Ledger
) -> str:
    """Drive one app start up to the kill; returns how the kill was placed."""
    counter = iter(range(100))

    def next_line() -> Typed:
        return make_line(rng, round_no, next(counter))

    def submit(typed: Typed) -> None:
        ledger.submitted[typed.token] = typed
        terminal.type(typed.line + "\r")

    if moment == "opening":
        delay = rng.uniform(0.0, 1.5)
        terminal.watch(delay)
        return f"{delay:.3f}s after start"
    # The review screen's own keys in the footer: its input has focus, typing is safe.
    seen = terminal.read_until(b"Details")
    settled = rng.randint(0, 3) if moment != "after-ack" else rng.randint(1, 4)
    for _ in range(settled):
        typed = next_line()
        submit(typed)
        seen = terminal.acknowledged(typed.text, after=seen)
    if moment == "after-ack":
        return f"right after confirmation {settled}"
    if moment == "half-typed":
        typed = next_line()
        cut = rng.randint(1, len(typed.line) - 1)
        ledger.unsent[typed.token] = typed
        terminal.type(typed.line[:cut])
        delay = rng.uniform(0.0, 0.05)
        terminal.watch(delay)
        return f"{cut} of {len(typed.line)} characters typed, {delay:.3f}s later"
    if moment == "after-enter":
        delay = rng.choice((0.0, rng.uniform(0.0, 0.08)))
        submit(next_line())
        terminal.watch(delay)
        return f"{delay:.3f}s after Enter"
    if moment == "stream":
        delay = rng.uniform(0.0, 1.0)
        deadline = time.monotonic() + delay
        sent = 0
        while True:
            typed = next_line()
            submit(typed)
            sent += 1
            found = terminal.acknowledged_before(typed.text, deadline, after=seen)
            if found is None:
                return f"{delay:.3f}s into a stream, at note {sent}"
            seen = found
    assert moment == "idle"
    delay = rng.uniform(0.0, 0.3)
    terminal.watch(delay)
    return f"idle for {delay:.3f}s"


def stored_rows(db: sqlite3.Connection, session_id: str) -> dict[str, list[tuple[str, str]]]:
    """Every stored item of the review by token: [(table, text)]."""
    rows: dict[str, list[tuple[str, str]]] = {}
    for table in TABLES:
        for (text,) in db.execute(f"SELECT text FROM {table} WHERE session_id = ?", [session_id]):
            rows.setdefault(str(text).split(" ", 1)[0], []).append((table, str(text)))
    return rows


def check_database(
    path: Path, session_id: str, ledger: Ledger, where: str, new: Iterable[Typed]
) -> int:
    """Everything confirmed is stored once, nothing else is, the file is sound and the search
    index holds exactly the ``new`` lines that were stored. Returns how many items are stored."""
    # Read-only: closing it does not checkpoint, so the next round opens what the kill left.
    db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)], where
        assert db.execute("PRAGMA foreign_key_check").fetchall() == [], where
        rows = stored_rows(db, session_id)
        for token in sorted(ledger.acknowledged):
            typed = ledger.submitted[token]
            assert rows.get(token) == [(typed.table, typed.text)], (
                f"{where}: confirmed {typed.line!r} but stored {rows.get(token)}"
            )
        for token, found in rows.items():
            assert token in ledger.submitted, f"{where}: stored {found}, never sent with Enter"
            typed = ledger.submitted[token]
            assert found == [(typed.table, typed.text)], f"{where}: {typed.line!r} → {found}"
        for table in INDEXED:  # the full-text index holds exactly the rows of its table
            for typed in new:
                indexed = db.execute(
                    f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH ?",
                    [f'"{typed.token}"'],
                ).fetchall()
                content = db.execute(
                    f"SELECT rowid FROM {table} WHERE session_id = ? AND text = ?",
                    [session_id, typed.text],
                ).fetchall()
                assert sorted(indexed) == sorted(content), f"{where}: index of {typed.line!r}"
        return sum(len(found) for found in rows.values())
    finally:
        db.close()


def test_sigkill_at_random_moments_loses_nothing_acknowledged(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    with Store(path) as store:
        session = ReviewSession(
            title="Queue backlog after failover",
            timezone="UTC",
            incident_start=datetime(2026, 3, 12, 13, 40, tzinfo=UTC),
        )
        store.create_session(session, [Participant(name="Alex Example", role="on-call engineer")])
    rng = random.Random(SEED)
    moments = list(MOMENTS)
    rng.shuffle(moments)
    ledger = Ledger()
    stored = 0
    for round_no, moment in enumerate(moments, start=1):
        terminal = Terminal(["--data-dir", str(tmp_path), "open", session.id])
        try:
            how = run_round(terminal, rng, round_no, moment, ledger)
        except AssertionError as exc:
            raise AssertionError(f"seed {SEED}, round {round_no} ({moment}): {exc}") from exc
        finally:
            terminal.kill()
        where = f"seed {SEED}, round {round_no} ({moment}: {how})"
        output = bytes(terminal.output)
        for problem in (b"Traceback", b"Not saved", b"database is locked"):
            assert problem not in output, f"{where}: the app said {problem!r}"
        prefix = f"k{round_no:02d}x"
        ledger.acknowledged |= {
            token
            for token, typed in ledger.submitted.items()
            if token.startswith(prefix) and terminal.was_acknowledged(typed.text)
        }
        typed_now = [t for t in ledger.submitted.values() if t.token.startswith(prefix)]
        stored = check_database(path, session.id, ledger, where, typed_now)
        ledger.log.append(f"{round_no:2d} {moment:<11} {how}: {stored} stored")
    # The app's own store reads the file back whole (every row a valid item).
    with Store(path) as store:
        review = store.load_review(session.id)
    loaded = Counter(
        str(item.text).split(" ", 1)[0]
        for items in (
            review.notes,
            review.events,
            review.ideas,
            review.went_well,
            review.learnings,
            review.factors,
        )
        for item in items
    )
    assert ledger.acknowledged <= set(loaded)
    assert max(loaded.values(), default=1) == 1
    assert len(loaded) == stored
    check_database(path, session.id, ledger, "after the last round", ledger.submitted.values())
    # The rounds did type and confirm notes: a run that confirmed nothing proves nothing.
    assert len(ledger.acknowledged) >= ROUNDS, "\n".join(ledger.log)
    print(
        f"\n{ROUNDS} kills: {len(ledger.submitted)} sent, {len(ledger.acknowledged)} confirmed "
        f"and found, {stored - len(ledger.acknowledged)} stored without a confirmation seen, "
        f"{len(ledger.unsent)} half typed and not stored"
    )


def test_notes_typed_ahead_are_each_saved_once(tmp_path: Path) -> None:
    """Notes typed faster than the app reads them (a stalled screen, a paste without bracketed
    paste) are each saved once, as typed."""
    path = tmp_path / "review.db"
    with Store(path) as store:
        session = store.create_session(ReviewSession(title="Cache stampede", timezone="UTC"))
    lines = ["first note typed ahead", "second note typed ahead", "third note typed ahead"]
    last = "typed once the first was saved"
    terminal = Terminal(["--data-dir", str(tmp_path), "open", session.id])
    try:
        seen = terminal.read_until(b"Details")
        terminal.type("".join(line + "\r" for line in lines))
        seen = terminal.read_until(SAVED, after=seen)
        terminal.type(last + "\r")  # its Enter comes after theirs: once it is saved, so are they
        terminal.acknowledged(last, after=seen)
    finally:
        terminal.kill()
    db = sqlite3.connect(path)
    try:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        notes = [text for (text,) in db.execute("SELECT text FROM notes ORDER BY rowid")]
    finally:
        db.close()
    assert notes == [*lines, last]
