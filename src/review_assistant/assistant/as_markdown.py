"""The built-in engine's questions and differences as the Markdown the panel shows."""

from __future__ import annotations

from review_assistant.assistant.tasks import Differences, Probes


def probes_markdown(probes: Probes) -> str:
    if not probes.questions:
        return "_No new questions: everything the guides suggest here has been asked._\n"
    return "".join(f"- **{p.question}**  \n  _{p.why}_\n" for p in probes.questions)


def differences_markdown(found: Differences) -> str:
    if not found.differences:
        return "_The accounts agree where they overlap (or there is only one account)._\n"
    return "".join(
        f"- **{d.question}**  \n  _{d.first_source}: {d.first_says} · "
        f"{d.second_source}: {d.second_says}_\n"
        for d in found.differences
    )
