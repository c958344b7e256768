"""System design: users and metrics, scale, data flow, consistency, failure handling,
resilience, observability, alternatives.
"""

from __future__ import annotations

import re

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import I, Finding, Text, code_report, lines_with, sentence_of
from interviewer.grading.evidence.substance import ARROW
from interviewer.grading.evidence.results import NUMBER

# --------------------------------------------------------------------------- system design

_USERS = span_words(
    r"\b(?:the\s+)?users\s+(?:here\s+)?(?:are|would\s+be)\b|\bwho\s+(?:uses|consumes)\b|\bstart\s+with\s+who\b|\bsuccess\s+(?:is|means|for\s+me|would\s+be|looks)"
    r"|\bwhat\s+matters\s+most\b|\bthe\s+goal\s+is\s+to\b|\b(?:on-call\s+engineers|data\s+scientists|members|advertisers|operators)\s+need\b|\bSLOs?\b"
    r"|\bp9[59]\s+(?:latency\s+)?(?:under|below|of)\b|\bwithin\s+(?:about\s+)?\w+\s+(?:minutes?|seconds?)\s+of\b|\bat\s+least\s+[\d.]+%\s+complete"
)


@detector("users_and_metrics", "users and success metrics named first")
def _users(t: Text) -> list[Finding]:
    out = find(t, "users_and_metrics", _USERS)
    # stated at the start is worth more: requirements first
    first = t.sentences[2][1] if len(t.sentences) > 2 else len(t.raw)
    return [Finding(f.detector, f.start, f.end, f.quote, 1.5 if f.start <= first else 1.0) for f in out]


_SCALE = re.compile(
    rf"(?:{NUMBER})(?:\s+(?:million|billion|thousand|k|m))?\s*(?:concurrent|events?|requests?|sends?|members?|users?|sessions?|ids?|qps|rps|"
    rf"writes?|reads?|calls?|messages?|checks?|tests?|publishes)\b[^.]{{0,30}}?\b(?:a|per|/)\s*(?:second|sec|s|minute|day)\b"
    rf"|\b(?:{NUMBER})\s*(?:million|billion|k)?\s*(?:concurrent|active)\b|\b\d+(?:\.\d+)?\s*(?:[KMGT]B)(?:/s)?\b"
    rf"|\b(?:round|rough)\s+(?:assumptions?|numbers?|scale)\b|\bcall\s+it\b|\bback\s+of\s+the\s+envelope\b|\broughly\s+\d"
    rf"|(?:{NUMBER})\s*[kKmMbB]?\s*(?:/s\b|/sec\b|/day\b|(?:per|a)\s+(?:second|sec|day|minute|hour)\b|qps\b|rps\b)|\b\d[\d.,]*\s*[kKmMbB]?\s*[x×*]\s*~?\d|=\s*~?\d[\d.,]*\s*(?:[kKmMbBgGtT]B?|%)?",
    I,
)


@detector("scale_estimate", "scale assumptions in round numbers")
def _scale(t: Text) -> list[Finding]:
    def reasoned(t: Text, m: re.Match[str]) -> float | None:
        s, e = sentence_of(t, m.start())
        sentence = t.masked[s:e]
        # "millions of QPS, probably" with no arithmetic is not an estimate
        if re.search(r"\bprobably\s+millions\b|\bmillions,?\s+probably\b", sentence, I):
            return None
        return 1.0

    return find(t, "scale_estimate", _SCALE, check=reasoned)


_FLOW = span_words(
    r"\b(?:flow|write\s+path|read\s+path|request\s+path)\s*:|\bwrites?\s+(?:it\s+|them\s+)?(?:to|into)\b|\breads?\s+(?:it\s+)?from\b|\bpartitioned\s+by\b"
    r"|\bconsumers?\b|\bqueue\b|\b(?:durable\s+)?log\b|\bread\s+model\b|\bfan-?out\b|\bbatch(?:es)?\s+(?:job|to)\b|\bhands?\s+(?:it\s+)?to\b|\bdelivers?\b"
    r"|\bpulls?\s+(?:a\s+)?(?:config\s+)?snapshot\b|\bemits?\b|\blands?\s+(?:raw\s+)?\w+\s+in\b|\bobject\s+storage\b|\bcache\s+in\s+front\b"
    r"|\bcalls\s+the\b|\broutes?\s+(?:it\s+)?to\b|\bflows?\s+(?:in|into|through)\b|\bpush(?:es)?\s+(?:them|it)\s+to\b|\bgo(?:es)?\s+back\s+to\b"
)


@detector("data_flow", "the data flow: write path, asynchronous processing, storage, read model")
def _flow(t: Text) -> list[Finding]:
    return find(t, "data_flow", _FLOW)


_CONSISTENCY = span_words(
    r"\bstrongly\s+consistent\b|\bstrong\s+consistency\b|\beventual(?:ly)?\s+consisten(?:t|cy)\b|\bread[- ]your[- ](?:own[- ])?writes\b|\bat[- ]least[- ]once\b"
    r"|\bexactly[- ]once\b|\bat[- ]most[- ]once\b|\bidempoten(?:t|cy)\b|\blinearizab(?:le|ility)\b|\bserializab(?:le|ility)\b|\breplayable\b"
    r"|\bsingle[- ]writer\b|\bretries\s+are\s+safe\b|\bsafe\s+to\s+retry\b|\bversion(?:ed)?\s+(?:configs?|numbers?|counter)\b|\bdedup(?:licat\w+)?\s+on\b|\bread\s+it\s+from\s+the\s+primary\b|\bstaleness\b"
    r"|\bconditional\s+(?:put|write|update)\b|\bnewer[- ]wins\b|\blast[- ]writer[- ]wins\b|\bcompare[- ]and[- ](?:set|swap)\b|\bversion\s+check\b|\bunique\s+constraint\b"
    r"|\b(?:in\s+(?:a|one|the\s+same)\s+)?transaction\b|\batomic(?:ally)?\b|\bfrom\s+the\s+primary\b|\bquorum\b|\bleases?\b|\bfencing\s+tokens?\b|\bsequence\s+numbers?\b"
    r"|\bdouble[- ](?:count\w*|charg\w*|spen\w*|book\w*)\b|\blost\s+updates?\b|\bseconds?\s+behind\b|\bstale\b|\bread[- ]after[- ]write\b"
)
_BLANKET = span_words(
    r"\beverything\s+is\s+eventually\s+consistent\b|\beventual\s+consistency\s+is\s+fine\s+everywhere\b|\bAP\s+everywhere\b|\bwe\s+pick\s+AP\b"
    r"|\bretries\s+on\s+every\s+call\b|\bif\s+something\s+fails\s+we\s+retry\b|\bsingle-threaded,?\s+so\s+(?:the\s+)?\w+\s+are\s+atomic\s+and\s+consistent"
    r"|\bautoscaling\s+handles\b|\bso\s+it['’]s\s+proven\s+at\s+scale\b|\bKubernetes\s+restarts\b"
)


@detector("consistency_model", "a named consistency model, per part of the system")
def _consistency(t: Text) -> list[Finding]:
    blanket = [(f.start, f.end) for f in _blanket(t)]
    return [f for f in find(t, "consistency_model", _CONSISTENCY) if not any(s <= f.start < e for s, e in blanket)]


@detector("blanket_claim", "a blanket claim in place of reasoning")
def _blanket(t: Text) -> list[Finding]:
    return find(t, "blanket_claim", _BLANKET, negatable=False)


_FAILURE = span_words(
    r"\bretr(?:y|ies)\s+with\b|\b(?:exponential\s+)?backoff\b|\bjitter(?:ed)?\b|\bidempotency\s+keys?\b|\bdead-?letter\b|\bbackpressure\b"
    r"|\bfail(?:s|ing)?\s+over\b|\bfailover\b|\bfall\s*back\b|\bfallback\b|\bgraceful(?:ly)?\s+degrad\w+|\brolled?\s+back\b|\brollback\b|\bcanary\b"
    r"|\bload\s+shedding\b|\bduplicates?\b|\bpartial\s+outage\b|\bif\s+the\s+\w+(?:\s+\w+)?\s+(?:is\s+down|fails|can['’]t)\b|\bkeeps?\s+the\s+last\s+good\b"
    r"|\bretry\s+budget\b|\bcircuit[- ]breakers?\b|\bbuffer\s+and\s+retry\b|\bbad\s+(?:config|deploy)\b|\bshadow\b|\bdrops?\s+the\s+oldest\b"
)


@detector("failure_handling", "design for failure: retries, idempotency, backpressure, rollback")
def _failure(t: Text) -> list[Finding]:
    return find(t, "failure_handling", _FAILURE)


_RESILIENCE = span_words(
    r"\bregion(?:al)?\s+failover\b|\bfails?\s+over\b[^.]{0,30}\bregion\b|\bnext\s+region\b|\bbulkheads?\b|\bload\s+shedding\b|\bshed\s+load\b"
    r"|\btraffic\s+shaping\b|\bretry\s+budget\b|\bhalf-open\b|\bheadroom\b|\bsample(?:s|d)?\s+heartbeats\b|\bcircuit[- ]breaker\b[^.]{0,60}\b(?:opens?|window|threshold)"
)


@detector("resilience_patterns", "senior-level resilience: region failover, bulkheads, load shedding, retry budgets")
def _resilience(t: Text) -> list[Finding]:
    return find(t, "resilience_patterns", _RESILIENCE)


_OBS = span_words(
    r"\bmetrics?\b|\bdashboards?\b|\balerts?\b|\balerting\b|\balarms?\b|\btraces?\b|\btracing\b|\blogs\b|\bSLOs?\b|\bon-?call\b|\bpage\s+on\b"
    r"|\bconsumer\s+lag\b|\bqueue\s+lag\b|\blag\b|\bRED\s+(?:metrics|method)\b|\bUSE\s+(?:metrics|method)\b|\bsynthetic\b|\bfreshness\b|\bsample-ratio\s+mismatch\b|\bhit\s+rate\b"
    r"|\b(?:retry|error|reject|sample|success|failure|drop)\s+(?:ratio|rate)s?\b|\b(?:operations|monitoring|health)\s*:"
)


@detector("observability", "operations: metrics, logs, traces, alerts, on-call debugging")
def _obs(t: Text) -> list[Finding]:
    def not_token(t: Text, m: re.Match[str]) -> float | None:
        s, e = sentence_of(t, m.start())
        # "Prometheus and Grafana for monitoring" / "add monitoring" with nothing measured scores nothing
        return None if re.search(r"\b(?:we['’]d|we\s+would)\s+add\s+monitoring\b", t.masked[s:e], I) else 1.0

    return find(t, "observability", _OBS, check=not_token)


_WHY_NOT = span_words(
    r"\bwhy\s+not\b|\bI\s+wouldn['’]t\b|\bat\s+10x\b|\b10x\b|\brather\s+than\b|\binstead\s+of\b|\bthe\s+trade-?off\b|\bexpensive,?\s+and\b"
    r"|\bwhere\s+it\s+(?:will\s+)?break\b|\bbreaks?\s+(?:down\s+)?(?:at|when)\b|\bcost\s+vs\.?\s+latency\b|\bbecause\s+one\s+slow\b"
)


@detector("why_not", "alternatives rejected with reasons, or what changes at 10x")
def _why_not(t: Text) -> list[Finding]:
    return find(t, "why_not", _WHY_NOT)




_FLOW_STEP = span_words(
    r"\bthen\s+(?:it\s+|we\s+|the\s+\w+\s+|a\s+\w+\s+)?(?:writes?|sends?|publish(?:es)?|reads?|calls?|push(?:es)?|pulls?|forwards?|routes?|stores?|emits?|"
    r"consumes?|fans?\s+out|enqueues?|updates?|aggregates?|joins?|lands?|streams?|batches|flushes|replicates?|serves?|returns?|marks?|settles?|charges?)\b"
    r"|\bfrom\s+(?:the\s+)?[a-z][\w-]*(?:\s+[a-z][\w-]*)?\s+(?:to|into)\s+(?:the\s+)?[a-z][\w-]*(?:\s+(?:service|queue|store|cache|table|topic|api|db|database|log|job|worker|consumer|tier|proxy|gateway))?\b"
    r"|\b(?:writes?|publish(?:es)?|sends?|pushes|emits?|drops?|appends?|puts?)\s+(?:it|them|the\s+\w+|an?\s+\w+|each\s+\w+)\s+(?:on|onto|to|into)\s+(?:a|the)\s+\w+"
    r"|\b(?:reads?|consumes?|pulls?|picks?\s+up)\s+(?:it|them|the\s+\w+|each\s+\w+)?\s*(?:from|off)\s+(?:a|the)\s+\w+"
)


@detector("flow_sequence", "the flow as a sequence: arrows, 'then', from one component to the next")
def _flow_sequence(t: Text) -> list[Finding]:
    out = []
    for s, e in lines_with(t, ARROW):
        if any(bs <= s < be for bs, be in code_report(t).blocks):
            continue
        line = t.masked[s:e]
        s += len(line) - len(line.lstrip(" \t-*•"))
        arrows = len(ARROW.findall(line))
        out.append(Finding("flow_sequence", s, e, t.raw[s:e], min(3.0, 1.0 + 0.5 * (arrows - 1))))
    out += find(t, "flow_sequence", _FLOW_STEP)
    return sorted(out, key=lambda f: f.start)

