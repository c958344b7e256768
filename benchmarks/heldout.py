"""The offline grader on labelled answers it was not fitted on (run on demand).

Usage: python benchmarks/heldout.py LABELLED.jsonl... [--calibration FILE] [--json]

For each file and all together:

* agreement of the overall band with the labels (QWK, exact) per rubric, and of every criterion
  (QWK per criterion; their mean);
* whether the overall's band is the band of the criteria's weighted mean (the rest must carry
  a named adjustment);
* the level: every answer graded at L4, L5 and L6; a criterion or overall higher at a higher
  level is a violation;
* off the question (answers with a ``wrong_question``): the answer given that question should
  score lower than given its own, and be flagged; precision and recall of the flag.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewer.grading import OfflineGrader, fit  # noqa: E402
from interviewer.rubrics import LEVELS  # noqa: E402
from interviewer.scoring import hire_band  # noqa: E402


def evaluate(rows: list[fit.Labelled], grader: OfflineGrader) -> dict:
    """Every figure of the module docstring for ``rows``."""
    exs = fit.examples(rows)
    scored = fit.grade_offline(exs, grader)
    m = fit.measure(exs, scored)
    crit = {k: v.qwk for k, v in m.criteria.items() if v.n >= 5}
    consistent = adjusted = total = 0
    level_violations = {"overall": 0, "criteria": 0}
    off = {"pairs": 0, "lower": 0, "flagged_wrong": 0, "flagged_own": 0, "own": 0}
    for r in rows:
        rubric = fit.rubric_of(r)
        by_level = {lv: grader.grade(r.answer, rubric=rubric, level=lv, question=r.question) for lv in LEVELS}
        s = by_level[r.level]
        if s.status == "scored":
            total += 1
            if s.overall.adjustments:
                adjusted += 1
            elif hire_band(s.overall.mean) == s.overall.band:
                consistent += 1
            off["own"] += 1
            off["flagged_own"] += s.off_question
        for lo, hi in zip(LEVELS, LEVELS[1:]):
            a, b = by_level[lo], by_level[hi]
            if a.status != "scored" or b.status != "scored":
                continue
            level_violations["overall"] += b.overall.score > a.overall.score + 1e-9
            level_violations["criteria"] += sum((cb.score or 0) > (ca.score or 0) for ca, cb in zip(a.criteria, b.criteria))
        if r.wrong_question and s.status == "scored":
            w = grader.grade(r.answer, rubric=rubric, level=r.level, question=r.wrong_question)
            off["pairs"] += 1
            off["lower"] += w.status == "scored" and w.overall.score < s.overall.score
            off["flagged_wrong"] += w.off_question
    flagged = off["flagged_wrong"] + off["flagged_own"]
    return {
        "answers": len(rows),
        "overall": m.overall.model_dump(),
        "rounds": {k: v.model_dump() for k, v in m.rounds.items()},
        "criteria_qwk": crit,
        "criteria_mean_qwk": round(statistics.mean(crit.values()), 3) if crit else None,
        "band_equals_mean_band": f"{consistent}/{total - adjusted} unadjusted ({adjusted} adjusted, with a reason)",
        "level_violations": level_violations,
        "off_question": {**off, "precision": round(off["flagged_wrong"] / flagged, 3) if flagged else None,
                         "recall": round(off["flagged_wrong"] / off["pairs"], 3) if off["pairs"] else None},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labelled", nargs="+")
    ap.add_argument("--calibration")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    grader = OfflineGrader(args.calibration)
    out = {}
    sets = [[p] for p in args.labelled] + ([args.labelled] if len(args.labelled) > 1 else [])
    for paths in sets:
        rows, _ = fit.read_labelled(paths)
        out[" + ".join(Path(p).name for p in paths)] = evaluate(rows, grader)
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    for name, r in out.items():
        print(f"== {name} ({r['answers']} answers)")
        print(f"overall band QWK {r['overall']['qwk']:.3f} exact {r['overall']['exact']:.0%}; " +
              ", ".join(f"{k} {v['qwk']:.2f}" for k, v in r["rounds"].items()))
        print(f"criteria: mean QWK {r['criteria_mean_qwk']}")
        for k, v in sorted(r["criteria_qwk"].items()):
            print(f"  {k:<35} {v:.3f}")
        print(f"band = band of the criteria's mean: {r['band_equals_mean_band']}")
        print(f"level violations: {r['level_violations']}")
        o = r["off_question"]
        print(f"off the question: {o['lower']}/{o['pairs']} scored lower; flag precision {o['precision']} recall {o['recall']} "
              f"(flagged {o['flagged_own']} of {o['own']} answers given their own question)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
