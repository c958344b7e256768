"""Model-grader benchmarks (run on demand).

Usage:
  python benchmarks/llm_bench.py fake [1,4,16]    # 200 answers, fake server with 0.5 s latency, at each concurrency
  python benchmarks/llm_bench.py real [BASE_URL] # the real local model (scripts/local-llm.sh): first token, 40 answers

``fake`` reports wall time against the ideal (items x latency / concurrency) and prompt tokens
per graded answer. ``real`` reports seconds to the interviewer's first token, and seconds and
tokens per graded answer for the 40 calibration answers. Record the output in RESULTS.md.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
EVAL = ROOT.parent / "shared" / "eval" / "answers.jsonl"


def _items(n: int):
    from interviewer.batch import Item

    rows = [json.loads(line) for line in EVAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Item(f"{rows[i % len(rows)]['id']}-{i}", rows[i % len(rows)]["answer"], "eval", rows[i % len(rows)]["question"],
                 rows[i % len(rows)]["round"]) for i in range(n)]


def fake() -> None:
    import os
    import subprocess

    from interviewer.batch import agrade_items
    from interviewer.config import load
    from interviewer.llm import LLMGrader, ModeMemory
    from interviewer.models import build_chat_model, parse

    os.environ["INTERVIEWER_CACHE_DIR"] = tempfile.mkdtemp()
    latency, n = 0.5, 200
    items = _items(n)
    print(f"{n} answers, fake server latency {latency} s")
    for conc in [int(c) for c in (sys.argv[2].split(",") if len(sys.argv) > 2 else ("1", "4", "16"))]:
        # the server runs in its own process, as a real one would (no shared GIL with the client)
        srv = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_openai.py"), "ok", str(latency), "600"],
                               stdout=subprocess.PIPE, text=True)
        try:
            base_url = srv.stdout.readline().strip()
            spec = parse("llamacpp:fake", base_url=base_url)
            g = LLMGrader(build_chat_model(spec, load(), max_retries=0), model_id=spec.id, base_url=spec.base_url, memory=ModeMemory())
            t0 = time.perf_counter()
            results = asyncio.run(agrade_items(items, grader=g, concurrency=conc))
            wall = time.perf_counter() - t0
        finally:
            srv.terminate()
            srv.wait()
        ideal = n * latency / conc
        ok = sum(r.status == "scored" for r in results)
        print(f"  concurrency {conc:>2}: {wall:6.2f} s, ideal {ideal:6.2f} s, {100 * (wall / ideal - 1):+5.1f}% over; "
              f"{ok}/{n} scored; prompt tokens per answer {g.last_usage.get('input_tokens', 0) / n:.0f} (the fixture counts characters / 4)")


def real(base_url: str) -> None:
    import os

    from interviewer.batch import agrade_items
    from interviewer.config import load
    from interviewer.models import make_grader, make_interviewer
    from interviewer.session import Session

    os.environ["INTERVIEWER_CACHE_DIR"] = tempfile.mkdtemp()
    settings = load(model="llamacpp:smollm2", base_url=base_url)
    firsts = []
    for seed in range(3):
        iv = make_interviewer(settings)
        s = Session("behavioral", "L5", interviewer=iv, seed=seed)

        async def turn():
            return "".join([c async for c in s.stream(s.plan_next())])

        asyncio.run(turn())
        firsts.append(iv.first_token_s)
    print(f"interviewer first token: median {statistics.median(firsts):.2f} s over 3 turns")
    g = make_grader(settings)
    items = _items(40)
    t0 = time.perf_counter()
    results = asyncio.run(agrade_items(items, grader=g, concurrency=1))
    wall = time.perf_counter() - t0
    scored = sum(r.status == "scored" for r in results)
    failed = sum(r.status == "failed" for r in results)
    print(f"40 answers: {wall:.1f} s, {wall / 40:.2f} s per answer; {scored} scored, {40 - scored - failed} unscored, {failed} failed; "
          f"tokens per answer: {g.last_usage.get('input_tokens', 0) / 40:.0f} in, {g.last_usage.get('output_tokens', 0) / 40:.0f} out")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "fake"
    fake() if which == "fake" else real(sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8080/v1")
