"""The other commands as a user meets them: `rubrics check`, `config show`, `export` to a file,
and code in exported answers."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from interviewer.cli import main
from interviewer.export import fence_code
from interviewer.session import Session
from interviewer.storage import Store

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT.parent / "shared" / "eval"


def run(args):
    return CliRunner().invoke(main, args)


# --------------------------------------------------------------------------- rubrics check


def test_rubrics_check_takes_a_folder():
    res = run(["rubrics", "check", str(ROOT / "rubrics")])
    assert res.exit_code == 0, res.output
    checked = res.stdout.splitlines()
    assert len(checked) == len(list((ROOT / "rubrics").glob("*.yaml")))
    assert any("questions.yaml (question bank" in line for line in checked)


def test_rubrics_check_an_empty_folder_is_one_line(tmp_path):
    res = run(["rubrics", "check", str(tmp_path)])
    assert res.exit_code == 1
    assert res.stderr == f"error: {tmp_path}: no .yaml files in the folder — fix: name a rubric file, or a folder that has them\n"


def test_rubrics_check_knows_a_question_bank_by_its_kind_not_its_name(tmp_path):
    bank = tmp_path / "my-questions.yaml"
    shutil.copy(ROOT / "rubrics" / "questions.yaml", bank)
    res = run(["rubrics", "check", str(bank)])
    assert res.exit_code == 0, res.stderr
    assert res.stdout.startswith(f"ok  {bank} (question bank, ")


def test_the_weights_error_says_its_fix_once(tmp_path):
    import yaml

    data = yaml.safe_load((ROOT / "rubrics" / "star_story.yaml").read_text(encoding="utf-8"))
    data["criteria"][0]["weight"] += 0.3
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data), encoding="utf-8")
    res = run(["rubrics", "check", str(bad)])
    assert res.exit_code == 1
    (line,) = res.stderr.splitlines()
    assert "weights sum to 1.300, not 1" in line and line.count("add up to 1") == 1


# --------------------------------------------------------------------------- calibrate


def test_calibrate_says_what_qwk_is(tmp_path):
    labelled = tmp_path / "ours.jsonl"
    labelled.write_text("".join((ROOT / "data" / "calibration" / "answers.jsonl").read_text(encoding="utf-8").splitlines(True)[:6]))
    lines = run(["calibrate", str(labelled), "--format", "table"]).stdout.splitlines()
    assert lines[0].startswith("Overall band, offline on 6 answers: QWK ")
    assert lines[1] == "QWK: quadratic weighted kappa, 1 = perfect agreement, 0 = chance."


# --------------------------------------------------------------------------- config show


def settings_rows(stdout: str) -> dict[str, str]:
    """`config show`'s settings by name (the lines after the three paths)."""
    return {line.split()[0]: line for line in stdout.splitlines()[3:]}


def test_config_show_says_where_the_history_lives(tmp_path, monkeypatch):
    monkeypatch.setenv("INTERVIEWER_DATA_DIR", str(tmp_path / "somewhere"))
    lines = run(["config", "show"]).stdout.splitlines()
    assert lines[1] == f"data dir:    {tmp_path / 'somewhere'} (env INTERVIEWER_DATA_DIR)"
    assert lines[2] == f"history:     {tmp_path / 'somewhere' / 'history.sqlite3'} (not yet created)"
    session_with("I'd sort and take the first k.")
    assert run(["config", "show"]).stdout.splitlines()[2] == f"history:     {tmp_path / 'somewhere' / 'history.sqlite3'}"


def test_config_show_says_what_unset_settings_mean():
    res = run(["config", "show"])
    assert res.exit_code == 0
    rows = settings_rows(res.stdout)
    assert "offline (no model" in rows["model"]
    assert "None" not in res.stdout and not any(line.split()[1] == "0" for line in rows.values())
    assert "unused offline" in rows["concurrency"] and "same as model (offline)" in rows["grader_model"]
    assert "120 s" in rows["timeout"]


def test_config_show_resolves_the_presets_defaults():
    res = run(["config", "show", "--model", "llamacpp:smollm2"])
    rows = settings_rows(res.stdout)
    assert "auto: 1 for llamacpp:smollm2" in rows["concurrency"]
    assert "the preset's: http://127.0.0.1:8080/v1" in rows["base_url"]
    assert "none needed" in rows["api_key_env"]
    hosted = settings_rows(run(["config", "show", "--model", "openai:gpt-4o-mini"]).stdout)
    assert "auto: 8 for openai:gpt-4o-mini" in hosted["concurrency"] and "OPENAI_API_KEY" in hosted["api_key_env"]


# --------------------------------------------------------------------------- export


CODE_ANSWER = """I'd count with a dictionary, then take the largest k:

def top_k(words, k):
    counts = {}
    for w in words:
        counts[w] = counts.get(w, 0) + 1
    return sorted(counts, key=counts.get, reverse=True)[:k]

That is O(n log n); a heap makes it O(n log k). I'd test an empty list, k = 0 and ties."""


def session_with(answer: str) -> str:
    s = Session("coding", "L5", store=Store(), seed=1, questions=1)
    plan = s.plan_next()
    s.record_asked(plan, plan.text)
    s.answer(answer)
    s.finish()
    return s.id


def test_exported_markdown_fences_a_code_answer():
    md = run(["export", session_with(CODE_ANSWER)]).stdout
    code = CODE_ANSWER.split("\n\n")[1]
    assert f"\n```\n{code}\n```\n" in md  # indentation kept, prose around it left as prose
    assert "\nI'd count with a dictionary, then take the largest k:\n" in md
    assert "\nThat is O(n log n); a heap makes it O(n log k)." in md


def test_an_already_fenced_or_prose_answer_is_left_as_it_is():
    fenced = "Here:\n\n```python\ndef f(x):\n    return x\n```\n"
    assert fence_code(fenced) == fenced
    prose = ("I owned the rollout, and when it broke I decided to pause it\n"
             "if the error rate went over 2%: that was the rule we had agreed.\n"
             "for example, the EU shard went first;\n"
             "return to the old path took ten minutes (we had practised it).\n"
             "  - an indented list item = fine\n"
             "# My approach\n"
             "Result: errors fell from 12% to 0.3% (p99 = 40 ms).")
    assert fence_code(prose) == prose


def test_code_in_the_calibration_answers_is_fenced_and_prose_is_not():
    """The labelled answers carry their code in fences: with the fences taken away, every code
    line comes back inside one, and no answer without code gets one."""
    files = [EVAL_DIR / "answers.jsonl", EVAL_DIR / "answers-more.jsonl"]
    if not all(f.exists() for f in files):
        pytest.skip(f"{EVAL_DIR} is not beside the checkout")
    import re

    rows = [json.loads(line) for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    with_code = [r["answer"] for r in rows if "```" in r["answer"]]
    assert len(with_code) > 20
    missed = []
    for answer in with_code:
        code = [line for block in re.findall(r"```\w*\n(.*?)\n```", answer, re.S) for line in block.split("\n")]
        fenced = fence_code(re.sub(r"^```\w*\n", "", answer, flags=re.M))
        inside = [line for block in re.findall(r"```\n(.*?)\n```", fenced, re.S) for line in block.split("\n")]
        assert all(line in code for line in inside if line.strip())  # no prose pulled into a fence
        missed += [line for line in code if line.strip() and line not in inside]
    assert len(missed) <= 1, missed  # one SQL comment opening a block reads as prose
    assert all(fence_code(r["answer"]) == r["answer"] for r in rows if "```" not in r["answer"])


def test_export_to_a_missing_folder_is_one_line(tmp_path):
    sid = session_with(CODE_ANSWER)
    res = run(["export", sid, "-o", str(tmp_path / "missing-dir" / "x.md")])
    assert res.exit_code == 2
    assert res.stderr.startswith(f"error: --output {tmp_path / 'missing-dir' / 'x.md'}: the folder {tmp_path / 'missing-dir'} does not exist")
    assert len(res.stderr.splitlines()) == 1 and "Traceback" not in res.output
    out = tmp_path / "x.md"
    assert run(["export", sid, "-o", str(out)]).exit_code == 0 and "```" in out.read_text()
