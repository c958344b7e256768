"""Speed benchmarks (run on demand, not in the test suite).

Usage: python benchmarks/run.py [--runs 7]

Times, as the median of ``--runs`` runs:
  1. ``interviewer --help``: CLI start-up, a fresh process each run (target <= 0.1 s);
  2. the practice TUI from process start to its first question on screen, headless
     (target < 1 s);
  3. the practice TUI from ctrl+j to the answer's score on screen, offline, headless at 120x40,
     over 10 behavioral answers (target <= 0.3 s);
  4. offline grading of 1,000 answers: ``interviewer grade FILE.jsonl --format json`` on 1,000
     answers built from the 208 labelled answers in data/calibration, each with its rubric and
     level (a fresh process, start-up included; target <= 2 s).
Record the figures in benchmarks/RESULTS.md with the command.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LABELLED = [ROOT / "data" / "calibration" / "answers.jsonl", ROOT / "data" / "calibration" / "answers-more.jsonl"]

FIRST_QUESTION = r"""
import asyncio, time, sys
t0 = float(sys.argv[1])
from interviewer.tui.app import create_app

async def main():
    app = create_app(round_id="behavioral", level="L5", seed=1)
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.first_question_shown:
            await asyncio.sleep(0.005)
        print(time.time() - t0)

asyncio.run(main())
"""


SUBMIT_TO_SCORE = r"""
import asyncio, json, sys, tempfile, time, pathlib, statistics
from textual import events
from textual.widgets import Static, TextArea
from interviewer.storage import Store
from interviewer.tui.app import create_app

rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
rows = [r for r in rows if r["round"] == "behavioral"][:10]

async def one(r, tmp):
    app = create_app(round_id="behavioral", level="L5", seed=1, questions=3, store=Store(tmp / "h.sqlite3"))
    async with app.run_test(size=(120, 40)) as pilot:
        while not app.first_question_shown:
            await asyncio.sleep(0.005)
        await pilot.pause(0.2)
        scores = app.screen.query_one("#scores", Static)
        before = str(scores.render())
        app.screen.query_one("#answer", TextArea).insert(r["answer"])
        t0 = time.perf_counter()
        app.post_message(events.Key("ctrl+j", "\n"))
        while str(scores.render()) == before:
            await asyncio.sleep(0.001)
        dt = time.perf_counter() - t0
        await pilot.pause(0.3)
        return dt

async def main():
    tmp = pathlib.Path(tempfile.mkdtemp())
    t = [await one(r, tmp) for r in rows]
    print(statistics.median(t), max(t))

asyncio.run(main())
"""


def timed(cmd: list[str], env: dict, runs: int) -> float:
    out = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
        out.append(time.perf_counter() - t0)
    return statistics.median(out)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="interviewer-bench-"))
    env = {**os.environ, "INTERVIEWER_DATA_DIR": str(tmp / "data")}
    exe = str(Path(sys.executable).with_name("interviewer"))

    help_s = timed([exe, "--help"], env, args.runs)
    print(f"interviewer --help: {help_s:.3f} s (median of {args.runs})")

    firsts = []
    for _ in range(args.runs):
        out = subprocess.run([sys.executable, "-c", FIRST_QUESTION, repr(time.time())], env=env, check=True,
                             capture_output=True, text=True).stdout
        firsts.append(float(out.strip().splitlines()[-1]))
    print(f"TUI to first question: {statistics.median(firsts):.3f} s (median of {args.runs}, headless, process start included)")

    out = subprocess.run([sys.executable, "-c", SUBMIT_TO_SCORE, str(LABELLED[0])], env=env, check=True, capture_output=True,
                         text=True).stdout.split()
    print(f"TUI ctrl+j to score on screen (offline, headless 120x40): median {float(out[0]):.3f} s, max {float(out[1]):.3f} s over 10 answers")

    rows = [json.loads(line) for path in LABELLED for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    big = tmp / "answers-1000.jsonl"
    with big.open("w", encoding="utf-8") as fh:
        for i in range(1000):
            r = rows[i % len(rows)]
            fh.write(json.dumps({"id": f"{r['id']}-{i}", "answer": r["answer"], "question": r["question"], "round": r["round"],
                                 "level": r.get("level", "L5")}) + "\n")
    grade_s = timed([exe, "grade", str(big), "--format", "json", "--output", str(tmp / "out.json")], env, max(5, args.runs))
    print(f"offline grading of 1,000 answers (CLI, start-up included): {grade_s:.3f} s (median of {max(5, args.runs)})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
