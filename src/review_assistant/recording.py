"""Recording what the facilitator types: capture syntax in, a committed item out."""

from __future__ import annotations

from dataclasses import dataclass, field

from review_assistant.domain.capture import (
    CaptureContext,
    EventCapture,
    FactorCapture,
    IdeaCapture,
    LearningCapture,
    NoteCapture,
    QuestionCapture,
    WentWellCapture,
    parse_capture,
)
from review_assistant.domain.models import (
    ActionIdea,
    Factor,
    Item,
    Learning,
    Note,
    Question,
    ReviewSession,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import control_count, one_line
from review_assistant.store import Store

ITEM_LABELS: dict[type[Item], str] = {
    Note: "note",
    TimelineEvent: "timeline event",
    ActionIdea: "parked action idea",
    WentWell: "went-well item",
    Factor: "contributing factor",
    Question: "question",
    Learning: "learning",
}


@dataclass(frozen=True, slots=True)
class Recorded:
    """An item that is now committed, with anything worth telling the facilitator."""

    item: Item
    warnings: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return ITEM_LABELS.get(type(self.item), "item")

    def describe(self) -> str:
        item = self.item
        if isinstance(item, TimelineEvent):
            return (
                f"{self.label} {item.at.isoformat()} {item.kind.value}: {one_line(item.text, 60)}"
            )
        if isinstance(item, Factor):
            tag = f" ({item.tag})" if item.tag else ""
            return f"{item.area.value} factor{tag}: {one_line(item.text, 60)}"
        text = getattr(item, "text", "")
        return f"{self.label}: {one_line(str(text), 60)}"


def capture_context(session: ReviewSession) -> CaptureContext:
    """Bare times sit near the incident's start; with none yet, on the day the review began."""
    if session.incident_start is not None:
        return CaptureContext(session.timezone, session.incident_start)
    created = session.created_at.astimezone(session.tz)
    noon = created.replace(hour=12, minute=0, second=0, microsecond=0)
    return CaptureContext(session.timezone, noon)


def build_item(
    session: ReviewSession,
    text: str,
    *,
    phase: Phase | None = None,
    interview_id: str | None = None,
    who: str = "",
) -> Item:
    """Parse typed text into an unsaved item (raises CaptureError with the text untouched)."""
    current = Phase.INTERVIEW if interview_id else (phase or session.phase)
    parsed = parse_capture(text, capture_context(session))
    match parsed:
        case EventCapture(at=at, kind=kind, text=body, who=said_who):
            source = f"interview: {who}" if interview_id and who else "review"
            return TimelineEvent(
                at=at,
                kind=kind,
                text=body,
                who=said_who or who,
                source=source,
                interview_id=interview_id,
            )
        case IdeaCapture(text=body):
            return ActionIdea(phase=current, text=body)
        case WentWellCapture(text=body, lucky=lucky):
            return WentWell(text=body, lucky=lucky)
        case FactorCapture(area=area, text=body, tag=tag):
            return Factor(area=area, text=body, tag=tag)
        case QuestionCapture(text=body):
            return Question(phase=current, text=body)
        case LearningCapture(text=body):
            return Learning(text=body)
        case NoteCapture(text=body):
            return Note(phase=current, text=body, interview_id=interview_id)
    raise AssertionError(f"unhandled capture {parsed!r}")  # pragma: no cover


def record(
    store: Store,
    session_id: str,
    text: str,
    *,
    phase: Phase | None = None,
    interview_id: str | None = None,
    who: str = "",
) -> Recorded:
    """Parse and commit one capture; returns only once the item is on disk."""
    session = store.get_session(session_id)
    item = store.add(
        session_id, build_item(session, text, phase=phase, interview_id=interview_id, who=who)
    )
    return Recorded(item, capture_warnings(text))


def capture_warnings(text: str) -> list[str]:
    """What to tell the facilitator about text that was saved as typed."""
    controls = control_count(text)
    if not controls:
        return []
    return [
        f"the text holds {controls} control character(s) (such as terminal escapes); "
        "they are saved as typed and shown as symbols"
    ]
