from __future__ import annotations

from pathlib import Path

from review_assistant.demo import build_demo
from review_assistant.domain.models import ReviewSession
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.review_screen import ReviewScreen
from review_assistant.tui.row_table import RowTable


async def test_home_lists_reviews_and_opens_one(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        demo_id = store.save_review(build_demo())
        store.create_session(ReviewSession(title="[@click=app.quit]not a link[/]"))
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        table = app.screen.query_one(RowTable)
        assert table.row_count == 2
        titles = {str(table.get_row_at(row)[0]) for row in range(2)}
        assert "[@click=app.quit]not a link[/]" in titles
        table.move_cursor(table.get_row_index(demo_id) or 0)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert app.screen.live.session.title.startswith("Checkout errors")
        await pilot.press("escape")  # the note input has focus: Escape goes home
        await pilot.pause()
        assert not isinstance(app.screen, ReviewScreen)
