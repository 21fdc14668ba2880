"""Pilot flows for the assistant: suggestions, use and set aside, streaming, cancel, drafts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TypeVar

from textual.app import App, ComposeResult
from textual.widgets import Input, Markdown, TextArea

from openai_server import Drip, FakeOpenAI, Stream, unauthorized
from review_assistant.assistant.settings import Settings
from review_assistant.domain.models import (
    AssistantCall,
    CallOutcome,
    Draft,
    DraftStatus,
    Item,
    Suggestion,
    SuggestionStatus,
)
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.assistant_panel import StreamPreview, SuggestionList
from review_assistant.tui.draft_screen import DraftScreen
from review_assistant.tui.modals import ChoiceScreen
from tui_helpers import SIZE, load, seed_demo, settle, status, type_note

ItemT = TypeVar("ItemT", bound=Item)


def rows(tmp_path: Path, session_id: str, kind: type[ItemT]) -> list[ItemT]:
    with Store(tmp_path / "review.db") as store:
        return store.items(session_id, kind)


async def test_builtin_suggestions_are_used_and_set_aside_while_typing(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3", "f9")
        await type_note(pilot, "14:10 other: typed while the assistant works")
        await settle(app)
        await pilot.pause()
        listing = app.screen.query_one(SuggestionList)
        assert listing.option_count == 5
        assert "built-in engine" in status(app)
        await pilot.press("ctrl+l")
        assert app.focused is listing
        first = listing.get_option_at_index(0).id
        await pilot.press("x")  # set aside
        await pilot.pause()
        second = listing.get_option_at_index(0).id
        await pilot.press("enter")  # use it
        await pilot.pause()
        capture = app.screen.query_one("#capture", Input)
        assert capture.has_focus
        assert capture.value.startswith("? ")
        assert listing.option_count == 3
    chosen = {s.id: s.status for s in rows(tmp_path, session_id, Suggestion)}
    assert chosen[first or ""] is SuggestionStatus.DISMISSED
    assert chosen[second or ""] is SuggestionStatus.ACCEPTED
    review = load(tmp_path, session_id)
    assert any(e.text == "typed while the assistant works" for e in review.events)
    calls = rows(tmp_path, session_id, AssistantCall)
    assert [(c.task, c.provider, c.outcome) for c in calls] == [
        ("suggest", "builtin", CallOutcome.OK)
    ]


async def test_a_model_streams_into_the_panel(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    payload = json.dumps(
        {"questions": [{"question": "What did the pool graph show at [b]14:47[/b]?", "why": "w"}]}
    )
    with FakeOpenAI() as server:
        server.script(Stream([payload[:25], payload[25:60], payload[60:]]))
        settings = Settings(provider="openai", base_url=server.url, model="test-model")
        app = make_app(tmp_path, session_id=session_id, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            await settle(app)
            await pilot.pause()
            listing = app.screen.query_one(SuggestionList)
            prompt = listing.get_option_at_index(0).prompt
            assert "[b]14:47[/b]" in str(prompt)  # shown literally
            preview = app.screen.query_one("#assistant-stream", StreamPreview)
            assert preview.shown == "- What did the pool graph show at [b]14:47[/b]?\n"  # not JSON
            assert str(preview.content) == preview.shown  # drawn literally, not as markup
            assert "test-model" in status(app) and "tokens in 12 / out 5" in status(app)
    assert rows(tmp_path, session_id, AssistantCall)[0].output_tokens == 5


class PreviewApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StreamPreview()


async def test_the_preview_batches_redraws_and_shows_the_text_literally() -> None:
    app = PreviewApp()
    async with app.run_test() as pilot:
        preview = app.query_one(StreamPreview)
        preview.REDRAW_S = 3600.0  # after the first piece, nothing more is drawn until flushed
        pieces = ["- What did [b]the pool[/b] show?\n", "- \x1b[31mred\x1b[0m", " and more"]
        preview.begin()
        assert preview.has_class("-live")  # the room kept while it streams
        for piece in pieces:
            preview.write(piece)
        assert preview.shown == pieces[0]  # drawn at once: nothing was drawn just before
        assert preview.text == "".join(pieces)  # the rest waits for the next redraw
        preview.flush()
        await pilot.pause()
        assert preview.shown == "".join(pieces) and not preview.has_class("-live")
        # markup stays text and an escape is drawn as a symbol, never sent to the terminal
        assert str(preview.content) == "".join(pieces).replace("\x1b", "\u241b")
        preview.clear()
        assert preview.shown == preview.text == ""


async def test_escape_cancels_a_slow_call_and_the_app_carries_on(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    event_id = load(tmp_path, session_id).timeline()[0].id
    first = '{"summary": [{"text": "The first sentence.", "sources": ["' + event_id + '"]}'
    with FakeOpenAI() as server:
        server.script(Drip([first, ", {", '"text": "more', ' more"'], interval_s=0.2))
        settings = Settings(provider="openai", base_url=server.url, model="test-model")
        app = make_app(tmp_path, session_id=session_id, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f10")
            await pilot.pause()
            assert isinstance(app.screen, ChoiceScreen)
            await pilot.press("enter")  # the summary
            await pilot.pause()
            assert isinstance(app.screen, DraftScreen)
            stream = app.screen.query_one("#assistant-stream", StreamPreview)
            while "first sentence" not in stream.shown:  # a sentence shows once complete
                await pilot.pause(0.05)
            assert '"sources"' not in stream.text  # never the raw JSON
            await pilot.press("escape")
            await settle(app)
            await pilot.pause()
            assert "Cancelled" in status(app)
            assert "first" in stream.shown and stream.display  # what arrived stays on screen
            await pilot.press("escape")
            await pilot.pause()
            await type_note(pilot, "still taking notes")
    calls = rows(tmp_path, session_id, AssistantCall)
    assert calls[-1].outcome is CallOutcome.CANCELLED
    assert calls[-1].ttft_ms is not None  # measured before the cancel
    drafts = rows(tmp_path, session_id, Draft)
    assert len(drafts) == 1 and drafts[0].partial
    assert "The first sentence. [1]" in drafts[0].text
    assert any(n.text == "still taking notes" for n in load(tmp_path, session_id).notes)


async def test_an_endpoint_error_is_shown_literally(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    with FakeOpenAI() as server:
        server.script(unauthorized())
        settings = Settings(provider="openai", base_url=server.url, model="test-model")
        app = make_app(tmp_path, session_id=session_id, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            await settle(app)
            await pilot.pause()
            assert "refused the API key (401)" in status(app)
            await type_note(pilot, "! the app is still usable")
            assert app.is_running
    assert rows(tmp_path, session_id, AssistantCall)[0].outcome is CallOutcome.ERROR


async def test_a_draft_is_accepted_then_edited_and_saved(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f10", "down", "enter")  # the full write-up
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DraftScreen)
        await settle(app)
        await pilot.pause()
        answer = screen.query_one("#assistant-answer", Markdown)
        assert answer.display and "Contributing factors" in answer.source
        assert not screen.query_one("#assistant-stream").display  # the draft replaced it
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        editor = screen.query_one("#draft-edit", TextArea)
        editor.text = "# Edited write-up\n"
        await pilot.press("ctrl+s")
        await pilot.pause()
    with Store(tmp_path / "review.db") as store:
        drafts = store.items(session_id, Draft)
    assert [(d.kind.value, d.status, d.text) for d in drafts] == [
        ("writeup", DraftStatus.ACCEPTED, "# Edited write-up\n")
    ]


async def test_r_on_a_note_offers_neutral_wording(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id, settings=Settings())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        await type_note(pilot, "Jordan Demo should have checked the pool graph")
        app.screen.query_one("#notes-level-set").focus()
        await pilot.press("end", "r")
        await settle(app)
        await pilot.pause()
        await pilot.press("ctrl+l", "enter")
        await pilot.pause()
    notes = [n.text for n in load(tmp_path, session_id).notes if n.phase.value == "level-set"]
    assert "The database engineer could have checked the pool graph" in notes
    assert not any("Jordan Demo should" in n for n in notes)
