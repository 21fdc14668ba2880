"""What a facilitator sees: the real app in a pseudo-terminal (100×30), Enter on the home
screen → the review screen's footer drawn. Baseline in the same run: the demo review."""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

from bench_open_review import big_review
from review_assistant.demo import build_demo
from review_assistant.domain.models import Review
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from terminal import Terminal, steady

RUNS = 5
#: How long the home screen is shown before Enter (after it stops drawing).
READING_S = 1.5


def open_once(folder: Path, reading_s: float = READING_S) -> tuple[float, float]:
    """Enter on the home screen: to the review screen's first frame, and to its footer.

    Enter is pressed ``reading_s`` after the home screen went quiet: a facilitator reads the
    list first, and the app uses that moment to load the store and the review screen.
    """
    with Terminal(folder) as term:
        term.settle(reading_s)
        drawn, live = term.time_keys(b"\r", b"Type a note", b"Details")
        return drawn, live


def measure(review: Review) -> list[tuple[float, float]]:
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "review.db") as store:
            store.save_review(review)
        return [open_once(Path(folder)) for _ in range(RUNS)]


def main() -> int:
    steady()  # this process's own collector is not to be timed
    demo = measure(build_demo())
    big = measure(big_review())
    on_timeline = big_review()
    on_timeline.session = on_timeline.session.model_copy(update={"phase": Phase.TIMELINE})
    timeline = measure(on_timeline)
    with tempfile.TemporaryDirectory() as folder:
        with Store(Path(folder) / "review.db") as store:
            store.save_review(big_review())
        at_once = [open_once(Path(folder), reading_s=0.0) for _ in range(RUNS)]
    print(f"open a review in a real terminal (pty, 100×30), Enter on home, {RUNS} fresh starts")
    print(f"  (Enter {READING_S} s after the home screen is drawn, as a facilitator reads it)")
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
        values = [run[index] for run in at_once]
        print(
            f"    5,000 notes + 2,000 events, Enter at once (while the app still loads): median "
            f"{statistics.median(values):.0f} ms (min–max {min(values):.0f}–{max(values):.0f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
