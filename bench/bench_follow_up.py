"""The follow-up views with 1,000 reviews (about 200,000 notes and events), in a real terminal.

The app runs in a 100×30 pseudo-terminal, as a facilitator would see it. Each figure is from
the key leaving here to the frame holding the view being written by the app:
- the open-actions view (`a`) to its first frame, and to its footer (keys live);
- switching it to the overdue set (`f`);
- the learning view (`L`);
- a search (`s`, a word, Enter) from Enter to the results.
The baseline, measured in the same run the same way: the same keys on the demo review alone.
Each view is opened RUNS times in one app (the first opening pays Python's imports).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from generate import cached
from review_assistant.demo import build_demo
from review_assistant.store import Store
from terminal import Terminal, steady

RUNS = 7


def _views(folder: Path) -> dict[str, list[float]]:
    figures: dict[str, list[float]] = {}

    def record(name: str, value: float) -> None:
        figures.setdefault(name, []).append(value)

    with Terminal(folder) as term:
        for _ in range(RUNS):
            drawn, live = term.time_keys(b"a", b"Showing open", b"Owner")
            record("open actions: first frame", drawn)
            record("open actions: keys live", live)
            term.settle(0.2)
            (switched,) = term.time_keys(b"f", b"Showing overdue")
            record("open actions: f to the overdue set", switched)
            term.settle(0.2)
            term.time_keys(b"\x1b", b"Help")
            term.settle(0.2)
        for _ in range(RUNS):
            drawn, live = term.time_keys(b"L", b"Recurring theme", b"Parked ideas")
            record("learning view: first frame", drawn)
            record("learning view: keys live", live)
            term.settle(0.2)
            term.time_keys(b"\x1b", b"Help")
            term.settle(0.2)
        for _ in range(RUNS):
            term.time_keys(b"s", b"Search")
            term.settle(0.2)
            term.send(b"pool")
            (found,) = term.time_keys(b"\r", b" match")
            record("search box: Enter to results", found)
            term.settle(0.2)
            term.time_keys(b"\x1b\x1b", b"Help")
            term.settle(0.2)
    return figures


def _median(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.0f} ms (min–max {min(values):.0f}–{max(values):.0f})"
    )


def main() -> int:
    steady()  # this process's own collector is not to be timed
    with tempfile.TemporaryDirectory() as demo_folder:
        with Store(Path(demo_folder) / "review.db") as store:
            store.save_review(build_demo())
        baseline = _views(Path(demo_folder))
    big = _views(cached(1000))
    print(f"follow-up views in a real terminal (pty, 100×30), {RUNS} openings each")
    print("  1,000 reviews: 1,827 open actions, 4,482 factors, 2,962 learnings")
    middle: Callable[[list[float]], float] = statistics.median
    for name, values in big.items():
        ratio = middle(values) / middle(baseline[name])
        print(f"  {name}: {_median(values)}")
        print(f"    demo review alone: {_median(baseline[name])}; ratio {ratio:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
