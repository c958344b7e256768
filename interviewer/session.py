"""A practice round: questions, rubric-driven follow-ups, scores per answer and the scorecard.

Two seams: :class:`Interviewer` ("who asks the next question": it phrases and streams a
planned turn) and :class:`~interviewer.scoring.Grader` ("who scores an answer"). The round's
logic (which question, which criterion to probe, when to move on) lives here and is the same
whichever implementations are plugged in. Every turn is written to the
:class:`~interviewer.storage.Store` as it happens.
"""

from __future__ import annotations

import random
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import AsyncIterator, Literal, Protocol, Sequence

from pydantic import BaseModel, Field

from interviewer.rubrics import LEVELS, ROUNDS, Question, Rubric, load_question_bank, rubric_for_round
from interviewer.grading import OfflineGrader
from interviewer.scoring import BAND_NAMES, AnswerScore, Evidence, Grader, Overall, clip, hire_band
from interviewer.storage import ABANDON_AFTER_DAYS, HistoryError, Store

#: at most this many follow-ups (probes) per question
MAX_FOLLOW_UPS = 2
#: what the interviewer says, before repeating the question, when an answer was about something else
OFF_QUESTION_PROBE = "That answer seems to be about a different question. Let's come back to the one I asked:"
#: questions in a round unless the caller asks for another number
DEFAULT_QUESTIONS = 3
#: how a question's answer and its follow-up answers are joined into the text that is graded
#: (evidence offsets of a follow-up's score point into that combined text)
PART_SEPARATOR = "\n\n"


@dataclass(frozen=True)
class PaceTarget:
    """How long an answer in a round should take when spoken (``seconds``), and the seed file
    (``source``) and its words (``quote``) that say so."""

    seconds: int
    source: str
    quote: str


_STORY = PaceTarget(180, "001_7dc7f7af5065ad9c.txt", "Build your six behavioral stories and cut each to three minutes")
#: Spoken-length targets per round, from the seeds (the hiring manager round asks for stories
#: too). Rounds the seeds give no length for (coding, system design) have none: their answers
#: are shown with time and words only.
PACE_TARGETS: dict[str, PaceTarget] = {
    "recruiter_screen": PaceTarget(120, "001_7dc7f7af5065ad9c.txt", "Come prepared with a two-minute explanation of your recent work"),
    "behavioral": _STORY,
    "hiring_manager": _STORY,
}
#: Speaking rate that turns a typed answer into minutes spoken. A common figure for
#: interview speech, not from the seeds.
WORDS_PER_MINUTE = 150
#: An answer longer than this many times its round's target is flagged as rambling (shown,
#: never scored); 001_7dc7f7af5065ad9c.txt: "Fast companies do not reward rambling."
RAMBLING_FACTOR = 1.5

ROUND_NAMES = {
    "recruiter_screen": "Recruiter screen",
    "coding": "Coding",
    "system_design": "System design",
    "behavioral": "Behavioral / culture",
    "hiring_manager": "Hiring manager",
}

#: polite words around a decline that say nothing about the question ("sorry", "honestly", "to be honest")
_DECLINE_FILLER = (r"(?:sorry|honestly|to\s+be\s+honest|i['’]?m\s+afraid|unfortunately|um+|uh+|hmm+|erm|well|so|ok(?:ay)?|oh|ah|yeah|"
                   r"actually|really|thanks|thank\s+you|please|if\s+(?:that['’]?s|it['’]?s)\s+(?:ok(?:ay)?|alright|all\s+right|fine))")
#: what may follow a decline without making it an answer: "on that", "for this one", "for now", "here"
_DECLINE_TAIL = (r"(?:(?:on|for|to|with|about)\s+)?(?:(?:this|that|it)(?:\s+(?:one|question|part))?|"
                 r"(?:this|that|the)\s+(?:one|question|part)|now|right\s+now|at\s+the\s+moment|today|here|"
                 r"(?:to\s+)?the\s+next\s+(?:one|question)|anything|one)")
#: a clause that declines, whole: "I don't know", "pass", "I'll pass on that", "I'd rather skip this one",
#: "can we move on", "no answer for that one", "next question", "no comment", "n/a"
_DECLINE_CORE = "|".join([
    r"(?:i\s+)?(?:really\s+|honestly\s+|just\s+)?(?:don['’]?t|do\s+not|dunno)\s*(?:know|remember|recall)?(?:\s+(?:the\s+answer|how\s+to\s+answer))?",
    r"dunno",
    r"(?:i\s+(?:have|['’]?ve\s+got|['’]?ve)\s+)?no\s+(?:idea|clue|comment|(?:good\s+|real\s+)?answer|example)",
    r"(?:i['’]?m\s+|i\s+am\s+)?not\s+sure",
    r"(?:i\s+)?(?:can['’]?t|cannot|can\s+not)\s+(?:say|answer|remember|recall|think\s+of\s+(?:any|anything|one|an?\s+(?:good\s+)?example))",
    r"(?:i\s+)?(?:don['’]?t|do\s+not)\s+have\s+(?:an?\s+(?:good\s+)?(?:answer|example)|anything|one)",
    r"(?:i\s+)?(?:haven['’]?t|have\s+not)\s+(?:got\s+)?(?:anything|an?\s+(?:answer|example)|one)",
    r"(?:i['’]?ll|i\s+will|i['’]?d|i\s+would|i\s+(?:am|['’]?m)\s+going\s+to|let\s+me|i|i['’]?m\s+gonna)?\s*pass",
    r"(?:(?:can|could|shall|may)\s+(?:we|i)\s+|let['’]?s\s+|let\s+us\s+|i['’]?d\s+(?:rather|like\s+to|prefer\s+to)\s+|"
    r"i\s+would\s+(?:rather|like\s+to|prefer\s+to)\s+|i['’]?ll\s+|i\s+will\s+|i\s+want\s+to\s+|we\s+can\s+|mind\s+if\s+(?:we|i)\s+)?"
    r"(?:skip|move\s+on|go\s+on|continue)",
    r"(?:i['’]?d|i\s+would)?\s*(?:rather|prefer)\s+not(?:\s+to)?(?:\s+(?:say|answer|get\s+into|go\s+into|talk\s+about|discuss))?",
    r"(?:i\s+(?:have|['’]?ve\s+got|['’]?ve)\s+|i\s+)?nothing(?:\s+(?:more|else))?(?:\s+to\s+(?:add|say))?",
    r"(?:the\s+)?next(?:\s+(?:one|question))?(?:\s+please)?",
    r"none|n/?a|no|nope",
])
_DECLINE_CLAUSE = re.compile(
    rf"(?:{_DECLINE_FILLER}\s*)*(?:{_DECLINE_CORE})(?:\s+{_DECLINE_TAIL})*(?:\s+{_DECLINE_FILLER})*", re.IGNORECASE)
_FILLER_CLAUSE = re.compile(rf"(?:{_DECLINE_FILLER}\s*)+", re.IGNORECASE)
#: at most this many words in an answer that declines
_DECLINE_MAX_WORDS = 15


def is_declined(answer: str) -> bool:
    """True for a short answer (at most 15 words) that declines the question: every clause of
    it declines ("I don't know", "pass", "I'll pass on that", "I'd rather skip this one", "can we
    move on", "no answer for that one", "next question") or is politeness ("sorry",
    "honestly"). An answer that says anything else is an answer, even when it starts with "no"
    or "pass" ("No, I rolled it back first", "Pass the request id to the worker")."""
    if len(answer.split()) > _DECLINE_MAX_WORDS:
        return False
    clauses = [c.strip() for c in re.split(r"[.,;:!?()\-–—…]+|\s-\s", answer.replace("’", "'")) if c.strip()]
    declines = [bool(_DECLINE_CLAUSE.fullmatch(c)) for c in clauses]
    return any(declines) and all(d or _FILLER_CLAUSE.fullmatch(c) for d, c in zip(declines, clauses))


@dataclass(frozen=True)
class TurnPlan:
    """What the interviewer will ask next: a ``question`` from the bank or a ``follow_up``
    probing ``criterion_id``. ``text`` is the scripted wording; an LLM interviewer may rephrase.
    ``retry``: the question asked again after it was scored (a new attempt at it)."""

    kind: Literal["question", "follow_up"]
    question: Question
    text: str
    criterion_id: str | None = None
    retry: bool = False


class Interviewer(Protocol):
    """Who asks the next question: streams the words of a planned turn (chunks of str), and
    once the turn is complete says why its words cannot stand (then the scripted wording is
    used), or None."""

    name: str

    def ask(self, plan: TurnPlan, session: Session) -> AsyncIterator[str]: ...

    def review(self, plan: TurnPlan, text: str, session: Session) -> str | None: ...


class ScriptedInterviewer:
    """The offline interviewer: says the planned question or rubric probe as written."""

    name = "offline"

    async def ask(self, plan: TurnPlan, session: Session) -> AsyncIterator[str]:
        words = plan.text.split(" ")
        for i, word in enumerate(words):
            yield word if i == len(words) - 1 else word + " "

    def review(self, plan: TurnPlan, text: str, session: Session) -> str | None:
        return None


class Pace(BaseModel):
    """How long an answer took and how long it is against its round's target.

    ``seconds``: time from the question on screen to submit (None when not measured);
    ``words``: words in the answer; ``spoken_seconds``: how long it takes to say at
    :data:`WORDS_PER_MINUTE`; ``target_seconds``/``target_words``: the round's spoken target
    (None where the seeds give none); ``rambling``: longer than :data:`RAMBLING_FACTOR` times
    the target. Shown to the candidate, never part of a score."""

    seconds: float | None
    words: int
    spoken_seconds: float
    target_seconds: int | None
    target_words: int | None
    rambling: bool

    @classmethod
    def of(cls, round_id: str, answer: str, seconds: float | None) -> Pace:
        words = len(answer.split())
        target = PACE_TARGETS.get(round_id)
        target_words = round(target.seconds / 60 * WORDS_PER_MINUTE) if target else None
        return cls(seconds=seconds, words=words, spoken_seconds=round(words / WORDS_PER_MINUTE * 60, 1),
                   target_seconds=target.seconds if target else None, target_words=target_words,
                   rambling=bool(target_words and words > target_words * RAMBLING_FACTOR))


@dataclass(frozen=True)
class Graded:
    """A question's answer as graded: ``text`` is what was graded (the question's answer and
    its follow-up answers joined by :data:`PART_SEPARATOR`; evidence offsets point into it),
    ``score`` is the session grader's result and ``offline`` the offline grader's when a
    model grader could not score it (then it stands in, labelled offline)."""

    text: str
    score: AnswerScore
    offline: AnswerScore | None = None

    @property
    def effective(self) -> AnswerScore:
        """The score that counts: the grader's, or the offline one where the model could not."""
        return self.offline if self.score.status == "unscored" and self.offline is not None else self.score

    @property
    def model_failed(self) -> bool:
        """True when a model grader could not score an answer the offline grader could."""
        return self.effective is self.offline


@dataclass
class Exchange:
    """One turn pair: what the interviewer asked and, once given, the answer, how it was graded
    (for a follow-up: the whole question so far), and ``seconds`` taken to answer. ``scripted``
    says why the scripted wording was asked instead of the interviewer's own words (None when
    its words stand)."""

    plan: TurnPlan
    asked: str
    answer: str | None = None
    graded: Graded | None = None
    declined: bool = False
    seconds: float | None = None
    scripted: str | None = None

    @property
    def score(self) -> AnswerScore | None:
        """The question's score after this answer (see :attr:`Graded.effective`)."""
        return self.graded.effective if self.graded else None


@dataclass
class Thread:
    """A question and its follow-ups. The question is scored on its combined answer, so the
    latest grading is the question's score. ``attempt`` counts the tries at the question (1,
    then 2 and up for each retry); ``previous`` is the attempt this one replaced."""

    question: Question
    exchanges: list[Exchange] = field(default_factory=list)
    probed: set[str] = field(default_factory=set)
    declined: set[str] = field(default_factory=set)
    attempt: int = 1
    previous: Thread | None = None

    @property
    def follow_ups(self) -> int:
        return sum(1 for e in self.exchanges if e.plan.kind == "follow_up")

    @property
    def graded(self) -> Graded | None:
        """The latest grading of the question's combined answer that was scored, if any."""
        return next((e.graded for e in reversed(self.exchanges) if e.score and e.score.status == "scored"), None)

    @property
    def score(self) -> AnswerScore | None:
        """The question's score: the latest scored grading of its combined answer."""
        return self.graded.effective if self.graded else None

    def criterion_score(self, criterion_id: str) -> int | None:
        """The criterion's score (1-4) for this question, or None when not scored."""
        return self.score.criterion(criterion_id).score if self.score else None

    def evidenced(self, criterion_id: str) -> bool:
        """True when the question's combined answer already shows the criterion: a supporting
        quote, or a score of 3 or more."""
        if self.score is None:
            return False
        c = self.score.criterion(criterion_id)
        return c.has_support or (c.score or 0) >= 3


class Highlight(BaseModel):
    """A quote picked for the scorecard: the criterion, its score (a question's 1-4 for the
    strongest; the round's mean 1.0-4.0, as on its bar, for the weakest), the quote (None when
    the answer had none) and the question it comes from."""

    criterion_id: str
    criterion_name: str
    score: float | None
    quote: str | None
    signal: str
    question: str


class CriterionResult(BaseModel):
    """A criterion over the round: ``score`` is the mean (1.0-4.0) over questions where it was scored."""

    id: str
    name: str
    weight: float
    score: float | None
    scored_in: int


class QuestionResult(BaseModel):
    """One question over the round: its text, its overall (1.0-4.0, on its combined answer, as
    the panel showed it) and hire band, and whether it was off the question."""

    question_id: str
    text: str
    score: float
    band: int
    off_question: bool = False


class Scorecard(BaseModel):
    """The end of a round: per-criterion scores (the mean over the questions), each question's
    overall, the round's overall and hire band (the mean of the question overalls shown), the
    strongest and weakest evidence, and what to practise next (empty when nothing was scored).
    ``answers``: the answers given (declines not counted); ``declined``: questions and probes
    the candidate declined ("pass", "I don't know", see :func:`is_declined`);
    ``offline_scored``: answers the offline grader scored because the model could not;
    ``rambling``: answers flagged as rambling (see :class:`Pace`); ``off_question``: questions
    whose answer did not address them."""

    session_id: str
    round: str
    level: str
    rubric_id: str
    rubric_version: int
    grader: str
    questions: int
    answers: int
    unscored: int
    criteria: list[CriterionResult]
    question_scores: list[QuestionResult] = Field(default_factory=list)
    overall: Overall
    strongest: list[Highlight]
    weakest: list[Highlight]
    practice_next: list[str]
    flagged: int
    offline_scored: int = 0
    rambling: int = 0
    off_question: int = 0
    caveat: str | None = None
    declined: int = 0


def new_session_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


class ResumeError(Exception):
    """A stored session that cannot be resumed (one line naming why and the fix)."""


class Session:
    """One practice round at a level.

    ``round_id`` is one of :data:`~interviewer.rubrics.ROUNDS`, ``level`` one of ``L4``,
    ``L5``, ``L6``; ``questions`` how many bank questions to ask (1-10), shuffled by ``seed``,
    unless ``question_ids`` names them in order (bank ids of the round). The planned question
    ids are stored, so the session can be resumed (:meth:`restore`); ``loop`` is ``(loop id,
    index of the round in the loop)`` for a round of a :class:`~interviewer.loop.Loop`. Raises
    ``ValueError`` for an unknown round or level, or a question id the round's bank lacks.

    A question is scored on its combined answer: each follow-up answer is graded together
    with the answers before it (:class:`Graded`). Grading (:meth:`grade`) changes nothing, so
    a caller may run it in another thread and drop the result; :meth:`record_answer` saves
    it. Once :meth:`finish` has ended the round nothing more is recorded or written.
    """

    def __init__(self, round_id: str, level: str, *, interviewer: Interviewer | None = None, grader: Grader | None = None,
                 store: Store | None = None, questions: int = DEFAULT_QUESTIONS, seed: int | None = None,
                 rubric: Rubric | None = None, offline_grader: OfflineGrader | None = None,
                 question_ids: Sequence[str] | None = None, loop: tuple[str, int] | None = None):
        if round_id not in ROUNDS:
            raise ValueError(f"unknown round {round_id!r}; choose one of: {', '.join(ROUNDS)}")
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; choose one of: {', '.join(LEVELS)}")
        self.id = new_session_id()
        self.round, self.level = round_id, level
        self.rubric = rubric or rubric_for_round(round_id)
        self.interviewer: Interviewer = interviewer or ScriptedInterviewer()
        #: the offline grader: used when the model cannot grade an answer, or after switching to offline
        self.offline_grader = offline_grader or (grader if isinstance(grader, OfflineGrader) else OfflineGrader())
        self.grader: Grader = grader or self.offline_grader
        self.store = store
        if question_ids is not None:
            self.questions = [bank_question(round_id, qid) for qid in question_ids]
        else:
            pool = load_question_bank().for_round(round_id, level)
            random.Random(seed).shuffle(pool)
            self.questions = pool[: max(1, min(questions, len(pool)))]
        self.threads: list[Thread] = []
        self.seq = 0
        self.ended = False
        self.loop_id, self.loop_index = loop if loop else (None, None)
        #: a turn to ask before anything else: a retry, or the turn left unanswered when the session was left
        self._next: TurnPlan | None = None
        if store:
            store.start_session(self.id, round=round_id, level=level, rubric_id=self.rubric.id, rubric_version=self.rubric.version,
                                interviewer=self.interviewer.name, grader=self.grader_name, plan=[q.id for q in self.questions],
                                loop_id=self.loop_id, loop_index=self.loop_index)

    @classmethod
    def restore(cls, store: Store, session_id: str, *, interviewer: Interviewer | None = None, grader: Grader | None = None,
                offline_grader: OfflineGrader | None = None) -> Session:
        """The unfinished session ``session_id`` (its exact id) rebuilt from ``store`` to go on
        where it stopped: the same questions in the same order, each answered turn with its
        stored score (nothing is graded again), and the turn left unanswered, if any, asked again
        next (:meth:`plan_next`). New turns are saved to the same session.

        Raises :class:`ResumeError` when the session is finished or abandoned (see
        :attr:`~interviewer.storage.SessionRow.status`), its rubric changed version since, or a
        planned question left the bank; :class:`~interviewer.storage.HistoryError` when there is
        no such session."""
        row = next((r for r in store.sessions(limit=-1) if r.id == session_id), None)
        if row is None:
            raise HistoryError(f"no session {session_id!r} in {store.path} — fix: run `interviewer history` to see session ids")
        if row.finished:
            raise ResumeError(f"session {row.id} is finished — fix: `interviewer export {row.id}` shows it; start a new one with "
                              "`interviewer practice`")
        if row.plan is None:
            raise ResumeError(f"session {row.id} was saved before planned questions were stored, so it cannot be resumed — fix: "
                              "start a new one with `interviewer practice`")
        if row.status == "abandoned":
            raise ResumeError(f"session {row.id} was left over {ABANDON_AFTER_DAYS} days ago and is abandoned — fix: start a new one "
                              "with `interviewer practice` (`interviewer export` still shows it)")
        rubric = rubric_for_round(row.round)
        if rubric.version != row.rubric_version or rubric.id != row.rubric_id:
            raise ResumeError(f"session {row.id} was scored with rubric {row.rubric_id} v{row.rubric_version}, now v{rubric.version} — "
                              "fix: start a new round with `interviewer practice` so its scores are of one version")
        try:
            s = cls.rebuild(store, row, interviewer=interviewer, grader=grader, offline_grader=offline_grader)
        except ValueError as exc:
            raise ResumeError(f"session {row.id}: {exc} — fix: start a new one with `interviewer practice`") from None
        now = (s.interviewer.name, s.grader_name)
        if now != (row.interviewer, row.grader):
            store.set_models(row.id, *(b if b == a or b.endswith(f", then {a}") else f"{b}, then {a}"
                                       for a, b in zip(now, (row.interviewer, row.grader))))
        return s

    @classmethod
    def rebuild(cls, store: Store, row, *, interviewer: Interviewer | None = None, grader: Grader | None = None,
                offline_grader: OfflineGrader | None = None) -> Session:
        """A stored session (:class:`~interviewer.storage.SessionRow`) as it stands, from its
        turns, without checking that it may go on (:meth:`restore` does). A session saved
        before plans were stored gets the questions its turns asked. Raises ``ValueError`` when
        a question left the bank."""
        turns = store.turns(row.id)
        plan = row.plan if row.plan is not None else list(dict.fromkeys(t.question_id for t in turns if t.question_id))
        s = cls(row.round, row.level, interviewer=interviewer, grader=grader, offline_grader=offline_grader, question_ids=plan)
        s.id, s.store = row.id, store
        s.loop_id, s.loop_index = row.loop_id, row.loop_index
        s._replay(turns)
        return s

    def _replay(self, turns) -> None:
        """Rebuild threads from stored turns (:class:`~interviewer.storage.TurnRow`), saving
        nothing. An interviewer turn stored while another waited for its answer supersedes it
        (a retry, or a turn asked again on resuming); a turn left unanswered at the end is
        asked again next."""
        by_id = {q.id: q for q in self.questions}
        for t in turns:
            self.seq = max(self.seq, t.seq)
            if t.role == "interviewer":
                if self.pending:
                    self._drop_pending()
                question = by_id.get(t.question_id or "") or bank_question(self.round, t.question_id or "")
                plan = TurnPlan(t.kind, question, t.text, t.criterion_id, retry=(t.attempt or 1) > 1)  # type: ignore[arg-type]
                self._apply_asked(plan, t.text)
            elif self.pending and t.score:
                score = AnswerScore.model_validate(t.score)
                offline = AnswerScore.model_validate(t.offline) if t.offline else None
                self._apply_answer(t.text, Graded(t.graded_text or t.text, score, offline), t.seconds)
        if self.pending:
            self._next = self._drop_pending()

    @property
    def grader_name(self) -> str:
        """The grader's model id, or ``offline``."""
        return self.grader.info.model or self.grader.info.name

    @property
    def offline(self) -> bool:
        """True when neither the interviewer nor the grader is a model."""
        return self.interviewer.name == "offline" and self.grader.info.name == "offline"

    def use_offline(self) -> None:
        """Go on with the scripted interviewer and the offline grader (after a model failed);
        the stored session records the switch."""
        before = (self.interviewer.name, self.grader_name)
        self.interviewer, self.grader = ScriptedInterviewer(), self.offline_grader
        if self.store:
            self.store.set_models(self.id, *(f"{b}, then offline" if b != "offline" else b for b in before))

    # ------------------------------------------------------------------ flow

    @property
    def pending(self) -> Exchange | None:
        """The exchange waiting for an answer, if any."""
        if self.threads and self.threads[-1].exchanges and self.threads[-1].exchanges[-1].answer is None:
            return self.threads[-1].exchanges[-1]
        return None

    @property
    def position(self) -> tuple[int, int]:
        """(the current question's number from 1, the number of questions in the round)."""
        return max(1, len(self.threads)), len(self.questions)

    def plan_next(self) -> TurnPlan | None:
        """The next turn: a retry asked for (:meth:`retry`) or a turn left unanswered when the
        session was left; else a follow-up on the current question when a criterion still lacks
        evidence (at most :data:`MAX_FOLLOW_UPS`, never a probe already asked or declined),
        else the next question; ``None`` when the round has no more questions."""
        if self.pending:
            return self.pending.plan
        if self._next:
            return self._next
        if self.threads:
            probe = self._probe(self.threads[-1])
            if probe:
                return probe
        if len(self.threads) >= len(self.questions):
            return None
        q = self.questions[len(self.threads)]
        return TurnPlan("question", q, q.text)

    def _probe(self, thread: Thread) -> TurnPlan | None:
        if thread.follow_ups >= MAX_FOLLOW_UPS or not thread.exchanges or thread.exchanges[-1].declined:
            return None
        last = thread.exchanges[-1].score
        if last is None or last.word_count < self.rubric.min_words and thread.follow_ups:
            return None
        score = thread.score
        if last.off_question and not any(e.plan.criterion_id is None for e in thread.exchanges if e.plan.kind == "follow_up"):
            # as an interviewer would: bring the candidate back to the question once
            return TurnPlan("follow_up", thread.question, f"{OFF_QUESTION_PROBE} {thread.question.text}")
        targets = set(thread.question.targets) or {c.id for c in self.rubric.criteria}
        gaps = [c for c in self.rubric.criteria
                if c.id not in thread.probed and c.id not in thread.declined and not thread.evidenced(c.id)
                and (last.criterion(c.id).score is not None or last.word_count < self.rubric.min_words)]
        if not gaps:
            return None
        # what the question is about first, then the weakest gap, then one the answer spoke against, then the heavier
        def spoken_against(cid: str) -> bool:
            return bool(score) and any(ev.effect == "against" for ev in score.criterion(cid).evidence)

        gaps.sort(key=lambda c: (c.id not in targets, thread.criterion_score(c.id) or 0, not spoken_against(c.id), -c.weight))
        crit = gaps[0]
        used = {e.plan.text for e in thread.exchanges}
        probe = next((p for p in crit.probes if p not in used), crit.probes[0])
        against = [ev for ev in score.criterion(crit.id).evidence if ev.effect == "against"] if score else []
        if against:  # as an interviewer would: quote what the candidate said against it
            probe = f"You said “{short_quote(against[0].quote)}” — {probe[0].lower()}{probe[1:]}"
        return TurnPlan("follow_up", thread.question, probe, crit.id)

    async def stream(self, plan: TurnPlan) -> AsyncIterator[str]:
        """Stream the interviewer's words for ``plan``, then record the turn as asked: its
        words, or the scripted wording when the interviewer's review rejects them (the
        exchange's ``scripted`` says why)."""
        parts: list[str] = []
        async for chunk in self.interviewer.ask(plan, self):
            parts.append(chunk)
            yield chunk
        text = "".join(parts)
        reason = self.interviewer.review(plan, text, self)
        self.record_asked(plan, plan.text if reason else text, scripted=reason)

    def record_asked(self, plan: TurnPlan, text: str, *, scripted: str | None = None) -> Exchange:
        """Record that the interviewer asked ``text`` for ``plan`` (``scripted``: why the
        scripted wording stands in for the interviewer's); saved at once. Raises
        ``RuntimeError`` once the round has ended."""
        self._check_open()
        ex = self._apply_asked(plan, text, scripted=scripted)
        if self._next is plan:
            self._next = None
        attempt = self.threads[-1].attempt
        self._save(role="interviewer", kind=plan.kind, text=text, question_id=plan.question.id, criterion_id=plan.criterion_id,
                   attempt=attempt if attempt > 1 else None)
        return ex

    def _apply_asked(self, plan: TurnPlan, text: str, *, scripted: str | None = None) -> Exchange:
        if plan.kind == "question" and plan.retry:  # the new attempt takes the old one's place
            i = max(i for i, t in enumerate(self.threads) if t.question.id == plan.question.id)
            thread = self.threads[i] = Thread(plan.question, attempt=self.threads[i].attempt + 1, previous=self.threads[i])
        elif plan.kind == "question":
            thread = Thread(plan.question)
            self.threads.append(thread)
        else:
            thread = self.threads[-1]
        if plan.criterion_id:
            thread.probed.add(plan.criterion_id)
        ex = Exchange(plan, text, scripted=scripted)
        thread.exchanges.append(ex)
        return ex

    def _drop_pending(self) -> TurnPlan:
        """Take the unanswered turn back (it is asked again later); returns its plan."""
        thread = self.threads[-1]
        ex = thread.exchanges.pop()
        if ex.plan.criterion_id:
            thread.probed.discard(ex.plan.criterion_id)
        if not thread.exchanges:
            self.threads[-1:] = [thread.previous] if thread.previous else []
        return ex.plan

    # ------------------------------------------------------------------ retry

    @property
    def retry_target(self) -> Thread | None:
        """The question a retry would ask again: the one whose answer was scored last (None
        before any scored answer, or once the round has ended)."""
        if self.ended:
            return None
        last = next((t for t in reversed(self.threads) if any(e.answer is not None for e in t.exchanges)), None)
        return last if last is not None and last.score is not None else None

    def retry(self) -> TurnPlan:
        """Ask the last scored question again as a new attempt (:attr:`retry_target`): the turn
        asked after its score, if still unanswered, is asked again afterwards. The new attempt
        replaces the old one in the scorecard; the old stays reachable as
        :attr:`Thread.previous`. Returns the plan :meth:`plan_next` now gives. Raises
        ``RuntimeError`` when there is nothing to retry."""
        target = self.retry_target
        if target is None:
            raise RuntimeError("no scored question to try again")
        if self.pending:
            self._drop_pending()
        self._next = TurnPlan("question", target.question, target.question.text, retry=True)
        return self._next

    def grade(self, text: str) -> Graded:
        """Grade ``text`` as the answer to the pending turn, without recording it.

        A follow-up answer is graded together with the question's earlier answers (a declined
        one adds nothing: the question's grading stands). Where a model grader returns
        ``unscored``, the offline grader's score is attached to stand in. Raises
        ``RuntimeError`` when no question is pending or the round has ended, ``ValueError``
        for empty text, and whatever the grader raises (e.g. a model server that went away)."""
        self._check_open()
        if self.pending is None:
            raise RuntimeError("no question is waiting for an answer")
        if not text.strip():
            raise ValueError("the answer is empty")
        thread = self.threads[-1]
        earlier = [e for e in thread.exchanges if e.answer is not None]
        if is_declined(text) and earlier and earlier[-1].graded:
            return earlier[-1].graded
        combined = PART_SEPARATOR.join([e.answer for e in earlier if not e.declined] + [text])  # type: ignore[misc]
        # graded against the bank question, whatever words the interviewer used to ask it
        kw = {"rubric": self.rubric, "level": self.level, "question": thread.question.text}
        score = self.grader.grade(combined, **kw)
        offline = None
        if score.status == "unscored" and self.grader.info.name != "offline":
            offline = self.offline_grader.grade(combined, **kw)
        return Graded(combined, score, offline)

    def record_answer(self, text: str, graded: Graded, seconds: float | None = None) -> Exchange:
        """Record ``text`` as the answer to the pending turn with its grading (from
        :meth:`grade`) and ``seconds`` taken to answer; saved at once. Raises ``RuntimeError``
        when no question is pending or the round has ended."""
        self._check_open()
        if self.pending is None:
            raise RuntimeError("no question is waiting for an answer")
        ex = self._apply_answer(text, graded, seconds)
        attempt = self.threads[-1].attempt
        self._save(role="candidate", kind="answer", text=text, question_id=ex.plan.question.id, criterion_id=ex.plan.criterion_id,
                   score=graded.score.model_dump(mode="json"), graded_text=graded.text if graded.text != text else None,
                   offline=graded.offline.model_dump(mode="json") if graded.offline else None, seconds=seconds,
                   attempt=attempt if attempt > 1 else None)
        return ex

    def _apply_answer(self, text: str, graded: Graded, seconds: float | None) -> Exchange:
        ex = self.pending
        assert ex is not None
        ex.answer, ex.graded, ex.seconds = text, graded, seconds
        if is_declined(text):
            ex.declined = True
            if ex.plan.criterion_id:
                self.threads[-1].declined.add(ex.plan.criterion_id)
        return ex

    @property
    def answered(self) -> int:
        """Answers recorded in this session, every attempt counted."""
        def count(t: Thread | None) -> int:
            return 0 if t is None else sum(1 for e in t.exchanges if e.answer is not None) + count(t.previous)

        return sum(count(t) for t in self.threads)

    def discard_if_empty(self) -> bool:
        """Delete the stored session when no answer was given in it (a round nobody answered
        is not history); True when it was deleted. A finished round of a loop is kept."""
        if self.store is None or self.answered or (self.loop_id and self.ended):
            return False
        self.store.delete_session(self.id)
        return True

    def answer(self, text: str, seconds: float | None = None) -> AnswerScore:
        """Grade ``text`` for the pending turn and record it (:meth:`grade`, then
        :meth:`record_answer`); returns the question's score after it. Raises as they do."""
        return self.record_answer(text, self.grade(text), seconds).score  # type: ignore[return-value]

    def pace(self, ex: Exchange) -> Pace:
        """The answer's time and length against the round's target (``ex`` must be answered)."""
        return Pace.of(self.round, ex.answer or "", ex.seconds)

    def finish(self) -> Scorecard:
        """End the round and return (and save) its scorecard. Nothing is recorded after it."""
        card = self.scorecard()
        if self.store and not self.ended:
            self.store.end_session(self.id, card.model_dump(mode="json"))
        self.ended = True
        return card

    def _check_open(self) -> None:
        if self.ended:
            raise RuntimeError("the round has ended")

    def _save(self, **kw) -> None:
        self.seq += 1
        if self.store:
            self.store.add_turn(self.id, self.seq, **kw)

    # ------------------------------------------------------------------ scorecard

    def scorecard(self) -> Scorecard:
        """Per criterion, each question's score on its combined answer, averaged over the
        questions; per question, its overall as the panel showed it; the round's overall is the
        mean of those question overalls, mapped to a hire band."""
        given = [e for t in self.threads for e in t.exchanges if e.answer is not None]
        answered = [e for e in given if e.graded and not e.declined]  # a decline repeats the grading before it
        results = []
        for c in self.rubric.criteria:
            per_q = [s for s in (t.criterion_score(c.id) for t in self.threads) if s is not None]
            results.append(CriterionResult(id=c.id, name=c.name, weight=c.weight,
                                           score=round(sum(per_q) / len(per_q), 2) if per_q else None, scored_in=len(per_q)))
        questions = [QuestionResult(question_id=t.question.id, text=t.question.text, score=t.score.overall.score,
                                    band=t.score.overall.band, off_question=t.score.off_question)
                     for t in self.threads if t.score and t.score.overall.score is not None]
        overall = Overall()
        if questions:
            mean = round(sum(q.score for q in questions) / len(questions), 2)
            band = hire_band(mean)
            overall = Overall(score=mean, band=band, band_name=BAND_NAMES[band], mean=mean)
        strongest, weakest = self._highlights(results)
        return Scorecard(
            session_id=self.id, round=self.round, level=self.level, rubric_id=self.rubric.id, rubric_version=self.rubric.version,
            grader=self.grader_name, questions=len(self.threads), answers=len(answered),
            unscored=sum(1 for e in answered if e.score.status == "unscored"), criteria=results, overall=overall,  # type: ignore[union-attr]
            question_scores=questions, strongest=strongest, weakest=weakest, practice_next=self._practice(results),
            off_question=sum(1 for q in questions if q.off_question),
            caveat=next((e.score.grader.caveat for e in answered if e.score and e.score.grader.caveat), None), declined=sum(1 for e in given if e.declined),
            flagged=sum(1 for e in answered if e.score.flags),  # type: ignore[union-attr]
            offline_scored=sum(1 for e in answered if e.graded.model_failed),  # type: ignore[union-attr]
            rambling=sum(1 for e in answered if self.pace(e).rambling),
        )

    def _highlights(self, results: list[CriterionResult]) -> tuple[list[Highlight], list[Highlight]]:
        """The strongest quotes (a 3 or 4, one per criterion) and, for each of the three lowest
        bars under 3, what held it down in the question where it scored lowest."""
        scored = [t for t in self.threads if t.score]
        best: list[tuple[int, Evidence, str, str, str]] = []
        for t in scored:
            for cs in t.score.criteria:  # type: ignore[union-attr]
                for ev in cs.evidence:
                    if ev.effect == "support" and cs.score and cs.score >= 3:
                        best.append((cs.score, ev, cs.id, cs.name, t.question.text))
        best.sort(key=lambda b: (-b[0], -len(b[1].quote)))
        strongest, seen, quoted = [], set(), set()
        for score, ev, cid, name, q in best:
            if cid in seen or (q, ev.start) in quoted:  # one criterion each, and never the same words twice
                continue
            seen.add(cid)
            quoted.add((q, ev.start))
            strongest.append(Highlight(criterion_id=cid, criterion_name=name, score=score, quote=ev.quote, signal=ev.signal, question=q))
            if len(strongest) == 3:
                break
        weakest = []
        for r in sorted((r for r in results if r.score is not None and r.score < 3), key=lambda r: (r.score, -r.weight))[:3]:
            cs, t = min(((t.score.criterion(r.id), t) for t in scored if t.criterion_score(r.id) is not None),  # type: ignore[union-attr]
                        key=lambda x: x[0].score)
            against = [ev for ev in cs.evidence if ev.effect == "against"]
            support = [ev for ev in cs.evidence if ev.effect == "support"]
            if against:
                quote, signal = against[0].quote, against[0].signal
            elif support:
                quote, signal = support[0].quote, "some evidence, not enough for a 3"
            else:
                quote, signal = None, "no evidence in the answer"
            weakest.append(Highlight(criterion_id=r.id, criterion_name=r.name, score=r.score, quote=quote, signal=signal,
                                     question=t.question.text))
        return strongest, weakest

    def _practice(self, results: list[CriterionResult]) -> list[str]:
        scored = [r for r in results if r.score is not None]
        low = sorted((r for r in scored if r.score < 3.5), key=lambda r: (r.score, -r.weight))[:3]  # type: ignore[operator]
        out = []
        for r in low:
            c = self.rubric.criterion(r.id)
            out.append(f"{c.name} ({r.score:.1f}/4): aim for \"{c.anchor(4, self.level)}\" Practise with: {c.probes[0]}")
        if scored and not out:
            out.append("Every criterion is at a strong-hire level: practise a harder question or the next level up.")
        return out


def bank_question(round_id: str, question_id: str) -> Question:
    """The question ``question_id`` of ``round_id``'s bank, at any level. Raises ``ValueError``
    naming it when the bank has no such question."""
    for q in load_question_bank().rounds.get(round_id, []):  # type: ignore[call-overload]
        if q.id == question_id:
            return q
    raise ValueError(f"question {question_id!r} is no longer in the {round_id} question bank")


def short_quote(quote: str, limit: int = 60) -> str:
    """The longest clause of ``quote`` (verbatim, without a leading "and"/"but"/"so"), cut to
    at most ``limit`` characters at a word boundary with an ellipsis."""
    clauses = [c for c in re.split(r"(?<=[,;:.!?])\s+", " ".join(quote.split())) if c]
    clause = re.sub(r"^(?:and|but|so|then)\s+", "", max(clauses, key=len), flags=re.I) if clauses else quote
    return clip(clause.rstrip(",;:"), limit)
