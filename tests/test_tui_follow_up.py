"""The follow-up views: open actions across reviews, search, learning across incidents, and the
end of the review meeting (pulse, then landing on the action pass)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from textual.widgets import Input, Static

from review_assistant.domain.models import ActionItem, ActionStatus, Note
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from review_assistant.tui.action_pass import ActionPassScreen
from review_assistant.tui.app import make_app
from review_assistant.tui.learning import LearningScreen
from review_assistant.tui.modals import ChoiceScreen, FormScreen
from review_assistant.tui.open_actions import OpenActionsScreen
from review_assistant.tui.review_screen import ReviewScreen
from review_assistant.tui.row_table import RowTable
from review_assistant.tui.search import SearchScreen
from review_assistant.tui.views.base import ItemTable, NotesTable
from tui_helpers import SIZE, load, seed_demo, table_text

NOW = datetime(2026, 4, 20, 9, 0, tzinfo=UTC)


def two_reviews(tmp_path: Path) -> tuple[str, str]:
    first, second = seed_demo(tmp_path), seed_demo(tmp_path)
    with Store(tmp_path / "review.db") as store:
        store.add(second, ActionItem(text="Write the pool sizing runbook", owner=""))
    return first, second


def static_text(screen: object, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())  # type: ignore[attr-defined]


async def test_open_actions_lists_every_review_and_edits_status_and_owner(tmp_path: Path) -> None:
    _, second = two_reviews(tmp_path)
    app = make_app(tmp_path)
    app.now = lambda: NOW
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, OpenActionsScreen)
        table = screen.query_one(RowTable)
        assert table.row_count == 5  # 2 open demo actions in each review + the new one
        summary = static_text(screen, "#summary")
        assert "5 actions from 2 reviews" in summary and "1 without an owner" in summary
        assert "⚑" in table_text(table)  # the demo's due dates have passed by NOW
        texts = [tracked.action.text for tracked in screen.rows]
        table.move_cursor(texts.index("Write the pool sizing runbook"))
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-owner", Input).value = "database engineer"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("end", "up", "enter")  # done
        await pilot.pause()
        assert table.row_count == 4  # done work leaves the open list
        await pilot.press("f", "f")  # … and shows under "done"
        await pilot.pause()
        assert "Write the pool sizing runbook" in table_text(table)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionPassScreen)
    action = next(a for a in load(tmp_path, second).actions if a.text.startswith("Write"))
    assert (action.owner, action.status) == ("database engineer", ActionStatus.DONE)


async def test_search_finds_across_reviews_and_opens_the_review_at_the_item(
    tmp_path: Path,
) -> None:
    _, second = two_reviews(tmp_path)
    with Store(tmp_path / "review.db") as store:
        note = store.add(second, Note(phase=Phase.TIMELINE, text="the zebra [b]dashboard[/b]"))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*"zebra", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert [h.item_id for h in screen.hits] == [note.id]
        assert "[b]dashboard[/b]" in table_text(screen.query_one(ItemTable))  # literal
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.live.id == second
        assert review.phase is Phase.TIMELINE
        notes = review.query_one("#view-timeline").query_one(NotesTable)
        assert notes.selected_key == note.id and notes.has_focus


async def test_learning_shows_themes_that_recur_across_reviews(tmp_path: Path) -> None:
    two_reviews(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("L")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LearningScreen)
        overview = static_text(screen, "#overview")
        assert "2 reviews" in overview and "4 parked ideas never turned into an action" in overview
        themes = table_text(screen.query_one("#themes", ItemTable))
        assert "↻ knowledge" in themes  # the demo's tag, in both reviews
        items = screen.query_one("#items", RowTable)
        assert items.row_count and all(source.tag == "knowledge" for source in items.items)
        await pilot.press("i")
        await pilot.pause()
        assert "Parked ideas never turned into actions (4)" in static_text(screen, "#items-title")
        await pilot.press("l")
        await pilot.pause()
        assert "Learnings, newest first (4)" in static_text(screen, "#items-title")
        wanted = items.items[1]
        assert wanted.text in table_text(items)
        items.focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.live.id == wanted.session_id


async def test_ending_the_meeting_records_the_pulse_and_the_next_opening_is_the_action_pass(
    tmp_path: Path,
) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    app.now = lambda: NOW
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f12")
        await pilot.pause()
        await pilot.press("y", "n")
        await pilot.pause()
    session = load(tmp_path, session_id).session
    assert (session.pulse_learned, session.pulse_again) == (True, False)
    assert session.meeting_ended_at == NOW

    for later, nudged in ((timedelta(hours=3), True), (timedelta(days=2), False)):
        app = make_app(tmp_path, session_id=session_id)
        app.now = lambda later=later: NOW + later  # type: ignore[misc]
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ActionPassScreen)
            learned = static_text(screen, "#learned")
            assert "Review meeting ended" in learned
            assert "learned something new: yes · would come again: no" in learned
            assert "A saturated pool looks like a slow dependency" in learned  # a learning
            assert screen.query_one("#nudge", Static).display is nudged
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, ReviewScreen)
