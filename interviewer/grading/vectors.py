"""Words as vectors, in plain Python: the shared vocabulary of the fitted text models.

Tokens are words of two letters or more, lower-cased and lightly stemmed (``counters`` and
``counter``, ``locking`` and ``locked`` meet), or an arrow (``->``). Figures are left to the
detectors, which check what a figure measures. A document is a TF-IDF vector (sublinear tf,
L2-normed) over a fitted vocabulary; :class:`LinearText` applies fitted weights to one, so
reading needs no numpy or scikit-learn (fitting does: :mod:`interviewer.grading.fit`).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from typing import Iterable, Literal

from pydantic import BaseModel, PrivateAttr

_WORD = re.compile(r"[a-z][a-z]+|->|→")
#: words too common to tell one answer or question from another
STOP = frozenset("""
a an the this that these those it its they them their there here we our us you your he she him her his i me my mine
and or but so then than as of in on at to from by for with into onto over under about after before during until since
is are was were be been being am do does did have has had having can could would should will shall may might must
not no nor only just also very really quite too more most less much many some any each every all both either
what which who whom whose when where why how if else while because although though whether one first
um uh like yeah okay ok well actually basically kind sort
""".split())


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem: plural and -ing/-ed endings and a final e removed (``races``, ``racing``,
    ``raced`` -> ``rac``). Not a linguistic stemmer: it only has to make forms of a word meet."""
    w = word
    if len(w) > 4 and w.endswith("ies"):
        w = w[:-3] + "y"
    elif len(w) > 5 and w.endswith("ing"):
        w = w[:-3]
    elif len(w) > 4 and w.endswith("ed"):
        w = w[:-2]
    elif len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


def tokens(text: str, *, stop: bool = True) -> list[str]:
    """The stemmed tokens of ``text`` in order (stop words left out unless ``stop`` is False)."""
    return list(_tokens(text, stop))


@lru_cache(maxsize=8192)
def _tokens(text: str, stop: bool) -> tuple[str, ...]:
    """:func:`tokens`, kept for the texts read again (a unit by the tagger, then the story model)."""
    out = []
    for w in _WORD.findall(text.lower()):
        if w == "→":
            w = "->"
        if stop and w in STOP:
            continue
        out.append(stem(w) if w != "->" else w)
    return tuple(out)


def ngrams(toks: list[str], n_max: int) -> Counter[str]:
    """Counts of the 1..``n_max``-grams of ``toks`` (n-grams joined by a space)."""
    counts: Counter[str] = Counter(toks)
    for n in range(2, n_max + 1):
        counts.update(map(" ".join, zip(*(toks[i:] for i in range(n)))))
    return counts


class Vocabulary(BaseModel):
    """A fitted vocabulary: ``idf`` per term (smooth idf, as scikit-learn computes it) and the
    longest n-gram ``ngram_max`` (1-3)."""

    idf: dict[str, float]
    ngram_max: int = 1
    _memo: dict[str, dict[str, float]] = PrivateAttr(default_factory=dict)

    def cached_vector(self, text: str) -> dict[str, float]:
        """:meth:`vector` of a text used again and again (a bank question), computed once."""
        got = self._memo.get(text)
        if got is None:
            got = self._memo[text] = self.vector(text)
        return got

    def vector(self, text: str, extra: Iterable[str] = ()) -> dict[str, float]:
        """``text`` as an L2-normed TF-IDF vector (term -> weight; sublinear tf), plus the
        ``extra`` terms (e.g. ``det:owns_mistake``) where the vocabulary knows them."""
        return self.weigh(self.terms(text), extra)

    def terms(self, text: str) -> dict[str, float]:
        """``text``'s known terms with their sublinear tf-idf weights, before the extra terms
        and the norm (what :meth:`weigh` takes: tokenise once, weigh with several extras)."""
        idf = self.idf
        return {t: (1.0 + math.log(c)) * idf[t] for t, c in ngrams(tokens(text), self.ngram_max).items() if t in idf}

    def weigh(self, terms: dict[str, float], extra: Iterable[str] = ()) -> dict[str, float]:
        """The L2-normed vector of ``terms`` (from :meth:`terms`) and the ``extra`` terms."""
        vec = dict(terms)
        idf = self.idf
        for t in extra:
            if t in idf:
                vec[t] = vec.get(t, 0.0) + idf[t]
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {t: v / norm for t, v in vec.items()} if norm else {}


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    """Cosine similarity of two L2-normed sparse vectors (0-1 for TF-IDF vectors)."""
    if len(a) > len(b):
        a, b = b, a
    return sum(v * b.get(t, 0.0) for t, v in a.items())


class LinearText(BaseModel):
    """Fitted weights over a :class:`Vocabulary`'s terms: ``intercept + sum(coef[t] * x[t])`` for
    a vector ``x``, one weight set per output ``label``; ``coef`` is sparse: term -> {label
    index: weight} (weights too small to matter left out). ``kind``: ``multiclass`` (one label
    of several: a softmax) or ``multilabel`` (each label a yes/no of its own: a logistic each)."""

    kind: Literal["multiclass", "multilabel"] = "multilabel"
    labels: list[str]
    intercept: list[float]
    coef: dict[str, dict[int, float]]
    _subsets: dict[tuple[str, ...], LinearText] = PrivateAttr(default_factory=dict)

    def decision(self, vec: dict[str, float]) -> list[float]:
        """The linear score of each label for ``vec`` (a vector from :meth:`Vocabulary.vector`)."""
        out = list(self.intercept)
        coef = self.coef
        for t, v in vec.items():
            w = coef.get(t)
            if w:
                for i, wi in w.items():
                    out[i] += wi * v
        return out

    def weight(self, term: str, label: int) -> float:
        """The weight of ``term`` for the label at index ``label`` (0 when left out)."""
        return self.coef.get(term, {}).get(label, 0.0)

    def only(self, labels: Iterable[str]) -> LinearText:
        """The same model for ``labels`` alone (those it has), made once per set of labels: a
        rubric's criteria need a few of the labels a model shared by every rubric has."""
        key = tuple(sorted(set(labels) & set(self.labels)))
        got = self._subsets.get(key)
        if got is None:
            keep = [self.labels.index(lb) for lb in key]
            index = {old: new for new, old in enumerate(keep)}
            coef = {t: {index[i]: w for i, w in ws.items() if i in index} for t, ws in self.coef.items()}
            got = self._subsets[key] = LinearText(kind=self.kind, labels=list(key), intercept=[self.intercept[i] for i in keep],
                                                  coef={t: ws for t, ws in coef.items() if ws})
        return got

    def proba(self, vec: dict[str, float]) -> list[float]:
        """Per label, its probability (0-1): a softmax over the labels (``multiclass``) or a
        logistic of each label's score (``multilabel``)."""
        z = self.decision(vec)
        if self.kind == "multilabel":
            return [_sigmoid(x) for x in z]
        m = max(z)
        e = [math.exp(x - m) for x in z]
        s = sum(e)
        return [x / s for x in e]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
