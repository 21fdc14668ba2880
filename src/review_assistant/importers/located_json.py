"""Decoding JSON while remembering the line each element of a list starts on.

The standard decoder reads the document; the elements of the list that matters are decoded
one at a time with ``raw_decode`` so their offsets, and so their line numbers, are known.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

_SPACE = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True, slots=True)
class Located:
    """The decoded document and the (line, element) pairs of its list of interest.

    ``items`` is None when the document is neither a list nor an object whose ``key`` holds
    a list.
    """

    document: Any
    items: list[tuple[int, Any]] | None


def load_located(text: str, key: str | None = None) -> Located:
    """Decode ``text``; locate the elements of the top-level list, or of ``document[key]``.

    Raises ``json.JSONDecodeError`` (with line and column) for text that is not JSON.
    """
    scanner = _Scanner(text)
    start = scanner.skip(0)
    head = text[start : start + 1]
    if head == "[":
        items, end = scanner.array(start)
        document: Any = [item for _, item in items]
        located: list[tuple[int, Any]] | None = items
    elif head == "{" and key is not None:
        document, located, end = scanner.obj(start, key)
    else:
        document, end = scanner.value(start)
        located = None
    end = scanner.skip(end)
    if end != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return Located(document, located)


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.decoder = json.JSONDecoder()
        self.line = 1
        self.line_pos = 0

    def skip(self, pos: int) -> int:
        match = _SPACE.match(self.text, pos)
        return match.end() if match else pos

    def line_at(self, pos: int) -> int:
        """The line of ``pos``; positions are asked for in increasing order."""
        self.line += self.text.count("\n", self.line_pos, pos)
        self.line_pos = pos
        return self.line

    def value(self, pos: int) -> tuple[Any, int]:
        result: tuple[Any, int] = self.decoder.raw_decode(self.text, pos)
        return result

    def expect(self, pos: int, closing: str) -> tuple[bool, int]:
        """After an element: True and the next position at ``,``, False at ``closing``."""
        pos = self.skip(pos)
        char = self.text[pos : pos + 1]
        if char == ",":
            return True, self.skip(pos + 1)
        if char == closing:
            return False, pos + 1
        raise json.JSONDecodeError("Expecting ',' delimiter", self.text, pos)

    def array(self, pos: int) -> tuple[list[tuple[int, Any]], int]:
        items: list[tuple[int, Any]] = []
        pos = self.skip(pos + 1)
        if self.text[pos : pos + 1] == "]":
            return items, pos + 1
        more = True
        while more:
            line = self.line_at(pos)
            item, pos = self.value(pos)
            items.append((line, item))
            more, pos = self.expect(pos, "]")
        return items, pos

    def obj(self, pos: int, key: str) -> tuple[dict[str, Any], list[tuple[int, Any]] | None, int]:
        document: dict[str, Any] = {}
        located: list[tuple[int, Any]] | None = None
        pos = self.skip(pos + 1)
        if self.text[pos : pos + 1] == "}":
            return document, located, pos + 1
        more = True
        while more:
            if self.text[pos : pos + 1] != '"':
                raise json.JSONDecodeError(
                    "Expecting property name enclosed in double quotes", self.text, pos
                )
            name, pos = self.value(pos)
            pos = self.skip(pos)
            if self.text[pos : pos + 1] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", self.text, pos)
            pos = self.skip(pos + 1)
            if name == key and self.text[pos : pos + 1] == "[":
                items, pos = self.array(pos)
                document[name] = [item for _, item in items]
                located = items
            else:
                document[name], pos = self.value(pos)
                if name == key:
                    located = None
            more, pos = self.expect(pos, "}")
        return document, located, pos
