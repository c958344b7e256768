"""The recruiter pitch: scope owned, why this role, influence beyond the team, length.
"""

from __future__ import annotations


from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import Finding, Text, WORD

_SCOPE = span_words(
    r"\bI\s+(?:owned|led|own|lead|run|ran|managed|was\s+(?:the\s+)?(?:tech\s+lead|owner|lead))\b|\bmy\s+team\s+of\s+\w+\b|\ba\s+team\s+of\s+\w+\b"
    r"|\bresponsible\s+for\b|\bend\s+to\s+end\b(?!,\s+with\s+full)"
)


@detector("scope_statement", "the scope the candidate owned")
def _scope(t: Text) -> list[Finding]:
    return find(t, "scope_statement", _SCOPE)


_RELEVANCE = span_words(
    r"\b(?:interested\s+in|drawn\s+to|excited\s+about|applying\s+(?:to|for)|want\s+to\s+work\s+on)\b[^.]{0,80}\bbecause\b"
    r"|\b(?:this|the)\s+role\b[^.]{0,60}\b(?:maps|matches|fits|sits|relevant)|\brelevant\s+to\b|\bthat['’]s\s+why\b[^.]{0,40}\b(?:role|team|netflix)"
    r"|\bclose\s+to\s+(?:customer|member)\s+impact\b|\bsame\s+(?:kind\s+of\s+)?problems?\b"
    r"|\b(?:your|this)\s+(?:team|role|posting|job|group|org|company|product|platform)\b[^.]{0,80}\b(?:because|which|where|is\s+(?:at|exactly|the))\b"
    r"|\bthat['’]s\s+(?:the\s+)?(?:work|kind\s+of\s+work|problem|kind\s+of\s+problem)\s+I\s+want\b|\bwhy\s+I['’]m\s+(?:applying|interested|here)\b|\bfrom\s+the\s+(?:posting|job\s+description)\b"
)


@detector("company_relevance", "why this role or company, tied to the candidate's own work")
def _relevance(t: Text) -> list[Finding]:
    return find(t, "company_relevance", _RELEVANCE)


_INFLUENCE = span_words(
    r"\b(?:across|for)\s+(?:\w+\s+)?(?:teams|the\s+org|orgs|the\s+company|engineering)\b|\bother\s+teams\s+(?:adopted|use|used|now)\b"
    r"|\b(?:two|three|four|five|six|several|\d+)\s+(?:other\s+)?teams\b|\bpartner\s+teams?\b|\bI\s+mentored\b|\bmentoring\b"
    r"|\bset\s+(?:the\s+)?(?:technical\s+)?direction\b|\b(?:a|the)\s+standard\s+(?:for|that)\b|\bnow\s+a\s+(?:release\s+)?check\b|\borg-?wide\b"
    r"|\bplatform\s+(?:that|which)\s+\w+\s+teams\b|\bI\s+wrote\s+(?:a|the)\s+(?:standard|guide|rfc|design\s+doc)\b|\bdesign\s+review\b"
)


@detector("cross_team_influence", "influence beyond the candidate's own team")
def _influence(t: Text) -> list[Finding]:
    return find(t, "cross_team_influence", _INFLUENCE)


@detector("over_two_minutes", "longer than a two-minute spoken answer (about 320 words)")
def _over_two_minutes(t: Text) -> list[Finding]:
    words = list(WORD.finditer(t.raw))
    if len(words) <= 320:
        return []
    s = words[320].start()
    return [Finding("over_two_minutes", s, len(t.raw), t.raw[s:], 1.0)]


