"""``timeline import``: events from a CSV file, a JSON file or a Slack export.

The exit status is 0 whenever the file could be read, even if some rows were bad: those
rows are listed (file:line and why) and every good row is imported, so fixing the file and
importing it again adds only the rows that were missing. A file that cannot be read at all
(missing, not UTF-8, not JSON, no header, unknown channel…) exits 1 with one error line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from review_assistant.cli.commands import CommandError, _out, _print_json, _store
from review_assistant.importers import TimelineImportError, import_timeline, report_text


def _path(text: str) -> Path:
    try:
        return Path(text).expanduser()
    except RuntimeError as exc:  # "~nosuchuser/…"
        raise CommandError(f"{text}: {exc}") from None


def cmd_timeline(args: argparse.Namespace) -> int:
    if args.timeline_command != "import":  # pragma: no cover - argparse allows only import
        raise CommandError(f"unknown timeline action {args.timeline_command!r}")
    with _store(args) as store:
        session_id = store.resolve(args.session)
        try:
            report = import_timeline(
                store,
                session_id,
                _path(args.file),
                fmt=args.import_format,
                channels=args.channel,
                bots=not args.no_bots,
                dry_run=args.dry_run,
            )
        except TimelineImportError as exc:
            raise CommandError(str(exc)) from None
    if args.json:
        _print_json(report.as_dict())
    else:
        _out(report_text(report))
    return 0
