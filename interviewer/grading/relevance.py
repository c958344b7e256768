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
from interviewer.grading.vectors import Vocabulary, cosine, tokens
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


def question_text(q: Question, rich: bool = False) -> str:
    """A bank question as the relevance model reads it: its words, and with ``rich`` what it
    asks, its topic, the words an answer to it would use and its example answers."""
    if not rich:
        return q.text
    return " ".join(filter(None, [q.text, q.asks, q.topic, " ".join(q.topic_terms), *_exemplar_texts(q.id)]))


def _exemplar_texts(question_id: str) -> list[str]:
    from interviewer.rubrics import load_exemplars

    try:
        ex = load_exemplars().questions.get(question_id)
    except FileNotFoundError:
        return []
    return [ex.strong.answer, ex.weak.answer] if ex else []


def round_questions(bank: QuestionBank, rubric: Rubric) -> list[Question]:
    """The bank questions an answer graded with ``rubric`` is compared against: its round's, or
    for the STAR-story rubric the behavioral and hiring manager ones."""
    rounds = ("behavioral", "hiring_manager") if rubric.round == "story" else (rubric.round,)
    return [q for r in rounds for q in bank.rounds.get(r, [])]  # type: ignore[call-overload]


#: a bank question sharing at least this share of its content words with the question asked asks
#: much the same: it is read as the same question, not as another one the answer might be closer to
SAME_QUESTION = 0.3


def same_question(a: str, b: str) -> bool:
    """Whether two questions ask much the same (see :data:`SAME_QUESTION`)."""
    x, y = set(tokens(a)), set(tokens(b))
    return bool(x and y) and len(x & y) / len(x | y) >= SAME_QUESTION


def features(vocab: Vocabulary, answer: str, question: QuestionRead, rubric: Rubric, story: StoryRead | None,
             story_probs: dict[str, float] | None, bank: QuestionBank | None = None) -> tuple[dict[str, float], Question | None]:
    """The relevance model's inputs for ``answer`` to ``question`` (name -> value), and the other
    bank question of the round the answer is closest to (None when none is closer than the one
    asked). A bank question that asks much the same as the one asked stands in for it.

    Two comparisons: with the questions' own words (``sim``, ``gap``, ``z``, ``rank``), which
    any question has; and, when the question asked is a bank question, with what each bank
    question asks, its topic and its example answers (``bank_*``)."""
    bank = bank or load_question_bank()
    a = vocab.vector(answer)
    asked = question.text or ""
    pool = round_questions(bank, rubric)
    same = [q for q in pool if q.id == question.bank_id or same_question(q.text, asked)]
    others = [q for q in pool if q not in same]
    x, best_q = _compare(a, vocab.vector(asked), [(vocab.cached_vector(q.text), q) for q in others], "")
    x["words"] = math.log1p(len(answer.split()))
    x[f"round:{rubric.id}"] = 1.0
    if same and others:
        own = vocab.vector(" ".join(question_text(q, rich=True) for q in same))
        xb, best_q = _compare(a, own, [(vocab.cached_vector(question_text(q, rich=True)), q) for q in others], "bank_")
        x.update(xb)
        x["bank"] = 1.0
    if question.story_types and story_probs:
        x["typed"] = 1.0
        x["type_match"] = sum(story_probs.get(t, 0.0) for t in question.story_types)
    return x, best_q


def _compare(a: dict[str, float], own: dict[str, float], others: list[tuple[dict[str, float], Question]],
             prefix: str) -> tuple[dict[str, float], Question | None]:
    """How much closer ``a`` is to ``own`` than to the ``others``: the similarity, its gap to the
    closest other, its z-score among the others and its rank; and the closest other when it is
    closer than ``own``."""
    sim = cosine(a, own)
    sims = [(cosine(a, v), q) for v, q in others] or [(0.0, None)]
    vals = [s for s, _ in sims]
    mean = sum(vals) / len(vals)
    std = math.sqrt(sum((v - mean) ** 2 for v in vals) / len(vals))
    best, best_q = max(sims, key=lambda x: x[0])
    x = {f"{prefix}sim": sim, f"{prefix}gap": sim - best, f"{prefix}z": (sim - mean) / (std + 0.02),
         f"{prefix}rank": sum(v < sim for v in vals) / len(vals)}
    return x, (best_q if best > sim else None)


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
