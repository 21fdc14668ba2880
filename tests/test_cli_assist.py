"""`suggest`, `draft` and `doctor` through a real subprocess, built-in and against a server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from openai_server import FakeOpenAI, Stream, closed_port_url
from test_cli import cli


def demo(tmp_path: Path) -> str:
    result = cli("demo", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_suggest_json_from_the_builtin_engine_never_repeats(tmp_path: Path) -> None:
    session = demo(tmp_path)
    first = json.loads(
        cli("suggest", session, "--phase", "timeline", "--json", data_dir=tmp_path).stdout
    )
    second = json.loads(
        cli("suggest", session, "--phase", "timeline", "--json", data_dir=tmp_path).stdout
    )
    assert first["provider"] == "builtin" and len(first["questions"]) == 5
    assert all(q["question"].endswith("?") and q["why"] for q in first["questions"])
    assert not {q["question"] for q in first["questions"]} & {
        q["question"] for q in second["questions"]
    }


def test_draft_prints_markdown_and_saves_it(tmp_path: Path) -> None:
    session = demo(tmp_path)
    result = cli("draft", session, "--kind", "writeup", data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "## Contributing factors" in result.stdout or "Contributing factors" in result.stdout
    from review_assistant.domain.models import Draft
    from review_assistant.store import Store

    with Store(tmp_path / "review.db") as store:
        drafts = store.items(session, Draft)
    assert [(d.kind.value, d.text) for d in drafts] == [("writeup", result.stdout)]


def test_doctor_builtin_and_unreachable_endpoint(tmp_path: Path) -> None:
    ok = cli("doctor", data_dir=tmp_path)
    assert ok.returncode == 0
    assert "verdict: OK — the built-in engine" in ok.stdout
    bad = cli("doctor", "--provider", "openai", "--base-url", closed_port_url(), data_dir=tmp_path)
    assert bad.returncode == 1
    assert "verdict: NOT WORKING — could not connect" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_doctor_and_suggest_against_an_endpoint(tmp_path: Path) -> None:
    session = demo(tmp_path)
    with FakeOpenAI() as server:
        server.script(
            Stream(["ready"]),
            Stream(['{"questions": [{"question": "What did support see first?", "why": "w"}]}']),
        )
        doctor = cli("doctor", "--base-url", server.url, "--model", "test-model", data_dir=tmp_path)
        suggest = cli(
            "suggest", session, "--base-url", server.url, "--model", "test-model", "--json",
            data_dir=tmp_path,
        )  # fmt: skip
    assert doctor.returncode == 0, doctor.stderr
    assert "provider           openai" in doctor.stdout
    assert "verdict: OK — test-model answered 'ready'" in doctor.stdout
    answer = json.loads(suggest.stdout)
    assert [q["question"] for q in answer["questions"]] == ["What did support see first?"]


def test_a_bad_config_file_is_one_clear_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[assistant]\nprovider = "claude"\n', encoding="utf-8")
    monkeypatch.setenv("REVIEW_ASSISTANT_CONFIG", str(config))
    result = cli("doctor", data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stderr.strip() == (
        f"review-assistant: error: configuration: unknown provider 'claude' (config ({config})); "
        "use builtin or openai"
    )


def test_draft_from_a_model_prints_cited_sentences_not_json(tmp_path: Path) -> None:
    from review_assistant.domain.models import Draft
    from review_assistant.store import Store

    session = demo(tmp_path)
    with Store(tmp_path / "review.db") as store:
        event = store.load_review(session).timeline()[0]
    answer = {
        "summary": [
            {"text": "A pool change started it.", "sources": [event.id]},
            {"text": "Nobody noticed for a week.", "sources": []},
        ]
    }
    with FakeOpenAI() as server:
        server.script(Stream([json.dumps(answer)[:30], json.dumps(answer)[30:]]))
        result = cli(
            "draft", session, "--kind", "summary", "--base-url", server.url,
            "--model", "test-model", data_dir=tmp_path,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "A pool change started it. [1]" in result.stdout
    assert '"sources"' not in result.stdout and "Nobody noticed" not in result.stdout
    assert "note: 1 sentence without a source in the review was left out" in result.stderr
    with Store(tmp_path / "review.db") as store:
        (draft,) = store.items(session, Draft)
    assert draft.text == result.stdout
