"""Reading a timeline file of any supported format, and adding what it holds to a review."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from review_assistant.domain.models import ReviewSession, TimelineEvent
from review_assistant.domain.text import counted, printable
from review_assistant.importers.common import ParsedTimeline, Problem, TimelineImportError
from review_assistant.importers.slack import read_slack
from review_assistant.importers.tabular import read_csv, read_json
from review_assistant.store import Store

FORMATS = ("auto", "csv", "json", "slack")


def detect_format(path: Path, fmt: str = "auto") -> str:
    """``csv``, ``json`` or ``slack``: as asked, else from the path (a folder is Slack)."""
    if fmt not in FORMATS:
        raise TimelineImportError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not path.exists():
        raise TimelineImportError(f"{path}: no such file or folder")
    if fmt != "auto":
        return fmt
    if path.is_dir():
        return "slack"
    suffix = path.suffix.lower()
    if suffix in {".csv", ".json"}:
        return suffix[1:]
    try:
        with path.open("rb") as stream:
            head = stream.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except OSError as exc:
        raise TimelineImportError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    return "json" if head[:1] in (b"[", b"{") else "csv"


def read_timeline(
    path: Path,
    session: ReviewSession,
    *,
    fmt: str = "auto",
    channels: Sequence[str] = (),
    bots: bool = True,
) -> ParsedTimeline:
    """Read a CSV file, a JSON file or a Slack export into events for ``session``.

    Nothing is stored. Rows that cannot be read are in ``problems``; a file that cannot be
    read at all raises :class:`TimelineImportError`.
    """
    kind = detect_format(path, fmt)
    shown = path.name or str(path)
    if kind == "slack":
        return read_slack(path, shown, session, channels=channels, bots=bots)
    parsed = read_csv(path, shown, session) if kind == "csv" else read_json(path, shown, session)
    if channels:
        parsed.warnings.insert(0, "--channel only applies to Slack exports; ignored it")
    if not bots:
        parsed.warnings.insert(0, "--no-bots only applies to Slack exports; ignored it")
    return parsed


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    format: str
    file: str
    added: int
    already: int
    repeated: int
    problems: list[Problem] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False
    events: list[TimelineEvent] = field(default_factory=list)

    @property
    def duplicates(self) -> int:
        """Rows left out as already in the review, or repeated within the file."""
        return self.already + self.repeated

    def as_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "dry_run": self.dry_run,
            "added": self.added,
            "duplicates": self.duplicates,
            "already_in_review": self.already,
            "repeated_in_file": self.repeated,
            "problems": [problem.as_dict() for problem in self.problems],
            "skipped": dict(self.skipped),
            "warnings": list(self.warnings),
        }


def import_timeline(
    store: Store,
    session_id: str,
    path: Path,
    *,
    fmt: str = "auto",
    channels: Sequence[str] = (),
    bots: bool = True,
    dry_run: bool = False,
) -> ImportReport:
    """Read ``path`` and add its events to the session in one transaction.

    Events whose import key is already in the session are left out, so importing the same
    file again adds nothing, even after imported events were edited. With ``dry_run``
    nothing is written and ``added`` is what would be added.
    """
    session = store.get_session(session_id)
    parsed = read_timeline(path, session, fmt=fmt, channels=channels, bots=bots)
    if dry_run:
        known = {e.import_key for e in store.items(session_id, TimelineEvent) if e.import_key}
        added = [event for event in parsed.events if event.import_key not in known]
    else:
        added = store.add_events(session_id, parsed.events)
    return ImportReport(
        format=parsed.format,
        file=path.name or str(path),
        added=len(added),
        already=len(parsed.events) - len(added),
        repeated=parsed.repeated,
        problems=parsed.problems,
        skipped=parsed.skipped,
        warnings=parsed.warnings,
        dry_run=dry_run,
        events=added,
    )


#: At most this many problems are listed; ``--json`` lists them all.
SHOWN_PROBLEMS = 50


def report_text(report: ImportReport) -> str:
    """The import report for people: a summary line, then problems, skips and warnings."""
    verb = "would import" if report.dry_run else "imported"
    head = f"{verb} {counted(report.added, 'event')} from {report.file} ({report.format})"
    if report.already:
        head += f"; {report.already} already in the review"
    if report.repeated:
        head += f"; {counted(report.repeated, 'row')} repeated in the file"
    if report.problems:
        what = "problem" if report.format == "slack" else "row"
        skipped = "" if report.format == "slack" else " skipped"
        head += f"; {counted(len(report.problems), what)}{skipped}:"
    lines = [head]
    lines += [f"  {problem}" for problem in report.problems[:SHOWN_PROBLEMS]]
    hidden = len(report.problems) - SHOWN_PROBLEMS
    if hidden > 0:
        lines.append(f"  … and {hidden} more (--json lists them all)")
    if report.skipped:
        left_out = ", ".join(f"{what}: {number}" for what, number in report.skipped.items())
        lines.append(f"left out: {left_out}")
    lines += [f"warning: {warning}" for warning in report.warnings]
    if report.dry_run:
        lines.append("dry run: nothing was saved")
    return "\n".join(printable(line) for line in lines)
