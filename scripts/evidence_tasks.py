"""Write annotation tasks for sentence-level evidence tags (training data for the evidence tagger).

Each labelled answer is cut into the units the grader reads (:func:`interviewer.grading.read.units`)
and written with its rubric's criteria, one JSON object a line:
``{"id", "round", "level", "question", "criteria": {id: "name: question | 1: anchor ... 4: anchor"},
"units": [{"start", "end", "text"}]}``. An annotator returns, per answer, the tags of each unit
(see ``data/calibration/README.md``).

Usage: python scripts/evidence_tasks.py LABELLED.jsonl... > tasks.jsonl
"""

from __future__ import annotations

import json
import sys

from interviewer.grading.fit import Labelled, rubric_of
from interviewer.grading.read import prepare, units


def main(paths: list[str]) -> None:
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if not line.strip():
                continue
            row = Labelled.model_validate(json.loads(line))
            rubric = rubric_of(row)
            t = prepare(row.answer)
            crit = {c.id: f"{c.name}: {c.question} | " + " | ".join(f"{k}: {c.anchor(k, row.level)}" for k in (1, 2, 3, 4))
                    for c in rubric.criteria}
            print(json.dumps({"id": row.id, "round": rubric.id, "level": row.level, "question": row.question, "criteria": crit,
                              "units": [{"start": s, "end": e, "text": row.answer[s:e]} for s, e in units(t)]}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
