"""Hostile endpoints: bytes that are neither HTTP nor UTF-8, a 50 MB answer, an endless stream.

Each one ends on its own as an error the facilitator can read, logged with the call; the memory
held while reading stays far below what the server sends; the next call works; and in the app,
notes typed during the call are saved, Escape cancels and keys keep working.
"""

from __future__ import annotations

import contextlib
import json
import tracemalloc
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2
import pytest
from textual.pilot import Pilot

from assistant_helpers import settings_for
from openai_server import Behaviour, Endless, Events, FakeOpenAI, Flood, Garbage, Stream
from review_assistant.assistant.guard import BoundedStream, TooLarge
from review_assistant.assistant.remote import AssistantError, stream_chat
from review_assistant.assistant.service import Assistant, Outcome, Request
from review_assistant.assistant.settings import Settings, SettingsError, load_settings
from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import AssistantCall, CallOutcome, Draft, Suggestion
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from review_assistant.tui.app import ReviewApp, make_app
from review_assistant.tui.assistant_panel import StreamPreview, SuggestionList
from review_assistant.tui.assisting import MORE, SHOWN_TEXT
from review_assistant.tui.review_screen import ReviewScreen
from tui_helpers import SIZE, load, seed_demo, settle, status, type_note

KB = 1024
MB = 1024 * KB
#: What a hostile answer may add to the memory in use while it is read: far below the 50 MB
#: sent (one event of a stream is bounded at 8 × max_response_kb = 2 MB by default).
MEMORY_BOUND = 12 * MB
QUESTIONS = {
    "questions": [
        {"question": "What did the pool dashboard show first?", "ref": None, "why": "w1"},
        {"question": "What else was on the table at 14:20?", "ref": None, "why": "w2"},
    ]
}


def good_answer() -> Stream:
    answer = json.dumps(QUESTIONS)
    return Stream([answer[:30], answer[30:90], answer[90:]])


@dataclass
class Peak:
    """The most Python memory in use above where measuring started."""

    growth: int = 0


@contextlib.contextmanager
def peak_memory() -> Iterator[Peak]:
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    baseline, _ = tracemalloc.get_traced_memory()
    peak = Peak()
    try:
        yield peak
    finally:
        peak.growth = tracemalloc.get_traced_memory()[1] - baseline
        if not tracing:
            tracemalloc.stop()


async def hostile_call(
    server: FakeOpenAI,
    store: Store,
    session_id: str,
    behaviour: Behaviour,
    *,
    task: Task = Task.SUGGEST,
    **changes: object,
) -> tuple[Outcome, Peak]:
    """A good call first (so imports, encodings and templates are loaded before measuring),
    then the hostile one, measured, then a good one again, which must work."""
    assistant = Assistant(store, settings_for(server.url, **changes))
    request = Request(task, Phase.TIMELINE)
    server.script(good_answer())
    assert (await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))).error == ""
    server.script(behaviour)
    deltas: list[str] = []
    with peak_memory() as peak:
        outcome = await assistant.run(session_id, request, deltas.append)
    assert "".join(deltas) == outcome.text  # the facilitator saw exactly what was kept
    server.script(good_answer())
    after = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))
    assert after.error == "" and len(after.suggestions) == 2
    return outcome, peak


def logged(store: Store, session_id: str, outcome: Outcome) -> AssistantCall:
    """The hostile call as logged: an error, with the message shown, kept short."""
    found = [c for c in store.items(session_id, AssistantCall) if c.id == outcome.call.id]
    assert len(found) == 1
    call = found[0]
    assert call.outcome is CallOutcome.ERROR
    assert call.error == outcome.error != ""
    assert len(call.error) < 1_000
    assert call.total_ms is not None and call.total_ms > 0
    return call


def no_suggestions_from(store: Store, session_id: str, outcome: Outcome) -> None:
    assert outcome.suggestions == []
    assert not [s for s in store.items(session_id, Suggestion) if s.call_id == outcome.call.id]


# -- 1. garbage bytes -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [64 * KB, MB], ids=["64KB", "1MB"])
async def test_garbage_instead_of_an_http_response(
    server: FakeOpenAI, store: Store, session_id: str, size: int
) -> None:
    outcome, peak = await hostile_call(server, store, session_id, Garbage(size=size))

    assert outcome.error.startswith(f"{server.url} sent no valid HTTP response: ")
    assert outcome.text == "" and outcome.partial is False
    logged(store, session_id, outcome)
    no_suggestions_from(store, session_id, outcome)
    assert peak.growth < MEMORY_BOUND


async def test_garbage_as_the_body_of_an_event_stream(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    outcome, peak = await hostile_call(server, store, session_id, Garbage(as_body=True))

    assert outcome.error == f"{server.url} sent bytes that are not UTF-8 text in the stream"
    logged(store, session_id, outcome)
    no_suggestions_from(store, session_id, outcome)
    assert peak.growth < MEMORY_BOUND


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ("42", "not a chat chunk"),
        ('{"choices": 5}', "its choices are not a list"),
        ('{"choices": [{"delta": {"content": 5}}]}', "content is not text"),
    ],
    ids=["a-number", "choices-not-a-list", "content-not-text"],
)
async def test_valid_json_of_the_wrong_shape_is_a_malformed_event(
    server: FakeOpenAI, store: Store, session_id: str, payload: str, problem: str
) -> None:
    chunk = {"choices": [{"index": 0, "delta": {"content": "What"}, "finish_reason": None}]}
    outcome, _ = await hostile_call(server, store, session_id, Events([json.dumps(chunk), payload]))

    assert outcome.error == (
        f"{server.url} sent a malformed event in the stream ({problem}) "
        "(the text that arrived is kept, marked partial)"
    )
    assert outcome.text == "What" and outcome.partial is True
    logged(store, session_id, outcome)


async def test_a_usage_chunk_without_choices_is_read(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    answer = json.dumps(QUESTIONS)
    chunk = {"choices": [{"index": 0, "delta": {"content": answer}, "finish_reason": "stop"}]}
    usage = {"usage": {"prompt_tokens": 30, "completion_tokens": 9, "total_tokens": 39}}
    server.script(Events([json.dumps(chunk), json.dumps(usage)]))

    outcome = await Assistant(store, settings_for(server.url)).run(
        session_id, Request(Task.SUGGEST, Phase.TIMELINE)
    )

    assert outcome.error == ""
    assert len(outcome.suggestions) == 2
    assert (outcome.call.prompt_tokens, outcome.call.output_tokens) == (30, 9)


# -- 2. a 50 MB answer ----------------------------------------------------------------------


async def test_a_50_mb_stream_of_chunks_stops_at_the_answer_limit(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    outcome, peak = await hostile_call(server, store, session_id, Flood(shape="chunks"))

    assert outcome.error == (
        f"the answer from {server.url} passed 256 KB (max_response_kb is 256); reading stopped "
        "there (the text that arrived is kept, marked partial)"
    )
    assert outcome.text == "x" * (256 * KB) and outcome.partial is True
    call = logged(store, session_id, outcome)
    assert call.output_tokens is not None and call.output_tokens > 0  # counted from what came
    no_suggestions_from(store, session_id, outcome)
    assert peak.growth < MEMORY_BOUND


@pytest.mark.parametrize(
    ("flood", "what"),
    [
        (Flood(shape="event"), "one event of the stream"),
        (Flood(shape="json"), "the response body"),
        (Flood(shape="json", status=500), "the response body"),
    ],
    ids=["one-event", "plain-json-body", "error-body"],
)
async def test_one_enormous_event_or_body_stops_at_eight_times_the_limit(
    server: FakeOpenAI, store: Store, session_id: str, flood: Flood, what: str
) -> None:
    outcome, peak = await hostile_call(server, store, session_id, flood)

    assert outcome.error == (
        f"{what} from {server.url} passed 2,048 KB (max_response_kb is 256); reading stopped there"
    )
    assert outcome.text == ""
    logged(store, session_id, outcome)
    assert peak.growth < MEMORY_BOUND


async def test_the_limit_is_a_setting(server: FakeOpenAI, store: Store, session_id: str) -> None:
    outcome, peak = await hostile_call(
        server, store, session_id, Flood(shape="chunks"), max_response_kb=8
    )

    assert "passed 8 KB (max_response_kb is 8)" in outcome.error
    assert len(outcome.text) == 8 * KB
    logged(store, session_id, outcome)
    assert peak.growth < 2 * MB


async def test_a_plain_json_answer_to_a_streamed_request_is_explained(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    outcome, _ = await hostile_call(
        server, store, session_id, Flood(shape="json", total_bytes=10 * KB)
    )

    assert outcome.error == (
        f"{server.url} answered without streaming (Content-Type: application/json)"
    )
    logged(store, session_id, outcome)


# -- 3. an endless stream -------------------------------------------------------------------


async def test_an_endless_stream_ends_at_the_answer_limit_and_keeps_a_partial_draft(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    event = store.load_review(session_id).timeline()[0]
    cited = json.dumps({"text": "Checkout requests failed for 40 minutes.", "sources": [event.id]})
    first = '{"summary": [' + cited + ', {"text": "'

    outcome, peak = await hostile_call(
        server,
        store,
        session_id,
        Endless(text="and then the pool grew again ", first=first),
        task=Task.SUMMARY,
        max_response_kb=8,
    )

    assert "passed 8 KB (max_response_kb is 8); reading stopped there" in outcome.error
    assert len(outcome.text.encode()) == 8 * KB
    assert outcome.text.startswith(first) and outcome.partial is True
    call = logged(store, session_id, outcome)
    (draft,) = [d for d in store.items(session_id, Draft) if d.call_id == call.id]
    assert draft.partial is True
    assert "Checkout requests failed for 40 minutes. [1]" in draft.text
    assert "and then" not in draft.text  # the sentence that never finished is left out
    assert peak.growth < MEMORY_BOUND


#: Bounds so far off that only the total timeout (or Escape) can end an endless stream.
FAR_OFF: dict[str, object] = {
    "max_response_kb": 65536,
    "max_output_tokens": 1_000_000,
    "context_window": 4_000_000,
}


async def test_an_endless_stream_of_tiny_chunks_ends_at_twice_the_tokens_asked_for(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    outcome, peak = await hostile_call(
        server, store, session_id, Endless(text="a"), max_output_tokens=100
    )

    assert outcome.error == (
        f"{server.url} sent more than 264 chunks for an answer of at most 100 tokens; reading "
        "stopped there (the text that arrived is kept, marked partial)"
    )
    assert outcome.text == "a" * 264 and outcome.partial is True
    logged(store, session_id, outcome)
    assert peak.growth < MEMORY_BOUND


@pytest.mark.parametrize("text", ["", "a"], ids=["empty-chunks", "tiny-chunks"])
async def test_an_endless_stream_ends_at_the_total_timeout_whatever_the_other_bounds(
    server: FakeOpenAI, store: Store, session_id: str, text: str
) -> None:
    outcome, peak = await hostile_call(
        server,
        store,
        session_id,
        Endless(text=text),
        total_timeout_s=1,
        max_response_kb=FAR_OFF["max_response_kb"],
        max_output_tokens=FAR_OFF["max_output_tokens"],
        context_window=FAR_OFF["context_window"],
    )

    kept = " (the text that arrived is kept, marked partial)" if text else ""
    assert outcome.error == f"no complete answer within 1 s from {server.url}{kept}"
    assert outcome.text == text * len(outcome.text) and outcome.partial is bool(text)
    call = logged(store, session_id, outcome)
    assert call.total_ms is not None and call.total_ms >= 1000
    assert peak.growth < MEMORY_BOUND


async def test_stream_chat_alone_bounds_an_endless_stream(server: FakeOpenAI) -> None:
    server.script(Endless(text="more "))
    settings = settings_for(server.url, max_response_kb=4)
    received: list[str] = []

    with pytest.raises(AssistantError, match="passed 4 KB") as failed:
        await stream_chat(
            settings, [{"role": "user", "content": "hi"}], max_tokens=4096, on_delta=received.append
        )

    assert failed.value.partial == "".join(received)
    assert len(failed.value.partial) == 4 * KB


# -- whatever else goes wrong is logged as it is ---------------------------------------------


async def test_an_unforeseen_failure_is_logged_as_an_error_then_raised(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.script(good_answer())

    def broken(piece: str) -> None:
        raise RuntimeError("the panel went away")

    with pytest.raises(RuntimeError, match="the panel went away"):
        await Assistant(store, settings_for(server.url)).run(
            session_id, Request(Task.SUGGEST, Phase.TIMELINE), broken
        )

    (call,) = store.items(session_id, AssistantCall)
    assert call.outcome is CallOutcome.ERROR  # not "ok"
    assert call.error == "the assistant failed: RuntimeError: the panel went away"


def test_the_limit_comes_from_the_environment_or_the_config_file(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[assistant]\nmax_response_kb = 64\n")
    assert load_settings(env={}, path=config).max_response_kb == 64
    from_env = load_settings(env={"REVIEW_ASSISTANT_MAX_RESPONSE_KB": "32"}, path=config)
    assert from_env.max_response_kb == 32
    assert ("max_response_kb", "32", "env REVIEW_ASSISTANT_MAX_RESPONSE_KB") in from_env.describe()
    assert ("max_response_kb", "256", "default") in Settings().describe()
    with pytest.raises(SettingsError, match="max_response_kb"):
        load_settings(env={"REVIEW_ASSISTANT_MAX_RESPONSE_KB": "0"}, path=config)


# -- the byte guard -------------------------------------------------------------------------


class Chunks(httpx2.AsyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks
        self.closed = False

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk

    async def aclose(self) -> None:
        self.closed = True


async def read_all(stream: BoundedStream) -> bytes:
    return b"".join([chunk async for chunk in stream])


@pytest.mark.parametrize("end", [b"\n\n", b"\r\n\r\n", b"\r\r", b"\n\r\n"])
async def test_the_guard_counts_each_event_even_when_its_end_is_split(end: bytes) -> None:
    event = b"data: " + b"y" * 90 + end  # about 100 bytes each; a thousand of them
    body = event * 1000
    chunks = [body[i : i + 37] for i in range(0, len(body), 37)]  # ends split across chunks

    assert await read_all(BoundedStream(Chunks(chunks), 200, events=True, what="one event")) == body
    with pytest.raises(TooLarge):  # the same bytes, counted as one body
        await read_all(BoundedStream(Chunks(chunks), 200, events=False, what="the body"))


async def test_the_guard_stops_an_event_without_an_end() -> None:
    inner = Chunks([b"data: ok\n\n"] + [b"data: " + b"z" * 50 + b"\n"] * 100)
    stream = BoundedStream(inner, 1024, events=True, what="one event")
    with pytest.raises(TooLarge, match="one event passed 1 KB"):
        await read_all(stream)
    await stream.aclose()
    assert inner.closed  # the connection underneath is let go


# -- in the app -----------------------------------------------------------------------------


def rows(tmp_path: Path, session_id: str) -> list[AssistantCall]:
    with Store(tmp_path / "review.db") as store:
        return store.items(session_id, AssistantCall)


def app_for(tmp_path: Path, session_id: str, server: FakeOpenAI, **changes: object) -> ReviewApp:
    return make_app(tmp_path, session_id=session_id, settings=settings_for(server.url, **changes))


async def next_call_works(app: ReviewApp, pilot: Pilot[None], server: FakeOpenAI) -> None:
    server.script(good_answer())
    await pilot.press("f9")
    await settle(app)
    await pilot.pause()
    listing = app.screen.query_one(SuggestionList)
    assert listing.option_count == 2
    assert "Ctrl+L picks one" in status(app)


async def wait_for_text(pilot: Pilot[None], widget: StreamPreview, text: str) -> None:
    while text not in widget.shown:
        await pilot.pause()


async def test_garbage_in_the_app(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    with FakeOpenAI() as server:
        server.script(Garbage(size=MB))
        app = app_for(tmp_path, session_id, server)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            await type_note(pilot, "noted while junk came back")
            await settle(app)
            await pilot.pause()
            assert "sent no valid HTTP response" in status(app)
            server.script(Garbage(as_body=True))
            await pilot.press("f9")
            await type_note(pilot, "noted while more junk came back")
            await settle(app)
            await pilot.pause()
            assert "sent bytes that are not UTF-8 text" in status(app)
            await next_call_works(app, pilot, server)
    notes = [n.text for n in load(tmp_path, session_id).notes]
    assert {"noted while junk came back", "noted while more junk came back"} <= set(notes)
    outcomes = [c.outcome for c in rows(tmp_path, session_id)]
    assert outcomes == [CallOutcome.ERROR, CallOutcome.ERROR, CallOutcome.OK]


async def test_a_50_mb_answer_in_the_app(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    with FakeOpenAI() as server:
        # a small bound keeps the test quick: the panel redraws all the text shown so far
        app = app_for(tmp_path, session_id, server, max_response_kb=16)
        async with app.run_test(size=SIZE) as pilot:
            await next_call_works(app, pilot, server)  # everything loaded before measuring
            server.script(Flood(shape="chunks"))
            with peak_memory() as peak:
                await pilot.press("f9")
                await type_note(pilot, "noted while 50 MB came")
                await settle(app)
                await pilot.pause()
            assert "passed 16 KB (max_response_kb is 16)" in status(app)
            assert "kept below, marked partial" in status(app)
            preview = app.screen.query_one("#assistant-stream", StreamPreview)
            # the panel shows the first 8 KB while it streams, then says there is more
            assert preview.shown == "x" * SHOWN_TEXT + MORE
            assert preview.display  # and it stays, marked partial
            server.script(Flood(shape="event"))
            with peak_memory() as peak_of_one_event:
                await pilot.press("f9")
                await settle(app)
                await pilot.pause()
            assert "one event of the stream" in status(app)
            await next_call_works(app, pilot, server)
    assert peak.growth < MEMORY_BOUND
    assert peak_of_one_event.growth < MEMORY_BOUND
    assert "noted while 50 MB came" in [n.text for n in load(tmp_path, session_id).notes]
    outcomes = [c.outcome for c in rows(tmp_path, session_id)]
    assert outcomes == [CallOutcome.OK, CallOutcome.ERROR, CallOutcome.ERROR, CallOutcome.OK]


async def test_escape_cancels_an_endless_stream_while_notes_are_taken(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    with FakeOpenAI() as server:
        server.script(Endless())
        # bounds far off: only Escape can end this call within the test
        app = app_for(tmp_path, session_id, server, total_timeout_s=600, **FAR_OFF)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            stream = app.screen.query_one("#assistant-stream", StreamPreview)
            await wait_for_text(pilot, stream, "and then and then")
            await type_note(pilot, "noted during an endless answer")
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            assert screen.assistant_running is True
            await pilot.press("escape")
            await settle(app)
            await pilot.pause()
            assert "Cancelled" in status(app)
            assert screen.assistant_running is False
            await next_call_works(app, pilot, server)
    assert "noted during an endless answer" in [n.text for n in load(tmp_path, session_id).notes]
    calls = rows(tmp_path, session_id)
    assert [c.outcome for c in calls] == [CallOutcome.CANCELLED, CallOutcome.OK]
    assert calls[0].ttft_ms is not None


async def test_an_endless_stream_ends_on_its_own_in_the_app(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    with FakeOpenAI() as server:
        server.script(Endless(text="and then the pool grew again "))
        app = app_for(tmp_path, session_id, server, max_response_kb=4)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press("f9")
            await type_note(pilot, "noted while it went on and on")
            await settle(app)
            await pilot.pause()
            assert "passed 4 KB (max_response_kb is 4)" in status(app)
            await next_call_works(app, pilot, server)
    assert "noted while it went on and on" in [n.text for n in load(tmp_path, session_id).notes]
    calls = rows(tmp_path, session_id)
    assert [c.outcome for c in calls] == [CallOutcome.ERROR, CallOutcome.OK]
    assert "passed 4 KB" in calls[0].error
