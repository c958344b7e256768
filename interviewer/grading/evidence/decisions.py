"""Decisions and trade-offs: the options weighed, the reason, the cost accepted.
"""

from __future__ import annotations

import re

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import Finding, Text, sentence_of
from interviewer.grading.evidence.ownership import I_ACT, I_DECIDE

# --------------------------------------------------------------------------- decisions and trade-offs

_RATIONALE = span_words(
    r"\b(?:because|since|so\s+that|the\s+reason\s+(?:was|being)|which\s+meant|given\s+that|as\s+the\s+most|in\s+order\s+to|"
    r"I\s+chose\s+that\s+because|was\s+worth\s+it\s+because|the\s+smallest\s+change\s+that)\b"
)


@detector("decision_rationale", "the reason behind a decision")
def _decision_rationale(t: Text) -> list[Finding]:
    def near_decision(t: Text, m: re.Match[str]) -> float | None:
        s, e = sentence_of(t, m.start())
        sentence = t.masked[s:e]
        # a reason counts when it explains something the candidate decided or did
        if not (I_DECIDE.search(sentence) or I_ACT.search(sentence)):
            return None
        # a reason with substance: at least six words follow the connective in the sentence
        rest = t.masked[m.end():e]
        return 1.0 if len(rest.split()) >= 2 else None

    return find(t, "decision_rationale", _RATIONALE, check=near_decision, negatable=False)


_OPTIONS = span_words(
    r"\b(?:(?:my|the|our)\s+options\s+were|(?:two|three|four|several|a\s+few|\d)\s+(?:options|alternatives|approaches|candidates|choices|ideas)"
    r"|instead\s+of|rather\s+than|over\s+the\s+other|the\s+alternative|alternatives?\s+(?:was|were)|versus|vs\.?|compared\s+(?:with|to|against)"
    r"|either\b[^.]{3,80}\bor\b|one\s+option|another\s+option|the\s+other\s+option|considered)\b"
)


@detector("options_considered", "options weighed against each other")
def _options(t: Text) -> list[Finding]:
    return find(t, "options_considered", _OPTIONS)


_COST = span_words(
    r"\b(?:the\s+(?:cost|downside|price|catch)\s+(?:was|being|is)|at\s+the\s+(?:cost|expense)\s+of|cost\s+(?:us|me)|gave\s+up|traded?\s+off"
    r"|the\s+trade-?off\s+(?:was|is)\s+(?!worth)|a\s+worse\s+\w+\s+but|which\s+meant\s+[^.]{0,40}\b(?:late|slower|delay|stale|lost|worse)"
    r"|it\s+took\s+longer|(?:did\s+)?add(?:ed|s)?\s+(?:a|an)\s+(?:day|week|hour|extra)|added\s+latency|(?:was|were)\s+thrown\s+away|accepted\s+(?:the|that|a)"
    r"|could\s+take\s+up\s+to|no\s+real-?time|we\s+lost|is\s+easy\s+to\s+recover)\b"
)


@detector("tradeoff_cost", "a cost or downside knowingly accepted")
def _tradeoff(t: Text) -> list[Finding]:
    return find(t, "tradeoff_cost", _COST)


