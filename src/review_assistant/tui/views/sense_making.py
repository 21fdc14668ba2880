"""How did it make sense: questions and answers against timeline events, and learnings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from review_assistant.domain.models import Item, Learning, Question, Review, TimelineEvent
from review_assistant.domain.phases import Phase
from review_assistant.tui.format import cell, clock, literal
from review_assistant.tui.row_table import RowTable
from review_assistant.tui.views.base import Deleted, ItemTable, NotesTable, PhaseView, Request, Row


class DecisionTable(ItemTable):
    """Timeline events to make sense of, with how many questions each has had."""

    def __init__(self, review: Review) -> None:
        super().__init__(id="decisions")
        self.review = review

    def on_mount(self) -> None:
        self.add_column("Time", width=5, key="time")
        self.add_column("Qs", width=3, key="qs")
        self.add_column("Event", key="text")
        self.reload()

    def reload(self) -> None:
        counts: dict[str, int] = {}
        for question in self.review.questions:
            if question.event_id:
                counts[question.event_id] = counts.get(question.event_id, 0) + 1
        self.fill(
            (self._row(e, counts.get(e.id, 0)) for e in self.review.timeline()),
            keep=self.selected_key,
        )

    def _row(self, event: TimelineEvent, questions: int) -> Row:
        tz = self.review.session.tz
        return Row(
            event.id,
            lambda: (
                clock(event.at, tz),
                str(questions) if questions else "·",
                cell(f"{event.kind.value}: {event.text}"),
            ),
        )


class QuestionList(OptionList):
    """Questions asked about the selected event, each with its answer, wrapped to fit."""

    BINDINGS = [
        Binding("a", "request('answer')", "Answer", id="sense.answer"),
        Binding("d", "delete", "Delete", id="sense.delete"),
    ]

    def __init__(self, review: Review) -> None:
        super().__init__(id="questions")
        self.review = review
        self.event_id: str | None = None

    def show_for(self, event_id: str | None) -> None:
        self.event_id = event_id
        self.clear_options()
        for question in self.review.questions:
            if question.event_id == event_id:
                answer = question.answer or "not answered yet — `= …` or `a` answers"
                prompt = Content.assemble(
                    ("? ", "bold $accent"),
                    literal(question.text),
                    "\n",
                    ("→ ", "bold"),
                    literal(answer).stylize("italic"),
                )
                self.add_option(Option(prompt, id=question.id))

    @property
    def selected_key(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.get_option_at_index(self.highlighted).id

    def action_request(self, action: str) -> None:
        if self.selected_key:
            self.post_message(Request(action, self.selected_key))

    def action_delete(self) -> None:
        if self.selected_key:
            self.post_message(Deleted(Question, self.selected_key))


class LearningTable(ItemTable):
    DELETES = Learning
    BINDINGS = [Binding("d", "delete", "Delete", id="learning.delete")]

    def __init__(self, review: Review) -> None:
        super().__init__(id="learnings")
        self.review = review

    def on_mount(self) -> None:
        self.add_column("Learnings and surprises", key="text")
        for learning in self.review.learnings:
            self.add_learning(learning)

    def add_learning(self, learning: Learning) -> None:
        self.add_row(cell(learning.text), key=learning.id)


class SenseMakingView(PhaseView):
    PHASE = Phase.SENSE_MAKING
    DEFAULT_CSS = """
    SenseMakingView #decisions { height: 1fr; }
    SenseMakingView #questions { height: 1fr; min-height: 4; border: none; }
    SenseMakingView #bottom { height: 6; }
    SenseMakingView #bottom > ItemTable { width: 1fr; height: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield DecisionTable(self.review)
        yield Static(
            "Questions on the selected event — `? …` asks, `= …` answers", classes="section"
        )
        yield QuestionList(self.review)
        with Horizontal(id="bottom"):
            yield LearningTable(self.review)
            yield NotesTable(self.review, self.PHASE, id=f"notes-{self.PHASE.value}")

    @property
    def selected_event_id(self) -> str | None:
        return self.query_one(DecisionTable).selected_key

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        if event.control.id == "decisions":
            self.query_one(QuestionList).show_for(event.key)

    def select_event(self, event_id: str) -> None:
        self.query_one(DecisionTable).select_key(event_id)
        self.query_one(QuestionList).show_for(event_id)

    def added(self, item: Item) -> None:
        super().added(item)
        if isinstance(item, Question):
            self.changed()
        elif isinstance(item, Learning):
            self.query_one(LearningTable).add_learning(item)
        elif isinstance(item, TimelineEvent) and item.interview_id is None:
            self.query_one(DecisionTable).reload()

    def changed(self) -> None:
        decisions = self.query_one(DecisionTable)
        decisions.reload()
        self.query_one(QuestionList).show_for(decisions.selected_key)
        learnings = self.query_one(LearningTable)
        learnings.fill(
            (Row(item.id, (cell(item.text),)) for item in self.review.learnings),
            keep=learnings.selected_key,
        )
