"""Agreement of the offline grader with the hand-labelled calibration set.

Usage: python benchmarks/calibrate.py [PATH/answers.jsonl] [--level L5] [--verbose]

Prints the quadratic weighted kappa (QWK) of the overall hire band against the labelled
``overall``, and per criterion where our criterion ids match the labels (they do for the
behavioral, coding and system-design rubrics).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from interviewer.rubrics import rubric_for_round
from interviewer.scoring import OfflineGrader

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "eval" / "answers.jsonl"


def qwk(a: list[int], b: list[int], k: int = 4) -> float:
    """Quadratic weighted kappa of two lists of ordinal ratings 1..k (1.0 perfect, 0 chance)."""
    n = len(a)
    obs = [[0.0] * k for _ in range(k)]
    for x, y in zip(a, b):
        obs[x - 1][y - 1] += 1
    ha = [sum(row) for row in obs]
    hb = [sum(obs[i][j] for i in range(k)) for j in range(k)]
    num = den = 0.0
    for i in range(k):
        for j in range(k):
            w = (i - j) ** 2 / (k - 1) ** 2
            num += w * obs[i][j]
            den += w * ha[i] * hb[j] / n
    return 1.0 - num / den if den else 1.0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path", nargs="?", default=str(DEFAULT))
    ap.add_argument("--level", default="L5")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    grader = OfflineGrader()
    rows = [json.loads(line) for line in open(args.path, encoding="utf-8") if line.strip()]
    gold, pred = [], []
    per: dict[str, tuple[list[int], list[int]]] = {}
    for row in rows:
        rubric = rubric_for_round(row["round"])
        s = grader.grade(row["answer"], rubric=rubric, level=args.level, question=row["question"])
        band = s.overall.band or 1
        gold.append(row["overall"])
        pred.append(band)
        crit = {c.id: c.score for c in s.criteria}
        for cid, label in row["labels"].items():
            if crit.get(cid) is not None:
                g, p = per.setdefault(f"{row['round']}.{cid}", ([], []))
                g.append(label)
                p.append(crit[cid])
        if args.verbose:
            mark = "  " if band == row["overall"] else ("+" if band > row["overall"] else "-") * abs(band - row["overall"])
            detail = " ".join(f"{cid}={crit.get(cid)}/{lab}" for cid, lab in row["labels"].items())
            print(f"{mark:3} {row['id']} gold={row['overall']} pred={band} ({s.overall.score}) {detail}")
    exact = sum(g == p for g, p in zip(gold, pred)) / len(gold)
    print(f"overall band: QWK {qwk(gold, pred):.3f}, exact {exact:.0%}, n={len(gold)}")
    for key in sorted(per):
        g, p = per[key]
        print(f"  {key:<32} QWK {qwk(g, p):6.3f}  exact {sum(x == y for x, y in zip(g, p)) / len(g):4.0%}  n={len(g)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
