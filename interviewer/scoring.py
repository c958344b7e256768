"""Scores: the result shapes every grader returns, hire bands, and the offline grader.

A criterion score is an int 1-4 (1 strong no hire, 2 lean no hire, 3 lean hire, 4 strong
hire) or ``None`` with a reason where the answer gives no basis. The overall is the weighted
mean of the scored criteria (a float in 1.0-4.0) mapped to a hire band (1-4).

The "who scores an answer" seam is :class:`Grader`; :class:`OfflineGrader` implements it
with the deterministic detectors in :mod:`interviewer.detectors`.
"""

from __future__ import annotations

import re
from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from interviewer import detectors as det
from interviewer.rubrics import Criterion, Rubric

BAND_NAMES = {1: "strong no hire", 2: "lean no hire", 3: "lean hire", 4: "strong hire"}
#: weighted-mean cut points: below 1.75 is band 1, below 2.5 band 2, below 3.25 band 3, else 4
BAND_CUTS = (1.75, 2.5, 3.25)


def hire_band(overall: float) -> int:
    """Map an overall score (1.0-4.0) to a hire band 1-4."""
    return 1 + sum(overall >= c for c in BAND_CUTS)


class Evidence(BaseModel):
    """A quote from the answer. ``start``/``end``: character offsets (``answer[start:end] == quote``)."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    signal: str = Field(description="what the quote shows, e.g. 'a decision the candidate made personally'")
    effect: Literal["support", "against"] = "support"


class CriterionScore(BaseModel):
    """One criterion's score: ``score`` 1-4, or ``None`` with the reason in ``rationale``."""

    id: str
    name: str
    weight: float
    score: int | None = Field(default=None, ge=1, le=4)
    rationale: str
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def has_support(self) -> bool:
        return any(e.effect == "support" for e in self.evidence)


class Overall(BaseModel):
    """Weighted mean of the scored criteria (1.0-4.0) and its hire band (1-4), or nulls."""

    score: float | None = None
    band: int | None = Field(default=None, ge=1, le=4)
    band_name: str | None = None

    @classmethod
    def of(cls, criteria: list[tuple[float, float | None]]) -> Overall:
        """From (weight, score) pairs; unscored criteria (score None) are left out."""
        scored = [(w, s) for w, s in criteria if s is not None]
        if not scored:
            return cls()
        total = sum(w for w, _ in scored)
        value = round(sum(w * s for w, s in scored) / total, 2)
        band = hire_band(value)
        return cls(score=value, band=band, band_name=BAND_NAMES[band])


class GraderInfo(BaseModel):
    """Which grader produced a score: ``offline`` or a model id, with its settings."""

    name: str
    version: str
    model: str | None = None
    mode: str | None = None
    temperature: float | None = None


class Flag(BaseModel):
    """Something in the answer a reader should know about, e.g. text addressed to the grader."""

    kind: Literal["grader_address"]
    message: str
    evidence: list[Evidence]


class AnswerScore(BaseModel):
    """A graded answer. ``status`` is ``scored`` (``overall`` set) or ``unscored`` with a
    ``reason`` (no basis, or a model output that failed validation, kept in ``raw_output``)."""

    status: Literal["scored", "unscored"]
    reason: str | None = None
    rubric_id: str
    rubric_version: int
    level: str
    grader: GraderInfo
    overall: Overall
    criteria: list[CriterionScore]
    flags: list[Flag] = Field(default_factory=list)
    word_count: int = 0
    raw_output: str | None = None

    def criterion(self, criterion_id: str) -> CriterionScore:
        return next(c for c in self.criteria if c.id == criterion_id)


@runtime_checkable
class Grader(Protocol):
    """Who scores an answer. ``grade`` returns an :class:`AnswerScore` for ``answer`` (a str)
    against ``rubric`` at ``level`` (``L4``/``L5``/``L6``); it never invents a score: where it
    cannot score it returns ``status='unscored'`` with the reason."""

    info: GraderInfo

    def grade(self, answer: str, *, rubric: Rubric, level: str, question: str | None = None) -> AnswerScore: ...


_GRADER_FLAG = "text addressed to the grader was ignored for scoring"


class OfflineGrader:
    """Deterministic grader: detector findings -> points -> 1-4 per criterion.

    For each criterion, supporting findings add ``weight`` x strength (up to ``max_count``
    findings per detector), opposing findings subtract likewise; the net is compared with the
    criterion's thresholds for the level, then caps apply (e.g. no number in the answer caps
    the measurable-outcome criterion at 2). Text addressed to the grader is blanked before any
    detector runs and reported as a flag.
    """

    def __init__(self) -> None:
        from interviewer import __version__

        self.info = GraderInfo(name="offline", version=__version__)

    def grade(self, answer: str, *, rubric: Rubric, level: str, question: str | None = None) -> AnswerScore:
        """Score ``answer`` (non-empty str). Raises ``ValueError`` for an empty answer."""
        if not answer.strip():
            raise ValueError("the answer is empty")
        text, found = det.run(answer, rubric.detector_ids)
        flags = []
        if text.flagged:
            flags.append(Flag(kind="grader_address", message=_GRADER_FLAG, evidence=[_ev(f, "against", text) for f in text.flagged]))
        criteria = []
        for c in rubric.criteria:
            if text.words < rubric.min_words:
                criteria.append(CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None,
                                               rationale=f"no basis: the answer has {text.words} words, fewer than the {rubric.min_words} needed to judge"))
            else:
                criteria.append(_score_criterion(c, found, level, question, text))
        overall = Overall.of([(c.weight, c.score) for c in criteria])
        status: Literal["scored", "unscored"] = "scored" if overall.score is not None else "unscored"
        reason = None if status == "scored" else "no criterion had a basis for a score: " + criteria[0].rationale.removeprefix("no basis: ")
        return AnswerScore(status=status, reason=reason, rubric_id=rubric.id, rubric_version=rubric.version, level=level,
                           grader=self.info, overall=overall, criteria=criteria, flags=flags, word_count=text.words)


def _ev(f: det.Finding, effect: Literal["support", "against"], text: det.Text) -> Evidence:
    """Evidence for a finding, quoting the sentence (or a window of it) around the match."""
    s, e = det.context_span(text, f.start, f.end)
    if f.detector == "grader_address":
        s, e = f.start, f.end
    return Evidence(quote=text.raw[s:e], start=s, end=e, signal=det.DETECTORS[f.detector].label, effect=effect)


def _score_criterion(c: Criterion, found: dict[str, list[det.Finding]], level: str, question: str | None,
                     text: det.Text) -> CriterionScore:
    support: list[det.Finding] = []
    against: list[det.Finding] = []
    net = 0.0
    for ref in c.detectors:
        hits = sorted(found.get(ref.id, []), key=lambda f: -f.strength)[: ref.max_count]
        points = ref.weight * sum(f.strength for f in hits)
        if ref.effect == "support":
            net += points
            support += hits
        else:
            net -= points
            against += hits
    if c.applies_when and not support and not re.search(c.applies_when, question or ""):
        return CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None,
                              rationale="not scored: the question did not call for it and the answer shows none")
    score = 1 + sum(net >= t for t in c.thresholds_for(level))
    notes = []
    for cap in c.caps:
        if cap.levels and level not in cap.levels:
            continue
        if score > cap.max and not any(found.get(u) for u in cap.unless):
            score = cap.max
            notes.append(f"capped at {cap.max}: {cap.reason}")
    support.sort(key=lambda f: f.start)
    against.sort(key=lambda f: f.start)
    evidence = _dedupe_evidence([_ev(f, "support", text) for f in support])[:3] + _dedupe_evidence([_ev(f, "against", text) for f in against])[:2]
    return CriterionScore(id=c.id, name=c.name, weight=c.weight, score=score,
                          rationale=_rationale(c, score, level, support, against, notes), evidence=evidence)


def _dedupe_evidence(items: list[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for ev in items:
        if not any(ev.start < o.end and o.start < ev.end for o in out):
            out.append(ev)
    return out


def _rationale(c: Criterion, score: int, level: str, support: list[det.Finding], against: list[det.Finding], notes: list[str]) -> str:
    def labels(fs: list[det.Finding]) -> str:
        seen: dict[str, None] = {}
        for f in fs:
            seen.setdefault(det.DETECTORS[f.detector].label, None)
        return "; ".join(seen)

    parts = [f"{score} ({BAND_NAMES[score]}): {c.anchor(score, level)}"]
    parts.append(f"Found: {labels(support)}." if support else "Found no evidence for this criterion.")
    if against:
        parts.append(f"Against: {labels(against)}.")
    parts += [n[0].upper() + n[1:] + "." for n in notes]
    return " ".join(parts)
