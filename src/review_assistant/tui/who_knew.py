"""Who knew what, when: the shared timeline and every interview account, side by side."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Header, Static

from review_assistant.domain.models import Question
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import printable
from review_assistant.live import LiveReview
from review_assistant.tui.assistant_panel import AssistantPanel
from review_assistant.tui.assisting import AssistActions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.format import cell, clock, clock_width, spans_days
from review_assistant.tui.views.base import ItemTable, Row
from review_assistant.tui.views.timeline import kind_label


class WhoKnewScreen(AssistActions):
    BINDINGS = [
        Binding("f9", "compare", "Compare accounts", id="who-knew.compare"),
        Binding("ctrl+l", "pick_suggestion", "Pick a difference", show=False, id="who-knew.pick"),
        Binding("escape", "back", "Back", id="who-knew.back"),
    ]
    DEFAULT_CSS = """
    WhoKnewScreen #explain { padding: 0 1; color: $text-muted; }
    WhoKnewScreen ItemTable { height: 1fr; }
    WhoKnewScreen AssistantPanel { max-height: 50%; border-top: hkey $primary 40%; }
    """

    def __init__(self, live: LiveReview) -> None:
        super().__init__()
        self.live = live

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Every account in time order: where sources disagree is worth asking about.",
            id="explain",
        )
        yield ItemTable(id="knowledge")
        yield AssistantPanel(id="assistant")
        yield KeyFooter()

    def action_compare(self) -> None:
        """Where two accounts of the same stretch differ, as questions (F9)."""
        from review_assistant.assistant.service import Request
        from review_assistant.assistant.tasks import Task

        self.ask(Request(Task.COMPARE, Phase.SENSE_MAKING))

    def use_suggestion(self, text: str) -> None:
        self.live.add(Question(phase=Phase.SENSE_MAKING, text=text))
        self.notify("Added to the questions for the meeting", timeout=3, markup=False)

    def action_back(self) -> None:
        if not self.cancel_assistant():
            self.dismiss(None)

    def on_mount(self) -> None:
        self.sub_title = printable(self.live.session.title)
        table = self.query_one(ItemTable)
        review = self.live.review
        tz = review.session.tz
        events = sorted(review.events, key=lambda e: (e.at, e.source))
        multi_day = spans_days((e.at for e in events), tz)
        table.add_column("Time", width=clock_width(multi_day))
        table.add_column("Who", width=12)
        table.add_column("Source", width=22)
        table.add_column("Kind", width=10)
        table.add_column("What they saw or did", key="text")
        table.fill(
            Row(
                event.id,
                (
                    clock(event.at, tz, with_date=multi_day),
                    cell(event.who or "—", 12),
                    cell(event.source if event.interview_id else "shared timeline", 22),
                    kind_label(event.kind),
                    cell(event.text),
                ),
            )
            for event in events
            if not event.merged_from
        )
        table.focus()
