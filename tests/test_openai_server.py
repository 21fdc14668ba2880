"""Self-tests of the local OpenAI-compatible server, driven by the real openai SDK."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import httpx2
import openai
import pytest

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

MESSAGES: list[openai.types.chat.ChatCompletionMessageParam] = [
    {"role": "system", "content": "You are a facilitator."},
    {"role": "user", "content": "What happened at 13:50?"},
]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as running:
        yield running


def client_for(url: str, timeout: float = 5) -> openai.OpenAI:
    return openai.OpenAI(base_url=url, api_key="test", max_retries=0, timeout=timeout)


def test_lists_configured_models() -> None:
    with FakeOpenAI(models=["alpha", "beta"]) as server:
        models = client_for(server.url).models.list()
        assert [m.id for m in models] == ["alpha", "beta"]
        assert server.requests[0].method == "GET"
        assert server.requests[0].path == "/v1/models"
        assert server.requests[0].body is None


def test_streams_chunks_in_order_with_usage(server: FakeOpenAI) -> None:
    server.script(Stream(["Hel", "lo", " there"], usage=(30, 3)))
    stream = client_for(server.url).chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)

    texts = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert texts == ["Hel", "lo", " there"]
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[1].choices[0].delta.role is None
    assert [c.choices[0].finish_reason for c in chunks if c.choices][-1] == "stop"
    assert chunks[-1].choices == []
    assert chunks[-1].usage is not None
    assert (chunks[-1].usage.prompt_tokens, chunks[-1].usage.completion_tokens) == (30, 3)
    assert chunks[-1].usage.total_tokens == 33

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer test"
    assert request.body["messages"] == MESSAGES
    assert request.body["stream"] is True
    assert request.body["model"] == "test-model"


def test_stream_without_include_usage_sends_no_usage_chunk(server: FakeOpenAI) -> None:
    chunks = list(
        client_for(server.url).chat.completions.create(
            model="test-model", messages=MESSAGES, stream=True
        )
    )
    assert all(c.choices for c in chunks)
    assert all(c.usage is None for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Hello world"


def test_non_streaming_returns_joined_text(server: FakeOpenAI) -> None:
    server.script(Stream(["The ", "certificate ", "expired."], finish_reason="length"))
    completion = client_for(server.url).chat.completions.create(
        model="test-model", messages=MESSAGES
    )
    assert completion.choices[0].message.content == "The certificate expired."
    assert completion.choices[0].finish_reason == "length"
    assert completion.usage is not None
    assert completion.usage.total_tokens == 17


def test_script_is_fifo_then_falls_back_to_default(server: FakeOpenAI) -> None:
    server.script(Stream(["first"]), server_error(), Stream(["third"]))
    server.default = Stream(["fallback"])
    client = client_for(server.url)

    def ask() -> str | None:
        completion = client.chat.completions.create(model="test-model", messages=MESSAGES)
        return completion.choices[0].message.content

    assert ask() == "first"
    with pytest.raises(openai.InternalServerError):
        ask()
    assert ask() == "third"
    assert ask() == "fallback"
    assert ask() == "fallback"
    assert len(server.chat_requests) == 5


@pytest.mark.parametrize(
    ("behaviour", "error", "status"),
    [
        (unauthorized(), openai.AuthenticationError, 401),
        (model_not_found("gpt-nope"), openai.NotFoundError, 404),
        (rate_limited(), openai.RateLimitError, 429),
        (server_error(), openai.InternalServerError, 500),
        (Status(503, "overloaded"), openai.InternalServerError, 503),
    ],
)
def test_scripted_status_maps_to_sdk_error(
    server: FakeOpenAI, behaviour: Status, error: type[openai.APIStatusError], status: int
) -> None:
    server.script(behaviour)
    with pytest.raises(error) as caught:
        client_for(server.url).chat.completions.create(model="test-model", messages=MESSAGES)
    assert caught.value.status_code == status
    assert caught.value.message.endswith(behaviour.message)
    assert isinstance(caught.value.body, dict)
    assert caught.value.body["type"] == behaviour.error_type
    assert caught.value.body["code"] == behaviour.error_code


def test_unauthorized_has_invalid_api_key_code(server: FakeOpenAI) -> None:
    server.script(unauthorized())
    with pytest.raises(openai.AuthenticationError) as caught:
        client_for(server.url).chat.completions.create(model="test-model", messages=MESSAGES)
    assert caught.value.code == "invalid_api_key"
    assert caught.value.type == "invalid_request_error"


def test_rate_limited_sends_retry_after(server: FakeOpenAI) -> None:
    server.script(rate_limited())
    with pytest.raises(openai.RateLimitError) as caught:
        client_for(server.url).chat.completions.create(
            model="test-model", messages=MESSAGES, stream=True
        )
    assert caught.value.response.headers["retry-after"] == "7"


def test_strict_models_rejects_unknown_model_with_404(server: FakeOpenAI) -> None:
    server.strict_models = True
    client = client_for(server.url)
    with pytest.raises(openai.NotFoundError) as caught:
        client.chat.completions.create(model="gpt-unknown", messages=MESSAGES)
    assert caught.value.code == "model_not_found"
    assert "The model `gpt-unknown` does not exist" in caught.value.message
    # A configured model is still served, and the rejected request did not consume the script.
    server.script(Stream(["ok"]))
    completion = client.chat.completions.create(model="test-model", messages=MESSAGES)
    assert completion.choices[0].message.content == "ok"


def test_lenient_models_accepts_any_model_and_echoes_it(server: FakeOpenAI) -> None:
    completion = client_for(server.url).chat.completions.create(
        model="whatever-local", messages=MESSAGES
    )
    assert completion.model == "whatever-local"


def test_cut_stream_raises_connection_error_after_first_chunk(server: FakeOpenAI) -> None:
    server.script(Stream(["Hello", " world", "!"], cut_after=1))
    stream = client_for(server.url).chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True
    )
    received: list[str | None] = []
    with pytest.raises(openai.APIConnectionError) as caught:
        for chunk in stream:
            received.append(chunk.choices[0].delta.content)
    assert received == ["Hello"]
    assert type(caught.value) is openai.APIConnectionError
    assert isinstance(caught.value.__cause__, httpx2.RemoteProtocolError)


def test_malformed_event_raises_json_decode_error(server: FakeOpenAI) -> None:
    server.script(Malformed())
    stream = client_for(server.url).chat.completions.create(
        model="test-model", messages=MESSAGES, stream=True
    )
    with pytest.raises(json.JSONDecodeError):
        next(iter(stream))


def test_malformed_non_stream_body_raises_json_decode_error(server: FakeOpenAI) -> None:
    server.script(Malformed())
    with pytest.raises(json.JSONDecodeError):
        client_for(server.url).chat.completions.create(model="test-model", messages=MESSAGES)


def test_json_schema_unsupported_gives_bad_request(server: FakeOpenAI) -> None:
    schema: openai.types.chat.completion_create_params.ResponseFormat = {
        "type": "json_schema",
        "json_schema": {"name": "answer", "schema": {"type": "object"}},
    }
    client = client_for(server.url)
    server.script(Stream(['{"a": 1}']))
    accepted = client.chat.completions.create(
        model="test-model", messages=MESSAGES, response_format=schema
    )
    assert accepted.choices[0].message.content == '{"a": 1}'

    server.supports_json_schema = False
    with pytest.raises(openai.BadRequestError) as caught:
        client.chat.completions.create(
            model="test-model", messages=MESSAGES, response_format=schema
        )
    assert "json_schema is not supported" in caught.value.message
    # The fallback a client would try next (json_object) is still accepted.
    fallback = client.chat.completions.create(
        model="test-model", messages=MESSAGES, response_format={"type": "json_object"}
    )
    assert fallback.choices[0].message.content == "Hello world"


def test_hang_triggers_client_timeout(server: FakeOpenAI) -> None:
    server.script(Hang())
    started = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        client_for(server.url, timeout=0.5).chat.completions.create(
            model="test-model", messages=MESSAGES
        )
    assert time.monotonic() - started < 4


def test_closed_port_gives_connection_error() -> None:
    with pytest.raises(openai.APIConnectionError) as caught:
        client_for(closed_port_url()).chat.completions.create(model="test-model", messages=MESSAGES)
    assert not isinstance(caught.value, openai.APITimeoutError)
    assert isinstance(caught.value.__cause__, httpx2.ConnectError)


def test_closing_during_drip_returns_promptly() -> None:
    with FakeOpenAI() as server:
        server.script(Drip(["slow", "tokens"], interval_s=30))
        stream = client_for(server.url).chat.completions.create(
            model="test-model", messages=MESSAGES, stream=True
        )
        started = time.monotonic()
    assert time.monotonic() - started < 2
    # The drip was cut short: the client sees a broken stream, not a 30-second wait.
    with pytest.raises(openai.APIConnectionError):
        list(stream)
    assert time.monotonic() - started < 3


def test_closing_during_hang_returns_promptly() -> None:
    with FakeOpenAI() as server:
        server.script(Hang())
        client = client_for(server.url, timeout=0.2)
        with pytest.raises(openai.APITimeoutError):
            client.chat.completions.create(model="test-model", messages=MESSAGES)
        started = time.monotonic()
    assert time.monotonic() - started < 2


def test_drip_delivers_every_chunk() -> None:
    with FakeOpenAI() as server:
        server.script(Drip(["a", "b", "c"], interval_s=0.01))
        stream = client_for(server.url).chat.completions.create(
            model="test-model", messages=MESSAGES, stream=True
        )
        texts = [c.choices[0].delta.content for c in stream if c.choices]
    assert texts == ["a", "b", "c", None]


async def test_async_client_streams_and_maps_errors(server: FakeOpenAI) -> None:
    server.script(Stream(["Async", " reply"], delay_s=0.01), rate_limited(retry_after_s=3))
    async with openai.AsyncOpenAI(
        base_url=server.url, api_key="test", max_retries=0, timeout=5
    ) as client:
        stream = await client.chat.completions.create(
            model="test-model",
            messages=MESSAGES,
            stream=True,
            stream_options={"include_usage": True},
        )
        texts: list[str] = []
        usage_total = 0
        async for chunk in stream:
            if chunk.choices and chunk.choices[0].delta.content:
                texts.append(chunk.choices[0].delta.content)
            if chunk.usage is not None:
                usage_total = chunk.usage.total_tokens
        assert texts == ["Async", " reply"]
        assert usage_total == 17

        with pytest.raises(openai.RateLimitError) as caught:
            await client.chat.completions.create(model="test-model", messages=MESSAGES)
        assert caught.value.response.headers["retry-after"] == "3"
    assert [bool(r.body.get("stream")) for r in server.chat_requests] == [True, False]
