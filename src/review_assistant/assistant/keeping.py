"""What a call leaves in the store, read and written away from the app's event loop.

A SQLite connection stays in the thread that opened it, and the app's belongs to its event
loop: work on the store during a call (reading the review, writing the suggestions, the draft
and the call's log entry) runs in a worker thread on a connection of its own to the same file,
so keys are answered meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import AssistantCall, Draft, DraftKind
from review_assistant.store import Store

T = TypeVar("T")


def save_draft(
    store: Store, session_id: str, task: Task, text: str, call: AssistantCall, partial: bool
) -> Draft:
    """A draft saved with the session (``partial``: what arrived of a call cut short)."""
    draft = Draft(kind=DraftKind(task.value), text=text, partial=partial, call_id=call.id)
    return store.add(session_id, draft)


def keep_nothing(store: Store) -> None:
    """Nothing to keep but the call's log entry."""


def on_own_connection(path: Path, work: Callable[[Store], T]) -> T:
    """``work`` on a connection of its own to the database at ``path``, closed after it: for
    a worker thread (a connection stays in the thread that opened it)."""
    with Store(path) as store:
        return work(store)


async def in_thread(store: Store, work: Callable[[Store], T], *, finish: bool = False) -> T:
    """``work`` in a worker thread, on its own connection to ``store``'s database. With
    ``finish``, a cancel that comes meanwhile waits until ``work`` is done (it then goes on),
    so what it writes is written whole."""
    done = asyncio.ensure_future(asyncio.to_thread(on_own_connection, store.path, work))
    if not finish:
        return await done
    try:
        return await asyncio.shield(done)
    except asyncio.CancelledError:
        await done
        raise
