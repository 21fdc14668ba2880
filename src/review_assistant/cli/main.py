"""Error handling for ``review-assistant``, and the plain start of the app."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from review_assistant import collector
from review_assistant.cli.errors import UsageError

__all__ = ["UsageError", "main"]


def _home_only(argv: Sequence[str]) -> tuple[bool, str | None]:
    """Is this the plain start of the app (no command, no assistant flags)? And the data
    directory given, if any. Checked without building the whole parser."""
    if not argv:
        return True, None
    if len(argv) == 2 and argv[0] == "--data-dir" and not argv[1].startswith("-"):
        return True, argv[1]
    if len(argv) == 1 and argv[0].startswith("--data-dir="):
        return True, argv[0].split("=", 1)[1]
    return False, None


def _quick_home(data_dir_flag: str | None) -> bool:
    """Start the app on its home screen without loading the other commands' modules, when
    nothing needs checking first: a database at the current schema. False when the full
    start is needed (it migrates the database, or says what is wrong)."""
    from review_assistant.paths import DB_NAME, data_dir
    from review_assistant.store.listing import peek

    directory = data_dir(data_dir_flag)
    summaries = peek(directory / DB_NAME)
    if summaries is None:
        return False
    from review_assistant.tui.app import make_app

    make_app(directory, summaries=summaries).run()  # the list just read is the first shown
    return True


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        home, data_dir_flag = _home_only(arguments)
        if home:
            collector.hold()  # the app turns it back on once the home screen is up
            try:
                if _quick_home(data_dir_flag):
                    return 0
            finally:
                collector.resume()
        from review_assistant.cli.parser import build_parser

        args = build_parser().parse_args(arguments)
    except UsageError as exc:
        _fail(str(exc))
        return 2
    except KeyboardInterrupt:
        return 130

    from review_assistant.cli import commands
    from review_assistant.cli.assist import AssistFailed

    try:
        return commands.run(args)
    except UsageError as exc:
        _fail(str(exc))
        return 2
    except (commands.CommandError, AssistFailed) as exc:
        _fail(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 1


def _fail(message: str) -> None:
    from review_assistant.domain.text import printable

    print(f"review-assistant: error: {printable(message)}", file=sys.stderr)
