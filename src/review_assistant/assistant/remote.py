"""Any OpenAI-compatible endpoint, streamed. openai loads on first use.

Every failure becomes an AssistantError whose message can be shown as is, with whatever text
had arrived kept as partial. Nothing is retried, except once without an optional feature
(JSON-schema output, usage in the stream) that a server says it does not support.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from review_assistant.assistant.settings import Settings

#: Called with each piece of text as it arrives; may be a coroutine function.
Delta = Callable[[str], object]
OPTIONAL = ("response_format", "stream_options")


class AssistantError(Exception):
    """A call that did not complete; ``partial`` holds any text that did arrive."""

    def __init__(self, message: str, *, partial: str = "", usage: tuple[int, int] | None = None):
        super().__init__(message)
        self.partial = partial
        self.usage = usage


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
    return str(getattr(exc, "message", "") or exc)[:300]


def explain(exc: BaseException, settings: Settings, partial: str) -> str:
    """A clear, literal sentence for each way a call can fail."""
    import openai

    where = _endpoint(settings)
    kept = " (the text that arrived is kept, marked partial)" if partial else ""
    if isinstance(exc, TimeoutError):
        return f"no complete answer within {settings.total_timeout_s:g} s from {where}{kept}"
    if isinstance(exc, openai.APITimeoutError):
        return f"{where} did not answer within {settings.timeout_s:g} s{kept}"
    if isinstance(exc, openai.APIConnectionError):
        if partial:
            return f"the answer from {where} was cut off mid-stream{kept}"
        cause = exc.__cause__ or exc
        return f"could not connect to {where}: {cause}"
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
    return f"the call to {where} failed: {type(exc).__name__}: {exc}{kept}"


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
    import openai

    key = settings.api_key.get_secret_value() if settings.api_key else "not-needed"
    client = openai.AsyncOpenAI(
        api_key=key,
        base_url=settings.base_url,
        timeout=openai.Timeout(settings.timeout_s, connect=min(10.0, settings.timeout_s)),
        max_retries=0,
    )
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
    started = time.perf_counter()
    try:
        async with asyncio.timeout(settings.total_timeout_s):
            stream = await _open(client, request, result)
            async for chunk in stream:
                if chunk.usage is not None:
                    result.prompt_tokens = chunk.usage.prompt_tokens
                    result.output_tokens = chunk.usage.completion_tokens
                for choice in chunk.choices:
                    piece = choice.delta.content if choice.delta else None
                    if not piece:
                        continue
                    if result.ttft_ms is None:
                        result.ttft_ms = (time.perf_counter() - started) * 1000
                    parts.append(piece)
                    if on_delta is not None:
                        await deliver(on_delta, piece)
    except (openai.OpenAIError, json.JSONDecodeError, TimeoutError) as exc:
        text = "".join(parts)
        raise AssistantError(explain(exc, settings, text), partial=text) from exc
    finally:
        result.total_ms = (time.perf_counter() - started) * 1000
        result.text = "".join(parts)
        await client.close()
    return result


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
