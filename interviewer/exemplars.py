"""Example answers to learn from: a strong (band 4) and a weak (band 2) answer for every bank
question, written for the project (``rubrics/exemplars.yaml``), each with why.

:func:`check` is what ``interviewer rubrics check`` runs on them: every bank question has both,
at a level the question suits, and the offline grader bands the strong one lean hire or better
and the weak one lean no hire or worse at that level. UI-free.
"""

from __future__ import annotations

from pydantic import BaseModel

from interviewer.rubrics import Exemplar, Exemplars, QuestionBank, load_exemplars, load_question_bank, rubric_for_round


class ExemplarCheck(BaseModel):
    """One bank question's examples as the offline grader bands them: ``strong`` and ``weak``
    (bands 1-4, None when missing) and ``problems`` (one line each; empty when all is well)."""

    question_id: str
    level: str | None
    strong: int | None = None
    weak: int | None = None
    problems: list[str] = []


def check(bank: QuestionBank | None = None, exemplars: Exemplars | None = None, grader=None) -> list[ExemplarCheck]:
    """Check every bank question's examples (see the module docstring), in bank order. Raises
    :class:`~interviewer.rubrics.RubricError` for an exemplars file that cannot be read and
    ``FileNotFoundError`` when there is none."""
    from interviewer.grading import OfflineGrader

    bank = bank or load_question_bank()
    exemplars = exemplars or load_exemplars()
    grader = grader or OfflineGrader()
    out = []
    for round_id, questions in bank.rounds.items():
        rubric = rubric_for_round(round_id)
        for q in questions:
            ex = exemplars.questions.get(q.id)
            if ex is None:
                out.append(ExemplarCheck(question_id=q.id, level=None, problems=[f"{q.id}: no example answers — fix: add a strong and a weak one"]))
                continue
            res = ExemplarCheck(question_id=q.id, level=ex.level)
            if ex.level not in q.levels:
                res.problems.append(f"{q.id}: examples written for {ex.level}, a level the question does not suit ({', '.join(q.levels)})")
            s = grader.grade(ex.strong.answer, rubric=rubric, level=ex.level, question=q.text)
            w = grader.grade(ex.weak.answer, rubric=rubric, level=ex.level, question=q.text)
            res.strong, res.weak = s.overall.band, w.overall.band
            if (s.overall.band or 0) < 3:
                res.problems.append(f"{q.id}: the strong example bands {s.overall.band_name or 'unscored'} ({s.overall.score}), "
                                    "below lean hire — fix: make it stronger, or the grader is missing what it shows")
            if w.overall.band is None or w.overall.band > 2:
                res.problems.append(f"{q.id}: the weak example bands {w.overall.band_name or 'unscored'} ({w.overall.score}), "
                                    "above lean no hire — fix: make its gaps plainer")
            out.append(res)
    unknown = sorted(set(exemplars.questions) - {q.id for qs in bank.rounds.values() for q in qs})
    for qid in unknown:
        out.append(ExemplarCheck(question_id=qid, level=None, problems=[f"{qid}: examples for a question not in the bank — fix: remove them"]))
    return out


def for_question(question_id: str) -> Exemplar:
    """The examples of a bank question. Raises ``KeyError`` (one line, with the fix) for an id
    with none, and ``FileNotFoundError`` when there is no exemplars file."""
    ex = load_exemplars().questions.get(question_id)
    if ex is None:
        raise KeyError(f"no example answers for {question_id!r} — fix: use a bank question id (see `interviewer exemplars`)")
    return ex
