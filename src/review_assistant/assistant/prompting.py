"""Prompts from ``prompts/*.j2``: StrictUndefined, and incident text only inside data blocks."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any

from review_assistant.assistant.tasks import Task
from review_assistant.paths import resource_dir

if TYPE_CHECKING:
    import jinja2

DATA_TAG = "incident-data"


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
    """Incident text can never close the data block it sits in."""
    return text.replace(f"</{DATA_TAG}", f"<\\/{DATA_TAG}").replace(
        f"<{DATA_TAG}", f"<\\{DATA_TAG}"
    )


def render(name: str, **context: Any) -> str:
    return environment().get_template(name).render(**context).strip() + "\n"


def messages(task: Task, **context: Any) -> list[dict[str, str]]:
    """The system prompt and the task's prompt, ready for a chat completion."""
    if "data" in context:
        context["data"] = as_data(context["data"])
    if "text" in context:
        context["text"] = as_data(context["text"])
    return [
        {"role": "system", "content": render("system.j2")},
        {"role": "user", "content": render(f"{task.value}.j2", **context)},
    ]
