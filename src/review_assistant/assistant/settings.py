"""Assistant settings: flags, then environment, then the TOML config file, then defaults.

The API key is read from the environment or the config file and only ever held in memory:
it is excluded from every dump and never stored, logged or exported.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

Provider = Literal["builtin", "openai"]
PROVIDERS: tuple[Provider, ...] = ("builtin", "openai")
DEFAULT_MODEL = "gpt-4o-mini"
ENV_CONFIG = "REVIEW_ASSISTANT_CONFIG"

#: Environment variables and the setting each one fills.
ENVIRONMENT = {
    "REVIEW_ASSISTANT_PROVIDER": "provider",
    "REVIEW_ASSISTANT_MODEL": "model",
    "OPENAI_BASE_URL": "base_url",
    "OPENAI_API_KEY": "api_key",
    "REVIEW_ASSISTANT_TIMEOUT": "timeout_s",
    "REVIEW_ASSISTANT_CONTEXT_WINDOW": "context_window",
    "REVIEW_ASSISTANT_MAX_OUTPUT_TOKENS": "max_output_tokens",
    "REVIEW_ASSISTANT_MAX_RESPONSE_KB": "max_response_kb",
}
CONFIG_KEYS = {
    "provider": "provider",
    "model": "model",
    "base_url": "base_url",
    "api_key": "api_key",
    "timeout": "timeout_s",
    "total_timeout": "total_timeout_s",
    "context_window": "context_window",
    "max_output_tokens": "max_output_tokens",
    "max_response_kb": "max_response_kb",
    "temperature": "temperature",
}


class SettingsError(ValueError):
    """The configuration cannot be used; the message says where and why."""


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    provider: Provider = "builtin"
    model: str = Field(default=DEFAULT_MODEL, min_length=1, max_length=200)
    base_url: str | None = None
    api_key: SecretStr | None = Field(default=None, exclude=True, repr=False)
    #: Longest wait for the next piece of an answer (connect and each read).
    timeout_s: float = Field(default=30.0, gt=0, le=3600)
    #: Longest a whole call may take, however steadily it drips.
    total_timeout_s: float = Field(default=180.0, gt=0, le=7200)
    context_window: int | None = Field(default=None, gt=0)
    max_output_tokens: int | None = Field(default=None, gt=0)
    #: The most answer text kept from one call, in KB of UTF-8: reading stops there and what
    #: came is kept, marked partial. One event of a stream, or an error body, may be 8 times
    #: this (JSON escaping), never more.
    max_response_kb: int = Field(default=256, gt=0, le=1_048_576)
    #: Low: the assistant reports and asks about facts; it is not writing fiction.
    temperature: float = Field(default=0.2, ge=0, le=2)
    #: Where the values came from, for ``doctor``: setting → flag / env / config / default.
    sources: dict[str, str] = Field(default_factory=dict)

    @property
    def model_label(self) -> str:
        return "built-in engine" if self.provider == "builtin" else self.model

    def describe(self) -> list[tuple[str, str, str]]:
        """(setting, value, source) rows, the key shown only as set or not set."""
        rows = [
            ("provider", self.provider),
            ("model", self.model_label),
            ("base_url", self.base_url or "(the OpenAI default)"),
            ("api_key", "set" if self.api_key else "not set"),
            ("timeout_s", f"{self.timeout_s:g}"),
            ("total_timeout_s", f"{self.total_timeout_s:g}"),
            ("context_window", str(self.context_window or "from the model table")),
            ("max_output_tokens", str(self.max_output_tokens or "from the model table")),
            ("max_response_kb", f"{self.max_response_kb:,}"),
            ("temperature", f"{self.temperature:g}"),
        ]
        return [(name, value, self.sources.get(name, "default")) for name, value in rows]


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    if env.get(ENV_CONFIG):
        return Path(env[ENV_CONFIG]).expanduser()
    import platformdirs

    return Path(platformdirs.user_config_dir("review-assistant", appauthor=False)) / "config.toml"


def _read_config(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SettingsError(f"{path}: {exc}") from None
    section = data.get("assistant", data)
    if not isinstance(section, dict):
        raise SettingsError(f"{path}: [assistant] must be a table")
    unknown = sorted(set(section) - set(CONFIG_KEYS))
    if unknown:
        raise SettingsError(f"{path}: unknown setting(s) {', '.join(unknown)}")
    return {CONFIG_KEYS[key]: value for key, value in section.items()}


def load_settings(
    *,
    provider: str | None = None,
    model: str | None = None,
    base_url: str | None = None,
    env: Mapping[str, str] | None = None,
    path: Path | None = None,
) -> Settings:
    """Flags win over the environment, which wins over the config file."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    config_file = path or config_path(env)
    for name, value in _read_config(config_file).items():
        values[name], sources[name] = value, f"config ({config_file})"
    for variable, name in ENVIRONMENT.items():
        if env.get(variable):
            values[name], sources[name] = env[variable], f"env {variable}"
    for name, value in (("provider", provider), ("model", model), ("base_url", base_url)):
        if value:
            values[name], sources[name] = value, "flag"
    if "provider" not in values and (values.get("base_url") or values.get("api_key")):
        values["provider"], sources["provider"] = "openai", "an endpoint or key is configured"
    provider_value = values.get("provider")
    if provider_value is not None and provider_value not in PROVIDERS:
        raise SettingsError(
            f"unknown provider {provider_value!r} ({sources['provider']}); "
            f"use {' or '.join(PROVIDERS)}"
        )
    try:
        return Settings(**values, sources=sources)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "settings"
        where = sources.get(name, "default")
        raise SettingsError(f"{name} ({where}): {error['msg']}") from None
