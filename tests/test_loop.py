"""The full loop: five rounds, a decision by the seeds' rules, one history row, one report."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from practice_fixtures import FixedGrader

from interviewer.cli import main
from interviewer.loop import LOOP_ROUNDS, RULE_SOURCES, Loop, RoundResult, decide
from interviewer.scoring import BAND_NAMES
from interviewer.session import ResumeError
from interviewer.storage import Store

ANSWER = ("I decided to pause the renewal job because a double charge costs refunds and trust; 40,000 renewals "
          "ran a day late and I refunded all 23 duplicates. My mistake was skipping the retry path in review.")


def rounds(*bands):
    return [RoundResult(index=i, round=r, name=r, session_id=f"s{i}", done=True, score=None if b is None else float(b), band=b,
                        band_name=BAND_NAMES.get(b)) for i, (r, b) in enumerate(zip(LOOP_ROUNDS, bands))]


def roles(card):
    return {r.round: r.role for r in card.rounds if r.role}


@pytest.mark.parametrize("bands, decision, sank", [
    ((3, 3, 3, 3, 3), "hire", set()),
    ((2, 3, 3, 3, 3), "hire", set()),                           # one technical lean no hire is forgiven
    ((3, 3, 3, 2, 3), "no hire", {"behavioral"}),               # ...but not in the culture round
    ((4, 4, 4, 4, 1), "no hire", {"hiring_manager"}),           # band 1 anywhere sinks, whatever the mean
    ((2, 2, 3, 4, 4), "no hire", {"recruiter_screen", "coding"}),  # two lean no hires
    ((3, 3, 3, None, 3), "no hire", {"behavioral"}),            # a round with no scored answer gives no signal
])
def test_the_decision_rule(bands, decision, sank):
    card = decide("L", "L5", rounds(*bands))
    assert card.decision == decision and card.finished
    assert {r for r, role in roles(card).items() if role == "sank"} == sank
    if decision == "hire":
        assert {r.round for r in card.carried} == {r for r, b in zip(LOOP_ROUNDS, bands) if b >= 3}
    assert card.reasons and all(r.why for r in card.rounds if r.role)


def test_the_culture_round_weighs_as_much_as_a_technical_one():
    # the same bands with the lean no hire moved from coding to the culture round flip the decision
    assert decide("L", "L5", rounds(3, 2, 3, 3, 3)).decision == "hire"
    culture = decide("L", "L5", rounds(3, 3, 3, 2, 3))
    assert culture.decision == "no hire" and "culture" in culture.rounds[3].why
    assert culture.mean_band == decide("L", "L5", rounds(3, 2, 3, 3, 3)).mean_band


def test_no_decision_before_every_round_is_done():
    rs = rounds(3, 3, 3, 3, 3)
    rs[4] = rs[4].model_copy(update={"done": False, "band": None, "score": None})
    card = decide("L", "L5", rs)
    assert card.decision is None and card.rounds_done == 4 and not card.finished


def test_the_rules_quote_the_seeds():
    from interviewer.paths import seeds_dir

    seeds = seeds_dir()
    if seeds is None:
        pytest.skip("../shared/seeds is not beside the checkout")
    for quote in RULE_SOURCES.values():
        assert quote.quote in " ".join((seeds / quote.source).read_text(encoding="utf-8").split())


def run_loop(store: Store, bands_by_round: dict[str, int], *, stop_after: int | None = None, level="L5") -> Loop:
    """Play a loop with one question a round, every criterion scored ``bands_by_round[round]``."""
    grader = FixedGrader({}, default=3, support=set())
    loop = Loop(level, questions=1, store=store, seed=1, grader=grader)
    for i, round_id in enumerate(LOOP_ROUNDS):
        if stop_after is not None and i == stop_after:
            break
        grader.default = bands_by_round.get(round_id, 3)
        s = loop.start_round()
        assert s.round == round_id and s.loop_id == loop.id
        plan = s.plan_next()
        s.record_asked(plan, plan.text)
        s.answer(ANSWER)
        loop.finish_round()
    return loop


def test_a_loop_runs_every_round_in_order_and_stores_its_decision(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    loop = run_loop(store, {"behavioral": 2})
    assert [s.round for s in loop.sessions] == list(LOOP_ROUNDS) and loop.done
    card = loop.scorecard()
    assert card.decision == "no hire" and [r.round for r in card.sank] == ["behavioral"]
    row = Store(tmp_path / "h.sqlite3").loop(loop.id)
    assert row.finished and row.card["decision"] == "no hire" and row.rounds_done == 5
    assert [s.loop_index for s in row.sessions] == [0, 1, 2, 3, 4]
    with pytest.raises(RuntimeError, match="every round"):
        loop.start_round()


def test_history_lists_a_loop_as_one_row_and_export_writes_the_whole_loop():
    store = Store()
    loop = run_loop(store, {"coding": 4})
    unfinished = run_loop(store, {}, stop_after=2)
    res = CliRunner().invoke(main, ["history"])
    assert res.exit_code == 0
    lines = res.output.splitlines()[1:]
    assert len(lines) == 2  # ten rounds, two rows
    assert lines[0].startswith(unfinished.id) and "loop 2/5" in lines[0] and lines[0].endswith("resumable")
    assert lines[1].startswith(loop.id) and "loop 5/5" in lines[1] and lines[1].endswith("hire")
    md = CliRunner().invoke(main, ["export", loop.id]).output
    for n, name in enumerate(["Recruiter screen", "Coding", "System design", "Behavioral / culture", "Hiring manager"], 1):
        assert f"## Round {n} of 5: {name}" in md
    assert md.count(ANSWER) == 5 and md.count("### Scorecard") == 5
    assert md.index("## Loop scorecard") > md.rindex(ANSWER)
    assert "**Decision at L5: hire**" in md and "| Coding | 4.00 | 4 strong hire | carried:" in md
    # a prefix of the id works (all but its last character: sessions made in the same second share
    # more than the date and time, so a shorter one could match several and list them instead)
    doc = json.loads(CliRunner().invoke(main, ["export", loop.id[:-1], "--format", "json"]).output)
    assert doc["loop"]["decision"] == "hire"
    assert [(r["round"], r["id"], r["band"]) for r in doc["loop"]["rounds"]] == [(s.round, s.id, 4 if s.round == "coding" else 3)
                                                                                 for s in loop.sessions]
    assert [d["session"]["id"] for d in doc["sessions"]] == [s.id for s in loop.sessions]
    part = CliRunner().invoke(main, ["export", unfinished.id, "--format", "json"]).output
    assert json.loads(part)["loop"]["decision"] is None
    assert "no decision yet" in CliRunner().invoke(main, ["export", unfinished.id]).output


def test_a_loop_left_between_rounds_resumes_with_the_next_round(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    left = run_loop(store, {"recruiter_screen": 4}, stop_after=2)
    loop = Loop.restore(Store(tmp_path / "h.sqlite3"), left.id)
    assert loop.current is None and loop.next_round == "system_design" and len(loop.cards) == 2
    s = loop.start_round()
    assert s.round == "system_design" and s.loop_index == 2
    assert loop.scorecard().rounds[0].band == 4


def test_a_loop_left_mid_round_resumes_that_round(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    left = run_loop(store, {}, stop_after=1)
    s = left.start_round()
    plan = s.plan_next()
    s.record_asked(plan, plan.text)  # asked, never answered: the app was closed
    loop = Loop.restore(Store(tmp_path / "h.sqlite3"), left.id)
    assert loop.current is not None and loop.current.id == s.id
    again = loop.current.plan_next()
    assert again.question.id == plan.question.id and again.kind == "question"


def test_a_finished_loop_is_not_resumed(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    loop = run_loop(store, {})
    with pytest.raises(ResumeError, match="finished"):
        Loop.restore(store, loop.id)


def test_a_loop_with_no_answer_is_not_kept(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    loop = Loop("L5", questions=1, store=store)
    loop.start_round()
    assert loop.discard_if_empty()
    assert store.loops() == [] and store.sessions() == []
    kept = run_loop(store, {}, stop_after=1)
    kept.start_round()  # the second round, not answered
    assert not kept.discard_if_empty()
    row = store.loop(kept.id)
    assert [s.round for s in row.sessions] == ["recruiter_screen"]  # the empty round went; the loop stays resumable
    assert Loop.restore(store, kept.id).next_round == "coding"


def test_a_resumed_loop_left_again_without_an_answer_keeps_its_earlier_rounds(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    left = run_loop(store, {}, stop_after=2)
    loop = Loop.restore(Store(tmp_path / "h.sqlite3"), left.id)
    loop.start_round()  # the third round starts; the app is closed before an answer
    assert loop.answered == 2 and not loop.discard_if_empty()
    row = store.loop(left.id)
    assert row.status == "resumable" and [s.round for s in row.sessions] == ["recruiter_screen", "coding"]
