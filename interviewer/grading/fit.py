"""Fitting and measuring the offline scorer against labelled answers (``interviewer calibrate``).

This is the only module that imports scikit-learn and numpy, and only ``calibrate`` imports it.

Labelled answers are JSON lines in the schema of ``data/calibration/*.jsonl``: ``id``,
``round`` (or ``rubric``), ``level`` (L4-L6, default L5), ``question``, ``answer``, ``labels``
(criterion id -> score 1-4 or null) and ``overall`` (the hire band 1-4).

:func:`fit` fits a :class:`~interviewer.grading.model.Calibration` and cross-validates it;
:func:`measure` compares any grader's scores with the labels. Agreement is quadratic weighted
kappa (QWK: 1 perfect, 0 chance) on the 1-4 scale, exact agreement, and a confusion matrix.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import random
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field, ValidationError, field_validator
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import Ridge
from sklearn.metrics import cohen_kappa_score, confusion_matrix
from scipy.optimize import nnls
from sklearn.model_selection import KFold, StratifiedKFold

from interviewer.grading import features as F
from interviewer.grading.model import (
    FORMAT,
    TOKEN_PATTERN,
    Agreement,
    Calibration,
    CrossValidation,
    TextModel,
    Training,
    criterion_value,
)
from interviewer.grading.linear import LinearModel
from interviewer.grading.features import criterion_inputs, sign, text_for_model
from interviewer.grading.fit_text import (
    Pair,
    StoryRow,
    TaggedAnswer,
    UnitRow,
    answer_units,
    fit_relevance,
    fit_relevance_vocab,
    fit_story,
    fit_tagger,
    read_jsonl,
    read_tags,
    tags_for,
)
from interviewer.grading.question import read_question
from interviewer.grading.read import Text, units
from interviewer.grading.story import StoryModel
from interviewer.grading.tagger import TaggerModel, tag
from interviewer.scoring import QuestionRead
from interviewer.rubrics import LEVELS, Rubric
from interviewer.grading.score import OfflineGrader

#: ridge penalties (on standardised features); chosen by cross-validation on the shipped data
ALPHA_TEXT, ALPHA_CRITERION = 1.0, 10.0
#: how far (points on the 1-4 scale) the text layer may move a criterion or the overall from
#: what the detector evidence alone gives: words alone can never carry a score
TEXT_REACH = 0.5
SCORES = [1, 2, 3, 4]


class LabelledError(Exception):
    """A labelled file or line that cannot be used; ``str()`` is one line: file:line, what, fix."""


class Labelled(BaseModel):
    """One labelled answer. ``labels``: criterion id -> 1-4 or None; ``overall``: band 1-4."""

    id: str
    round: str | None = None
    rubric: str | None = None
    level: str = "L5"
    question: str | None = None
    answer: str = Field(min_length=1)
    labels: dict[str, int | None] = Field(default_factory=dict)
    overall: int = Field(ge=1, le=4)
    story_type: str | None = None
    wrong_question: str | None = Field(default=None, description="a question of the same round this answer does not answer")
    source: str = Field(default="", exclude=True, description="file:line it was read from")

    @field_validator("level")
    @classmethod
    def _level(cls, v: str) -> str:
        if v.upper() not in LEVELS:
            raise ValueError(f"level {v!r} is not one of {', '.join(LEVELS)}")
        return v.upper()

    @field_validator("labels")
    @classmethod
    def _scores(cls, v: dict[str, int | None]) -> dict[str, int | None]:
        bad = {k: s for k, s in v.items() if s is not None and not 1 <= s <= 4}
        if bad:
            raise ValueError(f"labels must be 1-4 or null, got {bad}")
        return v


@dataclass
class Example:
    """A labelled answer with its rubric, the answer and question read once (``t``, ``found``,
    ``question``), and the evidence as read with the models being fitted (``evidence``, and
    ``text``: the answer as the text layer reads it). ``units``: its units as tagger training
    rows, when it has sentence-level tags."""

    row: Labelled
    rubric: Rubric
    t: Text
    question: QuestionRead
    evidence: F.AnswerEvidence
    text: str
    units: list[UnitRow] | None = None

    def read_with(self, tagger: TaggerModel | None) -> F.AnswerEvidence:
        """The evidence as ``tagger`` tags this answer's units (the detectors are not run again)."""
        tags = None
        if tagger is not None:
            found = F.detect(self.t, self.rubric)[1]
            tags = tag(tagger, self.t, found, self.rubric)
        return F.extract(self.t, self.rubric, self.row.level, self.question, tags)

    def use(self, evidence: F.AnswerEvidence) -> None:
        """Make ``evidence`` the example's evidence (and its text layer input)."""
        self.evidence, self.text = evidence, text_for_model(evidence)


@dataclass
class Extras:
    """Training data beyond the labelled answers: sentence-level ``tags`` by answer id, the
    ``sentences`` (off/addr) rows, the labelled ``stories``, and relevance ``pairs`` made from
    answers that are not labelled (exemplars)."""

    tags: dict[str, TaggedAnswer] = field(default_factory=dict)
    sentences: list[dict] = field(default_factory=list)
    stories: list[StoryRow] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path | str) -> Extras:
        """The training data in ``folder`` (``evidence-tags.jsonl``, ``sentences.jsonl``,
        ``stories.jsonl``; each optional) and the exemplars beside the question bank."""
        folder = Path(folder)
        out = cls()
        if (folder / "evidence-tags.jsonl").is_file():
            out.tags = read_tags(folder / "evidence-tags.jsonl")
        if (folder / "sentences.jsonl").is_file():
            out.sentences = read_jsonl(folder / "sentences.jsonl")
        if (folder / "stories.jsonl").is_file():
            out.stories = [StoryRow(d["story"], d["story_type"], d.get("themes") or []) for d in read_jsonl(folder / "stories.jsonl")]
        out.pairs = exemplar_pairs()
        return out


def rubric_of(row: Labelled, forced: Rubric | None = None) -> Rubric:
    """The rubric a labelled answer is graded with, decided as for batch grading
    (:func:`interviewer.batch.rubric_for`). Raises ``ValueError`` (one line) for an unknown id."""
    from interviewer.batch import Item, rubric_for

    return rubric_for(Item(row.id, row.answer, row.source, row.question, row.round, row.rubric, row.level), forced)


def read_labelled(paths: list[str], *, level: str | None = None, rubric: Rubric | None = None) -> tuple[list[Labelled], dict[str, str]]:
    """Read labelled JSONL files. Returns the answers and each file's sha256 (by file name).

    ``level`` overrides every answer's level; ``rubric`` every answer's rubric. Raises
    :class:`LabelledError` for an unreadable file, a line that is not a valid labelled answer,
    an unknown rubric or round, or a file with no answers."""
    rows: list[Labelled] = []
    hashes: dict[str, str] = {}
    for path in paths:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise LabelledError(f"{path}: cannot read ({exc.strerror}) — fix: check the path") from None
        hashes[Path(path).name] = hashlib.sha256(data).hexdigest()
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise LabelledError(f"{path}: not UTF-8 text — fix: save it as UTF-8 JSON lines") from None
        n = 0
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                row = Labelled.model_validate(obj)
            except ValueError as exc:
                msg = exc.errors()[0]["msg"] if isinstance(exc, ValidationError) else str(exc).split(":")[0]
                where = ".".join(str(p) for p in exc.errors()[0]["loc"]) + ": " if isinstance(exc, ValidationError) else ""
                raise LabelledError(f"{path}:{lineno}: {where}{msg} — fix: one JSON object a line with id, round, answer, labels and overall") from None
            if level:
                row.level = level.upper()
            row.source = f"{path}:{lineno}"
            try:
                rubric_of(row, rubric)
            except ValueError as exc:
                raise LabelledError(str(exc)) from None
            rows.append(row)
            n += 1
        if not n:
            raise LabelledError(f"{path}: no labelled answers — fix: one JSON object a line")
    return rows, hashes


def examples(rows: list[Labelled], rubric: Rubric | None = None, on_progress=None, tags: dict[str, TaggedAnswer] | None = None) -> list[Example]:
    """Read every labelled answer once (detectors run, question read; ``on_progress()`` after
    each), with its tagger training rows where ``tags`` has its sentence-level tags."""
    out = []
    for row in rows:
        rb = rubric_of(row, rubric)
        t, found = F.detect(row.answer, rb)
        q = read_question(row.question, rb)
        ev = F.extract(t, rb, row.level, q)
        units = answer_units(t, found, rb.id, tags[row.id]) if tags and row.id in tags else None
        out.append(Example(row, rb, t, q, ev, text_for_model(ev), units))
        if on_progress:
            on_progress()
    return out


# --------------------------------------------------------------------------- fitting


def _matrix(dicts: list[dict[str, float]], names: list[str]) -> np.ndarray:
    index = {n: i for i, n in enumerate(names)}
    x = np.zeros((len(dicts), len(names)))
    for r, d in enumerate(dicts):
        for k, v in d.items():
            j = index.get(k)
            if j is not None:
                x[r, j] = v
    return x


def _ridge(dicts: list[dict[str, float]], y: np.ndarray, alpha: float) -> LinearModel:
    """Ridge regression on standardised features with each coefficient's sign fixed by what the
    feature means (:func:`interviewer.grading.features.sign`): evidence for can only raise a score and
    evidence against only lower it. Solved exactly as non-negative least squares on the
    ridge-augmented system (scipy's ``nnls``); free-signed features enter as x and -x."""
    names = sorted({k for d in dicts for k in d})
    x = _matrix(dicts, names)
    mean = x.mean(0)
    scale = x.std(0)
    scale[scale < 1e-9] = 1.0
    z = (x - mean) / scale
    signs = [sign(n) for n in names]
    cols, back = [], []
    for j, sg in enumerate(signs):
        for direction in ((1.0, -1.0) if sg == 0 else (float(sg),)):
            cols.append(direction * z[:, j])
            back.append((j, direction))
    a = np.column_stack(cols)
    k = a.shape[1]
    aug = np.vstack([a, np.sqrt(alpha) * np.eye(k)])
    target = np.concatenate([y - y.mean(), np.zeros(k)])
    w, _ = nnls(aug, target, maxiter=50 * k)
    coef = np.zeros(len(names))
    for (j, direction), wi in zip(back, w):
        coef[j] += direction * wi
    return LinearModel(features=names, mean=mean.tolist(), scale=scale.tolist(), coef=coef.tolist(), intercept=float(y.mean()))


def text_vectorizer() -> TfidfVectorizer:
    """The text layer's TF-IDF, as :class:`~interviewer.grading.model.TextModel` reproduces it."""
    return TfidfVectorizer(sublinear_tf=True, min_df=3, ngram_range=(1, 2), token_pattern=TOKEN_PATTERN)


def _fit_text(texts: list[str], y: np.ndarray) -> TextModel:
    vec = text_vectorizer()
    a = vec.fit_transform(texts)
    model = Ridge(alpha=ALPHA_TEXT).fit(a, y)
    vocab = vec.get_feature_names_out()
    return TextModel(ngram_max=2, idf={t: float(i) for t, i in zip(vocab, vec.idf_)},
                     coef={t: float(c) for t, c in zip(vocab, model.coef_) if abs(c) > 1e-9}, intercept=float(model.intercept_))


def _splitter(k: int, seed: int, strata: list[str]):
    counts: dict[str, int] = {}
    for s in strata:
        counts[s] = counts.get(s, 0) + 1
    if min(counts.values()) >= k:
        return StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(strata)), strata)
    bands = [s.rsplit("|", 1)[-1] for s in strata]
    if min(bands.count(b) for b in set(bands)) >= k:
        return StratifiedKFold(k, shuffle=True, random_state=seed).split(np.zeros(len(strata)), bands)
    return KFold(k, shuffle=True, random_state=seed).split(np.zeros(len(strata)))


def _out_of_fold_text(exs: list[Example], k: int = 5) -> np.ndarray:
    """Each answer's text score from a text model that did not see it (for stacking)."""
    y = np.array([e.row.overall for e in exs], dtype=float)
    out = np.zeros(len(exs))
    strata = [f"{e.rubric.id}|{e.row.overall}" for e in exs]
    for tr, te in _splitter(min(k, len(exs)), 1234, strata):
        model = _fit_text([exs[i].text for i in tr], y[tr])
        out[te] = [model.predict(exs[i].text) for i in te]
    return out


def _criterion_rows(exs: list[Example], text_scores: np.ndarray) -> tuple[list[dict[str, float]], list[float], list[str]]:
    """The criterion model's training rows: every labelled criterion the answer shows (a criterion
    not shown is a 1 by rule, not by the model), its inputs, label and ``rubric.criterion`` key."""
    x, y, keys = [], [], []
    for e, ts in zip(exs, text_scores):
        for c in e.rubric.criteria:
            label = e.row.labels.get(c.id)
            if label is None or not e.evidence.criteria[c.id].shown:
                continue
            x.append(criterion_inputs(e.evidence, e.rubric, c, ts, e.row.level))
            y.append(float(label))
            keys.append(f"{e.rubric.id}.{c.id}")
    return x, y, keys


def _fit_cuts(values: np.ndarray, gold: np.ndarray) -> tuple[float, float, float]:
    """Cut points on a model's scale that give the training items the labels' share of each
    score: the cut for score k+1 sits midway between the items ranked either side of the share
    labelled k or lower. (Cross-validated, this agreed better than cuts searched to maximise
    QWK, which let 2s slide into 1s.)"""
    v = np.sort(values)
    n = len(v)
    cuts = []
    for k in (1, 2, 3):
        i = min(max(int(round(float((gold <= k).mean()) * n)), 1), n - 1)
        cuts.append(float((v[i - 1] + v[i]) / 2))
    for k in (1, 2):  # a score nobody was labelled with still gets a sliver of the scale
        cuts[k] = max(cuts[k], cuts[k - 1] + 1e-6)
    return cuts[0], cuts[1], cuts[2]


def _without_text(rows: list[dict[str, float]]) -> list[dict[str, float]]:
    return [{k: v for k, v in x.items() if k != "text"} for x in rows]


def _fit_scorers(exs: list[Example], text_scores: np.ndarray) -> Calibration:
    """The criterion model, with and without the text layer (no cuts yet), given each answer's
    text score; returned as a calibration to apply with."""
    cx, cy, _ = _criterion_rows(exs, text_scores)
    return Calibration.model_construct(created="", rubrics={}, training=None, criterion=_ridge(cx, np.array(cy), ALPHA_CRITERION),
                                       criterion_evidence=_ridge(_without_text(cx), np.array(cy), ALPHA_CRITERION), cuts={},
                                       text_reach=TEXT_REACH)


#: a criterion with fewer labelled values than this shares the cuts fitted on every criterion
MIN_CUT_LABELS = 12


def _fit_tagger(exs: list[Example], extras: Extras) -> TaggerModel | None:
    rows = [u for e in exs if e.units for u in e.units]
    if not rows:
        return None
    from interviewer.grading.fit_text import sentence_units
    from interviewer.rubrics import all_rubrics

    return fit_tagger(rows + sentence_units(extras.sentences), {rid: r for rid, r in all_rubrics().items() if any(e.rubric.id == rid for e in exs)})


def _read_out_of_fold(exs: list[Example], extras: Extras, k: int = 5) -> TaggerModel | None:
    """Fit the tagger on every tagged answer, and give each answer the evidence a tagger that did
    not see its tags reads (k-fold over the tagged answers; the others read with the full one),
    so the criterion model learns from tags as they will be on answers the fit has not seen."""
    full = _fit_tagger(exs, extras)
    if full is None:
        for e in exs:
            e.use(e.read_with(None))
        return None
    tagged = [i for i, e in enumerate(exs) if e.units]
    random.Random(99).shuffle(tagged)
    folds = [tagged[j::k] for j in range(k)]
    for fold in folds:
        held = set(fold)
        model = _fit_tagger([e for i, e in enumerate(exs) if i not in held], extras)
        for i in fold:
            e = exs[i]
            e.use(F.extract(e.t, e.rubric, e.row.level, e.question, tags_for(model, units(e.t), e.units, e.rubric)))
    for i, e in enumerate(exs):
        if not e.units:
            e.use(e.read_with(full))
    return full


def _fit_models(exs: list[Example], extras: Extras | None = None, k: int = 5) -> Calibration:
    """Fit the scorer. The tagger's tags, the criterion model's text scores and each criterion's
    cuts are all learned from out-of-fold values, so they are set as they will behave on answers
    the fit has not seen. Returns a calibration without its provenance fields."""
    extras = extras or Extras()
    tagger = _read_out_of_fold(exs, extras, k)
    y = np.array([e.row.overall for e in exs], dtype=float)
    text = _fit_text([e.text for e in exs], y)
    oof = _out_of_fold_text(exs, k)
    cal = _fit_scorers(exs, oof)
    _, gold, keys = _criterion_rows(exs, oof)
    values = np.zeros(len(gold))
    strata = [f"{e.rubric.id}|{e.row.overall}" for e in exs]
    offsets = np.cumsum([0] + [len(_criterion_rows([e], oof[i:i + 1])[1]) for i, e in enumerate(exs)])
    for tr, te in _splitter(min(k, len(exs)), 4321, strata):
        fold = _fit_scorers([exs[i] for i in tr], oof[tr])
        for i in te:
            rows, _, _ = _criterion_rows([exs[i]], oof[i:i + 1])
            values[offsets[i]:offsets[i + 1]] = [criterion_value(fold, x) for x in rows]
    gold = np.array(gold)
    pooled = _fit_cuts(values, gold)
    cuts = {}
    for key in sorted(set(keys)):
        mask = np.array([kk == key for kk in keys])
        cuts[key] = _fit_cuts(values[mask], gold[mask]) if mask.sum() >= MIN_CUT_LABELS else pooled
    cal.text = text
    cal.cuts = cuts
    cal.tagger = tagger
    cal.story = _fit_story(exs, extras)
    cal.relevance, cal.relevance_cv = _fit_relevance(exs, extras, cal.story)
    return cal


def _similar(a: str, b: str) -> bool:
    """Two questions that ask much the same (a fifth or more of their content words shared)."""
    from interviewer.grading.vectors import tokens

    x, y = set(tokens(a)), set(tokens(b))
    return bool(x and y) and len(x & y) / len(x | y) >= 0.2


def _negatives(answer_type: str | None, own: str, rubric: Rubric, bank, rng: random.Random, n: int) -> list:
    """Up to ``n`` bank questions of the round an answer to ``own`` does not answer: not alike
    in words, and for story rounds asking for story types other than the answer's (a question
    open to any story is never one). Recruiter-screen questions overlap too much to be used."""
    from interviewer.grading.relevance import round_questions

    if rubric.round == "recruiter_screen":
        return []
    pool = []
    for q in round_questions(bank, rubric):
        if _similar(q.text, own):
            continue
        if rubric.round in ("behavioral", "hiring_manager", "story"):
            if not q.story_types or answer_type is None or answer_type in q.story_types:
                continue
        pool.append(q)
    rng.shuffle(pool)
    return pool[:n]


def relevance_pairs(exs: list[Example], bank) -> list[Pair]:
    """Each labelled answer with its own question (answers it), with its ``wrong_question``
    when labelled, and with up to two bank questions of its round it does not answer."""
    from interviewer.grading.question import read_question as rq

    rng = random.Random(5)
    out = []
    for e in exs:
        if not e.row.question:
            continue
        out.append(Pair(e.row.answer, e.rubric, e.question, True, e.row.id))
        if e.row.wrong_question:
            out.append(Pair(e.row.answer, e.rubric, rq(e.row.wrong_question, e.rubric, bank), False, e.row.id))
        for q in _negatives(e.row.story_type, e.row.question, e.rubric, bank, rng, 2):
            out.append(Pair(e.row.answer, e.rubric, rq(q.text, e.rubric, bank), False, e.row.id))
    return out


def exemplar_pairs() -> list[Pair]:
    """The exemplars' answers with their own bank question and with two it does not answer."""
    from interviewer.grading.question import read_question as rq
    from interviewer.rubrics import load_exemplars, load_question_bank, rubric_for_round

    try:
        exemplars = load_exemplars()
    except FileNotFoundError:
        return []
    bank = load_question_bank()
    rng = random.Random(6)
    out = []
    for qid, ex in exemplars.questions.items():
        q = bank.get(qid)
        rubric = rubric_for_round(bank.round_of(qid))
        for kind, a in (("strong", ex.strong), ("weak", ex.weak)):
            group = f"exemplar:{qid}:{kind}"
            out.append(Pair(a.answer, rubric, rq(q.text, rubric, bank), True, group))
            answer_type = q.story_types[0] if len(q.story_types) == 1 else None
            for other in _negatives(answer_type, q.text, rubric, bank, rng, 2):
                out.append(Pair(a.answer, rubric, rq(other.text, rubric, bank), False, group))
    return out


def _fit_story(exs: list[Example], extras: Extras) -> StoryModel | None:
    """The story model, on the labelled stories and the story types of tagged answers."""
    rows = list(extras.stories)
    for e in exs:
        tagged = extras.tags.get(e.row.id)
        st = (tagged.story_type if tagged else None) or e.row.story_type
        if st and e.rubric.round in ("behavioral", "hiring_manager", "story"):
            rows.append(StoryRow(e.row.answer, st, (tagged.themes if tagged else None) or []))
    if len({r.story_type for r in rows}) < 2:
        return None
    return fit_story(rows)


def _fit_relevance(exs: list[Example], extras: Extras, story: StoryModel | None):
    """The relevance model, on each labelled answer with its own question and with other
    questions of its round it does not answer (and the exemplars' pairs)."""
    from interviewer.rubrics import load_question_bank

    bank = load_question_bank()
    pairs = relevance_pairs(exs, bank) + list(extras.pairs)
    if len({p.addresses for p in pairs}) < 2:
        return None, None
    vocab = fit_relevance_vocab([p.answer for p in pairs] + [q.text for qs in bank.rounds.values() for q in qs])
    model, report = fit_relevance(pairs, vocab, story, bank)
    return model, report


def fit(rows: list[Labelled], hashes: dict[str, str], *, folds: int = 5, repeats: int = 3, cv: bool = True,
        rubric: Rubric | None = None, extras: Extras | None = None, on_progress=None) -> Calibration:
    """Fit a calibration to ``rows`` (see :func:`fit_examples`)."""
    extras = extras or Extras()
    return fit_examples(examples(rows, rubric, tags=extras.tags), hashes, folds=folds, repeats=repeats, cv=cv, extras=extras,
                        on_progress=on_progress)


def fit_examples(exs: list[Example], hashes: dict[str, str], *, folds: int = 5, repeats: int = 3, cv: bool = True,
                 extras: Extras | None = None, on_progress=None) -> Calibration:
    """Fit a calibration to labelled answers (at least ``2 * folds``) and, with ``cv``, measure
    it by ``repeats`` x ``folds``-fold cross-validation; ``on_progress()`` is called after the
    fit and after each fold. ``hashes``: file name -> sha256 of the labelled files. The fit is
    deterministic: the same answers give the same calibration (but its ``created`` time).
    Raises ``ValueError`` for too few answers."""
    if len(exs) < 2 * folds:
        raise ValueError(f"{len(exs)} labelled answers are too few to fit and cross-validate; label at least {2 * folds}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fitted = _fit_models(exs, extras)
        if on_progress:
            on_progress()
        report = cross_validate(exs, folds=folds, repeats=repeats, extras=extras, on_progress=on_progress) if cv else None
    combined = hashlib.sha256("".join(f"{k}:{v}\n" for k, v in sorted(hashes.items())).encode()).hexdigest()
    by_round: dict[str, int] = {}
    for e in exs:
        by_round[e.rubric.id] = by_round.get(e.rubric.id, 0) + 1
    return Calibration(
        format=FORMAT, created=_dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        rubrics={e.rubric.id: e.rubric.version for e in exs},
        training=Training(files=hashes, sha256=combined, answers=len(exs), by_round=dict(sorted(by_round.items()))),
        cv=report, text=fitted.text, criterion=fitted.criterion, criterion_evidence=fitted.criterion_evidence, cuts=fitted.cuts,
        text_reach=fitted.text_reach, tagger=fitted.tagger, story=fitted.story, relevance=fitted.relevance, relevance_cv=fitted.relevance_cv,
    )


# --------------------------------------------------------------------------- measuring


def _qwk(gold, pred) -> float:
    gold, pred = list(map(int, gold)), list(map(int, pred))
    if len(set(gold) | set(pred)) < 2:
        return 1.0 if gold == pred else 0.0
    return float(cohen_kappa_score(gold, pred, weights="quadratic", labels=SCORES))


def agreement(gold, pred) -> Agreement:
    """QWK, exact share and count of two equal-length lists of 1-4 scores."""
    n = len(gold)
    return Agreement(qwk=round(_qwk(gold, pred), 4), exact=round(sum(int(a) == int(b) for a, b in zip(gold, pred)) / n, 4) if n else 0.0, n=n)


@dataclass
class Scored:
    """A grader's scores for the labelled answers: overall band and criterion scores by answer."""

    bands: dict[str, int | None] = field(default_factory=dict)
    criteria: dict[str, dict[str, int | None]] = field(default_factory=dict)


def _summarise(exs: list[Example], runs: list[Scored]) -> tuple[Agreement, dict[str, Agreement], dict[str, Agreement]]:
    """Agreement averaged over ``runs`` (one per repeat), overall, per rubric and per criterion."""
    def avg(pairs_per_run: list[tuple[list[int], list[int]]]) -> Agreement:
        ags = [agreement(g, p) for g, p in pairs_per_run if g]
        if not ags:
            return Agreement(qwk=0.0, exact=0.0, n=0)
        return Agreement(qwk=round(sum(a.qwk for a in ags) / len(ags), 4), exact=round(sum(a.exact for a in ags) / len(ags), 4), n=ags[0].n)

    def pairs(run: Scored, keep) -> tuple[list[int], list[int]]:
        g, p = [], []
        for e in exs:
            if keep(e) and run.bands.get(e.row.id) is not None:
                g.append(e.row.overall)
                p.append(run.bands[e.row.id])
        return g, p

    overall = avg([pairs(r, lambda e: True) for r in runs])
    rubrics = {rid: avg([pairs(r, lambda e, rid=rid: e.rubric.id == rid) for r in runs]) for rid in sorted({e.rubric.id for e in exs})}
    crits: dict[str, Agreement] = {}
    keys = sorted({(e.rubric.id, c) for e in exs for c, v in e.row.labels.items() if v is not None})
    for rid, cid in keys:
        per_run = []
        for r in runs:
            g, p = [], []
            for e in exs:
                lab = e.row.labels.get(cid)
                got = r.criteria.get(e.row.id, {}).get(cid)
                if e.rubric.id == rid and lab is not None and got is not None:
                    g.append(lab)
                    p.append(got)
            per_run.append((g, p))
        crits[f"{rid}.{cid}"] = avg(per_run)
    return overall, rubrics, crits


def cross_validate(exs: list[Example], *, folds: int = 5, repeats: int = 3, extras: Extras | None = None, on_progress=None) -> CrossValidation:
    """``repeats`` x ``folds``-fold cross-validation: every answer scored by a fit without it
    (its sentence-level tags and labels unseen by every model of the fit)."""
    from interviewer.grading.score import OfflineGrader

    runs = []
    strata = [f"{e.rubric.id}|{e.row.overall}" for e in exs]
    for rep in range(repeats):
        run = Scored()
        for tr, te in _splitter(folds, rep, strata):
            cal = _fit_models([exs[i] for i in tr], extras)
            grader = OfflineGrader(calibration=cal)
            for i in te:
                s = grader.score_evidence(exs[i].read_with(cal.tagger), exs[i].rubric, exs[i].row.level)
                run.bands[exs[i].row.id] = s.overall.band
                run.criteria[exs[i].row.id] = {c.id: c.score for c in s.criteria}
            if on_progress:
                on_progress()
        runs.append(run)
    overall, rubrics, crits = _summarise(exs, runs)
    return CrossValidation(folds=folds, repeats=repeats, overall=overall, rounds=rubrics, criteria=crits)


@dataclass
class Measurement:
    """How a grader agrees with labelled answers: ``overall``, per rubric and per criterion, the
    overall confusion matrix (rows: labelled band 1-4, columns: the grader's band 1-4), and the
    answers it could not score."""

    overall: Agreement
    rounds: dict[str, Agreement]
    criteria: dict[str, Agreement]
    confusion: list[list[int]]
    unscored: list[str]
    in_sample: bool = False


def measure(exs: list[Example], scored: Scored, *, in_sample: bool = False) -> Measurement:
    """Compare ``scored`` (a grader's bands and criterion scores by answer id) with the labels."""
    overall, rubrics, crits = _summarise(exs, [scored])
    g = [e.row.overall for e in exs if scored.bands.get(e.row.id) is not None]
    p = [scored.bands[e.row.id] for e in exs if scored.bands.get(e.row.id) is not None]
    matrix = confusion_matrix(g, p, labels=SCORES).tolist() if g else [[0] * 4 for _ in range(4)]
    unscored = [e.row.id for e in exs if scored.bands.get(e.row.id) is None]
    return Measurement(overall, rubrics, crits, matrix, unscored, in_sample)


def grade_offline(exs: list[Example], grader: OfflineGrader, on_progress=None) -> Scored:
    """Score every labelled answer with the offline ``grader`` (the answers already read; its
    tagger tags their units)."""
    out = Scored()
    for e in exs:
        s = grader.score_evidence(e.read_with(grader.calibration.tagger), e.rubric, e.row.level)
        out.bands[e.row.id] = s.overall.band if s.status == "scored" else None
        out.criteria[e.row.id] = {c.id: c.score for c in s.criteria}
        if on_progress:
            on_progress()
    return out


def scored_from(results) -> Scored:
    """A grader's scores from batch results (:class:`interviewer.batch.Result`); an answer that
    failed or ended unscored has no band."""
    out = Scored()
    for r in results:
        s = r.score
        out.bands[r.id] = s.overall.band if s is not None and s.status == "scored" else None
        out.criteria[r.id] = {c.id: c.score for c in s.criteria} if s is not None else {}
    return out
