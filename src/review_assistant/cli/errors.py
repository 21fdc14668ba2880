"""Errors the command line reports as one line."""

from __future__ import annotations


class UsageError(Exception):
    """Bad command-line input: shown as one line, exit status 2."""
