"""Durable storage of review sessions in one SQLite database (sqlite-utils)."""

from review_assistant.store.database import SchemaTooNewError, StoreError
from review_assistant.store.repository import NotFoundError, SessionSummary, Store

__all__ = ["NotFoundError", "SchemaTooNewError", "SessionSummary", "Store", "StoreError"]
