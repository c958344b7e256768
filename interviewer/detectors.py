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
    starts: list[int] | None = None


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


_BLOCK_START = re.compile(r"[ \t]*(?:[-*•>#|`~]|\d+[.)][ \t])")


def _unwrap(text: str) -> str:
    """``text`` with soft line wraps (a long prose line running on into the next) turned into
    spaces, same length: a newline ends a sentence only at a blank line, before a list item,
    heading, table row or fence, after a short line or a colon, and inside code."""
    if "\n" not in text:
        return text
    chars = list(text)
    lines = text.split("\n")
    pos, in_fence = 0, False
    for i, line in enumerate(lines[:-1]):
        end = pos + len(line)
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            in_fence = not in_fence
        nxt = lines[i + 1]
        soft = (not in_fence and stripped and nxt.strip() and len(line.rstrip()) >= 60 and not stripped.endswith((":", ";"))
                and not _BLOCK_START.match(nxt) and not stripped.startswith(("```", "~~~", "|", "#")))
        if soft:
            chars[end] = " "
        pos = end + 1
    return "".join(chars)


def _sentences(text: str) -> list[tuple[int, int]]:
    out = []
    text = _unwrap(text)
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
    """The (start, end) of the sentence holding ``pos``, or ``(pos, pos)`` between sentences."""
    if t.starts is None:
        t.starts = [s for s, _ in t.sentences]
    i = bisect_right(t.starts, pos) - 1
    if i >= 0 and pos < t.sentences[i][1]:
        return t.sentences[i]
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
    """Split ``answer`` into sentences and blank out text addressed to the grader.

    A match of :data:`_GRADER` blanks the bracketed aside it sits in, else its sentence; a
    note, P.S. or vocative addressed to the grader blanks the rest of its paragraph. Words are
    counted after blanking, so text addressed to the grader adds nothing."""
    flagged: list[Finding] = []
    sentences = _sentences(answer)
    masked = list(answer)
    lowered = answer.lower()
    low_ok = len(lowered) == len(answer)
    hits = [(m.start(), m.end(), False) for m in (fast(_GRADER).finditer(lowered) if low_ok else _GRADER.finditer(answer))]
    hits += [(m.start(), m.end(), True) for m in _PS.finditer(answer) if _PS_TOPIC.search(m.group(0))]
    hits += [(m.start(), m.end(), False) for m in (fast(_VOCATIVE).finditer(lowered) if low_ok else _VOCATIVE.finditer(answer))
             if _VOCATIVE_BEFORE.search(answer, max(0, m.start() - 12), m.start())]
    for ms, me, is_ps in sorted(hits):
        s, e = ms, me
        group = _enclosing_brackets(answer, s)
        if group:
            s, e = group
            if _PROMPT_TAG.match(answer, s):  # "[SYSTEM] ...": the tag heads what follows it
                para_end = answer.find("\n\n", e)
                e = len(answer) if para_end < 0 else para_end
        else:
            for ss, se in sentences:
                if ss <= s < se or ss < e <= se:
                    s, e = min(s, ss), max(e, se)
            # a header ("Note to the grader:", "P.S.") whose text runs on below it: the rest of the paragraph
            if is_ps or (_HEADER.match(answer, ms) and answer[s:e].rstrip().endswith(":")):
                para_end = answer.find("\n\n", e)
                e = len(answer) if para_end < 0 else para_end
        if any(f.start <= s and e <= f.end for f in flagged):
            continue
        flagged = [f for f in flagged if not (s <= f.start and f.end <= e)]
        flagged.append(Finding("grader_address", s, e, answer[s:e], 1.0))
    for f in flagged:
        for i in range(f.start, f.end):
            if not answer[i].isspace():
                masked[i] = " "
    masked_s = "".join(masked)
    if flagged:  # the blanked text is no sentence at all: counts over sentences ignore it
        sentences = _sentences(masked_s)
    words = len(_WORD.findall(masked_s))
    low = masked_s.lower()
    return Text(answer, masked_s, low if len(low) == len(masked_s) else "", sentences, words, sorted(flagged, key=lambda f: f.start))


def _enclosing_brackets(text: str, pos: int, limit: int = 600) -> tuple[int, int] | None:
    """The (start, end) of the ``(...)``/``[...]`` aside holding ``pos`` (the closing bracket
    included), looking at most ``limit`` characters each way; ``None`` outside one."""
    pairs = {"(": ")", "[": "]"}
    for i in range(pos, max(0, pos - limit) - 1, -1):
        c = text[i]
        if c in ")]" and i < pos:
            return None
        if c in pairs:
            close = text.find(pairs[c], pos, pos + limit)
            return (i, close + 1) if close >= 0 else None
    return None


# --------------------------------------------------------------------------- grader address

#: whoever scores the answer, named as the addressee
_ROLE = (r"(?:evaluators?|graders?|reviewers?|scorers?|assessors?|markers?|examiners?|raters?|judges?|a\.?i\.?|llms?|"
         r"language\s+models?|model|bots?|assistant|automated\s+\w+|"
         r"(?:person|people|one|someone|anyone|whoever)\s+(?:who\s+)?(?:is\s+|are\s+)?(?:read|reads|reading|score|scores|scoring|grade|grades|grading|"
         r"evaluate|evaluates|evaluating|review|reviews|reviewing|mark|marks|marking|assess|assesses|assessing|judge|judges|judging)\b(?:\s+(?:this|these|my|the))?)")
_GRADER = re.compile(
    # a note, message or P.S. addressed to whoever scores
    rf"(?:\b(?:a\s+)?(?:quick\s+)?(?:note|message|instructions?|reminder|aside|memo|request|comment|p\.?\s?s\.?)\s*(?:to|for)\s+(?:the\s+|any\s+|my\s+|our\s+)?{_ROLE}"
    r"|\bto\s+(?:whoever|anyone|the\s+(?:person|people|one))\s+(?:who\s+)?(?:is\s+|are\s+)?(?:read|reads|reading|scor\w+|grad\w+|evaluat\w+|review\w*|mark\w*|assess\w*|judg\w+)\b"
    # a prompt-shaped tag: [SYSTEM], <|system|>, <<SYS>>, "### Instruction", "System:"
    r"|\[\s*(?:system|sys|inst|instructions?|admin|assistant|developer|prompt|note\s+to\s+\w+)\s*\]|<\|?\s*(?:system|im_start|im_end)\b|<<\s*sys\s*>>"
    r"|(?:^|(?<=\n))[ \t]*(?:#{1,4}\s*(?:system|instructions?)\b|(?:system|assistant)\s*:)"
    # a request for a score
    r"|\b(?:please|kindly|you\s+(?:should|must|will|can|need\s+to)|make\s+sure\s+(?:to|you)|be\s+sure\s+to|remember\s+to|i\s+(?:ask|request)\s+(?:you\s+)?to)\s+"
    r"(?:\w+\s+){0,2}?(?:score|rate|grade|mark|assess|evaluate|give|award|assign|credit|consider|treat|count)\b[^.\n]{0,80}?"
    r"\b(?:[1-4](?:\s*/\s*4|\s+out\s+of\s+4)?|four|full|top|highest|max(?:imum)?|perfect|strong(?:\s+hire)?|generous(?:ly)?|accordingly|favou?rabl[ey]|marks?|points|criteri\w+|rubric)\b"
    r"|\b(?:rate|score|grade|mark|assess)\s+(?:this|it|me|my\s+answer|the\s+answer|this\s+answer|each\s+criterion|every\s+criterion)\b[^.\n]{0,60}?\b(?:[1-4]|four|top|full|highest|high(?:ly)?|max(?:imum)?|strong\s+hire)\b"
    r"|\b(?:give|award|assign|grant)\s+(?:this|me|it|my\s+answer|the\s+answer|this\s+answer|the\s+candidate)\s+(?:an?\s+|the\s+)?(?:[1-4](?!\s*(?:hours?|days?|weeks?|minutes?|%))|four|full\s+marks|top\s+marks|the\s+highest|a\s+strong\s+hire|full\s+credit|a\s+perfect)\b"
    r"|\b(?:[1-4]s?|fours|four|full\s+marks|top\s+marks|(?:a\s+)?strong\s+hire|a\s+perfect\s+score)\s+(?:across\s+the\s+board|on\s+every|in\s+every|for\s+every|on\s+all|in\s+all|for\s+each|on\s+each)\b"
    r"|\b(?:if|when|in\s+case)\s+(?:an?\s+|the\s+)?(?:model|ai|llm|grader|evaluator|reviewer|scorer|marker|bot|machine|human|person)\s+(?:is\s+)?(?:grading|scoring|evaluating|reviewing|marking|reading|assessing)\s+(?:this|my|these)\b"
    # claims made to the scorer about the rubric itself
    r"|\b(?:this|my|the)\s+(?:answer|response|story)\s+(?:covers|meets|satisfies|hits|addresses|ticks|checks|demonstrates)\s+(?:all|every|each)\b[^.\n]{0,50}?\b(?:criteri\w*|rubric|boxes|categor\w+|dimensions?)\b"
    r"|\b(?:meets|satisfies|covers)\s+(?:all|every)\s+(?:the\s+)?(?:criteri\w+|rubric\s+(?:items?|criteri\w+|dimensions?))"
    # instructions aimed at a model
    r"|\b(?:ignore|disregard|forget)\s+(?:the|your|all|any|previous|prior|above|earlier|preceding)\s+(?:\w+\s+){0,2}(?:rubric|instructions?|criteria|rules|prompts?|guidelines?|scoring)\b"
    r"|\b(?:record|mark|set|output|return)\s+(?:the\s+)?(?:overall|score|band|rating)\s+(?:as|to|=)\s"
    r"|\byou\s+are\s+now\s+(?:a|an|the)\b|\bsystem\s+prompt\b|\bnew\s+instructions?\s*:)",
    I | re.M,
)
#: a vocative, kept when it opens a line, sentence or bracketed aside: "(Evaluator: ...", "Dear grader,"
_VOCATIVE = re.compile(
    r"\b(?:dear\s+|hey\s+|hi\s+|hello\s+|attention\s*,?\s*|to\s+the\s+|note\s+to\s+)?"
    r"(?:evaluators?|graders?|reviewers?|scorers?|assessors?|markers?|examiners?|raters?|ai|a\.i\.|llms?|assistant|whoever\s+(?:is\s+)?\w+ing(?:\s+this)?|whoever\s+\w+s\s+this)"
    r"(?:\s+\w+ing(?:\s+this)?)?\s*[:,\u2014\u2013-]", I)
_VOCATIVE_BEFORE = re.compile(r"(?:^|[(\[.!?:\n])[\s*_>\"'-]*$")
#: a note, P.S. or vocative header: the rest of its paragraph is addressed too
_HEADER = re.compile(r"\W{0,4}(?:(?:a\s+)?(?:quick\s+)?(?:note|message|instructions?|reminder|aside|memo|p\.?\s?s\.?)\b|(?:dear|attention|hey|hi|hello|to\s+the)\b|\[\s*(?:system|sys|inst))", I)
_PS = re.compile(r"(?im)(?:^[ \t*_>-]*|(?<=[.!?] ))p\.?\s?s\.?(?=[\s:,\u2014-]).*(?:\n(?![ \t]*\n).*)*")
_PROMPT_TAG = re.compile(r"[\[<]\s*\|?\s*(?:system|sys|inst|instructions?|admin|assistant|developer|prompt)\b", I)
_PS_TOPIC = re.compile(r"(?i)\b(?:scor\w*|rubric|grad\w+|evaluat\w+|criteri\w+|marks?|rating|rate|hire|a\.?i|llm|model|reviewer|whoever|points)\b")


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
    r"made\s+the\s+change|took\s+ownership|escalated|froze|disabled|turned\s+off|blocked|approved|"
    r"settled\s+on|held\s+off|ruled\s+out|turned\s+down|said\s+no|backed|bet\s+on|went\s+for|overruled|made\s+the\s+case|"
    r"asked\s+(?:to|for)|kept\s+(?:the|it|our)\b[^.;,]{0,30}\binstead|traded|held\s+the\s+line|wrote\s+(?:up\s+)?(?:a|the|an)\s+(?:one-page\s+)?(?:proposal|note|rfc|memo|design\s+doc)"
)
_I_DECIDE = re.compile(
    rf"\bI(?:['’]d|\s+had)?\s+(?:(?:then|finally|eventually|also|personally|deliberately|instead|just|quickly|immediately|alone|myself|simply)\s+)?(?:{_DECIDE_VERBS})\b"
    rf"|\b(?:it\s+was|that\s+was|this\s+was)\s+my\s+(?:call|decision)\b"
    rf"|\bmy\s+(?:call|decision|recommendation|proposal)\s+(?:was|to)\b|\bthe\s+(?:call|decision)\s+(?:was|fell\s+to)\s+(?:mine|me)\b",
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
    rf"kept|gave|told|chose|fixed|rewrote|began|drew|sped|spent|won|shut|put|held|caught|read|rebuilt|dug|paid|taught|met|let|stood|swapped|"
    rf"wrote\s+up|sat\s+down\s+with)\b(?!['’])",
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

_NUMWORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
            r"nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a\s+hundred|a\s+dozen|dozens|half)")
_UNIT = (
    r"(?:%|\s?percent|\s?(?:ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|quarters?|years?|"
    r"x|times|[kmg]b|tb|gb/s|mb/s|k|m|qps|rps|tps|requests?|calls?|users?|members?|accounts?|customers?|devices?|errors?|failures?|"
    r"incidents?|pages?|tickets?|renewals?|charges?|refunds?|events?|merges?|tests?|endpoints?|services?|engineers?|teams?|partners?|"
    r"points?|bps|nodes?|hosts?|servers?|instances?|regions?|dollars|\$|million|billion|thousand|crashes|sessions?|titles?|rows?))"
)
_NUMBER = rf"(?:\$?\b\d[\d,]*(?:\.\d+)?|\b{_NUMWORD}\b)"
_QUANT = re.compile(rf"(?<![\w.])(?:{_NUMBER}){_UNIT}\b|\b(?:doubled|halved|tripled)\b|\b\d+(?:\.\d+)?%", I)
_BASELINE = re.compile(
    rf"\bfrom\s+(?:the\s+|a\s+)?(?:usual\s+|normal\s+|typical\s+|baseline\s+(?:of\s+)?)?(?:about\s+|around\s+|roughly\s+|~)?{_NUMBER}[^.;]{{0,40}}?\bto\s+(?:about\s+|around\s+|under\s+|roughly\s+|~)?{_NUMBER}"
    rf"|{_NUMBER}\s+(?:a|per|each)\s+\w+\s+to\s+(?:about\s+|around\s+|under\s+)?{_NUMBER}"
    rf"|\b(?:down|up|dropped|fell|rose|cut|reduced|back)\s+(?:from\s+\S+\s+)?to\s+(?:about\s+|under\s+|below\s+)?(?:{_NUMBER}|baseline)"
    rf"|\bunder\s+{_NUMBER}{_UNIT}|\bno\s+(?:\w+\s+)?(?:incident|page|outage|failure)s?\b|\bnobody\s+was\s+paged\b|\bno\s+producer\s+failed\b"
    rf"|\b(?:{_NUMBER}|once|twice)(?:\s+\w+){{0,3}}?\s+(?:instead\s+of|rather\s+than|(?:down|up)\s+from|against|versus|vs\.?|compared\s+(?:with|to))\s+(?:about\s+|around\s+|roughly\s+|the\s+usual\s+)?{_NUMBER}"
    rf"|{_NUMBER}\s*(?:%|\w+)?\s*(?:->|→|=>)\s*{_NUMBER}",
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


def _figures_by_sentence(t: Text) -> tuple[list[re.Match[str]], list[list[re.Match[str]]], list[bool]]:
    """Baseline comparisons, and per sentence its bare figures and whether it holds a baseline
    (one pass of each pattern over the answer, shared by the result and claim detectors)."""
    got = t.cache.get("_figures")
    if got is None:
        baselines = list(scan(t, _BASELINE))
        if t.starts is None:
            t.starts = [s for s, _ in t.sentences]
        figures: list[list[re.Match[str]]] = [[] for _ in t.sentences]
        with_baseline = [False] * len(t.sentences)
        for m in scan(t, _QUANT):
            i = bisect_right(t.starts, m.start()) - 1
            if i >= 0 and m.start() < t.sentences[i][1]:
                figures[i].append(m)
        for m in baselines:
            i = bisect_right(t.starts, m.start()) - 1
            if i >= 0 and m.start() < t.sentences[i][1]:
                with_baseline[i] = True
        got = t.cache["_figures"] = (baselines, figures, with_baseline)  # type: ignore[assignment]
    return got  # type: ignore[return-value]


@detector("quantified_result", "a measured result: a number with a unit, better with a baseline")
def _quantified(t: Text) -> list[Finding]:
    baselines, figures, with_baseline = _figures_by_sentence(t)
    out = [Finding("quantified_result", m.start(), m.end(), t.raw[m.start():m.end()], 2.0) for m in baselines
           if not negated(t, m.start()) or m.group(0).lower().startswith(("no ", "nobody"))]
    out = [Finding(f.detector, f.start, f.end, f.quote, 0.5) if _is_target(t, f.start) else f for f in out]
    covered = [(f.start, f.end) for f in out]
    for hits, baseline in zip(figures, with_baseline):
        # three or more bare figures in one sentence with no baseline is a list of claims, not a result
        if len(hits) >= 3 and not baseline:
            continue
        for m in hits:
            a, b = m.start(), m.end()
            if any(cs <= a < ce for cs, ce in covered) or negated(t, a) or _disagrees(m.group(0)):
                continue
            # durations and head-counts are context ("two weeks", "two engineers"), rarely the outcome
            weak = _CONTEXT_UNIT.search(m.group(0)) or _is_target(t, a)
            out.append(Finding("quantified_result", a, b, t.raw[a:b], 0.5 if weak else 1.0))
    return sorted(out, key=lambda f: f.start)


_SINGULAR_OK = frozenset({"percent", "million", "billion", "thousand", "people", "staff"})


def _disagrees(figure: str) -> bool:
    """A count with a singular noun ("four server"): not a figure anyone would say."""
    parts = figure.lower().split()
    if len(parts) < 2 or parts[0] in ("one", "1", "a"):
        return False
    noun = parts[-1]
    return noun.isalpha() and len(noun) >= 4 and not noun.endswith("s") and noun not in _SINGULAR_OK


_CLAIMED = re.compile(r"\b(?:faster|cheaper|reduction|availability|improvement|throughput|impact|result)\b", I)


@detector("vague_claim", "an unsupported magnitude or figures with no baseline")
def _vague(t: Text) -> list[Finding]:
    out = _find(t, "vague_claim", _VAGUE, negatable=False)
    _, figures, with_baseline = _figures_by_sentence(t)
    for (s, e), hits, baseline in zip(t.sentences, figures, with_baseline):
        if len(hits) >= 3 and not baseline and _CLAIMED.search(t.masked, s, e):
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
    r"|\bI\s+(?:set|got|had|made|wrote|configured|shipped|merged|deployed|pushed|put|used|read|sized|built|picked)\b[^.;]{0,50}\bwrong\b|\b(?:she|he|they)\s+(?:was|were)\s+right\b"
    r"|\bI\s+(?:withdrew|retracted|admitted|conceded|acknowledged|owned\s+up|took\s+(?:the\s+)?(?:blame|responsibility))\b|\bI['’]d\s+only\s+(?:tried|tested|checked|run|looked)\b"
    r"|\bthat\s+cost\s+(?:us|me|them|the\s+team)\b|\bmy\s+(?:estimate|assumption|plan|design|change|query|script|config|code)\s+(?:was|had)\b"
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
    r"|\bI\s+(?:wrote|called|phoned|paged|pinged|emailed|briefed)\s+(?:to\s+)?(?:the|my|our|her|him|them|everyone|both|each)\b|\bI\s+looped\s+in\b|\bI\s+let\s+(?:the|my|our|her|him|them)\s+\w+\s+know\b"
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
    r"|\b(?:your|this)\s+(?:team|role|posting|job|group|org|company|product|platform)\b[^.]{0,80}\b(?:because|which|where|is\s+(?:at|exactly|the))\b"
    r"|\bthat['’]s\s+(?:the\s+)?(?:work|kind\s+of\s+work|problem|kind\s+of\s+problem)\s+I\s+want\b|\bwhy\s+I['’]m\s+(?:applying|interested|here)\b|\bfrom\s+the\s+(?:posting|job\s+description)\b"
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
    r"|\bholds?\s+(?:whenever|after|before|at|because|as\s+long)\b|\bat\s+all\s+times\b|\bremains?\s+(?:sorted|true|valid|consistent|equal|bounded|unique)\b"
    r"|\b(?:loop|class|heap|queue|map|cache|window|stack)\s+invariant\b|\bby\s+construction\b|\bcan\s+never\b|\bstays?\s+(?:sorted|under|below|within|equal|bounded)\b"
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
    rf"|\b(?:round|rough)\s+(?:assumptions?|numbers?|scale)\b|\bcall\s+it\b|\bback\s+of\s+the\s+envelope\b|\broughly\s+\d"
    rf"|(?:{_NUMBER})\s*[kKmMbB]?\s*(?:/s\b|/sec\b|/day\b|(?:per|a)\s+(?:second|sec|day|minute|hour)\b|qps\b|rps\b)|\b\d[\d.,]*\s*[kKmMbB]?\s*[x×*]\s*~?\d|=\s*~?\d[\d.,]*\s*(?:[kKmMbBgGtT]B?|%)?",
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
    r"|\bconditional\s+(?:put|write|update)\b|\bnewer[- ]wins\b|\blast[- ]writer[- ]wins\b|\bcompare[- ]and[- ](?:set|swap)\b|\bversion\s+check\b|\bunique\s+constraint\b"
    r"|\b(?:in\s+(?:a|one|the\s+same)\s+)?transaction\b|\batomic(?:ally)?\b|\bfrom\s+the\s+primary\b|\bquorum\b|\bleases?\b|\bfencing\s+tokens?\b|\bsequence\s+numbers?\b"
    r"|\bdouble[- ](?:count\w*|charg\w*|spen\w*|book\w*)\b|\blost\s+updates?\b|\bseconds?\s+behind\b|\bstale\b|\bread[- ]after[- ]write\b"
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
    r"React|Recharts|D3|Prometheus|Grafana|Spark(?:\s+Streaming)?|Flink|Elasticsearch|TensorFlow(?:\s+Serving)?|CDN|Open\s+Connect|Chaos\s+Monkey|gRPC|REST|"
    r"Java|Kotlin|Python|Golang|Go|Rust|Scala|TypeScript|JavaScript|Node(?:\.js)?|Spring(?:\s+Boot)?|Django|Flask|AWS|GCP|Azure|Docker|Terraform|Jenkins|"
    r"Airflow|Snowflake|BigQuery|Hadoop|Hive|Presto|Trino|Druid|Pinot|ClickHouse|RabbitMQ|SQS|SNS|Kinesis|Lambda|Istio|Envoy|Nginx|Helm|Argo|Datadog|"
    r"Splunk|Kibana|Jaeger|OpenTelemetry|Protobuf|Avro|Parquet|Iceberg|PyTorch|Kubeflow|MLflow|Vault|Consul|ZooKeeper|etcd|CockroachDB|Spanner|Aurora|"
    r"RDS|EC2|ECS|EKS|CloudFront|Akamai|Fastly|Varnish|Angular|Vue|Swift|Flutter|microservices|service\s+mesh|serverless|NoSQL|SQL)\b")


@detector("tech_list", "technology names listed with no reasoning")
def _tech_list(t: Text) -> list[Finding]:
    """A sentence naming three or more technologies with no reason, or a bulleted list whose
    items are mostly technology names with no reason or mechanism behind them."""
    out = []
    for s, e in t.sentences:
        sentence = t.masked[s:e]
        names = {m.group(0).lower() for m in _TECH.finditer(sentence)}
        if len(names) >= 3 and not _REASONED.search(sentence):
            out.append(Finding("tech_list", s, e, t.raw[s:e], 1.0))
    for block in re.finditer(r"(?:^[ \t]*(?:[-*•]|\d+[.)])[ \t]+[^\n]*(?:\n|$)){3,}", t.masked, re.M):
        lines = [m for m in re.finditer(r"[^\n]+", block.group(0))]
        bare = [m for m in lines if _TECH.search(m.group(0)) and not _REASONED.search(m.group(0)) and not _ARROW.search(m.group(0))]
        if len(bare) >= 3 and len(bare) * 2 >= len(lines):
            for m in bare:
                a = block.start() + m.start()
                if not any(f.start <= a < f.end for f in out):
                    out.append(Finding("tech_list", a, block.start() + m.end(), t.raw[a:block.start() + m.end()], 1.0))
    return sorted(out, key=lambda f: f.start)


_REASONED = re.compile(r"\b(?:because|since|so\s+that|so\s+(?:one|each|the|a)\b|which\s+means|the\s+trade-?off|rather\s+than|instead\s+of|keyed\s+by|partitioned\s+by|per\s+\w+|at\s+most|only\s+(?:if|when))\b|\d", I)


# --------------------------------------------------------------------------- evidence with substance
#
# A signal counts only with specifics behind it (seed 002_9b518ee3c5b94179.txt: stories with
# concrete details and metrics; 003_33435b702b09777a.txt: bluffing and buzzwords are caught by
# follow-ups). The detectors below find the specifics, the claims with nothing behind them, and
# the structure an interviewer reads without needing particular words: questions the candidate
# asks, code, test cases, arrows and sequences, and first-person choices in any wording.

#: words that carry no referent of their own (function words, common verbs, fillers)
_FUNCTION_WORDS = frozenset("""
a an the this that these those it its it's they them their there here we our us you your he she him her his hers i me my mine
and or but so then than as of in on at to from by for with without into onto over under about after before during until since
is are was were be been being am do does did done have has had having get got gets getting make made makes go went goes gone come came
can could would should will shall may might must not no nor only just also very really quite rather too more most less least much many
some any each every all both either neither few several such same other another what which who whom whose when where why how
up down out off again further once if else while because although though whether one ones first last next new old good bad big small
per about around roughly approximately almost nearly over under across between through via like about say said says tell told think
thought know knew see saw look looked take took put set give gave keep kept way thing things lot lots bit
""".split())
#: nouns too general to be what a figure measures ("a 40% improvement", "three options")
_GENERIC_REFERENT = frozenset("""
improvement improvements increase increases reduction reductions decrease growth impact impacts result results outcome outcomes
performance efficiency productivity velocity engagement satisfaction quality value values metric metrics kpi kpis boost gain gains uplift
everything overall board options option alternatives alternative approaches approach choices choice ideas idea ways steps aspects
areas factors stakeholders priorities goals trade-offs tradeoffs tradeoff trade-off percent times fold faster better cheaper bigger
more less scale level levels savings improvement success wins win percent% x
""".split())
#: abstract objects: "I drove alignment" is an action on nothing an interviewer could check
_ABSTRACT = frozenset("""
alignment ambiguity impact ownership excellence strategy vision velocity culture synergy synergies value outcomes direction priorities
initiative initiatives solution solutions change changes everything stakeholders communication collaboration transparency innovation
growth success results efficiency quality standards momentum clarity trust buy-in consensus path forward way best practices mindset
accountability responsibility leadership excellence paradigm blueprint guardrails north star execution delivery transformation
journey learnings learning opportunity opportunities challenges challenge problem problems issue issues situation task action result
""".split())
#: things an engineer builds, changes or hands over: an action on one is concrete
_CONCRETE_NOUNS = frozenset("""
ticket test check script service queue dashboard alert doc document proposal note email migration rollback flag switch fix patch pr
review runbook playbook library tool job cron pipeline table index schema column field key cache database store bucket endpoint api
client server proxy gateway config release deploy deployment build branch commit incident postmortem page pager rotation on-call
contract spec design prototype spike benchmark load experiment trial rollout canary cluster node host region fleet limit quota
threshold timeout retry budget plan date deadline meeting call customer member user partner vendor team engineer manager director
lead data log logs metric trace report file form screen button feature model rule list
""".split())
#: acronyms that name a practice, not a thing built or measured
_BUZZ_ACRONYMS = frozenset("SLO SLOS SLI SLIS KPI KPIS OKR OKRS CAP PACELC RED USE CI CD AI ML STAR ROI TCO MVP POC SOLID DRY KISS YAGNI".split())

_NUM_TOKEN = re.compile(
    r"(?<![\w.])(?:[$£€]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|x\b|k\b|m\b|b\b|ms\b|s\b|[KMGT]B\b|[KMGT]iB\b|kbps|mbps|gbps))?"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|hundred|dozen|thousand|million|billion)\b", I)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’_-]*|\d[\d,.]*")
_IDENT = re.compile(r"`[^`\n]{2,60}`|\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b\w+\.\w+\(|\b[A-Za-z_]\w*\(\)|\s/[a-z][\w/{}:-]+|\bp9[059](?:\.9)?\b"
                    r"|(?<![\w'’])'[^'\s][^'\n]{0,28}'(?![\w'’])|(?<![\w\"])\"[^\"\s][^\"\n]{0,28}\"(?![\w\"])")
_PROPER = re.compile(r"(?<=[a-z0-9,;)] )(?:[A-Z][a-z]+[A-Za-z]*|[A-Z]{2,}[a-z]?s?)\b")
#: technical specifics in prose: complexity, an expression, a quantity with its unit of account
_TECHNICAL = re.compile(
    r"\bO\((?:[^()]|\([^()]*\))+\)|\b\w+(?:\(\w*\))?\s*(?:==|!=|<=|>=|\+=|-=)\s*\w+|\b\w+\s+(?:in|per)\s+(?:bytes|seconds|ms|milliseconds|key|keys|request|user|member|"
    r"entry|item|partition|region|host|account|profile|device|title|tenant|shard|node|call|event|row|message|second|minute|day)\b", I)
_ARROW = re.compile(r"(?:->|→|=>|⇒|⟶|-->)")


def _tokens(t: Text) -> tuple[list[int], list[str]]:
    """Start offsets and lower-cased text of every word of the masked answer, read once."""
    got = t.cache.get("_tokens")
    if got is None:
        ms = list(_TOKEN.finditer(t.low or t.masked.lower()))
        got = t.cache["_tokens"] = ([m.start() for m in ms], [m.group(0).strip("'’") for m in ms])  # type: ignore[assignment]
    return got  # type: ignore[return-value]


_NUMBER_WORDS = frozenset("two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
                          "hundred hundreds dozen dozens thousand thousands million millions billion billions half".split())


def _is_referent(word: str) -> bool:
    return (len(word) >= 3 and word.isalpha() and word not in _FUNCTION_WORDS and word not in _GENERIC_REFERENT
            and word not in _NUMBER_WORDS and not word.endswith("ly")) or (len(word) == 3 and word[0] == "p" and word[1:].isdigit())


def _referent_near(t: Text, start: int, end: int) -> bool:
    """Whether a content word next to a figure (three words after, two before, in its clause)
    says what the figure counts or measures; a general word ("improvement", "options") does not."""
    starts, words = _tokens(t)
    cs = _clause_start(t, start)
    breaks = _clause_starts(t)
    i = bisect_right(breaks, end)
    ce = breaks[i] if i < len(breaks) else len(t.masked)
    j = bisect_right(starts, end - 1)
    k = bisect_right(starts, start - 1)
    after = [words[x] for x in range(j, min(j + 3, len(words))) if starts[x] < ce]
    before = [words[x] for x in range(max(0, k - 2), k) if starts[x] >= cs]
    return any(_is_referent(w) for w in after + before)


@detector("specifics", "specifics: a figure with what it measures, a named system or component, a literal")
def _specifics(t: Text) -> list[Finding]:
    out: list[Finding] = []
    for m in scan(t, _NUM_TOKEN):
        if _referent_near(t, m.start(), m.end()):
            out.append(Finding("specifics", m.start(), m.end(), t.raw[m.start():m.end()], 1.0))
    for m in _IDENT.finditer(t.masked):
        out.append(Finding("specifics", m.start(), m.end(), t.raw[m.start():m.end()], 1.0))
    listed = [(f.start, f.end) for f in _tech_list(t)]
    for m in _PROPER.finditer(t.masked):
        word = m.group(0)
        if any(a <= m.start() < b for a, b in listed):
            continue
        if word.upper().rstrip("S") in _BUZZ_ACRONYMS or word.upper() in _BUZZ_ACRONYMS or _TECH.fullmatch(word):
            continue
        out.append(Finding("specifics", m.start(), m.end(), word, 1.0))
    for m in scan(t, _TECHNICAL):
        out.append(Finding("specifics", m.start(), m.end(), t.raw[m.start():m.end()], 1.0))
    for m in _ARROW.finditer(t.masked):
        out.append(Finding("specifics", m.start(), m.end(), t.raw[m.start():m.end()], 1.0))
    out.sort(key=lambda f: f.start)
    return out


def substantive_sentences(t: Text) -> list[bool]:
    """For each sentence of ``t``, whether it has a specific behind it (see :func:`_specifics`)
    or sits inside fenced code. Computed once per text."""
    key = "_substantive"
    if key not in t.cache:
        flags = [False] * len(t.sentences)
        starts = [s for s, _ in t.sentences]
        for f in _specifics(t):
            i = bisect_right(starts, f.start) - 1
            if i >= 0 and f.start < t.sentences[i][1]:
                flags[i] = True
        for bs, be in code_report(t).blocks:
            for i, (s, e) in enumerate(t.sentences):
                if s < be and bs < e:
                    flags[i] = True
        t.cache[key] = flags  # type: ignore[assignment]
    return t.cache[key]  # type: ignore[return-value]


def is_substantive(t: Text, pos: int) -> bool:
    """Whether the sentence holding ``pos`` has a specific behind it."""
    if t.starts is None:
        t.starts = [s for s, _ in t.sentences]
    i = bisect_right(t.starts, pos) - 1
    return i >= 0 and pos < t.sentences[i][1] and substantive_sentences(t)[i]


_EMPTY_CLAIM = _span_words(
    r"\bproduction[- ](?:grade|ready|quality|hardened)\b|\bbattle[- ]tested\b|\bindustry[- ]standard\b|\bbest[- ]practices?\b|\bworld[- ]class\b"
    r"|\benterprise[- ]grade\b|\bbullet[- ]?proof\b|\brock[- ]solid\b|\bfuture[- ]proof\w*\b|\bbest[- ]in[- ]class\b|\bcutting[- ]edge\b|\bstate[- ]of[- ]the[- ]art\b"
    r"|\b(?:handles?|handled|covers?|covered|handling)\s+(?:all|every)\s+(?:the\s+|possible\s+)?(?:edge[- ]cases?|cases|scenarios|failure\s+modes)\b"
    r"|\ball\s+(?:the\s+)?(?:edge[- ]cases|failure\s+modes|cases)\s+(?:are\s+)?(?:handled|covered|taken\s+care\s+of)\b"
    r"|\bfive\s+nines\b|\b99\.999+%?|\bzero[- ](?:downtime|bugs|defects|incidents|latency)\b|\b(?:guaranteed|safe|correct|secure|idempotent)\s+by\s+design\b"
    r"|\b(?:it['’]?s|is|this\s+is)\s+(?:optimal|the\s+optimal)\b|\boptimal\s+on\s+every\b|\bhard\s+to\s+get\s+wrong\b|\bjust\s+works\b|\bno\s+bugs\b|\bnever\s+(?:fails|breaks|goes\s+down)\b"
    r"|\bscales?\s+(?:horizontally\s+|linearly\s+|infinitely\s+)?(?:without\s+(?:any\s+)?limit|with\s+no\s+(?:redesign|limit)|forever|to\s+any\s+size)\b|\b(?:infinitely|massively|hyper)[- ]?scal\w+"
    r"|\b(?:idempotency|retries|caching|monitoring|observability|encryption)\s+everywhere\b|\bexactly[- ]once\s+(?:semantics\s+)?end[- ]to[- ]end\b"
    r"|\bthe\s+right\s+(?:consistency\s+model|tool|approach|choice|database)\s+for\s+(?:each|every)\b|\bthe\s+full\s+(?:resilience\s+)?toolkit\b"
    r"|\btransformational\b|\bstep[- ]change\b|\bnorth[- ]star\b|\bgame[- ]chang\w+|\bparadigm\b|\bsynerg\w+|\boutsized\b|\bmove\s+the\s+needle\b"
    r"|\bunlock(?:ed|ing)?\s+(?:value|velocity|impact|growth)\b|\bdr(?:ove|ive|iving)\s+(?:alignment|impact|results|outcomes|excellence|value)\b"
    r"|\b(?:tremendous|incredible|enormous|massive|huge|significant)\s+(?:impact|value|results?|improvements?|gains?)\b"
    r"|\bdelight(?:ing|ed)?\s+(?:users|customers|members|followers|creators|both)\b|\bresults[- ]driven\b|\bcustomer[- ]obsess\w+"
    r"|\bthink(?:ing)?\s+outside\s+the\s+box\b|\bself[- ]starter\b|\bhit\s+the\s+ground\s+running\b|\bhigh[- ]stakes\s+environment\b|\bfast[- ]paced\s+environment\b"
    r"|\b(?:scalable|reliable|robust|resilient|performant|secure|maintainable|extensible),\s+(?:\w+,\s+)*(?:and\s+)?(?:scalable|reliable|robust|resilient|performant|secure|maintainable|extensible|low[- ]latency|user[- ]centric)\b"
)


@detector("empty_claim", "a claim with nothing behind it (production-grade, all edge cases handled, five nines)")
def _empty_claim(t: Text) -> list[Finding]:
    return _find(t, "empty_claim", _EMPTY_CLAIM, negatable=False)


@detector("repetition", "the same phrase repeated instead of new substance")
def _repetition(t: Text) -> list[Finding]:
    """Later copies of a sentence already said, and a three-word phrase said three or more times."""
    out: list[Finding] = []
    starts, words = _tokens(t)
    seen: set[tuple[str, ...]] = set()
    for s, e in t.sentences:
        key = tuple(words[bisect_right(starts, s - 1):bisect_right(starts, e - 1)])
        if len(key) < 2:
            continue
        if key in seen:
            out.append(Finding("repetition", s, e, t.raw[s:e], 1.0))
        seen.add(key)
    func = [w in _FUNCTION_WORDS for w in words]
    grams: dict[tuple[str, str, str], list[int]] = {}
    for i in range(len(words) - 2):
        if func[i] + func[i + 1] + func[i + 2] >= 2:
            continue
        grams.setdefault((words[i], words[i + 1], words[i + 2]), []).append(i)
    for at in grams.values():
        if len(at) >= 3:
            for i in at[2:]:
                s, e = starts[i], starts[i + 2] + len(words[i + 2])
                if not any(f.start <= s < f.end for f in out):
                    out.append(Finding("repetition", s, e, t.raw[s:e], 1.0))
    return sorted(out, key=lambda f: f.start)


_RHETORICAL = re.compile(r"(?i)(?:\b(?:isn['’]t|aren['’]t|doesn['’]t|don['’]t|wasn['’]t|won['’]t|can['’]t|didn['’]t|right|you\s+know|okay|ok|yeah|no)"
                         r"(?:\s+(?:it|they|we|you|that|there|he|she|i))?\s*\?$|^\s*(?:so|and|or|right|why|how)\s*\?$)")


@detector("questions_asked", "questions the candidate asks to pin down the problem")
def _questions_asked(t: Text) -> list[Finding]:
    out = []
    code = code_report(t).blocks
    for s, e in t.sentences:
        sentence = t.masked[s:e].strip()
        if not sentence.endswith("?") or any(bs <= s < be for bs, be in code):
            continue
        if len(sentence.split()) < 3 or _RHETORICAL.search(sentence):
            continue
        out.append(Finding("questions_asked", s, e, t.raw[s:e], 1.0))
    return out


def code_report(t: Text):
    """The :class:`~interviewer.codeblocks.CodeReport` of the answer, read once per text."""
    key = "_code"
    if key not in t.cache:
        from interviewer.codeblocks import analyse

        t.cache[key] = analyse(t.masked)  # type: ignore[assignment]
    return t.cache[key]  # type: ignore[return-value]


def _code_findings(t: Text, kind: str, name: str) -> list[Finding]:
    return [Finding(name, sp.start, sp.end, t.raw[sp.start:sp.end], 1.0) for sp in code_report(t).of(kind) if sp.end > sp.start]


@detector("code_function", "working code: a function with a real body")
def _code_function(t: Text) -> list[Finding]:
    return _code_findings(t, "function", "code_function")


@detector("code_stub", "code that does nothing real (pass, return True, returns its input, TODO)")
def _code_stub(t: Text) -> list[Finding]:
    return _code_findings(t, "stub", "code_stub") + _code_findings(t, "syntax_error", "code_stub")


_LITERAL = r"(?:'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|\[[^\]\n]*\]|\{[^}\n]*\}|\(\s*[\w\s.,'\"-]*\)|-?\d[\d.,:]*\w*|\b(?:None|null|nil|empty|true|false|True|False|error|ValueError|TypeError|KeyError|exception|raises?|throws?)\b)"
_CASE_LINE = re.compile(
    rf"[ \t]*(?:[-*•]|\d+[.)]|\|)?[ \t]*(?=[^\n]*{_LITERAL})[^\n]{{1,90}}?\s(?:->|→|=>|⇒|==|returns?|gives?|yields?|should\s+(?:return|give|be|raise|throw|fail|reject|wait|retry)|expect(?:s|ed)?|raises|throws|rejects?|is\s+rejected)\s[^\n]{{1,90}}$",
    re.M)
_CASE_OP = re.compile(r"->|→|=>|⇒|==|\b(?:returns?|gives?|yields?|should|expect\w*|raises|throws|rejects?|is\s+rejected)\b", I)


def _lines_with(t: Text, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """(start, end) of each line of the masked answer that ``pattern`` matches, in order."""
    text = t.masked
    out: list[tuple[int, int]] = []
    for m in scan(t, pattern):
        if out and out[-1][0] <= m.start() < out[-1][1]:
            continue
        s = text.rfind("\n", 0, m.start()) + 1
        e = text.find("\n", m.end())
        out.append((s, len(text) if e < 0 else e))
    return out


_TABLE_ROW = re.compile(r"^[ \t]*\|(?:[^|\n]*\|){2,}[ \t]*$", re.M)
_LITERAL_RE = re.compile(_LITERAL)


def _table_rows(t: Text) -> list[tuple[int, int]]:
    """Rows of a Markdown table (separator rows and the header left out) with a literal in them:
    each row an input and what it should give."""
    rows = [(m.start(), m.end()) for m in _TABLE_ROW.finditer(t.masked)]
    out = []
    for i, (s, e) in enumerate(rows):
        row = t.masked[s:e]
        if re.fullmatch(r"[\s|:-]+", row) or (i + 1 < len(rows) and re.fullmatch(r"[\s|:-]+", t.masked[rows[i + 1][0]:rows[i + 1][1]])):
            continue
        if _LITERAL_RE.search(row):
            out.append((s, e))
    return out


_CASE_LIST = _span_words(
    r"\b(?:cases?|inputs?|scenarios?|checks?|tests?)\s*(?:I['’]d\s+\w+\s*)?(?::|like|such\s+as|including|for|covering)\s+[^.\n]{10,300}?(?:[,;][^.\n,;]{2,80}){2,}")


@detector("test_cases", "named test cases: asserts, input and expected output, a case list")
def _test_cases(t: Text) -> list[Finding]:
    out = _code_findings(t, "test", "test_cases")
    code = code_report(t).blocks
    for s, e in _lines_with(t, _CASE_OP):
        if any(bs <= s < be for bs, be in code):
            continue
        m = _CASE_LINE.match(t.masked, s, e)
        if m:
            out.append(Finding("test_cases", m.start(), m.end(), t.raw[m.start():m.end()].strip(), 1.0))
    for s, e in _table_rows(t):
        if not any(bs <= s < be for bs, be in code):
            out.append(Finding("test_cases", s, e, t.raw[s:e], 1.0))
    for m in scan(t, _CASE_LIST):
        if negated(t, m.start()):
            continue
        out.append(Finding("test_cases", m.start(), m.end(), t.raw[m.start():m.end()], 2.0))
    return sorted(out, key=lambda f: f.start)


_FLOW_STEP = _span_words(
    r"\bthen\s+(?:it\s+|we\s+|the\s+\w+\s+|a\s+\w+\s+)?(?:writes?|sends?|publish(?:es)?|reads?|calls?|push(?:es)?|pulls?|forwards?|routes?|stores?|emits?|"
    r"consumes?|fans?\s+out|enqueues?|updates?|aggregates?|joins?|lands?|streams?|batches|flushes|replicates?|serves?|returns?|marks?|settles?|charges?)\b"
    r"|\bfrom\s+(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+(?:to|into)\s+(?:the\s+)?[a-z][\w-]*(?:\s+(?:service|queue|store|cache|table|topic|api|db|database|log|job|worker|consumer|tier|proxy|gateway))?\b"
    r"|\b(?:writes?|publish(?:es)?|sends?|pushes|emits?|drops?|appends?|puts?)\s+(?:it|them|the\s+\w+|an?\s+\w+|each\s+\w+)\s+(?:on|onto|to|into)\s+(?:a|the)\s+\w+"
    r"|\b(?:reads?|consumes?|pulls?|picks?\s+up)\s+(?:it|them|the\s+\w+|each\s+\w+)?\s*(?:from|off)\s+(?:a|the)\s+\w+"
)


@detector("flow_sequence", "the flow as a sequence: arrows, 'then', from one component to the next")
def _flow_sequence(t: Text) -> list[Finding]:
    out = []
    for s, e in _lines_with(t, _ARROW):
        if any(bs <= s < be for bs, be in code_report(t).blocks):
            continue
        line = t.masked[s:e]
        s += len(line) - len(line.lstrip(" \t-*•"))
        arrows = len(_ARROW.findall(line))
        out.append(Finding("flow_sequence", s, e, t.raw[s:e], min(3.0, 1.0 + 0.5 * (arrows - 1))))
    out += _find(t, "flow_sequence", _FLOW_STEP)
    return sorted(out, key=lambda f: f.start)


@detector("concrete_action", "an action the candidate took on something concrete")
def _concrete_action(t: Text) -> list[Finding]:
    out = []
    for f in _first_person_action(t) + _first_person_decision(t):
        # the object: the rest of the clause after the verb, up to eight words
        breaks = _clause_starts(t)
        i = bisect_right(breaks, f.end)
        ce = breaks[i] if i < len(breaks) else len(t.masked)
        words = [w.lower().strip("'’") for w in _TOKEN.findall(t.masked[f.end:min(ce, f.end + 80)])][:8]
        content = [w for w in words if len(w) >= 3 and w not in _FUNCTION_WORDS and not w.endswith("ly")]
        if not content or all(w in _ABSTRACT or w in _GENERIC_REFERENT for w in content):
            continue
        if is_substantive(t, f.start):
            strength = 1.0
        elif any(w.rstrip("s") in _CONCRETE_NOUNS for w in content):
            strength = 0.75
        else:
            continue
        out.append(Finding("concrete_action", f.start, f.end, f.quote, strength))
    # one finding per start: a decision and an action can match the same words
    seen: set[int] = set()
    uniq = []
    for f in sorted(out, key=lambda f: (f.start, -f.strength)):
        if f.start not in seen:
            seen.add(f.start)
            uniq.append(f)
    return uniq


_EPISODE = _span_words(
    r"\b(?:last|this\s+past|that)\s+(?:year|quarter|month|week|summer|spring|winter|autumn|fall|sprint)\b|\b(?:in|at)\s+(?:my|our)\s+(?:last|previous|current|first|old)\s+(?:role|job|team|company|position|employer)\b"
    r"|\bduring\s+(?:my|the|a|an|our)\b|\bwhen\s+I\s+was\b|\bearly\s+in\s+my\s+career\b|\b(?:a\s+few|two|three|\d+)\s+(?:years|months|weeks)\s+ago\b"
    r"|\b(?:19|20)\d\d\b|\bon\s+(?:a|one|the)\s+(?:\w+\s+)?(?:project|launch|release|migration|incident|team|night|day)\b|\bonce\b"
)
_GENERIC = _span_words(
    r"\bI\s+(?:usually|always|generally|typically|normally|tend\s+to|try\s+to|like\s+to|believe\s+(?:in|that)|feel\s+that)\b"
    r"|\b(?:it['’]s|it\s+is)\s+(?:always\s+)?(?:best|important|good|better|key|crucial|essential)\s+to\b"
    r"|\bI['’]m\s+(?:a|an|very|quite|really|extremely|definitely)\s+(?:\w+\s+)?(?:person|perfectionist|hard\s+worker|team\s+player|people\s+person|fast\s+learner|problem[- ]solver)\b"
    r"|\b(?:perfectionis[tm]|work\s+too\s+hard|care\s+too\s+much)\b|\bin\s+general\b|\bwhenever\s+I\b"
)


@detector("specific_episode", "a particular episode: when and where it happened")
def _specific_episode(t: Text) -> list[Finding]:
    """Markers that the answer tells one episode (seed 001_7dc7f7af5065ad9c.txt: a story with the
    situation, the candidate's role, the decision and the result), not habits."""
    return _find(t, "specific_episode", _EPISODE, negatable=False)


@detector("generic_statement", "habits and self-description instead of an example")
def _generic_statement(t: Text) -> list[Finding]:
    return _find(t, "generic_statement", _GENERIC, negatable=False)


# --------------------------------------------------------------------------- running


def run(answer: str, detector_ids: Iterable[str] | None = None) -> tuple[Text, dict[str, list[Finding]]]:
    """Run detectors over ``answer``. Returns the prepared text and findings by detector id.

    ``detector_ids`` limits the run (default: every detector). Raises ``KeyError`` for an
    unknown id."""
    t = prepare(answer)
    ids = list(detector_ids) if detector_ids is not None else list(DETECTORS)
    return t, {i: DETECTORS[i].fn(t) for i in ids}
