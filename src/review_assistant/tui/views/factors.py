"""Contributing factors in three columns, with a warning while any area is thin."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Static

from review_assistant.domain.models import Factor, FactorArea, Item, Review
from review_assistant.domain.phases import Phase
from review_assistant.tui.format import cell
from review_assistant.tui.views.base import ItemTable, PhaseView

AREA_TITLES = {
    FactorArea.AVOID: "Avoid it happening",
    FactorArea.DETECT: "Detect it sooner",
    FactorArea.FIX: "Fix it faster",
}
MIN_PER_AREA = 2


class FactorTable(ItemTable):
    DELETES = Factor
    BINDINGS = [Binding("d", "delete", "Delete", id="factors.delete")]

    def __init__(self, review: Review, area: FactorArea) -> None:
        super().__init__(id=f"factors-{area.value}")
        self.review = review
        self.area = area

    def on_mount(self) -> None:
        self.add_column(f"{self.area.value}:", key="text")
        self.reload()

    def reload(self) -> None:
        self.clear()
        for factor in self.review.factors:
            if factor.area is self.area:
                self.add_factor(factor)

    def add_factor(self, factor: Factor) -> None:
        label = f"{factor.text} [{factor.tag}]" if factor.tag else factor.text
        self.add_row(cell(label), key=factor.id)


class FactorsView(PhaseView):
    PHASE = Phase.FACTORS
    DEFAULT_CSS = """
    FactorsView #columns { height: 2fr; }
    FactorsView .area { width: 1fr; border: round $primary 40%; }
    FactorsView .area-title { text-style: bold; padding: 0 1; }
    FactorsView #factor-warning { color: $warning; padding: 0 1; height: auto; }
    FactorsView #factor-warning.-ok { color: $success; }
    """

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static(id="factor-warning")
        with Horizontal(id="columns"):
            for area, title in AREA_TITLES.items():
                with Vertical(classes="area"):
                    yield Static(title, classes="area-title", id=f"title-{area.value}")
                    yield FactorTable(self.review, area)
        yield from self.compose_notes()

    def on_mount(self) -> None:
        self.update_warning()

    def counts(self) -> dict[FactorArea, int]:
        counts = dict.fromkeys(FactorArea, 0)
        for factor in self.review.factors:
            counts[factor.area] += 1
        return counts

    def update_warning(self) -> None:
        counts = self.counts()
        thin = [area.value for area, n in counts.items() if n < MIN_PER_AREA]
        for area, title in AREA_TITLES.items():
            self.query_one(f"#title-{area.value}", Static).update(
                Content(f"{title} ({counts[area]})")
            )
        warning = self.query_one("#factor-warning", Static)
        warning.set_class(not thin, "-ok")
        if thin:
            warning.update(
                Content(
                    f"⚠ fewer than {MIN_PER_AREA} factors in: {', '.join(thin)} — "
                    "no incident has a single cause"
                )
            )
        else:
            warning.update("✓ at least two factors in every area")

    def added(self, item: Item) -> None:
        super().added(item)
        if isinstance(item, Factor):
            table = self.query_one(f"#factors-{item.area.value}", FactorTable)
            table.add_factor(item)
            table.select_key(item.id)
            self.update_warning()

    def changed(self) -> None:
        for table in self.query(FactorTable):
            table.reload()
        self.update_warning()
