"""Reading a model's answer: JSON when it keeps to the schema, something useful when it does not."""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import ValidationError

from review_assistant.assistant.tasks import ANSWERS, Probe, Probes, Reframe, Reply, Task

_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(.*\S)\s*$")


class ParseError(ValueError):
    """The answer could not be read; the message quotes what came back."""


def _json_candidates(text: str) -> list[str]:
    candidates = [m.group(1) for m in _FENCE.finditer(text)]
    candidates.append(text)
    for opening, closing in (("{", "}"), ("[", "]")):
        start, end = text.find(opening), text.rfind(closing)
        if 0 <= start < end:
            candidates.append(text[start : end + 1])
    return candidates


def _load(text: str) -> Any:
    for candidate in _json_candidates(text):
        try:
            return json.loads(candidate)
        except ValueError:
            continue
    return None


def _probes_from_lines(text: str) -> Probes:
    """A plain list of questions ('- question — why') from a model that ignored the schema."""
    probes = []
    for line in text.splitlines():
        match = _BULLET.match(line)
        body = match.group(1) if match else line.strip()
        if "?" not in body:
            continue
        question, _, why = body.partition("?")
        probes.append(Probe(question=question.strip(" *") + "?", why=why.strip(" —-–:*")))
    return Probes(questions=probes)


def parse_answer(task: Task, text: str) -> Reply:
    """Validate against the task's schema, tolerating fences, prose around the JSON, a bare
    list, or (for question lists) no JSON at all."""
    model = ANSWERS[task]
    data = _load(text)
    if isinstance(data, list):
        field = next(iter(model.model_fields))
        data = {field: data}
    if isinstance(data, dict):
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            problem = exc.errors()[0]["msg"]
            if model is not Probes:
                raise ParseError(
                    f"the answer did not match the expected shape: {problem}"
                ) from None
    if model is Probes:
        probes = _probes_from_lines(text)
        if probes.questions:
            return probes
    if model is Reframe and text.strip() and data is None:
        return Reframe(text=text.strip())
    shown = text.strip()[:200] or "(nothing)"
    raise ParseError(f"the answer was not in the expected form; it began: {shown!r}")


_QUESTION_FIELD = re.compile(r'"question"\s*:\s*"((?:[^"\\]|\\.)*)"')


def finished_questions(partial: str) -> list[str]:
    """The questions complete so far in a JSON answer still streaming in."""
    return questions_after(partial, 0)[0]


def questions_after(partial: str, start: int) -> tuple[list[str], int]:
    """The questions completed in ``partial`` from offset ``start`` on, and the offset to look
    from next time (so a long answer is scanned once, not again for every piece)."""
    found = []
    end = start
    for match in _QUESTION_FIELD.finditer(partial, start):
        end = match.end()
        try:
            found.append(str(json.loads(f'"{match.group(1)}"')))
        except ValueError:
            continue
    return found, end
