"""The action-item linter: is each action something a named person can commit to?

Rules, in the words of a reviewer (each reported at most once per item):

- ``try-harder``: asks people to be better rather than changing the system ("be more careful",
  "review more carefully", "double-check", "remember to", "make sure to", "pay attention",
  "keep an eye on"). Not flagged: the phrase as the name of a mechanism ("add an automated
  double-check to the deploy script"), "make sure" followed by a system ("make sure the CI
  fails …"), or removing the need for it ("so nobody has to remember to rotate keys").
- ``no-owner``: the owner is blank or a placeholder (TBD, ?, someone, everyone, the team …).
- ``too-big``: a rewrite, re-architecture, redesign, overhaul or migration of something large
  ("rewrite the billing service", "re-architect the queue", "migrate everything") with no first
  step. A first step or bound clears it: "first step", "start with", a spike, a prototype, a
  proposal, an RFC, a design doc, "phase 1", raising it for the roadmap, a timebox. Rewriting
  something small ("rewrite the retry function", "redesign the alert message") is fine.
- ``vague``: investigate, look into, improve, explore, consider, think about, revisit,
  enhance, evaluate, "better …" — with no bound: a due date on the item, a timebox ("by
  Friday", "within 2 days", "timebox to 4 hours"), an outcome ("decide whether", "report back",
  "write up", "share findings", "and add …") or a threshold ("to 5 minutes", "below 1%").

The wording rules of the blameless linter apply to action text too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from review_assistant.domain.models import ActionItem, ActionStatus, Participant
from review_assistant.lint.blameless import wording_hits
from review_assistant.lint.findings import LintFinding, TextFinding
from review_assistant.lint.people import People, people_index
from review_assistant.lint.reword import Hit, finish
from review_assistant.lint.vocabulary import starting, word_set

_I = re.IGNORECASE
_TRY_HARDER = starting(
    "bcdeflkmnprstw",
    r"\b(?:be\s+(?:more\s+|extra\s+|very\s+|much\s+more\s+)?(?:careful|vigilant|diligent|"
    r"cautious|attentive|mindful|thorough|aware)|take\s+(?:more\s+|extra\s+|greater\s+|"
    r"better\s+)?care|pay\s+(?:more\s+|closer\s+|better\s+|extra\s+|careful\s+)?attention|"
    r"(?:review|check|read|test|monitor|follow|watch|look)\w*\s+(?:[\w'’-]+\s+){0,3}?"
    r"(?:more\s+)?(?:carefully|thoroughly|closely|rigorously|diligently|attentively)|"
    r"(?:more|extra)\s+(?:careful(?:ly)?|thorough(?:ly)?|rigorous|diligent(?:ly)?|vigilant|"
    r"attentive)|(?P<double>(?:double|triple)[- ]?check(?:s|ed|ing)?)|remember\s+to|"
    r"(?:don['’]t|do\s+not|never)\s+forget|try\s+harder|try\s+to\s+be\s+more|"
    r"keep\s+an\s+eye\s+on|stay\s+(?:alert|vigilant|on\s+top\s+of)|raise\s+awareness|"
    r"remind\s+(?:[\w'’-]+\s+){0,2}(?:to|about|that)|"
    r"make\s+sure\s+(?:to\b|(?:that\s+)?(?:we|you|they|everyone|everybody|people|engineers|"
    r"developers|reviewers|the\s+(?:team|on-?call|engineer|reviewer|author|ic)|on-?call)\b))",
    _I,
)
_NO_NEED = re.compile(
    r"(?:without|instead\s+of|rather\s+than|no\s+longer|no\s+need\s+to|n['’]t\s+(?:have|need)"
    r"\s+to|not\s+(?:have|need)\s+to|nobody\s+has\s+to|no\s+one\s+has\s+to)\s+"
    r"(?:[\w'’-]+\s+){0,2}$",
    _I,
)
_MECHANISM_BEFORE = re.compile(r"(?:\ban?|\bthe|automated|automatic|scripted|CI)\s+$", _I)
_ALWAYS_BIG = starting(
    "romsf",
    r"\b(?:re-?architect\w*|overhaul\w*|re-?think\w*|re-?platform\w*|"
    r"replace\s+(?:the\s+)?(?:whole|entire|all)\b|migrate\s+(?:everything|all|the\s+(?:whole|"
    r"entire))\b|move\s+everything\s+to|start\s+(?:over|again\s+from\s+scratch)|from\s+scratch)",
    _I,
)
_BIG_VERB = starting(
    "r", r"\b(?:re-?writes?|rewriting|re-?designs?|redesigning|re-?builds?|rebuilding)\b", _I
)
_BIG_OBJECTS = word_set(
    "system systems platform service services stack architecture everything whole entire "
    "all monolith backend frontend infrastructure infra codebase app application product "
    "database storage layer framework alerting monitoring observability logging tooling "
    "auth authentication billing payments networking pipeline"
)
_OBJECT_ENDS = word_set(
    "in into to for with on at by from so and that because using as of which who"
)
_FIRST_STEP = re.compile(
    r"\b(?:first\s+step|start\s+(?:with|by)|begin\s+(?:with|by)|starting\s+with|spike|"
    r"prototype|proof\s+of\s+concept|poc|proposal|propose|rfc|design\s+doc|write[- ]up|"
    r"phase\s+(?:1|one)|step\s+(?:1|one)|scope|estimate|time-?box\w*|roadmap|pilot)\b",
    _I,
)
_VAGUE = starting(
    "abcefhilmortuw",
    r"\b(?:investigate|investigating|look\s+into|looking\s+into|improve|improving|"
    r"improvements?|explore|exploring|consider|considering|think\s+about|revisit|enhance|"
    r"enhancing|evaluate|assess|understand|figure\s+out|work\s+on|optimi[sz]e|better|"
    r"more\s+robust|harden)\b",
    _I,
)
_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b"
)
_DAYS = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|eow|eod|\d{4}-\d{2}-\d{2})"
_BOUND = re.compile(
    r"\b(?:time-?box\w*|by\s+(?:the\s+)?(?:" + _DAYS + r"|end\s+of\s+(?:the\s+)?\w+|next\s+\w+|"
    r"\d{1,2}(?:st|nd|rd|th)?\s+\w+|" + _MONTHS + r")|"
    r"before\s+(?:the\s+)?(?:next\s+\w+|" + _DAYS + r")|within\s+(?:\d+|one|two|three|a)\s+"
    r"(?:hours?|days?|weeks?|sprints?)|for\s+(?:\d+|one|two|three|half\s+a|a)\s+(?:hours?|"
    r"days?|weeks?|sprints?)|(?:this|next)\s+(?:week|sprint)|q[1-4]|"
    r"decide\s+(?:whether|if|between|on|how)|report\s+back|write\s+up|write-up|"
    r"share\s+(?:the\s+)?findings|summari[sz]e|recommend\w*|propos(?:e|al)|rfc|design\s+doc|"
    r"go/no-go|present\s+(?:at|to)|and\s+(?:then\s+)?(?:add|fix|set|create|write|enable|"
    r"remove|ship|file|open|raise|document)|"
    r"(?:to|below|under|above|over|within|less\s+than|at\s+most|at\s+least|from)\s+\d|"
    r"\d+(?:\.\d+)?\s*(?:%|percent\b|ms\b|s\b|secs?\b|seconds?\b|mins?\b|minutes?\b|h\b|"
    r"hours?\b|days?\b))",
    _I,
)
_NO_OWNER = word_set(
    "tbd tba ? ?? ??? - -- n/a na none nobody unknown unassigned someone somebody anyone "
    "anybody everyone everybody all team todo"
) | {
    "the team",
    "no one",
    "no-one",
    "to be decided",
    "to be confirmed",
    "",
}

TRY_HARDER_DO = (
    "turn it into a change in the system that helps on a tired, rushed day: a check, an alert, "
    "a safer default, a guard rail or a test"
)
NO_OWNER_DO = "name an owner (a person or team) before the action meeting ends"
TOO_BIG_DO = (
    "find a first step someone can commit to now: a short proposal or RFC, a timeboxed spike, "
    "raising it for the roadmap with the right person, or a cheap safeguard meanwhile"
)
VAGUE_DO = (
    "bound it: a due date or timebox and an outcome (decide whether …, report back, a "
    "threshold such as 'under 5 minutes')"
)


def try_harder_hits(text: str) -> list[Hit]:
    """Every "try harder" phrase in ``text`` (not filtered to one per item)."""
    hits = []
    for m in _TRY_HARDER.finditer(text):
        if _NO_NEED.search(text, max(0, m.start() - 60), m.start()):
            continue
        if m.group("double") and _MECHANISM_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            continue
        hits.append(
            Hit(
                "try-harder",
                m.start(),
                m.end(),
                m.group(0),
                "asks people to try harder instead of changing the system",
                TRY_HARDER_DO,
                question="What change to the system could replace this?",
            )
        )
    return hits


def action_hits(text: str, *, owner: str | None = None, due: date | None = None) -> list[Hit]:
    """The action rules' hits for one action's text (at most one per rule)."""
    hits: list[Hit] = []
    hits.extend(try_harder_hits(text)[:1])
    if owner is not None and " ".join(owner.lower().split()) in _NO_OWNER:
        why = "no owner" if not owner.strip() else f"“{owner.strip()}” is not an owner"
        hits.append(
            Hit(
                "no-owner",
                0,
                0,
                "",
                f"{why}: an action nobody owns does not get done",
                NO_OWNER_DO,
                question="Who will own this action, and when can they report back on it?",
            )
        )
    big = _too_big(text)
    if big is not None:
        hits.append(big)
    if due is None and not _BOUND.search(text):
        m = _VAGUE.search(text)
        if m is not None:
            hits.append(
                Hit(
                    "vague",
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"“{m.group(0)}” with no bound: no due date, timebox, outcome or "
                    "threshold, so nobody can tell when it is done",
                    VAGUE_DO,
                    question="How would we know it had worked, and by when?",
                )
            )
    return hits


def _too_big(text: str) -> Hit | None:
    if _FIRST_STEP.search(text):
        return None
    m = _ALWAYS_BIG.search(text)
    if m is None:
        for verb in _BIG_VERB.finditer(text):
            if any(word in _BIG_OBJECTS for word in _object_words(text, verb.end())):
                m = verb
                break
    if m is None:
        return None
    return Hit(
        "too-big",
        m.start(),
        m.end(),
        m.group(0),
        "too big to commit to as it stands, and no first step is named",
        TOO_BIG_DO,
        question="What is the smallest first step someone could commit to this week?",
    )


def _object_words(text: str, end: int) -> list[str]:
    """The words of the object after a verb, up to a preposition or conjunction (at most 6)."""
    taken: list[str] = []
    for word in re.findall(r"[\w-]+", text[end : end + 100].lower()):
        if word in _OBJECT_ENDS or len(taken) == 6:
            break
        taken.append(word)
    return taken


def lint_action_text(
    text: str,
    *,
    owner: str | None = None,
    due: date | None = None,
    people: Sequence[Participant] | People = (),
) -> list[TextFinding]:
    """Wording and action rules for an action's text; ``owner=None`` skips the owner check."""
    index = people if isinstance(people, People) else people_index(people)
    hits = [*wording_hits(text, index), *action_hits(text, owner=owner, due=due)]
    return finish(text, hits, index)


def lint_action(
    action: ActionItem, people: Sequence[Participant] | People = ()
) -> list[LintFinding]:
    """Findings for one action item. Done and dropped actions get the wording rules only."""
    index = people if isinstance(people, People) else people_index(people)
    live = action.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
    hits = wording_hits(action.text, index)
    if live:
        hits += action_hits(action.text, owner=action.owner, due=action.due)
    return [
        LintFinding.on(found, "action", action.id, action.text)
        for found in finish(action.text, hits, index)
    ]
