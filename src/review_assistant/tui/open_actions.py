"""Open actions across every review: who owns what, what is due, what is overdue."""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from review_assistant.domain.models import ActionStatus
from review_assistant.domain.text import counted
from review_assistant.store import Store, StoreError
from review_assistant.store.tracking import TrackedAction, change_action, list_actions
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.format import cell
from review_assistant.tui.modals import ChoiceScreen, FormScreen, status_choices
from review_assistant.tui.views.base import ItemTable

#: Rows added before the first frame; the rest follow straight after it.
FIRST_ROWS = 60

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
        self._filling = 0
        self._left = False  # set once the screen has been covered by another
        self.view = "open"
        self.rows: list[TrackedAction] = []

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
        yield ItemTable(id="open-actions")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Actions across every review"
        table = self.query_one(DataTable)
        table.add_column("Action", key="text")
        table.add_column("Review", width=22, key="review")
        table.add_column("Area", width=6, key="area")
        table.add_column("Owner", width=14, key="owner")
        table.add_column("Due", width=10, key="due")
        table.add_column("Status", width=11, key="status")
        table.add_column("Age", width=5, key="age")
        self.reload()
        table.focus()

    def reload(self, keep: str | None = None) -> None:
        today = self.today()
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
        table = self.query_one(DataTable)
        table.clear()
        self._filling += 1
        # The first screenful at once; the rest right after the first frame, so the view is
        # usable at once even with thousands of open actions.
        self._add_rows(rows[:FIRST_ROWS], today, keep, self._filling)
        if len(rows) > FIRST_ROWS:
            self.call_after_refresh(self._add_rows, rows[FIRST_ROWS:], today, keep, self._filling)
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

    def _add_rows(
        self, rows: list[TrackedAction], today: date, keep: str | None, filling: int
    ) -> None:
        if filling != self._filling:
            return  # a newer reload replaced this one
        table = self.query_one(DataTable)
        for tracked in rows:
            action = tracked.action
            late = tracked.overdue(today)
            due = action.due.isoformat() if action.due else "—"
            table.add_row(
                cell(("⚑ " if late else "") + action.text),
                cell(tracked.session_title, 22),
                action.area.value if action.area else "—",
                cell(action.owner or "no owner", 14),
                Content.styled(due, "bold $text-error") if late else due,
                action.status.value,
                f"{tracked.age_days(today)}d",
                key=tracked.ref,
            )
        if keep and any(t.ref == keep for t in rows):
            table.move_cursor(row=table.get_row_index(keep), animate=False)

    def on_screen_suspend(self) -> None:
        self._left = True

    def on_screen_resume(self) -> None:
        """Back from a review: its actions may have changed (the first showing is on_mount)."""
        if self._left:
            selected = self.selected()
            self.reload(keep=selected.ref if selected else None)

    def selected(self) -> TrackedAction | None:
        table = self.query_one(DataTable)
        if not self.rows or not table.row_count:
            return None
        return self.rows[table.cursor_row]

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

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        tracked = self.selected()
        if tracked is not None:
            opener: Any = self.app
            opener.open_review(tracked.session_id, action_pass=True)
