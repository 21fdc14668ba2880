"""Making untrusted text safe to print without changing what is stored."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control picture" for that character
    if code == 0x7F:
        return "\u2421"
    return f"\\x{code:02x}"


def printable(text: str) -> str:
    """Show control characters (ANSI escapes included) as visible symbols.

    Newlines and tabs are kept. The stored text is never changed; only what is printed.
    """
    return _CONTROL.sub(_picture, text)


def inert_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run: text starting with =, +, -, @, a tab or a
    carriage return is read as a formula, so it gets a leading apostrophe (which
    spreadsheets hide and treat as "this is text")."""
    return f"'{text}" if text[:1] in _FORMULA_STARTS else text


_FORMULA_STARTS = frozenset("=+-@\t\r")


def control_count(text: str) -> int:
    return len(_CONTROL.findall(text))


def counted(number: int, singular: str, plural: str | None = None) -> str:
    """``3 factors``, ``1 factor``."""
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def one_line(text: str, width: int = 80) -> str:
    """A single printable line, shortened with an ellipsis."""
    flat = " ".join(printable(text).split())
    return flat if len(flat) <= width else flat[: max(width - 1, 0)] + "…"
