"""Batch grading: written answers from files, graded with the same rubrics as practice.

Inputs:

* ``.md`` / ``.txt``: one story per file, or several under ``## `` headings (a heading may
  carry the question: ``## Q: Tell me about...`` or a heading ending in ``?``). A story's id
  is its file's stem, plus its heading's slug when there are several.
* ``.jsonl``: one object a line with ``id``, ``answer``, optional ``question``, ``round`` and
  ``rubric`` (other keys are ignored).
* ``.csv``: a header row naming the columns ``id``, ``answer``, optional ``question``,
  ``round`` and ``rubric`` (other columns are ignored), then one item a row.
* ``-``: standard input, read as Markdown/text (or JSONL when every line is an object).

An item's rubric (:func:`rubric_for`): a forced rubric (``--rubric``), else the item's
``rubric`` id, else its ``round`` (a round id, or a rubric id such as ``star_story``), else
``behavioral``.

Bad input (missing, empty, binary or non-UTF-8 files, files over :data:`MAX_FILE_BYTES`,
JSONL lines that are not objects, CSV rows that do not fit the header, unknown rounds or
rubrics) becomes a failed result whose reason is one line naming the file and line; the other
items are still graded.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import io
import json
import re
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from interviewer.paths import cache_dir
from interviewer.rubrics import LEVELS, ROUNDS, Rubric, RubricError, all_rubrics, rubric_for_round
from interviewer.grading import OfflineGrader
from interviewer.scoring import AnswerScore, Grader

#: files larger than this (bytes) are refused: 8 MiB is thousands of answers
MAX_FILE_BYTES = 8 << 20


@dataclass(frozen=True)
class Item:
    """One answer to grade. ``source`` is ``path`` or ``path:line``; ``round`` and ``rubric``
    are as the input named them (checked when the item is graded, see :func:`rubric_for`)."""

    id: str
    answer: str
    source: str
    question: str | None = None
    round: str | None = None
    rubric: str | None = None
    level: str | None = None


@dataclass(frozen=True)
class InputError:
    """An input that could not become an item; ``message`` is one line naming the file and line."""

    id: str
    source: str
    message: str


@dataclass(frozen=True)
class Result:
    """An item's outcome: ``score`` when graded, ``error`` (one line) when it failed."""

    id: str
    source: str
    question: str | None
    score: AnswerScore | None = None
    error: str | None = None

    @property
    def status(self) -> str:
        return "failed" if self.error else self.score.status  # type: ignore[union-attr]

    @property
    def model_failed(self) -> bool:
        """Unscored because the model's output failed validation (its raw output is kept), as
        opposed to unscored because the answer gave no basis."""
        return self.score is not None and self.score.status == "unscored" and self.score.raw_output is not None


@dataclass(frozen=True)
class Summary:
    """Counts of a batch: ``scored``, ``unscored`` (of which ``model_failed`` because the model's
    output failed validation, the rest because the answer gave no basis) and ``failed``."""

    scored: int
    unscored: int
    model_failed: int
    failed: int

    @classmethod
    def of(cls, results: list[Result]) -> Summary:
        return cls(scored=sum(r.status == "scored" for r in results), unscored=sum(r.status == "unscored" for r in results),
                   model_failed=sum(r.model_failed for r in results), failed=sum(r.status == "failed" for r in results))

    @property
    def total(self) -> int:
        return self.scored + self.unscored + self.failed


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:48] or "story"


_QUESTION_HEADING = re.compile(r"^(?:Q|Question)\s*[:.\-]\s*(.+)$", re.IGNORECASE)


def parse_markdown(text: str, stem: str, source: str) -> list[Item | InputError]:
    """Split Markdown/text into stories at ``## `` headings (none: one story)."""
    parts = re.split(r"(?m)^##[ \t]+(.+?)[ \t]*$", text)
    preamble, sections = parts[0], list(zip(parts[1::2], parts[2::2]))
    if not sections:
        body = text.strip()
        if not body:
            return [InputError(stem, source, f"{source}: the file is empty — fix: write the story in it")]
        return [Item(stem, body, source)]
    out: list[Item | InputError] = []
    line = preamble.count("\n") + 1
    seen: dict[str, int] = {}
    for heading, body in sections:
        m = _QUESTION_HEADING.match(heading)
        question = m.group(1).strip() if m else (heading.strip() if heading.strip().endswith("?") else None)
        sid = f"{stem}#{_slug(heading)}"
        seen[sid] = seen.get(sid, 0) + 1
        if seen[sid] > 1:
            sid += f"-{seen[sid]}"
        here = f"{source}:{line}"
        if body.strip():
            out.append(Item(sid, body.strip(), here, question))
        else:
            out.append(InputError(sid, here, f"{here}: the story under '## {heading}' is empty — fix: write the answer under the heading or remove it"))
        line += 1 + body.count("\n")
    return out


#: JSON's names for what ``json.loads`` returns
_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean", type(None): "null"}


def _item(fields: dict, where: str, fallback_id: str, fix_answer: str) -> Item | InputError:
    """An item from the fields of a JSONL object or CSV row (``id``, ``answer``, ``question``,
    ``round``, ``rubric``); blank optional fields count as absent."""
    iid = str(fields.get("id") or "").strip() or fallback_id
    answer = fields.get("answer")
    if not isinstance(answer, str) or not answer.strip():
        return InputError(iid, where, f"{where}: item {iid!r} has no answer text — fix: {fix_answer}")
    opt: dict[str, str | None] = {}
    for key in ("question", "round", "rubric", "level"):
        value = fields.get(key)
        if value is not None and not isinstance(value, str):
            return InputError(iid, where, f"{where}: item {iid!r} has a {key!r} that is not text — fix: write it as a string")
        opt[key] = value.strip() if value and value.strip() else None
    level = opt["level"].upper() if opt["level"] else None
    if level is not None and level not in LEVELS:
        return InputError(iid, where, f"{where}: item {iid!r} has level {opt['level']!r} — fix: use one of {', '.join(LEVELS)}")
    return Item(iid, answer.strip(), where, opt["question"], opt["round"], opt["rubric"], level)


def parse_jsonl(text: str, stem: str, source: str) -> list[Item | InputError]:
    """One JSON object a line: ``id``, ``answer``, optional ``question``, ``round``, ``rubric``."""
    out: list[Item | InputError] = []
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        where = f"{source}:{n}"
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            at = "" if exc.msg.endswith(" at") else " at"  # json's messages end "...starting at" or not
            out.append(InputError(f"{stem}:{n}", where, f"{where}: not valid JSON ({exc.msg}{at} column {exc.colno}) — fix: one JSON object per line"))
            continue
        if not isinstance(obj, dict):
            kind = _JSON_TYPES.get(type(obj), type(obj).__name__)
            out.append(InputError(f"{stem}:{n}", where, f"{where}: the line is {kind}, not an object — fix: write {{\"id\": ..., \"answer\": ...}}"))
            continue
        out.append(_item(obj, where, f"{stem}:{n}", 'give it a non-empty "answer" string'))
    if not out:
        out.append(InputError(stem, source, f"{source}: no items in the file — fix: one JSON object per line"))
    return out


def parse_csv(text: str, stem: str, source: str) -> list[Item | InputError]:
    """A header row naming ``id``, ``answer`` and optional ``question``, ``round``, ``rubric``
    columns (any order and case, other columns ignored), then one item a row; an item's
    ``source`` is ``path:line`` of its row's first line. Blank lines are skipped; a row that
    is not valid CSV fails alone."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    out: list[Item | InputError] = []
    header: list[str] | None = None
    n = 0
    while True:
        start = reader.line_num + 1
        where = f"{source}:{start}"
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            n += header is not None
            out.append(InputError(f"{stem}:{n}", where, f"{where}: not valid CSV ({exc}) — fix: put fields that contain commas, quotes or line breaks in double quotes"))
            continue
        if not any(f.strip() for f in fields):
            continue
        if header is None:
            header = [h.strip().lower() for h in fields]
            if "answer" not in header:
                return [InputError(stem, where, f"{where}: no 'answer' column in the header row — fix: start the file with a header such as id,question,answer")]
            continue
        n += 1
        if len(fields) != len(header):
            fix = "quote answers that contain commas" if len(fields) > len(header) else "give every column, even if empty"
            out.append(InputError(f"{stem}:{n}", where, f"{where}: row {n} has {len(fields)} fields but the header has {len(header)} — fix: {fix}"))
        else:
            out.append(_item(dict(zip(header, fields)), where, f"{stem}:{n}", "fill in its answer column"))
    if not out:
        out.append(InputError(stem, source, f"{source}: no rows under the header — fix: one item a row"))
    return out


def _too_big(size: int, stem: str, source: str) -> InputError | None:
    if size <= MAX_FILE_BYTES:
        return None
    return InputError(stem, source, f"{source}: {size / (1 << 20):.1f} MiB is over the {MAX_FILE_BYTES >> 20} MiB limit — fix: split it into smaller files")


def _decode(data: bytes, source: str) -> str | InputError:
    stem = Path(source).stem if source != "<stdin>" else "stdin"
    if too_big := _too_big(len(data), stem, source):
        return too_big
    if b"\x00" in data:
        return InputError(stem, source, f"{source}: binary file (contains NUL bytes) — fix: give a .md, .txt, .jsonl or .csv text file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return InputError(stem, source, f"{source}: not UTF-8 text (bad byte at offset {exc.start}) — fix: save it as UTF-8")


#: the files a folder given as input contributes (others in it, e.g. labels.json, are left out)
INPUT_SUFFIXES = (".md", ".markdown", ".txt", ".jsonl", ".csv")


def expand(paths: Iterable[str]) -> Iterator[str]:
    """``paths`` with each folder replaced by its input files (:data:`INPUT_SUFFIXES`, sorted,
    hidden files left out); a folder with none is kept, to be reported as an error."""
    for p in paths:
        path = Path(p)
        if p != "-" and path.is_dir():
            files = sorted(str(f) for f in path.iterdir() if f.is_file() and f.suffix.lower() in INPUT_SUFFIXES
                           and not f.name.startswith("."))
            if files:
                yield from files
                continue
        yield p


def read_inputs(paths: Iterable[str], stdin: bytes | None = None) -> Iterator[Item | InputError]:
    """Items and input errors from ``paths`` (files, folders of them, or ``-`` for ``stdin``
    bytes), in order."""
    for p in expand(paths):
        if p == "-":
            data = stdin if stdin is not None else sys.stdin.buffer.read()
            source, stem, suffix = "<stdin>", "stdin", ""
        else:
            path = Path(p)
            source, stem, suffix = str(path), path.stem, path.suffix.lower()
            if path.is_dir():
                yield InputError(stem, source, f"{source}: a folder with no .md, .txt, .jsonl or .csv files — fix: put the answers in such files")
                continue
            try:
                if too_big := _too_big(path.stat().st_size, stem, source):
                    yield too_big
                    continue
                data = path.read_bytes()
            except OSError as exc:
                yield InputError(stem, source, f"{source}: cannot read ({exc.strerror}) — fix: check the path")
                continue
        text = _decode(data, source)
        if isinstance(text, InputError):
            yield text
            continue
        if not text.strip():
            yield InputError(stem, source, f"{source}: the input is empty — fix: give at least one answer")
            continue
        is_jsonl = suffix == ".jsonl" or (p == "-" and all(line.lstrip().startswith("{") for line in text.splitlines() if line.strip()))
        parse = parse_csv if suffix == ".csv" else parse_jsonl if is_jsonl else parse_markdown
        yield from parse(text, stem, source)


def rubric_for(item: Item, forced: Rubric | None = None) -> Rubric:
    """The rubric ``item`` is graded with: ``forced`` (``--rubric``) when given, else the
    item's ``rubric`` id, else its ``round`` (a round id, or a rubric id such as
    ``star_story``), else ``behavioral``. Raises ``ValueError`` (one line naming the item's
    source and the fix) for an unknown rubric or round, :class:`RubricError` for a broken
    rubric file."""
    if forced is not None:
        return forced
    known = all_rubrics()
    if item.rubric is not None:
        if item.rubric not in known:
            raise ValueError(f"{item.source}: item {item.id!r} names unknown rubric {item.rubric!r} — fix: use one of "
                             f"{', '.join(sorted(known))}, or pass --rubric")
        return known[item.rubric]
    if item.round is None:
        return known["behavioral"]
    if item.round in ROUNDS:
        try:
            return rubric_for_round(item.round)
        except KeyError as exc:
            raise ValueError(f"{item.source}: {exc.args[0]} — fix: add a rubric for that round to the rubrics folder, or pass --rubric") from None
    if item.round in known:
        return known[item.round]
    raise ValueError(f"{item.source}: item {item.id!r} has unknown round {item.round!r} — fix: use one of "
                     f"{', '.join(sorted({*ROUNDS, *known}))}, or pass --rubric")


def _resolve(it: Item | InputError, rubric: Rubric | None, level: str | None) -> tuple[Rubric, str] | Result:
    """The rubric and level ``it`` is graded at, or its failed result (an input error, or an
    unknown rubric or round)."""
    if isinstance(it, InputError):
        return Result(it.id, it.source, None, error=it.message)
    try:
        return rubric_for(it, rubric), level or it.level or "L5"
    except (RubricError, ValueError) as exc:
        return Result(it.id, it.source, it.question, error=str(exc))


def _grade_one(it: Item | InputError, rubric: Rubric | None, level: str | None, grader: Grader) -> Result:
    got = _resolve(it, rubric, level)
    if isinstance(got, Result):
        return got
    r, at = got
    try:
        return Result(it.id, it.source, it.question, score=grader.grade(it.answer, rubric=r, level=at, question=it.question))
    except ValueError as exc:
        return Result(it.id, it.source, it.question, error=f"{it.source}: {exc}")


#: offline batches at least this long are graded by one worker process per available core
PARALLEL_FROM = 200
_WORK: tuple = ()


def _grade_chunk(chunk: list[Item | InputError]) -> list[Result]:
    rubric, level, grader = _WORK
    return [_grade_one(it, rubric, level, grader) for it in chunk]


def _workers(n_items: int, grader: Grader) -> int:
    import multiprocessing
    import os

    if n_items < PARALLEL_FROM or not isinstance(grader, OfflineGrader) or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, 8))


def grade_items(items: Iterable[Item | InputError], *, rubric: Rubric | None = None, level: str | None = None,
                grader: Grader | None = None) -> Iterator[Result]:
    """Grade each item with its rubric (:func:`rubric_for`; ``rubric`` forces one) at ``level``
    when given, else the item's own level, else L5. Input errors pass through as failed
    results; one item's failure never stops the others. Results come in input order; a long
    offline batch (:data:`PARALLEL_FROM` items or more) is spread over one forked worker
    process per available core."""
    global _WORK
    grader = grader or OfflineGrader()
    items = list(items)
    workers = _workers(len(items), grader)
    if workers == 1:
        for it in items:
            yield _grade_one(it, rubric, level, grader)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    _WORK = (rubric, level, grader)  # inherited by the forked workers
    size = max(25, len(items) // (workers * 8))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        for results in pool.map(_grade_chunk, chunks):
            yield from results


class GradeCache:
    """Results of model graders by (rubric id and version, model, level, question, answer):
    re-grading an unchanged answer makes no call. SQLite in the user cache directory
    (``$INTERVIEWER_CACHE_DIR`` overrides)."""

    def __init__(self, path: Path | None = None):
        if path is None:
            cache_dir().mkdir(parents=True, exist_ok=True)
            path = cache_dir() / "grades.sqlite3"
        self.conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("CREATE TABLE IF NOT EXISTS grades (key TEXT PRIMARY KEY, score_json TEXT NOT NULL)")
        self.hits = 0

    @staticmethod
    def key(rubric: Rubric, grader_id: str, level: str, question: str | None, answer: str) -> str:
        raw = json.dumps([rubric.id, rubric.version, grader_id, level, question or "", answer])
        return hashlib.sha256(raw.encode()).hexdigest()

    def get(self, key: str) -> AnswerScore | None:
        row = self.conn.execute("SELECT score_json FROM grades WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self.hits += 1
        return AnswerScore.model_validate_json(row[0])

    def put(self, key: str, score: AnswerScore) -> None:
        self.conn.execute("INSERT OR REPLACE INTO grades VALUES (?, ?)", (key, score.model_dump_json()))


class BatchAborted(Exception):
    """A failure that would fail every remaining item too (server down, bad key, no such
    model); ``str()`` is the one-line explanation."""


async def agrade_items(items: list[Item | InputError], *, grader, rubric: Rubric | None = None, level: str | None = None,
                       concurrency: int = 1, cache: GradeCache | None = None, grader_id: str = "",
                       on_done=None) -> list[Result]:
    """Grade items with an async model grader (``grader.agrade``), at most ``concurrency`` at
    once, results in input order; the level is as in :func:`grade_items`. Cached results are reused; an answer whose model output
    failed validation is not cached, so the next run asks again. Raises :class:`BatchAborted` on a
    failure no later item can escape (connection, auth, missing model, wrong URL)."""
    from interviewer.llm import ModelError

    fatal = {"connection", "connect_timeout", "auth", "model_not_found", "wrong_url"}
    sem = asyncio.Semaphore(max(1, concurrency))

    async def one(it: Item | InputError) -> Result:
        try:
            got = _resolve(it, rubric, level)
            if isinstance(got, Result):
                return got
            r, at = got
            key = GradeCache.key(r, grader_id, at, it.question, it.answer) if cache else ""
            if cache and (hit := cache.get(key)) is not None:
                return Result(it.id, it.source, it.question, score=hit)
            async with sem:
                try:
                    score = await grader.agrade(it.answer, rubric=r, level=at, question=it.question)
                except ModelError as exc:
                    if exc.kind in fatal:
                        raise BatchAborted(str(exc)) from exc
                    return Result(it.id, it.source, it.question, error=f"{it.source}: {exc}")
            result = Result(it.id, it.source, it.question, score=score)
            if cache and not result.model_failed:  # a model output that failed validation is asked again next run
                cache.put(key, score)
            return result
        finally:
            if on_done:
                on_done()

    tasks = [asyncio.ensure_future(one(it)) for it in items]
    try:
        return list(await asyncio.gather(*tasks))
    except BatchAborted:
        for t in tasks:
            t.cancel()
        raise


def to_json(results: list[Result], *, grader_name: str) -> dict:
    """The documented JSON report (see README.md, "JSON output")."""
    items = []
    for r in results:
        if r.error:
            items.append({"id": r.id, "source": r.source, "status": "failed", "reason": r.error})
            continue
        s = r.score
        assert s is not None
        items.append({
            "id": r.id, "source": r.source, "question": r.question, "status": s.status, "reason": s.reason,
            "rubric": {"id": s.rubric_id, "version": s.rubric_version}, "level": s.level,
            "overall": s.overall.model_dump(), "word_count": s.word_count,
            "criteria": [{"id": c.id, "name": c.name, "score": c.score, "rationale": c.rationale,
                          "evidence": [e.model_dump() for e in c.evidence]} for c in s.criteria],
            "flags": [f.model_dump() for f in s.flags],
            "grader": s.grader.model_dump(exclude_none=True),
            "raw_output": s.raw_output,
        })
    n = Summary.of(results)
    return {"grader": grader_name, "summary": {"scored": n.scored, "unscored": n.unscored, "failed": n.failed}, "items": items}


def to_markdown(results: list[Result]) -> str:
    """A Markdown report: a summary table, then each item's criteria with quoted evidence, in
    the export's conventions (:func:`~interviewer.export.md_quote`): criterion names, quotes
    cut at a word boundary with "…", those that count against marked ``against:``."""
    from interviewer.export import score_markdown

    lines = ["# Grading report", "", "| id | status | overall | band |", "|---|---|---|---|"]
    for r in results:
        if r.error:
            lines.append(f"| {_cell(r.id)} | failed | | |")
        else:
            o = r.score.overall  # type: ignore[union-attr]
            lines.append(f"| {_cell(r.id)} | {r.status} | {o.score if o.score is not None else '—'} | {o.band_name or '—'} |")
    for r in results:
        lines += ["", f"## {r.id}", ""]
        if r.error:
            lines.append(f"**Failed:** {r.error}")
            continue
        s = r.score
        assert s is not None
        if r.question:
            lines.append(f"*Question:* {r.question}  ")
        lines.append(f"*Rubric:* {s.rubric_id} v{s.rubric_version} · *level:* {s.level} · *grader:* {s.grader.name}  ")
        if s.status == "unscored":
            lines.append(f"**Unscored:** {s.reason}")
            continue
        lines += score_markdown(s, "**Overall**")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """``text`` for a Markdown table cell: a ``|`` in it would end the cell."""
    return text.replace("|", "\\|")
