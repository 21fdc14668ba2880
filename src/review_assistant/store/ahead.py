"""A review read ahead of being opened, on a connection of its own.

While the facilitator looks at the list of reviews, the one under the cursor can be read in a
worker thread, so that Enter finds it read. What was read ahead is used only if nothing at all
has been committed to the file since it was asked for (``Store.version``): otherwise the
review is read again, so what opens is never older than what is on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from review_assistant.domain.models import Review
from review_assistant.store.repository import Store


@dataclass(frozen=True)
class ReadAhead:
    session_id: str
    #: The store's version when the reading was asked for (before it began).
    version: tuple[int, int]
    review: Review


def read_ahead(path: Path, session_id: str, version: tuple[int, int]) -> ReadAhead:
    """Read a review on a connection of its own (from any thread); ``version`` is the app's
    store's version, taken before this is called."""
    with Store(path) as store:
        return ReadAhead(session_id, version, store.load_review(session_id))


def take(ahead: ReadAhead | None, store: Store, session_id: str) -> Review | None:
    """The review read ahead, if it is this one and nothing was committed since it was asked
    for; else None (read it again)."""
    if ahead is None or ahead.session_id != session_id or ahead.version != store.version():
        return None
    return ahead.review
