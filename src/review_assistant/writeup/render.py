"""Markdown drafts (a short summary, a full write-up) from a review's structured data.

The templates live in ``prompts/drafts/``; this module builds a plain context for them.
Every free-text value is untrusted: templates pass it through the ``md_text`` filter,
which keeps it literal in Markdown. Jinja2 is imported on first use, not at startup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from review_assistant.domain.metrics import compute_metrics, gaps, long_gap_threshold
from review_assistant.domain.models import (
    ActionStatus,
    DraftKind,
    FactorArea,
    Participant,
    Review,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import counted, one_line, printable
from review_assistant.domain.times import format_duration
from review_assistant.paths import resource_dir
from review_assistant.writeup.anonymise import Anonymiser
from review_assistant.writeup.narrative import Narrative, cite

if TYPE_CHECKING:
    import jinja2

#: The fence info string that marks the timeline picture (the HTML export draws it as SVG).
PICTURE_FENCE = "incident-picture"
PICTURE_WIDTH = 72

# Characters that start inline Markdown (emphasis, code, links, strikethrough, HTML) and the
# backslash itself; "_" only where it could open or close emphasis (not inside snake_case).
_INLINE = re.compile(r"[\\`*\[\]<~]|&(?=#?\w+;)|(?<![^\W_])_|_(?![^\W_])")
# What turns the start of a line into a heading, quote, list, setext underline or rule.
_LEADING = re.compile(r"^(?:([#>+=-])|(\d{1,9})([.)]))")


def _escape_char(match: re.Match[str]) -> str:
    char = match.group(0)
    if char == "<":
        return "&lt;"
    if char == "&":
        return "&amp;"
    return "\\" + char


def _escape_line(line: str, *, pipes: bool) -> str:
    line = _INLINE.sub(_escape_char, line.strip())
    if pipes:
        line = line.replace("|", "\\|")
    return _LEADING.sub(lambda m: "\\" + m[1] if m[1] else f"{m[2]}\\{m[3]}", line)


def md_text(value: object, mode: str = "line") -> str:
    """Untrusted text as literal Markdown.

    ``mode`` is ``"line"`` (list items, headings, running text: one line), ``"cell"``
    (a table cell: one line, ``|`` escaped) or ``"block"`` (a paragraph keeping its lines,
    ``|`` escaped so that no line can turn the paragraph into a table).
    Control characters are shown as symbols, HTML tags are neutralised and nothing can start
    a heading, quote, list, link or image.
    """
    if mode not in {"line", "cell", "block"}:
        raise ValueError(f"unknown md_text mode {mode!r}; use line, cell or block")
    if value is None:
        return ""
    text = printable(str(value).replace("\r\n", "\n").replace("\r", "\n"))
    if mode != "block":
        return _escape_line(" ".join(text.split()), pipes=mode == "cell")
    lines = [_escape_line(line, pipes=True) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja2 environment for drafts: strict about undefined names; Markdown templates
    escape through ``md_text``, HTML templates (``*.html.j2``) are autoescaped."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("prompts") / "drafts"),
        undefined=jinja2.StrictUndefined,
        autoescape=lambda name: bool(name and name.endswith(".html.j2")),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md_text"] = md_text
    env.filters["counted"] = counted
    env.filters["short"] = one_line
    return env


def render_draft(
    kind: DraftKind,
    review: Review,
    *,
    anonymise: bool | None = None,
    narrative: Narrative | None = None,
) -> str:
    """Render the summary or the full write-up of a review as Markdown.

    ``narrative`` holds drafted sentences with their sources (from a model); only those whose
    sources exist in the review are printed, each with its citations.
    """
    hide = review.session.anonymise if anonymise is None else anonymise
    template = environment().get_template(f"{DraftKind(kind).value}.md.j2")
    return template.render(draft_context(review, anonymise=hide, narrative=narrative))


class _Clock:
    """Times in the session's timezone, with seconds or dates only when they are needed."""

    def __init__(self, tz: ZoneInfo, times: Iterable[datetime]) -> None:
        local = [t.astimezone(tz) for t in times]
        self.tz = tz
        self.seconds = any(t.second for t in local)
        self.days = sorted({t.date() for t in local})

    def __call__(self, at: datetime, *, date: bool | None = None) -> str:
        local = at.astimezone(self.tz)
        with_date = len(self.days) > 1 if date is None else date
        fmt = ("%Y-%m-%d " if with_date else "") + ("%H:%M:%S" if self.seconds else "%H:%M")
        return local.strftime(fmt)


def draft_context(
    review: Review, *, anonymise: bool, narrative: Narrative | None = None
) -> dict[str, Any]:
    """Everything the draft templates may use, as plain values (free text still raw)."""
    s = review.session
    names = Anonymiser(review.participants)
    hide: Callable[[str], str] = names.text if anonymise else (lambda text: text)
    person: Callable[[str], str] = names.name if anonymise else (lambda text: text)
    timeline = review.timeline()
    clock = _Clock(s.tz, [e.at for e in timeline])
    threshold = long_gap_threshold(timeline)
    quiet = gaps(timeline, minimum_s=threshold)
    long_gaps = {g.after.id: g.seconds for g in quiet}
    metrics = compute_metrics(review.events)
    cited = None if narrative is None else cite(review, narrative, hide=hide, clock=clock)

    def event_ref(event: TimelineEvent) -> dict[str, str]:
        return {"time": clock(event.at), "kind": event.kind.value, "text": hide(event.text)}

    window: dict[str, str] | None = None
    if s.incident_start is not None:
        start, end = s.incident_start, s.incident_end
        same_day = end is not None and end.astimezone(s.tz).date() == start.astimezone(s.tz).date()
        window = {
            "start": clock(start, date=True),
            "end": "" if end is None else clock(end, date=not same_day),
            "duration": "" if end is None else format_duration((end - start).total_seconds()),
        }
    impact_labels = {
        "users_affected": "Users affected",
        "duration": "Duration",
        "money": "Money",
        "team_load": "Team load",
    }
    by_id = {e.id: e for e in timeline}
    order = {e.id: i for i, e in enumerate(timeline)}
    questions = [q for q in review.questions if q.phase is not Phase.INTERVIEW]
    answered = [q for q in questions if q.answer.strip()]
    event_ids = sorted(
        {q.event_id for q in answered if q.event_id in by_id}, key=lambda i: order[str(i)]
    )
    groups = [(by_id[i], [q for q in answered if q.event_id == i]) for i in event_ids]
    general = [q for q in answered if q.event_id not in by_id]
    sense_making = [
        {
            "event": None if event is None else event_ref(event),
            "answers": [{"question": hide(q.text), "answer": hide(q.answer)} for q in items],
        }
        for event, items in [*groups, *([(None, general)] if general else [])]
    ]
    statuses = [a.status for a in review.actions]
    return {
        "title": hide(s.title),
        "severity": hide(s.severity),
        "summary": hide(s.summary),
        "status": s.status.value,
        "timezone": s.tz.key,
        "anonymised": anonymise,
        "window": window,
        "impact": [
            {"label": label, "value": hide(getattr(s.impact, field))}
            for field, label in impact_labels.items()
            if getattr(s.impact, field).strip()
        ],
        "metrics": {
            "detect": format_duration(metrics.time_to_detect_s),
            "mitigate": format_duration(metrics.time_to_mitigate_s),
            "resolve": format_duration(metrics.time_to_resolve_s),
            "known": any(v is not None for v in metrics.as_dict().values()),
        },
        "gap_threshold": format_duration(threshold),
        "longest_gaps": [
            {
                "duration": format_duration(g.seconds),
                "after": event_ref(g.before),
                "before": event_ref(g.after),
            }
            for g in quiet[:3]
        ],
        "picture": picture_block(review),
        "picture_fence": PICTURE_FENCE,
        "narrative": cited,
        "timeline_day": clock.days[0].isoformat() if len(clock.days) == 1 else "",
        "events": [
            {
                **event_ref(e),
                "who": person(e.who),
                "gap_before": format_duration(long_gaps[e.id]) if e.id in long_gaps else "",
            }
            for e in timeline
        ],
        "notes": {
            phase.value.replace("-", "_"): [hide(n.text) for n in review.notes_for(phase)]
            for phase in Phase
        },
        "sense_making": sense_making,
        "went_well": {
            "helped": [hide(w.text) for w in review.went_well if not w.lucky],
            "lucky": [hide(w.text) for w in review.went_well if w.lucky],
        },
        "learnings": [hide(item.text) for item in review.learnings],
        "factors": {
            area.value: [
                {"text": hide(f.text), "tag": hide(f.tag)} for f in review.factors if f.area is area
            ]
            for area in FactorArea
        },
        "tracks_actions": s.tracks_actions,
        "actions": [
            {
                "text": hide(a.text),
                "area": a.area.value if a.area else "",
                "owner": person(a.owner),
                "due": a.due.isoformat() if a.due else "",
                "status": a.status.value,
                "link": hide(a.link),
            }
            for a in review.actions
        ],
        "action_counts": {st.value: statuses.count(st) for st in ActionStatus if st in statuses},
        "ideas": [hide(i.text) for i in review.ideas if i.action_id is None],
        "questions_answered": len(answered),
        "open_questions": [
            {
                "text": hide(q.text),
                "event": None if q.event_id not in by_id else event_ref(by_id[str(q.event_id)]),
            }
            for q in questions
            if not q.answer.strip()
        ],
        "participants": [
            _person(p, names.labels[p.id] if anonymise else p.name) for p in review.participants
        ],
    }


def picture_block(review: Review) -> str:
    """The timeline picture as plain text lines for a fenced block ("" when there is none)."""
    from review_assistant.writeup.picture import incident_picture, picture_lines

    picture = incident_picture(review)
    if picture is None:
        return ""
    return "\n".join(line.rstrip() for line in picture_lines(picture, PICTURE_WIDTH))


def _person(person: Participant, name: str) -> dict[str, str]:
    same = person.role.strip().casefold() == name.strip().casefold()
    return {"name": name, "role": "" if same else person.role}
