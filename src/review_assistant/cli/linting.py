"""``review-assistant lint SESSION [--json]``: blameless wording and action items, checked.

Findings are advice, not errors: the exit status is 0 whenever the lint ran, whatever it found.
An unknown session (or an unreadable database) is an error with exit status 1.
"""

from __future__ import annotations

import argparse

from review_assistant.cli.commands import _out, _print_json, _store
from review_assistant.domain.text import counted, printable
from review_assistant.lint import AREAS, UNASSIGNED, LintFinding, LintReport, lint_review

ADVICE = "Findings are advice, not errors: the exit status is 0 whenever the lint ran."


def cmd_lint(args: argparse.Namespace) -> int:
    """Print what the linters found in a review (``--json``: as one JSON document)."""
    with _store(args) as store:
        review = store.load_review(store.resolve(args.session))
    report = lint_review(review)
    if args.json:
        _print_json(report.as_dict())
    else:
        _out(report_text(report, review.session.title))
    return 0


def report_text(report: LintReport, title: str) -> str:
    """The human report: findings grouped by item, then action coverage."""
    lines = [f"Lint: {printable(title)}  [{report.session_id}]", ADVICE, ""]
    items = [(key, found) for key, found in report.by_item() if key[0] != "review"]
    if not items:
        lines += ["No blame, hindsight or action-item problems found.", ""]
    for (kind, item_id, line), found in items:
        where = f"{kind} {item_id[:8]}" + (f" line {line}" if line else "")
        lines.append(f"{where}  “{printable(found[0].text)}”")
        for finding in found:
            lines += _finding_lines(finding)
        lines.append("")
    lines += coverage_lines(report)
    warnings = sum(1 for f in report.findings if f.severity == "warning")
    infos = len(report.findings) - warnings
    lines.append(
        f"{counted(len(report.findings), 'finding')} "
        f"({counted(warnings, 'warning')}, {infos} for information)."
    )
    return "\n".join(lines)


def _finding_lines(finding: LintFinding) -> list[str]:
    words = f"“{printable(finding.words)}”" if finding.words else "(the item as a whole)"
    marker = "" if finding.severity == "warning" else " (info)"
    lines = [f"  {finding.rule}{marker}: {words} — {printable(finding.why)}"]
    lines.append(f"    suggestion: {printable(finding.suggestion)}")
    if finding.question:
        lines.append(f"    ask: {printable(finding.question)}")
    return lines


def coverage_lines(report: LintReport) -> list[str]:
    if not report.tracks_actions:
        return ["Action coverage: this review does not track action items.", ""]
    actions = " · ".join(f"{area} {report.coverage.get(area, 0)}" for area in AREAS)
    unassigned = report.coverage.get(UNASSIGNED, 0)
    if unassigned:
        actions += f" · no area {unassigned}"
    factors = " · ".join(f"{area} {report.factor_coverage.get(area, 0)}" for area in AREAS)
    lines = [f"Action coverage: {actions}", f"Factor coverage: {factors}"]
    if report.missing_areas:
        lines.append(f"No action addresses: {', '.join(report.missing_areas)}.")
        for finding in report.findings:
            if finding.rule == "coverage" and finding.question:
                lines.append(f"  ask: {finding.question}")
    elif not any(report.coverage.values()):
        lines.append("No action items yet (a review may end with none).")
    return [*lines, ""]
