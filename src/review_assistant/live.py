"""A review held in memory and kept in step with the store, write by write.

The terminal UI edits through this object: each method commits first, then updates the
in-memory :class:`Review`, so what is on screen is never ahead of what is on disk.
"""

from __future__ import annotations

from typing import Any, TypeVar

from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    Interview,
    Item,
    Participant,
    Question,
    Review,
    ReviewSession,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.recording import Recorded, build_item, capture_warnings
from review_assistant.store import Store
from review_assistant.store.rows import TABLES

ItemT = TypeVar("ItemT", bound=Item)


class LiveReview:
    def __init__(self, store: Store, session_id: str, review: Review | None = None) -> None:
        """``review``: the review as just read (ahead of opening), else it is read now."""
        self.store = store
        self.review = review if review is not None else store.load_review(session_id)

    @property
    def session(self) -> ReviewSession:
        return self.review.session

    @property
    def id(self) -> str:
        return self.review.session.id

    def _list(self, kind: type[ItemT]) -> list[ItemT]:
        items: list[ItemT] = getattr(self.review, TABLES[kind][1])
        return items

    def capture(
        self,
        text: str,
        *,
        phase: Phase | None = None,
        interview_id: str | None = None,
        who: str = "",
        event_id: str | None = None,
    ) -> Recorded:
        """Parse and commit typed text (raises CaptureError, saving nothing, if malformed)."""
        item = build_item(self.session, text, phase=phase, interview_id=interview_id, who=who)
        if isinstance(item, Question) and event_id:
            item.event_id = event_id
        self.add(item)
        return Recorded(item, capture_warnings(text))

    def add(self, item: ItemT) -> ItemT:
        self.store.add(self.id, item)
        self._list(type(item)).append(item)
        return item

    def update(self, kind: type[ItemT], item_id: str, /, **changes: Any) -> ItemT:
        updated = self.store.update(self.id, kind, item_id, **changes)
        items = self._list(kind)
        for index, item in enumerate(items):
            if item.id == item_id:
                items[index] = updated
        return updated

    def delete(self, kind: type[Item], item_id: str) -> None:
        self.store.delete(self.id, kind, item_id)
        items = self._list(kind)
        items[:] = [item for item in items if item.id != item_id]
        if kind is TimelineEvent:
            for index, question in enumerate(self.review.questions):
                if question.event_id == item_id:
                    self.review.questions[index] = question.model_copy(update={"event_id": None})

    def update_session(self, **changes: Any) -> ReviewSession:
        self.review.session = self.store.update_session(self.id, **changes)
        return self.review.session

    def check_participants(self, people: list[tuple[str, str]]) -> None:
        """Raise ValueError if ``people`` drops someone whose interview is on record."""
        names = {name.casefold() for name, _ in people}
        interviewed = {i.participant_id for i in self.review.interviews}
        for person in self.review.participants:
            if person.name.casefold() not in names and person.id in interviewed:
                raise ValueError(f"{person.name} has an interview on record; keep them in the list")

    def set_participants(self, people: list[tuple[str, str]]) -> None:
        """Make the participant list match ``people`` ([(name, role)], matched by name).

        A person kept keeps their id, alias and interview; a person with an interview on
        record cannot be removed (their account would lose its owner).
        """
        self.check_participants(people)
        wanted = {name.casefold(): (name, role) for name, role in people}
        for person in list(self.review.participants):
            entry = wanted.pop(person.name.casefold(), None)
            if entry is None:
                self.delete(Participant, person.id)
            elif (person.name, person.role) != entry:
                self.update(Participant, person.id, name=entry[0], role=entry[1])
        for name, role in wanted.values():
            self.add(Participant(name=name, role=role))

    def get(self, kind: type[ItemT], item_id: str) -> ItemT:
        for item in self._list(kind):
            if item.id == item_id:
                return item
        raise KeyError(item_id)

    # -- interviews and the action pass -------------------------------------------------------

    def interview_for(self, participant_id: str) -> Interview:
        for interview in self.review.interviews:
            if interview.participant_id == participant_id:
                return interview
        return self.add(Interview(participant_id=participant_id))

    def merge_event(self, event_id: str) -> TimelineEvent | None:
        """Copy an interview event into the shared timeline (once); returns the copy."""
        source = self.get(TimelineEvent, event_id)
        if source.interview_id is None:
            return None
        if any(e.merged_from == source.id for e in self.review.events):
            return None
        copy = TimelineEvent(
            at=source.at,
            kind=source.kind,
            text=source.text,
            who=source.who,
            source=source.source,
            merged_from=source.id,
        )
        return self.add(copy)

    def promote_idea(self, idea_id: str, **fields: Any) -> ActionItem:
        idea = self.get(ActionIdea, idea_id)
        action = self.add(ActionItem(idea_id=idea.id, **{"text": idea.text, **fields}))
        self.update(ActionIdea, idea.id, action_id=action.id)
        return action
