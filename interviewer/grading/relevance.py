"""Whether an answer addresses the question asked: a fitted, measured component.

The answer is compared with the question as a TF-IDF vector (:mod:`.vectors`): the question's
words, and for a bank question also what it asks, its topic and the words an answer to it would
use (``rubrics/questions.yaml``). The comparison is relative: how much closer the answer is to
this question than to the other questions of the same round (a design of a rate limiter is
close to "design a rate limiter" and far from "design a notification system"). For story rounds
the answer's story type (:mod:`.story`) is compared with the types the question asks for.

:class:`RelevanceModel` is a logistic model over those features, fitted (:mod:`.fit`) on pairs
made from labelled answers: each answer with its own question, and with another question of its
round that it does not answer. ``threshold`` is set on out-of-fold probabilities so that answers
to their own question are rarely called off the question; precision and recall are reported.
"""

from __future__ import annotations

import math

from pydantic import BaseModel

from interviewer.grading.linear import LinearModel
from interviewer.grading.vectors import Vocabulary, cosine
from interviewer.rubrics import Question, QuestionBank, Rubric, load_question_bank
from interviewer.scoring import STORY_TYPE_NAMES, QuestionRead, Relevance, StoryRead, clip

#: answers shorter than this many words are not judged (too little to compare)
MIN_WORDS = 25


class RelevanceModel(BaseModel):
    """The fitted relevance model: its ``vocab``, the ``linear`` part of a logistic model over the
    features of :func:`features`, and the probability below which an answer is off the question."""

    vocab: Vocabulary
    linear: LinearModel
    threshold: float


def question_text(q: Question) -> str:
    """A bank question as the relevance model reads it: its words, what it asks, its topic and
    the words an answer to it would use."""
    return " ".join(filter(None, [q.text, q.asks, q.topic, " ".join(q.topic_terms)]))


def round_questions(bank: QuestionBank, rubric: Rubric) -> list[Question]:
    """The bank questions an answer graded with ``rubric`` is compared against: its round's, or
    for the STAR-story rubric the behavioral and hiring manager ones."""
    rounds = ("behavioral", "hiring_manager") if rubric.round == "story" else (rubric.round,)
    return [q for r in rounds for q in bank.rounds.get(r, [])]  # type: ignore[call-overload]


def features(vocab: Vocabulary, answer: str, question: QuestionRead, rubric: Rubric, story: StoryRead | None,
             story_probs: dict[str, float] | None, bank: QuestionBank | None = None) -> tuple[dict[str, float], Question | None]:
    """The relevance model's inputs for ``answer`` to ``question`` (name -> value), and the other
    bank question of the round the answer is closest to (None when none is closer than the one
    asked)."""
    bank = bank or load_question_bank()
    a = vocab.vector(answer)
    own_bank = bank.get(question.bank_id) if question.bank_id else None
    qv = vocab.vector(question_text(own_bank) if own_bank else (question.text or ""))
    sim = cosine(a, qv)
    others = [(cosine(a, _qvec(vocab, q)), q) for q in round_questions(bank, rubric) if q.id != question.bank_id]
    sims = [s for s, _ in others] or [0.0]
    mean = sum(sims) / len(sims)
    std = math.sqrt(sum((s - mean) ** 2 for s in sims) / len(sims))
    best_other, best_q = max(others, key=lambda x: x[0]) if others else (0.0, None)
    x = {
        "sim": sim,
        "gap": sim - best_other,
        "z": (sim - mean) / (std + 0.02),
        "rank": sum(s < sim for s in sims) / len(sims),
        f"round:{rubric.id}": 1.0,
    }
    if question.story_types and story_probs:
        x["typed"] = 1.0
        x["type_match"] = sum(story_probs.get(t, 0.0) for t in question.story_types)
    return x, (best_q if best_other > sim else None)


_QVECS: dict[tuple[int, str], dict[str, float]] = {}


def _qvec(vocab: Vocabulary, q: Question) -> dict[str, float]:
    """A bank question's vector, computed once per vocabulary."""
    key = (id(vocab), question_text(q))
    got = _QVECS.get(key)
    if got is None:
        got = _QVECS[key] = vocab.vector(key[1])
    return got


def assess(model: RelevanceModel, answer: str, words: int, question: QuestionRead, rubric: Rubric, story: StoryRead | None,
           story_probs: dict[str, float] | None) -> Relevance | None:
    """Whether ``answer`` (``words`` long) addresses ``question``; None when there is no question
    to compare with or the answer is too short to judge."""
    if not question.text or words < MIN_WORDS:
        return None
    x, closer = features(model.vocab, answer, question, rubric, story, story_probs)
    p = 1.0 / (1.0 + math.exp(-model.linear.predict(x)))
    addresses = p >= model.threshold
    return Relevance(addresses=addresses, probability=round(p, 3), reason=_reason(addresses, question, story, closer))


def _reason(addresses: bool, question: QuestionRead, story: StoryRead | None, closer: Question | None) -> str:
    if addresses:
        return "the answer addresses the question asked"
    asked = clip(question.text or "", 90)
    if question.story_types and story is not None and story.type not in question.story_types:
        wanted = " or ".join(STORY_TYPE_NAMES[t] for t in question.story_types)
        return f"the question asks for {wanted} (“{asked}”); the answer tells {STORY_TYPE_NAMES.get(story.type, story.type)}"
    if closer is not None:
        return f"the answer reads as an answer to “{clip(closer.text, 90)}”, not to the question asked (“{asked}”)"
    return f"the answer does not take up what the question asks (“{asked}”)"
