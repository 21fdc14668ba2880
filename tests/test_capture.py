from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from review_assistant.domain.capture import (
    CaptureContext,
    CaptureError,
    EventCapture,
    FactorCapture,
    IdeaCapture,
    LearningCapture,
    NoteCapture,
    QuestionCapture,
    WentWellCapture,
    parse_capture,
)
from review_assistant.domain.models import EventKind, FactorArea

LONDON = ZoneInfo("Europe/London")
CTX = CaptureContext("Europe/London", datetime(2026, 3, 12, 13, 50, tzinfo=LONDON))


def test_plain_text_is_a_note() -> None:
    assert parse_capture("  the pool was saturated  ", CTX) == NoteCapture("the pool was saturated")


def test_clock_time_becomes_event_on_incident_date_and_zone() -> None:
    parsed = parse_capture("14:05 detection: pager fired", CTX)
    assert parsed == EventCapture(
        datetime(2026, 3, 12, 14, 5, tzinfo=LONDON), EventKind.DETECTION, "pager fired"
    )
    assert isinstance(parsed, EventCapture)
    assert parsed.at.utcoffset() is not None


def test_event_without_kind_is_other_and_keeps_colons_in_text() -> None:
    parsed = parse_capture("14:05 DB: connections maxed at 20", CTX)
    assert isinstance(parsed, EventCapture)
    assert parsed.kind is EventKind.OTHER
    assert parsed.text == "DB: connections maxed at 20"


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("trigger", EventKind.TRIGGER),
        ("Mitigated", EventKind.MITIGATION),
        ("comms", EventKind.COMMUNICATION),
    ],
)
def test_kind_words_and_aliases(word: str, kind: EventKind) -> None:
    parsed = parse_capture(f"14:05:30 {word}: something", CTX)
    assert isinstance(parsed, EventCapture)
    assert parsed.kind is kind
    assert parsed.at.second == 30


def test_iso_time_keeps_its_offset() -> None:
    parsed = parse_capture("2026-03-12T15:04:00+02:00 resolution: done", CTX)
    assert isinstance(parsed, EventCapture)
    assert parsed.at.utcoffset() is not None
    assert parsed.at.astimezone(UTC) == datetime(2026, 3, 12, 13, 4, tzinfo=UTC)


def test_iso_time_with_z_and_without_offset() -> None:
    z = parse_capture("2026-03-12T14:00Z trigger: deploy", CTX)
    naive = parse_capture("2026-07-01 14:00 trigger: deploy", CTX)
    assert isinstance(z, EventCapture) and isinstance(naive, EventCapture)
    assert z.at == datetime(2026, 3, 12, 14, 0, tzinfo=UTC)
    # July in London is BST (UTC+1): a time with no offset is read in the incident's zone.
    assert naive.at.astimezone(UTC) == datetime(2026, 7, 1, 13, 0, tzinfo=UTC)


def test_time_after_midnight_lands_on_the_next_day() -> None:
    late = CaptureContext("Europe/London", datetime(2026, 1, 9, 23, 40, tzinfo=LONDON))
    parsed = parse_capture("00:10 detection: alert", late)
    assert isinstance(parsed, EventCapture)
    assert parsed.at == datetime(2026, 1, 10, 0, 10, tzinfo=LONDON)


def test_time_before_midnight_lands_on_the_previous_day() -> None:
    early = CaptureContext("Europe/London", datetime(2026, 1, 10, 0, 20, tzinfo=LONDON))
    parsed = parse_capture("23:55 trigger: cron job started", early)
    assert isinstance(parsed, EventCapture)
    assert parsed.at == datetime(2026, 1, 9, 23, 55, tzinfo=LONDON)


def test_dst_gap_time_is_refused_with_advice() -> None:
    spring = CaptureContext("Europe/London", datetime(2026, 3, 29, 0, 30, tzinfo=LONDON))
    with pytest.raises(CaptureError, match="does not exist"):
        parse_capture("01:30 trigger: batch job", spring)


def test_dst_fold_takes_first_occurrence_and_offsets_differ() -> None:
    autumn = CaptureContext("Europe/London", datetime(2026, 10, 25, 0, 30, tzinfo=LONDON))
    first = parse_capture("01:30 trigger: batch", autumn)
    later = parse_capture("2026-10-25T01:30+00:00 detection: alert", autumn)
    assert isinstance(first, EventCapture) and isinstance(later, EventCapture)
    assert first.at.utcoffset() == timedelta(hours=1)  # the first 01:30 is still summer time
    assert (later.at - first.at).total_seconds() == 3600


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("! add a pool alert", IdeaCapture("add a pool alert")),
        ("+ rollback was fast", WentWellCapture("rollback was fast")),
        ("+lucky: low traffic hour", WentWellCapture("low traffic hour", lucky=True)),
        ("avoid: no peak check", FactorCapture(FactorArea.AVOID, "no peak check")),
        ("DETECT: no alert", FactorCapture(FactorArea.DETECT, "no alert")),
        ("fix(knowledge): one expert", FactorCapture(FactorArea.FIX, "one expert", "knowledge")),
        ("? what did the dashboard show", QuestionCapture("what did the dashboard show")),
        ("learning: pools hide slowness", LearningCapture("pools hide slowness")),
        ("surprise: retries doubled load", LearningCapture("retries doubled load")),
    ],
)
def test_markers(text: str, expected: object) -> None:
    assert parse_capture(text, CTX) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("!", "parks an action idea"),
        ("+   ", "went well"),
        ("?", "question"),
        ("avoid:   ", "factor"),
        ("fix(!!): x", "tag"),
        ("25:99 something", "not a time of day"),
        ("10:30am standup", "not a time"),
        ("2026-13-01T10:00 x", "not a valid date"),
        ("14:05", "needs text"),
        ("14:05 detction: pager", "did you mean 'detection'"),
    ],
)
def test_malformed_markers_raise_clear_errors(text: str, message: str) -> None:
    with pytest.raises(CaptureError, match=message):
        parse_capture(text, CTX)


def test_markup_and_control_text_is_kept_verbatim() -> None:
    text = "[@click=app.quit]quit[/] \x1b[31mred\x1b[0m [bold]x"
    assert parse_capture(text, CTX) == NoteCapture(text)


def test_oversized_note_is_refused() -> None:
    with pytest.raises(CaptureError, match="limit"):
        parse_capture("x" * 2_000_001, CTX)


@pytest.mark.parametrize(
    ("text", "kind", "who", "body"),
    [
        (
            "14:05 detection: @on-call engineer: pager fired",
            EventKind.DETECTION,
            "on-call engineer",
            "pager fired",
        ),
        (
            "14:05 detection @on-call engineer: pager fired",
            EventKind.DETECTION,
            "on-call engineer",
            "pager fired",
        ),
        ("14:05 @sre restarted the pods", EventKind.OTHER, "sre", "restarted the pods"),
        (
            "14:05 comms: @support lead: status page: degraded",
            EventKind.COMMUNICATION,
            "support lead",
            "status page: degraded",
        ),
        (
            "14:05 mail to ops@example.test bounced",
            EventKind.OTHER,
            "",
            "mail to ops@example.test bounced",
        ),
    ],
)
def test_who_after_the_time_or_kind(text: str, kind: EventKind, who: str, body: str) -> None:
    parsed = parse_capture(text, CTX)
    assert isinstance(parsed, EventCapture)
    assert (parsed.kind, parsed.who, parsed.text) == (kind, who, body)


def test_who_alone_is_not_an_event() -> None:
    with pytest.raises(CaptureError, match="needs text"):
        parse_capture("14:05 detection: @on-call:", CTX)
