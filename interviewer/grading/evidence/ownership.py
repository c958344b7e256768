"""Ownership: decisions and actions the candidate took personally, against group framing,
approval-seeking and a passive role.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import I, Finding, Text, CONDITIONAL, SUBORDINATOR, TOKEN, clause_start, clause_starts
from interviewer.grading.evidence.substance import ABSTRACT, CONCRETE_NOUNS, FUNCTION_WORDS, GENERIC_REFERENT, is_substantive

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
I_DECIDE = re.compile(
    rf"\bI(?:['’]d|\s+had)?\s+(?:(?:then|finally|eventually|also|personally|deliberately|instead|just|quickly|immediately|alone|myself|simply)\s+)?(?:{_DECIDE_VERBS})\b"
    rf"|\b(?:it\s+was|that\s+was|this\s+was)\s+my\s+(?:call|decision)\b"
    rf"|\bmy\s+(?:call|decision|recommendation|proposal)\s+(?:was|to)\b|\bthe\s+(?:call|decision)\s+(?:was|fell\s+to)\s+(?:mine|me)\b",
    I,
)
_HEDGE_BEFORE = re.compile(r"\b(?:I\s+think|I\s+guess|I\s+believe|I\s+feel|maybe|kind\s+of|sort\s+of)\s+$", I)


def _main_clause(t: Text, m: re.Match[str]) -> float | None:
    s = m.start()
    cs = clause_start(t, s)
    before = t.masked[cs:s]
    if SUBORDINATOR.match(before) or re.search(r"\b(?:if|whether|unless|wish|that|which|who|whom)\s+$", t.masked[max(0, s - 12):s], I):
        return None
    if CONDITIONAL.search(t.masked[max(0, s - 30):s]) or _HEDGE_BEFORE.search(t.masked[max(0, s - 20):s]):
        return None
    # "I'd" + base form is "I would": the verb list holds past forms, so "I'd decided" only.
    return 1.0


@detector("first_person_decision", "a decision the candidate made personally")
def _first_person_decision(t: Text) -> list[Finding]:
    return find(t, "first_person_decision", I_DECIDE, check=_main_clause)


_ADMIN = r"booked|ordered|renamed|pinned|reminded|tagged|invited|scheduled|bookmarked|attended|joined|watched|sat"
_NOT_ACTION = (
    r"was|were|am|had|have|felt|feel|thought|think|guess|believe|believed|noticed|loved|like|liked|wanted|want|hoped|"
    r"wondered|remember|mean|meant|agree|agreed|learned|learnt|realised|realized|kind|just|also|really|always|never|"
    r"can|can['’]t|could|would|should|will|might|don['’]t|didn['’]t|do|did|got|get|hope|say|said|mentioned|helped|"
    r"help|try|tried|know|knew|am|['’]m|['’]ve|['’]ll|['’]d|personally|" + _ADMIN
)
I_ACT = re.compile(
    rf"\bI\s+(?:(?:then|also|personally|myself|quickly|first|later|immediately|eventually|finally)\s+)?"
    rf"(?!(?:{_NOT_ACTION})\b)([a-z]+(?:ed|t)|built|wrote|made|took|ran|led|shipped|drove|set|cut|found|brought|sent|split|"
    rf"kept|gave|told|chose|fixed|rewrote|began|drew|sped|spent|won|shut|put|held|caught|read|rebuilt|dug|paid|taught|met|let|stood|swapped|"
    rf"wrote\s+up|sat\s+down\s+with)\b(?!['’])",
    re.IGNORECASE,
)


@detector("first_person_action", "an action the candidate took personally")
def _first_person_action(t: Text) -> list[Finding]:
    return find(t, "first_person_action", I_ACT, check=lambda t, m: None if CONDITIONAL.search(t.masked[max(0, m.start() - 30):m.start()]) else 1.0)


_GROUP = span_words(
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
    return find(t, "group_decision", _GROUP,
                 check=lambda t, m: None if re.search(r"\b(?:without|instead\s+of|rather\s+than|not|no|waiting\s+for|wait\s+for)\b[^.]{0,25}$", t.masked[max(0, m.start() - 40):m.start()], I) else 1.0,
                 negatable=False)


_APPROVAL = span_words(
    r"\b(?:check|checked|clear|cleared|run\s+it)\s+(?:it\s+)?with\s+my\s+(?:manager|lead|boss)\b"
    r"|\bwait(?:ed)?\s+for\s+(?:approval|sign-?off|my\s+manager)|\bjust\s+safer\b|\bcan['’]t\s+think\s+of\s+(?:one|a\s+time|an\s+example)"
    r"|\bdidn['’]t\s+want\s+to\s+(?:just\s+)?go\s+off\b|\bask(?:ed)?\s+for\s+permission\b|\bneeded\s+(?:sign-?off|approval)\b"
)


@detector("approval_seeking", "waiting for approval or permission instead of acting")
def _approval_seeking(t: Text) -> list[Finding]:
    return find(t, "approval_seeking", _APPROVAL, negatable=False)


_PASSIVE = span_words(
    r"\bI\s+was\s+(?:involved|part\s+of|on\s+the\s+(?:bridge|call|team)|there)\b|\bI\s+(?:just\s+)?helped\s+(?:out|look|with|the)\b"
    r"|\bI\s+took\s+one\s+of\s+the\s+action\s+items\b|\bI\s+supported\b|\bI\s+(?:was\s+)?assisted\b|\bI\s+watched\b"
    r"|\bI\s+(?:sat|was)\s+in\s+(?:on\s+)?(?:the\s+)?meetings?\b|\bmy\s+part\s+was\s+small\b"
    r"|\b(?:the\s+team|someone|they|the\s+\w+\s+folks)\s+(?:decided|suggested|built|fixed|did)\b"
)


@detector("passive_role", "the candidate's part is passive or unclear")
def _passive_role(t: Text) -> list[Finding]:
    return find(t, "passive_role", _PASSIVE, negatable=False)




@detector("concrete_action", "an action the candidate took on something concrete")
def _concrete_action(t: Text) -> list[Finding]:
    out = []
    for f in _first_person_action(t) + _first_person_decision(t):
        # the object: the rest of the clause after the verb, up to eight words
        breaks = clause_starts(t)
        i = bisect_right(breaks, f.end)
        ce = breaks[i] if i < len(breaks) else len(t.masked)
        words = [w.lower().strip("'’") for w in TOKEN.findall(t.masked[f.end:min(ce, f.end + 80)])][:8]
        content = [w for w in words if len(w) >= 3 and w not in FUNCTION_WORDS and not w.endswith("ly")]
        if not content or all(w in ABSTRACT or w in GENERIC_REFERENT for w in content):
            continue
        if is_substantive(t, f.start):
            strength = 1.0
        elif any(w.rstrip("s") in CONCRETE_NOUNS for w in content):
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
