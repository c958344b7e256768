"""Which story an answer tells: its story type among the six the seeds name, and its culture themes.

The seeds (001_7dc7f7af5065ad9c.txt) say to prepare six stories before a loop: a hard technical
trade-off, a production incident, a conflict with a peer or product partner, a time you changed
your mind, a project that missed its goal, and a case where you raised the bar for a team; and
to show the culture's themes (ownership, individual judgment over consensus, candid feedback,
freedom and responsibility, context over control; also 002_9b518ee3c5b94179.txt and
004_dbb4a9cf52099089.txt) rather than name them.

:class:`StoryModel` is fitted (:mod:`.fit`) on stories labelled with their type and themes; it
reads an answer's words as a TF-IDF vector and gives a probability per type (``other`` when it
is none of the six) and per theme. The evidence for the type is the units (sentences) that
weigh most towards it. The same model reads a question that is not in the bank for the story
types it asks for.
"""

from __future__ import annotations

from pydantic import BaseModel

from interviewer.grading.read import Text, units
from interviewer.grading.vectors import LinearText, Vocabulary
from interviewer.scoring import Evidence, StoryRead

#: a question is read as asking for a story type when the model gives it at least this probability
QUESTION_TYPE_MIN = 0.6
#: a theme is shown when its probability is at least this
THEME_MIN = 0.5


class StoryModel(BaseModel):
    """The fitted story models: a ``vocab``, ``types`` (multiclass over the six types and
    ``other``) and ``themes`` (multilabel over the five theme ids)."""

    vocab: Vocabulary
    types: LinearText
    themes: LinearText


def read_story(model: StoryModel, t: Text, skip: set[int] = frozenset()) -> StoryRead:
    """The story ``t`` tells (units whose index is in ``skip`` are left out: text addressed to
    the grader, sentences outside the story). Evidence: up to two units that weigh most towards
    the type, quoted whole."""
    spans = [sp for i, sp in enumerate(units(t)) if i not in skip]
    text = "\n".join(t.masked[s:e] for s, e in spans)
    vec = model.vocab.vector(text)
    probs = model.types.proba(vec)
    best = max(range(len(probs)), key=probs.__getitem__)
    label = model.types.labels[best]
    themes = [th for th, p in zip(model.themes.labels, model.themes.proba(vec)) if p >= THEME_MIN]
    weights = model.types.coef
    scored = []
    for s, e in spans:
        uv = model.vocab.vector(t.masked[s:e])
        contribution = sum(v * weights[term][best] for term, v in uv.items() if term in weights)
        if contribution > 0:
            scored.append((contribution, s, e))
    scored.sort(reverse=True)
    evidence = [Evidence(quote=t.raw[s:e], start=s, end=e, signal=f"marks the story as {_name(label)}")
                for _, s, e in sorted(scored[:2], key=lambda x: x[1])]
    return StoryRead(type=label, confidence=round(probs[best], 3), themes=themes, evidence=evidence)


def type_probs(model: StoryModel, text: str) -> dict[str, float]:
    """The model's probability of each story type (and ``other``) for ``text``."""
    return dict(zip(model.types.labels, model.types.proba(model.vocab.vector(text))))


def question_types(model: StoryModel, question: str) -> list[str]:
    """The story types a question that is not in the bank asks for: the one the model reads
    with probability of at least :data:`QUESTION_TYPE_MIN`, else none (any story)."""
    probs = model.types.proba(model.vocab.vector(question))
    best = max(range(len(probs)), key=probs.__getitem__)
    label = model.types.labels[best]
    return [label] if probs[best] >= QUESTION_TYPE_MIN and label != "other" else []


def _name(type_id: str) -> str:
    from interviewer.scoring import STORY_TYPE_NAMES

    return STORY_TYPE_NAMES.get(type_id, type_id)
