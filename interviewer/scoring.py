"""Scores: the result shapes every grader returns, and hire bands.

A criterion score is an int 1-4 (1 strong no hire, 2 lean no hire, 3 lean hire, 4 strong
hire), or ``None``: not applicable (the question does not call for the criterion and the answer
shows none of it) or unscored (a model's judgement failed validation), the reason in its
rationale. A criterion the question calls for that the answer does not show is a 1, "not
shown". The overall (1.0-4.0) is the weighted mean of the criteria scored, by the rubric's
weights, plus only named adjustments (:class:`Adjustment`, e.g. an answer off the question),
mapped to a hire band (1-4) by the cuts 1.75, 2.5 and 3.25.

The "who scores an answer" seam is :class:`Grader`; :class:`interviewer.grading.OfflineGrader`
and :class:`interviewer.llm.LLMGrader` implement it.
"""

from __future__ import annotations

from typing import Literal, Protocol, runtime_checkable

from pydantic import BaseModel, Field, computed_field

from interviewer.rubrics import Rubric

BAND_NAMES = {1: "strong no hire", 2: "lean no hire", 3: "lean hire", 4: "strong hire"}
#: weighted-mean cut points: below 1.75 is band 1, below 2.5 band 2, below 3.25 band 3, else 4
BAND_CUTS = (1.75, 2.5, 3.25)


def hire_band(overall: float) -> int:
    """Map an overall score (1.0-4.0) to a hire band 1-4."""
    return 1 + sum(overall >= c for c in BAND_CUTS)


class Evidence(BaseModel):
    """A quote from the answer. ``start``/``end``: character offsets (``answer[start:end] == quote``)."""

    quote: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    signal: str = Field(description="what the quote shows, e.g. 'a decision the candidate made personally'")
    effect: Literal["support", "against"] = "support"
    cut_before: bool = Field(default=False, description="the quote starts inside its sentence")
    cut_after: bool = Field(default=False, description="the quote ends inside its sentence")

    @property
    def shown(self) -> str:
        """The quote as displayed: an ellipsis where it was cut from its sentence."""
        return ("…" if self.cut_before else "") + self.quote + ("…" if self.cut_after else "")

    def clipped(self, limit: int) -> str:
        """:attr:`shown`, at most about ``limit`` characters, cut at a word boundary with an ellipsis."""
        return clip(self.shown, limit)


def clip(text: str, limit: int) -> str:
    """``text`` on one line, at most ``limit`` characters (plus an ellipsis), cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(",;:—- ") + "…"


class CriterionScore(BaseModel):
    """One criterion's score: ``score`` 1-4, or ``None`` with the reason in ``rationale``.

    ``applies`` is False when the question does not call for the criterion and the answer shows
    none of it (the score is then ``None``, "not applicable"). ``missing``, set on a 1 with no
    quote behind it, says what the answer did not show ("not shown: ..."). ``evidence``: the
    supporting quotes under a score of 2 or more (never under a 1), and the quotes that held
    the score down."""

    id: str
    name: str
    weight: float
    score: int | None = Field(default=None, ge=1, le=4)
    rationale: str
    evidence: list[Evidence] = Field(default_factory=list)
    applies: bool = True
    missing: str | None = None

    @property
    def has_support(self) -> bool:
        return any(e.effect == "support" for e in self.evidence)

    def note(self) -> str | None:
        """The line a reader sees where there is no quote to show: "not applicable: ..." for a
        criterion the question does not call for, "not shown: ..." for a 1 with nothing behind
        it, the reason for an unscored one; None when quotes tell the story."""
        if self.score is None:
            return "not applicable: the question does not call for it" if not self.applies else self.rationale
        if self.missing and not any(e.effect == "against" for e in self.evidence):
            return f"not shown: {self.missing}"
        if not self.evidence:
            return self.rationale
        return None


class Adjustment(BaseModel):
    """A named change to the overall, shown with its reason: ``points`` added to the criteria's
    weighted mean (negative: a deduction), on the 1-4 scale."""

    kind: Literal["off_question", "cap"]
    points: float
    reason: str


ADJUSTMENT_NAMES = {"off_question": "off the question", "cap": "capped"}


class Overall(BaseModel):
    """The overall score (1.0-4.0) and its hire band (1-4), or nulls when nothing was scored.

    ``mean`` is the weighted mean of the criteria scored (by the rubric's weights);
    ``score`` is ``mean`` plus the ``adjustments``' points, kept within 1.0-4.0."""

    score: float | None = None
    band: int | None = Field(default=None, ge=1, le=4)
    band_name: str | None = None
    mean: float | None = None
    adjustments: list[Adjustment] = Field(default_factory=list)

    def explanation(self) -> str | None:
        """How the score was reached, in one line a reader can check: the criteria's weighted
        mean, then each named adjustment with its points. None when nothing was scored."""
        if self.score is None or self.mean is None:
            return None
        parts = [f"the weighted mean of the criteria, {self.mean:.2f}"]
        for a in self.adjustments:
            parts.append(f"{a.points:+.2f} {ADJUSTMENT_NAMES.get(a.kind, a.kind)}")
        return "; ".join(parts) + (f" = {self.score:.2f}" if self.adjustments else "")

    @classmethod
    def of(cls, criteria: list[tuple[float, float | None]], adjustments: list[Adjustment] = ()) -> Overall:
        """From (weight, score) pairs; unscored criteria (score None) are left out. Each
        adjustment's points are added to the weighted mean, the result held within 1.0-4.0."""
        scored = [(w, s) for w, s in criteria if s is not None]
        if not scored:
            return cls()
        total = sum(w for w, _ in scored)
        mean = round(sum(w * s for w, s in scored) / total, 2)
        value = round(min(4.0, max(1.0, mean + sum(a.points for a in adjustments))), 2)
        band = hire_band(value)
        return cls(score=value, band=band, band_name=BAND_NAMES[band], mean=mean, adjustments=list(adjustments))


class GraderInfo(BaseModel):
    """Which grader produced a score: ``offline`` or a model id, with its settings."""

    name: str
    version: str
    model: str | None = None
    mode: str | None = None
    temperature: float | None = None
    calibration: str | None = Field(default=None, description="offline grader: a calibration file other than the shipped one")
    caveat: str | None = Field(default=None, description="what a reader should keep in mind about this grader's scores (a tiny model)")


class Flag(BaseModel):
    """Something a reader of the score should know first: ``off_question`` (the answer does not
    address the question asked), ``grader_address`` (text addressed to whoever scores, ignored),
    ``off_story`` (sentences outside the story, not counted) or ``tiny_model`` (a model too
    small to judge; its scores are a rough guide). ``evidence``: the quotes concerned."""

    kind: Literal["off_question", "grader_address", "off_story", "tiny_model"]
    message: str
    evidence: list[Evidence] = Field(default_factory=list)


STORY_TYPES = ("technical_tradeoff", "production_incident", "conflict", "changed_mind", "missed_goal", "raised_bar")
#: the six story types the seeds name (001_7dc7f7af5065ad9c.txt: "prepare six stories before the loop"), by id
STORY_TYPE_NAMES = {
    "technical_tradeoff": "a hard technical trade-off",
    "production_incident": "a production incident",
    "conflict": "a conflict with a peer or partner",
    "changed_mind": "a time you changed your mind",
    "missed_goal": "a project that missed its goal",
    "raised_bar": "raising the bar for a team",
    "other": "none of the six",
}
StoryType = Literal["technical_tradeoff", "production_incident", "conflict", "changed_mind", "missed_goal", "raised_bar", "other"]
#: culture themes the seeds name (001_7dc7f7af5065ad9c.txt, 002_9b518ee3c5b94179.txt, 004_dbb4a9cf52099089.txt)
THEME_NAMES = {
    "ownership": "ownership",
    "judgment": "individual judgment over consensus",
    "candor": "candid feedback",
    "freedom_responsibility": "freedom and responsibility",
    "context_not_control": "context over control",
}
Theme = Literal["ownership", "judgment", "candor", "freedom_responsibility", "context_not_control"]


class QuestionRead(BaseModel):
    """What the question asks, as the grader read it. ``source`` is ``bank`` (a question-bank
    entry, ``bank_id`` set) or ``read`` (inferred from the text). ``story_types``: the story types
    an answer may be (empty: any story, or not a story question); ``themes``: culture themes it
    probes; ``topic``: the system or problem named (design and coding); ``calls_for``: the
    criterion ids an answer must show (the others are not applicable unless shown); ``narrow``:
    a follow-up asking for one aspect ("What happens when the downstream service is slow?"), not
    a whole answer."""

    text: str | None = None
    source: Literal["bank", "read", "none"] = "none"
    bank_id: str | None = None
    story_types: list[StoryType] = Field(default_factory=list)
    themes: list[Theme] = Field(default_factory=list)
    topic: str | None = None
    calls_for: list[str] = Field(default_factory=list)
    narrow: bool = False


class StoryRead(BaseModel):
    """The story an answer tells: its ``type`` (one of the six, or ``other``), ``confidence``
    (0-1, the classifier's probability), the culture ``themes`` it shows, and ``evidence``: the
    sentences that mark the type."""

    type: StoryType
    confidence: float = Field(ge=0, le=1)
    themes: list[Theme] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)


class Relevance(BaseModel):
    """Whether the answer addresses the question asked: ``addresses`` (bool), ``probability``
    (0-1, the offline grader's fitted model; None for a model grader's yes or no) and ``reason``
    (one line a candidate can check)."""

    addresses: bool
    probability: float | None = Field(default=None, ge=0, le=1)
    reason: str


class AnswerScore(BaseModel):
    """A graded answer. ``status`` is ``scored`` (``overall`` set) or ``unscored`` with a
    ``reason`` (no basis, or a model output that failed validation). ``raw_output`` keeps a
    model's reply whenever some of it failed validation: the answer is then unscored, or scored
    on the criteria that passed (the others ``None`` with the reason in their rationale).

    What the grader read around the criteria: ``question`` (what the question asks and which
    criteria it calls for), ``story`` (the story type for story rounds, with its evidence;
    ``story_type`` repeats its id in JSON) and ``relevance`` (whether the answer addresses the
    question; when it does not, an ``off_question`` flag comes first and the overall carries an
    ``off_question`` adjustment)."""

    status: Literal["scored", "unscored"]
    reason: str | None = None
    rubric_id: str
    rubric_version: int
    level: str
    grader: GraderInfo
    overall: Overall
    criteria: list[CriterionScore]
    flags: list[Flag] = Field(default_factory=list)
    word_count: int = 0
    raw_output: str | None = None
    question: QuestionRead | None = None
    story: StoryRead | None = None
    relevance: Relevance | None = None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def story_type(self) -> str | None:
        """The story type id (see :data:`STORY_TYPES`), or None when not read."""
        return self.story.type if self.story else None

    @property
    def off_question(self) -> bool:
        """True when the grader judged that the answer does not address the question."""
        return self.relevance is not None and not self.relevance.addresses

    def criterion(self, criterion_id: str) -> CriterionScore:
        return next(c for c in self.criteria if c.id == criterion_id)


@runtime_checkable
class Grader(Protocol):
    """Who scores an answer. ``grade`` returns an :class:`AnswerScore` for ``answer`` (a str)
    against ``rubric`` at ``level`` (``L4``/``L5``/``L6``); it never invents a score: where it
    cannot score it returns ``status='unscored'`` with the reason."""

    info: GraderInfo

    def grade(self, answer: str, *, rubric: Rubric, level: str, question: str | None = None) -> AnswerScore: ...
