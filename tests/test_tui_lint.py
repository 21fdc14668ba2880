"""Blame and hindsight pointed out as notes are typed; action checks in the action pass."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Static

from review_assistant.domain.models import ActionItem
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.views.actions import ActionTable
from tui_helpers import SIZE, seed_demo, table_text


def wording(app: object) -> Static:
    return app.screen.query_one("#wording", Static)  # type: ignore[attr-defined, no-any-return]


async def test_wording_is_checked_as_typed_and_for_the_note_saved(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        capture = app.screen.query_one("#capture", Input)
        await pilot.press(*"the health check failed to start")
        await pilot.pause()
        assert not wording(app).display  # about a system, not a person
        capture.value = ""
        await pilot.press(*"Alex failed to check the [b]dashboard[/b]")
        await pilot.pause()
        shown = str(wording(app).render())
        assert wording(app).display
        assert "“Alex failed to”" in shown
        assert "Try: The on-call engineer did not check the [b]dashboard[/b]" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert capture.value == ""
        assert "in the note just saved" in str(wording(app).render())  # stays after the save
        await pilot.press(*"the pool was saturated")
        await pilot.pause()
        assert not wording(app).display  # a clean note clears it


async def test_the_action_pass_flags_actions_and_shows_coverage(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    with Store(tmp_path / "review.db") as store:
        store.add(session_id, ActionItem(text="Investigate the pool settings"))
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f7")
        await pilot.pause()
        table = app.screen.query_one(ActionTable)
        assert "⚑ Investigate the pool" in table_text(table)
        assert table.row_count == 4
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        check = str(app.screen.query_one("#action-check", Static).render())
        assert "⚑ no-owner" in check or "⚑ vague" in check
        assert "Actions by area: avoid 1 · detect 1 · fix 1" in check
        await pilot.press("home")
        await pilot.pause()
        check = str(app.screen.query_one("#action-check", Static).render())
        assert "⚑" not in check  # the demo's first action is owned, bounded and small
