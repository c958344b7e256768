"""Results and numbers: measured outcomes (better with a baseline), vague magnitudes.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import I, Finding, Text, negated, scan, sentence_of

# --------------------------------------------------------------------------- results and numbers

_NUMWORD = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|"
            r"nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a\s+hundred|a\s+dozen|dozens|half)")
_UNIT = (
    r"(?:%|\s?percent|\s?(?:ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|quarters?|years?|"
    r"x|times|[kmg]b|tb|gb/s|mb/s|k|m|qps|rps|tps|requests?|calls?|users?|members?|accounts?|customers?|devices?|errors?|failures?|"
    r"incidents?|pages?|tickets?|renewals?|charges?|refunds?|events?|merges?|tests?|endpoints?|services?|engineers?|teams?|partners?|"
    r"points?|bps|nodes?|hosts?|servers?|instances?|regions?|dollars|\$|million|billion|thousand|crashes|sessions?|titles?|rows?))"
)
NUMBER = rf"(?:\$?\b\d[\d,]*(?:\.\d+)?|\b{_NUMWORD}\b)"
_QUANT = re.compile(rf"(?<![\w.])(?:{NUMBER}){_UNIT}\b|\b(?:doubled|halved|tripled)\b|\b\d+(?:\.\d+)?%", I)
_BASELINE = re.compile(
    rf"\bfrom\s+(?:the\s+|a\s+)?(?:usual\s+|normal\s+|typical\s+|baseline\s+(?:of\s+)?)?(?:about\s+|around\s+|roughly\s+|~)?{NUMBER}[^.;]{{0,40}}?\bto\s+(?:about\s+|around\s+|under\s+|roughly\s+|~)?{NUMBER}"
    rf"|{NUMBER}\s+(?:a|per|each)\s+\w+\s+to\s+(?:about\s+|around\s+|under\s+)?{NUMBER}"
    rf"|\b(?:down|up|dropped|fell|rose|cut|reduced|back)\s+(?:from\s+\S+\s+)?to\s+(?:about\s+|under\s+|below\s+)?(?:{NUMBER}|baseline)"
    rf"|\bunder\s+{NUMBER}{_UNIT}|\bno\s+(?:\w+\s+)?(?:incident|page|outage|failure)s?\b|\bnobody\s+was\s+paged\b|\bno\s+producer\s+failed\b"
    rf"|\b(?:{NUMBER}|once|twice)(?:\s+\w+){{0,3}}?\s+(?:instead\s+of|rather\s+than|(?:down|up)\s+from|against|versus|vs\.?|compared\s+(?:with|to))\s+(?:about\s+|around\s+|roughly\s+|the\s+usual\s+)?{NUMBER}"
    rf"|{NUMBER}\s*(?:%|\w+)?\s*(?:->|→|=>)\s*{NUMBER}",
    I,
)
_CONTEXT_UNIT = re.compile(r"(?:days?|weeks?|months?|quarters?|years?|hours?|hrs?|engineers?|teams?|partners?|people)$", I)
_VAGUE = span_words(
    r"\bsomething\s+like\b|\bmaybe\s+more\b|\bmillions\s+(?:a|per|of)\b|\bmassive(?:ly)?\b|\bhuge(?:ly)?\b|\bcould\s+(?:just\s+)?feel\b"
    r"|\bway\s+(?:faster|better)\b|\btons?\s+of\b|\ba\s+lot\s+(?:faster|better)\b|\breal,?\s+measurable\b|\bsignificant(?:ly)?\s+(?:impact|improvement)\b"
    r"|\b[1-9]\d{2,}%\s+(?:more\s+)?(?:engagement|revenue|growth|increase|faster|better)|\bengagement\s+went\s+up\s+(?:around\s+|about\s+)?\d{3,}%"
)


_TARGET = re.compile(r"\b(?:goal|target|aim(?:ed)?|promised|planned|forecast|expected|budget|SLO)\b", I)


def _is_target(t: Text, pos: int) -> bool:
    """True when the number at ``pos`` sits in a sentence about a goal, not an outcome."""
    s, _ = sentence_of(t, pos)
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
    out = find(t, "vague_claim", _VAGUE, negatable=False)
    _, figures, with_baseline = _figures_by_sentence(t)
    for (s, e), hits, baseline in zip(t.sentences, figures, with_baseline):
        if len(hits) >= 3 and not baseline and _CLAIMED.search(t.masked, s, e):
            out.append(Finding("vague_claim", s, e, t.raw[s:e], 1.5))
    return out


