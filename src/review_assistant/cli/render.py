"""How the command line shows reviews: plain text for people, JSON for scripts."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from review_assistant.domain.metrics import compute_metrics, long_gap_threshold, long_gaps
from review_assistant.domain.models import FactorArea, Review, TimelineEvent
from review_assistant.domain.phases import PHASES, phase_def
from review_assistant.domain.text import printable
from review_assistant.domain.times import format_duration
from review_assistant.store import SessionSummary


def event_json(event: TimelineEvent) -> dict[str, Any]:
    return {
        "id": event.id,
        "at": event.at.isoformat(),
        "kind": event.kind.value,
        "text": event.text,
        "who": event.who,
        "source": event.source,
    }


def review_json(review: Review) -> dict[str, Any]:
    """The ``show --json`` document."""
    s = review.session
    dump = review.model_dump(mode="json")
    interviews = []
    for interview in review.interviews:
        person = review.participant(interview.participant_id)
        interviews.append(
            {
                "id": interview.id,
                "participant_id": interview.participant_id,
                "participant": person.name if person else "",
                "conducted_at": interview.conducted_at.isoformat()
                if interview.conducted_at
                else None,
                "notes": [n.text for n in review.notes if n.interview_id == interview.id],
                "events": [
                    event_json(e)
                    for e in sorted(review.events, key=lambda e: e.at)
                    if e.interview_id == interview.id
                ],
            }
        )
    return {
        "id": s.id,
        "title": s.title,
        "severity": s.severity,
        "status": s.status.value,
        "phase": s.phase.value,
        "timezone": s.timezone,
        "incident_start": s.incident_start.isoformat() if s.incident_start else None,
        "incident_end": s.incident_end.isoformat() if s.incident_end else None,
        "summary": s.summary,
        "impact": s.impact.model_dump(),
        "anonymise": s.anonymise,
        "meeting_ended_at": s.meeting_ended_at.isoformat() if s.meeting_ended_at else None,
        "pulse": {"learned_something_new": s.pulse_learned, "would_come_again": s.pulse_again},
        "tracks_actions": s.tracks_actions,
        "participants": dump["participants"],
        "timeline": [event_json(e) for e in review.timeline()],
        "metrics": metrics_json(review),
        "interviews": interviews,
        "notes": [n for n in dump["notes"] if n["interview_id"] is None],
        "questions": dump["questions"],
        "went_well": dump["went_well"],
        "learnings": dump["learnings"],
        "factors": dump["factors"],
        "ideas": dump["ideas"],
        "actions": dump["actions"],
        "created_at": dump["session"]["created_at"],
        "updated_at": dump["session"]["updated_at"],
    }


def metrics_json(review: Review) -> dict[str, Any]:
    """Time to detect / mitigate / resolve (seconds) and the shared timeline's longest gaps."""
    timeline = review.timeline()
    threshold = long_gap_threshold(timeline)
    return {
        **compute_metrics(review.events).as_dict(),
        "long_gap_threshold_s": threshold,
        "longest_gaps": [
            {
                "seconds": g.seconds,
                "from": g.before.at.isoformat(),
                "to": g.after.at.isoformat(),
                "after_event": g.before.id,
                "before_event": g.after.id,
            }
            for g in long_gaps(timeline)[:5]
        ],
    }


def summary_json(summary: SessionSummary) -> dict[str, Any]:
    return {
        "id": summary.id,
        "title": summary.title,
        "severity": summary.severity,
        "status": summary.status,
        "phase": summary.phase.value,
        "incident_start": summary.incident_start.isoformat() if summary.incident_start else None,
        "open_actions": summary.open_actions,
        "pulse": {
            "learned_something_new": summary.pulse_learned,
            "would_come_again": summary.pulse_again,
        },
        "updated_at": summary.updated_at.isoformat(),
    }


def _local(moment: datetime | None, review: Review, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if moment is None:
        return "—"
    return moment.astimezone(review.session.tz).strftime(fmt)


def list_text(summaries: Iterable[SessionSummary]) -> str:
    rows = [
        f"{s.id}  {(s.incident_start.strftime('%Y-%m-%d') if s.incident_start else '—'):10}  "
        f"{printable(s.severity or '—'):6}  {s.phase.value:12}  {s.open_actions:>3} open  "
        f"{printable(s.title)}"
        for s in summaries
    ]
    if not rows:
        return "No reviews yet. Start one with `review-assistant new --title ...` or try `demo`."
    header = f"{'id':12}  {'incident':10}  {'sev':6}  {'phase':12}  {'actions':>8}  title"
    return "\n".join([header, *rows])


def review_text(review: Review) -> str:
    s = review.session
    out: list[str] = [
        f"{printable(s.title)}  [{s.id}]",
        f"{printable(s.severity or 'no severity')} · {s.status.value} · phase: "
        f"{phase_def(s.phase).title} · {s.timezone}",
        f"Incident: {_local(s.incident_start, review)} → {_local(s.incident_end, review)}",
    ]
    if s.meeting_ended_at is not None:
        yes_no = {True: "yes", False: "no", None: "not asked"}
        out.append(
            f"Review meeting ended {_local(s.meeting_ended_at, review)} · learned something new: "
            f"{yes_no[s.pulse_learned]} · would come again: {yes_no[s.pulse_again]}"
        )
    if s.summary:
        out += ["", printable(s.summary)]
    if not s.impact.is_empty():
        out += ["", "Impact"]
        for label, value in s.impact.model_dump().items():
            if value:
                out.append(f"  {label.replace('_', ' ')}: {printable(value)}")
    if review.participants:
        out += ["", "Participants"]
        for p in review.participants:
            alias = f" (shown as {printable(p.alias)})" if p.alias else ""
            out.append(f"  {printable(p.name)} — {printable(p.role or 'no role')}{alias}")
    metrics = compute_metrics(review.events)
    out += [
        "",
        "Timeline",
        *(
            f"  {_local(e.at, review, '%m-%d %H:%M')}  {e.kind.value:13}  "
            f"{printable(e.who) + ': ' if e.who else ''}{printable(e.text)}"
            for e in review.timeline()
        ),
        f"  time to detect {format_duration(metrics.time_to_detect_s)} · "
        f"mitigate {format_duration(metrics.time_to_mitigate_s)} · "
        f"resolve {format_duration(metrics.time_to_resolve_s)}",
        *(
            f"  quiet for {format_duration(g.seconds)}: "
            f"{_local(g.before.at, review, '%H:%M')} → {_local(g.after.at, review, '%H:%M')}"
            for g in long_gaps(review.timeline())[:3]
        ),
    ]
    for definition in PHASES:
        notes = review.notes_for(definition.phase)
        if notes:
            out += ["", f"Notes — {definition.title}", *(f"  • {printable(n.text)}" for n in notes)]
    for interview in review.interviews:
        person = review.participant(interview.participant_id)
        out += ["", f"Interview — {printable(person.name) if person else 'unknown participant'}"]
        out += [f"  • {printable(n.text)}" for n in review.notes if n.interview_id == interview.id]
        out += [
            f"  {_local(e.at, review, '%H:%M')} {e.kind.value}: {printable(e.text)}"
            for e in sorted(review.events, key=lambda e: e.at)
            if e.interview_id == interview.id
        ]
    if review.questions:
        out += ["", "Questions"]
        for q in review.questions:
            out.append(f"  ? {printable(q.text)}")
            if q.answer:
                out.append(f"    → {printable(q.answer)}")
    if review.went_well:
        out += ["", "What went well"]
        out += [f"  + {'(lucky) ' if w.lucky else ''}{printable(w.text)}" for w in review.went_well]
    if review.learnings:
        out += ["", "Learnings", *(f"  • {printable(x.text)}" for x in review.learnings)]
    if review.factors:
        out += ["", "Contributing factors"]
        for area in FactorArea:
            for factor in (x for x in review.factors if x.area is area):
                tag = f" [{printable(factor.tag)}]" if factor.tag else ""
                out.append(f"  {area.value:6} {printable(factor.text)}{tag}")
    if review.ideas:
        out += ["", "Parked action ideas"]
        out += [
            f"  ! {printable(i.text)}{' (→ action)' if i.action_id else ''}" for i in review.ideas
        ]
    out += ["", "Action items"]
    if not s.tracks_actions:
        out.append("  learning review: no actions tracked")
    for a in review.actions:
        due = a.due.isoformat() if a.due else "no due date"
        area_name = a.area.value if a.area else "—"
        owner = printable(a.owner) if a.owner else "no owner"
        out.append(f"  [{a.status.value}] {printable(a.text)} ({area_name}; {owner}; {due})")
    if s.tracks_actions and not review.actions:
        out.append("  none yet")
    return "\n".join(out)
