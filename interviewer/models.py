"""The model seam: ``preset:model`` ids -> langchain-core chat models.

Presets name where an OpenAI-compatible server usually listens; ``--base-url`` overrides any
of them and any OpenAI-compatible URL works. The Python API takes any LangChain
``BaseChatModel`` instance as well (``ChatOllama``, a hosted provider...), so nothing here is
needed for those.

Keys: a preset names the environment variable that holds its key (``OPENAI_API_KEY`` for
``openai``); the OpenAI key is only ever sent to api.openai.com; a keyless local server gets a
placeholder. Model libraries are imported only when a model is built.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

if TYPE_CHECKING:  # pragma: no cover
    from langchain_core.language_models import BaseChatModel

    from interviewer.config import Settings


@dataclass(frozen=True)
class Preset:
    """Where a kind of server listens, the variable holding its key, how to start it, and the
    default batch concurrency (1 for a local server, 8 for a hosted API)."""

    name: str
    base_url: str
    key_env: str | None
    start_hint: str
    concurrency: int


PRESETS: dict[str, Preset] = {
    "openai": Preset("openai", "https://api.openai.com/v1", "OPENAI_API_KEY", "check your network and https://status.openai.com", 8),
    "ollama": Preset("ollama", "http://127.0.0.1:11434/v1", None, "start it with `ollama serve`", 1),
    "llamacpp": Preset("llamacpp", "http://127.0.0.1:8080/v1", None,
                       "start it with `llama-server -m MODEL.gguf --port 8080` or `scripts/local-llm.sh`", 1),
    "vllm": Preset("vllm", "http://127.0.0.1:8000/v1", None, "start it with `vllm serve MODEL --port 8000`", 1),
    "lmstudio": Preset("lmstudio", "http://127.0.0.1:1234/v1", None, "start the server in LM Studio (Developer tab) or `lms server start`", 1),
}

#: sent as the key to servers that need none (the openai client insists on one)
PLACEHOLDER_KEY = "sk-no-key-needed"


class ModelConfigError(Exception):
    """A model setting that cannot work (one line naming the setting and the fix)."""


@dataclass(frozen=True)
class ModelSpec:
    """A resolved model: ``preset`` name, ``model`` id on the server, ``base_url``, and the
    name of the environment variable holding the key (None: the placeholder is sent)."""

    preset: str
    model: str
    base_url: str
    key_env: str | None

    @property
    def id(self) -> str:
        return f"{self.preset}:{self.model}"

    @property
    def local(self) -> bool:
        host = urlparse(self.base_url).hostname or ""
        return host in {"127.0.0.1", "localhost", "::1"} or host.startswith("127.")

    @property
    def default_concurrency(self) -> int:
        return PRESETS[self.preset].concurrency if self.preset in PRESETS else (1 if self.local else 8)

    def api_key(self) -> str:
        """The key to send. Raises :class:`ModelConfigError` naming the variable when unset."""
        if self.key_env is None:
            return PLACEHOLDER_KEY
        key = os.environ.get(self.key_env, "").strip()
        if not key:
            raise ModelConfigError(f"{self.id}: no API key — fix: set the environment variable {self.key_env}")
        return key

    def start_hint(self) -> str:
        """What to do when nothing answers at ``base_url``: start the preset's server when the URL
        is the preset's own, else check ``--base-url`` (a wrong host or port is the likelier
        cause than a server that is down)."""
        preset = PRESETS.get(self.preset)
        if preset and self.base_url == preset.base_url.rstrip("/"):
            return preset.start_hint
        return "check --base-url (its host and port), or start the server there"


def parse(model: str, *, base_url: str | None = None, api_key_env: str | None = None) -> ModelSpec | None:
    """Resolve ``model`` (``offline``, ``preset:model`` or a bare OpenAI model id).

    Returns None for ``offline``. Raises :class:`ModelConfigError` for an unknown preset or a
    missing model id. ``api_key_env`` names the variable holding the key; the OpenAI key is
    never sent to a host other than api.openai.com."""
    model = model.strip()
    if model in ("", "offline"):
        return None
    head, sep, rest = model.partition(":")
    if sep and head in PRESETS:
        preset, name = PRESETS[head], rest
    elif sep and head == "openai-compatible":
        if not base_url:
            raise ModelConfigError(f"--model {model}: an openai-compatible model needs --base-url (or INTERVIEWER_BASE_URL)")
        preset, name = None, rest
    elif not sep or "/" in head or "." in head:
        preset, name = PRESETS["openai"], model
    else:
        raise ModelConfigError(f"--model {model}: unknown preset {head!r} — fix: use one of {', '.join(PRESETS)}, "
                               "or openai-compatible:MODEL with --base-url")
    if not name:
        raise ModelConfigError(f"--model {model}: no model id after the preset — fix: e.g. {head}:llama3.1:8b")
    url = (base_url or (preset.base_url if preset else "")).rstrip("/")
    key_env = api_key_env or (preset.key_env if preset else None)
    if key_env == "OPENAI_API_KEY" and urlparse(url).hostname != "api.openai.com":
        key_env = None  # never send an OpenAI key to another host
    return ModelSpec(preset.name if preset else "openai-compatible", name, url, key_env)


def build_chat_model(spec: ModelSpec, settings: Settings, *, max_retries: int = 2, streaming: bool = False) -> BaseChatModel:
    """A langchain-openai ``ChatOpenAI`` for ``spec`` (the openai client underneath).

    ``timeout`` is split into connect and read (seconds). ``max_retries`` is the client's own
    retry (exponential backoff, honours Retry-After); tests pass 0. Imports langchain-openai
    here, not at start-up."""
    import openai
    from langchain_openai import ChatOpenAI

    kwargs = {}
    if settings.seed is not None:
        kwargs["seed"] = settings.seed
    timeout = openai.Timeout(settings.timeout, connect=settings.connect_timeout)
    return ChatOpenAI(
        model=spec.model,
        base_url=spec.base_url,
        api_key=spec.api_key(),
        timeout=timeout,
        # a connection pool of its own: langchain-openai otherwise shares one across instances,
        # and pooled connections must not cross event loops (the TUI's and the grader's)
        http_client=openai.DefaultHttpxClient(timeout=timeout),
        http_async_client=openai.DefaultAsyncHttpxClient(timeout=timeout),
        max_retries=max_retries,
        temperature=settings.temperature,
        streaming=streaming,
        stream_usage=True,
        **kwargs,
    )


def _error_context(spec: ModelSpec) -> dict:
    return {"key_env": spec.key_env, "start_hint": spec.start_hint()}


def make_grader(settings: Settings, *, max_retries: int = 3):
    """The grader the settings ask for: ``OfflineGrader`` (with ``settings.calibration``) when
    the grader model (else the model) is ``offline``, else an ``LLMGrader``. Raises
    :class:`ModelConfigError`, and :class:`~interviewer.grading.model.CalibrationError` for a
    calibration file that cannot be used."""
    from interviewer.grading import OfflineGrader

    spec = parse(settings.grader_model or settings.model, base_url=settings.base_url, api_key_env=settings.api_key_env)
    if spec is None:
        return OfflineGrader(settings.calibration)
    from interviewer.llm import LLMGrader

    return LLMGrader(build_chat_model(spec, settings, max_retries=max_retries), model_id=spec.id, base_url=spec.base_url,
                     temperature=settings.temperature, samples=settings.samples, schema_in_json_mode=spec.local,
                     error_context=_error_context(spec), timeout=settings.timeout)


def make_interviewer(settings: Settings, *, max_retries: int = 2):
    """The interviewer for ``settings.model``: None (the scripted offline one) or an
    ``LLMInterviewer`` that streams. Raises :class:`ModelConfigError`."""
    spec = parse(settings.model, base_url=settings.base_url, api_key_env=settings.api_key_env)
    if spec is None:
        return None
    from interviewer.llm import LLMInterviewer

    return LLMInterviewer(build_chat_model(spec, settings, max_retries=max_retries, streaming=True), model_id=spec.id,
                          base_url=spec.base_url, error_context=_error_context(spec), timeout=settings.timeout)
