"""Export and import of a whole review session as one JSON document, without loss."""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from review_assistant.domain.models import Review, first_error, new_id
from review_assistant.store import Store

FORMAT = "review-assistant/session"
VERSION = 1


class ExchangeError(ValueError):
    """The file is not a session export this version can read."""


def export_json(review: Review, *, anonymise: bool = False) -> str:
    """The whole session, lossless; with ``anonymise`` participants' names are replaced by their
    public labels everywhere (the result is still a valid export, marked ``anonymised``)."""
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION}
    if anonymise:
        from review_assistant.writeup.anonymise import Anonymiser

        review = Anonymiser(review.participants).review(review)
        document["anonymised"] = True
    document.update(review.model_dump(mode="json"))
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse_export(text: str) -> Review:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExchangeError(
            f"not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ExchangeError(f"not a review-assistant session export (expected format {FORMAT!r})")
    version = document.pop("version", None)
    document.pop("format")
    document.pop("anonymised", None)
    if not isinstance(version, int) or version < 1:
        raise ExchangeError("the export has no valid format version")
    if version > VERSION:
        raise ExchangeError(
            f"the export is format version {version}, newer than this version reads ({VERSION}); "
            "upgrade review-assistant"
        )
    try:
        return Review.model_validate(document)
    except ValidationError as exc:
        where, message = first_error(exc)
        raise ExchangeError(
            f"the export is invalid at {where}: {message} ({exc.error_count()} problem(s))"
        ) from None


def import_review(store: Store, text: str) -> str:
    """Store an exported review as a new session (a fresh id); returns that id."""
    review = parse_export(text)
    review.session.id = new_id()
    return store.save_review(review)
