"""What the model is shown: the review as plain lines, packed to fit the token budget.

The header (title, impact, people) always goes in. The current phase's material comes next and
is kept whole when it fits; then related material, newest first. When even the current phase
is too big (a 5,000-event timeline on a small model), its oldest lines go first: a section
keeps its newest lines without gaps, never an older line in place of a newer one.

In an anonymised review the model sees public names only, also inside the free text.

Packing counts a line only where it must (``budget.Meter``). A line not counted before is taken
on a safe upper bound (its UTF-8 bytes) while the budget is far off; the lines taken that way
are counted together once the bound no longer settles whether the next line fits, and at the
end. Lines are counted as the pieces the finished text is counted in (``budget.pieces``), so
counting the prompt afterwards finds them remembered, and the count packing reports is that of
the text, exactly, plus ``SLACK``.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from operator import attrgetter

from review_assistant.assistant.budget import Counter, Meter
from review_assistant.assistant.prompting import as_data
from review_assistant.domain.metrics import compute_metrics
from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    Factor,
    Item,
    Learning,
    Note,
    Question,
    Review,
    TimelineEvent,
    WentWell,
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
#: Tokens the pieces do not show: where the template joins the material and the note, and the
#: chat format's own tokens around the messages (3 each, and 3 to start the answer).
SLACK = 32
#: How many written lines are remembered for a review's people (the largest review has ~8,000).
REMEMBERED = 20_000
#: Items with a longer text (a pasted log) are written each time rather than held on to.
LONGEST_REMEMBERED = 20_000


@dataclass(frozen=True)
class Packed:
    text: str
    tokens: int
    omitted: dict[str, int]

    @property
    def omitted_text(self) -> str:
        return ", ".join(f"{n} {section}" for section, n in self.omitted.items())


#: What ``Anonymiser`` ignores when it compares a name with a word (in ASCII: whitespace, ._-').
_JOINERS = str.maketrans("", "", "".join(c for c in map(chr, range(128)) if c.isspace()) + "._-'")


def _shown(text: str) -> str:
    return text


def _hider(review: Review, names: bool) -> Callable[[str], str]:
    """Replaces participants' names by their public names in text, unless names are shown."""
    if names:
        return _shown
    from review_assistant.writeup.anonymise import Anonymiser

    anonymise = Anonymiser(review.participants).text
    named = _names_in(review)
    return lambda text: anonymise(text) if named(text) else text


def _names_in(review: Review) -> Callable[[str], bool]:
    """Could ``Anonymiser`` change this text? False only where it certainly would not.

    Every name, handle, login or e-mail address it replaces contains, once folded as it folds
    them (joiners dropped, accents dropped, case folded), a participant's first or last name,
    folded. For ASCII names in ASCII text, folding is dropping the joiners and lower-casing:
    a text in which no such name appears that way is left as it is.
    """
    parts = [p.name.split() for p in review.participants]
    words = {
        word.translate(_JOINERS).lower() for part in parts if part for word in (part[0], part[-1])
    }
    if not all(word.isascii() for word in words):
        return lambda text: True

    def named(text: str) -> bool:
        if not text.isascii():
            return True
        folded = text.translate(_JOINERS).lower()
        return any(word in folded for word in words)

    return named


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
    return _lines(review, names).hide(text)


def _clip(text: str, width: int) -> str:
    """``one_line(text, width)``, reading no more of a long text (a pasted log) than it shows."""
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        # no control character and no whitespace but single spaces: one_line only shortens
        return text if len(text) <= width else text[: width - 1] + "…"
    if len(text) > 4 * width:
        # one_line is printable() per character, then whitespace runs made single spaces: a
        # prefix of the text gives a prefix of the line (at most 4 characters per character)
        start = one_line(text[: 4 * width], 16 * width)
        if len(start) > width:
            return start[: width - 1] + "…"
    return one_line(text, width)


class _Writer:
    """Writes an item of the review as one line of material."""

    def __init__(self, review: Review, names: bool) -> None:
        self.tz = review.session.tz
        people = {p.id: (p.name if names else p.public_name()) for p in review.participants}
        self.sources = {
            i.id: people.get(i.participant_id, "participant") for i in review.interviews
        }

    def __call__(self, item: Item) -> str:
        match item:
            case TimelineEvent():
                return self.event(item)
            case Note():
                return self.note(item)
            case Question():
                return self.question(item)
            case Learning():
                return f"[{item.id}] {_clip(item.text, 400)}"
            case WentWell():
                return f"[{item.id}] {'(lucky) ' if item.lucky else ''}{_clip(item.text, 400)}"
            case Factor():
                tag = f"({item.tag})" if item.tag else ""
                return f"[{item.id}] {item.area.value}{tag}: {_clip(item.text, 400)}"
            case ActionIdea():
                return f"[{item.id}] {_clip(item.text, 300)}"
            case ActionItem():
                return (
                    f"[{item.id}] {_clip(item.text, 300)} — owner {item.owner or 'none'}, "
                    f"due {item.due or 'not set'}, {item.status.value}"
                )
        raise TypeError(f"not material for the model: {type(item).__name__}")

    def told(self, interview_id: str | None) -> str:
        return f" — told by {self.sources.get(interview_id, '?')}" if interview_id else ""

    def event(self, e: TimelineEvent) -> str:
        at = e.at.astimezone(self.tz)
        when = f"{at.month:02}-{at.day:02} {at.hour:02}:{at.minute:02}"
        who = f" ({_clip(e.who, 60)})" if e.who else ""
        told = self.told(e.interview_id)
        return f"[{e.id}] {when} {e.kind.value}{who}: {_clip(e.text, 400)}{told}"

    def note(self, n: Note) -> str:
        return f"[{n.id}] ({n.phase.value}) {_clip(n.text, 600)}{self.told(n.interview_id)}"

    def question(self, q: Question) -> str:
        about = f" about [{q.event_id}]" if q.event_id else ""
        answer = f" → {_clip(q.answer, 400)}" if q.answer else " (not answered yet)"
        return f"[{q.id}]{about} {_clip(q.text, 300)}{answer}"


class _Lines:
    """The review's items as lines of material: written, names replaced, escaped as data.

    Lines are remembered by the item's content (every field), for the same participants,
    interviews and time zone: the review is read afresh for every prompt, its lines are the
    same, and writing them out is most of the work of packing.
    """

    def __init__(self, review: Review, names: bool) -> None:
        self.write = _Writer(review, names)
        self.hide = _hider(review, names)
        self.known: dict[tuple[object, ...], str] = {}

    def __call__(self, item: Item) -> str:
        key = (type(item), *vars(item).values())
        line = self.known.get(key)
        if line is None:
            line = as_data(self.hide(self.write(item)))
            if len(getattr(item, "text", "")) <= LONGEST_REMEMBERED:  # not a pasted log
                if len(self.known) >= REMEMBERED:
                    self.known.clear()
                self.known[key] = line
        return line


_remembered: dict[tuple[object, ...], _Lines] = {}


def _lines(review: Review, names: bool) -> _Lines:
    """The lines for this review's participants, interviews and time zone (remembered)."""
    key = (
        names,
        review.session.timezone,
        *((p.id, p.name, p.alias, p.role) for p in review.participants),
        *((i.id, i.participant_id) for i in review.interviews),
    )
    lines = _remembered.get(key)
    if lines is None:
        if len(_remembered) >= 4:
            _remembered.clear()
        lines = _remembered[key] = _Lines(review, names)
    return lines


def _when(item: Item) -> datetime:
    return item.at if isinstance(item, TimelineEvent) else item.created_at


def sections(review: Review) -> dict[str, list[Item]]:
    """The items of each section, newest first (the later added first where times are equal)."""
    found: dict[str, list[Item]] = {section: [] for section in SECTION_ORDER}
    for e in review.events:
        if e.interview_id:
            found["interviews"].append(e)
        elif not e.merged_from:
            found["events"].append(e)
    for n in review.notes:
        found["interviews" if n.interview_id else "notes"].append(n)
    found["questions"] += review.questions
    found["learnings"] += review.learnings
    found["went well"] += review.went_well
    found["factors"] += review.factors
    found["ideas"] += review.ideas
    found["actions"] += review.actions
    newest: dict[str, Callable[[Item], datetime]] = {"events": attrgetter("at")}
    newest["interviews"] = _when  # events and notes told in interviews
    return {
        # oldest first, then turned around: among equal times the later added is the newer
        section: sorted(items, key=newest.get(section, attrgetter("created_at")))[::-1]
        for section, items in found.items()
    }


def pack(
    review: Review, phase: Phase, budget: int, counter: Counter, *, names: bool = True
) -> Packed:
    """The material as text within ``budget`` tokens, most relevant first, newest first.

    ``budget`` is what the material may use, including the section headings and the note on
    what was left out (``OMISSION_NOTE``), so the rendered prompt stays within the window.
    Lines are written out, anonymised and counted only as they are considered, so the work
    follows the size of the window, not of the review. The text is escaped as the prompt's
    data block (``prompting.as_data``), so that escaping it again changes nothing.
    """
    head = as_data(header(review, names=names))
    line = _lines(review, names)
    relevance = RELEVANCE.get(phase, ())
    order = [*relevance, *(section for section in SECTION_ORDER if section not in relevance)]
    found = sections(review)
    items = {section: found[section] for section in order if found[section]}
    lines: dict[str, list[str | None]] = {s: [None] * len(each) for s, each in items.items()}

    def text(section: str, index: int) -> str:
        written = lines[section][index]
        if written is None:
            written = lines[section][index] = line(items[section][index])
        return written

    def newest(section: str, index: int) -> int:
        """A section's newest line, with the heading: it comes last in the section, followed
        by the blank line before the next heading, or by the end of the data block."""
        written = text(section, index)
        units = [f"## {section}\n", written + "\n", written + "\n\n"]
        heading, alone, last = counter.each(units)
        return heading + max(alone, last)

    def fill(room: int) -> tuple[dict[str, list[int]], Tally[str], int]:
        meter = Meter(counter, room, opening)
        kept: dict[str, list[int]] = {}
        omitted: Tally[str] = Tally()
        for section, section_items in items.items():
            chosen: list[int] = []
            for index in range(len(section_items)):
                if chosen:
                    took = meter.take(text(section, index) + "\n")
                else:
                    took = meter.spend(newest(section, index))
                if not took:
                    omitted[section] += len(section_items) - index  # it and all older ones
                    break
                chosen.append(index)
            if chosen:
                kept[section] = chosen
        return kept, omitted, meter.settle()

    def rest_fits(kept: dict[str, list[int]], room: int) -> bool:
        """Would the lines left out take no more than ``room``? Stops as soon as not."""
        meter = Meter(counter, room)
        for section, section_items in items.items():
            for index in range(len(kept.get(section, ())), len(section_items)):
                if index == 0:
                    took = meter.spend(newest(section, index))
                else:
                    took = meter.take(text(section, index) + "\n")
                if not took:
                    return False
        return True

    opening = SLACK + max(counter.tokens(head + "\n"), counter.tokens(head + "\n\n"))
    counts = ", ".join(f"{len(section_items)} {s}" for s, section_items in items.items())
    note = counter.tokens(OMISSION_NOTE.format(counts) + "\n\n") + 2
    room = counter.within(budget)
    kept, omitted, used = fill(room - note)  # as if something will be left out
    if omitted and rest_fits(kept, room - used):
        kept, omitted, used = fill(room)  # everything fits after all: no note needed
    elif omitted:
        used += note
    blocks = [head]
    blocks += [
        f"## {section}\n" + "\n".join(text(section, index) for index in reversed(chosen))
        for section, chosen in kept.items()
    ]
    return Packed("\n\n".join(blocks), counter.scaled(used), dict(omitted))
