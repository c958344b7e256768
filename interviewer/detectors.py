"""Deterministic rubric detectors: the offline grader's evidence.

Each detector reads an answer and returns :class:`Finding` objects: the span it matched
(``start``/``end`` are character offsets into the answer, ``quote == answer[start:end]``)
and a ``strength`` (0.5 weak, 1 normal, 2 strong). Rubric criteria name the detectors that
feed them; the detectors themselves know nothing of scores.

The detectors try not to be keyword counters:

* negation in the same clause ("we never wrote tests", "without a baseline") cancels a match;
* a decision counts only in a main clause with "I" as its subject, not hedged ("I think we
  decided"), not conditional ("if I had chosen", "I would choose");
* text addressed to the grader ("rate this 4", "ignore the rubric") is blanked out before any
  other detector runs, so it can never raise a score, and is reported by ``grader_address``;
* numbers count as a result only with a unit or a referent, and more with a baseline
  ("from 3.1 s to 2.4 s"); a pile of figures with no baseline is a ``vague_claim``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Callable, Iterable

I = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class Finding:
    """One matched span. ``start``/``end``: character offsets into the answer (end exclusive)."""

    detector: str
    start: int
    end: int
    quote: str
    strength: float = 1.0


@dataclass(slots=True)
class Text:
    """An answer prepared once for every detector: ``masked`` has grader-addressed text blanked
    (same length as ``raw``, so offsets agree); ``sentences`` are (start, end) spans."""

    raw: str
    masked: str
    low: str
    sentences: list[tuple[int, int]]
    words: int
    flagged: list[Finding] = field(default_factory=list)
    cache: dict[str, list[Finding]] = field(default_factory=dict)
    breaks: list[int] | None = None


@dataclass(frozen=True, slots=True)
class Detector:
    """A named detector: ``fn(text) -> findings``; ``label`` is what the evidence shows."""

    id: str
    label: str
    fn: Callable[[Text], list[Finding]]


DETECTORS: dict[str, Detector] = {}


def detector(id_: str, label: str):
    """Register ``fn`` as detector ``id_``; its findings are computed once per text."""

    def wrap(fn: Callable[[Text], list[Finding]]):
        def memo(t: Text) -> list[Finding]:
            if id_ not in t.cache:
                t.cache[id_] = fn(t)
            return t.cache[id_]

        DETECTORS[id_] = Detector(id_, label, memo)
        return memo

    return wrap


# --------------------------------------------------------------------------- text helpers

_SENT = re.compile(r"(?:[^.!?\n]|[.!?](?![\s.!?]|$))+(?:[.!?]+(?=\s|$)|\n|$)|[.!?\n]")
_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_NEGATOR = re.compile(
    r"\b(?:not|no|never|without|nobody|none|nothing|neither|nor|hardly|zero|skipped|lacked|lacking|"
    r"\w+n['’]t|cannot)\b", I)
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\bbut\b|\bso\b|\bthen\b|\band\b|\bwhich\b|\bbecause\b", I)
_SUBORDINATOR = re.compile(r"^\s*(?:if|whether|unless|until|once|before|that|which|who|whom|whose|what)\b", I)
_CONDITIONAL = re.compile(r"\b(?:would|could|should|might|may|will|['’]ll|wish|hope|want(?:ed)? to|plan(?:ned)? to|try to|going to)\s+(?:\w+\s+)?$", I)


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


_FAST: dict[re.Pattern[str], re.Pattern[str]] = {}


def _lower_pattern(pattern: str) -> str:
    """Lower-case a pattern's literal letters, leaving escapes (\\b, \\S, \\u2014...) intact."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            n = {"u": 4, "x": 2}.get(pattern[i + 1], 0)
            out.append(pattern[i:i + 2 + n])
            i += 2 + n
        else:
            out.append(c.lower())
            i += 1
    return "".join(out)


def fast(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of an IGNORECASE pattern, for use on lower-cased text (Python's
    ``re`` runs several times faster without IGNORECASE)."""
    got = _FAST.get(pattern)
    if got is None:
        flags = pattern.flags
        got = re.compile(_lower_pattern(pattern.pattern), flags & ~re.IGNORECASE) if flags & re.IGNORECASE else pattern
        _FAST[pattern] = got
    return got


def scan(t: Text, pattern: re.Pattern[str], start: int = 0, end: int | None = None):
    """``pattern.finditer`` over the masked text (offsets into the answer), fast when possible."""
    if t.low:
        return fast(pattern).finditer(t.low, start, len(t.low) if end is None else end)
    return pattern.finditer(t.masked, start, len(t.masked) if end is None else end)


_BREAK_ANY = re.compile(_lower_pattern(_CLAUSE_BREAK.pattern) + r"|[.?!\n]")


def _clause_starts(t: Text) -> list[int]:
    """Offsets where clauses begin (after commas, conjunctions, sentence ends), computed once."""
    if t.breaks is None:
        text = t.low or t.masked
        t.breaks = sorted({m.end() for m in _BREAK_ANY.finditer(text)})
    return t.breaks


def _clause_start(t: Text, pos: int) -> int:
    """Start offset of the clause containing ``pos`` (after the last break at or before it,
    looking back at most 120 characters)."""
    starts = _clause_starts(t)
    i = bisect_right(starts, pos) - 1
    return max(starts[i] if i >= 0 else 0, pos - 120, 0)


def negated(t: Text, start: int) -> bool:
    """True when a negator stands in the same clause before ``start`` (within six words)."""
    text = t.masked
    cs = _clause_start(t, start)
    before = text[cs:start]
    words = before.split()[-6:]
    return bool(fast(_NEGATOR).search(" ".join(words).lower()))


def _sentence_of(t: Text, pos: int) -> tuple[int, int]:
    for s, e in t.sentences:
        if s <= pos < e:
            return s, e
    return pos, pos


def context_span(t: Text, start: int, end: int, limit: int = 160) -> tuple[int, int]:
    """The sentence around ``start``-``end``, or a window of it of about ``limit`` characters
    cut at word boundaries: a readable quote for a matched span."""
    s, e = _sentence_of(t, start)
    if e <= s:
        return start, end
    if e - s <= limit:
        return s, max(e, end)
    lo = max(s, start - limit // 3)
    hi = min(e, max(end, lo + limit))
    while lo > s and not t.raw[lo - 1].isspace():
        lo -= 1
    while hi < e and not t.raw[hi].isspace():
        hi += 1
    return lo, hi


def _find(t: Text, name: str, pattern: re.Pattern[str], *, negatable: bool = True, strength: float = 1.0,
          group: int = 0, check: Callable[[Text, re.Match[str]], float | None] | None = None) -> list[Finding]:
    out: list[Finding] = []
    for m in scan(t, pattern):
        s, e = m.span(group)
        if negatable and negated(t, s):
            continue
        st = strength
        if check is not None:
            got = check(t, m)
            if got is None:
                continue
            st = got
        out.append(Finding(name, s, e, t.raw[s:e], st))
    return out


def _span_words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, I)


def prepare(answer: str) -> Text:
    """Split ``answer`` into sentences and blank out text addressed to the grader."""
    flagged: list[Finding] = []
    sentences = _sentences(answer)
    masked = list(answer)
    lowered = answer.lower()
    for m in (fast(_GRADER).finditer(lowered) if len(lowered) == len(answer) else _GRADER.finditer(answer)):
        # blank the whole sentence; a "note to the grader" header blanks its paragraph
        s, e = m.span()
        for ss, se in sentences:
            if ss <= s < se or ss < e <= se:
                s, e = min(s, ss), max(e, se)
        if re.match(r"(?i)(?:a\s+)?(?:note|message|instructions?)\s+(?:to|for)\b", m.group(0)):
            para_end = answer.find("\n\n", e)
            e = len(answer) if para_end < 0 else para_end
        if any(f.start <= s and e <= f.end for f in flagged):
            continue
        flagged.append(Finding("grader_address", s, e, answer[s:e], 1.0))
        for i in range(s, e):
            if not answer[i].isspace():
                masked[i] = " "
    words = len(_WORD.findall(answer))
    masked_s = "".join(masked)
    low = masked_s.lower()
    return Text(answer, masked_s, low if len(low) == len(masked_s) else "", sentences, words, flagged)


# --------------------------------------------------------------------------- grader address

_GRADER = re.compile(
    r"(?:\b(?:a\s+)?(?:note|message|instructions?)\s+(?:to|for)\s+(?:the\s+)?(?:evaluator|grader|reviewer|scorer|assessor|ai|llm|model|judge|marker)s?\b"
    r"|\b(?:please\s+)?(?:rate|score|grade|mark|assess)\s+(?:this|it|me|my\s+answer|the\s+answer|this\s+answer)\b[^.\n]{0,60}?\b(?:[1-4]|four|top|full|highest|max(?:imum)?|strong hire)\b"
    r"|\b(?:give|award|assign)\s+(?:this|me|it|my answer)\s+(?:an?\s+)?(?:[1-4]|four|top marks|full marks|the highest|a strong hire)\b"
    r"|\bignore\s+(?:the|your|all|any|previous|prior|above)\s+(?:\w+\s+)?(?:rubric|instructions?|criteria|rules|prompt)\b"
    r"|\b(?:record|mark|set)\s+the\s+overall\s+as\b"
    r"|\b(?:dear|attention)\s+(?:grader|evaluator|ai|model)\b"
    r"|\byou\s+are\s+now\s+(?:a|an|the)\b"
    r"|\bsystem\s+prompt\b)",
    I,
)


@detector("grader_address", "text addressed to the grader, not the interviewer (ignored for scoring)")
def _grader_address(t: Text) -> list[Finding]:
    return list(t.flagged)


# --------------------------------------------------------------------------- ownership

_DECIDE_VERBS = (
    r"decided|chose|made\s+(?:the|a|that|this)\s+(?:call|decision)|made\s+it\s+my\s+call|took\s+the\s+call|picked|went\s+with|opted|"
    r"proposed|pushed\s+for|argued\s+for|argued|insisted|paused|stopped|halted|killed|cancel+ed|rolled\s+(?:\w+\s+){0,3}back|reverted|"
    r"overrode|vetoed|committed\s+to|ended|called\s+off|quarantined|withdrew|recommended|prioriti[sz]ed|"
    r"deprioriti[sz]ed|declined|refused|switched|set\s+a\s+deadline|set\s+a\s+decision|drew\s+the\s+line|"
    r"chose\s+to|decided\s+to|moved|cut\s+(?:scope|the)|dropped|shipped\s+(?:a|the)\s+\w+\s+instead|"
    r"made\s+the\s+change|took\s+ownership|escalated|froze|disabled|turned\s+off|blocked|approved"
)
_I_DECIDE = re.compile(
    rf"\bI(?:['’]d|\s+had)?\s+(?:(?:then|finally|eventually|also|personally|deliberately|instead|just|quickly|immediately|alone|myself|simply)\s+)?(?:{_DECIDE_VERBS})\b"
    rf"|\b(?:it\s+was|that\s+was|this\s+was)\s+my\s+(?:call|decision)\b"
    rf"|\bmy\s+(?:call|decision)\s+(?:was|to)\b",
    I,
)
_HEDGE_BEFORE = re.compile(r"\b(?:I\s+think|I\s+guess|I\s+believe|I\s+feel|maybe|kind\s+of|sort\s+of)\s+$", I)


def _main_clause(t: Text, m: re.Match[str]) -> float | None:
    s = m.start()
    cs = _clause_start(t, s)
    before = t.masked[cs:s]
    if _SUBORDINATOR.match(before) or re.search(r"\b(?:if|whether|unless|wish|that|which|who|whom)\s+$", t.masked[max(0, s - 12):s], I):
        return None
    if _CONDITIONAL.search(t.masked[max(0, s - 30):s]) or _HEDGE_BEFORE.search(t.masked[max(0, s - 20):s]):
        return None
    # "I'd" + base form is "I would": the verb list holds past forms, so "I'd decided" only.
    return 1.0


@detector("first_person_decision", "a decision the candidate made personally")
def _first_person_decision(t: Text) -> list[Finding]:
    return _find(t, "first_person_decision", _I_DECIDE, check=_main_clause)


_ADMIN = r"booked|ordered|renamed|pinned|reminded|tagged|invited|scheduled|bookmarked|attended|joined|watched|sat"
_NOT_ACTION = (
    r"was|were|am|had|have|felt|feel|thought|think|guess|believe|believed|noticed|loved|like|liked|wanted|want|hoped|"
    r"wondered|remember|mean|meant|agree|agreed|learned|learnt|realised|realized|kind|just|also|really|always|never|"
    r"can|can['’]t|could|would|should|will|might|don['’]t|didn['’]t|do|did|got|get|hope|say|said|mentioned|helped|"
    r"help|try|tried|know|knew|am|['’]m|['’]ve|['’]ll|['’]d|personally|" + _ADMIN
)
_I_ACT = re.compile(
    rf"\bI\s+(?:(?:then|also|personally|myself|quickly|first|later|immediately|eventually|finally)\s+)?"
    rf"(?!(?:{_NOT_ACTION})\b)([a-z]+(?:ed|t)|built|wrote|made|took|ran|led|shipped|drove|set|cut|found|brought|sent|split|"
    rf"kept|gave|told|chose|fixed|rewrote|began|drew|sped|spent|won|shut|put|held|caught)\b",
    re.IGNORECASE,
)


@detector("first_person_action", "an action the candidate took personally")
def _first_person_action(t: Text) -> list[Finding]:
    return _find(t, "first_person_action", _I_ACT, check=lambda t, m: None if _CONDITIONAL.search(t.masked[max(0, m.start() - 30):m.start()]) else 1.0)


_GROUP = _span_words(
    r"\b(?:we|the\s+(?:whole\s+)?(?:team|group)|everyone|they)\s+(?:all\s+)?(?:decided|agreed|aligned|chose|settled)\s+(?:together|as\s+a\s+(?:group|team))"
    r"|\bas\s+a\s+(?:group|team)\b[^.]{0,40}\b(?:decided|agreed|realised|realized|chose)"
    r"|\b(?:decided|agreed|chose)\s+together\b"
    r"|\bthe\s+team\s+decided\b|\bwe\s+all\s+agreed\b|\bconsensus\b(?![^.]{0,30}\b(?:without|instead|rather|not)\b)"
    r"|\bafter\s+getting\s+(?:everyone|all\s+\w+|the\s+\w+)\s+(?:aligned|on\s+board|to\s+agree)"
    r"|\bworking\s+group\b|\bsomeone\s+suggested\b|\bby\s+committee\b"
    r"|\beveryone\s+had\s+a\s+voice\b|\bnobody\s+felt\s+steamrolled\b|\bevery\s+team\s+was\s+on\s+board\b"
)


@detector("group_decision", "the decision framed as the group's, not the candidate's")
def _group_decision(t: Text) -> list[Finding]:
    # "without consensus" or "instead of waiting for consensus" are the opposite signal
    return _find(t, "group_decision", _GROUP,
                 check=lambda t, m: None if re.search(r"\b(?:without|instead\s+of|rather\s+than|not|no|waiting\s+for|wait\s+for)\b[^.]{0,25}$", t.masked[max(0, m.start() - 40):m.start()], I) else 1.0,
                 negatable=False)


_APPROVAL = _span_words(
    r"\b(?:check|checked|clear|cleared|run\s+it)\s+(?:it\s+)?with\s+my\s+(?:manager|lead|boss)\b"
    r"|\bwait(?:ed)?\s+for\s+(?:approval|sign-?off|my\s+manager)|\bjust\s+safer\b|\bcan['’]t\s+think\s+of\s+(?:one|a\s+time|an\s+example)"
    r"|\bdidn['’]t\s+want\s+to\s+(?:just\s+)?go\s+off\b|\bask(?:ed)?\s+for\s+permission\b|\bneeded\s+(?:sign-?off|approval)\b"
)


@detector("approval_seeking", "waiting for approval or permission instead of acting")
def _approval_seeking(t: Text) -> list[Finding]:
    return _find(t, "approval_seeking", _APPROVAL, negatable=False)


_PASSIVE = _span_words(
    r"\bI\s+was\s+(?:involved|part\s+of|on\s+the\s+(?:bridge|call|team)|there)\b|\bI\s+(?:just\s+)?helped\s+(?:out|look|with|the)\b"
    r"|\bI\s+took\s+one\s+of\s+the\s+action\s+items\b|\bI\s+supported\b|\bI\s+(?:was\s+)?assisted\b|\bI\s+watched\b"
    r"|\bI\s+(?:sat|was)\s+in\s+(?:on\s+)?(?:the\s+)?meetings?\b|\bmy\s+part\s+was\s+small\b"
    r"|\b(?:the\s+team|someone|they|the\s+\w+\s+folks)\s+(?:decided|suggested|built|fixed|did)\b"
)


@detector("passive_role", "the candidate's part is passive or unclear")
def _passive_role(t: Text) -> list[Finding]:
    return _find(t, "passive_role", _PASSIVE, negatable=False)


# --------------------------------------------------------------------------- decisions and trade-offs

_RATIONALE = _span_words(
    r"\b(?:because|since|so\s+that|the\s+reason\s+(?:was|being)|which\s+meant|given\s+that|as\s+the\s+most|in\s+order\s+to|"
    r"I\s+chose\s+that\s+because|was\s+worth\s+it\s+because|the\s+smallest\s+change\s+that)\b"
)


@detector("decision_rationale", "the reason behind a decision")
def _decision_rationale(t: Text) -> list[Finding]:
    def near_decision(t: Text, m: re.Match[str]) -> float | None:
        s, e = _sentence_of(t, m.start())
        sentence = t.masked[s:e]
        # a reason counts when it explains something the candidate decided or did
        if not (_I_DECIDE.search(sentence) or _I_ACT.search(sentence)):
            return None
        # a reason with substance: at least six words follow the connective in the sentence
        rest = t.masked[m.end():e]
        return 1.0 if len(rest.split()) >= 2 else None

    return _find(t, "decision_rationale", _RATIONALE, check=near_decision, negatable=False)


_OPTIONS = _span_words(
    r"\b(?:(?:my|the|our)\s+options\s+were|(?:two|three|four|several|a\s+few|\d)\s+(?:options|alternatives|approaches|candidates|choices|ideas)"
    r"|instead\s+of|rather\s+than|over\s+the\s+other|the\s+alternative|alternatives?\s+(?:was|were)|versus|vs\.?|compared\s+(?:with|to|against)"
    r"|either\b[^.]{3,80}\bor\b|one\s+option|another\s+option|the\s+other\s+option|considered)\b"
)


@detector("options_considered", "options weighed against each other")
def _options(t: Text) -> list[Finding]:
    return _find(t, "options_considered", _OPTIONS)


_COST = _span_words(
    r"\b(?:the\s+(?:cost|downside|price|catch)\s+(?:was|being|is)|at\s+the\s+(?:cost|expense)\s+of|cost\s+(?:us|me)|gave\s+up|traded?\s+off"
    r"|the\s+trade-?off\s+(?:was|is)\s+(?!worth)|a\s+worse\s+\w+\s+but|which\s+meant\s+[^.]{0,40}\b(?:late|slower|delay|stale|lost|worse)"
    r"|it\s+took\s+longer|(?:did\s+)?add(?:ed|s)?\s+(?:a|an)\s+(?:day|week|hour|extra)|added\s+latency|(?:was|were)\s+thrown\s+away|accepted\s+(?:the|that|a)"
    r"|could\s+take\s+up\s+to|no\s+real-?time|we\s+lost|is\s+easy\s+to\s+recover)\b"
)


@detector("tradeoff_cost", "a cost or downside knowingly accepted")
def _tradeoff(t: Text) -> list[Finding]:
    return _find(t, "tradeoff_cost", _COST)


# --------------------------------------------------------------------------- results and numbers

_NUMWORD = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|a\s+hundred|a\s+dozen|dozens|half)"
_UNIT = (
    r"(?:%|\s?percent|\s?(?:ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|quarters?|years?|"
    r"x|times|[kmg]b|tb|gb/s|mb/s|k|m|qps|rps|tps|requests?|calls?|users?|members?|accounts?|customers?|devices?|errors?|failures?|"
    r"incidents?|pages?|tickets?|renewals?|charges?|refunds?|events?|merges?|tests?|endpoints?|services?|engineers?|teams?|partners?|"
    r"points?|bps|nodes?|hosts?|servers?|instances?|regions?|dollars|\$|million|billion|thousand|crashes|sessions?|titles?|rows?))"
)
_NUMBER = rf"(?:\$?\b\d[\d,]*(?:\.\d+)?|\b{_NUMWORD})"
_QUANT = re.compile(rf"(?<![\w.])(?:{_NUMBER}){_UNIT}\b|\b(?:doubled|halved|tripled)\b|\b\d+(?:\.\d+)?%", I)
_BASELINE = re.compile(
    rf"\bfrom\s+(?:about\s+|around\s+|roughly\s+)?{_NUMBER}[^.;]{{0,40}}?\bto\s+(?:about\s+|around\s+|under\s+|roughly\s+)?{_NUMBER}"
    rf"|\b(?:down|up|dropped|fell|rose|cut|reduced|back)\s+(?:from\s+\S+\s+)?to\s+(?:about\s+|under\s+|below\s+)?(?:{_NUMBER}|baseline)"
    rf"|\bunder\s+{_NUMBER}{_UNIT}|\bno\s+(?:\w+\s+)?(?:incident|page|outage|failure)s?\b|\bnobody\s+was\s+paged\b|\bno\s+producer\s+failed\b",
    I,
)
_CONTEXT_UNIT = re.compile(r"(?:days?|weeks?|months?|quarters?|years?|hours?|hrs?|engineers?|teams?|partners?|people)$", I)
_VAGUE = _span_words(
    r"\bsomething\s+like\b|\bmaybe\s+more\b|\bmillions\s+(?:a|per|of)\b|\bmassive(?:ly)?\b|\bhuge(?:ly)?\b|\bcould\s+(?:just\s+)?feel\b"
    r"|\bway\s+(?:faster|better)\b|\btons?\s+of\b|\ba\s+lot\s+(?:faster|better)\b|\breal,?\s+measurable\b|\bsignificant(?:ly)?\s+(?:impact|improvement)\b"
    r"|\b[1-9]\d{2,}%\s+(?:more\s+)?(?:engagement|revenue|growth|increase|faster|better)|\bengagement\s+went\s+up\s+(?:around\s+|about\s+)?\d{3,}%"
)


_TARGET = re.compile(r"\b(?:goal|target|aim(?:ed)?|promised|planned|forecast|expected|budget|SLO)\b", I)


def _is_target(t: Text, pos: int) -> bool:
    """True when the number at ``pos`` sits in a sentence about a goal, not an outcome."""
    s, _ = _sentence_of(t, pos)
    return bool(_TARGET.search(t.masked[s:pos]))


@detector("quantified_result", "a measured result: a number with a unit, better with a baseline")
def _quantified(t: Text) -> list[Finding]:
    out = [Finding("quantified_result", m.start(), m.end(), t.raw[m.start():m.end()], 2.0) for m in scan(t, _BASELINE)
           if not negated(t, m.start()) or m.group(0).lower().startswith(("no ", "nobody"))]
    out = [Finding(f.detector, f.start, f.end, f.quote, 0.5) if _is_target(t, f.start) else f for f in out]
    covered = [(f.start, f.end) for f in out]
    for s, e in t.sentences:
        hits = list(scan(t, _QUANT, s, e))
        # three or more bare figures in one sentence with no baseline is a list of claims, not a result
        if len(hits) >= 3 and not any(scan(t, _BASELINE, s, e)):
            continue
        for m in hits:
            a, b = m.start(), m.end()
            if any(cs <= a < ce for cs, ce in covered) or negated(t, a):
                continue
            # durations and head-counts are context ("two weeks", "two engineers"), rarely the outcome
            weak = _CONTEXT_UNIT.search(m.group(0)) or _is_target(t, a)
            out.append(Finding("quantified_result", a, b, t.raw[a:b], 0.5 if weak else 1.0))
    return sorted(out, key=lambda f: f.start)


@detector("vague_claim", "an unsupported magnitude or figures with no baseline")
def _vague(t: Text) -> list[Finding]:
    out = _find(t, "vague_claim", _VAGUE, negatable=False)
    for s, e in t.sentences:
        sentence = t.masked[s:e]
        hits = list(scan(t, _QUANT, s, e))
        if len(hits) >= 3 and not any(scan(t, _BASELINE, s, e)) and re.search(r"\b(?:faster|cheaper|reduction|availability|improvement|throughput|impact|result)\b", sentence, I):
            out.append(Finding("vague_claim", s, e, t.raw[s:e], 1.5))
    return out


# --------------------------------------------------------------------------- accountability and reflection

_BLAME = _span_words(
    r"\b(?:outside|beyond)\s+(?:of\s+)?my\s+control\b|\bwasn['’]t\s+(?:really\s+)?(?:on\s+me|my\s+fault)|\bnot\s+(?:really\s+)?(?:on\s+me|my\s+fault)"
    r"|\b(?:is|was|were)\s+on\s+them\b|\btheir\s+(?:fault|parser|bug|code|mistake)\b|\bshould\s+have\s+caught\b"
    r"|\b(?:management|leadership|the\s+business|business\s+side|product|QA|the\s+(?:\w+\s+)?team|the\s+vendors?|legacy\s+\w+|reorgs?|they)\b"
    r"[^.;:]{0,45}?\b(?:kept\s+(?:adding|changing|pushing)|didn['’]t\s+(?:provision|deliver|help|test|catch)|underestimated|pulled\s+(?:the\s+date|it)\s+in"
    r"|choked|failed\s+to|took\s+(?:almost|over|nearly)|never\s+(?:told|gave|delivered))"
    r"|\bmy\s+(?:service|code|part)\s+(?:itself\s+)?(?:had\s+no\s+bugs|was\s+fine|worked)|\bexactly\s+to\s+spec\b|\bnobody\s+on\s+that\s+team\s+understands"
    r"|\bchanges\s+coming\s+from\s+the\s+business|\bdidn['’]t\s+help\b"
)


@detector("blame_shift", "blame placed on others (management, legacy code, other teams)")
def _blame(t: Text) -> list[Finding]:
    return _find(t, "blame_shift", _BLAME, negatable=False)


_OWN = _span_words(
    r"\b(?:that\s+was\s+|it\s+was\s+)?my\s+(?:own\s+)?(?:mistake|fault|miss|error|bad|misjudge?ment)\b|\bI\s+(?:was|had\s+been|['’]d\s+been)\s+wrong\b"
    r"|\bthe\s+wrong\s+call\b|\bI\s+should\s+have\b|\bthe\s+miss\s+was\s+(?:partly\s+|mostly\s+)?my\b|\bI\s+got\s+(?:\w+\s+)?wrong\b|\bone\s+thing\s+I\s+got\s+wrong"
    r"|\bI\s+(?:didn['’]t|did\s+not|never)\s+(?:check|verify|profile|test|validate|consider|ask|talk|think)\b|\bI\s+(?:wrongly\s+)?assumed\b"
    r"|\b(?:that|this|it)\s+(?:was|is)\s+on\s+me\b|\bI\s+misjudged\b|\bI\s+apologi[sz]ed\b|\bmy\s+deploy\s+was\s+the\s+cause\b|\bmy\s+analysis\b"
    r"|\bI\s+owned\s+the\s+(?:mistake|miss|failure)|\bwhich\s+was\s+fair\b|\bI\s+underestimated\b|\bI\s+let\s+(?:that|the|it)\b"
)


@detector("owns_mistake", "a mistake owned plainly")
def _owns(t: Text) -> list[Finding]:
    def not_deflected(t: Text, m: re.Match[str]) -> float | None:
        before = t.masked[max(0, m.start() - 25):m.start()]
        if re.search(r"\b(?:not|wasn['’]t|isn['’]t|never|no)\s+(?:really\s+)?$", before, I):
            return None
        return 1.0

    return _find(t, "owns_mistake", _OWN, negatable=False, check=not_deflected)


_REFLECT = _span_words(
    r"\bwhat\s+I(?:['’]d|\s+would)?\s+do\s+differently\b|\bwhat\s+I\s+do\s+differently\s+now\b|\bthe\s+lesson\b|\blesson\s+(?:for\s+me|I\s+took)"
    r"|\bI\s+learned\b|\bsince\s+then\b|\bnow\s+I\b|\bnext\s+time\b|\bgoing\s+forward\b|\bin\s+hindsight\b|\blooking\s+back\b"
    r"|\bif\s+I\s+did\s+it\s+again\b|\bI\s+changed\s+how\b|\btakeaway\b|\bI\s+now\s+\w+|\b(?:is|are)\s+now\s+(?:a|part\s+of)\b"
)
_CONCRETE_PRACTICE = re.compile(
    r"\b(?:I|now\s+I)\s+(?:now\s+)?(?:set|sample|spend|check|take|run|write|ask|profile|talk|add|review|measure|bring|start|keep|verify|test|put|make)\b"
    r"|\bbefore\s+(?:I|sizing|changing|starting)\b|\bis\s+now\s+a\b|\bare\s+now\s+a\b", I)
_PLATITUDE = re.compile(
    r"\bcommunication\s+is\s+(?:really\s+)?important|\bbuy-?in\b|\bgreat\s+learning\s+experience|\bdocument\s+it\b|\bcommunicate\s+(?:even\s+)?more"
    r"|\bwhen\s+they\s+slip\b|\bin\s+writing\b[^.]{0,30}\bslip", I)


@detector("reflection", "what the candidate would do differently, as a concrete change")
def _reflection(t: Text) -> list[Finding]:
    def quality(t: Text, m: re.Match[str]) -> float:
        s, e = _sentence_of(t, m.start())
        nxt = next(((a, b) for a, b in t.sentences if a >= e), (e, e))
        span = t.masked[m.start():nxt[1]]
        sentence = t.masked[s:e]
        if _PLATITUDE.search(sentence):
            return 0.5
        return 2.0 if _CONCRETE_PRACTICE.search(span) else 1.0

    return _find(t, "reflection", _REFLECT, check=quality)


_NO_REGRET = _span_words(
    r"\b(?:I['’]d|I\s+would)\s+(?:ship|do|build)\s+it\s+the\s+same\s+way\s+again\b|\bwouldn['’]t\s+change\s+(?:anything|a\s+thing)\b"
    r"|\bnothing\s+I\s+would\s+(?:do\s+differently|change)\b|\bI\s+have\s+no\s+regrets\b|\bif\s+there['’]s\s+a\s+lesson\b"
)


@detector("no_regret", "says nothing would change")
def _no_regret(t: Text) -> list[Finding]:
    return _find(t, "no_regret", _NO_REGRET, negatable=False)


_INFORM = _span_words(
    r"\bI\s+(?:told|informed|updated|emailed|messaged|notified|warned|alerted)\s+(?:the|my|our|her|him|them|everyone|both|all|each)\b"
    r"|\bI\s+(?:posted|sent|shared|wrote\s+up|published|circulated)\b[^.]{0,80}\b(?:to|in|with)\s+(?:the|my|our|everyone|both)\b"
    r"|\bwrote\s+(?:a|an)\s+(?:note|one-page\s+note|email|doc|message)\s+to\b|\bso\s+there\s+was\s+no\s+surprise\b|\bflagged\s+(?:it|the)\b|\bkept\s+\w+\s+informed\b"
)


@detector("stakeholder_communication", "stakeholders told of the decision or the miss")
def _inform(t: Text) -> list[Finding]:
    return _find(t, "stakeholder_communication", _INFORM)


_CANDID = _span_words(
    r"\bI\s+(?:told|wrote\s+to|went\s+to|talked\s+to|spoke\s+to)\s+(?:him|her|them|the\s+\w+)\s+(?:directly|privately|one[- ]on[- ]one|first)\b"
    r"|\bI\s+disagreed\b|\bI\s+pushed\s+back\b|\bI\s+said\s+so\b|\bI\s+(?:gave|shared)\s+(?:him|her|them)?\s*(?:direct|candid|honest|specific)?\s*feedback\b"
    r"|\bI\s+thought\s+that\s+was\s+a\s+mistake\b|\bI\s+raised\s+(?:it|the\s+concern|my\s+concern)|\bdirectly\s+(?:first|with\s+those)\b"
    r"|\bthe\s+person\s+alone\s+first\b|\bI\s+challenged\b"
)


@detector("candid_feedback", "candid, direct feedback or open disagreement")
def _candid(t: Text) -> list[Finding]:
    return _find(t, "candid_feedback", _CANDID)


# --------------------------------------------------------------------------- STAR

_CONTEXT_NOUN = re.compile(
    r"\b(?:team|service|company|project|system|app|job|goal|launch|incident|release|design|migration|pipeline|cluster|platform|"
    r"product|api|apis|suite|engineer|partner|outage|deploy|feature|database|cache)s?\b", I)
_TASK = _span_words(
    r"\bmy\s+(?:goal|job|role|task|responsibility|part)\s+(?:was|is)\b|\bI\s+owned\s+(?:a|the)\s+(?:goal|migration|project|service|rollout)"
    r"|\bI\s+was\s+(?:on\s+call|responsible|asked|tasked|the\s+(?:lead|owner|tech\s+lead))|\bI\s+(?:needed|had)\s+to\b|\bthe\s+goal\s+was\b"
    r"|\bI\s+led\s+the\b|\bwe\s+needed\s+to\b|\bthe\s+(?:problem|challenge)\s+was\b|\bI\s+(?:was\s+)?(?:asked|assigned)\s+to\b"
)
_RESULT_WORDS = _span_words(
    r"\b(?:as\s+a\s+result|in\s+the\s+end|the\s+result|after\s+(?:it|we|that)\s+(?:launched|shipped)|we\s+shipped|it\s+shipped|"
    r"(?:dropped|fell|came\s+down|went\s+down|went\s+up|improved|stopped|recovered)\b|later\s+another|since\s+then|no\s+longer|"
    r"were\s+back\s+to|is\s+now\s+a|are\s+now|got\s+to)\b"
)


@detector("star_situation", "the situation: where, which system, what was at stake")
def _star_situation(t: Text) -> list[Finding]:
    for s, e in t.sentences[:3]:
        sentence = t.masked[s:e]
        if len(sentence.split()) >= 8 and _CONTEXT_NOUN.search(sentence) and not sentence.rstrip().endswith("?"):
            return [Finding("star_situation", s, e, t.raw[s:e], 1.0)]
    return []


@detector("star_task", "the task: the candidate's own goal or role")
def _star_task(t: Text) -> list[Finding]:
    return _find(t, "star_task", _TASK)


@detector("star_action", "the actions the candidate took")
def _star_action(t: Text) -> list[Finding]:
    acts = _first_person_action(t) + _first_person_decision(t)
    return [Finding("star_action", f.start, f.end, f.quote, f.strength) for f in sorted(acts, key=lambda f: f.start)]


@detector("star_result", "the result: what changed, ideally measured")
def _star_result(t: Text) -> list[Finding]:
    acts = _star_action(t)
    if not acts:
        return []
    first_act = acts[0].start
    out = [Finding("star_result", f.start, f.end, f.quote, f.strength) for f in _quantified(t) if f.start > first_act]
    out += _find(t, "star_result", _RESULT_WORDS, check=lambda t, m: 1.0 if m.start() > first_act else None)
    return sorted(out, key=lambda f: f.start)


# --------------------------------------------------------------------------- substance

_SLOGAN = _span_words(
    r"\bfreedom\s+and\s+responsibility\b|\bcontext\s+(?:over|not|beats)\s+control\b|\braised\s+the\s+bar\b|\bdrove\s+alignment\b"
    r"|\bremoved\s+ambiguity\b|\bhigh\s+judg(?:e)?ment\b|\bdisagreed\s+and\s+committed\b|\bowned\s+it\s+end\s+to\s+end\b"
    r"|\bmember\s+experience\s+above\s+everything\b|\btextbook\b|\bI\s+work\s+well\s+under\s+pressure\b|\bcommunicate\s+with\s+stakeholders\b"
    r"|\blead\s+by\s+example\b|\bcalm\s+under\s+pressure\b|\bteam\s+player\b|\bI['’]m\s+very\s+proactive\b|\bpassionate\s+about\b"
    r"|\breally\s+resonates\b|\bthe\s+kind\s+of\s+person\s+who\b|\bbest\s+option\s+after\s+considering\s+all\b|\bone\s+of\s+my\s+strengths\b"
    r"|\bI\s+always\s+try\s+to\b|\bwith\s+candou?r\b|\bno\s+consensus\s+needed\b|\bsimplified\s+the\s+architecture\b|\bthinking\s+several\s+moves\s+ahead"
)


@detector("slogan", "slogans or self-description instead of a story")
def _slogan(t: Text) -> list[Finding]:
    return _find(t, "slogan", _SLOGAN, negatable=False)


_SCOPE = _span_words(
    r"\bI\s+(?:owned|led|own|lead|run|ran|managed|was\s+(?:the\s+)?(?:tech\s+lead|owner|lead))\b|\bmy\s+team\s+of\s+\w+\b|\ba\s+team\s+of\s+\w+\b"
    r"|\bresponsible\s+for\b|\bend\s+to\s+end\b(?!,\s+with\s+full)"
)


@detector("scope_statement", "the scope the candidate owned")
def _scope(t: Text) -> list[Finding]:
    return _find(t, "scope_statement", _SCOPE)


_RELEVANCE = _span_words(
    r"\b(?:interested\s+in|drawn\s+to|excited\s+about|applying\s+(?:to|for)|want\s+to\s+work\s+on)\b[^.]{0,80}\bbecause\b"
    r"|\b(?:this|the)\s+role\b[^.]{0,60}\b(?:maps|matches|fits|sits|relevant)|\brelevant\s+to\b|\bthat['’]s\s+why\b[^.]{0,40}\b(?:role|team|netflix)"
    r"|\bclose\s+to\s+(?:customer|member)\s+impact\b|\bsame\s+(?:kind\s+of\s+)?problems?\b"
)


@detector("company_relevance", "why this role or company, tied to the candidate's own work")
def _relevance(t: Text) -> list[Finding]:
    return _find(t, "company_relevance", _RELEVANCE)


_INFLUENCE = _span_words(
    r"\b(?:across|for)\s+(?:\w+\s+)?(?:teams|the\s+org|orgs|the\s+company|engineering)\b|\bother\s+teams\s+(?:adopted|use|used|now)\b"
    r"|\b(?:two|three|four|five|six|several|\d+)\s+(?:other\s+)?teams\b|\bpartner\s+teams?\b|\bI\s+mentored\b|\bmentoring\b"
    r"|\bset\s+(?:the\s+)?(?:technical\s+)?direction\b|\b(?:a|the)\s+standard\s+(?:for|that)\b|\bnow\s+a\s+(?:release\s+)?check\b|\borg-?wide\b"
    r"|\bplatform\s+(?:that|which)\s+\w+\s+teams\b|\bI\s+wrote\s+(?:a|the)\s+(?:standard|guide|rfc|design\s+doc)\b|\bdesign\s+review\b"
)


@detector("cross_team_influence", "influence beyond the candidate's own team")
def _influence(t: Text) -> list[Finding]:
    return _find(t, "cross_team_influence", _INFLUENCE)


@detector("over_two_minutes", "longer than a two-minute spoken answer (about 320 words)")
def _over_two_minutes(t: Text) -> list[Finding]:
    words = list(_WORD.finditer(t.raw))
    if len(words) <= 320:
        return []
    s = words[320].start()
    return [Finding("over_two_minutes", s, len(t.raw), t.raw[s:], 1.0)]


# --------------------------------------------------------------------------- coding

_CLARIFY = _span_words(
    r"\b(?:before\s+(?:writing|coding|I\s+(?:write|code|start))|(?:a\s+few|two|some|first,?\s+a\s+few)\s+questions|I['’]ll\s+assume|I\s+(?:would\s+)?assume"
    r"|assuming|is\s+that\s+reasonable|can\s+I\s+assume|do\s+we\s+(?:need|want|reject|care)|should\s+(?:it|we|this)\b[^.?]{0,60}\?"
    r"|what\s+(?:happens|should\s+happen)\s+(?:when|if)|first\s+I['’]d\s+ask|I['’]d\s+ask|I\s+want\s+to\s+(?:pin\s+down|clarify|check)"
    r"|to\s+clarify|clarif(?:y|ying)\b|(?:questions?|things?)\s+(?:that\s+)?decide\s+the\s+design)"
)


@detector("clarifying_questions", "requirements clarified before coding")
def _clarify(t: Text) -> list[Finding]:
    return _find(t, "clarifying_questions", _CLARIFY)


_EDGE = _span_words(
    r"\b(?:empty\s+(?:input|list|stream|row|window|string|array)|an?\s+empty\b|null|none\s+values?|duplicates?|ties?\b|negative|overflow|off-by-one"
    r"|boundary|boundaries|exactly\s+at|partial(?:ly)?\s+(?:filled|full|refill)|zero\s+(?:variance|length|items)|single\s+(?:element|item|value)"
    r"|out\s+of\s+order|late\s+events?|invalid|malformed|k\s+(?:is\s+)?(?:larger|greater|bigger)|clock\s+(?:jumps?|skew)|wall-?clock|idle|burst"
    r"|capacity\s+eviction|edge\s+cases?\s+(?:like|such\s+as|:))"
)


@detector("edge_cases", "edge cases named: empty input, duplicates, boundaries")
def _edges(t: Text) -> list[Finding]:
    return _find(t, "edge_cases", _EDGE)


_COMPLEXITY = re.compile(r"\bO\((?:[^()]|\([^()]*\))+\)|\b(?:linear|logarithmic|quadratic|constant)\s+(?:time|space)\b|\bn\s+log\s+n\b"
                         r"|\b\d+\s*(?:bits|bytes|[KMG]B)\s+per\s+\w+|\bover\s+a\s+(?:giga|mega)byte\b", I)


@detector("complexity", "time and space complexity stated")
def _complexity(t: Text) -> list[Finding]:
    return _find(t, "complexity", _COMPLEXITY)


_SIMPLE = _span_words(
    r"\b(?:simplest|simple)\s+(?:version|approach|solution|thing|fix)\b|\bbrute[- ]force\b|\bnaive(?:ly)?\b|\bstart\s+with\s+(?:a|the)\s+(?:simple|single|one)"
    r"|\bthe\s+problem\s+(?:is|with\s+that)\b|\bthen\s+optimi[sz]e\b|\bfirst\s+version\b|\boptions,?\s+simplest\s+first\b|\bonly\s+move\s+on\s+with\s+numbers"
    r"|\bif\s+profiling\s+shows\b|\bfixes\s+that\b|\bso\s+I['’]ll\s+(?:keep|use)\b"
)


@detector("simple_first", "a simple solution first, then an optimisation with a reason")
def _simple(t: Text) -> list[Finding]:
    return _find(t, "simple_first", _SIMPLE)


_INVARIANT = _span_words(
    r"\binvariants?\b|\balways\s+holds?\b|\bnever\s+exceeds?\b|\bguarantee[sd]?\b|\b(?:is|are)\s+(?:always|never)\b|\bin\s+the\s+same\s+locked\s+step"
    r"|\bexactly\s+once\b|\bwhat\s+(?:the|this)\s+\w+\s+represents\b|\beach\s+update\s+is\s+safe\b|\bonly\s+store\s+if\b"
)


@detector("invariant", "the invariant narrated: what the structure means and why updates are safe")
def _invariant(t: Text) -> list[Finding]:
    return _find(t, "invariant", _INVARIANT)


_TESTS = _span_words(
    r"\btests?\s*(?:with|:|cover|for)\b|\bunit\s+tests?\b|\bassert(?:s|ion)?\b|\bfake\s+clock\b|\binjected\s+(?:fake\s+)?clock\b|\btest\s+(?:that|the|a|with|case)\b"
    r"|\b(?:I['’]d|I\s+would|I['’]ll|I)\s+(?:test|feed|check)\b|\btesting\s+with\b|\bstress\s+test\b|\bproperty-?based\b|\btest\s+cases?\b"
)
_TEST_DEFER = _span_words(
    r"\btests?\s+(?:later|afterwards|once\b)|\badd\s+tests\s+later\b|\balready\s+tested\b|\bbasically\s+covered\b|\bno\s+need\s+(?:to|for)\s+tests?\b"
    r"|\b(?:never|didn['’]t|did\s+not|don['’]t|won['’]t)\s+(?:\w+\s+)?(?:write|wrote|written|add|added|run|ran|have|had)\s+(?:any\s+)?(?:unit\s+)?tests\b|\bno\s+(?:unit\s+)?tests\b"
    r"|\bskip(?:ped)?\s+(?:the\s+)?tests\b|\btests\s+are\s+easier\s+to\s+write\s+after\b"
)


@detector("unit_tests", "concrete tests described, not only the happy path")
def _tests(t: Text) -> list[Finding]:
    def distinct_cases(t: Text, m: re.Match[str]) -> float:
        s, e = _sentence_of(t, m.start())
        # a test sentence listing several cases (separated by ; or ,) is stronger
        n = t.masked[s:e].count(";") + t.masked[s:e].count(",")
        return 2.0 if n >= 3 else 1.0

    return _find(t, "unit_tests", _TESTS, check=distinct_cases)


@detector("test_deferral", "tests deferred, skipped or delegated to a library")
def _test_deferral(t: Text) -> list[Finding]:
    return _find(t, "test_deferral", _TEST_DEFER, negatable=False)


_PROD = _span_words(
    r"\b(?:export|emit|track)\s+(?:\w+\s+){0,3}(?:rate|ratio|count|size|metrics?)\b|\bmetrics?\b|\balert(?:s|ing)?\b|\bfall\s*back\b|\bfallback\b"
    r"|\breadab(?:le|ility)\b|\bdebug(?:gab(?:le|ility)|ging)?\b|\bthread-?safe|\block(?:s|ing)?\b|\bcontention\b|\brace\b|\bmonotonic\s+clock\b"
    r"|\bif\s+anything\s+(?:inside\s+)?\w*\s*throws\b|\bhow\s+(?:it|the\s+code)\s+(?:would\s+)?fails?\b|\bmemory\s+(?:per|bound|use)\b|\bin\s+production\b(?!\s+this\s+would\s+scale\s+fine)"
)


@detector("production_concerns", "production consequences: metrics, failure behaviour, concurrency, readability")
def _prod(t: Text) -> list[Finding]:
    return _find(t, "production_concerns", _PROD)


# --------------------------------------------------------------------------- system design

_USERS = _span_words(
    r"\b(?:the\s+)?users\s+(?:here\s+)?(?:are|would\s+be)\b|\bwho\s+(?:uses|consumes)\b|\bstart\s+with\s+who\b|\bsuccess\s+(?:is|means|for\s+me|would\s+be|looks)"
    r"|\bwhat\s+matters\s+most\b|\bthe\s+goal\s+is\s+to\b|\b(?:on-call\s+engineers|data\s+scientists|members|advertisers|operators)\s+need\b|\bSLOs?\b"
    r"|\bp9[59]\s+(?:latency\s+)?(?:under|below|of)\b|\bwithin\s+(?:about\s+)?\w+\s+(?:minutes?|seconds?)\s+of\b|\bat\s+least\s+[\d.]+%\s+complete"
)


@detector("users_and_metrics", "users and success metrics named first")
def _users(t: Text) -> list[Finding]:
    out = _find(t, "users_and_metrics", _USERS)
    # stated at the start is worth more: requirements first
    first = t.sentences[2][1] if len(t.sentences) > 2 else len(t.raw)
    return [Finding(f.detector, f.start, f.end, f.quote, 1.5 if f.start <= first else 1.0) for f in out]


_SCALE = re.compile(
    rf"(?:{_NUMBER})(?:\s+(?:million|billion|thousand|k|m))?\s*(?:concurrent|events?|requests?|sends?|members?|users?|sessions?|ids?|qps|rps|"
    rf"writes?|reads?|calls?|messages?|checks?|tests?|publishes)\b[^.]{{0,30}}?\b(?:a|per|/)\s*(?:second|sec|s|minute|day)\b"
    rf"|\b(?:{_NUMBER})\s*(?:million|billion|k)?\s*(?:concurrent|active)\b|\b\d+(?:\.\d+)?\s*(?:[KMGT]B)(?:/s)?\b"
    rf"|\b(?:round|rough)\s+(?:assumptions?|numbers?|scale)\b|\bcall\s+it\b|\bback\s+of\s+the\s+envelope\b|\broughly\s+\d",
    I,
)


@detector("scale_estimate", "scale assumptions in round numbers")
def _scale(t: Text) -> list[Finding]:
    def reasoned(t: Text, m: re.Match[str]) -> float | None:
        s, e = _sentence_of(t, m.start())
        sentence = t.masked[s:e]
        # "millions of QPS, probably" with no arithmetic is not an estimate
        if re.search(r"\bprobably\s+millions\b|\bmillions,?\s+probably\b", sentence, I):
            return None
        return 1.0

    return _find(t, "scale_estimate", _SCALE, check=reasoned)


_FLOW = _span_words(
    r"\b(?:flow|write\s+path|read\s+path|request\s+path)\s*:|\bwrites?\s+(?:it\s+|them\s+)?(?:to|into)\b|\breads?\s+(?:it\s+)?from\b|\bpartitioned\s+by\b"
    r"|\bconsumers?\b|\bqueue\b|\b(?:durable\s+)?log\b|\bread\s+model\b|\bfan-?out\b|\bbatch(?:es)?\s+(?:job|to)\b|\bhands?\s+(?:it\s+)?to\b|\bdelivers?\b"
    r"|\bpulls?\s+(?:a\s+)?(?:config\s+)?snapshot\b|\bemits?\b|\blands?\s+(?:raw\s+)?\w+\s+in\b|\bobject\s+storage\b|\bcache\s+in\s+front\b"
    r"|\bcalls\s+the\b|\broutes?\s+(?:it\s+)?to\b|\bflows?\s+(?:in|into|through)\b|\bpush(?:es)?\s+(?:them|it)\s+to\b|\bgo(?:es)?\s+back\s+to\b"
)


@detector("data_flow", "the data flow: write path, asynchronous processing, storage, read model")
def _flow(t: Text) -> list[Finding]:
    return _find(t, "data_flow", _FLOW)


_CONSISTENCY = _span_words(
    r"\bstrongly\s+consistent\b|\bstrong\s+consistency\b|\beventual(?:ly)?\s+consisten(?:t|cy)\b|\bread[- ]your[- ](?:own[- ])?writes\b|\bat[- ]least[- ]once\b"
    r"|\bexactly[- ]once\b|\bat[- ]most[- ]once\b|\bidempoten(?:t|cy)\b|\blinearizab(?:le|ility)\b|\bserializab(?:le|ility)\b|\breplayable\b"
    r"|\bsingle[- ]writer\b|\bretries\s+are\s+safe\b|\bsafe\s+to\s+retry\b|\bversion(?:ed)?\s+(?:configs?|numbers?|counter)\b|\bdedup(?:licat\w+)?\s+on\b|\bread\s+it\s+from\s+the\s+primary\b|\bstaleness\b"
)
_BLANKET = _span_words(
    r"\beverything\s+is\s+eventually\s+consistent\b|\beventual\s+consistency\s+is\s+fine\s+everywhere\b|\bAP\s+everywhere\b|\bwe\s+pick\s+AP\b"
    r"|\bretries\s+on\s+every\s+call\b|\bif\s+something\s+fails\s+we\s+retry\b|\bsingle-threaded,?\s+so\s+(?:the\s+)?\w+\s+are\s+atomic\s+and\s+consistent"
    r"|\bautoscaling\s+handles\b|\bso\s+it['’]s\s+proven\s+at\s+scale\b|\bKubernetes\s+restarts\b"
)


@detector("consistency_model", "a named consistency model, per part of the system")
def _consistency(t: Text) -> list[Finding]:
    blanket = [(f.start, f.end) for f in _blanket(t)]
    return [f for f in _find(t, "consistency_model", _CONSISTENCY) if not any(s <= f.start < e for s, e in blanket)]


@detector("blanket_claim", "a blanket claim in place of reasoning")
def _blanket(t: Text) -> list[Finding]:
    return _find(t, "blanket_claim", _BLANKET, negatable=False)


_FAILURE = _span_words(
    r"\bretr(?:y|ies)\s+with\b|\b(?:exponential\s+)?backoff\b|\bjitter(?:ed)?\b|\bidempotency\s+keys?\b|\bdead-?letter\b|\bbackpressure\b"
    r"|\bfail(?:s|ing)?\s+over\b|\bfailover\b|\bfall\s*back\b|\bfallback\b|\bgraceful(?:ly)?\s+degrad\w+|\brolled?\s+back\b|\brollback\b|\bcanary\b"
    r"|\bload\s+shedding\b|\bduplicates?\b|\bpartial\s+outage\b|\bif\s+the\s+\w+(?:\s+\w+)?\s+(?:is\s+down|fails|can['’]t)\b|\bkeeps?\s+the\s+last\s+good\b"
    r"|\bretry\s+budget\b|\bcircuit[- ]breakers?\b|\bbuffer\s+and\s+retry\b|\bbad\s+(?:config|deploy)\b|\bshadow\b|\bdrops?\s+the\s+oldest\b"
)


@detector("failure_handling", "design for failure: retries, idempotency, backpressure, rollback")
def _failure(t: Text) -> list[Finding]:
    return _find(t, "failure_handling", _FAILURE)


_RESILIENCE = _span_words(
    r"\bregion(?:al)?\s+failover\b|\bfails?\s+over\b[^.]{0,30}\bregion\b|\bnext\s+region\b|\bbulkheads?\b|\bload\s+shedding\b|\bshed\s+load\b"
    r"|\btraffic\s+shaping\b|\bretry\s+budget\b|\bhalf-open\b|\bheadroom\b|\bsample(?:s|d)?\s+heartbeats\b|\bcircuit[- ]breaker\b[^.]{0,60}\b(?:opens?|window|threshold)"
)


@detector("resilience_patterns", "senior-level resilience: region failover, bulkheads, load shedding, retry budgets")
def _resilience(t: Text) -> list[Finding]:
    return _find(t, "resilience_patterns", _RESILIENCE)


_OBS = _span_words(
    r"\bmetrics?\b|\bdashboards?\b|\balerts?\b|\balerting\b|\balarms?\b|\btraces?\b|\btracing\b|\blogs\b|\bSLOs?\b|\bon-?call\b|\bpage\s+on\b"
    r"|\bconsumer\s+lag\b|\bqueue\s+lag\b|\blag\b|\bRED\s+(?:metrics|method)\b|\bUSE\s+(?:metrics|method)\b|\bsynthetic\b|\bfreshness\b|\bsample-ratio\s+mismatch\b|\bhit\s+rate\b"
    r"|\b(?:retry|error|reject|sample|success|failure|drop)\s+(?:ratio|rate)s?\b|\b(?:operations|monitoring|health)\s*:"
)


@detector("observability", "operations: metrics, logs, traces, alerts, on-call debugging")
def _obs(t: Text) -> list[Finding]:
    def not_token(t: Text, m: re.Match[str]) -> float | None:
        s, e = _sentence_of(t, m.start())
        # "Prometheus and Grafana for monitoring" / "add monitoring" with nothing measured scores nothing
        return None if re.search(r"\b(?:we['’]d|we\s+would)\s+add\s+monitoring\b", t.masked[s:e], I) else 1.0

    return _find(t, "observability", _OBS, check=not_token)


_WHY_NOT = _span_words(
    r"\bwhy\s+not\b|\bI\s+wouldn['’]t\b|\bat\s+10x\b|\b10x\b|\brather\s+than\b|\binstead\s+of\b|\bthe\s+trade-?off\b|\bexpensive,?\s+and\b"
    r"|\bwhere\s+it\s+(?:will\s+)?break\b|\bbreaks?\s+(?:down\s+)?(?:at|when)\b|\bcost\s+vs\.?\s+latency\b|\bbecause\s+one\s+slow\b"
)


@detector("why_not", "alternatives rejected with reasons, or what changes at 10x")
def _why_not(t: Text) -> list[Finding]:
    return _find(t, "why_not", _WHY_NOT)


_TECH = re.compile(
    r"\b(?:Kubernetes|Kafka|Redis|Cassandra|Postgres(?:QL)?|MySQL|Mongo(?:DB)?|DynamoDB|S3|EVCache|Memcached|Zuul|Eureka|Hystrix|GraphQL|"
    r"React|Recharts|D3|Prometheus|Grafana|Spark|Flink|Elasticsearch|TensorFlow(?:\s+Serving)?|CDN|Open\s+Connect|Chaos\s+Monkey|gRPC|REST)\b")


@detector("tech_list", "technology names listed with no reasoning")
def _tech_list(t: Text) -> list[Finding]:
    out = []
    for s, e in t.sentences:
        sentence = t.masked[s:e]
        names = {m.group(0).lower() for m in _TECH.finditer(sentence)}
        if len(names) >= 3 and not re.search(r"\b(?:because|since|so\s+that|which\s+means|the\s+trade-?off|rather\s+than|instead\s+of)\b", sentence, I):
            out.append(Finding("tech_list", s, e, t.raw[s:e], 1.0))
    return out


# --------------------------------------------------------------------------- running


def run(answer: str, detector_ids: Iterable[str] | None = None) -> tuple[Text, dict[str, list[Finding]]]:
    """Run detectors over ``answer``. Returns the prepared text and findings by detector id.

    ``detector_ids`` limits the run (default: every detector). Raises ``KeyError`` for an
    unknown id."""
    t = prepare(answer)
    ids = list(detector_ids) if detector_ids is not None else list(DETECTORS)
    return t, {i: DETECTORS[i].fn(t) for i in ids}
