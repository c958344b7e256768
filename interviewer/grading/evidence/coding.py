"""Coding: clarification, edge cases, complexity, simple-first, invariants, tests (in prose,
tables and code), production concerns, code read by structure.
"""

from __future__ import annotations

import re

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import I, Finding, Text, code_report, lines_with, negated, scan, sentence_of

# --------------------------------------------------------------------------- coding

_CLARIFY = span_words(
    r"\b(?:before\s+(?:writing|coding|I\s+(?:write|code|start))|(?:a\s+few|two|some|first,?\s+a\s+few)\s+questions|I['’]ll\s+assume|I\s+(?:would\s+)?assume"
    r"|assuming|is\s+that\s+reasonable|can\s+I\s+assume|do\s+we\s+(?:need|want|reject|care)|should\s+(?:it|we|this)\b[^.?]{0,60}\?"
    r"|what\s+(?:happens|should\s+happen)\s+(?:when|if)|first\s+I['’]d\s+ask|I['’]d\s+ask|I\s+want\s+to\s+(?:pin\s+down|clarify|check)"
    r"|to\s+clarify|clarif(?:y|ying)\b|(?:questions?|things?)\s+(?:that\s+)?decide\s+the\s+design)"
)


@detector("clarifying_questions", "requirements clarified before coding")
def _clarify(t: Text) -> list[Finding]:
    return find(t, "clarifying_questions", _CLARIFY)


_EDGE = span_words(
    r"\b(?:empty\s+(?:input|list|stream|row|window|string|array)|an?\s+empty\b|null|none\s+values?|duplicates?|ties?\b|negative|overflow|off-by-one"
    r"|boundary|boundaries|exactly\s+at|partial(?:ly)?\s+(?:filled|full|refill)|zero\s+(?:variance|length|items)|single\s+(?:element|item|value)"
    r"|out\s+of\s+order|late\s+events?|invalid|malformed|k\s+(?:is\s+)?(?:larger|greater|bigger)|clock\s+(?:jumps?|skew)|wall-?clock|idle|burst"
    r"|capacity\s+eviction|edge\s+cases?\s+(?:like|such\s+as|:))"
)


@detector("edge_cases", "edge cases named: empty input, duplicates, boundaries")
def _edges(t: Text) -> list[Finding]:
    return find(t, "edge_cases", _EDGE)


_COMPLEXITY = re.compile(r"\bO\((?:[^()]|\([^()]*\))+\)|\b(?:linear|logarithmic|quadratic|constant)\s+(?:time|space)\b|\bn\s+log\s+n\b"
                         r"|\b\d+\s*(?:bits|bytes|[KMG]B)\s+per\s+\w+|\bover\s+a\s+(?:giga|mega)byte\b", I)


@detector("complexity", "time and space complexity stated")
def _complexity(t: Text) -> list[Finding]:
    return find(t, "complexity", _COMPLEXITY)


_SIMPLE = span_words(
    r"\b(?:simplest|simple)\s+(?:version|approach|solution|thing|fix)\b|\bbrute[- ]force\b|\bnaive(?:ly)?\b|\bstart\s+with\s+(?:a|the)\s+(?:simple|single|one)"
    r"|\bthe\s+problem\s+(?:is|with\s+that)\b|\bthen\s+optimi[sz]e\b|\bfirst\s+version\b|\boptions,?\s+simplest\s+first\b|\bonly\s+move\s+on\s+with\s+numbers"
    r"|\bif\s+profiling\s+shows\b|\bfixes\s+that\b|\bso\s+I['’]ll\s+(?:keep|use)\b"
)


@detector("simple_first", "a simple solution first, then an optimisation with a reason")
def _simple(t: Text) -> list[Finding]:
    return find(t, "simple_first", _SIMPLE)


_INVARIANT = span_words(
    r"\binvariants?\b|\balways\s+holds?\b|\bnever\s+exceeds?\b|\bguarantee[sd]?\b|\b(?:is|are)\s+(?:always|never)\b|\bin\s+the\s+same\s+locked\s+step"
    r"|\bexactly\s+once\b|\bwhat\s+(?:the|this)\s+\w+\s+represents\b|\beach\s+update\s+is\s+safe\b|\bonly\s+store\s+if\b"
    r"|\bholds?\s+(?:whenever|after|before|at|because|as\s+long)\b|\bat\s+all\s+times\b|\bremains?\s+(?:sorted|true|valid|consistent|equal|bounded|unique)\b"
    r"|\b(?:loop|class|heap|queue|map|cache|window|stack)\s+invariant\b|\bby\s+construction\b|\bcan\s+never\b|\bstays?\s+(?:sorted|under|below|within|equal|bounded)\b"
    # a bound every state keeps: "each wait is at most base * 2^attempt", "the heap holds at most k items"
    r"|\b(?:each|every|any)\s+\w+(?:\s+\w+)?\s+(?:is|are|has|holds?|takes?|stays?)\s+at\s+(?:most|least)\b|\b(?:holds?|keeps?|contains?)\s+at\s+most\b"
)


@detector("invariant", "the invariant narrated: what the structure means and why updates are safe")
def _invariant(t: Text) -> list[Finding]:
    return find(t, "invariant", _INVARIANT)


_TESTS = span_words(
    r"\btests?\s*(?:with|:|cover|for)\b|\bunit\s+tests?\b|\bassert(?:s|ion)?\b|\bfake\s+clock\b|\binjected\s+(?:fake\s+)?clock\b|\btest\s+(?:that|the|a|with|case)\b"
    r"|\b(?:I['’]d|I\s+would|I['’]ll|I)\s+(?:test|feed|check)\b|\btesting\s+with\b|\bstress\s+test\b|\bproperty-?based\b|\btest\s+cases?\b"
)
_TEST_DEFER = span_words(
    r"\btests?\s+(?:later|afterwards|once\b)|\badd\s+tests\s+later\b|\balready\s+tested\b|\bbasically\s+covered\b|\bno\s+need\s+(?:to|for)\s+tests?\b"
    r"|\b(?:never|didn['’]t|did\s+not|don['’]t|won['’]t)\s+(?:\w+\s+)?(?:write|wrote|written|add|added|run|ran|have|had)\s+(?:any\s+)?(?:unit\s+)?tests\b|\bno\s+(?:unit\s+)?tests\b"
    r"|\bskip(?:ped)?\s+(?:the\s+)?tests\b|\btests\s+are\s+easier\s+to\s+write\s+after\b"
)


@detector("unit_tests", "concrete tests described, not only the happy path")
def _tests(t: Text) -> list[Finding]:
    def distinct_cases(t: Text, m: re.Match[str]) -> float:
        s, e = sentence_of(t, m.start())
        # a test sentence listing several cases (separated by ; or ,) is stronger
        n = t.masked[s:e].count(";") + t.masked[s:e].count(",")
        return 2.0 if n >= 3 else 1.0

    return find(t, "unit_tests", _TESTS, check=distinct_cases)


@detector("test_deferral", "tests deferred, skipped or delegated to a library")
def _test_deferral(t: Text) -> list[Finding]:
    return find(t, "test_deferral", _TEST_DEFER, negatable=False)


_PROD = span_words(
    r"\b(?:export|emit|track)\s+(?:\w+\s+){0,3}(?:rate|ratio|count|size|metrics?)\b|\bmetrics?\b|\balert(?:s|ing)?\b|\bfall\s*back\b|\bfallback\b"
    r"|\breadab(?:le|ility)\b|\bdebug(?:gab(?:le|ility)|ging)?\b|\bthread-?safe|\block(?:s|ing)?\b|\bcontention\b|\brace\b|\bmonotonic\s+clock\b"
    r"|\bif\s+anything\s+(?:inside\s+)?\w*\s*throws\b|\bhow\s+(?:it|the\s+code)\s+(?:would\s+)?fails?\b|\bmemory\s+(?:per|bound|use)\b|\bin\s+production\b(?!\s+this\s+would\s+scale\s+fine)"
)


@detector("production_concerns", "production consequences: metrics, failure behaviour, concurrency, readability")
def _prod(t: Text) -> list[Finding]:
    return find(t, "production_concerns", _PROD)




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



def _code_findings(t: Text, kind: str, name: str) -> list[Finding]:
    return [Finding(name, sp.start, sp.end, t.raw[sp.start:sp.end], 1.0) for sp in code_report(t).of(kind) if sp.end > sp.start]


@detector("code_function", "working code: a function with a real body")
def _code_function(t: Text) -> list[Finding]:
    return _code_findings(t, "function", "code_function")


@detector("code_stub", "code that does nothing real (pass, return True, returns its input, TODO)")
def _code_stub(t: Text) -> list[Finding]:
    return _code_findings(t, "stub", "code_stub") + _code_findings(t, "syntax_error", "code_stub")


LITERAL = r"(?:'[^'\n]*'|\"[^\"\n]*\"|`[^`\n]*`|\[[^\]\n]*\]|\{[^}\n]*\}|\(\s*[\w\s.,'\"-]*\)|-?\d[\d.,:]*\w*|\b(?:None|null|nil|empty|true|false|True|False|error|ValueError|TypeError|KeyError|exception|raises?|throws?)\b)"
_CASE_LINE = re.compile(
    rf"[ \t]*(?:[-*•]|\d+[.)]|\|)?[ \t]*(?=[^\n]*{LITERAL})[^\n]{{1,90}}?\s(?:->|→|=>|⇒|==|returns?|gives?|yields?|should\s+(?:return|give|be|raise|throw|fail|reject|wait|retry)|expect(?:s|ed)?|raises|throws|rejects?|is\s+rejected)\s[^\n]{{1,90}}$",
    re.M)
_CASE_OP = re.compile(r"->|→|=>|⇒|==|\b(?:returns?|gives?|yields?|should|expect\w*|raises|throws|rejects?|is\s+rejected)\b", I)



_TABLE_ROW = re.compile(r"^[ \t]*\|(?:[^|\n]*\|){2,}[ \t]*$", re.M)
_LITERAL_RE = re.compile(LITERAL)


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


_CASE_LIST = span_words(
    r"\b(?:cases?|inputs?|scenarios?|checks?|tests?)\s*(?:I['’]d\s+\w+\s*)?(?::|like|such\s+as|including|for|covering)\s+[^.\n]{10,300}?(?:[,;][^.\n,;]{2,80}){2,}")


@detector("test_cases", "named test cases: asserts, input and expected output, a case list")
def _test_cases(t: Text) -> list[Finding]:
    out = _code_findings(t, "test", "test_cases")
    code = code_report(t).blocks
    for s, e in lines_with(t, _CASE_OP):
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



