"""Stage 2 of the grading pipeline, read by unit: which sentences are evidence for which criterion.

An answer is read in units (:func:`interviewer.grading.read.units`: sentences, a code block as
one). For each unit a fitted model gives, per criterion of the rubric, the probability that the
unit is evidence *for* it (``c+``: it shows some of what the criterion asks, even weakly, such
as a generic lesson for reflection) and *against* it (``c-``: blame, a group decision, tests put
off), and, for every rubric, that the unit is not part of the answer at all (``off``: hobbies,
praise of the company, an aside) or is addressed to whoever scores it (``addr``).

A unit's inputs are its words (TF-IDF over :mod:`.vectors`), the detectors that fired in it
(``det:owns_mistake``), the words of the label it sits under ("Failure modes:", "Tests:",
"My call:") and its shape (code, a question, an arrow). The models are fitted on
sentence-level tags of labelled answers (``data/calibration/evidence-tags.jsonl``) by
:mod:`.fit`; applying them is plain Python.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from pydantic import BaseModel

from interviewer.grading.read import Finding, Text, code_report, units
from interviewer.grading.vectors import LinearText, Vocabulary, tokens
from interviewer.rubrics import Rubric

#: a label heading a line or paragraph: "Failure modes:", "**Trade-off:**", "Task -", "My call:"
_LABEL = re.compile(r"^[ \t>*_#-]*(?:\*\*|__)?([A-Za-z][A-Za-z /'’&-]{1,32}?)(?:\*\*|__)?\s*(?::|—|–|\s-\s)", re.M)
#: a heading line: "## Failure modes", "Failure modes" alone on its line
_HEADING = re.compile(r"^[ \t]*(?:#{1,4}[ \t]+)?(?:\*\*|__)?([A-Za-z][A-Za-z /'’&-]{1,32}?)(?:\*\*|__)?[ \t]*:?[ \t]*$", re.M)
#: the probability above which a unit counts as tagged (and is quoted)
TAGGED = 0.5
#: the probability above which a unit counts as showing something for a criterion: below it,
#: and with no detector finding, the criterion is "not shown"
SHOWN = 0.3
#: the probabilities above which a unit is outside the answer (``off``) or addressed to whoever
#: scores it (``addr``): set high, since such a unit counts for nothing (on unseen wordings:
#: off-story precision 0.96, recall 0.77; addressed precision 0.93, recall 0.92)
OFF_MIN, ADDR_MIN = 0.5, 0.6


class TaggerModel(BaseModel):
    """The fitted unit models: one shared ``vocab``; ``concepts``, a multilabel model over
    ``<concept>+`` and ``<concept>-`` for the kinds of evidence the rubrics' criteria read
    (:attr:`~interviewer.rubrics.Criterion.evidence_kind`: ``impact`` is learned from every
    rubric that scores an outcome), with the rubric as a feature; and ``sentences``, a
    multilabel model over ``off`` and ``addr`` shared by every rubric."""

    vocab: Vocabulary
    concepts: LinearText
    sentences: LinearText


@dataclass(slots=True)
class UnitTags:
    """The units of one answer with their tags: ``spans`` (start, end) in the answer, and per
    unit a dict label -> probability (``<criterion>+``, ``<criterion>-``, ``off``, ``addr``)."""

    spans: list[tuple[int, int]]
    probs: list[dict[str, float]]

    def support(self, criterion_id: str, least: float = TAGGED) -> list[tuple[int, float]]:
        """(unit index, probability) of the units tagged, with probability ``least`` or more, as
        evidence for the criterion, best first."""
        return self._tagged(f"{criterion_id}+", least)

    def against(self, criterion_id: str, least: float = TAGGED) -> list[tuple[int, float]]:
        """(unit index, probability) of the units tagged as evidence against it, best first."""
        return self._tagged(f"{criterion_id}-", least)

    def _tagged(self, label: str, least: float) -> list[tuple[int, float]]:
        got = [(i, p[label]) for i, p in enumerate(self.probs) if p.get(label, 0.0) >= least]
        return sorted(got, key=lambda x: -x[1])

    def off(self) -> list[int]:
        """Units that are not part of the answer (hobbies, asides) or addressed to the grader."""
        return [i for i, p in enumerate(self.probs) if p.get("off", 0.0) >= OFF_MIN or p.get("addr", 0.0) >= ADDR_MIN]


def unit_labels(t: Text) -> list[str]:
    """For each unit, the words of the label it sits under: a label opening the unit's line
    ("Failure modes: ...") or the nearest heading line above it in the same paragraph."""
    text = t.raw
    marks: list[tuple[int, int, str]] = []  # (start, end of scope, words)
    for m in _LABEL.finditer(text):
        para_end = text.find("\n\n", m.end())
        marks.append((m.start(), len(text) if para_end < 0 else para_end, m.group(1)))
    for m in _HEADING.finditer(text):
        if len(m.group(1).split()) > 4:
            continue
        para_end = text.find("\n\n", m.end() + 1)
        nxt_heading = _HEADING.search(text, m.end() + 1)
        end = len(text) if para_end < 0 else para_end
        if nxt_heading:
            end = min(end, nxt_heading.start())
        marks.append((m.start(), end, m.group(1)))
    out = []
    for s, e in units(t):
        words = [w for ms, me, w in marks if ms <= s < me]
        out.append(words[-1] if words else "")
    return out


def unit_features(t: Text, found: dict[str, list[Finding]]) -> list[tuple[str, list[str]]]:
    """Each unit's text (as the models read it, grader-addressed text left in) and its extra
    features: ``det:<detector>`` per detector firing in it, ``lbl:<word>`` per word of its label,
    ``shape:code``/``shape:question``/``shape:arrow``. Not its position: text added before or
    after an answer must not change how its sentences read."""
    spans = units(t)
    labels = unit_labels(t)
    code = code_report(t).blocks
    starts = [s for s, _ in spans]
    dets: list[set[str]] = [set() for _ in spans]
    for did, fs in found.items():
        for f in fs:
            i = bisect_right(starts, f.start) - 1
            if i >= 0 and f.start < spans[i][1]:
                dets[i].add(f"det:{did}")
    out = []
    for i, (s, e) in enumerate(spans):
        extra = set(dets[i])
        extra.update(f"lbl:{w}" for w in tokens(labels[i]))
        piece = t.raw[s:e]
        if any(s <= bs < e or bs <= s < be for bs, be in code):
            extra.add("shape:code")
        if piece.rstrip().endswith("?"):
            extra.add("shape:question")
        if "->" in piece or "→" in piece:
            extra.add("shape:arrow")
        out.append((piece, sorted(extra)))
    return out


def sentence_extra(extra: list[str]) -> list[str]:
    """The extra features the off/addr model reads: the grader-address detector and shape only
    (it is shared by every rubric, whose detectors differ)."""
    return [e for e in extra if e == "det:grader_address" or e.startswith("shape:")]


def tag(model: TaggerModel, t: Text, found: dict[str, list[Finding]], rubric: Rubric) -> UnitTags:
    """Tag every unit of ``t`` for the rubric's criteria (through their evidence kinds) and for
    off/addr. A criterion whose kind the model never learned is never tagged."""
    spans = units(t)
    kinds = {c.id: c.evidence_kind for c in rubric.criteria}
    concepts = model.concepts.only(f"{k}{sgn}" for k in set(kinds.values()) for sgn in "+-")
    probs = []
    for piece, extra in unit_features(t, found):
        terms = model.vocab.terms(piece)
        p = dict(zip(model.sentences.labels, model.sentences.proba(model.vocab.weigh(terms, sentence_extra(extra)))))
        got = dict(zip(concepts.labels, concepts.proba(model.vocab.weigh(terms, [*extra, f"rubric:{rubric.id}"]))))
        for cid, kind in kinds.items():
            for sgn in "+-":
                p[f"{cid}{sgn}"] = got.get(f"{kind}{sgn}", 0.0)
        probs.append(p)
    return UnitTags(spans, probs)
