"""Driving the real app in a pseudo-terminal, for benchmarks of what a facilitator sees.

``Terminal(folder)`` starts ``python -m review_assistant --data-dir folder`` in a 100×30 pty and
waits for the home screen's footer; ``time_keys`` sends keys and times how long until given
text is on its way to the screen. Output is read as the app writes it, so a figure is from
the key leaving here to the frame that holds the text being written by the app.
"""

from __future__ import annotations

import fcntl
import gc
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path
from types import TracebackType

SIZE = (100, 30)


def steady() -> None:
    """Turn this process's own cycle collector off, after one collection, with what is alive
    set aside: a full collection here takes 50-60 ms, and one landing while a key's echo is
    awaited was counted as the app's wait. (Reference counting still frees what is read.)"""
    gc.collect()
    gc.freeze()
    gc.disable()


class Terminal:
    def __init__(
        self,
        folder: Path | None = None,
        *,
        ready: bytes = b"Help",
        args: tuple[str, ...] = (),
        command: list[str] | None = None,
        settle: bool = True,
    ) -> None:
        """Start the app on ``folder`` (or ``command``); wait until ``ready`` is written.

        ``ready_ms`` is the time from starting the process to that moment.
        """
        self.master, slave = pty.openpty()
        columns, rows = SIZE
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        if command is None:
            command = [sys.executable, "-m", "review_assistant", "--data-dir", str(folder), *args]
        began = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env={**os.environ, "TERM": "xterm-256color"},
            start_new_session=True,
        )
        os.close(slave)
        self.seen = bytearray()
        self.wait_for(ready, 0)
        self.ready_ms = (time.perf_counter() - began) * 1000
        if settle:
            self.settle()

    def read(self, timeout: float) -> bool:
        if select.select([self.master], [], [], timeout)[0]:
            try:
                self.seen += os.read(self.master, 65536)
            except OSError:
                return False
            return True
        return False

    def wait_for(self, needle: bytes, after: int, timeout: float = 60) -> int:
        deadline = time.monotonic() + timeout
        while (found := self.seen.find(needle, after)) < 0:
            if time.monotonic() > deadline:
                raise TimeoutError(needle)
            self.read(0.01)
        return found + len(needle)

    def settle(self, quiet: float = 0.3) -> None:
        """Read until the app has written nothing for ``quiet`` seconds."""
        while self.read(quiet):
            pass

    def send(self, keys: bytes) -> None:
        """Send keys and read until the app has gone quiet."""
        os.write(self.master, keys)
        self.settle()

    def time_keys(self, keys: bytes, *needles: bytes) -> list[float]:
        """Send ``keys``; milliseconds until each needle has been written (waited for in turn)."""
        after = len(self.seen)
        began = time.perf_counter()
        os.write(self.master, keys)
        times = []
        for needle in needles:
            self.wait_for(needle, after)
            times.append((time.perf_counter() - began) * 1000)
        return times

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        os.close(self.master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
