"""Progress: what changed between two attempts at a question, each criterion's scores across
your sessions (and whether it improved or slipped), and the weakest criteria to drill.

UI-free; the CLI and the TUI render what these return. A session's score for a criterion is
the mean over its questions that the round's scorecard shows
(:meth:`~interviewer.session.Session.scorecard`; the stored one for a finished round, the
same computation on the saved turns for an unfinished one).

How improved or slipped is decided (:func:`direction`): the points of a criterion, in time
order, are split into the recent ones (the last :data:`RECENT_SESSIONS` points, but never more
than half of them, and at least one) and the earlier ones (the rest). The criterion
``improved`` when the recent mean is at least :data:`TREND_CHANGE` above the earlier mean,
``slipped`` when it is that much below, else ``steady``; with fewer than two points it is
``too few``. Half a point is the smallest change a mean of whole 1-4 scores shows when one
question in two moves a full point.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from interviewer.rubrics import LEVELS, ROUNDS, all_rubrics, load_question_bank, rubric_for_round
from interviewer.scoring import AnswerScore
from interviewer.session import ROUND_NAMES, Session
from interviewer.storage import SessionRow, Store

#: how many of a criterion's latest sessions count as recent (at most half of its points)
RECENT_SESSIONS = 3
#: the change of mean (1-4 scale) that counts as improved or slipped
TREND_CHANGE = 0.5
#: a drill looks at each criterion's mean over this many of its latest sessions
DRILL_SESSIONS = 5
#: a drill targets this many of the weakest criteria
DRILL_CRITERIA = 2
SPARKS = "▁▂▃▄▅▆▇█"

Direction = Literal["improved", "slipped", "steady", "too few"]


# --------------------------------------------------------------------------- two attempts at a question


class CriterionChange(BaseModel):
    """A criterion's score on the previous attempt (``before``) and on this one (``after``),
    each 1-4 or None (not scored)."""

    id: str
    name: str
    before: int | None
    after: int | None

    @property
    def arrow(self) -> str:
        """▲ up, ▼ down, = unchanged (or not comparable)."""
        if self.before is None or self.after is None or self.before == self.after:
            return "="
        return "▲" if self.after > self.before else "▼"


class AddedQuote(BaseModel):
    """A supporting quote this attempt has and the previous one did not, for a criterion."""

    criterion: str
    quote: str


class AttemptDiff(BaseModel):
    """What changed from the previous attempt at a question to this one: each criterion's
    score, the supporting quotes added, and the criteria still under 3 (``still_missing``:
    criterion name -> what holds it down)."""

    changes: list[CriterionChange]
    added: list[AddedQuote]
    still_missing: dict[str, str]


def compare_attempts(previous: AnswerScore, current: AnswerScore) -> AttemptDiff:
    """Compare two scores of the same question (same rubric): ``previous`` attempt's final
    score and ``current``'s."""
    changes, added, missing = [], [], {}
    for c in current.criteria:
        before = next((p for p in previous.criteria if p.id == c.id), None)
        changes.append(CriterionChange(id=c.id, name=c.name, before=before.score if before else None, after=c.score))
        old = {" ".join(e.quote.lower().split()) for e in (before.evidence if before else []) if e.effect == "support"}
        for e in c.evidence:
            if e.effect == "support" and " ".join(e.quote.lower().split()) not in old:
                added.append(AddedQuote(criterion=c.name, quote=e.shown))
        if c.score is not None and c.score < 3:
            against = next((e.signal for e in c.evidence if e.effect == "against"), None)
            missing[c.name] = against or ("some evidence, not enough for a 3" if c.has_support else "no evidence yet")
    return AttemptDiff(changes=changes, added=added, still_missing=missing)


# --------------------------------------------------------------------------- trends


@dataclass(frozen=True)
class Point:
    """A criterion's score in one session: ``score`` the session's mean (1.0-4.0), ``at`` its
    start (Unix seconds)."""

    session_id: str
    at: float
    score: float

    @property
    def date(self) -> str:
        return dt.datetime.fromtimestamp(self.at).strftime("%Y-%m-%d %H:%M")


class CriterionTrend(BaseModel):
    """One criterion of one rubric across sessions, oldest first, with its :func:`direction`
    and the two means compared (None with too few points)."""

    rubric_id: str
    criterion_id: str
    name: str
    points: list[Point]
    direction: Direction
    earlier_mean: float | None
    recent_mean: float | None

    def recent(self, n: int) -> list[Point]:
        return self.points[-n:]


def direction(scores: list[float]) -> tuple[Direction, float | None, float | None]:
    """(direction, earlier mean, recent mean) for scores in time order (see the module docstring)."""
    if len(scores) < 2:
        return "too few", None, None
    k = max(1, min(RECENT_SESSIONS, len(scores) // 2))
    earlier, recent = scores[:-k], scores[-k:]
    a, b = round(sum(earlier) / len(earlier), 2), round(sum(recent) / len(recent), 2)
    if b - a >= TREND_CHANGE:
        return "improved", a, b
    if a - b >= TREND_CHANGE:
        return "slipped", a, b
    return "steady", a, b


def sparkline(scores: list[float]) -> str:
    """One block character a score (1.0 lowest, 4.0 highest)."""
    return "".join(SPARKS[max(0, min(len(SPARKS) - 1, round((s - 1) / 3 * (len(SPARKS) - 1))))] for s in scores)


def session_criteria(store: Store, row: SessionRow) -> list[dict] | None:
    """The criteria of a stored session as its scorecard shows them (dicts with ``id``,
    ``name``, ``score``); None when it cannot be read back (a question left the bank)."""
    if row.scorecard:
        return row.scorecard["criteria"]
    try:
        return [c.model_dump() for c in Session.rebuild(store, row).scorecard().criteria]
    except (ValueError, KeyError):
        return None


def criterion_trends(store: Store) -> list[CriterionTrend]:
    """Every criterion scored in at least one session with an answer, grouped by rubric (in
    the order of the rounds) and in rubric order within, each with its points oldest first."""
    rows = sorted(store.sessions(limit=-1, with_empty=False), key=lambda r: r.started_at)
    found: dict[tuple[str, str], tuple[str, list[Point]]] = {}
    for row in rows:
        for c in session_criteria(store, row) or []:
            if c.get("score") is not None:
                found.setdefault((row.rubric_id, c["id"]), (c["name"], []))[1].append(Point(row.id, row.started_at, c["score"]))
    rubrics = all_rubrics()
    order = {rid: i for i, rid in enumerate(rubric_for_round(r).id for r in ROUNDS)}

    def key(k: tuple[str, str]) -> tuple:
        rubric = rubrics.get(k[0])
        ids = [c.id for c in rubric.criteria] if rubric else []
        return order.get(k[0], len(order)), k[0], ids.index(k[1]) if k[1] in ids else len(ids)

    out = []
    for k in sorted(found, key=key):
        name, points = found[k]
        d, a, b = direction([p.score for p in points])
        out.append(CriterionTrend(rubric_id=k[0], criterion_id=k[1], name=name, points=points, direction=d, earlier_mean=a, recent_mean=b))
    return out


# --------------------------------------------------------------------------- drill


class WeakCriterion(BaseModel):
    """A criterion to drill: its ``mean`` over its last ``sessions`` sessions (1.0-4.0)."""

    rubric_id: str
    criterion_id: str
    name: str
    mean: float
    sessions: int


class DrillPlan(BaseModel):
    """A drill round: ``round``/``level`` to run, the ``weakest`` criteria it drills (empty
    when the history has none to go on), ``question_ids`` in order (None: a normal round's
    questions) and ``message``: one line saying what it drills and why, or that it cannot."""

    round: str | None
    level: str | None
    weakest: list[WeakCriterion]
    question_ids: list[str] | None
    message: str


def drill_plan(store: Store, *, round_id: str | None = None, level: str | None = None, questions: int = 3,
               seed: int | None = None) -> DrillPlan:
    """Plan a drill from history: the :data:`DRILL_CRITERIA` criteria with the lowest mean over
    their last :data:`DRILL_SESSIONS` sessions (in ``round_id``'s rubric, or in the rubric of
    the weakest criterion of all when no round is given), and the round's questions at
    ``level`` (else the level last used in that round, else L5) whose ``targets`` name the most
    of them (ties in a shuffled order, ``seed`` fixing it), ``questions`` of them (1-10). With
    no scored history, a normal round of ``round_id`` (None: chosen in the app)."""
    round_rubrics = {rubric_for_round(r).id: r for r in ROUNDS}
    wanted = {rubric_for_round(round_id).id} if round_id else set(round_rubrics)
    weak = []
    for t in criterion_trends(store):
        if t.rubric_id in wanted:
            last = [p.score for p in t.points[-DRILL_SESSIONS:]]
            weak.append(WeakCriterion(rubric_id=t.rubric_id, criterion_id=t.criterion_id, name=t.name,
                                      mean=round(sum(last) / len(last), 2), sessions=len(last)))
    if not weak:
        where = f" in {ROUND_NAMES[round_id]}" if round_id else ""
        return DrillPlan(round=round_id, level=level, weakest=[], question_ids=None,
                         message=f"No scored sessions{where} in your history yet, so there is nothing to drill: a normal round instead.")
    weak.sort(key=lambda w: (w.mean, -w.sessions))
    rubric_id = weak[0].rubric_id
    round_id = round_id or round_rubrics[rubric_id]
    weakest = [w for w in weak if w.rubric_id == rubric_id][:DRILL_CRITERIA]
    if level is None:
        last = [r for r in store.sessions(limit=-1, with_empty=False) if r.round == round_id]
        level = last[0].level if last and last[0].level in LEVELS else "L5"
    pool = load_question_bank().for_round(round_id, level)
    random.Random(seed).shuffle(pool)
    ids = {w.criterion_id for w in weakest}
    pool.sort(key=lambda q: -len(ids & set(q.targets)))  # stable: the shuffle breaks ties
    chosen = pool[: max(1, min(questions, len(pool)))]
    said = " and ".join(f"{w.name} (mean {w.mean:.1f} over your last {w.sessions} session{'s' if w.sessions != 1 else ''})"
                        for w in weakest)
    message = (f"Drilling {said}: your lowest recent scores{'' if len(wanted) == 1 else ' of all rounds'}; "
               f"{sum(1 for q in chosen if ids & set(q.targets))} of {len(chosen)} questions target them.")
    return DrillPlan(round=round_id, level=level, weakest=weakest, question_ids=[q.id for q in chosen], message=message)
