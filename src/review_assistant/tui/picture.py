"""The timeline picture in the terminal: the incident's stages on a time axis, coloured.

The layout comes from :mod:`review_assistant.writeup.picture`; this widget only colours its
runs. Every character stays meaningful without colour (``=``/``#``/``-`` bands, ``T D M R``
letters), so it reads on 16-colour and monochrome terminals alike. The three stage colours
are ones the built-in themes keep apart when reduced to 16 colours (red, yellow, green).
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from review_assistant.domain.models import Review
from review_assistant.writeup.picture import (
    STYLE_KEYS,
    Picture,
    Row,
    incident_picture,
    picture_segments,
)

HINT = "Add a trigger event to see time to detect, mitigate and resolve."


class IncidentPicture(Widget):
    """A few lines: the stage bar, milestone marks, the time axis and the metrics in words."""

    DEFAULT_CSS = """
    IncidentPicture { height: auto; padding: 0 1; }
    IncidentPicture > .incident-picture--undetected { color: $error; text-style: bold; }
    IncidentPicture > .incident-picture--responding { color: $text-warning; text-style: bold; }
    IncidentPicture > .incident-picture--mitigated { color: $success; text-style: bold; }
    IncidentPicture > .incident-picture--context { color: $text-muted; }
    IncidentPicture > .incident-picture--mark { color: $text; text-style: bold; }
    IncidentPicture > .incident-picture--tick { color: $text-muted; }
    IncidentPicture > .incident-picture--gap { color: $primary; }
    IncidentPicture > .incident-picture--axis { color: $text-muted; }
    IncidentPicture > .incident-picture--plain { color: $text; }
    IncidentPicture > .incident-picture--hint { color: $text-muted; text-style: italic; }
    """

    COMPONENT_CLASSES = {f"incident-picture--{key}" for key in (*STYLE_KEYS, "hint")}

    def __init__(
        self,
        review: Review | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._picture: Picture | None = None
        self._rows: dict[int, list[Row]] = {}
        if review is not None:
            self.show(review)

    @property
    def picture(self) -> Picture | None:
        return self._picture

    def show(self, review: Review) -> None:
        """Draw this review's shared timeline (or the hint, when it has no events)."""
        self._picture = incident_picture(review)
        self._rows.clear()
        self.refresh(layout=True)

    def _rows_at(self, width: int) -> list[Row]:
        if self._picture is None or width <= 0:
            return []
        if width not in self._rows:
            if len(self._rows) > 8:
                self._rows.clear()
            self._rows[width] = picture_segments(self._picture, width, key=False)
        return self._rows[width]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return max(1, len(self._rows_at(width)))

    def on_resize(self) -> None:
        self.refresh(layout=True)

    def render(self) -> Content:
        if self._picture is None:
            return Content.styled(HINT, self.get_visual_style("incident-picture--hint"))
        styles = {key: self.get_visual_style(f"incident-picture--{key}") for key in STYLE_KEYS}
        lines = [
            Content.assemble(*((text, styles[key]) for text, key in row))
            for row in self._rows_at(self.size.width)
        ]
        return Content("\n").join(lines)
