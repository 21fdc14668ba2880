"""Hindsight: "should have", "obviously", "in hindsight", and "root cause".

Rules, in the words of a reviewer:

- ``hindsight``: "should/ought to have" + a past participle judges the past by what is known
  now ("we should have rolled back", "it should've been caught"). A requirement is not flagged:
  "should have" + a noun or number ("each region should have its own alarm", "the pool should
  have 3 replicas", "should have dedicated capacity"), nor the designed behaviour of a system
  in the active voice ("the alert should have fired at 80%"); "… should have been <done>" is
  flagged whatever the subject, since the passive hides who was expected to act. "Could have"
  is the neutral rewording and is not flagged. "Obviously" and "clearly" as claims that
  something was evident are flagged ("the logs clearly showed …"); "clearly" describing how
  something is presented or perceived ("clearly labelled", "explained clearly", "we could see
  clearly") is not, nor "not obviously". "Was obvious", "it's obvious", "it was clear that"
  are flagged, "wasn't obvious" is not. "In hindsight", "with hindsight" and "in retrospect"
  are reported as information; "looking back at the timeline" is not reported.
- ``root-cause`` (information): "root cause" suggests a single cause. "Root cause analysis" (the
  name of a document or process) and the plural "root causes" are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review_assistant.lint.people import People
from review_assistant.lint.reword import Hit, Rule, drop_word, negated, next_word, previous_word
from review_assistant.lint.vocabulary import starting, word_set

IRREGULAR = word_set(
    "known caught seen done taken gone been run written read set put kept made thought "
    "told given got gotten understood shut sent built found held left brought begun "
    "chosen drawn driven fallen forgotten frozen hidden shown spoken thrown woken "
    "withdrawn let cut spent felt heard lost meant met paid said sold stood struck taught "
    "won dealt led fed sped split spread quit hit shaken undone overridden rewritten "
    "redone foreseen had"
)
_NOT_PARTICIPLES = word_set(
    "need speed feed seed bed red shed bleed breed greed deed weed indeed hundred sacred"
)
#: Participles that usually work as adjectives before a noun ("should have dedicated capacity").
_PARTICIPLE_ADJECTIVES = word_set(
    "dedicated automated detailed limited shared named fixed isolated separated "
    "distributed reserved advanced enhanced guaranteed integrated labelled labeled "
    "localised localized paired protected tiered structured unified versioned balanced "
    "documented updated signed encrypted pinned"
)
_FUNCTION_WORDS = word_set(
    "the a an this that these those it its their our his her my your them him us me some "
    "any all every each to in on at for from by with of up down back out off over into "
    "about before after earlier sooner instead again too also immediately then once"
)
_PAST = {
    "run": "ran",
    "gone": "went",
    "taken": "took",
    "done": "did",
    "seen": "saw",
    "written": "wrote",
    "given": "gave",
    "known": "knew",
    "begun": "began",
    "chosen": "chose",
    "driven": "drove",
    "shown": "showed",
    "thrown": "threw",
}

#: Irregular participles that are also the simple past.
_SAME_PAST = word_set(
    "made put set let cut hit read sent built found held left brought kept told thought "
    "paid said sold spent lost meant met heard felt led quit split spread shut caught "
    "taught had"
)

_SHOULD = starting(
    "so",
    r"\b(?P<modal>(?P<neg>shouldn['’]t\s+have|should\s+not\s+have|shouldn['’]t['’]ve|"
    r"ought\s+not\s+to\s+have|oughtn['’]t\s+to\s+have)|should\s+have|should['’]ve|"
    r"ought\s+to\s+have|ought\s+to['’]ve)"
    r"(?P<adv>\s+(?:just|simply|immediately|already|probably|really|definitely|also|first|"
    r"quickly|at\s+least|then|instead))?\s+(?P<word>[A-Za-z][\w'’-]*)",
    re.IGNORECASE,
)
_EVIDENT = starting("oc", r"\b(?:obviously|clearly)\b", re.IGNORECASE)
_PRESENTATION = word_set(
    "labelled labeled marked documented written visible defined named stated explained "
    "communicated signposted separated shown displayed worded described readable legible "
    "structured identified specified flagged indicated outlined laid signalled signaled "
    "audible distinguished distinguishable formatted highlighted presented articulated "
    "expressed separate distinct see saw seen hear heard notice noticed"
)
_SAYING = word_set(
    "communicate communicated communicates explain explained explains label labelled "
    "labeled write writes wrote written state stated describe described show shows shown "
    "display displayed displays speak speaks spoke think document documented define "
    "defined mark marked say says said hear heard present presented articulate "
    "articulated express expressed format formatted more less very so too as quite pretty "
    "fairly reasonably most communicating explaining writing speaking thinking labelling "
    "describing stating documenting presenting see seeing saw think"
)
_OBVIOUS = starting(
    "wbslfito",
    r"\b(?:(?:was|were|been|seemed|looked|felt|it['’]s|it\s+is|that['’]s)\s+(?:so\s+|very\s+|"
    r"completely\s+|totally\s+|pretty\s+|quite\s+|really\s+|blindingly\s+)?obvious|"
    r"(?:it|that)(?:\s+(?:was|is|seemed|seems)|['’]s)\s+(?:so\s+|very\s+|quite\s+)?clear\s+that|"
    r"obvious\s+in\s+hindsight)\b",
    re.IGNORECASE,
)
_ROOT = starting(
    "taoir",
    r"\b(?P<det>(?:the|a|one|our|its)\s+(?:(?:single|real|actual|true|main|underlying)\s+)?)?"
    r"root[- ]cause(?P<verb>d|s)?\b(?![- ]analys[ie]s)(?P<of>\s+of\b)?",
    re.IGNORECASE,
)
_ROOT_VERB = starting("r", r"\broot[- ]caus(?:ed|ing)\b", re.IGNORECASE)
_ANNOUNCED = starting(
    "iw",
    r"\b(?:(?:in|with)\s+(?:the\s+benefit\s+of\s+)?hindsight|in\s+retrospect)\b",
    re.IGNORECASE,
)

WHAT_MADE_SENSE = (
    "What did people know at that moment, and what made the path they took reasonable?"
)
_HINDSIGHT_WHY = "hindsight: judges a past decision by what is known now"
_HINDSIGHT_DO = "say what was known and done at the time, and what made it reasonable then"


def is_participle(word: str) -> bool:
    lower = word.lower()
    if lower in IRREGULAR:
        return True
    return len(lower) > 3 and lower.endswith("ed") and lower not in _NOT_PARTICIPLES


def _obvious(text: str, people: People) -> Iterator[Hit]:
    for m in _OBVIOUS.finditer(text):
        if not negated(text, m.start()):
            yield Hit(
                "hindsight",
                m.start(),
                m.end(),
                m.group(0),
                "hindsight: it was not obvious at the time, or it would have been acted on",
                "say what was visible at the time, and to whom",
                question=WHAT_MADE_SENSE,
            )


def _announced(text: str, people: People) -> Iterator[Hit]:
    for m in _ANNOUNCED.finditer(text):
        a, b = m.start(), m.end()
        if text[max(0, a - 2) : a] == ", " and text[b : b + 1] == ",":
            a, b = a - 2, b + 1
        elif text[b : b + 1] == ",":
            b += 1
        yield Hit(
            "hindsight",
            m.start(),
            m.end(),
            m.group(0),
            "announces hindsight: check the sentence says what was known at the time",
            "say what was known at the time, without the benefit of hindsight",
            severity="info",
            fix=(a, b, ""),
        )


def _root_cause(text: str, people: People) -> Iterator[Hit]:
    for m in _ROOT.finditer(text):
        if m.group("verb"):
            continue
        start = m.start() + len(m.group("det") or "")
        a = m.start()
        replacement = "a contributing factor" if m.group("det") else "contributing factor"
        if m.group("of"):
            replacement += " in"
        yield Hit(
            "root-cause",
            start,
            m.end() - len(m.group("of") or ""),
            text[start : m.end() - len(m.group("of") or "")],
            "suggests a single cause; incidents have several contributing factors",
            "name it as one contributing factor among several",
            severity="info",
            fix=(a, m.end(), replacement),
            question="What else had to be true for this to happen?",
        )
    for m in _ROOT_VERB.finditer(text):
        yield Hit(
            "root-cause",
            m.start(),
            m.end(),
            m.group(0),
            "suggests a single cause; incidents have several contributing factors",
            "name the contributing factors that were found",
            severity="info",
            question="What else had to be true for this to happen?",
        )


def _should(text: str, people: People) -> Iterator[Hit]:
    for m in _SHOULD.finditer(text):
        word = m.group("word")
        if not is_participle(word):
            continue
        lower = word.lower()
        after = next_word(text, m.end())
        if lower in _PARTICIPLE_ADJECTIVES and after and after not in _FUNCTION_WORDS:
            continue  # "should have dedicated capacity": a requirement
        subject = people.subject_before(text, m.start())
        if subject is not None and subject.kind == "system" and lower != "been":
            continue  # "the alert should have fired": how the system was meant to work
        a, b = m.span("modal")
        fix: tuple[int, int, str] | None = (a, b, "could have")
        if m.group("neg"):
            adverb = (m.group("adv") or "").strip()
            same = lower.endswith("ed") or lower in _SAME_PAST
            past = _PAST.get(lower, word if same else "")
            fix = (a, m.end(), f"{adverb} {past}".strip()) if past else None
        yield Hit(
            "hindsight",
            a,
            b,
            m.group("modal"),
            _HINDSIGHT_WHY,
            _HINDSIGHT_DO,
            fix=fix,
            question=WHAT_MADE_SENSE,
        )


def _evident(text: str, people: People) -> Iterator[Hit]:
    for m in _EVIDENT.finditer(text):
        if negated(text, m.start(), window=2):
            continue
        if next_word(text, m.end()) in _PRESENTATION or previous_word(text, m.start()) in _SAYING:
            continue
        yield Hit(
            "hindsight",
            m.start(),
            m.end(),
            m.group(0),
            "hindsight: it may not have been clear at the time",
            "say what was visible at the time, and to whom",
            fix=drop_word(text, m.start(), m.end()),
            question="What did it look like at the time, before anyone knew the outcome?",
        )


#: Each rule with the words (lower case, as written) without which it cannot match.
HINDSIGHT_RULES: tuple[tuple[frozenset[str], Rule], ...] = (
    (word_set("should should've should’ve shouldn't shouldn’t ought oughtn't oughtn’t"), _should),
    (word_set("obviously clearly"), _evident),
    (word_set("obvious clear"), _obvious),
    (word_set("hindsight retrospect"), _announced),
    (word_set("root"), _root_cause),
)
