"""Hostile text through the ``review-assistant`` command line.

Most commands run in-process through the CLI's entry point (``main(argv)``, the same parser
and handlers the installed command uses) so that every corpus string can go through every
command quickly; a few run as real subprocesses to cover the process boundary (standard input
and output encodings, CSV line endings on a real stdout).
"""

from __future__ import annotations

import csv
import functools
import io
import json
import os
import re
import subprocess
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from hostile_corpus import (
    BIG,
    CAPTURED,
    NAMES,
    PEOPLE,
    STORABLE,
    TEXT,
    flat,
    has_raw_control,
    lines,
    shown,
)
from review_assistant.cli.main import main
from review_assistant.domain.models import ActionItem
from review_assistant.domain.text import inert_cell
from review_assistant.store import Store
from review_assistant.store.search import MAX_TERMS
from test_hostile import PageText, live_markup, page_text

ERROR = "review-assistant: error: "
#: Review titles (at most 300 characters) created through ``new --title``.
TITLES = [
    "markup-click-quit",
    "ansi-cursor",
    "control-c0",
    "control-c1-csi",
    "unicode-rtl-override",
    "unicode-bidi-isolates",
    "unicode-emoji-zwj",
    "html-script",
    "jinja-expression",
    "md-front-matter",
    "csv-minus-tab",
    "sql-drop",
    "fts-quote",
    "shell-metacharacters",
    "whitespace-padded",
]
SAVED = re.compile(r"^saved .* \(id ([0-9a-f]{12})\)\n\Z", re.DOTALL)
#: show --json lists that hold captured items, by the kind CAPTURED names.
LISTS = {
    "note": "notes",
    "event": "timeline",
    "idea": "ideas",
    "question": "questions",
    "went_well": "went_well",
    "factor": "factors",
    "learning": "learnings",
}


@dataclass
class Ran:
    code: int
    out: str
    err: str


def run(data_dir: Path, *args: str, stdin: str = "") -> Ran:
    """``review-assistant --data-dir DIR ARGS`` through the CLI's entry point, in-process."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.stdin
    sys.stdin = io.StringIO(stdin)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(["--data-dir", str(data_dir), *args])
    finally:
        sys.stdin = saved
    return Ran(code, out.getvalue(), err.getvalue())


def ok(ran: Ran) -> Ran:
    assert ran.code == 0, ran.err
    return ran


def expected_capture(name: str) -> tuple[str | None, str]:
    return CAPTURED.get(name, ("note", TEXT[name].strip()))


@dataclass
class CliReview:
    """A review built through the CLI: every string added through ``add -`` (as typed, so the
    capture syntax applies), every storable one as an action item, and a few titles."""

    data_dir: Path
    session_id: str
    added: dict[str, Ran] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)
    titled: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, Ran] = field(default_factory=dict)

    def item_id(self, name: str) -> str:
        match = SAVED.match(self.added[name].out)
        assert match, self.added[name].out
        return match[1]

    @functools.cached_property
    def document(self) -> dict[str, Any]:
        parsed: dict[str, Any] = json.loads(self.outputs["show-json"].out)
        return parsed

    @functools.cached_property
    def page(self) -> PageText:
        return page_text(self.outputs["export-html"].out)


@pytest.fixture(scope="module")
def cli_review(tmp_path_factory: pytest.TempPathFactory) -> CliReview:
    data_dir = tmp_path_factory.mktemp("hostile-cli")
    people = [f"--participant={name}:{role}" for name, role in PEOPLE]
    created = ok(
        run(data_dir, "new", "--title", "Checkout errors", "--started=2026-03-12T13:50", *people)
    )
    review = CliReview(data_dir, created.out.strip())
    for name in NAMES:
        review.added[name] = run(data_dir, "add", review.session_id, "-", stdin=TEXT[name])
    for name in TITLES:
        review.titled[name] = ok(run(data_dir, "new", f"--title={TEXT[name]}")).out.strip()
    for name in TITLES[:3]:
        action = ok(run(data_dir, "action", "add", review.session_id, "--", TEXT[name]))
        review.actions[name] = action.out.strip()
    with Store(data_dir / "review.db") as store:  # the rest straight into the store
        for name, text in STORABLE:
            if name not in BIG and name not in review.actions:
                action_item = ActionItem(text=text, owner=text[:200])
                review.actions[name] = store.add(review.session_id, action_item).id
    commands = {
        "show": ("show", review.session_id),
        "show-json": ("show", review.session_id, "--json"),
        "list": ("list",),
        "list-json": ("list", "--json"),
        "lint": ("lint", review.session_id),
        "lint-json": ("lint", review.session_id, "--json"),
        "actions": ("actions",),
        "actions-csv": ("actions", "--csv"),
        "actions-json": ("actions", "--json"),
        "export-json": ("export", review.session_id, "--format", "json"),
        "export-md": ("export", review.session_id, "--format", "md"),
        "export-html": ("export", review.session_id, "--format", "html", "--no-anonymise"),
    }
    for key, args in commands.items():
        review.outputs[key] = ok(run(data_dir, *args))
    return review


# -- add, show --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_add_saves_each_string_or_refuses_it_in_one_line(cli_review: CliReview, name: str) -> None:
    ran = cli_review.added[name]
    kind, body = expected_capture(name)
    assert not has_raw_control(ran.out) and not has_raw_control(ran.err)
    if kind is None:
        assert ran.code == 1 and ran.out == ""
        (line,) = ran.err.splitlines()
        assert line.startswith(ERROR)
        return
    assert ran.code == 0, ran.err
    item_id = cli_review.item_id(name)
    items = {item["id"]: item for item in cli_review.document[LISTS[kind]]}
    assert items[item_id]["text"] == body  # show --json: byte for byte
    warned = "control character" in ran.err
    assert warned == has_raw_control(body.replace("\n", "").replace("\t", ""))


@pytest.mark.parametrize("name", [n for n in NAMES if expected_capture(n)[0] is not None])
def test_show_prints_each_string_with_control_characters_as_symbols(
    cli_review: CliReview, name: str
) -> None:
    assert shown(expected_capture(name)[1]) in cli_review.outputs["show"].out


def test_nothing_printed_holds_a_raw_control_character(cli_review: CliReview) -> None:
    for key in ("show", "list", "lint", "actions", "export-md", "export-html"):
        assert not has_raw_control(cli_review.outputs[key].out), key
    for key, ran in cli_review.outputs.items():
        assert not has_raw_control(ran.err), key


@pytest.mark.parametrize("name", TITLES)
def test_a_hostile_title_is_listed_and_kept(cli_review: CliReview, name: str) -> None:
    session_id = cli_review.titled[name]
    listed = {s["id"]: s["title"] for s in json.loads(cli_review.outputs["list-json"].out)}
    assert listed[session_id] == TEXT[name]
    assert shown(TEXT[name]) in cli_review.outputs["list"].out


def test_add_takes_text_from_arguments_as_well(tmp_path: Path) -> None:
    session_id = ok(run(tmp_path, "new", "--title", "Arguments")).out.strip()
    for name in ("markup-click-quit", "csv-minus-tab", "shell-metacharacters", "control-nul"):
        saved = ok(run(tmp_path, "add", session_id, "--", TEXT[name]))
        assert SAVED.match(saved.out)
    notes = json.loads(ok(run(tmp_path, "show", session_id, "--json")).out)["notes"]
    assert [n["text"] for n in notes] == [
        TEXT["markup-click-quit"],
        TEXT["csv-minus-tab"].strip(),
        TEXT["shell-metacharacters"],
        TEXT["control-nul"],
    ]


# -- search, lint -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", [n for n in NAMES if n not in BIG])
def test_search_takes_each_string_as_plain_words(cli_review: CliReview, name: str) -> None:
    """One argument is the query (as a phrase when it holds spaces and no quotes)."""
    text = TEXT[name]
    ran = run(cli_review.data_dir, "search", "--json", "--limit", "500", "--", text)
    if ran.code:
        assert ran.code == 1 and ran.out == ""
        assert ran.err in {
            f"{ERROR}search: give at least one word\n",
            f"{ERROR}search: too many words: at most {MAX_TERMS}\n",
        }
        return
    hits = json.loads(ran.out)
    kind, body = expected_capture(name)
    if kind == "note":  # the query is the very text of a note
        item_id = cli_review.item_id(name)
        assert any(hit["item_id"] == item_id and hit["text"] == body for hit in hits)


def test_search_results_print_hostile_text_as_symbols(cli_review: CliReview) -> None:
    for name in ("ansi-colour", "control-c1-csi", "control-nul", "markup-click-quit", "fts-near"):
        ran = ok(run(cli_review.data_dir, "search", "--", TEXT[name]))
        assert ran.out.count(" · note · ") >= 1
        assert not has_raw_control(ran.out), name
    words = ok(run(cli_review.data_dir, "search", "pager")).out
    assert "[pager] ␛[31mfired␛[0m" in words  # the match in brackets, the escapes as symbols


def test_lint_reports_on_hostile_text_as_data(cli_review: CliReview) -> None:
    report = json.loads(cli_review.outputs["lint-json"].out)
    notes = {n["id"]: n["text"] for n in cli_review.document["notes"]}
    quoted = [f for f in report["findings"] if f["item_kind"] == "note"]
    assert quoted  # some hostile notes read as blame ("blame the on-call engineer")
    for finding in quoted:
        assert finding["text"] == notes[finding["item_id"]]
        assert finding["text"][finding["start"] : finding["end"]] == finding["words"]
    assert cli_review.outputs["lint"].out.startswith("Lint: Checkout errors")


# -- actions --csv ----------------------------------------------------------------------------


def csv_rows(cli_review: CliReview) -> dict[str, dict[str, str]]:
    rows = list(csv.DictReader(io.StringIO(cli_review.outputs["actions-csv"].out, newline="")))
    return {row["action_id"]: row for row in rows}


@pytest.mark.parametrize("name", [n for n, _ in STORABLE if n not in BIG])
def test_the_csv_for_trackers_keeps_each_action_parseable(cli_review: CliReview, name: str) -> None:
    row = csv_rows(cli_review)[cli_review.actions[name]]
    text = lines(TEXT[name].strip())
    # a cell a spreadsheet would run as a formula starts with an apostrophe
    assert row["description"].startswith(inert_cell(shown(text) + "\n\nFrom the incident review"))
    assert row["owner"] == ("" if name in TITLES[:3] else inert_cell(shown(TEXT[name][:200])))
    listed = {a["id"]: a for a in json.loads(cli_review.outputs["actions-json"].out)}
    assert listed[cli_review.actions[name]]["text"] == TEXT[name]  # --json: as typed
    assert not has_raw_control(row["title"] + row["description"] + row["owner"])


FORMULA = re.compile(r"^[=+\-@\t\r]")


def test_the_csv_for_trackers_neutralises_spreadsheet_formulas(cli_review: CliReview) -> None:
    rows = csv_rows(cli_review)
    formulas = [
        (name, column)
        for name, action_id in cli_review.actions.items()
        for column in ("title", "description", "owner")
        if FORMULA.match(rows[action_id][column])
    ]
    assert formulas == []


# -- export and import ------------------------------------------------------------------------


def test_export_json_holds_every_string_and_imports_back_unchanged(cli_review: CliReview) -> None:
    exported = cli_review.outputs["export-json"].out
    document = json.loads(exported)
    notes = [note["text"] for note in document["notes"]]
    for name in NAMES:
        kind, body = expected_capture(name)
        if kind == "note":
            assert body in notes, name
    imported_id = ok(run(cli_review.data_dir, "import", "-", stdin=exported)).out.strip()
    again = json.loads(ok(run(cli_review.data_dir, "show", imported_id, "--json")).out)
    original = cli_review.document
    for key in ("notes", "timeline", "questions", "went_well", "learnings", "factors", "ideas"):
        assert [item["text"] for item in again[key]] == [item["text"] for item in original[key]]
    assert [(a["text"], a["owner"]) for a in again["actions"]] == [
        (a["text"], a["owner"]) for a in original["actions"]
    ]


@pytest.mark.parametrize("name", [n for n in NAMES if expected_capture(n)[0] == "note"])
def test_the_write_up_exports_show_each_note_as_text(cli_review: CliReview, name: str) -> None:
    assert flat(lines(expected_capture(name)[1])) in cli_review.page.text


def test_the_write_up_exports_hold_no_live_markup(cli_review: CliReview) -> None:
    markdown = cli_review.outputs["export-md"].out
    assert re.search(r"<[A-Za-z/!?]", markdown) is None  # no raw HTML for any renderer
    assert "](" not in markdown.replace("\\](", "")  # no Markdown link or image
    assert "{{ 7*7 }}" in markdown.replace("\\*", "*")  # never evaluated
    assert live_markup(cli_review.page, allowed=frozenset({"meta"})) == []


# -- the assistant from the command line -------------------------------------------------------


def test_suggest_and_draft_print_hostile_text_as_symbols(cli_review: CliReview) -> None:
    session = cli_review.session_id
    for args in (
        ("suggest", session, "--provider", "builtin", "--phase", "timeline"),
        ("draft", session, "--provider", "builtin", "--kind", "summary"),
    ):
        ran = ok(run(cli_review.data_dir, *args))
        assert ran.out and not has_raw_control(ran.out)
    asked = json.loads(
        ok(run(cli_review.data_dir, "suggest", session, "--provider", "builtin", "--json")).out
    )
    assert asked["error"] is None and asked["questions"]


# -- through a real process -------------------------------------------------------------------


def cli_process(data_dir: Path, *args: str, stdin: bytes = b"") -> tuple[int, bytes, bytes]:
    """The installed entry point in a child process, bytes in and out (no newline translation)."""
    env = {**os.environ, "PYTHONUTF8": "1", "REVIEW_ASSISTANT_HOME": str(data_dir / "unused")}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [sys.executable, "-m", "review_assistant", "--data-dir", str(data_dir), *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
    )
    return done.returncode, done.stdout, done.stderr


def test_a_real_process_reads_and_prints_hostile_text_safely(tmp_path: Path) -> None:
    session_id = ok(run(tmp_path, "new", "--title", "Process")).out.strip()
    text = TEXT["control-c0"] + TEXT["ansi-osc-title"] + TEXT["unicode-separators"]
    code, out, err = cli_process(tmp_path, "add", session_id, "-", stdin=text.encode("utf-8"))
    assert code == 0 and b"Traceback" not in err
    ok(run(tmp_path, "action", "add", session_id, "--", TEXT["csv-quotes"] + "\r\n" + text))
    note = json.loads(ok(run(tmp_path, "show", session_id, "--json")).out)["notes"][0]
    assert note["text"] == text.strip()

    printed = ok(run(tmp_path, "show", session_id)).out
    assert shown(text.strip()) in printed and not has_raw_control(printed)

    code, out, err = cli_process(tmp_path, "actions", "--csv")
    assert code == 0
    assert out.endswith(b"\r\n") and b"\r\r\n" not in out  # CRLF rows, no newline translation
    (row,) = csv.DictReader(io.StringIO(out.decode("utf-8"), newline=""))
    assert row["description"].startswith(shown(TEXT["csv-quotes"]))
    assert not has_raw_control(row["description"])
