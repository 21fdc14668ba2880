from __future__ import annotations

import html
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import jinja2
import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

from review_assistant.demo import build_demo
from review_assistant.domain.models import (
    ActionIdea,
    ActionItem,
    DraftKind,
    EventKind,
    Factor,
    FactorArea,
    Impact,
    Learning,
    Note,
    Participant,
    Question,
    Review,
    ReviewSession,
    TimelineEvent,
    WentWell,
)
from review_assistant.domain.phases import Phase
from review_assistant.writeup import render_draft
from review_assistant.writeup.anonymise import anonymiser
from review_assistant.writeup.render import environment, md_text

WRITEUP_SECTIONS = [
    "Summary",
    "Impact",
    "Context",
    "Timeline",
    "How it made sense",
    "What went well",
    "Contributing factors",
    "Learnings",
    "Action items",
    "Open questions",
    "Participants",
]
HOSTILE = ["# x", "<script>alert(1)</script>", "[a](javascript:b)", "a | b"]
T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


def parse(markdown: str) -> list[Token]:
    return MarkdownIt("commonmark").enable("table").parse(markdown)


def to_html(markdown: str) -> str:
    return str(MarkdownIt("commonmark").enable("table").render(markdown))


def headings(markdown: str, tag: str = "h2") -> list[str]:
    tokens = parse(markdown)
    return [
        tokens[i + 1].content
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == tag
    ]


def empty_review(**session: object) -> Review:
    return Review(session=ReviewSession(title="Queue backlog", **session))


# --- md_text -------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["line", "cell", "block"])
@pytest.mark.parametrize(
    "hostile",
    [
        *HOSTILE,
        "> quoted",
        "- item",
        "+ item",
        "* item",
        "1. first",
        "7) seventh",
        "===",
        "---",
        "**bold** _em_ `code` ~~gone~~",
        "![img](http://example.invalid/x.png)",
        "<https://example.invalid>",
        "x &amp; y",
        "back\\slash \\[x]",
        "    indented code",
    ],
)
def test_md_text_keeps_hostile_text_literal(hostile: str, mode: str) -> None:
    escaped = md_text(hostile, mode)
    source = f"| col |\n|---|\n| {escaped} |\n" if mode == "cell" else escaped + "\n"
    rendered = to_html(source)
    tags = set(re.findall(r"</?([a-z0-9]+)", rendered))
    assert tags <= ({"table", "thead", "tbody", "tr", "th", "td"} if mode == "cell" else {"p"})
    text = html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()
    assert text.endswith(" ".join(hostile.split()) if mode != "block" else hostile.strip())


def test_md_text_escapes_what_the_brief_names() -> None:
    assert md_text("# heading") == "\\# heading"
    assert md_text("<script>") == "&lt;script>"
    assert md_text("[link](javascript:x)") == "\\[link\\](javascript:x)"
    assert md_text("a | b", "cell") == "a \\| b"
    assert md_text("a | b", "line") == "a | b"
    assert md_text("1. one") == "1\\. one"
    assert md_text("= x") == "\\= x"


def test_md_text_lines_and_blocks() -> None:
    assert md_text("one\ntwo\r\n  # three") == "one two # three"
    assert md_text("one\n# two", "block") == "one\n\\# two"
    assert md_text("a\n\n\n\nb", "block") == "a\n\nb"
    assert md_text("red \x1b[31m") == "red ␛\\[31m"
    assert md_text(None) == ""
    assert md_text("snake_case stays; _this_ does not") == "snake_case stays; \\_this\\_ does not"
    with pytest.raises(ValueError, match="unknown md_text mode"):
        md_text("x", "html")


# --- anonymiser ------------------------------------------------------------------------------


def test_anonymiser_replaces_whole_names_only() -> None:
    people = [
        Participant(name="Alex Example", role="on-call engineer", alias="Engineer A"),
        Participant(name="Casey Sample", role="incident commander"),
        Participant(name="Jo Li"),
    ]
    hide = anonymiser(people)
    assert hide("ALEX EXAMPLE paged Casey\nSample") == "Engineer A paged the incident commander"
    assert hide("Alex asked Casey; Jo Li agreed") == (
        "Engineer A asked the incident commander; the participant agreed"
    )
    # whole words only
    assert hide("Alexander, Joanne and Caseys") == "Alexander, Joanne and Caseys"
    assert hide("") == ""


def test_anonymiser_skips_shared_first_names_and_does_one_pass() -> None:
    people = [
        Participant(name="Sam One", alias="Sam Two"),
        Participant(name="Sam Two", alias="Engineer B"),
    ]
    hide = anonymiser(people)
    # a first name two people share cannot say who is meant, and must not survive either
    assert hide("Sam One, Sam Two, Sam") == "Sam Two, Engineer B, a participant"
    assert anonymiser([])("Sam One") == "Sam One"


# --- rendering the demo ----------------------------------------------------------------------


def test_writeup_of_the_demo_has_every_section_and_value() -> None:
    review = build_demo()
    out = render_draft(DraftKind.WRITEUP, review)
    assert headings(out, "h1") == [review.session.title]
    assert headings(out) == WRITEUP_SECTIONS
    assert headings(out, "h3")[3:5] == ["What helped", "Where we got lucky"]
    for duration in ("29m 00s", "1h 06m", "1h 28m"):
        assert duration in out
    assert "2026-03-12 13:52 to 15:20 (Europe/London), 1h 28m" in out
    texts = [f.text for f in review.factors] + [item.text for item in review.learnings]
    for text in texts + [item.text for item in review.went_well]:
        assert md_text(text) in out
    for action in review.actions:
        assert f"| {action.owner} |" in out
        assert md_text(action.text, "cell") in out
    assert "| 14:21 | detection | on-call engineer | Error-rate alert" in out
    assert "*16m 00s with no events recorded*" in out
    assert "What was happening between 13:52 and 14:09?" in out  # the open question
    assert "Same symptoms as last month's provider outage" in out  # an answer
    assert "Route the support escalation channel to the on-call pager" in out  # parked idea
    assert "- Engineer A (on-call engineer)" in out
    assert "- Support lead\n" in out  # alias equal to the role is not repeated
    assert "Only one factor" not in out
    for word in ("blame", "should have", "failed to", "human error", "root cause"):
        assert word not in out.replace("blameless", "").lower()


def test_summary_of_the_demo() -> None:
    review = build_demo()
    out = render_draft(DraftKind.SUMMARY, review)
    assert out.startswith(f"# {review.session.title}: review summary\n")
    assert review.session.summary in out
    assert "Severity: SEV2." in out
    assert "time to detect 29m 00s, to mitigate 1h 06m, to resolve 1h 28m." in out
    assert "13 timeline events, 7 contributing factors, 2 learnings" in out
    assert "(1 still open)" in out
    for area in FactorArea:
        first = next(f for f in review.factors if f.area is area)
        assert md_text(first.text) in out
    assert "(and 1 more)" in out
    assert "3 action items (1 open, 1 in progress, 1 done)" in out
    for action in review.actions:
        assert f"owner: {action.owner}, due {action.due}" in out
    assert len(out) < len(render_draft(DraftKind.WRITEUP, review)) / 2


def test_anonymise_defaults_to_the_session_setting() -> None:
    review = build_demo()
    review.session.anonymise = False
    out = render_draft(DraftKind.WRITEUP, review)
    assert "- Alex Example (on-call engineer)" in out
    assert "alias or role" not in out
    assert "Alex Example" not in render_draft(DraftKind.WRITEUP, review, anonymise=True)


def test_anonymise_replaces_names_everywhere() -> None:
    review = build_demo()
    people = {p.role: p for p in review.participants}
    alex, casey = people["on-call engineer"].name, people["incident commander"].name
    s = review.session
    s.title = f"Checkout errors seen by {alex}"
    s.summary = f"{casey} ran the incident; {alex.split()[0]} was paged."
    s.impact = Impact(team_load=f"{alex} worked late")
    at = review.timeline()[0].at
    review.events.append(TimelineEvent(at=at, text=f"{casey} opened a channel", who=alex))
    review.notes.append(Note(phase=Phase.LEVEL_SET, text=f"Background from {alex}"))
    review.factors.append(Factor(area=FactorArea.FIX, text=f"Only {casey} knew the runbook"))
    review.learnings.append(Learning(text=f"{alex.upper()} found the graph"))
    review.went_well.append(WentWell(text=f"{casey} called in help", lucky=True))
    review.questions.append(Question(phase=Phase.TIMELINE, text=f"What did {alex} see?"))
    review.actions.append(ActionItem(text=f"Pair with {casey}", owner=casey))
    review.ideas.append(ActionIdea(phase=Phase.FACTORS, text=f"Ask {alex} to demo"))
    for kind in DraftKind:
        out = render_draft(kind, review)
        for person in review.participants:
            assert person.name not in out
            assert not re.search(rf"\b{person.name.split()[0]}\b", out)
        assert "Engineer A" in out
        assert "Incident lead" in out
    out = render_draft(DraftKind.WRITEUP, review)
    assert "| Pair with Incident lead | — | Incident lead |" in out
    assert "| Engineer A | Incident lead opened a channel |" in out


# --- empty and partial reviews ---------------------------------------------------------------


def test_an_empty_review_renders_and_says_what_is_missing() -> None:
    review = empty_review()
    out = render_draft(DraftKind.WRITEUP, review)
    assert headings(out) == WRITEUP_SECTIONS
    for line in (
        "No summary has been written yet.",
        "Incident window: not recorded",
        "No impact has been recorded.",
        "cannot be measured yet",
        "No context notes were recorded.",
        "No timeline events have been recorded.",
        "No questions about how decisions made sense",
        "Nothing has been recorded as helping yet.",
        "No lucky breaks were recorded.",
        "No learnings have been recorded yet.",
        "No action items have been agreed yet.",
        "No open questions.",
        "No participants were recorded.",
    ):
        assert line in out
    assert out.count("No factors have been recorded in this area yet") == 3
    assert "\n\n\n" not in out
    assert out.endswith("No participants were recorded.\n")
    summary = render_draft(DraftKind.SUMMARY, review)
    assert "No summary has been written yet" in summary
    assert "No incident window has been recorded yet." in summary
    assert "No contributing factors have been recorded yet." in summary
    assert "No action items yet." in summary
    assert "\n\n\n" not in summary


def test_a_learning_review_tracks_no_actions() -> None:
    review = build_demo()
    review.session.tracks_actions = False
    out = render_draft(DraftKind.WRITEUP, review)
    assert "Learning review: no actions tracked." in out
    assert "| Action |" not in out
    summary = render_draft(DraftKind.SUMMARY, review)
    assert "This is a learning review: no action items are tracked." in summary
    assert md_text(review.learnings[0].text) in summary


def test_areas_with_fewer_than_two_factors_are_named() -> None:
    review = empty_review()
    review.factors.append(Factor(area=FactorArea.DETECT, text="No alert on queue depth"))
    out = render_draft(DraftKind.WRITEUP, review)
    assert out.count("Only one factor has been recorded in this area") == 1
    assert out.count("No factors have been recorded in this area yet") == 2
    summary = render_draft(DraftKind.SUMMARY, review)
    assert "- Detecting it sooner: No alert on queue depth" in summary
    assert "- Avoiding it: none recorded yet." in summary


def test_times_are_local_to_the_session_with_dates_when_they_span_days() -> None:
    review = empty_review(timezone="America/New_York", incident_start=T0)
    review.events += [
        TimelineEvent(at=T0, kind=EventKind.TRIGGER, text="Deploy"),
        TimelineEvent(at=T0 + timedelta(hours=20, seconds=5), kind=EventKind.RESOLUTION, text="OK"),
    ]
    out = render_draft(DraftKind.WRITEUP, review)
    assert "| 2026-05-04 05:00:00 | trigger |" in out  # 09:00 UTC is 05:00 in New York (EDT)
    assert "| 2026-05-05 01:00:05 | resolution |" in out
    assert "*20h 00m with no events recorded*" in out
    assert "Incident window: from 2026-05-04 05:00:00 (America/New_York); no end time" in out
    assert "| Time to resolve | 20h 00m |" in out
    assert "| Time to detect | — |" in out
    assert "A dash means the timeline has no such event" in out


# --- hostile text ----------------------------------------------------------------------------


def hostile_review() -> Review:
    review = empty_review(incident_start=T0, incident_end=T0 + timedelta(hours=1))
    review.session.title = "# x <script>alert(1)</script>"
    review.session.summary = "\n".join(HOSTILE)
    review.session.severity = "[a](javascript:b)"
    review.participants.append(Participant(name="[a](javascript:b)", role="<b>x</b>"))
    for i, text in enumerate(HOSTILE):
        at = T0 + timedelta(minutes=i)
        review.notes.append(Note(phase=Phase.LEVEL_SET, text=text))
        review.events.append(TimelineEvent(at=at, kind=EventKind.TRIGGER, text=text, who=text))
        review.factors.append(Factor(area=FactorArea.AVOID, text=text, tag=text))
        review.learnings.append(Learning(text=f"{text}\n# second line"))
        review.actions.append(ActionItem(text=text, owner=text, link=text, due=date(2026, 6, 1)))
        review.questions.append(Question(phase=Phase.TIMELINE, text=text, event_id=None))
    review.questions.append(
        Question(phase=Phase.SENSE_MAKING, event_id=review.events[0].id, text="Q", answer="# y")
    )
    return review


@pytest.mark.parametrize("kind", list(DraftKind))
def test_hostile_text_stays_inert(kind: DraftKind) -> None:
    out = render_draft(kind, hostile_review(), anonymise=False)
    rendered = to_html(out)
    assert "<script" not in rendered
    assert "<b>" not in rendered
    assert "<a " not in rendered
    assert "<blockquote" not in rendered
    assert len(re.findall("<h1>", rendered)) == 1
    assert "alert(1)" in html.unescape(rendered)
    tokens = parse(out)
    if kind is DraftKind.WRITEUP:
        assert headings(out) == WRITEUP_SECTIONS
        rows = re.findall(r"<tr>(.*?)</tr>", rendered, flags=re.S)
        timeline = [r for r in rows if "trigger" in r]
        assert len(timeline) == len(HOSTILE)
        assert all(r.count("<td>") == 4 for r in timeline)
        actions = [r for r in rows if "2026-06-01" in r]
        assert len(actions) == len(HOSTILE)
        assert all(r.count("<td>") == 5 for r in actions)
        assert "<td>a | b</td>" in rendered
        assert "# y" in html.unescape(rendered)
    else:
        assert headings(out) == []
    assert not [t for t in tokens if t.type == "html_block" or t.type == "html_inline"]


# --- the environment -------------------------------------------------------------------------


def test_the_environment_is_strict_and_shared() -> None:
    env = environment()
    assert env is environment()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ missing }}").render()
    with pytest.raises(jinja2.UndefinedError):
        env.from_string("{{ review.nothing }}").render(review={"title": "x"})
    assert env.from_string("{{ t | md_text }}\n").render(t="# x") == "\\# x\n"
    assert env.from_string("{{ 2 | counted('gap') }}, {{ 1 | counted('gap') }}").render() == (
        "2 gaps, 1 gap"
    )


def test_importing_the_package_loads_neither_jinja2_nor_textual() -> None:
    code = (
        "import sys, review_assistant.writeup\n"
        "assert 'jinja2' not in sys.modules, 'jinja2'\n"
        "assert 'textual' not in sys.modules, 'textual'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
