"""What the model is shown: the review as plain lines, packed to fit the token budget.

The header (title, impact, people) always goes in. The current phase's material comes next and
is kept whole when it fits; then related material, newest first. When even the current phase
is too big (a 5,000-event timeline on a small model), its oldest lines go first: a section
keeps its newest lines without gaps, never an older line in place of a newer one.

In an anonymised review the model sees public names only, also inside the free text.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass

from review_assistant.assistant.budget import Counter
from review_assistant.domain.metrics import compute_metrics
from review_assistant.domain.models import Review
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import one_line
from review_assistant.domain.times import format_duration

#: Which sections matter most in each phase (first = kept whole when it fits).
RELEVANCE: dict[Phase, tuple[str, ...]] = {
    Phase.LEVEL_SET: ("notes", "events", "interviews"),
    Phase.TIMELINE: ("events", "notes", "interviews", "questions"),
    Phase.SENSE_MAKING: ("questions", "events", "learnings", "notes", "interviews"),
    Phase.WENT_WELL: ("went well", "notes", "events", "learnings"),
    Phase.FACTORS: ("factors", "notes", "learnings", "events", "questions"),
    Phase.ACTIONS: ("actions", "ideas", "factors", "notes", "learnings"),
    Phase.INTERVIEW: ("interviews", "events", "notes"),
}
SECTION_ORDER = (
    "events", "interviews", "notes", "questions", "learnings", "went well", "factors",
    "ideas", "actions",
)  # fmt: skip
#: The note ``_data.j2`` adds when something was left out (kept in step with the template).
OMISSION_NOTE = "(To fit the model's context, older or less related material was left out: {}.)"


@dataclass(frozen=True, slots=True)
class Line:
    section: str
    order: float  # time order within the section
    text: str


@dataclass(frozen=True)
class Packed:
    text: str
    tokens: int
    omitted: dict[str, int]

    @property
    def omitted_text(self) -> str:
        return ", ".join(f"{n} {section}" for section, n in self.omitted.items())


def _hider(review: Review, names: bool) -> Callable[[str], str]:
    """Replaces participants' names by their public names in text, unless names are shown."""
    if names:
        return lambda text: text
    from review_assistant.writeup.anonymise import Anonymiser

    return Anonymiser(review.participants).text


def header(review: Review, *, names: bool = True) -> str:
    s = review.session
    tz = s.tz
    metrics = compute_metrics(review.events)
    people = [
        f"{p.name if names else p.public_name()} ({p.role or 'no role given'})"
        for p in review.participants
    ]
    window = s.incident_start.astimezone(tz).strftime("%Y-%m-%d %H:%M") if s.incident_start else "?"
    if s.incident_end:
        window += " to " + s.incident_end.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    impact = "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in s.impact.model_dump().items() if v)
    text = "\n".join(
        [
            f"Title: {one_line(s.title, 200)}",
            f"Severity: {s.severity or 'not set'} · incident window ({s.timezone}): {window}",
            f"Summary: {one_line(s.summary, 600) or 'not written yet'}",
            f"Impact: {one_line(impact, 600) or 'not recorded'}",
            "Time to detect / mitigate / resolve: "
            f"{format_duration(metrics.time_to_detect_s)} / "
            f"{format_duration(metrics.time_to_mitigate_s)}"
            f" / {format_duration(metrics.time_to_resolve_s)}",
            f"Participants: {'; '.join(people) or 'none listed'}",
            f"Outcome: {'actions tracked' if s.tracks_actions else 'learning review, no actions'}",
        ]
    )
    return _hider(review, names)(text)


def lines(review: Review, *, names: bool = True) -> list[Line]:
    tz = review.session.tz
    people = {p.id: (p.name if names else p.public_name()) for p in review.participants}
    sources = {i.id: people.get(i.participant_id, "participant") for i in review.interviews}

    def at(moment: object) -> float:
        return moment.timestamp() if hasattr(moment, "timestamp") else 0.0

    out: list[Line] = []
    for e in review.events:
        when = e.at.astimezone(tz).strftime("%m-%d %H:%M")
        who = f" ({one_line(e.who, 60)})" if e.who else ""
        text = f"[{e.id}] {when} {e.kind.value}{who}: {one_line(e.text, 400)}"
        if e.interview_id:
            out.append(
                Line("interviews", at(e.at), f"{text} — told by {sources.get(e.interview_id, '?')}")
            )
        elif not e.merged_from:
            out.append(Line("events", at(e.at), text))
    for n in review.notes:
        section = "interviews" if n.interview_id else "notes"
        source = f" — told by {sources.get(n.interview_id, '?')}" if n.interview_id else ""
        out.append(
            Line(
                section,
                at(n.created_at),
                f"[{n.id}] ({n.phase.value}) {one_line(n.text, 600)}{source}",
            )
        )
    for q in review.questions:
        about = f" about [{q.event_id}]" if q.event_id else ""
        answer = f" → {one_line(q.answer, 400)}" if q.answer else " (not answered yet)"
        out.append(
            Line("questions", at(q.created_at), f"[{q.id}]{about} {one_line(q.text, 300)}{answer}")
        )
    out += [
        Line("learnings", at(x.created_at), f"[{x.id}] {one_line(x.text, 400)}")
        for x in review.learnings
    ]
    out += [
        Line(
            "went well",
            at(w.created_at),
            f"[{w.id}] {'(lucky) ' if w.lucky else ''}{one_line(w.text, 400)}",
        )
        for w in review.went_well
    ]
    out += [
        Line(
            "factors",
            at(f.created_at),
            f"[{f.id}] {f.area.value}{f'({f.tag})' if f.tag else ''}: {one_line(f.text, 400)}",
        )
        for f in review.factors
    ]
    out += [
        Line("ideas", at(i.created_at), f"[{i.id}] {one_line(i.text, 300)}") for i in review.ideas
    ]
    out += [
        Line(
            "actions",
            at(a.created_at),
            f"[{a.id}] {one_line(a.text, 300)} — owner {a.owner or 'none'}, "
            f"due {a.due or 'not set'}, {a.status.value}",
        )
        for a in review.actions
    ]
    hide = _hider(review, names)
    return [Line(line.section, line.order, hide(line.text)) for line in out] if not names else out


def pack(
    review: Review, phase: Phase, budget: int, counter: Counter, *, names: bool = True
) -> Packed:
    """The material as text within ``budget`` tokens, most relevant first, newest first.

    ``budget`` is what the material may use, including the section headings and the note on
    what was left out (``OMISSION_NOTE``), so the rendered prompt stays within the window.
    """
    head = header(review, names=names)
    relevance = RELEVANCE.get(phase, ())
    order = [*relevance, *(section for section in SECTION_ORDER if section not in relevance)]
    sections: dict[str, list[Line]] = {section: [] for section in order}
    for line in lines(review, names=names):
        sections.setdefault(line.section, []).append(line)
    for section_lines in sections.values():
        section_lines.sort(key=lambda line: -line.order)  # newest first

    def heading(section: str) -> int:
        return counter.count(f"## {section}") + 2  # with the blank line before it

    costs = {
        section: [counter.count(line.text) + 1 for line in section_lines]
        for section, section_lines in sections.items()
    }
    used = counter.count(head) + 16
    everything = used + sum(
        heading(section) + sum(section_costs)
        for section, section_costs in costs.items()
        if section_costs
    )
    if everything > budget:  # something will be left out: make room to say what
        counts = ", ".join(f"{len(found)} {s}" for s, found in sections.items() if found)
        used += counter.count(OMISSION_NOTE.format(counts)) + 2

    kept: dict[str, list[Line]] = {}
    omitted: Tally[str] = Tally()
    for section, section_lines in sections.items():
        chosen: list[Line] = []
        for index, (line, cost) in enumerate(zip(section_lines, costs[section], strict=True)):
            extra = cost + (0 if chosen else heading(section))
            if used + extra > budget:
                omitted[section] += len(section_lines) - index  # this line and all older ones
                break
            chosen.append(line)
            used += extra
        if chosen:
            kept[section] = sorted(chosen, key=lambda line: line.order)
    blocks = [head]
    blocks += [
        f"## {section}\n" + "\n".join(line.text for line in chosen)
        for section, chosen in kept.items()
    ]
    return Packed("\n\n".join(blocks), used, dict(omitted))
