"""People as the subject of a failure: "failed to", "missed", "ignored", "broke" …

Rules, in the words of a reviewer:

- ``person-failure``: a participant (by name, first name or alias) is the subject of a failure
  verb ("Alex Example failed to check the dashboard"). The rewording names the role instead.
- ``blame-verb``: the same verbs with a pronoun or a person noun phrase as subject ("the
  on-call missed the page", "we ignored the alert", "they dropped the ball"). "failed to",
  "missed", "ignored", "messed up", "broke", "didn't check" and the like are flagged only with a
  person as subject: "the health check failed to start" and "the cron job missed its window"
  are about systems. "forgot", "neglected to", "didn't bother" and "dropped the ball" are about
  people whatever the subject, unless it is a system. The passive with a person as agent ("was
  ignored by the on-call") is flagged; without one ("the page was missed") it is not.
- ``judgement`` for "<person> was at fault / is to blame".

Not flagged: denials ("nobody ignored anything", "we missed nothing"), missing a meeting or a
target ("those who missed the review", "we missed the SLO"), and "they" standing for things
("the pods came back, then they failed to pass the probe"). See ``people`` for how a subject is
found, and its limits.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from review_assistant.lint.people import People, Subject
from review_assistant.lint.reword import (
    Hit,
    Rule,
    gerund,
    negated,
    next_word,
    previous_word,
    words_after,
)
from review_assistant.lint.vocabulary import SYSTEM_NOUNS, starting, word_set

BLAME_DO = "describe what happened and what made it likely; leave out who is to blame"
_FAILURE = starting(
    "abcdfimnosw",
    r"\b(?:(?P<to>fail(?:s|ed)?\s+to|neglect(?:s|ed)?\s+to|forgot(?:ten)?\s+to|"
    r"(?:didn['’]t|did\s+not|never)\s+bother(?:ed)?\s+to|"
    r"could(?:n['’]t|\s+not)\s+be\s+bothered\s+to)\s+(?P<verb>[a-z][\w-]*)|"
    r"(?P<bother>(?:didn['’]t|did\s+not|never)\s+bother(?:ed)?|"
    r"could(?:n['’]t|\s+not)\s+be\s+bothered)|"
    r"(?P<forgot>forgot(?:ten)?(?:\s+about)?)|(?P<ball>dropped\s+the\s+ball)|"
    r"(?P<missed>missed|overlooked)|(?P<ignored>ignored)|"
    r"(?P<messed>(?:messed|screwed)\s+up|botched|bungled|fumbled)|(?P<broke>broke)|"
    r"(?P<didnt>(?:didn['’]t|did\s+not|never)\s+(?P<base>check|test|verify|read|follow|review|"
    r"validate|confirm|double[- ]?check|look\s+at)|never\s+(?:checked|tested|verified|"
    r"followed|reviewed|validated|confirmed|looked\s+at))|"
    r"(?P<mistake>made\s+(?:a|an)\s+(?:mistake|error|blunder)|made\s+mistakes)|"
    r"(?P<fault>(?:was|were|is|are)\s+(?:at\s+fault|to\s+blame)))\b",
    re.IGNORECASE,
)

_AGENT = starting(
    "wgb",
    r"\b(?:was|were|got|been|being)\s+(?:missed|ignored|overlooked|botched|dropped)\s+by\s+",
    re.IGNORECASE,
)

#: What "they" usually means when it "failed to" do these: pods, hosts, replicas.
_SYSTEM_VERBS = word_set(
    "start become respond connect elect deliver load resolve renew boot bind compile "
    "build parse reach sync replicate acquire drain scale register authenticate apply "
    "recover restart complete fire trigger run execute converge mount pull come join "
    "rejoin serve return report"
)

_NOT_SIGNALS = word_set(
    "meeting meetings call calls standup stand-up session review retro demo slo slos sla slas "
    "target targets deadline deadlines objective objectives"
)

_KINDS = (
    "to",
    "bother",
    "forgot",
    "ball",
    "missed",
    "ignored",
    "messed",
    "broke",
    "didnt",
    "mistake",
    "fault",
)

_HAD_BEFORE = re.compile(r"\bhad\s+$", re.IGNORECASE)
_HAVE = frozenset({"had", "has", "have", "'ve", "’ve"})

_GENERIC_QUESTION = (
    "What did they see and know at that moment, and what made their actions reasonable?"
)

_NEUTRAL_VERB = {"fail": "do not", "fails": "does not", "neglect": "do not", "neglects": "does not"}

_BASE = {
    "checked": "check",
    "tested": "test",
    "verified": "verify",
    "followed": "follow",
    "reviewed": "review",
    "validated": "validate",
    "confirmed": "confirm",
    "looked": "look at",
}


def _what_made(doing: str, rest: str) -> str:
    return f"What made {doing} {rest}".rstrip() + " hard or unlikely at the time?"


def _failures(text: str, people: People) -> Iterator[Hit]:
    for m in _FAILURE.finditer(text):
        kind = next(name for name in _KINDS if m.group(name))
        start = m.start()
        subject = people.subject_before(text, start)
        if subject is not None and subject.kind == "system":
            continue
        words = m.group(0)
        following = words_after(text, m.end(), 3).lower().split()
        if kind == "missed" and _NOT_SIGNALS & set(following):
            continue  # "those who missed the meeting", "we missed the SLO"
        if (
            following[:1] in (["nothing"], ["anything"])
            or (subject is not None and subject.text.lower() in ("nobody", "no one", "no-one"))
            or negated(text, subject.start if subject is not None else start, window=2)
        ):
            continue  # a denial: "nobody ignored anything", "not who was at fault"
        inherent = kind in ("bother", "forgot", "ball") or (
            kind == "to" and not words.lower().startswith("fail")
        )
        person = subject is not None and subject.is_person
        if not person and not inherent:
            continue
        if person and subject is not None and subject.text.lower() == "they":
            action = (m.group("verb") or next_word(text, m.end())).lower()
            if action in _SYSTEM_VERBS or _things_before(text, subject.start):
                continue  # "the pods came back, then they failed to …"
        yield _failure_hit(text, m, kind, subject if person else None)


def _things_before(text: str, start: int) -> bool:
    """Whether a plural system noun ("pods", "replicas") comes shortly before ``start``."""
    before = re.findall(r"[a-z0-9-]+", text[max(0, start - 100) : start].lower())
    return any(word.endswith("s") and word in SYSTEM_NOUNS for word in before)


def _failure_hit(text: str, m: re.Match[str], kind: str, subject: Subject | None) -> Hit:
    a, b = m.start(), m.end()
    verb_text = m.group(0)
    after_have = previous_word(text, a) in _HAVE
    fix: tuple[int, int, str] | None = None
    question = _GENERIC_QUESTION
    why = "judges a person's effort or memory in hindsight"
    rule = "judgement" if kind == "fault" else "blame-verb"
    if kind == "to":
        verb = m.group("verb")
        verb_text = text[a : m.start("verb")].rstrip()
        b = a + len(verb_text)
        first = verb_text.split()[0].lower()
        had = _HAD_BEFORE.search(text, max(0, a - 12), a)
        if had is not None:
            fix = (had.start(), b, "did not")  # "had failed to check" → "did not check"
        elif not after_have:
            fix = (a, b, _NEUTRAL_VERB.get(first, "did not"))
        why = f"“{verb_text}” judges a person against what we know now"
        question = _what_made(gerund(verb), words_after(text, m.end()))
    elif kind in ("missed", "ignored"):
        obj = words_after(text, b) or "it"
        if kind == "missed":
            fix = (a, b, "not noticed" if after_have else "did not notice")
            why = "“missed” judges attention in hindsight; say what was seen"
            question = f"What made {obj} easy to miss at the time?"
        else:
            fix = (a, b, "not acted on" if after_have else "did not act on")
            why = "“ignored” implies a choice not to act; say what was seen and what it meant then"
            question = f"What made {obj} seem safe to set aside at the time?"
    elif kind == "messed":
        why = "a judgement of a person's work, not a description of it"
        if next_word(text, b):
            fix = (a, b, "made an error in")
    elif kind == "broke" and subject is not None:
        why = "puts the outcome on a person; the change and the conditions it met are the subject"
        agent = OBJECT_FORMS.get(subject.text.lower(), subject.label or subject.text)
        if subject.kind == "role":
            agent = agent[:1].lower() + agent[1:]
        fix = (subject.start, b, f"a change by {agent} broke") if agent != "who" else None
        question = (
            "What made the change look safe at the time, and what could show its effect sooner?"
        )
    elif kind == "didnt":
        base = (m.group("base") or _BASE.get(verb_text.split()[1].lower(), "check")).split()
        why = "describes a person by what they did not do; say what they did and saw"
        question = _what_made(" ".join([gerund(base[0]), *base[1:]]), words_after(text, b))
    elif kind == "fault":
        why = "assigns blame to a person"
    elif kind == "mistake":
        why = "labels a person's action a mistake after the fact"
    instruction = (
        BLAME_DO
        if kind == "fault"
        else "describe what the person did and what made the step unlikely at the time"
    )
    if subject is not None and subject.kind == "name":
        start = subject.start
        why = f"names {subject.text} as the subject of a failure; {why}"
        return Hit(
            "person-failure",
            start,
            b,
            text[start:b],
            why,
            instruction,
            fix=fix or (a, a, ""),
            question=question,
            span=(a, b),
        )
    return Hit(rule, a, b, text[a:b], why, instruction, fix=fix, question=question)


OBJECT_FORMS = {"we": "us", "i": "me", "he": "him", "she": "her", "they": "them"}


def _passive_agents(text: str, people: People) -> Iterator[Hit]:
    for m in _AGENT.finditer(text):
        agent = people.subject_after(text, m.end())
        if agent is None or not agent.is_person or text[agent.end : agent.end + 2] in ("'s", "’s"):
            continue
        rule = "person-failure" if agent.kind == "name" else "blame-verb"
        fix = (m.start(), m.start(), "") if agent.kind == "name" else None
        yield Hit(
            rule,
            m.start(),
            agent.end,
            text[m.start() : agent.end],
            "puts a person as the agent of a failure; say what was seen and done",
            "describe what the person saw and what made the step unlikely at the time",
            fix=fix,
            question=_GENERIC_QUESTION,
        )


#: Each rule with the words (lower case, as written) without which it cannot match.
FAILURE_RULES: tuple[tuple[frozenset[str], Rule], ...] = (
    (
        word_set(
            "fail fails failed neglect neglects neglected forgot forgotten bother bothered ball "
            "missed overlooked ignored messed screwed botched bungled fumbled broke didn't didn’t "
            "did never made fault blame"
        ),
        _failures,
    ),
    (word_set("missed ignored overlooked botched dropped"), _passive_agents),
)
