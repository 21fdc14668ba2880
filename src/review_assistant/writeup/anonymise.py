"""Participants' names out of anything shared beyond the room.

Each participant gets one public label: their alias, else their role, else "participant";
labels that would be shared by several people get a letter ("Engineer A", "Engineer B").
In free text a name is found as a full name (any case, any spacing), a first name on its own,
a last name written with a capital, an @handle or a user name (``@alex``, ``alex.example``,
``aexample``), an e-mail address built from the name, and in possessive forms ("Alex's").

A first name is matched in any case unless it is also an everyday word ("Will", "May"): those
only match capitalised. A last name only matches capitalised, because many are words too
("Sample", "Example"). A first or last name shared by two participants cannot say who is meant
and becomes "a participant".

Only the review's participants are known: anyone else named in the material stays named.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from review_assistant.domain.models import Participant, Review

_COMMON_WORDS = """
    will may mark june april august bill rose grace hope faith joy sky river art max sun frank
    jack pat rob sue don ray gene dawn summer autumn penny ruby amber crystal hunter chase drew
    page lane dale glen wade reed cole miles sandy rocky chip buck ivy iris holly lily daisy kit
    ginger sterling young king white black brown green gray grey long hall wood stone hill west
    north case bud carol cliff clay dean earl guy hazel heath jay jean jewel
    lance mo pearl rich rusty sally van victor
"""
#: First names that are also everyday English words: matched only when capitalised.
COMMON_WORDS = frozenset(_COMMON_WORDS.split())

AMBIGUOUS = "a participant"
_SKIP_KEYS = frozenset(
    {"id", "at", "created_at", "updated_at", "timezone", "kind", "status", "phase", "task"}
    | {"provider", "model", "area", "outcome", "import_key", "due", "conducted_at"}
    | {"incident_start", "incident_end", "format", "version"}
)
_NAME_KEYS = frozenset({"who", "owner"})


@functools.lru_cache(maxsize=4096)  # the same few names are matched over and over
def _fold(text: str) -> str:
    return _plain(re.sub(r"[\s._\-'’]+", "", text)).casefold()


def _plain(text: str) -> str:
    """Without accents: "Zoë" → "Zoe"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _spelled(word: str) -> str:
    """A regex for a name part as people type it: with or without its accents, either
    apostrophe."""
    forms = {unicodedata.normalize("NFC", word), _plain(word)}
    escaped = [re.sub("['’]", "['’]", re.escape(f)) for f in forms]
    return "(?:" + "|".join(sorted(escaped, key=len, reverse=True)) + ")"


def public_labels(participants: Sequence[Participant]) -> dict[str, str]:
    """Participant id → the label shown in their place, unique within the review."""
    base = {p.id: (p.alias.strip() or p.role.strip() or "participant") for p in participants}
    counts: dict[str, int] = {}
    for label in base.values():
        counts[label.casefold()] = counts.get(label.casefold(), 0) + 1
    seen: dict[str, int] = {}
    labels: dict[str, str] = {}
    for person in participants:
        label = base[person.id]
        key = label.casefold()
        if counts[key] > 1:
            seen[key] = seen.get(key, 0) + 1
            label = f"{label[:1].upper()}{label[1:]} {chr(ord('A') + seen[key] - 1)}"
        labels[person.id] = label
    return labels


class Anonymiser:
    """Replaces participants' names by their public labels."""

    def __init__(self, participants: Iterable[Participant]) -> None:
        people = [p for p in participants if p.name.split()]
        self.labels = public_labels(people)
        self._exact: dict[str, str] = {}  # folded full name / handle → label
        self._word: dict[str, str] = {}  # a first or last name on its own → label
        handles: dict[str, str] = {}
        owners: dict[str, set[str]] = {}
        insensitive: set[str] = set()
        sensitive: set[str] = set()
        for person in people:
            label = self.labels[person.id]
            parts = person.name.split()
            self._exact[_fold(person.name)] = label
            first, last = parts[0], parts[-1]
            for variant in {
                first + last,
                last + first,
                first[0] + last,
                first + last[0],
                first,
            }:
                handles.setdefault(_fold(variant), label)
            singles = [(first, True)] + ([(last, False)] if len(parts) > 1 else [])
            for word, is_first in singles:
                if len(word) < 2:
                    continue
                owners.setdefault(_fold(word), set()).add(label)
                if is_first and word.casefold() not in COMMON_WORDS:
                    insensitive.add(_spelled(word))
                else:
                    sensitive.add(_spelled(word[0].upper() + word[1:]))
                    sensitive.add(_spelled(word.upper()))
        for word, who in owners.items():
            self._word[word] = who.pop() if len(who) == 1 else AMBIGUOUS
        self._handles = handles
        full = sorted(
            (r"[\s\-]+".join(map(_spelled, p.name.split())) for p in people),
            key=len,
            reverse=True,
        )
        names = [f"(?i:{n})" for n in full]
        names += [f"(?i:{w})" for w in sorted(insensitive, key=len, reverse=True)]
        names += sorted(sensitive, key=len, reverse=True)
        alternatives = [
            r"(?P<email>[\w.+\-]+)@[\w\-]+(?:\.[\w\-]+)+",
            r"@(?P<handle>[\w][\w.\-]*[\w]|[\w])",
            r"(?P<login>[A-Za-z]+[._\-][A-Za-z]+)",
        ]
        if names:
            alternatives.append("(?P<name>" + "|".join(names) + ")")
        self._pattern = (
            re.compile(r"(?<![\w@.])(?:" + "|".join(alternatives) + r")(?![\w@])")
            if people
            else None
        )
        self._names = (
            re.compile(r"(?<![\w@])(?:" + alternatives[-1] + r")(?!\w)") if names else None
        )

    # -- text -------------------------------------------------------------------------------

    def _label_for(self, match: re.Match[str]) -> str | None:
        groups = match.groupdict()
        for key in ("email", "handle", "login"):
            if groups.get(key) is not None:
                return self._handles.get(_fold(groups[key]))
        found = groups["name"]
        return self._exact.get(_fold(found)) or self._word.get(_fold(found))

    def _bare(self, match: re.Match[str]) -> str:
        return self._label_for(match) or match[0]

    def text(self, value: str) -> str:
        """Free text with every participant's name replaced (roles read as "the <role>")."""
        if self._pattern is None or not value:
            return value
        composed = unicodedata.normalize("NFC", value)

        def replace(match: re.Match[str]) -> str:
            label = self._label_for(match)
            if label is None:
                if match["name"] is None and self._names is not None:  # "Alex.Then", "@Alexx"
                    return self._names.sub(self._bare, match[0])
                return match[0]
            if label[:1].islower() and label != AMBIGUOUS and not _after_article(composed, match):
                label = f"the {label}"
            if _sentence_start(composed, match.start()):
                label = label[:1].upper() + label[1:]
            return label

        replaced = self._pattern.sub(replace, composed)
        return value if replaced == composed else replaced  # text naming nobody stays as typed

    __call__ = text

    def name(self, value: str) -> str:
        """A field that names a person ("who", "owner"): their label, without an article."""
        stripped = value.strip()
        if not stripped:
            return value
        key = _fold(stripped.lstrip("@"))
        label = self._exact.get(key) or self._handles.get(key)
        if label is None and len(stripped.split()) == 1:
            label = self._word.get(_fold(stripped))
        return label if label is not None else self.text(value)

    # -- whole documents --------------------------------------------------------------------

    def document(self, data: Any, key: str = "") -> Any:
        """A JSON-like value with names replaced in every free-text string."""
        if isinstance(data, dict):
            return {k: self.document(v, k) for k, v in data.items()}
        if isinstance(data, list):
            return [self.document(v, key) for v in data]
        if not isinstance(data, str) or key in _SKIP_KEYS or key.endswith("_id"):
            return data
        return self.name(data) if key in _NAME_KEYS else self.text(data)

    def review(self, review: Review) -> Review:
        """A copy of the review fit to share: participants renamed, names gone from the text."""
        dump = review.model_dump(mode="json")
        people = dump.pop("participants")
        for person in people:
            person["name"] = self.labels.get(person["id"], "participant")
        dump = self.document(dump)
        dump["participants"] = people
        dump["session"]["anonymise"] = True
        return _fitted(dump)

    def unknown_people(self, review: Review) -> list[str]:
        """Names in "who" and "owner" fields that match no participant (left as written)."""
        known = {v.strip().casefold() for p in review.participants for v in (p.role, p.alias)}
        known |= {label.casefold() for label in self.labels.values()}
        seen: dict[str, None] = {}
        values = [e.who for e in review.events] + [a.owner for a in review.actions]
        for value in values:
            if (
                value.strip()
                and self.name(value) == value
                and value.strip().casefold() not in known
            ):
                seen.setdefault(value.strip(), None)
        return list(seen)


def _fitted(dump: dict[str, Any]) -> Review:
    """The review from its anonymised data; a value that a label made longer than its field
    allows (a name inside the severity, a long role in place of a short name) is shortened."""
    from pydantic import ValidationError

    try:
        return Review.model_validate(dump)
    except ValidationError as exc:
        errors = exc.errors()
        if any(error["type"] != "string_too_long" for error in errors):
            raise
        for error in errors:
            *path, last = error["loc"]
            holder: Any = dump
            for key in path:
                holder = holder[key]
            limit = int(error["ctx"]["max_length"])
            holder[last] = holder[last][: limit - 1] + "…"
    return Review.model_validate(dump)


def _after_article(text: str, match: re.Match[str]) -> bool:
    before = text[max(0, match.start() - 12) : match.start()].rstrip().rsplit(None, 1)
    return bool(before) and before[-1].casefold() in {"the", "a", "an", "our", "their", "your"}


def _sentence_start(text: str, index: int) -> bool:
    window = text[max(0, index - 64) : index]
    before = window.rstrip(" \t")
    if not before:
        return index - len(window) == 0
    return before[-1] in ".!?\n"


def anonymiser(participants: Iterable[Participant]) -> Anonymiser:
    return Anonymiser(participants)
