"""Progress across sessions (history --trend), drills of the weakest criteria, and what changed
between two attempts at a question."""

from __future__ import annotations

import json

from click.testing import CliRunner

from practice_fixtures import OUTCOME_ONLY, OWNERSHIP_ONLY, FixedGrader

from interviewer import progress
from interviewer.cli import main
from interviewer.rubrics import load_question_bank, rubric_for_round
from interviewer.grading import OfflineGrader
from interviewer.session import Session
from interviewer.storage import Store

ANSWER = ("I decided to pause the renewal job because a double charge costs refunds and trust; 40,000 renewals "
          "ran a day late and I refunded all 23 duplicates. My mistake was skipping the retry path in review.")


def play(store, round_id, scores: dict[str, int], default=3, finish=True, questions=1) -> Session:
    s = Session(round_id, "L5", store=store, seed=1, questions=questions, grader=FixedGrader(scores, default))
    for _ in range(questions):
        plan = s.plan_next()
        while plan is not None and plan.kind == "follow_up":
            s.record_asked(plan, plan.text)
            s.answer("pass")
            plan = s.plan_next()
        s.record_asked(plan, plan.text)
        s.answer(ANSWER)
    if finish:
        s.finish()
    return s


def test_direction_compares_the_recent_sessions_with_the_earlier():
    assert progress.direction([2.0]) == ("too few", None, None)
    assert progress.direction([2.0, 3.0]) == ("improved", 2.0, 3.0)
    assert progress.direction([2.0, 2.0, 2.5]) == ("improved", 2.0, 2.5)  # the last one against the two before
    assert progress.direction([3.0, 3.0, 2.0, 2.0])[0] == "slipped"
    assert progress.direction([3.0, 2.0, 3.0, 2.5])[0] == "steady"
    # at most the last three count as recent
    assert progress.direction([1.0] * 4 + [2.0, 4.0, 4.0, 4.0]) == ("improved", 1.2, 4.0)
    assert progress.sparkline([1.0, 2.5, 4.0]) == "▁▅█"


def test_trend_with_three_sessions_shows_three_points_per_criterion():
    store = Store()
    rubric = rubric_for_round("behavioral")
    first, second = rubric.criteria[0].id, rubric.criteria[1].id
    a = play(store, "behavioral", {first: 1, second: 4})
    b = play(store, "behavioral", {first: 2, second: 4}, finish=False)  # an unfinished session counts too
    c = play(store, "behavioral", {first: 4, second: 2})
    play(store, "coding", {}, default=2)
    res = CliRunner().invoke(main, ["history", "--trend", "--format", "json"])
    assert res.exit_code == 0
    doc = json.loads(res.output)
    by_rubric = {r["rubric"]: {c["id"]: c for c in r["criteria"]} for r in doc["rubrics"]}
    assert list(by_rubric) == ["coding", "behavioral"]  # in the order of the loop's rounds
    crit = by_rubric["behavioral"][first]
    assert [(p["session_id"], p["score"]) for p in crit["points"]] == [(a.id, 1.0), (b.id, 2.0), (c.id, 4.0)]
    assert crit["direction"] == "improved" and (crit["earlier_mean"], crit["recent_mean"]) == (1.5, 4.0)
    assert by_rubric["behavioral"][second]["direction"] == "slipped"
    assert all(len(c["points"]) == 3 for c in by_rubric["behavioral"].values())
    assert crit["points"][0]["date"][:4].isdigit() and "T" in crit["points"][0]["date"]
    table = CliRunner().invoke(main, ["history", "--trend"]).output
    name = rubric.criteria[0].name
    row = next(li for li in table.splitlines() if li.strip().startswith(name))
    assert "▁▃█" in row and "1.5 → 4.0" in row and row.endswith("improved")
    assert "recent mean" in table and all(len(li) <= 80 for li in table.splitlines())


def test_trend_with_no_history():
    out = CliRunner().invoke(main, ["history", "--trend"]).output
    assert "No scored sessions yet" in out
    res = CliRunner().invoke(main, ["history", "--format", "json"])
    assert res.exit_code == 2 and "--trend" in res.stderr


def test_a_drill_targets_the_weakest_criteria_and_says_why():
    store = Store()
    rubric = rubric_for_round("behavioral")
    bank = load_question_bank().for_round("behavioral", "L5")
    targeted = [c.id for c in rubric.criteria if any(c.id in q.targets for q in bank)]
    weak1, weak2 = targeted[-1], targeted[-2]
    play(store, "behavioral", {weak1: 1, weak2: 2})
    play(store, "behavioral", {weak1: 2, weak2: 2})
    play(store, "coding", {}, default=3)
    plan = progress.drill_plan(store, questions=3, seed=1)
    assert plan.round == "behavioral" and plan.level == "L5"
    assert [w.criterion_id for w in plan.weakest] == [weak1, weak2]
    assert plan.weakest[0].mean == 1.5 and plan.weakest[0].sessions == 2
    first = next(q for q in bank if q.id == plan.question_ids[0])
    assert {weak1, weak2} & set(first.targets)
    hits = [len({weak1, weak2} & set(q.targets)) for q in bank if q.id in plan.question_ids]
    others = [len({weak1, weak2} & set(q.targets)) for q in bank if q.id not in plan.question_ids]
    assert min(hits) >= max(others, default=0)  # no question left out targets more of them
    name = rubric.criterion(weak1).name
    assert plan.message.startswith(f"Drilling {name} (mean 1.5 over your last 2 sessions)")
    # with --round, the round's own weakest
    coding = progress.drill_plan(store, round_id="coding", questions=2)
    assert coding.round == "coding" and all(w.rubric_id == "coding" for w in coding.weakest) and len(coding.question_ids) == 2


def test_a_drill_with_no_history_runs_a_normal_round():
    plan = progress.drill_plan(Store(), round_id="coding")
    assert plan.weakest == [] and plan.question_ids is None and plan.round == "coding"
    assert "nothing to drill" in plan.message and "normal round" in plan.message


def test_comparing_two_attempts():
    rubric = rubric_for_round("behavioral")
    own, impact, other = "ownership", "impact", rubric.criteria[-1].id
    before = FixedGrader({own: 2, impact: 3, other: 2}, 3, support={impact}).grade(OUTCOME_ONLY, rubric=rubric, level="L5")
    after = FixedGrader({own: 3, impact: 2, other: 2}, 3, support={own, impact}).grade(OWNERSHIP_ONLY, rubric=rubric, level="L5")
    diff = progress.compare_attempts(before, after)
    changes = {c.id: c for c in diff.changes}
    assert (changes[own].before, changes[own].after, changes[own].arrow) == (2, 3, "▲")
    assert changes[impact].arrow == "▼" and changes[other].arrow == "="
    added = {(q.criterion, q.quote) for q in diff.added}
    assert (rubric.criterion(own).name, OWNERSHIP_ONLY[:20]) in added
    assert set(diff.still_missing) == {rubric.criterion(impact).name, rubric.criterion(other).name}
    assert diff.still_missing[rubric.criterion(other).name] == "no evidence yet"
    # the same answer again adds nothing and moves nothing
    graded = OfflineGrader().grade(OUTCOME_ONLY, rubric=rubric, level="L5")
    same = progress.compare_attempts(graded, graded)
    assert same.added == [] and {c.arrow for c in same.changes} == {"="}
