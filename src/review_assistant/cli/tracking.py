"""``actions`` and ``action``: action items across every review.

``actions`` lists them (open and in progress unless ``--status`` says otherwise) as a table,
as JSON, or as CSV for a tracker import. ``action add|set|promote`` change one at a time and
print only what a script needs (the id), or the changed action on one line.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from datetime import date
from typing import Any, Literal

from review_assistant.cli.commands import CommandError, _out, _print_json, _store
from review_assistant.domain.models import ActionItem, ActionStatus, FactorArea
from review_assistant.domain.text import counted, one_line, printable
from review_assistant.store.tracking import (
    CSV_COLUMNS,
    UNCHANGED,
    TrackedAction,
    Unchanged,
    change_action,
    csv_rows,
    find_action,
    list_actions,
)
from review_assistant.store.tracking import add_action as store_add_action
from review_assistant.store.tracking import promote_idea as store_promote_idea

#: What ``--owner`` and ``--due`` take to mean "nobody" / "no date".
NONE_WORDS = frozenset({"none", "-"})

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_due(value: str, option: str = "--due") -> date:
    text = value.strip()
    problem = "use YYYY-MM-DD"
    if _DATE.match(text):
        try:
            return date.fromisoformat(text)
        except ValueError as exc:
            problem = str(exc)
    raise CommandError(f"{option} {value!r} is not a date ({problem})")


def _due_option(
    value: str | None, *, clearable: bool
) -> date | Literal[Unchanged.UNCHANGED] | None:
    """The date given, ``None`` for "none" (where clearing makes sense), or UNCHANGED."""
    if value is None:
        return UNCHANGED
    if value.strip().lower() in NONE_WORDS:
        if clearable:
            return None
        raise CommandError("--due none only applies to `action set`; leave --due out instead")
    return parse_due(value)


def _area(value: str | None) -> FactorArea | None:
    return FactorArea(value) if value else None


def _owner_option(value: str | None) -> str | None:
    """``None`` if not given; ``""`` (nobody) for "none"; else the owner."""
    if value is None:
        return None
    return "" if value.strip().lower() in NONE_WORDS else value


# -- actions ----------------------------------------------------------------------------------


def action_json(tracked: TrackedAction, today: date) -> dict[str, Any]:
    action = tracked.action
    return {
        "id": action.id,
        "session_id": tracked.session_id,
        "session_title": tracked.session_title,
        "session_severity": tracked.session_severity,
        "incident_start": tracked.incident_start.isoformat() if tracked.incident_start else None,
        "text": action.text,
        "area": action.area.value if action.area else None,
        "owner": action.owner,
        "due": action.due.isoformat() if action.due else None,
        "status": action.status.value,
        "link": action.link,
        "idea_id": action.idea_id,
        "idea_text": tracked.idea_text,
        "created_at": action.created_at.isoformat(),
        "updated_at": action.updated_at.isoformat(),
        "age_days": tracked.age_days(today),
        "overdue": tracked.overdue(today),
    }


def _cell(text: str, width: int) -> str:
    return f"{one_line(text, width):{width}}"


def actions_text(actions: list[TrackedAction], today: date, *, filtered: bool) -> str:
    """The table people read: one line per action."""
    if not actions:
        if filtered:
            return "No action items match."
        return "No open action items. Add one with `review-assistant action add SESSION TEXT`."
    header = (
        f"{'id':8}  {'due':18}  {'status':11}  {'age':>5}  {'area':6}  {'owner':18}  "
        f"{'review':26}  action"
    )
    rows = [header]
    for tracked in actions:
        action = tracked.action
        due = action.due.isoformat() if action.due else "—"
        if tracked.overdue(today):
            due += " overdue"
        rows.append(
            f"{printable(action.id[:8]):8}  {due:18}  {action.status.value:11}  "
            f"{tracked.age_days(today):>4}d  {action.area.value if action.area else '—':6}  "
            f"{_cell(action.owner or '—', 18)}  {_cell(tracked.session_title, 26)}  "
            f"{one_line(action.text, 60)}"
        )
    overdue = sum(1 for t in actions if t.overdue(today))
    rows.append(f"{counted(len(actions), 'action')} · {overdue} overdue")
    return "\n".join(rows)


def write_csv(actions: list[TrackedAction], today: date) -> None:
    # The csv module ends rows with \r\n and quotes cells holding line breaks, so a
    # multi-line description stays one record; newline="" keeps Python from adding more.
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(newline="")
    writer = csv.DictWriter(sys.stdout, fieldnames=list(CSV_COLUMNS), quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows(csv_rows(actions, today=today))
    sys.stdout.flush()


def cmd_actions(args: argparse.Namespace) -> int:
    today = date.today()
    status = ActionStatus(args.status) if args.status else None
    owner = _owner_option(args.owner)
    with _store(args) as store:
        actions = list_actions(store, status=status, owner=owner, overdue=args.overdue, today=today)
    if args.json:
        _print_json([action_json(t, today) for t in actions])
    elif args.csv:
        write_csv(actions, today)
    else:
        filtered = status is not None or owner is not None or bool(args.overdue)
        _out(actions_text(actions, today, filtered=filtered))
    return 0


# -- action add | set | promote ------------------------------------------------------------------


def action_line(session_id: str, action: ActionItem) -> str:
    """One line describing an action, for ``action set``."""
    due = action.due.isoformat() if action.due else "no due date"
    area = action.area.value if action.area else "no area"
    owner = printable(action.owner) if action.owner else "no owner"
    return (
        f"{printable(action.id)} [{action.status.value}] {one_line(action.text, 70)} "
        f"({area}; {owner}; due {due}) in review {printable(session_id)}"
    )


def cmd_action(args: argparse.Namespace) -> int:
    command = args.action_command
    if command == "add":
        return _add(args)
    if command == "set":
        return _set(args)
    if command == "promote":
        return _promote(args)
    raise CommandError(f"unknown action command {command!r}")  # pragma: no cover - argparse


def _add(args: argparse.Namespace) -> int:
    due = _due_option(args.due, clearable=False)
    with _store(args) as store:
        session_id = store.resolve(args.session)
        action = store_add_action(
            store,
            session_id,
            text=args.text,
            owner=args.owner,
            area=_area(args.area),
            due=None if due is UNCHANGED else due,
        )
    _out(action.id)
    return 0


def _set(args: argparse.Namespace) -> int:
    due = _due_option(args.due, clearable=True)
    if args.status is None and args.owner is None and due is UNCHANGED:
        raise CommandError("nothing to change: give --status, --owner or --due")
    with _store(args) as store:
        session_id, found = find_action(store, args.id)
        action = change_action(
            store,
            session_id,
            found.id,
            status=ActionStatus(args.status) if args.status else None,
            owner=_owner_option(args.owner),
            due=due,
        )
    _out(action_line(session_id, action))
    return 0


def _promote(args: argparse.Namespace) -> int:
    due = _due_option(args.due, clearable=False)
    with _store(args) as store:
        session_id = store.resolve(args.session)
        action = store_promote_idea(
            store,
            session_id,
            args.idea_id,
            owner=args.owner,
            area=_area(args.area),
            due=None if due is UNCHANGED else due,
        )
    _out(action.id)
    return 0
