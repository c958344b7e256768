"""Scores: the result shapes every grader returns, hire bands, and the offline grader.

A criterion score is an int 1-4 (1 strong no hire, 2 lean no hire, 3 lean hire, 4 strong
hire) or ``None`` with a reason where the answer gives no basis. The overall is a float in
1.0-4.0 mapped to a hire band (1-4) by the cuts 1.75, 2.5 and 3.25: for a model grader the
weighted mean of the scored criteria; for the offline grader a fitted model's output.

The "who scores an answer" seam is :class:`Grader`; :class:`OfflineGrader` implements it
with the detector evidence of :mod:`interviewer.features` and a fitted
:class:`~interviewer.calibration.Calibration`.
"""

from __future__ import annotations

import os
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


_GRADER_FLAG = "text addressed to the grader was ignored for scoring"


class OfflineGrader:
    """Deterministic grader: detector evidence -> a fitted scorer -> 1-4 per criterion and a band.

    The evidence comes from :func:`interviewer.features.extract`; the weights from a
    :class:`~interviewer.calibration.Calibration` (the one shipped with the package unless
    ``calibration`` names another, as a path or a loaded object). A criterion scores above 2
    only when a supporting quote with specifics behind it is shown, and never above a rubric
    cap that applies (e.g. no number in the answer caps the measurable-outcome criterion at 2);
    the overall never rises above what the criteria's evidence allows. Text addressed to the
    grader is blanked before anything is read and reported as a flag.

    Raises :class:`~interviewer.calibration.CalibrationError` when the calibration cannot be
    read or was fitted for other rubric versions.
    """

    def __init__(self, calibration=None) -> None:
        from interviewer import __version__
        from interviewer import calibration as cal_mod

        if calibration is None or isinstance(calibration, (str, os.PathLike)):
            path = calibration or cal_mod.default_path()
            self.calibration = cal_mod.load(path)
            self.source = str(path)
        else:
            self.calibration = calibration
            self.source = "(in memory)"
        custom = None if calibration is None else os.path.basename(self.source)
        self.info = GraderInfo(name="offline", version=__version__, calibration=custom)
        if custom:
            from interviewer.rubrics import all_rubrics

            cal_mod.check_rubrics(self.calibration, {r.id: r.version for r in all_rubrics().values()}, self.source)

    def grade(self, answer: str, *, rubric: Rubric, level: str, question: str | None = None) -> AnswerScore:
        """Score ``answer`` (non-empty str) against ``rubric`` at ``level``. Raises ``ValueError``
        for an empty answer and :class:`~interviewer.calibration.CalibrationError` for a
        calibration fitted on other versions of this rubric."""
        if not answer.strip():
            raise ValueError("the answer is empty")
        from interviewer.features import extract

        return self.score_evidence(extract(answer, rubric, level, question), rubric, level)

    def score_evidence(self, ev, rubric: Rubric, level: str) -> AnswerScore:
        """Score evidence already read by :func:`interviewer.features.extract`."""
        from interviewer.calibration import band_score, check_rubrics, criterion_values, overall_value, soft_ceiling
        from interviewer.features import text_for_model

        cal = self.calibration
        check_rubrics(cal, {rubric.id: rubric.version}, self.source)
        text = ev.text
        flags = []
        if text.flagged:
            flags.append(Flag(kind="grader_address", message=_GRADER_FLAG, evidence=[_ev(f, "against", text) for f in text.flagged]))
        if text.words < rubric.min_words:
            why = f"no basis: the answer has {_words(text.words)}, fewer than the {rubric.min_words} needed to judge"
            criteria = [CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None, rationale=why) for c in rubric.criteria]
            return AnswerScore(status="unscored", reason="no criterion had a basis for a score: " + why.removeprefix("no basis: "),
                               rubric_id=rubric.id, rubric_version=rubric.version, level=level, grader=self.info, overall=Overall(),
                               criteria=criteria, flags=flags, word_count=text.words)
        text_score = cal.text.predict(text_for_model(ev))
        fitted = criterion_values(cal, ev, rubric, text_score)
        criteria = []
        for c in rubric.criteria:
            ce = ev.criteria[c.id]
            if c.id not in fitted:
                criteria.append(CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None,
                                               rationale="not scored: the question did not call for it and the answer shows none"))
                continue
            raw, value = fitted[c.id]
            score = max(1, int(value + 0.5))
            notes = list(ce.capped)
            if raw >= 2.5 and not ce.gate:
                notes.insert(0, "capped at 2: no supporting evidence with specifics behind it")
            criteria.append(CriterionScore(id=c.id, name=c.name, weight=c.weight, score=score,
                                           rationale=_rationale(c, score, level, ce, notes), evidence=_evidence(ce, text)))
        value = overall_value(cal, ev, rubric, text_score, {k: v for k, (_, v) in fitted.items()})
        shown = round(soft_ceiling(band_score(cal, value), ev.overall_ceiling), 2)
        band = hire_band(shown)
        overall = Overall(score=shown, band=band, band_name=BAND_NAMES[band])
        return AnswerScore(status="scored", rubric_id=rubric.id, rubric_version=rubric.version, level=level, grader=self.info,
                           overall=overall, criteria=criteria, flags=flags, word_count=text.words)


def _words(n: int) -> str:
    return f"{n} word" if n == 1 else f"{n} words"


def _ev(f: det.Finding, effect: Literal["support", "against"], text: det.Text) -> Evidence:
    """Evidence for a finding, quoting the sentence (or a window of it cut at word boundaries)
    around the match; ``cut_before``/``cut_after`` say where the quote was cut."""
    if f.detector == "grader_address":
        s, e = f.start, f.end
    else:
        s, e = det.context_span(text, f.start, f.end)
    sent_s, sent_e = det._sentence_of(text, f.start)
    return Evidence(quote=text.raw[s:e], start=s, end=e, signal=det.DETECTORS[f.detector].label, effect=effect,
                    cut_before=sent_e > sent_s and s > sent_s, cut_after=sent_e > sent_s and e < sent_e)


def _evidence(ce, text: det.Text) -> list[Evidence]:
    """Up to three supporting quotes (those with specifics first, then the strongest) and two opposing."""
    return _dedupe_evidence([_ev(f, "support", text) for f in ce.support])[:3] + _dedupe_evidence([_ev(f, "against", text) for f in ce.against])[:2]


def _dedupe_evidence(items: list[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for ev in items:
        if not any(ev.start < o.end and o.start < ev.end for o in out):
            out.append(ev)
    return out


def _rationale(c: Criterion, score: int, level: str, ce, notes: list[str]) -> str:
    def labels(fs: list[det.Finding]) -> str:
        seen: dict[str, None] = {}
        for f in fs:
            seen.setdefault(det.DETECTORS[f.detector].label, None)
        return "; ".join(seen)

    parts = [f"{score} ({BAND_NAMES[score]}): {c.anchor(score, level)}"]
    parts.append(f"Found: {labels(ce.support)}." if ce.support else "Found no evidence for this criterion.")
    if ce.against:
        parts.append(f"Against: {labels(ce.against)}.")
    parts += [n[0].upper() + n[1:] + "." for n in notes]
    return " ".join(parts)
