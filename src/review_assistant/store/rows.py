"""Mapping between review models and table rows."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import TypeAdapter

from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    AssistantCall,
    Draft,
    Factor,
    Impact,
    Interview,
    Item,
    Learning,
    Note,
    Participant,
    Question,
    ReviewSession,
    Suggestion,
    TimelineEvent,
    WentWell,
)

ItemT = TypeVar("ItemT", bound=Item)

#: Each item type, its table, and the field on :class:`Review` that holds its list.
TABLES: dict[type[Item], tuple[str, str]] = {
    Participant: ("participants", "participants"),
    Interview: ("interviews", "interviews"),
    Note: ("notes", "notes"),
    TimelineEvent: ("events", "events"),
    Question: ("questions", "questions"),
    WentWell: ("went_well", "went_well"),
    Learning: ("learnings", "learnings"),
    Factor: ("factors", "factors"),
    ActionIdea: ("ideas", "ideas"),
    ActionItem: ("actions", "actions"),
    Suggestion: ("suggestions", "suggestions"),
    Draft: ("drafts", "drafts"),
    AssistantCall: ("assistant_calls", "calls"),
}

_UTC_FIELDS = {"created_at", "updated_at"}


def stamp(moment: datetime) -> str:
    """A fixed-width UTC timestamp that sorts as text."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def table_of(kind: type[Item]) -> str:
    return TABLES[kind][0]


def item_to_row(session_id: str, item: Item) -> dict[str, Any]:
    row = item.model_dump(mode="json")
    for name in _UTC_FIELDS & row.keys():
        row[name] = stamp(getattr(item, name))
    if isinstance(item, TimelineEvent):
        row["at"] = item.at.isoformat()
        row["at_utc"] = stamp(item.at)
    row["session_id"] = session_id
    return row


@functools.cache
def _field_names(kind: type[Item]) -> frozenset[str]:
    return frozenset(kind.model_fields)


def row_to_item(kind: type[ItemT], row: dict[str, Any]) -> ItemT:
    names = _field_names(kind)
    return kind.model_validate({k: v for k, v in row.items() if k in names})


def item_columns(kind: type[Item]) -> list[str]:
    """The columns that hold a kind's fields (each field is a column of the same name)."""
    return list(kind.model_fields)


@functools.cache
def _list_adapter(kind: type[ItemT]) -> TypeAdapter[list[ItemT]]:
    return TypeAdapter(list[kind])  # type: ignore[valid-type]


def rows_to_items(kind: type[ItemT], rows: Iterable[tuple[Any, ...]]) -> list[ItemT]:
    """Many rows, selected as ``item_columns(kind)``, validated in one call (a review's
    thousands of notes load several times faster than one ``model_validate`` at a time)."""
    names = item_columns(kind)
    return _list_adapter(kind).validate_python([dict(zip(names, row, strict=True)) for row in rows])


def session_to_row(session: ReviewSession) -> dict[str, Any]:
    row = session.model_dump(mode="json", exclude={"impact"})
    for name, value in session.impact.model_dump().items():
        row[f"impact_{name}"] = value
    row["created_at"] = stamp(session.created_at)
    row["updated_at"] = stamp(session.updated_at)
    row["phase_seconds"] = json.dumps(row["phase_seconds"], sort_keys=True)
    if session.incident_start is not None:
        row["incident_start"] = session.incident_start.isoformat()
    if session.incident_end is not None:
        row["incident_end"] = session.incident_end.isoformat()
    if session.meeting_ended_at is not None:
        row["meeting_ended_at"] = stamp(session.meeting_ended_at)
    return row


def row_to_session(row: dict[str, Any]) -> ReviewSession:
    impact = Impact.model_validate({name: row[f"impact_{name}"] for name in Impact.model_fields})
    fields = {k: v for k, v in row.items() if k in ReviewSession.model_fields}
    fields["impact"] = impact
    fields["phase_seconds"] = json.loads(row.get("phase_seconds") or "{}")
    return ReviewSession.model_validate(fields)
