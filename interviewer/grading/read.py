"""Stage 1 of the grading pipeline: read the answer once.

:func:`prepare` turns an answer into a :class:`Text`: its sentences (soft line wraps joined),
text addressed to the grader blanked (same length, so offsets agree) and reported, and the
lower-cased copy the detectors scan. The helpers here answer questions every detector asks of
a position in the text: which sentence and clause it is in, whether a negator governs it, a
readable quote around it. Offsets are character offsets into the answer throughout.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

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




# --------------------------------------------------------------------------- text helpers

_SENT = re.compile(r"(?:[^.!?\n]|[.!?](?![\s.!?]|$))+(?:[.!?]+(?=\s|$)|\n|$)|[.!?\n]")
WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_NEGATOR = re.compile(
    r"\b(?:not|no|never|without|nobody|none|nothing|neither|nor|hardly|zero|skipped|lacked|lacking|"
    r"\w+n['’]t|cannot)\b", I)
_CLAUSE_BREAK = re.compile(r"[,;:()\u2014\u2013]|\s-\s|\bbut\b|\bso\b|\bthen\b|\band\b|\bwhich\b|\bbecause\b", I)
SUBORDINATOR = re.compile(r"^\s*(?:if|whether|unless|until|once|before|that|which|who|whom|whose|what)\b", I)
CONDITIONAL = re.compile(r"\b(?:would|could|should|might|may|will|['’]ll|wish|hope|want(?:ed)? to|plan(?:ned)? to|try to|going to)\s+(?:\w+\s+)?$", I)


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
    """Sentence spans of ``text``; a run-on sentence of more than :data:`UNIT_MAX_WORDS` words
    outside code (speech transcribed without full stops) is cut at its clause breaks, so a
    transcript is read in sentence-sized pieces like punctuated prose."""
    out = []
    text = _unwrap(text)
    fences = [(m.start(), m.end()) for m in _FENCED.finditer(text)]
    for m in _SENT.finditer(text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            if any(a <= s < b for a, b in fences):
                out.append((s, e))
            else:
                out.extend(_split_long(text, s, e))
    return out


_FENCED = re.compile(r"^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$", re.M | re.S)


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


def clause_starts(t: Text) -> list[int]:
    """Offsets where clauses begin (after commas, conjunctions, sentence ends), computed once."""
    if t.breaks is None:
        text = t.low or t.masked
        t.breaks = sorted({m.end() for m in _BREAK_ANY.finditer(text)})
    return t.breaks


def clause_start(t: Text, pos: int) -> int:
    """Start offset of the clause containing ``pos`` (after the last break at or before it,
    looking back at most 120 characters)."""
    starts = clause_starts(t)
    i = bisect_right(starts, pos) - 1
    return max(starts[i] if i >= 0 else 0, pos - 120, 0)


def negated(t: Text, start: int) -> bool:
    """True when a negator stands in the same clause before ``start`` (within six words)."""
    text = t.masked
    cs = clause_start(t, start)
    before = text[cs:start]
    words = before.split()[-6:]
    return bool(fast(_NEGATOR).search(" ".join(words).lower()))


def sentence_of(t: Text, pos: int) -> tuple[int, int]:
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
    s, e = sentence_of(t, start)
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
    hits = [h for h in hits if not _reported(answer, sentences, h[0])]
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
    for m in _DISFLUENCY.finditer(answer):  # speech fillers and restarts carry nothing: read past them
        a, b = m.span(1) if m.lastindex else m.span()
        for i in range(a, b):
            masked[i] = " "
    masked_s = "".join(masked)
    if flagged:  # the blanked text is no sentence at all: counts over sentences ignore it
        sentences = _sentences(masked_s)
    words = len(WORD.findall(masked_s))
    low = masked_s.lower()
    return Text(answer, masked_s, low if len(low) == len(masked_s) else "", sentences, words, sorted(flagged, key=lambda f: f.start))


#: a narrated note or prompt, not one addressed to the reader: "I wrote a note for the reviewers of
#: the design doc", "the doc had a note for reviewers", "a user typed ..."
_NARRATED = re.compile(r"\b(?:I|we|they|he|she|it|the\s+\w+|a\s+user|users|someone|an?\s+attacker)\s+(?:wrote|write|writes|added|left|sent|"
                       r"posted|attached|included|kept|had|has|typed|pasted|said|asked|tested|sent|saw|found|used|tagged|red-teamed)\b", I)
_QUOTES = {'"': '"', "“": "”", "'": "'", "‘": "’"}


def _reported(text: str, sentences: list[tuple[int, int]], pos: int) -> bool:
    """Whether the match at ``pos`` is reported, not addressed to the reader: inside quotation
    marks in its sentence, or after a narrating verb ("I wrote a note for the reviewers").
    An aside in brackets or a line of its own is never reported."""
    start = next((s for s, e in sentences if s <= pos < e), pos)
    before = text[start:pos]
    if "(" in before or "[" in before or "\n" in before:
        return False
    opens = sum(before.count(o) - (before.count(c) if c != o else 0) for o, c in _QUOTES.items() if o != "'")
    if opens % 2 == 1 or before.count('"') % 2 == 1:
        return True
    return bool(_NARRATED.search(before))


#: what speech transcribed leaves in: fillers ("um,", "you know,", "I mean,", "like,") and restarted
#: words ("we- we moved"), read as if they were not there
_DISFLUENCY = re.compile(r"\b(?:um+|uh+|erm|er|hmm+)\b,?|\b(?:you\s+know|I\s+mean|like|so)\s*,(?=\s)|\b(\w+-)\s+(?=\w)", I)


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
    r"|(?:^|(?<=\n))[ \t]*(?:#{1,4}\s*(?:system|instructions?)\b|(?:system|assistant)\s*:\s*(?=you\b|ignore\b|the\s+candidate\b|output\b|rate\b|score\b|grade\b|treat\b|mark\b|record\b|new\s+instructions\b|assign\b|give\b))"
    # whoever handles the interview's record named as the addressee: "for whoever sorts these forms", "to the
    # person compiling the loop feedback", "side note for whoever goes through these notes"
    r"|\b(?:to|for)\s+(?:whoever|anyone|someone|the\s+(?:person|people|one|team|folks?|colleague|reader|recruiter|committee|tool|model)|those)\b"
    r"[^.:\n]{0,40}?\b(?:this|these|the|my|our)\s+(?:loop|feedback|notes?|forms?|answers?|responses?|write-?ups?|panel|interviews?|transcripts?|"
    r"summar(?:y|ies)|scorecards?|packets?|debriefs?|submissions?|conversations?|call|chat|session)\b"
    # instructions for the record: "paste into the write-up as is", "copy this into the scorecard"
    r"|(?:^|(?<=[.:;!?(\n,])|(?<=[.:;!?(,]\s))\s*(?:please\s+|just\s+)?(?:paste|copy|put|include|use|quote)\b[^.\n]{0,30}?\b(?:in|into)\s+(?:the|your)\s+"
    r"(?:write-?up|scorecard|feedback|summary|notes|report|debrief|packet|decision)\b"
    r"|\b(?:panel|interviewer|loop|hiring)\s+(?:summary|verdict|recommendation)\s*:"
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
    r"|\byou\s+are\s+now\s+(?:a|an|the)\b|\b(?:ignore|override|forget)\s+(?:the|your)\s+system\s+prompt\b|\bnew\s+instructions?\s*:)",
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




TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9'’_-]*|\d[\d,.]*")


def tokens(t: Text) -> tuple[list[int], list[str]]:
    """Start offsets and lower-cased text of every word of the masked answer, read once."""
    got = t.cache.get("_tokens")
    if got is None:
        ms = list(TOKEN.finditer(t.low or t.masked.lower()))
        got = t.cache["_tokens"] = ([m.start() for m in ms], [m.group(0).strip("'’") for m in ms])  # type: ignore[assignment]
    return got  # type: ignore[return-value]


def code_report(t: Text):
    """The :class:`~interviewer.grading.codeblocks.CodeReport` of the answer, read once per text."""
    key = "_code"
    if key not in t.cache:
        from interviewer.grading.codeblocks import analyse

        t.cache[key] = analyse(t.masked)  # type: ignore[assignment]
    return t.cache[key]  # type: ignore[return-value]



def lines_with(t: Text, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
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


#: a unit longer than this many words (a transcript with no full stops) is cut at clause breaks
UNIT_MAX_WORDS = 45
_UNIT_BREAK = re.compile(r"[,;:](?=\s)|\s(?=(?:so|but|and|then|because|which|after\s+that|anyway|um|uh|you\s+know|i\s+mean|like)\s)", I)


def units(t: Text) -> list[tuple[int, int]]:
    """The answer as the units evidence is read in: its sentences, a fenced code block as one
    unit (fences included), and a run-on sentence of more than :data:`UNIT_MAX_WORDS` words
    (speech transcribed without full stops) cut at clause breaks into pieces of about 30 words.
    (start, end) offsets into the answer, in order; computed once per text."""
    got = t.cache.get("_units")
    if got is not None:
        return got  # type: ignore[return-value]
    blocks = [(t.raw.rfind("\n", 0, max(0, s - 1)) + 1, _fence_end(t.raw, e)) for s, e in code_report(t).blocks]
    out: list[tuple[int, int]] = []
    for s, e in t.sentences:
        block = next(((bs, be) for bs, be in blocks if bs <= s < be or bs < e <= be), None)
        if block:
            if out and out[-1] == block:
                continue
            out.append(block)
            continue
        out.extend(_split_long(t.masked, s, e))
    t.cache["_units"] = out  # type: ignore[assignment]
    return out


def _fence_end(raw: str, body_end: int) -> int:
    """The end of the closing fence line after a code block's body."""
    nl = raw.find("\n", body_end + 1) if body_end < len(raw) and raw[body_end] == "\n" else raw.find("\n", body_end)
    end = len(raw) if nl < 0 else nl
    return end if raw[body_end:end].strip().strip("`~") == "" else body_end


def _split_long(text: str, s: int, e: int) -> list[tuple[int, int]]:
    """``text[s:e]`` as one span, or, past :data:`UNIT_MAX_WORDS` words, cut after the last
    clause break at or before every 30th word (a last piece under 8 words joins the one before)."""
    words = list(WORD.finditer(text, s, e))
    if len(words) <= UNIT_MAX_WORDS:
        return [(s, e)]
    out, start, count = [], s, 0
    for m in words:
        count += 1
        if count < 30:
            continue
        cut = None
        for b in _UNIT_BREAK.finditer(text, start, m.end()):
            if b.end() > start:
                cut = b.end()
        if cut is None:
            if count < UNIT_MAX_WORDS:
                continue
            cut = m.end()  # no break in sight: cut between words
        out.append((start, cut))
        start = cut
        while start < e and text[start].isspace():
            start += 1
        count = len(WORD.findall(text, start, m.end()))
    if start < e:
        if out and len(WORD.findall(text, start, e)) < 8:
            out[-1] = (out[-1][0], e)
        else:
            out.append((start, e))
    return [(a, b) for a, b in ((a, _rstrip(text, a, b)) for a, b in out) if b > a]


def _rstrip(text: str, a: int, b: int) -> int:
    while b > a and text[b - 1].isspace():
        b -= 1
    return b
