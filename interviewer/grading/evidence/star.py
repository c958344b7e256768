"""STAR parts of a story: situation, task, action, result.
"""

from __future__ import annotations

import re

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import I, Finding, Text
from interviewer.grading.evidence.ownership import _first_person_action, _first_person_decision
from interviewer.grading.evidence.results import _quantified

# --------------------------------------------------------------------------- STAR

_CONTEXT_NOUN = re.compile(
    r"\b(?:team|service|company|project|system|app|job|goal|launch|incident|release|design|migration|pipeline|cluster|platform|"
    r"product|api|apis|suite|engineer|partner|outage|deploy|feature|database|cache)s?\b", I)
_TASK = span_words(
    r"\bmy\s+(?:goal|job|role|task|responsibility|part)\s+(?:was|is)\b|\bI\s+owned\s+(?:a|the)\s+(?:goal|migration|project|service|rollout)"
    r"|\bI\s+was\s+(?:on\s+call|responsible|asked|tasked|the\s+(?:lead|owner|tech\s+lead))|\bI\s+(?:needed|had)\s+to\b|\bthe\s+goal\s+was\b"
    r"|\bI\s+led\s+the\b|\bwe\s+needed\s+to\b|\bthe\s+(?:problem|challenge)\s+was\b|\bI\s+(?:was\s+)?(?:asked|assigned)\s+to\b"
)
_RESULT_WORDS = span_words(
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
    return find(t, "star_task", _TASK)


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
    out += find(t, "star_result", _RESULT_WORDS, check=lambda t, m: 1.0 if m.start() > first_act else None)
    return sorted(out, key=lambda f: f.start)


