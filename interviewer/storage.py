"""Session history in SQLite (stdlib sqlite3, WAL): every turn is committed as it happens.

The database lives in the user data directory (platformdirs), or in ``$INTERVIEWER_DATA_DIR``
when set (the tests use this). Tables: ``sessions`` (one row a practice session) and
``turns`` (one row per interviewer question/follow-up or candidate answer, the answer's
:class:`~interviewer.scoring.AnswerScore` as JSON). A follow-up answer's score is for the
question's combined answer: ``graded_text`` holds that text (its evidence offsets point into
it; NULL when the score is for the turn's own ``text``). ``offline_json`` holds the offline
grader's score where a model could not grade; ``seconds`` the time taken to answer;
``attempt`` which try at its question a turn belongs to (NULL or 1: the first; 2 and up: a
retry, asked again after the question was scored).

A session stores its planned questions in order (``plan_json``, question ids), so it can be
resumed with the same questions. A loop (``loops``) is a series of rounds at one level: each
round is a session with ``loop_id`` and ``loop_index`` (0-4); the loop's scorecard, with its
decision, is stored once its last round ends. Older databases gain the new columns and the
``loops`` table in place when opened.
"""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from interviewer.paths import data_dir

SCHEMA = """
CREATE TABLE IF NOT EXISTS sessions (
    id TEXT PRIMARY KEY,
    started_at REAL NOT NULL,
    ended_at REAL,
    round TEXT NOT NULL,
    level TEXT NOT NULL,
    rubric_id TEXT NOT NULL,
    rubric_version INTEGER NOT NULL,
    interviewer TEXT NOT NULL,
    grader TEXT NOT NULL,
    scorecard_json TEXT
);
CREATE TABLE IF NOT EXISTS turns (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES sessions(id),
    seq INTEGER NOT NULL,
    at REAL NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('interviewer', 'candidate')),
    kind TEXT NOT NULL CHECK (kind IN ('question', 'follow_up', 'answer')),
    question_id TEXT,
    criterion_id TEXT,
    text TEXT NOT NULL,
    score_json TEXT,
    graded_text TEXT,
    offline_json TEXT,
    seconds REAL,
    attempt INTEGER,
    UNIQUE (session_id, seq)
);
CREATE TABLE IF NOT EXISTS loops (
    id TEXT PRIMARY KEY,
    started_at REAL NOT NULL,
    ended_at REAL,
    level TEXT NOT NULL,
    questions INTEGER NOT NULL,
    seed INTEGER,
    rounds_json TEXT NOT NULL,
    card_json TEXT
);
"""
#: columns added after the first release (table -> column -> declaration), added in place to older databases
ADDED_COLUMNS = {
    "turns": {"graded_text": "TEXT", "offline_json": "TEXT", "seconds": "REAL", "attempt": "INTEGER"},
    "sessions": {"plan_json": "TEXT", "loop_id": "TEXT", "loop_index": "INTEGER"},
}
_SESSION_COLUMNS = ("id, started_at, ended_at, round, level, rubric_id, rubric_version, interviewer, grader, scorecard_json, "
                    "plan_json, loop_id, loop_index")
#: an unfinished session (or loop) whose last turn is older than this is marked abandoned and
#: is not resumed: its rubric may have moved on and the practice is no longer of a piece
ABANDON_AFTER_DAYS = 30


def db_path() -> Path:
    return data_dir() / "history.sqlite3"


@dataclass(frozen=True)
class SessionRow:
    """A stored session. Times are Unix seconds; ``ended_at`` is None while it is open."""

    id: str
    started_at: float
    ended_at: float | None
    round: str
    level: str
    rubric_id: str
    rubric_version: int
    interviewer: str
    grader: str
    scorecard: dict | None
    answers: int
    plan: list[str] | None = None
    loop_id: str | None = None
    loop_index: int | None = None
    last_at: float | None = None

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def status(self) -> str:
        """``finished``, ``resumable`` (unfinished, with its planned questions stored, touched
        within :data:`ABANDON_AFTER_DAYS`) or ``abandoned`` (unfinished and older, or from before
        plans were stored, so it cannot be resumed)."""
        if self.finished:
            return "finished"
        return "resumable" if self.plan is not None and not _stale(self.last_at or self.started_at) else "abandoned"


def _stale(at: float, now: float | None = None) -> bool:
    return (now or time.time()) - at > ABANDON_AFTER_DAYS * 86400


@dataclass(frozen=True)
class LoopRow:
    """A stored loop: its ``level``, ``questions`` per round, ``seed``, the planned ``rounds``
    (round ids in order), its scorecard (None until the last round ends) and its rounds'
    sessions (by ``loop_index``). Times are Unix seconds."""

    id: str
    started_at: float
    ended_at: float | None
    level: str
    questions: int
    seed: int | None
    rounds: list[str]
    card: dict | None
    sessions: list[SessionRow]

    @property
    def finished(self) -> bool:
        return self.ended_at is not None

    @property
    def answers(self) -> int:
        return sum(s.answers for s in self.sessions)

    @property
    def rounds_done(self) -> int:
        return sum(1 for s in self.sessions if s.finished)

    @property
    def last_at(self) -> float:
        return max([self.started_at, *(s.last_at or s.started_at for s in self.sessions)])

    @property
    def status(self) -> str:
        """``finished``, ``resumable`` or ``abandoned`` (as for :attr:`SessionRow.status`)."""
        if self.finished:
            return "finished"
        unfinished = [s for s in self.sessions if not s.finished]
        if any(s.status == "abandoned" for s in unfinished) or _stale(self.last_at):
            return "abandoned"
        return "resumable"


@dataclass(frozen=True)
class TurnRow:
    """A stored turn: ``role`` interviewer|candidate, ``kind`` question|follow_up|answer.
    For an answer: ``score`` (its evidence offsets point into ``graded_text`` when set, else
    into ``text``), ``offline`` (the offline grader's score where the model could not grade)
    and ``seconds`` taken to answer."""

    seq: int
    at: float
    role: str
    kind: str
    question_id: str | None
    criterion_id: str | None
    text: str
    score: dict | None
    graded_text: str | None = None
    offline: dict | None = None
    seconds: float | None = None
    attempt: int | None = None


class HistoryError(Exception):
    """The history database cannot be opened or has no such session (one-line message).
    ``matches``: the sessions and loops an id prefix matched when it matched more than one, so
    the caller can list them; empty otherwise."""

    def __init__(self, message: str, matches: list[SessionRow | LoopRow] | None = None):
        super().__init__(message)
        self.matches = matches or []


class Store:
    """The history database. Every write commits at once, so a crash loses no answered turn."""

    def __init__(self, path: Path | None = None):
        self.path = path or db_path()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")
            self.conn.executescript(SCHEMA)
            for table, columns in ADDED_COLUMNS.items():
                have = {row[1] for row in self.conn.execute(f"PRAGMA table_info({table})")}
                for name, decl in columns.items():
                    if name not in have:
                        self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {decl}")
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"{self.path}: cannot open the history database ({exc}) — fix: set INTERVIEWER_DATA_DIR to a writable folder") from None

    def close(self) -> None:
        self.conn.close()

    def start_session(self, session_id: str, *, round: str, level: str, rubric_id: str, rubric_version: int,
                      interviewer: str, grader: str, plan: list[str] | None = None, loop_id: str | None = None,
                      loop_index: int | None = None) -> None:
        """Record a new session; ``plan`` is its questions' ids in the order they will be asked;
        ``loop_id``/``loop_index`` place it in a loop (0 for the loop's first round)."""
        self.conn.execute(
            "INSERT INTO sessions (id, started_at, round, level, rubric_id, rubric_version, interviewer, grader, plan_json, loop_id, "
            "loop_index) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (session_id, time.time(), round, level, rubric_id, rubric_version, interviewer, grader,
             json.dumps(plan) if plan is not None else None, loop_id, loop_index),
        )

    def add_turn(self, session_id: str, seq: int, *, role: str, kind: str, text: str, question_id: str | None = None,
                 criterion_id: str | None = None, score: dict | None = None, graded_text: str | None = None,
                 offline: dict | None = None, seconds: float | None = None, attempt: int | None = None) -> None:
        self.conn.execute(
            "INSERT INTO turns (session_id, seq, at, role, kind, question_id, criterion_id, text, score_json, graded_text, offline_json, "
            "seconds, attempt) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (session_id, seq, time.time(), role, kind, question_id, criterion_id, text, json.dumps(score) if score else None,
             graded_text, json.dumps(offline) if offline else None, seconds, attempt),
        )

    def start_loop(self, loop_id: str, *, level: str, questions: int, seed: int | None, rounds: list[str]) -> None:
        """Record a new loop of ``rounds`` (round ids in order) at ``level``, ``questions`` per round."""
        self.conn.execute("INSERT INTO loops (id, started_at, level, questions, seed, rounds_json) VALUES (?,?,?,?,?,?)",
                          (loop_id, time.time(), level, questions, seed, json.dumps(rounds)))

    def end_loop(self, loop_id: str, card: dict) -> None:
        """Store the loop's scorecard (its decision) and mark it finished."""
        self.conn.execute("UPDATE loops SET ended_at = ?, card_json = ? WHERE id = ?", (time.time(), json.dumps(card), loop_id))

    def delete_session(self, session_id: str) -> None:
        """Delete a session and its turns (used for a session left with no answer)."""
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
            self.conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))

    def delete_loop(self, loop_id: str) -> None:
        """Delete a loop with its rounds' sessions and turns."""
        with self.conn:
            self.conn.execute("BEGIN")
            self.conn.execute("DELETE FROM turns WHERE session_id IN (SELECT id FROM sessions WHERE loop_id = ?)", (loop_id,))
            self.conn.execute("DELETE FROM sessions WHERE loop_id = ?", (loop_id,))
            self.conn.execute("DELETE FROM loops WHERE id = ?", (loop_id,))

    def set_models(self, session_id: str, interviewer: str, grader: str) -> None:
        """Record which interviewer and grader the session uses now (e.g. after going offline)."""
        self.conn.execute("UPDATE sessions SET interviewer = ?, grader = ? WHERE id = ?", (interviewer, grader, session_id))

    def end_session(self, session_id: str, scorecard: dict) -> None:
        self.conn.execute("UPDATE sessions SET ended_at = ?, scorecard_json = ? WHERE id = ?", (time.time(), json.dumps(scorecard), session_id))

    def _session_rows(self, where: str = "", args: tuple = (), limit: int = -1) -> list[SessionRow]:
        rows = self.conn.execute(
            f"SELECT {', '.join('s.' + c.strip() for c in _SESSION_COLUMNS.split(','))}, "
            "(SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id AND t.role = 'candidate'), "
            "(SELECT MAX(t.at) FROM turns t WHERE t.session_id = s.id) "
            f"FROM sessions s {where} ORDER BY s.started_at DESC, s.loop_index DESC LIMIT ?", (*args, limit)).fetchall()
        return [SessionRow(*r[:9], json.loads(r[9]) if r[9] else None, r[13], json.loads(r[10]) if r[10] else None, r[11], r[12], r[14])
                for r in rows]

    def sessions(self, limit: int = 50, *, with_empty: bool = True) -> list[SessionRow]:
        """Sessions, loop rounds included, newest first (``with_empty=False`` leaves out those with no answer)."""
        return self._session_rows("" if with_empty else "WHERE EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id "
                                                         "AND t.role = 'candidate')", (), limit)

    def _loop(self, r) -> LoopRow:
        sessions = sorted(self._session_rows("WHERE s.loop_id = ?", (r[0],)), key=lambda s: s.loop_index or 0)
        return LoopRow(r[0], r[1], r[2], r[3], r[4], r[5], json.loads(r[6]), json.loads(r[7]) if r[7] else None, sessions)

    def loops(self, limit: int = -1) -> list[LoopRow]:
        """Loops with their rounds' sessions, newest first."""
        rows = self.conn.execute("SELECT id, started_at, ended_at, level, questions, seed, rounds_json, card_json FROM loops "
                                 "ORDER BY started_at DESC LIMIT ?", (limit,)).fetchall()
        return [self._loop(r) for r in rows]

    def loop(self, loop_id: str) -> LoopRow:
        """The loop with id ``loop_id`` (exact). Raises :class:`HistoryError`."""
        r = self.conn.execute("SELECT id, started_at, ended_at, level, questions, seed, rounds_json, card_json FROM loops WHERE id = ?",
                              (loop_id,)).fetchone()
        if r is None:
            raise HistoryError(f"no loop {loop_id!r} in {self.path} — fix: run `interviewer history` to see ids")
        return self._loop(r)

    def history(self, limit: int = 50) -> list[SessionRow | LoopRow]:
        """What `interviewer history` lists, newest first: each single session with an answer,
        and each loop with an answer as one entry (its rounds are not listed apart)."""
        singles = self._session_rows("WHERE s.loop_id IS NULL AND EXISTS (SELECT 1 FROM turns t WHERE t.session_id = s.id "
                                     "AND t.role = 'candidate')", (), limit)
        loops = [lp for lp in self.loops(limit) if lp.answers]
        return sorted([*singles, *loops], key=lambda e: e.started_at, reverse=True)[:limit]

    def find(self, prefix: str) -> SessionRow | LoopRow:
        """The session or loop whose id is ``prefix`` or starts with it; a prefix matching a loop
        and rounds of that loop means the loop. Raises :class:`HistoryError` (one line, listing
        the matches when there are several; their rows are its ``matches``)."""
        loops = [lp for lp in self.loops() if lp.id.startswith(prefix)]
        loop_ids = {lp.id for lp in loops}
        sessions = [s for s in self.sessions(limit=-1) if s.id.startswith(prefix) and s.loop_id not in loop_ids]
        found: list[SessionRow | LoopRow] = [*loops, *sessions]
        if len(found) == 1:
            return found[0]
        if not found:
            raise HistoryError(f"no session matching {prefix!r} in {self.path} — fix: run `interviewer history` to see session ids")
        shown = ", ".join(f"{e.id} ({'loop' if isinstance(e, LoopRow) else e.round})" for e in found[:6])
        more = f" and {len(found) - 6} more" if len(found) > 6 else ""
        raise HistoryError(f"{len(found)} sessions match {prefix!r}: {shown}{more} — fix: give more of the id", found)

    def session(self, session_id: str) -> SessionRow:
        """The session whose id is ``session_id`` or starts with it. Raises :class:`HistoryError`."""
        rows = [s for s in self.sessions(limit=-1) if s.id.startswith(session_id)]
        if len(rows) != 1:
            what = "no session" if not rows else f"{len(rows)} sessions"
            raise HistoryError(f"{what} matching {session_id!r} in {self.path} — fix: run `interviewer history` to see session ids")
        return rows[0]

    def turns(self, session_id: str) -> list[TurnRow]:
        rows = self.conn.execute(
            "SELECT seq, at, role, kind, question_id, criterion_id, text, score_json, graded_text, offline_json, seconds, attempt "
            "FROM turns WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall()
        return [TurnRow(*r[:7], json.loads(r[7]) if r[7] else None, r[8], json.loads(r[9]) if r[9] else None, r[10], r[11]) for r in rows]
