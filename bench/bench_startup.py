"""Start-up: process start → the home screen's first frame, in a real terminal (pty, 100×30).

``python -m review_assistant --data-dir DIR`` on the demo data (and on 1,000 generated
reviews), against the baseline started the same way in the same run: ``python bare_app.py``,
a Textual app showing one Label. The first frame is the moment the app writes the text that
only the whole first screen holds: the home screen's own key in the footer ("New review"; the
footer's app-wide keys such as "Help" can be drawn a frame earlier, for another focus), and
the Label's text. Medians of 10 starts each,
taken in turn so that any drift of the machine falls on both alike.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from generate import cached
from review_assistant.demo import build_demo
from review_assistant.store import Store
from terminal import Terminal, steady

RUNS = 10
#: Only the home screen's complete first screen holds this text.
HOME = b"New review"
HERE = Path(__file__).parent


def first_frame(command: list[str], needle: bytes) -> float:
    """Milliseconds from starting ``command`` in a pty to ``needle`` being written."""
    with Terminal(command=command, ready=needle, settle=False) as term:
        return term.ready_ms


def _spread(values: list[float]) -> str:
    median = statistics.median(values)
    return f"median {median:.0f} ms (min–max {min(values):.0f}–{max(values):.0f})"


def main() -> int:
    steady()  # this process's own collector is not to be timed
    bare_command = [sys.executable, str(HERE / "bare_app.py")]
    big = cached(1000)
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "review.db") as store:
            store.save_review(build_demo())
        os.environ["REVIEW_ASSISTANT_PROVIDER"] = "builtin"
        app_command = [sys.executable, "-m", "review_assistant", "--data-dir", folder]
        big_command = [sys.executable, "-m", "review_assistant", "--data-dir", str(big)]
        first_frame(bare_command, b"bare app ready")  # warm the file cache for both
        first_frame(app_command, HOME)
        bare: list[float] = []
        app: list[float] = []
        many: list[float] = []
        for _ in range(RUNS):
            bare.append(first_frame(bare_command, b"bare app ready"))
            app.append(first_frame(app_command, HOME))
            many.append(first_frame(big_command, HOME))
    ratio = statistics.median(app) / statistics.median(bare)
    print(f"start-up, process start → first frame (pty 100×30), {RUNS} starts each")
    print(f"  bare Textual app, one Label (baseline): {_spread(bare)}")
    print(f"  review-assistant home, demo data: {_spread(app)}")
    print(f"  ratio to the bare app: {ratio:.2f}× (target ≤ 1.3)")
    ratio_many = statistics.median(many) / statistics.median(bare)
    print(f"  review-assistant home, 1,000 reviews: {_spread(many)}; ratio {ratio_many:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
