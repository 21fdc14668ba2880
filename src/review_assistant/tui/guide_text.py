"""The facilitator guide beside a review: Markdown laid out once per width, then scrolled.

A Markdown document in a ``Static`` is laid out again at every layout pass (once to measure its
height, once to draw it), which was a sizeable part of opening a review. ``GuideText`` lays the
guide out once for a width and draws the lines on screen from that.
"""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class GuideText(ScrollView, can_focus=True):
    """A read-only Markdown text (a trusted guide; links are not followed)."""

    DEFAULT_CSS = """
    GuideText { height: 1fr; overflow-x: hidden; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._source: str = ""
        self._plain: bool = False
        self._strips: list[Strip] = []
        self._width = -1

    @property
    def source(self) -> str:
        return self._source

    def show(self, text: str, *, markdown: bool = True) -> None:
        """Show a Markdown guide (or, with ``markdown=False``, a plain message), from its top."""
        self._source, self._plain = text, not markdown
        self._width = -1
        self.scroll_to(y=0, animate=False, immediate=True)
        self._layout()
        self.refresh()

    def _layout(self) -> None:
        width = self.scrollable_content_region.width
        if width == self._width:
            return
        self._width = width
        if width <= 0:
            self._strips = []
        else:
            from rich.markdown import Markdown
            from rich.text import Text

            console = self.app.console
            renderable = (
                Text(self._source) if self._plain else Markdown(self._source, hyperlinks=False)
            )
            options = console.options.update_width(width)
            lines = console.render_lines(renderable, options, style=self.rich_style, pad=True)
            self._strips = [Strip(line, width) for line in lines]
        self.virtual_size = Size(width, len(self._strips))

    def on_resize(self) -> None:
        self._layout()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._width = -1  # colours come from the theme: lay out again with the new ones

    def render_line(self, y: int) -> Strip:
        self._layout()
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        if 0 <= row < len(self._strips):
            return self._strips[row].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)
