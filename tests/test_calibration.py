"""The offline grader agrees with the hand-labelled calibration set (../shared/eval)."""

from __future__ import annotations

import sys
from pathlib import Path

from interviewer.rubrics import rubric_for_round
from interviewer.scoring import OfflineGrader

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
from calibrate import qwk  # noqa: E402


def test_qwk_of_the_overall_band_is_at_least_0_6(eval_answers):
    g = OfflineGrader()
    gold, pred = [], []
    for row in eval_answers.values():
        s = g.grade(row["answer"], rubric=rubric_for_round(row["round"]), level="L5", question=row["question"])
        assert s.status == "scored", row["id"]
        gold.append(row["overall"])
        pred.append(s.overall.band)
    assert qwk(gold, pred) >= 0.6


def test_length_does_not_buy_a_score(eval_answers):
    """The set decouples length from quality; so must we: the longest band-1 answers stay low."""
    g = OfflineGrader()
    ones = sorted((r for r in eval_answers.values() if r["overall"] == 1), key=lambda r: -len(r["answer"]))[:4]
    for row in ones:
        s = g.grade(row["answer"], rubric=rubric_for_round(row["round"]), level="L5", question=row["question"])
        assert s.overall.band <= 2, row["id"]


def test_qwk_helper():
    assert qwk([1, 2, 3, 4], [1, 2, 3, 4]) == 1.0
    assert qwk([1, 2, 3, 4], [4, 3, 2, 1]) < 0
