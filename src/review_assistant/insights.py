"""Learning across incidents: what recurs in the contributing factors and learnings of every
review, and the parked ideas that never became actions.

Read straight from SQLite in a few queries (no review is loaded whole), so it stays quick with
a thousand reviews. A theme is a socio-technical tag (``avoid(ownership): …``) or a word that
factors of several reviews share; it recurs when it appears in two reviews or more.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from review_assistant.domain.models import FactorArea
from review_assistant.store import Store

_STOP_WORDS = """
    a an and are as at be been but by can could did do does for from had has have in into is it
    its no not of on one or our so than that the their them there these they this to too two up
    was we were what when where which while who with without would more most much many only
    other same some such all any each every very just also after before during over under
    about because then once again still yet nobody someone people team change changes changed
"""
#: Words too common in factor sentences to say anything about a theme.
_STOP = frozenset(_STOP_WORDS.split())
_WORD = re.compile(r"[a-z][a-z0-9\-]{2,}")


@dataclass(frozen=True, slots=True)
class Source:
    """One item and the review it belongs to."""

    session_id: str
    session_title: str
    item_id: str
    text: str
    created_at: str
    area: str = ""
    tag: str = ""

    @property
    def key(self) -> str:
        """``SESSION/ITEM``: unique across reviews."""
        return f"{self.session_id}/{self.item_id}"


@dataclass(frozen=True, slots=True)
class Theme:
    """A tag or a shared word, with how many reviews and factors it appears in."""

    label: str
    kind: str  # "tag" or "word"
    reviews: tuple[tuple[str, str], ...]  # (session id, title), newest review first
    factors: int

    @property
    def recurs(self) -> bool:
        return len(self.reviews) >= 2


@dataclass
class Insights:
    factors: list[Source] = field(default_factory=list)
    learnings: list[Source] = field(default_factory=list)
    ideas: list[Source] = field(default_factory=list)  # parked, never turned into an action
    by_area: dict[str, int] = field(default_factory=dict)
    reviews_by_area: dict[str, int] = field(default_factory=dict)
    tags: list[Theme] = field(default_factory=list)
    words: list[Theme] = field(default_factory=list)
    reviews: int = 0


def _sources(store: Store, sql: str) -> list[Source]:
    return [
        Source(
            session_id=str(row["session_id"]),
            session_title=str(row["title"]),
            item_id=str(row["id"]),
            text=str(row["text"]),
            created_at=str(row["created_at"]),
            area=str(row.get("area") or ""),
            tag=str(row.get("tag") or ""),
        )
        for row in store.db.query(sql)
    ]


def _themes(
    groups: dict[str, list[Source]], kind: str, updated: dict[str, str], *, limit: int
) -> list[Theme]:
    themes = []
    for label, items in groups.items():
        titles = {s.session_id: s.session_title for s in items}
        order = sorted(titles, key=lambda sid: updated.get(sid, ""), reverse=True)
        themes.append(Theme(label, kind, tuple((sid, titles[sid]) for sid in order), len(items)))
    themes.sort(key=lambda t: (-len(t.reviews), -t.factors, t.label))
    return themes[:limit]


def gather(store: Store, *, words: int = 15) -> Insights:
    """Factors, learnings and never-actioned ideas of every review, and their recurring themes."""
    base = "SELECT i.*, s.title FROM {table} i JOIN sessions s ON s.id = i.session_id"
    newest = " ORDER BY i.created_at DESC, i.id"
    found = Insights(
        factors=_sources(store, base.format(table="factors") + newest),
        learnings=_sources(store, base.format(table="learnings") + newest),
        ideas=_sources(store, base.format(table="ideas") + " WHERE i.action_id IS NULL" + newest),
    )
    found.reviews = int(next(iter(store.db.query("SELECT count(*) AS n FROM sessions")))["n"])
    updated = {str(r["id"]): str(r["updated_at"]) for r in store.db.query(
        "SELECT id, updated_at FROM sessions"
    )}  # fmt: skip
    area_reviews: dict[str, set[str]] = defaultdict(set)
    by_tag: dict[str, list[Source]] = defaultdict(list)
    by_word: dict[str, list[Source]] = defaultdict(list)
    for factor in found.factors:
        area_reviews[factor.area].add(factor.session_id)
        if factor.tag.strip():
            by_tag[factor.tag.strip().lower()].append(factor)
        for word in set(_WORD.findall(factor.text.lower())) - _STOP:
            by_word[word].append(factor)
    counts = Counter(f.area for f in found.factors)
    found.by_area = {area.value: counts.get(area.value, 0) for area in FactorArea}
    found.reviews_by_area = {a.value: len(area_reviews.get(a.value, ())) for a in FactorArea}
    found.tags = _themes(by_tag, "tag", updated, limit=50)
    shared = {w: items for w, items in by_word.items() if len({s.session_id for s in items}) >= 2}
    found.words = _themes(shared, "word", updated, limit=words)
    return found
