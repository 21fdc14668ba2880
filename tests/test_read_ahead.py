"""Reading a review ahead while the home screen shows the list: what is read ahead opens only
while nothing has been committed since, whoever committed it; reads see one moment."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from textual.pilot import Pilot

from review_assistant import collector
from review_assistant.demo import build_demo
from review_assistant.domain.models import Note
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from review_assistant.store.ahead import ReadAhead, read_ahead, take
from review_assistant.tui.app import ReviewApp, make_app
from review_assistant.tui.home import HomeScreen
from review_assistant.tui.review_screen import ReviewScreen
from tui_helpers import SIZE, seed_demo, settle


@pytest.fixture
def two(tmp_path: Path) -> tuple[Store, str, str]:
    store = Store(tmp_path / "review.db")
    first = store.save_review(build_demo())
    second = build_demo()
    second.session = second.session.model_copy(update={"id": "second-review"})
    for item in [*second.participants, *second.events, *second.notes]:
        item.id = f"2-{item.id}"
    return store, first, store.save_review(second)


def run_in_thread(path: Path, session_id: str, version: tuple[int, int]) -> ReadAhead:
    found: list[ReadAhead] = []
    thread = threading.Thread(target=lambda: found.append(read_ahead(path, session_id, version)))
    thread.start()
    thread.join()
    return found[0]


def test_a_review_read_ahead_is_taken_while_nothing_is_committed(
    two: tuple[Store, str, str],
) -> None:
    store, first, second = two
    ahead = run_in_thread(store.path, first, store.version())
    review = take(ahead, store, first)
    assert review is not None and review == store.load_review(first)
    assert take(ahead, store, second) is None  # another review
    assert take(None, store, first) is None
    store.close()


def test_a_write_through_the_same_store_makes_it_stale(two: tuple[Store, str, str]) -> None:
    store, first, second = two
    ahead = run_in_thread(store.path, first, store.version())
    store.add(second, Note(phase=Phase.LEVEL_SET, text="in another review"))
    # anything committed counts, even to another review: being sure is cheap (it is read again)
    assert take(ahead, store, first) is None
    store.close()


def test_a_write_through_another_connection_makes_it_stale(
    two: tuple[Store, str, str],
) -> None:
    store, first, _ = two
    ahead = run_in_thread(store.path, first, store.version())
    with Store(store.path) as other:  # another process, in effect
        other.add(first, Note(phase=Phase.LEVEL_SET, text="typed in the interview view"))
    assert take(ahead, store, first) is None
    assert "typed in the interview view" in [n.text for n in store.load_review(first).notes]
    store.close()


def test_reading_a_review_inside_an_open_transaction_uses_it(
    two: tuple[Store, str, str],
) -> None:
    store, first, _ = two
    store.db.execute("BEGIN")
    store.db.execute("DELETE FROM notes WHERE session_id = ?", [first])
    assert store.load_review(first).notes == []  # the transaction's own view
    assert store.db.conn.in_transaction  # and it is left open for its owner
    store.db.execute("ROLLBACK")
    assert store.load_review(first).notes
    assert not store.db.conn.in_transaction  # the read's own transaction is ended
    store.close()


def test_pauses_in_two_threads_leave_the_collector_as_it_was() -> None:
    """Reading a review ahead pauses the collector in a worker thread while the app may pause
    it too: it stays off until the last pause ends, whichever ends first."""
    assert gc.isenabled()
    inside, leave = threading.Event(), threading.Event()

    def reader() -> None:
        with collector.paused():
            inside.set()
            leave.wait()

    thread = threading.Thread(target=reader)
    with collector.paused():
        thread.start()
        inside.wait()
    assert not gc.isenabled()  # the reader is still inside
    leave.set()
    thread.join()
    assert gc.isenabled()
    inside.clear()
    leave.clear()
    thread = threading.Thread(target=reader)
    thread.start()
    inside.wait()
    with collector.paused():
        leave.set()
        thread.join()
        assert not gc.isenabled()  # this pause is still on
    assert gc.isenabled()


async def wait_for_read_ahead(pilot: Pilot[None]) -> None:
    """Past the cursor's rest on a review, and the reading done."""
    await settle(pilot.app)
    await pilot.pause(0.3)
    await settle(pilot.app)


def opened(app: ReviewApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


async def test_enter_opens_the_review_read_ahead(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_read_ahead(pilot)
        ahead = app._ahead
        assert ahead is not None and ahead.session_id == session_id
        await pilot.press("enter")
        await pilot.pause()
        assert opened(app).live.review is ahead.review  # not read again
        assert app._ahead is None  # used once


async def test_enter_reads_again_after_another_process_wrote(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_read_ahead(pilot)
        ahead = app._ahead
        assert ahead is not None
        with Store(tmp_path / "review.db") as other:
            other.add(session_id, Note(phase=Phase.LEVEL_SET, text="said in the interview"))
        await pilot.press("enter")
        await pilot.pause()
        review = opened(app).live.review
        assert review is not ahead.review
        assert "said in the interview" in [n.text for n in review.notes]


async def test_back_on_the_list_the_review_is_read_ahead_again(tmp_path: Path) -> None:
    seed_demo(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for_read_ahead(pilot)
        await pilot.press("enter")
        await pilot.pause()
        live = opened(app).live
        live.capture("typed in the meeting")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await wait_for_read_ahead(pilot)
        ahead = app._ahead
        assert ahead is not None and ahead.review is not live.review
        assert "typed in the meeting" in [n.text for n in ahead.review.notes]
        await pilot.press("enter")
        await pilot.pause()
        assert opened(app).live.review is ahead.review
