"""Full-text search over every review's notes, timeline events, factors, learnings and actions.

Each of those tables has an external-content FTS5 index (``notes_fts`` …, schema version 4)
that triggers keep in step with every insert, edit and delete, including the cascade when a
whole session is deleted. Searching never changes anything.

What the user types is never handed to FTS5 as query syntax: :func:`parse_query` turns it into
terms that are all required (AND). A word ending in ``*`` matches as a prefix, ``"a phrase"``
matches those words in that order, and nothing else is special — quotes that do not pair,
``NEAR(``, ``-word``, ``col:word`` and brackets are just text. Matching ignores case and
diacritics (``cafe`` finds ``Café``).

Results come newest first: by the event's time for timeline events, by when the item was
written for the rest; ties are broken by item id, then session id (all descending). Each table
is asked only for its own newest ``limit`` matches and the few lists are merged, so the cost
stays small however many items match.

A hit's :attr:`Hit.snippet` is a one-line excerpt of the text around the first match, with each
matching word between :data:`MARK_START` and :data:`MARK_END`. Those two control characters are
taken out of the stored text first, so in a snippet they only ever mark matches. Split a
snippet with :func:`snippet_parts` to style it, or use :func:`mark` for plain text.

Note: the indexes refer to rows by their implicit rowid, which ``VACUUM`` may renumber; after a
``VACUUM``, call :func:`rebuild_index`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlite_utils

from review_assistant.domain.phases import Phase
from review_assistant.store.repository import Store

#: Put before each matching word in :attr:`Hit.snippet` (STX).
MARK_START = "\x02"
#: Put after each matching word in :attr:`Hit.snippet` (ETX).
MARK_END = "\x03"

#: At most this many distinct terms in one query.
MAX_TERMS = 32
#: About this many characters of text in a snippet (plus the marks and ellipses).
SNIPPET_CHARS = 160

Kind = Literal["note", "event", "factor", "learning", "action"]

#: The FTS5 index of each searchable table; created by migration 4.
INDEXED_TABLES: tuple[str, ...] = ("notes", "events", "factors", "learnings", "actions")


@dataclass(frozen=True, slots=True)
class Hit:
    """One matching item, with what a result list needs to show it and to open it."""

    session_id: str
    session_title: str
    kind: Kind
    item_id: str
    #: Where the item lives: a note's phase; timeline (or interview) for an event; factors;
    #: sense-making for a learning (it is captured there); actions for an action item.
    phase: Phase
    text: str
    #: One line around the first match; matching words between MARK_START and MARK_END.
    snippet: str
    #: The time results are ordered by (an event's time, else when the item was written),
    #: in the review's timezone.
    at: datetime
    #: Set when the item belongs to a participant's pre-meeting interview.
    interview_id: str | None = None


@dataclass(frozen=True, slots=True)
class Term:
    """One required part of a query: a word, or a phrase (several words in order)."""

    #: What FTS5 is given: the user's text, with control characters removed.
    text: str
    #: The words as matching compares them (case and diacritics folded), for snippets.
    words: tuple[str, ...]
    #: The last word matches as a prefix.
    prefix: bool = False

    def fts(self) -> str:
        quoted = '"' + self.text.replace('"', '""') + '"'
        return quoted + " *" if self.prefix else quoted


@dataclass(frozen=True, slots=True)
class _Source:
    kind: Kind
    table: str
    #: The column results are ordered by (fixed-width UTC text, so it sorts as time).
    time: str
    #: The index on that column (created by migration 4).
    index: str
    columns: str


_SOURCES: tuple[_Source, ...] = (
    _Source("note", "notes", "created_at", "notes_by_time", "t.phase, t.interview_id"),
    _Source("event", "events", "at_utc", "events_by_at", "NULL AS phase, t.interview_id"),
    _Source(
        "factor", "factors", "created_at", "factors_by_time", "NULL AS phase, NULL AS interview_id"
    ),
    _Source(
        "learning",
        "learnings",
        "created_at",
        "learnings_by_time",
        "NULL AS phase, NULL AS interview_id",
    ),
    _Source(
        "action", "actions", "created_at", "actions_by_time", "NULL AS phase, NULL AS interview_id"
    ),
)
_FIXED_PHASE: dict[Kind, Phase] = {
    "factor": Phase.FACTORS,
    "learning": Phase.SENSE_MAKING,
    "action": Phase.ACTIONS,
}

#: With at most this many matches in a table (or five times the limit, if more), read them
#: all and sort; with more, walk the table's time index from the newest row and stop after
#: ``limit`` matches. Reading and sorting costs about ten times more per match than building
#: the set of matches the walk checks against; the walk is long only when matches are few.
_FEW = 250

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WORD = re.compile(r"[^\W_]+")
_PIECE = re.compile(r'"([^"]*)"?|[^\s"]+')
_SPACE = re.compile(r"\s+")


def fold(word: str) -> str:
    """A word as matching compares it: diacritics removed, case folded."""
    if word.isascii():
        return word.lower()
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> tuple[str, ...]:
    return tuple(fold(w) for w in _WORD.findall(unicodedata.normalize("NFC", text)))


def parse_query(query: str) -> tuple[Term, ...]:
    """The required terms of what the user typed; raises ValueError if there is no word in it."""
    cleaned = _CONTROL.sub(" ", query)
    terms: dict[str, Term] = {}
    for match in _PIECE.finditer(cleaned):
        phrase = match.group(1)
        raw = match.group(0) if phrase is None else phrase
        prefix = raw.rstrip().endswith("*")
        body = raw.rstrip().rstrip("*").strip() if prefix else raw.strip()
        words = _words(body)
        if not words:
            continue
        term = Term(" ".join(body.split()), words, prefix)
        terms.setdefault(term.fts(), term)
    if not terms:
        raise ValueError("give at least one word")
    if len(terms) > MAX_TERMS:
        raise ValueError(f"too many words: at most {MAX_TERMS}")
    return tuple(terms.values())


def fts_query(terms: tuple[Term, ...]) -> str:
    """The FTS5 MATCH expression: every term required."""
    return " AND ".join(term.fts() for term in terms)


def search(source: Store | sqlite_utils.Database, query: str, *, limit: int = 50) -> list[Hit]:
    """Items of every review that contain all the query's words, newest first.

    Raises ValueError if the query has no word to look for.
    """
    terms = parse_query(query)
    if limit <= 0:
        return []
    db = source.db if isinstance(source, Store) else source
    match = fts_query(terms)
    rows: list[tuple[tuple[str, str, str, str], _Source, dict[str, Any]]] = []
    for src in _SOURCES:
        for row in _newest(db, src, match, limit):
            key = (row["t"], row["id"], row["session_id"], src.kind)
            rows.append((key, src, row))
    rows.sort(key=lambda entry: entry[0], reverse=True)
    zones: dict[str, ZoneInfo] = {}
    return [_hit(src, row, terms, zones) for _, src, row in rows[:limit]]


def _newest(
    db: sqlite_utils.Database, src: _Source, match: str, limit: int
) -> Iterator[dict[str, Any]]:
    """The ``limit`` newest rows of one table that match, newest first."""
    fts = f"{src.table}_fts"
    few = max(_FEW, 5 * limit)
    found = db.execute(
        f"SELECT count(*) FROM (SELECT rowid FROM {fts} WHERE {fts} MATCH ? LIMIT ?)",
        [match, few + 1],
    ).fetchone()[0]
    if not found:
        return iter(())
    order = f"x.{src.time} DESC, x.id DESC, x.session_id DESC"
    if found <= few:  # few matches: read them all, sort, keep the newest
        newest = (
            f"SELECT x.rowid AS r, x.{src.time} AS t FROM {fts} f "
            f"JOIN {src.table} x ON x.rowid = f.rowid WHERE {fts} MATCH ? ORDER BY {order} LIMIT ?"
        )
    else:  # many: walk the time index from the newest row, stop after `limit` matches
        newest = (
            f"SELECT x.rowid AS r, x.{src.time} AS t FROM {src.table} x INDEXED BY {src.index} "
            f"WHERE x.rowid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?) "
            f"ORDER BY {order} LIMIT ?"
        )
    sql = (
        f"SELECT t.session_id, t.id, k.t, t.text, {src.columns}, "
        "s.title AS session_title, s.timezone AS session_timezone "
        f"FROM ({newest}) k JOIN {src.table} t ON t.rowid = k.r "
        "JOIN sessions s ON s.id = t.session_id"
    )
    return db.query(sql, [match, limit])


def _hit(
    src: _Source, row: dict[str, Any], terms: tuple[Term, ...], zones: dict[str, ZoneInfo]
) -> Hit:
    interview_id = row["interview_id"]
    if src.kind == "note":
        phase = Phase(row["phase"])
    elif src.kind == "event":
        phase = Phase.INTERVIEW if interview_id else Phase.TIMELINE
    else:
        phase = _FIXED_PHASE[src.kind]
    text = str(row["text"])
    return Hit(
        session_id=row["session_id"],
        session_title=row["session_title"],
        kind=src.kind,
        item_id=row["id"],
        phase=phase,
        text=text,
        snippet=make_snippet(text, terms),
        at=_moment(row["t"], row["session_timezone"], zones),
        interview_id=interview_id,
    )


def _moment(stamp: str, timezone: str, zones: dict[str, ZoneInfo]) -> datetime:
    moment = datetime.fromisoformat(stamp)
    if moment.tzinfo is None:  # pragma: no cover - every stored stamp carries its offset
        moment = moment.replace(tzinfo=UTC)
    zone = zones.get(timezone)
    if zone is None:
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - checked on write
            zone = ZoneInfo("UTC")
        zones[timezone] = zone
    return moment.astimezone(zone)


def make_snippet(text: str, terms: tuple[Term, ...], width: int = SNIPPET_CHARS) -> str:
    """One line of ``text`` around its first matching word, matches marked."""
    exact = {word for term in terms for word in (term.words[:-1] if term.prefix else term.words)}
    prefixes = tuple(term.words[-1] for term in terms if term.prefix)
    clean = text.replace(MARK_START, "\ufffd").replace(MARK_END, "\ufffd")

    def matches(word: str) -> bool:
        folded = fold(word)
        return folded in exact or folded.startswith(prefixes)

    first = next((m for m in _WORD.finditer(clean) if matches(m.group(0))), None)
    start = 0 if first is None else max(0, first.start() - width // 3)
    if start:
        space = clean.find(" ", start, first.start() if first else start)
        start = space + 1 if space != -1 else start
    end = min(len(clean), start + width)
    if end < len(clean):
        space = clean.rfind(" ", start + width // 2, end)
        end = space if space != -1 else end

    def marked(m: re.Match[str]) -> str:
        word = m.group(0)
        return f"{MARK_START}{word}{MARK_END}" if matches(word) else word

    body = _SPACE.sub(" ", _WORD.sub(marked, clean[start:end])).strip()
    return ("…" if start else "") + body + ("…" if end < len(clean) else "")


def snippet_parts(snippet: str) -> list[tuple[str, bool]]:
    """A snippet as pieces of text, each with whether it is a match; for styling."""
    parts: list[tuple[str, bool]] = []
    for piece in snippet.split(MARK_START):
        inside, sep, after = piece.partition(MARK_END)
        if sep:
            parts.append((inside, True))
            if after:
                parts.append((after, False))
        elif piece:
            parts.append((piece, False))
    return parts


def mark(snippet: str, before: str = "**", after: str = "**") -> str:
    """A snippet with its marks replaced by plain text, e.g. ``**match**``."""
    return snippet.replace(MARK_START, before).replace(MARK_END, after)


def rebuild_index(source: Store | sqlite_utils.Database) -> None:
    """Re-read every searchable table into its index (after a VACUUM, or to repair it)."""
    from review_assistant.store.database import transaction

    db = source.db if isinstance(source, Store) else source
    with transaction(db):
        for table in INDEXED_TABLES:
            db.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")
