from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from review_assistant.domain.models import Participant, ReviewSession
from review_assistant.store import Store

#: The local OpenAI-compatible server and a demo review, as fixtures (``server``, ``session_id``).
pytest_plugins = ["assistant_helpers"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "review.db") as opened:
        yield opened


@pytest.fixture
def session(store: Store) -> ReviewSession:
    created = ReviewSession(
        title="Login failures after certificate rotation",
        severity="SEV2",
        timezone="Europe/London",
        incident_start=datetime(2026, 3, 12, 13, 50, tzinfo=ZoneInfo("Europe/London")),
    )
    store.create_session(
        created,
        [
            Participant(name="Alex Example", role="on-call engineer", alias="Engineer A"),
            Participant(name="Casey Sample", role="incident commander"),
        ],
    )
    return created


@pytest.fixture(autouse=True)
def hermetic_assistant(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """No developer's config file or endpoint leaks into a test."""
    from review_assistant.assistant.settings import ENV_CONFIG, ENVIRONMENT

    monkeypatch.setenv(ENV_CONFIG, str(tmp_path_factory.mktemp("config") / "none.toml"))
    for variable in ENVIRONMENT:
        monkeypatch.delenv(variable, raising=False)
