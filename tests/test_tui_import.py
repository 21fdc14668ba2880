"""Importing a timeline from the review screen: form, worker, report, and the table updated."""

from __future__ import annotations

from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static

from review_assistant.tui.app import make_app
from review_assistant.tui.importing import GROUP, ImportReportScreen
from review_assistant.tui.modals import FormScreen
from review_assistant.tui.views.timeline import EventTable
from tui_helpers import SIZE, load, seed_demo, table_text

CSV = (
    "at,kind,text,who\n"
    "14:10,other,Checkout graph dips for [b]everyone[/b],support lead\n"
    "14:12,detecton,a row with a typo in its kind,\n"
    "2026-03-12T14:15:00Z,diagnosis,Logs show pool waits,database engineer\n"
)


async def finish_import(pilot: Pilot[None]) -> None:
    """Wait for the import worker on the review screen, then for the report to show."""
    for worker in pilot.app.screen_stack[1].workers:
        if worker.group == GROUP:
            await worker.wait()
    await pilot.pause()
    await pilot.pause()


async def test_importing_from_the_timeline_adds_events_and_reports_bad_rows(
    tmp_path: Path,
) -> None:
    session_id = seed_demo(tmp_path)
    before = len(load(tmp_path, session_id).events)
    source = tmp_path / "timeline.csv"
    source.write_text(CSV, encoding="utf-8")
    app = make_app(tmp_path, session_id=session_id)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f3")
        await pilot.pause()
        table = app.screen.query_one(EventTable)
        table.focus()
        await pilot.press("i")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#field-file", Input).value = str(tmp_path / "missing.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert "no such file or folder" in str(form.query_one("#error-file", Static).render())
        form.query_one("#field-file", Input).value = str(source)
        await pilot.press("enter")
        await finish_import(pilot)
        assert isinstance(app.screen, ImportReportScreen)
        report = str(app.screen.query_one("#report-text", Static).render())
        assert "imported 2 events from timeline.csv" in report
        assert "timeline.csv:3: unknown kind 'detecton'" in report
        await pilot.press("escape")
        await pilot.pause()
        shown = table_text(app.screen.query_one(EventTable))
        assert "Checkout graph dips for [b]everyone[/b]" in shown  # literal, not markup
        assert "Logs show pool waits" in shown
        # the same file again adds nothing, and says so
        await pilot.press("ctrl+y")
        await pilot.pause()
        app.screen.query_one("#field-file", Input).value = str(source)
        await pilot.press("enter")
        await finish_import(pilot)
        report = str(app.screen.query_one("#report-text", Static).render())
        assert "imported 0 events" in report and "2 already in the review" in report
    assert len(load(tmp_path, session_id).events) == before + 2
