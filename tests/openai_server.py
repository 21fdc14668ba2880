"""A local OpenAI-compatible HTTP server for tests (standard library only).

The openai SDK talks through httpx2, which respx cannot intercept, so tests use real sockets::

    with FakeOpenAI() as server:
        server.script(Stream(["Hel", "lo"]), rate_limited())
        client = openai.OpenAI(base_url=server.url, api_key="test", max_retries=0)

Streamed responses use HTTP/1.1 chunked transfer encoding (as the real API does), so a stream
that is cut off mid-body is seen by the client as an incomplete message, not a clean end.
"""

from __future__ import annotations

import contextlib
import json
import random
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, cast


@dataclass
class Stream:
    """Stream ``chunks`` as SSE when the request has ``stream: true``; else one JSON completion."""

    chunks: list[str]
    delay_s: float = 0.0
    cut_after: int | None = None
    usage: tuple[int, int] | None = (12, 5)
    finish_reason: str = "stop"


@dataclass
class Status:
    """An HTTP error with an OpenAI-style JSON error body."""

    code: int
    message: str = "The server had an error while processing your request."
    headers: dict[str, str] | None = None
    error_type: str = "server_error"
    error_code: str | None = None
    param: str | None = None


@dataclass
class Malformed:
    """A 200 response whose first SSE event (or whole JSON body) is not valid JSON."""


@dataclass
class Drip:
    """Like Stream, but waits ``interval_s`` before every chunk; stops when the server closes."""

    chunks: list[str]
    interval_s: float = 1.0


@dataclass
class Hang:
    """Read the request, then never respond until the server closes."""


@dataclass
class Garbage:
    """Random bytes that are neither HTTP nor UTF-8: sent instead of any HTTP response (then the
    connection is closed), or with ``as_body`` as the body of a 200 event stream."""

    size: int = 64 * 1024
    as_body: bool = False
    seed: int = 7


@dataclass
class Flood:
    """A 200 answer of about ``total_bytes`` of content, produced as it is written (the server
    never holds it): ``chunks`` many SSE events of ``piece`` characters each, ``event`` one SSE
    event whose content is all of it, ``json`` one plain JSON completion (a server ignoring
    ``stream: true``; with another ``status``, an enormous error body)."""

    total_bytes: int = 50 * 1024 * 1024
    shape: Literal["chunks", "event", "json"] = "chunks"
    piece: int = 1024
    status: int = 200


@dataclass
class Endless:
    """Valid SSE chunks of ``text`` as fast as the client reads them, until the client hangs up
    or the server closes; ``text=""`` sends chunks with no content at all. ``first`` (when
    given) is the content of the first chunk."""

    text: str = "and then "
    first: str = ""


@dataclass
class Events:
    """A 200 event stream of exactly these ``data:`` payloads (valid JSON or not), then
    ``[DONE]``."""

    payloads: list[str]


Behaviour = Stream | Status | Malformed | Drip | Hang | Garbage | Flood | Endless | Events


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


def unauthorized() -> Status:
    message = "Incorrect API key provided."
    return Status(401, message, None, "invalid_request_error", "invalid_api_key")


def model_not_found(model: str) -> Status:
    message = f"The model `{model}` does not exist"
    return Status(404, message, None, "invalid_request_error", "model_not_found", "model")


def rate_limited(retry_after_s: int = 7) -> Status:
    headers = {"Retry-After": str(retry_after_s)}
    return Status(429, "Rate limit reached.", headers, "requests", "rate_limit_exceeded")


def server_error() -> Status:
    return Status(500)


def closed_port_url() -> str:
    """A base URL on 127.0.0.1 whose port nothing listens on (connection refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


class _Aborted(Exception):
    """The server is closing; the handler drops the connection."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fake: FakeOpenAI

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # clients hanging up mid-response are expected in these tests


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    @property
    def fake(self) -> FakeOpenAI:
        return cast(_Server, self.server).fake

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.fake._connections.add(self.connection)

    def finish(self) -> None:
        self.fake._connections.discard(self.connection)
        super().finish()

    def do_GET(self) -> None:
        self._record(None)
        if self.path.rstrip("/") != "/v1/models":
            self._unknown_path()
            return
        data = [
            {"id": m, "object": "model", "created": 0, "owned_by": "test"} for m in self.fake.models
        ]
        self._send_json(200, {"object": "list", "data": data})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body: Any = json.loads(raw) if raw else None
        except ValueError:
            body = None
        self._record(body)
        if self.path.rstrip("/") != "/v1/chat/completions":
            self._unknown_path()
            return
        request = body if isinstance(body, dict) else {}
        fake = self.fake
        model = str(request.get("model", ""))
        response_format = request.get("response_format")
        if fake.strict_models and model not in fake.models:
            self._send_status(model_not_found(model))
        elif (
            not fake.supports_json_schema
            and isinstance(response_format, dict)
            and response_format.get("type") == "json_schema"
        ):
            message = "response_format json_schema is not supported by this model"
            self._send_status(
                Status(400, message, None, "invalid_request_error", None, "response_format")
            )
        else:
            try:
                self._behave(fake._next(), request, model or "test-model")
            except (_Aborted, OSError):
                self._abort()

    def _unknown_path(self) -> None:
        self._send_status(Status(404, f"Unknown path {self.path}", None, "invalid_request_error"))

    def _record(self, body: Any) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.fake._record(RecordedRequest(self.command, self.path, headers, body))

    def _behave(self, behaviour: Behaviour, request: dict[str, Any], model: str) -> None:
        streaming = request.get("stream") is True
        if isinstance(behaviour, Status):
            self._send_status(behaviour)
        elif isinstance(behaviour, Garbage):
            self._garbage(behaviour)
        elif isinstance(behaviour, Flood):
            self._flood(behaviour, model)
        elif isinstance(behaviour, Endless):
            self._endless(behaviour, model)
        elif isinstance(behaviour, Events):
            self._start_stream()
            for payload in behaviour.payloads:
                self._write_chunk(f"data: {payload}\n\n".encode())
            self._write_chunk(b"data: [DONE]\n\n")
            self._write_chunk(b"")
        elif isinstance(behaviour, Hang):
            self.fake.closing.wait()
            raise _Aborted
        elif isinstance(behaviour, Malformed):
            if not streaming:
                self._send_raw(200, "application/json", b"{not json")
                return
            self._start_stream()
            self._write_chunk(b"data: {not json\n\n")
            self._write_chunk(b"data: [DONE]\n\n")
            self._write_chunk(b"")
        else:
            if isinstance(behaviour, Drip):
                stream = Stream(behaviour.chunks, usage=None)
                before, between = behaviour.interval_s, behaviour.interval_s
            else:
                stream = behaviour
                before, between = 0.0, behaviour.delay_s
            if streaming:
                include_usage = (request.get("stream_options") or {}).get("include_usage") is True
                self._stream(stream, model, before, between, include_usage)
            else:
                self._wait(before + between * max(len(stream.chunks) - 1, 0))
                self._send_json(200, _completion(stream, model))

    def _stream(
        self, stream: Stream, model: str, before: float, between: float, include_usage: bool
    ) -> None:
        base = {
            "id": "chatcmpl-test",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
        }
        cut = stream.cut_after is not None and stream.cut_after <= len(stream.chunks)
        self._start_stream()
        for index, text in enumerate(stream.chunks[: stream.cut_after]):
            self._wait(before if index == 0 else between)
            delta = {"role": "assistant", "content": text} if index == 0 else {"content": text}
            choice = {"index": 0, "delta": delta, "finish_reason": None}
            self._event({**base, "choices": [choice]})
        if cut:
            raise _Aborted  # drop the connection mid-body: no finish chunk, no [DONE]
        finish = {"index": 0, "delta": {}, "finish_reason": stream.finish_reason}
        self._event({**base, "choices": [finish]})
        if include_usage and stream.usage is not None:
            self._event({**base, "choices": [], "usage": _usage(stream.usage)})
        self._write_chunk(b"data: [DONE]\n\n")
        self._write_chunk(b"")

    def _garbage(self, garbage: Garbage) -> None:
        # A leading 0xff can start no UTF-8 sequence, and no HTTP status line starts with it.
        junk = b"\xff\xfe" + random.Random(garbage.seed).randbytes(max(garbage.size - 2, 0))
        if not garbage.as_body:
            self.wfile.write(junk)
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)  # all of it is delivered, then the end
            while self.rfile.read(4096):  # until the client hangs up (or the server closes)
                pass
            raise _Aborted
        self._start_stream()
        for start in range(0, len(junk), 4096):
            self._write_chunk(junk[start : start + 4096])
        self._write_chunk(b"")

    def _flood(self, flood: Flood, model: str) -> None:
        block = b"x" * 65536
        if flood.shape == "chunks":
            event = _chunk_event(model, "x" * flood.piece)
            self._start_stream()
            for _ in range(max(flood.total_bytes // flood.piece, 1)):
                self._check_open()
                self._write_chunk(event)
            self._write_chunk(b"data: [DONE]\n\n")
            self._write_chunk(b"")
            return
        if flood.shape == "event":
            before, after = _chunk_event(model, "").split(b'"content": ""')
            head, tail = before + b'"content": "', b'"' + after
            self._start_stream()
            self._write_chunk(head)
            self._write_blocks(block, flood.total_bytes, self._write_chunk)
            self._write_chunk(tail)
            self._write_chunk(b"data: [DONE]\n\n")
            self._write_chunk(b"")
            return
        completion = json.dumps(_completion(Stream(["\x00"]), model)).encode()
        head, tail = completion.split(b"\\u0000")
        self.send_response(flood.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(head) + flood.total_bytes + len(tail)))
        self.end_headers()
        self.wfile.write(head)
        self._write_blocks(block, flood.total_bytes, self.wfile.write)
        self.wfile.write(tail)
        self.wfile.flush()

    def _write_blocks(self, block: bytes, total: int, write: Callable[[bytes], object]) -> None:
        """Write ``total`` bytes as repeats of ``block`` (never building them in memory)."""
        left = total
        while left > 0:
            self._check_open()
            write(block[:left])
            left -= len(block)

    def _endless(self, endless: Endless, model: str) -> None:
        event = _chunk_event(model, endless.text)
        self._start_stream()
        if endless.first:
            self._write_chunk(_chunk_event(model, endless.first))
        while True:
            self._check_open()
            self._write_chunk(event)

    def _check_open(self) -> None:
        if self.fake.closing.is_set():
            raise _Aborted

    def _wait(self, seconds: float) -> None:
        if self.fake.closing.wait(seconds) if seconds > 0 else self.fake.closing.is_set():
            raise _Aborted

    def _start_stream(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Connection", "close")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.wfile.flush()

    def _event(self, payload: dict[str, Any]) -> None:
        self._write_chunk(f"data: {json.dumps(payload)}\n\n".encode())

    def _write_chunk(self, data: bytes) -> None:
        """Write one chunked-encoding chunk; empty ``data`` writes the terminating chunk."""
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _abort(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        self.connection.close()

    def _send_status(self, status: Status) -> None:
        error: dict[str, str | None] = {"message": status.message, "type": status.error_type}
        error |= {"param": status.param, "code": status.error_code}
        self._send_json(status.code, {"error": error}, status.headers)

    def _send_json(
        self, code: int, payload: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        self._send_raw(code, "application/json", json.dumps(payload).encode(), headers)

    def _send_raw(
        self, code: int, content_type: str, data: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()


def _chunk_event(model: str, text: str) -> bytes:
    """One SSE event carrying ``text`` as a content delta."""
    choice = {"index": 0, "delta": {"content": text}, "finish_reason": None}
    payload = {
        "id": "chatcmpl-test",
        "object": "chat.completion.chunk",
        "created": int(time.time()),
        "model": model,
        "choices": [choice],
    }
    return f"data: {json.dumps(payload)}\n\n".encode()


def _usage(usage: tuple[int, int]) -> dict[str, int]:
    prompt, completion = usage
    total = prompt + completion
    return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": total}


def _completion(stream: Stream, model: str) -> dict[str, Any]:
    message = {"role": "assistant", "content": "".join(stream.chunks), "refusal": None}
    choice = {"index": 0, "message": message, "finish_reason": stream.finish_reason}
    payload: dict[str, Any] = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{**choice, "logprobs": None}],
    }
    if stream.usage is not None:
        payload["usage"] = _usage(stream.usage)
    return payload


class FakeOpenAI:
    """An OpenAI-compatible server on 127.0.0.1 with a random port, serving in a daemon thread."""

    def __init__(self, models: list[str] | None = None) -> None:
        self.models: list[str] = list(models) if models is not None else ["test-model"]
        self.default: Behaviour = Stream(["Hello", " world"])
        self.strict_models = False
        self.supports_json_schema = True
        self.requests: list[RecordedRequest] = []
        self.closing = threading.Event()
        self._queue: deque[Behaviour] = deque()
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._httpd = _Server(("127.0.0.1", 0), _Handler)
        self._httpd.fake = self
        self.port: int = self._httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def script(self, *behaviours: Behaviour) -> None:
        """Queue behaviours for the next chat completion requests (FIFO)."""
        with self._lock:
            self._queue.extend(behaviours)

    @property
    def chat_requests(self) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.rstrip("/") == "/v1/chat/completions"]

    def close(self) -> None:
        """Stop serving and drop every open connection; never waits on a stuck handler."""
        if self.closing.is_set():
            return
        self.closing.set()
        self._httpd.shutdown()
        for conn in list(self._connections):
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeOpenAI:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _next(self) -> Behaviour:
        with self._lock:
            return self._queue.popleft() if self._queue else self.default

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(request)
