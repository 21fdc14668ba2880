"""Full-text search: what it finds, in what order, and that triggers keep the index current.

Every test works on a real SQLite file. Where an edit or a delete must reach the index, the
FTS5 table is also asked directly: a stale index entry would be hidden by the join with the
content table, but would come back as a wrong hit once its rowid is reused.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlite_utils

from review_assistant.domain.models import (
    ActionItem,
    ActionStatus,
    Factor,
    FactorArea,
    Interview,
    Learning,
    Note,
    Participant,
    ReviewSession,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.store import Store, database
from review_assistant.store.migrations import LATEST, MIGRATIONS
from review_assistant.store.search import (
    INDEXED_TABLES,
    MARK_END,
    MARK_START,
    Hit,
    mark,
    parse_query,
    rebuild_index,
    search,
    snippet_parts,
)

T0 = datetime(2026, 3, 12, 14, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_review(store: Store, title: str, timezone: str = "UTC") -> str:
    session = ReviewSession(title=title, timezone=timezone)
    store.create_session(session)
    return session.id


def index_count(store: Store, table: str, query: str) -> int:
    """Matches in the FTS index itself, without the join that would hide stale entries."""
    fts = f"{table}_fts"
    sql = f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?"
    return int(store.db.execute(sql, [query]).fetchone()[0])


def keys(hits: list[Hit]) -> list[tuple[str, str]]:
    return [(hit.kind, hit.item_id) for hit in hits]


def test_finds_every_kind_in_every_review(store: Store) -> None:
    first = new_review(store, "Checkout outage")
    second = new_review(store, "Search lag", timezone="Europe/Berlin")
    expected: dict[tuple[str, str], tuple[str, Phase]] = {}
    for n, session_id in enumerate((first, second)):
        items = {
            "note": Note(phase=Phase.LEVEL_SET, text=f"the zeppelin cache {n}"),
            "event": TimelineEvent(at=at(n), text=f"zeppelin alert fired {n}"),
            "factor": Factor(area=FactorArea.DETECT, text=f"no zeppelin alarm {n}"),
            "learning": Learning(text=f"zeppelin is shared {n}"),
            "action": ActionItem(text=f"add a zeppelin alert {n}", owner="Casey Sample"),
        }
        for kind, item in items.items():
            store.add(session_id, item)
            expected[(kind, item.id)] = (session_id, _phase_of(kind))
        store.add(session_id, Note(phase=Phase.TIMELINE, text="nothing to see here"))

    hits = search(store, "zeppelin")

    assert {(hit.kind, hit.item_id): (hit.session_id, hit.phase) for hit in hits} == expected
    titles = {hit.session_id: hit.session_title for hit in hits}
    assert titles == {first: "Checkout outage", second: "Search lag"}
    for hit in hits:
        assert "zeppelin" in hit.text
        assert f"{MARK_START}zeppelin{MARK_END}" in hit.snippet
        assert hit.at.tzinfo is not None
        assert hit.interview_id is None
    berlin = next(hit for hit in hits if hit.session_id == second)
    assert berlin.at.utcoffset() == timedelta(hours=1)  # shown in the review's timezone


def _phase_of(kind: str) -> Phase:
    return {
        "note": Phase.LEVEL_SET,
        "event": Phase.TIMELINE,
        "factor": Phase.FACTORS,
        "learning": Phase.SENSE_MAKING,
        "action": Phase.ACTIONS,
    }[kind]


def test_interview_items_say_so(store: Store) -> None:
    session_id = new_review(store, "Interviews")
    participant = Participant(name="Jordan Demo", role="on-call engineer")
    interview = Interview(participant_id=participant.id)
    store.add(session_id, participant)
    store.add(session_id, interview)
    event = TimelineEvent(at=at(0), text="saw the gauge flicker", interview_id=interview.id)
    note = Note(phase=Phase.INTERVIEW, text="the gauge looked odd", interview_id=interview.id)
    store.add(session_id, event)
    store.add(session_id, note)

    hits = {hit.kind: hit for hit in search(store, "gauge")}

    assert hits["event"].phase is Phase.INTERVIEW
    assert hits["event"].interview_id == interview.id
    assert hits["note"].phase is Phase.INTERVIEW
    assert hits["note"].interview_id == interview.id


def test_newest_first_by_event_time_or_writing_time(store: Store) -> None:
    first = new_review(store, "One")
    second = new_review(store, "Two")
    old_note = Note(phase=Phase.TIMELINE, text="lantern one", created_at=at(10))
    event = TimelineEvent(at=at(30), text="lantern two", created_at=at(0))  # ordered by `at`
    factor = Factor(area=FactorArea.FIX, text="lantern three", created_at=at(20))
    late_action = ActionItem(text="lantern four", created_at=at(40))
    learning = Learning(text="lantern five", created_at=at(5))
    store.add(first, old_note)
    store.add(second, event)
    store.add(first, factor)
    store.add(second, late_action)
    store.add(first, learning)

    hits = search(store, "lantern")

    assert keys(hits) == [
        ("action", late_action.id),
        ("event", event.id),
        ("factor", factor.id),
        ("note", old_note.id),
        ("learning", learning.id),
    ]
    assert [hit.at for hit in hits] == [at(40), at(30), at(20), at(10), at(5)]


def test_ties_are_broken_by_id(store: Store) -> None:
    session_id = new_review(store, "Ties")
    notes = [Note(phase=Phase.TIMELINE, text="same moment", created_at=T0) for _ in range(5)]
    for note in notes:
        store.add(session_id, note)

    hits = search(store, "moment")

    assert [hit.item_id for hit in hits] == sorted((n.id for n in notes), reverse=True)


def test_limit_keeps_the_newest_across_tables(store: Store) -> None:
    session_id = new_review(store, "Limits")
    for n in range(6):
        store.add(session_id, Note(phase=Phase.TIMELINE, text="quartz", created_at=at(n)))
    factors = [
        Factor(area=FactorArea.AVOID, text="quartz", created_at=at(100 + n)) for n in range(3)
    ]
    for factor in factors:
        store.add(session_id, factor)

    hits = search(store, "quartz", limit=4)

    assert len(hits) == 4
    assert [hit.kind for hit in hits] == ["factor", "factor", "factor", "note"]
    assert hits[3].at == at(5)
    assert search(store, "quartz", limit=0) == []


def test_many_matches_use_the_time_index_and_agree_with_few(store: Store) -> None:
    """Past the threshold where the search walks the time index instead of sorting."""
    session_id = new_review(store, "Many")
    notes = [
        Note(phase=Phase.TIMELINE, text=f"meridian note {n}", created_at=at(n % 397))
        for n in range(600)
    ]
    review = store.load_review(session_id)
    review.notes = notes
    store.delete_session(session_id)
    store.save_review(review)

    hits = search(store, "meridian", limit=30)

    expected = sorted(notes, key=lambda n: (n.created_at, n.id), reverse=True)[:30]
    assert [hit.item_id for hit in hits] == [n.id for n in expected]
    few = search(store, '"meridian note 599"')
    assert [hit.item_id for hit in few] == [notes[599].id]


def test_an_edit_is_reflected(store: Store, session: ReviewSession) -> None:
    note = store.add(session.id, Note(phase=Phase.TIMELINE, text="the walrus was slow"))
    factor = store.add(session.id, Factor(area=FactorArea.FIX, text="walrus runbook missing"))

    store.update(session.id, Note, note.id, text="the pelican was slow")
    store.update(session.id, Factor, factor.id, text="pelican runbook missing")

    assert search(store, "walrus") == []
    assert keys(search(store, "pelican")) == [("factor", factor.id), ("note", note.id)]
    assert index_count(store, "notes", "walrus") == 0
    assert index_count(store, "factors", "walrus") == 0


def test_changing_other_fields_keeps_one_entry(store: Store, session: ReviewSession) -> None:
    action = store.add(session.id, ActionItem(text="rotate the heron keys", owner="SRE"))

    store.update(session.id, ActionItem, action.id, status=ActionStatus.DONE, due=date(2026, 4, 1))
    store.update(session.id, ActionItem, action.id, owner="Casey Sample")

    assert keys(search(store, "heron")) == [("action", action.id)]
    assert index_count(store, "actions", "heron") == 1


def test_a_delete_is_reflected(store: Store, session: ReviewSession) -> None:
    kept = store.add(session.id, TimelineEvent(at=at(0), text="osprey paged"))
    gone = store.add(session.id, TimelineEvent(at=at(1), text="osprey acked"))
    learning = store.add(session.id, Learning(text="osprey matters"))

    store.delete(session.id, TimelineEvent, gone.id)
    store.delete(session.id, Learning, learning.id)

    assert keys(search(store, "osprey")) == [("event", kept.id)]
    assert index_count(store, "events", "osprey") == 1
    assert index_count(store, "learnings", "osprey") == 0


def test_deleting_a_session_removes_its_hits(store: Store) -> None:
    doomed = new_review(store, "Doomed")
    kept = new_review(store, "Kept")
    for session_id in (doomed, kept):
        store.add(session_id, Note(phase=Phase.TIMELINE, text="kestrel note"))
        store.add(session_id, TimelineEvent(at=at(0), text="kestrel event"))
        store.add(session_id, Factor(area=FactorArea.AVOID, text="kestrel factor"))
        store.add(session_id, Learning(text="kestrel learning"))
        store.add(session_id, ActionItem(text="kestrel action"))

    store.delete_session(doomed)

    hits = search(store, "kestrel")
    assert len(hits) == 5
    assert {hit.session_id for hit in hits} == {kept}
    for table in INDEXED_TABLES:
        assert index_count(store, table, "kestrel") == 1, table


def test_a_reused_rowid_does_not_bring_back_deleted_text(store: Store) -> None:
    session_id = new_review(store, "Reuse")
    note = store.add(session_id, Note(phase=Phase.TIMELINE, text="albatross"))
    store.delete_session(session_id)
    other = new_review(store, "Other")
    store.add(other, Note(phase=Phase.TIMELINE, text="gannet"))  # likely the same rowid

    assert search(store, "albatross") == []
    assert [hit.session_id for hit in search(store, "gannet")] == [other]
    assert note.id not in {hit.item_id for hit in search(store, "gannet")}


def test_case_and_diacritics_do_not_matter(store: Store, session: ReviewSession) -> None:
    note = store.add(session.id, Note(phase=Phase.TIMELINE, text="The Café Überlauf was NAÏVE"))

    for query in ("cafe", "CAFÉ", "café", "uberlauf", "ÜBERLAUF", "naive", "Naïve", "the cafe"):
        assert keys(search(store, query)) == [("note", note.id)], query
    hit = search(store, "cafe uberlauf")[0]
    assert snippet_parts(hit.snippet) == [
        ("The ", False),
        ("Café", True),
        (" ", False),
        ("Überlauf", True),
        (" was NAÏVE", False),
    ]


def test_words_prefixes_and_phrases(store: Store, session: ReviewSession) -> None:
    pool = store.add(session.id, Note(phase=Phase.TIMELINE, text="pool saturation on checkout"))
    other = store.add(session.id, Note(phase=Phase.TIMELINE, text="saturation of the pool"))

    assert set(keys(search(store, "pool saturation"))) == {("note", pool.id), ("note", other.id)}
    assert keys(search(store, '"pool saturation"')) == [("note", pool.id)]
    assert keys(search(store, '"pool satur*"')) == [("note", pool.id)]
    assert set(keys(search(store, "satur*"))) == {("note", pool.id), ("note", other.id)}
    assert keys(search(store, "check*")) == [("note", pool.id)]
    assert keys(search(store, "sat* check*")) == [("note", pool.id)]
    assert search(store, "satur") == []  # without the star, a whole word
    assert search(store, "pool missing") == []  # every word must match


def test_operators_are_plain_words(store: Store, session: ReviewSession) -> None:
    both = store.add(session.id, Note(phase=Phase.TIMELINE, text="pool and saturation"))
    store.add(session.id, Note(phase=Phase.TIMELINE, text="pool only"))
    phrase = store.add(session.id, Note(phase=Phase.TIMELINE, text="near pool: saturation"))

    assert keys(search(store, "pool -saturation")) == keys(search(store, "pool saturation"))
    assert len(search(store, "pool -saturation")) == 2  # no NOT: the word is required
    assert search(store, "pool OR only") == []  # no OR: "or" is a word like any other
    # Punctuation inside a word joins its parts into a phrase, as for "db-eu-west-17".
    assert keys(search(store, "NEAR(pool saturation)")) == [("note", phrase.id)]
    assert keys(search(store, "near:pool")) == [("note", phrase.id)]  # no column filter
    assert both.id not in {hit.item_id for hit in search(store, "near:pool")}


HOSTILE = [
    '"',
    '""',
    '"unbalanced phrase',
    'pool"',
    "*",
    "**",
    "pool*saturation",
    "NEAR(",
    "NEAR(pool saturation, 2)",
    "-x",
    "- -",
    "col:x",
    "text:",
    ":",
    ")",
    "(",
    "((pool))",
    "^pool",
    "pool +",
    "{a b}:pool",
    "AND",
    "OR OR",
    "NOT",
    "pool AND",
    "'; DROP TABLE notes; --",
    "\x00pool",
    "pool\x00saturation",
    "\x1b[31mred\x1b[0m",
    "\u200b",
    "😀",
    "😀 pool",
    "ünïcödé ñandú 東京 Ελληνικά",
    "e\u0301clair",
    "a" * 1000,
    "pool " * 200,
    " ".join(f"w{n}" for n in range(200)),
    "".join(chr(c) for c in range(33, 127)) * 10,
]


@pytest.mark.parametrize("query", HOSTILE)
def test_hostile_queries_never_reach_sqlite_as_syntax(
    store: Store, session: ReviewSession, query: str
) -> None:
    store.add(session.id, Note(phase=Phase.TIMELINE, text="pool saturation (near) a*b"))
    try:
        hits = search(store, query)
    except sqlite3.Error as exc:  # pragma: no cover - the failure this test is about
        pytest.fail(f"{query!r} reached SQLite as syntax: {exc}")
    except ValueError as exc:
        assert str(exc) in {"give at least one word", "too many words: at most 32"}
    else:
        assert all(isinstance(hit, Hit) for hit in hits)


def test_hostile_queries_that_have_words_still_find_them(
    store: Store, session: ReviewSession
) -> None:
    note = store.add(session.id, Note(phase=Phase.TIMELINE, text="pool saturation (near) éclair"))

    for query in ('pool"', '"pool', "((pool))", "^pool", "\x00pool", "😀 pool", "e\u0301clair"):
        assert keys(search(store, query)) == [("note", note.id)], query


@pytest.mark.parametrize("query", ["", "   ", '""', "*", "-", "😀", "\x00", "\n\t"])
def test_a_query_without_words_is_refused(store: Store, query: str) -> None:
    with pytest.raises(ValueError, match="give at least one word"):
        search(store, query)


def test_parse_query_makes_quoted_terms() -> None:
    terms = parse_query('pool "connection pool" satur* "half phr*" pool "x""y" col:a')
    assert [t.fts() for t in terms] == [
        '"pool"',
        '"connection pool"',
        '"satur" *',
        '"half phr" *',
        '"x"',
        '"y"',
        '"col:a"',
    ]
    assert terms[2].words == ("satur",) and terms[2].prefix


def test_snippets_are_one_line_and_marks_only_mark_matches(
    store: Store, session: ReviewSession
) -> None:
    filler = " ".join(f"word{n}" for n in range(80))
    text = f"{filler}\nline with\x02the\x03 ibis\tin it\n{filler}"
    store.add(session.id, Note(phase=Phase.TIMELINE, text=text))

    hit = search(store, "ibis")[0]

    assert hit.text == text
    assert hit.snippet.startswith("…") and hit.snippet.endswith("…")
    assert "\n" not in hit.snippet and "\t" not in hit.snippet
    matched = [part for part, is_match in snippet_parts(hit.snippet) if is_match]
    assert matched == ["ibis"]
    assert hit.snippet.count(MARK_START) == hit.snippet.count(MARK_END) == 1
    assert "\ufffdthe\ufffd **ibis** in it" in mark(hit.snippet)


def test_a_match_deep_in_a_long_text_is_shown_cut_before(
    store: Store, session: ReviewSession
) -> None:
    text = "x" * 500 + " grebe"
    store.add(session.id, Note(phase=Phase.TIMELINE, text=text))
    snippet = search(store, "grebe")[0].snippet
    assert snippet.endswith(f"{MARK_START}grebe{MARK_END}")
    assert snippet.startswith("…")


def test_search_takes_a_database_too(store: Store, session: ReviewSession) -> None:
    note = store.add(session.id, Note(phase=Phase.TIMELINE, text="puffin"))
    db = sqlite_utils.Database(store.path)
    try:
        assert keys(search(db, "puffin")) == [("note", note.id)]
    finally:
        db.close()


def test_rebuild_keeps_the_same_results(store: Store, session: ReviewSession) -> None:
    store.add(session.id, Note(phase=Phase.TIMELINE, text="cormorant"))
    store.add(session.id, Factor(area=FactorArea.AVOID, text="cormorant"))
    before = search(store, "cormorant")

    rebuild_index(store)

    assert search(store, "cormorant") == before


def _version_3_database(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A database as the version before search left it, with one item of each kind."""
    conn = sqlite3.connect(path, isolation_level=None)
    with monkeypatch.context() as patch:
        patch.setattr(database, "MIGRATIONS", MIGRATIONS[:3])
        assert database.migrate(sqlite_utils.Database(conn)) == [1, 2, 3]
    stamp = T0.isoformat(timespec="microseconds")
    conn.execute(
        "INSERT INTO sessions (id, title, status, phase, timezone, created_at, updated_at) "
        "VALUES ('s3', 'Old review', 'reviewed', 'actions', 'UTC', ?, ?)",
        [stamp, stamp],
    )
    rows = {
        "notes": ("phase, text", ("timeline", "the old cormorant note")),
        "events": (
            "at, at_utc, kind, text, who, source",
            (stamp, stamp, "detection", "old cormorant event", "", "review"),
        ),
        "factors": ("area, text, tag", ("avoid", "old cormorant factor", "")),
        "learnings": ("text", ("old cormorant learning",)),
        "actions": (
            "text, owner, status, link, updated_at",
            ("old cormorant action", "", "open", "", stamp),
        ),
    }
    for table, (columns, values) in rows.items():
        marks = ", ".join("?" for _ in values)
        conn.execute(
            f"INSERT INTO {table} (session_id, id, created_at, {columns}) "
            f"VALUES ('s3', 'i-{table}', ?, {marks})",
            [stamp, *values],
        )
    conn.close()


def test_migration_indexes_rows_written_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "review.db"
    _version_3_database(path, monkeypatch)

    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == LATEST
        hits = search(store, "cormorant")
        assert {(hit.kind, hit.item_id) for hit in hits} == {
            ("note", "i-notes"),
            ("event", "i-events"),
            ("factor", "i-factors"),
            ("learning", "i-learnings"),
            ("action", "i-actions"),
        }
        assert {hit.session_title for hit in hits} == {"Old review"}
        store.update("s3", Note, "i-notes", text="the old shag note")
        assert {hit.kind for hit in search(store, "cormorant")} == {
            "event",
            "factor",
            "learning",
            "action",
        }
        assert [hit.item_id for hit in search(store, "shag")] == ["i-notes"]
