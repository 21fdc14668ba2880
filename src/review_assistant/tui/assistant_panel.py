"""The assistant in the side panel: a status line, the answer streaming in, then a list.

Model output is untrusted: while it streams, the answer is shown as literal text (never
markup); a finished draft is Markdown that opens no links; the list shows each question as
literal Content.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from review_assistant.domain.models import Suggestion
from review_assistant.tui.format import literal

if TYPE_CHECKING:
    from review_assistant.assistant.service import Outcome


class StreamPreview(Static):
    """The answer while it streams: literal text in this one widget.

    A Markdown widget mounts blocks as pieces arrive, and each mount lays out and restyles
    the whole screen. Here a piece costs a redraw of this widget alone, at most once every
    ``REDRAW_S``, and a layout only when the text takes another number of lines. From
    ``begin()`` until ``flush()`` it has the class ``-live``, for which the container's CSS
    may keep the room the answer can take (then no piece needs a layout at all).
    """

    REDRAW_S = 0.05

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, markup=False)
        self._parts: list[str] = []
        self._shown = ""
        self._lines = -1  # lines the drawn text takes (-1: not known, or not the text's to say)
        self._drawn_at = -math.inf
        self._due: Timer | None = None

    @property
    def text(self) -> str:
        """Everything written since the last ``clear``."""
        return "".join(self._parts)

    @property
    def shown(self) -> str:
        """The text drawn: ``text`` as of the last redraw."""
        return self._shown

    def begin(self) -> None:
        """A new answer: nothing shown yet, and the first piece drawn as soon as it comes."""
        self.add_class("-live")
        self.clear()
        self._drawn_at = -math.inf

    def clear(self) -> None:
        self._parts.clear()
        self._draw()

    def write(self, piece: str) -> None:
        """Add a piece; drawn at once, or with the next redraw if one was drawn just now."""
        self._parts.append(piece)
        if self._due is not None:
            return
        wait = self._drawn_at + self.REDRAW_S - time.monotonic()
        if wait <= 0:
            self._draw()
        else:
            self._due = self.set_timer(wait, self._draw, name="stream-preview")

    def flush(self) -> None:
        """Draw what is still waiting for a redraw; the answer ended, so the widget takes
        the height of what it shows from now on."""
        self.remove_class("-live")
        if self._due is not None:
            self._draw()

    def _draw(self) -> None:
        if self._due is not None:
            self._due.stop()
            self._due = None
        self._drawn_at = time.monotonic()
        text = self._shown = self.text
        self._parts[:] = [text] if text else []
        self.update(literal(text), layout=False)
        lines = self._lines_taken()
        if lines is not None and (lines < 0 or lines != self._lines):
            self.refresh(layout=True)
        self._lines = -1 if lines is None else lines

    def _lines_taken(self) -> int | None:
        """The lines the text takes here, -1 if not known yet, or None if the CSS sets the
        height (the text never changes it then); reaching max-height, it grows no more."""
        height, cap = self.styles.height, self.styles.max_height
        if height is not None and not height.is_auto:
            return None
        width = self.content_region.width
        if not width:
            return -1
        lines = self.get_content_height(self.size, self.size, width)
        return min(lines, int(cap.value)) if cap is not None and cap.is_cells else lines


class SuggestionChosen(Message):
    """Enter (use it) or x (set it aside) on a suggestion."""

    def __init__(self, suggestion: Suggestion, accepted: bool) -> None:
        super().__init__()
        self.suggestion = suggestion
        self.accepted = accepted


class SuggestionList(OptionList):
    BINDINGS = [
        Binding("enter", "choose(True)", "Use it", id="assistant.use"),
        Binding("x", "choose(False)", "Set aside", id="assistant.dismiss"),
        Binding("s", "screen.suggest", "Ask again", id="assistant.again"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.suggestions: dict[str, Suggestion] = {}

    def show(self, suggestions: list[Suggestion]) -> None:
        self.suggestions = {s.id: s for s in suggestions}
        self.clear_options()
        self.add_options(
            [
                Option(
                    Content.assemble(
                        literal(s.text), "\n", literal(s.reason).stylize("dim italic")
                    ),
                    id=s.id,
                )
                for s in suggestions
            ]
        )
        if suggestions:
            self.highlighted = 0

    def action_choose(self, accepted: bool) -> None:
        if self.highlighted is None or not self.option_count:
            return
        option = self.get_option_at_index(self.highlighted)
        suggestion = self.suggestions.pop(option.id or "", None)
        if suggestion is None:
            return
        self.remove_option_at_index(self.highlighted)
        self.post_message(SuggestionChosen(suggestion, accepted))


class AssistantPanel(Vertical):
    DEFAULT_CSS = """
    AssistantPanel { height: auto; max-height: 65%; display: none; }
    AssistantPanel.-shown { display: block; }
    AssistantPanel #assistant-status { padding: 0 1; color: $text-muted; height: auto; }
    AssistantPanel #assistant-status.-error { color: $error; }
    AssistantPanel #assistant-stream { height: auto; max-height: 16; padding: 0 1; }
    AssistantPanel #assistant-stream.-live { height: 16; }  /* no layout for each piece */
    AssistantPanel #assistant-answer { height: auto; max-height: 16; margin: 0; padding: 0 1; }
    AssistantPanel #suggestions { height: auto; max-height: 16; border: none; }
    AssistantPanel #suggestions > .option-list--option { padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, pick_key: str = "Ctrl+L") -> None:
        super().__init__(id=id)
        self.running = False
        self.pick_key = pick_key

    def compose(self) -> ComposeResult:
        yield Static(id="assistant-status")
        yield StreamPreview(id="assistant-stream")
        yield Markdown(id="assistant-answer", open_links=False)
        yield SuggestionList(id="suggestions")

    @property
    def status(self) -> Static:
        return self.query_one("#assistant-status", Static)

    @property
    def preview(self) -> StreamPreview:
        return self.query_one(StreamPreview)

    @property
    def answer(self) -> Markdown:
        return self.query_one("#assistant-answer", Markdown)

    async def start(self, what: str, provider: str) -> None:
        self.add_class("-shown")
        self.running = True
        self.status.remove_class("-error")
        self.status.update(Content.assemble((f"{what} · {provider}", "bold"), " — Esc cancels"))
        self.preview.begin()
        self.preview.display = True
        self.answer.display = False
        self.query_one(SuggestionList).display = False

    async def feed(self, piece: str) -> None:
        """One piece of the answer, shown as it comes (redraws are batched)."""
        self.preview.write(piece)

    async def finish(self, outcome: Outcome, counts: str) -> None:
        self.preview.flush()
        self.running = False
        call = outcome.call
        if call.provider == "builtin":
            line = f"built-in engine · {call.total_ms or 0:.0f} ms"
        else:
            line = (
                f"{call.provider} · {call.model} · tokens {counts} · "
                f"first token {call.ttft_ms or 0:.0f} ms · total {call.total_ms or 0:.0f} ms"
            )
        if outcome.error:
            self.status.add_class("-error")
            partial = (
                " · the text that arrived is kept below, marked partial" if outcome.partial else ""
            )
            self.status.update(
                Content.assemble(literal(outcome.error), (f"\n{line}{partial}", "dim"))
            )
            return
        if outcome.suggestions:
            line += f" · {self.pick_key} picks one"
        if outcome.notice:
            line += f" · {outcome.notice}"
        self.status.update(literal(line))
        if outcome.suggestions:
            self.preview.display = False
            listing = self.query_one(SuggestionList)
            listing.display = True
            listing.show(outcome.suggestions)
            return
        # the finished answer, drawn once as Markdown: a draft (a model's cited sentences
        # streamed in as a list make it), or the built-in engine's text
        final = outcome.draft.text if outcome.draft is not None else None
        if final is None and call.provider == "builtin":
            final = outcome.text
        if final is None:
            return
        await self.answer.update(final)
        self.preview.display = False
        self.answer.display = True

    async def fail(self, message: str) -> None:
        self.preview.flush()
        self.running = False
        self.status.add_class("-error")
        self.status.update(literal(message))

    async def cancelled(self) -> None:
        self.preview.flush()
        self.running = False
        self.status.add_class("-error")
        self.status.update("Cancelled — what arrived so far stays below, marked partial.")
