"""Durable storage of review sessions in one SQLite database (sqlite-utils).

The names below load on first use, so ``review_assistant.store.listing`` (the home screen's
list, standard library only) can be read without importing the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from review_assistant.store.database import SchemaTooNewError, StoreError
    from review_assistant.store.listing import SessionSummary
    from review_assistant.store.repository import NotFoundError, Store

__all__ = ["NotFoundError", "SchemaTooNewError", "SessionSummary", "Store", "StoreError"]

_HOMES = {
    "SchemaTooNewError": "database",
    "StoreError": "database",
    "SessionSummary": "listing",
    "NotFoundError": "repository",
    "Store": "repository",
}


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        module = importlib.import_module(f"review_assistant.store.{_HOMES[name]}")
        return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
