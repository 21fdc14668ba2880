"""Edits that several screens offer: re-kind, edit, delete, promote, status, learning-only."""

from __future__ import annotations

import sqlite3
from typing import Any

from textual.screen import Screen

from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    ActionStatus,
    EventKind,
    Item,
    Question,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.text import one_line
from review_assistant.live import LiveReview
from review_assistant.store import StoreError
from review_assistant.tui.modals import (
    ChoiceScreen,
    ConfirmScreen,
    FormScreen,
    action_form,
    event_form,
    kind_choices,
    status_choices,
)

ITEM_NAMES: dict[type[Item], str] = {
    TimelineEvent: "timeline event",
    ActionIdea: "parked idea",
    ActionItem: "action item",
}


class ItemActions(Screen[None]):
    """Mixed into screens that hold a :class:`LiveReview` as ``self.live``."""

    live: LiveReview

    def after_change(self, message: str = "") -> None:
        """Redraw what depends on the review (screens override)."""

    async def probe_event(self, event_id: str) -> None:
        """Go to "how did it make sense" for this event (the review screen overrides)."""

    def _apply(self, message: str, item_type: type[Item], item_id: str, /, **changes: Any) -> None:
        try:
            self.live.update(item_type, item_id, **changes)
        except (StoreError, sqlite3.Error, ValueError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.after_change(message)

    def event_action(self, action: str, event_id: str) -> None:
        event = self.live.get(TimelineEvent, event_id)
        if action == "edit-event":

            def save(values: dict[str, Any] | None) -> None:
                if values:
                    self._apply("✓ event updated", TimelineEvent, event_id, **values)

            self.app.push_screen(event_form(event, self.live.session.timezone), save)
        elif action == "rekind":

            def rekind(kind: str | None) -> None:
                if kind:
                    self._apply(
                        f"✓ event is now a {kind}", TimelineEvent, event_id, kind=EventKind(kind)
                    )

            self.app.push_screen(
                ChoiceScreen("Kind of event", kind_choices(), event.kind.value), rekind
            )
        elif action == "probe":
            self.call_later(self.probe_event, event_id)

    def confirm_delete(self, kind: type[Item], item_id: str) -> None:
        item = self.live.get(kind, item_id)
        name = ITEM_NAMES.get(kind, kind.__name__.lower())
        text = one_line(str(getattr(item, "text", "")), 70)

        def delete(yes: bool | None) -> None:
            if not yes:
                return
            try:
                self.live.delete(kind, item_id)
            except (StoreError, sqlite3.Error) as exc:
                self.notify(f"Not deleted: {exc}", severity="error", markup=False)
                return
            self.after_change(f"✓ deleted {name}")

        self.app.push_screen(ConfirmScreen(f"Delete this {name}?", text), delete)

    def handle_request(self, action: str, item_id: str | None) -> None:
        if action in {"edit-event", "rekind", "probe"} and item_id:
            self.event_action(action, item_id)
        elif action == "lucky" and item_id:
            item = self.live.get(WentWell, item_id)
            self._apply(
                "✓ marked as luck" if not item.lucky else "✓ marked as something that helped",
                WentWell,
                item_id,
                lucky=not item.lucky,
            )
        elif action == "promote" and item_id:
            self.promote(item_id)
        elif action == "status" and item_id:
            current = self.live.get(ActionItem, item_id)

            def set_status(status: str | None) -> None:
                if status:
                    self._apply(
                        f"✓ status: {status}", ActionItem, item_id, status=ActionStatus(status)
                    )

            self.app.push_screen(
                ChoiceScreen("Status", status_choices(), current.status.value), set_status
            )
        elif action == "edit-action" and item_id:
            action_item = self.live.get(ActionItem, item_id)
            form = action_form(
                "Edit action item",
                text=action_item.text,
                owner=action_item.owner,
                area=action_item.area.value if action_item.area else "",
                due=action_item.due.isoformat() if action_item.due else "",
            )

            def save(values: dict[str, Any] | None) -> None:
                if values:
                    self._apply("✓ action updated", ActionItem, item_id, **values)

            self.app.push_screen(form, save)
        elif action == "new-action":
            self.app.push_screen(action_form("New action item"), self._create_action)
        elif action == "learning-only":
            self.toggle_learning_only()
        elif action == "answer" and item_id:
            self.answer_question(item_id)
        elif action == "reframe" and item_id:
            self.reframe(item_id)

    def reframe(self, note_id: str) -> None:
        """Offer neutral wording for a note (screens with an assistant implement it)."""

    def answer_question(self, question_id: str) -> None:
        question = self.live.get(Question, question_id)

        def validate(values: dict[str, str]) -> dict[str, Any]:
            return {"answer": values["answer"].strip()}

        def save(values: dict[str, Any] | None) -> None:
            if values is not None:
                self._apply("✓ answer saved", Question, question_id, **values)

        form = FormScreen(
            f"? {one_line(question.text, 70)}",
            [("answer", "What made it make sense at the time", question.answer, "")],
            validate,
        )
        self.app.push_screen(form, save)

    def _create_action(self, values: dict[str, Any] | None) -> None:
        if not values:
            return
        try:
            self.live.add(ActionItem(**values))
        except (StoreError, sqlite3.Error, ValueError) as exc:
            self.notify(f"Not saved: {exc}", severity="error", markup=False)
            return
        self.after_change("✓ action item added")

    def promote(self, idea_id: str) -> None:
        idea = self.live.get(ActionIdea, idea_id)
        if idea.action_id:
            self.notify("This idea is already an action item.", markup=False)
            return

        def create(values: dict[str, Any] | None) -> None:
            if not values:
                return
            try:
                self.live.promote_idea(idea_id, **values)
            except (StoreError, sqlite3.Error, ValueError) as exc:
                self.notify(f"Not saved: {exc}", severity="error", markup=False)
                return
            self.after_change("✓ idea turned into an action item")

        self.app.push_screen(action_form("Turn the idea into an action", text=idea.text), create)

    def toggle_learning_only(self) -> None:
        tracks = not self.live.session.tracks_actions
        self.live.update_session(tracks_actions=tracks)
        self.after_change(
            "✓ this review tracks action items"
            if tracks
            else "✓ learning review: no action items will be tracked"
        )
