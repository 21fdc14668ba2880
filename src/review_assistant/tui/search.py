"""Search every review: type words, see the matches newest first, Enter opens the review there."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from review_assistant.domain.phases import phase_def
from review_assistant.domain.text import counted, printable
from review_assistant.store import Store
from review_assistant.store.search import MARK_END, MARK_START, Hit, search
from review_assistant.tui.footer import KeyFooter
from review_assistant.tui.format import TextInput, cell
from review_assistant.tui.row_table import RowTable
from review_assistant.tui.views.base import ItemTable, Row

LIMIT = 100


def marked(snippet: str) -> Content:
    """The snippet with the matching words highlighted; the text itself is never markup."""
    parts: list[str | tuple[str, str]] = []
    rest = " ".join(snippet.split())
    while MARK_START in rest:
        before, _, after = rest.partition(MARK_START)
        hit, _, rest = after.partition(MARK_END)
        parts += [printable(before), (printable(hit), "bold $text-warning")]
    parts.append(printable(rest))
    return Content.assemble(*parts)


class SearchScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="search.back"),
        Binding("down", "results", "Results", show=False, id="search.results"),
    ]
    DEFAULT_CSS = """
    SearchScreen #query { border: tall $accent; }
    SearchScreen #found { padding: 0 1; color: $text-muted; }
    SearchScreen #hits { height: 1fr; }
    """

    def __init__(self, query: str = "") -> None:
        super().__init__()
        self.initial = query
        self.hits: list[Hit] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield TextInput(
            self.initial, placeholder='Search every review: words, "a phrase", pref*', id="query"
        )
        yield Static("Type and press Enter; ↓ goes to the results, Enter opens one.", id="found")
        yield ItemTable(id="hits", flex="match")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = "Search"
        table = self.query_one(ItemTable)
        table.add_column("When", width=16, key="when")
        table.add_column("Review", width=24, key="review")
        table.add_column("Phase", width=14, key="phase")
        table.add_column("Match", key="match")
        self.query_one("#query", Input).focus()
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Submitted, "#query")
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.run_search(event.value)
        if self.hits:
            self.query_one(ItemTable).focus()

    def run_search(self, query: str) -> None:
        found = self.query_one("#found", Static)
        store: Store = getattr(self.app, "store")  # noqa: B009 - the app owns the one store
        try:
            self.hits = search(store, query, limit=LIMIT) if query.strip() else []
        except ValueError as exc:
            self.hits = []
            found.update(Content(str(exc)))
        self.query_one(ItemTable).fill(
            Row(
                str(index),
                (
                    hit.at.strftime("%Y-%m-%d %H:%M"),
                    cell(hit.session_title, 24),
                    cell(f"{phase_def(hit.phase).title} · {hit.kind}", 14),
                    marked(hit.snippet or hit.text),
                ),
            )
            for index, hit in enumerate(self.hits)
        )
        if query.strip():
            more = f" (the newest {LIMIT})" if len(self.hits) >= LIMIT else ""
            found.update(Content(f"{counted(len(self.hits), 'match', 'matches')}{more}"))

    def action_results(self) -> None:
        if self.hits:
            self.query_one(ItemTable).focus()

    def action_back(self) -> None:
        query = self.query_one("#query", Input)
        if self.focused is not query:
            query.focus()
        else:
            self.app.pop_screen()

    def on_row_table_selected(self, event: RowTable.Selected) -> None:
        hit = self.hits[event.row]
        opener: Any = self.app
        opener.open_review(hit.session_id, at=(hit.kind, hit.item_id, hit.phase))
