"""Shared fixtures. No test touches the network or the user's real data directory."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CALIBRATION = ROOT / "data" / "calibration"
EVAL = CALIBRATION / "answers.jsonl"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own history database, cache and config file, and no model settings
    leak in from the environment of whoever runs the tests."""
    for name in list(os.environ):
        if name.startswith("INTERVIEWER_") and name not in ("INTERVIEWER_RECORDED_FROM", "INTERVIEWER_RECORD_BASE_URL",
                                                             "INTERVIEWER_LIVE_BASE_URL"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("INTERVIEWER_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("INTERVIEWER_CONFIG", str(tmp_path / "config.toml"))
    return tmp_path / "data"


@pytest.fixture(scope="session")
def eval_answers() -> dict[str, dict]:
    """The 40 labelled calibration answers (data/calibration/answers.jsonl, a copy of
    ../shared/eval/answers.jsonl), by id."""
    return {d["id"]: d for d in map(json.loads, EVAL.read_text(encoding="utf-8").splitlines()) if d}


# --------------------------------------------------------------------------- recordings (vcrpy)

CASSETTES = Path(__file__).parent / "cassettes"
_SCRUB_HEADERS = ["authorization", "cookie", "set-cookie", "openai-organization", "openai-project", "x-request-id"]


#: parts of the grader's prompt (prompts/grader_user.md) that come from the rubric files and the
#: offline detectors, which change on their own schedule: a recording of the wire stays valid
#: when a rubric's anchors are reworded or a detector finds something else
_VOLATILE = [re.compile(r"(\(version )\d+(\))"),
             re.compile(r"(Criteria:\n).*?(\n\nQuestion asked:)", re.S),
             re.compile(r"(Detector hints \(mechanical, may be wrong\):\n).*?(\n\n<answer-)", re.S)]


def _normalised_body(request) -> object:
    """The request body as JSON with the model id dropped, the answer's random delimiter fixed
    and the rubric's criteria text and the detector hints blanked, so one cassette replays
    whichever server or model recorded it, across rubric and detector changes."""
    raw = request.body or b""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    raw = re.sub(r"answer-[0-9a-f]{6}", "answer-X", raw)
    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    if isinstance(data, dict):
        data.pop("model", None)
        for message in data.get("messages", []):
            if isinstance(message.get("content"), str):
                for pattern in _VOLATILE:
                    message["content"] = pattern.sub(r"\1…\2", message["content"])
    return data


def _body_sans_model(r1, r2) -> None:
    assert _normalised_body(r1) == _normalised_body(r2)


def pytest_recording_configure(config, vcr):
    vcr.register_matcher("body_sans_model", _body_sans_model)


@pytest.fixture(scope="session")
def vcr_config():
    return {
        "filter_headers": _SCRUB_HEADERS,
        "decode_compressed_response": True,
        "match_on": ["method", "path", "body_sans_model"],
    }


@pytest.fixture(scope="session")
def vcr_cassette_dir():
    return str(CASSETTES)


@pytest.fixture
def recorded_from(request, record_mode):
    """Where a cassette comes from. While recording, writes ``<cassette>.source.json`` beside it
    from ``$INTERVIEWER_RECORDED_FROM`` (JSON: server, version, model file, sha256)."""
    name = request.node.name
    sidecar = CASSETTES / f"{name}.source.json"
    yield
    if record_mode != "none" and os.environ.get("INTERVIEWER_RECORDED_FROM") and request.node.get_closest_marker("vcr"):
        sidecar.parent.mkdir(exist_ok=True)
        sidecar.write_text(json.dumps(json.loads(os.environ["INTERVIEWER_RECORDED_FROM"]), indent=2) + "\n")


def pytest_addoption(parser):
    parser.addoption("--live", action="store_true", help="run the opt-in tests against a live local model server")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--live"):
        return
    skip = pytest.mark.skip(reason="live model test: run with --live and a server from scripts/local-llm.sh")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)
