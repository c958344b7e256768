"""Fixtures shared by the practice tests: answers with known evidence and graders with fixed
behaviour. Hand-written fixtures, not recordings."""

from __future__ import annotations

from interviewer.scoring import AnswerScore, CriterionScore, Evidence, GraderInfo, Overall

#: an outcome with numbers and no personal decision
OUTCOME_ONLY = ("Our migration cut p99 latency from 900 ms to 200 ms and errors fell from 2% to 0.1% over the quarter, "
                "and the team was happy with it in the end.")
#: a personal decision with its reason, and no outcome
OWNERSHIP_ONLY = "I decided myself to move the cache first because it was the riskiest part, and I told my director the same day."


class FixedGrader:
    """A grader fixture: every criterion gets ``scores.get(id, default)``, quoting the answer's
    first words as support for the ids in ``support``."""

    info = GraderInfo(name="fixed", version="0")

    def __init__(self, scores: dict[str, int], default: int, support: set[str] = frozenset()):
        self.scores, self.default, self.support = scores, default, set(support)

    def grade(self, answer, *, rubric, level, question=None):
        crits = []
        for c in rubric.criteria:
            score = self.scores.get(c.id, self.default)
            ev = [Evidence(quote=answer[:20], start=0, end=20, signal="fixture")] if c.id in self.support else []
            crits.append(CriterionScore(id=c.id, name=c.name, weight=c.weight, score=score, rationale="fixture", evidence=ev))
        return AnswerScore(status="scored", rubric_id=rubric.id, rubric_version=rubric.version, level=level, grader=self.info,
                           overall=Overall.of([(c.weight, c.score) for c in crits]), criteria=crits, word_count=len(answer.split()))


class UnscoredModel:
    """A model grader fixture whose output never validates (like a tiny local model)."""

    info = GraderInfo(name="llm", version="0", model="llamacpp:tiny")

    def grade(self, answer, *, rubric, level, question=None):
        crits = [CriterionScore(id=c.id, name=c.name, weight=c.weight, score=None, rationale="unscored: the model's output failed validation")
                 for c in rubric.criteria]
        return AnswerScore(status="unscored", reason="the model's output failed validation twice (output: Invalid JSON)",
                           rubric_id=rubric.id, rubric_version=rubric.version, level=level, grader=self.info, overall=Overall(),
                           criteria=crits, word_count=len(answer.split()), raw_output="{not json")
