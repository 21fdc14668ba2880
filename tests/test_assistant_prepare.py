"""Preparing the prompt material when a review is opened, so the first ask is as quick as the
next: what it leaves remembered, what it never does (send, store, log, show), and the app's
worker that runs it."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import jinja2
import pytest
from textual.worker import Worker, WorkerState

from assistant_helpers import settings_for
from review_assistant.assistant import context, prompting
from review_assistant.assistant.budget import pieces
from review_assistant.assistant.service import Assistant, Request
from review_assistant.assistant.settings import Settings
from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import AssistantCall, Note
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.assisting import PREPARE, AssistActions
from review_assistant.tui.interview import InterviewScreen
from review_assistant.tui.modals import ChoiceScreen
from tui_helpers import SIZE, seed_demo

ASK = Request(Task.SUGGEST, Phase.TIMELINE)


def unused_url() -> str:
    """An endpoint nothing listens on: a call to it would fail, and be logged as failed."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


@pytest.fixture
def remembered(monkeypatch: pytest.MonkeyPatch) -> dict[tuple[object, ...], context._Lines]:
    """The remembered lines, empty for this test: as in a process that has seen no review."""
    fresh: dict[tuple[object, ...], context._Lines] = {}
    monkeypatch.setattr(context, "_remembered", fresh)
    return fresh


def test_preparing_leaves_the_first_ask_nothing_to_write_or_count(
    store: Store, session_id: str, remembered: dict[tuple[object, ...], context._Lines]
) -> None:
    assistant = Assistant(store, settings_for(unused_url()))
    assistant.counter._known.clear()  # nothing counted before, whatever ran earlier
    assert assistant.prepare(store.load_review(session_id), Phase.TIMELINE) is True
    [lines] = remembered.values()
    written = dict(lines.known)
    counted = dict(assistant.counter._known)
    assert written and counted

    asked = assistant.prompt(store.load_review(session_id), ASK)  # read afresh, as the ask does
    assert list(remembered.values()) == [lines] and lines.known == written  # nothing new written
    assert all(p in counted for m in asked for p in pieces(m["content"]))  # all counted before
    assert len(assistant.counter._known) == len(counted)

    remembered.clear()
    assert asked == assistant.prompt(store.load_review(session_id), ASK)  # as if from nothing
    assert store.items(session_id, AssistantCall) == []


def test_a_note_added_after_preparing_is_the_only_line_written(
    store: Store, session_id: str, remembered: dict[tuple[object, ...], context._Lines]
) -> None:
    assistant = Assistant(store, settings_for(unused_url(), context_window=128_000))
    assert assistant.prepare(store.load_review(session_id), Phase.TIMELINE)
    [lines] = remembered.values()
    before = set(lines.known.values())
    note = store.add(session_id, Note(phase=Phase.TIMELINE, text="The pool graph was flat"))
    asked = assistant.prompt(store.load_review(session_id), ASK)
    [added] = set(lines.known.values()) - before
    assert added.startswith(f"[{note.id}]") and added in asked[1]["content"].splitlines()


def test_the_builtin_engine_prepares_nothing(
    store: Store, session_id: str, remembered: dict[tuple[object, ...], context._Lines]
) -> None:
    assert Assistant(store, Settings()).prepare(store.load_review(session_id), Phase.TIMELINE) is (
        False
    )
    assert remembered == {}


@pytest.mark.parametrize(
    "template",
    ["{{ not_given }}", "{% if %}broken", None],
    ids=["a missing variable", "a syntax error", "a missing template"],
)
def test_a_prompt_that_cannot_be_built_is_not_prepared_and_raises_nothing(
    store: Store, session_id: str, monkeypatch: pytest.MonkeyPatch, template: str | None
) -> None:
    templates = {"system.j2": "You help with a review."}
    if template is not None:
        templates["suggest.j2"] = template
    broken = jinja2.Environment(
        loader=jinja2.DictLoader(templates), undefined=jinja2.StrictUndefined
    )
    monkeypatch.setattr(prompting, "environment", lambda: broken)
    assistant = Assistant(store, settings_for(unused_url()))
    assert assistant.prepare(store.load_review(session_id), Phase.TIMELINE) is False


class Prepared:
    """Records the review screen's (timed) start of the preparation, and its worker."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.started = asyncio.Event()
        self.worker: Worker[bool] | None = None
        self.screens: list[str] = []  # the screens that started one, in turn
        start = AssistActions.prepare_assistant

        def recorded(screen: AssistActions) -> Worker[bool] | None:
            self.worker = start(screen)
            self.screens.append(type(screen).__name__)
            self.started.set()
            return self.worker

        monkeypatch.setattr(AssistActions, "prepare_assistant", recorded)

    async def wait(self) -> None:
        await asyncio.wait_for(self.started.wait(), timeout=60)


def calls(data_dir: Path, session_id: str) -> list[AssistantCall]:
    with Store(data_dir / "review.db") as store:
        return store.items(session_id, AssistantCall)


async def test_opening_a_review_prepares_it_in_the_background(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    remembered: dict[tuple[object, ...], context._Lines],
) -> None:
    session_id = seed_demo(tmp_path)
    prepared = Prepared(monkeypatch)
    app = make_app(tmp_path, session_id=session_id, settings=settings_for(unused_url()))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await prepared.wait()
        worker = prepared.worker
        assert worker is not None and worker.name == worker.group == PREPARE
        assert await worker.wait() is True
        assert worker.state is WorkerState.SUCCESS
        await pilot.pause()
        assert list(app._notifications) == []
        [lines] = remembered.values()
        assert lines.known
        assert app.is_running
    assert calls(tmp_path, session_id) == []


async def test_the_builtin_engine_starts_no_preparation(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    remembered: dict[tuple[object, ...], context._Lines],
) -> None:
    session_id = seed_demo(tmp_path)
    prepared = Prepared(monkeypatch)
    app = make_app(tmp_path, session_id=session_id, settings=Settings())
    async with app.run_test(size=SIZE):
        await prepared.wait()
        assert prepared.worker is None
        assert not [w for w in app.workers if w.group == PREPARE]
    assert remembered == {}
    assert calls(tmp_path, session_id) == []


async def test_quitting_before_or_during_the_preparation_is_fine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session_id = seed_demo(tmp_path)
    prepared = Prepared(monkeypatch)
    settings = settings_for(unused_url())
    app = make_app(tmp_path, session_id=session_id, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+q")  # before the screen's timer
    assert not prepared.started.is_set() and app.return_code == 0

    app = make_app(tmp_path, session_id=session_id, settings=settings)
    async with app.run_test(size=SIZE):
        await prepared.wait()
        assert prepared.worker is not None
        app.exit()  # while it may still be running
    assert app.return_code == 0
    assert calls(tmp_path, session_id) == []


async def test_the_interview_view_prepares_its_review_too(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    remembered: dict[tuple[object, ...], context._Lines],
) -> None:
    session_id = seed_demo(tmp_path)
    prepared = Prepared(monkeypatch)
    app = make_app(tmp_path, session_id=session_id, settings=settings_for(unused_url()))
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await prepared.wait()  # the review screen's
        assert prepared.worker is not None and await prepared.worker.wait() is True
        remembered.clear()  # as if nothing had been prepared
        prepared.started.clear()
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # the first participant's interview
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        await prepared.wait()
        assert prepared.screens == ["ReviewScreen", "InterviewScreen"]
        assert prepared.worker is not None and await prepared.worker.wait() is True
        [lines] = remembered.values()
        assert lines.known
        assert list(app._notifications) == []
    assert calls(tmp_path, session_id) == []
