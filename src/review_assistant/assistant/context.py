"""What the model is shown: the review as plain lines, packed to fit the token budget.

The header (title, impact, people) always goes in. The current phase's material comes next and
is kept whole when it fits; then related material, newest first. When even the current phase
is too big (a 5,000-event timeline on a small model), its oldest lines go first: a section
keeps its newest lines without gaps, never an older line in place of a newer one.

In an anonymised review the model sees public names only, also inside the free text.
"""

from __future__ import annotations

import functools
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from review_assistant.assistant.budget import Counter
from review_assistant.domain.metrics import compute_metrics
from review_assistant.domain.models import (
    ActionItem,
    Factor,
    Note,
    Question,
    Review,
    TimelineEvent,
)
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


#: One line of material, not yet written out: (time order, makes its text).
Entry = tuple[float, Callable[[], str]]


def _at(moment: object) -> float:
    return moment.timestamp() if isinstance(moment, datetime) else 0.0


def entries(review: Review, *, names: bool = True) -> dict[str, list[Entry]]:
    """Every line of material by section. A line is written out only when asked for: packing
    a big review into a small window considers a few hundred of its thousands of lines."""
    tz = review.session.tz
    people = {p.id: (p.name if names else p.public_name()) for p in review.participants}
    sources = {i.id: people.get(i.participant_id, "participant") for i in review.interviews}
    out: dict[str, list[Entry]] = {section: [] for section in SECTION_ORDER}

    def event(e: TimelineEvent) -> str:
        when = e.at.astimezone(tz).strftime("%m-%d %H:%M")
        who = f" ({one_line(e.who, 60)})" if e.who else ""
        told = f" — told by {sources.get(e.interview_id, '?')}" if e.interview_id else ""
        return f"[{e.id}] {when} {e.kind.value}{who}: {one_line(e.text, 400)}{told}"

    def note(n: Note) -> str:
        source = f" — told by {sources.get(n.interview_id, '?')}" if n.interview_id else ""
        return f"[{n.id}] ({n.phase.value}) {one_line(n.text, 600)}{source}"

    def question(q: Question) -> str:
        about = f" about [{q.event_id}]" if q.event_id else ""
        answer = f" → {one_line(q.answer, 400)}" if q.answer else " (not answered yet)"
        return f"[{q.id}]{about} {one_line(q.text, 300)}{answer}"

    def factor(f: Factor) -> str:
        return f"[{f.id}] {f.area.value}{f'({f.tag})' if f.tag else ''}: {one_line(f.text, 400)}"

    def action(a: ActionItem) -> str:
        return (
            f"[{a.id}] {one_line(a.text, 300)} — owner {a.owner or 'none'}, "
            f"due {a.due or 'not set'}, {a.status.value}"
        )

    for e in review.events:
        if e.interview_id or not e.merged_from:
            section = "interviews" if e.interview_id else "events"
            out[section].append((_at(e.at), functools.partial(event, e)))
    for n in review.notes:
        out["interviews" if n.interview_id else "notes"].append(
            (_at(n.created_at), functools.partial(note, n))
        )
    out["questions"] += [
        (_at(q.created_at), functools.partial(question, q)) for q in review.questions
    ]
    out["learnings"] += [
        (_at(x.created_at), functools.partial(lambda x: f"[{x.id}] {one_line(x.text, 400)}", x))
        for x in review.learnings
    ]
    out["went well"] += [
        (
            _at(w.created_at),
            functools.partial(
                lambda w: f"[{w.id}] {'(lucky) ' if w.lucky else ''}{one_line(w.text, 400)}", w
            ),
        )
        for w in review.went_well
    ]
    out["factors"] += [(_at(f.created_at), functools.partial(factor, f)) for f in review.factors]
    out["ideas"] += [
        (_at(i.created_at), functools.partial(lambda i: f"[{i.id}] {one_line(i.text, 300)}", i))
        for i in review.ideas
    ]
    out["actions"] += [(_at(a.created_at), functools.partial(action, a)) for a in review.actions]
    return out


def pack(
    review: Review, phase: Phase, budget: int, counter: Counter, *, names: bool = True
) -> Packed:
    """The material as text within ``budget`` tokens, most relevant first, newest first.

    ``budget`` is what the material may use, including the section headings and the note on
    what was left out (``OMISSION_NOTE``), so the rendered prompt stays within the window.
    Lines are written out, anonymised and counted only as they are considered, so the work
    follows the size of the window, not of the review.
    """
    head = header(review, names=names)
    hide = _hider(review, names)
    relevance = RELEVANCE.get(phase, ())
    order = [*relevance, *(section for section in SECTION_ORDER if section not in relevance)]
    found = entries(review, names=names)
    sections = {
        section: sorted(found[section], key=lambda entry: -entry[0])  # newest first
        for section in order
        if found.get(section)
    }
    texts: dict[tuple[str, int], str] = {}

    def text(section: str, index: int) -> str:
        key = (section, index)
        if key not in texts:
            texts[key] = hide(sections[section][index][1]())
        return texts[key]

    def heading(section: str) -> int:
        return counter.count_line(f"## {section}") + 2  # with the blank line before it

    def fill(room: int) -> tuple[dict[str, list[int]], Tally[str], int]:
        used = counter.count(head) + 16
        kept: dict[str, list[int]] = {}
        omitted: Tally[str] = Tally()
        for section, section_entries in sections.items():
            chosen: list[int] = []
            for index in range(len(section_entries)):
                extra = counter.count_line(text(section, index)) + 1
                extra += 0 if chosen else heading(section)
                if used + extra > room:
                    omitted[section] += len(section_entries) - index  # it and all older ones
                    break
                chosen.append(index)
                used += extra
            if chosen:
                kept[section] = chosen
        return kept, omitted, used

    counts = ", ".join(f"{len(section_entries)} {s}" for s, section_entries in sections.items())
    note = counter.count(OMISSION_NOTE.format(counts)) + 2
    kept, omitted, used = fill(budget - note)  # as if something will be left out
    if omitted and _fits(sections, kept, budget - used, text, heading, counter):
        kept, omitted, used = fill(budget)  # everything fits after all: no note needed
    elif omitted:
        used += note
    blocks = [head]
    blocks += [
        f"## {section}\n"
        + "\n".join(
            text(section, index)
            for index in sorted(chosen, key=lambda index: sections[section][index][0])
        )
        for section, chosen in kept.items()
    ]
    return Packed("\n\n".join(blocks), used, dict(omitted))


def _fits(
    sections: dict[str, list[Entry]],
    kept: dict[str, list[int]],
    room: int,
    text: Callable[[str, int], str],
    heading: Callable[[str], int],
    counter: Counter,
) -> bool:
    """Would the lines left out take no more than ``room``? Stops counting as soon as not."""
    for section, section_entries in sections.items():
        start = len(kept.get(section, []))
        if start < len(section_entries) and section not in kept:
            room -= heading(section)
        for index in range(start, len(section_entries)):
            room -= counter.count_line(text(section, index)) + 1
            if room < 0:
                return False
    return room >= 0
