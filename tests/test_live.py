"""Opt-in end-to-end tests against a live local model server (off in CI).

Run: scripts/local-llm.sh &   then   .venv/bin/pytest --live tests/test_live.py
(``INTERVIEWER_LIVE_BASE_URL`` overrides http://127.0.0.1:8080/v1.)
"""

from __future__ import annotations

import asyncio
import json
import os

import pytest
from click.testing import CliRunner

from interviewer.cli import main
from interviewer.config import load
from interviewer.models import make_grader, make_interviewer
from interviewer.session import Session
from interviewer.storage import Store

BASE_URL = os.environ.get("INTERVIEWER_LIVE_BASE_URL", "http://127.0.0.1:8080/v1")
pytestmark = [pytest.mark.live, pytest.mark.block_network(allowed_hosts=["127.0.0.1", "localhost"])]


def test_live_practice_round(tmp_path):
    settings = load(model="llamacpp:smollm2", base_url=BASE_URL)
    s = Session("behavioral", "L5", interviewer=make_interviewer(settings), grader=make_grader(settings),
                store=Store(tmp_path / "h.sqlite3"), questions=1, seed=1)

    async def turn():
        plan = s.plan_next()
        return "".join([c async for c in s.stream(plan)])

    asked = asyncio.run(turn())
    assert asked.strip()
    score = s.answer("I decided to roll back the deploy myself because errors hit 12%, and they fell to 0.1% in four minutes. " * 2)
    assert score.status in ("scored", "unscored")
    assert s.finish().answers == 1


def test_live_batch_grade(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"id": "x", "answer": "I chose the fallback because errors hit 12%; they were back to baseline in four minutes. " * 2}) + "\n")
    res = CliRunner().invoke(main, ["grade", str(f), "--format", "json", "--model", "llamacpp:smollm2", "--base-url", BASE_URL])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["items"][0]["status"] in ("scored", "unscored")
