"""The layout of a Slack export: its channel folders, their ids, and who is who.

The export root holds ``users.json``, ``channels.json`` (and for private conversations
``groups.json``, ``mpims.json`` and ``dms.json``) and one folder per conversation with a
``YYYY-MM-DD.json`` file per day.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from review_assistant.importers.common import ParsedTimeline, TimelineImportError
from review_assistant.importers.slack_text import Directory, people_of

DAY_FILE = re.compile(r"^\d{4}-\d{2}-\d{2}\.json$")
#: Conversation lists of an export: the folder of a DM is named by its id, others by name.
_LISTS = ("channels.json", "groups.json", "mpims.json", "dms.json")


@dataclass(frozen=True, slots=True)
class Channel:
    folder: Path
    name: str
    id: str


def day_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if DAY_FILE.match(p.name) and p.is_file())


def channel_folders(path: Path, shown: str) -> tuple[Path, list[Path]]:
    """The export root and its channel folders (a channel's own folder is accepted too)."""
    try:
        if day_files(path):
            return path.parent, [path]
        folders = sorted(p for p in path.iterdir() if p.is_dir() and day_files(p))
    except OSError as exc:
        raise TimelineImportError(f"{shown}: cannot read the folder ({exc.strerror})") from None
    if not folders:
        raise TimelineImportError(
            f"{shown}: no Slack channel files found (expected one folder per channel "
            "holding YYYY-MM-DD.json files, next to channels.json and users.json)"
        )
    return path, folders


def _load_list(file: Path, parsed: ParsedTimeline) -> list[Any]:
    if not file.is_file():
        return []
    try:
        document = json.loads(file.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        parsed.warnings.append(f"{file.name} could not be read ({exc}); ignored it")
        return []
    return document if isinstance(document, list) else []


def load_people(root: Path, parsed: ParsedTimeline) -> dict[str, str]:
    return people_of(_load_list(root / "users.json", parsed))


def channel_ids(root: Path, parsed: ParsedTimeline, directory: Directory) -> dict[str, str]:
    """Folder name → conversation id; ``directory.channels`` learns id → name."""
    ids: dict[str, str] = {}
    for list_name in _LISTS:
        for entry in _load_list(root / list_name, parsed):
            if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
                continue
            name = entry.get("name")
            folder = name if isinstance(name, str) and name else entry["id"]
            ids[folder] = entry["id"]
            directory.channels[entry["id"]] = folder
    return ids


def select_channels(found: list[Channel], wanted: Sequence[str], shown: str) -> list[Channel]:
    if not wanted:
        return found
    by_name = {channel.name.lower(): channel for channel in found}
    chosen: list[Channel] = []
    for name in wanted:
        key = name.strip().lstrip("#").lower()
        if key not in by_name:
            names = ", ".join(f"#{channel.name}" for channel in found)
            raise TimelineImportError(
                f"{shown}: no channel #{key} in this export; its channels are {names}"
            )
        if by_name[key] not in chosen:
            chosen.append(by_name[key])
    return chosen
