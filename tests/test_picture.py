"""The timeline picture: its model, the text lines and the SVG."""

from __future__ import annotations

import dataclasses
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta, timezone

import pytest

from review_assistant.demo import build_demo
from review_assistant.domain.models import EventKind, Review, ReviewSession, TimelineEvent
from review_assistant.domain.times import format_duration
from review_assistant.writeup.picture import (
    STYLE_KEYS,
    Picture,
    incident_picture,
    metrics_sentence,
    picture_lines,
    picture_segments,
    picture_svg,
)

K = EventKind
T0 = datetime(2026, 5, 1, 14, 0, tzinfo=UTC)
SVG = "{http://www.w3.org/2000/svg}"


def at(minutes: float, tz: timezone = UTC) -> datetime:
    return (T0 + timedelta(minutes=minutes)).astimezone(tz)


def review(
    *events: tuple[float, EventKind], tz: str = "UTC", title: str = "Checkout errors"
) -> Review:
    return Review(
        session=ReviewSession(title=title, timezone=tz),
        events=[
            TimelineEvent(at=at(minutes), kind=kind, text=f"{kind.value} <b>&amp;</b>")
            for minutes, kind in events
        ],
    )


def picture(*events: tuple[float, EventKind], tz: str = "UTC") -> Picture:
    built = incident_picture(review(*events, tz=tz))
    assert built is not None
    return built


NORMAL = (
    (-20, K.OTHER),
    (0, K.TRIGGER),
    (30, K.DETECTION),
    (45, K.DIAGNOSIS),
    (60, K.MITIGATION),
    (90, K.RESOLUTION),
    (100, K.COMMUNICATION),
)


def stages(pic: Picture) -> list[tuple[str, datetime, datetime, bool, str]]:
    return [(s.key, s.start, s.end, s.open_ended, s.note) for s in pic.stages]


def test_a_normal_incident_has_its_stages_between_the_milestones() -> None:
    pic = picture(*NORMAL)
    assert stages(pic) == [
        ("context", at(-20), at(0), False, ""),
        ("undetected", at(0), at(30), False, ""),
        ("responding", at(30), at(60), False, ""),
        ("mitigated", at(60), at(90), False, ""),
        ("context", at(90), at(100), False, ""),
    ]
    assert [format_duration(s.seconds) for s in pic.stages[1:4]] == ["30m 00s"] * 3
    assert [(m.letter, m.at) for m in pic.milestones] == [
        ("T", at(0)),
        ("D", at(30)),
        ("M", at(60)),
        ("R", at(90)),
    ]
    assert pic.ticks == (at(-20), at(45), at(100))
    assert (pic.start, pic.end, pic.event_count) == (at(-20), at(100), 7)
    assert pic.metrics.as_dict() == {
        "time_to_detect_s": 1800.0,
        "time_to_mitigate_s": 3600.0,
        "time_to_resolve_s": 5400.0,
    }
    assert metrics_sentence(pic) == "Time to detect 30m 00s, to mitigate 1h 00m, to resolve 1h 30m."


def test_nothing_to_draw_without_shared_events() -> None:
    assert incident_picture(review()) is None
    account = review((0, K.TRIGGER))
    account.events[0].interview_id = "abc"
    assert incident_picture(account) is None


def test_missing_detection_runs_open_to_the_last_event() -> None:
    pic = picture((0, K.TRIGGER), (10, K.OTHER), (40, K.OTHER))
    assert stages(pic) == [("undetected", at(0), at(40), True, "not yet detected")]
    text = "\n".join(picture_lines(pic))
    assert "not yet detected" in text
    assert "to mitigate unknown (no mitigation recorded)" in metrics_sentence(pic)
    assert picture_lines(pic)[0].endswith(">")


def test_missing_mitigation_and_resolution() -> None:
    no_mitigation = picture((0, K.TRIGGER), (10, K.DETECTION), (40, K.OTHER))
    assert stages(no_mitigation)[-1] == (
        "responding",
        at(10),
        at(40),
        True,
        "no mitigation recorded",
    )
    no_resolution = picture((0, K.TRIGGER), (10, K.DETECTION), (20, K.MITIGATION), (50, K.OTHER))
    assert stages(no_resolution)[-1] == (
        "mitigated",
        at(20),
        at(50),
        True,
        "no resolution recorded",
    )
    assert no_resolution.metrics.time_to_resolve_s is None
    assert "to resolve unknown (no resolution recorded)" in metrics_sentence(no_resolution)


def test_a_skipped_milestone_ends_its_stage_at_the_next_one() -> None:
    pic = picture((0, K.TRIGGER), (20, K.MITIGATION), (50, K.RESOLUTION))
    assert stages(pic) == [
        ("undetected", at(0), at(20), False, "no detection recorded"),
        ("mitigated", at(20), at(50), False, ""),
    ]
    assert "to detect unknown (no detection recorded), to mitigate 20m 00s" in metrics_sentence(pic)


def test_events_before_the_trigger_are_context_and_do_not_count() -> None:
    pic = picture((-30, K.DETECTION), (-10, K.OTHER), (0, K.TRIGGER), (5, K.DETECTION))
    assert stages(pic)[:2] == [
        ("context", at(-30), at(0), False, ""),
        ("undetected", at(0), at(5), False, ""),
    ]
    assert [(m.letter, m.at) for m in pic.milestones] == [("T", at(0)), ("D", at(5))]
    assert pic.ticks == (at(-30), at(-10))
    assert pic.metrics.time_to_detect_s == 300


def test_without_a_trigger_the_span_is_drawn_and_metrics_are_unknown() -> None:
    pic = picture((0, K.OTHER), (10, K.DETECTION), (50, K.MITIGATION))
    assert not pic.has_trigger
    assert stages(pic) == [("context", at(0), at(50), False, "no trigger recorded")]
    assert [m.letter for m in pic.milestones] == ["D", "M"]
    lines = picture_lines(pic)
    assert "no trigger recorded" in lines[0]
    assert any("time to detect, mitigate and resolve are unknown" in line for line in lines)


def test_an_incident_over_several_days() -> None:
    pic = picture((0, K.TRIGGER), (1200, K.DETECTION), (2400, K.MITIGATION), (4500, K.RESOLUTION))
    assert pic.with_date
    assert format_duration(pic.stages[2].seconds) == "1d 11h 00m"
    lines = picture_lines(pic, 72)
    assert lines[2].startswith("05-01 14:00")
    assert lines[2].endswith("05-04 17:00")
    assert "to resolve 3d 03h 00m" in lines[3]
    assert "|05-02" in lines[2] or "|05-03" in lines[2]


def test_the_same_instants_with_other_offsets_give_the_same_picture() -> None:
    plus2 = timezone(timedelta(hours=2))
    minus5 = timezone(timedelta(hours=-5))
    mixed = review(*NORMAL, tz="Europe/Berlin")
    for number, event in enumerate(mixed.events):
        event.at = event.at.astimezone(plus2 if number % 2 else minus5)
    utc = incident_picture(review(*NORMAL, tz="Europe/Berlin"))
    other = incident_picture(mixed)
    assert utc is not None and other is not None
    assert stages(utc) == stages(other)
    assert utc.milestones == other.milestones
    assert utc.ticks == other.ticks
    for width in (40, 72, 100):
        assert picture_lines(utc, width) == picture_lines(other, width)
    assert picture_svg(utc) == picture_svg(other)
    assert picture_lines(utc)[2].startswith("15:40")  # shown in the session's timezone


def test_all_events_at_one_instant() -> None:
    pic = picture((0, K.TRIGGER), (0, K.DETECTION), (0, K.MITIGATION), (0, K.RESOLUTION))
    assert pic.span_s == 0
    assert pic.position(at(0), 72) == 35
    assert pic.metrics.as_dict() == dict.fromkeys(pic.metrics.as_dict(), 0.0)
    lines = picture_lines(pic, 72)
    assert lines[1].strip() == "TDMR"
    assert lines[2].strip() == "14:00"
    assert "Time to detect 0s, to mitigate 0s, to resolve 0s." in lines
    ET.fromstring(picture_svg(pic))


def test_a_single_trigger() -> None:
    pic = picture((0, K.TRIGGER))
    assert stages(pic) == [("undetected", at(0), at(0), True, "not yet detected")]
    lines = picture_lines(pic, 40)
    assert lines[1].strip() == "T"
    ET.fromstring(picture_svg(pic))


SCENARIOS = [
    NORMAL,
    ((0, K.TRIGGER),),
    ((0, K.OTHER), (3, K.DETECTION)),
    ((0, K.TRIGGER), (0.5, K.DETECTION), (0.7, K.MITIGATION), (5000, K.RESOLUTION)),
    ((0, K.TRIGGER), (1200, K.DETECTION), (2400, K.MITIGATION), (4500, K.RESOLUTION)),
    ((0, K.TRIGGER), (10, K.OTHER), (40, K.OTHER)),
]


@pytest.mark.parametrize("events", SCENARIOS)
def test_lines_never_exceed_the_width(events: tuple[tuple[float, EventKind], ...]) -> None:
    pic = picture(*events, tz="Europe/London")
    for width in range(1, 121):
        lines = picture_lines(pic, width)
        assert all(len(line) <= width for line in lines), width
        if width >= 40:
            assert len(lines) >= 4
            assert "T" in lines[1] or not pic.has_trigger


def test_demo_lines_fit_every_width_and_show_the_marks() -> None:
    pic = incident_picture(build_demo())
    assert pic is not None
    for width in range(40, 121):
        lines = picture_lines(pic, width)
        assert all(len(line) <= width for line in lines)
        assert [c for c in lines[1] if c.isupper()] == ["T", "D", "M", "R"]
        assert lines[2].startswith("13:52") and lines[2].endswith("15:35")


@pytest.mark.parametrize("width", [40, 41, 72, 101, 120])
def test_marks_land_in_the_right_columns(width: int) -> None:
    pic = picture((0, K.TRIGGER), (30, K.DETECTION), (60, K.RESOLUTION))
    marks = picture_lines(pic, width)[1]
    assert marks.index("T") == 0
    assert abs(marks.index("D") - (width - 1) / 2) <= 1
    assert marks.index("R") == width - 1
    assert pic.position(at(0), width) == 0
    assert pic.position(at(60), width) == width - 1
    assert pic.columns([at(0), at(30), at(60)], width) == [
        pic.position(at(m), width) for m in (0, 30, 60)
    ]


def test_axis_ticks_fall_on_round_times() -> None:
    pic = picture((-8, K.OTHER), (0, K.TRIGGER), (95, K.RESOLUTION))
    axis = picture_lines(pic, 72)[2]
    assert axis.startswith("13:52") and axis.endswith("15:35")
    labels = re.findall(r"\|(\d\d:\d\d)", axis)
    assert labels and all(label.endswith(("00", "30")) for label in labels)
    for label in labels:
        column = axis.index("|" + label)
        expected = pic.position(datetime.fromisoformat(f"2026-05-01T{label}+00:00"), 72)
        assert column == expected


def test_long_gaps_are_highlighted_up_to_three() -> None:
    events = [(0, K.TRIGGER), (40, K.DETECTION), (41, K.OTHER), (42, K.OTHER)]
    events += [(80, K.MITIGATION), (81, K.OTHER), (120, K.OTHER), (170, K.RESOLUTION)]
    pic = picture(*events)
    assert [g.seconds / 60 for g in pic.gaps] == [50, 40, 39]
    marks = picture_lines(pic, 100)[1]
    assert "~" in marks and "50m 00s" in marks


def test_segments_use_the_fixed_style_keys_and_match_the_lines() -> None:
    pic = picture(*NORMAL)
    rows = picture_segments(pic, 80)
    assert {key for row in rows for _, key in row} <= set(STYLE_KEYS)
    assert {key for _, key in rows[0]} >= {"undetected", "responding", "mitigated", "context"}
    assert ("T", "mark") in rows[1]
    joined = ["".join(text for text, _ in row).rstrip() for row in rows]
    assert joined == picture_lines(pic, 80)
    assert all(sum(len(text) for text, _ in row) == 80 for row in rows[:3])
    assert picture_segments(pic, 0) == []
    without_key = picture_segments(pic, 80, key=False)
    assert len(without_key) == 4  # bar, marks, axis, metrics


def test_the_text_key_names_what_is_drawn() -> None:
    lines = picture_lines(picture(*NORMAL), 72)
    key = " ".join(lines[4:])
    for entry in ("= undetected", "# responding", "- mitigated", "T trigger", "~ long gap"):
        assert entry in key


def test_svg_is_well_formed_accessible_and_self_contained() -> None:
    pic = incident_picture(build_demo())
    assert pic is not None
    svg = picture_svg(pic)
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 720 140"
    assert root.get("width") == "100%"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    labelled = (root.get("aria-labelledby") or "").split()
    assert labelled == [title.get("id"), desc.get("id")]
    for words in ("time to detect 29m 00s", "to mitigate 1h 06m", "to resolve 1h 28m"):
        assert words in (title.text or "").lower()
        assert words in (desc.text or "").lower()
    assert "Europe/London" in (desc.text or "")
    assert not svg.startswith("<?xml")
    for forbidden in ("<script", "foreignObject", "href", "http://www.w3.org/1999/xlink", "on"):
        if forbidden == "on":
            assert not re.search(r"\son\w+=", svg)
        else:
            assert forbidden not in svg
    texts = " ".join("".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for label in ("undetected 29m 00s", "responding 37m 00s", "T 13:52", "R 15:20", "15:35"):
        assert label in texts


def test_svg_is_deterministic_with_rounded_coordinates() -> None:
    first, second = build_demo(), build_demo()
    a, b = incident_picture(first), incident_picture(second)
    assert a is not None and b is not None
    assert picture_svg(a) == picture_svg(b)
    numbers = re.findall(r'(?:x|y|width|height|x1|x2|y1|y2|cx|cy|r)="(-?[\d.]+)"', picture_svg(a))
    assert numbers and all(re.fullmatch(r"-?\d+(\.\d)?", n) for n in numbers)


def test_svg_prints_well_without_dark_fills() -> None:
    svg = picture_svg(picture(*NORMAL))
    fills = set(re.findall(r'<rect[^>]*fill="(#[0-9a-f]{6})"', svg))

    def lightness(colour: str) -> float:
        red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return (0.299 * red + 0.587 * green + 0.114 * blue) / 255

    assert fills and all(lightness(fill) > 0.6 for fill in fills)
    assert svg.count("<pattern") == 2  # undetected and responding differ by pattern too
    assert "url(#" in svg


def test_svg_escapes_text_and_never_shows_event_text() -> None:
    hostile = review(*NORMAL, title="<script>alert(1)</script> & co")
    pic = incident_picture(hostile)
    assert pic is not None
    svg = picture_svg(pic)
    ET.fromstring(svg)
    assert "<script" not in svg and "<b>" not in svg and "alert" not in svg
    labelled = dataclasses.replace(
        pic, stages=tuple(dataclasses.replace(s, label="a<b&c>\"'") for s in pic.stages)
    )
    escaped = picture_svg(labelled)
    root = ET.fromstring(escaped)
    assert "a&lt;b&amp;c&gt;" in escaped
    assert "a<b&c>" in "".join(root.itertext())


def test_two_thousand_events_draw() -> None:
    """(Speed is measured by bench/bench_writeup.py, not asserted here.)"""
    kinds = list(EventKind)
    many = Review(
        session=ReviewSession(title="Many events", timezone="Europe/Berlin"),
        events=[
            TimelineEvent(at=at((n * 7919) % 21600 / 60), kind=kinds[n % len(kinds)], text="e")
            for n in range(2000)
        ],
    )
    pic = incident_picture(many)
    assert pic is not None and pic.event_count == 2000
    lines = picture_lines(pic, 120)
    assert len(lines) >= 4 and all(len(line) <= 120 for line in lines)
    assert len(ET.fromstring(picture_svg(pic)).findall(f"{SVG}path")) >= 3


def test_the_core_imports_neither_textual_nor_jinja2() -> None:
    code = (
        "import sys\n"
        "from review_assistant.writeup.picture import incident_picture, picture_svg\n"
        "from review_assistant.demo import build_demo\n"
        "picture_svg(incident_picture(build_demo()))\n"
        "print(sorted(m for m in ('textual', 'jinja2') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
