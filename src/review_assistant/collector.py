"""Keeping Python's cycle collector out of the facilitator's way.

A full collection walks every object the process holds; with Textual, pydantic and a loaded
review that is hundreds of thousands of objects, and it lands at whatever moment allocation
happens to cross the threshold: in the middle of opening a review or of a keystroke. Two
measures keep it short and off the hot paths:

- ``hold()`` keeps collection off while the app starts, and ``settle()`` then moves
  everything alive after start-up (modules, classes, styles) out of the
  collector's view until ``release()``, so later collections walk only what was made since;
- ``set_aside()`` does the same, without the collection, for what a big import made once
  the app runs (the ``openai`` client, on the first call to a model);
- ``paused()`` holds collection off while a review's thousands of rows become models, work
  that makes no cycles, and lets it run once afterwards.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager


def hold() -> None:
    """No collection while the app starts: importing Textual and friends allocates hundreds of
    thousands of objects that all live on, so the collections it would trigger find nothing.
    ``settle()`` turns collection back on."""
    gc.disable()


def settle() -> None:
    """Collect once, leave every object alive now out of later collections, and collect
    (again) from here on."""
    gc.collect()
    gc.freeze()
    gc.enable()


def set_aside() -> None:
    """Leave every object alive now out of later collections, as ``settle()`` does but without
    collecting first (that would stop the app for as long as it takes): the collections that
    come while an answer streams in then walk only what was made since."""
    gc.freeze()


def resume() -> None:
    """Collection on again (after ``hold()``, when the app did not start after all)."""
    gc.enable()


def release() -> None:
    """Hand what ``settle`` set aside back to the collector (when the app closes)."""
    gc.unfreeze()


_pausing = threading.Lock()
_paused = 0  # blocks inside ``paused()``, in any thread
_was_enabled = False  # whether collection was on when the first of them began


@contextmanager
def paused() -> Iterator[None]:
    """No cycle collection inside the block (reference counting still frees as usual).

    The collector is one for the whole process: while blocks in several threads overlap, it
    stays off until the last one ends, and is then left as it was before the first began.
    """
    global _paused, _was_enabled
    with _pausing:
        if _paused == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _paused += 1
    try:
        yield
    finally:
        with _pausing:
            _paused -= 1
            if _paused == 0 and _was_enabled:
                gc.enable()
