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
from typing import AsyncIterator, Literal, Protocol

from pydantic import BaseModel

from interviewer.rubrics import LEVELS, ROUNDS, Question, Rubric, load_question_bank, rubric_for_round
from interviewer.scoring import AnswerScore, Evidence, Grader, OfflineGrader, Overall
from interviewer.storage import Store

#: at most this many follow-ups (probes) per question
MAX_FOLLOW_UPS = 2
#: questions in a round unless the caller asks for another number
DEFAULT_QUESTIONS = 3

ROUND_NAMES = {
    "recruiter_screen": "Recruiter screen",
    "coding": "Coding",
    "system_design": "System design",
    "behavioral": "Behavioral / culture",
    "hiring_manager": "Hiring manager",
}

_DECLINE = re.compile(
    r"^\W*(?:i\s+)?(?:(?:really\s+)?don['’]?t\s+know|pass|skip|no\s+idea|not\s+sure|i['’]?d\s+rather\s+not|rather\s+not|nothing\s+to\s+add|"
    r"can['’]?t\s+(?:say|think|remember|recall)|no\s+comment|next(?:\s+question)?|i\s+have\s+nothing|none|n/?a|no)\b",
    re.IGNORECASE,
)


def is_declined(answer: str) -> bool:
    """True for a short answer that declines the question ("I don't know", "pass", "skip")."""
    return len(answer.split()) <= 15 and bool(_DECLINE.match(answer))


@dataclass(frozen=True)
class TurnPlan:
    """What the interviewer will ask next: a ``question`` from the bank or a ``follow_up``
    probing ``criterion_id``. ``text`` is the scripted wording; an LLM interviewer may rephrase."""

    kind: Literal["question", "follow_up"]
    question: Question
    text: str
    criterion_id: str | None = None


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


@dataclass
class Exchange:
    """One turn pair: what the interviewer asked and, once given, the answer and its score.
    ``scripted`` says why the scripted wording was asked instead of the interviewer's own
    words (None when its words stand)."""

    plan: TurnPlan
    asked: str
    answer: str | None = None
    score: AnswerScore | None = None
    declined: bool = False
    scripted: str | None = None


@dataclass
class Thread:
    """A question and its follow-ups."""

    question: Question
    exchanges: list[Exchange] = field(default_factory=list)
    probed: set[str] = field(default_factory=set)
    declined: set[str] = field(default_factory=set)

    @property
    def follow_ups(self) -> int:
        return sum(1 for e in self.exchanges if e.plan.kind == "follow_up")

    def best(self, criterion_id: str) -> int | None:
        """Highest score the criterion got in this thread (a follow-up can fill a gap)."""
        scores = [e.score.criterion(criterion_id).score for e in self.exchanges if e.score and e.score.status == "scored"]
        scores = [s for s in scores if s is not None]
        return max(scores) if scores else None

    def evidenced(self, criterion_id: str) -> bool:
        return any(e.score and e.score.criterion(criterion_id).has_support for e in self.exchanges)


class Highlight(BaseModel):
    """A quote picked for the scorecard, with the criterion and the score it supports."""

    criterion_id: str
    criterion_name: str
    score: int | None
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


class Scorecard(BaseModel):
    """The end of a round: per-criterion scores, overall and hire band, strongest and weakest
    evidence, and what to practise next."""

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
    overall: Overall
    strongest: list[Highlight]
    weakest: list[Highlight]
    practice_next: list[str]
    flagged: int


def new_session_id() -> str:
    return time.strftime("%Y%m%d-%H%M%S") + "-" + secrets.token_hex(3)


class Session:
    """One practice round at a level.

    ``round_id`` is one of :data:`~interviewer.rubrics.ROUNDS`, ``level`` one of ``L4``,
    ``L5``, ``L6``; ``questions`` how many bank questions to ask (1-10). Raises ``ValueError``
    for an unknown round or level.
    """

    def __init__(self, round_id: str, level: str, *, interviewer: Interviewer | None = None, grader: Grader | None = None,
                 store: Store | None = None, questions: int = DEFAULT_QUESTIONS, seed: int | None = None,
                 rubric: Rubric | None = None):
        if round_id not in ROUNDS:
            raise ValueError(f"unknown round {round_id!r}; choose one of: {', '.join(ROUNDS)}")
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; choose one of: {', '.join(LEVELS)}")
        self.id = new_session_id()
        self.round, self.level = round_id, level
        self.rubric = rubric or rubric_for_round(round_id)
        self.interviewer: Interviewer = interviewer or ScriptedInterviewer()
        self.grader: Grader = grader or OfflineGrader()
        self.store = store
        pool = load_question_bank().for_round(round_id, level)
        random.Random(seed).shuffle(pool)
        self.questions = pool[: max(1, min(questions, len(pool)))]
        self.threads: list[Thread] = []
        self.seq = 0
        self.ended = False
        if store:
            store.start_session(self.id, round=round_id, level=level, rubric_id=self.rubric.id, rubric_version=self.rubric.version,
                                interviewer=self.interviewer.name, grader=self.grader.info.model or self.grader.info.name)

    # ------------------------------------------------------------------ flow

    @property
    def pending(self) -> Exchange | None:
        """The exchange waiting for an answer, if any."""
        if self.threads and self.threads[-1].exchanges and self.threads[-1].exchanges[-1].answer is None:
            return self.threads[-1].exchanges[-1]
        return None

    def plan_next(self) -> TurnPlan | None:
        """The next turn: a follow-up on the current question when a criterion still lacks
        evidence (at most :data:`MAX_FOLLOW_UPS`, never a probe already asked or declined),
        else the next question; ``None`` when the round has no more questions."""
        if self.pending:
            return self.pending.plan
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
        targets = set(thread.question.targets) or {c.id for c in self.rubric.criteria}
        gaps = [c for c in self.rubric.criteria
                if c.id not in thread.probed and c.id not in thread.declined and not thread.evidenced(c.id)
                and (last.criterion(c.id).score is not None or last.word_count < self.rubric.min_words)]
        if not gaps:
            return None
        # the weakest gap first; among equals, one the question targets, then the heavier criterion
        gaps.sort(key=lambda c: (thread.best(c.id) or 0, c.id not in targets, -c.weight))
        crit = gaps[0]
        used = {e.asked for e in thread.exchanges}
        text = next((p for p in crit.probes if p not in used), crit.probes[0])
        return TurnPlan("follow_up", thread.question, text, crit.id)

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
        scripted wording stands in for the interviewer's); saved at once."""
        if plan.kind == "question":
            self.threads.append(Thread(plan.question))
        thread = self.threads[-1]
        if plan.criterion_id:
            thread.probed.add(plan.criterion_id)
        ex = Exchange(plan, text, scripted=scripted)
        thread.exchanges.append(ex)
        self._save(role="interviewer", kind=plan.kind, text=text, question_id=plan.question.id, criterion_id=plan.criterion_id)
        return ex

    def answer(self, text: str) -> AnswerScore:
        """Grade the candidate's ``text`` for the pending question and save it.

        Raises ``RuntimeError`` when no question is pending and ``ValueError`` for empty text."""
        ex = self.pending
        if ex is None:
            raise RuntimeError("no question is waiting for an answer")
        if not text.strip():
            raise ValueError("the answer is empty")
        score = self.grader.grade(text, rubric=self.rubric, level=self.level, question=ex.asked)
        ex.answer, ex.score = text, score
        if is_declined(text):
            ex.declined = True
            if ex.plan.criterion_id:
                self.threads[-1].declined.add(ex.plan.criterion_id)
        self._save(role="candidate", kind="answer", text=text, question_id=ex.plan.question.id, criterion_id=ex.plan.criterion_id,
                   score=score.model_dump(mode="json"))
        return score

    def finish(self) -> Scorecard:
        """End the round and return (and save) its scorecard."""
        card = self.scorecard()
        if self.store and not self.ended:
            self.store.end_session(self.id, card.model_dump(mode="json"))
        self.ended = True
        return card

    def _save(self, **kw) -> None:
        self.seq += 1
        if self.store:
            self.store.add_turn(self.id, self.seq, **kw)

    # ------------------------------------------------------------------ scorecard

    def scorecard(self) -> Scorecard:
        """Per criterion, the best score within each question (follow-ups fill gaps), averaged
        over questions; overall is their weighted mean mapped to a hire band."""
        answered = [e for t in self.threads for e in t.exchanges if e.score]
        results = []
        for c in self.rubric.criteria:
            per_q = [t.best(c.id) for t in self.threads]
            per_q = [s for s in per_q if s is not None]
            results.append(CriterionResult(id=c.id, name=c.name, weight=c.weight,
                                           score=round(sum(per_q) / len(per_q), 2) if per_q else None, scored_in=len(per_q)))
        overall = Overall.of([(r.weight, r.score) for r in results])
        strongest, weakest = self._highlights(results)
        return Scorecard(
            session_id=self.id, round=self.round, level=self.level, rubric_id=self.rubric.id, rubric_version=self.rubric.version,
            grader=self.grader.info.model or self.grader.info.name, questions=len(self.threads), answers=len(answered),
            unscored=sum(1 for e in answered if e.score.status == "unscored"), criteria=results, overall=overall,
            strongest=strongest, weakest=weakest, practice_next=self._practice(results),
            flagged=sum(1 for e in answered if e.score.flags),
        )

    def _highlights(self, results: list[CriterionResult]) -> tuple[list[Highlight], list[Highlight]]:
        best: list[tuple[int, Evidence, str, str, str]] = []
        worst: list[Highlight] = []
        for t in self.threads:
            for e in t.exchanges:
                if not e.score or e.score.status != "scored":
                    continue
                for cs in e.score.criteria:
                    for ev in cs.evidence:
                        if ev.effect == "support" and cs.score and cs.score >= 3:
                            best.append((cs.score, ev, cs.id, cs.name, t.question.text))
        best.sort(key=lambda b: (-b[0], -len(b[1].quote)))
        strongest, seen = [], set()
        for score, ev, cid, name, q in best:
            if cid in seen:
                continue
            seen.add(cid)
            strongest.append(Highlight(criterion_id=cid, criterion_name=name, score=score, quote=ev.quote, signal=ev.signal, question=q))
            if len(strongest) == 3:
                break
        low = sorted((r for r in results if r.score is not None), key=lambda r: (r.score, -r.weight))[:3]
        for r in low:
            if r.score is not None and r.score >= 3:
                continue
            quote, signal, question = None, "no evidence in any answer", ""
            for t in self.threads:
                for e in t.exchanges:
                    if e.score and e.score.status == "scored":
                        against = [ev for ev in e.score.criterion(r.id).evidence if ev.effect == "against"]
                        if against and quote is None:
                            quote, signal, question = against[0].quote, against[0].signal, t.question.text
            worst.append(Highlight(criterion_id=r.id, criterion_name=r.name, score=round(r.score), quote=quote, signal=signal, question=question))
        return strongest, worst

    def _practice(self, results: list[CriterionResult]) -> list[str]:
        low = sorted((r for r in results if r.score is not None and r.score < 3.5), key=lambda r: (r.score, -r.weight))[:3]
        out = []
        for r in low:
            c = self.rubric.criterion(r.id)
            out.append(f"{c.name} ({r.score:.1f}/4): aim for \"{c.anchor(4, self.level)}\" Practise with: {c.probes[0]}")
        if not out and results:
            out.append("Every criterion is at a strong-hire level: practise a harder question or the next level up.")
        return out
