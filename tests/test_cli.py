"""The ``review-assistant`` command line, driven end to end through a subprocess.

Every test works on a real SQLite database in its own temporary folder.
"""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ID_LINE = re.compile(r"^[0-9a-f]{12}\n$")
ERROR_PREFIX = "review-assistant: error: "


def cli(
    *args: str,
    data_dir: Path | None,
    home: Path | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m review_assistant [--data-dir DIR] ARGS`` and capture what it prints.

    Without ``home``, ``REVIEW_ASSISTANT_HOME`` points at a folder no test reads, so a
    command that ignored ``--data-dir`` would write where the test does not look.
    """
    if data_dir is None and home is None:
        raise AssertionError("give data_dir or home so the real user data dir is never used")
    env = {**os.environ, "PYTHONUTF8": "1"}
    env.pop("PYTHONPATH", None)
    if home is not None:
        env["REVIEW_ASSISTANT_HOME"] = str(home)
    else:
        assert data_dir is not None
        env["REVIEW_ASSISTANT_HOME"] = str(data_dir / ".env-home-not-used")
    command = [sys.executable, "-m", "review_assistant"]
    if data_dir is not None:
        command += ["--data-dir", str(data_dir)]
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=120,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, f"exit {result.returncode}: {result.stderr}"
    assert "Traceback" not in result.stderr
    return result


def assert_one_line_error(result: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """A clean failure: non-zero exit, one ``error:`` line on stderr, no traceback."""
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(ERROR_PREFIX), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


def new_session(data_dir: Path, *options: str, title: str = "Checkout errors") -> str:
    result = ok(cli("new", "--title", title, *options, data_dir=data_dir))
    assert ID_LINE.match(result.stdout), result.stdout
    return result.stdout.strip()


def add(data_dir: Path, session_id: str, *text: str) -> subprocess.CompletedProcess[str]:
    result = ok(cli("add", session_id, *text, data_dir=data_dir))
    assert result.stdout.startswith("saved "), result.stdout
    return result


def show_json(data_dir: Path, session_id: str) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(
        ok(cli("show", session_id, "--json", data_dir=data_dir)).stdout
    )
    return document


def list_json(data_dir: Path) -> list[dict[str, Any]]:
    summaries: list[dict[str, Any]] = json.loads(
        ok(cli("list", "--json", data_dir=data_dir)).stdout
    )
    return summaries


# -- sessions: new, list, show ----------------------------------------------------------------


def test_new_prints_an_id_that_list_and_show_report(tmp_path: Path) -> None:
    session_id = new_session(
        tmp_path,
        "--severity",
        "SEV2",
        "--started",
        "2026-05-01T14:00",
        "--timezone",
        "Europe/Berlin",
        "--participant",
        "Alex Example:on-call engineer",
        "--participant",
        "Casey Sample:incident commander",
        "--participant",
        "Robin Placeholder",
        title="Checkout errors after a deploy",
    )

    listing = ok(cli("list", data_dir=tmp_path)).stdout
    assert session_id in listing
    assert "Checkout errors after a deploy" in listing

    summaries = list_json(tmp_path)
    assert [s["id"] for s in summaries] == [session_id]
    assert summaries[0]["title"] == "Checkout errors after a deploy"
    assert summaries[0]["severity"] == "SEV2"
    assert summaries[0]["incident_start"] == "2026-05-01T14:00:00+02:00"

    document = show_json(tmp_path, session_id)
    assert {"id", "title", "phase", "participants", "timeline", "metrics"} <= document.keys()
    assert document["id"] == session_id
    assert document["title"] == "Checkout errors after a deploy"
    assert document["phase"] == "level-set"
    assert document["timezone"] == "Europe/Berlin"
    assert [(p["name"], p["role"]) for p in document["participants"]] == [
        ("Alex Example", "on-call engineer"),
        ("Casey Sample", "incident commander"),
        ("Robin Placeholder", ""),
    ]
    assert document["timeline"] == []
    assert document["metrics"] == {
        "time_to_detect_s": None,
        "time_to_mitigate_s": None,
        "time_to_resolve_s": None,
        "long_gap_threshold_s": 900,
        "longest_gaps": [],
    }


def test_a_unique_prefix_selects_a_session_and_ambiguous_or_unknown_ones_fail(
    tmp_path: Path,
) -> None:
    # Ids are random hex: among 17 sessions at least two share a first character.
    ids: list[str] = []
    while len({i[0] for i in ids}) == len(ids) and len(ids) <= 16:
        ids.append(new_session(tmp_path, title=f"Incident number {len(ids)}"))
    shared = next(c for c in "0123456789abcdef" if sum(i.startswith(c) for i in ids) > 1)

    ambiguous = cli("show", shared, "--json", data_dir=tmp_path)
    assert_one_line_error(ambiguous, "matches several sessions")
    assert ambiguous.stdout == ""

    unknown = cli("show", "not-an-id", data_dir=tmp_path)
    assert_one_line_error(unknown, "not-an-id")
    assert unknown.stdout == ""

    target = ids[-1]
    prefix = next(
        target[:n]
        for n in range(1, len(target) + 1)
        if sum(i.startswith(target[:n]) for i in ids) == 1
    )
    assert show_json(tmp_path, prefix)["id"] == target
    assert show_json(tmp_path, prefix.upper())["id"] == target
    assert show_json(tmp_path, target)["id"] == target
    assert {s["id"] for s in list_json(tmp_path)} == set(ids)


# -- data directory: flag and environment variable ---------------------------------------------


def test_review_assistant_home_is_used_without_data_dir(tmp_path: Path) -> None:
    home = tmp_path / "home"
    result = ok(cli("new", "--title", "Found through the env var", data_dir=None, home=home))
    session_id = result.stdout.strip()
    assert (home / "review.db").is_file()
    listed = json.loads(ok(cli("list", "--json", data_dir=None, home=home)).stdout)
    assert [s["id"] for s in listed] == [session_id]


def test_data_dir_flag_wins_over_review_assistant_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    flag_dir = tmp_path / "flag"
    result = ok(cli("new", "--title", "Found through the flag", data_dir=flag_dir, home=home))
    session_id = result.stdout.strip()
    assert (flag_dir / "review.db").is_file()
    assert not (home / "review.db").exists()
    listed = json.loads(ok(cli("list", "--json", data_dir=flag_dir, home=home)).stdout)
    assert [s["id"] for s in listed] == [session_id]


def test_data_dir_may_follow_the_sub_command(tmp_path: Path) -> None:
    home = tmp_path / "home"
    flag_dir = tmp_path / "flag"
    created = ok(
        cli(
            "new",
            "--title",
            "Flag after the command",
            "--data-dir",
            str(flag_dir),
            data_dir=None,
            home=home,
        )
    )
    session_id = created.stdout.strip()
    assert (flag_dir / "review.db").is_file()
    shown = ok(
        cli("show", session_id, "--json", "--data-dir", str(flag_dir), data_dir=None, home=home)
    )
    assert json.loads(shown.stdout)["title"] == "Flag after the command"
    assert not (home / "review.db").exists()


# -- capture syntax ---------------------------------------------------------------------------


def test_add_files_each_capture_marker_in_the_right_list(tmp_path: Path) -> None:
    session_id = new_session(
        tmp_path, "--started", "2026-05-01T14:00", "--timezone", "Europe/Berlin"
    )
    # Added out of order: the timeline must come back sorted by the moment, not as typed.
    add(tmp_path, session_id, "14:10 something looked odd on the dashboard")
    event = add(tmp_path, session_id, "14:05 detection: pager fired")
    assert "detection: pager fired" in event.stdout
    add(tmp_path, session_id, "2026-05-01T12:12+00:00 escalation: paged the database team")
    add(tmp_path, session_id, "! add a canary stage")
    add(tmp_path, session_id, "+ rollback was quick")
    add(tmp_path, session_id, "+ lucky: traffic was low")
    add(tmp_path, session_id, "avoid: config change had no second reviewer")
    add(tmp_path, session_id, "detect: no alert on pool saturation")
    add(tmp_path, session_id, "fix: rollback took two approvals")
    add(tmp_path, session_id, "avoid(ownership): nobody owned the pool settings")
    add(tmp_path, session_id, "? what did the dashboard show at 14:05")
    add(tmp_path, session_id, "learning: the pool limit is per host, not per cluster")
    add(tmp_path, session_id, "--phase", "timeline", "the deploy channel was quiet")
    add(tmp_path, session_id, "context from the service owner")

    document = show_json(tmp_path, session_id)
    assert [(e["at"], e["kind"], e["text"]) for e in document["timeline"]] == [
        ("2026-05-01T14:05:00+02:00", "detection", "pager fired"),
        ("2026-05-01T14:10:00+02:00", "other", "something looked odd on the dashboard"),
        ("2026-05-01T12:12:00+00:00", "escalation", "paged the database team"),
    ]
    assert [(i["phase"], i["text"]) for i in document["ideas"]] == [
        ("level-set", "add a canary stage")
    ]
    assert [(w["text"], w["lucky"]) for w in document["went_well"]] == [
        ("rollback was quick", False),
        ("traffic was low", True),
    ]
    assert [(f["area"], f["text"], f["tag"]) for f in document["factors"]] == [
        ("avoid", "config change had no second reviewer", ""),
        ("detect", "no alert on pool saturation", ""),
        ("fix", "rollback took two approvals", ""),
        ("avoid", "nobody owned the pool settings", "ownership"),
    ]
    assert [(q["phase"], q["text"]) for q in document["questions"]] == [
        ("level-set", "what did the dashboard show at 14:05")
    ]
    assert [x["text"] for x in document["learnings"]] == [
        "the pool limit is per host, not per cluster"
    ]
    assert [(n["phase"], n["text"]) for n in document["notes"]] == [
        ("timeline", "the deploy channel was quiet"),
        ("level-set", "context from the service owner"),
    ]


# -- metrics ----------------------------------------------------------------------------------


def test_metrics_are_measured_from_the_earliest_trigger(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, "--started", "2026-05-01T13:55")
    add(tmp_path, session_id, "14:05 trigger: a second, later trigger")
    add(tmp_path, session_id, "15:00 resolution: error rate back to normal")
    add(tmp_path, session_id, "14:30 mitigation: rolled back")
    add(tmp_path, session_id, "14:12 detection: pager fired")
    add(tmp_path, session_id, "14:00 trigger: pool size change deployed")
    metrics = show_json(tmp_path, session_id)["metrics"]
    gaps = metrics.pop("longest_gaps")
    assert metrics == {
        "time_to_detect_s": 720,
        "time_to_mitigate_s": 1800,
        "time_to_resolve_s": 3600,
        "long_gap_threshold_s": 900,  # 3 × the median gap (12.5 min) is longer than 15 min
    }
    # gaps of 5, 7, 18 and 30 minutes: the two of 15 minutes or more, longest first
    assert [(g["seconds"], g["from"][11:16], g["to"][11:16]) for g in gaps] == [
        (1800, "14:30", "15:00"),
        (1080, "14:12", "14:30"),
    ]


def test_a_detection_before_the_trigger_is_ignored(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, "--started", "2026-05-01T13:50")
    add(tmp_path, session_id, "13:55 detection: an unrelated alert")
    add(tmp_path, session_id, "14:00 trigger: pool size change deployed")
    add(tmp_path, session_id, "14:20 detection: pager fired")
    metrics = show_json(tmp_path, session_id)["metrics"]
    assert metrics["time_to_detect_s"] == 1200
    assert metrics["time_to_mitigate_s"] is None
    assert metrics["time_to_resolve_s"] is None


def test_without_a_trigger_every_metric_is_null(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, "--started", "2026-05-01T13:50")
    add(tmp_path, session_id, "14:12 detection: pager fired")
    add(tmp_path, session_id, "14:30 mitigation: rolled back")
    add(tmp_path, session_id, "15:00 resolution: all clear")
    document = show_json(tmp_path, session_id)
    assert len(document["timeline"]) == 3
    metrics = document["metrics"]
    assert [
        metrics[k] for k in ("time_to_detect_s", "time_to_mitigate_s", "time_to_resolve_s")
    ] == [
        None,
        None,
        None,
    ]
    assert [g["seconds"] for g in metrics["longest_gaps"]] == [1800, 1080]  # gaps still count


def test_clock_times_after_midnight_belong_to_the_next_day(tmp_path: Path) -> None:
    session_id = new_session(
        tmp_path, "--started", "2026-07-10T23:50", "--timezone", "Europe/London"
    )
    add(tmp_path, session_id, "23:55 trigger: nightly batch started")
    add(tmp_path, session_id, "00:20 detection: queue depth alert")
    document = show_json(tmp_path, session_id)
    assert [e["at"] for e in document["timeline"]] == [
        "2026-07-10T23:55:00+01:00",
        "2026-07-11T00:20:00+01:00",
    ]
    assert document["metrics"]["time_to_detect_s"] == 1500


def test_metrics_count_real_time_across_a_dst_change(tmp_path: Path) -> None:
    session_id = new_session(
        tmp_path, "--started", "2026-03-29T01:30", "--timezone", "Europe/Berlin"
    )
    add(tmp_path, session_id, "01:45 trigger: certificate rotated")
    add(tmp_path, session_id, "2026-03-29T03:15+02:00 detection: login failures alert")
    document = show_json(tmp_path, session_id)
    assert [e["at"] for e in document["timeline"]] == [
        "2026-03-29T01:45:00+01:00",
        "2026-03-29T03:15:00+02:00",
    ]
    # 02:00 jumped to 03:00, so 01:45 → 03:15 on the wall clock is only 30 minutes.
    assert document["metrics"]["time_to_detect_s"] == 1800


# -- bad input: one clear line, nothing lost ----------------------------------------------------


@dataclass(frozen=True)
class Seeded:
    """A data directory holding one review with content, and what it showed when made."""

    directory: Path
    session_id: str
    show: dict[str, Any]
    listing: list[dict[str, Any]]
    export: str


@pytest.fixture(scope="module")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Seeded:
    directory = tmp_path_factory.mktemp("seeded")
    session_id = new_session(
        directory,
        "--started",
        "2026-05-01T14:00",
        "--timezone",
        "Europe/London",
        "--participant",
        "Alex Example:on-call engineer",
        title="Seeded review",
    )
    add(directory, session_id, "14:00 trigger: pool size change deployed")
    add(directory, session_id, "detect(alerting): no alert on pool saturation")
    add(directory, session_id, "the team was mid-migration")
    export = ok(cli("export", session_id, data_dir=directory)).stdout
    return Seeded(
        directory, session_id, show_json(directory, session_id), list_json(directory), export
    )


@pytest.fixture
def seeded(seeded_template: Seeded, tmp_path: Path) -> Seeded:
    """A private copy of the seeded data directory."""
    directory = tmp_path / "data"
    shutil.copytree(seeded_template.directory, directory)
    return Seeded(
        directory,
        seeded_template.session_id,
        seeded_template.show,
        seeded_template.listing,
        seeded_template.export,
    )


def assert_nothing_lost(seeded: Seeded) -> None:
    assert show_json(seeded.directory, seeded.session_id) == seeded.show
    assert list_json(seeded.directory) == seeded.listing


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        pytest.param(["add", "{id}", "25:99 x"], "25:99", id="clock-out-of-range"),
        pytest.param(["add", "{id}", "10:30am standup"], "10:30am", id="clock-with-am"),
        pytest.param(["add", "{id}", "14:05 detction: x"], "'detection'", id="event-kind-typo"),
        pytest.param(["add", "{id}", "!"], "`!`", id="empty-idea"),
        pytest.param(["add", "{id}", "avoid:"], "avoid", id="empty-factor"),
        pytest.param(["add", "{id}", "--phase", "retro", "a note"], "retro", id="unknown-phase"),
        pytest.param(
            ["new", "--title", "x", "--timezone", "Mars/Base"], "Mars/Base", id="bad-timezone"
        ),
        pytest.param(
            ["new", "--title", "x", "--started", "last tuesday"], "last tuesday", id="bad-started"
        ),
        pytest.param(
            ["new", "--title", "x", "--timezone", "Europe/London", "--started", "2026-03-29T01:30"],
            "does not exist",
            id="started-in-dst-gap",
        ),
        pytest.param(["show", "not-a-session"], "not-a-session", id="show-missing-session"),
        pytest.param(["add", "not-a-session", "a note"], "not-a-session", id="add-missing"),
    ],
)
def test_bad_input_fails_cleanly_and_loses_nothing(
    seeded: Seeded, args: list[str], fragment: str
) -> None:
    result = cli(*(a.replace("{id}", seeded.session_id) for a in args), data_dir=seeded.directory)
    assert_one_line_error(result, fragment)
    assert result.stdout == ""
    assert_nothing_lost(seeded)


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        pytest.param("this is { not json\n", "not valid JSON", id="not-json"),
        pytest.param('{"title": "x", "notes": []}\n', "not a review-assistant", id="not-export"),
        pytest.param("[1, 2, 3]\n", "not a review-assistant", id="json-list"),
    ],
)
def test_import_of_a_file_that_is_not_an_export_fails_cleanly(
    seeded: Seeded, tmp_path: Path, content: str, fragment: str
) -> None:
    source = tmp_path / "incoming.json"
    source.write_text(content, encoding="utf-8")
    result = cli("import", str(source), data_dir=seeded.directory)
    assert_one_line_error(result, fragment)
    assert_nothing_lost(seeded)


def test_import_of_an_export_from_a_newer_version_is_refused(
    seeded: Seeded, tmp_path: Path
) -> None:
    document = json.loads(seeded.export)
    assert document["version"] == 1
    document["version"] = 999
    source = tmp_path / "from-the-future.json"
    source.write_text(json.dumps(document), encoding="utf-8")
    result = cli("import", str(source), data_dir=seeded.directory)
    line = assert_one_line_error(result, "newer", "999")
    assert "upgrade" in line.lower()
    assert_nothing_lost(seeded)


# -- database files that are not ours -----------------------------------------------------------


def test_a_corrupt_database_file_is_refused_and_left_untouched(tmp_path: Path) -> None:
    database = tmp_path / "review.db"
    garbage = random.Random(20260501).randbytes(16384)
    database.write_bytes(garbage)
    for args in (["list"], ["new", "--title", "Would overwrite"], ["demo"]):
        result = cli(*args, data_dir=tmp_path)
        assert_one_line_error(result, "not a usable")
        assert database.read_bytes() == garbage
    assert sorted(p.name for p in tmp_path.iterdir()) == ["review.db"]


def test_a_database_from_a_newer_version_is_refused_and_left_untouched(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, title="Written by an older version")
    database = tmp_path / "review.db"
    with sqlite3.connect(database) as conn:
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = database.read_bytes()
    for args in (["list"], ["show", session_id], ["add", session_id, "a note"]):
        result = cli(*args, data_dir=tmp_path)
        assert_one_line_error(result, "newer")
        assert database.read_bytes() == before


def _make_foreign_database(path: Path) -> None:
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE recipes (name TEXT)")
        conn.execute("INSERT INTO recipes VALUES ('lentil soup')")
    conn.close()


def _tables(path: Path) -> list[tuple[str, ...]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = conn.execute("SELECT name FROM sqlite_master ORDER BY name").fetchall()
        rows = conn.execute("SELECT name FROM recipes").fetchall()
    finally:
        conn.close()
    return [*names, *rows]


def test_a_database_of_another_application_is_refused_and_left_untouched(
    tmp_path: Path,
) -> None:
    database = tmp_path / "review.db"
    _make_foreign_database(database)
    before = database.read_bytes()
    result = cli("list", data_dir=tmp_path)
    assert_one_line_error(result, "recipes", "not review-assistant's")
    result = cli("new", "--title", "Would add tables", data_dir=tmp_path)
    assert_one_line_error(result, "recipes")
    # Not even the journal mode (bytes 18-19 of the header) may change.
    assert database.read_bytes() == before
    assert _tables(database) == [("recipes",), ("lentil soup",)]


def test_a_newer_database_in_rollback_journal_mode_keeps_its_exact_bytes(tmp_path: Path) -> None:
    database = tmp_path / "review.db"
    conn = sqlite3.connect(database)
    with conn:
        conn.execute("CREATE TABLE sessions (id TEXT PRIMARY KEY)")
        conn.execute("PRAGMA user_version = 999")
    conn.close()
    before = database.read_bytes()
    assert before[18:20] == b"\x01\x01"  # a rollback-journal database, not WAL
    result = cli("list", data_dir=tmp_path)
    assert_one_line_error(result, "newer")
    assert database.read_bytes() == before


# -- untrusted text ---------------------------------------------------------------------------


def test_a_million_character_note_from_stdin_round_trips_exactly(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    line = 'pasted log: ünïcödé ✓ 🚀 [red]x[/] "quoted" \\ back\\slash\ttab\n'
    text = ("Pasted log follows\n" + line * (1_000_000 // len(line) + 1))[:999_999] + "."
    assert len(text) == 1_000_000
    saved = ok(cli("add", session_id, "-", data_dir=tmp_path, stdin=text))
    assert saved.stdout.startswith("saved note: Pasted log follows")
    assert len(saved.stdout) < 200  # the acknowledgement is one short line, not the paste

    exported = json.loads(ok(cli("export", session_id, data_dir=tmp_path)).stdout)
    assert len(exported["notes"]) == 1
    assert exported["notes"][0]["text"] == text


HOSTILE = "\x1b[31mred\x1b[0m alert \x07bell \x08back \x7fdel \x9b2J csi"
HOSTILE_TITLE = "\x1b]0;renamed terminal\x07Outage \x1b[2J"


def test_control_characters_are_saved_exactly_and_printed_as_symbols(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, title=HOSTILE_TITLE)
    saved = ok(cli("add", session_id, HOSTILE, data_dir=tmp_path))
    assert saved.stdout.startswith("saved note: ")
    assert "\x1b" not in saved.stdout
    warning = saved.stderr.splitlines()
    assert len(warning) == 1, saved.stderr
    assert "6 control character" in warning[0]

    shown = ok(cli("show", session_id, data_dir=tmp_path)).stdout
    listed = ok(cli("list", data_dir=tmp_path)).stdout
    for output in (shown, listed):
        for raw in ("\x1b", "\x07", "\x08", "\x7f", "\x9b"):
            assert raw not in output
    assert "\u241b[31mred\u241b[0m alert" in shown  # ESC shown as the symbol ␛
    assert "Outage" in listed

    document = show_json(tmp_path, session_id)
    assert document["title"] == HOSTILE_TITLE
    assert [n["text"] for n in document["notes"]] == [HOSTILE]
    assert list_json(tmp_path)[0]["title"] == HOSTILE_TITLE


def test_markup_like_text_is_stored_and_shown_literally(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, title="[bold]Not bold[/bold]")
    texts = ["[/]", "[@click=app.quit]", "[bold]x[/bold]"]
    for text in texts:
        add(tmp_path, session_id, text)
    shown = ok(cli("show", session_id, data_dir=tmp_path)).stdout
    for text in texts:
        assert f"  • {text}\n" in shown
    assert shown.startswith("[bold]Not bold[/bold]  [")
    document = show_json(tmp_path, session_id)
    assert [n["text"] for n in document["notes"]] == texts
    assert document["title"] == "[bold]Not bold[/bold]"


# -- export and import ------------------------------------------------------------------------


def assert_round_trip(data_dir: Path, session_id: str, out_dir: Path) -> None:
    """export -o, import, export again: identical apart from the session id."""
    target = out_dir / "exported.json"
    written = ok(
        cli("export", session_id, "--format", "json", "-o", str(target), data_dir=data_dir)
    )
    assert written.stdout == ""
    first = target.read_text(encoding="utf-8")
    assert json.loads(first)["session"]["id"] == session_id

    to_stdout = ok(cli("export", session_id, data_dir=data_dir)).stdout
    assert to_stdout == first

    imported = ok(cli("import", str(target), data_dir=data_dir))
    assert ID_LINE.match(imported.stdout), imported.stdout
    new_id = imported.stdout.strip()
    assert new_id != session_id

    second = ok(cli("export", new_id, data_dir=data_dir)).stdout
    assert first.count(session_id) == 1
    assert second == first.replace(session_id, new_id)
    # The original is still there, beside its copy.
    assert {s["id"] for s in list_json(data_dir)} >= {session_id, new_id}


def test_export_import_export_is_lossless(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    session_id = new_session(
        data_dir,
        "--severity",
        "SEV1",
        "--started",
        "2026-03-29T00:40",
        "--timezone",
        "Europe/Berlin",
        "--participant",
        "Alex Example:on-call engineer",
        "--participant",
        "Casey Sample:database owner",
        title="Login failures — certificate rotation",
    )
    add(data_dir, session_id, "01:45 trigger: certificate rotated")
    add(data_dir, session_id, "--who", "on-call engineer", "2026-03-29T03:15+02:00 detect: alert")
    add(data_dir, session_id, "avoid(knowledge): only one person knew the rotation steps")
    add(data_dir, session_id, "+ lucky: it was a quiet night")
    add(data_dir, session_id, "? what did the alert say")
    add(data_dir, session_id, "learning: expiry dates lived in two places")
    add(data_dir, session_id, "! automate the rotation")
    add(data_dir, session_id, "--phase", "timeline", "note with [bold]markup[/] and ünïcödé ✓")
    ok(cli("add", session_id, "-", data_dir=data_dir, stdin="line one\nline two\x1b[0m\n"))
    assert_round_trip(data_dir, session_id, tmp_path)


def test_the_demo_review_round_trips(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    session_id = ok(cli("demo", data_dir=data_dir)).stdout.strip()
    assert_round_trip(data_dir, session_id, tmp_path)


# -- demo, guides, questions --------------------------------------------------------------------


def test_demo_creates_a_full_review_once(tmp_path: Path) -> None:
    created = ok(cli("demo", data_dir=tmp_path))
    assert ID_LINE.match(created.stdout), created.stdout
    session_id = created.stdout.strip()
    document = show_json(tmp_path, session_id)
    assert len(document["timeline"]) >= 10
    assert len(document["interviews"]) >= 2
    assert {f["area"] for f in document["factors"]} == {"avoid", "detect", "fix"}

    again = ok(cli("demo", "--if-empty", data_dir=tmp_path))
    assert again.stdout == ""
    assert [s["id"] for s in list_json(tmp_path)] == [session_id]


def test_demo_if_empty_creates_one_in_an_empty_store(tmp_path: Path) -> None:
    created = ok(cli("demo", "--if-empty", data_dir=tmp_path))
    assert ID_LINE.match(created.stdout), created.stdout
    assert [s["id"] for s in list_json(tmp_path)] == [created.stdout.strip()]


def test_guide_prints_the_phase_guide(tmp_path: Path) -> None:
    result = ok(cli("guide", "timeline", data_dir=tmp_path))
    assert result.stdout.startswith("# Timeline walk\n")
    assert "\n## Questions\n" in result.stdout
    expected = (REPO_ROOT / "guides" / "timeline.md").read_text(encoding="utf-8")
    assert result.stdout.rstrip("\n") == expected.rstrip("\n")


def test_questions_lists_the_bank_with_tags(tmp_path: Path) -> None:
    questions = json.loads(ok(cli("questions", "--json", data_dir=tmp_path)).stdout)
    assert len(questions) >= 60
    assert len({q["id"] for q in questions}) == len(questions)
    for question in questions:
        assert question["tags"], question
        assert question["text"].strip(), question
    gap = json.loads(ok(cli("questions", "--tag", "gap", "--json", data_dir=tmp_path)).stdout)
    assert gap
    assert all("gap" in q["tags"] for q in gap)
    assert len(gap) == sum("gap" in q["tags"] for q in questions)
    assert len(gap) < len(questions)


# -- help, version, usage errors ----------------------------------------------------------------


def test_help_and_version(tmp_path: Path) -> None:
    helped = ok(cli("--help", data_dir=tmp_path))
    assert helped.stdout.startswith("usage: review-assistant")
    for command in ("new", "list", "show", "add", "export", "import", "demo", "guide"):
        assert command in helped.stdout

    version = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    shown = ok(cli("--version", data_dir=tmp_path))
    assert shown.stdout == f"review-assistant {version['project']['version']}\n"


def test_an_unknown_sub_command_is_a_usage_error(tmp_path: Path) -> None:
    result = cli("frobnicate", data_dir=tmp_path)
    assert result.returncode == 2
    assert_one_line_error(result, "frobnicate")
    assert result.stdout == ""
