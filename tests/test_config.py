"""Choosing a model: flag > environment > config file > offline default; presets; keys; doctor."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner

from fake_openai import FakeOpenAI
from interviewer.cli import main
from interviewer.config import explain, load
from interviewer.llm import LLMGrader, LLMInterviewer
from interviewer.models import PLACEHOLDER_KEY, ModelConfigError, make_grader, parse
from interviewer.rubrics import get_rubric
from interviewer.grading import OfflineGrader
from interviewer.session import Session


@pytest.fixture
def config_file(tmp_path, monkeypatch):
    path = tmp_path / "config.toml"
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(path))
    monkeypatch.delenv("INTERVIEWER_MODEL", raising=False)
    return path


def test_default_is_offline(config_file):
    assert load().model == "offline"
    assert isinstance(make_grader(load()), OfflineGrader)


def test_precedence_flag_env_config(config_file, monkeypatch):
    config_file.write_text('model = "ollama:llama3.1:8b"\ntemperature = 0.5\napi_key_env = "MY_KEY"\n')
    assert load().model == "ollama:llama3.1:8b"
    monkeypatch.setenv("INTERVIEWER_MODEL", "vllm:qwen")
    assert load().model == "vllm:qwen"
    assert load(model="lmstudio:phi").model == "lmstudio:phi"
    rows = {name: (value, origin) for name, value, origin in explain(model="lmstudio:phi")}
    assert rows["model"] == ("lmstudio:phi", "flag")
    assert rows["temperature"] == (0.5, f"config {config_file}")
    assert rows["timeout"][1] == "default"
    monkeypatch.delenv("INTERVIEWER_MODEL")
    assert dict((n, o) for n, _, o in explain())["model"] == f"config {config_file}"


def test_config_show_command(config_file, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_MODEL", "llamacpp:smollm2")
    res = CliRunner().invoke(main, ["config", "show", "--grader-model", "offline"])
    assert res.exit_code == 0
    assert "env INTERVIEWER_MODEL" in res.output and "flag" in res.output and "(not present)" in res.output


def test_a_broken_config_file_is_one_line(config_file):
    config_file.write_text("model = [unclosed\n")
    res = CliRunner().invoke(main, ["config", "show"])
    assert res.exit_code == 2 and str(config_file) in res.stderr and len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("model,preset,url", [
    ("ollama:llama3.1:8b", "ollama", "http://127.0.0.1:11434/v1"),
    ("llamacpp:smollm2", "llamacpp", "http://127.0.0.1:8080/v1"),
    ("vllm:Qwen/Qwen2.5-7B", "vllm", "http://127.0.0.1:8000/v1"),
    ("lmstudio:phi-3", "lmstudio", "http://127.0.0.1:1234/v1"),
    ("openai:gpt-4o-mini", "openai", "https://api.openai.com/v1"),
    ("gpt-4o-mini", "openai", "https://api.openai.com/v1"),
])
def test_presets(model, preset, url):
    spec = parse(model)
    assert spec.preset == preset and spec.base_url == url
    assert spec.model == model.split(":", 1)[-1] if ":" in model else spec.model == model


def test_base_url_overrides_and_local_servers_get_a_placeholder(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret")
    spec = parse("ollama:llama3.1:8b", base_url="http://127.0.0.1:9999/v1")
    assert spec.base_url == "http://127.0.0.1:9999/v1" and spec.api_key() == PLACEHOLDER_KEY
    assert parse("openai:gpt-4o", base_url="http://127.0.0.1:9999/v1").api_key() == PLACEHOLDER_KEY
    assert parse("openai:gpt-4o").api_key() == "sk-secret"


def test_unknown_preset_and_missing_key_name_the_fix(monkeypatch):
    with pytest.raises(ModelConfigError, match="unknown preset 'olama'"):
        parse("olama:llama3")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelConfigError, match="set the environment variable OPENAI_API_KEY"):
        parse("openai:gpt-4o").api_key()


def test_any_langchain_chat_model_plugs_in():
    """The seam is langchain-core's BaseChatModel: a fake one from langchain-core itself works."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    answer = "I chose the fallback because errors hit 12%, and they were back to baseline in four minutes after I switched."
    rubric = get_rubric("star_story")
    judgement = {"grader_address": False, "criteria": [
        {"id": c.id, "evidence": ["I chose the fallback"], "rationale": "fixture", "score": 3} for c in rubric.criteria]}
    llm = GenericFakeChatModel(messages=iter([AIMessage(json.dumps(judgement)), AIMessage("What would you do differently?")]))
    g = LLMGrader(llm, model_id="fake:generic")
    s = g.grade(answer, rubric=rubric, level="L5")
    assert s.status == "scored" and s.criterion("action").evidence[0].quote == "I chose the fallback"
    session = Session("behavioral", "L5", interviewer=LLMInterviewer(llm, model_id="fake:generic"), seed=1)

    async def turn():
        return "".join([c async for c in session.stream(session.plan_next())])

    assert asyncio.run(turn()).startswith("What would you do differently?")


def test_doctor_reports_reachability_models_first_token_and_modes():
    with FakeOpenAI("reject_json_schema") as fake:
        res = CliRunner().invoke(main, ["doctor", "--model", "llamacpp:fake-model", "--base-url", fake.base_url])
    assert res.exit_code == 0, res.output
    assert "reachable; the server lists 1 model, 'fake-model': the one asked for" in res.output and "first token after" in res.output
    assert "json_schema: rejected (400)" in res.output and "json_object: works" in res.output
    assert res.output.splitlines()[-1] == "ready: llamacpp:fake-model can interview and grade"


def test_doctor_says_when_the_model_asked_for_is_not_listed():
    with FakeOpenAI("ok") as fake:
        res = CliRunner().invoke(main, ["doctor", "--model", "llamacpp:other", "--base-url", fake.base_url])
    assert "the server does not list 'other'; it lists 1 model: fake-model" in res.output
    assert res.exit_code == 0 and res.output.splitlines()[-1].startswith("ready:")  # llama.cpp-like servers answer any name


def _dead_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_doctor_on_a_wrong_port_names_the_url_and_base_url_not_how_to_start_a_server():
    url = f"http://127.0.0.1:{_dead_port()}/v1"
    res = CliRunner().invoke(main, ["doctor", "--model", "lmstudio:phi", "--base-url", url])
    assert res.exit_code == 1 and f"cannot connect to {url} — fix: check --base-url" in res.output
    assert "lms server start" not in res.output
    assert res.output.splitlines()[-1] == "not ready — fix: check --base-url (its host and port), or start the server there"


def test_doctor_on_an_80_column_terminal_wraps_between_words():
    from terminal import on_a_terminal

    url = f"http://127.0.0.1:{_dead_port()}/v1"
    lines = on_a_terminal(["doctor", "--model", "llamacpp:smollm2", "--base-url", url], columns=80, stdout=True).splitlines()
    assert lines and all(len(line) <= 80 for line in lines)
    failed = next(i for i, line in enumerate(lines) if line.startswith("  ✗ "))
    more = [line for line in lines[failed + 1:] if line.startswith("    ")]  # continued under its text, not at column 0
    assert more and " ".join(line.strip() for line in lines[failed:failed + 1 + len(more)]) == (
        f"✗ cannot connect to {url} — fix: check --base-url (its host and port), or start the server there")


def test_the_start_hint_is_kept_for_a_presets_own_url():
    assert "lms server start" in parse("lmstudio:phi").start_hint()
    assert "lms server start" in parse("lmstudio:phi", base_url="http://127.0.0.1:1234/v1/").start_hint()
    assert parse("lmstudio:phi", base_url="http://127.0.0.1:1235/v1").start_hint() == "check --base-url (its host and port), or start the server there"


def test_doctor_offline():
    res = CliRunner().invoke(main, ["doctor"])
    assert res.exit_code == 0 and "offline" in res.output
