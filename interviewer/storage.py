"""Session history in SQLite (stdlib sqlite3, WAL): every turn is committed as it happens.

The database lives in the user data directory (platformdirs), or in ``$INTERVIEWER_DATA_DIR``
when set (the tests use this). Tables: ``sessions`` (one row a practice session) and
``turns`` (one row per interviewer question/follow-up or candidate answer, the answer's
:class:`~interviewer.scoring.AnswerScore` as JSON). A follow-up answer's score is for the
question's combined answer: ``graded_text`` holds that text (its evidence offsets point into
it; NULL when the score is for the turn's own ``text``). ``offline_json`` holds the offline
grader's score where a model could not grade; ``seconds`` the time taken to answer.
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
    UNIQUE (session_id, seq)
);
"""
#: columns added to ``turns`` after the first release, added in place to older databases
ADDED_COLUMNS = {"graded_text": "TEXT", "offline_json": "TEXT", "seconds": "REAL"}


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


class HistoryError(Exception):
    """The history database cannot be opened or has no such session (one-line message).
    ``matches``: the sessions an id prefix matched when it matched more than one (newest
    first), so the caller can list them; empty otherwise."""

    def __init__(self, message: str, matches: list[SessionRow] | None = None):
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
            have = {row[1] for row in self.conn.execute("PRAGMA table_info(turns)")}
            for name, decl in ADDED_COLUMNS.items():
                if name not in have:
                    self.conn.execute(f"ALTER TABLE turns ADD COLUMN {name} {decl}")
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"{self.path}: cannot open the history database ({exc}) — fix: set INTERVIEWER_DATA_DIR to a writable folder") from None

    def close(self) -> None:
        self.conn.close()

    def start_session(self, session_id: str, *, round: str, level: str, rubric_id: str, rubric_version: int,
                      interviewer: str, grader: str) -> None:
        self.conn.execute(
            "INSERT INTO sessions (id, started_at, round, level, rubric_id, rubric_version, interviewer, grader) VALUES (?,?,?,?,?,?,?,?)",
            (session_id, time.time(), round, level, rubric_id, rubric_version, interviewer, grader),
        )

    def add_turn(self, session_id: str, seq: int, *, role: str, kind: str, text: str, question_id: str | None = None,
                 criterion_id: str | None = None, score: dict | None = None, graded_text: str | None = None,
                 offline: dict | None = None, seconds: float | None = None) -> None:
        self.conn.execute(
            "INSERT INTO turns (session_id, seq, at, role, kind, question_id, criterion_id, text, score_json, graded_text, offline_json, "
            "seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (session_id, seq, time.time(), role, kind, question_id, criterion_id, text, json.dumps(score) if score else None,
             graded_text, json.dumps(offline) if offline else None, seconds),
        )

    def set_models(self, session_id: str, interviewer: str, grader: str) -> None:
        """Record which interviewer and grader the session uses now (e.g. after going offline)."""
        self.conn.execute("UPDATE sessions SET interviewer = ?, grader = ? WHERE id = ?", (interviewer, grader, session_id))

    def end_session(self, session_id: str, scorecard: dict) -> None:
        self.conn.execute("UPDATE sessions SET ended_at = ?, scorecard_json = ? WHERE id = ?", (time.time(), json.dumps(scorecard), session_id))

    def sessions(self, limit: int = 50) -> list[SessionRow]:
        """Newest first."""
        rows = self.conn.execute(
            "SELECT s.*, (SELECT COUNT(*) FROM turns t WHERE t.session_id = s.id AND t.role = 'candidate') "
            "FROM sessions s ORDER BY started_at DESC LIMIT ?", (limit,)).fetchall()
        return [SessionRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], json.loads(r[9]) if r[9] else None, r[10]) for r in rows]

    def session(self, session_id: str) -> SessionRow:
        """The session whose id is ``session_id`` or starts with it. Raises :class:`HistoryError`
        when none does, or when several do (their rows in ``matches``)."""
        rows = [s for s in self.sessions(limit=10_000) if s.id.startswith(session_id)]
        exact = [s for s in rows if s.id == session_id]
        if exact:
            return exact[0]
        if not rows:
            raise HistoryError(f"no session matching {session_id!r} in {self.path} — fix: run `interviewer history` to see session ids")
        if len(rows) > 1:
            raise HistoryError(f"{len(rows)} sessions match {session_id!r} — fix: give more of the id, one of:", rows)
        return rows[0]

    def turns(self, session_id: str) -> list[TurnRow]:
        rows = self.conn.execute(
            "SELECT seq, at, role, kind, question_id, criterion_id, text, score_json, graded_text, offline_json, seconds "
            "FROM turns WHERE session_id = ? ORDER BY seq", (session_id,)).fetchall()
        return [TurnRow(*r[:7], json.loads(r[7]) if r[7] else None, r[8], json.loads(r[9]) if r[9] else None, r[10]) for r in rows]
