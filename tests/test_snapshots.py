"""Snapshot tests: every screen at 100×30 on the demo review."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot

from review_assistant.tui.app import ReviewApp, make_app
from tui_helpers import SIZE, seed_demo

SnapCompare = Callable[..., bool]
FIXED_NOW = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)


def demo_app(tmp_path: Path, *, open_review: bool = True) -> ReviewApp:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id if open_review else None)
    app.now = lambda: FIXED_NOW
    return app


def test_home(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, open_review=False), terminal_size=SIZE)


def test_new_review_form(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, open_review=False), press=["n"], terminal_size=SIZE)


@pytest.mark.parametrize("key", ["f2", "f3", "f4", "f5", "f6", "f7"])
def test_review_phase(snap_compare: SnapCompare, tmp_path: Path, key: str) -> None:
    assert snap_compare(demo_app(tmp_path), press=[key], terminal_size=SIZE)


def test_capture_error(snap_compare: SnapCompare, tmp_path: Path) -> None:
    async def type_bad(pilot: Pilot[Any]) -> None:
        await pilot.press("f3", *"25:99 pager", "enter")

    assert snap_compare(demo_app(tmp_path), run_before=type_bad, terminal_size=SIZE)


def test_interview(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), press=["ctrl+r", "enter"], terminal_size=SIZE)


def test_who_knew(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), press=["ctrl+t"], terminal_size=SIZE)


def test_action_pass(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), press=["ctrl+o"], terminal_size=SIZE)


def test_help(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), press=["f1"], terminal_size=SIZE)


def test_review_details_form(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), press=["f8"], terminal_size=SIZE)


def test_open_actions(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, open_review=False), press=["a"], terminal_size=SIZE)


def test_learning_across_incidents(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path, open_review=False), press=["L"], terminal_size=SIZE)


def test_search(snap_compare: SnapCompare, tmp_path: Path) -> None:
    keys = ["s", *"pool", "enter"]
    assert snap_compare(demo_app(tmp_path, open_review=False), press=keys, terminal_size=SIZE)


def test_end_meeting_pulse(snap_compare: SnapCompare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), press=["f12"], terminal_size=SIZE)
