"""Accountability and reflection: mistakes owned, blame, stakeholders told, lessons, candour.
"""

from __future__ import annotations

import re

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import I, Finding, Text, sentence_of

# --------------------------------------------------------------------------- accountability and reflection

_BLAME = span_words(
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
    return find(t, "blame_shift", _BLAME, negatable=False)


_OWN = span_words(
    r"\b(?:that\s+was\s+|it\s+was\s+)?my\s+(?:own\s+)?(?:mistake|fault|miss|error|bad|misjudge?ment)\b|\bI\s+(?:was|had\s+been|['’]d\s+been)\s+wrong\b"
    r"|\bthe\s+wrong\s+call\b|\bI\s+(?:(?:probably|really|definitely|honestly|clearly|certainly|also|just)\s+)?should\s+have\b|\bthe\s+miss\s+was\s+(?:partly\s+|mostly\s+)?my\b|\bI\s+got\s+(?:\w+\s+)?wrong\b|\bone\s+thing\s+I\s+got\s+wrong"
    r"|\bI\s+(?:didn['’]t|did\s+not|never)\s+(?:check|verify|profile|test|validate|consider|ask|talk|think|tell|flag|raise|escalate|warn|loop|mention)\b|\bI\s+(?:wrongly\s+)?assumed\b"
    r"|\b(?:that|this|it)\s+(?:was|is)\s+on\s+me\b|\bI\s+misjudged\b|\bI\s+apologi[sz]ed\b|\bmy\s+deploy\s+was\s+the\s+cause\b|\bmy\s+analysis\b"
    r"|\bI\s+owned\s+the\s+(?:mistake|miss|failure)|\bwhich\s+was\s+fair\b|\bI\s+underestimated\b|\bI\s+let\s+(?:that|the|it)\b"
    r"|\bI\s+(?:set|got|had|made|wrote|configured|shipped|merged|deployed|pushed|put|used|read|sized|built|picked)\b[^.;]{0,50}\bwrong\b|\b(?:she|he|they)\s+(?:was|were)\s+right\b"
    r"|\bI\s+(?:withdrew|retracted|admitted|conceded|acknowledged|owned\s+up|took\s+(?:the\s+)?(?:blame|responsibility))\b|\bI['’]d\s+only\s+(?:tried|tested|checked|run|looked)\b"
    r"|\bthat\s+cost\s+(?:us|me|them|the\s+team)\b|\bmy\s+part\s+in\s+(?:it|that|this|the\s+(?:miss|failure|outage|incident|delay))\b|\bI\s+was\s+(?:a\s+bit\s+|far\s+|way\s+|much\s+|probably\s+)?too\s+(?:optimistic|slow|late|quiet|confident|aggressive|cautious|trusting|hasty)\b|\bmy\s+(?:estimate|assumption|plan|design|change|query|script|config|code)\s+(?:was|had)\b"
)


@detector("owns_mistake", "a mistake owned plainly")
def _owns(t: Text) -> list[Finding]:
    def not_deflected(t: Text, m: re.Match[str]) -> float | None:
        before = t.masked[max(0, m.start() - 25):m.start()]
        if re.search(r"\b(?:not|wasn['’]t|isn['’]t|never|no)\s+(?:really\s+)?$", before, I):
            return None
        return 1.0

    return find(t, "owns_mistake", _OWN, negatable=False, check=not_deflected)


_REFLECT = span_words(
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
        s, e = sentence_of(t, m.start())
        nxt = next(((a, b) for a, b in t.sentences if a >= e), (e, e))
        span = t.masked[m.start():nxt[1]]
        sentence = t.masked[s:e]
        if _PLATITUDE.search(sentence):
            return 0.5
        return 2.0 if _CONCRETE_PRACTICE.search(span) else 1.0

    return find(t, "reflection", _REFLECT, check=quality)


_NO_REGRET = span_words(
    r"\b(?:I['’]d|I\s+would)\s+(?:ship|do|build)\s+it\s+the\s+same\s+way\s+again\b|\bwouldn['’]t\s+change\s+(?:anything|a\s+thing)\b"
    r"|\bnothing\s+I\s+would\s+(?:do\s+differently|change)\b|\bI\s+have\s+no\s+regrets\b|\bif\s+there['’]s\s+a\s+lesson\b"
)


@detector("no_regret", "says nothing would change")
def _no_regret(t: Text) -> list[Finding]:
    return find(t, "no_regret", _NO_REGRET, negatable=False)


_INFORM = span_words(
    r"\bI\s+(?:told|informed|updated|emailed|messaged|notified|warned|alerted)\s+(?:the|my|our|her|him|them|everyone|both|all|each)\b"
    r"|\bI\s+(?:posted|sent|shared|wrote\s+up|published|circulated)\b[^.]{0,80}\b(?:to|in|with)\s+(?:the|my|our|everyone|both)\b"
    r"|\bwrote\s+(?:a|an)\s+(?:note|one-page\s+note|email|doc|message)\s+to\b|\bso\s+there\s+was\s+no\s+surprise\b|\bflagged\s+(?:it|the)\b|\bkept\s+\w+\s+informed\b"
    r"|\bI\s+(?:wrote|called|phoned|paged|pinged|emailed|briefed)\s+(?:to\s+)?(?:the|my|our|her|him|them|everyone|both|each)\b|\bI\s+looped\s+in\b|\bI\s+let\s+(?:the|my|our|her|him|them)\s+\w+\s+know\b"
)


@detector("stakeholder_communication", "stakeholders told of the decision or the miss")
def _inform(t: Text) -> list[Finding]:
    return find(t, "stakeholder_communication", _INFORM)


_CANDID = span_words(
    r"\bI\s+(?:told|wrote\s+to|went\s+to|talked\s+to|spoke\s+to)\s+(?:him|her|them|the\s+\w+)\s+(?:directly|privately|one[- ]on[- ]one|first)\b"
    r"|\bI\s+disagreed\b|\bI\s+pushed\s+back\b|\bI\s+said\s+so\b|\bI\s+(?:gave|shared)\s+(?:him|her|them)?\s*(?:direct|candid|honest|specific)?\s*feedback\b"
    r"|\bI\s+thought\s+that\s+was\s+a\s+mistake\b|\bI\s+raised\s+(?:it|the\s+concern|my\s+concern)|\bdirectly\s+(?:first|with\s+those)\b"
    r"|\bthe\s+person\s+alone\s+first\b|\bI\s+challenged\b"
)


@detector("candid_feedback", "candid, direct feedback or open disagreement")
def _candid(t: Text) -> list[Finding]:
    return find(t, "candid_feedback", _CANDID)


