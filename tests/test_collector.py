"""The cycle collector is held off while a review loads and set free again afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from review_assistant import collector
from review_assistant.demo import build_demo
from review_assistant.store import Store


def test_paused_holds_collection_off_and_restores_it() -> None:
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a failed load")
    assert gc.isenabled()


def test_paused_leaves_a_disabled_collector_disabled() -> None:
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_loading_a_review_leaves_the_collector_on(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        review = build_demo()
        store.save_review(review)
        loaded = store.load_review(review.session.id)
    assert gc.isenabled()
    assert [e.id for e in loaded.timeline()] == [e.id for e in review.timeline()]
    assert {n.id for n in loaded.notes} == {n.id for n in review.notes}


def test_settle_sets_objects_aside_until_release() -> None:
    collector.settle()
    try:
        assert gc.get_freeze_count() > 0
    finally:
        collector.release()
    assert gc.get_freeze_count() == 0


async def test_the_app_settles_after_start_and_releases_on_exit(tmp_path: Path) -> None:
    from review_assistant.tui.app import make_app

    app = make_app(tmp_path)
    async with app.run_test() as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0


def test_hold_keeps_collection_off_until_the_app_settles() -> None:
    collector.hold()
    try:
        assert not gc.isenabled()
        collector.settle()
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        collector.release()
        collector.resume()
    assert gc.isenabled() and gc.get_freeze_count() == 0


def test_a_start_that_fails_turns_collection_back_on(tmp_path: Path) -> None:
    from review_assistant.cli.main import main

    (tmp_path / "review.db").write_text("not a database")
    # The plain start holds collection, finds the file is no review database, says so and
    # stops: collection must be on again.
    assert main(["--data-dir", str(tmp_path)]) == 1
    assert gc.isenabled()
