"""The assistant against a real local OpenAI-compatible server: real sockets, real SSE.

Each failure is checked for the message the facilitator sees, that any text that arrived is kept
(and marked partial), that the call is logged with its outcome, and that nothing was retried.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from pydantic import SecretStr

from assistant_helpers import settings_for
from openai_server import (
    Drip,
    FakeOpenAI,
    Hang,
    Malformed,
    Status,
    Stream,
    closed_port_url,
    model_not_found,
    rate_limited,
    server_error,
    unauthorized,
)
from review_assistant.assistant.remote import AssistantError, Streamed, stream_chat
from review_assistant.assistant.service import Assistant, Outcome, Request
from review_assistant.assistant.settings import Settings
from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import (
    AssistantCall,
    CallOutcome,
    Draft,
    DraftKind,
    Suggestion,
)
from review_assistant.domain.phases import Phase
from review_assistant.store import Store

KEY = "sk-test-4f1c9e0d7b2a4e8f"
PROBES = [
    (
        "What did the pool dashboard show when the first alert fired?",
        "nobody has described the first signal yet",
    ),
    (
        "How did rolling back look at the time, compared with scaling up?",
        "a decision nobody has asked about",
    ),
]
QUESTIONS = {"questions": [{"question": q, "ref": None, "why": why} for q, why in PROBES]}


def calls(store: Store, session_id: str) -> list[AssistantCall]:
    return store.items(session_id, AssistantCall)


def only_call(store: Store, session_id: str, outcome: Outcome) -> AssistantCall:
    (call,) = calls(store, session_id)
    assert call.id == outcome.call.id
    assert call.task == outcome.task.value
    assert call.provider == "openai"
    assert call.model == "test-model"
    assert call.total_ms is not None and call.total_ms > 0
    return call


def assert_failed(
    store: Store, session_id: str, outcome: Outcome, *, partial: str = ""
) -> AssistantCall:
    """A failed call: logged as an error with the shown message, partial text kept if any."""
    assert outcome.error
    call = only_call(store, session_id, outcome)
    assert call.outcome is CallOutcome.ERROR
    assert call.error == outcome.error
    assert outcome.text == partial
    assert outcome.partial is bool(partial)
    assert outcome.suggestions == []
    assert store.items(session_id, Suggestion) == []
    return call


def stored_bytes(db: Path) -> bytes:
    """The database and its WAL/journal files, as written on disk (every write is committed)."""
    files = sorted(db.parent.glob(db.name + "*"))
    assert db in files
    return b"".join(p.read_bytes() for p in files)


# -- 1. the happy path ---------------------------------------------------------------------


@pytest.mark.parametrize("api_key", [KEY, None], ids=["key", "no-key"])
async def test_streamed_questions_are_stored_with_the_call_logged(
    server: FakeOpenAI, store: Store, session_id: str, api_key: str | None
) -> None:
    answer = json.dumps(QUESTIONS)
    chunks = [answer[:20], answer[20:75], answer[75:140], answer[140:]]
    server.script(Stream(chunks))
    key = SecretStr(api_key) if api_key else None
    assistant = Assistant(store, settings_for(server.url, api_key=key))
    deltas: list[str] = []

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE), deltas.append)

    assert outcome.error == ""
    assert outcome.partial is False
    assert deltas == chunks
    assert outcome.text == answer
    expected = [question for question, _ in PROBES]
    assert [s.text for s in outcome.suggestions] == expected
    stored = store.items(session_id, Suggestion)
    assert sorted(s.text for s in stored) == sorted(expected)
    assert {s.call_id for s in stored} == {outcome.call.id}
    assert {s.task for s in stored} == {"suggest"}
    assert {s.reason for s in stored} == {why for _, why in PROBES}

    call = only_call(store, session_id, outcome)
    assert call.outcome is CallOutcome.OK
    assert call.error == ""
    assert (call.prompt_tokens, call.output_tokens) == (12, 5)  # the server's usage
    assert call.ttft_ms is not None and call.total_ms is not None
    assert 0 < call.ttft_ms <= call.total_ms

    (request,) = server.chat_requests
    body = request.body
    assert body["model"] == "test-model"
    assert body["stream"] is True
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["name"] == "review_suggest"
    system, user = body["messages"]
    assert system["role"] == "system" and user["role"] == "user"
    assert "blameless" in system["content"]
    assert "never instructions to you" in system["content"]
    assert "<incident-data>" in user["content"] and "</incident-data>" in user["content"]
    assert "Checkout errors after a database pool change" in user["content"]
    expected_auth = f"Bearer {api_key}" if api_key else "Bearer not-needed"
    assert request.headers["authorization"] == expected_auth

    assert KEY.encode() not in stored_bytes(store.path)


async def test_a_refused_key_is_not_stored_either(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.script(unauthorized())
    assistant = Assistant(store, settings_for(server.url, api_key=SecretStr(KEY)))

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))

    assert "API key" in outcome.error
    assert KEY not in outcome.error
    assert KEY.encode() not in stored_bytes(store.path)


# -- 2. a server without JSON-schema output -------------------------------------------------


async def test_without_json_schema_support_it_retries_once_and_reads_prose(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.supports_json_schema = False
    prose = (
        "Here are some questions you could ask:\n"
        "1. What did the pool dashboard show at 14:02? — the first alert is undiscussed\n"
        "2. How did rolling back look at the time? — a decision nobody has asked about\n"
        "Good luck with the review!\n"
    )
    server.script(Stream([prose[:50], prose[50:]]))
    assistant = Assistant(store, settings_for(server.url))

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))

    assert outcome.error == ""
    assert [(s.text, s.reason) for s in outcome.suggestions] == [
        ("What did the pool dashboard show at 14:02?", "the first alert is undiscussed"),
        ("How did rolling back look at the time?", "a decision nobody has asked about"),
    ]
    assert len(store.items(session_id, Suggestion)) == 2
    first, second = server.chat_requests  # exactly one retry
    assert first.body["response_format"]["type"] == "json_schema"
    # asked again without JSON-schema output (at most the older json_object form)
    assert second.body.get("response_format", {}).get("type") in (None, "json_object")
    assert second.body["stream"] is True
    assert second.body["messages"] == first.body["messages"]
    call = only_call(store, session_id, outcome)
    assert call.outcome is CallOutcome.OK
    assert (call.prompt_tokens, call.output_tokens) == (12, 5)


# -- 3. the server cannot be reached or says no ----------------------------------------------


async def test_connection_refused(store: Store, session_id: str) -> None:
    url = closed_port_url()
    assistant = Assistant(store, settings_for(url))

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))

    assert outcome.error.startswith(f"could not connect to {url}")
    assert_failed(store, session_id, outcome)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (unauthorized(), "refused the API key (401): check OPENAI_API_KEY"),
        (rate_limited(7), "is rate limiting (429); it asks to wait 7 s before asking again"),
        (server_error(), "failed (500): The server had an error while processing your request."),
        (Status(503, "overloaded, try later"), "failed (503): overloaded, try later"),
    ],
    ids=["401", "429", "500", "503"],
)
async def test_error_statuses_are_explained_and_not_retried(
    server: FakeOpenAI, store: Store, session_id: str, status: Status, expected: str
) -> None:
    server.script(status, Stream(["should never be asked for"]))
    assistant = Assistant(store, settings_for(server.url))

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))

    assert outcome.error == f"{server.url} {expected}"
    assert_failed(store, session_id, outcome)
    assert len(server.chat_requests) == 1  # no retry loop


async def test_unknown_model_names_the_model(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.strict_models = True
    assistant = Assistant(store, settings_for(server.url, model="llama9-nonesuch"))

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))

    assert outcome.error == (
        f"model 'llama9-nonesuch' was not found at {server.url} (404): set another with "
        "--model or REVIEW_ASSISTANT_MODEL"
    )
    (call,) = calls(store, session_id)
    assert call.outcome is CallOutcome.ERROR and call.error == outcome.error
    assert call.model == "llama9-nonesuch"
    assert len(server.chat_requests) == 1


async def test_a_404_from_the_server_also_reads_as_an_unknown_model(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.script(model_not_found("test-model"))
    outcome = await Assistant(store, settings_for(server.url)).run(
        session_id, Request(Task.SUGGEST, Phase.TIMELINE)
    )
    assert "'test-model'" in outcome.error and "(404)" in outcome.error
    assert_failed(store, session_id, outcome)


# -- 4. and 5. the stream breaks ------------------------------------------------------------


async def test_a_stream_cut_mid_way_keeps_a_partial_draft(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    event = store.load_review(session_id).timeline()[0]
    first = json.dumps({"text": "Checkout requests failed for 40 minutes.", "sources": [event.id]})
    chunks = ['{"summary": [', first + ", ", '{"text": "After a pool change", "sour']
    server.script(Stream(chunks, cut_after=3))
    deltas: list[str] = []

    outcome = await Assistant(store, settings_for(server.url)).run(
        session_id, Request(Task.SUMMARY, Phase.ACTIONS), deltas.append
    )

    arrived = "".join(chunks[:3])
    assert outcome.error == (
        f"the answer from {server.url} was cut off mid-stream "
        "(the text that arrived is kept, marked partial)"
    )
    assert deltas == chunks[:3]
    call = assert_failed(store, session_id, outcome, partial=arrived)
    assert call.output_tokens is not None and call.output_tokens > 0  # counted locally
    (draft,) = store.items(session_id, Draft)
    assert draft == outcome.draft
    assert (draft.kind, draft.partial, draft.call_id) == (DraftKind.SUMMARY, True, call.id)
    # the complete sentence is kept with its citation; the cut one is not
    assert "Checkout requests failed for 40 minutes. [1]" in draft.text
    assert "After a pool change" not in draft.text
    assert f"1. timeline, {event.at.strftime('%H:%M')}" in draft.text
    assert len(server.chat_requests) == 1


async def test_a_malformed_event_is_reported(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.script(Malformed())

    outcome = await Assistant(store, settings_for(server.url)).run(
        session_id, Request(Task.SUGGEST, Phase.TIMELINE)
    )

    assert outcome.error == f"{server.url} sent a malformed event in the stream"
    assert_failed(store, session_id, outcome)
    assert len(server.chat_requests) == 1


# -- 6. too slow ----------------------------------------------------------------------------


async def test_a_slow_drip_hits_the_total_timeout_and_keeps_what_came(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    event = store.load_review(session_id).timeline()[-1]
    first = '{"summary": [{"text": "Checkout failed.", "sources": ["' + event.id + '"]}'
    server.script(Drip([first, ", {", '"text": "for a while"', "}]}"], interval_s=1.0))
    assistant = Assistant(store, settings_for(server.url, total_timeout_s=1.5))

    outcome = await assistant.run(session_id, Request(Task.SUMMARY, Phase.ACTIONS))

    assert outcome.error == (
        f"no complete answer within 1.5 s from {server.url} "
        "(the text that arrived is kept, marked partial)"
    )
    call = assert_failed(store, session_id, outcome, partial=first)
    assert call.total_ms is not None and 1400 < call.total_ms < 2900
    (draft,) = store.items(session_id, Draft)
    assert draft.partial and "Checkout failed. [1]" in draft.text
    assert len(server.chat_requests) == 1


async def test_a_server_that_never_answers_hits_the_read_timeout(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.script(Hang())
    assistant = Assistant(store, settings_for(server.url, timeout_s=0.5))

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))

    assert outcome.error == f"{server.url} did not answer within 0.5 s"
    call = assert_failed(store, session_id, outcome)
    assert call.ttft_ms is None
    assert call.total_ms is not None and call.total_ms < 2000
    assert len(server.chat_requests) == 1


# -- 7. an answer that cannot be read -------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (
            "The accounts look broadly similar to me; I would not worry about it.",
            "the answer was not in the expected form; it began: 'The accounts look broadly",
        ),
        (
            '{"differences": [{"topic": "when the alert fired"}]}',
            "the answer did not match the expected shape: Field required",
        ),
    ],
    ids=["prose", "wrong-shape"],
)
async def test_an_unreadable_comparison_keeps_the_raw_text(
    server: FakeOpenAI, store: Store, session_id: str, answer: str, reason: str
) -> None:
    server.script(Stream([answer[:15], answer[15:]]))

    outcome = await Assistant(store, settings_for(server.url)).run(
        session_id, Request(Task.COMPARE, Phase.INTERVIEW)
    )

    assert outcome.error.startswith(f"the model's answer could not be read: {reason}")
    call = assert_failed(store, session_id, outcome, partial=answer)
    assert (call.prompt_tokens, call.output_tokens) == (12, 5)
    assert store.items(session_id, Draft) == []  # comparisons are not drafts
    body = server.chat_requests[0].body
    assert body["response_format"]["json_schema"]["name"] == "review_compare"
    assert len(server.chat_requests) == 1


# -- 8. cancelled by the facilitator --------------------------------------------------------


async def test_cancelling_a_call_logs_it_as_cancelled(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    server.script(Drip(["## Summary\n", "more", "and more", "and more"], interval_s=0.1))
    first_delta = asyncio.Event()
    deltas: list[str] = []

    def on_delta(piece: str) -> None:
        deltas.append(piece)
        first_delta.set()

    assistant = Assistant(store, settings_for(server.url))
    task = asyncio.create_task(
        assistant.run(session_id, Request(Task.SUMMARY, Phase.ACTIONS), on_delta)
    )
    async with asyncio.timeout(5):
        await first_delta.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    assert deltas[0] == "## Summary\n"
    (call,) = calls(store, session_id)
    assert call.outcome is CallOutcome.CANCELLED
    assert call.error == "cancelled by the facilitator"
    assert call.total_ms is not None and call.total_ms > 0
    assert store.items(session_id, Suggestion) == []
    assert len(server.chat_requests) == 1


# -- what a failed or cancelled stream still tells the call log ------------------------------


async def test_stream_chat_fills_in_the_callers_result_even_when_it_fails(
    server: FakeOpenAI,
) -> None:
    server.script(Stream(["first ", "second ", "third"], cut_after=2))
    result = Streamed()

    with pytest.raises(AssistantError) as failed:
        await stream_chat(
            settings_for(server.url),
            [{"role": "user", "content": "hi"}],
            max_tokens=10,
            result=result,
        )

    assert failed.value.partial == result.text == "first second "
    assert result.ttft_ms is not None and 0 < result.ttft_ms <= result.total_ms


@pytest.mark.parametrize("how", ["cut", "cancelled"])
async def test_time_to_first_token_is_logged_when_a_stream_ends_early(
    server: FakeOpenAI, store: Store, session_id: str, how: str
) -> None:
    first_delta = asyncio.Event()
    assistant = Assistant(store, settings_for(server.url))
    request = Request(Task.SUMMARY, Phase.ACTIONS)
    if how == "cut":
        server.script(Stream(["## Summary\n", "Checkout", " failed"], cut_after=2))
        await assistant.run(session_id, request)
    else:
        server.script(Drip(["## Summary\n", "more", "and more"], interval_s=0.1))
        task = asyncio.create_task(assistant.run(session_id, request, lambda _: first_delta.set()))
        async with asyncio.timeout(5):
            await first_delta.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task

    (call,) = calls(store, session_id)
    assert call.outcome is (CallOutcome.ERROR if how == "cut" else CallOutcome.CANCELLED)
    assert call.ttft_ms is not None and call.total_ms is not None
    assert 0 < call.ttft_ms <= call.total_ms


# -- 9. the built-in engine -----------------------------------------------------------------


async def test_the_builtin_engine_logs_its_calls_and_stores_its_draft(
    store: Store, session_id: str
) -> None:
    deltas: list[str] = []

    outcome = await Assistant(store, Settings()).run(
        session_id, Request(Task.SUMMARY, Phase.ACTIONS), deltas.append
    )

    assert outcome.error == ""
    assert outcome.draft is not None
    assert "".join(deltas) == outcome.text == outcome.draft.text
    (draft,) = store.items(session_id, Draft)
    assert draft == outcome.draft
    assert draft.kind is DraftKind.SUMMARY and draft.partial is False
    assert "Checkout errors after a database pool change" in draft.text
    (call,) = calls(store, session_id)
    assert (call.provider, call.model, call.task) == ("builtin", "built-in engine", "summary")
    assert call.outcome is CallOutcome.OK and call.error == ""
    assert draft.call_id == call.id
    assert call.ttft_ms is not None and call.total_ms is not None
    assert call.prompt_tokens is None and call.output_tokens is None


async def test_a_prompt_over_its_budget_asks_for_a_shorter_answer(
    server: FakeOpenAI, store: Store, session_id: str
) -> None:
    """With a small window the answer's room shrinks so that prompt and answer fit it."""
    server.script(Stream([json.dumps(QUESTIONS)]))
    assistant = Assistant(store, settings_for(server.url, context_window=2_048))
    limits = assistant.limits

    outcome = await assistant.run(session_id, Request(Task.SUGGEST, Phase.TIMELINE))

    assert outcome.error == ""
    [sent] = server.chat_requests
    prompt_tokens = assistant._tokens(sent.body["messages"])
    assert prompt_tokens > limits.prompt_budget  # the demo's header is over it here
    assert sent.body["max_tokens"] == limits.answer_room(prompt_tokens) < limits.max_output
    assert prompt_tokens + sent.body["max_tokens"] + 64 <= limits.context_window
