"""The baseline for start-up: a bare Textual app showing one Label, started like the real one."""

from textual.app import App, ComposeResult
from textual.widgets import Label


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Label("bare app ready")


if __name__ == "__main__":
    Bare().run()
