"""Scores: the result shapes every grader returns, hire bands, and the offline grader.

A criterion score is an int 1-4 (1 strong no hire, 2 lean no hire, 3 lean hire, 4 strong
hire) or ``None`` with a reason where the answer gives no basis. The overall is a float in
1.0-4.0 mapped to a hire band (1-4) by the cuts 1.75, 2.5 and 3.25: for a model grader the
weighted mean of the scored criteria; for the offline grader a fitted model's output.

The "who scores an answer" seam is :class:`Grader`; :class:`interviewer.grading.OfflineGrader`
and :class:`interviewer.llm.LLMGrader` implement it.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field

from interviewer.rubrics import Rubric

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
    cut_before: bool = Field(default=False, description="the quote starts inside its sentence")
    cut_after: bool = Field(default=False, description="the quote ends inside its sentence")

    @property
    def shown(self) -> str:
        """The quote as displayed: an ellipsis where it was cut from its sentence."""
        return ("…" if self.cut_before else "") + self.quote + ("…" if self.cut_after else "")

    def clipped(self, limit: int) -> str:
        """:attr:`shown`, at most about ``limit`` characters, cut at a word boundary with an ellipsis."""
        return clip(self.shown, limit)


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (plus an ellipsis), cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:—- ") + "…"


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
    calibration: str | None = Field(default=None, description="offline grader: a calibration file other than the shipped one")


class Flag(BaseModel):
    """Something in the answer a reader should know about, e.g. text addressed to the grader."""

    kind: Literal["grader_address"]
    message: str
    evidence: list[Evidence]


class AnswerScore(BaseModel):
    """A graded answer. ``status`` is ``scored`` (``overall`` set) or ``unscored`` with a
    ``reason`` (no basis, or a model output that failed validation). ``raw_output`` keeps a
    model's reply whenever some of it failed validation: the answer is then unscored, or scored
    on the criteria that passed (the others ``None`` with the reason in their rationale)."""

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
