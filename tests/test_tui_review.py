"""Pilot-driven flows through the live review screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.content import Content
from textual.widgets import ContentSwitcher, Input, OptionList, Static

from review_assistant.domain.models import ActionIdea, EventKind, ReviewSession
from review_assistant.domain.phases import Phase
from review_assistant.store import Store
from review_assistant.tui.app import make_app
from review_assistant.tui.modals import ChoiceScreen, ConfirmScreen, FormScreen
from review_assistant.tui.review_screen import ReviewScreen
from review_assistant.tui.row_table import RowTable
from review_assistant.tui.views.base import ItemTable
from review_assistant.tui.views.factors import FactorsView
from tui_helpers import HOSTILE, SIZE, load, picture_text, seed_demo, table_text, type_note


def new_session(tmp_path: Path, **fields: object) -> str:
    with Store(tmp_path / "review.db") as store:
        session = ReviewSession(
            title="Queue backlog",
            timezone="UTC",
            incident_start=datetime(2026, 11, 20, 13, 45, tzinfo=UTC),
            **fields,
        )
        store.create_session(session)
        return session.id


async def test_every_marker_kind_is_saved_and_shown(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        for text in [
            "the queue is shared by two teams",
            "14:05 detection: backlog alert fired",
            "13:50 trigger: consumer deploy",
            "! alert on consumer lag",
            "+ the runbook was current",
            "+ lucky: it happened at low traffic",
            "avoid(ownership): nobody owns the consumer config",
            "detect: lag alert threshold too high",
            "? what did the lag graph show",
            "learning: consumer restarts hide lag",
        ]:
            await type_note(pilot, text)
            assert app.screen.query_one("#capture", Input).value == ""
        feedback = str(app.screen.query_one("#feedback", Static).content)
        assert "saved learning" in feedback
        await pilot.press("f3")
        await pilot.pause()
        events = table_text(app.screen.query_one("#events", ItemTable))
        assert events.index("consumer deploy") < events.index("backlog alert")
        assert "Time to detect 15m 00s" in picture_text(app)

    review = load(tmp_path, session_id)
    assert [n.text for n in review.notes] == ["the queue is shared by two teams"]
    assert review.notes[0].phase is Phase.LEVEL_SET
    assert {e.kind for e in review.events} == {EventKind.DETECTION, EventKind.TRIGGER}
    assert [i.text for i in review.ideas] == ["alert on consumer lag"]
    assert [w.lucky for w in review.went_well] == [False, True]
    assert {(f.area.value, f.tag) for f in review.factors} == {
        ("avoid", "ownership"),
        ("detect", ""),
    }
    assert [q.text for q in review.questions] == ["what did the lag graph show"]
    assert [x.text for x in review.learnings] == ["consumer restarts hide lag"]


async def test_malformed_marker_keeps_the_typed_text(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, "25:99 the pager fired")
        assert app.screen.query_one("#capture", Input).value == "25:99 the pager fired"
        feedback = app.screen.query_one("#feedback", Static)
        assert "Not saved" in str(feedback.content)
        assert feedback.has_class("-error")
    assert load(tmp_path, session_id).events == []


async def test_phase_keys_switch_workspace_and_persist(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        assert app.screen.query_one(ContentSwitcher).current == "view-factors"
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one(ContentSwitcher).current == "view-actions"
        await pilot.press("ctrl+b", "ctrl+b")
        await pilot.pause()
        assert app.screen.query_one(ContentSwitcher).current == "view-went-well"
        await type_note(pilot, "plain note in went-well")
    review = load(tmp_path, session_id)
    assert review.session.phase is Phase.WENT_WELL
    assert review.notes[0].phase is Phase.WENT_WELL


async def test_timeline_edit_rekind_and_delete(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await type_note(pilot, "14:00 consumer deploy")
        await type_note(pilot, "14:30 lag noticed")
        table = app.screen.query_one("#events", ItemTable)
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        app.screen.query_one("#choices", OptionList).highlighted = 0  # trigger
        await pilot.press("enter")
        await pilot.pause()
        table.move_cursor(row=1)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("#field-at", Input).value = "not a time"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)  # the error is shown inline; typed text kept
        assert "not an ISO time" in str(app.screen.query_one("#error-at", Static).content)
        app.screen.query_one("#field-at", Input).value = "2026-11-20T14:12"
        app.screen.query_one("#field-kind", Input).value = "detection"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert "Time to detect 12m 00s" in picture_text(app)
        table.move_cursor(row=0)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert table.row_count == 1
    events = load(tmp_path, session_id).events
    assert [(e.kind, e.at.hour, e.at.minute) for e in events] == [(EventKind.DETECTION, 14, 12)]


async def test_factor_warning_until_two_per_area(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f6")
        await pilot.pause()
        view = app.screen.query_one(FactorsView)
        warning = view.query_one("#factor-warning", Static)
        assert "avoid, detect, fix" in str(warning.content)
        for area in ("avoid", "detect", "fix"):
            await type_note(pilot, f"{area}: first {area} factor")
        assert "⚠" in str(warning.content)
        for area in ("avoid", "detect"):
            await type_note(pilot, f"{area}: second {area} factor")
        assert "in: fix" in str(warning.content)
        await type_note(pilot, "fix: second fix factor")
        assert "✓" in str(warning.content)
        assert warning.has_class("-ok")
        fixes = view.query_one("#factors-fix", OptionList)
        fixes.focus()
        fixes.highlighted = 0
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert "in: fix" in str(warning.content)
        assert fixes.option_count == 1
    assert sorted(f.text for f in load(tmp_path, session_id).factors) == [
        "first avoid factor",
        "first detect factor",
        "second avoid factor",
        "second detect factor",
        "second fix factor",
    ]


async def test_sense_making_questions_and_answers_attach_to_events(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await type_note(pilot, "14:00 trigger: consumer deploy")
        await type_note(pilot, "14:20 mitigation: rolled back")
        await pilot.press("f4")
        await pilot.pause()
        decisions = app.screen.query_one("#decisions", ItemTable)
        decisions.move_cursor(row=1)
        await pilot.pause()
        await type_note(pilot, "? what made a rollback the first move")
        await type_note(pilot, "= it had worked twice that month")
        questions = app.screen.query_one("#questions", OptionList)
        assert questions.option_count == 1
        assert "it had worked twice that month" in str(questions.get_option_at_index(0).prompt)
        await type_note(pilot, "= no open question left")
        feedback = app.screen.query_one("#feedback", Static)
        assert feedback.has_class("-error")
        assert app.screen.query_one("#capture", Input).value == "= no open question left"
    review = load(tmp_path, session_id)
    rollback = next(e for e in review.events if "rolled back" in e.text)
    assert [(q.event_id, q.answer) for q in review.questions] == [
        (rollback.id, "it had worked twice that month")
    ]


async def test_hostile_text_renders_literally_everywhere(tmp_path: Path) -> None:
    session_id = new_session(tmp_path, impact={"users_affected": HOSTILE})
    with Store(tmp_path / "review.db") as store:
        store.update_session(session_id, title=HOSTILE)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        for prefix in ["", "14:00 ", "! ", "+ ", "avoid: ", "? ", "learning: "]:
            await type_note(pilot, prefix + HOSTILE)
            feedback = app.screen.query_one("#feedback", Static).content
            assert isinstance(feedback, Content)
            assert "[@click=app.quit]boom[/]" in feedback.plain
        seen = 0
        for key in ["f2", "f3", "f4", "f5", "f6", "f7"]:
            await pilot.press(key)
            await pilot.pause()
            assert app.is_running  # no [@click=app.quit] fired
        for table in app.screen.query(RowTable):
            for row in range(table.row_count):
                for value in table.get_row_at(row):
                    if "boom" in str(value):
                        assert isinstance(value, Content)
                        assert "[@click=app.quit]boom[/] [bold]x[/bold]" in value.plain
                        assert not value.spans  # nothing was parsed into styles or actions
                        seen += 1
        assert seen >= 7
        listed = 0
        for options in app.screen.query(OptionList):
            for index in range(options.option_count):
                prompt = options.get_option_at_index(index).prompt
                if isinstance(prompt, Content) and "boom" in prompt.plain:
                    start = prompt.plain.index("[@click")
                    assert all(span.end <= start for span in prompt.spans)  # text unstyled
                    listed += 1
                else:
                    assert "boom" not in str(prompt)  # hostile text only ever as Content
        assert listed >= 1  # the avoid factor (question lists show only the selected event's)
        assert app.screen.query_one("#impact-users_affected", Input).value == HOSTILE
        assert HOSTILE in (app.screen.sub_title or "")
    review = load(tmp_path, session_id)
    stored = [
        *(n.text for n in review.notes),
        *(e.text for e in review.events),
        *(i.text for i in review.ideas),
        *(w.text for w in review.went_well),
        *(f.text for f in review.factors),
        *(q.text for q in review.questions),
        *(x.text for x in review.learnings),
    ]
    assert stored.count(HOSTILE) == 7


async def test_impact_fields_are_saved_as_typed(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#impact-users_affected", Input)
        field.focus()
        await pilot.press(*"12%")
        await pilot.pause()
        # Committed before the app goes away: nothing waits for a save key or quit.
        assert load(tmp_path, session_id).session.impact.users_affected == "12%"
        await type_note(pilot, "typed just before quitting")
        await pilot.press("ctrl+q")
    review = load(tmp_path, session_id)
    assert review.notes[-1].text == "typed just before quitting"


async def test_went_well_lucky_toggle_and_parking_lot(tmp_path: Path) -> None:
    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await type_note(pilot, "+ fast rollback")
        await type_note(pilot, "! make rollbacks one command")
        table = app.screen.query_one("#went-well", ItemTable)
        table.focus()
        await pilot.press("l")
        await pilot.pause()
        assert "lucky" in table_text(table)
        ideas = table_text(app.screen.query_one("#side-ideas", ItemTable))
        assert "make rollbacks one command" in ideas
    review = load(tmp_path, session_id)
    assert review.went_well[0].lucky is True
    assert isinstance(review.ideas[0], ActionIdea)


async def test_footer_follows_focus_and_skips_identical_rebuilds(tmp_path: Path) -> None:
    from review_assistant.tui.footer import KeyFooter

    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        await type_note(pilot, "14:02 first alert fired")
        footer = app.screen.query_one(KeyFooter)
        assert "Edit" not in footer.descriptions  # the capture input has focus
        before = footer.keys
        footer.bindings_changed(app.screen)  # same bindings: nothing is worked out again
        await pilot.pause()
        assert footer.keys is before
        app.screen.query_one("#events").focus()
        await pilot.pause()
        assert {"Edit", "Kind", "Delete", "Make sense"} <= set(footer.descriptions)
        drawn = footer.render_line(0).text
        assert "Make sense" in drawn and "palette" not in drawn  # no room for it here


async def test_a_click_on_a_footer_key_presses_it(tmp_path: Path) -> None:
    from review_assistant.tui.footer import KeyFooter
    from review_assistant.tui.help import HelpScreen
    from review_assistant.tui.home import HomeScreen
    from review_assistant.tui.modals import FormScreen

    seed_demo(tmp_path)
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        footer = app.screen.query_one(KeyFooter)
        line = footer.render_line(0).text
        assert line.startswith("n New review  / Filter")
        assert line.rstrip().endswith("▏^p palette")
        await pilot.click(KeyFooter, offset=(line.index("f1 Help") + 3, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click(KeyFooter, offset=(line.index("  / Filter") + 1, 0))  # the gap
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.click(KeyFooter, offset=(0, 0))  # n: a new review
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)


async def test_a_long_timeline_fills_and_scrolls_to_its_end(tmp_path: Path) -> None:
    from datetime import timedelta

    from review_assistant.domain.models import TimelineEvent

    session_id = new_session(tmp_path, phase=Phase.TIMELINE)
    start = datetime(2026, 11, 20, 13, 45, tzinfo=UTC)
    with Store(tmp_path / "review.db") as store:
        for i in range(300):
            store.add(
                session_id,
                TimelineEvent(at=start + timedelta(seconds=30 * i), text=f"event number {i}"),
            )
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one("#events", ItemTable)
        await pilot.pause()
        assert table.virtual_size.height == 300 + 1  # rows and the header, nothing measured
        table.focus()
        await pilot.press("end")
        await pilot.pause()
        assert table.cursor_row == 299
        assert table.scroll_y == table.max_scroll_y > 0
        last = table.get_row_at(299)
        assert "event number 299" in str(last[-1])
        text_width = table.widths(table.scrollable_content_region.width)[-1]
        assert text_width > 30  # the free text column took the room the others left


def guide_lines(app: object) -> list[str]:
    from review_assistant.tui.guide_text import GuideText

    guide = app.screen.query_one(GuideText)  # type: ignore[attr-defined]
    return [guide.render_line(y).text.strip() for y in range(guide.size.height)]


async def test_the_guide_follows_the_phase_and_scrolls(tmp_path: Path) -> None:
    from review_assistant.guidebook import load_guide
    from review_assistant.tui.guide_text import GuideText

    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        guide = app.screen.query_one(GuideText)
        assert guide.source == load_guide(Phase.LEVEL_SET).markdown
        first = guide_lines(app)
        assert "Level-set" in first[0]  # the guide's title, laid out as Markdown (no "#")
        assert not any(line.startswith("#") for line in first)
        await pilot.press("f3")
        await pilot.pause()
        assert guide.source == load_guide(Phase.TIMELINE).markdown
        assert guide_lines(app) != first
        assert guide.virtual_size.height > guide.size.height  # longer than the panel
        guide.scroll_to(y=3, animate=False, immediate=True)
        await pilot.pause()
        scrolled = guide_lines(app)
        await pilot.press("f2")  # another phase starts at its top again
        await pilot.pause()
        assert guide.scroll_y == 0 and guide_lines(app) == first != scrolled
        await pilot.press("ctrl+g")  # hidden, and back at a new width
        await pilot.pause()
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert guide_lines(app) == first


async def test_a_guide_that_cannot_be_read_is_reported_in_the_panel(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import review_assistant.guidebook

    def unreadable(phase: Phase) -> None:
        raise OSError("[b]disk[/b] error")

    session_id = new_session(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(review_assistant.guidebook, "load_guide", unreadable)
        await pilot.press("f3")
        await pilot.pause()
        shown = " ".join(guide_lines(app))
        assert "The guide for Timeline walk could not be read: [b]disk[/b] error" in shown
