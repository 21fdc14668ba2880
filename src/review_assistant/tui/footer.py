"""A footer that rebuilds its keys only when the keys it shows have changed."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer

Signature = tuple[tuple[str, str, str, bool, str], ...]


class KeyFooter(Footer):
    """Textual's footer rebuilds every key on each focus change; this one skips a rebuild
    when the shown bindings are the same (opening a review moves focus several times)."""

    _shown: Signature | None = None

    def __init__(self, *, palette: bool = True) -> None:
        # Compact, and without the palette key where space is short, so that at 100 columns
        # every shown key fits on the line (F1 lists them all, the palette key included).
        super().__init__(compact=True, show_command_palette=palette)

    def compose(self) -> ComposeResult:
        """The keys are there from the screen's first frame (Textual's footer waits for the
        screen's first change of bindings, and draws them a refresh later)."""
        self.set_reactive(Footer._bindings_ready, True)
        self._shown = self._signature()
        yield from super().compose()

    def _signature(self) -> Signature:
        return tuple(
            (binding.key, binding.description, binding.action, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._refresh_keys)

    async def _refresh_keys(self) -> None:
        if not self.is_attached:
            return
        signature = self._signature()
        if signature != self._shown:
            self._shown = signature
            await self.recompose()
