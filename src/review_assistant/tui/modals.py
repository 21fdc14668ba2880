"""Small dialogs: confirm, choose, prompt, and the event and action forms."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from review_assistant.domain.models import ActionStatus, EventKind, FactorArea, TimelineEvent
from review_assistant.domain.text import printable
from review_assistant.domain.times import TimeError, parse_datetime
from review_assistant.tui.format import TextInput, literal

DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 76; height: auto; max-height: 90%;
    border: round $accent; background: $surface; padding: 0 1;
}}
{name} .dialog-title {{ text-style: bold; padding-bottom: 1; }}
{name} .field-label {{ color: $text-muted; }}
{name} .error {{ color: $error; height: auto; display: none; }}
{name} .error.-shown {{ display: block; }}
{name} .dialog-hint {{ color: $text-muted; padding-top: 1; }}
{name} Input {{ margin-bottom: 0; }}
{name} .fields {{ height: auto; max-height: 70vh; }}
{name} .fields Input {{ background: $boost; margin-bottom: 1; }}
{name} .fields Input:focus {{ background: $primary 20%; }}
"""


class ConfirmScreen(ModalScreen[bool]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, detail: str = "") -> None:
        super().__init__()
        self.question = question
        self.detail = detail

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.question), classes="dialog-title")
            if self.detail:
                yield Static(literal(self.detail))
            yield Static("y = yes · n or Escape = no", classes="dialog-hint")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class ChoiceScreen(ModalScreen[str | None]):
    DEFAULT_CSS = DIALOG_CSS.format(name="ChoiceScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="choice.cancel")]

    def __init__(self, title: str, choices: Sequence[tuple[str, str]], current: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.choices = list(choices)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.title_text), classes="dialog-title")
            yield OptionList(
                *(Option(Content(printable(label)), id=value) for value, label in self.choices),
                id="choices",
            )
            yield Static("↑↓ to move · Enter to choose · Escape to cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        values = [value for value, _ in self.choices]
        if self.current in values:
            options.highlighted = values.index(self.current)
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FieldError(ValueError):
    """A form value is wrong; the message is shown under that field."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


class FormScreen(ModalScreen[dict[str, Any] | None]):
    """A column of labelled inputs, validated on Enter; the typed values survive errors."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FormScreen")
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="form.cancel"),
        Binding("ctrl+s", "submit", "Save", id="form.save"),
    ]

    def __init__(
        self,
        title: str,
        fields: Sequence[tuple[str, str, str, str]],
        validate: Callable[[dict[str, str]], dict[str, Any]],
    ) -> None:
        """``fields`` are (key, label, value, placeholder); ``validate`` raises ValueError."""
        super().__init__()
        self.title_text = title
        self.fields = list(fields)
        self.validate = validate

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(literal(self.title_text), classes="dialog-title")
            with VerticalScroll(classes="fields", can_focus=False):
                for key, label, value, placeholder in self.fields:
                    yield Label(label, classes="field-label")
                    yield TextInput(value, placeholder=placeholder, id=f"field-{key}", compact=True)
                    yield Static("", id=f"error-{key}", classes="error")
            yield Static("", id="form-error", classes="error")
            yield Static(
                "Enter or Ctrl+S saves · Tab moves · Escape cancels", classes="dialog-hint"
            )

    def values(self) -> dict[str, str]:
        return {key: self.query_one(f"#field-{key}", Input).value for key, *_ in self.fields}

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def action_submit(self) -> None:
        for error in self.query(".error"):
            if isinstance(error, Static):
                error.update("")
                error.remove_class("-shown")
        try:
            result = self.validate(self.values())
        except FieldError as exc:
            shown = self.query_one(f"#error-{exc.key}", Static)
            shown.update(literal(str(exc)))
            shown.add_class("-shown")
            self.query_one(f"#field-{exc.key}", Input).focus()
            return
        except ValueError as exc:
            shown = self.query_one("#form-error", Static)
            shown.update(literal(str(exc)))
            shown.add_class("-shown")
            return
        self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def event_form(event: TimelineEvent, tz_name: str) -> FormScreen:
    from zoneinfo import ZoneInfo

    tz = ZoneInfo(tz_name)

    def validate(values: dict[str, str]) -> dict[str, Any]:
        try:
            at = parse_datetime(values["at"], tz)
        except TimeError as exc:
            raise FieldError("at", str(exc)) from None
        try:
            kind = EventKind(values["kind"].strip().lower())
        except ValueError:
            kinds = ", ".join(k.value for k in EventKind)
            raise FieldError("kind", f"one of {kinds}") from None
        if not values["text"].strip():
            raise FieldError("text", "the event needs text")
        return {"at": at, "kind": kind, "who": values["who"].strip(), "text": values["text"]}

    local = event.at.astimezone(tz).replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    return FormScreen(
        "Edit timeline event",
        [
            ("at", f"Time (ISO; without an offset it is read in {tz_name})", local, ""),
            ("kind", "Kind", event.kind.value, "trigger, detection, mitigation …"),
            ("who", "Who", event.who, "role or name"),
            ("text", "Event", event.text, ""),
        ],
        validate,
    )


def action_form(
    title: str, *, text: str = "", owner: str = "", area: str = "", due: str = ""
) -> FormScreen:
    def validate(values: dict[str, str]) -> dict[str, Any]:
        if not values["text"].strip():
            raise FieldError("text", "describe what will be done")
        area_value = values["area"].strip().lower()
        if area_value and area_value not in {a.value for a in FactorArea}:
            raise FieldError("area", "avoid, detect or fix (or leave it empty)")
        due_text = values["due"].strip()
        try:
            due_date = date.fromisoformat(due_text) if due_text else None
        except ValueError:
            raise FieldError("due", "a date as YYYY-MM-DD (or leave it empty)") from None
        return {
            "text": values["text"].strip(),
            "owner": values["owner"].strip(),
            "area": FactorArea(area_value) if area_value else None,
            "due": due_date,
        }

    return FormScreen(
        title,
        [
            ("text", "Action (small enough to commit to)", text, ""),
            ("owner", "Owner", owner, "who commits to it"),
            ("area", "Area", area, "avoid, detect or fix"),
            ("due", "Due", due, "YYYY-MM-DD"),
        ],
        validate,
    )


def status_choices() -> list[tuple[str, str]]:
    return [(s.value, s.value) for s in ActionStatus]


def kind_choices() -> list[tuple[str, str]]:
    return [(k.value, k.value) for k in EventKind]
