"""The timeline picture widget, mounted in a minimal app."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult
from textual.geometry import Region

from review_assistant.demo import build_demo
from review_assistant.domain.models import EventKind, Review, ReviewSession, TimelineEvent
from review_assistant.tui.picture import HINT, IncidentPicture


class PictureApp(App[None]):
    def compose(self) -> ComposeResult:
        yield IncidentPicture(id="picture")


def screen_lines(widget: IncidentPicture) -> list[str]:
    """What the widget draws, one string per line (padding included)."""
    size = widget.outer_size
    return [strip.text for strip in widget.render_lines(Region(0, 0, size.width, size.height))]


async def test_the_picture_shows_the_stages_marks_and_metrics() -> None:
    app = PictureApp()
    async with app.run_test(size=(100, 10)) as pilot:
        widget = app.query_one(IncidentPicture)
        await pilot.pause()
        assert HINT in screen_lines(widget)[0]

        widget.show(build_demo())
        await pilot.pause()
        lines = screen_lines(widget)
        assert widget.outer_size.height == 4
        assert "undetected 29m 00s" in lines[0]
        assert "responding 37m 00s" in lines[0]
        assert [c for c in lines[1] if c.isupper()] == ["T", "D", "M", "R"]
        assert lines[2].strip().startswith("13:52") and lines[2].strip().endswith("15:35")
        assert "Time to detect 29m 00s, to mitigate 1h 06m, to resolve 1h 28m." in lines[3]
        assert all(len(line) <= 100 for line in lines)

        bar = widget.render_lines(Region(0, 0, 100, 1))[0]
        colours = {
            char: segment.style.color
            for segment in bar
            if segment.style is not None
            for char in "=#-"
            if char in segment.text
        }
        assert len(set(colours.values())) == 3  # each stage has its own colour


async def test_the_picture_redraws_at_the_new_width() -> None:
    app = PictureApp()
    async with app.run_test(size=(100, 10)) as pilot:
        widget = app.query_one(IncidentPicture)
        widget.show(build_demo())
        await pilot.pause()
        wide = screen_lines(widget)

        await pilot.resize_terminal(60, 10)
        await pilot.pause()
        narrow = screen_lines(widget)
        assert widget.outer_size.width == 60
        assert all(len(line) <= 60 for line in narrow)
        assert narrow[0] != wide[0][:60]
        assert "responding 37m 00s" not in narrow[0] and "37m 00s" in narrow[0]
        assert [c for c in narrow[1] if c.isupper()] == ["T", "D", "M", "R"]
        assert narrow[2].rstrip().endswith("15:35")
        assert "resolve 1h 28m." in " ".join(narrow[3:])  # the metrics wrap onto a new line


async def test_markup_in_the_review_is_never_interpreted() -> None:
    review = Review(
        session=ReviewSession(title="[@click=app.quit]quit[/]"),
        events=[
            TimelineEvent(
                at=datetime(2026, 5, 1, 14, 0, tzinfo=UTC),
                kind=EventKind.OTHER,
                text="[bold]not markup[/]",
            )
        ],
    )
    app = PictureApp()
    async with app.run_test(size=(80, 8)) as pilot:
        widget = app.query_one(IncidentPicture)
        widget.show(review)
        await pilot.pause()
        text = "\n".join(screen_lines(widget))
        assert "No trigger event" in text
        assert "markup" not in text and "quit" not in text
        assert app.is_running
