"""Opening the database: durability settings, schema checks and migrations."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from review_assistant.store.migrations import LATEST, MIGRATIONS

MIGRATIONS_TABLE = "_migrations"
#: How long a connection waits for another process's write (or for a new file being set up).
BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class SchemaTooNewError(StoreError):
    pass


def connect(path: Path) -> sqlite_utils.Database:
    """Open (creating if needed) and migrate the database at ``path``."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the data directory {path.parent}: {exc}") from None
    if path.exists() and path.is_dir():
        raise StoreError(f"{path} is a directory, not a database file")
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the database {path}: {exc}") from None
    try:
        db = sqlite_utils.Database(conn)
        check_schema(db, path)  # read-only: refuse a foreign or newer file before touching it
        _configure(db)
        migrate(db, path)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"{path} is not a usable review-assistant database ({exc}); "
            "it was left untouched — move it aside or restore it from a backup"
        ) from None
    except StoreError:
        conn.close()
        raise
    return db


def _configure(db: sqlite_utils.Database) -> None:
    db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
    mode = _switch_to_wal(db)
    if mode != "wal":  # pragma: no cover - only on file systems without WAL
        raise StoreError(f"the database could not switch to WAL mode (got {mode})")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")


def _switch_to_wal(db: sqlite_utils.Database) -> str:
    """Put the file in WAL mode (it stays so); the journal mode it is in afterwards.

    A new file opened by several processes at once can have two of them switching it in the
    same instant; SQLite then refuses one at once ("database is locked") rather than let
    them wait for each other, so the switch is tried again until the busy timeout is spent.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.002
    while True:
        try:
            return str(db.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        except sqlite3.OperationalError as exc:
            if exc.sqlite_errorcode & 0xFF != sqlite3.SQLITE_BUSY or time.monotonic() > deadline:
                raise
        time.sleep(pause)
        pause = min(pause * 2, 0.1)


def schema_version(db: sqlite_utils.Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def _schema_state(db: sqlite_utils.Database) -> tuple[int, list[str]]:
    """The schema version and the names of the tables, read by one statement: both from the
    same moment, even while another process is creating the schema."""
    rows = db.execute(
        "SELECT v.user_version, m.name FROM pragma_user_version AS v "
        "LEFT JOIN sqlite_master AS m ON m.type = 'table'"
    ).fetchall()
    return int(rows[0][0]), [str(name) for _, name in rows if name is not None]


def check_schema(db: sqlite_utils.Database, path: Path | None = None) -> int:
    """The schema version, if this build can use the database; raises StoreError if not."""
    current, tables = _schema_state(db)
    if current > LATEST:
        raise SchemaTooNewError(
            f"{path or 'the database'} was written by a newer review-assistant "
            f"(schema {current}; this version knows up to {LATEST}). "
            "Upgrade review-assistant to open it; nothing was changed"
        )
    if current == 0:
        foreign = [t for t in tables if not t.startswith("sqlite_")]
        if foreign:
            raise StoreError(
                f"{path or 'the database'} holds tables that are not review-assistant's "
                f"({', '.join(sorted(foreign)[:5])}); nothing was changed"
            )
    return current


def migrate(db: sqlite_utils.Database, path: Path | None = None) -> list[int]:
    """Apply pending migrations, each in its own transaction. Returns the versions applied.

    Another process may be opening the same file at the same moment (two copies of the app
    started together, on a new data directory or after an upgrade): each step reads the
    version again once it holds the write lock and skips a migration already applied.
    """
    current = check_schema(db, path)
    applied: list[int] = []
    for migration in MIGRATIONS:
        if migration.version <= current:
            continue
        with transaction(db):
            current = check_schema(db, path)
            if migration.version <= current:
                continue  # applied by another connection while this one waited for the lock
            if migration.version == 1:
                db.execute(
                    f"CREATE TABLE {MIGRATIONS_TABLE} (version INTEGER PRIMARY KEY, "
                    "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            for statement in migration.statements:
                db.execute(statement)
            db.execute(
                f"INSERT INTO {MIGRATIONS_TABLE} (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat()),
            )
            db.execute(f"PRAGMA user_version = {migration.version:d}")
        applied.append(migration.version)
    return applied


@contextmanager
def transaction(db: sqlite_utils.Database) -> Iterator[None]:
    """One write transaction, committed (and fsync'd) before the block's caller goes on."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


@contextmanager
def snapshot(db: sqlite_utils.Database) -> Iterator[None]:
    """Reads that all see the file as it was at one moment (one read transaction), even while
    another process writes; inside a transaction already open, that one's view is used."""
    if db.conn.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    finally:
        db.execute("COMMIT")  # it wrote nothing: this only ends the read
