"""`review-assistant lint SESSION [--json]` through a real subprocess."""

from __future__ import annotations

import json
from pathlib import Path

from review_assistant.domain.models import (
    ActionItem,
    Factor,
    FactorArea,
    Note,
    Participant,
    ReviewSession,
)
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from test_cli import assert_one_line_error, cli, ok

NOTE = "Alex Example failed to check the dashboard before deploying."
ACTION = "Be more careful when rotating certificates."


def seed(data_dir: Path) -> tuple[str, Note, ActionItem]:
    session = ReviewSession(title="Login failures after certificate rotation")
    note = Note(phase=Phase.TIMELINE, text=NOTE)
    action = ActionItem(text=ACTION, area=FactorArea.AVOID)
    with Store(data_dir / "review.db") as store:
        store.create_session(
            session, [Participant(name="Alex Example", role="on-call engineer", alias="Engineer A")]
        )
        store.add(session.id, note)
        store.add(session.id, Factor(area=FactorArea.DETECT, text="No alert on expiry."))
        store.add(session.id, action)
    return session.id, note, action


def test_lint_prints_findings_grouped_by_item_and_coverage(tmp_path: Path) -> None:
    session_id, note, action = seed(tmp_path)
    out = ok(cli("lint", session_id[:6], data_dir=tmp_path)).stdout
    assert "exit status is 0 whenever the lint ran" in out
    note_block = out[out.index(f"note {note.id[:8]}") :]
    assert note_block.startswith(f"note {note.id[:8]}  “{NOTE}”\n")
    assert "  person-failure: “Alex Example failed to” — names Alex Example" in note_block
    assert (
        "    suggestion: The on-call engineer did not check the dashboard before deploying."
        in note_block
    )
    action_block = out[out.index(f"action {action.id[:8]}") :]
    assert action_block.startswith(f"action {action.id[:8]}  “{ACTION}”\n")
    assert "  try-harder: “Be more careful” — asks people to try harder" in action_block
    assert "  no-owner: (the item as a whole) — no owner" in action_block
    assert "Action coverage: avoid 1 · detect 0 · fix 0" in out
    assert "Factor coverage: avoid 0 · detect 1 · fix 0" in out
    assert "No action addresses: detect, fix." in out
    assert out.rstrip().endswith("5 findings (3 warnings, 2 for information).")


def test_lint_json_lists_every_finding_with_its_item(tmp_path: Path) -> None:
    session_id, note, action = seed(tmp_path)
    result = ok(cli("lint", session_id, "--json", data_dir=tmp_path))
    report = json.loads(result.stdout)
    assert report["session"] == session_id
    found = [(f["item_kind"], f["item_id"], f["rule"], f["words"]) for f in report["findings"]]
    assert found == [
        ("note", note.id, "person-failure", "Alex Example failed to"),
        ("action", action.id, "try-harder", "Be more careful"),
        ("action", action.id, "no-owner", ""),
        ("review", session_id, "coverage", "detect"),
        ("review", session_id, "coverage", "fix"),
    ]
    first = report["findings"][0]
    assert first["text"] == NOTE and NOTE[first["start"] : first["end"]] == first["words"]
    assert first["suggestion"] == (
        "The on-call engineer did not check the dashboard before deploying."
    )
    assert first["severity"] == "warning" and first["question"].startswith("What made checking")
    assert report["coverage"] == {
        "tracks_actions": True,
        "actions": {"avoid": 1, "detect": 0, "fix": 0, "unassigned": 0},
        "factors": {"avoid": 0, "detect": 1, "fix": 0},
        "missing_areas": ["detect", "fix"],
    }


def test_lint_of_a_clean_review_and_of_an_unknown_one(tmp_path: Path) -> None:
    session = ReviewSession(title="Checkout errors after a pool change")
    with Store(tmp_path / "review.db") as store:
        store.create_session(session, [Participant(name="Casey Sample", role="incident commander")])
        store.add(session.id, Note(phase=Phase.TIMELINE, text="The health check failed to start."))
        for area, text in [
            (FactorArea.AVOID, "Keep pool limits in one config file."),
            (FactorArea.DETECT, "Add a pool saturation alert at 90%."),
            (FactorArea.FIX, "Add a runbook step for raising the pool limit."),
        ]:
            store.add(session.id, ActionItem(text=text, area=area, owner="Casey Sample"))
    out = ok(cli("lint", session.id, data_dir=tmp_path)).stdout
    assert "No blame, hindsight or action-item problems found." in out
    assert "Action coverage: avoid 1 · detect 1 · fix 1" in out
    assert out.rstrip().endswith("0 findings (0 warnings, 0 for information).")
    missing = cli("lint", "ffffffffffff", data_dir=tmp_path)
    assert missing.returncode == 1 and missing.stdout == ""
    assert_one_line_error(missing, "no review session matches 'ffffffffffff'")
