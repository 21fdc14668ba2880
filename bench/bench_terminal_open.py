"""What a facilitator sees: the real app in a pseudo-terminal (100×30), Enter on the home
screen → the review screen's footer drawn. Baseline in the same run: the demo review."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from bench_open_review import big_review
from review_assistant.demo import build_demo
from review_assistant.domain.models import Review
from review_assistant.domain.phases import Phase
from review_assistant.store import Store

RUNS = 5


def wait_for(master: int, needle: bytes, seen: bytearray, after: int, timeout: float = 60) -> int:
    deadline = time.monotonic() + timeout
    while (found := seen.find(needle, after)) < 0:
        if time.monotonic() > deadline:
            raise TimeoutError(needle)
        if select.select([master], [], [], 0.01)[0]:
            seen += os.read(master, 65536)
    return found + len(needle)


def open_once(folder: Path) -> tuple[float, float]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    process = subprocess.Popen(
        [sys.executable, "-m", "review_assistant", "--data-dir", str(folder)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
    )
    os.close(slave)
    seen = bytearray()
    try:
        after = wait_for(master, b"Help", seen, 0)  # home's footer: ready for keys
        while select.select([master], [], [], 0.3)[0]:  # let the first frames settle
            seen += os.read(master, 65536)
        after = len(seen)
        began = time.perf_counter()
        os.write(master, b"\r")
        wait_for(master, b"Type a note", seen, after)  # the review screen's first frame
        drawn = time.perf_counter()
        wait_for(master, b"Details", seen, after)  # its footer: keys are live
        return (drawn - began) * 1000, (time.perf_counter() - began) * 1000
    finally:
        process.kill()
        process.wait()
        os.close(master)


def measure(review: Review) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "review.db") as store:
            store.save_review(review)
        return [open_once(Path(folder)) for _ in range(RUNS)]


def main() -> int:
    demo = measure(build_demo())
    big = measure(big_review())
    on_timeline = big_review()
    on_timeline.session = on_timeline.session.model_copy(update={"phase": Phase.TIMELINE})
    timeline = measure(on_timeline)
    print(f"open a review in a real terminal (pty, 100×30), Enter on home, {RUNS} fresh starts")
    for index, what in ((0, "first frame drawn"), (1, "footer keys live")):
        print(f"  → {what}")
        for label, runs in (
            ("demo review", demo),
            ("5,000 notes + 2,000 events, on level-set", big),
            ("the same, on the 2,000-event timeline", timeline),
        ):
            values = [run[index] for run in runs]
            print(
                f"    {label}: median {statistics.median(values):.0f} ms "
                f"(min–max {min(values):.0f}–{max(values):.0f})"
            )
        ratio = statistics.median(r[index] for r in big) / statistics.median(r[index] for r in demo)
        print(f"    ratio big/demo: {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
