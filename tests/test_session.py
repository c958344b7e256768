"""The round's logic: questions, rubric-driven follow-ups, persistence, the scorecard."""

from __future__ import annotations

import pytest

from interviewer.session import MAX_FOLLOW_UPS, Session, is_declined
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
    ask(s)
    score = s.answer(FULL)
    plan = s.plan_next()
    if plan is not None:
        assert plan.kind == "follow_up"
        assert not score.criterion(plan.criterion_id).has_support


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


def test_declines():
    assert is_declined("I don't know.")
    assert is_declined("pass")
    assert not is_declined("I don't know the exact number, but errors fell from 2% to 0.5% after I rolled back the deploy.")
