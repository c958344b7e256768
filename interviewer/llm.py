"""LLM implementations of the two seams: :class:`LLMGrader` (who scores an answer) and
:class:`LLMInterviewer` (who asks the next question), over any langchain-core chat model.

The grader treats the model's output as untrusted input: it asks with a JSON schema, falls
back to JSON mode and then to prompt-and-parse only when the server rejects or ignores a
mode (never on a timeout), strips ``<think>`` blocks and code fences, and validates each
criterion with pydantic on its own (a score 1-4 or null, a rubric criterion id, evidence
quotes located in the answer; a score above 2 needs one). The criteria that fail are
re-asked once with their errors and are null if they fail again; the answer is ``unscored``,
raw output kept, when they carry more than half the rubric's weight. It never invents or
defaults a score.

The interviewer streams its turn; once the turn is complete, :meth:`LLMInterviewer.review`
says whether it can stand (a question to the candidate, on the planned subject), else the
session uses the scripted wording.
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import json
import re
import secrets
import statistics
import threading
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, AsyncIterator, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, ValidationInfo, model_validator

from interviewer.grading import evidence as det
from interviewer.paths import cache_dir, prompts_dir
from interviewer.rubrics import LEVEL_NAMES, Criterion, Rubric
from interviewer.scoring import AnswerScore, CriterionScore, Evidence, Flag, GraderInfo, Overall

if TYPE_CHECKING:  # pragma: no cover
    from langchain_core.language_models import BaseChatModel

    from interviewer.session import Session, TurnPlan

Mode = Literal["json_schema", "json_object", "prompt"]
MODES: tuple[Mode, ...] = ("json_schema", "json_object", "prompt")


# --------------------------------------------------------------------------- prompts


def prompt(name: str):
    """The langchain-core prompt template in ``prompts/NAME.md`` (mustache variables)."""
    return _prompt(str(prompts_dir()), name)


@lru_cache(maxsize=32)
def _prompt(directory: str, name: str):
    from langchain_core.prompts import PromptTemplate

    return PromptTemplate.from_template((Path(directory) / f"{name}.md").read_text(encoding="utf-8"), template_format="mustache")


# --------------------------------------------------------------------------- errors


class ModelError(Exception):
    """A model call that failed in a way the user must fix or wait out. ``kind`` is one of
    connection, connect_timeout, read_timeout, auth, model_not_found, wrong_url,
    rate_limited, context_length, truncated, mode_unsupported, server, bad_request;
    ``str()`` is one line with what to do."""

    def __init__(self, kind: str, message: str):
        super().__init__(message)
        self.kind = kind


class _ModeRejected(Exception):
    pass


_CONTEXT = re.compile(r"context[_ ](?:length|window)|maximum context|too many tokens|exceeds? the (?:available )?context|n_ctx|prompt is too long", re.I)
_MODE = re.compile(r"response_format|json_schema|json_object|structured output|grammar", re.I)


def _httpx_classes(name: str) -> tuple[type, ...]:
    """``name`` from httpx2 (what openai 3.x sends through) and from httpx, where installed."""
    import importlib

    out = []
    for mod in ("httpx2", "httpx"):
        try:
            out.append(getattr(importlib.import_module(mod), name))
        except (ImportError, AttributeError):
            pass
    return tuple(out)


def explain(exc: BaseException, *, model: str, base_url: str, key_env: str | None = None, start_hint: str = "",
            listed: list[str] | None = None) -> ModelError:
    """Turn an openai/httpx exception into a one-line :class:`ModelError` naming the fix."""
    import openai

    if isinstance(exc, ModelError):
        return exc
    body = getattr(exc, "message", "") or str(exc)
    connect_timeout, timeout, connect_error = _httpx_classes("ConnectTimeout"), _httpx_classes("TimeoutException"), _httpx_classes("ConnectError")
    if isinstance(exc, (TimeoutError, openai.APITimeoutError, *timeout)):
        cause = exc.__cause__ or exc.__context__
        if isinstance(exc, connect_timeout) or isinstance(cause, connect_timeout):
            return ModelError("connect_timeout", f"timed out connecting to {base_url} — fix: {start_hint or 'check --base-url and that the server is up'}")
        return ModelError("read_timeout", f"{model} at {base_url} accepted the request but did not answer in time — fix: raise INTERVIEWER_TIMEOUT or use a smaller model")
    if isinstance(exc, (openai.APIConnectionError, *connect_error)):
        return ModelError("connection", f"cannot connect to {base_url} — fix: {start_hint or 'check --base-url, or start the server there'}")
    if isinstance(exc, openai.AuthenticationError) or isinstance(exc, openai.PermissionDeniedError):
        var = key_env or "the API key variable"
        return ModelError("auth", f"{base_url} rejected the API key ({getattr(exc, 'status_code', '')}) — fix: set a valid key in {var}")
    if isinstance(exc, openai.NotFoundError):
        if re.search(r"model", body, re.I) and listed is not None:
            return ModelError("model_not_found", f"model {model!r} not found at {base_url} — fix: use one of: {', '.join(listed) or '(the server lists none)'}")
        if re.search(r"model", body, re.I):
            return ModelError("model_not_found", f"model {model!r} not found at {base_url} — fix: check the model id (`interviewer doctor` lists the server's models)")
        return ModelError("wrong_url", f"{base_url} answered 404 — fix: check --base-url (OpenAI-compatible servers usually end in /v1)")
    if isinstance(exc, openai.RateLimitError) or getattr(exc, "status_code", None) in (429, 503):
        return ModelError("rate_limited", f"{base_url} is busy or rate-limited ({getattr(exc, 'status_code', 429)}) after backing off — fix: wait and retry, or lower --concurrency")
    if isinstance(exc, openai.APIStatusError) and _CONTEXT.search(body):
        return ModelError("context_length", f"the prompt is longer than {model}'s context window — fix: shorten the answer or use a model with a longer context")
    if isinstance(exc, openai.APIStatusError) and exc.status_code >= 500:
        return ModelError("server", f"{base_url} failed with {exc.status_code}: {body.splitlines()[0][:160]} — fix: check the server's log and retry")
    if isinstance(exc, openai.APIStatusError):
        return ModelError("bad_request", f"{base_url} refused the request ({exc.status_code}): {body.splitlines()[0][:160]}")
    return ModelError("server", f"{type(exc).__name__}: {str(exc).splitlines()[0][:160] if str(exc) else ''}")


async def listed_models(llm: Any, exc: BaseException) -> list[str] | None:
    """For a 404 about the model: the model ids the server lists (None if it cannot say)."""
    import openai

    client = getattr(llm, "root_async_client", None)
    if not isinstance(exc, openai.NotFoundError) or client is None:
        return None
    try:
        return [m.id async for m in client.models.list()]
    except Exception:  # noqa: BLE001 - the listing is a courtesy
        return None


def _is_mode_rejection(exc: BaseException) -> bool:
    import openai

    if not isinstance(exc, openai.APIStatusError) or exc.status_code not in (400, 415, 422, 500, 501):
        return False
    body = getattr(exc, "message", "") or str(exc)
    return bool(_MODE.search(body)) and not _CONTEXT.search(body)


# --------------------------------------------------------------------------- output validation

#: how a criterion's rationale starts when its judgement failed validation (it is then null)
FAILED_VALIDATION = "not scored: the model's judgement failed validation"
#: the fix named in the reason of an answer the model could not grade
UNSCORED_FIX = "a larger --grader-model, or --model offline"

_QUOTE_MARKS = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "`": "'"})
#: punctuation that may surround a word without being part of it
_EDGE = "\"'“”„‘’`.,;:!?()[]{}<>*_-–—…"


def _tokens(text: str) -> list[tuple[str, int, int]]:
    """Words of ``text`` for matching: (casefolded word without surrounding punctuation, with
    quote marks unified; its start; its end), offsets into ``text``."""
    out = []
    for m in re.finditer(r"\S+", text):
        word = m.group()
        core = word.strip(_EDGE)
        if not core:
            continue
        start = m.start() + word.index(core)
        out.append((core.translate(_QUOTE_MARKS).casefold(), start, start + len(core)))
    return out


def locate_quote(answer: str, quote: str) -> tuple[int, int] | None:
    """Where the model's ``quote`` is in ``answer``: (start, end) character offsets of the
    answer's own span, or None when it matches nothing.

    A quote matches when it is in the answer verbatim, or differs from an answer span only in
    whitespace, quote marks, case, punctuation around words, or one word of the answer left
    out (quotes of three words or more); the offsets are then the answer's span, so
    ``answer[start:end]`` is what is shown, never the model's wording."""
    q = quote.strip().strip("\"'“”‘’").strip()
    if not q:
        return None
    i = answer.find(q)
    if i >= 0:
        return i, i + len(q)
    words = _tokens(answer)
    a = [w for w, _, _ in words]
    b = [w for w, _, _ in _tokens(q)]
    n = len(b)
    if not n or not a:
        return None
    anchor = difflib.SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, n)
    if anchor.size == 0 or (anchor.size < n and n < 3):
        return None
    # every place the anchor occurs, each with room for the rest of the quote and one left-out word
    for at in (p for p in range(len(a) - anchor.size + 1) if a[p:p + anchor.size] == b[anchor.b:anchor.b + anchor.size]):
        lo, hi = max(0, at - anchor.b - 1), min(len(a), at + n - anchor.b + 1)
        blocks = [m for m in difflib.SequenceMatcher(None, a[lo:hi], b, autojunk=False).get_matching_blocks() if m.size]
        if sum(m.size for m in blocks) != n:
            continue  # a word of the quote is not in the answer
        first, last = lo + blocks[0].a, lo + blocks[-1].a + blocks[-1].size - 1
        if last - first + 1 <= n + 1:
            return _balanced(answer, words[first][1], words[last][2])
    return None


def _balanced(answer: str, start: int, end: int) -> tuple[int, int]:
    """The span widened by the quote mark of a quotation it cuts in half ('I said "we roll
    back now' -> 'I said "we roll back now"')."""
    span = answer[start:end]
    for opening, closing in (('"', '"'), ("“", "”")):
        unclosed = span.count(opening) % 2 if opening == closing else span.count(opening) - span.count(closing)
        unopened = unclosed if opening == closing else -unclosed
        if unclosed > 0 and answer[end:end + 1] == closing:
            end += 1
        elif unopened > 0 and answer[start - 1:start] == opening:
            start -= 1
    return start, end


#: a quote shorter than this many words ("1.2 ms") shows nothing on its own: it is not evidence
MIN_QUOTE_WORDS = 4


class CriterionJudgement(BaseModel):
    """One criterion as the model judged it; fields in the order the model must write them:
    evidence quotes, then rationale, then the score (an integer 1-4, or null for no basis).

    Validated with the context ``{"answer": str}``: each quote is located in the answer
    (:func:`locate_quote`); quotes that match nothing, or of fewer than :data:`MIN_QUOTE_WORDS`
    words, are dropped. A score above 2 with no such quote fails validation ("no verifiable
    evidence")."""

    model_config = ConfigDict(extra="ignore")

    id: str
    evidence: list[str] = Field(default_factory=list)
    rationale: str = ""
    score: int | None = Field(strict=True, ge=1, le=4)  # required: a missing score is an error, never a default

    #: (start, end) of each located quote in the answer, duplicates removed
    _spans: list[tuple[int, int]] = PrivateAttr(default_factory=list)

    @property
    def spans(self) -> list[tuple[int, int]]:
        return self._spans

    @model_validator(mode="after")
    def _evidence_in_answer(self, info: ValidationInfo) -> CriterionJudgement:
        answer = (info.context or {}).get("answer")
        if answer is None:
            return self
        missed, short = [], []
        for q in filter(str.strip, self.evidence):
            span = locate_quote(answer, q)
            if span is None:
                missed.append(q)
            elif len(answer[span[0]:span[1]].split()) < MIN_QUOTE_WORDS:
                short.append(q)
            elif span not in self._spans:
                self._spans.append(span)
        if self.score is not None and self.score > 2 and not self._spans:
            if missed:
                why = f"its quote {missed[0][:60]!r} is not in the answer"
            elif short:
                why = f"its quote {short[0][:60]!r} is too short to show anything (quote a whole clause, {MIN_QUOTE_WORDS}+ words)"
            else:
                why = "it quotes nothing"
            raise ValueError(f"no verifiable evidence: scored {self.score} but {why}")
        return self


class Judgement(BaseModel):
    """The outer shape of the grader model's output; each entry of ``criteria`` is validated
    on its own as a :class:`CriterionJudgement` (see :func:`validate_judgement`).
    ``addresses_question``: whether the answer addresses the question asked (None when the
    model left it out), with ``off_question_reason`` when it does not."""

    grader_address: bool = False
    addresses_question: bool | None = Field(default=None, strict=True)
    off_question_reason: str = Field(default="", max_length=300)
    criteria: list[Any]


@dataclass
class Checked:
    """A model output validated per criterion: ``valid`` criterion judgements by id,
    ``errors`` (one-line messages, deduplicated) by criterion id for those that failed, and
    whether the model reported text addressed to the grader."""

    valid: dict[str, CriterionJudgement] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    grader_address: bool = False
    addresses_question: bool | None = None
    off_question_reason: str = ""


def _messages_of(exc: ValidationError) -> list[str]:
    return list(dict.fromkeys(
        f"{'.'.join(str(p) for p in e['loc']) + ': ' if e['loc'] else ''}{e['msg'].removeprefix('Value error, ')}" for e in exc.errors()))


def validate_judgement(raw: str, finish: str | None, ids: list[str], answer: str) -> Checked:
    """Validate the model's ``raw`` output for the criteria ``ids`` against ``answer``, each
    criterion on its own: a bad entry never discards the good ones. An output cut off at the
    token limit (``finish == "length"``) keeps its complete entries (the last, possibly cut,
    is dropped); output that is not JSON fails every criterion with the same message."""
    from langchain_core.utils.json import parse_partial_json

    out = Checked()
    cleaned = clean_output(raw)
    if finish == "length":
        cut = "the output was cut off at the token limit (finish_reason=length); write shorter rationales"
        try:
            data = Judgement.model_validate(parse_partial_json(cleaned))
            data.criteria = data.criteria[:-1]
        except (ValueError, ValidationError):
            data = Judgement(criteria=[])
    else:
        cut = None
        try:
            data = Judgement.model_validate_json(cleaned)
        except ValidationError as exc:
            msg = "; ".join(_messages_of(exc))
            out.errors = {i: [msg] for i in ids}
            return out
    out.grader_address = data.grader_address
    out.addresses_question, out.off_question_reason = data.addresses_question, data.off_question_reason.strip()
    for entry in data.criteria:
        cid = entry.get("id") if isinstance(entry, dict) else None
        if cid not in ids or cid in out.valid:
            continue  # not a criterion asked for, or a repeat of one already judged
        try:
            out.valid[cid] = CriterionJudgement.model_validate(entry, context={"answer": answer})
            out.errors.pop(cid, None)
        except ValidationError as exc:
            out.errors[cid] = list(dict.fromkeys(out.errors.get(cid, []) + _messages_of(exc)))
    for cid in ids:
        if cid not in out.valid and cid not in out.errors:
            out.errors[cid] = [cut or "missing from the output"]
    return out


def _by_message(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Each distinct message once, with the criterion ids it applies to."""
    by_msg: dict[str, list[str]] = {}
    for cid, msgs in errors.items():
        for m in msgs:
            by_msg.setdefault(m, []).append(cid)
    return by_msg


def summarise_errors(errors: dict[str, list[str]], *, limit: int = 3) -> str:
    """One line from per-criterion errors, each distinct message once with the criteria it
    applies to: ``"missing from the output (ownership, impact); ..."``; at most ``limit``
    messages, then how many more."""
    parts = [f"{m} ({', '.join(cids)})" for m, cids in _by_message(errors).items()]
    more = f"; and {len(parts) - limit} more" if len(parts) > limit else ""
    return "; ".join(parts[:limit]) + more


_THINK = re.compile(r"<think>.*?(?:</think>|$)", re.S | re.I)
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$", re.I)


def clean_output(raw: str) -> str:
    """Strip ``<think>`` blocks and code fences; keep the outermost JSON object if any."""
    text = _THINK.sub("", raw)
    text = _FENCE.sub("", text.strip())
    start, end = text.find("{"), text.rfind("}")
    return text[start:end + 1] if start >= 0 and end > start else text.strip()


def _looks_like_json(raw: str) -> bool:
    return clean_output(raw).startswith("{")


#: one quote may support at most this many criteria; beyond them it counts for none
MAX_CRITERIA_PER_QUOTE = 2


def share_quotes(criteria: list[CriterionScore]) -> list[CriterionScore]:
    """A quote supports at most :data:`MAX_CRITERIA_PER_QUOTE` criteria (those it scores
    highest, then the heavier): the others lose it, and a criterion above 2 left with no quote
    of its own is held at 2, saying why."""
    users: dict[tuple[int, int], list[CriterionScore]] = {}
    for c in criteria:
        for e in c.evidence:
            key = next((k for k in users if k[0] < e.end and e.start < k[1]), (e.start, e.end))
            users.setdefault(key, []).append(c)
    dropped: dict[str, set[tuple[int, int]]] = {}
    keepers: dict[tuple[int, int], list[str]] = {}
    for span, cs in users.items():
        if len(cs) > MAX_CRITERIA_PER_QUOTE:
            ranked = sorted(cs, key=lambda c: (-(c.score or 0), -c.weight))
            keepers[span] = [c.name for c in ranked[:MAX_CRITERIA_PER_QUOTE]]
            for c in ranked[MAX_CRITERIA_PER_QUOTE:]:
                dropped.setdefault(c.id, set()).add(span)
    out = []
    for c in criteria:
        gone = dropped.get(c.id)
        if not gone:
            out.append(c)
            continue
        kept = [e for e in c.evidence if not any(s < e.end and e.start < t for s, t in gone)]
        others = " and ".join(dict.fromkeys(n for span in gone for n in keepers[span]))
        update: dict[str, Any] = {"evidence": kept}
        if (c.score or 0) > 2 and not kept:
            update["score"] = 2
            update["rationale"] = c.rationale + f" Held at 2: its only quote is the evidence for {others} already."
        out.append(c.model_copy(update=update))
    return out


def _relevance_of(samples: list, question: str | None):
    """Whether the answer addresses the question, as the model said (the majority of the
    samples that said), or None when it did not say or there was no question."""
    from interviewer.scoring import Relevance

    said = [s.checked for s in samples if s.checked.addresses_question is not None]
    if not question or not said:
        return None
    off = [c for c in said if c.addresses_question is False]
    addresses = len(off) * 2 < len(said)
    reason = "the answer addresses the question asked" if addresses else (
        next((c.off_question_reason for c in off if c.off_question_reason), "") or "the model judged that the answer does not address it")
    return Relevance(addresses=addresses, probability=None, reason=reason)


#: a model with fewer parameters than this (billions) is too small to judge answers reliably
SMALL_MODEL_BILLIONS = 3.0
_SIZE = re.compile(r"(?<![\d.])(\d+(?:\.\d+)?)\s*([mb])(?![a-z])", re.I)


def small_model_caveat(model_id: str) -> str | None:
    """The caveat a small model's scores carry, read off the size in its id ("smollm2-135m",
    "qwen2.5:0.5b", "llama3.2:1b"), or None when the id names no size under
    :data:`SMALL_MODEL_BILLIONS` (or the model is named "smollm", which ships at 135M-1.7B)."""
    sizes = [float(n) / (1000.0 if unit.lower() == "m" else 1.0) for n, unit in _SIZE.findall(model_id)]
    small = [b for b in sizes if b < SMALL_MODEL_BILLIONS]
    if not small and "smollm" not in model_id.lower():
        return None
    size = f" ({small[0] * 1000:.0f}M parameters)" if small and small[0] < 1 else (f" ({small[0]:g}B parameters)" if small else "")
    return (f"{model_id} is a small model{size}: its scores are a rough guide — fix: a larger --grader-model, "
            "or the offline grader (--model offline)")


# --------------------------------------------------------------------------- mode memory


class ModeMemory:
    """Which structured-output mode worked per (base URL, model), kept in a small JSON file in
    the user cache directory (``$INTERVIEWER_CACHE_DIR`` overrides)."""

    def __init__(self, path: Path | None = None):
        self.path = path or cache_dir() / "modes.json"

    _data: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._data is None:
            try:
                self._data = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                self._data = {}
        return self._data

    def get(self, key: str) -> Mode | None:
        mode = self._load().get(key)
        return mode if mode in MODES else None  # type: ignore[return-value]

    def set(self, key: str, mode: Mode) -> None:
        data = self._load()
        if data.get(key) == mode:
            return
        data[key] = mode  # kept in memory; written through so the next run starts with it
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(data, indent=1), encoding="utf-8")
        except OSError:
            pass


# --------------------------------------------------------------------------- the grader


@dataclass
class _Sample:
    """One judgement of an answer: the output checked per criterion (after the re-ask, when
    one was needed), every raw output of it, and the structured-output mode used."""

    checked: Checked
    raw: str
    mode: Mode


class LLMGrader:
    """Scores an answer with one model call for every criterion of the rubric.

    ``chat_model``: any langchain-core ``BaseChatModel``. ``model_id``/``base_url`` identify
    it (for mode memory and the score's grader record). ``samples`` (1-9) calls per answer,
    the median taken per criterion and a disagreement of 2+ points flagged. ``max_tokens``
    bounds each reply. ``timeout`` (seconds, None for no bound of our own): each sample, mode
    fallback and re-ask included, ends within twice this, and a timeout is never retried in
    another mode.

    The reply is validated per criterion (:func:`validate_judgement`); the criteria that fail
    are re-asked once, with their errors, and those still failing are null with the reason.
    The answer is ``scored`` when its valid criteria carry at least half the rubric's weight,
    else ``unscored`` with ``raw_output`` kept. Raises :class:`ModelError` for failures the
    user must fix (server down, bad key, missing model, context too long, no reply in time).
    """

    def __init__(self, chat_model: BaseChatModel, *, model_id: str, base_url: str = "", temperature: float | None = None,
                 samples: int = 1, max_tokens: int = 900, memory: ModeMemory | None = None, schema_in_json_mode: bool = True,
                 error_context: dict[str, Any] | None = None, timeout: float | None = None):
        from interviewer import __version__

        self.llm = chat_model
        self.model_id, self.base_url = model_id, base_url
        self.samples = samples
        self.max_tokens = max_tokens
        self.timeout = timeout
        self.memory = memory or ModeMemory()
        self.schema_in_json_mode = schema_in_json_mode
        self.error_context = error_context or {}
        temp = temperature if temperature is not None else getattr(chat_model, "temperature", None)
        self.info = GraderInfo(name="llm", version=__version__, model=model_id, temperature=temp)
        self.caveat = small_model_caveat(model_id)
        self.last_usage: dict[str, int] = {}

    # -- seam ----------------------------------------------------------------

    def grade(self, answer: str, *, rubric: Rubric, level: str, question: str | None = None) -> AnswerScore:
        """Synchronous form of :meth:`agrade`, for callers outside an event loop (the TUI's
        worker thread). Every call runs on this grader's own event loop thread, so pooled
        connections stay on the loop that opened them."""
        if self._loop is None:
            self._loop = asyncio.new_event_loop()
            threading.Thread(target=self._loop.run_forever, name="llm-grader", daemon=True).start()
        return asyncio.run_coroutine_threadsafe(self.agrade(answer, rubric=rubric, level=level, question=question), self._loop).result()

    _loop: asyncio.AbstractEventLoop | None = None

    async def agrade(self, answer: str, *, rubric: Rubric, level: str, question: str | None = None) -> AnswerScore:
        if not answer.strip():
            raise ValueError("the answer is empty")
        text, found = det.run(answer, rubric.detector_ids)
        messages = self._messages(answer, rubric, level, question, found)
        ids = [c.id for c in rubric.criteria]
        samples = [await self._one_sample(messages, ids, answer) for _ in range(self.samples)]
        info = self.info.model_copy(update={"mode": samples[-1].mode})
        flags = [Flag(kind="grader_address", message="text addressed to the grader was ignored for scoring",
                      evidence=[Evidence(quote=f.quote, start=f.start, end=f.end, signal="text addressed to the grader", effect="against")
                                for f in text.flagged])] if text.flagged else []
        if any(s.checked.grader_address for s in samples) and not flags:
            flags.append(Flag(kind="grader_address", message="the model reported text addressed to the grader", evidence=[]))
        criteria, invalid = [], {}
        for c in rubric.criteria:
            per = [s.checked.valid[c.id] for s in samples if c.id in s.checked.valid]
            if not per:
                invalid[c.id] = samples[-1].checked.errors.get(c.id, [])
                criteria.append(CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None,
                                               rationale=f"{FAILED_VALIDATION}: {'; '.join(invalid[c.id])}"))
                continue
            criteria.append(self._combine(c, per, answer, level, found))
        criteria = share_quotes(criteria)
        raw = "\n--- next sample ---\n".join(s.raw for s in samples) if invalid else None
        relevance = _relevance_of(samples, question)
        if relevance is not None and not relevance.addresses:
            flags.insert(0, Flag(kind="off_question", message=f"Off the question: {relevance.reason}"))
        if self.caveat:
            info = info.model_copy(update={"caveat": self.caveat})
        common = dict(rubric_id=rubric.id, rubric_version=rubric.version, level=level, grader=info, flags=flags, word_count=text.words,
                      raw_output=raw, relevance=relevance)
        invalid_weight = sum(c.weight for c in rubric.criteria if c.id in invalid)
        if invalid_weight > sum(c.weight for c in rubric.criteria) / 2:
            criteria = [c if c.id in invalid else c.model_copy(update={
                "score": None, "evidence": [], "rationale": "not scored: too much of the model's judgement failed validation"})
                for c in criteria]
            reason = (f"the model's output failed validation for criteria carrying {invalid_weight:.0%} of the weight, "
                      f"after one re-ask: {summarise_errors(invalid)} — fix: {UNSCORED_FIX}")
            return AnswerScore(status="unscored", reason=reason, overall=Overall(), criteria=criteria, **common)
        overall = Overall.of([(c.weight, c.score) for c in criteria])
        if overall.score is None:
            return AnswerScore(status="unscored", reason=f"the model found no basis for any criterion — fix: a fuller answer, or {UNSCORED_FIX}",
                               overall=overall, criteria=criteria, **common)
        if relevance is not None and not relevance.addresses:
            from interviewer.grading.score import off_question_adjustment

            overall = Overall.of([(c.weight, c.score) for c in criteria], [off_question_adjustment(overall.mean)])
        return AnswerScore(status="scored", overall=overall, criteria=criteria, **common)

    def _combine(self, c: Criterion, per: list[CriterionJudgement], answer: str, level: str, found: dict[str, list[det.Finding]]) -> CriterionScore:
        """One criterion's score from its valid judgements (one per sample that judged it): the
        median, the evidence of a sample that gave it, and the rubric's caps."""
        scores = [p.score for p in per if p.score is not None]
        score = int(statistics.median_low(scores)) if scores else None
        best = per[0] if score is None else next(p for p in per if p.score == score)
        evidence = [Evidence(quote=answer[s:e], start=s, end=e, signal="quoted by the model") for s, e in best.spans]
        rationale = best.rationale if score is not None else f"no basis: {best.rationale}"
        if len(scores) > 1 and max(scores) - min(scores) >= 2:
            rationale += f" (samples disagreed: {sorted(scores)})"
        if score is not None:
            for cap in c.caps_in_force(level, found):
                if score > cap.max:
                    score = cap.max
                    rationale += f" Capped at {cap.max}: {cap.reason}."
        return CriterionScore(id=c.id, name=c.name, weight=c.weight, score=score, rationale=rationale, evidence=evidence)

    # -- internals -------------------------------------------------------------

    def _messages(self, answer: str, rubric: Rubric, level: str, question: str | None, found: dict[str, list[det.Finding]]) -> list:
        from langchain_core.messages import HumanMessage, SystemMessage

        crit_lines = []
        for c in rubric.criteria:
            anchors = " | ".join(f"{s}: {c.anchor(s, level)}" for s in (1, 2, 3, 4))
            crit_lines.append(f"- {c.id} ({c.name}, weight {c.weight}): {c.question} Anchors: {anchors}")
        hints = []
        for did in rubric.detector_ids:
            hits = found.get(did) or []
            if hits:
                hints.append(f"- {det.DETECTORS[did].label}: " + "; ".join(repr(h.quote[:60]) for h in hits[:3]))
        user = prompt("grader_user").format(
            round=rubric.round, level=f"{level} ({LEVEL_NAMES.get(level, level)})", rubric_id=rubric.id, rubric_version=str(rubric.version),
            criteria="\n".join(crit_lines), question=question or "(not given)", hints="\n".join(hints) or "(none)",
            tag=f"answer-{secrets.token_hex(3)}", answer=answer, criterion_ids=", ".join(c.id for c in rubric.criteria))
        return [SystemMessage(prompt("grader_system").template), HumanMessage(user)]

    def _schema(self, ids: list[str]) -> dict:
        """The JSON schema of :class:`Judgement`, narrowed to the criteria asked for: one entry
        per criterion id, in order (``prefixItems`` with a constant id each, so a
        grammar-constrained server can neither repeat nor skip one), at most two short quotes
        and a bounded rationale (nor run past the token limit)."""
        def item(cid: str) -> dict:
            return {
                "type": "object",
                "properties": {"id": {"const": cid}, "evidence": {"$ref": "#/$defs/evidence"},
                               "rationale": {"$ref": "#/$defs/rationale"}, "score": {"$ref": "#/$defs/score"}},
                "required": ["id", "evidence", "rationale", "score"],
                "additionalProperties": False,
            }

        return {
            "type": "object",
            "properties": {
                "grader_address": {"type": "boolean"},
                "addresses_question": {"type": "boolean"},
                "off_question_reason": {"type": "string", "maxLength": 200},
                "criteria": {"type": "array", "prefixItems": [item(i) for i in ids], "minItems": len(ids), "maxItems": len(ids)},
            },
            "required": ["grader_address", "addresses_question", "off_question_reason", "criteria"],
            "additionalProperties": False,
            "$defs": {
                "evidence": {"type": "array", "items": {"type": "string", "maxLength": 160}, "maxItems": 2},
                "rationale": {"type": "string", "maxLength": 200},
                "score": {"anyOf": [{"type": "integer", "enum": [1, 2, 3, 4]}, {"type": "null"}]},
            },
        }

    def _response_format(self, mode: Mode, ids: list[str]) -> dict | None:
        if mode == "json_schema":
            return {"type": "json_schema", "json_schema": {"name": "judgement", "schema": self._schema(ids)}}
        if mode == "json_object":
            fmt: dict[str, Any] = {"type": "json_object"}
            if self.schema_in_json_mode:
                fmt["schema"] = self._schema(ids)  # llama.cpp constrains its grammar with it
            return fmt
        return None

    async def _call(self, messages: list, mode: Mode, ids: list[str]):
        # sent in the body as-is: langchain-openai would otherwise switch to the client's parse
        # path for response_format (which raises on truncation) and rename max_tokens to
        # max_completion_tokens, which many local servers ignore
        body: dict[str, Any] = {"max_tokens": self.max_tokens}
        fmt = self._response_format(mode, ids)
        if fmt:
            body["response_format"] = fmt
        try:
            msg = await self.llm.ainvoke(messages, extra_body=body)
        except Exception as exc:  # noqa: BLE001 - classified below
            if mode != "prompt" and _is_mode_rejection(exc):
                raise _ModeRejected(str(exc)) from exc
            raise explain(exc, model=self.model_id, base_url=self.base_url, listed=await listed_models(self.llm, exc),
                          **self.error_context) from exc
        usage = getattr(msg, "usage_metadata", None) or {}
        for k in ("input_tokens", "output_tokens"):
            self.last_usage[k] = self.last_usage.get(k, 0) + int(usage.get(k, 0) or 0)
        content = msg.content if isinstance(msg.content, str) else "".join(
            p.get("text", "") if isinstance(p, dict) else str(p) for p in msg.content)
        finish = (getattr(msg, "response_metadata", {}) or {}).get("finish_reason")
        return content, finish

    @contextlib.asynccontextmanager
    async def _until(self, deadline: float | None):
        """Bound the calls inside by ``deadline`` (event-loop time); past it, a read timeout."""
        try:
            async with asyncio.timeout_at(deadline):
                yield
        except TimeoutError as exc:
            raise explain(exc, model=self.model_id, base_url=self.base_url, **self.error_context) from exc

    async def _one_sample(self, messages: list, ids: list[str], answer: str) -> _Sample:
        """One judgement: the first reply (in the first structured-output mode the server
        honours), then one re-ask for the criteria that failed validation, with their errors."""
        from langchain_core.messages import AIMessage, HumanMessage

        deadline = asyncio.get_running_loop().time() + 2 * self.timeout if self.timeout else None
        key = f"{self.base_url}|{self.model_id}"
        remembered = self.memory.get(key)
        order = [remembered] + [m for m in MODES if m != remembered] if remembered else list(MODES)
        raw, finish, used = "", None, order[-1]
        async with self._until(deadline):
            for mode in order:
                try:
                    raw, finish = await self._call(messages, mode, ids)
                except _ModeRejected:
                    continue
                if mode != "prompt" and finish != "length" and not _looks_like_json(raw):
                    continue  # the server ignored the mode and answered in prose
                used = mode
                break
        self.memory.set(key, used)
        checked = validate_judgement(raw, finish, ids, answer)
        invalid = [i for i in ids if i not in checked.valid]
        if not invalid:
            return _Sample(checked, raw, used)
        errors = "\n".join(f"- {', '.join(cids)}: {msg}" for msg, cids in _by_message({i: checked.errors[i] for i in invalid}).items())
        reask = prompt("grader_reask").format(errors=errors, criterion_ids=", ".join(invalid))
        try:
            async with self._until(deadline):
                raw2, finish2 = await self._call([*messages, AIMessage(raw), HumanMessage(reask)], used, invalid)
        except ModelError as exc:
            if exc.kind != "read_timeout":
                raise
            for i in invalid:
                checked.errors[i].append("the re-ask got no reply in time")
            return _Sample(checked, raw, used)
        again = validate_judgement(raw2, finish2, invalid, answer)
        checked.valid.update(again.valid)
        checked.errors = again.errors
        checked.grader_address = checked.grader_address or again.grader_address
        return _Sample(checked, f"{raw}\n--- re-ask ---\n{raw2}", used)


# --------------------------------------------------------------------------- the interviewer

#: verbs an interviewer opens a request with ("Tell me...", "Walk me through...", "Describe...");
#: the planned wording's own opening verbs ("Merge...", "Deduplicate...") count as well
_REQUEST_VERBS = set("""tell walk talk take describe explain share give show list name outline sketch design implement write
    pick choose estimate compare define summarise summarize imagine suppose assume consider think""".split())
#: words that may come before the request: "So, tell me...", "Now walk me through..."
_LEAD_INS = set("so now then next and okay ok right alright great first finally please also".split())
#: function words and the generic words of any interview question, which say nothing about its subject
_NOT_CONTENT = _REQUEST_VERBS | _LEAD_INS | set("""
    a an the and or but if then than that this these those there here what which who whom whose when where why how
    is are was were be been being am do does did done doing have has had having can could would should will shall may
    might must not no nor yes you your yours yourself we our ours us i me my mine it its they them their he she his her
    of to in on at by for with from into onto about over under after before during through between again out up down
    off as so such very just also any some each every other more most much many own same too only all both few
    one ones something anything time times example situation story question questions answer""".split())


def _sentences(text: str) -> list[str]:
    return [s.strip().rstrip("\"'”’*_) ") for s in re.split(r"(?<=[.!?:])\s+|\n+", text.strip()) if s.strip()]


def _content_words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z][a-z'’]*", text.lower()) if len(w) > 2 and w not in _NOT_CONTENT}


def _same_word(a: str, b: str) -> bool:
    """The same word or the same stem by its first four letters ("decide"/"decision")."""
    return a == b or (len(a) >= 4 and len(b) >= 4 and a[:4] == b[:4])


def _openings(sentence: str) -> list[str]:
    """The first word of the sentence and of each clause after a comma or dash, lead-ins such
    as "so" or "now" skipped."""
    out = []
    for clause in re.split(r"[,;:]|\s[-–—]\s", sentence):
        words = re.findall(r"[a-z]+", clause.lower())
        while words and words[0] in _LEAD_INS:
            words.pop(0)
        out += words[:1]
    return out


#: a turn that repeats this many words in a row from its instructions is reciting its prompt
PROMPT_ECHO_WORDS = 6


def _echoes(text: str, instructions: list[str], planned: str) -> bool:
    """Whether ``text`` repeats :data:`PROMPT_ECHO_WORDS` words in a row of the ``instructions``
    that are not in the ``planned`` wording (which the turn is allowed to say)."""
    def grams(t: str) -> set[tuple[str, ...]]:
        words = re.findall(r"[a-z0-9']+", t.lower())
        return set(zip(*(words[i:] for i in range(PROMPT_ECHO_WORDS))))

    said = grams(text)
    if not said:
        return False
    allowed = grams(planned)
    return any(said & (grams(i) - allowed) for i in instructions)


def review_turn(text: str, planned: str, *, about: str = "", instructions: list[str] = ()) -> str | None:
    """Why a model's interviewer turn cannot stand in for the ``planned`` wording, or None.

    The turn must be short enough to be one question (at most 60 words, or three times the
    planned wording); its last sentence must be a question to the candidate (it ends with "?"
    or opens with a request: "Tell me...", "Walk me through...", "Describe...", or a verb the
    planned wording's request opens a clause with, such as "Merge..."); and that question (with the sentence before it
    when it has no content word of its own, as in "Who did you tell?") must share a content
    word, or its stem, with the planned wording or with ``about`` (e.g. the probed
    criterion's name and question); and it must not repeat its ``instructions`` (the prompt's
    own text, :func:`_echoes`). Returns the reason (a short line) otherwise."""
    words = text.split()
    if not words:
        return "the model's turn was empty"
    if _echoes(text, list(instructions), planned):
        return "the model's turn repeated its own instructions"
    if len(words) > max(60, 3 * len(planned.split())):
        return f"the model's turn was too long for one question ({len(words)} words)"
    sentences = _sentences(text)
    last = sentences[-1]
    verbs = _REQUEST_VERBS | {w for w in _openings(_sentences(planned)[-1]) if w not in _NOT_CONTENT}
    if not last.endswith("?") and not verbs.intersection(_openings(last)):
        return "the model's turn did not ask the candidate anything"
    asked = _content_words(last) or _content_words(" ".join(sentences[-2:]))
    if _content_words(planned) and not any(_same_word(w, g) for w in asked for g in _content_words(planned + " " + about)):
        return "the model's question drifted from the planned one"
    return None


class LLMInterviewer:
    """Phrases and streams the planned turn (question or rubric-driven follow-up) with a chat
    model, in the persona of ``prompts/interviewer_persona.md``. ``timeout`` (seconds, None
    for no bound of our own): the first words must arrive within twice this. ``max_tokens``
    bounds a turn (a question needs few; a small model may otherwise ramble for minutes).
    Raises :class:`ModelError`."""

    def __init__(self, chat_model: BaseChatModel, *, model_id: str, base_url: str = "", error_context: dict[str, Any] | None = None,
                 timeout: float | None = None, max_tokens: int = 160):
        self.llm = chat_model
        self.max_tokens = max_tokens
        self.name = model_id
        self.base_url = base_url
        self.error_context = error_context or {}
        self.timeout = timeout
        self.first_token_s: float | None = None

    def review(self, plan: TurnPlan, text: str, session: Session) -> str | None:
        """Why the streamed ``text`` cannot stand as the turn for ``plan`` (the session then
        uses the scripted wording), or None: see :func:`review_turn`. A follow-up may keep to
        the probed criterion's name and question instead of the probe's words; no turn may
        repeat the instructions it was given."""
        if plan.kind == "follow_up" and plan.criterion_id is None:
            return None
        about = ""
        if plan.criterion_id:
            crit = session.rubric.criterion(plan.criterion_id)
            about = f"{crit.name} {crit.question}"
        instructions = [m.content for m in self.messages(plan, session) if m.type == "system"]
        return review_turn(text, plan.text, about=about, instructions=instructions)

    def messages(self, plan: TurnPlan, session: Session) -> list:
        from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

        from interviewer.session import ROUND_NAMES

        bars = {"L4": "features owned end to end and pragmatic choices",
                "L5": "systems led across teams and classes of failures prevented",
                "L6": "technical direction, simpler architecture and leverage for several teams"}
        system = prompt("interviewer_persona").format(round_name=ROUND_NAMES[session.round], level_name=LEVEL_NAMES[session.level],
                                                      level_bar=bars[session.level])
        msgs: list = [SystemMessage(system)]
        for t in session.threads:
            for e in t.exchanges:
                msgs.append(AIMessage(e.asked))
                if e.answer is not None:
                    msgs.append(HumanMessage(e.answer))
        if plan.kind == "question":
            msgs.append(SystemMessage(prompt("round_opening").format(question=plan.text)))
        else:
            thread = session.threads[-1]
            crit = session.rubric.criterion(plan.criterion_id or "")
            open_crit = [c.name for c in session.rubric.criteria if not thread.evidenced(c.id) and c.id != crit.id]
            asked = [e.asked for e in thread.exchanges if e.plan.kind == "follow_up"]
            declined = [session.rubric.criterion(c).name for c in thread.declined]
            msgs.append(SystemMessage(prompt("follow_up").format(
                criterion_name=crit.name, criterion_question=crit.question, open_criteria=", ".join(open_crit) or "none",
                asked="; ".join(asked) or "none", declined=", ".join(declined) or "none", probe=plan.text)))
        return msgs

    async def ask(self, plan: TurnPlan, session: Session) -> AsyncIterator[str]:
        import time

        if plan.kind == "follow_up" and plan.criterion_id is None:
            yield plan.text  # bringing the candidate back to the question: said as written
            return
        t0 = time.perf_counter()
        self.first_token_s = None
        try:
            async with asyncio.timeout(2 * self.timeout if self.timeout else None) as until_first_words:
                chunks = self.llm.astream(self.messages(plan, session), extra_body={"max_tokens": self.max_tokens})
                async for piece in self._without_think(chunks):
                    if self.first_token_s is None:
                        self.first_token_s = time.perf_counter() - t0
                        until_first_words.reschedule(None)  # from here the client's read timeout bounds each chunk
                    yield piece
        except Exception as exc:  # noqa: BLE001
            raise explain(exc, model=self.name, base_url=self.base_url, listed=await listed_models(self.llm, exc),
                          **self.error_context) from exc

    @staticmethod
    async def _without_think(chunks) -> AsyncIterator[str]:
        """The streamed text with ``<think>...</think>`` reasoning blocks dropped as they stream."""
        in_think = False
        async for chunk in chunks:
            text = chunk.content if isinstance(chunk.content, str) else ""
            out = []
            while text:
                if in_think:
                    end = text.find("</think>")
                    in_think, text = (True, "") if end < 0 else (False, text[end + 8:])
                else:
                    start = text.find("<think>")
                    if start < 0:
                        out.append(text)
                        text = ""
                    else:
                        out.append(text[:start])
                        in_think, text = True, text[start + 7:]
            if piece := "".join(out):
                yield piece
