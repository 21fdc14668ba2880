"""What the assistant can be asked to do, and the shapes of its answers."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from review_assistant.writeup.narrative import Narrative
from review_assistant.writeup.narrative import clip as _clip


class Task(StrEnum):
    SUGGEST = "suggest"
    INTERVIEW = "interview"
    COMPARE = "compare"
    REFRAME = "reframe"
    SUMMARY = "summary"
    WRITEUP = "writeup"

    @property
    def drafts(self) -> bool:
        """Tasks whose result is a Markdown draft (a model answers them with cited sentences)."""
        return self in (Task.SUMMARY, Task.WRITEUP)


Short = Annotated[str, _clip(500)]
Line = Annotated[str, _clip(2000)]


class Answer(BaseModel):
    model_config = ConfigDict(extra="ignore")


class Probe(Answer):
    """A question to ask, what it is about, and why now."""

    question: Line = Field(min_length=1)
    ref: Annotated[str, _clip(64)] | None = None
    why: Line = ""


class Probes(Answer):
    questions: list[Probe] = Field(default_factory=list, max_length=50)


class Difference(Answer):
    """Two accounts of the same stretch that do not agree, turned into a question."""

    topic: Short
    first_source: Short
    first_says: Line
    second_source: Short
    second_says: Line
    question: Line = Field(min_length=1)


class Differences(Answer):
    differences: list[Difference] = Field(default_factory=list, max_length=50)


class Reframe(Answer):
    text: Annotated[str, _clip(20_000)] = Field(min_length=1)
    why: Line = ""


#: What a model's answer to a task may be read as.
Reply = Answer | Narrative

ANSWERS: dict[Task, type[Answer] | type[Narrative]] = {
    Task.SUGGEST: Probes,
    Task.INTERVIEW: Probes,
    Task.COMPARE: Differences,
    Task.REFRAME: Reframe,
    Task.SUMMARY: Narrative,
    Task.WRITEUP: Narrative,
}


_LIMITS = frozenset({"maxLength", "minLength", "maxItems", "minItems", "title", "default"})


def _plain(node: Any) -> Any:
    """The schema without length limits and titles: servers that turn a schema into a grammar
    (llama.cpp) blow up on a 2,000-character limit spelled out as 2,000 repetitions."""
    if isinstance(node, dict):
        return {k: _plain(v) for k, v in node.items() if k not in _LIMITS}
    if isinstance(node, list):
        return [_plain(v) for v in node]
    return node


def json_schema(task: Task) -> dict[str, Any]:
    """The response format for servers that honour JSON-schema output."""
    schema = _plain(ANSWERS[task].model_json_schema())
    return {"name": f"review_{task.value}", "schema": schema, "strict": False}
