"""A calibration: the offline scorer's fitted weights, as plain data (JSON), and how to apply them.

``interviewer calibrate LABELLED.jsonl --save FILE`` fits one (:mod:`interviewer.grading.fit`, with
scikit-learn); applying it needs only this module, so ``grade`` and the practice app never import
scikit-learn or numpy. A calibration has three fitted parts:

* ``text``: a linear model over TF-IDF word unigrams and bigrams (letters and arrows only), the
  answer's overall band as target, pooled over every round. It reads how an answer is written,
  so it never scores alone: its output is one input among the features below.
* ``criterion``: a linear model giving each criterion a score (1.0-4.0) from the detector
  features of :mod:`interviewer.grading.features`, the text score and the level, pooled over every
  rubric with a per-criterion intercept and support slope.
* ``overall``: a linear model giving the answer's overall (1.0-4.0) from the answer features,
  the criteria's weighted mean and the text score, and the three cut points between hire bands.

Both scorers are also fitted without the text score (``criterion_evidence``,
``overall_evidence``); the text layer may pull a score at most ``text_reach`` points from what
the detector evidence alone gives, so words alone never carry a score.

The file also records when and from what it was made: the rubric versions, the sha256 of the
labelled data, and its cross-validated agreement with those labels.

Errors: :class:`CalibrationError` (one line naming the file and the fix) for a file that is
missing, not JSON, of another format, or made for other rubric versions.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

FORMAT = 2
#: what the text layer counts as a word: two or more letters, or an arrow. Figures are left to the
#: detectors, which check what a figure measures; a bare number earns nothing here
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z]+\b|->"
_TOKEN = re.compile(TOKEN_PATTERN)


class CalibrationError(ValueError):
    """A calibration file that cannot be used; ``str()`` is one line with the file and the fix."""


class LinearModel(BaseModel):
    """``intercept + sum(coef[f] * (x[f] - mean[f]) / scale[f])`` over the named features;
    features absent from an input count as 0."""

    features: list[str]
    mean: list[float]
    scale: list[float]
    coef: list[float]
    intercept: float

    def predict(self, x: dict[str, float]) -> float:
        """The model's output for feature values ``x`` (name -> value)."""
        base, slopes = self._folded
        return base + sum(v * slopes[k] for k, v in x.items() if k in slopes)

    @cached_property
    def _folded(self) -> tuple[float, dict[str, float]]:
        """The same model as a constant plus a slope per feature (standardisation folded in)."""
        base = self.intercept - sum(c * m / s for m, s, c in zip(self.mean, self.scale, self.coef))
        return base, {n: c / s for n, s, c in zip(self.features, self.scale, self.coef) if c}


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


class OverallModel(LinearModel):
    """The overall model plus ``cuts``: fitted values at which bands 2, 3 and 4 begin."""

    cuts: tuple[float, float, float]


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
    """A fitted offline scorer (see the module docstring). ``rubrics``: rubric id -> version.
    ``criterion_evidence``/``overall_evidence``: the same models fitted without the text layer;
    the text layer may move a score at most ``text_reach`` points (on the 1-4 scale) from theirs."""

    kind: Literal["interviewer-calibration"] = "interviewer-calibration"
    format: int = FORMAT
    created: str
    rubrics: dict[str, int]
    training: Training
    cv: CrossValidation | None = None
    text: TextModel
    criterion: LinearModel
    overall: OverallModel
    criterion_evidence: LinearModel
    overall_evidence: LinearModel
    text_reach: float = Field(ge=0)

    def save(self, path: Path | str) -> None:
        """Write the calibration as JSON to ``path`` (keys sorted, so a refit diffs cleanly)."""
        Path(path).write_text(json.dumps(self.model_dump(mode="json"), indent=1, sort_keys=True) + "\n", encoding="utf-8")


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


def criterion_values(cal: Calibration, ev, rubric, text_score: float) -> dict[str, tuple[float, float]]:
    """Each applicable criterion's (model output, value held under its evidence ceiling), both
    on the 1-4 scale and floats; the text layer's pull bounded by ``cal.text_reach``."""
    from interviewer.grading.features import bounded, criterion_inputs

    out = {}
    for c in rubric.criteria:
        ce = ev.criteria[c.id]
        if ce.applies:
            x = criterion_inputs(ev, rubric, c, text_score)
            raw = _within(cal.criterion.predict(x), cal.criterion_evidence.predict(x), cal.text_reach)
            out[c.id] = (raw, bounded(raw, ce.ceiling))
    return out


def overall_value(cal: Calibration, ev, rubric, text_score: float, values: dict[str, float]) -> float:
    """The overall model's output for criterion ``values`` (id -> 1-4), the text layer's pull
    bounded by ``cal.text_reach`` and the result held under the evidence ceiling."""
    from interviewer.grading.features import overall_inputs

    x = overall_inputs(ev, rubric, text_score, values)
    return min(_within(cal.overall.predict(x), cal.overall_evidence.predict(x), cal.text_reach), ev.overall_ceiling)


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


def band_score(cal: Calibration, value: float) -> float:
    """Map the overall model's output onto the 1.0-4.0 scale whose band cuts are 1.75, 2.5 and
    3.25: linearly through the fitted cuts, with tails that approach 1 and 4 without reaching
    them, so the shown score keeps the model's order and agrees with its band."""
    c1, c2, c3 = cal.overall.cuts
    if value < c1:  # the tails decay over one point of the model's scale, so weak answers keep their order
        return 1.0 + 0.75 * math.exp(value - c1)
    if value < c2:
        return 1.75 + 0.75 * (value - c1) / (c2 - c1)
    if value < c3:
        return 2.5 + 0.75 * (value - c2) / (c3 - c2)
    return 4.0 - 0.75 * math.exp(-(value - c3))


def soft_ceiling(score: float, ceiling: float, width: float = 0.25) -> float:
    """``score`` held below ``ceiling``: unchanged up to ``ceiling - width``, then approaching
    the ceiling without reaching it, so what the evidence does not allow never shows and the
    order of answers under the ceiling is kept."""
    knee = ceiling - width
    if score <= knee:
        return score
    return knee + width * (1.0 - math.exp(-(score - knee) / width))
