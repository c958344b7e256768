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
    and ``connect_timeout`` are seconds; ``concurrency`` 0 means the preset's default;
    ``calibration`` is the offline grader's calibration file (``None``: the shipped one)."""

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
    calibration: str | None = Field(default=None, description="offline grader: a calibration file from `interviewer calibrate --save`")

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


def shown(name: str, settings: Settings) -> str:
    """Setting ``name`` of ``settings`` as a person reads it: what an unset value means for the
    model in use (``None``, and ``concurrency`` 0, mean the preset's default), seconds with
    their unit, and "unused offline" for a model setting when no model is used."""
    from interviewer.models import ModelConfigError, parse

    value = getattr(settings, name)
    if name == "model":
        return "offline (no model)" if value == "offline" else value
    if name == "grader_model":
        return f"same as model ({settings.model})" if value is None else value
    if name == "calibration":
        return "shipped (fitted to data/calibration)" if value is None else value
    models = [m for m in (settings.grader_model, settings.model) if m and m.strip() != "offline"]
    if not models:
        return "unused offline" if value is None or (name == "concurrency" and value == 0) else f"{_with_unit(name, value)} (unused offline)"
    try:  # the grader's model when there is one: concurrency is the batch grader's
        spec = parse(models[0], base_url=settings.base_url, api_key_env=settings.api_key_env)
    except ModelConfigError:
        spec = None  # doctor and the commands that use a model say what is wrong
    if name == "base_url" and value is None:
        return f"the preset's: {spec.base_url}" if spec else "the preset's"
    if name == "api_key_env" and value is None:
        if spec is None:
            return "the preset's"
        return f"the preset's: {spec.key_env}" if spec.key_env else "none needed (a placeholder key is sent)"
    if name == "concurrency" and value == 0:
        return f"auto: {spec.default_concurrency} for {spec.id}" if spec else "auto: 1 for a local server, 8 hosted"
    if name == "seed" and value is None:
        return "not fixed"
    return _with_unit(name, value)


def _with_unit(name: str, value: Any) -> str:
    return f"{value:g} s" if name in ("timeout", "connect_timeout") else str(value)
