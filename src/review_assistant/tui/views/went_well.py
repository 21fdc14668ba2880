"""What went well, including where we got lucky."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding

from review_assistant.domain.models import Item, Review, WentWell
from review_assistant.domain.phases import Phase
from review_assistant.tui.format import cell
from review_assistant.tui.views.base import ItemTable, PhaseView, Row


class WentWellTable(ItemTable):
    DELETES = WentWell
    BINDINGS = [
        Binding("l", "request('lucky')", "Lucky?", id="went-well.lucky"),
        Binding("d", "delete", "Delete", id="went-well.delete"),
    ]

    def __init__(self, review: Review) -> None:
        super().__init__(id="went-well")
        self.review = review

    def on_mount(self) -> None:
        self.add_column("", width=7, key="lucky")
        self.add_column("What helped (`+ …`), and where we got lucky (`+ lucky: …`)", key="text")
        self.reload()

    def reload(self) -> None:
        self.fill((self._row(item) for item in self.review.went_well), keep=self.selected_key)

    @staticmethod
    def _row(item: WentWell) -> Row:
        return Row(item.id, ("lucky" if item.lucky else "helped", cell(item.text)))

    def add_item(self, item: WentWell) -> None:
        self.append(self._row(item))


class WentWellView(PhaseView):
    PHASE = Phase.WENT_WELL
    DEFAULT_CSS = "WentWellView #went-well { height: 2fr; }"

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield WentWellTable(self.review)
        yield from self.compose_notes()

    def added(self, item: Item) -> None:
        super().added(item)
        if isinstance(item, WentWell):
            table = self.query_one(WentWellTable)
            table.add_item(item)
            table.select_key(item.id)

    def changed(self) -> None:
        self.query_one(WentWellTable).reload()
