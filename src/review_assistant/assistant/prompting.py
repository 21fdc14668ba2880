"""Prompts from ``prompts/*.j2``: StrictUndefined, and incident text only inside data blocks."""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any

from review_assistant.assistant.tasks import Task
from review_assistant.paths import resource_dir

if TYPE_CHECKING:
    import jinja2

DATA_TAG = "incident-data"
#: Anything a model could read as the data tag: any case, spaces after ``<`` or around ``/``.
_TAG_LIKE = re.compile(rf"<\s*(/?)\s*({re.escape(DATA_TAG)})", re.IGNORECASE)


@functools.cache
def environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(resource_dir("prompts")),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def as_data(text: str) -> str:
    """Incident text can never close the data block it sits in, nor open another one."""
    return _TAG_LIKE.sub(lambda m: f"<\\{m.group(1) and '/'}{m.group(2)}", text)


def _escaped(value: Any) -> Any:
    if isinstance(value, str):
        return as_data(value)
    if isinstance(value, list | tuple):
        return type(value)(_escaped(item) for item in value)
    return value


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context).strip() + "\n"


def messages(task: Task, **context: Any) -> list[dict[str, str]]:
    """The system prompt and the task's prompt, ready for a chat completion.

    Every value is escaped, not only the data block: names, roles and earlier questions are
    typed by people too, and appear in the prompt outside the block.
    """
    context = {name: _escaped(value) for name, value in context.items()}
    return [
        {"role": "system", "content": render("system.j2")},
        {"role": "user", "content": render(f"{task.value}.j2", **context)},
    ]
