"""The story inventory (interviewer stories) and example answers (interviewer exemplars), as a
candidate uses them. The stories here are fixtures written for these tests."""

from __future__ import annotations

import json

from click.testing import CliRunner

from interviewer.batch import read_inputs
from interviewer.cli import main
from interviewer.paths import rubrics_dir
from interviewer.rubrics import load_exemplars, load_question_bank
from interviewer.stories import inventory, practice_plan

INCIDENT = (
    "Last March I was on call for our payments API when the error rate jumped to 30% after a deploy at 2 a.m. I rolled the "
    "deploy back within ten minutes, paged the owner of the config service, and wrote the postmortem the next day. The root "
    "cause was a config flag I had approved in review without testing the fallback. Errors fell back to 0.1% by 2:20. Since "
    "then I add a canary step to every config change I review."
)
CONFLICT = (
    "Our product manager wanted to ship the new onboarding flow without the accessibility fixes, to hit a marketing date. "
    "I disagreed and told her directly, in a one-to-one, with the audit numbers: 14 blocking issues for screen readers. We "
    "agreed to ship to 10% of users first and fix the blockers in the following two weeks. She later told me the data made "
    "it easy to say yes, and I now bring the numbers to a disagreement before I bring my opinion."
)
WE_ONLY = (
    "We had a big reliability push on our team last year. We decided together to move the alerting to a new system, and we "
    "spent a quarter on it. We aligned with the other teams and we ran the migration in phases. In the end our on-call load "
    "went down and we were all happy with how it turned out for us."
)


def write_bank(tmp_path):
    bank = tmp_path / "bank"
    bank.mkdir()
    (bank / "incident.md").write_text(INCIDENT, encoding="utf-8")
    (bank / "more.md").write_text(f"## Q: Tell me about a conflict with a PM\n\n{CONFLICT}\n\n## The alerting push\n\n{WE_ONLY}\n\n"
                                  f"## Incident, again\n\n{INCIDENT.replace('Last March', 'In March last year')}\n", encoding="utf-8")
    (bank / "labels.json").write_text("{}", encoding="utf-8")  # not a story: a folder's other files are left out
    return bank


def test_a_folder_of_stories_is_read_typed_graded_and_its_gaps_named(tmp_path):
    inv = inventory(read_inputs([str(write_bank(tmp_path))]))
    ids = [s.id for s in inv.stories]
    assert ids == ["incident", "more#q-tell-me-about-a-conflict-with-a-pm", "more#the-alerting-push", "more#incident-again"]
    by = {s.id: s for s in inv.stories}
    assert by["incident"].story_type == "production_incident" and by["incident"].type_evidence
    assert by["incident"].band is not None and by["incident"].words > 50
    assert by["more#the-alerting-push"].we_heavy and not by["incident"].we_heavy
    assert by["more#incident-again"].duplicate_of == "incident"  # the same story told twice
    assert "incident" in inv.coverage["production_incident"].stories
    assert "more#incident-again" not in inv.coverage["production_incident"].stories  # a retelling covers nothing new
    assert {"changed_mind", "raised_bar"} <= set(inv.missing)
    assert any("changed your mind" in n for n in inv.next) and any("same story as incident" in n for n in inv.next)


def test_stories_as_json_has_stories_coverage_and_missing(tmp_path):
    res = CliRunner().invoke(main, ["stories", str(write_bank(tmp_path)), "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert {"stories", "coverage", "missing"} <= set(doc)
    assert all({"id", "story_type", "themes", "overall"} <= set(s) for s in doc["stories"])
    assert set(doc["coverage"]) == {"technical_tradeoff", "production_incident", "conflict", "changed_mind", "missed_goal", "raised_bar"}
    assert doc["coverage"]["production_incident"]["best"] == "incident"
    assert "missing:" in res.stderr  # the summary line names what is missing


def test_stories_as_markdown_and_as_a_table_name_what_to_write_next(tmp_path):
    bank = str(write_bank(tmp_path))
    md = CliRunner().invoke(main, ["stories", bank, "--format", "markdown"]).stdout
    assert "# Story inventory" in md and "## What to write next" in md and "mostly \"we\"" in md
    out = tmp_path / "inv.txt"
    res = CliRunner().invoke(main, ["stories", bank, "--format", "table", "-o", str(out)])
    assert res.exit_code == 0 and "What to write next" in out.read_text(encoding="utf-8")


def test_no_stories_is_a_one_line_error(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    res = CliRunner().invoke(main, ["stories", str(empty)])
    assert res.exit_code == 1 and "no stories to read — fix:" in res.stderr


def test_a_behavioral_round_asks_first_about_the_types_the_stories_leave_uncovered(tmp_path):
    inv = inventory(read_inputs([str(write_bank(tmp_path))]))
    plan = practice_plan(inv, round_id="behavioral", level="L5", questions=3, seed=1)
    bank = load_question_bank()
    first = bank.get(plan.question_ids[0])
    assert set(first.story_types) & set(inv.uncovered)
    assert "no story of" in plan.message  # says which types, in the seeds' words
    from interviewer.scoring import STORY_TYPE_NAMES

    assert all(STORY_TYPE_NAMES[t] in plan.message for t in inv.missing)


def test_every_bank_question_has_a_strong_and_a_weak_example():
    ex = load_exemplars()
    bank = load_question_bank()
    for qs in bank.rounds.values():
        for q in qs:
            e = ex.questions[q.id]
            assert e.strong.answer and e.weak.answer and e.strong.why and e.weak.why and e.level in q.levels


def test_exemplars_prints_one_question_or_all():
    res = CliRunner().invoke(main, ["exemplars", "bh-03", "--format", "json"])
    assert res.exit_code == 0
    doc = json.loads(res.stdout)
    assert doc["question_id"] == "bh-03" and doc["strong"]["answer"] and doc["weak"]["why"]
    text = CliRunner().invoke(main, ["exemplars"]).stdout
    assert "STRONG (strong hire)" in text and text.count("WEAK (lean no hire)") == 52
    bad = CliRunner().invoke(main, ["exemplars", "bh-3"])
    assert bad.exit_code == 2 and "bh-03" in bad.stderr  # the closest ids are offered


def test_rubrics_check_verifies_the_examples_with_the_offline_grader(tmp_path):
    import yaml

    res = CliRunner().invoke(main, ["rubrics", "check"])
    assert res.exit_code == 0, res.output
    assert "the offline grader bands every strong one lean hire or better" in res.stdout
    data = yaml.safe_load((rubrics_dir() / "exemplars.yaml").read_text(encoding="utf-8"))
    data["questions"]["bh-03"]["strong"] = data["questions"]["bh-03"]["weak"]  # a "strong" example that is weak
    swapped = tmp_path / "exemplars.yaml"
    swapped.write_text(yaml.safe_dump(data), encoding="utf-8")
    res = CliRunner().invoke(main, ["rubrics", "check", str(swapped)])
    assert res.exit_code == 1 and "bh-03: the strong example bands" in res.stderr
