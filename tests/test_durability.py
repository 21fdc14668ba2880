"""A note acknowledged to the caller survives SIGKILL of the writing process."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from review_assistant.domain.models import ReviewSession
from review_assistant.store import Store

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from review_assistant.recording import record
    from review_assistant.store import Store

    store = Store(Path(sys.argv[1]))
    session_id = sys.argv[2]
    i = 0
    while True:
        i += 1
        recorded = record(store, session_id, f"14:{i % 60:02d} note number {i}")
        sys.stdout.write(f"ack {recorded.item.id}\\n")
        sys.stdout.flush()
    """
)


@pytest.mark.parametrize("kill_after", [1, 7, 40])
def test_sigkill_right_after_ack_loses_nothing(tmp_path: Path, kill_after: int) -> None:
    path = tmp_path / "review.db"
    with Store(path) as store:
        session = store.create_session(ReviewSession(title="durability", timezone="UTC"))
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), session.id],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout is not None
    acked: list[str] = []
    for line in writer.stdout:
        acked.append(line.split()[1])
        if len(acked) >= kill_after:
            writer.send_signal(signal.SIGKILL)
            break
    writer.wait()
    assert writer.returncode == -signal.SIGKILL
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        stored = {row[0] for row in conn.execute("SELECT id FROM events")}
    finally:
        conn.close()
    assert set(acked) <= stored
    assert len(acked) == kill_after


def test_cli_add_is_committed_when_it_returns(tmp_path: Path) -> None:
    run = [sys.executable, "-m", "review_assistant", "--data-dir", str(tmp_path)]
    new = subprocess.run([*run, "new", "--title", "t"], capture_output=True, text=True, check=True)
    session_id = new.stdout.strip()
    subprocess.run([*run, "add", session_id, "the note"], check=True, capture_output=True)
    conn = sqlite3.connect(tmp_path / "review.db")
    try:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("the note",)]
    finally:
        conn.close()
