"""Slack's message markup turned into plain text, and people's names from ``users.json``.

Nothing is interpreted as markup in the result: Slack's own escapes are undone last, so
text someone typed that looks like a mention stays as they typed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

_TOKEN = re.compile(r"<([^<>]*)>")
_SPECIAL = {"here": "@here", "channel": "@channel", "everyone": "@everyone"}


@dataclass
class Directory:
    """Who and which channel an id names, as far as the export tells."""

    people: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    unknown_people: set[str] = field(default_factory=set)

    def person(self, user_id: str) -> str | None:
        return self.people.get(user_id)


def _first_string(*values: Any) -> str:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def user_name(user: dict[str, Any]) -> str:
    """The name ``users.json`` gives a person: real name first, then display and user name."""
    profile = user.get("profile")
    profile = profile if isinstance(profile, dict) else {}
    return _first_string(
        user.get("real_name"),
        profile.get("real_name"),
        profile.get("display_name"),
        user.get("name"),
    )


def people_of(users: Any) -> dict[str, str]:
    """User id → name, from the decoded ``users.json`` (anything malformed is left out)."""
    names: dict[str, str] = {}
    if not isinstance(users, list):
        return names
    for user in users:
        if isinstance(user, dict) and isinstance(user.get("id"), str):
            name = user_name(user)
            if name:
                names[user["id"]] = name
    return names


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def format_text(text: str, directory: Directory) -> str:
    """Mentions, channel links, links and specials as plain text; then Slack's escapes."""

    def replace(match: re.Match[str]) -> str:
        return _token(match.group(1), directory)

    return unescape(_TOKEN.sub(replace, text))


def _token(body: str, directory: Directory) -> str:
    target, _, label = body.partition("|")
    if target.startswith("@"):
        if label:
            return "@" + label
        user_id = target[1:]
        name = directory.person(user_id)
        if name is None:
            directory.unknown_people.add(user_id)
        return "@" + (name or user_id)
    if target.startswith("#"):
        return "#" + (label or directory.channels.get(target[1:], target[1:]))
    if target.startswith("!"):
        name = target[1:]
        if label:
            return label
        if name.startswith("subteam^"):
            return "@" + name.removeprefix("subteam^")
        return _SPECIAL.get(name, "@" + name)
    if not label:
        return target.removeprefix("mailto:")
    if label in (target, target.removeprefix("mailto:"), target.split("://", 1)[-1]):
        return label
    return f"{label} ({target})"


def attachment_text(message: dict[str, Any], directory: Directory) -> str:
    """What a message without text shared: its attachments' fallbacks and its files' names."""
    parts: list[str] = []
    attachments = message.get("attachments")
    for attachment in attachments if isinstance(attachments, list) else []:
        if isinstance(attachment, dict):
            shown = _first_string(
                attachment.get("fallback"),
                attachment.get("title"),
                attachment.get("text"),
                attachment.get("pretext"),
            )
            if shown:
                parts.append(format_text(shown, directory))
    files = message.get("files")
    for file in files if isinstance(files, list) else []:
        if isinstance(file, dict):
            name = _first_string(file.get("title"), file.get("name"))
            if name:
                parts.append(f"shared a file: {name}")
    return "\n".join(parts)
