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

#: a question is read as asking for a story type when the question model gives it at least this probability
QUESTION_TYPE_MIN = 0.5
#: a theme is shown when its probability is at least this
THEME_MIN = 0.5


class StoryModel(BaseModel):
    """The fitted story models: a ``vocab``, ``types`` (multiclass over the six types and
    ``other``), ``themes`` (multilabel over the five theme ids) and ``questions`` (multiclass
    over the six types and ``any``: the story a question asks for)."""

    vocab: Vocabulary
    types: LinearText
    themes: LinearText
    questions: LinearText | None = None


#: the detectors whose findings the story model reads beside the words (``det:<id>``): what a
#: story is about shows in owned mistakes, blame, candid feedback, options, incidents handled
STORY_DETECTORS = ("owns_mistake", "blame_shift", "candid_feedback", "group_decision", "approval_seeking", "reflection", "no_regret",
                   "quantified_result", "vague_claim", "options_considered", "tradeoff_cost", "decision_rationale", "first_person_decision",
                   "stakeholder_communication", "cross_team_influence", "scope_statement", "failure_handling", "observability",
                   "test_cases", "unit_tests", "code_function", "star_task", "star_result", "specific_episode", "generic_statement",
                   "slogan", "empty_claim")


def story_features(t: Text, skip: set[int] = frozenset()) -> tuple[str, list[str]]:
    """A story's text as the story model reads it (units in ``skip`` left out) and its extra
    features: ``det:<id>`` for each of :data:`STORY_DETECTORS` that found something."""
    from interviewer.grading.evidence import run

    spans = [sp for i, sp in enumerate(units(t)) if i not in skip]
    _, found = run(t, STORY_DETECTORS)
    kept = [f"det:{did}" for did, fs in found.items() if any(any(s <= f.start < e for s, e in spans) for f in fs)]
    return "\n".join(t.masked[s:e] for s, e in spans), kept


def reading(model: StoryModel, t: Text, skip: set[int] = frozenset()) -> tuple[StoryRead, dict[str, float]]:
    """The story ``t`` tells (units whose index is in ``skip`` are left out: text addressed to
    the grader, sentences outside the story) and the probability of every story type, read once.
    The story's evidence: up to two units that weigh most towards the type, quoted whole."""
    spans = [sp for i, sp in enumerate(units(t)) if i not in skip]
    text, extra = story_features(t, skip)
    vec = model.vocab.vector(text, extra)
    probs = model.types.proba(vec)
    best = max(range(len(probs)), key=probs.__getitem__)
    label = model.types.labels[best]
    themes = [th for th, p in zip(model.themes.labels, model.themes.proba(vec)) if p >= THEME_MIN]
    scored = []
    for s, e in spans:
        uv = model.vocab.vector(t.masked[s:e])
        contribution = sum(v * model.types.weight(term, best) for term, v in uv.items())
        if contribution > 0:
            scored.append((contribution, s, e))
    scored.sort(reverse=True)
    evidence = [Evidence(quote=t.raw[s:e], start=s, end=e, signal=f"marks the story as {_name(label)}")
                for _, s, e in sorted(scored[:2], key=lambda x: x[1])]
    story = StoryRead(type=label, confidence=round(probs[best], 3), themes=themes, evidence=evidence)
    return story, dict(zip(model.types.labels, probs))


def type_probs(model: StoryModel, text: str | Text) -> dict[str, float]:
    """The model's probability of each story type (and ``other``) for ``text`` (a str, or a
    prepared :class:`Text`)."""
    from interviewer.grading.read import prepare

    words, extra = story_features(text if isinstance(text, Text) else prepare(text))
    return dict(zip(model.types.labels, model.types.proba(model.vocab.vector(words, extra))))


def question_types(model: StoryModel, question: str) -> list[str]:
    """The story types a question that is not in the bank asks for: those the question model
    gives at least :data:`QUESTION_TYPE_MIN`, most likely first; none when any story would do
    (the model's ``any``) or it cannot tell."""
    if model.questions is None:
        return []
    probs = dict(zip(model.questions.labels, model.questions.proba(model.vocab.vector(question))))
    best = max(probs, key=probs.__getitem__)
    if best == "any":
        return []
    return [t for t, p in sorted(probs.items(), key=lambda kv: -kv[1]) if t != "any" and p >= QUESTION_TYPE_MIN]


def _name(type_id: str) -> str:
    from interviewer.scoring import STORY_TYPE_NAMES

    return STORY_TYPE_NAMES.get(type_id, type_id)
