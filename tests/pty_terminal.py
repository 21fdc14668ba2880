"""The real app in a pseudo-terminal: start it, type into it, read what it draws, kill it."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

#: Columns and rows of the terminal the app draws into.
SIZE = (100, 30)

#: What the review screens say once a typed item is committed: "✓ saved note: …",
#: "✓ saved timeline event 2026-03-12T14:05:00+00:00 detection: …" (one line; what does not
#: fit in the width is cut off).
SAVED = "✓ saved ".encode()
#: Where the item's text ends on that line: the end of the styled run (after the padding),
#: the phase the item went to ("(in Timeline walk)", perhaps cut off), or a warning.
TEXT_END = rb"(?= *\x1b| \(in| " + "—".encode() + rb" )"


def saved_pattern(text: str) -> re.Pattern[bytes]:
    """The confirmation line for an item whose text is exactly ``text``."""
    return re.compile(re.escape(SAVED) + rb"[^\x1b\r\n]*?: " + re.escape(text.encode()) + TEXT_END)


class Terminal:
    """The real app in a pseudo-terminal, 100×30, its output read as it comes."""

    def __init__(self, args: list[str], term: str = "xterm-256color") -> None:
        master, slave = pty.openpty()
        columns, rows = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in {"COLORTERM", "NO_COLOR"}}
        env |= {"TERM": term, "REVIEW_ASSISTANT_PROVIDER": "builtin"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "review_assistant", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.closed = False

    def pump(self, timeout: float) -> bool:
        """Read what the app has written within ``timeout`` seconds; False if nothing came
        (or the terminal is gone)."""
        if self.closed:
            return False
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.master, 65536)
        except OSError:  # the app has exited and everything it wrote has been read
            return False
        self.output += chunk
        return bool(chunk)

    def _fail(self, what: str) -> AssertionError:
        tail = bytes(self.output[-2000:]).decode(errors="replace")
        return AssertionError(f"{what} never appeared; output ended with {tail!r}")

    def read_until(
        self,
        needle: bytes,
        *,
        after: int = 0,
        refused: re.Pattern[bytes] | None = None,
        timeout: float = 60,
    ) -> int:
        """Wait until ``needle`` appears in the output past offset ``after``; its end offset."""
        wanted = re.compile(re.escape(needle))
        return self.expect(wanted, after=after, refused=refused, timeout=timeout).end()

    def expect(
        self,
        wanted: re.Pattern[bytes],
        *,
        after: int = 0,
        refused: re.Pattern[bytes] | None = None,
        timeout: float = 60,
    ) -> re.Match[bytes]:
        """Wait for ``wanted`` past offset ``after``; fail at once if ``refused`` shows first."""
        deadline = time.monotonic() + timeout
        while True:
            if refused is not None and (bad := refused.search(self.output, after)):
                start = max(0, bad.start() - 300)
                context = bytes(self.output[start : bad.end() + 300])
                raise AssertionError(f"the app said {bad.group()!r}: {context!r}")
            if (match := wanted.search(self.output, after)) is not None:
                return match
            if time.monotonic() > deadline or self.process.poll() is not None:
                if not self.pump(0):
                    raise self._fail(repr(wanted.pattern))
                continue
            self.pump(0.1)

    def acknowledged(
        self,
        text: str,
        *,
        after: int = 0,
        refused: re.Pattern[bytes] | None = None,
        timeout: float = 60,
    ) -> int:
        """Wait until the app says the item ``text`` is saved; the end offset of that line."""
        return self.expect(saved_pattern(text), after=after, refused=refused, timeout=timeout).end()

    def acknowledged_before(self, text: str, deadline: float, *, after: int = 0) -> int | None:
        """Like :meth:`acknowledged`, but gives up at ``deadline`` (``time.monotonic()``) and
        then returns None."""
        pattern = saved_pattern(text)
        while (match := pattern.search(self.output, after)) is None:
            left = deadline - time.monotonic()
            if left <= 0 or (not self.pump(min(left, 0.1)) and self.process.poll() is not None):
                return None
        return match.end()

    def was_acknowledged(self, text: str, *, after: int = 0) -> bool:
        """Whether the output past ``after`` holds the app's confirmation for ``text``."""
        return saved_pattern(text).search(self.output, after) is not None

    def type(self, text: str) -> None:
        os.write(self.master, text.encode())

    def watch(self, seconds: float) -> None:
        """Keep reading what the app draws for ``seconds`` (a chosen moment, not a wait)."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            if not self.pump(left) and self.process.poll() is not None:
                return

    def drain(self, quiet: float = 0.2) -> None:
        """Read until the app has written nothing for ``quiet`` seconds (or has gone)."""
        while self.pump(quiet):
            pass

    def kill(self) -> None:
        """SIGKILL: no clean shutdown. Whatever the app wrote before it died is still read."""
        if self.closed:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self.drain(0.05)
        self.close()

    def quit(self, keys: str = "\x11", timeout: float = 60) -> int:
        """Quit with ``keys`` (Ctrl+Q), reading the output until the app exits; its status."""
        self.type(keys)
        deadline = time.monotonic() + timeout
        while self.process.poll() is None:
            if time.monotonic() > deadline:
                raise AssertionError("the app did not exit after Ctrl+Q")
            self.pump(0.1)
        self.drain(0.05)
        self.close()
        return self.process.returncode

    def close(self) -> None:
        if not self.closed:
            os.close(self.master)
            self.closed = True
