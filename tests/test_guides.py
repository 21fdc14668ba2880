from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from review_assistant.domain.phases import PHASES, Phase, next_phase, parse_phase, phase_def
from review_assistant.guidebook import GuideError, Probe, all_guides, parse_guide, question_bank


def test_every_phase_has_a_guide_with_questions() -> None:
    guides = all_guides()
    assert {g.phase for g in guides} == {*(d.phase for d in PHASES), Phase.INTERVIEW}
    for guide in guides:
        assert guide.title
        assert len(guide.questions) >= 10, guide.phase


def test_question_bank_size_and_tags() -> None:
    bank = question_bank()
    assert len(bank) >= 60
    counts = Counter(tag for q in bank for tag in q.tags)
    assert set(counts) == set(Probe)
    assert len({q.id for q in bank}) == len(bank)
    assert len({q.text for q in bank}) == len(bank)


def test_gap_questions_name_both_ends() -> None:
    for question in question_bank():
        if Probe.GAP in question.tags:
            assert {"start", "end"} <= question.placeholders, question.text


def test_parse_errors_are_precise() -> None:
    with pytest.raises(GuideError, match="first line"):
        parse_guide(Phase.TIMELINE, "no title")
    with pytest.raises(GuideError, match="no '## Questions'"):
        parse_guide(Phase.TIMELINE, "# T\n\ntext")
    with pytest.raises(GuideError, match=":4: expected"):
        parse_guide(Phase.TIMELINE, "# T\n## Questions\n- [gap] ok {start} {end}?\nbad line")
    with pytest.raises(GuideError, match="not a valid Probe"):
        parse_guide(Phase.TIMELINE, "# T\n## Questions\n- [nonsense] q?")
    with pytest.raises(GuideError, match="placeholder"):
        parse_guide(Phase.TIMELINE, "# T\n## Questions\n- [gap] q {who}?")


def test_phase_definitions() -> None:
    assert [d.id for d in PHASES] == [
        "level-set",
        "timeline",
        "sense-making",
        "went-well",
        "factors",
        "actions",
    ]
    assert parse_phase(" Timeline ") is Phase.TIMELINE
    with pytest.raises(ValueError, match="phases are: level-set"):
        parse_phase("retro")
    assert next_phase(Phase.FACTORS) is Phase.ACTIONS
    assert next_phase(Phase.ACTIONS) is None
    assert phase_def("went-well").guide == "went-well.md"
    for definition in PHASES:
        assert (Path(__file__).parents[1] / "guides" / definition.guide).is_file()
