"""The assistant in the side panel: a status line, the answer streaming in, then a list.

Model output is untrusted: the stream is Markdown that opens no links, and the list shows
each question as literal Content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.markdown import MarkdownStream
from textual.widgets.option_list import Option

from review_assistant.domain.models import Suggestion
from review_assistant.tui.format import literal

if TYPE_CHECKING:
    from review_assistant.assistant.service import Outcome


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
    AssistantPanel #assistant-stream { height: auto; max-height: 16; margin: 0; padding: 0 1; }
    AssistantPanel #suggestions { height: auto; max-height: 16; border: none; }
    AssistantPanel #suggestions > .option-list--option { padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None, pick_key: str = "Ctrl+L") -> None:
        super().__init__(id=id)
        self._stream: MarkdownStream | None = None
        self.running = False
        self.pick_key = pick_key

    def compose(self) -> ComposeResult:
        yield Static(id="assistant-status")
        yield Markdown(id="assistant-stream", open_links=False)
        yield SuggestionList(id="suggestions")

    @property
    def status(self) -> Static:
        return self.query_one("#assistant-status", Static)

    async def start(self, what: str, provider: str) -> None:
        self.add_class("-shown")
        self.running = True
        self.status.remove_class("-error")
        self.status.update(Content.assemble((f"{what} · {provider}", "bold"), " — Esc cancels"))
        markdown = self.query_one("#assistant-stream", Markdown)
        markdown.display = True
        await markdown.update("")
        self.query_one(SuggestionList).display = False
        self._stream = Markdown.get_stream(markdown)

    async def feed(self, piece: str) -> None:
        """One piece of the answer; MarkdownStream batches the redraws."""
        if self._stream is not None:
            await self._stream.write(piece)

    async def _stop_stream(self) -> None:
        if self._stream is not None:
            await self._stream.stop()
            self._stream = None

    async def finish(self, outcome: Outcome, counts: str) -> None:
        await self._stop_stream()
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
        if outcome.draft is not None and call.provider != "builtin":
            # a model's cited sentences streamed in as a list: show the draft they make
            await self.query_one("#assistant-stream", Markdown).update(outcome.draft.text)
        if outcome.suggestions:
            self.query_one("#assistant-stream", Markdown).display = False
            listing = self.query_one(SuggestionList)
            listing.display = True
            listing.show(outcome.suggestions)

    async def fail(self, message: str) -> None:
        await self._stop_stream()
        self.running = False
        self.status.add_class("-error")
        self.status.update(literal(message))

    async def cancelled(self) -> None:
        await self._stop_stream()
        self.running = False
        self.status.add_class("-error")
        self.status.update("Cancelled — what arrived so far stays below, marked partial.")
