"""Drafts of a review's summary and write-up, rendered as Markdown from its data."""

from review_assistant.writeup.render import render_draft

__all__ = ["render_draft"]
