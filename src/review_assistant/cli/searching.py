"""``review-assistant search QUERY… [--limit N] [--json]``: full-text search over every review.

Every word must match (case and diacritics do not matter); ``word*`` matches a prefix and
``"two words"`` a phrase. A single argument with spaces in it — ``search "connection pool"``
after the shell has taken the quotes away — is searched as a phrase too.

Text output: one block per match, newest first::

    <review title> [<session id>] · <phase> · <kind> · <time in the review's timezone>
      <the text around the match, matching words [in brackets] (bold on a terminal)>

``--json``: a list of objects with ``session``, ``title``, ``kind`` (note, event, factor,
learning, action), ``item_id``, ``phase``, ``interview_id``, ``at`` (ISO 8601 with offset),
``text`` (the whole item) and ``snippet`` (one line around the first match, each matching word
between ``**`` and ``**``).

No match is not an error: the exit status is 0 and the output says so (``[]`` with ``--json``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from review_assistant.cli.commands import CommandError, _out, _print_json, _store
from review_assistant.domain.phases import phase_def
from review_assistant.domain.text import counted, printable
from review_assistant.store.search import Hit, mark, search, snippet_parts

BOLD, NORMAL = "\x1b[1m", "\x1b[22m"


def cmd_search(args: argparse.Namespace) -> int:
    """Print the newest items of every review that match the query."""
    query = " ".join(_argument(word) for word in args.query)
    limit = int(args.limit)
    if limit < 1:
        raise CommandError("--limit must be at least 1")
    with _store(args) as store:
        try:
            hits = search(store, query, limit=limit)
        except ValueError as exc:
            raise CommandError(f"search: {exc}") from None
    if args.json:
        _print_json([hit_json(hit) for hit in hits])
    else:
        _out(hits_text(hits, limit, bold=_bold()))
    return 0


def _argument(word: str) -> str:
    """One command-line argument as query text: with spaces and no quotes, it is a phrase."""
    if '"' not in word and len(word.split()) > 1:
        return f'"{word}"'
    return word


def _bold() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def hits_text(hits: list[Hit], limit: int, *, bold: bool = False) -> str:
    """The human listing: a header line and the marked snippet per hit, newest first."""
    if not hits:
        return "No matches."
    before, after = (BOLD, NORMAL) if bold else ("[", "]")
    blocks = []
    for hit in hits:
        header = " · ".join(
            (
                f"{printable(hit.session_title)} [{hit.session_id}]",
                phase_def(hit.phase).title,
                hit.kind,
                hit.at.strftime("%Y-%m-%d %H:%M %Z"),
            )
        )
        body = "".join(
            f"{before}{printable(text)}{after}" if matched else printable(text)
            for text, matched in snippet_parts(hit.snippet)
        )
        blocks.append(f"{header}\n  {body}")
    footer = counted(len(hits), "match", "matches") + ", newest first"
    if len(hits) >= limit:
        footer += f" (only the newest {limit}; --limit N shows more)"
    return "\n\n".join(blocks) + "\n\n" + footer + "."


def hit_json(hit: Hit) -> dict[str, Any]:
    return {
        "session": hit.session_id,
        "title": hit.session_title,
        "kind": hit.kind,
        "item_id": hit.item_id,
        "phase": hit.phase.value,
        "interview_id": hit.interview_id,
        "at": hit.at.isoformat(),
        "text": hit.text,
        "snippet": mark(hit.snippet, "**", "**"),
    }
