"""Rubrics and the question bank: YAML data under ``rubrics/``, validated by pydantic.

A rubric file describes one round (or the STAR-story rubric used for written stories).
Each criterion carries level anchors for scores 1-4 (1 strong no hire, 2 lean no hire,
3 lean hire, 4 strong hire), the positive and negative signals an interviewer looks for,
the offline detectors that feed it, the probes (follow-up questions) to ask when an answer
leaves it without evidence, and ``source``: the seed file(s) in ``../shared/seeds/`` that
the signal was paraphrased from.

Errors: every problem with a file is raised as :class:`RubricError`, whose ``str()`` is one
line naming the file, the YAML line where there is one, what is wrong and how to fix it.
"""

from __future__ import annotations

import difflib
import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal, Mapping, Sequence

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator, model_validator

from interviewer.paths import rubrics_dir, seeds_dir

Level = Literal["L4", "L5", "L6"]
LEVELS: tuple[str, ...] = ("L4", "L5", "L6")
LEVEL_NAMES = {"L4": "L4 mid", "L5": "L5 senior", "L6": "L6 staff"}

RoundId = Literal["recruiter_screen", "coding", "system_design", "behavioral", "hiring_manager"]
ROUNDS: tuple[str, ...] = ("recruiter_screen", "coding", "system_design", "behavioral", "hiring_manager")

SEED_NAME = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")
SLUG = r"^[a-z][a-z0-9_]*$"

Score = Annotated[int, Field(ge=1, le=4)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_anchors(anchors: dict[int, str], *, complete: bool) -> dict[int, str]:
    bad = sorted(k for k in anchors if k not in (1, 2, 3, 4))
    if bad:
        raise ValueError(f"anchor keys must be scores 1-4, got {bad}")
    if complete and sorted(anchors) != [1, 2, 3, 4]:
        missing = sorted({1, 2, 3, 4} - set(anchors))
        raise ValueError(f"anchors for scores {missing} are missing; write one observable behaviour per score 1-4")
    if any(not str(v).strip() for v in anchors.values()):
        raise ValueError("an anchor is empty; describe the observable behaviour for that score")
    return anchors


class Signals(_Strict):
    """What an interviewer listens for: ``positive`` raises a criterion, ``negative`` lowers it."""

    positive: list[str] = Field(min_length=1)
    negative: list[str] = Field(min_length=1)


class DetectorRef(_Strict):
    """One offline detector feeding a criterion.

    ``effect`` is ``support`` (each finding adds ``weight`` points, at most ``max_count``
    findings count) or ``against`` (each finding removes ``weight`` points, likewise).
    """

    id: str = Field(pattern=SLUG)
    effect: Literal["support", "against"] = "support"
    weight: float = Field(default=1.0, gt=0, le=4)
    max_count: int = Field(default=2, ge=1, le=10)


class Cap(_Strict):
    """An upper bound on a criterion's score: ``max`` (1-3) applies unless a finding from one of
    ``unless`` is present. ``levels`` restricts the cap to those levels (all levels when empty)."""

    max: int = Field(ge=1, le=3)
    unless: list[str] = Field(min_length=1)
    levels: list[Level] = Field(default_factory=list)
    reason: str = Field(min_length=1)


class Criterion(_Strict):
    """One criterion of a rubric.

    ``weight`` is its share of the overall (the weights of a rubric sum to 1).
    ``thresholds`` are the net detector points needed for a 2, a 3 and a 4 (ascending);
    ``level_thresholds`` replaces them at a level where the seeds raise or lower the bar.
    ``applies_when`` is a regular expression on the question: when it does not match and no
    supporting evidence was found, the criterion is not scored (``null``) for that answer.
    ``concept``: the kind of evidence the criterion reads, shared across rubrics (``impact`` is
    the behavioral, hiring-manager and recruiter outcome and the STAR result): the evidence
    tagger learns each concept from every rubric's sentences (default: the criterion id).
    """


    id: str = Field(pattern=SLUG)
    name: str = Field(min_length=1)
    concept: str | None = Field(default=None, pattern=SLUG)
    weight: float = Field(gt=0, le=1)
    question: str = Field(min_length=1)
    anchors: dict[int, str]
    level_anchors: dict[Level, dict[int, str]] = Field(default_factory=dict)
    signals: Signals
    detectors: list[DetectorRef] = Field(min_length=1)
    thresholds: tuple[float, float, float] = (1.0, 2.0, 3.5)
    level_thresholds: dict[Level, tuple[float, float, float]] = Field(default_factory=dict)
    caps: list[Cap] = Field(default_factory=list)
    applies_when: str | None = None
    probes: list[str] = Field(min_length=1)
    source: list[str] = Field(min_length=1)

    @field_validator("anchors")
    @classmethod
    def _anchors_complete(cls, v: dict[int, str]) -> dict[int, str]:
        return _check_anchors(v, complete=True)

    @field_validator("level_anchors")
    @classmethod
    def _level_anchors_valid(cls, v: dict[str, dict[int, str]]) -> dict[str, dict[int, str]]:
        for anchors in v.values():
            _check_anchors(anchors, complete=False)
        return v

    @field_validator("thresholds")
    @classmethod
    def _ascending(cls, v: tuple[float, float, float]) -> tuple[float, float, float]:
        if not v[0] <= v[1] <= v[2]:
            raise ValueError(f"thresholds must ascend (points for a 2, a 3, a 4), got {list(v)}")
        return v

    @field_validator("level_thresholds")
    @classmethod
    def _level_ascending(cls, v: dict[str, tuple[float, float, float]]) -> dict:
        for t in v.values():
            cls._ascending(t)
        return v

    @field_validator("applies_when")
    @classmethod
    def _regex_compiles(cls, v: str | None) -> str | None:
        if v is not None:
            try:
                re.compile(v)
            except re.error as exc:
                raise ValueError(f"applies_when is not a valid regular expression: {exc}") from None
        return v

    @field_validator("source")
    @classmethod
    def _seed_names(cls, v: list[str]) -> list[str]:
        for name in v:
            if not SEED_NAME.match(name):
                raise ValueError(f"source {name!r} is not a seed file name like 001_7dc7f7af5065ad9c.txt")
        return v

    @property
    def evidence_kind(self) -> str:
        """:attr:`concept`, or the criterion id when none is given."""
        return self.concept or self.id

    def anchor(self, score: int, level: str) -> str:
        """The level anchor text for ``score`` (1-4) at ``level``, falling back to the default."""
        return self.level_anchors.get(level, {}).get(score) or self.anchors[score]

    def caps_in_force(self, level: str, found: Mapping[str, Sequence[object]]) -> list[Cap]:
        """The caps that bind at ``level`` given detector findings ``found`` (detector id ->
        findings): those for the level with none of their ``unless`` detectors found."""
        return [cap for cap in self.caps if (not cap.levels or level in cap.levels) and not any(found.get(u) for u in cap.unless)]

    def thresholds_for(self, level: str) -> tuple[float, float, float]:
        """Net points needed for a 2, a 3 and a 4 at ``level``."""
        return self.level_thresholds.get(level, self.thresholds)


class Rubric(_Strict):
    """A validated rubric. ``round`` is a round id or ``story`` for the STAR-story rubric.
    ``min_words``: answers shorter than this give no basis, so every criterion is ``null``."""

    kind: Literal["rubric"] = "rubric"
    id: str = Field(pattern=SLUG)
    version: int = Field(ge=1)
    name: str
    round: RoundId | Literal["story"]
    description: str
    min_words: int = Field(default=25, ge=1)
    criteria: list[Criterion] = Field(min_length=1)

    @model_validator(mode="after")
    def _weights_and_ids(self) -> Rubric:
        ids = [c.id for c in self.criteria]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion ids repeat: {dupes}; give each criterion its own id")
        total = sum(c.weight for c in self.criteria)
        if abs(total - 1.0) > 0.005:
            raise ValueError(f"criterion weights sum to {total:.3f}, not 1")
        for c in self.criteria:  # the level only ever raises the bar
            lows = [c.thresholds_for(lv) for lv in LEVELS]
            if any(a[i] > b[i] for a, b in zip(lows, lows[1:]) for i in range(3)):
                raise ValueError(f"criterion {c.id}: thresholds fall from one level to the next ({lows}); a higher level may only raise them")
            for cap in c.caps:
                if cap.levels and any(LEVELS.index(lv) < LEVELS.index(hi) and lv in cap.levels and hi not in cap.levels
                                      for lv in LEVELS for hi in LEVELS):
                    raise ValueError(f"criterion {c.id}: a cap for {cap.levels} must apply at every higher level too")
        return self

    @property
    def detector_ids(self) -> list[str]:
        """Every detector the rubric's criteria and caps read, sorted (what a grader must run)."""
        return sorted({d.id for c in self.criteria for d in c.detectors} | {u for c in self.criteria for cap in c.caps for u in cap.unless})

    def criterion(self, criterion_id: str) -> Criterion:
        """The criterion with ``criterion_id``. Raises ``KeyError`` naming the known ids."""
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(f"rubric {self.id!r} has no criterion {criterion_id!r}; known: {', '.join(c.id for c in self.criteria)}")


StoryTypeId = Literal["technical_tradeoff", "production_incident", "conflict", "changed_mind", "missed_goal", "raised_bar"]
ThemeId = Literal["ownership", "judgment", "candor", "freedom_responsibility", "context_not_control"]


class Question(_Strict):
    """A question from the bank and what it asks.

    ``levels``: the levels it suits; ``targets``: the criteria it is mainly about (probed first);
    ``calls_for``: the criterion ids an answer must show (a criterion left out is not applicable
    unless the answer shows it; empty: every criterion the rubric applies to the question);
    ``story_types``: the seed story types an answer may be (empty: any, or not a story question);
    ``themes``: the culture themes it probes; ``topic``/``topic_terms``: the system or problem it
    names and words an answer to it would use (design and coding); ``asks``: one line on what an
    answer must be about; ``source``: the seed files it is built from."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    text: str = Field(min_length=10)
    levels: list[Level] = Field(min_length=1)
    targets: list[str] = Field(default_factory=list)
    calls_for: list[str] = Field(default_factory=list)
    story_types: list[StoryTypeId] = Field(default_factory=list)
    themes: list[ThemeId] = Field(default_factory=list)
    topic: str | None = None
    topic_terms: list[str] = Field(default_factory=list)
    asks: str | None = None
    source: list[str] = Field(min_length=1)

    @field_validator("source")
    @classmethod
    def _seed_names(cls, v: list[str]) -> list[str]:
        return Criterion._seed_names(v)


class QuestionBank(_Strict):
    """Questions per round (``rounds``: round id -> questions)."""

    kind: Literal["question_bank"]
    version: int = Field(ge=1)
    rounds: dict[RoundId, list[Question]]
    _keys: dict[str, Question] | None = PrivateAttr(default=None)

    def for_round(self, round_id: str, level: str) -> list[Question]:
        """Questions of ``round_id`` suited to ``level``, in file order."""
        return [q for q in self.rounds.get(round_id, []) if level in q.levels]

    def get(self, question_id: str) -> Question:
        """The question with ``question_id``. Raises ``KeyError`` (one line) for an unknown id."""
        for qs in self.rounds.values():
            for q in qs:
                if q.id == question_id:
                    return q
        raise KeyError(f"no question {question_id!r} in the bank — fix: use an id from rubrics/questions.yaml")

    def round_of(self, question_id: str) -> str:
        """The round a bank question belongs to. Raises ``KeyError``."""
        for rid, qs in self.rounds.items():
            if any(q.id == question_id for q in qs):
                return rid
        raise KeyError(f"no question {question_id!r} in the bank")

    def find(self, text: str) -> Question | None:
        """The bank question whose text is ``text`` (ignoring case, spacing and punctuation), or
        that ``text`` quotes whole with a few words around it ("Write up a STAR story answering:
        <bank question>"), or None."""
        key = _question_key(text)
        got = self._by_key.get(key)
        if got is not None or not key:
            return got
        inside = [(k, q) for k, q in self._by_key.items() if f" {k} " in f" {key} " and len(key.split()) <= len(k.split()) + 8]
        return max(inside, key=lambda kq: len(kq[0]))[1] if inside else None

    @property
    def _by_key(self) -> dict[str, Question]:
        if self._keys is None:
            self._keys = {_question_key(q.text): q for qs in self.rounds.values() for q in qs}
        return self._keys


def _question_key(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


class ExampleAnswer(_Strict):
    """An example answer written for the project (not a real candidate's), with the lines on
    ``why`` it earns its band."""

    answer: str = Field(min_length=20)
    why: list[str] = Field(min_length=1)


class Exemplar(_Strict):
    """A bank question's two example answers at ``level``: ``strong`` (band 4, strong hire) and
    ``weak`` (band 2, lean no hire)."""

    level: Level
    strong: ExampleAnswer
    weak: ExampleAnswer


class Exemplars(_Strict):
    """Example answers by bank question id (``rubrics/exemplars.yaml``)."""

    kind: Literal["exemplars"]
    version: int = Field(ge=1)
    questions: dict[str, Exemplar]


class RubricError(Exception):
    """A rubric or question-bank file that cannot be used. ``str()`` is one line:
    ``PATH:LINE: what is wrong — fix: what to do``."""

    def __init__(self, path: Path | str, message: str, fix: str, line: int | None = None):
        self.path, self.message, self.fix, self.line = Path(path), message, fix, line
        where = f"{path}:{line}" if line else f"{path}"
        super().__init__(f"{where}: {message} — fix: {fix}")


# --------------------------------------------------------------------------- locating




# --------------------------------------------------------------------------- loading


def _node_line(root: yaml.Node | None, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at pydantic error location ``loc`` (deepest found)."""
    node, line = root, None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            nxt = None
            for k, v in node.value:
                if str(k.value) == str(part):
                    nxt = v
                    line = k.start_mark.line + 1
                    break
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
        else:
            break
    if node is not None:
        line = node.start_mark.line + 1
    return line


def _read_yaml(path: Path) -> tuple[Any, str]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RubricError(path, "file not found", "check the path, or run `interviewer rubrics list`") from None
    except IsADirectoryError:
        raise RubricError(path, "is a folder, not a rubric file", f"name a file in it, e.g. {path / 'behavioral.yaml'}") from None
    except OSError as exc:
        raise RubricError(path, f"cannot read ({exc.strerror})", "check the path and its permissions") from None
    except UnicodeDecodeError:
        raise RubricError(path, "not UTF-8 text", "save the file as UTF-8 YAML") from None
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RubricError(
            path, f"invalid YAML: {problem}", "correct the YAML syntax at that line (indentation, colons, quotes)",
            mark.line + 1 if mark else None,
        ) from None
    if not isinstance(data, dict):
        raise RubricError(path, "expected a mapping at the top of the file", "start the file with `kind: rubric` and `id: ...`", 1)
    return data, text


def _compose(text: str) -> yaml.Node | None:
    """The YAML node tree (with line marks), built only when an error needs a line number."""
    return yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _validation_error(path: Path, exc: ValidationError, text: str) -> RubricError:
    err = exc.errors()[0]
    loc = tuple(err["loc"])
    dotted = ".".join(str(p) for p in loc) or "(top level)"
    msg = err["msg"].removeprefix("Value error, ")
    if err["type"] == "missing":
        fix = f"add the field `{loc[-1]}`"
    elif err["type"] == "extra_forbidden":
        fix = f"remove or rename `{loc[-1]}` (unknown field)"
    elif "weights sum" in msg:
        fix = "make the criterion weights add up to 1"
    else:
        fix = "correct the value as the message says"
    more = len(exc.errors()) - 1
    suffix = f" (+{more} more)" if more else ""
    return RubricError(path, f"{dotted}: {msg}{suffix}", fix, _node_line(_compose(text), loc))


def load_rubric(path: Path | str) -> Rubric:
    """Load and validate one rubric file.

    Raises :class:`RubricError` for unreadable files, invalid YAML, schema errors (missing
    fields, weights that do not sum to 1) and detectors the offline grader does not know.
    """
    from interviewer.grading.evidence import DETECTORS

    path = Path(path)
    data, text = _read_yaml(path)
    if data.get("kind", "rubric") != "rubric":
        raise RubricError(path, f"kind is {data.get('kind')!r}, not 'rubric'", "point at a rubric file", 1)
    try:
        rubric = Rubric.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path, exc, text) from None
    seeds = seeds_dir()
    for ci, crit in enumerate(rubric.criteria):
        for si, name in enumerate(crit.source):
            if seeds is not None and not (seeds / name).is_file():
                raise RubricError(path, f"criteria.{crit.id}: source {name!r} is not in {seeds}",
                                  "cite the seed file the signal comes from", _node_line(_compose(text), ("criteria", ci, "source", si)))
        refs = [(("criteria", ci, "detectors", di, "id"), d.id) for di, d in enumerate(crit.detectors)]
        refs += [(("criteria", ci, "caps", ki, "unless"), u) for ki, cap in enumerate(crit.caps) for u in cap.unless]
        for loc, det in refs:
            if det not in DETECTORS:
                close = difflib.get_close_matches(det, DETECTORS, n=3, cutoff=0.6)
                fix = (f"did you mean {' or '.join(repr(c) for c in close)}?" if close
                       else "use a detector id from interviewer/grading/evidence/ (none is close to this one)")
                raise RubricError(path, f"criteria.{crit.id}: unknown detector {det!r}", fix, _node_line(_compose(text), loc))
    return rubric


def load_question_bank(path: Path | str | None = None) -> QuestionBank:
    """Load ``rubrics/questions.yaml`` (or ``path``), once per path. Raises :class:`RubricError`."""
    return _load_question_bank(Path(path) if path else rubrics_dir() / "questions.yaml")


@lru_cache(maxsize=4)
def _load_question_bank(path: Path) -> QuestionBank:
    data, text = _read_yaml(path)
    try:
        return QuestionBank.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path, exc, text) from None


def load_exemplars(path: Path | str | None = None) -> Exemplars:
    """Load ``rubrics/exemplars.yaml`` (or ``path``), once per path. Raises
    :class:`RubricError` for a file that cannot be used and ``FileNotFoundError`` when there is
    none."""
    path = Path(path) if path else rubrics_dir() / "exemplars.yaml"
    if not _is_file(path):
        raise FileNotFoundError(path)
    return _load_exemplars(path)


@lru_cache(maxsize=8)
def _is_file(path: Path) -> bool:
    return path.is_file()


@lru_cache(maxsize=4)
def _load_exemplars(path: Path) -> Exemplars:
    data, text = _read_yaml(path)
    try:
        return Exemplars.model_validate(data)
    except ValidationError as exc:
        raise _validation_error(path, exc, text) from None


def load_file(path: Path | str) -> Rubric | QuestionBank | Exemplars:
    """A rubric, the question bank or the exemplars, told apart by the file's ``kind``
    (``question_bank``, ``exemplars``, else a rubric). Raises :class:`RubricError`."""
    data, _ = _read_yaml(Path(path))
    if data.get("kind") == "exemplars":
        return load_exemplars(path)
    return load_question_bank(path) if data.get("kind") == "question_bank" else load_rubric(path)


def rubric_files(directory: Path | None = None) -> list[Path]:
    """Rubric YAML files in ``directory`` (default :func:`rubrics_dir`), the question bank excluded."""
    directory = directory or rubrics_dir()
    return sorted(p for p in directory.glob("*.yaml") if p.name not in ("questions.yaml", "exemplars.yaml"))


@lru_cache(maxsize=1)
def _all_rubrics(directory: str) -> dict[str, Rubric]:
    out: dict[str, Rubric] = {}
    for p in rubric_files(Path(directory)):
        r = load_rubric(p)
        if r.id in out:
            raise RubricError(p, f"rubric id {r.id!r} is used by another file too", "give each rubric its own id", 1)
        out[r.id] = r
    return out


def all_rubrics() -> dict[str, Rubric]:
    """Every rubric in :func:`rubrics_dir`, by id (loaded once). Raises :class:`RubricError`."""
    return _all_rubrics(str(rubrics_dir()))


def get_rubric(rubric_id: str) -> Rubric:
    """The rubric with ``rubric_id``, or a path to a rubric file.

    Raises :class:`RubricError` for a bad file and ``KeyError`` (one line, with the known ids)
    for an unknown id."""
    if rubric_id.endswith((".yaml", ".yml")) or os.sep in rubric_id:
        return load_rubric(rubric_id)
    rubrics = all_rubrics()
    if rubric_id not in rubrics:
        raise KeyError(f"unknown rubric {rubric_id!r} — fix: use one of {', '.join(sorted(rubrics))} (see `interviewer rubrics list`) or a rubric file's path")
    return rubrics[rubric_id]


def rubric_for_round(round_id: str) -> Rubric:
    """The rubric used to score answers in ``round_id`` (its ``round`` field matches).
    Raises ``KeyError`` for a round no rubric covers."""
    return _rubric_for_round(str(rubrics_dir()), round_id)


@lru_cache(maxsize=16)
def _rubric_for_round(directory: str, round_id: str) -> Rubric:
    for r in _all_rubrics(directory).values():
        if r.round == round_id:
            return r
    raise KeyError(f"no rubric for round {round_id!r}; rounds: {', '.join(ROUNDS)}")
