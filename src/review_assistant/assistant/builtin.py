"""The built-in engine: probing questions chosen from the guides' question bank, offline.

Deterministic: the same review state gives the same questions. Nothing already suggested
(accepted, dismissed or still showing) or already asked in the session is offered again.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from review_assistant.assistant.tasks import Probe, Probes
from review_assistant.domain.metrics import long_gaps
from review_assistant.domain.models import (
    EventKind,
    FactorArea,
    Item,
    Note,
    Participant,
    Review,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import one_line
from review_assistant.guidebook import BankQuestion, question_bank
from review_assistant.guidebook import Probe as Tag

LIMIT = 5

_WORDS: dict[Tag, tuple[str, ...]] = {
    Tag.DECISION: (
        "decided",
        "chose",
        "roll back",
        "rolled back",
        "restart",
        "failover",
        "failed over",
        "escalat",
        "paged",
        "disabled",
        "revert",
        "scaled",
        "went with",
        "picked",
        "switched",
    ),
    Tag.JUDGEMENT: (
        "thought",
        "assumed",
        "seemed",
        "looked fine",
        "looked like",
        "believed",
        "figured",
        "expected",
        "felt",
        "sure",
        "probably",
        "normal",
    ),
    Tag.KNOWLEDGE: (
        "didn't know",
        "did not know",
        "knew",
        "runbook",
        "docs",
        "wiki",
        "asked",
        "only person",
    ),
    Tag.OBSERVATION: ("saw", "noticed", "alert", "spotted", "graph", "dashboard", "spike"),
}
_KIND_TAGS: dict[EventKind, Tag] = {
    EventKind.TRIGGER: Tag.OBSERVATION,
    EventKind.DETECTION: Tag.OBSERVATION,
    EventKind.ESCALATION: Tag.DECISION,
    EventKind.DIAGNOSIS: Tag.JUDGEMENT,
    EventKind.MITIGATION: Tag.DECISION,
    EventKind.RESOLUTION: Tag.DECISION,
    EventKind.COMMUNICATION: Tag.KNOWLEDGE,
}
READS_AS = {
    Tag.DECISION: "describes a decision",
    Tag.JUDGEMENT: "reads as a judgement call",
    Tag.KNOWLEDGE: "is about who knew what",
    Tag.OBSERVATION: "is an observation",
}
#: The probe each kind of note is known for.
SIGNATURE = {
    Tag.JUDGEMENT: "how could you tell",
    Tag.DECISION: "what else was on the table",
    Tag.KNOWLEDGE: "who knew",
    Tag.OBSERVATION: "what looked odd",
}
_AREA_TAGS = {FactorArea.AVOID: Tag.AVOID, FactorArea.DETECT: Tag.DETECT, FactorArea.FIX: Tag.FIX}
_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text).strip().casefold()


def classify(text: str) -> Tag | None:
    """What a note mostly is: a decision, a judgement, knowledge or an observation."""
    lowered = text.casefold()
    for tag, words in _WORDS.items():
        if any(word in lowered for word in words):
            return tag
    return None


def stable_index(key: str, size: int) -> int:
    """A deterministic start position (Python's hash() changes between runs)."""
    return int(hashlib.sha256(key.encode()).hexdigest()[:8], 16) % size


@dataclass(frozen=True)
class Candidate:
    """A reason to ask something, with what can fill the question's placeholders."""

    tags: tuple[Tag, ...]
    why: str
    ref: str | None = None
    fill: dict[str, str] = field(default_factory=dict)
    key: str = ""
    #: Words of the question to try first (a judgement's "how could you tell").
    prefer: str = ""


class Engine:
    """Chooses questions for one review; ``asked`` holds what must not be repeated."""

    def __init__(self, review: Review, *, bank: Sequence[BankQuestion] | None = None) -> None:
        self.review = review
        self.bank = list(bank) if bank is not None else question_bank()
        self.tz = review.session.tz
        self.asked = {normalise(s.text) for s in review.suggestions}
        self.asked |= {normalise(q.text) for q in review.questions}
        self.used: set[str] = set()

    # -- filling questions ----------------------------------------------------------------

    def when(self, event: TimelineEvent) -> str:
        return event.at.astimezone(self.tz).strftime("%H:%M")

    def event_fill(self, event: TimelineEvent) -> dict[str, str]:
        return {"event": f"“{one_line(event.text, 70)}”", "time": self.when(event)}

    def pick(self, phases: Iterable[Phase], candidate: Candidate) -> Probe | None:
        """The first unasked question for the candidate, from the first phase that has one.

        Within a phase, questions that use the candidate's details (its event, times, area or
        person) come before general ones; the start point is stable per candidate.
        """
        wanted = set(candidate.tags)
        for phase in phases:
            pool = [
                q
                for q in self.bank
                if q.phase is phase and q.tags & wanted and q.placeholders <= candidate.fill.keys()
            ]
            if not pool:
                continue
            specific = [q for q in pool if q.placeholders] or pool
            start = stable_index(candidate.key or candidate.why, len(specific))
            ordered = specific[start:] + specific[:start]
            ordered += [q for q in pool if q not in specific]
            # Vary the wording within one answer (questions not used yet go first); among
            # those, the candidate's signature question ("how could you tell?") first.
            ordered.sort(key=lambda q: (q.id in self.used, not self.prefers(candidate, q)))
            for question in ordered:
                text = question.text.format(**{k: candidate.fill[k] for k in question.placeholders})
                if normalise(text) not in self.asked:
                    self.asked.add(normalise(text))
                    self.used.add(question.id)
                    return Probe(question=text, ref=candidate.ref, why=candidate.why)
        return None

    @staticmethod
    def prefers(candidate: Candidate, question: BankQuestion) -> bool:
        return bool(candidate.prefer) and candidate.prefer in question.text.casefold()

    # -- reasons to ask -------------------------------------------------------------------

    def latest(self, phase: Phase, count: int = 4) -> list[Candidate]:
        """The last few things noted in this phase, probed by what kind of thing they are."""
        items: list[Item] = [
            n for n in self.review.notes if n.phase is phase and not n.interview_id
        ]
        if phase is Phase.TIMELINE:
            items += [e for e in self.review.events if not e.interview_id]
        items.sort(key=lambda i: i.created_at)
        found = []
        for item in reversed(items[-count:]):
            if isinstance(item, TimelineEvent):
                tag = classify(item.text) or _KIND_TAGS.get(item.kind)
                fill = self.event_fill(item)
            else:
                assert isinstance(item, Note)
                tag, fill = classify(item.text), {}
            if tag is None:
                continue
            what = one_line(getattr(item, "text", ""), 50)
            found.append(
                Candidate(
                    (tag,),
                    f"the latest note {READS_AS[tag]}: “{what}”",
                    item.id,
                    fill,
                    key=f"{tag}:{item.id}",
                    prefer=SIGNATURE[tag],
                )
            )
        return found

    def gaps(self) -> list[Candidate]:
        found = []
        for gap in long_gaps(self.review.events)[:3]:
            minutes = round(gap.seconds / 60)
            fill = {"start": self.when(gap.before), "end": self.when(gap.after)}
            found.append(
                Candidate(
                    (Tag.GAP,),
                    f"{minutes} minutes of timeline with nothing recorded",
                    gap.before.id,
                    fill,
                    key=f"gap:{gap.before.id}",
                )
            )
        return found

    def thin_areas(self) -> list[Candidate]:
        counts = dict.fromkeys(FactorArea, 0)
        for factor in self.review.factors:
            counts[factor.area] += 1
        return [
            Candidate(
                (_AREA_TAGS[area],),
                f"only {n} factor(s) in {area.value}; look for more",
                None,
                {"area": area.value},
                key=f"area:{area.value}",
            )
            for area, n in counts.items()
            if n < 2
        ]

    def uncovered(self) -> list[Candidate]:
        """Decisions and judgements on the timeline nobody has asked about yet."""
        asked_about = {q.event_id for q in self.review.questions if q.event_id}
        found = []
        for event in self.review.timeline():
            tag = classify(event.text) or _KIND_TAGS.get(event.kind)
            if event.id in asked_about or tag not in (Tag.DECISION, Tag.JUDGEMENT):
                continue
            found.append(
                Candidate(
                    (tag,),
                    f"no one has asked how the {event.kind.value} at {self.when(event)} made sense",
                    event.id,
                    self.event_fill(event),
                    key=f"uncovered:{event.id}",
                    prefer=SIGNATURE[tag],
                )
            )
        return found[:4]

    def silent(self) -> list[Candidate]:
        """Participants with no interview, no event and no mention in any note."""
        heard = {i.participant_id for i in self.review.interviews}
        text = " ".join(n.text for n in self.review.notes).casefold()
        whos = {e.who.casefold() for e in self.review.events}
        found = []
        for person in self.review.participants:
            names = {person.name.casefold(), person.role.casefold()} - {""}
            if person.id in heard or names & whos or any(n in text for n in names):
                continue
            found.append(
                Candidate(
                    (Tag.KNOWLEDGE, Tag.HELP, Tag.OBSERVATION),
                    f"nothing recorded yet from {label(person)}",
                    person.id,
                    {"participant": label(person)},
                    key=f"silent:{person.id}",
                )
            )
        return found

    def filler(self, phase: Phase) -> list[Candidate]:
        tags = tuple(Tag)
        return [
            Candidate(tags, f"a standard {phase.value} question", None, {}, key=f"{phase}:{n}")
            for n in range(LIMIT)
        ]

    # -- tasks ----------------------------------------------------------------------------

    def suggest(self, phase: Phase, limit: int = LIMIT) -> Probes:
        reasons: dict[Phase, list[Candidate]] = {
            Phase.LEVEL_SET: self.silent() + self.latest(phase),
            Phase.TIMELINE: self.gaps() + self.latest(phase) + self.silent(),
            Phase.SENSE_MAKING: self.latest(phase) + self.uncovered(),
            Phase.WENT_WELL: self.latest(phase),
            Phase.FACTORS: self.thin_areas() + self.latest(phase),
            Phase.ACTIONS: self.latest(phase) + self.thin_areas(),
        }
        chosen: list[Probe] = []
        for candidate in [*reasons.get(phase, []), *self.filler(phase)]:
            if len(chosen) >= limit:
                break
            phases = (
                [phase]
                if candidate.ref is None and not candidate.fill
                else [phase, *other_phases(phase)]
            )
            probe = self.pick(phases, candidate)
            if probe is not None:
                chosen.append(probe)
        return Probes(questions=chosen)

    def interview(self, person: Participant, limit: int = LIMIT) -> Probes:
        names = {person.name.casefold(), person.role.casefold()} - {""}
        theirs = [e for e in self.review.timeline() if e.who.casefold() in names]
        reasons = [
            Candidate(
                (_KIND_TAGS.get(e.kind, Tag.OBSERVATION), Tag.OBSERVATION),
                f"{label(person)} is named at {self.when(e)}",
                e.id,
                self.event_fill(e),
                key=f"interview:{person.id}:{e.id}",
            )
            for e in theirs[:3]
        ]
        reasons += self.gaps()[:2]
        reasons += [
            Candidate(
                tuple(Tag),
                "a standard interview question",
                None,
                {},
                key=f"interview:{person.id}:{n}",
            )
            for n in range(limit)
        ]
        chosen: list[Probe] = []
        for candidate in reasons:
            if len(chosen) >= limit:
                break
            probe = self.pick([Phase.INTERVIEW, Phase.TIMELINE, Phase.SENSE_MAKING], candidate)
            if probe is not None:
                chosen.append(probe)
        return Probes(questions=chosen)


def other_phases(phase: Phase) -> list[Phase]:
    return [p for p in Phase if p not in (phase, Phase.INTERVIEW)]


def label(person: Participant) -> str:
    return person.role or person.name
