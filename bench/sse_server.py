"""A timed OpenAI-compatible streaming server for the streaming benchmark (standard library).

Every request to ``/v1/chat/completions`` is answered with the same stream: ``chunks`` sent as
SSE events ``interval_s`` apart over chunked HTTP/1.1, as the real API does. The moment each
chunk was flushed to the socket is kept in ``sent`` (``time.perf_counter()``, the same clock
the benchmark reads), one list per request.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client hanging up between requests is no error here."""


class TimedStream:
    def __init__(self, chunks: list[str], interval_s: float) -> None:
        self.chunks = chunks
        self.interval_s = interval_s
        self.sent: list[list[float]] = []
        self.requests = 0
        stream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                self.rfile.read(length)
                times: list[float] = []
                stream.sent.append(times)
                # counted once its list is in place: a reader that sees the count go up
                # never reads the previous request's list as this one's
                stream.requests += 1
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                due = time.perf_counter()
                for index, text in enumerate(stream.chunks):
                    delta = {"content": text} | ({"role": "assistant"} if index == 0 else {})
                    self._event({"choices": [{"index": 0, "delta": delta, "finish_reason": None}]})
                    times.append(time.perf_counter())
                    due += stream.interval_s
                    time.sleep(max(due - time.perf_counter(), 0))
                self._event({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
                self._write(b"data: [DONE]\n\n")
                self._write(b"")

            def _event(self, body: dict[str, Any]) -> None:
                payload = {
                    "id": "chatcmpl-bench",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "bench-model",
                    **body,
                }
                self._write(f"data: {json.dumps(payload)}\n\n".encode())

            def _write(self, data: bytes) -> None:
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

        self.server = _Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> TimedStream:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
