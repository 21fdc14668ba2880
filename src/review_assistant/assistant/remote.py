"""Any OpenAI-compatible endpoint, streamed. openai loads on first use.

Every failure becomes an AssistantError whose message can be shown as is, with whatever text
had arrived kept as partial. Nothing is retried, except once without an optional feature
(JSON-schema output, usage in the stream) that a server says it does not support.

What a server sends is bounded: the answer's text by ``max_response_kb`` (reading stops there,
what came is kept), one event of the stream or any other body by eight times that (see
guard.py), the number of chunks by twice the tokens asked for, and the whole call by
``total_timeout_s``. Bytes that are not UTF-8, events that
are not JSON and chunks of the wrong shape end the call as a malformed answer.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import sys
import time
from collections.abc import AsyncGenerator, Callable
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from review_assistant import collector
from review_assistant.assistant.settings import Settings

#: Called with each piece of text as it arrives; may be a coroutine function.
Delta = Callable[[str], object]
OPTIONAL = ("response_format", "stream_options")
#: One event of a stream (or a whole plain body) may be this many times ``max_response_kb``:
#: JSON escaping takes up to six bytes for one byte of text, and the event has its own fields.
EVENT_FACTOR = 8
#: Chunks read before a stream counts as runaway: each carries at least one of the ``max_tokens``
#: asked for, plus a few with none (role, finish, usage).
CHUNK_FACTOR, CHUNK_SLACK = 2, 64
#: The longest piece of a server's or the network's own words quoted in a message.
QUOTED = 300


class AssistantError(Exception):
    """A call that did not complete; ``partial`` holds any text that did arrive."""

    def __init__(self, message: str, *, partial: str = "", usage: tuple[int, int] | None = None):
        super().__init__(message)
        self.partial = partial
        self.usage = usage


class Unreadable(Exception):
    """The stream could not be read as chat chunks; the message says how, after the endpoint."""


@dataclass
class Streamed:
    text: str = ""
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    ttft_ms: float | None = None
    total_ms: float = 0.0
    dropped: list[str] = field(default_factory=list)  # optional features the server refused
    counted: bool = False  # token figures counted locally, not reported by the server


async def deliver(on_delta: Delta, piece: str) -> None:
    result = on_delta(piece)
    if inspect.isawaitable(result):
        await result


def _endpoint(settings: Settings) -> str:
    return settings.base_url or "the OpenAI API"


def _server_message(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    return str(getattr(exc, "message", "") or exc)[:QUOTED]


def explain(exc: BaseException, settings: Settings, partial: str) -> str:
    """A clear, literal sentence for each way a call can fail."""
    import openai

    from review_assistant.assistant.guard import TooLarge

    where = _endpoint(settings)
    kept = " (the text that arrived is kept, marked partial)" if partial else ""
    if isinstance(exc, TooLarge):
        return (
            f"{exc.what} from {where} passed {exc.limit // 1024:,} KB (max_response_kb is "
            f"{settings.max_response_kb:,}); reading stopped there{kept}"
        )
    if isinstance(exc, Unreadable):
        return f"{where} {exc}{kept}"
    if isinstance(exc, TimeoutError):
        return f"no complete answer within {settings.total_timeout_s:g} s from {where}{kept}"
    if isinstance(exc, openai.APITimeoutError):
        return f"{where} did not answer within {settings.timeout_s:g} s{kept}"
    if isinstance(exc, openai.APIConnectionError):
        if partial:
            return f"the answer from {where} was cut off mid-stream{kept}"
        cause = exc.__cause__ or exc
        if type(cause).__name__ == "RemoteProtocolError":  # bytes that are not an HTTP response
            return f"{where} sent no valid HTTP response: {str(cause)[:QUOTED]}"
        return f"could not connect to {where}: {str(cause)[:QUOTED]}"
    if isinstance(exc, openai.AuthenticationError):
        return f"{where} refused the API key (401): check OPENAI_API_KEY"
    if isinstance(exc, openai.PermissionDeniedError):
        return f"{where} refused access (403): {_server_message(exc)}"
    if isinstance(exc, openai.NotFoundError):
        return (
            f"model {settings.model!r} was not found at {where} (404): set another with "
            "--model or REVIEW_ASSISTANT_MODEL"
        )
    if isinstance(exc, openai.RateLimitError):
        wait = exc.response.headers.get("retry-after")
        hint = f"; it asks to wait {wait} s before asking again" if wait else ""
        return f"{where} is rate limiting (429){hint}{kept}"
    if isinstance(exc, openai.APIStatusError):
        return f"{where} failed ({exc.status_code}): {_server_message(exc)}{kept}"
    if isinstance(exc, json.JSONDecodeError):
        return f"{where} sent a malformed event in the stream{kept}"
    return f"the call to {where} failed: {type(exc).__name__}: {str(exc)[:QUOTED]}{kept}"


def _refuses(exc: Any, option: str) -> bool:
    text = f"{_server_message(exc)} {getattr(exc, 'param', '')}".casefold()
    return option in text or (option == "response_format" and "json_schema" in text)


async def stream_chat(
    settings: Settings,
    messages: list[dict[str, str]],
    *,
    max_tokens: int,
    schema: dict[str, Any] | None = None,
    on_delta: Delta | None = None,
    result: Streamed | None = None,
) -> Streamed:
    """Stream one completion. ``result`` (when given) is filled in as the answer arrives, so
    the caller still has the time to first token, any usage and the text that came when the
    call fails or is cancelled."""
    limit = settings.max_response_kb * 1024
    # Importing openai (the first time) and setting up TLS take a second or more: done in a
    # thread, so the app keeps answering keys meanwhile.
    first = "openai" not in sys.modules
    client = await asyncio.to_thread(_client, settings, limit * EVENT_FACTOR)
    if first:  # tens of thousands of objects that live on: out of the collector's way
        collector.set_aside()
    import openai

    from review_assistant.assistant.guard import TooLarge

    request: dict[str, Any] = {
        "model": settings.model,
        "messages": messages,
        "stream": True,
        "max_tokens": max_tokens,
        "temperature": settings.temperature,
        "stream_options": {"include_usage": True},
    }
    if schema is not None:
        request["response_format"] = {"type": "json_schema", "json_schema": schema}
    result = Streamed() if result is None else result
    parts: list[str] = []
    size = 0  # bytes of answer text so far
    most_chunks = chunks_left = CHUNK_FACTOR * max_tokens + CHUNK_SLACK
    started = time.perf_counter()
    try:
        async with asyncio.timeout(settings.total_timeout_s):
            stream = await _open(client, request, result)
            async with aclosing(_chunks(stream)) as chunks:
                async for usage, pieces in chunks:
                    chunks_left -= 1
                    if chunks_left < 0:
                        raise Unreadable(
                            f"sent more than {most_chunks:,} chunks for an answer of at most "
                            f"{max_tokens:,} tokens; reading stopped there"
                        )
                    if usage is not None:
                        result.prompt_tokens, result.output_tokens = usage
                    for piece in pieces:
                        if result.ttft_ms is None:
                            result.ttft_ms = (time.perf_counter() - started) * 1000
                        encoded = piece.encode()
                        over = size + len(encoded) > limit
                        if over:  # keep what fits, then stop reading
                            piece = encoded[: limit - size].decode(errors="ignore")
                        size += len(encoded)
                        parts.append(piece)
                        if on_delta is not None and piece:
                            await deliver(on_delta, piece)
                        if over:
                            raise TooLarge("the answer", limit)
            if result.ttft_ms is None and not _is_event_stream(stream):
                raise Unreadable(
                    "answered without streaming (Content-Type: "
                    f"{stream.response.headers.get('content-type', 'none')[:60]})"
                )
    except (openai.OpenAIError, json.JSONDecodeError, TimeoutError, TooLarge, Unreadable) as exc:
        text = "".join(parts)
        raise AssistantError(explain(exc, settings, text), partial=text) from exc
    finally:
        result.total_ms = (time.perf_counter() - started) * 1000
        result.text = "".join(parts)
        await client.close()
    return result


def _client(settings: Settings, event_limit: int) -> Any:
    import openai

    from review_assistant.assistant.guard import bounded

    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    return openai.AsyncOpenAI(
        api_key=key,
        base_url=settings.base_url,
        timeout=openai.Timeout(settings.timeout_s, connect=min(10.0, settings.timeout_s)),
        max_retries=0,
        http_client=openai.DefaultAsyncHttpxClient(
            event_hooks={"response": [bounded(event_limit)]}
        ),
    )


def _is_event_stream(stream: Any) -> bool:
    content_type = str(stream.response.headers.get("content-type", ""))
    return content_type.split(";")[0].strip().lower() == "text/event-stream"


async def _chunks(stream: Any) -> AsyncGenerator[tuple[tuple[int, int] | None, list[str]]]:
    """Each chunk's usage (when it reports one) and pieces of text. Bytes that are not UTF-8 and
    chunks of another shape raise Unreadable; the response is closed however reading ends."""
    try:
        async for chunk in stream:
            yield _usage(chunk), _texts(chunk)
    except UnicodeDecodeError:
        raise Unreadable("sent bytes that are not UTF-8 text in the stream") from None
    finally:
        await stream.close()


def _usage(chunk: Any) -> tuple[int, int] | None:
    usage = getattr(chunk, "usage", None)
    prompt = getattr(usage, "prompt_tokens", None)
    output = getattr(usage, "completion_tokens", None)
    if isinstance(prompt, int) and isinstance(output, int) and min(prompt, output) >= 0:
        return int(prompt), int(output)  # not bool
    return None


def _texts(chunk: Any) -> list[str]:
    """The content pieces of a chat chunk; anything else is a malformed event."""
    if not hasattr(chunk, "choices"):
        raise Unreadable("sent a malformed event in the stream (not a chat chunk)")
    choices = chunk.choices if chunk.choices is not None else ()  # e.g. a usage-only chunk
    if not isinstance(choices, list | tuple):
        raise Unreadable("sent a malformed event in the stream (its choices are not a list)")
    pieces = []
    for choice in choices:
        delta = getattr(choice, "delta", None)
        content = getattr(delta, "content", None)
        if not isinstance(content, str | None):
            raise Unreadable("sent a malformed event in the stream (content is not text)")
        if content:
            pieces.append(content)
    return pieces


async def _open(client: Any, request: dict[str, Any], result: Streamed) -> Any:
    """Start the stream. A server that rejects an optional feature (by 400, 422 or 500 naming
    it) is asked once more without it; JSON-schema output first falls back to the older
    ``json_object`` form with the schema attached (llama.cpp and others accept that)."""
    import openai

    for _ in range(len(OPTIONAL) + 2):
        try:
            return await client.chat.completions.create(**request)
        except openai.APIStatusError as exc:
            if exc.status_code not in (400, 422, 500):
                raise
            refused = next((o for o in OPTIONAL if o in request and _refuses(exc, o)), None)
            if refused is None:
                raise
            current = request.pop(refused)
            result.dropped.append(refused)
            if refused == "response_format" and current.get("type") == "json_schema":
                schema = current["json_schema"]["schema"]
                request["response_format"] = {"type": "json_object", "schema": schema}
    raise AssertionError("unreachable")  # pragma: no cover


async def ping(settings: Settings) -> Streamed:
    """One tiny call, for ``doctor``."""
    return await stream_chat(
        settings,
        [{"role": "user", "content": "Reply with the single word: ready"}],
        max_tokens=8,
    )
