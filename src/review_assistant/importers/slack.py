"""A Slack workspace export (or one channel's folder) read as timeline events.

An export holds ``users.json`` and ``channels.json`` at its root and one folder per channel
with a ``YYYY-MM-DD.json`` file per day. Every message becomes an event of kind ``other`` at
its own time, with its author as ``who``, ready to be re-kinded in the review.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from review_assistant.domain.models import EventKind, ReviewSession, TimelineEvent
from review_assistant.importers.common import (
    MAX_WHO,
    Cleaner,
    ParsedTimeline,
    Problem,
    TimelineImportError,
    bounded_key,
    check_lengths,
    default_source,
)
from review_assistant.importers.located_json import load_located
from review_assistant.importers.slack_export import (
    Channel,
    channel_folders,
    channel_ids,
    day_files,
    load_people,
    select_channels,
)
from review_assistant.importers.slack_text import Directory, attachment_text, format_text

_TS = re.compile(r"^(\d{1,10})(?:\.(\d{1,6}))?$")
#: Channel housekeeping: always left out, counted under these labels.
NOISE = {
    "channel_join": "channel join",
    "channel_leave": "channel leave",
    "group_join": "channel join",
    "group_leave": "channel leave",
    "channel_topic": "topic change",
    "group_topic": "topic change",
    "channel_purpose": "purpose change",
    "group_purpose": "purpose change",
    "channel_name": "channel rename",
    "group_name": "channel rename",
    "channel_archive": "channel archived",
    "group_archive": "channel archived",
    "channel_unarchive": "channel unarchived",
    "group_unarchive": "channel unarchived",
    "channel_convert_to_private": "channel made private",
    "channel_convert_to_public": "channel made public",
    "pinned_item": "pin",
    "unpinned_item": "unpin",
    "bot_add": "bot added",
    "bot_remove": "bot removed",
    "bot_enable": "bot enabled",
    "bot_disable": "bot disabled",
    "reminder_add": "reminder",
    "reminder_delete": "reminder",
}
BOT = "bot message"
DELETED = "deleted message"
EMPTY = "message without text"
ORPHAN_EDIT = "edit of a message not in the export"


@dataclass(slots=True)
class _Message:
    data: dict[str, Any]
    file: str
    line: int
    edited: bool


def slack_time(ts: str) -> datetime:
    """A Slack ``ts`` (epoch seconds with microseconds) as an exact UTC instant."""
    match = _TS.match(ts)
    if not match:
        raise ValueError(f"ts {ts!r} is not a Slack timestamp")
    micro = int((match[2] or "").ljust(6, "0"))
    return datetime.fromtimestamp(int(match[1]), UTC) + timedelta(microseconds=micro)


def read_slack(
    path: Path,
    shown: str,
    session: ReviewSession,
    channels: Sequence[str] = (),
    bots: bool = True,
) -> ParsedTimeline:
    if not path.is_dir():
        raise TimelineImportError(
            f"{shown}: a Slack export is a folder (the unzipped export, or one channel's folder)"
        )
    parsed = ParsedTimeline(format="slack")
    root, folders = channel_folders(path, shown)
    directory = Directory(people=load_people(root, parsed), channels={})
    ids = channel_ids(root, parsed, directory)
    found = [Channel(folder, folder.name, ids.get(folder.name, folder.name)) for folder in folders]
    reader = _Reader(session, directory, bots, parsed)
    for channel in select_channels(found, channels, shown):
        reader.read_channel(channel)
    parsed.skipped = dict(sorted(reader.skipped.items()))
    if directory.unknown_people:
        why = "has no entry for them" if directory.people else "was not found or is empty"
        parsed.warnings.append(
            f"{len(directory.unknown_people)} Slack user id(s) have no name (users.json {why}); "
            "they are shown by their ids"
        )
    warning = reader.cleaner.warning(shown)
    if warning:
        parsed.warnings.append(warning)
    return parsed


class _Reader:
    def __init__(
        self, session: ReviewSession, directory: Directory, bots: bool, parsed: ParsedTimeline
    ) -> None:
        self.session = session
        self.directory = directory
        self.bots = bots
        self.parsed = parsed
        self.cleaner = Cleaner()
        self.skipped: Counter[str] = Counter()

    def problem(self, file: str, line: int | None, reason: str) -> None:
        self.parsed.problems.append(Problem(file, line, reason))

    def read_channel(self, channel: Channel) -> None:
        messages: dict[str, _Message] = {}
        edits: dict[str, tuple[datetime, dict[str, Any]]] = {}
        deleted: set[str] = set()
        for day in day_files(channel.folder):
            label = f"{channel.folder.name}/{day.name}"
            for line, item in self._day(day, label):
                self._collect(item, label, line, messages, edits, deleted)
        for ts in deleted & messages.keys():
            del messages[ts]
            self.skipped[DELETED] += 1
        for ts, (_, new) in edits.items():
            if ts in messages:
                message = messages[ts]
                message.data = {**message.data, **_content(new)}
                message.edited = True
            elif ts not in deleted:
                self.skipped[ORPHAN_EDIT] += 1
        for ts, message in messages.items():
            self._event(channel, ts, message, messages)

    def _day(self, day: Path, label: str) -> list[tuple[int, Any]]:
        try:
            located = load_located(day.read_bytes().decode("utf-8-sig"))
        except UnicodeDecodeError:
            self.problem(label, None, "not UTF-8 text; this day was not imported")
            return []
        except OSError as exc:
            self.problem(label, None, f"cannot read it ({exc.strerror}); this day was not imported")
            return []
        except RecursionError:
            self.problem(label, None, "the JSON is nested too deeply; this day was not imported")
            return []
        except json.JSONDecodeError as exc:
            self.problem(
                label,
                exc.lineno,
                f"not valid JSON ({exc.msg}, column {exc.colno}); this day was not imported",
            )
            return []
        if located.items is None:
            self.problem(label, None, "not a list of messages; this day was not imported")
            return []
        return located.items

    def _collect(
        self,
        item: Any,
        label: str,
        line: int,
        messages: dict[str, _Message],
        edits: dict[str, tuple[datetime, dict[str, Any]]],
        deleted: set[str],
    ) -> None:
        if not isinstance(item, dict):
            self.problem(label, line, "not a message object")
            return
        ts = item.get("ts")
        if not isinstance(ts, str) or not ts:
            self.problem(label, line, "the message has no ts (its time)")
            return
        try:
            when = slack_time(ts)
        except ValueError as exc:
            self.problem(label, line, str(exc))
            return
        subtype = item.get("subtype")
        if subtype == "message_changed":
            new = item.get("message")
            target = new.get("ts") if isinstance(new, dict) else None
            if not isinstance(new, dict) or not isinstance(target, str):
                self.problem(label, line, "an edit that does not say which message it changes")
            elif target not in edits or edits[target][0] <= when:
                edits[target] = (when, new)
            return
        if subtype == "message_deleted":
            previous = item.get("previous_message")
            target = item.get("deleted_ts") or (
                previous.get("ts") if isinstance(previous, dict) else None
            )
            if isinstance(target, str):
                deleted.add(target)
            return
        if isinstance(subtype, str) and subtype in NOISE:
            self.skipped[NOISE[subtype]] += 1
            return
        if subtype == "tombstone" or item.get("hidden") is True:
            self.skipped[DELETED] += 1
            return
        if ts not in messages:  # a thread reply can be listed in two day files
            messages[ts] = _Message(item, label, line, edited=bool(item.get("edited")))

    def _author(self, data: dict[str, Any]) -> str:
        if _is_bot(data):
            profile = data.get("bot_profile")
            bot_name = _string(data.get("username")) or (
                _string(profile.get("name")) if isinstance(profile, dict) else ""
            )
            return bot_name or "bot"
        user = _string(data.get("user"))
        known = self.directory.person(user) if user else None
        if known:
            return known
        profile = data.get("user_profile")
        if isinstance(profile, dict):
            name = _string(profile.get("real_name")) or _string(profile.get("display_name"))
            if name:
                return name
        if user:
            self.directory.unknown_people.add(user)
            return user
        return _string(data.get("username"))

    def _event(
        self, channel: Channel, ts: str, message: _Message, messages: dict[str, _Message]
    ) -> None:
        data = message.data
        if _is_bot(data) and not self.bots:
            self.skipped[BOT] += 1
            return
        text = self.cleaner.text(format_text(_string(data.get("text")), self.directory))
        if not text:
            text = self.cleaner.text(attachment_text(data, self.directory))
        if not text:
            self.skipped[EMPTY] += 1
            return
        if message.edited:
            text += " (edited)"
        parent_ts = data.get("thread_ts")
        if isinstance(parent_ts, str) and parent_ts != ts:
            parent = messages.get(parent_ts)
            if parent is not None:
                clock = slack_time(parent_ts).astimezone(self.session.tz).strftime("%H:%M")
                who = self.cleaner.line(self._author(parent.data)) or "a message"
                text = f"↪ (reply to {who} {clock}) {text}"
            else:
                text = "↪ " + text
        who = self.cleaner.line(self._author(data))[:MAX_WHO]
        source = default_source(f"slack #{channel.name}")
        reason = check_lengths(text, who, source)
        if reason:
            self.problem(message.file, message.line, reason)
            return
        self.parsed.events.append(
            TimelineEvent(
                at=slack_time(ts).astimezone(self.session.tz),
                kind=EventKind.OTHER,
                text=text,
                who=who,
                source=source,
                import_key=bounded_key(f"slack:{channel.id}:{ts}"),
            )
        )


def _is_bot(data: dict[str, Any]) -> bool:
    return data.get("subtype") == "bot_message" or bool(data.get("bot_id"))


def _string(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _content(new: dict[str, Any]) -> dict[str, Any]:
    """What an edit replaces: the text and what was shared with it."""
    return {key: new[key] for key in ("text", "attachments", "files") if key in new}
