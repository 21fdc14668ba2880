"""Who or what a sentence is about: participants, roles, pronouns and systems.

The blameless linter flags "failed to", "missed" and the like only when a person is the
subject. A subject is found by reading back from the verb over a few adverbs and auxiliaries
("had", "then", "must have") to the nearest noun phrase, which is one of:

- a participant: full name or alias (any case), or first name (capitalised, and only when no
  other participant shares it);
- a pronoun that stands for people (we, they, someone, nobody, who …);
- a person noun phrase: a determiner, up to three modifiers and a head such as "engineer",
  "on-call", "reviewer", "team", or a participant's role ("the incident commander");
- a system noun (check, deploy, pager, Postgres …).

A noun phrase right after a preposition ("the alert *to the team* failed to …") or a gerund
("*paging the on-call* failed to …") is not a subject. Anything else is "unknown": an
unknown capitalised word is not taken for a person, so "Sam failed to …" is not flagged unless
Sam is a participant.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from review_assistant.domain.models import Participant
from review_assistant.lint.vocabulary import (
    DETERMINERS,
    NOT_GERUNDS,
    OBJECT_PRONOUNS,
    PERSON_HEADS,
    PERSON_HEADS_2,
    PREPOSITIONS,
    PRONOUNS,
    SKIPPABLE,
    SYSTEM_NOUNS,
)

SubjectKind = Literal["name", "role", "pronoun", "system", "unknown"]

TOKEN = re.compile(r"[A-Za-z0-9][\w'’-]*|[^\w\s]")
_CONTRACTION = re.compile(r"['’](?:d|ve|ll|re|s)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Subject:
    """The subject (or agent) found for a verb; ``label`` is how a rewording names it."""

    kind: SubjectKind
    start: int
    end: int
    text: str
    label: str

    @property
    def is_person(self) -> bool:
        return self.kind in ("name", "role", "pronoun")


@dataclass(frozen=True, slots=True)
class _Name:
    tokens: tuple[str, ...]  # lower case unless case-sensitive
    case_sensitive: bool
    label: str


def role_label(person: Participant) -> str:
    """How a neutral rewording refers to a participant: their role, else alias."""
    return _label(person.role, person.alias)


def _label(role: str, alias: str) -> str:
    if role.strip():
        return f"the {role.strip()}"
    return alias.strip() or "a participant"


class People:
    """The participants of a review, ready for finding their names and roles in text."""

    def __init__(self, people: Sequence[tuple[str, str, str]]) -> None:
        names: list[_Name] = []
        roles: set[tuple[str, ...]] = set()
        firsts: dict[str, list[str]] = {}
        exact: dict[str, str] = {}
        for name, role, alias in people:
            label = _label(role, alias)
            for full in (name, alias):
                words = tuple(w.lower() for w in full.split())
                if words:
                    names.append(_Name(words, False, label))
                    exact[" ".join(words)] = label
            if len(name.split()) > 1 and len(name.split()[0]) > 1:
                firsts.setdefault(name.split()[0], []).append(label)
            if role.split():
                roles.add(tuple(w.lower() for w in role.split()))
        for first, labels in firsts.items():
            if len(labels) == 1 and first.lower() not in exact:
                names.append(_Name((first,), True, labels[0]))
                exact[first] = labels[0]
        self.names = sorted(names, key=lambda n: -len(n.tokens))
        self.roles = sorted(roles, key=len, reverse=True)
        self._labels = exact
        self.pattern = _names_pattern(self.names)

    def label(self, matched: str) -> str:
        key = " ".join(matched.split())
        return self._labels.get(key) or self._labels.get(key.lower(), "a participant")

    def replace_names(self, text: str) -> tuple[str, list[tuple[str, str]]]:
        """``text`` with every participant's name replaced by their role, and what changed."""
        if self.pattern is None:
            return text, []
        changed: list[tuple[str, str]] = []

        def swap(match: re.Match[str]) -> str:
            label = self.label(match.group(0))
            if (match.group(0), label) not in changed:
                changed.append((match.group(0), label))
            return capitalised(label) if sentence_start(match.string, match.start()) else label

        return self.pattern.sub(swap, text), changed

    # -- subjects ---------------------------------------------------------------------------

    def subject_before(self, text: str, pos: int) -> Subject | None:
        """The subject of a verb starting at ``pos``, read back over adverbs and auxiliaries."""
        tokens = _tokens(text, max(0, pos - 100), pos)
        i = len(tokens) - 1
        skipped = 0
        while i >= 0 and skipped < 3 and _bare(tokens[i][0]) in SKIPPABLE:
            i -= 1
            skipped += 1
        if i < 0:
            return None
        return self._noun_phrase_ending(text, tokens, i)

    def subject_after(self, text: str, pos: int) -> Subject | None:
        """The noun phrase starting at ``pos`` (an agent after "by", an object after "blamed")."""
        tokens = _tokens(text, pos, min(len(text), pos + 160))
        if not tokens:
            return None
        name = self._name_at(tokens, 0, forward=True)
        if name is not None:
            return name
        word = tokens[0][0].lower()
        if word in OBJECT_PRONOUNS or word in PRONOUNS:
            return Subject("pronoun", tokens[0][1], tokens[0][2], tokens[0][0], tokens[0][0])
        k = 1 if word in DETERMINERS else 0
        for j in range(k, min(k + 4, len(tokens))):
            head = self._head_at(tokens, j)
            if head is not None:
                kind, length = head
                first, last = tokens[0][1], tokens[j + length - 1][2]
                return Subject(kind, first, last, text[first:last], text[first:last])
            if not tokens[j][0][0].isalnum():
                break
        return Subject("unknown", tokens[0][1], tokens[0][2], tokens[0][0], tokens[0][0])

    def _noun_phrase_ending(
        self, text: str, tokens: list[tuple[str, int, int]], i: int
    ) -> Subject | None:
        name = self._name_at(tokens, i, forward=False)
        if name is not None:
            first = i - len(name.text.split()) + 1
            return None if _after_preposition(tokens, first) else name
        word = _bare(tokens[i][0])
        token, start, end = tokens[i]
        if word in PRONOUNS:
            return Subject("pronoun", start, start + len(word), text[start : start + len(word)], "")
        if i >= 1 and (tokens[i - 1][0].lower(), word) == ("no", "one"):
            return Subject("pronoun", tokens[i - 1][1], end, text[tokens[i - 1][1] : end], "")
        for length in (3, 2, 1):
            if i - length + 1 < 0:
                continue
            words = tuple(t[0].lower() for t in tokens[i - length + 1 : i + 1])
            if words in self.roles or (length == 2 and words in PERSON_HEADS_2):
                return self._role_phrase(text, tokens, i - length + 1, i)
        if word in PERSON_HEADS:
            return self._role_phrase(text, tokens, i, i)
        if word in SYSTEM_NOUNS:
            return Subject("system", start, end, token, token)
        return Subject("unknown", start, end, token, token)

    def _role_phrase(
        self, text: str, tokens: list[tuple[str, int, int]], head: int, last: int
    ) -> Subject | None:
        j = head - 1
        first = head
        while j >= 0 and head - j <= 3 and tokens[j][0][0].isalnum():
            word = tokens[j][0].lower()
            if word in PREPOSITIONS or (word.endswith("ing") and word not in NOT_GERUNDS):
                break
            first = j
            if word in DETERMINERS:
                break
            j -= 1
        if _after_preposition(tokens, first):
            return None
        start, end = tokens[first][1], tokens[last][2]
        return Subject("role", start, end, text[start:end], text[start:end])

    def _name_at(
        self, tokens: list[tuple[str, int, int]], i: int, *, forward: bool
    ) -> Subject | None:
        for name in self.names:
            size = len(name.tokens)
            lo = i if forward else i - size + 1
            if lo < 0 or lo + size > len(tokens):
                continue
            window = tokens[lo : lo + size]
            words = tuple(
                _strip_possessive(t[0]) if name.case_sensitive else _strip_possessive(t[0]).lower()
                for t in window
            )
            if words == name.tokens:
                start, end = window[0][1], window[-1][2]
                shown = " ".join(t[0] for t in window)
                return Subject("name", start, end, shown, name.label)
        return None

    def _head_at(
        self, tokens: list[tuple[str, int, int]], j: int
    ) -> tuple[SubjectKind, int] | None:
        word = tokens[j][0].lower()
        if j + 1 < len(tokens) and (word, tokens[j + 1][0].lower()) in PERSON_HEADS_2:
            return "role", 2
        for role in self.roles:
            if tuple(t[0].lower() for t in tokens[j : j + len(role)]) == role:
                return "role", len(role)
        if word in PERSON_HEADS:
            return "role", 1
        if word in SYSTEM_NOUNS:
            return "system", 1
        return None


def sentence_start(text: str, pos: int) -> bool:
    """Whether ``pos`` opens the text, a sentence or a line."""
    before = text[:pos].rstrip(" \t\"'“‘(*-")
    return not before or before[-1] in ".!?\n"


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def _tokens(text: str, start: int, end: int) -> list[tuple[str, int, int]]:
    return [(m.group(0), m.start(), m.end()) for m in TOKEN.finditer(text, start, end)]


def _bare(token: str) -> str:
    """A token lower-cased, without a contracted auxiliary ("we'd" → "we")."""
    return _CONTRACTION.sub("", token.lower())


def _strip_possessive(token: str) -> str:
    return token[:-2] if token[-2:] in ("'s", "’s") else token


def _after_preposition(tokens: list[tuple[str, int, int]], first: int) -> bool:
    """Whether the noun phrase starting at ``first`` follows a preposition or opens a gerund."""
    if first <= 0:
        return False
    word = tokens[first - 1][0].lower()
    if word in PREPOSITIONS:
        return True
    clause_start = first - 1 == 0 or not tokens[first - 2][0][0].isalnum()
    return clause_start and word.endswith("ing") and word not in NOT_GERUNDS


def _names_pattern(names: Sequence[_Name]) -> re.Pattern[str] | None:
    if not names:
        return None
    parts = []
    for name in names:
        body = r"\s+".join(re.escape(t) for t in name.tokens)
        parts.append(body if name.case_sensitive else f"(?i:{body})")
    return re.compile(rf"(?<![\w-])(?:{'|'.join(parts)})(?![\w-])")


NOBODY = People(())


@lru_cache(maxsize=64)
def _people(key: tuple[tuple[str, str, str], ...]) -> People:
    return People(key)


def people_index(people: Sequence[Participant]) -> People:
    """A (cached) index of participants for subject finding and name replacement."""
    if not people:
        return NOBODY
    return _people(tuple((p.name, p.role, p.alias) for p in people))
