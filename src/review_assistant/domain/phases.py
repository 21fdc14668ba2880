"""The review method's phases: the one place that defines their order and purpose."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    """Phase ids, used on the command line, in JSON and in the database."""

    LEVEL_SET = "level-set"
    TIMELINE = "timeline"
    SENSE_MAKING = "sense-making"
    WENT_WELL = "went-well"
    FACTORS = "factors"
    ACTIONS = "actions"
    INTERVIEW = "interview"


@dataclass(frozen=True, slots=True)
class PhaseDef:
    phase: Phase
    title: str
    short: str
    purpose: str
    records: tuple[str, ...]
    guide: str

    @property
    def id(self) -> str:
        return self.phase.value


PHASES: tuple[PhaseDef, ...] = (
    PhaseDef(
        Phase.LEVEL_SET,
        "Level-set",
        "Level-set",
        "Put everyone on the same page before diving in: the system, what happened at a "
        "high level, and the impact on users, money and the team.",
        ("context notes", "impact: users affected, duration, money, team load"),
        "level-set.md",
    ),
    PhaseDef(
        Phase.TIMELINE,
        "Timeline walk",
        "Timeline",
        "Walk through events as they happened: what looked odd, who knew what and when.",
        ("timeline events: time, kind, text, who", "notes"),
        "timeline.md",
    ),
    PhaseDef(
        Phase.SENSE_MAKING,
        "How did it make sense",
        "Making sense",
        "For key decisions and actions, ask what made them reasonable at the time.",
        ("questions asked and their answers", "surprises and learnings"),
        "sense-making.md",
    ),
    PhaseDef(
        Phase.WENT_WELL,
        "What went well",
        "Went well",
        "Name the actions, tools and habits that helped, and where we got lucky.",
        ("went-well items", "lucky breaks"),
        "went-well.md",
    ),
    PhaseDef(
        Phase.FACTORS,
        "Contributing factors",
        "Factors",
        "Never a single cause: several factors in each area — avoid it, detect it sooner, "
        "fix it faster.",
        ("factors by area: avoid, detect, fix", "socio-technical tags"),
        "factors.md",
    ),
    PhaseDef(
        Phase.ACTIONS,
        "Action items",
        "Actions",
        "A separate pass: committable, owned actions. A review may end with none.",
        ("action items: text, area, owner, due date, status",),
        "actions.md",
    ),
)

INTERVIEW = PhaseDef(
    Phase.INTERVIEW,
    "Pre-meeting interview",
    "Interview",
    "One participant's account, recorded before the meeting: what they saw, when, and what "
    "they thought was happening.",
    ("the participant's notes", "the events they describe"),
    "interview.md",
)

REVIEW_PHASES: tuple[Phase, ...] = tuple(p.phase for p in PHASES)
_BY_PHASE: dict[Phase, PhaseDef] = {p.phase: p for p in (*PHASES, INTERVIEW)}


def phase_def(phase: Phase | str) -> PhaseDef:
    return _BY_PHASE[parse_phase(phase)]


def parse_phase(value: Phase | str) -> Phase:
    """Turn a phase id into a Phase, with a message that lists the valid ids."""
    if isinstance(value, Phase):
        return value
    try:
        return Phase(value.strip().lower())
    except ValueError:
        known = ", ".join(p.value for p in Phase)
        raise ValueError(f"unknown phase {value!r}; phases are: {known}") from None


def next_phase(phase: Phase) -> Phase | None:
    if phase not in REVIEW_PHASES:
        return None
    index = REVIEW_PHASES.index(phase)
    return REVIEW_PHASES[index + 1] if index + 1 < len(REVIEW_PHASES) else None
