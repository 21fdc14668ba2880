"""Write-up exports: golden files, self-contained HTML, and no participant's name in any format."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from review_assistant.demo import build_demo
from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    Draft,
    DraftKind,
    Factor,
    FactorArea,
    Impact,
    Learning,
    Note,
    Question,
    Review,
    Suggestion,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.phases import Phase
from review_assistant.exchange import export_json, parse_export
from review_assistant.store import Store
from review_assistant.writeup.export import export_writeup
from test_cli import cli, ok

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"no golden file {name}; run with UPDATE_GOLDEN=1 and read the result"
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_the_demo_write_up_matches_its_golden_file(fmt: str) -> None:
    golden(f"demo-writeup.{fmt}", export_writeup(build_demo(), fmt))


def test_a_learning_review_says_no_actions_are_tracked() -> None:
    review = build_demo()
    review.session.tracks_actions = False
    out = export_writeup(review, "md")
    assert "Learning review: no actions tracked." in out
    assert "| Action | Area | Owner |" not in out


class _Checker(HTMLParser):
    """Collects tags and checks that every opened element is closed in order."""

    VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "source", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_endtag(self, tag: str) -> None:
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check_html(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []
    return checker


def test_the_html_write_up_is_one_self_contained_printable_page() -> None:
    page = export_writeup(build_demo(), "html")
    assert page.startswith("<!DOCTYPE html>")
    checker = check_html(page)
    assert checker.tags.count("svg") == 1 and "figure" in checker.tags
    assert "script" not in checker.tags and "link" not in checker.tags and "img" not in checker.tags
    for name, value in checker.attrs:
        assert name not in {"src", "href"} or not value or value.startswith("#"), (name, value)
    assert "@media print" in page and "break-inside: avoid" in page
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "<h2>Contributing factors</h2>" in page
    assert "incident-picture" not in page  # the text picture became the SVG


def test_hostile_text_stays_text_in_html() -> None:
    review = build_demo()
    review.notes.append(
        Note(phase=Phase.LEVEL_SET, text="<script>alert(1)</script> [x](javascript:alert(1))")
    )
    review.session.title = "<b>bold</b> & {{ title }}"
    page = export_writeup(review, "html")
    check_html(page)
    assert "<script>" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert 'href="javascript' not in page
    assert "{{ title }}" in page


# -- names must not leak ----------------------------------------------------------------------


def planted(review: Review) -> Review:
    """The demo with participants' names written every way people write them, everywhere."""
    people = review.participants
    alex, casey = people[0].name, people[1].name
    a_first, a_last = alex.split()[0], alex.split()[-1]
    c_first = casey.split()[0]
    at = review.timeline()[0].at
    s = review.session
    s.title = f"Checkout errors seen by {alex}"
    s.summary = f"{casey} ran it; {a_first.lower()} was paged and {a_first}'s laptop died."
    s.impact = Impact(team_load=f"{a_last} and @{c_first.lower()} worked late")
    review.events.append(
        TimelineEvent(at=at + timedelta(minutes=1), text=f"@{a_first.lower()} acked", who=alex)
    )
    review.events.append(
        TimelineEvent(
            at=at + timedelta(minutes=2),
            text=f"mail from {a_first.lower()}.{a_last.lower()}@corp.example",
            who=c_first,
        )
    )
    review.notes.append(Note(phase=Phase.TIMELINE, text=f"{casey}’s view: {a_first} was busy"))
    review.questions.append(
        Question(
            phase=Phase.SENSE_MAKING, text=f"What did {a_first} see?", answer=f"{c_first} says"
        )
    )
    review.factors.append(Factor(area=FactorArea.FIX, text=f"Only {c_first} knew the runbook"))
    review.learnings.append(Learning(text=f"{alex.upper()} found the graph"))
    review.went_well.append(WentWell(text=f"{casey} called in help", lucky=True))
    review.ideas.append(ActionIdea(phase=Phase.FACTORS, text=f"Ask {a_first} to present"))
    review.actions.append(ActionItem(text=f"Pair with {casey}", owner=c_first))
    review.drafts.append(Draft(kind=DraftKind.SUMMARY, text=f"{alex} and {casey}"))
    review.suggestions.append(
        Suggestion(task="suggest", phase=Phase.TIMELINE, text=f"Ask {c_first}", reason=alex)
    )
    return review


def leaks(text: str, review: Review) -> list[str]:
    found = []
    for person in review.participants:
        for part in person.name.split():
            if re.search(rf"(?<![\w-]){re.escape(part)}(?![\w-])", text, re.IGNORECASE):
                found.append(part)
    return found


def test_no_participant_name_survives_in_any_export() -> None:
    review = planted(build_demo())
    shared = {
        "md": export_writeup(review, "md"),
        "html": export_writeup(review, "html"),
        "json": export_json(review, anonymise=True),
    }
    for fmt, text in shared.items():
        assert leaks(text, review) == [], fmt
    assert "Engineer A" in shared["md"] and "incident commander" in shared["md"]
    assert parse_export(shared["json"]).participants[0].name == "Engineer A"
    # without anonymising, the names are there; the JSON export is lossless by default
    assert leaks(export_writeup(review, "md", anonymise=False), review)
    assert parse_export(export_json(review)) == review


def test_cli_exports_each_format(tmp_path: Path) -> None:
    with Store(tmp_path / "review.db") as store:
        review = planted(build_demo())
        review.events.append(
            TimelineEvent(at=review.timeline()[0].at, text="page sent", who="Quinn Outsider")
        )
        session_id = store.save_review(review)
    out = tmp_path / "writeup.html"
    result = ok(cli("export", session_id, "--format", "html", "-o", str(out), data_dir=tmp_path))
    assert "'Quinn Outsider' is not a participant" in result.stderr
    page = out.read_text(encoding="utf-8")
    check_html(page)
    assert leaks(page, review) == []
    markdown = ok(cli("export", session_id, "--format", "md", data_dir=tmp_path)).stdout
    assert markdown.startswith("# Checkout errors seen by Engineer A\n")
    named = ok(cli("export", session_id, "--format", "md", "--no-anonymise", data_dir=tmp_path))
    assert review.participants[0].name in named.stdout
    lossless = json.loads(ok(cli("export", session_id, data_dir=tmp_path)).stdout)
    assert lossless["participants"][0]["name"] == review.participants[0].name
    hidden = ok(cli("export", session_id, "--format", "json", "--anonymise", data_dir=tmp_path))
    assert json.loads(hidden.stdout)["anonymised"] is True
    assert leaks(hidden.stdout, review) == []
