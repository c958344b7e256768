"""The full loop: the five rounds at one level in one sitting, then a hiring decision.

A :class:`Loop` runs recruiter screen -> coding -> system design -> behavioral (culture) ->
hiring manager, each round a :class:`~interviewer.session.Session` stored with the loop's id,
and decides at the end with :func:`decide`: every round weighs the same, the culture round
can sink the loop on its own, and the scorecard says which rounds carried or sank the
decision. UI-free: the TUI only renders what it returns.

The decision rule (data below, applied to each round's hire band 1-4 from its scorecard):

1. a round in band :data:`SINK_BAND` (strong no hire) sinks the loop;
2. a culture round (:data:`CULTURE_ROUNDS`) in band :data:`CULTURE_SINK_BAND` or lower sinks
   the loop, though a technical round there would not on its own;
3. a round with no scored answer gives no signal, and a loop is not a hire without every
   round's signal;
4. otherwise the loop is a hire when the mean of the round bands, every round weighing the
   same, is at least :data:`HIRE_MEAN_BAND` and at most :data:`MAX_LEAN_NO_HIRE_ROUNDS` round
   is in band 2 (lean no hire). (With five rounds and no band 1, one band 2 at most already
   keeps the mean at 2.8 or more; the mean is checked too so the rule holds for a loop of
   other rounds, :data:`LOOP_ROUNDS` being data.)

A hire is carried by the rounds at band 3 or 4; a no hire is sunk by the rounds that broke
a rule (each round's ``role`` and ``why`` on :class:`LoopScorecard`).

Where the rule comes from (:data:`RULE_SOURCES`; tests check each quote is in its seed file):
004_dbb4a9cf52099089.txt says the culture round "is evaluated as seriously as technical
rounds — one weak culture signal can kill an offer" and carries weight "comparable to
technical performance" (rules 2 and 4's equal weights); 001_7dc7f7af5065ad9c.txt says to
"Prepare for an integrated loop" (the rounds are judged together, rule 4). The numbers (band 1
sinks, a mean of 2.5, one lean-no-hire round forgiven) are this project's choice: 2.5 is the
lean-hire cut of the per-answer bands (:data:`~interviewer.scoring.BAND_CUTS`), so the loop
needs a lean hire on average, like a single answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel

from interviewer.rubrics import LEVELS, ROUNDS
from interviewer.grading import OfflineGrader
from interviewer.scoring import Grader
from interviewer.session import DEFAULT_QUESTIONS, ROUND_NAMES, Interviewer, ResumeError, Scorecard, Session, new_session_id
from interviewer.storage import ABANDON_AFTER_DAYS, Store

#: the loop's rounds, in the order they are run
LOOP_ROUNDS: tuple[str, ...] = ("recruiter_screen", "coding", "system_design", "behavioral", "hiring_manager")
assert set(LOOP_ROUNDS) == set(ROUNDS)
#: rounds that judge culture: one weak signal there sinks the loop (004_dbb4a9cf52099089.txt)
CULTURE_ROUNDS: frozenset[str] = frozenset({"behavioral"})
#: a round in this band or lower sinks the loop, whichever round it is
SINK_BAND = 1
#: a culture round in this band or lower sinks the loop (004_dbb4a9cf52099089.txt)
CULTURE_SINK_BAND = 2
#: the mean of the round bands a hire needs (every round weighs the same; 004_dbb4a9cf52099089.txt)
HIRE_MEAN_BAND = 2.5
#: a hire allows at most this many rounds in band 2 (lean no hire)
MAX_LEAN_NO_HIRE_ROUNDS = 1


@dataclass(frozen=True)
class SeedQuote:
    """The seed file (``source``, in ``../shared/seeds``) and its words (``quote``) behind a rule."""

    source: str
    quote: str


RULE_SOURCES: dict[str, SeedQuote] = {
    "culture_sinks": SeedQuote("004_dbb4a9cf52099089.txt", "one weak culture signal can kill an offer"),
    "equal_weight": SeedQuote("004_dbb4a9cf52099089.txt", "Culture round is evaluated as seriously as technical rounds"),
    "comparable": SeedQuote("004_dbb4a9cf52099089.txt", "carries significant weight at Netflix — comparable to technical performance"),
    "integrated": SeedQuote("001_7dc7f7af5065ad9c.txt", "Prepare for an integrated loop."),
}


class RoundResult(BaseModel):
    """One round of a loop on its scorecard: ``band`` 1-4 (None: no scored answer, or the round
    is not done), ``score`` its overall 1.0-4.0, ``role`` ``carried`` (it held the decision up),
    ``sank`` (it broke a rule) or None, and ``why`` one line."""

    index: int
    round: str
    name: str
    session_id: str | None
    done: bool
    score: float | None = None
    band: int | None = None
    band_name: str | None = None
    culture: bool = False
    role: Literal["carried", "sank"] | None = None
    why: str | None = None


class LoopScorecard(BaseModel):
    """The loop's scorecard: each round's band, and once every round is done the ``decision``
    (``hire`` or ``no hire``, at ``level``) with the ``reasons`` (one line each; the rounds'
    ``role`` and ``why`` say which rounds sank or carried it); ``mean_band`` is the mean of the rounds' bands (1.0-4.0,
    None while a round lacks one). ``decision`` is None while rounds remain."""

    loop_id: str
    level: str
    rounds: list[RoundResult]
    rounds_done: int
    finished: bool
    decision: Literal["hire", "no hire"] | None = None
    mean_band: float | None = None
    reasons: list[str] = []

    @property
    def carried(self) -> list[RoundResult]:
        return [r for r in self.rounds if r.role == "carried"]

    @property
    def sank(self) -> list[RoundResult]:
        return [r for r in self.rounds if r.role == "sank"]


def decide(loop_id: str, level: str, rounds: list[RoundResult]) -> LoopScorecard:
    """Apply the loop's rule (see the module docstring) to ``rounds`` (in loop order, each
    with its band, or ``done=False`` when not run yet) and return the scorecard with each
    round's role. No decision while a round is not done."""
    rounds = [r.model_copy(update={"culture": r.round in CULTURE_ROUNDS, "role": None, "why": None}) for r in rounds]
    done = sum(1 for r in rounds if r.done)
    finished = done == len(rounds)
    banded = [r.band for r in rounds if r.band is not None]
    mean = round(sum(banded) / len(banded), 2) if banded and len(banded) == len(rounds) else None
    card = LoopScorecard(loop_id=loop_id, level=level, rounds=rounds, rounds_done=done, finished=finished, mean_band=mean)
    if not finished:
        return card
    for r in rounds:  # rules 1-3: a round that sinks the loop on its own
        if r.band is None:
            r.role, r.why = "sank", "no scored answer, so no signal from this round"
        elif r.band <= SINK_BAND:
            r.role, r.why = "sank", f"{r.band_name} (band {r.band}) in any round sinks the loop"
        elif r.culture and r.band <= CULTURE_SINK_BAND:
            r.role, r.why = "sank", f"{r.band_name} (band {r.band}) in the culture round: one weak culture signal can kill an offer"
    lean_no = [r for r in rounds if r.band == 2 and r.role is None]
    if any(r.role == "sank" for r in rounds):
        card.reasons = [f"{r.name} sank it on its own: {r.why}" for r in rounds if r.role == "sank"]
    elif mean is not None and mean < HIRE_MEAN_BAND:  # rule 4
        for r in rounds:
            if r.band is not None and r.band < HIRE_MEAN_BAND:
                r.role, r.why = "sank", f"{r.band_name} (band {r.band}) pulls the mean under {HIRE_MEAN_BAND}"
        card.reasons = [f"the mean of the round bands is {mean:.2f}, under the {HIRE_MEAN_BAND} a hire needs"]
    elif len(lean_no) > MAX_LEAN_NO_HIRE_ROUNDS:
        for r in lean_no:
            r.role, r.why = "sank", f"{r.band_name} (band {r.band}), one of {len(lean_no)} such rounds"
        card.reasons = [f"{len(lean_no)} rounds at lean no hire; a hire allows at most {MAX_LEAN_NO_HIRE_ROUNDS}"]
    else:
        for r in rounds:
            if r.band is not None and r.band >= 3:
                r.role, r.why = "carried", f"{r.band_name} (band {r.band}) holds the mean up"
        card.reasons = [f"no round sank it; the mean of the round bands is {mean:.2f} (a hire needs {HIRE_MEAN_BAND}) with "
                        f"{len(lean_no)} round{'s' if len(lean_no) != 1 else ''} at lean no hire (at most {MAX_LEAN_NO_HIRE_ROUNDS})"]
    card.decision = "no hire" if any(r.role == "sank" for r in rounds) else "hire"
    return card


def round_result(index: int, round_id: str, session_id: str | None, card: dict | Scorecard | None) -> RoundResult:
    """A round's line on the loop scorecard from its round scorecard (a :class:`Scorecard` or
    its stored JSON), or not done when ``card`` is None."""
    if isinstance(card, Scorecard):
        card = card.model_dump(mode="json")
    overall = (card or {}).get("overall") or {}
    return RoundResult(index=index, round=round_id, name=ROUND_NAMES[round_id], session_id=session_id, done=card is not None,
                       score=overall.get("score"), band=overall.get("band"), band_name=overall.get("band_name"))


class Loop:
    """A practice loop at ``level`` (``L4``-``L6``): the rounds of :data:`LOOP_ROUNDS`, each
    with ``questions`` questions (1-10), one after the other, every turn saved as it happens
    (the loop and its rounds in ``store``). Raises ``ValueError`` for an unknown level.

    Drive it with :meth:`start_round` (the next round's session), the session's own turns,
    :meth:`finish_round` (that round's scorecard; after the last round the loop's decision is
    stored too) and :meth:`scorecard`. :meth:`restore` picks an unfinished loop up again."""

    def __init__(self, level: str, *, questions: int = DEFAULT_QUESTIONS, store: Store | None = None, seed: int | None = None,
                 interviewer: Interviewer | None = None, grader: Grader | None = None, offline_grader: OfflineGrader | None = None):
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; choose one of: {', '.join(LEVELS)}")
        self.id = new_session_id()
        self.level, self.questions, self.seed = level, questions, seed
        self.rounds: tuple[str, ...] = LOOP_ROUNDS
        self.store = store
        self.interviewer, self.grader, self.offline_grader = interviewer, grader, offline_grader
        #: the rounds' sessions started so far, in loop order
        self.sessions: list[Session] = []
        #: the finished rounds' scorecards, by loop index (as stored, for rounds finished before a resume)
        self.cards: dict[int, Scorecard | dict] = {}
        #: answers in the rounds finished before a resume (their sessions are not rebuilt)
        self.earlier_answers = 0
        self.ended = False
        if store:
            store.start_loop(self.id, level=level, questions=questions, seed=seed, rounds=list(self.rounds))

    @property
    def current(self) -> Session | None:
        """The round in progress (started, not finished), if any."""
        return self.sessions[-1] if self.sessions and len(self.sessions) - 1 not in self.cards else None

    @property
    def next_round(self) -> str | None:
        """The round :meth:`start_round` starts next (None when every round has started)."""
        return self.rounds[len(self.sessions)] if len(self.sessions) < len(self.rounds) else None

    @property
    def done(self) -> bool:
        """True when every round has finished."""
        return len(self.cards) == len(self.rounds)

    def start_round(self) -> Session:
        """Start the next round's session (saved at once). Raises ``RuntimeError`` while a
        round is in progress or when every round has been run."""
        if self.current is not None:
            raise RuntimeError("a round is still in progress")
        round_id = self.next_round
        if round_id is None:
            raise RuntimeError("every round of the loop has been run")
        index = len(self.sessions)
        session = Session(round_id, self.level, interviewer=self.interviewer, grader=self.grader, store=self.store,
                          questions=self.questions, seed=None if self.seed is None else self.seed + index,
                          offline_grader=self.offline_grader, loop=(self.id, index))
        self.sessions.append(session)
        return session

    def finish_round(self) -> Scorecard:
        """End the round in progress and return its scorecard; after the last round the loop's
        scorecard (with the decision) is stored. Raises ``RuntimeError`` with no round in progress."""
        session = self.current
        if session is None:
            raise RuntimeError("no round is in progress")
        card = session.finish()
        self.cards[len(self.sessions) - 1] = card
        if self.done and not self.ended:
            self.ended = True
            if self.store:
                self.store.end_loop(self.id, self.scorecard().model_dump(mode="json"))
        return card

    def scorecard(self) -> LoopScorecard:
        """Each round's band so far and, once every round is done, the decision (:func:`decide`)."""
        rounds = [round_result(i, r, self.sessions[i].id if i < len(self.sessions) else None, self.cards.get(i))
                  for i, r in enumerate(self.rounds)]
        return decide(self.id, self.level, rounds)

    @property
    def answered(self) -> int:
        """Answers given in the loop, every round counted."""
        return self.earlier_answers + sum(s.answered for s in self.sessions)

    def discard_if_empty(self) -> bool:
        """When the app quits: delete the loop if no answer was given in it at all (True), else
        delete the round in progress if it has no answer (it starts afresh on resuming)."""
        if self.store is None:
            return False
        if not self.answered:
            self.store.delete_loop(self.id)
            return True
        current = self.current
        if current is not None and current.discard_if_empty():
            self.sessions.pop()
        return False

    @classmethod
    def restore(cls, store: Store, loop_id: str, *, interviewer: Interviewer | None = None, grader: Grader | None = None,
                offline_grader: OfflineGrader | None = None) -> Loop:
        """The unfinished loop ``loop_id`` (exact id) rebuilt from ``store``: finished rounds
        with their stored scorecards, the round in progress restored where it stopped
        (:meth:`Session.restore`); rounds not started yet start as usual. Raises
        :class:`~interviewer.session.ResumeError` when the loop is finished or abandoned, and
        :class:`~interviewer.storage.HistoryError` when there is no such loop."""
        row = store.loop(loop_id)
        if row.finished:
            raise ResumeError(f"loop {row.id} is finished — fix: `interviewer export {row.id}` shows it; start a new one with "
                              "`interviewer practice --loop`")
        if row.status == "abandoned":
            raise ResumeError(f"loop {row.id} was left over {ABANDON_AFTER_DAYS} days ago and is abandoned — fix: start a new one "
                              "with `interviewer practice --loop` (`interviewer export` still shows it)")
        loop = cls.__new__(cls)
        loop.id, loop.level, loop.questions, loop.seed = row.id, row.level, row.questions, row.seed
        loop.rounds = tuple(row.rounds)
        loop.store, loop.interviewer, loop.grader, loop.offline_grader = store, interviewer, grader, offline_grader
        loop.sessions, loop.cards, loop.ended, loop.earlier_answers = [], {}, False, 0
        for srow in row.sessions:
            if srow.finished:  # kept as stored: its id and scorecard are all the loop needs
                s = Session(srow.round, srow.level, interviewer=interviewer, grader=grader, offline_grader=offline_grader,
                            question_ids=[])
                s.id, s.store, s.ended = srow.id, store, True
                s.loop_id, s.loop_index = row.id, srow.loop_index
                loop.sessions.append(s)
                loop.cards[len(loop.sessions) - 1] = srow.scorecard or {}
                loop.earlier_answers += srow.answers
            else:
                loop.sessions.append(Session.restore(store, srow.id, interviewer=interviewer, grader=grader, offline_grader=offline_grader))
        return loop


def loop_card_from_row(row) -> LoopScorecard:
    """The scorecard of a stored loop (:class:`~interviewer.storage.LoopRow`): the stored one
    when it finished, else the rounds so far."""
    if row.card:
        return LoopScorecard.model_validate(row.card)
    by_index = {s.loop_index: s for s in row.sessions}
    rounds = [round_result(i, r, by_index[i].id if i in by_index else None, by_index[i].scorecard if i in by_index else None)
              for i, r in enumerate(row.rounds)]
    return decide(row.id, row.level, rounds)

