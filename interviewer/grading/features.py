"""Detector evidence turned into numbers a fitted scorer reads: one feature vector per criterion.

:func:`extract` runs a rubric's detectors once over an answer and returns, per criterion, a
:class:`CriterionEvidence`: named features (floats, see :data:`ANSWER_FEATURES` and
:data:`CRITERION_FEATURES`), the supporting and opposing findings, and whether any support sits
in a sentence with specifics behind it (the gate: a criterion scores above 2 only then).

Substance, not wording: a supporting finding in a sentence with no specific (a figure with what
it measures, a named system, a literal, code) counts a quarter; text that echoes the rubric's
own wording, repeats itself or is addressed to the grader counts nothing. The features are
answer-level (shared by every criterion) or criterion-level (from the detectors the rubric
names for that criterion, with the weights the rubric gives them).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from interviewer.grading.evidence import run
from interviewer.grading.evidence.substance import FUNCTION_WORDS, is_substantive, substantive_sentences
from interviewer.grading.read import Finding, Text, code_report, sentence_of
from interviewer.rubrics import Criterion, Rubric

#: detectors every rubric's features read, whatever its criteria name
GENERIC_DETECTORS = ("specifics", "empty_claim", "slogan", "vague_claim", "tech_list", "repetition", "code_stub", "concrete_action",
                     "specific_episode", "generic_statement", "first_person_action")
#: answer-level features, shared by every criterion of the answer
ANSWER_FEATURES = ("substance", "specifics", "empty_claims", "tech_list", "repetition", "stub", "echo", "actions", "episode",
                   "generic", "level")
#: criterion-level features
CRITERION_FEATURES = ("support", "against", "supported", "hand")
#: detectors that read structure (code, named cases, questions, arrows): their findings are specific by construction
STRUCTURAL = frozenset({"code_function", "test_cases", "questions_asked", "flow_sequence"})
#: the highest score a criterion gets with no supporting evidence that has specifics behind it
GATE_MAX = 2
#: sentences with specifics in them (see :func:`interviewer.grading.evidence.substance._specifics`) that make a
#: whole answer specific: one sentence, however full of figures, is not a story
SPECIFIC_ANSWER = 2
#: a non-substantive supporting finding counts this share of its strength
UNSUBSTANTIATED = 0.25
LEVEL_VALUE = {"L4": -1.0, "L5": 0.0, "L6": 1.0}


@dataclass(slots=True)
class CriterionEvidence:
    """One criterion's evidence in one answer: ``features`` by name (see the module docstring),
    ``support``/``against`` the findings (strongest first), ``gate``: whether a supporting
    finding sits in a sentence with specifics (the criterion may score above 2), ``applies``:
    whether the criterion is scored at all (``applies_when`` matched or the answer shows it),
    ``hand``: the score 1-4 from the rubric's own detector weights and thresholds."""

    features: dict[str, float]
    support: list[Finding] = field(default_factory=list)
    against: list[Finding] = field(default_factory=list)
    gate: bool = False
    applies: bool = True
    hand: int = 1
    capped: list[str] = field(default_factory=list)
    ceiling: float = 4.0


@dataclass(slots=True)
class AnswerEvidence:
    """Everything :func:`extract` read off one answer."""

    text: Text
    found: dict[str, list[Finding]]
    answer_features: dict[str, float]
    criteria: dict[str, CriterionEvidence]
    echo: list[tuple[int, int]]
    dead: list[tuple[int, int]] = field(default_factory=list)

    @property
    def overall_ceiling(self) -> float:
        """The highest overall (1.0-4.0) the evidence allows: the weighted mean of the applicable
        criteria's ceilings (4, or 2 for a criterion with no supporting evidence with specifics)."""
        pairs = [(c.features["weight"], c.ceiling) for c in self.criteria.values() if c.applies]
        total = sum(w for w, _ in pairs)
        return sum(w * c for w, c in pairs) / total if total else 1.0


_CONTENT = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _content_bigrams(text: str) -> set[tuple[str, str]]:
    words = [w for w in _CONTENT.findall(text.lower()) if w not in FUNCTION_WORDS and len(w) > 2]
    return set(zip(words, words[1:]))


_ECHO_CACHE: dict[tuple[str, int, int], frozenset[tuple[str, str]]] = {}


def _rubric_bigrams(rubric: Rubric) -> frozenset[tuple[str, str]]:
    key = (rubric.id, rubric.version, id(rubric))
    if key not in _ECHO_CACHE:
        _ECHO_CACHE[key] = _rubric_text_bigrams(rubric)
    return _ECHO_CACHE[key]


def _rubric_text_bigrams(rubric: Rubric) -> frozenset[tuple[str, str]]:
    parts = [rubric.name, rubric.description]
    for c in rubric.criteria:
        parts += [c.name, c.question, *c.anchors.values(), *c.signals.positive, *c.signals.negative]
        for anchors in c.level_anchors.values():
            parts += list(anchors.values())
    grams: set[tuple[str, str]] = set()
    for p in parts:
        grams |= _content_bigrams(p)
    return frozenset(grams)


def rubric_echo(t: Text, rubric: Rubric) -> list[tuple[int, int]]:
    """Sentences that mostly repeat the rubric's own wording (anchors, signals, names): at least
    two of their content-word pairs, and half or more of them, come from the rubric."""
    grams = _rubric_bigrams(rubric)
    out = []
    for s, e in t.sentences:
        mine = _content_bigrams(t.masked[s:e])
        shared = len(mine & grams)
        if shared >= 2 and shared * 2 >= len(mine):
            out.append((s, e))
    return out


#: words that hold a sentence together; prose of ten words or more always has some
_GLUE = frozenset("the a an i we it they he she you is was were are be been to of in on at for with and or but that this".split())


def word_lists(t: Text) -> list[tuple[int, int]]:
    """Sentences of ten words or more, outside code, with almost none of the words that hold a
    sentence together (one in ten or fewer): a pile of keywords, not something anyone would say."""
    out = []
    code = code_report(t).blocks
    for s, e in t.sentences:
        if any(bs <= s < be for bs, be in code):
            continue  # code is read by its structure
        words = [w.lower() for w in _CONTENT.findall(t.masked[s:e])]
        if len(words) >= 10 and sum(w in _GLUE for w in words) * 10 <= len(words):
            out.append((s, e))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _points(findings: list[Finding], weight: float, max_count: int, t: Text, dead: list[tuple[int, int]]) -> tuple[float, list[Finding]]:
    """Weighted strength of the ``max_count`` strongest live findings: substantive ones in full,
    others at :data:`UNSUBSTANTIATED`, echoed or repeated text at nothing."""
    scored = []
    seen_quotes: set[str] = set()
    for f in findings:
        if _inside(f.start, dead):
            continue
        key = f.quote.lower().strip()
        if key in seen_quotes:
            continue  # the same words again add nothing
        seen_quotes.add(key)
        share = 1.0 if f.detector in STRUCTURAL or is_substantive(t, f.start) else UNSUBSTANTIATED
        scored.append((f.strength * share, f))
    scored.sort(key=lambda p: -p[0])
    top = scored[:max_count]
    return weight * sum(p for p, _ in top), [f for _, f in top]


def extract(answer: str, rubric: Rubric, level: str, question: str | None = None) -> AnswerEvidence:
    """Read ``answer`` against ``rubric`` at ``level`` (``L4``/``L5``/``L6``).

    Returns an :class:`AnswerEvidence` with one :class:`CriterionEvidence` per criterion. Raises
    ``KeyError`` for a level outside L4-L6."""
    ids = sorted(set(rubric.detector_ids) | set(GENERIC_DETECTORS))
    t, found = run(answer, ids)
    echo = rubric_echo(t, rubric) + word_lists(t)
    dead = echo + [(f.start, f.end) for f in found["repetition"]]
    n_sent = max(1, len(t.sentences) - len(echo))
    subst = sum(1 for i, ok in enumerate(substantive_sentences(t)) if ok and not _inside(t.sentences[i][0], echo))
    empty = len(found["empty_claim"]) + len(found["slogan"]) + len(found["vague_claim"])
    answer_features = {
        "substance": subst / n_sent,
        "specifics": math.log1p(subst),
        "empty_claims": math.log1p(empty),
        "tech_list": math.log1p(len(found["tech_list"])),
        "repetition": math.log1p(len(found["repetition"])),
        "stub": float(min(2, len(found["code_stub"]))),
        "echo": len(echo) / max(1, len(t.sentences)),
        "actions": math.log1p(sum(f.strength for f in found["concrete_action"] if not _inside(f.start, dead))),
        "episode": math.log1p(len(found["specific_episode"]) + len({f.quote.lower() for f in found["first_person_action"]})),
        "generic": math.log1p(len(found["generic_statement"])),
        "level": LEVEL_VALUE[level],
    }
    # an answer with specifics in it lends them to its plain sentences, but not to claims with nothing behind them
    specific = subst >= SPECIFIC_ANSWER
    hollow = [sentence_of(t, f.start) for k in ("empty_claim", "slogan", "tech_list", "vague_claim") for f in found[k]]
    criteria = {c.id: _criterion(c, found, t, dead + hollow, level, question, specific) for c in rubric.criteria}
    return AnswerEvidence(t, found, answer_features, criteria, echo, dead)


def _criterion(c: Criterion, found: dict[str, list[Finding]], t: Text, dead: list[tuple[int, int]], level: str,
               question: str | None, specific: bool) -> CriterionEvidence:
    support_pts = against_pts = 0.0
    support: list[Finding] = []
    against: list[Finding] = []
    for ref in c.detectors:
        pts, used = _points(found.get(ref.id, []), ref.weight, ref.max_count, t, dead if ref.effect == "support" else [])
        if ref.effect == "support":
            support_pts += pts
            support += used
        else:
            against_pts += pts
            against += used
    gate = any((specific or f.detector in STRUCTURAL or is_substantive(t, f.start)) and not _inside(f.start, dead) for f in support)
    applies = not c.applies_when or bool(re.search(c.applies_when, question or "")) or gate
    hand = 1 + sum(support_pts - against_pts >= th for th in c.thresholds_for(level))
    capped = []
    ceiling = 4.0 if gate else float(GATE_MAX)
    for cap in c.caps_in_force(level, found):
        ceiling = min(ceiling, float(cap.max))
        hand = min(hand, cap.max)
        capped.append(f"capped at {cap.max}: {cap.reason}")
    features = {
        "support": math.log1p(support_pts),
        "against": math.log1p(against_pts),
        "supported": 1.0 if gate else 0.0,
        "hand": float(hand),
        "weight": c.weight,
    }
    live = [f for f in support if not _inside(f.start, dead)]
    live.sort(key=lambda f: (not (f.detector in STRUCTURAL or is_substantive(t, f.start)), -f.strength, f.start))
    against.sort(key=lambda f: (-f.strength, f.start))
    return CriterionEvidence(features, live, against, gate, applies, hand, capped, ceiling)


#: what each feature means for a score: +1 it can only raise it, -1 only lower it, 0 either
#: (the level, and the intercept of each criterion or rubric)
_SIGNS = {
    "a:substance": 1, "a:specifics": 1, "a:actions": 1, "a:episode": 1,
    "a:empty_claims": -1, "a:tech_list": -1, "a:repetition": -1, "a:stub": -1, "a:echo": -1, "a:generic": -1,
    "c:support": 1, "c:supported": 1, "c:hand": 1, "c:against": -1,
    "m:support": 1, "m:supported": 1, "m:hand": 1, "m:against": -1,
    "text": 1, "criteria": 1,
}


def sign(feature: str) -> int:
    """The sign a fitted weight of ``feature`` may take: 1, -1, or 0 for either."""
    if feature in _SIGNS:
        return _SIGNS[feature]
    if feature.startswith("support:"):
        return 1
    return 0


def bounded(value: float, ceiling: float) -> float:
    """``value`` clipped to 1.0-``ceiling`` (a criterion never scores above its evidence)."""
    return max(1.0, min(value, ceiling))


def text_for_model(ev: AnswerEvidence) -> str:
    """The answer as the text layer reads it: text addressed to the grader, sentences echoing
    the rubric and repeated phrases blanked."""
    if not ev.dead:
        return ev.text.masked
    chars = list(ev.text.masked)
    for s, e in ev.dead:
        for i in range(s, min(e, len(chars))):
            chars[i] = " "
    return "".join(chars)


def criterion_inputs(ev: AnswerEvidence, rubric: Rubric, c: Criterion, text_score: float) -> dict[str, float]:
    """The criterion model's inputs for criterion ``c`` of ``rubric`` (feature name -> value):
    the answer's features, the criterion's, the text score, and the criterion's own intercept
    (``id:rubric.criterion``) and support slope (``support:rubric.criterion``)."""
    ce = ev.criteria[c.id]
    x = {f"a:{k}": v for k, v in ev.answer_features.items()}
    x.update({f"c:{k}": ce.features[k] for k in CRITERION_FEATURES})
    x["text"] = text_score
    key = f"{rubric.id}.{c.id}"
    x[f"id:{key}"] = 1.0
    x[f"support:{key}"] = ce.features["support"]
    return x


def overall_inputs(ev: AnswerEvidence, rubric: Rubric, text_score: float, values: dict[str, float]) -> dict[str, float]:
    """The overall model's inputs: the answer's features, the weighted means of the criterion
    features and of the criterion scores ``values`` (criterion id -> 1.0-4.0), the text score
    and the rubric (``rubric:id``)."""
    x = {f"a:{k}": v for k, v in ev.answer_features.items()}
    total = sum(c.weight for c in rubric.criteria)
    for k in CRITERION_FEATURES:
        x[f"m:{k}"] = sum(c.weight * ev.criteria[c.id].features[k] for c in rubric.criteria) / total
    weights = {c.id: c.weight for c in rubric.criteria}
    w = sum(weights[k] for k in values)
    x["criteria"] = sum(weights[k] * v for k, v in values.items()) / w if w else 1.0
    x["text"] = text_score
    x[f"rubric:{rubric.id}"] = 1.0
    return x
