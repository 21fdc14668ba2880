"""Contributing factors in three columns, with a warning while any area is thin."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from review_assistant.domain.models import Factor, FactorArea, Item, Review
from review_assistant.domain.phases import Phase
from review_assistant.tui.format import literal
from review_assistant.tui.views.base import Deleted, PhaseView

AREA_TITLES = {
    FactorArea.AVOID: "Avoid it",
    FactorArea.DETECT: "Detect sooner",
    FactorArea.FIX: "Fix faster",
}
MIN_PER_AREA = 2


class FactorList(OptionList):
    """One area's factors; sentences wrap in the narrow column instead of being cut."""

    DEFAULT_CSS = """
    FactorList { height: 1fr; border: none; padding: 0; }
    FactorList > .option-list--option { padding: 0 1; }
    """
    BINDINGS = [Binding("d", "delete", "Delete", id="factors.delete")]

    def __init__(self, review: Review, area: FactorArea) -> None:
        super().__init__(id=f"factors-{area.value}")
        self.review = review
        self.area = area

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        selected = self.selected_key
        self.clear_options()
        self.add_options([self._option(f) for f in self.review.factors if f.area is self.area])
        if selected:
            self.select_key(selected)

    @staticmethod
    def _option(factor: Factor) -> Option:
        label = f"{factor.text} [{factor.tag}]" if factor.tag else factor.text
        return Option(Content.assemble(("• ", "dim"), literal(label)), id=factor.id)

    def add_factor(self, factor: Factor) -> None:
        self.add_option(self._option(factor))

    @property
    def selected_key(self) -> str | None:
        if self.highlighted is None or not self.option_count:
            return None
        return self.get_option_at_index(self.highlighted).id

    def select_key(self, key: str) -> None:
        try:
            self.highlighted = self.get_option_index(key)
        except OptionDoesNotExist:
            return

    def action_delete(self) -> None:
        """Ask the screen to delete the highlighted factor (it confirms first)."""
        if self.selected_key:
            self.post_message(Deleted(Factor, self.selected_key))


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
                    yield FactorList(self.review, area)
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
            table = self.query_one(f"#factors-{item.area.value}", FactorList)
            table.add_factor(item)
            table.select_key(item.id)
            self.update_warning()

    def changed(self) -> None:
        for table in self.query(FactorList):
            table.reload()
        self.update_warning()
