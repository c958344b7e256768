"""Stage 5 of the grading pipeline: scores with their reasons, and the offline grader."""

from __future__ import annotations

import os
from typing import Literal

from interviewer.grading.evidence import DETECTORS
from interviewer.grading.read import Finding, Text, context_span, sentence_of
from interviewer.rubrics import Criterion, Rubric
from interviewer.grading.features import GATE_MAX
from interviewer.grading.tagger import ADDR_MIN, TAGGED
from interviewer.scoring import (BAND_NAMES, Adjustment, AnswerScore, CriterionScore, Evidence, Flag, GraderInfo, Overall, Relevance,
                                 StoryRead)


_GRADER_FLAG = "text addressed to the grader was ignored for scoring"


class OfflineGrader:
    """Deterministic grader: detector evidence -> a fitted scorer -> 1-4 per criterion and a band.

    The evidence comes from :func:`interviewer.grading.features.extract`; the weights from a
    :class:`~interviewer.grading.model.Calibration` (the one shipped with the package unless
    ``calibration`` names another, as a path or a loaded object). A criterion scores above 2
    only when a supporting quote with specifics behind it is shown, and never above a rubric
    cap that applies (e.g. no number in the answer caps the measurable-outcome criterion at 2).
    A criterion the question calls for that the answer does not show is a 1 ("not shown"); one
    it does not call for and the answer does not show is not applicable (``None``). The overall
    is the weighted mean of the criteria scored, plus named adjustments. Text addressed to the
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
        """Score ``answer`` (non-empty str) against ``rubric`` at ``level`` for ``question`` (the
        question asked, or None). Raises ``ValueError`` for an empty answer and
        :class:`~interviewer.grading.model.CalibrationError` for a calibration fitted on other
        versions of this rubric."""
        if not answer.strip():
            raise ValueError("the answer is empty")
        return self.score_evidence(self.read(answer, rubric, level, question), rubric, level)

    def read(self, answer: str, rubric: Rubric, level: str, question: str | None):
        """Stages 1-3: the question and the answer read, the detectors run, the units tagged,
        the features made (an :class:`~interviewer.grading.features.AnswerEvidence`)."""
        from interviewer.grading.features import detect, extract
        from interviewer.grading.question import read_question
        from interviewer.grading.tagger import tag

        cal = self.calibration
        q = read_question(question, rubric, story=cal.story)
        t, found = detect(answer, rubric)
        tags = tag(cal.tagger, t, found, rubric) if cal.tagger is not None else None
        return extract(t, rubric, level, q, tags)

    def score_evidence(self, ev, rubric: Rubric, level: str) -> AnswerScore:
        """Score evidence already read by :func:`interviewer.grading.features.extract`."""
        from interviewer.grading.features import criterion_inputs, text_for_model
        from interviewer.grading.model import check_rubrics, criterion_value, score_of

        cal = self.calibration
        check_rubrics(cal, {rubric.id: rubric.version}, self.source)
        text = ev.text
        flags = _flags(ev)
        story, story_probs = _story(cal, ev, rubric)
        common = dict(rubric_id=rubric.id, rubric_version=rubric.version, level=level, grader=self.info, flags=flags,
                      word_count=text.words, question=ev.question, story=story)
        if text.words < rubric.min_words:
            why = f"no basis: the answer has {_words(text.words)}, fewer than the {rubric.min_words} needed to judge"
            criteria = [CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None, rationale=why) for c in rubric.criteria]
            return AnswerScore(status="unscored", reason="no criterion had a basis for a score: " + why.removeprefix("no basis: "),
                               overall=Overall(), criteria=criteria, **common)
        text_score = cal.text.predict(text_for_model(ev))
        criteria = []
        for c in rubric.criteria:
            ce = ev.criteria[c.id]
            if not ce.applies:
                criteria.append(CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None, applies=False,
                                               rationale="not applicable: the question does not call for it and the answer shows none"))
                continue
            if not ce.shown:
                criteria.append(_not_shown(c, level, ce, text))
                continue
            value = criterion_value(cal, criterion_inputs(ev, rubric, c, text_score, level))
            fitted = score_of(cal, f"{rubric.id}.{c.id}", value)
            score = max(1, min(fitted, int(ce.ceiling)))
            notes = list(ce.capped)
            if fitted > score and not ce.gate:
                notes.insert(0, f"capped at {GATE_MAX}: no supporting evidence with specifics behind it")
            criteria.append(_scored(c, score, level, ce, text, notes))
        relevance = _relevance(cal, ev, rubric, story, story_probs)
        adjustments = []
        if relevance is not None and not relevance.addresses:
            flags.insert(0, Flag(kind="off_question", message=f"Off the question: {relevance.reason}"))
            mean = Overall.of([(c.weight, c.score) for c in criteria]).mean
            if mean is not None:
                adjustments.append(off_question_adjustment(mean))
        overall = Overall.of([(c.weight, c.score) for c in criteria], adjustments)
        return AnswerScore(status="scored", overall=overall, criteria=criteria, relevance=relevance, **common)


#: an answer off the question is held below this overall (the lean-hire cut is 2.5)
OFF_QUESTION_MAX = 2.45


def off_question_score(mean: float) -> float:
    """The overall of an answer that does not address the question, from its criteria's mean
    (1-4): half its distance above 1, and below lean hire."""
    return min(1.0 + (mean - 1.0) * 0.5, OFF_QUESTION_MAX)


def off_question_adjustment(mean: float) -> Adjustment:
    """The named adjustment of an answer off the question whose criteria's mean is ``mean``
    (used by every grader, so the same answer gets the same deduction)."""
    return Adjustment(kind="off_question", points=round(off_question_score(mean) - mean, 2),
                      reason="the answer does not address the question asked: its score is halved above 1 and held below lean hire")


_OFF_STORY_FLAG = "sentences outside the answer (asides, personal life, praise) were not counted"
#: the rubrics whose answers tell a story (their story type is read)
STORY_ROUNDS = frozenset({"behavioral", "hiring_manager", "story"})


def _flags(ev) -> list[Flag]:
    """Text addressed to the grader (found by pattern or by the unit model) and units outside the
    answer, each flagged with its quotes."""
    text = ev.text
    flags = []
    addressed = [_ev(f, "against", text) for f in text.flagged]
    off_story = []
    if ev.tags is not None:
        for i in ev.tags.off():
            s, e = ev.tags.spans[i]
            if any(a.start <= s < a.end or s <= a.start < e for a in addressed):
                continue
            p = ev.tags.probs[i]
            to_reader = p.get("addr", 0) >= ADDR_MIN and p.get("addr", 0) >= p.get("off", 0)
            quote = Evidence(quote=text.raw[s:e], start=s, end=e, effect="against",
                             signal="addressed to whoever scores the answer" if to_reader else "not part of the answer")
            (addressed if to_reader else off_story).append(quote)
    if addressed:
        flags.append(Flag(kind="grader_address", message=_GRADER_FLAG, evidence=sorted(addressed, key=lambda e: e.start)))
    if off_story:
        flags.append(Flag(kind="off_story", message=_OFF_STORY_FLAG, evidence=off_story))
    return flags


def _story(cal, ev, rubric: Rubric) -> tuple[StoryRead | None, dict[str, float] | None]:
    """The story the answer tells and every type's probability (story rounds only)."""
    if cal.story is None or rubric.round not in STORY_ROUNDS or ev.text.words < rubric.min_words:
        return None, None
    from interviewer.grading.story import reading

    return reading(cal.story, ev.text, set(ev.tags.off()) if ev.tags is not None else set())


def _relevance(cal, ev, rubric: Rubric, story: StoryRead | None, story_probs: dict[str, float] | None) -> Relevance | None:
    if cal.relevance is None:
        return None
    from interviewer.grading.features import text_for_model
    from interviewer.grading.relevance import assess

    q = ev.question
    probs = story_probs if q.story_types else None
    got = assess(cal.relevance, text_for_model(ev), ev.text.words, q, rubric, story, probs)
    if got is not None and not got.addresses and q.narrow and _takes_up(ev, rubric):
        return Relevance(addresses=True, probability=got.probability, reason="the answer takes up what the follow-up asks")
    return got


def _takes_up(ev, rubric: Rubric) -> bool:
    """Whether the answer shows a criterion a narrow follow-up calls for (by a unit the tagger is
    sure of, or by detector evidence). Such a question asks for an aspect, not a topic, and the
    relevance model, fitted on whole questions, compares topics: an answer on the aspect is on
    the question whatever its words."""
    return any(ev.criteria[c.id].shown_surely for c in rubric.criteria if c.id in ev.question.calls_for)


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


def _quotes(findings: list[Finding], effect: Literal["support", "against"], text: Text, limit: int) -> list[Evidence]:
    """Up to ``limit`` quotes for ``findings`` (in their order), no two overlapping."""
    out: list[Evidence] = []
    for f in findings:
        ev = _ev(f, effect, text)
        if not any(ev.start < o.end and o.start < ev.end for o in out):
            out.append(ev)
        if len(out) == limit:
            break
    return out


def _unit_quotes(c: Criterion, ce, units: list[tuple[int, int, float]], findings: list[Finding], effect: Literal["support", "against"],
                 text: Text, limit: int, *, shown: list[Evidence] = (), stand_in: bool = True) -> list[Evidence]:
    """Up to ``limit`` quotes: the units tagged for (or against) the criterion, most likely
    first (those the tagger is sure of; with ``stand_in``, the likeliest one when none is sure),
    then the detector findings, never two overlapping each other or a quote already ``shown``
    (a sentence quoted for a score is not also quoted against it). A unit's signal is the label
    of a detector that fired in it, else the criterion's kind."""
    out: list[Evidence] = []
    sure = [u for u in units if u[2] >= TAGGED] or (units[:1] if stand_in else [])
    for s, e, p in sure:
        inside = [f for f in findings if s <= f.start < e]
        signal = DETECTORS[inside[0].detector].label if inside else (f"evidence of {c.name.lower()}" if effect == "support"
                                                                     else f"against {c.name.lower()}")
        ev = Evidence(quote=text.raw[s:e], start=s, end=e, signal=signal, effect=effect, cut_before=_cut_before(text.raw, s),
                      cut_after=_cut_after(text.raw, e))
        if not any(ev.start < o.end and o.start < ev.end for o in [*out, *shown]):
            out.append(ev)
    for ev in _quotes(findings, effect, text, limit):
        if not any(ev.start < o.end and o.start < ev.end for o in [*out, *shown]):
            out.append(ev)
    return out[:limit]


def _cut_before(raw: str, s: int) -> bool:
    """Whether a unit starting at ``s`` begins inside a sentence (a run-on one was cut)."""
    before = raw[:s].rstrip()
    return bool(before) and before[-1] not in ".!?:;\n`" and raw[s - 1:s] != "\n"


def _cut_after(raw: str, e: int) -> bool:
    """Whether a unit ending at ``e`` stops inside a sentence."""
    return e < len(raw.rstrip()) and raw[e - 1:e] not in (".", "!", "?", ":", ";", "`") and raw[e:e + 1] != "\n"


def _not_shown(c: Criterion, level: str, ce, text: Text) -> CriterionScore:
    """A criterion the question calls for and the answer does not show: a 1, saying what a 3 needs."""
    against = _unit_quotes(c, ce, ce.units_against, ce.against, "against", text, 2)
    need = c.anchor(3, level).rstrip(".")
    rationale = f"1 ({BAND_NAMES[1]}): not shown. A 3 needs: {need}."
    if against:
        rationale += f" Against: {'; '.join(dict.fromkeys(e.signal for e in against))}."
    return CriterionScore(id=c.id, name=c.name, weight=c.weight, score=1, rationale=rationale, evidence=against,
                          missing=need[0].lower() + need[1:])


def _scored(c: Criterion, score: int, level: str, ce, text: Text, notes: list[str]) -> CriterionScore:
    """A criterion's score with its quotes: what raised it (only under a 2 or more) and what held it down."""
    support = _unit_quotes(c, ce, ce.units_for, ce.support, "support", text, 3) if score >= 2 else []
    # what held a 3 or 4 down is shown only where the tagger is sure of it
    against = _unit_quotes(c, ce, ce.units_against, ce.against, "against", text, 2, shown=support, stand_in=score <= 2)
    parts = [f"{score} ({BAND_NAMES[score]}): {c.anchor(score, level)}"]
    if support:
        parts.append(f"Found: {'; '.join(dict.fromkeys(e.signal for e in support))}.")
    if against:
        parts.append(f"Against: {'; '.join(dict.fromkeys(e.signal for e in against))}.")
    parts += [n[0].upper() + n[1:] + "." for n in notes]
    missing = None
    if score == 1 and not against:
        need = c.anchor(3, level).rstrip(".")
        parts.append(f"Not shown: {need}.")
        missing = need[0].lower() + need[1:]
    return CriterionScore(id=c.id, name=c.name, weight=c.weight, score=score, rationale=" ".join(parts), evidence=support + against,
                          missing=missing)


def _labels(fs: list[Finding]) -> str:
    seen: dict[str, None] = {}
    for f in fs:
        seen.setdefault(DETECTORS[f.detector].label, None)
    return "; ".join(seen)
