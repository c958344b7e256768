"""Substance: specifics (a figure with what it measures, a named system, a literal), claims with
nothing behind them, slogans, repetition, technology lists, episodes versus habits.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from interviewer.grading.evidence.base import detector, find, span_words
from interviewer.grading.read import I, Finding, Text, clause_start, clause_starts, code_report, scan, tokens

@detector("grader_address", "text addressed to the grader, not the interviewer (ignored for scoring)")
def _grader_address(t: Text) -> list[Finding]:
    return list(t.flagged)



# --------------------------------------------------------------------------- substance

_SLOGAN = span_words(
    r"\bfreedom\s+and\s+responsibility\b|\bcontext\s+(?:over|not|beats)\s+control\b|\braised\s+the\s+bar\b|\bdrove\s+alignment\b"
    r"|\bremoved\s+ambiguity\b|\bhigh\s+judg(?:e)?ment\b|\bdisagreed\s+and\s+committed\b|\bowned\s+it\s+end\s+to\s+end\b"
    r"|\bmember\s+experience\s+above\s+everything\b|\btextbook\b|\bI\s+work\s+well\s+under\s+pressure\b|\bcommunicate\s+with\s+stakeholders\b"
    r"|\blead\s+by\s+example\b|\bcalm\s+under\s+pressure\b|\bteam\s+player\b|\bI['’]m\s+very\s+proactive\b|\bpassionate\s+about\b"
    r"|\breally\s+resonates\b|\bthe\s+kind\s+of\s+person\s+who\b|\bbest\s+option\s+after\s+considering\s+all\b|\bone\s+of\s+my\s+strengths\b"
    r"|\bI\s+always\s+try\s+to\b|\bwith\s+candou?r\b|\bno\s+consensus\s+needed\b|\bsimplified\s+the\s+architecture\b|\bthinking\s+several\s+moves\s+ahead"
)


@detector("slogan", "slogans or self-description instead of a story")
def _slogan(t: Text) -> list[Finding]:
    return find(t, "slogan", _SLOGAN, negatable=False)



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
        bare = [m for m in lines if _TECH.search(m.group(0)) and not _REASONED.search(m.group(0)) and not ARROW.search(m.group(0))]
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
FUNCTION_WORDS = frozenset("""
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
GENERIC_REFERENT = frozenset("""
improvement improvements increase increases reduction reductions decrease growth impact impacts result results outcome outcomes
performance efficiency productivity velocity engagement satisfaction quality value values metric metrics kpi kpis boost gain gains uplift
everything overall board options option alternatives alternative approaches approach choices choice ideas idea ways steps aspects
areas factors stakeholders priorities goals trade-offs tradeoffs tradeoff trade-off percent times fold faster better cheaper bigger
more less scale level levels savings improvement success wins win percent% x
""".split())
#: abstract objects: "I drove alignment" is an action on nothing an interviewer could check
ABSTRACT = frozenset("""
alignment ambiguity impact ownership excellence strategy vision velocity culture synergy synergies value outcomes direction priorities
initiative initiatives solution solutions change changes everything stakeholders communication collaboration transparency innovation
growth success results efficiency quality standards momentum clarity trust buy-in consensus path forward way best practices mindset
accountability responsibility leadership excellence paradigm blueprint guardrails north star execution delivery transformation
journey learnings learning opportunity opportunities challenges challenge problem problems issue issues situation task action result
""".split())
#: things an engineer builds, changes or hands over: an action on one is concrete
CONCRETE_NOUNS = frozenset("""
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
_IDENT = re.compile(r"`[^`\n]{2,60}`|\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+[A-Z][A-Za-z0-9]*\b|\b\w+\.\w+\(|\b[A-Za-z_]\w*\(\)|\s/[a-z][\w/{}:-]+|\bp9[059](?:\.9)?\b"
                    r"|(?<![\w'’])'[^'\s][^'\n]{0,28}'(?![\w'’])|(?<![\w\"])\"[^\"\s][^\"\n]{0,28}\"(?![\w\"])")
_PROPER = re.compile(r"(?<=[a-z0-9,;)] )(?:[A-Z][a-z]+[A-Za-z]*|[A-Z]{2,}[a-z]?s?)\b")
#: technical specifics in prose: complexity, an expression, a quantity with its unit of account
_TECHNICAL = re.compile(
    r"\bO\((?:[^()]|\([^()]*\))+\)|\b\w+(?:\(\w*\))?\s*(?:==|!=|<=|>=|\+=|-=)\s*\w+|\b\w+\s+(?:in|per)\s+(?:bytes|seconds|ms|milliseconds|key|keys|request|user|member|"
    r"entry|item|partition|region|host|account|profile|device|title|tenant|shard|node|call|event|row|message|second|minute|day)\b", I)
ARROW = re.compile(r"(?:->|→|=>|⇒|⟶|-->)")



NUMBER_WORDS = frozenset("two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty "
                          "hundred hundreds dozen dozens thousand thousands million millions billion billions half".split())


def _is_referent(word: str) -> bool:
    return (len(word) >= 3 and word.isalpha() and word not in FUNCTION_WORDS and word not in GENERIC_REFERENT
            and word not in NUMBER_WORDS and not word.endswith("ly")) or (len(word) == 3 and word[0] == "p" and word[1:].isdigit())


def _referent_near(t: Text, start: int, end: int) -> bool:
    """Whether a content word next to a figure (three words after, two before, in its clause)
    says what the figure counts or measures; a general word ("improvement", "options") does not."""
    starts, words = tokens(t)
    cs = clause_start(t, start)
    breaks = clause_starts(t)
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
    for m in ARROW.finditer(t.masked):
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


_EMPTY_CLAIM = span_words(
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
    return find(t, "empty_claim", _EMPTY_CLAIM, negatable=False)


@detector("repetition", "the same phrase repeated instead of new substance")
def _repetition(t: Text) -> list[Finding]:
    """Later copies of a sentence already said, and a three-word phrase said three or more times."""
    out: list[Finding] = []
    starts, words = tokens(t)
    seen: set[tuple[str, ...]] = set()
    for s, e in t.sentences:
        key = tuple(words[bisect_right(starts, s - 1):bisect_right(starts, e - 1)])
        if len(key) < 2:
            continue
        if key in seen:
            out.append(Finding("repetition", s, e, t.raw[s:e], 1.0))
        seen.add(key)
    func = [w in FUNCTION_WORDS for w in words]
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



_EPISODE = span_words(
    r"\b(?:last|this\s+past|that)\s+(?:year|quarter|month|week|summer|spring|winter|autumn|fall|sprint)\b|\b(?:in|at)\s+(?:my|our)\s+(?:last|previous|current|first|old)\s+(?:role|job|team|company|position|employer)\b"
    r"|\bduring\s+(?:my|the|a|an|our)\b|\bwhen\s+I\s+was\b|\bearly\s+in\s+my\s+career\b|\b(?:a\s+few|two|three|\d+)\s+(?:years|months|weeks)\s+ago\b"
    r"|\b(?:19|20)\d\d\b|\bon\s+(?:a|one|the)\s+(?:\w+\s+)?(?:project|launch|release|migration|incident|team|night|day)\b|\bonce\b"
)
_GENERIC = span_words(
    r"\bI\s+(?:usually|always|generally|typically|normally|tend\s+to|try\s+to|like\s+to|believe\s+(?:in|that)|feel\s+that)\b"
    r"|\b(?:it['’]s|it\s+is)\s+(?:always\s+)?(?:best|important|good|better|key|crucial|essential)\s+to\b"
    r"|\bI['’]m\s+(?:a|an|very|quite|really|extremely|definitely)\s+(?:\w+\s+)?(?:person|perfectionist|hard\s+worker|team\s+player|people\s+person|fast\s+learner|problem[- ]solver)\b"
    r"|\b(?:perfectionis[tm]|work\s+too\s+hard|care\s+too\s+much)\b|\bin\s+general\b|\bwhenever\s+I\b"
)


@detector("specific_episode", "a particular episode: when and where it happened")
def _specific_episode(t: Text) -> list[Finding]:
    """Markers that the answer tells one episode (seed 001_7dc7f7af5065ad9c.txt: a story with the
    situation, the candidate's role, the decision and the result), not habits."""
    return find(t, "specific_episode", _EPISODE, negatable=False)


@detector("generic_statement", "habits and self-description instead of an example")
def _generic_statement(t: Text) -> list[Finding]:
    return find(t, "generic_statement", _GENERIC, negatable=False)

