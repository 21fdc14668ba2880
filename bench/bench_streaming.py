"""Streaming overhead: a chunk leaving a local OpenAI-compatible server → it on screen.

The server (``sse_server.py``) streams a JSON list of 6 questions at 200 tokens/s (one
4-character chunk every 5 ms) and notes when each chunk was flushed. The review screen shows a
question once its text is complete, so for each question the latency is from the chunk that
completes it being sent to the question being written to the terminal by the real app (in a
100×30 pty, F9 on the demo review). The baseline, in the same run against the same server:
the raw ``openai`` client reading the same stream, from the same chunk being sent to it being
read. Added latency = app − raw client, per question.

Then typing while a stream runs: a key is typed into the note line every 25 ms during the
stream, and each key's echo on screen is timed; the same typing with no stream running is
the baseline. The target: no key waits more than 50 ms.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from review_assistant.demo import build_demo
from review_assistant.store import Store
from sse_server import TimedStream
from terminal import Terminal, steady

QUESTIONS = 6  # all of them fit in the panel while it streams, at 100×30
CHUNK = 4  # characters: about one token
INTERVAL_S = 0.005  # 200 chunks a second
KEY_EVERY_S = 0.025
RUNS = 3
DEBUG = "--debug" in sys.argv
F9 = b"\x1b[20~"
#: One distinct character per key press, none of which the app draws otherwise.
KEYS = [
    chr(c)
    for c in [
        *range(0x3B1, 0x3C2),
        *range(0x3C3, 0x3CA),
        *range(0x430, 0x450),
        *range(0x561, 0x587),
    ]
]


def _document(run: int) -> tuple[list[str], dict[bytes, int]]:
    """The chunks, and for each question's marker the index of the chunk that completes it
    (markers differ from run to run: an earlier run's list may still be redrawn)."""
    questions = [
        {
            "question": f"Q{run:02d}{k:02d} what did they see?",
            "why": "It shows what the on-call engineer knew at that moment, which the timeline "
            "alone does not: the dashboards they had open, the alerts that had fired, what the "
            "runbook said to do next and what the incident channel was discussing. Knowing that "
            "lets the room see why the next step made sense, without hindsight about the end.",
        }
        for k in range(QUESTIONS)
    ]
    text = json.dumps({"questions": questions})
    chunks = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)]
    completing = {}
    for q in questions:
        quoted = json.dumps(q["question"])
        end = text.index(quoted) + len(quoted) - 1  # the closing quote
        completing[q["question"][:5].encode()] = end // CHUNK
    return chunks, completing


def _raw_client(server: TimedStream, completing: dict[bytes, int]) -> list[float]:
    import openai

    client = openai.OpenAI(base_url=server.url, api_key="bench", max_retries=0)
    received: list[float] = []
    stream = client.chat.completions.create(
        model="bench-model", messages=[{"role": "user", "content": "questions"}], stream=True
    )
    for event in stream:
        if event.choices and event.choices[0].delta.content:
            received.append(time.perf_counter())
    sent = server.sent[-1]
    return [(received[index] - sent[index]) * 1000 for index in completing.values()]


def _watch(
    term: Terminal,
    needles: dict[bytes, int],
    keys: list[str],
    over: Callable[[], bool] = lambda: False,
    timeout: float = 60,
) -> tuple[dict[bytes, float], list[float]]:
    """Read the terminal until every needle has been drawn (or ``over()``) and every key
    echoed; type one key every KEY_EVERY_S meanwhile. When each needle was drawn, and each
    key's echo latency."""
    start = len(term.seen)
    began = time.perf_counter()
    seen_at: dict[bytes, float] = {}
    echoes: list[float] = []
    pending: list[tuple[bytes, int, float]] = []  # key bytes, offset, when typed
    queue = list(keys)
    next_key = time.perf_counter()
    deadline = time.perf_counter() + timeout
    while (len(seen_at) < len(needles) and not over()) or pending or queue:
        now = time.perf_counter()
        if now > deadline:
            missing = sorted(n.decode() for n in needles if n not in seen_at)
            raise TimeoutError(f"not drawn: {missing}; {len(pending)} keys not echoed")
        if queue and now >= next_key:
            key = queue.pop(0).encode()
            pending.append((key, len(term.seen), time.perf_counter()))
            os.write(term.master, key)
            next_key += KEY_EVERY_S
        term.read(0.001)
        now = time.perf_counter()
        for needle in needles:
            if needle not in seen_at and term.seen.find(needle, start) >= 0:
                seen_at[needle] = now
        for item in list(pending):
            key, offset, typed = item
            if term.seen.find(key, offset) >= 0:
                echoes.append((now - typed) * 1000)
                if DEBUG and echoes[-1] > 50:
                    print(f"  slow key at +{(typed - began) * 1000:.0f} ms: {echoes[-1]:.0f} ms")
                pending.remove(item)
    return seen_at, echoes


def _spread(values: list[float]) -> str:
    return (
        f"median {statistics.median(values):.1f} ms, p99 {_p99(values):.1f} ms "
        f"(min–max {min(values):.1f}–{max(values):.1f})"
    )


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def main() -> int:
    steady()  # this process's own collector is not to be timed
    chunks, completing = _document(0)
    raw: list[float] = []
    app: list[float] = []
    echo_streaming: list[float] = []
    echo_quiet: list[float] = []
    drawn = 0
    with tempfile.TemporaryDirectory() as folder, TimedStream(chunks, INTERVAL_S) as server:
        with Store(Path(folder) / "review.db") as store:
            session_id = store.save_review(build_demo())
        _raw_client(server, completing)  # warm-up: imports, first connection
        for _ in range(RUNS):
            raw += _raw_client(server, completing)
        os.environ |= {
            "REVIEW_ASSISTANT_PROVIDER": "openai",
            "OPENAI_BASE_URL": server.url,
            "OPENAI_API_KEY": "bench",
            "REVIEW_ASSISTANT_MODEL": "bench-model",
        }
        with Terminal(Path(folder), ready=b"Details", args=("open", session_id)) as term:
            _watch(term, {}, KEYS[:40])  # typing with nothing streaming: the baseline
            echo_quiet = _watch(term, {}, KEYS[40:80])[1]
            for run in range(RUNS + 2):  # a warm-up run, RUNS measured, one with typing
                server.chunks, completing = _document(run + 1)
                requests = server.requests

                def over(requests: int = requests) -> bool:
                    """The stream was sent in full half a second ago (the last question
                    may be drawn only in the list that follows, below the fold)."""
                    if server.requests == requests or len(server.sent[-1]) < len(chunks):
                        return False
                    return time.perf_counter() - server.sent[-1][-1] > 0.5

                os.write(term.master, F9)
                typing = run == RUNS + 1
                seen_at, echoes = _watch(term, completing, KEYS[:100] if typing else [], over)
                sent = server.sent[-1]
                if run == 0:
                    continue  # the first call pays the openai import
                if typing:
                    echo_streaming = echoes
                else:
                    app += [
                        (seen_at[m] - sent[i]) * 1000 for m, i in completing.items() if m in seen_at
                    ]
                    drawn += len(seen_at)
                term.settle(0.5)
    added = statistics.median(app) - statistics.median(raw)
    print(
        f"streaming {len(chunks)} chunks at {1 / INTERVAL_S:.0f}/s "
        f"({QUESTIONS} questions), {RUNS} runs"
    )
    print(f"  raw openai client, chunk sent → read: {_spread(raw)}")
    print(f"  the app, chunk sent → question on screen: {_spread(app)}")
    print(f"    ({drawn} of {RUNS * QUESTIONS} questions drawn while streaming)")
    print(f"  added by the app (medians): {added:.1f} ms (target ≤ 20 ms)")
    print(f"typing into the note line, a key every {KEY_EVERY_S * 1000:.0f} ms, key → echo")
    print(f"  nothing streaming (baseline): {_spread(echo_quiet)}")
    print(f"  while a 200-token/s stream runs: {_spread(echo_streaming)}")
    ratio = statistics.median(echo_streaming) / statistics.median(echo_quiet)
    longest = max(echo_streaming)
    print(f"  ratio streaming/quiet (medians): {ratio:.2f}×; longest wait {longest:.1f} ms")
    print("  (target: no key waits more than 50 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
