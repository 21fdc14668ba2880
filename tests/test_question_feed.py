"""A model's JSON answer streams into the panel as questions, each once its text is complete."""

from __future__ import annotations

import json
from typing import Any

from review_assistant.tui.assisting import QuestionFeed


class Panel:
    """Collects what would be drawn."""

    def __init__(self) -> None:
        self.shown: list[str] = []

    async def feed(self, piece: str) -> None:
        self.shown.append(piece)


async def test_questions_appear_once_complete_whatever_the_chunking() -> None:
    questions = [
        {"question": 'What did the "pool full" alert mean then?', "why": "what they knew"},
        {"question": "Who else was looking at the dashboard?", "why": "shared picture"},
    ]
    text = json.dumps({"questions": questions})
    for size in (1, 3, 7, len(text)):
        panel = Panel()
        feed = QuestionFeed(panel)  # type: ignore[arg-type]
        drawn_at: list[int] = []
        for start in range(0, len(text), size):
            await feed(text[start : start + size])
            drawn_at += [start] * (len(panel.shown) - len(drawn_at))
        assert panel.shown == [f"- {q['question']}\n" for q in questions]
        first_done = text.index("mean then?") + len('mean then?"')
        assert drawn_at[0] < first_done  # shown in the chunk that closed it, not later


async def test_prose_streams_as_it_comes() -> None:
    panel = Panel()
    feed = QuestionFeed(panel)  # type: ignore[arg-type]
    pieces: list[Any] = ["- What ", "changed at 14:05?\n", "- Who was paged?"]
    for piece in pieces:
        await feed(piece)
    assert "".join(panel.shown) == "".join(pieces)


async def test_a_runaway_answer_shows_only_so_much_while_it_streams() -> None:
    from review_assistant.tui.assisting import MORE, SHOWN_ITEMS, SHOWN_TEXT

    many = json.dumps({"questions": [{"question": f"Q{n}?", "why": "w"} for n in range(500)]})
    panel = Panel()
    feed = QuestionFeed(panel)  # type: ignore[arg-type]
    for start in range(0, len(many), 5):
        await feed(many[start : start + 5])
    assert panel.shown[:SHOWN_ITEMS] == [f"- Q{n}?\n" for n in range(SHOWN_ITEMS)]
    assert panel.shown[SHOWN_ITEMS:] == [MORE]
    assert feed.raw == many  # all of it is kept for the list shown at the end

    prose = Panel()
    feed = QuestionFeed(prose)  # type: ignore[arg-type]
    for _ in range(1000):
        await feed("no JSON here, just a lot of words. ")
    shown = "".join(prose.shown)
    assert shown.endswith(MORE) and len(shown) == SHOWN_TEXT + len(MORE)
