"""F1: every key of the screen you were on, and the capture syntax."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

CAPTURE_SYNTAX = """\
Capture syntax — start a note with:
  14:05 detection: …   a timeline event (or an ISO time); kinds: trigger, detection,
                       escalation, diagnosis, mitigation, resolution, communication, other
  14:05 detection @on-call engineer: …   the same, with who saw or did it
  ! …                  park an action idea          + …  went well (+ lucky: … for luck)
  avoid: / detect: / fix: …  a contributing factor  (avoid(ownership): … adds a tag)
  ? …                  a question to ask            = …  answers it (how did it make sense)
  learning: …          a learning or surprise       anything else: a note of this phase"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "dismiss", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 98; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    HelpScreen DataTable { height: 1fr; }
    HelpScreen #syntax { height: auto; padding-top: 1; color: $text-muted; }
    """

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Keys on this screen (Ctrl+P searches every command)", classes="title")
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)
            yield Static(CAPTURE_SYNTAX, id="syntax", markup=False)

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("Key", "Does")
        for key, description in self.keys:
            table.add_row(key, description)
        table.focus()
