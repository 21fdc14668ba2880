"""``suggest``, ``draft`` and ``doctor``: the assistant from the command line."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

from review_assistant.domain.phases import parse_phase
from review_assistant.domain.text import printable

if TYPE_CHECKING:
    from review_assistant.assistant.settings import Settings


class AssistFailed(Exception):
    """The assistant answered with an error (shown as one line, exit status 1)."""


def settings(args: argparse.Namespace) -> Settings:
    from review_assistant.assistant.settings import SettingsError, load_settings

    try:
        return load_settings(
            provider=getattr(args, "provider", None),
            model=getattr(args, "model", None),
            base_url=getattr(args, "base_url", None),
        )
    except SettingsError as exc:
        raise AssistFailed(f"configuration: {exc}") from None


def _stream(piece: str) -> None:
    sys.stdout.write(printable(piece).replace("␊", "\n"))
    sys.stdout.flush()


def cmd_suggest(args: argparse.Namespace) -> int:
    from review_assistant.assistant.service import Assistant, Request
    from review_assistant.assistant.tasks import Task
    from review_assistant.store import Store

    config = settings(args)
    with Store.open(getattr(args, "data_dir", None)) as store:
        session_id = store.resolve(args.session)
        phase = parse_phase(args.phase) if args.phase else store.get_session(session_id).phase
        assistant = Assistant(store, config)
        request = Request(Task.SUGGEST, phase)
        outcome = asyncio.run(assistant.run(session_id, request, None if args.json else _stream))
    if args.json:
        data = {
            "session": session_id,
            "phase": phase.value,
            "provider": config.provider,
            "model": config.model_label,
            "questions": [
                {"id": s.id, "question": s.text, "why": s.reason, "ref": s.ref_id}
                for s in outcome.suggestions
            ],
            "error": outcome.error or None,
        }
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    if outcome.error:
        raise AssistFailed(outcome.error)
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    """Built-in drafts stream as they are written; a model's cited sentences are checked
    against the review first, so its draft is printed whole once it is complete."""
    from review_assistant.assistant.service import Assistant, Request
    from review_assistant.assistant.tasks import Task
    from review_assistant.store import Store

    config = settings(args)
    streams = config.provider == "builtin"
    with Store.open(getattr(args, "data_dir", None)) as store:
        session_id = store.resolve(args.session)
        phase = store.get_session(session_id).phase
        assistant = Assistant(store, config)
        request = Request(Task(args.kind), phase)
        outcome = asyncio.run(assistant.run(session_id, request, _stream if streams else None))
    if not streams and not outcome.error:
        _stream(outcome.text)
    if outcome.text and not outcome.text.endswith("\n") and (streams or not outcome.error):
        sys.stdout.write("\n")
    if outcome.notice:
        print(f"note: {outcome.notice}", file=sys.stderr)
    if outcome.error:
        kept = " (the partial draft is saved with the session)" if outcome.draft else ""
        raise AssistFailed(outcome.error + kept)
    return 0


def cmd_doctor(args: argparse.Namespace) -> int:
    """The configuration, then one tiny call, then a verdict."""
    from review_assistant.assistant.budget import counter_for, limits_for
    from review_assistant.assistant.settings import config_path

    config = settings(args)
    out = sys.stdout.write
    out(f"config file: {config_path()}\n")
    for name, value, source in config.describe():
        out(f"  {name:<18} {value:<40} ({source})\n")
    limits = limits_for(
        config.model, context_window=config.context_window, max_output=config.max_output_tokens
    )
    counter = counter_for(limits.encoding)
    exactness = "exact" if counter.exact else "approximate (offline cl100k_base, +15%)"
    out(
        f"  {'budget':<18} context {limits.context_window:,} tokens, "
        f"output {limits.max_output:,}; token counts {exactness}\n"
    )
    if config.provider == "builtin":
        out("verdict: OK — the built-in engine needs no network and no model\n")
        return 0
    from review_assistant.assistant.remote import AssistantError, ping

    try:
        result = asyncio.run(ping(config))
    except AssistantError as exc:
        raise AssistFailed(f"verdict: NOT WORKING — {exc}") from None
    answer = printable(result.text.strip())[:60] or "(an empty answer)"
    out(
        f"verdict: OK — {config.model} answered {answer!r} in {result.total_ms:.0f} ms "
        f"(first token after {result.ttft_ms or 0:.0f} ms)\n"
    )
    return 0
