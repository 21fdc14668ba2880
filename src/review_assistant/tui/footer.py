"""The key line at the bottom of every screen: the keys that work here, as one line of text.

Textual's ``Footer`` is a container of one widget per key, each styled, laid out and drawn on
its own, and rebuilt on every change of focus; on the home screen that was a quarter of the
time to the first frame. This is one widget that draws one line, worked out again only when
the keys it shows change. A click on a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from textual import events
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

KEY_STYLE = "bold $footer-key-foreground"
DESCRIPTION_STYLE = "$footer-description-foreground"
#: Between one key and the next, and before the palette key at the right-hand end.
GAP = "  "
EDGE = "▏"


class Shown(NamedTuple):
    key: str
    display: str
    description: str
    enabled: bool


class KeyFooter(Widget, can_focus=False):
    """The screen's shown key bindings, the command palette's key at the right-hand end."""

    ALLOW_SELECT = False
    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, palette: bool = True) -> None:
        # Without the palette key where space is short, so that at 100 columns every shown
        # key fits on the line (F1 lists them all, the palette key included).
        super().__init__()
        self.palette = palette
        self.keys: tuple[Shown, ...] = ()
        self.palette_key: Shown | None = None
        #: Where each key is on the line, as drawn last: (start, end, key).
        self._spans: list[tuple[int, int, Shown]] = []

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self._take(self._shown())

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            shown = self._shown()
            if shown != (self.keys, self.palette_key):
                self._take(shown)

    def _shown(self) -> tuple[tuple[Shown, ...], Shown | None]:
        """The keys to show (one per action, as Textual's footer does) and the palette's."""
        app = self.app
        keys: dict[str, Shown] = {}
        palette: Shown | None = None
        for _, binding, enabled, _ in self.screen.active_bindings.values():
            shown = Shown(binding.key, app.get_key_display(binding), binding.description, enabled)
            if binding.key == app.COMMAND_PALETTE_BINDING:
                if self.palette and app.ENABLE_COMMAND_PALETTE:
                    palette = shown
            elif binding.show:
                keys.setdefault(binding.action, shown)
        return tuple(keys.values()), palette

    def _take(self, shown: tuple[tuple[Shown, ...], Shown | None]) -> None:
        self.keys, self.palette_key = shown
        self.refresh()

    @property
    def descriptions(self) -> list[str]:
        return [key.description for key in self.keys]

    def render(self) -> Content:
        width = self.size.width
        keys, gap = _fitted(self.keys, width)
        parts: list[tuple[str, str] | str] = []
        spans: list[tuple[int, int, Shown]] = []
        at = 0
        for key in keys:
            if at:
                parts.append(gap)
                at += len(gap)
            piece = _piece(key)
            parts += piece
            spans.append((at, at + _length(piece), key))
            at += _length(piece)
        if self.palette_key is not None:
            piece = _piece(self.palette_key)
            start = width - _length(piece) - 1  # the palette key and a space at the end
            if start > at + 1:
                parts += [" " * (start - at - 1), (EDGE, "$foreground 20%"), *piece]
                spans.append((start, start + _length(piece), self.palette_key))
        self._spans = spans
        return Content.assemble(*parts)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on a key presses it (a key that does nothing here rings the bell)."""
        for start, end, key in self._spans:
            if start <= event.x < end:
                if key.enabled:
                    self.app.simulate_key(key.key)
                else:
                    self.app.bell()
                return


def _fitted(keys: tuple[Shown, ...], width: int) -> tuple[tuple[Shown, ...], str]:
    """The keys that fit the line, and the gap between them: two spaces, else one; if they
    still do not fit, the last ones go, but the help key (F1 lists every key) stays."""
    for gap in (GAP, " "):
        if _width(keys, gap) <= width:
            return keys, gap
    helps = tuple(key for key in keys if key.key == "f1")
    others = [key for key in keys if key.key != "f1"]
    while others and _width((*others, *helps), " ") > width:
        others.pop()
    return (*others, *helps), " "


def _width(keys: tuple[Shown, ...], gap: str) -> int:
    return sum(_length(_piece(key)) for key in keys) + len(gap) * max(len(keys) - 1, 0)


def _length(piece: list[tuple[str, str]]) -> int:
    return sum(len(text) for text, _ in piece)


def _piece(key: Shown) -> list[tuple[str, str]]:
    dim = "" if key.enabled else " dim"
    piece = [(key.display, KEY_STYLE + dim)]
    if key.description:
        piece.append((f" {key.description}", DESCRIPTION_STYLE + dim))
    return piece
