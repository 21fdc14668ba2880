"""Full-text search over 1,000 generated reviews (≈ 200,000 notes and timeline events).

Prints how long generating the reviews took, then the median, min and max of ``search()``
(50 newest hits, snippets included) over a set of typical queries — common and rare words,
prefixes and phrases — each run several times. The baseline, measured in the same run on the
same database, for the same words: a plain ``LIKE '%word%'`` over the notes table only (no
events, factors, learnings or actions, no diacritics folding, no word boundaries), twice —
the newest 50 matching notes (for a common word that walks the notes' time index and stops
after 50 rows, so it is quick; for a rare one it reads every note), and a scan that counts
every matching note.
"""

from __future__ import annotations

import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from generate import cached
from review_assistant.store import Store
from review_assistant.store.search import rebuild_index, search

REVIEWS = 1000
ROUNDS = 5
QUERIES = (
    # common words
    "pool",
    "alert",
    "runbook",
    "timeouts",
    "checkout api",
    # rare words
    "INC-4242",
    "db-us-east-17",
    "façade",
    "naive retry",
    "SQLSTATE 40001",
    # prefixes
    "satur*",
    "certif*",
    "rollb*",
    "replic*",
    # phrases
    '"connection pool"',
    '"pager alert"',
    '"read replica" lag',
    '"retry storm"',
    # several words
    "Alex Example deadlock",
    "eu-west packet loss",
)
#: Words searched both ways, for the baseline: common, less common, rare.
BASELINE_WORDS = ("pool", "runbook", "deadlock", "SQLSTATE", "INC-4242", "db-us-east-17")


def _ms(began: float) -> float:
    return (time.perf_counter() - began) * 1000


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "review.db"
        shutil.copy(cached(REVIEWS) / "review.db", path)  # the rebuild below writes to it

        with Store(path) as store:
            counts = {
                table: int(store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                for table in ("notes", "events", "factors", "learnings", "actions")
            }
            size_mb = path.stat().st_size / 1e6
            search(store, "warm up")

            timings: list[float] = []
            per_query: dict[str, float] = {}
            found: dict[str, int] = {}
            for query in QUERIES:
                runs = []
                for _ in range(ROUNDS):
                    began = time.perf_counter()
                    hits = search(store, query)
                    runs.append(_ms(began))
                assert hits or query in {"INC-4242"}, f"nothing found for {query!r}"
                found[query] = len(hits)
                per_query[query] = statistics.median(runs)
                timings += runs

            like: list[float] = []
            scan: list[float] = []
            fts: list[float] = []
            pairs: dict[str, tuple[float, float, float]] = {}
            for word in BASELINE_WORDS:
                like_runs, scan_runs, fts_runs = [], [], []
                for _ in range(ROUNDS):
                    began = time.perf_counter()
                    store.db.execute(
                        "SELECT session_id, id, text FROM notes WHERE text LIKE ? "
                        "ORDER BY created_at DESC LIMIT 50",
                        [f"%{word}%"],
                    ).fetchall()
                    like_runs.append(_ms(began))
                    began = time.perf_counter()
                    store.db.execute(
                        "SELECT count(*) FROM notes WHERE text LIKE ?", [f"%{word}%"]
                    ).fetchone()
                    scan_runs.append(_ms(began))
                    began = time.perf_counter()
                    search(store, word)
                    fts_runs.append(_ms(began))
                pairs[word] = (
                    statistics.median(like_runs),
                    statistics.median(scan_runs),
                    statistics.median(fts_runs),
                )
                like += like_runs
                scan += scan_runs
                fts += fts_runs

            began = time.perf_counter()
            rebuild_index(store)
            rebuilt = time.perf_counter() - began

    items = counts["notes"] + counts["events"]
    print(f"search over {REVIEWS:,} generated reviews: {items:,} notes and events, ", end="")
    print(
        f"{counts['factors']:,} factors, {counts['learnings']:,} learnings, "
        f"{counts['actions']:,} actions ({size_mb:.0f} MB)"
    )
    print(f"  index rebuilt from scratch (as the upgrade does) in {rebuilt:.1f} s")
    print(f"  {len(QUERIES)} queries × {ROUNDS} rounds, 50 newest hits with snippets:")
    for query, median in per_query.items():
        print(f"    {query!r:26} {found[query]:3} hits  median {median:6.2f} ms")
    median = statistics.median(timings)
    print(
        f"  search: median {median:.2f} ms  min {min(timings):.2f} ms  "
        f"max {max(timings):.2f} ms  (target: median < 100 ms)"
    )
    print(f"  baseline, same words, LIKE '%word%' over notes only ({ROUNDS} rounds, medians):")
    for word, (like_ms, scan_ms, fts_ms) in pairs.items():
        print(
            f"    {word!r:18} LIKE newest 50 {like_ms:6.2f} ms   LIKE scan {scan_ms:6.2f} ms   "
            f"search {fts_ms:6.2f} ms"
        )
    like_median, scan_median = statistics.median(like), statistics.median(scan)
    fts_median = statistics.median(fts)
    print(
        f"  medians: LIKE newest 50 {like_median:.2f} ms (max {max(like):.2f})  "
        f"LIKE scan {scan_median:.2f} ms (max {max(scan):.2f})  "
        f"search {fts_median:.2f} ms (max {max(fts):.2f})"
    )
    print(
        f"  ratio to search (medians, same words): LIKE newest 50 {like_median / fts_median:.2f}×"
        f"  LIKE scan {scan_median / fts_median:.1f}×"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
