"""Write annotation tasks for sentence-level evidence tags (training data for the evidence tagger).

Each labelled answer is cut into the units the grader reads (:func:`interviewer.grading.read.units`)
and written with its rubric's criteria, one JSON object a line:
``{"id", "round", "level", "question", "criteria": {id: "name: question | 1: anchor ... 4: anchor"},
"units": [{"start", "end", "text"}]}``. An annotator returns, per answer, the tags of each unit
(see ``data/calibration/README.md``).

Usage:
  python scripts/evidence_tasks.py tasks LABELLED.jsonl... > tasks.jsonl
  python scripts/evidence_tasks.py merge TASKS.jsonl OUT.jsonl [TASKS.jsonl OUT.jsonl ...] > data/calibration/evidence-tags.jsonl

``merge`` joins annotators' outputs (``{"id", "tags": [[...] per unit], "story_type", "themes"}``)
with their tasks' unit offsets into the training file the tagger is fitted on.
"""

from __future__ import annotations

import json
import sys

from interviewer.grading.fit import Labelled, rubric_of
from interviewer.grading.read import prepare, units


def merge(pairs: list[str]) -> None:
    for tasks_path, out_path in zip(pairs[::2], pairs[1::2]):
        tasks = {d["id"]: d for d in map(json.loads, open(tasks_path, encoding="utf-8")) if d}
        for line in open(out_path, encoding="utf-8"):
            if not line.strip():
                continue
            d = json.loads(line)
            task = tasks[d["id"]]
            if len(d["tags"]) != len(task["units"]):
                raise SystemExit(f"{out_path}: {d['id']}: {len(d['tags'])} tag lists for {len(task['units'])} units")
            units = [{"start": u["start"], "end": u["end"], "tags": sorted(set(tags))} for u, tags in zip(task["units"], d["tags"])]
            print(json.dumps({"id": d["id"], "round": task["round"], "units": units, "story_type": d.get("story_type"),
                              "themes": d.get("themes") or []}, ensure_ascii=False))


def tasks(paths: list[str]) -> None:
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
    {"tasks": tasks, "merge": merge}[sys.argv[1]](sys.argv[2:])
