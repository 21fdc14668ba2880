"""The blameless-language linter for one piece of text.

``lint_text`` runs every wording rule (see ``failures``, ``blame``, ``hindsight`` and
``counterfactual`` for what each flags and deliberately leaves alone) and returns findings in
text order. It is meant for inline use while someone types: patterns are compiled once, and a
rule runs only when the text holds one of its trigger words (one pass splits the text into
words).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from review_assistant.domain.models import Participant
from review_assistant.lint.blame import BLAME_RULES
from review_assistant.lint.counterfactual import COUNTERFACTUAL_RULES
from review_assistant.lint.failures import FAILURE_RULES
from review_assistant.lint.findings import TextFinding
from review_assistant.lint.hindsight import HINDSIGHT_RULES
from review_assistant.lint.people import People, people_index
from review_assistant.lint.reword import Hit, finish

_WORDS = re.compile(r"[a-z]+(?:['’][a-z]+)?")
_RULES = (*FAILURE_RULES, *BLAME_RULES, *HINDSIGHT_RULES, *COUNTERFACTUAL_RULES)
#: Trigger word → the indexes of the rules it can set off.
_TRIGGERED: dict[str, tuple[int, ...]] = {}
for _index, (_words, _rule) in enumerate(_RULES):
    for _word in _words:
        _TRIGGERED[_word] = (*_TRIGGERED.get(_word, ()), _index)


def lint_text(text: str, *, people: Sequence[Participant] | People = ()) -> list[TextFinding]:
    """Blame and hindsight in ``text``, each with a neutral rewording or an instruction.

    ``people`` are the review's participants: their names count as people when they are the
    subject of a failure, and rewordings name them by role.
    """
    index = people if isinstance(people, People) else people_index(people)
    return finish(text, wording_hits(text, index), index)


def wording_hits(text: str, people: People) -> list[Hit]:
    """The raw hits of every wording rule (before overlaps are resolved)."""
    if not text:
        return []
    chosen: set[int] = set()
    for word in set(_WORDS.findall(text.lower())):
        chosen.update(_TRIGGERED.get(word, ()))
    hits: list[Hit] = []
    for index in sorted(chosen):
        hits.extend(_RULES[index][1](text, people))
    return hits
