"""What the assistant tests share: the local OpenAI-compatible server, a demo review, settings."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from openai_server import FakeOpenAI
from review_assistant.assistant.settings import Settings
from review_assistant.demo import build_demo
from review_assistant.store import Store


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as running:
        yield running


@pytest.fixture
def session_id(store: Store) -> str:
    return store.save_review(build_demo())


def settings_for(url: str, **changes: object) -> Settings:
    values: dict[str, object] = {"provider": "openai", "base_url": url, "model": "test-model"}
    return Settings.model_validate(values | changes)
