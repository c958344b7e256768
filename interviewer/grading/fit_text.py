"""Fitting the text models of the pipeline (scikit-learn; imported only by ``interviewer calibrate``):
the unit tagger and sentence model (:mod:`.tagger`), the story model (:mod:`.story`) and the
relevance model (:mod:`.relevance`).

Vectors are made by :class:`~interviewer.grading.vectors.Vocabulary` itself, so a model is fitted
on exactly the numbers it is applied to. Training data, all in ``data/calibration/``:

* ``evidence-tags.jsonl``: per labelled answer, its units with their tags (``<criterion>+``,
  ``<criterion>-``, ``off``, ``addr``), its story type and themes (see that folder's README);
* ``sentences.jsonl``: sentences labelled ``story``, ``off_story`` or ``grader_address``;
* ``stories.jsonl``: stories labelled with their story type and themes.
"""

from __future__ import annotations

import json
import math
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression

from interviewer.grading.linear import LinearModel
from interviewer.grading.read import Text, units
from interviewer.grading.relevance import RelevanceModel, features as relevance_features, round_questions
from interviewer.grading.story import StoryModel
from interviewer.grading.tagger import TaggerModel, UnitTags, sentence_extra, unit_features
from interviewer.grading.vectors import LinearText, Vocabulary, ngrams, tokens
from interviewer.rubrics import QuestionBank, Rubric
from interviewer.scoring import STORY_TYPES, QuestionRead

THEMES = ("ownership", "judgment", "candor", "freedom_responsibility", "context_not_control")
#: the unit models' class weights: "balanced" weighs the rarer class up, so a unit that is evidence is
#: found even where such units are few (cross-validated: mean criterion QWK 0.63 -> 0.73; off-story
#: recall on unseen wordings 0.33 -> 0.77 at a precision of 0.96)
TAGGER_CLASS_WEIGHT: str | None = "balanced"
#: a label needs at least this many positive units to get a model of its own (else never tagged)
MIN_POSITIVES = 4
#: inverse regularisation of the logistic models (chosen by cross-validation on the shipped data)
C_TAGGER, C_SENTENCES, C_STORY, C_RELEVANCE = 4.0, 4.0, 16.0, 1.0


# --------------------------------------------------------------------------- data


@dataclass
class TaggedAnswer:
    """An answer's sentence-level tags as annotated: ``spans`` (start, end, tags) in the answer,
    its story type and themes (story rounds only)."""

    id: str
    spans: list[tuple[int, int, list[str]]]
    story_type: str | None
    themes: list[str]


def read_tags(path: Path | str) -> dict[str, TaggedAnswer]:
    """Read ``evidence-tags.jsonl`` (one object a line: ``id``, ``units`` [{start, end, tags}],
    ``story_type``, ``themes``). Raises ``ValueError`` naming the line for a malformed one."""
    out = {}
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            d = json.loads(line)
            out[d["id"]] = TaggedAnswer(d["id"], [(u["start"], u["end"], list(u["tags"])) for u in d["units"]], d.get("story_type"),
                                        list(d.get("themes") or []))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a tagged answer ({exc}) — fix: one JSON object a line with id and units") from None
    return out


def unit_targets(t: Text, tagged: TaggedAnswer) -> list[set[str]]:
    """The tags of each of ``t``'s current units: those of the annotated spans it overlaps most
    (units and annotated spans come from the same segmentation unless it changed since)."""
    out = []
    for s, e in units(t):
        got: set[str] = set()
        best = 0
        for a, b, tags in tagged.spans:
            overlap = min(e, b) - max(s, a)
            if overlap > 0 and overlap * 2 >= min(e - s, b - a):
                got |= set(tags)
            best = max(best, overlap)
        out.append(got)
    return out


def read_jsonl(path: Path | str) -> list[dict]:
    """Every JSON object of a JSON-lines file."""
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


# --------------------------------------------------------------------------- vectors


def fit_vocabulary(docs: list[tuple[str, list[str]]], ngram_max: int = 2, min_df: int = 2) -> Vocabulary:
    """A vocabulary over ``docs`` (text, extra features): terms in at least ``min_df`` documents,
    smooth idf ``ln((1 + n) / (1 + df)) + 1`` as scikit-learn computes it."""
    df: Counter[str] = Counter()
    for text, extra in docs:
        df.update(set(ngrams(tokens(text), ngram_max)) | set(extra))
    n = len(docs)
    return Vocabulary(ngram_max=ngram_max, idf={t: math.log((1 + n) / (1 + c)) + 1.0 for t, c in df.items() if c >= min_df})


def design(vocab: Vocabulary, docs: list[tuple[str, list[str]]]) -> tuple[sparse.csr_matrix, list[str]]:
    """The documents as rows of a sparse matrix over the vocabulary's terms (columns named)."""
    names = sorted(vocab.idf)
    index = {t: i for i, t in enumerate(names)}
    rows, cols, vals = [], [], []
    for r, (text, extra) in enumerate(docs):
        for t, v in vocab.vector(text, extra).items():
            rows.append(r)
            cols.append(index[t])
            vals.append(v)
    return sparse.csr_matrix((vals, (rows, cols)), shape=(len(docs), len(names))), names


def _multilabel(x: sparse.csr_matrix, names: list[str], y: dict[str, np.ndarray], c: float,
                class_weight: str | None = None) -> LinearText:
    """One logistic model per label (a label with too few positives is never predicted)."""
    labels = sorted(y)
    intercept, coef = [], np.zeros((len(names), len(labels)))
    for j, label in enumerate(labels):
        target = y[label]
        if target.sum() < MIN_POSITIVES or target.sum() == len(target):
            intercept.append(-20.0)
            continue
        m = LogisticRegression(C=c, max_iter=2000, solver="liblinear", class_weight=class_weight).fit(x, target)
        intercept.append(float(m.intercept_[0]))
        coef[:, j] = m.coef_[0]
    return LinearText(kind="multilabel", labels=labels, intercept=intercept, coef=_sparse(names, coef))


#: weights smaller than this are left out of a stored model (their effect on a probability is
#: well under a hundredth for any unit)
MIN_WEIGHT = 0.01


def _sparse(names: list[str], coef: np.ndarray) -> dict[str, dict[int, float]]:
    """Term -> {label index: weight} for the weights of at least :data:`MIN_WEIGHT`, 4 decimals."""
    out = {}
    for t, row in zip(names, coef):
        kept = {int(i): round(float(w), 4) for i, w in enumerate(row) if abs(w) >= MIN_WEIGHT}
        if kept:
            out[t] = kept
    return out


def _multiclass(x: sparse.csr_matrix, names: list[str], y: list[str], labels: list[str], c: float) -> LinearText:
    m = LogisticRegression(C=c, max_iter=3000).fit(x, y)
    order = [list(m.classes_).index(lb) for lb in labels]
    coef = m.coef_[order].T
    return LinearText(kind="multiclass", labels=labels, intercept=[float(m.intercept_[i]) for i in order], coef=_sparse(names, coef))


# --------------------------------------------------------------------------- tagger


@dataclass
class UnitRow:
    """One training unit: its text and extra features, its rubric (None for a sentence from
    ``sentences.jsonl``) and its tags."""

    text: str
    extra: list[str]
    rubric: str | None
    tags: set[str]


def answer_units(t: Text, found, rubric_id: str, tagged: TaggedAnswer) -> list[UnitRow]:
    """An annotated answer's units as training rows."""
    return [UnitRow(text, extra, rubric_id, tags) for (text, extra), tags in zip(unit_features(t, found), unit_targets(t, tagged))]


def sentence_units(rows: list[dict], split: str = "train") -> list[UnitRow]:
    """Rows of ``sentences.jsonl`` in ``split`` as training units for the off/addr model."""
    from interviewer.grading.read import prepare

    out = []
    for r in rows:
        if r.get("split", "train") != split:
            continue
        t = prepare(r["text"])
        extra = ["det:grader_address"] if t.flagged else []
        tags = {"off"} if r["label"] == "off_story" else {"addr"} if r["label"] == "grader_address" else set()
        out.append(UnitRow(r["text"], extra, None, tags))
    return out


def _concept_tags(row: UnitRow, rubrics: dict[str, Rubric]) -> set[str]:
    """A unit's criterion tags as evidence kinds (``impact+`` of a STAR story's ``result+``)."""
    kinds = {c.id: c.evidence_kind for c in rubrics[row.rubric].criteria} if row.rubric in rubrics else {}
    return {kinds[t[:-1]] + t[-1] for t in row.tags if t[-1] in "+-" and t[:-1] in kinds}


def fit_tagger(rows: list[UnitRow], rubrics: dict[str, Rubric]) -> TaggerModel:
    """The unit tagger: per evidence kind, ``+``/``-`` models on the units of every rubric that
    has a criterion of that kind (the rubric a feature of its own); and the off/addr model on
    every unit (answers' and sentences')."""
    vocab = fit_vocabulary([(r.text, [*r.extra, f"rubric:{r.rubric}"]) for r in rows])
    answer_rows = [r for r in rows if r.rubric in rubrics]
    x, names = design(vocab, [(r.text, [*r.extra, f"rubric:{r.rubric}"]) for r in answer_rows])
    tags = [_concept_tags(r, rubrics) for r in answer_rows]
    labels = {}
    for kind in sorted({c.evidence_kind for rb in rubrics.values() for c in rb.criteria}):
        having = np.array([any(c.evidence_kind == kind for c in rubrics[r.rubric].criteria) for r in answer_rows])
        for sgn in "+-":
            labels[f"{kind}{sgn}"] = (having, np.array([f"{kind}{sgn}" in t for t in tags], dtype=int))
    concepts = _multilabel_subsets(x, names, labels, C_TAGGER)
    xs, names = design(vocab, [(r.text, sentence_extra(r.extra)) for r in rows])
    y = {lb: np.array([lb in r.tags for r in rows], dtype=int) for lb in ("off", "addr")}
    return TaggerModel(vocab=vocab, concepts=concepts, sentences=_multilabel(xs, names, y, C_SENTENCES, TAGGER_CLASS_WEIGHT))


def _multilabel_subsets(x: sparse.csr_matrix, names: list[str], labels: dict[str, tuple[np.ndarray, np.ndarray]], c: float) -> LinearText:
    """Like :func:`_multilabel`, each label fitted on its own subset of the rows (``mask``)."""
    order = sorted(labels)
    intercept, coef = [], np.zeros((len(names), len(order)))
    for j, label in enumerate(order):
        mask, target = labels[label]
        t = target[mask]
        if t.sum() < MIN_POSITIVES or t.sum() == len(t):
            intercept.append(-20.0)
            continue
        m = LogisticRegression(C=c, max_iter=2000, solver="liblinear", class_weight=TAGGER_CLASS_WEIGHT).fit(x[mask], t)
        intercept.append(float(m.intercept_[0]))
        coef[:, j] = m.coef_[0]
    return LinearText(kind="multilabel", labels=order, intercept=intercept, coef=_sparse(names, coef))


def tags_of(model: TaggerModel, row: UnitRow, rubric: Rubric | None = None) -> dict[str, float]:
    """The tagger's probabilities for one training unit (the same inputs as :func:`~.tagger.tag`)."""
    svec = model.vocab.vector(row.text, sentence_extra(row.extra))
    p = dict(zip(model.sentences.labels, model.sentences.proba(svec)))
    if rubric is not None:
        got = dict(zip(model.concepts.labels, model.concepts.proba(model.vocab.vector(row.text, [*row.extra, f"rubric:{rubric.id}"]))))
        for c in rubric.criteria:
            for sgn in "+-":
                p[f"{c.id}{sgn}"] = got.get(f"{c.evidence_kind}{sgn}", 0.0)
    return p


def tags_for(model: TaggerModel, spans: list[tuple[int, int]], rows: list[UnitRow], rubric: Rubric) -> UnitTags:
    """An answer's :class:`~.tagger.UnitTags` from its training rows (same order as its units)."""
    return UnitTags(spans, [tags_of(model, r, rubric) for r in rows])


# --------------------------------------------------------------------------- story


@dataclass
class StoryRow:
    """A story with its type and themes."""

    text: str
    story_type: str
    themes: list[str]


def fit_story(rows: list[StoryRow], questions: list[tuple[str, str]] = ()) -> StoryModel:
    """The story-type (multiclass over the six types and ``other``) and theme models, and, from
    ``questions`` ((question, story type or ``any``) pairs), the question model."""
    from interviewer.grading.read import prepare
    from interviewer.grading.story import story_features

    docs = [story_features(prepare(r.text)) for r in rows]
    vocab = fit_vocabulary(docs + [(q, []) for q, _ in questions], ngram_max=1, min_df=2)
    x, names = design(vocab, docs)
    labels = [*STORY_TYPES, "other"]
    types = _multiclass(x, names, [r.story_type for r in rows], labels, C_STORY)
    themes = _multilabel(x, names, {th: np.array([th in r.themes for r in rows], dtype=int) for th in THEMES}, C_STORY)
    qmodel = None
    if len({t for _, t in questions}) >= 2:
        xq, _ = design(vocab, [(q, []) for q, _ in questions])
        present = [lb for lb in [*STORY_TYPES, "any"] if any(t == lb for _, t in questions)]
        qmodel = _multiclass(xq, names, [t for _, t in questions], present, C_STORY)
    return StoryModel(vocab=vocab, types=types, themes=themes, questions=qmodel)


def story_probs(model: StoryModel, text: str) -> dict[str, float]:
    """The story model's probability per type for ``text``."""
    from interviewer.grading.story import type_probs

    return type_probs(model, text)


# --------------------------------------------------------------------------- relevance


@dataclass
class Pair:
    """An answer given a question, and whether it answers it."""

    answer: str
    rubric: Rubric
    question: QuestionRead
    addresses: bool
    group: str


def relevance_rows(pairs: list[Pair], vocab: Vocabulary, story: StoryModel | None, bank: QuestionBank,
                   probs_by_group: dict[str, dict[str, float]] | None = None) -> list[dict[str, float]]:
    """The relevance model's inputs for each pair; a pair's story-type probabilities come from
    ``probs_by_group`` (out-of-fold, for answers the story model was fitted on) when given."""
    out = []
    for p in pairs:
        probs = None
        if story is not None and p.question.story_types:
            probs = (probs_by_group or {}).get(p.group) or story_probs(story, p.answer)
        x, _ = relevance_features(vocab, p.answer, p.question, p.rubric, None, probs, bank)
        out.append(x)
    return out


def fit_relevance_vocab(texts: list[str]) -> Vocabulary:
    """The relevance model's vocabulary: unigrams of answers and questions."""
    return fit_vocabulary([(t, []) for t in texts], ngram_max=1, min_df=2)


def fit_relevance(pairs: list[Pair], vocab: Vocabulary, story: StoryModel | None, bank: QuestionBank,
                  max_false_off: float = 0.03, probs_by_group: dict[str, dict[str, float]] | None = None) -> tuple[RelevanceModel, dict]:
    """Fit the logistic relevance model on ``pairs`` and set its threshold on out-of-fold
    probabilities (grouped by answer): the highest at which at most ``max_false_off`` of the
    answers given their own question are called off it. Returns the model and the out-of-fold
    precision and recall of "off the question" at that threshold."""
    rows = relevance_rows(pairs, vocab, story, bank, probs_by_group)
    y = np.array([0 if p.addresses else 1 for p in pairs])  # 1 = off the question
    groups = sorted({p.group for p in pairs})
    random.Random(7).shuffle(groups)
    fold_of = {g: i % 5 for i, g in enumerate(groups)}
    oof = np.zeros(len(pairs))
    for k in range(5):
        tr = [i for i, p in enumerate(pairs) if fold_of[p.group] != k]
        te = [i for i, p in enumerate(pairs) if fold_of[p.group] == k]
        m = _logistic_rows([rows[i] for i in tr], y[tr])
        oof[te] = [_p_addresses(m, rows[i]) for i in te]
    def cut(mask: np.ndarray) -> float:
        own = np.sort(oof[mask & (y == 0)])
        return float(own[int(math.floor(max_false_off * len(own)))]) if len(own) else 0.5

    threshold = cut(np.ones(len(pairs), dtype=bool))
    rubric_ids = np.array([p.rubric.id for p in pairs])
    thresholds = {rid: cut(rubric_ids == rid) for rid in sorted(set(rubric_ids)) if ((rubric_ids == rid) & (y == 0)).sum() >= 40}
    limit = np.array([thresholds.get(rid, threshold) for rid in rubric_ids])
    pred_off = oof < limit
    tp = int((pred_off & (y == 1)).sum())
    report = {"pairs": len(pairs), "threshold": round(threshold, 4),
              "precision": round(tp / max(1, int(pred_off.sum())), 4), "recall": round(tp / max(1, int((y == 1).sum())), 4),
              "false_off_rate": round(float((pred_off & (y == 0)).sum()) / max(1, int((y == 0).sum())), 4)}
    for rid in sorted(set(rubric_ids)):
        m = rubric_ids == rid
        off = pred_off & m
        report[f"recall:{rid}"] = round(int((off & (y == 1)).sum()) / max(1, int((m & (y == 1)).sum())), 4)
    return RelevanceModel(vocab=vocab, linear=_logistic_rows(rows, y), threshold=threshold, thresholds=thresholds), report


def _logistic_rows(rows: list[dict[str, float]], y_off: np.ndarray) -> LinearModel:
    """A logistic model of "addresses the question" over feature dicts, as a :class:`LinearModel`
    whose output is the log-odds."""
    names = sorted({k for r in rows for k in r})
    x = np.array([[r.get(n, 0.0) for n in names] for r in rows])
    mean, scale = x.mean(0), x.std(0)
    scale[scale < 1e-9] = 1.0
    m = LogisticRegression(C=C_RELEVANCE, max_iter=2000).fit((x - mean) / scale, 1 - y_off)
    return LinearModel(features=names, mean=mean.tolist(), scale=scale.tolist(), coef=m.coef_[0].tolist(), intercept=float(m.intercept_[0]))


def _p_addresses(m: LinearModel, x: dict[str, float]) -> float:
    return 1.0 / (1.0 + math.exp(-m.predict(x)))


__all__ = ["read_tags", "fit_tagger", "fit_story", "fit_relevance", "round_questions"]
