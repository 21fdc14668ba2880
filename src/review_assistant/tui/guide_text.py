"""The facilitator guide beside a review: Markdown laid out once per width, then scrolled.

A Markdown document in a ``Static`` is laid out again at every layout pass (once to measure its
height, once to draw it), which was a sizeable part of opening a review. ``GuideText`` lays the
guide out once for a width and draws the lines on screen from that.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

if TYPE_CHECKING:
    from rich.markdown import Markdown
    from rich.style import Style as RichStyle


#: Guides laid out, by (text, plain?, width, style): reopening a review or going back to a
#: phase costs nothing.
_LAID_OUT: dict[tuple[str, bool, int, RichStyle], list[Strip]] = {}


@functools.lru_cache(maxsize=16)
def parsed(markdown: str) -> Markdown:
    """A guide's Markdown, parsed (safe to call from a thread, ahead of time)."""
    from rich.markdown import Markdown

    return Markdown(markdown, hyperlinks=False)


class GuideText(ScrollView, can_focus=True):
    """A read-only Markdown text (a trusted guide; links are not followed)."""

    DEFAULT_CSS = """
    GuideText { height: 1fr; overflow-x: hidden; scrollbar-gutter: stable; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source: str = ""
        self._plain: bool = False
        self._strips: list[Strip] = []
        self._laid_out: tuple[int, RichStyle] | None = None  # (width, style) of ``_strips``

    @property
    def source(self) -> str:
        return self._source

    def show(self, text: str, *, markdown: bool = True) -> None:
        """Show a Markdown guide (or, with ``markdown=False``, a plain message), from its top."""
        self._source, self._plain = text, not markdown
        self._laid_out = None
        self.scroll_to(y=0, animate=False, immediate=True)
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        style = self.rich_style
        if self._laid_out == (width, style):
            return
        self._laid_out = (width, style)
        if width <= 0:
            self._strips = []
        else:
            key = (self._source, self._plain, width, style)
            if (strips := _LAID_OUT.get(key)) is None:
                strips = _LAID_OUT[key] = self._laid_out_strips(width, style)
                while len(_LAID_OUT) > 16:
                    del _LAID_OUT[next(iter(_LAID_OUT))]
            self._strips = strips
        self.virtual_size = Size(width, len(self._strips))

    def _laid_out_strips(self, width: int, style: RichStyle) -> list[Strip]:
        from rich.text import Text

        console = self.app.console
        renderable = Text(self._source) if self._plain else parsed(self._source)
        options = console.options.update_width(width)
        lines = console.render_lines(renderable, options, style=style, pad=True)
        return [Strip(line, width) for line in lines]

    def on_resize(self) -> None:
        self._layout()

    def render_line(self, y: int) -> Strip:
        self._layout()
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        if 0 <= row < len(self._strips):
            return self._strips[row].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)
