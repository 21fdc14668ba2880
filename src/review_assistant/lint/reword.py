"""Turning raw rule hits into findings, with the whole text reworded neutrally.

A rule reports a ``Hit``: where the words are, why they matter and, when it can, a ``fix``
(replace one span with neutral words). ``finish`` drops hits that overlap a longer one, applies
every fix at once, names participants by role, tidies spacing and capitals, and gives each
finding the reworded text as its suggestion (or its instruction when there is no rewording).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from review_assistant.lint.findings import Severity, TextFinding
from review_assistant.lint.people import People, capitalised, sentence_start
from review_assistant.lint.vocabulary import word_set

WORD = re.compile(r"[A-Za-z][\w'’-]*")
_ARTICLE_BEFORE = re.compile(r"\b(an?)\s+$", re.IGNORECASE)
_NEXT_WORD = re.compile(r"[ \t]*([A-Za-z][\w'’-]*)")
_PREVIOUS_WORD = re.compile(r"([A-Za-z][\w'’-]*)[ \t]*$")
_PHRASE = re.compile(r"[ \t]*([^,.;:!?()\n\"“”]*)")
_SPACES = re.compile(r"[ \t]{2,}")
_SPACE_BEFORE_PUNCT = re.compile(r"[ \t]+([,.;:!?])")
_LEADING = re.compile(r"^[\s,;:]+")
_NEGATIONS = word_set("not no never nobody nothing none without neither nor")
_CLAUSE_STOPS = word_set(
    "because but so which while since until when whereas although though and then"
)


@dataclass(frozen=True, slots=True)
class Hit:
    """A rule's raw finding. ``span`` (default: start..end) is what overlap checks compare."""

    rule: str
    start: int
    end: int
    words: str
    why: str
    instruction: str
    severity: Severity = "warning"
    fix: tuple[int, int, str] | None = None
    question: str = ""
    span: tuple[int, int] | None = None

    @property
    def core(self) -> tuple[int, int]:
        return self.span or (self.start, self.end)


#: A wording rule: the hits it finds in a text, given the review's participants.
Rule = Callable[[str, People], Iterator[Hit]]


def finish(text: str, hits: Sequence[Hit], people: People) -> list[TextFinding]:
    """Findings in text order, each suggesting the whole text reworded (or an instruction)."""
    if not hits:
        return []
    kept = resolve(hits)
    reworded = reword(text, [h.fix for h in kept if h.fix is not None], people)
    found = []
    for hit in kept:
        changed = hit.fix is not None and reworded != text.strip()
        question = people.replace_names(hit.question)[0] if hit.question else ""
        found.append(
            TextFinding(
                rule=hit.rule,
                start=hit.start,
                end=hit.end,
                words=hit.words,
                why=hit.why,
                suggestion=reworded if changed else hit.instruction,
                severity=hit.severity,
                question=question,
            )
        )
    return found


def resolve(hits: Sequence[Hit]) -> list[Hit]:
    """The hits left when each overlap keeps the earlier, then longer, one.

    In text order, with findings about the item as a whole (no words) last.
    """
    kept: list[Hit] = []
    for hit in sorted(hits, key=lambda h: (h.core[0], h.core[0] - h.core[1])):
        a, b = hit.core
        if all(b <= k.core[0] or a >= k.core[1] for k in kept):
            kept.append(hit)
    return sorted(kept, key=lambda h: (h.start == h.end, h.start, h.end))


def reword(text: str, fixes: Sequence[tuple[int, int, str]], people: People) -> str:
    """Apply non-overlapping fixes, then name participants by their role, then tidy up."""
    result = text
    last = len(text) + 1
    for a, b, replacement in sorted(fixes, reverse=True):
        if b > last:
            continue
        new = replacement
        if sentence_start(text, a) and text[a : a + 1].isupper():
            if new:
                new = capitalised(new)
            else:
                rest = result[b:].lstrip(" ,;")
                result = result[:b] + capitalised(rest)
                b = len(result) - len(rest)
        result = result[:a] + new + result[b:]
        last = a
    result = people.replace_names(result)[0]
    return tidy(result)


def tidy(text: str) -> str:
    result = _SPACES.sub(" ", text)
    result = _SPACE_BEFORE_PUNCT.sub(r"\1", result)
    return _LEADING.sub("", result).strip()


def drop_word(text: str, start: int, end: int) -> tuple[int, int, str]:
    """A fix that removes a word (and its space), correcting "a"/"an" before it."""
    after = end
    while after < len(text) and text[after] in " \t":
        after += 1
    article = _ARTICLE_BEFORE.search(text, max(0, start - 4), start)
    if article is None:
        if after == len(text) or not text[after].isalnum():
            begin = start
            while begin > 0 and text[begin - 1] in " \t":
                begin -= 1
            return begin, end, ""
        return start, after, ""
    following = WORD.match(text, after)
    word = following.group(0) if following else ""
    fitting = "an" if word[:1].lower() in "aeiou" and word else "a"
    if article.group(1)[0].isupper():
        fitting = capitalised(fitting)
    return article.start(1), after, fitting + " "


def negated(text: str, start: int, window: int = 3) -> bool:
    """Whether one of the few words before ``start`` (same clause) negates it."""
    tokens = list(WORD.finditer(text, max(0, start - 60), start))
    for seen, token in enumerate(reversed(tokens), start=1):
        between = text[token.end() : start]
        if any(mark in between for mark in ".;:!?\n"):
            return False
        word = token.group(0).lower()
        if word in _NEGATIONS or word.endswith(("n't", "n’t")) or word == "no-one":
            return True
        if seen >= window:
            return False
    return False


def words_after(text: str, end: int, limit: int = 8) -> str:
    """The phrase after ``end`` up to punctuation, a conjunction or ``limit`` words."""
    phrase = _PHRASE.match(text, end, min(len(text), end + 200))
    taken: list[str] = []
    for word in phrase.group(1).split() if phrase else ():
        if word.lower() in _CLAUSE_STOPS or len(taken) >= limit:
            break
        taken.append(word)
    return " ".join(taken)


def next_word(text: str, end: int) -> str:
    """The word right after ``end`` (lower case), or "" when punctuation or the end comes first."""
    match = _NEXT_WORD.match(text, end)
    return match.group(1).lower() if match else ""


def previous_word(text: str, start: int) -> str:
    """The word right before ``start`` (lower case), or "" when punctuation comes between."""
    match = _PREVIOUS_WORD.search(text, max(0, start - 60), start)
    return match.group(1).lower() if match else ""


def gerund(verb: str) -> str:
    """``check`` → ``checking``, ``page`` → ``paging``, ``stop`` → ``stopping``."""
    word = verb.lower()
    if word.endswith("ie"):
        return word[:-2] + "ying"
    if word.endswith("e") and not word.endswith(("ee", "ye", "oe")) and len(word) > 2:
        return word[:-1] + "ing"
    vowels = "aeiou"
    if (
        len(word) >= 3
        and len(re.findall(r"[aeiou]+", word)) == 1
        and word[-1] not in vowels + "wxy"
        and word[-2] in vowels
        and word[-3] not in vowels
    ):
        return word + word[-1] + "ing"
    return word + "ing"
