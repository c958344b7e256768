"""The practice app's loop, resume, quit, retry and drill, driven like a user would."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from practice_fixtures import OUTCOME_ONLY

from interviewer.loop import LOOP_ROUNDS
from interviewer.session import ROUND_NAMES, Session
from interviewer.storage import Store
from interviewer.tui.app import InterviewScreen, LoopScorecardScreen, ScorecardScreen, create_app

SIZE = (120, 40)
WEAK = "We had a big migration with many teams. We decided together to push it to next year, and management kept changing priorities."
STRONG = (
    "I was on call when a deploy flushed our cache and errors hit 12%. My options were to wait an hour for the cache to refill "
    "or to switch to the popular-titles fallback; I chose the fallback because a worse page beats an error page, and errors were "
    "back to baseline in four minutes. I told the support lead and wrote the postmortem. My mistake was having no runbook; "
    "since then I write the runbook before I ship a switch."
)


async def until(pilot, cond, timeout=5.0):
    for _ in range(int(timeout / 0.02)):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def waiting(pilot):
    """Until the interview screen waits for an answer."""
    await until(pilot, lambda: isinstance(pilot.app.screen, InterviewScreen) and pilot.app.screen.streaming is None
                and pilot.app.screen.grading is None and pilot.app.screen.session.pending is not None)


async def answer(pilot, text: str):
    pilot.app.screen.query_one("#answer", TextArea).insert(text)
    await pilot.press("ctrl+j")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


def shown(screen) -> dict[str, str]:
    """The footer's keys and what they say."""
    return {key: active.binding.description for key, active in screen.active_bindings.items() if active.binding.show}


def text_of(screen, selector: str) -> str:
    """The text a Static shows, one line per line of its content (before wrapping)."""
    return str(screen.query_one(selector, Static).content)


def transcript_text(screen) -> str:
    return "\n".join(w.source if hasattr(w, "source") else str(w.render()) for w in screen.query_one("#transcript").children)


async def test_a_full_loop_runs_with_ctrl_j_ctrl_e_and_enter_and_ends_with_a_decision(tmp_path):
    app = create_app(loop=True, level="L6", questions=1, seed=1, store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        for i, round_id in enumerate(LOOP_ROUNDS):
            await waiting(pilot)
            screen = app.screen
            assert screen.session.round == round_id and screen.session.level == "L6"
            assert screen.title.startswith(f"Loop {i + 1}/5 · {ROUND_NAMES[round_id]}")
            await answer(pilot, STRONG)
            await pilot.press("ctrl+e")
            await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
            card = text_of(app.screen, "#card")
            if i < 4:
                assert shown(app.screen)["enter"] == "Next round" and "n" not in shown(app.screen)
                assert f"Enter: the next round, {ROUND_NAMES[LOOP_ROUNDS[i + 1]]}." in card
            else:
                assert shown(app.screen)["enter"] == "Loop scorecard" and "the loop's scorecard" in card
            await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LoopScorecardScreen))
        card = text_of(app.screen, "#card")
        decision = app.loop.scorecard()
        assert f"Decision at L6: {decision.decision}" in card
        for name in ROUND_NAMES.values():
            assert name in card
        assert ("▼ sank" in card) == (decision.decision == "no hire") and ("▲ carried" in card) == (decision.decision == "hire")
        row = Store(tmp_path / "h.sqlite3").loop(app.loop.id)
        assert row.finished and row.card["decision"] == decision.decision and len(row.sessions) == 5


async def test_ctrl_q_warns_about_an_unsubmitted_answer_and_a_second_one_quits(tmp_path):
    app = create_app(round_id="behavioral", level="L5", questions=2, seed=1, store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await waiting(pilot)
        await answer(pilot, STRONG)
        await waiting(pilot)
        app.screen.query_one("#answer", TextArea).insert("half an answer")
        await pilot.press("ctrl+q")
        await pilot.pause(0.1)
        assert not app._exit and any("not submitted" in str(n.message) and "ctrl+q again" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app._exit)
    store = Store(tmp_path / "h.sqlite3")
    row = store.session(app.session.id)
    assert row.status == "resumable" and row.answers == 1 and app.resumable == row.id


async def test_quitting_before_any_answer_keeps_nothing(tmp_path):
    app = create_app(loop=True, level="L5", questions=1, seed=1, store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await waiting(pilot)
        await pilot.press("ctrl+q")
        await until(pilot, lambda: app._exit)
    store = Store(tmp_path / "h.sqlite3")
    assert store.loops() == [] and store.sessions() == [] and app.resumable is None


async def test_a_resumed_session_shows_what_was_answered_and_asks_the_pending_question_again(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", store=store, seed=1, questions=2)
    for _ in range(4):  # the first question and its follow-ups, then the second question is asked and left
        plan = s.plan_next()
        s.record_asked(plan, plan.text)
        if plan.kind == "question" and len(s.threads) == 2:
            break
        s.answer(OUTCOME_ONLY if plan.kind == "question" else "pass")
    left = s.pending.asked
    app = create_app(resume=Session.restore(Store(tmp_path / "h.sqlite3"), s.id), store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await waiting(pilot)
        text = transcript_text(app.screen)
        assert OUTCOME_ONLY in text and "Resumed: " in text
        assert text.count(left) == 1 and text.index("Resumed: ") < text.index(left)  # asked again, after what was restored
        assert "Question 2 of 2" in text and app.screen.session.pending.asked == left
        assert "Overall" in text_of(app.screen, "#scores")
        await answer(pilot, STRONG)
    turns = Store(tmp_path / "h.sqlite3").turns(s.id)
    assert [t.text for t in turns if t.role == "candidate"][-1] == STRONG


async def test_ctrl_t_asks_the_question_again_and_the_panel_shows_what_changed(tmp_path):
    app = create_app(round_id="behavioral", level="L5", questions=2, seed=1, store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await waiting(pilot)
        assert "ctrl+t" not in shown(app.screen)  # nothing scored yet
        await answer(pilot, WEAK)
        await waiting(pilot)
        assert shown(app.screen)["ctrl+t"] == "Try again"
        first = app.session.threads[0]
        before = first.score
        await pilot.press("ctrl+t")
        await waiting(pilot)
        pending = app.session.pending
        assert pending.plan.retry and pending.plan.question.id == first.question.id
        assert "Question 1 of 2 · try 2" in transcript_text(app.screen) and "Trying question 1 again" in transcript_text(app.screen)
        await answer(pilot, STRONG)
        panel = text_of(app.screen, "#scores")
        thread = app.session.threads[0]
        assert thread.attempt == 2 and thread.previous is first and len(app.session.threads) <= 2
        assert "Try 2 against try 1" in panel
        for c in thread.score.criteria:
            old = before.criterion(c.id).score
            if c.score is not None and old is not None and c.score > old:
                assert f"{c.name} {old} -> {c.score} ▲" in panel
        assert "Evidence added" in panel
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        # the scorecard counts the latest attempt only (the second question was never answered)
        bars = {c.id: c.score for c in app.screen.card.criteria}
        assert bars == {c.id: (float(c.score) if c.score is not None else None) for c in thread.score.criteria}
        assert bars != {c.id: (float(c.score) if c.score is not None else None) for c in before.criteria}
    turns = Store(tmp_path / "h.sqlite3").turns(app.session.id)
    retried = [t for t in turns if t.role == "interviewer" and t.attempt == 2]
    # the retry asks the question again (a follow-up on the new answer may come after it)
    assert retried[0].kind == "question" and retried[0].question_id == first.question.id
    assert sum(t.kind == "question" for t in retried) == 1 and all(t.question_id == first.question.id for t in retried)


async def test_a_drill_says_what_it_drills_above_its_questions(tmp_path):
    from interviewer.rubrics import load_question_bank

    ids = [q.id for q in load_question_bank().for_round("behavioral", "L5")][-2:]
    app = create_app(round_id="behavioral", level="L5", questions=2, question_ids=ids, intro="Drilling Candid feedback (mean 1.5 …)",
                     store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await waiting(pilot)
        assert [q.id for q in app.session.questions] == ids
        assert transcript_text(app.screen).startswith("Drilling Candid feedback")
        assert Store(tmp_path / "h.sqlite3").session(app.session.id).plan == ids


async def test_the_loop_scorecard_fits_at_80x24(tmp_path):
    app = create_app(loop=True, level="L5", questions=1, seed=1, store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in LOOP_ROUNDS:
            await waiting(pilot)
            await answer(pilot, STRONG)
            await pilot.press("ctrl+e")
            await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
            await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, LoopScorecardScreen))
        card = app.screen.query_one("#card", Static)
        assert card.region.right <= 80
        lines = str(card.content).splitlines()
        assert lines[0].startswith("Decision at L5:")
        for name in ROUND_NAMES.values():
            assert any(li.startswith(name) for li in lines)


async def test_after_retrying_the_last_question_the_change_stays_on_screen_until_ctrl_e(tmp_path):
    app = create_app(round_id="behavioral", level="L5", questions=1, seed=1, store=Store(tmp_path / "h.sqlite3"))
    async with app.run_test(size=SIZE) as pilot:
        await waiting(pilot)
        await answer(pilot, WEAK)
        await waiting(pilot)  # a follow-up
        await pilot.press("ctrl+t")
        await waiting(pilot)
        await answer(pilot, STRONG)
        await pilot.pause(0.1)
        while isinstance(app.screen, InterviewScreen) and app.screen.session.pending is not None:  # its follow-ups
            await answer(pilot, "pass")
        assert isinstance(app.screen, InterviewScreen) and app.screen.round_over
        assert "Try 2 against try 1" in text_of(app.screen, "#scores") and "ctrl+e" in text_of(app.screen, "#problem")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
