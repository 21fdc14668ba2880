"""A bound on what an endpoint can make the app hold while reading one response.

The openai SDK keeps a server-sent event in memory until its blank line, and reads an error
body whole, both without limit. An httpx response hook wraps every response's byte stream so
that one event of a 2xx answer (always read as a stream of events, whatever its Content-Type),
or an error body as a whole, cannot pass ``limit`` bytes; passing it raises TooLarge and the
connection is dropped. httpx2 comes with openai, so this module is imported on first use,
never when the app starts.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import httpx2

#: Two line ends in a row end an event (CRLF alone is one line end): LF LF, LF CR, CR CR.
BOUNDARIES = (b"\n\n", b"\n\r", b"\r\r")


class TooLarge(Exception):
    """A response passed a size bound while it was read."""

    def __init__(self, what: str, limit: int) -> None:
        super().__init__(f"{what} passed {limit // 1024:,} KB")
        self.what = what
        self.limit = limit


class BoundedStream(httpx2.AsyncByteStream):
    """Passes bytes on as they come, counting those since the last event boundary (``events``)
    or since the start of the body; raises TooLarge, naming ``what`` passed, once the count
    passes ``limit``."""

    def __init__(
        self, inner: httpx2.AsyncByteStream, limit: int, *, events: bool, what: str
    ) -> None:
        self.inner = inner
        self.limit = limit
        self.events = events
        self.what = what

    async def __aiter__(self) -> AsyncIterator[bytes]:
        size, last = 0, b""
        async for chunk in self.inner:
            if not self.events:
                size += len(chunk)
            else:
                end = max(chunk.rfind(boundary) for boundary in BOUNDARIES)
                if end >= 0:
                    size = len(chunk) - end - 2
                elif chunk and last + chunk[:1] in BOUNDARIES:
                    size = len(chunk) - 1
                else:
                    size += len(chunk)
                last = chunk[-1:] or last
            if size > self.limit:
                raise TooLarge(self.what, self.limit)
            yield chunk

    async def aclose(self) -> None:
        await self.inner.aclose()


def bounded(limit: int) -> Callable[[httpx2.Response], Awaitable[None]]:
    """The response hook: a 2xx answer is bounded per event (the SDK holds one event at a time),
    an error body as a whole (the SDK reads it whole)."""

    async def hook(response: httpx2.Response) -> None:
        stream = response.stream
        assert isinstance(stream, httpx2.AsyncByteStream)
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        streamed = response.is_success and content_type == "text/event-stream"
        what = "one event of the stream" if streamed else "the response body"
        response.stream = BoundedStream(stream, limit, events=response.is_success, what=what)

    return hook
