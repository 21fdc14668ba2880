"""The real app in a pseudo-terminal: kill -9 loses nothing, and 16 colours stay readable."""

from __future__ import annotations

import re
import sqlite3
import sys
from pathlib import Path

import pytest

from pty_terminal import Terminal
from review_assistant.demo import build_demo
from review_assistant.domain.models import ReviewSession
from review_assistant.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a pty")


def test_kill_9_after_saved_loses_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        session = ReviewSession(title="Cache stampede", timezone="UTC")
        store.create_session(session)
    terminal = Terminal(["--data-dir", str(tmp_path), "open", session.id])
    try:
        # The review screen's own keys in the footer: its input has focus, typing is safe.
        seen = terminal.read_until(b"Details")
        for note, text in (
            ("14:05 detection: cache hit rate alarm", "cache hit rate alarm"),
            ("! add jitter to cache expiry", "add jitter to cache expiry"),
        ):
            terminal.type(note)
            seen = terminal.read_until(note.encode()[-12:], after=seen)  # echoed in the input
            terminal.type("\r")
            seen = terminal.acknowledged(text, after=seen)
    finally:
        terminal.kill()  # no clean shutdown: SIGKILL right after the screen said "saved"
    db = sqlite3.connect(tmp_path / "review.db")
    try:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        events = db.execute("SELECT kind, text FROM events").fetchall()
        ideas = db.execute("SELECT text FROM ideas").fetchall()
    finally:
        db.close()
    assert events == [("detection", "cache hit rate alarm")]
    assert ideas == [("add jitter to cache expiry",)]


DRAWING = set("▔▁▊▎▏▇▃▄▅▆█▀▐▌│─╭╮╰╯")


def basic_colour(code: int) -> tuple[str, int] | None:
    """(layer, colour 0–15) for a 16-colour SGR code, else None."""
    for base, layer, offset in ((30, "fg", 0), (90, "fg", 8), (40, "bg", 0), (100, "bg", 8)):
        if base <= code <= base + 7:
            return layer, code - base + offset
    return None


def unreadable(output: bytes) -> tuple[set[str], list[str]]:
    """Colour codes beyond the 16 basic ones, and text drawn in its own background colour."""
    wide: set[str] = set()
    hidden: list[str] = []
    colour: dict[str, int | None] = {"fg": None, "bg": None}
    text = output.decode(errors="replace")
    for match in re.finditer(r"\x1b\[([0-9;?]*)([A-Za-z~])|([^\x1b])", text):
        params, command, char = match.groups()
        if char is not None:
            drawn = char.strip() and char not in DRAWING
            if drawn and colour["fg"] is not None and colour["fg"] == colour["bg"]:
                hidden.append(char)
            continue
        if command != "m":
            continue
        for code in [int(c) if c.isdigit() else 0 for c in (params or "0").split(";")]:
            if code in (38, 48):
                wide.add(params)
                break
            if code == 0:
                colour = {"fg": None, "bg": None}
            elif code in (39, 49):
                colour["fg" if code == 39 else "bg"] = None
            elif (found := basic_colour(code)) is not None:
                colour[found[0]] = found[1]
    return wide, hidden


def test_sixteen_colours_every_screen_readable(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        session_id = store.save_review(build_demo())
    terminal = Terminal(["--data-dir", str(tmp_path), "open", session_id], term="xterm")
    try:
        seen = terminal.read_until(b"Details")
        for key, title in (  # each phase's purpose is only drawn while it is current
            ("\x1bOQ", b"Put everyone on the same page"),  # F2
            ("\x1bOR", b"Walk through events"),  # F3
            ("\x1bOS", b"what made them reasonable"),  # F4
            ("\x1b[15~", b"Name the actions, tools"),  # F5
            ("\x1b[17~", b"Never a single cause"),  # F6
            ("\x1b[18~", b"A separate pass"),  # F7
            ("\x1b[19~", b"Incident start (ISO"),  # F8: the details form
        ):
            terminal.type(key)
            seen = terminal.read_until(title, after=seen)
    finally:
        terminal.kill()
    wide, hidden = unreadable(bytes(terminal.output))
    assert not wide, f"colours beyond the 16 basic ones: {sorted(wide)[:5]}"
    assert not hidden, f"text drawn in its background colour: {''.join(hidden)[:80]!r}"
