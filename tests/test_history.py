"""`interviewer history` and `interviewer export` on sessions saved turn by turn."""

from __future__ import annotations

import json

from click.testing import CliRunner

from interviewer.cli import main
from interviewer.session import Session
from interviewer.storage import Store

ANSWER = ("I decided to pause the renewal job because a double charge costs refunds and trust; 40,000 renewals "
          "ran a day late and I refunded all 23 duplicates. My mistake was skipping the retry path in review.")


def play(finish: bool) -> str:
    s = Session("behavioral", "L5", store=Store(), seed=1, questions=1)
    plan = s.plan_next()
    s.record_asked(plan, plan.text)
    s.answer(ANSWER)
    if finish:
        s.finish()
    return s.id


def test_history_lists_sessions_newest_first():
    a = play(finish=True)
    b = play(finish=False)
    res = CliRunner().invoke(main, ["history"])
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[1].startswith(b) and "in progress" in lines[1]
    assert lines[2].startswith(a) and "hire" in lines[2]


def test_history_rows_fit_80_columns_without_breaking_a_word():
    done, running = play(finish=True), play(finish=False)
    for width in (80, 120):
        res = CliRunner(env={"COLUMNS": str(width)}).invoke(main, ["history"])
        lines = res.output.splitlines()
        assert len(lines) == 3 and all(len(line) <= width for line in lines)  # a header and one line a session
        assert lines[1].startswith(running) and lines[1].rstrip().endswith("in progress")
        assert lines[2].startswith(done) and lines[2].rstrip().endswith("hire")
        assert ("started" in lines[0]) == (width == 120)  # at 80 the start time is left to the id, which begins with it


def test_history_when_empty():
    res = CliRunner().invoke(main, ["history"])
    assert res.exit_code == 0 and "No sessions yet" in res.output


def test_export_markdown_and_json_with_scores():
    sid = play(finish=True)
    md = CliRunner().invoke(main, ["export", sid[:17], "--format", "markdown"])
    assert md.exit_code == 0
    assert f"# Practice session {sid}" in md.output and ANSWER in md.output and "## Scorecard" in md.output
    js = CliRunner().invoke(main, ["export", sid, "--format", "json"])
    doc = json.loads(js.output)
    assert [t["role"] for t in doc["turns"]] == ["interviewer", "candidate"]
    assert doc["turns"][1]["score"]["status"] == "scored" and doc["scorecard"]["overall"]["band"] in (1, 2, 3, 4)


def test_unfinished_session_exports_what_was_answered():
    sid = play(finish=False)
    md = CliRunner().invoke(main, ["export", sid]).output
    assert ANSWER in md and "not finished" in md


def test_unknown_session_is_one_line_and_nonzero():
    res = CliRunner().invoke(main, ["export", "nope"])
    assert res.exit_code == 1 and "no session matching 'nope'" in res.stderr and "interviewer history" in res.stderr
