"""Fast start: openai, tiktoken and jinja2 load on first use, not when the app starts."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("openai", "tiktoken", "jinja2")


def test_starting_the_app_and_cli_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "import review_assistant.cli.main, review_assistant.cli.commands\n"
        "import review_assistant.tui.app, review_assistant.tui.review_screen\n"
        "import review_assistant.assistant.service, review_assistant.tui.draft_screen\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_the_builtin_engine_needs_none_of_them_to_suggest() -> None:
    code = (
        "import sys\n"
        "from review_assistant.demo import build_demo\n"
        "from review_assistant.assistant.builtin import Engine\n"
        "from review_assistant.domain.phases import Phase\n"
        "assert Engine(build_demo()).suggest(Phase.TIMELINE).questions\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
