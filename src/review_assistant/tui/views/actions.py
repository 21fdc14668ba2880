"""The action pass: parked ideas and factors beside the action items."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    ActionStatus,
    Factor,
    FactorArea,
    Item,
    Review,
)
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import counted
from review_assistant.lint import LintFinding, lint_action
from review_assistant.tui.format import cell, literal
from review_assistant.tui.row_table import RowTable
from review_assistant.tui.views.base import ItemTable, PhaseView, Request, Row


class IdeaTable(ItemTable):
    """The parking lot: action ideas parked during the review."""

    DELETES = ActionIdea
    BINDINGS = [
        Binding("p", "request('promote')", "Make action", id="ideas.promote"),
        Binding("d", "delete", "Delete", id="ideas.delete"),
    ]

    def __init__(self, review: Review, *, id: str = "ideas", compact: bool = False) -> None:
        super().__init__(id=id)
        self.review = review
        self.compact = compact

    def on_mount(self) -> None:
        if not self.compact:
            self.add_column("", width=6, key="state")
        self.add_column("Parking lot (`!` parks an idea)", key="text")
        self.reload()

    def reload(self) -> None:
        self.fill((self._row(idea) for idea in self.review.ideas), keep=self.selected_key)

    def _row(self, idea: ActionIdea) -> Row:
        if self.compact:
            return Row(idea.id, (cell(("✓ " if idea.action_id else "") + idea.text),))
        return Row(idea.id, ("action" if idea.action_id else "parked", cell(idea.text)))

    def add_idea(self, idea: ActionIdea) -> None:
        self.append(self._row(idea))


class ActionTable(ItemTable):
    DELETES = ActionItem
    BINDINGS = [
        Binding("s", "request('status')", "Status", id="actions.status"),
        Binding("e", "request('edit-action')", "Edit", id="actions.edit"),
        Binding("d", "delete", "Delete", id="actions.delete"),
    ]

    def __init__(self, review: Review) -> None:
        super().__init__(id="actions")
        self.review = review
        self.findings: dict[str, list[LintFinding]] = {}

    def on_mount(self) -> None:
        self.add_column("Action", key="text")
        self.add_column("Owner", width=14, key="owner")
        self.add_column("Due", width=10, key="due")
        self.add_column("Status", width=11, key="status")
        self.add_column("Area", width=6, key="area")
        self.reload()

    def reload(self) -> None:
        people = self.review.participants
        self.findings = {a.id: lint_action(a, people) for a in self.review.actions}
        self.fill((self._row(action) for action in self.review.actions), keep=self.selected_key)

    def _row(self, action: ActionItem) -> Row:
        flag = "⚑ " if self.findings[action.id] else ""
        return Row(
            action.id,
            (
                cell(flag + action.text),
                cell(action.owner or "no owner", 14),
                action.due.isoformat() if action.due else "—",
                action.status.value,
                action.area.value if action.area else "—",
            ),
        )


class FactorList(ItemTable):
    def __init__(self, review: Review) -> None:
        super().__init__(id="factor-list")
        self.review = review

    def on_mount(self) -> None:
        self.add_column("Area", width=6, key="area")
        self.add_column("Contributing factors", key="text")
        self.reload()

    def reload(self) -> None:
        order = list(FactorArea)
        factors = sorted(self.review.factors, key=lambda f: order.index(f.area))
        self.fill(
            (Row(f.id, (f.area.value, cell(f.text))) for f in factors), keep=self.selected_key
        )


class ActionsView(PhaseView):
    PHASE = Phase.ACTIONS
    BINDINGS = [
        Binding("n", "request('new-action')", "New action", id="actions.new"),
        Binding("L", "request('learning-only')", "Learning only", id="actions.learning-only"),
    ]
    DEFAULT_CSS = """
    ActionsView #pass { height: 1fr; }
    ActionsView #pass > ItemTable { width: 1fr; }
    ActionsView ActionTable { height: 1fr; }
    ActionsView #outcome { padding: 0 1; color: $accent; height: auto; }
    ActionsView #outcome.-learning { color: $success; text-style: bold; }
    ActionsView #action-check { padding: 0 1; height: auto; max-height: 3; color: $text-warning; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static(id="outcome")
        with Horizontal(id="pass"):  # what to draw on, side by side …
            yield IdeaTable(self.review)
            yield FactorList(self.review)
        yield ActionTable(self.review)  # … and what was committed to, full width below
        yield Static(id="action-check")

    def on_mount(self) -> None:
        self.update_outcome()
        self.show_check(None)

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        if isinstance(event.control, ActionTable):
            self.show_check(event.key)

    def show_check(self, action_id: str | None) -> None:
        """What the action linter says of the highlighted action, and coverage by area."""
        table = self.query_one(ActionTable)
        check = self.query_one("#action-check", Static)
        if not self.review.session.tracks_actions:
            check.update("")
            return
        lines = []
        findings = table.findings.get(action_id or "", [])
        if findings:
            first = findings[0]
            more = f" (+{len(findings) - 1} more; `review-assistant lint` lists all)"
            lines.append(
                f"⚑ {first.rule}: “{first.words}” — {first.why}"
                f"{more if len(findings) > 1 else ''}. Try: {first.suggestion}"
            )
        by_area = dict.fromkeys(FactorArea, 0)
        for action in self.review.actions:
            if action.area is not None and action.status is not ActionStatus.DROPPED:
                by_area[action.area] += 1
        missing = [area.value for area, n in by_area.items() if n == 0]
        coverage = " · ".join(f"{area.value} {n}" for area, n in by_area.items())
        gap = f" — nothing yet to {' / '.join(missing)}" if missing and self.review.actions else ""
        lines.append(f"Actions by area: {coverage}{gap}")
        check.update(literal("\n".join(lines)))

    def action_request(self, action: str) -> None:
        self.post_message(Request(action))

    def update_outcome(self) -> None:
        outcome = self.query_one("#outcome", Static)
        learning_only = not self.review.session.tracks_actions
        outcome.set_class(learning_only, "-learning")
        counts = dict.fromkeys(ActionStatus, 0)
        for action in self.review.actions:
            counts[action.status] += 1
        if learning_only:
            outcome.update("Outcome: learning review — no action items tracked (L to change)")
        else:
            parked = sum(1 for i in self.review.ideas if not i.action_id)
            outcome.update(
                Content(
                    f"{counted(len(self.review.actions), 'action')} · "
                    f"{counts[ActionStatus.OPEN]} open · "
                    f"{counts[ActionStatus.IN_PROGRESS]} in progress · "
                    f"{counts[ActionStatus.DONE]} done · "
                    f"{counted(parked, 'idea')} still parked · p makes an idea an action"
                )
            )

    def added(self, item: Item) -> None:
        if isinstance(item, ActionIdea):
            self.query_one(IdeaTable).add_idea(item)
        elif isinstance(item, ActionItem):
            self.changed()
        elif isinstance(item, Factor):
            self.query_one(FactorList).reload()

    def changed(self) -> None:
        self.query_one(IdeaTable).reload()
        table = self.query_one(ActionTable)
        table.reload()
        self.query_one(FactorList).reload()
        self.update_outcome()
        self.show_check(table.selected_key)
