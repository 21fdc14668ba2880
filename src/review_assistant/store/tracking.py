"""Action items across every review: listing, finding, changing and promoting them.

Action ids are unique only within their review session, so an id given on its own is
looked up across all sessions (a full id or a unique prefix) and an id that two sessions
share is reported as ambiguous; ``SESSION/ACTION`` (either part a unique prefix) names one
action exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any, Final, Literal

from review_assistant.domain.models import ActionIdea, ActionItem, ActionStatus, FactorArea
from review_assistant.domain.text import inert_cell, printable
from review_assistant.store.database import transaction
from review_assistant.store.repository import NotFoundError, Store, _insert_sql
from review_assistant.store.rows import item_to_row, row_to_item, table_of

#: The statuses of work still to do: what "open actions" lists by default.
OPEN_STATUSES: Final = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

#: The longest ``title`` a tracker row gets (the action's first line, shortened).
TITLE_WIDTH: Final = 120

#: The columns of :func:`csv_rows`, in order.
CSV_COLUMNS: Final = (
    "title",
    "description",
    "owner",
    "due_date",
    "status",
    "labels",
    "review",
    "review_id",
    "action_id",
    "area",
    "created",
    "age_days",
)

_SHOWN_MATCHES = 5


class Unchanged(Enum):
    """The type of :data:`UNCHANGED`."""

    UNCHANGED = "unchanged"


#: As ``due`` of :func:`set_action` / :func:`change_action`: keep the due date (``None`` clears it).
UNCHANGED: Final = Unchanged.UNCHANGED


def local_day(moment: datetime) -> date:
    """The calendar day a moment falls on where this program runs."""
    return moment.astimezone().date()


@dataclass(frozen=True, slots=True)
class TrackedAction:
    """One action item with the review it belongs to."""

    session_id: str
    session_title: str
    session_severity: str
    incident_start: datetime | None
    action: ActionItem
    #: The parked idea's text, when the action was promoted from one.
    idea_text: str | None = None

    @property
    def is_open(self) -> bool:
        return self.action.status in OPEN_STATUSES

    def age_days(self, today: date) -> int:
        """Whole days since the action was created (never negative)."""
        return max((today - local_day(self.action.created_at)).days, 0)

    def overdue(self, today: date) -> bool:
        """Past its due date and still open or in progress."""
        due = self.action.due
        return due is not None and due < today and self.is_open

    @property
    def ref(self) -> str:
        """``SESSION/ACTION``: names this action exactly (see :func:`find_action`)."""
        return f"{self.session_id}/{self.action.id}"


def normalise_owner(owner: str) -> str:
    """How owners are compared: case-insensitive, spacing ignored."""
    return " ".join(owner.split()).casefold()


_LIST_SQL = """
    SELECT a.*, s.title AS _session_title, s.severity AS _session_severity,
           s.incident_start AS _incident_start, i.text AS _idea_text
    FROM actions a
    JOIN sessions s ON s.id = a.session_id
    LEFT JOIN ideas i ON i.session_id = a.session_id AND i.id = a.idea_id
"""


def list_actions(
    store: Store,
    *,
    status: ActionStatus | None = None,
    owner: str | None = None,
    overdue: bool = False,
    today: date | None = None,
) -> list[TrackedAction]:
    """Action items across every review, in one query.

    - ``status``: only that status; without it, the open ones (open and in progress).
    - ``owner``: only actions whose owner is this one, compared case-insensitively with
      spacing ignored; ``""`` lists the actions nobody owns yet.
    - ``overdue``: only open or in-progress work whose due date is before ``today``
      (so with ``status`` done or dropped nothing is overdue).

    Ordered overdue first, then by due date (undated last), then oldest first.
    """
    today = today or date.today()
    statuses = [status] if status is not None else list(OPEN_STATUSES)
    if overdue:
        statuses = [s for s in statuses if s in OPEN_STATUSES]
        if not statuses:
            return []
    where = [f"a.status IN ({', '.join('?' for _ in statuses)})"]
    params: list[Any] = [s.value for s in statuses]
    if overdue:
        where.append("a.due IS NOT NULL AND a.due < ?")
        params.append(today.isoformat())
    wanted = normalise_owner(owner) if owner is not None else None
    tracked: list[TrackedAction] = []
    for row in store.db.query(f"{_LIST_SQL} WHERE {' AND '.join(where)}", params):
        if wanted is not None and normalise_owner(row["owner"]) != wanted:
            continue
        started = row["_incident_start"]
        tracked.append(
            TrackedAction(
                session_id=str(row["session_id"]),
                session_title=str(row["_session_title"]),
                session_severity=str(row["_session_severity"] or ""),
                incident_start=datetime.fromisoformat(started) if started else None,
                action=row_to_item(ActionItem, row),
                idea_text=row["_idea_text"],
            )
        )
    tracked.sort(
        key=lambda t: (
            not t.overdue(today),
            t.action.due is None,
            t.action.due or date.max,
            t.action.created_at,
            t.session_id,
            t.action.id,
        )
    )
    return tracked


# -- finding one action or idea -----------------------------------------------------------------


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _matches(store: Store, table: str, key: str, session_id: str | None) -> list[tuple[str, str]]:
    """(session id, item id) of the items whose id is ``key``, else starts with it."""
    scope, scope_params = ("AND session_id = ?", [session_id]) if session_id else ("", [])
    limit = _SHOWN_MATCHES + 1
    for condition, value in (("id = ?", key), ("id LIKE ? ESCAPE '\\'", _escape_like(key))):
        rows = store.db.execute(
            f"SELECT session_id, id FROM [{table}] WHERE {condition} {scope} "
            f"ORDER BY session_id, id LIMIT {limit}",
            [value, *scope_params],
        ).fetchall()
        if rows:
            return [(str(s), str(i)) for s, i in rows]
    return []


def _one(
    matches: list[tuple[str, str]], ref: str, noun: str, plural: str, *, qualified: bool
) -> tuple[str, str]:
    if not matches:
        raise NotFoundError(f"no {noun} matches {ref!r}")
    if len(matches) > 1:
        shown = ", ".join(f"{s}/{i}" if qualified else i for s, i in matches[:_SHOWN_MATCHES]) + (
            ", …" if len(matches) > _SHOWN_MATCHES else ""
        )
        hint = "give more of the id, or SESSION/ID" if qualified else "give more of the id"
        raise NotFoundError(f"{ref!r} matches several {plural} ({shown}); {hint}")
    return matches[0]


def find_action(store: Store, ref: str) -> tuple[str, ActionItem]:
    """The session id and action named by ``ref``: an action id or a unique prefix of one,
    looked up across every review, or ``SESSION/ACTION`` (each part an id or unique prefix).

    Raises :class:`NotFoundError` if nothing matches or more than one action does.
    """
    text = ref.strip()
    session_part, slash, action_part = text.rpartition("/")
    session_id = store.resolve(session_part) if slash else None
    key = action_part.strip()
    if not key:
        raise NotFoundError("no action id given")
    table = table_of(ActionItem)
    found_session, action_id = _one(
        _matches(store, table, key, session_id),
        text,
        "action item",
        "action items",
        qualified=session_id is None,
    )
    return found_session, store.get(found_session, ActionItem, action_id)


def find_idea(store: Store, session_id: str, ref: str) -> ActionIdea:
    """A parked idea of this session by its id or a unique prefix of it."""
    key = ref.strip()
    if not key:
        raise NotFoundError("no idea id given")
    matches = _matches(store, table_of(ActionIdea), key, session_id)
    _, idea_id = _one(matches, ref, "idea in this review", "ideas in this review", qualified=False)
    return store.get(session_id, ActionIdea, idea_id)


# -- changes --------------------------------------------------------------------------------------


def add_action(
    store: Store,
    session_id: str,
    *,
    text: str,
    owner: str = "",
    area: FactorArea | None = None,
    due: date | None = None,
) -> ActionItem:
    """Add an action item to a review (one transaction); raises ValueError on bad input."""
    action = ActionItem(text=text.strip(), owner=owner.strip(), area=area, due=due)
    return store.add(session_id, action)


def set_action(
    store: Store,
    ref: str,
    *,
    status: ActionStatus | None = None,
    owner: str | None = None,
    due: date | Literal[Unchanged.UNCHANGED] | None = UNCHANGED,
) -> ActionItem:
    """Change the action ``ref`` names (as for :func:`find_action`); see :func:`change_action`."""
    session_id, action = find_action(store, ref)
    return change_action(store, session_id, action.id, status=status, owner=owner, due=due)


def change_action(
    store: Store,
    session_id: str,
    action_id: str,
    *,
    status: ActionStatus | None = None,
    owner: str | None = None,
    due: date | Literal[Unchanged.UNCHANGED] | None = UNCHANGED,
) -> ActionItem:
    """Change an action's status, owner (``""`` clears it) or due date (``None`` clears it).

    One transaction; the action's ``updated_at`` and its review's are set. With nothing to
    change, nothing is written and the action is returned as it is.
    """
    changes: dict[str, Any] = {}
    if status is not None:
        changes["status"] = status
    if owner is not None:
        changes["owner"] = owner.strip()
    if due is not UNCHANGED:
        changes["due"] = due
    if not changes:
        return store.get(session_id, ActionItem, action_id)
    return store.update(session_id, ActionItem, action_id, **changes)


def promote_idea(
    store: Store,
    session_id: str,
    idea_ref: str,
    *,
    owner: str = "",
    area: FactorArea | None = None,
    due: date | None = None,
) -> ActionItem:
    """Turn a parked idea into an action item, in one transaction.

    The action takes the idea's text and remembers the idea; the idea records the action.
    ``idea_ref`` is the idea's id or a unique prefix within the session. An idea that is
    already an action is refused (ValueError naming that action); nothing else changes.
    """
    idea = find_idea(store, session_id, idea_ref)
    action = ActionItem(text=idea.text, owner=owner.strip(), area=area, due=due, idea_id=idea.id)
    ideas = table_of(ActionIdea)
    with transaction(store.db):
        # Checked again under the write lock: another writer may have promoted it meanwhile.
        row = store.db.execute(
            f"SELECT action_id FROM [{ideas}] WHERE session_id = ? AND id = ?",
            [session_id, idea.id],
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no parked idea with id {idea.id!r} in this review")
        if row[0]:
            raise ValueError(f"idea {idea.id} is already action item {row[0]}")
        store._touch(session_id)
        store.db.execute(*_insert_sql(table_of(ActionItem), item_to_row(session_id, action)))
        store.db.execute(
            f"UPDATE [{ideas}] SET action_id = ? WHERE session_id = ? AND id = ?",
            [action.id, session_id, idea.id],
        )
    return action


# -- a tracker import -----------------------------------------------------------------------------


def title_of(text: str, width: int = TITLE_WIDTH) -> str:
    """The first non-blank line, shortened with an ellipsis to ``width`` characters."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    return first if len(first) <= width else first[: width - 1].rstrip() + "…"


def _label(text: str) -> str:
    return "-".join(text.replace(",", " ").split()).lower()


def labels_of(tracked: TrackedAction) -> list[str]:
    action = tracked.action
    labels = [
        "incident-review",
        f"area:{action.area.value}" if action.area else "",
        f"status:{action.status.value}",
        _label(tracked.session_severity),
    ]
    return [label for label in labels if label]


def description_of(tracked: TrackedAction) -> str:
    """The action's full text, where it came from, and how to open the review."""
    details = [
        part
        for part in (
            tracked.session_severity.strip(),
            tracked.incident_start.date().isoformat() if tracked.incident_start else "",
        )
        if part
    ]
    origin = f"From the incident review “{tracked.session_title}”"
    if details:
        origin += f" ({', '.join(details)})"
    lines = [
        # Only CR LF and CR become line breaks: other separators (VT, FF, NEL, U+2028 …) stay
        # in the text, so control characters are shown as symbols like everywhere else.
        *tracked.action.text.strip().replace("\r\n", "\n").replace("\r", "\n").split("\n"),
        "",
        origin + ".",
        f"Open it with: review-assistant open {tracked.session_id} "
        "(the review is kept in review-assistant's local database; it has no web address).",
    ]
    if tracked.idea_text:
        lines.append(f"It started as an idea parked during the review: “{tracked.idea_text}”.")
    if tracked.action.link:
        lines.append(f"Link: {tracked.action.link}")
    return "\n".join(lines)


def csv_rows(actions: list[TrackedAction], *, today: date) -> list[dict[str, str]]:
    """One row per action, keyed by :data:`CSV_COLUMNS`, for a tracker import.

    Control characters (a pasted ANSI escape, a stray carriage return) are shown as visible
    symbols, as in the terminal: they mean nothing in a tracker and the CSV may be printed.
    Cells a spreadsheet would run as a formula start with an apostrophe.
    """
    rows = []
    for tracked in actions:
        action = tracked.action
        row = {
            "title": title_of(action.text),
            "description": description_of(tracked),
            "owner": action.owner,
            "due_date": action.due.isoformat() if action.due else "",
            "status": action.status.value,
            "labels": ",".join(labels_of(tracked)),
            "review": tracked.session_title,
            "review_id": tracked.session_id,
            "action_id": action.id,
            "area": action.area.value if action.area else "",
            "created": local_day(action.created_at).isoformat(),
            "age_days": str(tracked.age_days(today)),
        }
        rows.append({column: inert_cell(printable(value)) for column, value in row.items()})
    return rows
