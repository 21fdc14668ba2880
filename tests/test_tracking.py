"""Action items across every review: listing, finding, changing and promoting them.

Every test works on a real SQLite database. Creation times are set explicitly (at noon,
local time) and ``today`` is passed in, so ages and overdue marks do not depend on the clock.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import UTC, date, datetime

import pytest

from review_assistant.demo import build_demo
from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    ActionStatus,
    FactorArea,
    Learning,
    ReviewSession,
)
from review_assistant.domain.phases import Phase
from review_assistant.store import NotFoundError, Store
from review_assistant.store.tracking import (
    CSV_COLUMNS,
    UNCHANGED,
    TrackedAction,
    add_action,
    change_action,
    csv_rows,
    find_action,
    find_idea,
    list_actions,
    promote_idea,
    set_action,
    title_of,
)

TODAY = date(2026, 4, 1)


def noon(day: date) -> datetime:
    """Noon on ``day`` where the tests run, so its local calendar day is ``day``."""
    return datetime(day.year, day.month, day.day, 12).astimezone()


def make_session(store: Store, title: str, **fields: object) -> ReviewSession:
    session = ReviewSession.model_validate({"title": title, **fields})
    store.create_session(session)
    return session


def action(
    store: Store,
    session: ReviewSession,
    text: str,
    *,
    created: date = date(2026, 3, 1),
    **fields: object,
) -> ActionItem:
    item = ActionItem.model_validate({"text": text, "created_at": noon(created), **fields})
    return store.add(session.id, item)


def texts(tracked: list[TrackedAction]) -> list[str]:
    return [t.action.text for t in tracked]


@pytest.fixture
def two_reviews(store: Store) -> tuple[ReviewSession, ReviewSession]:
    """Two reviews with actions in every status, owners in mixed case, some dated."""
    first = make_session(
        store,
        "Login failures after certificate rotation",
        severity="SEV2",
        incident_start=datetime(2026, 3, 12, 13, 50, tzinfo=UTC),
    )
    second = make_session(store, "Checkout latency during the spring sale", severity="SEV 1")
    action(
        store,
        first,
        "Alert on certificate expiry",
        owner="Platform Engineer",
        due=date(2026, 3, 20),
        area=FactorArea.DETECT,
        created=date(2026, 3, 13),
    )
    action(store, first, "Rotate certificates with a runbook", owner="", created=date(2026, 3, 14))
    action(
        store,
        first,
        "Document the old rotation steps",
        owner="platform engineer",
        due=date(2026, 3, 1),
        status=ActionStatus.DONE,
    )
    action(
        store,
        second,
        "Load test the checkout before sales",
        owner="  platform   ENGINEER ",
        due=date(2026, 5, 1),
        status=ActionStatus.IN_PROGRESS,
        created=date(2026, 3, 2),
    )
    action(
        store,
        second,
        "Cache the price lookups",
        owner="database engineer",
        due=date(2026, 3, 25),
        created=date(2026, 3, 20),
    )
    action(store, second, "Rewrite the checkout", status=ActionStatus.DROPPED)
    return first, second


# -- listing ------------------------------------------------------------------------------------


def test_the_default_lists_open_and_in_progress_actions_of_every_review(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    first, second = two_reviews
    tracked = list_actions(store, today=TODAY)

    assert sorted(texts(tracked)) == [
        "Alert on certificate expiry",
        "Cache the price lookups",
        "Load test the checkout before sales",
        "Rotate certificates with a runbook",
    ]
    assert {t.session_id for t in tracked} == {first.id, second.id}
    by_text = {t.action.text: t for t in tracked}
    alert = by_text["Alert on certificate expiry"]
    assert alert.session_title == first.title
    assert alert.session_severity == "SEV2"
    assert alert.incident_start == datetime(2026, 3, 12, 13, 50, tzinfo=UTC)
    assert alert.action.area is FactorArea.DETECT
    assert by_text["Cache the price lookups"].incident_start is None
    assert alert.ref == f"{first.id}/{alert.action.id}"


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            ActionStatus.OPEN,
            [
                "Alert on certificate expiry",
                "Cache the price lookups",
                "Rotate certificates with a runbook",
            ],
        ),
        (ActionStatus.IN_PROGRESS, ["Load test the checkout before sales"]),
        (ActionStatus.DONE, ["Document the old rotation steps"]),
        (ActionStatus.DROPPED, ["Rewrite the checkout"]),
    ],
)
def test_a_status_filters_exactly(
    store: Store,
    two_reviews: tuple[ReviewSession, ReviewSession],
    status: ActionStatus,
    expected: list[str],
) -> None:
    tracked = list_actions(store, status=status, today=TODAY)
    assert sorted(texts(tracked)) == expected
    assert all(t.action.status is status for t in tracked)


def test_owner_matches_case_insensitively_ignoring_spacing(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    tracked = list_actions(store, owner="PLATFORM engineer", today=TODAY)
    assert texts(tracked) == ["Alert on certificate expiry", "Load test the checkout before sales"]

    done = list_actions(store, owner="platform engineer", status=ActionStatus.DONE, today=TODAY)
    assert texts(done) == ["Document the old rotation steps"]

    assert list_actions(store, owner="platform", today=TODAY) == []  # whole owner, not a part


def test_an_empty_owner_lists_the_actions_nobody_owns(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    assert texts(list_actions(store, owner="", today=TODAY)) == [
        "Rotate certificates with a runbook"
    ]
    assert texts(list_actions(store, owner="  ", status=ActionStatus.DROPPED, today=TODAY)) == [
        "Rewrite the checkout"
    ]


def test_overdue_is_open_work_due_before_today(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    tracked = list_actions(store, overdue=True, today=TODAY)
    assert texts(tracked) == ["Alert on certificate expiry", "Cache the price lookups"]
    assert all(t.overdue(TODAY) for t in tracked)

    # Due today is not overdue yet; done work is never overdue.
    assert texts(list_actions(store, overdue=True, today=date(2026, 3, 25))) == [
        "Alert on certificate expiry"
    ]
    assert list_actions(store, overdue=True, status=ActionStatus.DONE, today=TODAY) == []
    assert texts(
        list_actions(store, overdue=True, status=ActionStatus.OPEN, owner="database engineer")
    ) == ["Cache the price lookups"]


def test_order_is_overdue_first_then_by_due_date_undated_last_then_oldest(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    _, second = two_reviews
    action(store, second, "Undated and older", created=date(2026, 2, 1))
    action(store, second, "Same due, older", due=date(2026, 5, 1), created=date(2026, 2, 2))

    assert texts(list_actions(store, today=TODAY)) == [
        "Alert on certificate expiry",  # overdue since 03-20
        "Cache the price lookups",  # overdue since 03-25
        "Same due, older",  # due 05-01, created 02-02
        "Load test the checkout before sales",  # due 05-01, created 03-02
        "Undated and older",  # no due date, created 02-01
        "Rotate certificates with a runbook",  # no due date, created 03-14
    ]
    # A past due date on finished work does not count as overdue for the order.
    every = [*list_actions(store, status=ActionStatus.DONE, today=TODAY)]
    assert not any(t.overdue(TODAY) for t in every)


def test_age_is_whole_days_since_creation_and_never_negative(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    by_text = {t.action.text: t for t in list_actions(store, today=TODAY)}
    assert by_text["Alert on certificate expiry"].age_days(TODAY) == 19  # 03-13 → 04-01
    assert by_text["Cache the price lookups"].age_days(TODAY) == 12
    assert by_text["Cache the price lookups"].age_days(date(2026, 3, 20)) == 0
    assert by_text["Cache the price lookups"].age_days(date(2026, 3, 1)) == 0


def test_a_promoted_action_lists_the_idea_it_came_from(store: Store) -> None:
    session = make_session(store, "Queue backlog")
    idea = store.add(session.id, ActionIdea(phase=Phase.FACTORS, text="Page on queue depth"))
    promote_idea(store, session.id, idea.id, owner="on-call engineer")

    [tracked] = list_actions(store, today=TODAY)
    assert tracked.action.text == "Page on queue depth"
    assert tracked.action.idea_id == idea.id
    assert tracked.idea_text == "Page on queue depth"


def test_listing_an_empty_store_gives_nothing(store: Store) -> None:
    assert list_actions(store) == []
    make_session(store, "No actions yet")
    assert list_actions(store, overdue=True) == []


# -- finding ------------------------------------------------------------------------------------


def test_find_by_full_id_or_unique_prefix_across_reviews(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    _, second = two_reviews
    target = action(store, second, "Find me", id="feedc0ffee01")
    action(store, second, "Near miss", id="feedbeef0002")

    assert find_action(store, "feedc0ffee01") == (second.id, target)
    assert find_action(store, " FEEDC0 ") == (second.id, target)
    with pytest.raises(NotFoundError, match="several action items"):
        find_action(store, "feed")
    with pytest.raises(NotFoundError, match="no action item matches 'ffff'"):
        find_action(store, "ffff")
    with pytest.raises(NotFoundError, match="no action id given"):
        find_action(store, "  ")


def test_an_id_two_reviews_share_is_ambiguous_unless_the_review_is_named(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    first, second = two_reviews
    in_first = action(store, first, "Same id in the first review", id="abcabc000001")
    in_second = action(store, second, "Same id in the second review", id="abcabc000001")

    with pytest.raises(NotFoundError) as raised:
        find_action(store, "abcabc000001")
    message = str(raised.value)
    assert f"{first.id}/abcabc000001" in message
    assert f"{second.id}/abcabc000001" in message
    assert "SESSION/ID" in message

    assert find_action(store, f"{first.id}/abcabc000001") == (first.id, in_first)
    assert find_action(store, f"{second.id[:6]}/abcabc") == (second.id, in_second)
    with pytest.raises(NotFoundError, match="no review session"):
        find_action(store, "000000000000/abcabc")


def test_an_id_that_is_whole_wins_over_longer_ids_it_starts(store: Store) -> None:
    session = make_session(store, "Short and long ids")
    short = action(store, session, "Short", id="abc")
    action(store, session, "Long", id="abcdef")
    assert find_action(store, "abc") == (session.id, short)


def test_a_like_wildcard_in_a_reference_is_taken_literally(store: Store) -> None:
    session = make_session(store, "Wildcards")
    action(store, session, "An id with an underscore", id="a_b")
    with pytest.raises(NotFoundError):
        find_action(store, "%")
    with pytest.raises(NotFoundError):
        find_action(store, "a%")
    assert find_action(store, "a_")[1].id == "a_b"


def test_find_an_idea_by_prefix_within_its_review(store: Store) -> None:
    session = make_session(store, "Ideas")
    other = make_session(store, "Other ideas")
    idea = store.add(session.id, ActionIdea(id="1dea0001", phase=Phase.FACTORS, text="One"))
    store.add(session.id, ActionIdea(id="1dea0002", phase=Phase.FACTORS, text="Two"))
    store.add(other.id, ActionIdea(id="99aa0001", phase=Phase.FACTORS, text="Elsewhere"))

    assert find_idea(store, session.id, "1dea0001") == idea
    with pytest.raises(NotFoundError, match="several ideas in this review"):
        find_idea(store, session.id, "1dea")
    with pytest.raises(NotFoundError, match="no idea in this review"):
        find_idea(store, session.id, "99aa")


# -- adding and changing ------------------------------------------------------------------------


def test_add_stores_an_action_and_touches_the_review(store: Store) -> None:
    session = make_session(store, "Adding")
    before = store.get_session(session.id).updated_at

    added = add_action(
        store,
        session.id,
        text="  Alert on disk usage  ",
        owner=" storage engineer ",
        area=FactorArea.DETECT,
        due=date(2026, 5, 1),
    )

    assert store.get(session.id, ActionItem, added.id) == added
    assert (added.text, added.owner, added.status) == (
        "Alert on disk usage",
        "storage engineer",
        ActionStatus.OPEN,
    )
    assert store.get_session(session.id).updated_at > before
    with pytest.raises(NotFoundError):
        add_action(store, "000000000000", text="Nowhere")
    with pytest.raises(ValueError, match="empty"):
        add_action(store, session.id, text="   ")
    assert len(store.items(session.id, ActionItem)) == 1


def test_set_changes_status_owner_and_due_and_stamps_the_change(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    first, _ = two_reviews
    original = action(store, first, "Change me", due=date(2026, 4, 10), owner="team lead")
    session_before = store.get_session(first.id).updated_at

    changed = set_action(store, original.id[:8], status=ActionStatus.IN_PROGRESS)
    assert changed.status is ActionStatus.IN_PROGRESS
    assert (changed.owner, changed.due) == ("team lead", date(2026, 4, 10))  # left as they were
    assert changed.updated_at > original.updated_at
    assert changed.created_at == original.created_at
    assert store.get_session(first.id).updated_at > session_before

    changed = set_action(store, original.id, owner=" Incident Commander ", due=date(2026, 6, 1))
    assert (changed.owner, changed.due) == ("Incident Commander", date(2026, 6, 1))

    changed = set_action(store, original.id, due=None, owner="")
    assert (changed.owner, changed.due) == ("", None)
    assert changed.status is ActionStatus.IN_PROGRESS
    assert store.get(first.id, ActionItem, original.id) == changed

    kept = set_action(store, original.id, due=UNCHANGED)
    assert kept == changed  # nothing to change: nothing written, not even the time stamp


def test_set_refuses_an_unknown_or_ambiguous_action(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    first, second = two_reviews
    action(store, first, "Twin one", id="twin00000001")
    action(store, second, "Twin two", id="twin00000001")
    with pytest.raises(NotFoundError, match="several"):
        set_action(store, "twin00000001", status=ActionStatus.DONE)
    with pytest.raises(NotFoundError):
        set_action(store, "nope", status=ActionStatus.DONE)
    statuses = {t.action.status for t in list_actions(store, status=ActionStatus.DONE)}
    assert statuses == {ActionStatus.DONE}
    assert len(list_actions(store, status=ActionStatus.DONE)) == 1  # only the fixture's


def test_change_takes_the_review_and_action_ids_a_screen_already_holds(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    first, second = two_reviews
    in_first = action(store, first, "Twin one", id="twin00000001")
    in_second = action(store, second, "Twin two", id="twin00000001")

    changed = change_action(store, second.id, "twin00000001", owner="Jordan Demo")
    assert changed.owner == "Jordan Demo"
    assert store.get(second.id, ActionItem, in_second.id) == changed
    assert store.get(first.id, ActionItem, in_first.id) == in_first  # the twin is untouched
    assert change_action(store, first.id, in_first.id) == in_first
    with pytest.raises(NotFoundError):
        change_action(store, first.id, "twin", status=ActionStatus.DONE)


# -- promoting a parked idea --------------------------------------------------------------------


def test_promote_creates_the_action_and_links_both_ways(store: Store) -> None:
    session = make_session(store, "Promotion")
    idea = store.add(session.id, ActionIdea(phase=Phase.FACTORS, text="Alert on pool wait time"))
    before = store.get_session(session.id).updated_at

    promoted = promote_idea(
        store,
        session.id,
        idea.id[:5],
        owner=" database engineer ",
        area=FactorArea.DETECT,
        due=date(2026, 5, 1),
    )

    review = store.load_review(session.id)
    assert review.actions == [promoted]
    assert (promoted.text, promoted.idea_id, promoted.owner, promoted.area, promoted.due) == (
        "Alert on pool wait time",
        idea.id,
        "database engineer",
        FactorArea.DETECT,
        date(2026, 5, 1),
    )
    assert review.ideas == [idea.model_copy(update={"action_id": promoted.id})]
    assert review.session.updated_at > before


def test_promoting_an_idea_twice_is_refused_naming_the_action(store: Store) -> None:
    session = make_session(store, "Twice")
    idea = store.add(session.id, ActionIdea(phase=Phase.FACTORS, text="Page on queue depth"))
    first = promote_idea(store, session.id, idea.id)

    with pytest.raises(ValueError, match=f"already action item {first.id}"):
        promote_idea(store, session.id, idea.id)
    assert store.items(session.id, ActionItem) == [first]


def test_promote_is_one_transaction(store: Store) -> None:
    """If linking the idea fails, the action it would have created is not kept either."""
    session = make_session(store, "Atomic")
    idea = store.add(session.id, ActionIdea(phase=Phase.FACTORS, text="Page on queue depth"))
    before = store.get_session(session.id).updated_at
    store.db.execute(
        "CREATE TEMP TRIGGER refuse_idea_change BEFORE UPDATE ON ideas "
        "BEGIN SELECT RAISE(ABORT, 'ideas are read-only in this test'); END"
    )

    with pytest.raises(sqlite3.IntegrityError, match="read-only"):
        promote_idea(store, session.id, idea.id)

    assert store.items(session.id, ActionItem) == []
    assert store.get(session.id, ActionIdea, idea.id).action_id is None
    assert store.get_session(session.id).updated_at == before


def test_promote_refuses_an_unknown_idea_or_an_idea_of_another_review(store: Store) -> None:
    session = make_session(store, "Here")
    other = make_session(store, "There")
    elsewhere = store.add(other.id, ActionIdea(phase=Phase.FACTORS, text="Not here"))
    with pytest.raises(NotFoundError, match="no idea in this review"):
        promote_idea(store, session.id, elsewhere.id)
    with pytest.raises(NotFoundError):
        promote_idea(store, session.id, "")
    assert list_actions(store) == []


def test_parked_ideas_survive_the_action_pass(store: Store) -> None:
    session = make_session(store, "Action pass")
    ideas = [
        store.add(
            session.id, ActionIdea(phase=Phase.TIMELINE, text="Post rollouts to the channel")
        ),
        store.add(session.id, ActionIdea(phase=Phase.FACTORS, text="Alert on pool wait time")),
        store.add(session.id, ActionIdea(phase=Phase.FACTORS, text="Pair on pool sizing")),
    ]
    learning = make_session(store, "Learning only", tracks_actions=False)
    kept_ideas = [
        store.add(learning.id, ActionIdea(phase=Phase.FACTORS, text="Read up on pool tuning")),
        store.add(learning.id, ActionIdea(phase=Phase.FACTORS, text="Share the graphs")),
    ]
    store.add(learning.id, Learning(text="Pool waits show up before errors do"))
    learning_before = store.load_review(learning.id)

    promoted = promote_idea(store, session.id, ideas[1].id, owner="database engineer")
    set_action(store, promoted.id, status=ActionStatus.DONE)
    add_action(store, session.id, text="Review the pool size every quarter")

    after = store.load_review(session.id)
    assert [i.id for i in after.ideas] == [i.id for i in ideas]
    assert after.ideas[1] == ideas[1].model_copy(update={"action_id": promoted.id})
    assert after.ideas[0] == ideas[0]
    assert after.ideas[2] == ideas[2]
    parked = [i.text for i in after.ideas if not i.action_id]
    assert parked == ["Post rollouts to the channel", "Pair on pool sizing"]

    # The learning review is untouched and still holds its ideas, parked.
    learning_after = store.load_review(learning.id)
    assert learning_after == learning_before
    assert learning_after.ideas == kept_ideas
    assert all(i.action_id is None for i in learning_after.ideas)
    assert all(t.session_id != learning.id for t in list_actions(store, status=None))


def test_promoting_a_parked_idea_of_the_demo_keeps_the_others(store: Store) -> None:
    session_id = store.save_review(build_demo())
    before = store.load_review(session_id)
    parked = [i for i in before.ideas if not i.action_id]
    assert len(parked) >= 2

    promoted = promote_idea(store, session_id, parked[0].id)

    after = store.load_review(session_id)
    assert [i.id for i in after.ideas] == [i.id for i in before.ideas]
    for old, new in zip(before.ideas, after.ideas, strict=True):
        if old.id == parked[0].id:
            assert new == old.model_copy(update={"action_id": promoted.id})
        else:
            assert new == old
    assert after.actions == [*before.actions, promoted]


# -- a tracker import ---------------------------------------------------------------------------


def test_csv_rows_carry_a_title_a_description_with_a_way_back_and_labels(
    store: Store, two_reviews: tuple[ReviewSession, ReviewSession]
) -> None:
    first, second = two_reviews
    idea = store.add(first.id, ActionIdea(phase=Phase.FACTORS, text="Watch certificate dates"))
    promoted = promote_idea(store, first.id, idea.id, area=FactorArea.AVOID)
    set_action(store, promoted.id, owner="security engineer")

    rows = csv_rows(list_actions(store, today=TODAY), today=TODAY)
    assert all(tuple(row) == CSV_COLUMNS for row in rows)
    by_title = {row["title"]: row for row in rows}

    alert = by_title["Alert on certificate expiry"]
    assert alert["owner"] == "Platform Engineer"
    assert alert["due_date"] == "2026-03-20"
    assert alert["status"] == "open"
    assert alert["labels"] == "incident-review,area:detect,status:open,sev2"
    assert (alert["review"], alert["review_id"], alert["area"]) == (first.title, first.id, "detect")
    assert (alert["created"], alert["age_days"]) == ("2026-03-13", "19")
    description = alert["description"]
    assert description.startswith("Alert on certificate expiry\n\n")
    assert f"From the incident review “{first.title}” (SEV2, 2026-03-12)." in description
    assert f"review-assistant open {first.id}" in description

    unowned = by_title["Rotate certificates with a runbook"]
    assert unowned["owner"] == unowned["due_date"] == unowned["area"] == ""
    assert unowned["labels"] == "incident-review,status:open,sev2"

    load = by_title["Load test the checkout before sales"]
    assert load["labels"] == "incident-review,status:in-progress,sev-1"
    assert f"From the incident review “{second.title}” (SEV 1)." in load["description"]

    from_idea = by_title["Watch certificate dates"]
    assert "parked during the review: “Watch certificate dates”" in from_idea["description"]
    assert from_idea["labels"].startswith("incident-review,area:avoid,")

    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS))
    writer.writeheader()
    writer.writerows(rows)
    assert list(csv.DictReader(io.StringIO(buffer.getvalue()))) == rows


def test_the_title_is_the_first_line_shortened(store: Store) -> None:
    assert title_of("\n  First line  \nsecond line") == "First line"
    long = "word " * 60
    title = title_of(long)
    assert len(title) <= 120
    assert title.endswith("…")
    assert title_of("x" * 120) == "x" * 120

    session = make_session(store, "No severity, no date")
    action(store, session, "Multi-line action\nwith details\nover lines", link="TICKET-12")
    [row] = csv_rows(list_actions(store, today=TODAY), today=TODAY)
    assert row["title"] == "Multi-line action"
    assert row["description"].startswith("Multi-line action\nwith details\nover lines\n\n")
    assert "From the incident review “No severity, no date”.\n" in row["description"]
    assert "Link: TICKET-12" in row["description"]
    assert row["labels"] == "incident-review,status:open"


def test_csv_cells_show_control_characters_as_symbols(store: Store) -> None:
    session = make_session(store, "Pasted \x1b[2Jterminal output")
    action(store, session, "Clear \x1b[31mred\x1b[0m alerts\r\nsecond line", owner="ops\x07")

    [row] = csv_rows(list_actions(store, today=TODAY), today=TODAY)
    assert row["title"] == "Clear ␛[31mred␛[0m alerts"
    assert row["description"].startswith("Clear ␛[31mred␛[0m alerts\nsecond line\n\n")
    assert row["owner"] == "ops␇"
    assert row["review"] == "Pasted ␛[2Jterminal output"
    assert not any(ch in value for value in row.values() for ch in "\x1b\r\x07")


def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe() -> None:
    from review_assistant.domain.text import inert_cell

    assert inert_cell('=HYPERLINK("http://example.invalid","x")').startswith("'=")
    assert [inert_cell(t) for t in ("+1", "-rm", "@SUM(A1)", "\tx", "")] == [
        "'+1",
        "'-rm",
        "'@SUM(A1)",
        "'\tx",
        "",
    ]
    assert inert_cell("Add a pool alert") == "Add a pool alert"
