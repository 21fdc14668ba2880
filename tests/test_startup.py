"""Start-up: the home screen's first frame needs only the list of reviews, read with sqlite3;
the store, the models and the settings load right after it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from review_assistant.demo import build_demo
from review_assistant.domain.models import ActionItem, ActionStatus, ReviewSession
from review_assistant.store import Store
from review_assistant.store.listing import peek
from review_assistant.store.migrations import LATEST
from review_assistant.tui.app import make_app
from review_assistant.tui.home import HomeScreen
from review_assistant.tui.row_table import RowTable


def test_the_first_frame_imports_neither_the_models_nor_sqlite_utils() -> None:
    code = (
        "import sys\n"
        "from review_assistant.cli.main import _quick_home\n"
        "import review_assistant.tui.app, review_assistant.tui.home\n"
        "from review_assistant.store.listing import peek\n"
        "heavy = ('pydantic', 'sqlite_utils', 'openai', 'tiktoken', 'jinja2', 'argparse')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_peek_lists_what_the_store_lists(tmp_path: Path) -> None:
    path = tmp_path / "review.db"
    with Store(path) as store:
        demo = store.save_review(build_demo())
        other = store.create_session(ReviewSession(title="Quiet one", severity=""))
        store.add(other.id, ActionItem(text="Page the right team", status=ActionStatus.DONE))
        store.update_session(demo, pulse_learned=True, pulse_again=False)
        expected = store.list_sessions()
        # read while the store still has the file open (WAL, not checkpointed)
        assert peek(path) == expected
    assert peek(path) == expected  # and after a clean close
    assert [s.open_actions for s in expected if s.id == demo] == [2]
    assert [(s.pulse_learned, s.pulse_again) for s in expected if s.id == demo] == [(True, False)]


def test_peek_leaves_anything_unusual_to_the_store(tmp_path: Path) -> None:
    assert peek(tmp_path / "missing.db") is None
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    assert peek(garbage) is None
    older = tmp_path / "older.db"
    Store(older).close()
    db = sqlite3.connect(older)
    db.execute(f"PRAGMA user_version = {LATEST - 1}")
    db.commit()
    db.close()
    assert peek(older) is None  # a migration is due: only the store may do that
    assert not (tmp_path / "missing.db").exists()  # peeking creates nothing


async def test_home_shows_the_list_first_then_opens_the_store(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        store.save_review(build_demo())
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert app.screen.query_one(RowTable).row_count == 1
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app._store is not None  # opened once the background imports were done
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.__class__.__name__ == "ReviewScreen"


async def test_unusable_settings_fall_back_to_the_builtin_and_say_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REVIEW_ASSISTANT_PROVIDER", "[b]carrier-pigeon[/b]")
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.settings.provider == "builtin"
        assert "carrier-pigeon" in app.settings_error
        shown = [str(n.message) for n in app._notifications]
        assert any("[b]carrier-pigeon[/b]" in message for message in shown)  # literally


def test_only_the_plain_start_takes_the_quick_way() -> None:
    from review_assistant.cli.main import _home_only

    assert _home_only([]) == (True, None)
    assert _home_only(["--data-dir", "reviews"]) == (True, "reviews")
    assert _home_only(["--data-dir=reviews"]) == (True, "reviews")
    for argv in (
        ["--provider", "openai"],
        ["--data-dir", "reviews", "--model", "m"],
        ["--data-dir", "--help"],
        ["list"],
        ["--version"],
        ["open", "abc"],
    ):
        assert _home_only(argv) == (False, None), argv
