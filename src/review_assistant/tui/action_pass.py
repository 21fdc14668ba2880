"""The action pass: a separate screen for the follow-up meeting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, Static

from review_assistant.domain.models import FactorArea
from review_assistant.domain.text import counted, printable
from review_assistant.live import LiveReview
from review_assistant.tui.actions import ItemActions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.views.actions import ActionsView
from review_assistant.tui.views.base import Deleted, Request


class ActionPassScreen(ItemActions):
    BINDINGS = [Binding("escape", "dismiss", "Back", id="action-pass.back")]
    DEFAULT_CSS = """
    ActionPassScreen #learned { padding: 0 1; background: $boost; height: auto; }
    """

    def __init__(self, live: LiveReview) -> None:
        super().__init__()
        self.live = live

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="learned")
        yield ActionsView(self.live.review)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Action pass — {printable(self.live.session.title)}"
        self.update_learned()
        self.query_one("#ideas").focus()

    def update_learned(self) -> None:
        review = self.live.review
        by_area = {area: sum(1 for f in review.factors if f.area is area) for area in FactorArea}
        parked = sum(1 for i in review.ideas if not i.action_id)
        self.query_one("#learned", Static).update(
            Content(
                f"Learned: {counted(len(review.learnings), 'learning')} · factors "
                f"avoid {by_area[FactorArea.AVOID]} / detect {by_area[FactorArea.DETECT]} / "
                f"fix {by_area[FactorArea.FIX]} · "
                f"{counted(parked, 'parked idea')}. "
                "Only commit to what someone owns; none is a fine outcome."
            )
        )

    def after_change(self, message: str = "") -> None:
        self.query_one(ActionsView).changed()
        self.update_learned()
        if message:
            self.notify(message, markup=False)

    def on_request(self, message: Request) -> None:
        self.handle_request(message.action, message.item_id)

    def on_deleted(self, message: Deleted) -> None:
        self.confirm_delete(message.kind, message.item_id)
