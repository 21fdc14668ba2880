"""The repository: review sessions and their items in and out of SQLite.

Every write runs in its own ``BEGIN IMMEDIATE`` transaction and is committed with
``synchronous=FULL`` before the method returns, so whatever the caller acknowledges is on disk.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

import sqlite_utils

from review_assistant import collector
from review_assistant.domain.models import (
    ActionItem,
    Item,
    Participant,
    Question,
    Review,
    ReviewSession,
    TimelineEvent,
    utcnow,
)
from review_assistant.paths import DB_NAME, data_dir
from review_assistant.store.database import StoreError, connect, snapshot, transaction
from review_assistant.store.listing import SessionSummary, list_sessions
from review_assistant.store.rows import (
    TABLES,
    item_columns,
    item_to_row,
    row_to_item,
    row_to_session,
    rows_to_items,
    session_to_row,
    stamp,
    table_of,
)

ItemT = TypeVar("ItemT", bound=Item)


class NotFoundError(StoreError):
    pass


def _insert_sql(table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    columns = ", ".join(f"[{c}]" for c in row)
    marks = ", ".join("?" for _ in row)
    return f"INSERT INTO [{table}] ({columns}) VALUES ({marks})", list(row.values())


class Store:
    """All reading and writing of review sessions goes through here."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.db: sqlite_utils.Database = connect(path)

    @classmethod
    def open(cls, directory: str | os.PathLike[str] | None = None) -> Store:
        return cls(data_dir(directory) / DB_NAME)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # -- sessions ---------------------------------------------------------------------------

    def create_session(
        self, session: ReviewSession, participants: Iterable[Participant] = ()
    ) -> ReviewSession:
        with transaction(self.db):
            self.db.execute(*_insert_sql("sessions", session_to_row(session)))
            for participant in participants:
                self.db.execute(*_insert_sql("participants", item_to_row(session.id, participant)))
        return session

    def get_session(self, session_id: str) -> ReviewSession:
        rows = list(self.db.query("SELECT * FROM sessions WHERE id = ?", [session_id]))
        if not rows:
            raise NotFoundError(f"no review session with id {session_id!r}")
        return row_to_session(rows[0])

    def update_session(self, session_id: str, /, **changes: Any) -> ReviewSession:
        current = self.get_session(session_id)
        data = current.model_dump()
        if "impact" in changes and isinstance(changes["impact"], dict):
            changes["impact"] = {**data["impact"], **changes["impact"]}
        updated = ReviewSession.model_validate({**data, **changes, "updated_at": utcnow()})
        row = session_to_row(updated)
        row.pop("id")
        assignments = ", ".join(f"[{c}] = ?" for c in row)
        with transaction(self.db):
            self.db.execute(
                f"UPDATE sessions SET {assignments} WHERE id = ?", [*row.values(), session_id]
            )
        return updated

    def delete_session(self, session_id: str) -> None:
        with transaction(self.db):
            cursor = self.db.execute("DELETE FROM sessions WHERE id = ?", [session_id])
        if cursor.rowcount == 0:
            raise NotFoundError(f"no review session with id {session_id!r}")

    def list_sessions(self) -> list[SessionSummary]:
        return list_sessions(self.db.conn)

    def resolve(self, ref: str) -> str:
        """A session id from the id itself or a unique prefix of it."""
        key = ref.strip().lower()
        if not key:
            raise NotFoundError("no session given")
        exact = list(self.db.query("SELECT id FROM sessions WHERE id = ?", [key]))
        if exact:
            return str(exact[0]["id"])
        like = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        matches = [
            str(r["id"])
            for r in self.db.query(
                "SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 6", [like]
            )
        ]
        if not matches:
            raise NotFoundError(f"no review session matches {ref!r} (try `review-assistant list`)")
        if len(matches) > 1:
            shown = ", ".join(matches[:5])
            raise NotFoundError(f"{ref!r} matches several sessions ({shown}); give more of the id")
        return matches[0]

    # -- whole reviews ----------------------------------------------------------------------

    def version(self) -> tuple[int, int]:
        """A value that changes whenever anything is committed to the file: by another
        connection or process (SQLite's ``data_version``) or through this store."""
        (others,) = self.db.execute("PRAGMA data_version").fetchone()
        return int(others), self.db.conn.total_changes

    def load_review(self, session_id: str) -> Review:
        """The whole review, as it was at one moment."""
        with collector.paused():
            with snapshot(self.db):
                session = self.get_session(session_id)
                lists = {field: self.items(session_id, kind) for kind, (_, field) in TABLES.items()}
            return Review.model_validate({"session": session, **lists})

    def save_review(self, review: Review) -> str:
        """Insert a whole review (an import) in one transaction; returns its session id."""
        with transaction(self.db):
            self.db.execute(*_insert_sql("sessions", session_to_row(review.session)))
            for kind, (table, field) in TABLES.items():
                for item in getattr(review, field):
                    if not isinstance(item, kind):  # pragma: no cover - guarded by pydantic
                        raise TypeError(f"{field} holds {type(item).__name__}")
                    self.db.execute(*_insert_sql(table, item_to_row(review.session.id, item)))
        return review.session.id

    # -- items ------------------------------------------------------------------------------

    def add(self, session_id: str, item: ItemT) -> ItemT:
        row = item_to_row(session_id, item)
        with transaction(self.db):
            self._touch(session_id)
            self.db.execute(*_insert_sql(table_of(type(item)), row))
        return item

    def add_events(self, session_id: str, events: Iterable[TimelineEvent]) -> list[TimelineEvent]:
        """Add imported events in one transaction; those whose ``import_key`` is already in the
        session are skipped. Returns the events actually added."""
        added: list[TimelineEvent] = []
        with transaction(self.db):
            self._touch(session_id)
            for event in events:
                sql, values = _insert_sql(table_of(TimelineEvent), item_to_row(session_id, event))
                cursor = self.db.execute(
                    sql + " ON CONFLICT (session_id, import_key) WHERE import_key IS NOT NULL "
                    "DO NOTHING",
                    values,
                )
                if cursor.rowcount:
                    added.append(event)
        return added

    def get(self, session_id: str, kind: type[ItemT], item_id: str) -> ItemT:
        rows = list(
            self.db.query(
                f"SELECT * FROM [{table_of(kind)}] WHERE session_id = ? AND id = ?",
                [session_id, item_id],
            )
        )
        if not rows:
            raise NotFoundError(f"no {kind.__name__} with id {item_id!r} in this session")
        return row_to_item(kind, rows[0])

    def items(self, session_id: str, kind: type[ItemT]) -> list[ItemT]:
        order = "at_utc, created_at, id" if kind is TimelineEvent else "created_at, id"
        columns = ", ".join(f"[{name}]" for name in item_columns(kind))
        sql = f"SELECT {columns} FROM [{table_of(kind)}] WHERE session_id = ? ORDER BY {order}"
        return rows_to_items(kind, self.db.execute(sql, [session_id]))

    def update(self, session_id: str, kind: type[ItemT], item_id: str, /, **changes: Any) -> ItemT:
        current = self.get(session_id, kind, item_id)
        if "id" in changes or "created_at" in changes:
            raise ValueError("an item's id and creation time cannot change")
        if kind is ActionItem:
            changes.setdefault("updated_at", utcnow())
        updated = kind.model_validate({**current.model_dump(), **changes})
        row = item_to_row(session_id, updated)
        for key in ("session_id", "id"):
            row.pop(key)
        assignments = ", ".join(f"[{c}] = ?" for c in row)
        with transaction(self.db):
            self._touch(session_id)
            self.db.execute(
                f"UPDATE [{table_of(kind)}] SET {assignments} WHERE session_id = ? AND id = ?",
                [*row.values(), session_id, item_id],
            )
        return updated

    def delete(self, session_id: str, kind: type[Item], item_id: str) -> None:
        with transaction(self.db):
            self._touch(session_id)
            cursor = self.db.execute(
                f"DELETE FROM [{table_of(kind)}] WHERE session_id = ? AND id = ?",
                [session_id, item_id],
            )
            if cursor.rowcount == 0:
                raise NotFoundError(f"no {kind.__name__} with id {item_id!r} in this session")
            if kind is TimelineEvent:
                self.db.execute(
                    f"UPDATE [{table_of(Question)}] SET event_id = NULL "
                    "WHERE session_id = ? AND event_id = ?",
                    [session_id, item_id],
                )

    def _touch(self, session_id: str) -> None:
        cursor = self.db.execute(
            "UPDATE sessions SET updated_at = ? WHERE id = ?", [stamp(utcnow()), session_id]
        )
        if cursor.rowcount == 0:
            raise NotFoundError(f"no review session with id {session_id!r}")
