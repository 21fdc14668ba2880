"""Learning across incidents: recurring themes, and the items behind them, over every review."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from review_assistant.domain.text import counted
from review_assistant.insights import Insights, Source, Theme, gather
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.format import cell
from review_assistant.tui.row_table import Column, RowTable
from review_assistant.tui.views.base import ItemTable, Row

#: What the lower table lists: the highlighted theme's factors, or one kind of item.
ITEM_COLUMNS = [
    Column("Review", "review", 28),
    Column("Area/tag", "where", 16),
    Column("Text", "text"),
]
MODES = {
    "theme": "Factors behind the highlighted theme",
    "factors": "Every contributing factor, by area",
    "learnings": "Learnings, newest first",
    "ideas": "Parked ideas never turned into actions",
}


class LearningScreen(Screen[None]):
    """Enter on a row opens its review; t / f / l / i choose what the lower table lists."""

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back", id="learning.back"),
        Binding("t", "mode('theme')", "Theme", id="learning.theme"),
        Binding("f", "mode('factors')", "Factors", id="learning.factors"),
        Binding("l", "mode('learnings')", "Learnings", id="learning.learnings"),
        Binding("i", "mode('ideas')", "Parked ideas", id="learning.ideas"),
    ]
    DEFAULT_CSS = """
    LearningScreen #overview { padding: 0 1; background: $boost; height: auto; }
    LearningScreen #themes { height: 2fr; }
    LearningScreen #items-title { padding: 0 1; color: $accent; text-style: bold; }
    LearningScreen #items { height: 3fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.insights = Insights()
        self.mode = "theme"
        self.themes: list[Theme] = []
        self.rows: list[Source] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="overview")
        yield ItemTable(id="themes", flex="label")
        yield Static(id="items-title")
        yield RowTable(ITEM_COLUMNS, self.item_cells, key=lambda source: source.key, id="items")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Learning across incidents"
        themes = self.query_one("#themes", ItemTable)
        themes.add_column("Recurring theme", key="label")
        themes.add_column("Kind", width=5, key="kind")
        themes.add_column("Reviews", width=7, key="reviews")
        themes.add_column("Factors", width=7, key="factors")
        store: Any = getattr(self.app, "store", None)
        self.insights = gather(store)
        self.show_overview()
        self.themes = self.insights.tags + self.insights.words
        self.themes.sort(key=lambda t: (-len(t.reviews), t.kind != "tag", -t.factors))
        themes.fill(
            Row(
                str(index),
                (
                    cell(("↻ " if theme.recurs else "") + theme.label),
                    theme.kind,
                    str(len(theme.reviews)),
                    str(theme.factors),
                ),
            )
            for index, theme in enumerate(self.themes)
        )
        self.show_items()
        themes.focus()

    def show_overview(self) -> None:
        found = self.insights
        areas = " · ".join(
            f"{area} {found.by_area[area]} in {counted(found.reviews_by_area[area], 'review')}"
            for area in found.by_area
        )
        recurring = sum(1 for t in found.tags + found.words if t.recurs)
        self.query_one("#overview", Static).update(
            Content(
                f"{counted(found.reviews, 'review')} · factors: {areas}\n"
                f"{counted(recurring, 'theme')} recur in two reviews or more (↻) · "
                f"{counted(len(found.learnings), 'learning')} · "
                f"{counted(len(found.ideas), 'parked idea')} never turned into an action"
            )
        )

    def action_mode(self, mode: str) -> None:
        self.mode = mode
        self.show_items()

    def on_row_table_highlighted(self, event: RowTable.Highlighted) -> None:
        if event.control.id == "themes" and self.mode == "theme":
            self.show_items()

    def _theme_items(self) -> list[Source]:
        themes = self.query_one("#themes", ItemTable)
        if not self.themes or not themes.row_count:
            return []
        theme = self.themes[themes.cursor_row]
        if theme.kind == "tag":
            return [f for f in self.insights.factors if f.tag.strip().lower() == theme.label]
        return [f for f in self.insights.factors if theme.label in f.text.lower()]

    def show_items(self) -> None:
        found = self.insights
        if self.mode == "theme":
            rows = self._theme_items()
        elif self.mode == "factors":
            rows = sorted(found.factors, key=lambda f: f.area)
        else:
            rows = found.learnings if self.mode == "learnings" else found.ideas
        self.rows = rows
        title = MODES[self.mode]
        self.query_one("#items-title", Static).update(Content(f"{title} ({len(rows)})"))
        self.query_one("#items", RowTable).show(rows)

    @staticmethod
    def item_cells(source: Source) -> tuple[str, ...]:
        where = source.area + (f" ({source.tag})" if source.tag else "")
        return (source.session_title, where or "—", source.text)

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        """Enter opens the review: a theme's newest review, or the item's own review."""
        if event.control.id == "themes":
            if self.themes:
                self.open_review(self.themes[event.row].reviews[0][0])
        else:
            self.open_review(self.rows[event.row].session_id)

    def open_review(self, session_id: str) -> None:
        opener: Any = self.app
        opener.open_review(session_id)
