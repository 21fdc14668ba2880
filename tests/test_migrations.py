from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from review_assistant.store import SchemaTooNewError, Store, StoreError
from review_assistant.store.migrations import LATEST, MIGRATIONS


def test_new_database_records_every_migration(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        rows = list(store.db.query("SELECT version, name FROM _migrations ORDER BY version"))
        assert [r["version"] for r in rows] == [m.version for m in MIGRATIONS]
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    Store(tmp_path / "review.db").close()
    with Store(tmp_path / "review.db") as store:
        assert store.db.execute("SELECT count(*) FROM _migrations").fetchone()[0] == len(MIGRATIONS)


def test_migrations_are_numbered_in_order() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))


def test_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 5}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(SchemaTooNewError, match="newer"):
        Store(path)
    assert path.read_bytes() == before


def test_corrupt_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="not a usable"):
        Store(path)
    assert path.read_bytes() == b"this is not a database" * 100


def test_foreign_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="not review-assistant's"):
        Store(path)


def test_data_dir_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="data directory"):
        Store(blocker / "review.db")
