"""``actions`` and ``action add|set|promote``, driven end to end through a subprocess."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

from test_cli import ID_LINE, assert_one_line_error, cli, new_session, ok, show_json

PAST = "2020-01-15"
FUTURE = "2999-06-30"


def actions_json(data_dir: Path, *options: str) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = json.loads(
        ok(cli("actions", "--json", *options, data_dir=data_dir)).stdout
    )
    return listed


def add_action(data_dir: Path, session_id: str, text: str, *options: str) -> str:
    result = ok(cli("action", "add", session_id, text, *options, data_dir=data_dir))
    assert ID_LINE.match(result.stdout), result.stdout
    return result.stdout.strip()


def test_add_prints_an_id_that_the_listing_shows(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, "--severity", "SEV2", title="Certificate rotation")
    action_id = add_action(
        tmp_path,
        session_id[:6],
        "Alert on certificate expiry",
        "--owner",
        "Platform Engineer",
        "--area",
        "detect",
        "--due",
        PAST,
    )
    other = new_session(tmp_path, title="Checkout latency")
    add_action(tmp_path, other, "Load test the checkout", "--due", FUTURE)

    listed = actions_json(tmp_path)
    assert [a["text"] for a in listed] == ["Alert on certificate expiry", "Load test the checkout"]
    first = listed[0]
    assert first["id"] == action_id
    assert (first["session_id"], first["session_title"], first["session_severity"]) == (
        session_id,
        "Certificate rotation",
        "SEV2",
    )
    assert (first["owner"], first["area"], first["due"], first["status"]) == (
        "Platform Engineer",
        "detect",
        PAST,
        "open",
    )
    assert first["overdue"] is True
    assert first["age_days"] == 0
    assert listed[1]["overdue"] is False

    assert [a["id"] for a in actions_json(tmp_path, "--overdue")] == [action_id]
    assert [a["id"] for a in actions_json(tmp_path, "--owner", "platform engineer")] == [action_id]
    assert [a["text"] for a in actions_json(tmp_path, "--owner", "none")] == [
        "Load test the checkout"
    ]

    table = ok(cli("actions", data_dir=tmp_path)).stdout
    assert action_id[:8] in table
    assert f"{PAST} overdue" in table
    assert "Certificate rotation" in table
    assert "2 actions · 1 overdue" in table


def test_set_changes_status_so_the_action_leaves_the_open_listing(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    action_id = add_action(tmp_path, session_id, "Cache the price lookups", "--due", FUTURE)

    line = ok(
        cli(
            "action",
            "set",
            action_id[:7],
            "--status",
            "done",
            "--owner",
            "Casey Sample",
            data_dir=tmp_path,
        )
    ).stdout
    assert line.count("\n") == 1
    assert line.startswith(f"{action_id} [done] Cache the price lookups")
    assert "Casey Sample" in line

    assert actions_json(tmp_path) == []
    assert "No open action items" in ok(cli("actions", data_dir=tmp_path)).stdout
    [done] = actions_json(tmp_path, "--status", "done")
    assert (done["id"], done["owner"], done["due"]) == (action_id, "Casey Sample", FUTURE)

    ok(cli("action", "set", action_id, "--due", "none", "--owner", "none", data_dir=tmp_path))
    [cleared] = show_json(tmp_path, session_id)["actions"]
    assert (cleared["due"], cleared["owner"], cleared["status"]) == (None, "", "done")


def test_csv_has_the_tracker_columns_and_survives_multi_line_text(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, "--severity", "SEV3", title="Disk full, again")
    add_action(tmp_path, session_id, 'Rotate logs daily\nand alert at 80% "full"', "--area", "fix")

    text = ok(cli("actions", "--csv", data_dir=tmp_path)).stdout
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == [
        "title",
        "description",
        "owner",
        "due_date",
        "status",
        "labels",
        "review",
        "review_id",
        "action_id",
        "area",
        "created",
        "age_days",
    ]
    [row] = list(csv.DictReader(io.StringIO(text, newline="")))
    assert row["title"] == "Rotate logs daily"
    assert row["description"].startswith('Rotate logs daily\nand alert at 80% "full"\n\n')
    assert f"review-assistant open {session_id}" in row["description"]
    assert row["labels"] == "incident-review,area:fix,status:open,sev3"
    assert (row["review"], row["review_id"]) == ("Disk full, again", session_id)


def test_promote_turns_a_parked_demo_idea_into_an_action(tmp_path: Path) -> None:
    session_id = ok(cli("demo", data_dir=tmp_path)).stdout.strip()
    before = show_json(tmp_path, session_id)
    parked = [i for i in before["ideas"] if not i["action_id"]]
    assert len(parked) >= 2

    result = ok(
        cli(
            "action",
            "promote",
            session_id,
            parked[0]["id"][:8],
            "--owner",
            "support lead",
            "--due",
            FUTURE,
            data_dir=tmp_path,
        )
    )
    assert ID_LINE.match(result.stdout), result.stdout
    action_id = result.stdout.strip()

    after = show_json(tmp_path, session_id)
    ideas = {i["id"]: i for i in after["ideas"]}
    assert ideas[parked[0]["id"]]["action_id"] == action_id
    assert all(ideas[i["id"]] == i for i in parked[1:])  # the other ideas stay parked
    [promoted] = [a for a in actions_json(tmp_path) if a["id"] == action_id]
    assert (promoted["text"], promoted["idea_id"], promoted["owner"]) == (
        parked[0]["text"],
        parked[0]["id"],
        "support lead",
    )
    assert promoted["idea_text"] == parked[0]["text"]

    again = cli("action", "promote", session_id, parked[0]["id"], data_dir=tmp_path)
    assert_one_line_error(again, "already action item", action_id)


def test_errors_are_one_line_and_exit_1(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    action_id = add_action(tmp_path, session_id, "Alert on queue depth")

    bad_date = cli(
        "action", "add", session_id, "Something", "--due", "2026-13-01", data_dir=tmp_path
    )
    assert bad_date.returncode == 1
    assert_one_line_error(bad_date, "--due '2026-13-01' is not a date")

    unknown = cli("action", "set", "ffffffff", "--status", "done", data_dir=tmp_path)
    assert unknown.returncode == 1
    assert_one_line_error(unknown, "no action item matches 'ffffffff'")

    nothing = cli("action", "set", action_id, data_dir=tmp_path)
    assert nothing.returncode == 1
    assert_one_line_error(nothing, "nothing to change")

    no_idea = cli("action", "promote", session_id, "abc", data_dir=tmp_path)
    assert no_idea.returncode == 1
    assert_one_line_error(no_idea, "no idea in this review matches 'abc'")

    no_session = cli("action", "add", "000000", "Something", data_dir=tmp_path)
    assert no_session.returncode == 1
    assert_one_line_error(no_session, "no review session matches")
    assert len(actions_json(tmp_path)) == 1
