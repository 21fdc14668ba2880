"""The command line's parser: every command, its arguments and their help.

Only the commands other than the plain start load it (the plain start skips it).
"""

from __future__ import annotations

import argparse
from typing import NoReturn

from review_assistant import __version__
from review_assistant.cli.errors import UsageError
from review_assistant.domain.phases import Phase


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see `{self.prog} --help`)")


PHASE_IDS = [p.value for p in Phase]


def build_parser() -> argparse.ArgumentParser:
    common = _Parser(add_help=False)
    common.add_argument(
        "--data-dir",
        default=argparse.SUPPRESS,
        help="folder holding the review database (default: $REVIEW_ASSISTANT_HOME, "
        "else the user data directory)",
    )
    assist = _Parser(add_help=False)
    assist.add_argument(
        "--provider",
        choices=["builtin", "openai"],
        default=argparse.SUPPRESS,
        help="assistant provider (default: builtin, or openai when an endpoint is configured)",
    )
    assist.add_argument("--model", default=argparse.SUPPRESS, help="model name for openai")
    assist.add_argument(
        "--base-url", default=argparse.SUPPRESS, help="OpenAI-compatible endpoint URL"
    )
    parser = _Parser(
        prog="review-assistant",
        description="Lead a blameless incident review from the terminal.",
        parents=[common, assist],
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help_text: str, *, assistant: bool = False) -> argparse.ArgumentParser:
        parents = [common, assist] if assistant else [common]
        return sub.add_parser(name, help=help_text, description=help_text, parents=parents)

    p = command("open", "open a review in the terminal app", assistant=True)
    p.add_argument("session", help="session id or unique prefix")

    p = command("new", "start a new review session and print its id")
    p.add_argument("--title", required=True)
    p.add_argument("--severity", default="")
    p.add_argument("--summary", default="")
    p.add_argument("--started", help="incident start, ISO-8601 (an offset, or read in --timezone)")
    p.add_argument("--ended", help="incident end, ISO-8601")
    p.add_argument("--timezone", default="UTC", help="IANA timezone of the incident (default UTC)")
    p.add_argument(
        "--participant",
        action="append",
        default=[],
        metavar="NAME:ROLE",
        help="a participant and their role; repeat for each person",
    )

    p = command("list", "list review sessions, most recently changed first")
    p.add_argument("--json", action="store_true")

    p = command("show", "show a review session")
    p.add_argument("session")
    p.add_argument("--json", action="store_true")

    p = command("add", "record a note using the capture syntax (see `guide`)")
    p.add_argument("session")
    p.add_argument("--phase", choices=PHASE_IDS, help="phase of a plain note (default: current)")
    p.add_argument("--who", default="", help="who a timeline event is about")
    p.add_argument("text", nargs="+", help="the note; `-` reads it from standard input")

    p = command(
        "export",
        "export a review: the whole session as JSON, or the write-up as Markdown or HTML",
    )
    p.add_argument("session")
    p.add_argument(
        "--format",
        choices=["json", "md", "html"],
        default="json",
        help="json: the whole session, lossless (for `import`); md, html: the write-up",
    )
    p.add_argument(
        "--anonymise",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="replace participants' names by their alias or role (default: on for md and html, "
        "off for json)",
    )
    p.add_argument("-o", "--output", help="write to this file instead of standard output")

    p = command("timeline", "work with a review's timeline")
    timeline = p.add_subparsers(dest="timeline_command", metavar="ACTION", parser_class=_Parser)
    timeline.required = True
    t = timeline.add_parser(
        "import",
        parents=[common],
        help="import timeline events from CSV, JSON or a Slack export folder",
        description="Import timeline events from a CSV file (header at,kind,text[,who,source]), "
        "a JSON file (a list of {at, kind, text, who} objects, or such a list under "
        '"timeline") or a Slack export (the workspace folder, or one channel\'s folder). '
        "Bad rows are reported and skipped; importing the same file again adds nothing twice.",
    )
    t.add_argument("session", help="session id or unique prefix")
    t.add_argument("file", help="a .csv or .json file, or a Slack export folder")
    t.add_argument(
        "--format",
        dest="import_format",
        choices=["auto", "csv", "json", "slack"],
        default="auto",
        help="what the file is (default: from its name; a folder is a Slack export)",
    )
    t.add_argument(
        "--channel", action="append", default=[], help="Slack: only this channel (repeatable)"
    )
    t.add_argument("--no-bots", action="store_true", help="Slack: leave out messages from bots")
    t.add_argument("--dry-run", action="store_true", help="report what would be imported")
    t.add_argument("--json", action="store_true", help="print the report as JSON")

    p = command("lint", "check a review's wording for blame and hindsight, and its action items")
    p.add_argument("session")
    p.add_argument("--json", action="store_true")

    p = command("search", "full-text search over every review's notes, events, factors, …")
    p.add_argument("query", nargs="+", help='words to find (all must match; "a phrase" in quotes)')
    p.add_argument("--limit", type=int, default=50, help="at most this many results (default 50)")
    p.add_argument("--json", action="store_true")

    p = command("actions", "list action items across every review")
    p.add_argument("--status", choices=["open", "in-progress", "done", "dropped"])
    p.add_argument("--owner", help="only this owner (case-insensitive)")
    p.add_argument("--overdue", action="store_true", help="only open work past its due date")
    form = p.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true")
    form.add_argument("--csv", action="store_true", help="columns for a tracker import")

    p = command("action", "add, change or promote one action item")
    action = p.add_subparsers(dest="action_command", metavar="ACTION", parser_class=_Parser)
    action.required = True
    a = action.add_parser("add", parents=[common], help="add an action item; prints its id")
    a.add_argument("session")
    a.add_argument("text")
    a.add_argument("--owner", default="")
    a.add_argument("--area", choices=["avoid", "detect", "fix"])
    a.add_argument("--due", help="YYYY-MM-DD")
    a = action.add_parser(
        "set", parents=[common], help="change an action item's status, owner or due date"
    )
    a.add_argument("id", help="the action's id (or a unique prefix)")
    a.add_argument("--status", choices=["open", "in-progress", "done", "dropped"])
    a.add_argument("--owner")
    a.add_argument("--due", help="YYYY-MM-DD, or 'none' to clear it")
    a = action.add_parser(
        "promote", parents=[common], help="turn a parked idea into an action item"
    )
    a.add_argument("session")
    a.add_argument("idea_id")
    a.add_argument("--owner", default="")
    a.add_argument("--area", choices=["avoid", "detect", "fix"])
    a.add_argument("--due", help="YYYY-MM-DD")

    p = command("import", "import a session exported with `export --format json`")
    p.add_argument("file", help="the JSON file; `-` reads standard input")

    p = command("demo", "create a fictional demo review and print its id")
    p.add_argument("--if-empty", action="store_true", help="only when there are no reviews yet")

    p = command("guide", "print the facilitator guide for a phase")
    p.add_argument("phase", nargs="?", choices=PHASE_IDS, default="level-set")

    p = command("suggest", "suggest probing questions for a review's phase", assistant=True)
    p.add_argument("session")
    p.add_argument("--phase", choices=PHASE_IDS, help="default: the phase the review is in")
    p.add_argument("--json", action="store_true")

    p = command("draft", "draft a summary or the full write-up", assistant=True)
    p.add_argument("session")
    p.add_argument("--kind", choices=["summary", "writeup"], default="summary")

    command("doctor", "show the assistant's configuration and try one tiny call", assistant=True)

    p = command("questions", "list the question bank")
    p.add_argument("--phase", choices=PHASE_IDS)
    p.add_argument("--tag", help="only questions that probe this (e.g. judgement, gap, detect)")
    p.add_argument("--json", action="store_true")
    return parser
