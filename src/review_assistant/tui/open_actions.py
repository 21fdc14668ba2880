"""Open actions across every review: who owns what, what is due, what is overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from review_assistant.domain.models import ActionStatus
from review_assistant.domain.text import counted
from review_assistant.store import Store, StoreError
from review_assistant.store.tracking import TrackedAction, change_action, list_actions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.modals import ChoiceScreen, FormScreen, status_choices
from review_assistant.tui.row_table import Cell, Column, RowTable

COLUMNS = [
    Column("Action", "text"),
    Column("Review", "review", 22),
    Column("Area", "area", 6),
    Column("Owner", "owner", 14),
    Column("Due", "due", 10),
    Column("Status", "status", 11),
    Column("Age", "age", 5),
]

#: What the list shows, in the order `f` cycles through them.
VIEWS = {
    "open": "open and in progress",
    "overdue": "overdue",
    "done": "done",
    "all": "every status",
}


class OpenActionsScreen(Screen[None]):
    """s sets the status, o the owner; Enter opens the review on its action pass."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="open-actions.back"),
        Binding("s", "status", "Status", id="open-actions.status"),
        Binding("o", "owner", "Owner", id="open-actions.owner"),
        Binding("f", "cycle", "Show", id="open-actions.filter"),
    ]
    DEFAULT_CSS = """
    OpenActionsScreen #summary { padding: 0 1; background: $boost; height: auto; }
    OpenActionsScreen #open-actions { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._left = False  # set once the screen has been covered by another
        self.view = "open"
        self.rows: list[TrackedAction] = []
        self._today = date.today()

    @property
    def store(self) -> Store:
        store: Store = getattr(self.app, "store")  # noqa: B009 - the app owns the one store
        return store

    def today(self) -> date:
        now: Any = getattr(self.app, "now", None)
        return now().date() if now else date.today()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="summary")
        yield RowTable(COLUMNS, self.cells, key=lambda tracked: tracked.ref, id="open-actions")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Actions across every review"
        self.reload()
        self.query_one(RowTable).focus()

    def cells(self, tracked: TrackedAction) -> tuple[Cell, ...]:
        action = tracked.action
        late = tracked.overdue(self._today)
        due = action.due.isoformat() if action.due else "—"
        return (
            ("⚑ " if late else "") + action.text,
            tracked.session_title,
            action.area.value if action.area else "—",
            action.owner or "no owner",
            Content.styled(due, "bold $text-error") if late else due,
            action.status.value,
            f"{tracked.age_days(self._today)}d",
        )

    def reload(self, keep: str | None = None) -> None:
        today = self._today = self.today()
        if self.view in ("open", "overdue"):
            rows = list_actions(self.store, overdue=self.view == "overdue", today=today)
        elif self.view == "done":
            rows = list_actions(self.store, status=ActionStatus.DONE, today=today)
        else:
            rows = [
                tracked
                for status in ActionStatus
                for tracked in list_actions(self.store, status=status, today=today)
            ]
        self.rows = rows
        self.query_one(RowTable).show(rows, keep)
        overdue = sum(1 for t in rows if t.overdue(today))
        unowned = sum(1 for t in rows if not t.action.owner.strip())
        reviews = len({t.session_id for t in rows})
        self.query_one("#summary", Static).update(
            Content(
                f"Showing {VIEWS[self.view]}: {counted(len(rows), 'action')} from "
                f"{counted(reviews, 'review')} · {overdue} overdue · {unowned} without an owner"
                " · f shows another set"
            )
        )

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        """Back from a review: its actions may have changed (the first showing is on_mount)."""
        if self._left:
            selected = self.selected()
            self.reload(keep=selected.ref if selected else None)

    def selected(self) -> TrackedAction | None:
        selected: TrackedAction | None = self.query_one(RowTable).selected
        return selected

    def action_cycle(self) -> None:
        order = list(VIEWS)
        self.view = order[(order.index(self.view) + 1) % len(order)]
        self.reload()

    def _change(self, tracked: TrackedAction, **changes: Any) -> None:
        try:
            change_action(self.store, tracked.session_id, tracked.action.id, **changes)
        except (StoreError, ValueError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.reload(keep=tracked.ref)

    def action_status(self) -> None:
        tracked = self.selected()
        if tracked is None:
            return

        def chosen(value: str | None) -> None:
            if value and tracked is not None:
                self._change(tracked, status=ActionStatus(value))

        self.app.push_screen(
            ChoiceScreen("Status", status_choices(), tracked.action.status.value), chosen
        )

    def action_owner(self) -> None:
        tracked = self.selected()
        if tracked is None:
            return

        def validate(values: dict[str, str]) -> dict[str, Any]:
            return {"owner": values["owner"].strip()}

        def save(values: dict[str, Any] | None) -> None:
            if values is not None and tracked is not None:
                self._change(tracked, owner=values["owner"])

        form = FormScreen(
            "Owner", [("owner", "Who commits to it", tracked.action.owner, "a person or team")],
            validate,
        )  # fmt: skip
        self.app.push_screen(form, save)

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        tracked = self.selected()
        if tracked is not None:
            opener: Any = self.app
            opener.open_review(tracked.session_id, action_pass=True)
