"""The action pass: a separate screen for the follow-up meeting."""

from __future__ import annotations

from datetime import timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import Header, Static

from review_assistant.domain.models import FactorArea, utcnow
from review_assistant.domain.text import counted, one_line, printable
from review_assistant.live import LiveReview
from review_assistant.tui.actions import ItemActions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.pulse import pulse_text, since
from review_assistant.tui.views.actions import ActionsView
from review_assistant.tui.views.base import Deleted, Request


class ActionPassScreen(ItemActions):
    BINDINGS = [Binding("escape", "dismiss", "Back", id="action-pass.back")]
    DEFAULT_CSS = """
    ActionPassScreen #learned { padding: 0 1; background: $boost; height: auto; max-height: 8; }
    ActionPassScreen #nudge { padding: 0 1; color: $text-warning; height: auto; }
    ActionPassScreen #nudge.-empty { display: none; }
    """

    def __init__(self, live: LiveReview) -> None:
        super().__init__()
        self.live = live

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="learned")
        yield Static("", id="nudge", classes="-empty")
        yield ActionsView(self.live.review)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"Action pass — {printable(self.live.session.title)}"
        self.update_learned()
        self.query_one("#ideas").focus()

    def update_learned(self) -> None:
        """What the review learned, when its meeting ended, and a nudge if that was today."""
        review = self.live.review
        session = review.session
        now = getattr(self.app, "now", utcnow)()
        by_area = {area: sum(1 for f in review.factors if f.area is area) for area in FactorArea}
        parked = sum(1 for i in review.ideas if not i.action_id)
        if session.meeting_ended_at is not None:
            meeting = (
                f"Review meeting ended {since(session.meeting_ended_at, now)} "
                f"({pulse_text(session)})."
            )
        else:
            meeting = "The review meeting has not been closed yet (F12 in the review closes it)."
        lines = [
            meeting,
            f"Learned: {counted(len(review.learnings), 'learning')} · factors "
            f"avoid {by_area[FactorArea.AVOID]} / detect {by_area[FactorArea.DETECT]} / "
            f"fix {by_area[FactorArea.FIX]} · {counted(parked, 'parked idea')}. "
            "Only commit to what someone owns; none is a fine outcome.",
            *(f"  • {one_line(item.text, 200)}" for item in review.learnings[:4]),
        ]
        if len(review.learnings) > 4:
            lines.append(f"  … and {len(review.learnings) - 4} more learnings")
        self.query_one("#learned", Static).update(Content("\n".join(lines)))
        nudge = self.query_one("#nudge", Static)
        early = session.meeting_ended_at is None or now - session.meeting_ended_at < timedelta(
            days=1
        )
        nudge.set_class(not early, "-empty")
        nudge.update(
            "⚑ Less than a day since the review meeting: actions chosen in the same breath as "
            "the review tend to be the obvious fixes. Consider holding this pass tomorrow."
            if early
            else ""
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
