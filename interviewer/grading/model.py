"""Stage 4 of the grading pipeline: the fitted scorer, as plain data (JSON), and how to apply it.

``interviewer calibrate LABELLED.jsonl --save FILE`` fits one (:mod:`interviewer.grading.fit`,
with scikit-learn); applying it needs only this module, so ``grade`` and the practice app never
import scikit-learn or numpy. A calibration holds:

* ``text``: a linear model over TF-IDF word unigrams and bigrams (letters and arrows only), the
  answer's overall band as target, pooled over every round. It reads how an answer is written,
  so it never scores alone: its output is one input of the criterion model.
* ``criterion``: a linear model giving each criterion a value on the 1-4 scale from the
  features of :mod:`interviewer.grading.features`, the text score and the level, pooled over
  every rubric with a per-criterion intercept and support slope; ``criterion_evidence`` is the
  same fitted without the text score, and the text layer may pull a value at most
  ``text_reach`` points from it, so words alone never carry a score.
* ``cuts``: per criterion (``rubric.criterion``), the three values at which scores 2, 3 and 4
  begin, set on out-of-fold values so each score's share matches the labels'.

Evidence against a criterion lowers its value by at most :data:`AGAINST_REACH` points. The file
also records when and from what it was made: the rubric versions, the sha256 of the labelled
data, and its cross-validated agreement with those labels.

Errors: :class:`CalibrationError` (one line naming the file and the fix) for a file that is
missing, not JSON, of another format, or made for other rubric versions.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

from interviewer.grading.linear import LinearModel
from interviewer.grading.relevance import RelevanceModel
from interviewer.grading.story import StoryModel
from interviewer.grading.tagger import TaggerModel

FORMAT = 3
#: evidence against a criterion lowers its value by at most this many points (1-4 scale)
AGAINST_REACH = 1.0
#: what the text layer counts as a word: two or more letters, or an arrow. Figures are left to the
#: detectors, which check what a figure measures; a bare number earns nothing here
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z]+\b|->"
_TOKEN = re.compile(TOKEN_PATTERN)


class CalibrationError(ValueError):
    """A calibration file that cannot be used; ``str()`` is one line with the file and the fix."""


class TextModel(BaseModel):
    """TF-IDF (sublinear tf, smooth idf, L2 norm, as scikit-learn computes it) and ridge weights."""

    ngram_max: int = Field(ge=1, le=3)
    idf: dict[str, float]
    coef: dict[str, float]
    intercept: float

    def predict(self, text: str) -> float:
        """The text layer's overall estimate (about 1-4) for ``text``."""
        tokens = _TOKEN.findall(text.lower())
        counts = Counter(tokens)
        for n in range(2, self.ngram_max + 1):
            counts.update(map(" ".join, zip(*(tokens[i:] for i in range(n)))))
        idf, coef = self.idf, self.coef
        weights = [((1.0 + math.log(c)) * idf[t], coef.get(t, 0.0)) for t, c in counts.items() if t in idf]
        if not weights:
            return self.intercept
        norm = math.sqrt(sum(w * w for w, _ in weights))
        return self.intercept + sum(w * k for w, k in weights) / norm


class Agreement(BaseModel):
    """Agreement with labels: quadratic weighted kappa (1 perfect, 0 chance), exact share, count."""

    qwk: float
    exact: float
    n: int


class CrossValidation(BaseModel):
    """k-fold cross-validated agreement: each answer scored by a fit that never saw it."""

    folds: int
    repeats: int
    overall: Agreement
    rounds: dict[str, Agreement]
    criteria: dict[str, Agreement]


class Training(BaseModel):
    """What the calibration was fitted on: files with their sha256, and the combined sha256."""

    files: dict[str, str]
    sha256: str
    answers: int
    by_round: dict[str, int]


class Calibration(BaseModel):
    """A fitted offline scorer (see the module docstring). ``rubrics``: rubric id -> version;
    ``cuts``: ``rubric.criterion`` -> the values where scores 2, 3 and 4 begin."""

    kind: Literal["interviewer-calibration"] = "interviewer-calibration"
    format: int = FORMAT
    created: str
    rubrics: dict[str, int]
    training: Training
    cv: CrossValidation | None = None
    text: TextModel
    criterion: LinearModel
    criterion_evidence: LinearModel
    cuts: dict[str, tuple[float, float, float]]
    text_reach: float = Field(ge=0)
    tagger: TaggerModel | None = None
    story: StoryModel | None = None
    relevance: RelevanceModel | None = None
    relevance_cv: dict[str, float] | None = None

    def save(self, path: Path | str) -> None:
        """Write the calibration as JSON to ``path`` (keys sorted, one line: it is data for the grader)."""
        Path(path).write_text(json.dumps(self.model_dump(mode="json"), sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")


def load(path: Path | str) -> Calibration:
    """Read and validate a calibration file. Raises :class:`CalibrationError`."""
    return _load(str(Path(path).resolve()))


@lru_cache(maxsize=4)
def _load(path: str) -> Calibration:
    fix = "make one with `interviewer calibrate LABELLED.jsonl --save FILE`"
    try:
        raw = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CalibrationError(f"{path}: calibration file not found — fix: check the path, or {fix}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CalibrationError(f"{path}: cannot read the calibration ({exc.__class__.__name__}) — fix: {fix}") from None
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise CalibrationError(f"{path}: not JSON ({exc.msg} at line {exc.lineno}) — fix: {fix}") from None
    if not isinstance(data, dict) or data.get("kind") != "interviewer-calibration":
        raise CalibrationError(f"{path}: not a calibration file (no \"kind\": \"interviewer-calibration\") — fix: {fix}")
    if data.get("format") != FORMAT:
        raise CalibrationError(f"{path}: calibration format {data.get('format')!r}, this version reads {FORMAT} — fix: {fix}")
    try:
        return Calibration.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise CalibrationError(f"{path}: {where}: {err['msg']} — fix: {fix}") from None


def _within(value: float, anchor: float, reach: float) -> float:
    return min(max(value, anchor - reach), anchor + reach)


def criterion_value(cal: Calibration, x: dict[str, float]) -> float:
    """The criterion model's value (1-4 scale, a float) for inputs ``x`` (from
    :func:`~interviewer.grading.features.criterion_inputs`): the text layer's pull bounded by
    ``cal.text_reach``, and evidence against lowering it by at most :data:`AGAINST_REACH`."""
    def value(x: dict[str, float]) -> float:
        return _within(cal.criterion.predict(x), cal.criterion_evidence.predict(x), cal.text_reach)

    full = value(x)
    if not (x.get("c:against") or x.get("c:tagged_against")):
        return full
    return max(full, value({**x, "c:against": 0.0, "c:tagged_against": 0.0}) - AGAINST_REACH)


def score_of(cal: Calibration, key: str, value: float) -> int:
    """The score 1-4 a criterion's ``value`` earns under the fitted cuts for ``key``
    (``rubric.criterion``); 1.5/2.5/3.5 where the calibration has no cuts for it."""
    cuts = cal.cuts.get(key, (1.5, 2.5, 3.5))
    return 1 + sum(value >= c for c in cuts)


def default_path() -> Path:
    """The calibration shipped with the package (made from ``data/calibration/*.jsonl``)."""
    from interviewer.paths import calibration_dir

    return calibration_dir() / "offline.json"


def check_rubrics(cal: Calibration, rubrics: dict[str, int], source: str) -> None:
    """Refuse a calibration fitted for other versions of rubrics in use (id -> version).
    Raises :class:`CalibrationError` naming the rubric and the fix."""
    for rid, version in rubrics.items():
        fitted = cal.rubrics.get(rid)
        if fitted is not None and fitted != version:
            raise CalibrationError(
                f"{source}: fitted for rubric {rid!r} version {fitted}, but version {version} is in use — fix: refit with "
                "`interviewer calibrate LABELLED.jsonl --save FILE`")
