"""``review-assistant timeline import`` end to end through a subprocess, on real SQLite files."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import assert_one_line_error, cli, new_session, ok, show_json

TIMELINE = (
    "at,kind,text,who\n"
    "14:05,detection,Login error alert fired,on-call engineer\n"
    '14:07,detecton,"Paged the\nincident commander",\n'
    "2026-05-01T14:20+02:00,mitigation,Rolled back the certificate,Casey Sample\n"
)


def test_import_reports_bad_rows_by_line_and_adds_the_good_ones_once(tmp_path: Path) -> None:
    session_id = new_session(
        tmp_path, "--started", "2026-05-01T13:50", "--timezone", "Europe/Berlin"
    )
    path = tmp_path / "timeline.csv"
    path.write_text(TIMELINE, encoding="utf-8")

    preview = ok(cli("timeline", "import", session_id, str(path), "--dry-run", data_dir=tmp_path))
    assert preview.stdout.startswith(
        "would import 2 events from timeline.csv (csv); 1 row skipped:"
    )
    assert preview.stdout.rstrip().endswith("dry run: nothing was saved")
    assert show_json(tmp_path, session_id)["timeline"] == []

    first = ok(cli("timeline", "import", session_id[:6], str(path), data_dir=tmp_path))
    lines = first.stdout.splitlines()
    assert lines[0] == "imported 2 events from timeline.csv (csv); 1 row skipped:"
    assert lines[1].startswith("  timeline.csv:3: unknown kind 'detecton' (kinds: trigger,")
    timeline = show_json(tmp_path, session_id)["timeline"]
    assert [(e["at"], e["kind"], e["text"], e["who"], e["source"]) for e in timeline] == [
        (
            "2026-05-01T14:05:00+02:00",
            "detection",
            "Login error alert fired",
            "on-call engineer",
            "csv timeline.csv:2",
        ),
        (
            "2026-05-01T14:20:00+02:00",
            "mitigation",
            "Rolled back the certificate",
            "Casey Sample",
            "csv timeline.csv:5",
        ),
    ]

    again = ok(cli("timeline", "import", session_id, str(path), "--json", data_dir=tmp_path))
    report = json.loads(again.stdout)
    assert report["added"] == 0
    assert report["duplicates"] == report["already_in_review"] == 2
    assert report["problems"] == [
        {
            "file": "timeline.csv",
            "line": 3,
            "reason": "unknown kind 'detecton' (kinds: trigger, detection, escalation, "
            "diagnosis, mitigation, resolution, communication, other)",
        }
    ]


def test_a_file_that_cannot_be_read_fails_with_one_line(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    path = tmp_path / "notes.csv"
    path.write_text("when,what\n14:05,alert\n", encoding="utf-8")

    result = cli("timeline", "import", session_id, str(path), data_dir=tmp_path)

    assert result.returncode == 1
    assert_one_line_error(result, "notes.csv has no header line", "at,kind,text")
    assert result.stdout == ""
