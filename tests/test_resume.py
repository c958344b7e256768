"""Leaving a session and going on with it another day: the same questions, the answers kept
with their scores, the unanswered turn asked again; what history marks as resumable."""

from __future__ import annotations

import sqlite3
import time

import pytest
from click.testing import CliRunner

from practice_fixtures import OUTCOME_ONLY, OWNERSHIP_ONLY

from interviewer.cli import main
from interviewer.session import Session, ResumeError
from interviewer.storage import ABANDON_AFTER_DAYS, Store


class CountingGrader:
    """The offline grader, counting its calls (a resumed session grades nothing again)."""

    def __init__(self):
        from interviewer.grading import OfflineGrader

        self.inner = OfflineGrader()
        self.info = self.inner.info
        self.calls = 0

    def grade(self, *a, **k):
        self.calls += 1
        return self.inner.grade(*a, **k)


def ask(s: Session):
    plan = s.plan_next()
    if plan is not None:
        s.record_asked(plan, plan.text)
    return plan


def test_a_session_resumes_with_the_same_questions_its_scores_and_the_unanswered_turn(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", store=store, seed=3, questions=3)
    ask(s)
    first = s.answer(OUTCOME_ONLY)
    follow = ask(s)
    assert follow.kind == "follow_up"
    s.answer(OWNERSHIP_ONLY)
    pending = ask(s)  # asked, then the terminal was closed
    grader = CountingGrader()
    r = Session.restore(Store(tmp_path / "h.sqlite3"), s.id, grader=grader)
    assert [q.id for q in r.questions] == [q.id for q in s.questions]
    assert r.threads[0].exchanges[0].score == first
    assert r.threads[0].score == s.threads[0].score and r.answered == 2
    again = r.plan_next()
    assert (again.kind, again.question.id, again.criterion_id) == (pending.kind, pending.question.id, pending.criterion_id)
    ask(r)
    r.answer(OWNERSHIP_ONLY + " I shipped it in two weeks.")
    assert grader.calls == 1  # only the new answer was graded
    turns = Store(tmp_path / "h.sqlite3").turns(s.id)
    assert [t.seq for t in turns] == list(range(1, len(turns) + 1))  # numbered on from where it stopped
    # resumed twice: the turn asked twice counts once
    r2 = Session.restore(Store(tmp_path / "h.sqlite3"), s.id)
    assert r2.answered == 3 and r2.pending is None
    assert [len(t.exchanges) for t in r2.threads] == [len(t.exchanges) for t in r.threads]
    assert r2.scorecard().criteria == r.scorecard().criteria


def test_a_finished_or_old_session_is_not_resumed(tmp_path):
    store = Store(tmp_path / "h.sqlite3")
    s = Session("behavioral", "L5", store=store, seed=3, questions=1)
    ask(s)
    s.answer(OUTCOME_ONLY)
    s.finish()
    with pytest.raises(ResumeError, match="finished"):
        Session.restore(store, s.id)
    old = Session("coding", "L5", store=store, seed=3, questions=1)
    ask(old)
    old.answer(OUTCOME_ONLY)
    long_ago = time.time() - (ABANDON_AFTER_DAYS + 1) * 86400
    store.conn.execute("UPDATE turns SET at = ? WHERE session_id = ?", (long_ago, old.id))
    store.conn.execute("UPDATE sessions SET started_at = ? WHERE id = ?", (long_ago, old.id))
    assert store.session(old.id).status == "abandoned"
    with pytest.raises(ResumeError, match="abandoned"):
        Session.restore(store, old.id)


def test_history_marks_resumable_and_abandoned_and_leaves_out_sessions_with_no_answer():
    store = Store()
    done = Session("behavioral", "L5", store=store, seed=1, questions=1)
    ask(done)
    done.answer(OUTCOME_ONLY)
    done.finish()
    open_ = Session("coding", "L5", store=store, seed=1, questions=1)
    ask(open_)
    open_.answer(OUTCOME_ONLY)
    empty = Session("coding", "L5", store=store, seed=1, questions=1)
    ask(empty)  # never answered (a kill before the first answer)
    old = Session("system_design", "L5", store=store, seed=1, questions=1)
    ask(old)
    old.answer(OUTCOME_ONLY)
    long_ago = time.time() - (ABANDON_AFTER_DAYS + 5) * 86400
    store.conn.execute("UPDATE turns SET at = ? WHERE session_id = ?", (long_ago, old.id))
    out = CliRunner().invoke(main, ["history"]).output
    assert empty.id not in out
    line = {sid: next(li for li in out.splitlines() if li.startswith(sid)) for sid in (done.id, open_.id, old.id)}
    assert "hire" in line[done.id] and line[open_.id].endswith("resumable") and line[old.id].endswith("abandoned")
    assert empty.discard_if_empty() and not open_.discard_if_empty()
    assert [r.id for r in store.sessions()] == [old.id, open_.id, done.id]


def test_practice_resume_refuses_clearly():
    store = Store()
    s = Session("behavioral", "L5", store=store, seed=1, questions=1)
    ask(s)
    s.answer(OUTCOME_ONLY)
    t = Session("behavioral", "L5", store=store, seed=1, questions=1)
    ask(t)
    t.answer(OUTCOME_ONLY)
    res = CliRunner().invoke(main, ["practice", "--resume", "2"])
    assert res.exit_code == 1 and "2 sessions match '2'" in res.stderr and s.id in res.stderr and t.id in res.stderr
    assert "give more of the id" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = CliRunner().invoke(main, ["practice", "--resume", "nope"])
    assert res.exit_code == 1 and "no session matching 'nope'" in res.stderr
    res = CliRunner().invoke(main, ["practice", "--resume", s.id, "--round", "coding"])
    assert res.exit_code == 2 and "takes no --round" in res.stderr and "fix: drop --round" in res.stderr
    res = CliRunner().invoke(main, ["practice", "--loop", "--round", "coding"])
    assert res.exit_code == 2 and "--loop" in res.stderr and "--round" in res.stderr
    s.finish()
    res = CliRunner().invoke(main, ["practice", "--resume", s.id])
    assert res.exit_code == 1 and "is finished" in res.stderr and "interviewer export" in res.stderr


def test_an_older_database_gains_plans_loops_and_attempts_in_place(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE sessions (id TEXT PRIMARY KEY, started_at REAL NOT NULL, ended_at REAL, round TEXT NOT NULL, level TEXT NOT NULL,
            rubric_id TEXT NOT NULL, rubric_version INTEGER NOT NULL, interviewer TEXT NOT NULL, grader TEXT NOT NULL, scorecard_json TEXT);
        CREATE TABLE turns (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL, seq INTEGER NOT NULL, at REAL NOT NULL,
            role TEXT NOT NULL, kind TEXT NOT NULL, question_id TEXT, criterion_id TEXT, text TEXT NOT NULL, score_json TEXT,
            graded_text TEXT, offline_json TEXT, seconds REAL);
        INSERT INTO sessions VALUES ('old', 1.0, NULL, 'behavioral', 'L5', 'behavioral', 1, 'offline', 'offline', NULL);
        INSERT INTO turns (session_id, seq, at, role, kind, text) VALUES ('old', 1, 1.0, 'interviewer', 'question', 'Why?');
        INSERT INTO turns (session_id, seq, at, role, kind, text, score_json) VALUES ('old', 2, 2.0, 'candidate', 'answer', 'Because.', '{}');
    """)
    conn.close()
    store = Store(path)
    row = store.session("old")
    assert row.plan is None and row.loop_id is None and row.status == "abandoned"  # no stored plan: cannot be resumed
    assert store.turns("old")[0].attempt is None
    with pytest.raises(ResumeError, match="before planned questions were stored"):
        Session.restore(store, "old")
    from interviewer.loop import Loop

    loop = Loop("L5", questions=1, store=store)
    s = loop.start_round()
    assert store.session(s.id).loop_id == loop.id and store.session(s.id).plan == [q.id for q in s.questions]
    assert [e.id for e in store.history()] == ["old"]  # the loop has no answer yet
