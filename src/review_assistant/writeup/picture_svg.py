"""The timeline picture as a self-contained SVG for HTML exports.

Made for print as much as for screens: no background, stages told apart by lightness and
pattern as well as colour and labelled in words, a title and description for screen readers.
Output is deterministic (coordinates rounded to 0.1) so it can be compared byte for byte.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import datetime
from xml.sax.saxutils import escape

from review_assistant.domain.times import format_duration
from review_assistant.writeup.picture import (
    Picture,
    Stage,
    axis_ticks,
    metrics_sentence,
    stage_label,
)

WIDTH, HEIGHT = 720, 140
LEFT, RIGHT = 20.0, 700.0
BAND_TOP, BAND_HEIGHT = 20.0, 28.0
CONTEXT_TOP, CONTEXT_HEIGHT = 31.0, 6.0
LABEL_ROWS = (68.0, 80.0)
GAP_Y, AXIS_Y = 86.0, 110.0
INK, MUTED = "#111111", "#555555"
FILLS = {"context": "#d4d4d4", "mitigated": "#e6f4e6"}

Scale = Callable[[datetime], float]


def _n(value: float) -> str:
    text = f"{round(value, 1) + 0.0:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _esc(text: str) -> str:
    return escape(text, {'"': "&quot;"})


def _text_width(text: str, size: float) -> float:
    return len(text) * size * 0.6


def _text(x: float, y: float, text: str, *, size: float = 10, anchor: str = "middle") -> str:
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{_n(size)}" text-anchor="{anchor}">'
        f"{_esc(text)}</text>"
    )


_PLACEHOLDER = "rap-00000000"


def render_svg(picture: Picture) -> str:
    ident = _PLACEHOLDER
    span = picture.span_s

    def x(at: datetime) -> float:
        if span <= 0:
            return (LEFT + RIGHT) / 2
        return LEFT + (at - picture.start).total_seconds() / span * (RIGHT - LEFT)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="sans-serif" fill="{INK}">',
        f'<title id="{ident}-title">{_esc("Incident timeline. " + metrics_sentence(picture))}'
        "</title>",
        f'<desc id="{ident}-desc">{_esc(_description(picture))}</desc>',
        _defs(ident),
    ]
    parts += _stages(picture, ident, x)
    if picture.ticks:
        xs = sorted({_n(x(at)) for at in picture.ticks}, key=float)
        path = "".join(f"M{v} {_n(BAND_TOP + BAND_HEIGHT)}v6" for v in xs)
        parts.append(f'<path d="{path}" stroke="{MUTED}" stroke-width="1" fill="none"/>')
    parts += _milestones(picture, x)
    parts += _gaps(picture, x)
    parts += _axis(picture, x)
    parts.append("</svg>")
    # ids unique to the drawing (two pictures on one page do not clash), yet the same drawing
    # always gets the same ids: a hash of the drawing itself
    drawn = "\n".join(parts)
    digest = hashlib.sha1(drawn.encode(), usedforsecurity=False).hexdigest()[:8]
    return drawn.replace(_PLACEHOLDER, f"rap-{digest}")


def _defs(ident: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{ident}-undetected" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#f4b4b4"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#9b1c1c" stroke-width="2"/></pattern>'
        f'<pattern id="{ident}-responding" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#f7d78b"/>'
        '<circle cx="2.5" cy="2.5" r="1.1" fill="#8a5a00"/></pattern>'
        "</defs>"
    )


def _fill(stage: Stage, ident: str) -> str:
    if stage.key in FILLS:
        return FILLS[stage.key]
    return f"url(#{ident}-{stage.key})"


def _stages(picture: Picture, ident: str, x: Scale) -> list[str]:
    out: list[str] = []
    for stage in picture.stages:
        left, right = x(stage.start), x(stage.end)
        if right - left <= 0:
            continue
        if stage.key == "context":
            out.append(
                f'<rect x="{_n(left)}" y="{_n(CONTEXT_TOP)}" width="{_n(right - left)}" '
                f'height="{_n(CONTEXT_HEIGHT)}" fill="{FILLS["context"]}"/>'
            )
        else:
            dash = ' stroke-dasharray="4 3"' if stage.open_ended else ""
            out.append(
                f'<rect x="{_n(left)}" y="{_n(BAND_TOP)}" width="{_n(right - left)}" '
                f'height="{_n(BAND_HEIGHT)}" fill="{_fill(stage, ident)}" stroke="#333333" '
                f'stroke-width="0.8"{dash}/>'
            )
        label = next((t for t in stage_label(stage) if _text_width(t, 11) <= right - left), None)
        if label:
            out.append(_text((left + right) / 2, BAND_TOP - 6, label, size=11))
    return out


def _milestones(picture: Picture, x: Scale) -> list[str]:
    groups: dict[str, list[str]] = {}
    times: dict[str, datetime] = {}
    for milestone in picture.milestones:
        key = _n(x(milestone.at))
        groups.setdefault(key, []).append(milestone.letter)
        times.setdefault(key, milestone.at)
    out: list[str] = []
    row_ends = [float("-inf")] * len(LABEL_ROWS)
    for key, letters in groups.items():
        at = float(key)
        clock = picture.clock(times[key])
        width = _text_width("/".join(letters) + " " + clock, 10)
        anchor, text_x, left = "middle", at, at - width / 2
        if left < 2:
            anchor, text_x = "start", max(2.0, at - 6)
            left = text_x
        elif left + width > WIDTH - 2:
            anchor, text_x = "end", min(WIDTH - 2.0, at + 6)
            left = text_x - width
        row = next((r for r, end in enumerate(row_ends) if left > end + 4), len(LABEL_ROWS) - 1)
        row_ends[row] = left + width
        out.append(
            f'<path d="M{key} {_n(BAND_TOP - 2)}V{_n(LABEL_ROWS[0] - 10)}" stroke="{INK}" '
            'stroke-width="1.5" fill="none"/>'
        )
        out.append(
            f'<text x="{_n(text_x)}" y="{_n(LABEL_ROWS[row])}" font-size="10" '
            f'text-anchor="{anchor}"><tspan font-weight="bold">{_esc("/".join(letters))}</tspan> '
            f"{_esc(clock)}</text>"
        )
    return out


def _gaps(picture: Picture, x: Scale) -> list[str]:
    out: list[str] = []
    for gap in picture.gaps:
        left, right = x(gap.before.at), x(gap.after.at)
        out.append(
            f'<path d="M{_n(left)} {_n(GAP_Y)}v5H{_n(right)}v-5" stroke="{MUTED}" '
            'stroke-width="1" fill="none"/>'
        )
        for label in (f"gap {format_duration(gap.seconds)}", format_duration(gap.seconds)):
            if _text_width(label, 9) <= right - left + 8:
                out.append(_text((left + right) / 2, GAP_Y + 15, label, size=9))
                break
    return out


def _axis(picture: Picture, x: Scale) -> list[str]:
    y = _n(AXIS_Y)
    out = [f'<path d="M{_n(LEFT)} {y}H{_n(RIGHT)}" stroke="#333333" stroke-width="1"/>']
    first, last = picture.clock(picture.start), picture.clock(picture.end)
    if picture.span_s <= 0:
        out.append(f'<path d="M{_n((LEFT + RIGHT) / 2)} {y}v4" stroke="#333333"/>')
        out.append(_text((LEFT + RIGHT) / 2, AXIS_Y + 16, first))
        return out
    out.append(_text(LEFT, AXIS_Y + 16, first, anchor="start"))
    out.append(_text(RIGHT, AXIS_Y + 16, last, anchor="end"))
    used = LEFT + _text_width(first, 10)
    limit = RIGHT - _text_width(last, 10)
    marks = [LEFT, RIGHT]
    for at, label in axis_ticks(picture, 6):
        centre, half = x(at), _text_width(label, 10) / 2
        marks.append(centre)
        if centre - half > used + 6 and centre + half < limit - 6:
            out.append(_text(centre, AXIS_Y + 16, label))
            used = centre + half
    path = "".join(f"M{_n(v)} {y}v4" for v in marks)
    out.append(f'<path d="{path}" stroke="#333333" stroke-width="1"/>')
    return out


def _description(picture: Picture) -> str:
    zone = picture.tz.key
    parts = [
        f"Timeline from {picture.clock(picture.start)} to {picture.clock(picture.end)} "
        f"({zone}), {picture.event_count} event{'s' if picture.event_count != 1 else ''}.",
        metrics_sentence(picture),
    ]
    stages = [stage_label(s)[0] for s in picture.stages if s.key != "context"]
    if stages:
        parts.append("Stages: " + "; ".join(stages) + ".")
    if picture.milestones:
        marks = [f"{m.label} at {picture.clock(m.at)}" for m in picture.milestones]
        parts.append(marks[0][0].upper() + ", ".join(marks)[1:] + ".")
    if picture.gaps:
        quiet = [
            f"{format_duration(g.seconds)} from {picture.clock(g.before.at)} "
            f"to {picture.clock(g.after.at)}"
            for g in picture.gaps
        ]
        parts.append("Longest gaps between events: " + "; ".join(quiet) + ".")
    return " ".join(parts)
