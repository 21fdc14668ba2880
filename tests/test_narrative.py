"""Drafted sentences cite the items they rest on; sentences without a source are left out."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from openai_server import FakeOpenAI, Stream
from review_assistant.assistant.service import Assistant, Request
from review_assistant.assistant.settings import Settings
from review_assistant.assistant.tasks import Task
from review_assistant.demo import build_demo
from review_assistant.domain.models import Draft, DraftKind, Review
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from review_assistant.writeup.narrative import Claim, Narrative, finished_claims, unsupported
from review_assistant.writeup.render import render_draft


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as running:
        yield running


def model_settings(url: str) -> Settings:
    return Settings.model_validate({"provider": "openai", "base_url": url, "model": "test-model"})


def narrative_for(review: Review) -> Narrative:
    timeline = review.timeline()
    factor, learning = review.factors[0], review.learnings[0]
    return Narrative(
        summary=[
            Claim(text="Checkout errors began after a pool change.", sources=[timeline[0].id]),
            Claim(text="The incident cost the company millions.", sources=[]),  # no source
            Claim(text="An invented reference.", sources=["nope12345678"]),
            Claim(text="Support tickets arrived first.", sources=[timeline[1].id, factor.id]),
        ],
        sense_making=[Claim(text="The pool size looked safe.", sources=[factor.id])],
        learnings=[Claim(text="Peaks hide in averages.", sources=[f"[{learning.id}]"])],
    )


def test_only_sentences_with_real_sources_are_printed_and_each_cites_them() -> None:
    review = build_demo()
    narrative = narrative_for(review)
    out = render_draft(DraftKind.WRITEUP, review, narrative=narrative)
    assert "Checkout errors began after a pool change. [1]" in out
    assert "Support tickets arrived first. [2, 3]" in out
    assert "The pool size looked safe. [3]" in out  # a source cited twice keeps its number
    assert "Peaks hide in averages. [4]" in out  # "[id]" is read as the id
    assert "millions" not in out and "invented" not in out
    sources = out[out.index("## Sources") :]
    assert f"3. contributing factor ({review.factors[0].area.value}):" in sources
    assert review.learnings[0].text in sources
    assert unsupported(review, narrative) == [
        "The incident cost the company millions.",
        "An invented reference.",
    ]
    summary = render_draft(DraftKind.SUMMARY, review, narrative=narrative)
    assert "Checkout errors began after a pool change. [1]" in summary
    assert "**Sources.**" in summary


def test_sources_are_anonymised_with_the_rest() -> None:
    review = build_demo()
    person = review.participants[0]
    event = review.timeline()[0]
    event.text = f"{person.name} saw the alert"
    narrative = Narrative(summary=[Claim(text=f"{person.name} was paged.", sources=[event.id])])
    out = render_draft(DraftKind.WRITEUP, review, narrative=narrative, anonymise=True)
    assert person.name not in out
    assert "Engineer A was paged. [1]" in out


def test_finished_claims_reads_what_is_complete_in_a_stream() -> None:
    partial = (
        '{"summary": [{"text": "One.", "sources": ["a"]}, {"text": "Two", "sources": ["b"]},'
        ' {"text": "Thr'
    )
    found = finished_claims(partial)
    assert [c.text for c in found.summary] == ["One.", "Two"]
    assert finished_claims('{"learnings": [{"text": "L", "sources": "x"}]}').learnings == [
        Claim(text="L", sources=["x"])
    ]
    assert finished_claims("not json").claims() == 0


async def test_a_model_draft_keeps_cited_sentences_and_says_what_was_left_out(
    server: FakeOpenAI, store: Store
) -> None:
    review = build_demo()
    session_id = store.save_review(review)
    answer = json.dumps(narrative_for(review).model_dump())
    server.script(Stream([answer[:40], answer[40:]]))

    outcome = await Assistant(store, model_settings(server.url)).run(
        session_id, Request(Task.WRITEUP, Phase.ACTIONS)
    )

    assert outcome.error == ""
    assert outcome.notice == "2 sentences without a source in the review were left out"
    (draft,) = store.items(session_id, Draft)
    assert draft == outcome.draft and outcome.text == draft.text
    assert draft.kind is DraftKind.WRITEUP and not draft.partial
    assert "Support tickets arrived first. [2, 3]" in draft.text
    assert "## Contributing factors" in draft.text  # the rest comes from the data
    request = server.chat_requests[0].body
    assert request["response_format"]["type"] == "json_schema"
    assert "sources" in json.dumps(request["response_format"])


async def test_a_model_draft_with_no_cited_sentence_keeps_only_the_data(
    server: FakeOpenAI, store: Store
) -> None:
    session_id = store.save_review(build_demo())
    answer = {"summary": [{"text": "Everything was fine.", "sources": []}]}
    server.script(Stream([json.dumps(answer)]))

    outcome = await Assistant(store, model_settings(server.url)).run(
        session_id, Request(Task.SUMMARY, Phase.ACTIONS)
    )

    assert outcome.error == ""
    assert outcome.notice == (
        "the model's draft cited nothing in the review, so it holds only the recorded data "
        "(1 sentence without a source in the review was left out)"
    )
    (draft,) = store.items(session_id, Draft)
    assert "Everything was fine" not in draft.text and "Sources" not in draft.text
    assert draft.text == render_draft(DraftKind.SUMMARY, store.load_review(session_id))


def test_a_malformed_sentence_in_a_stream_is_left_out() -> None:
    partial = (
        '{"summary": [{"text": "Bad sources.", "sources": 5}, {"text": "Fine.", "sources": ["a"]},'
        ' {"text": "Object.", "sources": {"x": 1}}]}'
    )
    assert [c.text for c in finished_claims(partial).summary] == ["Fine."]
