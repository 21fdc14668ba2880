"""Pilot-driven flows: home, new review, interviews, the action pass, help and palette."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import DataTable, Input, OptionList, Static

from review_assistant.domain.models import ActionStatus, FactorArea, SessionStatus
from review_assistant.store import Store
from review_assistant.tui.action_pass import ActionPassScreen
from review_assistant.tui.app import make_app
from review_assistant.tui.help import HelpScreen
from review_assistant.tui.home import HomeScreen
from review_assistant.tui.interview import InterviewScreen
from review_assistant.tui.modals import ChoiceScreen, FormScreen
from review_assistant.tui.review_screen import ReviewScreen
from review_assistant.tui.row_table import RowTable
from review_assistant.tui.views.base import ItemTable
from review_assistant.tui.who_knew import WhoKnewScreen
from tui_helpers import SIZE, load, seed_demo, table_text, type_note


async def test_create_a_review_from_home(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert "No reviews yet" in str(app.screen.query_one("#empty", Static).content)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-timezone", Input).value = "Mars/Olympus"
        form.query_one("#field-started", Input).value = "2026-03-29 01:30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "needs a title" in str(form.query_one("#error-title", Static).content)
        form.query_one("#field-title", Input).value = "Payments timeouts"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unknown timezone" in str(form.query_one("#error-timezone", Static).content)
        form.query_one("#field-timezone", Input).value = "Europe/London"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "does not exist" in str(form.query_one("#error-started", Static).content)
        form.query_one("#field-started", Input).value = "2026-03-29 03:10"
        form.query_one("#field-severity", Input).value = "SEV1"
        form.query_one(
            "#field-participants", Input
        ).value = "Alex Example: on-call engineer; Casey Sample: incident commander"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        session = app.screen.live.session
        assert session.status is SessionStatus.IN_REVIEW
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Payments timeouts" in table_text(app.screen.query_one("#reviews", RowTable))
    with Store(tmp_path / "review.db") as store:
        review = store.load_review(session.id)
    assert review.session.severity == "SEV1"
    assert review.session.incident_start is not None
    assert review.session.incident_start.utcoffset() is not None
    assert [(p.name, p.role) for p in review.participants] == [
        ("Alex Example", "on-call engineer"),
        ("Casey Sample", "incident commander"),
    ]


async def test_home_filters_as_you_type(tmp_path: Path) -> None:
    seed_demo(tmp_path)
    with Store(tmp_path / "review.db") as store:
        from review_assistant.domain.models import ReviewSession

        store.create_session(ReviewSession(title="DNS outage", severity="SEV1"))
    app = make_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        table = home.query_one("#reviews", RowTable)
        assert table.row_count == 2
        assert not home.query("#filter")  # the list has the screen until a filter is asked for
        empty = home.query_one("#empty", Static)
        assert not empty.display  # nothing to say while reviews are listed
        await pilot.press("slash", *"dns")
        await pilot.pause()
        assert table.row_count == 1
        assert "DNS outage" in table_text(table)
        await pilot.press(*"zzz")
        await pilot.pause()
        assert table.row_count == 0 and empty.display
        assert "No review matches the filter" in str(empty.content)
        await pilot.press(*["backspace"] * 3)
        await pilot.pause()
        assert table.row_count == 1 and not empty.display
        await pilot.press("enter")  # back to the list, still filtered
        await pilot.pause()
        assert app.focused is table and table.row_count == 1
        assert home.query_one("#filter", Input).value == "dns"
        await pilot.press("slash")  # the same line again, as it was
        await pilot.pause()
        assert app.focused is home.query_one("#filter", Input)
        await pilot.press("escape")
        await pilot.pause()
        assert table.row_count == 2
        assert not home.query("#filter") and app.focused is table
        await pilot.press("slash", "enter")  # an empty filter goes on Enter
        await pilot.pause()
        assert not home.query("#filter") and app.focused is table


async def test_interview_capture_and_merge(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await pilot.pause()
        chooser = app.screen
        assert isinstance(chooser, ChoiceScreen)
        chooser.query_one(
            "#choices", OptionList
        ).highlighted = 2  # the database engineer: no interview yet
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, InterviewScreen)
        await type_note(pilot, "14:44 diagnosis: saw pool waits climbing on the database graph")
        await type_note(pilot, "was not paged; joined because the channel was busy")
        account = app.screen.query_one("#account", ItemTable)
        assert account.row_count == 2
        account.move_cursor(row=0)
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert "merged" in table_text(account)
        await pilot.press("ctrl+l")  # a second merge adds nothing
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert isinstance(app.screen, WhoKnewScreen)
        knowledge = table_text(app.screen.query_one("#knowledge", ItemTable))
        assert "interview: Jordan Demo" in knowledge
        assert "Alex Example" in knowledge  # the on-call engineer's earlier interview
    review = load(tmp_path, session_id)
    merged = [e for e in review.timeline() if e.merged_from]
    assert [e.text for e in merged] == ["saw pool waits climbing on the database graph"]
    assert merged[0].who == "Jordan Demo"
    assert merged[0].source == "interview: Jordan Demo"


async def test_action_pass_promote_status_and_learning_only(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, ActionPassScreen)
        learned = str(app.screen.query_one("#learned", Static).content)
        assert "avoid 3 / detect 2 / fix 2" in learned
        ideas = app.screen.query_one("#ideas", ItemTable)
        ideas.focus()
        ideas.move_cursor(row=2)  # "Route the support escalation channel …" (still parked)
        await pilot.press("p")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-text", Input).value.startswith("Route the support")
        form.query_one("#field-owner", Input).value = "support lead"
        form.query_one("#field-area", Input).value = "sideways"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "avoid, detect or fix" in str(form.query_one("#error-area", Static).content)
        form.query_one("#field-area", Input).value = "detect"
        form.query_one("#field-due", Input).value = "2026-04-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ActionPassScreen)
        actions = app.screen.query_one("#actions", ItemTable)
        assert actions.row_count == 4
        actions.focus()
        actions.move_cursor(row=3)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        app.screen.query_one("#choices", OptionList).highlighted = 2  # done
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("L")
        await pilot.pause()
        assert "learning review" in str(app.screen.query_one("#outcome", Static).content)
    review = load(tmp_path, session_id)
    new = review.actions[-1]
    assert (new.owner, new.area, new.status) == (
        "support lead",
        FactorArea.DETECT,
        ActionStatus.DONE,
    )
    idea = next(i for i in review.ideas if i.text.startswith("Route the support"))
    assert idea.action_id == new.id
    assert review.session.tracks_actions is False
    assert len(review.ideas) == 4  # promoting keeps the idea in the parking lot


async def test_f1_help_lists_the_screen_keys(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        keys = table_text(app.screen.query_one("#keys", DataTable))
        for description in ["Next phase", "Interviews", "Action pass", "Guide", "Quit"]:
            assert description in keys
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)


async def test_palette_offers_every_binding(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for description in ["Next phase", "Interviews", "Who knew", "Action pass"]:
            assert any(title.startswith(description) for title in titles), description
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"action pass")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ActionPassScreen)


async def test_review_details_are_edited_from_the_review_screen(tmp_path: Path) -> None:
    session_id = seed_demo(tmp_path)
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2", "f8")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#field-severity", Input).value == "SEV2"
        assert form.query_one("#field-ended", Input).value == "2026-03-12 15:20"
        people = form.query_one("#field-participants", Input)
        assert people.value.startswith("Alex Example: on-call engineer; Casey Sample")
        people.value = "Casey Sample: incident commander; Jordan Demo: DBA; Pat Mock: scribe"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(form.query_one("#error-participants", Static).content)
        assert "Alex Example has an interview on record" in error
        people.value = (
            "Alex Example: on-call engineer; Riley Fixture: support lead; "
            "Jordan Demo: DBA; Pat Mock: scribe"
        )
        form.query_one("#field-summary", Input).value = "Pool shrink [bold]x[/bold] broke checkout"
        form.query_one("#field-ended", Input).value = "2026-03-12 12:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "before the start" in str(form.query_one("#error-ended", Static).content)
        form.query_one("#field-ended", Input).value = "2026-03-12 15:40"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        details = str(app.screen.query_one("#details", Static).content)
        assert "Pool shrink [bold]x[/bold] broke checkout" in details
        assert "Pat Mock (scribe)" in details
    review = load(tmp_path, session_id)
    assert review.session.summary == "Pool shrink [bold]x[/bold] broke checkout"
    assert review.session.incident_end is not None
    assert review.session.incident_end.hour == 15 and review.session.incident_end.minute == 40
    people_now = {p.name: p.role for p in review.participants}
    assert people_now == {
        "Alex Example": "on-call engineer",
        "Riley Fixture": "support lead",
        "Jordan Demo": "DBA",
        "Pat Mock": "scribe",
    }
    interviewed = {review.participant(i.participant_id).name for i in review.interviews}  # type: ignore[union-attr]
    assert interviewed == {"Alex Example", "Riley Fixture"}
