"""Stage 2 of the grading pipeline: evidence. Deterministic detectors, one module per family.

Each detector reads an answer and returns :class:`~interviewer.grading.read.Finding` objects:
the span it matched (``quote == answer[start:end]``) and a ``strength`` (0.5 weak, 1 normal,
2 strong). Rubric criteria name the detectors that feed them; the detectors know nothing of
scores. They try not to be keyword counters:

* negation in the same clause ("we never wrote tests", "without a baseline") cancels a match;
* a decision counts only in a main clause with "I" as its subject, not hedged ("I think we
  decided"), not conditional ("if I had chosen", "I would choose");
* text addressed to the grader is blanked before any detector runs (see
  :func:`interviewer.grading.read.prepare`), so it can never raise a score;
* numbers count as a result only with a unit or a referent, and more with a baseline
  ("from 3.1 s to 2.4 s"); a pile of figures with no baseline is a ``vague_claim``.

Families: :mod:`.substance` (specifics, claims with nothing behind them), :mod:`.ownership`,
:mod:`.decisions`, :mod:`.results`, :mod:`.accountability`, :mod:`.star`, :mod:`.pitch`,
:mod:`.coding`, :mod:`.design`.
"""

from __future__ import annotations

from typing import Iterable

from interviewer.grading.evidence import accountability, coding, decisions, design, ownership, pitch, results, star, substance  # noqa: F401  (registers them)
from interviewer.grading.evidence.base import DETECTORS
from interviewer.grading.read import Finding, Text, prepare

# --------------------------------------------------------------------------- running


def run(answer: str | Text, detector_ids: Iterable[str] | None = None) -> tuple[Text, dict[str, list[Finding]]]:
    """Run detectors over ``answer`` (a str, or a :class:`Text` already prepared). Returns the
    prepared text and findings by detector id.

    ``detector_ids`` limits the run (default: every detector). Raises ``KeyError`` for an
    unknown id."""
    t = answer if isinstance(answer, Text) else prepare(answer)
    ids = list(detector_ids) if detector_ids is not None else list(DETECTORS)
    return t, {i: DETECTORS[i].fn(t) for i in ids}

