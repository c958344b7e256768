"""Stage 5 of the grading pipeline: scores with their reasons, and the offline grader."""

from __future__ import annotations

import os
from typing import Literal

from interviewer.grading.evidence import DETECTORS
from interviewer.grading.read import Finding, Text, context_span, sentence_of
from interviewer.rubrics import Criterion, Rubric
from interviewer.scoring import BAND_NAMES, AnswerScore, CriterionScore, Evidence, Flag, GraderInfo, Overall, hire_band


_GRADER_FLAG = "text addressed to the grader was ignored for scoring"


class OfflineGrader:
    """Deterministic grader: detector evidence -> a fitted scorer -> 1-4 per criterion and a band.

    The evidence comes from :func:`interviewer.grading.features.extract`; the weights from a
    :class:`~interviewer.grading.model.Calibration` (the one shipped with the package unless
    ``calibration`` names another, as a path or a loaded object). A criterion scores above 2
    only when a supporting quote with specifics behind it is shown, and never above a rubric
    cap that applies (e.g. no number in the answer caps the measurable-outcome criterion at 2);
    the overall never rises above what the criteria's evidence allows. Text addressed to the
    grader is blanked before anything is read and reported as a flag.

    Raises :class:`~interviewer.grading.model.CalibrationError` when the calibration cannot be
    read or was fitted for other rubric versions.
    """

    def __init__(self, calibration=None) -> None:
        from interviewer import __version__
        from interviewer.grading import model as cal_mod

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
        for an empty answer and :class:`~interviewer.grading.model.CalibrationError` for a
        calibration fitted on other versions of this rubric."""
        if not answer.strip():
            raise ValueError("the answer is empty")
        from interviewer.grading.features import extract

        return self.score_evidence(extract(answer, rubric, level, question), rubric, level)

    def score_evidence(self, ev, rubric: Rubric, level: str) -> AnswerScore:
        """Score evidence already read by :func:`interviewer.grading.features.extract`."""
        from interviewer.grading.model import band_score, check_rubrics, criterion_values, overall_value, soft_ceiling
        from interviewer.grading.features import text_for_model

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


def _ev(f: Finding, effect: Literal["support", "against"], text: Text) -> Evidence:
    """Evidence for a finding, quoting the sentence (or a window of it cut at word boundaries)
    around the match; ``cut_before``/``cut_after`` say where the quote was cut."""
    if f.detector == "grader_address":
        s, e = f.start, f.end
    else:
        s, e = context_span(text, f.start, f.end)
    sent_s, sent_e = sentence_of(text, f.start)
    return Evidence(quote=text.raw[s:e], start=s, end=e, signal=DETECTORS[f.detector].label, effect=effect,
                    cut_before=sent_e > sent_s and s > sent_s, cut_after=sent_e > sent_s and e < sent_e)


def _evidence(ce, text: Text) -> list[Evidence]:
    """Up to three supporting quotes (those with specifics first, then the strongest) and two opposing."""
    return _dedupe_evidence([_ev(f, "support", text) for f in ce.support])[:3] + _dedupe_evidence([_ev(f, "against", text) for f in ce.against])[:2]


def _dedupe_evidence(items: list[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for ev in items:
        if not any(ev.start < o.end and o.start < ev.end for o in out):
            out.append(ev)
    return out


def _rationale(c: Criterion, score: int, level: str, ce, notes: list[str]) -> str:
    def labels(fs: list[Finding]) -> str:
        seen: dict[str, None] = {}
        for f in fs:
            seen.setdefault(DETECTORS[f.detector].label, None)
        return "; ".join(seen)

    parts = [f"{score} ({BAND_NAMES[score]}): {c.anchor(score, level)}"]
    parts.append(f"Found: {labels(ce.support)}." if ce.support else "Found no evidence for this criterion.")
    if ce.against:
        parts.append(f"Against: {labels(ce.against)}.")
    parts += [n[0].upper() + n[1:] + "." for n in notes]
    return " ".join(parts)
