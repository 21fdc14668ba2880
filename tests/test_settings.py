"""Assistant settings: flags over environment over the config file over defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from review_assistant.assistant.settings import SettingsError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_offline_engine(tmp_path: Path) -> None:
    settings = load_settings(env={}, path=tmp_path / "missing.toml")
    assert (settings.provider, settings.model_label) == ("builtin", "built-in engine")
    assert all(source == "default" for *_, source in settings.describe())


def test_flags_beat_environment_beat_config(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[assistant]\nprovider = "openai"\nmodel = "from-config"\nbase_url = "http://c/v1"\n'
        "timeout = 12\ncontext_window = 4096\n",
    )
    env = {"REVIEW_ASSISTANT_MODEL": "from-env", "OPENAI_BASE_URL": "http://e/v1"}
    settings = load_settings(model="from-flag", env=env, path=path)
    assert settings.model == "from-flag"
    assert settings.base_url == "http://e/v1"
    assert settings.timeout_s == 12 and settings.context_window == 4096
    sources = {name: source for name, _, source in settings.describe()}
    assert sources["model"] == "flag"
    assert sources["base_url"] == "env OPENAI_BASE_URL"
    assert sources["provider"].startswith("config (")


def test_an_endpoint_alone_switches_to_openai_and_the_key_stays_secret(tmp_path: Path) -> None:
    env = {"OPENAI_BASE_URL": "http://localhost:11434/v1", "OPENAI_API_KEY": "sk-secret-123"}
    settings = load_settings(env=env, path=tmp_path / "none.toml")
    assert settings.provider == "openai"
    assert "sk-secret-123" not in repr(settings)
    assert "sk-secret-123" not in settings.model_dump_json()
    assert ("api_key", "set", "env OPENAI_API_KEY") in settings.describe()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[assistant]\nprovider = "claude"\n', "unknown provider 'claude'"),
        ("[assistant]\ntop_p = 2\n", "unknown setting(s) top_p"),
        ("[assistant\n", "config.toml"),
        ("[assistant]\ntimeout = -1\n", "timeout_s (config"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_settings(env={}, path=write(tmp_path, text))
