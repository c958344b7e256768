"""Stage 3 of the grading pipeline: the evidence as numbers a fitted scorer reads, per criterion.

:func:`extract` takes the answer read once (:mod:`.read`), the question read (:mod:`.question`)
and the detector findings (:mod:`.evidence`), and returns an :class:`AnswerEvidence`: for each
criterion of the rubric a :class:`CriterionEvidence` with

* its live supporting and opposing findings (strongest first) and the features made of them;
* ``shown``: whether the answer shows anything for the criterion at all, and ``called``: whether
  the question calls for it (a criterion neither shown nor called for is not applicable; one
  called for and not shown is a 1, "not shown");
* ``gate``: whether a supporting finding sits in a sentence with specifics behind it (a figure
  with what it measures, a named system, a literal, code): only then may the criterion score
  above 2;
* the rubric caps that bind, and the ceiling they leave.

Substance, not wording: a supporting finding in a sentence with no specific counts a quarter;
text addressed to the grader, sentences outside the story, sentences that echo the rubric's own
wording, piles of keywords and repeated phrases count nothing. Evidence against a criterion
counts only against the criteria that name its detector, never against the whole answer.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from interviewer.grading.evidence import run
from interviewer.grading.evidence.substance import ARROW, FUNCTION_WORDS, is_substantive, substantive_sentences
from interviewer.grading.read import Finding, Text, code_report, prepare, sentence_of
from interviewer.grading.tagger import SHOWN, TAGGED, UnitTags
from interviewer.rubrics import Criterion, Rubric
from interviewer.scoring import QuestionRead

#: detectors every rubric's features read, whatever its criteria name
GENERIC_DETECTORS = ("specifics", "empty_claim", "slogan", "vague_claim", "tech_list", "repetition", "code_stub", "concrete_action",
                     "specific_episode", "generic_statement", "first_person_action", "grader_address")
#: answer-level features (each can only raise a criterion: weak answers are held down by their
#: own criteria's evidence, never by a penalty spread over every criterion)
ANSWER_FEATURES = ("specifics", "actions", "episode")
#: criterion-level features: from the detectors (support, against, supported, hand, findings)
#: and from the units tagged as evidence for or against the criterion (tagged_*)
CRITERION_FEATURES = ("support", "against", "supported", "hand", "findings", "tagged_max", "tagged_sum", "tagged_n", "tagged_specific",
                      "tagged_against")
#: detectors that read structure (code, named cases, questions, arrows): their findings are specific by construction
STRUCTURAL = frozenset({"code_function", "test_cases", "questions_asked", "flow_sequence"})
#: the highest score a criterion gets with no supporting evidence that has specifics behind it
GATE_MAX = 2
#: sentences with specifics in them that make a whole answer specific: one sentence, however
#: full of figures, is not a story
SPECIFIC_ANSWER = 2
#: a non-substantive supporting finding counts this share of its strength
UNSUBSTANTIATED = 0.25
#: how sure the tagger must be of a unit for a criterion the question does not call for to be scored
APPLIES_MIN = 0.7
#: the kinds of evidence that are the candidate's own or none (004_dbb4a9cf52099089.txt: "I decided
#: without consensus", not "we aligned as a team"; 001_7dc7f7af5065ad9c.txt: "explain what you
#: personally changed"): a unit counts for them only when it speaks in the first person singular
FIRST_PERSON = frozenset({"ownership", "accountability", "task"})
_SINGULAR = re.compile(r"\b(?:I|my|me|mine|myself)\b|\bI['’](?:m|ve|d|ll)\b")
#: the level as the scorer reads it: each step up may only lower a score (see :func:`sign`)
LEVEL_STEPS = {"L4": (0.0, 0.0), "L5": (1.0, 0.0), "L6": (1.0, 1.0)}


@dataclass(slots=True)
class CriterionEvidence:
    """One criterion's evidence in one answer (see the module docstring). ``features`` by name;
    ``support``/``against``: the live findings, strongest first; ``units_for``/``units_against``:
    the units (start, end, probability) the tagger marked as evidence for or against it, most
    likely first; ``hand``: the score 1-4 from the
    rubric's own detector weights and thresholds at the level; ``capped``: the reasons of the caps
    that bind; ``ceiling``: the highest score the evidence allows (1-4)."""

    features: dict[str, float]
    support: list[Finding] = field(default_factory=list)
    against: list[Finding] = field(default_factory=list)
    units_for: list[tuple[int, int, float]] = field(default_factory=list)
    units_against: list[tuple[int, int, float]] = field(default_factory=list)
    gate: bool = False
    shown: bool = False
    called: bool = True
    hand: int = 1
    capped: list[str] = field(default_factory=list)
    ceiling: float = 4.0
    tagged: bool = False

    @property
    def applies(self) -> bool:
        """Scored at all: the question calls for the criterion, or the answer clearly shows it (a
        unit the tagger is sure of; with no tagger, any supporting finding)."""
        if self.called:
            return True
        return any(p >= APPLIES_MIN for *_, p in self.units_for) if self.tagged else self.shown

    @property
    def shown_surely(self) -> bool:
        """Shown by a unit the tagger is sure of (probability >= ``TAGGED``) or by a detector finding."""
        return bool(self.support) or any(p >= TAGGED for *_, p in self.units_for)


@dataclass(slots=True)
class AnswerEvidence:
    """Everything :func:`extract` read off one answer: the prepared ``text``, the detector
    findings by id, the answer-level features, each criterion's evidence, the question as read,
    and the spans that count for nothing (``dead``: echoed rubric wording, keyword piles,
    repetition, units outside the story or addressed to the grader; ``echo`` the first two;
    ``off`` the last two), and the unit tags when a tagger read the answer."""

    text: Text
    found: dict[str, list[Finding]]
    answer_features: dict[str, float]
    criteria: dict[str, CriterionEvidence]
    question: QuestionRead
    echo: list[tuple[int, int]]
    dead: list[tuple[int, int]] = field(default_factory=list)
    tags: UnitTags | None = None
    off: list[tuple[int, int]] = field(default_factory=list)


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
    """Sentences of ten words or more, outside code and flows written with arrows, with almost
    none of the words that hold a sentence together (one in ten or fewer): a pile of keywords,
    not something anyone would say."""
    out = []
    code = code_report(t).blocks
    for s, e in t.sentences:
        if any(bs <= s < be for bs, be in code) or ARROW.search(t.masked, s, e):
            continue  # code and arrows are read by their structure
        words = [w.lower() for w in _CONTENT.findall(t.masked[s:e])]
        if len(words) >= 10 and sum(w in _GLUE for w in words) * 10 <= len(words):
            out.append((s, e))
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def _specific(t: Text, f: Finding) -> bool:
    return f.detector in STRUCTURAL or is_substantive(t, f.start)


def _points(findings: list[Finding], weight: float, max_count: int, t: Text, dead: list[tuple[int, int]]) -> tuple[float, list[Finding]]:
    """Weighted strength of the ``max_count`` strongest live findings: substantive ones in full,
    others at :data:`UNSUBSTANTIATED`, findings in dead text not at all."""
    scored = []
    seen_quotes: set[str] = set()
    for f in findings:
        if _inside(f.start, dead):
            continue
        key = f.quote.lower().strip()
        if key in seen_quotes:
            continue  # the same words again add nothing
        seen_quotes.add(key)
        scored.append((f.strength * (1.0 if _specific(t, f) else UNSUBSTANTIATED), f))
    scored.sort(key=lambda p: -p[0])
    top = scored[:max_count]
    return weight * sum(p for p, _ in top), [f for _, f in top]


def detect(answer: str | Text, rubric: Rubric) -> tuple[Text, dict[str, list[Finding]]]:
    """Prepare ``answer`` (unless it is a :class:`Text` already) and run the detectors the rubric
    and the features need (memoised on the text: a second call costs nothing)."""
    ids = sorted(set(rubric.detector_ids) | set(GENERIC_DETECTORS))
    return run(answer if isinstance(answer, Text) else prepare(answer), ids)


def extract(answer: str | Text, rubric: Rubric, level: str, question: QuestionRead, tags: UnitTags | None = None) -> AnswerEvidence:
    """Read ``answer`` (a str, or a :class:`Text` already prepared) against ``rubric`` at
    ``level`` (``L4``/``L5``/``L6``) for ``question`` (as :func:`~interviewer.grading.question.read_question`
    read it), with the ``tags`` a tagger gave its units (:func:`~interviewer.grading.tagger.tag`;
    None: the detectors alone). Raises ``KeyError`` for a level outside L4-L6."""
    t, found = detect(answer, rubric)
    echo = rubric_echo(t, rubric) + word_lists(t)
    off = [tags.spans[i] for i in tags.off()] if tags else []
    dead = echo + off + [(f.start, f.end) for f in found["repetition"]]
    subst = sum(1 for i, ok in enumerate(substantive_sentences(t)) if ok and not _inside(t.sentences[i][0], echo + off))
    answer_features = {
        "specifics": math.log1p(subst),
        "actions": math.log1p(sum(f.strength for f in found["concrete_action"] if not _inside(f.start, dead))),
        "episode": math.log1p(len(found["specific_episode"]) + len({f.quote.lower() for f in found["first_person_action"]})),
    }
    # an answer with specifics in it lends them to its plain sentences, but not to claims with nothing behind them
    specific = subst >= SPECIFIC_ANSWER
    hollow = [sentence_of(t, f.start) for k in ("empty_claim", "slogan", "tech_list", "vague_claim") for f in found[k]]
    called = set(question.calls_for)
    owners = _against_owners(rubric, found, tags)
    criteria = {c.id: _criterion(c, found, t, dead + hollow, off, level, c.id in called, specific, tags, owners) for c in rubric.criteria}
    return AnswerEvidence(t, found, answer_features, criteria, question, echo, dead, tags, off)


def _against_owners(rubric: Rubric, found: dict[str, list[Finding]], tags: UnitTags | None) -> dict[tuple[str, int], str]:
    """Which one criterion each piece of evidence against counts against, so one hollow sentence
    lowers the criterion it touches and not every criterion: a detector finding counts against
    the criterion whose rubric weighs that detector most (the first listed on a tie); a tagged
    unit against the criterion the tagger most ties it to. Keys: (detector id or ``unit``, start)."""
    owners: dict[tuple[str, int], str] = {}
    best: dict[str, tuple[float, str]] = {}
    for c in rubric.criteria:
        for ref in c.detectors:
            if ref.effect == "against" and (ref.id not in best or ref.weight > best[ref.id][0]):
                best[ref.id] = (ref.weight, c.id)
    for did, (_, cid) in best.items():
        for f in found.get(did, []):
            owners[(did, f.start)] = cid
    if tags is not None:
        for (s, _), p in zip(tags.spans, tags.probs):
            top = max(rubric.criteria, key=lambda c: p.get(f"{c.id}-", 0.0))
            owners[("unit", s)] = top.id
    return owners


def _criterion(c: Criterion, found: dict[str, list[Finding]], t: Text, dead: list[tuple[int, int]], off: list[tuple[int, int]],
               level: str, called: bool, specific: bool, tags: UnitTags | None, owners: dict[tuple[str, int], str]) -> CriterionEvidence:
    support_pts = against_pts = 0.0
    support: list[Finding] = []
    against: list[Finding] = []
    for ref in c.detectors:
        findings = found.get(ref.id, [])
        if ref.effect == "against":  # each piece of evidence against counts against one criterion only
            findings = [f for f in findings if owners.get((ref.id, f.start), c.id) == c.id]
        pts, used = _points(findings, ref.weight, ref.max_count, t, dead if ref.effect == "support" else off)
        if ref.effect == "support":
            support_pts += pts
            support += used
        else:
            against_pts += pts
            against += used
    units_for: list[tuple[int, int, float]] = []
    units_against: list[tuple[int, int, float]] = []
    if tags is not None:
        units_for = [(*tags.spans[i], p) for i, p in tags.support(c.id, SHOWN) if not _inside(tags.spans[i][0], dead)]
        if c.evidence_kind in FIRST_PERSON:  # "we decided" is the team's, not the candidate's
            units_for = [(s, e, p) for s, e, p in units_for if _SINGULAR.search(t.masked, s, e)]
        units_against = [(*tags.spans[i], p) for i, p in tags.against(c.id, SHOWN)
                         if not _inside(tags.spans[i][0], off) and owners.get(("unit", tags.spans[i][0]), c.id) == c.id]
    tagged_specific = any(specific or is_substantive(t, s) for s, _, p in units_for if p >= TAGGED)
    gate = any(specific or _specific(t, f) for f in support) or tagged_specific
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
        "findings": math.log1p(len(support)),
        # how sure the likeliest unit is; then only the units the tagger is sure of count, so
        # padding with sentences that are weakly about a criterion never adds to it
        "tagged_max": max((p for *_, p in units_for), default=0.0),
        "tagged_sum": sum(sorted((p for *_, p in units_for if p >= TAGGED), reverse=True)[:3]),
        "tagged_n": math.log1p(sum(1 for *_, p in units_for if p >= TAGGED)),
        "tagged_specific": 1.0 if tagged_specific else 0.0,
        "tagged_against": max((p for *_, p in units_against), default=0.0),
        "weight": c.weight,
    }
    support.sort(key=lambda f: (not _specific(t, f), -f.strength, f.start))
    against.sort(key=lambda f: (-f.strength, f.start))
    shown = bool(units_for) or bool(support)
    return CriterionEvidence(features, support, against, units_for, units_against, gate, shown, called, hand, capped, ceiling,
                             tags is not None)


#: what each feature means for a score: +1 it can only raise it, -1 only lower it, 0 either
#: (the intercept of each criterion)
_SIGNS = {
    "a:specifics": 1, "a:actions": 1, "a:episode": 1,
    "c:support": 1, "c:supported": 1, "c:hand": 1, "c:findings": 1, "c:against": -1,
    "c:tagged_max": 1, "c:tagged_sum": 1, "c:tagged_n": 1, "c:tagged_specific": 1, "c:tagged_against": -1,
    "level:L5": -1, "level:L6": -1,
    "text": 1,
}


def sign(feature: str) -> int:
    """The sign a fitted weight of ``feature`` may take: 1, -1, or 0 for either. The level's
    features are -1: a higher level can only lower a score."""
    if feature in _SIGNS:
        return _SIGNS[feature]
    if feature.startswith(("support:", "tagged:")):
        return 1
    return 0


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


def criterion_inputs(ev: AnswerEvidence, rubric: Rubric, c: Criterion, text_score: float, level: str) -> dict[str, float]:
    """The criterion model's inputs for criterion ``c`` of ``rubric`` at ``level`` (feature name ->
    value): the answer's features, the criterion's, the text score, the level's steps, and the
    criterion's own intercept (``id:rubric.criterion``) and slopes for its detector support and
    its tagged units (``support:rubric.criterion``, ``tagged:rubric.criterion``)."""
    ce = ev.criteria[c.id]
    x = {f"a:{k}": v for k, v in ev.answer_features.items()}
    x.update({f"c:{k}": ce.features[k] for k in CRITERION_FEATURES})
    x["text"] = text_score
    l5, l6 = LEVEL_STEPS[level]
    x["level:L5"], x["level:L6"] = l5, l6
    key = f"{rubric.id}.{c.id}"
    x[f"id:{key}"] = 1.0
    x[f"support:{key}"] = ce.features["support"]
    x[f"tagged:{key}"] = ce.features["tagged_sum"]
    return x
