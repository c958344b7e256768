"""A story inventory: a candidate's bank of behavioral stories against the six the seeds ask for.

001_7dc7f7af5065ad9c.txt: "prepare six stories before the loop" - a hard technical trade-off, a
production incident, a conflict with a peer or product partner, a time you changed your mind, a
project that missed its goal, a case where you raised the bar - each cut to about three
minutes; 004_dbb4a9cf52099089.txt: tell them as "I decided", not "we aligned".

:func:`inventory` reads each story (one per file, or several under ``## `` headings: the inputs of
``interviewer grade``), grades it on the STAR-story rubric, reads its story type and culture
themes (:mod:`interviewer.grading.story`), and flags what coaches flag in a story bank: the same
story told twice, a story told mostly as "we", one too long to tell in about three minutes.
Then the coverage: per type, the stories that cover it and the strongest; the types with no
story or only weak ones; and what to write next. UI-free: the CLI and the practice app render it.
"""

from __future__ import annotations

import re
from typing import Iterable

from pydantic import BaseModel, Field

from interviewer.batch import InputError, Item
from interviewer.scoring import STORY_TYPE_NAMES, STORY_TYPES, THEME_NAMES, AnswerScore, Evidence, StoryRead

#: a story told in about three minutes at 150 words a minute (001_7dc7f7af5065ad9c.txt: "cut each to three minutes")
MAX_WORDS = 450
#: a story whose first-person words are at least this share "we"/"our"/"us" is told mostly as "we"
WE_SHARE = 0.8
#: two stories whose words overlap this much (cosine of their TF-IDF vectors) are the same story told twice
DUPLICATE_SIMILARITY = 0.45
#: a type whose best story is below this band (lean hire) is covered only weakly
STRONG_BAND = 3

_WE = re.compile(r"\b(?:we|we['’](?:re|ve|d|ll)|our|ours|us|ourselves)\b", re.I)
_I = re.compile(r"\b(?:I|I['’](?:m|ve|d|ll)|my|mine|me|myself)\b")


class StoryEntry(BaseModel):
    """One story of the bank: its ``id`` (file name, plus the heading's slug when a file holds
    several), its ``story_type`` (one of the six, or ``other``) with ``confidence`` (0-1) and the
    sentences that mark it (``type_evidence``), its culture ``themes``, its grade on the STAR
    rubric (``overall`` 1.0-4.0 and ``band`` 1-4, None when too short to grade), its length in
    ``words``, and the flags: ``too_long`` (over :data:`MAX_WORDS`), ``we_heavy`` (told mostly
    as "we"; ``we_share`` 0-1), ``duplicate_of`` (the id of the same story told earlier)."""

    id: str
    source: str
    story_type: str
    confidence: float
    type_evidence: list[Evidence] = Field(default_factory=list)
    themes: list[str] = Field(default_factory=list)
    overall: float | None = None
    band: int | None = None
    band_name: str | None = None
    weakest: list[str] = Field(default_factory=list, description="names of its lowest-scored criteria (below 3)")
    words: int
    too_long: bool
    we_share: float
    we_heavy: bool
    duplicate_of: str | None = None


class TypeCoverage(BaseModel):
    """One story type across the bank: the ids of the stories of that type, the strongest one and
    its band, and ``status``: ``covered`` (a story at lean hire or better), ``weak`` (stories, all
    below it) or ``missing``."""

    stories: list[str] = Field(default_factory=list)
    best: str | None = None
    best_band: int | None = None
    status: str = "missing"


class Inventory(BaseModel):
    """The story bank: ``stories``; ``coverage`` (story type -> :class:`TypeCoverage`, the six
    types in the seeds' order); ``missing`` (types with no story), ``weak_only`` (types covered
    only by weak stories); ``next`` (what to write or rework next, one line each); and
    ``errors`` (inputs that could not be read)."""

    stories: list[StoryEntry]
    coverage: dict[str, TypeCoverage]
    missing: list[str]
    weak_only: list[str]
    next: list[str]
    errors: list[str] = Field(default_factory=list)

    @property
    def uncovered(self) -> list[str]:
        """The types to practise first: missing, then covered only weakly."""
        return self.missing + self.weak_only


def we_share(text: str) -> float:
    """The share (0-1) of first-person words that are plural ("we", "our", "us")."""
    we, i = len(_WE.findall(text)), len(_I.findall(text))
    return we / (we + i) if we + i else 0.0


def inventory(items: Iterable[Item | InputError], *, grader=None, level: str = "L5") -> Inventory:
    """The inventory of ``items`` (stories from :func:`interviewer.batch.read_inputs`), graded on
    the STAR-story rubric at ``level`` by ``grader`` (default: the offline grader). The story
    type and themes are always read by the offline story model. Raises
    :class:`~interviewer.grading.model.CalibrationError` for an unusable calibration."""
    from interviewer.grading import OfflineGrader
    from interviewer.grading.read import prepare
    from interviewer.grading.story import reading
    from interviewer.rubrics import get_rubric

    offline = grader if isinstance(grader, OfflineGrader) else OfflineGrader()
    grader = grader or offline
    rubric = get_rubric("star_story")
    model = offline.calibration.story
    entries: list[StoryEntry] = []
    errors: list[str] = []
    vectors = []
    for it in items:
        if isinstance(it, InputError):
            errors.append(it.message)
            continue
        t = prepare(it.answer)
        if model is not None:
            story, _ = reading(model, t)
        else:
            story = StoryRead(type="other", confidence=0.0)
        score: AnswerScore | None = None
        if t.words >= rubric.min_words:
            score = grader.grade(it.answer, rubric=rubric, level=it.level or level, question=it.question)
        scored = score is not None and score.status == "scored"
        share = we_share(it.answer)
        entries.append(StoryEntry(
            id=it.id, source=it.source, story_type=story.type, confidence=story.confidence, type_evidence=story.evidence,
            themes=list(story.themes), overall=score.overall.score if scored else None, band=score.overall.band if scored else None,
            band_name=score.overall.band_name if scored else None,
            weakest=[c.name for c in sorted(score.criteria, key=lambda c: c.score or 0) if c.score is not None and c.score < 3][:2] if scored else [],
            words=t.words, too_long=t.words > MAX_WORDS, we_share=round(share, 2), we_heavy=share >= WE_SHARE))
        vectors.append(model.vocab.vector(it.answer) if model is not None else {})
    _mark_duplicates(entries, vectors)
    return _cover(entries, errors)


def _mark_duplicates(entries: list[StoryEntry], vectors: list[dict[str, float]]) -> None:
    """Mark a story as a retelling of an earlier one when their words overlap (see
    :data:`DUPLICATE_SIMILARITY`)."""
    from interviewer.grading.vectors import cosine

    for j in range(len(entries)):
        best, at = 0.0, None
        for i in range(j):
            if entries[i].duplicate_of is None:
                sim = cosine(vectors[i], vectors[j])
                if sim > best:
                    best, at = sim, i
        if at is not None and best >= DUPLICATE_SIMILARITY:
            entries[j].duplicate_of = entries[at].id


def _cover(entries: list[StoryEntry], errors: list[str]) -> Inventory:
    coverage = {t: TypeCoverage() for t in STORY_TYPES}
    for e in entries:
        if e.story_type in coverage and e.duplicate_of is None:
            cov = coverage[e.story_type]
            cov.stories.append(e.id)
            if e.band is not None and (cov.best_band is None or e.band > cov.best_band or
                                       (e.band == cov.best_band and (e.overall or 0) > _overall(entries, cov.best))):
                cov.best, cov.best_band = e.id, e.band
    for cov in coverage.values():
        if cov.stories:
            cov.status = "covered" if (cov.best_band or 0) >= STRONG_BAND else "weak"
    missing = [t for t, c in coverage.items() if c.status == "missing"]
    weak = [t for t, c in coverage.items() if c.status == "weak"]
    nxt = [f"Write a story about {STORY_TYPE_NAMES[t]}: {_PROMPTS[t]}" for t in missing]
    for t in weak:
        best = next(e for e in entries if e.id == (coverage[t].best or coverage[t].stories[0]))
        gaps = f" (weakest: {', '.join(best.weakest)})" if best.weakest else ""
        nxt.append(f"Rework {best.id} or write a stronger story about {STORY_TYPE_NAMES[t]}{gaps}.")
    for e in entries:
        if e.duplicate_of:
            nxt.append(f"{e.id} tells the same story as {e.duplicate_of}: replace it with a story of a type you lack.")
        if e.we_heavy:
            nxt.append(f"{e.id} is told mostly as \"we\" ({e.we_share:.0%} of its first-person words): say what you decided and did.")
        if e.too_long:
            nxt.append(f"{e.id} runs {e.words} words, over three minutes spoken: cut the context, keep your decision and the result.")
    return Inventory(stories=entries, coverage=coverage, missing=missing, weak_only=weak, next=nxt, errors=errors)


def _overall(entries: list[StoryEntry], story_id: str | None) -> float:
    return next((e.overall or 0.0 for e in entries if e.id == story_id), 0.0)


#: what each story type asks for, paraphrasing 001_7dc7f7af5065ad9c.txt (the six stories, each with the
#: situation, your role, the options, the decision, the result and what you would change)
_PROMPTS = {
    "technical_tradeoff": "the options you weighed, the one you chose and what it cost.",
    "production_incident": "from the first alert to the follow-up work, and your part in it.",
    "conflict": "a disagreement with a peer or product partner, said directly, and how it ended.",
    "changed_mind": "what you had committed to, what changed your mind, and what you did then.",
    "missed_goal": "the goal, your part in the miss, and what you do differently now.",
    "raised_bar": "the standard you set or enforced, and what enforcing it cost.",
}


def theme_names(themes: list[str]) -> str:
    """The themes' names, comma-separated ("" for none)."""
    return ", ".join(THEME_NAMES.get(t, t) for t in themes)


class StoryPlan(BaseModel):
    """A practice round planned from a story bank: the ``question_ids`` to ask (those asking for
    the story types the bank leaves uncovered or weak first) and the ``message`` saying so."""

    round: str
    level: str
    uncovered: list[str]
    question_ids: list[str]
    message: str


def practice_plan(inv: Inventory, *, round_id: str = "behavioral", level: str = "L5", questions: int = 3,
                  seed: int | None = None) -> StoryPlan:
    """The round's bank questions at ``level`` whose story types the inventory leaves missing,
    then weak, first (in a shuffled order that ``seed`` fixes), ``questions`` of them (1-10)."""
    import random

    from interviewer.rubrics import load_question_bank

    order = {t: i for i, t in enumerate(inv.uncovered)}
    pool = load_question_bank().for_round(round_id, level)
    random.Random(seed).shuffle(pool)
    pool.sort(key=lambda q: min((order[t] for t in q.story_types if t in order), default=len(order)))
    chosen = pool[: max(1, min(questions, len(pool)))]
    asked = [t for t in inv.uncovered if any(t in q.story_types for q in chosen)]
    if not inv.uncovered:
        message = "Your stories cover all six types with a lean-hire story or better: a normal round."
    else:
        def listed(types: list[str]) -> str:
            names = [STORY_TYPE_NAMES[t] for t in types]
            return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]

        parts = [f"no story of {listed(inv.missing)}"] if inv.missing else []
        parts += [f"only weak ones of {listed(inv.weak_only)}"] if inv.weak_only else []
        hit = listed(asked) if asked else "none of them (the bank has no such question at this level)"
        message = f"Your stories have {'; '.join(parts)}. The first questions ask for {hit}."
    return StoryPlan(round=round_id, level=level, uncovered=inv.uncovered, question_ids=[q.id for q in chosen], message=message)
