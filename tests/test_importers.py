"""Timeline imports from CSV, JSON and Slack exports, stored in a real SQLite database.

The ``session`` fixture is a review in Europe/London whose incident started on
2026-03-12 at 13:50 local time (GMT, so UTC+00:00).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from review_assistant.domain.models import MAX_TEXT, EventKind, ReviewSession, TimelineEvent
from review_assistant.importers import (
    ImportReport,
    ParsedTimeline,
    TimelineImportError,
    detect_format,
    import_timeline,
    read_timeline,
)
from review_assistant.store import Store

LONDON = ZoneInfo("Europe/London")


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def problems(report: ImportReport | ParsedTimeline) -> list[tuple[str, str]]:
    return [(p.where, p.reason) for p in report.problems]


def stored(store: Store, session: ReviewSession) -> list[TimelineEvent]:
    return store.items(session.id, TimelineEvent)


# -- CSV --------------------------------------------------------------------------------------


def test_csv_rows_become_events_with_their_time_kind_author_and_source(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "timeline.csv",
        "at,kind,text,who,source\n"
        "14:05,detection,Login error alert fired,on-call engineer,\n"
        "2026-03-12T15:20:00+01:00,MITIGATION , Rolled back the certificate ,Casey Sample,"
        "deploy log\n"
        "2026-03-12 15:00,,Status page updated,,\n",
    )
    report = import_timeline(store, session.id, path)

    assert (report.format, report.file, report.added, report.duplicates) == (
        "csv",
        "timeline.csv",
        3,
        0,
    )
    assert report.problems == [] and report.warnings == []
    events = stored(store, session)
    assert [(e.at.isoformat(), e.kind, e.text, e.who, e.source) for e in events] == [
        (
            "2026-03-12T14:05:00+00:00",
            EventKind.DETECTION,
            "Login error alert fired",
            "on-call engineer",
            "csv timeline.csv:2",
        ),
        (
            "2026-03-12T15:20:00+01:00",
            EventKind.MITIGATION,
            "Rolled back the certificate",
            "Casey Sample",
            "deploy log",
        ),
        (
            "2026-03-12T15:00:00+00:00",
            EventKind.OTHER,
            "Status page updated",
            "",
            "csv timeline.csv:4",
        ),
    ]
    assert all(e.import_key and e.import_key.startswith("row:") for e in events)
    assert len({e.import_key for e in events}) == 3


def test_csv_header_in_any_order_and_case_with_a_bom_and_an_unknown_column(
    session: ReviewSession, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "export.csv",
        "\ufeffText, WHO ,Severity,AT,Kind,\r\n"
        "Pager alert,on-call engineer,high,14:05,Detection,\r\n",
    )
    parsed = read_timeline(path, session)

    assert [(e.text, e.who, e.kind) for e in parsed.events] == [
        ("Pager alert", "on-call engineer", EventKind.DETECTION)
    ]
    assert parsed.warnings == ["export.csv: ignored the unknown columns severity, (unnamed)"]


def test_csv_bad_rows_are_reported_with_their_physical_line_and_good_rows_import(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "timeline.csv",
        "at,kind,text,who\n"
        '14:05,detection,"Alert fired\nfor the login service",on-call engineer\n'  # 2-3
        "14:06,detecton,typo in the kind,\n"  # 4
        "\n"  # 5: blank lines are ignored
        "14:07,,  ,\n"  # 6
        "soon,other,an unreadable time,\n"  # 7
        "14:08,other,one,two,three\n"  # 8
        "14:09,other\n"  # 9
        f"14:10,other,fine text,{'w' * 201}\n"  # 10
        f"14:11,other,{'t' * (MAX_TEXT + 1)},\n"  # 11
        '14:12,other,"quoted "badly,\n'  # 12
        "2026-03-12T14:13Z,mitigation,Rolled back,Casey Sample\n",  # 13
    )
    report = import_timeline(store, session.id, path)

    found = problems(report)
    assert [where for where, _ in found] == [
        "timeline.csv:4",
        "timeline.csv:6",
        "timeline.csv:7",
        "timeline.csv:8",
        "timeline.csv:9",
        "timeline.csv:10",
        "timeline.csv:11",
        "timeline.csv:12",
    ]
    reasons = [reason for _, reason in found]
    assert reasons[0].startswith("unknown kind 'detecton' (kinds: trigger, detection,")
    assert reasons[1] == "the text is empty"
    assert reasons[2].startswith("'soon' is not a time;")
    assert reasons[3] == (
        "the row has 5 fields but the header names 4 (put text that holds commas in double quotes)"
    )
    assert reasons[4] == "the row has 2 fields but the header names 4"
    assert reasons[5] == "'who' is 201 characters long; at most 200 fit"
    assert reasons[6] == f"the text is {MAX_TEXT + 1:,} characters long; at most {MAX_TEXT:,} fit"
    assert "not valid CSV" in reasons[7]
    assert report.added == 2
    assert [(e.text, e.source) for e in stored(store, session)] == [
        ("Alert fired\nfor the login service", "csv timeline.csv:2"),
        ("Rolled back", "csv timeline.csv:13"),
    ]


def test_csv_quote_left_open_is_a_problem_for_its_row(
    session: ReviewSession, tmp_path: Path
) -> None:
    path = write(
        tmp_path, "open.csv", 'at,kind,text\n14:05,other,fine\n14:06,other,"never closed\nmore\n'
    )
    parsed = read_timeline(path, session)
    assert [e.text for e in parsed.events] == ["fine"]
    assert problems(parsed) == [
        ("open.csv:3", "a quoted field is never closed, so the rest of the file could not be read")
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", "\n\n", "empty.csv is empty; the first line must name the columns"),
        ("data.csv", "14:05,other,text\n", "data.csv has no header line"),
        ("nokind.csv", "at,text\n14:05,x\n", "nokind.csv: the header has no 'kind' column"),
        ("twice.csv", "at,kind,text,Text\n", "twice.csv: the header names text more than once"),
        ("latin.csv", "at,kind,text\n14:05,other,caf\xe9\n", "latin.csv is not UTF-8 text"),
    ],
)
def test_csv_files_that_cannot_be_read_fail_with_one_line_naming_the_file(
    session: ReviewSession, tmp_path: Path, name: str, content: str, message: str
) -> None:
    path = write(tmp_path, name, content, encoding="latin-1")
    with pytest.raises(TimelineImportError) as caught:
        read_timeline(path, session)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


def test_a_missing_file_fails_naming_it(session: ReviewSession, tmp_path: Path) -> None:
    with pytest.raises(TimelineImportError, match=r"nowhere\.csv: no such file or folder"):
        read_timeline(tmp_path / "nowhere.csv", session)


# -- times ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("2026-03-12T14:05:00+02:00", "2026-03-12T14:05:00+02:00"),  # offset kept
        ("2026-03-12T14:05Z", "2026-03-12T14:05:00+00:00"),
        ("2026-03-12T14:05:07.250z", "2026-03-12T14:05:07.250000+00:00"),
        ("2026-06-01 09:00", "2026-06-01T09:00:00+01:00"),  # naive: London summer time
        ("2026-01-05T09:00", "2026-01-05T09:00:00+00:00"),
        ("14:05", "2026-03-12T14:05:00+00:00"),  # on the incident's local date
        ("14:05:30", "2026-03-12T14:05:30+00:00"),
        ("+1d 00:10", "2026-03-13T00:10:00+00:00"),
        ("+2D03:00", "2026-03-14T03:00:00+00:00"),
        ("-1d 23:55", "2026-03-11T23:55:00+00:00"),
    ],
)
def test_times_with_an_offset_without_one_and_relative_to_the_incident(
    session: ReviewSession, tmp_path: Path, at: str, expected: str
) -> None:
    path = write(tmp_path, "t.csv", f"at,kind,text\n{at},other,event\n")
    parsed = read_timeline(path, session)
    assert parsed.problems == []
    assert [e.at.isoformat() for e in parsed.events] == [expected]


def test_clock_changes_in_london_need_an_offset(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    spring = store.update_session(
        session.id, incident_start=datetime(2026, 3, 29, 0, 40, tzinfo=LONDON)
    )
    path = write(
        tmp_path,
        "dst.csv",
        "at,kind,text\n"
        "01:30,other,in the spring gap\n"
        "2026-03-29 01:59:30,other,also in the gap\n"
        "2026-10-25 01:30,other,happens twice\n"
        "2026-10-25T01:30+01:00,other,the first 01:30\n"
        "2026-10-25T01:30+00:00,other,the second 01:30\n"
        "02:30,other,after the change\n",
    )
    parsed = read_timeline(path, spring)

    assert problems(parsed) == [
        (
            "dst.csv:2",
            "01:30 does not exist in Europe/London on 2026-03-29: clocks went forward; "
            "give the time with its UTC offset",
        ),
        (
            "dst.csv:3",
            "01:59:30 does not exist in Europe/London on 2026-03-29: clocks went forward; "
            "give the time with its UTC offset",
        ),
        (
            "dst.csv:4",
            "01:30 happens twice in Europe/London on 2026-10-25: clocks went back; give an "
            "offset, 2026-10-25T01:30+01:00 (the first) or 2026-10-25T01:30+00:00 (the second)",
        ),
    ]
    assert [e.at.astimezone(UTC).isoformat() for e in parsed.events] == [
        "2026-10-25T00:30:00+00:00",
        "2026-10-25T01:30:00+00:00",
        "2026-03-29T01:30:00+00:00",
    ]


def test_a_time_without_a_date_needs_the_incident_start(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    undated = store.update_session(session.id, incident_start=None)
    path = write(tmp_path, "t.csv", "at,kind,text\n14:05,other,x\n2026-03-12T14:06Z,other,y\n")
    parsed = read_timeline(path, undated)
    assert [e.text for e in parsed.events] == ["y"]
    assert problems(parsed) == [
        (
            "t.csv:2",
            "'14:05' has no date and the review has no incident start; "
            "set the incident start or give a full date",
        )
    ]


# -- duplicates -------------------------------------------------------------------------------


def test_importing_the_same_rows_again_adds_nothing_even_after_edits(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    rows = "14:05,other,Alert fired,on-call engineer\n14:09,other,Page acknowledged,\n"
    first = write(tmp_path, "timeline.csv", "at,kind,text,who\n" + rows)
    assert import_timeline(store, session.id, first).added == 2

    again = import_timeline(store, session.id, first)
    assert (again.added, again.already, again.duplicates) == (0, 2, 2)

    # the same rows from a renamed file, at other lines and with a repeated row
    alert = next(e for e in stored(store, session) if e.text == "Alert fired")
    store.update(session.id, TimelineEvent, alert.id, kind=EventKind.DETECTION, text="Alert!")
    moved = write(
        tmp_path,
        "renamed.csv",
        "who,text,at,kind\n\n,Page acknowledged,14:09,other\n"
        "on-call engineer,Alert fired,14:05,OTHER\n,Page acknowledged,14:09,other\n"
        ",Rollback started,14:20,mitigation\n",
    )
    report = import_timeline(store, session.id, moved)

    assert (report.added, report.already, report.repeated) == (1, 2, 1)
    events = stored(store, session)
    assert [(e.text, e.kind) for e in events] == [
        ("Alert!", EventKind.DETECTION),
        ("Page acknowledged", EventKind.OTHER),
        ("Rollback started", EventKind.MITIGATION),
    ]


def test_identical_rows_in_one_file_are_imported_once(
    session: ReviewSession, tmp_path: Path
) -> None:
    path = write(tmp_path, "t.csv", "at,kind,text\n14:05,other,x\n14:05,other,x\n14:05,other,y\n")
    parsed = read_timeline(path, session)
    assert [e.text for e in parsed.events] == ["x", "y"]
    assert parsed.repeated == 1


def test_a_dry_run_counts_what_would_be_added_and_writes_nothing(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    path = write(tmp_path, "t.csv", "at,kind,text\n14:05,other,x\n14:06,other,y\n")
    preview = import_timeline(store, session.id, path, dry_run=True)
    assert (preview.added, preview.already, preview.dry_run) == (2, 0, True)
    assert stored(store, session) == []

    import_timeline(store, session.id, path)
    assert import_timeline(store, session.id, path, dry_run=True).already == 2
    assert preview.as_dict()["added"] == 2


def test_control_characters_are_removed_and_newlines_kept(
    session: ReviewSession, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "t.csv",
        'at,kind,text,who\n14:05,other,"red\x1b[31m alert\x00\r\nsecond line\x07",on\tcall\n',
    )
    parsed = read_timeline(path, session)
    assert [(e.text, e.who) for e in parsed.events] == [("red[31m alert\nsecond line", "on call")]
    assert parsed.warnings == ["t.csv: removed 3 control characters"]


# -- JSON -------------------------------------------------------------------------------------


def test_json_list_imports_and_bad_items_are_reported_at_their_line(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    path = write(
        tmp_path,
        "incidents.json",
        "[\n"
        '  {"at": "14:05", "kind": "detection", "text": "Alert fired", "who": "on-call"},\n'
        '  "not an object",\n'
        "  {\n"
        '    "at": 1773324300,\n'
        '    "text": "a number as the time"\n'
        "  },\n"
        '  {"at": "14:06", "kind": "detecton", "text": "typo"},\n'
        '  {"at": "14:07", "kind": "other"},\n'
        '  {"at": "14:08", "text": "no kind given", "who": null, "severity": 2,\n'
        '   "source": "chat log"}\n'
        "]\n",
    )
    report = import_timeline(store, session.id, path)

    assert [where for where, _ in problems(report)] == [
        "incidents.json:3",
        "incidents.json:4",
        "incidents.json:8",
        "incidents.json:9",
    ]
    assert [reason for _, reason in problems(report)][:2] == [
        "not an object with at, kind and text",
        "'at' must be a string, not a number",
    ]
    assert problems(report)[2][1].startswith("unknown kind 'detecton'")
    assert problems(report)[3][1] == "'text' is missing"
    assert report.warnings == ["incidents.json: ignored the unknown fields severity"]
    assert [(e.kind, e.text, e.who, e.source) for e in stored(store, session)] == [
        (EventKind.DETECTION, "Alert fired", "on-call", "json incidents.json:2"),
        (EventKind.OTHER, "no kind given", "", "chat log"),
    ]


def test_json_object_with_a_timeline_list(session: ReviewSession, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "review.json",
        "{\n"
        '  "title": "Login failures",\n'
        '  "notes": [\n'
        '    "first",\n'
        '    {"nested": ["second", "third"]}\n'
        "  ],\n"
        '  "timeline": [\n'
        '    {"at": "2026-03-12T14:05Z", "kind": " Detection ", "text": "Alert"},\n'
        '    {"at": "yesterday", "kind": "other", "text": "x"}\n'
        "  ]\n"
        "}\n",
    )
    parsed = read_timeline(path, session)
    assert parsed.format == "json"
    assert [(e.kind, e.text, e.source) for e in parsed.events] == [
        (EventKind.DETECTION, "Alert", "json review.json:8")
    ]
    assert [where for where, _ in problems(parsed)] == ["review.json:9"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[\n  {"at": "14:05",\n}', "bad.json is not valid JSON (line 3, column 1)"),
        ('{"events": []}', 'bad.json: expected a list of events or an object with a "timeline"'),
        ('"just a string"', "bad.json: expected a list of events"),
        ("[] []", "bad.json is not valid JSON (line 1, column 4): Extra data"),
        ('[{"ts": "1773324300.000100", "text": "hi"}]', "bad.json looks like one day of a Slack"),
    ],
)
def test_json_files_that_cannot_be_read_fail_naming_the_file(
    session: ReviewSession, tmp_path: Path, content: str, message: str
) -> None:
    path = write(tmp_path, "bad.json", content)
    with pytest.raises(TimelineImportError) as caught:
        read_timeline(path, session)
    assert str(caught.value).startswith(message)


def test_formats_are_detected_from_the_path_or_forced(
    session: ReviewSession, tmp_path: Path
) -> None:
    text = write(tmp_path, "notes.txt", '\ufeff  [{"at": "14:05", "kind": "", "text": "x"}]')
    assert detect_format(text) == "json"
    assert detect_format(write(tmp_path, "rows.txt", "at,kind,text\n")) == "csv"
    assert detect_format(tmp_path) == "slack"
    assert read_timeline(text, session).events[0].source == "json notes.txt:1"
    with pytest.raises(TimelineImportError, match="a Slack export is a folder"):
        read_timeline(text, session, fmt="slack")
    with pytest.raises(TimelineImportError, match="is a folder, not a file"):
        read_timeline(tmp_path, session, fmt="csv")
    warned = read_timeline(text, session, channels=["ops"], bots=False)
    assert warned.warnings == [
        "--no-bots only applies to Slack exports; ignored it",
        "--channel only applies to Slack exports; ignored it",
    ]


# -- Slack ------------------------------------------------------------------------------------

USERS = [
    {"id": "U1", "name": "casey", "real_name": "Casey Sample"},
    {"id": "U2", "name": "jd", "profile": {"real_name": "", "display_name": "Jordan Demo"}},
    {"id": "U3", "name": "sam.placeholder"},
]
CHANNELS = [{"id": "C100", "name": "incident"}, {"id": "C200", "name": "ops"}]


def ts(hour: int, minute: int, second: int = 0, micro: int = 0, day: int = 12) -> str:
    moment = datetime(2026, 3, day, hour, minute, second, tzinfo=UTC)
    return f"{int(moment.timestamp())}.{micro:06d}"


def msg(stamp: str, text: str, user: str = "U1", **extra: Any) -> dict[str, Any]:
    return {"type": "message", "ts": stamp, "user": user, "text": text, **extra}


def write_day(folder: Path, day: str, messages: list[Any]) -> Path:
    """One message a line: message ``i`` is on line ``i + 2``."""
    body = ",\n".join(json.dumps(m, ensure_ascii=False) for m in messages)
    return write(folder, f"{day}.json", f"[\n{body}\n]\n")


def slack_export(
    root: Path,
    channels: dict[str, dict[str, list[Any]]],
    users: list[dict[str, Any]] | None = None,
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write(root, "users.json", json.dumps(USERS if users is None else users))
    write(root, "channels.json", json.dumps(CHANNELS))
    for channel, days in channels.items():
        for day, messages in days.items():
            write_day(root / channel, day, messages)
    return root


def texts(events: list[TimelineEvent]) -> list[tuple[str, str]]:
    return [(e.who, e.text) for e in events]


def test_slack_messages_become_other_events_with_author_and_exact_time(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    root = slack_export(
        tmp_path / "export",
        {
            "incident": {
                "2026-03-12": [
                    msg(ts(14, 5, 7, 250), "Login errors are up"),
                    msg(ts(14, 6), "Looking", user="U2"),
                    msg(ts(14, 7), "On it", user="U3"),
                    msg(ts(14, 8), "Here", user="U4", user_profile={"real_name": "Alex Example"}),
                    msg(ts(14, 9), "Who am I", user="U5"),
                ]
            }
        },
    )
    report = import_timeline(store, session.id, root)

    assert (report.format, report.added, report.problems) == ("slack", 5, [])
    events = stored(store, session)
    assert texts(events) == [
        ("Casey Sample", "Login errors are up"),
        ("Jordan Demo", "Looking"),
        ("sam.placeholder", "On it"),
        ("Alex Example", "Here"),
        ("U5", "Who am I"),
    ]
    assert events[0].at == datetime(2026, 3, 12, 14, 5, 7, 250, tzinfo=UTC)
    assert {e.kind for e in events} == {EventKind.OTHER}
    assert {e.source for e in events} == {"slack #incident"}
    assert events[0].import_key == f"slack:C100:{ts(14, 5, 7, 250)}"
    assert report.warnings == [
        "1 Slack user id(s) have no name (users.json has no entry for them); "
        "they are shown by their ids"
    ]


def test_slack_markup_becomes_plain_text(session: ReviewSession, tmp_path: Path) -> None:
    text = (
        "<@U1> see <#C200|ops>, <#C100> and <https://status.example.com|the status page>, "
        "<https://example.com>, <https://example.org|example.org>, "
        "<mailto:oncall@example.com|oncall@example.com> <!here> <!channel> <@U9|someone> "
        "<!subteam^S1|@responders> &lt;b&gt; &amp;lt;@U1&amp;gt; *bold* [x](y)"
    )
    root = slack_export(tmp_path, {"incident": {"2026-03-12": [msg(ts(14, 5), text)]}})
    parsed = read_timeline(root, session)
    assert [e.text for e in parsed.events] == [
        "@Casey Sample see #ops, #incident and the status page (https://status.example.com), "
        "https://example.com, example.org, oncall@example.com @here @channel @someone "
        "@responders <b> &lt;@U1&gt; *bold* [x](y)"
    ]


def test_slack_threads_replies_point_at_their_parent_and_count_once(
    session: ReviewSession, tmp_path: Path
) -> None:
    parent = msg(ts(14, 5), "Rolling back now", thread_ts=ts(14, 5), reply_count=2)
    reply = msg(ts(14, 9), "Rollback done", user="U2", thread_ts=ts(14, 5))
    orphan = msg(ts(0, 2, day=13), "late reply", user="U2", thread_ts=ts(9, 0, day=11))
    root = slack_export(
        tmp_path,
        {
            "incident": {
                "2026-03-12": [parent, reply],
                "2026-03-13": [dict(reply), orphan],  # the reply listed again
            }
        },
    )
    parsed = read_timeline(root, session)
    assert texts(parsed.events) == [
        ("Casey Sample", "Rolling back now"),
        ("Jordan Demo", "↪ (reply to Casey Sample 14:05) Rollback done"),
        ("Jordan Demo", "↪ late reply"),
    ]
    assert parsed.repeated == 0


def test_slack_edits_and_deletions(store: Store, session: ReviewSession, tmp_path: Path) -> None:
    messages = [
        msg(ts(14, 5), "DB is donw", edited={"user": "U1", "ts": ts(14, 6)}),
        msg(ts(14, 7), "first wording"),
        msg(ts(14, 8), "to be deleted"),
        {
            "type": "message",
            "subtype": "message_changed",
            "ts": ts(14, 10),
            "hidden": True,
            "message": msg(ts(14, 7), "second wording"),
        },
        {
            "type": "message",
            "subtype": "message_changed",
            "ts": ts(14, 12),
            "message": msg(ts(14, 7), "final wording"),
        },
        {
            "type": "message",
            "subtype": "message_deleted",
            "ts": ts(14, 11),
            "hidden": True,
            "deleted_ts": ts(14, 8),
        },
        {
            "type": "message",
            "subtype": "message_changed",
            "ts": ts(14, 13),
            "message": msg(ts(9, 0), "edit of a message from another day"),
        },
    ]
    root = slack_export(tmp_path, {"incident": {"2026-03-12": messages}})
    report = import_timeline(store, session.id, root)
    assert texts(stored(store, session)) == [
        ("Casey Sample", "DB is donw (edited)"),
        ("Casey Sample", "final wording (edited)"),
    ]
    assert report.skipped == {"deleted message": 1, "edit of a message not in the export": 1}


def test_slack_bots_are_kept_or_left_out_and_housekeeping_is_always_left_out(
    session: ReviewSession, tmp_path: Path
) -> None:
    messages = [
        msg(ts(14, 0), "", subtype="channel_join"),
        msg(ts(14, 1), "set the topic", subtype="channel_topic"),
        {
            "type": "message",
            "subtype": "bot_message",
            "ts": ts(14, 2),
            "username": "Alertbot",
            "text": "CRITICAL: login 5xx",
        },
        {
            "type": "message",
            "ts": ts(14, 3),
            "bot_id": "B1",
            "user": "U7",
            "bot_profile": {"name": "Deploybot"},
            "text": "deploy 42 started",
        },
        {"type": "message", "subtype": "bot_message", "ts": ts(14, 4), "text": "anonymous"},
        msg(ts(14, 5), "", attachments=[{"fallback": "Graph: error rate 12%"}]),
        msg(ts(14, 6), "", files=[{"name": "errors.png"}]),
        msg(ts(14, 7), "   "),
        msg(ts(14, 8), "pinned", subtype="pinned_item"),
        msg(ts(14, 9), "", subtype="channel_join", user="U2"),
    ]
    root = slack_export(tmp_path, {"incident": {"2026-03-12": messages}})

    with_bots = read_timeline(root, session)
    assert texts(with_bots.events) == [
        ("Alertbot", "CRITICAL: login 5xx"),
        ("Deploybot", "deploy 42 started"),
        ("bot", "anonymous"),
        ("Casey Sample", "Graph: error rate 12%"),
        ("Casey Sample", "shared a file: errors.png"),
    ]
    assert with_bots.skipped == {
        "channel join": 2,
        "message without text": 1,
        "pin": 1,
        "topic change": 1,
    }

    without = read_timeline(root, session, bots=False)
    assert [e.text for e in without.events] == [
        "Graph: error rate 12%",
        "shared a file: errors.png",
    ]
    assert without.skipped["bot message"] == 3


def test_slack_channel_selection_and_a_single_channel_folder(
    session: ReviewSession, tmp_path: Path
) -> None:
    root = slack_export(
        tmp_path / "export",
        {
            "incident": {"2026-03-12": [msg(ts(14, 5), "in incident")]},
            "ops": {"2026-03-12": [msg(ts(14, 6), "in ops", user="U2")]},
        },
    )
    everything = read_timeline(root, session)
    assert sorted((e.source, e.text) for e in everything.events) == [
        ("slack #incident", "in incident"),
        ("slack #ops", "in ops"),
    ]
    only_ops = read_timeline(root, session, channels=["#OPS"])
    assert texts(only_ops.events) == [("Jordan Demo", "in ops")]

    with pytest.raises(TimelineImportError) as caught:
        read_timeline(root, session, channels=["#general"])
    assert str(caught.value) == (
        "export: no channel #general in this export; its channels are #incident, #ops"
    )

    folder = read_timeline(root / "ops", session)  # users.json and ids come from the parent
    assert [(e.who, e.import_key) for e in folder.events] == [
        ("Jordan Demo", f"slack:C200:{ts(14, 6)}")
    ]


def test_slack_broken_day_files_and_messages_are_problems_other_days_import(
    session: ReviewSession, tmp_path: Path
) -> None:
    root = slack_export(
        tmp_path,
        {
            "incident": {
                "2026-03-12": [
                    msg(ts(14, 5), "good"),
                    {"type": "message", "text": "no ts"},
                    msg("yesterday", "bad ts"),
                    "a string",
                ],
                "2026-03-14": [msg(ts(9, 0, day=14), "two days later")],
            }
        },
    )
    write(root / "incident", "2026-03-13.json", '[\n  {"ts": "1", "text": "x"\n')
    write(root / "incident", "notes.json", "not a day file, never read")
    parsed = read_timeline(root, session)

    assert [e.text for e in parsed.events] == ["good", "two days later"]
    assert problems(parsed) == [
        ("incident/2026-03-12.json:3", "the message has no ts (its time)"),
        ("incident/2026-03-12.json:4", "ts 'yesterday' is not a Slack timestamp"),
        ("incident/2026-03-12.json:5", "not a message object"),
        (
            "incident/2026-03-13.json:3",
            "not valid JSON (Expecting ',' delimiter, column 1); this day was not imported",
        ),
    ]


def test_slack_folders_that_are_not_exports_fail(session: ReviewSession, tmp_path: Path) -> None:
    write(tmp_path / "empty-export", "users.json", "[]")
    with pytest.raises(TimelineImportError, match="empty-export: no Slack channel files found"):
        read_timeline(tmp_path / "empty-export", session)


def test_slack_reimport_after_rekinding_adds_nothing(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    root = slack_export(
        tmp_path, {"incident": {"2026-03-12": [msg(ts(14, 5), "a"), msg(ts(14, 6), "b")]}}
    )
    assert import_timeline(store, session.id, root).added == 2
    first = stored(store, session)[0]
    store.update(session.id, TimelineEvent, first.id, kind=EventKind.TRIGGER, text="edited")
    again = import_timeline(store, session.id, root)
    assert (again.added, again.already) == (0, 2)
    assert [(e.kind, e.text) for e in stored(store, session)] == [
        (EventKind.TRIGGER, "edited"),
        (EventKind.OTHER, "b"),
    ]


def test_a_ten_thousand_message_export_imports_fully_and_quickly(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    users = [
        {"id": f"U{i}", "name": f"user{i}", "real_name": f"Sample Person {i}"} for i in range(20)
    ]
    start = datetime(2026, 3, 12, tzinfo=UTC)
    channels: dict[str, dict[str, list[Any]]] = {}
    for c, channel in enumerate(("incident", "ops")):
        channels[channel] = {}
        for d in range(5):
            day = start + timedelta(days=d)
            messages: list[Any] = [
                msg(f"{int(day.timestamp()) + 1}.000000", "", subtype="channel_join")
            ]
            for i in range(1_000):
                stamp = f"{int(day.timestamp()) + 2 + i * 60}.{c:03d}{i % 1000:03d}"
                extra = {"thread_ts": messages[-1]["ts"]} if i % 10 == 9 else {}
                messages.append(
                    msg(stamp, f"<@U{i % 20}> message {i} &amp; more", user=f"U{i % 20}", **extra)
                )
            channels[channel][f"{day:%Y-%m-%d}"] = messages
    root = slack_export(tmp_path / "big", channels, users=users)

    report = import_timeline(store, session.id, root)

    assert (report.added, report.duplicates, report.problems) == (10_000, 0, [])
    assert report.skipped == {"channel join": 10}
    events = stored(store, session)
    assert len(events) == 10_000
    assert sum(e.text.startswith("↪ (reply to Sample Person") for e in events) == 1_000


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("14:05 UTC", "2026-03-13T14:05:00+00:00"),  # the incident's date in UTC
        ("2026-03-12 14:05 GMT", "2026-03-12T14:05:00+00:00"),
        ("2026-03-12 14:05:00 +01:00", "2026-03-12T14:05:00+01:00"),
        ("2026-03-12 14:05 utc", "2026-03-12T14:05:00+00:00"),
        ("14:05", "2026-03-12T14:05:00-04:00"),
    ],
)
def test_times_as_public_timelines_write_them(value: str, expected: str) -> None:
    from review_assistant.importers.times import parse_at

    new_york = ZoneInfo("America/New_York")
    late = ReviewSession(
        title="late evening incident",
        timezone="America/New_York",
        incident_start=datetime(2026, 3, 12, 23, 0, tzinfo=new_york),
    )
    assert parse_at(value, late).isoformat() == expected


def test_kinds_take_the_same_aliases_as_typed_notes(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    source = tmp_path / "aliases.csv"
    source.write_text(
        "at,kind,text\n"
        "2026-03-12T13:00Z,Triggered,deploy\n"
        "2026-03-12T13:10Z, Detected ,alert\n"
        "2026-03-12T13:20Z,mitigated,rollback\n"
        "2026-03-12T13:30Z,RESOLVED,all clear\n"
        "2026-03-12T13:40Z,comms,status page\n",
        encoding="utf-8",
    )
    report = import_timeline(store, session.id, source)
    assert report.problems == []
    kinds = [e.kind for e in sorted(report.events, key=lambda e: e.at)]
    assert kinds == [
        EventKind.TRIGGER,
        EventKind.DETECTION,
        EventKind.MITIGATION,
        EventKind.RESOLUTION,
        EventKind.COMMUNICATION,
    ]


def test_rows_that_once_crashed_are_reported_or_kept_readable(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    source = tmp_path / "odd.csv"
    source.write_text(
        "at,kind,text\n"
        "1826-03-12 14:05,other,a typo in the year\n"  # local mean time: offset with seconds
        "9999-12-31T23:59:59-01:00,other,the end of the calendar\n",
        encoding="utf-8",
    )
    report = import_timeline(store, session.id, source)
    assert [(p.where, "too far" in p.reason) for p in report.problems] == [("odd.csv:3", True)]
    assert report.added == 1
    loaded = store.load_review(session.id)  # the session still loads
    (event,) = loaded.events
    assert event.at.utcoffset() == timedelta(0) and event.text == "a typo in the year"
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(TimelineImportError, match="nested too deeply"):
        import_timeline(store, session.id, nested)


def test_fixing_a_kind_spelling_and_importing_again_adds_nothing(
    store: Store, session: ReviewSession, tmp_path: Path
) -> None:
    source = tmp_path / "kinds.csv"
    source.write_text("at,kind,text\n2026-03-12T13:10Z,detected,alert\n", encoding="utf-8")
    assert import_timeline(store, session.id, source).added == 1
    source.write_text("at,kind,text\n2026-03-12T13:10Z,detection,alert\n", encoding="utf-8")
    again = import_timeline(store, session.id, source)
    assert (again.added, again.already) == (0, 1)
