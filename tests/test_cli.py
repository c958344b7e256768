"""The other commands as a user meets them: `rubrics check`, `config show`, `export` to a file,
and code in exported answers."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from interviewer.cli import main

ROOT = Path(__file__).resolve().parents[1]


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


# --------------------------------------------------------------------------- config show


def test_config_show_says_what_unset_settings_mean():
    res = run(["config", "show"])
    assert res.exit_code == 0
    rows = {line.split()[0]: line for line in res.stdout.splitlines()[1:]}
    assert "offline (no model" in rows["model"]
    assert "None" not in res.stdout and not any(line.split()[1] == "0" for line in rows.values())
    assert "unused offline" in rows["concurrency"] and "same as model (offline)" in rows["grader_model"]
    assert "120 s" in rows["timeout"]


def test_config_show_resolves_the_presets_defaults():
    res = run(["config", "show", "--model", "llamacpp:smollm2"])
    rows = {line.split()[0]: line for line in res.stdout.splitlines()[1:]}
    assert "auto: 1 for llamacpp:smollm2" in rows["concurrency"]
    assert "the preset's: http://127.0.0.1:8080/v1" in rows["base_url"]
    assert "none needed" in rows["api_key_env"]
    hosted = {line.split()[0]: line for line in run(["config", "show", "--model", "openai:gpt-4o-mini"]).stdout.splitlines()[1:]}
    assert "auto: 8 for openai:gpt-4o-mini" in hosted["concurrency"] and "OPENAI_API_KEY" in hosted["api_key_env"]
