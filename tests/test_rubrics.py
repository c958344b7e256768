"""Rubric files: the shipped ones are valid and cite real seeds; broken ones are refused in one line."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from interviewer.cli import main
from interviewer.grading.evidence import DETECTORS
from interviewer.rubrics import ROUNDS, RubricError, all_rubrics, load_question_bank, load_rubric, rubrics_dir

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_every_round_has_a_rubric_plus_the_star_story_rubric():
    rounds = {r.round for r in all_rubrics().values()}
    assert set(ROUNDS) | {"story"} <= rounds


def test_criteria_are_complete_and_weights_sum_to_one():
    for r in all_rubrics().values():
        assert abs(sum(c.weight for c in r.criteria) - 1) < 0.005
        for c in r.criteria:
            assert sorted(c.anchors) == [1, 2, 3, 4]
            assert c.probes and c.signals.positive and c.signals.negative
            assert all(d.id in DETECTORS for d in c.detectors)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_every_source_is_a_real_seed_and_no_seed_sentence_is_pasted():
    seeds = {p.name: p.read_text(encoding="utf-8") for p in SEEDS.glob("*.txt")}
    seed_words = {n: " ".join(re.findall(r"[a-z0-9']+", t.lower())) for n, t in seeds.items()}
    texts = []
    for r in all_rubrics().values():
        for c in r.criteria:
            assert set(c.source) <= set(seeds), f"{r.id}.{c.id} cites a missing seed: {c.source}"
            texts += [c.question, *c.anchors.values(), *c.signals.positive, *c.signals.negative, *c.probes]
    bank = load_question_bank()
    for qs in bank.rounds.values():
        for q in qs:
            assert set(q.source) <= set(seeds)
            texts.append(q.text)
    for text in texts:
        words = re.findall(r"[a-z0-9']+", text.lower())
        for i in range(len(words) - 9):
            run = " ".join(words[i:i + 10])
            assert not any(run in w for w in seed_words.values()), f"pasted from a seed: {run!r}"


def test_question_bank_has_eight_questions_per_round_at_each_level():
    bank = load_question_bank()
    for rnd in ROUNDS:
        assert len(bank.rounds[rnd]) >= 8
        for level in ("L4", "L5", "L6"):
            assert len(bank.for_round(rnd, level)) >= 3, (rnd, level)
        crit = {c.id for r in all_rubrics().values() if r.round == rnd for c in r.criteria}
        for q in bank.rounds[rnd]:
            assert set(q.targets) <= crit, (q.id, q.targets)


def _broken(tmp_path, mutate) -> Path:
    src = rubrics_dir() / "behavioral.yaml"
    data = yaml.safe_load(src.read_text())
    mutate(data)
    out = tmp_path / "broken.yaml"
    out.write_text(yaml.safe_dump(data, sort_keys=False))
    return out


def test_bad_yaml_names_file_and_line(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("kind: rubric\nid: x\ncriteria:\n  - id: a\n   name: b\n")
    with pytest.raises(RubricError) as exc:
        load_rubric(f)
    msg = str(exc.value)
    assert msg.startswith(f"{f}:5: invalid YAML") and "fix:" in msg and "\n" not in msg


def test_missing_field_names_the_line(tmp_path):
    def drop_name(d):
        del d["criteria"][1]["name"]

    f = _broken(tmp_path, drop_name)
    with pytest.raises(RubricError) as exc:
        load_rubric(f)
    msg = str(exc.value)
    line = int(msg.split(":")[1])
    assert "criteria.1.name" in msg and "add the field `name`" in msg
    assert "id:" in f.read_text().splitlines()[line - 1] or line > 1


def test_weights_that_do_not_sum_are_refused(tmp_path):
    def heavier(d):
        d["criteria"][0]["weight"] += 0.3

    with pytest.raises(RubricError, match="weights sum to 1.300, not 1"):
        load_rubric(_broken(tmp_path, heavier))


def test_unknown_detector_is_refused_with_the_closest_known_ones(tmp_path):
    def typo(d):
        d["criteria"][0]["detectors"][0]["id"] = "first_person_decisoin"

    with pytest.raises(RubricError) as exc:
        load_rubric(_broken(tmp_path, typo))
    assert "unknown detector 'first_person_decisoin'" in str(exc.value)
    fix = str(exc.value).split("fix:")[1]
    assert fix.startswith(" did you mean 'first_person_decision'") and fix.endswith("?")
    assert 1 <= sum(name in fix for name in DETECTORS) <= 3 < len(DETECTORS)  # the closest, not all of them


def test_rubrics_check_command(tmp_path):
    res = CliRunner().invoke(main, ["rubrics", "check"])
    assert res.exit_code == 0, res.output
    assert res.output.count("ok  ") == len(list(rubrics_dir().glob("*.yaml")))  # rubrics, the question bank, the exemplars

    def typo(d):
        d["criteria"][0]["detectors"][0]["id"] = "nope"

    bad = _broken(tmp_path, typo)
    res = CliRunner().invoke(main, ["rubrics", "check", str(bad)])
    assert res.exit_code == 1
    assert res.stderr.startswith(f"error: {bad}:")


def test_rubrics_list_command():
    res = CliRunner().invoke(main, ["rubrics", "list"])
    assert res.exit_code == 0
    for rid in ("behavioral", "coding", "system_design", "recruiter_screen", "hiring_manager", "star_story"):
        assert rid in res.output


def test_rubrics_list_at_80_columns_breaks_no_word():
    res = CliRunner(env={"COLUMNS": "80"}).invoke(main, ["rubrics", "list"])
    lines = res.output.splitlines()
    assert all(len(line) <= 80 for line in lines)
    words = set(res.output.split())
    shown = set(re.findall(r"(\w+) +(\d\.\d\d)  ", res.output))  # each criterion id with its weight, on one line
    for r in all_rubrics().values():
        assert f"{r.id} v{r.version}" in res.output
        for c in r.criteria:
            assert (c.id, f"{c.weight:.2f}") in shown
            assert set(c.name.split()) <= words  # a name may wrap, between its words


def test_level_changes_the_bar_somewhere():
    """The seeds' hiring bar by level: some criterion scores differently at L4 and L6."""
    assert any(c.level_thresholds or c.level_anchors or any(cap.levels for cap in c.caps)
               for r in all_rubrics().values() for c in r.criteria)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds is not beside the checkout")
def test_a_source_that_is_not_a_seed_is_refused(tmp_path):
    def bogus(d):
        d["criteria"][2]["source"] = ["999_0000000000000000.txt"]

    with pytest.raises(RubricError, match="source '999_0000000000000000.txt' is not in"):
        load_rubric(_broken(tmp_path, bogus))
