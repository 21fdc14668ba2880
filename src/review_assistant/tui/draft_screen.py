"""A draft summary or write-up, streamed into a preview; accept it, or edit then save it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Header, Static, TextArea

from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import Draft, DraftStatus
from review_assistant.domain.text import printable
from review_assistant.tui.assistant_panel import AssistantPanel
from review_assistant.tui.assisting import AssistActions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.format import literal
from review_assistant.tui.modals import ChoiceScreen

if TYPE_CHECKING:
    from review_assistant.assistant.service import Outcome
    from review_assistant.live import LiveReview


class DraftScreen(AssistActions):
    BINDINGS = [
        Binding("ctrl+s", "save", "Accept / save", id="draft.save"),
        Binding("ctrl+e", "edit", "Edit", id="draft.edit"),
        Binding("f9", "again", "Draft again", id="draft.again"),
        Binding("escape", "back", "Back", id="draft.back"),
    ]
    DEFAULT_CSS = """
    DraftScreen #draft-body { height: 1fr; }
    DraftScreen AssistantPanel { max-height: 100%; height: 1fr; }
    DraftScreen AssistantPanel #assistant-stream,
    DraftScreen AssistantPanel #assistant-stream.-live { max-height: 100%; height: 1fr; }
    DraftScreen AssistantPanel #assistant-answer { max-height: 100%; height: 1fr; }
    DraftScreen #draft-edit { height: 1fr; display: none; }
    DraftScreen #draft-state { padding: 0 1; background: $boost; }
    """

    def __init__(self, live: LiveReview, task: Task) -> None:
        super().__init__()
        self.live = live
        self.draft_task = task
        self.draft: Draft | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="draft-state")
        with Vertical(id="draft-body"):
            yield AssistantPanel(id="assistant")
            yield TextArea(id="draft-edit", soft_wrap=True, show_line_numbers=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"{self.draft_task.value} draft — {printable(self.live.session.title)}"
        self.action_again()

    def action_again(self) -> None:
        from review_assistant.assistant.service import Request

        self.query_one("#draft-edit").display = False
        self.query_one(AssistantPanel).display = True
        self.state("Drafting… Esc cancels; what arrives stays, marked partial.")
        self.ask(Request(self.draft_task, self.live.session.phase))

    def state(self, text: str) -> None:
        self.query_one("#draft-state", Static).update(literal(text))

    def assistant_done(self, outcome: Outcome) -> None:
        self.draft = outcome.draft
        if outcome.draft is None:
            self.state("No draft was produced; F9 tries again.")
        elif outcome.draft.partial:
            self.state("Partial draft saved (marked partial). Ctrl+E edits it, F9 tries again.")
        else:
            self.state("Draft saved with the session. Ctrl+S accepts it, Ctrl+E edits it.")

    def action_edit(self) -> None:
        if self.draft is None or self.assistant_running:
            return
        editor = self.query_one("#draft-edit", TextArea)
        editor.text = self.draft.text
        editor.display = True
        self.query_one(AssistantPanel).display = False
        editor.focus()
        self.state("Editing: Ctrl+S saves and accepts, Esc leaves without saving the edits.")

    def action_save(self) -> None:
        if self.draft is None or self.assistant_running:
            return
        editor = self.query_one("#draft-edit", TextArea)
        changes: dict[str, Any] = {"status": DraftStatus.ACCEPTED}
        if editor.display:
            changes |= {"text": editor.text, "partial": False}
        self.draft = self.live.store.update(self.live.id, Draft, self.draft.id, **changes)
        self.state("✓ Accepted and saved with the session.")
        self.notify("Draft accepted", timeout=3, markup=False)

    def action_back(self) -> None:
        if self.cancel_assistant():
            return
        editor = self.query_one("#draft-edit", TextArea)
        if editor.display:
            editor.display = False
            self.query_one(AssistantPanel).display = True
            self.state("Edits left unsaved. Ctrl+E edits again.")
            return
        self.app.pop_screen()


def choose_draft(screen: Screen[Any], live: LiveReview) -> None:
    def chosen(value: str | None) -> None:
        if value:
            screen.app.push_screen(DraftScreen(live, Task(value)))

    screen.app.push_screen(
        ChoiceScreen(
            "Draft what?",
            [
                ("summary", "A short summary for people not in the room"),
                ("writeup", "The full write-up"),
            ],
        ),
        chosen,
    )
