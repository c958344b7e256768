"""The round's logic: questions, rubric-driven follow-ups, persistence, the scorecard."""

from __future__ import annotations

import json

import pytest

from practice_fixtures import OUTCOME_ONLY, OWNERSHIP_ONLY, FixedGrader, UnscoredModel

from interviewer.grading import OfflineGrader
from interviewer.rubrics import load_question_bank
from interviewer.session import MAX_FOLLOW_UPS, PACE_TARGETS, Pace, Session, TurnPlan, is_declined
from interviewer.storage import Store

FULL = (
    "I owned our video start failures goal on low-end Android. My options were licence prefetching, a codec fallback or "
    "manifest trimming; I chose prefetching because it fixed the most failures per week of work, at the cost of a harder rollout. "
    "I told the PM and my director the same day when I saw we would miss. We cut failures from 1.8% to 1.4%. "
    "The miss was my analysis: I should have joined client errors with server logs in week one. What I do differently now: "
    "before sizing a goal I spend a day checking the error taxonomy against server data."
)
THIN = (
    "We had a big migration with a lot of teams and a lot of meetings about it, and over time we decided together to move "
    "some of the work to next year because priorities kept changing around us."
)


def ask(s: Session):
    plan = s.plan_next()
    if plan is not None:
        s.record_asked(plan, plan.text)
    return plan


def test_unknown_round_or_level():
    with pytest.raises(ValueError, match="unknown round 'lunch'"):
        Session("lunch", "L5")
    with pytest.raises(ValueError, match="unknown level 'L9'"):
        Session("coding", "L9")


def test_follow_up_probes_a_criterion_without_evidence_and_never_repeats(tmp_path):
    s = Session("behavioral", "L5", seed=3, questions=1)
    first = ask(s)
    assert first.kind == "question"
    score = s.answer(THIN)
    plan = ask(s)
    assert plan.kind == "follow_up"
    assert not score.criterion(plan.criterion_id).has_support
    s.answer("I'd rather not say.")  # declined
    assert plan.criterion_id in s.threads[0].declined
    nxt = s.plan_next()
    assert nxt is None or nxt.criterion_id != plan.criterion_id


def test_at_most_two_follow_ups_then_next_question():
    s = Session("behavioral", "L5", seed=1, questions=2)
    ask(s)
    s.answer(THIN)
    kinds = []
    for _ in range(4):
        plan = ask(s)
        kinds.append(plan.kind)
        if plan.kind == "question":
            break
        s.answer(THIN + " And that is all I can add about it really.")
    assert kinds.count("follow_up") <= MAX_FOLLOW_UPS
    assert kinds[-1] == "question"
    probed = [e.plan.criterion_id for e in s.threads[0].exchanges if e.plan.kind == "follow_up"]
    assert len(probed) == len(set(probed))


def test_no_probe_for_what_the_answer_already_showed():
    s = Session("behavioral", "L5", seed=2, questions=1)
    s.questions = [load_question_bank().get("bh-04")]  # a project that missed its goal: the story FULL tells
    ask(s)
    score = s.answer(FULL)
    assert not score.off_question
    plan = s.plan_next()
    if plan is not None:
        assert plan.kind == "follow_up"
        assert not score.criterion(plan.criterion_id).has_support


def test_an_answer_to_another_question_is_brought_back_to_the_one_asked():
    s = Session("behavioral", "L5", seed=2, questions=1)
    s.questions = [load_question_bank().get("bh-08")]  # raising the bar; FULL tells a missed goal
    ask(s)
    score = s.answer(FULL)
    assert score.off_question and score.flags[0].kind == "off_question"
    assert score.overall.band <= 2 and score.overall.adjustments[0].kind == "off_question"
    plan = s.plan_next()
    assert plan.kind == "follow_up" and plan.criterion_id is None
    assert plan.text.endswith(s.questions[0].text)
    s.record_asked(plan, plan.text)
    s.answer("Fair point. I raised the bar on code review: I wrote a checklist and enforced it on every merge for a quarter.")
    assert s.plan_next() is None or s.plan_next().criterion_id is not None  # brought back once, never twice


def test_every_turn_is_saved_as_it_happens(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("coding", "L4", seed=1, store=store)
    ask(s)
    s.answer("Before writing code I'd ask whether the input can be empty and whether duplicates count. " * 3)
    # a second connection (as after a crash) sees both turns without the session ending
    other = Store(tmp_path / "h.sqlite3")
    turns = other.turns(s.id)
    assert [(t.role, t.kind) for t in turns] == [("interviewer", "question"), ("candidate", "answer")]
    assert turns[1].score["rubric_id"] == "coding"
    assert other.session(s.id).ended_at is None


def test_scorecard_covers_every_criterion_and_names_practice(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", seed=4, questions=2, store=store)
    while (plan := ask(s)) is not None:
        s.answer(FULL if plan.kind == "question" else THIN)
    card = s.finish()
    assert [c.id for c in card.criteria] == [c.id for c in s.rubric.criteria]
    assert card.overall.band in (1, 2, 3, 4)
    assert card.questions == 2 and card.answers >= 2
    assert card.strongest and all(h.quote for h in card.strongest)
    assert store.session(s.id).scorecard["overall"] == card.overall.model_dump()


@pytest.mark.parametrize("answer", [
    "I don't know.", "pass", "I'd rather skip this one.", "Can we move on?", "I'll pass on that.", "No answer for that one.",
    "Sorry, I don't know.", "I'd rather not say.", "Next question, please.", "Honestly, no idea.", "Nothing to add here.",
    "I can't think of an example, sorry.", "Could we skip this question?", "Nope, I'll pass.",
])
def test_a_polite_decline_is_taken_as_declining(answer):
    assert is_declined(answer)


@pytest.mark.parametrize("answer", [
    "I don't know the exact number, but errors fell from 2% to 0.5% after I rolled back the deploy.",
    "No, I rolled it back first because the error rate doubled.",
    "No. I decided alone.",
    "Pass the request id through to the worker thread.",
    "No idea was too small; I rewrote the cache layer.",
    "Next, I sharded the table by user id.",
    "None of the options worked, so I built our own queue.",
    "Skip lists give O(log n) search.",
    "I don't know how, but I fixed it by caching the manifest.",
])
def test_a_real_answer_that_starts_like_a_decline_is_graded(answer):
    assert not is_declined(answer)


def test_the_scorecard_counts_declined_probes_apart_from_answers():
    s = Session("behavioral", "L5", seed=3, questions=1)
    ask(s)
    s.answer(THIN)
    assert ask(s).kind == "follow_up"
    s.answer("I'd rather skip this one.")
    card = s.finish()
    assert (card.answers, card.declined) == (1, 1)


# --------------------------------------------------------------------------- a question scored on its combined answer

def test_a_follow_up_answer_adds_to_its_questions_evidence(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", seed=3, questions=1, store=store)
    ask(s)
    first = s.answer(OUTCOME_ONLY)
    plan = ask(s)
    assert plan.kind == "follow_up"
    after = s.answer(OWNERSHIP_ONLY)
    alone = OfflineGrader().grade(OWNERSHIP_ONLY, rubric=s.rubric, level="L5", question=s.questions[0].text)
    # the question's score holds both answers' evidence: the outcome from the first, the decision from the follow-up
    impact = after.criterion("impact")
    assert impact.score == first.criterion("impact").score > alone.criterion("impact").score
    assert any(e.effect == "support" and e.end <= len(OUTCOME_ONLY) for e in impact.evidence)
    assert not first.criterion("ownership").has_support
    assert any(e.effect == "support" and e.start >= len(OUTCOME_ONLY) for e in after.criterion("ownership").evidence)
    graded = s.threads[0].exchanges[-1].graded
    assert graded.text == OUTCOME_ONLY + "\n\n" + OWNERSHIP_ONLY
    quotes = [e for c in after.criteria for e in c.evidence]
    assert quotes and all(graded.text[e.start:e.end] == e.quote for e in quotes)
    # stored so that history and export can still resolve the offsets
    row = Store(tmp_path / "h.sqlite3").turns(s.id)[-1]
    assert row.text == OWNERSHIP_ONLY and row.graded_text == graded.text
    assert all(row.graded_text[e["start"]:e["end"]] == e["quote"] for c in row.score["criteria"] for e in c["evidence"])
    assert Store(tmp_path / "h.sqlite3").turns(s.id)[1].graded_text is None  # the first answer's offsets point into itself
    card = s.finish()
    assert next(c for c in card.criteria if c.id == "impact").score == impact.score
    # and the export says what the follow-up's score and offsets are about
    from interviewer.export import export_json, export_markdown

    store2 = Store(tmp_path / "h.sqlite3")
    doc = json.loads(export_json(store2.session(s.id), store2.turns(s.id)))
    assert doc["turns"][-1]["graded_text"] == graded.text and doc["turns"][1]["graded_text"] is None
    assert "Score for the question so far (this answer with the ones before it)" in export_markdown(store2.session(s.id), store2.turns(s.id))


def test_a_declined_follow_up_leaves_the_questions_score_as_it_was():
    s = Session("behavioral", "L5", seed=3, questions=1)
    ask(s)
    first = s.answer(OUTCOME_ONLY)
    ask(s)
    assert s.answer("pass") == first
    assert s.threads[0].score == first


def test_a_probe_quotes_the_evidence_against_the_criterion():
    s = Session("behavioral", "L5", seed=3, questions=1)
    ask(s)
    score = s.answer(THIN)
    plan = s.plan_next()
    against = [e.quote for e in score.criterion(plan.criterion_id).evidence if e.effect == "against"]
    assert against, "THIN frames the decision as the group's"
    assert plan.text.startswith("You said “")
    quoted = plan.text.split("“", 1)[1].split("”", 1)[0].rstrip("…")
    assert quoted in THIN and "decided together" in quoted
    assert plan.text.endswith("?")


def test_no_probe_for_a_criterion_the_answer_already_shows():
    """A criterion scored 3 is shown even when the grader (e.g. a model) quoted nothing for it."""
    rubric = Session("behavioral", "L5").rubric
    first = rubric.criteria[0].id
    s = Session("behavioral", "L5", seed=3, questions=1, grader=FixedGrader({first: 3}, default=1))
    ask(s)
    s.answer(THIN)
    plan = s.plan_next()
    assert plan.kind == "follow_up" and plan.criterion_id != first


# --------------------------------------------------------------------------- when the model cannot grade


def test_when_the_model_cannot_grade_the_offline_grader_stands_in(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", seed=3, questions=1, grader=UnscoredModel(), store=store)
    ask(s)
    score = s.answer(FULL)
    graded = s.threads[0].exchanges[0].graded
    assert graded.score.status == "unscored" and graded.model_failed
    assert score is graded.offline and score.status == "scored" and score.grader.name == "offline"
    row = store.turns(s.id)[-1]
    assert row.score["status"] == "unscored" and row.score["raw_output"] == "{not json"  # the model's output is kept
    assert row.offline["status"] == "scored"
    card = s.finish()
    assert card.offline_scored == 1 and card.overall.score is not None


# --------------------------------------------------------------------------- nothing after the end


def test_nothing_is_recorded_after_the_round_ends(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", seed=3, questions=2, store=store)
    ask(s)
    graded = s.grade(FULL)  # e.g. a model still grading in a worker when the round ends
    s.finish()
    with pytest.raises(RuntimeError, match="ended"):
        s.record_answer(FULL, graded)
    with pytest.raises(RuntimeError, match="ended"):
        s.record_asked(TurnPlan("question", s.questions[1], s.questions[1].text), s.questions[1].text)
    assert [t.role for t in store.turns(s.id)] == ["interviewer"]


# --------------------------------------------------------------------------- the scorecard


def test_the_weakest_list_agrees_with_the_bars():
    rubric = Session("behavioral", "L5").rubric
    crit = rubric.criteria[0]
    grader = FixedGrader({crit.id: 3}, default=3, support={crit.id})
    s = Session("behavioral", "L5", seed=3, questions=2, grader=grader)
    ask(s)
    s.answer(FULL)
    while (plan := ask(s)).kind == "follow_up":
        s.answer("pass")
    grader.scores = {crit.id: 2}
    grader.support = set()
    s.answer(THIN)
    card = s.finish()
    bar = next(c for c in card.criteria if c.id == crit.id)
    assert bar.score == 2.5
    assert any(h.criterion_id == crit.id and h.score == 3 for h in card.strongest)  # quoted from the first question
    weak = next(h for h in card.weakest if h.criterion_id == crit.id)
    assert weak.score == bar.score
    assert weak.question == plan.text and "any answer" not in weak.signal


def test_no_practice_advice_when_nothing_was_scored():
    s = Session("behavioral", "L5", seed=3, questions=1)
    ask(s)
    s.answer("pass")
    card = s.finish()
    assert card.overall.score is None and card.practice_next == []


# --------------------------------------------------------------------------- pace


def test_pace_against_the_rounds_target():
    story = "word " * 300
    ok = Pace.of("behavioral", story, 400.0)
    assert (ok.target_seconds, ok.target_words, ok.rambling) == (180, 450, False)
    assert ok.spoken_seconds == 120.0 and ok.seconds == 400.0
    assert Pace.of("behavioral", "word " * 700, None).rambling
    pitch = Pace.of("recruiter_screen", "word " * 500, 60.0)
    assert (pitch.target_seconds, pitch.target_words, pitch.rambling) == (120, 300, True)  # 500 words: over 1.5 times a two-minute pitch
    assert Pace.of("coding", "word " * 2000, 60.0).target_seconds is None and not Pace.of("coding", "word " * 2000, 60.0).rambling


def test_pace_targets_quote_the_seeds():
    from interviewer.paths import seeds_dir

    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("../shared/seeds is not beside the checkout")
    for target in PACE_TARGETS.values():
        assert target.quote in " ".join((seeds / target.source).read_text(encoding="utf-8").split())


def test_seconds_taken_are_saved_with_the_answer(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", seed=3, questions=1, store=store)
    ask(s)
    s.answer(FULL, seconds=95.5)
    assert store.turns(s.id)[-1].seconds == 95.5
    assert s.pace(s.threads[0].exchanges[0]).seconds == 95.5


def test_an_older_history_database_gains_the_new_columns(tmp_path):
    import sqlite3

    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE sessions (id TEXT PRIMARY KEY, started_at REAL NOT NULL, ended_at REAL, round TEXT NOT NULL, level TEXT NOT NULL,
            rubric_id TEXT NOT NULL, rubric_version INTEGER NOT NULL, interviewer TEXT NOT NULL, grader TEXT NOT NULL, scorecard_json TEXT);
        CREATE TABLE turns (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, seq INTEGER NOT NULL, at REAL NOT NULL,
            role TEXT NOT NULL, kind TEXT NOT NULL, question_id TEXT, criterion_id TEXT, text TEXT NOT NULL, score_json TEXT);
        INSERT INTO sessions VALUES ('old', 1.0, NULL, 'behavioral', 'L5', 'behavioral', 1, 'offline', 'offline', NULL);
        INSERT INTO turns (session_id, seq, at, role, kind, text) VALUES ('old', 1, 1.0, 'interviewer', 'question', 'Why?');
    """)
    conn.close()
    store = Store(path)
    assert store.turns("old")[0].text == "Why?" and store.turns("old")[0].seconds is None
    s = Session("behavioral", "L5", seed=3, questions=1, store=store)
    ask(s)
    s.answer(FULL, seconds=3.0)
    assert store.turns(s.id)[-1].seconds == 3.0
