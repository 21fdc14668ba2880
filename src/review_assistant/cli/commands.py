"""What each ``review-assistant`` sub-command does."""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from review_assistant.cli.main import UsageError
from review_assistant.cli.render import list_text, review_json, review_text, summary_json
from review_assistant.domain.capture import CaptureError
from review_assistant.domain.models import (
    Participant,
    ReviewSession,
    SessionStatus,
    check_timezone,
    first_error,
)
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import printable
from review_assistant.domain.times import TimeError, parse_datetime
from review_assistant.store import Store, StoreError


class CommandError(Exception):
    """A command failed for a reason the user can act on (one line, exit status 1)."""


def run(args: argparse.Namespace) -> int:
    handler = HANDLERS.get(args.command or "home")
    if handler is None:  # pragma: no cover - argparse rejects unknown commands
        raise UsageError(f"unknown command {args.command!r}")
    try:
        return handler(args)
    except (StoreError, CaptureError, TimeError) as exc:
        raise CommandError(str(exc)) from None
    except sqlite3.Error as exc:
        raise CommandError(f"database error: {exc}; nothing more was written") from None
    except ValueError as exc:
        raise CommandError(_value_message(exc)) from None
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise CommandError(f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")) from None


def _value_message(exc: ValueError) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        where, message = first_error(exc)
        return f"{where}: {message}" if where else message
    return str(exc)


def _store(args: argparse.Namespace) -> Store:
    return Store.open(getattr(args, "data_dir", None))


def _out(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _print_json(data: Any) -> None:
    _out(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_home(args: argparse.Namespace) -> int:
    return _run_tui(args, None)


def cmd_open(args: argparse.Namespace) -> int:
    with _store(args) as store:
        session_id = store.resolve(args.session)
    return _run_tui(args, session_id)


def _run_tui(args: argparse.Namespace, session_id: str | None) -> int:
    from review_assistant.cli.assist import settings
    from review_assistant.paths import data_dir
    from review_assistant.tui.app import make_app

    directory = data_dir(getattr(args, "data_dir", None))
    _store(args).close()  # fail early, with a clear message, on a bad database
    make_app(directory, session_id=session_id, settings=settings(args)).run()
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    timezone = check_timezone(args.timezone)
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(timezone)
    started = parse_datetime(args.started, tz) if args.started else None
    ended = parse_datetime(args.ended, tz) if args.ended else None
    if started and ended and ended < started:
        raise CommandError("--ended is before --started")
    participants = [_participant(spec) for spec in args.participant]
    session = ReviewSession(
        title=args.title,
        severity=args.severity.strip(),
        summary=args.summary,
        timezone=timezone,
        incident_start=started,
        incident_end=ended,
        status=SessionStatus.PREPARING,
    )
    with _store(args) as store:
        store.create_session(session, participants)
    _out(session.id)
    return 0


def _participant(spec: str) -> Participant:
    name, sep, role = spec.partition(":")
    if not name.strip():
        raise CommandError(f"--participant {spec!r}: give it as NAME:ROLE, e.g. 'Alex Doe:on-call'")
    return Participant(name=name.strip(), role=role.strip() if sep else "")


def cmd_list(args: argparse.Namespace) -> int:
    with _store(args) as store:
        summaries = store.list_sessions()
    if args.json:
        _print_json([summary_json(s) for s in summaries])
    else:
        _out(list_text(summaries))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    with _store(args) as store:
        review = store.load_review(store.resolve(args.session))
    if args.json:
        _print_json(review_json(review))
    else:
        _out(review_text(review))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from review_assistant.recording import record

    text = sys.stdin.read() if args.text == ["-"] else " ".join(args.text)
    with _store(args) as store:
        session_id = store.resolve(args.session)
        phase = Phase(args.phase) if args.phase else None
        if phase is Phase.INTERVIEW:
            raise CommandError("interview notes belong to a participant's interview")
        recorded = record(store, session_id, text, phase=phase, who=args.who)
    for warning in recorded.warnings:
        print(f"review-assistant: note: {warning}", file=sys.stderr)
    _out(f"saved {recorded.describe()} (id {recorded.item.id})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with _store(args) as store:
        review = store.load_review(store.resolve(args.session))
    if args.format == "json":
        from review_assistant.exchange import export_json

        hide = bool(args.anonymise)
        document = export_json(review, anonymise=hide)
    else:
        from review_assistant.writeup.export import export_writeup, unnamed_people

        hide = args.anonymise is not False
        document = export_writeup(review, args.format, anonymise=hide)
    if hide:
        from review_assistant.writeup.export import unnamed_people

        for name in unnamed_people(review):
            print(
                f"note: {printable(name)!r} is not a participant, so it is left as written; "
                "add them as a participant (with a role) to anonymise it",
                file=sys.stderr,
            )
    if args.output:
        _write_atomically(Path(args.output), document)
        print(f"exported {review.session.id} to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(document)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    path = path.expanduser()
    handle, temp = tempfile.mkstemp(dir=path.parent or Path(), prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temp).replace(path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def cmd_import(args: argparse.Namespace) -> int:
    from review_assistant.exchange import ExchangeError, import_review

    if args.file == "-":
        text = sys.stdin.read()
    else:
        try:
            text = Path(args.file).read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{args.file} is not UTF-8 text") from None
    with _store(args) as store:
        try:
            session_id = import_review(store, text)
        except ExchangeError as exc:
            raise CommandError(f"{args.file}: {exc}") from None
    _out(session_id)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from review_assistant.demo import build_demo

    with _store(args) as store:
        if args.if_empty and store.list_sessions():
            return 0
        session_id = store.save_review(build_demo())
    _out(session_id)
    return 0


def cmd_guide(args: argparse.Namespace) -> int:
    from review_assistant.guidebook import load_guide

    _out(load_guide(args.phase).markdown)
    return 0


def cmd_questions(args: argparse.Namespace) -> int:
    from review_assistant.guidebook import Probe, question_bank

    try:
        tag = Probe(args.tag.strip().lower()) if args.tag else None
    except ValueError:
        tags = ", ".join(p.value for p in Probe)
        raise CommandError(f"unknown tag {args.tag!r}; tags are: {tags}") from None
    questions = [
        q
        for q in question_bank()
        if (args.phase is None or q.phase.value == args.phase) and (tag is None or tag in q.tags)
    ]
    if args.json:
        _print_json(
            [
                {"id": q.id, "phase": q.phase.value, "tags": sorted(q.tags), "text": q.text}
                for q in questions
            ]
        )
    else:
        _out("\n".join(f"{q.id:16} [{', '.join(sorted(q.tags))}] {q.text}" for q in questions))
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {
    "home": cmd_home,
    "open": cmd_open,
    "new": cmd_new,
    "list": cmd_list,
    "show": cmd_show,
    "add": cmd_add,
    "export": cmd_export,
    "import": cmd_import,
    "demo": cmd_demo,
    "guide": cmd_guide,
    "questions": cmd_questions,
    "suggest": lambda args: _assist("cmd_suggest", args),
    "draft": lambda args: _assist("cmd_draft", args),
    "doctor": lambda args: _assist("cmd_doctor", args),
    "timeline": lambda args: _lazy("timeline", "cmd_timeline", args),
    "lint": lambda args: _lazy("linting", "cmd_lint", args),
    "search": lambda args: _lazy("searching", "cmd_search", args),
    "actions": lambda args: _lazy("tracking", "cmd_actions", args),
    "action": lambda args: _lazy("tracking", "cmd_action", args),
}


def _lazy(module: str, name: str, args: argparse.Namespace) -> int:
    """Run a command whose module is imported only when it is used."""
    import importlib

    handler: Callable[[argparse.Namespace], int] = getattr(
        importlib.import_module(f"review_assistant.cli.{module}"), name
    )
    return handler(args)


def _assist(name: str, args: argparse.Namespace) -> int:
    from review_assistant.cli import assist

    handler: Callable[[argparse.Namespace], int] = getattr(assist, name)
    return handler(args)
