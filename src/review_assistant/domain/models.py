"""The review model: every record a review session holds, as pydantic models.

Nothing here knows about storage or the terminal UI. Times are timezone-aware; ids are
short random hex strings, unique within their review session.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
)

from review_assistant.domain.phases import Phase

#: The longest text a single item may hold (a pasted log of a few megabytes is refused).
MAX_TEXT = 2_000_000


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def utcnow() -> datetime:
    return datetime.now(UTC)


def first_error(exc: ValidationError) -> tuple[str, str]:
    """Where the first validation problem is (dotted path, may be empty) and what it is."""
    first = exc.errors()[0]
    return ".".join(str(part) for part in first["loc"]), str(first["msg"])


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("text is empty")
    return value


Text = Annotated[str, Field(max_length=MAX_TEXT), AfterValidator(_not_blank)]
ShortText = Annotated[str, Field(max_length=500)]


class EventKind(StrEnum):
    TRIGGER = "trigger"
    DETECTION = "detection"
    ESCALATION = "escalation"
    DIAGNOSIS = "diagnosis"
    MITIGATION = "mitigation"
    RESOLUTION = "resolution"
    COMMUNICATION = "communication"
    OTHER = "other"


class FactorArea(StrEnum):
    AVOID = "avoid"
    DETECT = "detect"
    FIX = "fix"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


class SessionStatus(StrEnum):
    PREPARING = "preparing"
    IN_REVIEW = "in-review"
    REVIEWED = "reviewed"
    CLOSED = "closed"


class SuggestionStatus(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class DraftKind(StrEnum):
    SUMMARY = "summary"
    WRITEUP = "writeup"


class DraftStatus(StrEnum):
    DRAFT = "draft"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


class CallOutcome(StrEnum):
    OK = "ok"
    ERROR = "error"
    CANCELLED = "cancelled"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Item(Model):
    """A record that belongs to one review session."""

    id: str = Field(default_factory=new_id, min_length=1, max_length=64)
    created_at: AwareDatetime = Field(default_factory=utcnow)


class Impact(Model):
    users_affected: ShortText = ""
    duration: ShortText = ""
    money: ShortText = ""
    team_load: ShortText = ""

    def is_empty(self) -> bool:
        return not any((self.users_affected, self.duration, self.money, self.team_load))


class ReviewSession(Model):
    id: str = Field(default_factory=new_id, min_length=1, max_length=64)
    title: Annotated[str, Field(max_length=300), AfterValidator(_not_blank)]
    severity: Annotated[str, Field(max_length=40)] = ""
    summary: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    status: SessionStatus = SessionStatus.PREPARING
    phase: Phase = Phase.LEVEL_SET
    timezone: str = "UTC"
    incident_start: AwareDatetime | None = None
    incident_end: AwareDatetime | None = None
    anonymise: bool = True
    tracks_actions: bool = True
    impact: Impact = Field(default_factory=Impact)
    phase_seconds: dict[Phase, float] = Field(default_factory=dict)
    #: When the live review meeting was closed; the next opening is the action meeting.
    meeting_ended_at: AwareDatetime | None = None
    #: The meeting pulse: did at least one person learn something new, would people come again.
    pulse_learned: bool | None = None
    pulse_again: bool | None = None
    created_at: AwareDatetime = Field(default_factory=utcnow)
    updated_at: AwareDatetime = Field(default_factory=utcnow)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return check_timezone(value)

    @field_validator("phase")
    @classmethod
    def _review_phase(cls, value: Phase) -> Phase:
        if value is Phase.INTERVIEW:
            raise ValueError("a session's current phase is one of the review phases")
        return value

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def check_timezone(value: str) -> str:
    """Return the IANA timezone name unchanged if it exists, else raise ValueError."""
    name = value.strip()
    if name.upper() in {"UTC", "Z"}:
        return "UTC"
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown timezone {value!r}; use an IANA name such as Europe/Berlin or UTC"
        ) from None
    return name


class Participant(Item):
    name: Annotated[str, Field(max_length=200), AfterValidator(_not_blank)]
    role: Annotated[str, Field(max_length=200)] = ""
    alias: Annotated[str, Field(max_length=200)] = ""

    def public_name(self) -> str:
        """What anonymised output calls this person."""
        return self.alias or self.role or "participant"


class Note(Item):
    phase: Phase
    text: Text
    interview_id: str | None = None


def _whole_minute_offset(value: datetime) -> datetime:
    """Times whose UTC offset has seconds (local mean time, before time zones were standard)
    are kept as the same instant in UTC: ISO-8601 offsets carry minutes at most."""
    offset = value.utcoffset()
    if offset is not None and offset.total_seconds() % 60:
        return value.astimezone(UTC)
    return value


class TimelineEvent(Item):
    at: Annotated[AwareDatetime, AfterValidator(_whole_minute_offset)]
    kind: EventKind = EventKind.OTHER
    text: Text
    who: Annotated[str, Field(max_length=200)] = ""
    source: Annotated[str, Field(max_length=300)] = "review"
    interview_id: str | None = None
    merged_from: str | None = None
    #: Set by timeline imports: a stable key of the source row, so importing twice adds nothing.
    import_key: Annotated[str, Field(max_length=200)] | None = None


class WentWell(Item):
    text: Text
    lucky: bool = False


class Learning(Item):
    text: Text


class Factor(Item):
    area: FactorArea
    text: Text
    tag: Annotated[str, Field(max_length=60)] = ""


class Question(Item):
    phase: Phase
    text: Text
    event_id: str | None = None
    answer: Annotated[str, Field(max_length=MAX_TEXT)] = ""


class ActionIdea(Item):
    phase: Phase
    text: Text
    action_id: str | None = None


class ActionItem(Item):
    text: Text
    area: FactorArea | None = None
    owner: Annotated[str, Field(max_length=200)] = ""
    due: date | None = None
    status: ActionStatus = ActionStatus.OPEN
    link: Annotated[str, Field(max_length=2000)] = ""
    idea_id: str | None = None
    updated_at: AwareDatetime = Field(default_factory=utcnow)


class Interview(Item):
    participant_id: str
    conducted_at: AwareDatetime | None = None


class Suggestion(Item):
    task: Annotated[str, Field(max_length=60)]
    phase: Phase
    text: Text
    reason: Annotated[str, Field(max_length=MAX_TEXT)] = ""
    ref_id: str | None = None
    status: SuggestionStatus = SuggestionStatus.NEW
    call_id: str | None = None


class Draft(Item):
    kind: DraftKind
    text: Annotated[str, Field(max_length=MAX_TEXT)]
    status: DraftStatus = DraftStatus.DRAFT
    partial: bool = False
    call_id: str | None = None


class AssistantCall(Item):
    task: Annotated[str, Field(max_length=60)]
    provider: Annotated[str, Field(max_length=60)]
    model: Annotated[str, Field(max_length=200)]
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    ttft_ms: float | None = None
    total_ms: float | None = None
    outcome: CallOutcome = CallOutcome.OK
    error: Annotated[str, Field(max_length=10_000)] = ""


class Review(Model):
    """A whole review session with everything it holds."""

    session: ReviewSession
    participants: list[Participant] = Field(default_factory=list)
    interviews: list[Interview] = Field(default_factory=list)
    notes: list[Note] = Field(default_factory=list)
    events: list[TimelineEvent] = Field(default_factory=list)
    questions: list[Question] = Field(default_factory=list)
    went_well: list[WentWell] = Field(default_factory=list)
    learnings: list[Learning] = Field(default_factory=list)
    factors: list[Factor] = Field(default_factory=list)
    ideas: list[ActionIdea] = Field(default_factory=list)
    actions: list[ActionItem] = Field(default_factory=list)
    suggestions: list[Suggestion] = Field(default_factory=list)
    drafts: list[Draft] = Field(default_factory=list)
    calls: list[AssistantCall] = Field(default_factory=list)

    def timeline(self) -> list[TimelineEvent]:
        """The shared timeline (interview accounts excluded), in time order."""
        return sorted((e for e in self.events if e.interview_id is None), key=event_sort_key)

    def participant(self, participant_id: str) -> Participant | None:
        return next((p for p in self.participants if p.id == participant_id), None)

    def notes_for(self, phase: Phase) -> list[Note]:
        return [n for n in self.notes if n.phase is phase and n.interview_id is None]


def event_sort_key(event: TimelineEvent) -> tuple[datetime, datetime, str]:
    return (event.at.astimezone(UTC), event.created_at, event.id)
