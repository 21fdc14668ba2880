"""Hostile text typed into the terminal app, and shown back by it (Pilot).

Whatever is typed is saved as typed and shown literally: markup stays text (``[@click=…]``
runs nothing, even when clicked), control characters are shown as symbols, and the app keeps
running. Toasts never read their message as markup.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual import events
from textual.app import App
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets._toast import Toast

from hostile_corpus import PASTE_1MB, TEXT, has_raw_control, shown
from openai_server import FakeOpenAI, Stream
from review_assistant.assistant.settings import Settings
from review_assistant.domain.models import ActionIdea, ReviewSession, TimelineEvent
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import one_line
from review_assistant.store import Store
from review_assistant.tui.action_pass import ActionPassScreen
from review_assistant.tui.app import ReviewApp, make_app
from review_assistant.tui.assistant_panel import SuggestionList
from review_assistant.tui.modals import FormScreen
from review_assistant.tui.review_screen import ReviewScreen
from review_assistant.tui.row_table import RowTable
from review_assistant.tui.views.base import ItemTable
from tui_helpers import SIZE, load, type_note

#: Typed as plain notes: markup, escapes, control characters, bidi, HTML, templates, SQL …
TYPED = [
    "markup-bold",
    "markup-click-quit",
    "markup-click-others",
    "markup-link",
    "markup-unbalanced",
    "markup-escaped",
    "ansi-colour",
    "ansi-osc8",
    "control-nul",
    "control-c1-csi",
    "unicode-rtl-override",
    "unicode-emoji-zwj",
    "html-script",
    "jinja-expression",
]


def new_session(data_dir: Path, **fields: Any) -> str:
    with Store(data_dir / "review.db") as store:
        session = ReviewSession(
            title="Hostile paste",
            timezone="UTC",
            incident_start=datetime(2026, 3, 12, 13, 50, tzinfo=UTC),
            **fields,
        )
        store.create_session(session)
        return session.id


def feedback(app: App[None]) -> Content:
    content = app.screen.query_one("#feedback", Static).content
    assert isinstance(content, Content)
    return content


def cells(app: App[None]) -> list[object]:
    return [
        value
        for table in app.screen.query(RowTable)
        for row in range(table.row_count)
        for value in table.get_row_at(row)
    ]


async def click_along(pilot: Any, selector: str, width: int) -> None:
    """Click every third cell of a one-line widget: a live link or action would be hit."""
    for x in range(0, width, 3):
        await pilot.click(selector, offset=(x, 0))
    await pilot.pause()


async def test_typed_hostile_notes_are_saved_and_shown_literally(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        for name in TYPED:
            await type_note(pilot, TEXT[name])
            assert screen.query_one("#capture", Input).value == "", name
            said = feedback(app)
            assert said.plain.startswith(f"✓ saved note: {one_line(TEXT[name], 60)}"), name
            assert not said.spans  # nothing was parsed into styles, links or actions
            assert not has_raw_control(said.plain)
            if name == "markup-click-quit":
                await click_along(pilot, "#feedback", 60)
        assert app.is_running and app.screen is screen  # no [@click=…] ran, nothing opened
        shown_cells = [c for c in cells(app) if isinstance(c, Content) and c.plain]
        for name in TYPED:
            first = one_line(TEXT[name], 200)[:30]
            holding = [c for c in shown_cells if c.plain.startswith(first)]
            assert holding and all(not c.spans for c in holding), name
        assert not any(isinstance(c, str) and "[" in c for c in cells(app))
    notes = load(tmp_path, session_id).notes
    assert [note.text for note in notes] == [TEXT[name] for name in TYPED]


async def test_a_megabyte_paste_is_saved_whole(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, PASTE_1MB)
        assert app.screen.query_one("#capture", Input).value == ""
        said = feedback(app).plain
        assert said.startswith(f"✓ saved note: {one_line(PASTE_1MB, 60)}")
        assert not has_raw_control(said)
        table = app.screen.query_one("#notes-level-set", ItemTable)
        assert [str(table.get_row_at(row)[1]) for row in range(table.row_count)] == [
            one_line(PASTE_1MB, 200)
        ]
    assert [note.text for note in load(tmp_path, session_id).notes] == [PASTE_1MB]


@pytest.mark.xfail(strict=True, reason="Textual's Input keeps only the first line of a paste")
async def test_a_multi_line_paste_into_the_note_line_keeps_every_line(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    pasted = "first line of the log\nsecond line\nthird line"
    async with app.run_test(size=SIZE) as pilot:
        capture = app.screen.query_one("#capture", Input)
        capture.focus()
        capture.post_message(events.Paste(pasted))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert [note.text for note in load(tmp_path, session_id).notes] == [pasted]


async def test_capture_markers_with_hostile_bodies_go_where_they_belong(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        for name in ("capture-idea", "capture-question", "capture-event", "capture-factor"):
            await type_note(pilot, TEXT[name])
            assert not feedback(app).spans and not has_raw_control(feedback(app).plain)
        await type_note(pilot, TEXT["capture-bad-time"])
        assert app.screen.query_one("#capture", Input).value == TEXT["capture-bad-time"]
        assert feedback(app).plain.startswith("Not saved:")
        await pilot.press("f3")
        await pilot.pause()
        events_table = app.screen.query_one("#events", ItemTable)
        row = [str(value) for value in events_table.get_row_at(0)]
        assert shown("pager \x1b[31mfired\x1b[0m") in row
        assert app.is_running
    review = load(tmp_path, session_id)
    assert [i.text for i in review.ideas] == ["park this [bold]idea[/]"]
    assert [q.text for q in review.questions] == ["why did [@click=app.quit]it[/] look fine"]
    assert [(e.text, e.who) for e in review.events] == [("pager \x1b[31mfired\x1b[0m", "on-call")]
    assert [f.text for f in review.factors] == ["{{ 7*7 }} nobody owns it"]


async def test_toasts_show_hostile_text_without_reading_it_as_markup(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    hostile = TEXT["markup-click-quit"] + " " + TEXT["ansi-osc-title"]
    with Store(tmp_path / "review.db") as store:
        store.add(session_id, ActionIdea(phase=Phase.ACTIONS, text=hostile))
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ActionPassScreen)
        ideas = app.screen.query_one("#ideas", ItemTable)
        ideas.focus()
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-text", Input).value == hostile
        form.query_one("#field-owner", Input).value = (hostile + " ") * 5  # too long to save
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()  # the toast is mounted after the notification is raised
        toasts = list(app.screen.query(Toast))
        assert toasts
        for toast in toasts:
            rendered = toast.render()
            assert isinstance(rendered, Content)
            assert "Not saved" in rendered.plain
            assert "input_value='[@click=app.quit]quit th" in rendered.plain  # as text
            assert not has_raw_control(rendered.plain)
            assert all("click" not in str(span.style) for span in rendered.spans)  # no action
        assert all(not notification.markup for notification in app._notifications)
        assert app.is_running and isinstance(app.screen, ActionPassScreen)
    review = load(tmp_path, session_id)
    assert review.actions == [] and [i.text for i in review.ideas] == [hostile]


async def test_a_model_answering_with_hostile_questions_is_shown_as_data(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    questions = [
        TEXT[name]
        for name in ("markup-click-quit", "md-javascript-link", "ansi-osc8", "html-script")
    ]
    answer = {"questions": [{"question": q, "why": TEXT["markup-link"]} for q in questions]}
    payload = json.dumps(answer)
    with FakeOpenAI() as server:
        server.script(Stream([payload[:40], payload[40:]]))
        settings = Settings(provider="openai", base_url=server.url, model="test-model")
        app: ReviewApp = make_app(tmp_path, session_id=session_id, settings=settings)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            await app.workers.wait_for_complete()
            await app.screen.workers.wait_for_complete()
            await pilot.pause()
            listing = app.screen.query_one(SuggestionList)
            assert listing.option_count == len(questions)
            for index, question in enumerate(questions):
                prompt = listing.get_option_at_index(index).prompt
                assert isinstance(prompt, Content)
                assert prompt.plain == f"{shown(question)}\n{TEXT['markup-link']}"
                assert all(span.start > len(question) for span in prompt.spans)
            await pilot.press("ctrl+l", "enter")  # use the first: it goes to the note line
            await pilot.pause()
            assert app.screen.query_one("#capture", Input).value == f"? {questions[0]}"
            assert app.is_running and isinstance(app.screen, ReviewScreen)


async def test_questions_answers_and_details_show_control_characters_as_symbols(
    tmp_path: Path,
) -> None:
    severity = "\x1b[31mSEV1\x1b[0m\x07"
    session_id = new_session(tmp_path, severity=severity, summary=TEXT["ansi-osc8"])
    with Store(tmp_path / "review.db") as store:
        at = datetime(2026, 3, 12, 14, 5, tzinfo=UTC)
        store.add(session_id, TimelineEvent(at=at, text=TEXT["ansi-cursor"]))
    question, answer = TEXT["control-c1-csi"], TEXT["ansi-osc-title"]
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        details = app.screen.query_one("#details", Static).content
        assert isinstance(details, Content)
        assert details.plain.startswith(shown(severity) + " · ")
        assert shown(TEXT["ansi-osc8"]) in details.plain and not has_raw_control(details.plain)
        await pilot.press("f4")
        await pilot.pause()
        await type_note(pilot, f"? {question}")
        await type_note(pilot, f"= {answer}")
        listed = app.screen.query_one("#questions", OptionList)
        assert listed.option_count == 1
        prompt = listed.get_option_at_index(0).prompt
        assert isinstance(prompt, Content)
        assert prompt.plain == f"? {shown(question)}\n→ {shown(answer)}"
        decisions = app.screen.query_one("#decisions", ItemTable)
        assert not has_raw_control(str(decisions.get_row_at(0)[2]))
    (stored,) = load(tmp_path, session_id).questions
    assert (stored.text, stored.answer) == (question, answer)


async def test_inputs_show_control_characters_as_symbols_and_keep_the_value(
    tmp_path: Path,
) -> None:
    session_id = new_session(tmp_path)
    text = TEXT["ansi-cursor"] + TEXT["control-c1-csi"] + "\nsecond line"
    with Store(tmp_path / "review.db") as store:
        at = datetime(2026, 3, 12, 14, 5, tzinfo=UTC)
        event_id = store.add(session_id, TimelineEvent(at=at, text=text)).id
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        capture = app.screen.query_one("#capture", Input)
        capture.value = TEXT["ansi-osc-title"]
        await pilot.pause()
        drawn = capture.render_line(0).text
        assert not has_raw_control(drawn) and "\n" not in drawn
        assert "␛]0;pwned title␇" in drawn
        capture.value = ""
        await pilot.press("f3")
        await pilot.pause()
        app.screen.query_one("#events", ItemTable).focus()
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        field = form.query_one("#field-text", Input)
        assert field.value == text
        drawn = field.render_line(0).text
        assert not has_raw_control(drawn) and "\n" not in drawn
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
    (event,) = load(tmp_path, session_id).events
    assert (event.id, event.text) == (event_id, text)
