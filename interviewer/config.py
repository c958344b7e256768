"""Settings: which model interviews and which grades, and where they are served.

Precedence, highest first: command-line flags, environment variables (``INTERVIEWER_MODEL``,
``INTERVIEWER_GRADER_MODEL``, ``INTERVIEWER_BASE_URL``, ...), the TOML config file
(``config.toml`` in the user config directory, or ``$INTERVIEWER_CONFIG``), then the offline
default. Loading is pydantic-settings'; :func:`explain` reports where each value came from.

The config file names the environment variable that holds a key (``api_key_env``), never the
key itself.
"""

from __future__ import annotations


from typing import Any

from pydantic import Field
from interviewer.paths import config_path
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


class Settings(BaseSettings):
    """Effective settings. ``model``/``grader_model``: ``offline`` or ``preset:model`` (e.g.
    ``ollama:llama3.1:8b``, ``openai:gpt-4o-mini``) or a bare OpenAI model id. ``timeout``
    and ``connect_timeout`` are seconds; ``concurrency`` 0 means the preset's default."""

    model_config = SettingsConfigDict(env_prefix="INTERVIEWER_", extra="ignore")

    model: str = "offline"
    grader_model: str | None = Field(default=None, description="defaults to the interviewer's model")
    base_url: str | None = None
    api_key_env: str | None = None
    timeout: float = Field(default=120.0, gt=0)
    connect_timeout: float = Field(default=5.0, gt=0)
    temperature: float = Field(default=0.2, ge=0, le=2)
    seed: int | None = None
    concurrency: int = Field(default=0, ge=0, le=64)
    samples: int = Field(default=1, ge=1, le=9)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path())


class ConfigError(Exception):
    """The config file cannot be read (one line naming the file and the fix)."""


def load(**flags: Any) -> Settings:
    """Settings with ``flags`` (None values ignored) on top. Raises :class:`ConfigError`."""
    given = {k: v for k, v in flags.items() if v is not None}
    try:
        return Settings(**given)
    except Exception as exc:  # tomllib.TOMLDecodeError or pydantic.ValidationError
        first = str(exc).splitlines()[0]
        raise ConfigError(f"{config_path()}: {first} — fix: correct the file or unset the INTERVIEWER_* variable") from None


def explain(**flags: Any) -> list[tuple[str, Any, str]]:
    """(setting, effective value, where it came from) for each setting: ``flag``, ``env
    INTERVIEWER_X``, ``config <path>`` or ``default``."""
    settings = load(**flags)
    env = EnvSettingsSource(Settings)()
    path = config_path()
    toml = TomlConfigSettingsSource(Settings, toml_file=path)() if path.exists() else {}
    rows = []
    for name in Settings.model_fields:
        if flags.get(name) is not None:
            origin = "flag"
        elif name in env:
            origin = f"env INTERVIEWER_{name.upper()}"
        elif name in toml:
            origin = f"config {path}"
        else:
            origin = "default"
        rows.append((name, getattr(settings, name), origin))
    return rows
