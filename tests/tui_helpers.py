"""Shared helpers for the Pilot-driven tests of the terminal app."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Static

from review_assistant.demo import build_demo
from review_assistant.domain.models import Review
from review_assistant.store import Store
from review_assistant.tui.row_table import RowTable

SIZE = (100, 30)
HOSTILE = "[@click=app.quit]boom[/] [bold]x[/bold] [/]"


def seed_demo(data_dir: Path) -> str:
    with Store(data_dir / "review.db") as store:
        return store.save_review(build_demo())


def load(data_dir: Path, session_id: str) -> Review:
    with Store(data_dir / "review.db") as store:
        return store.load_review(session_id)


async def type_note(pilot: Pilot[None], text: str) -> None:
    capture = pilot.app.screen.query_one("#capture", Input)
    capture.focus()
    capture.value = text
    await pilot.press("enter")
    await pilot.pause()


def table_text(table: DataTable[object] | RowTable[Any]) -> str:
    return "\n".join(
        " | ".join(str(c) for c in table.get_row_at(row)) for row in range(table.row_count)
    )


def picture_text(app: App[None]) -> str:
    """The timeline picture's lines as shown on the review screen."""
    from review_assistant.tui.picture import IncidentPicture

    widget = app.screen.query_one(IncidentPicture)
    return "\n".join(strip.text for strip in widget.render_lines(widget.region.reset_offset))


async def settle(app: App[None]) -> None:
    """Wait until the app's and every screen's workers (assistant calls, imports) are done."""
    await app.workers.wait_for_complete()
    for screen in app.screen_stack:
        await screen.workers.wait_for_complete()


def status(app: App[None]) -> str:
    """The assistant panel's status line."""
    return str(app.screen.query_one("#assistant-status", Static).content)
