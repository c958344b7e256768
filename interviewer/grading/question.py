"""Stage 1 of the grading pipeline, the other input: read the question.

:func:`read_question` says what a question asks (a :class:`~interviewer.scoring.QuestionRead`):
for a question-bank entry, what the bank says of it (story types, themes, topic, the criteria
it calls for); for any other question (a batch item's, your own), the same read off its words:

* the criteria it calls for: every criterion of the rubric, except those that apply only to
  some questions (``applies_when``, e.g. candid feedback) when the question does not match;
  a narrow question that is not an opening question ("What happens when the downstream service
  is slow or down?") calls only for the criteria whose probes it resembles;
* its story types, for story rounds, from the fitted story-type model when the calibration has
  one (:mod:`interviewer.grading.story`);
* its topic: the question's own content words.
"""

from __future__ import annotations

import re
from functools import lru_cache

from interviewer.grading.story import StoryModel, question_types
from interviewer.grading.vectors import tokens
from interviewer.rubrics import Question, QuestionBank, Rubric, load_question_bank
from interviewer.scoring import QuestionRead

#: how an opening question starts: it asks for a whole answer, so it calls for every criterion
_OPENER = re.compile(
    r"^\s*(?:design|implement|write|build|code|tell\s+me\s+about|walk\s+me\s+through|describe|give\s+me\s+an\s+example|pick|"
    r"share|talk\s+(?:me\s+)?(?:about|through)|how\s+would\s+you\s+(?:design|build|implement)|what\s+is\s+the\s+(?:hardest|biggest|most)|"
    r"in\s+about|why\s+(?:this|netflix|us|our)|what\s+(?:did|do)\s+you\s+own|given\s+|several\s+|a\s+member|heartbeat|recommend|"
    r"can\s+you\s+(?:design|walk|tell|describe)|let['’]s\s+(?:design|talk)|write\s+up)\b", re.I)
#: a narrow question calls for the criteria whose probes share at least this share of its words
_NARROW_MIN = 0.3


def read_question(text: str | None, rubric: Rubric, bank: QuestionBank | None = None, story: StoryModel | None = None) -> QuestionRead:
    """What ``text`` asks of an answer graded with ``rubric``. ``bank`` defaults to the shipped
    question bank; ``story``, the fitted story model, reads the story types a question outside
    the bank asks for. Never raises for odd text: an empty question is read as asking for every
    criterion the rubric applies without a question."""
    ids = [c.id for c in rubric.criteria]
    if not text or not text.strip():
        return QuestionRead(source="none", calls_for=_default_calls_for(rubric, ""))
    bank = bank or load_question_bank()
    q = bank.find(text)
    if q is not None:
        return _from_bank(q, rubric, text, ids, bank.round_of(q.id) == rubric.round)
    calls_for = _default_calls_for(rubric, text)
    narrow = [] if _OPENER.search(text) else _narrow(rubric, text)
    if narrow:
        calls_for = [c for c in calls_for if c in narrow] or narrow
    topic_words = [w for w in tokens(text) if len(w) > 2]
    types = question_types(story, text) if story is not None and rubric.round in ("behavioral", "hiring_manager", "story") else []
    return QuestionRead(text=text, source="read", calls_for=calls_for, topic=" ".join(dict.fromkeys(topic_words)) or None,
                        story_types=types, narrow=bool(narrow))


def _from_bank(q: Question, rubric: Rubric, text: str, ids: list[str], same_round: bool) -> QuestionRead:
    """A bank question as read for ``rubric``; asked for another rubric (a behavioral question
    as a STAR story's prompt), it calls for what that rubric asks of any answer."""
    calls_for = ([c for c in q.calls_for if c in ids] if same_round else []) or _default_calls_for(rubric, text)
    return QuestionRead(text=text, source="bank", bank_id=q.id, story_types=list(q.story_types), themes=list(q.themes),
                        topic=q.topic, calls_for=calls_for)


def _default_calls_for(rubric: Rubric, text: str) -> list[str]:
    """Every criterion, except a conditional one (``applies_when``) the question does not match."""
    return [c.id for c in rubric.criteria if not c.applies_when or re.search(c.applies_when, text)]


def _cues(rubric: Rubric) -> dict[str, frozenset[str]]:
    """Each criterion's words as a question asks for it: its name, its question, its probes and
    its anchors."""
    return _cues_of(tuple((c.id, (c.name, c.question, *c.probes, *c.anchors.values())) for c in rubric.criteria))


@lru_cache(maxsize=32)
def _cues_of(probes: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, frozenset[str]]:
    return {cid: frozenset(w for p in ps for w in tokens(p)) for cid, ps in probes}


def _narrow(rubric: Rubric, text: str) -> list[str]:
    """The criteria a narrow question asks for: those sharing at least :data:`_NARROW_MIN` of the
    question's content words with their probes, best first; [] when none does."""
    words = set(tokens(text))
    if not words:
        return []
    shares = {cid: len(words & cue) / len(words) for cid, cue in _cues(rubric).items()}
    best = max(shares.values())
    if best < _NARROW_MIN:
        return []
    return [cid for cid, s in sorted(shares.items(), key=lambda kv: -kv[1]) if s >= max(_NARROW_MIN, best * 0.6)]
