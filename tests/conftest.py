"""Shared fixtures. No test touches the network or the user's real data directory."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval" / "answers.jsonl"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path, monkeypatch):
    """Every test gets its own history database (INTERVIEWER_DATA_DIR)."""
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(tmp_path / "data"))
    return tmp_path / "data"


@pytest.fixture(scope="session")
def eval_answers() -> dict[str, dict]:
    """The 40 labelled calibration answers from ../shared/eval, by id."""
    if not EVAL.exists():
        pytest.skip(f"{EVAL} is not beside the checkout")
    return {d["id"]: d for d in map(json.loads, EVAL.read_text(encoding="utf-8").splitlines()) if d}
