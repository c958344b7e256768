"""Model-grader benchmarks (run on demand).

Usage:
  python benchmarks/llm_bench.py fake [1,4,16]    # 200 answers, fake server with 0.5 s latency, at each concurrency
  python benchmarks/llm_bench.py real [BASE_URL] # the real local model (scripts/local-llm.sh): first token, 40 answers

``fake`` reports wall time against the ideal (items x latency / concurrency) and prompt tokens
per graded answer. ``real`` reports seconds to the interviewer's first token and how many of
its opening questions stood (the rest replaced by the scripted wording), then for the 40
calibration answers: seconds and tokens per answer and how many were scored in full, partly
scored (some criteria null after failing validation twice), unscored or failed. Record the
output in RESULTS.md.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
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
    from interviewer.llm import FAILED_VALIDATION
    from interviewer.models import make_grader, make_interviewer
    from interviewer.rubrics import ROUNDS
    from interviewer.session import Session

    os.environ["INTERVIEWER_CACHE_DIR"] = tempfile.mkdtemp()
    settings = load(model="llamacpp:smollm2", base_url=base_url)
    firsts, turns, replaced = [], 0, []
    for seed, round_id in enumerate(ROUNDS * 2):
        iv = make_interviewer(settings)
        s = Session(round_id, "L5", interviewer=iv, seed=seed)

        async def turn():
            return "".join([c async for c in s.stream(s.plan_next())])

        asyncio.run(turn())
        firsts.append(iv.first_token_s)
        turns += 1
        if s.pending.scripted:
            replaced.append(s.pending.scripted.split(" (")[0])
    print(f"interviewer first token: median {statistics.median(firsts):.2f} s over {turns} opening questions; "
          f"{turns - len(replaced)} stood, {len(replaced)} replaced by the scripted wording "
          f"({', '.join(f'{n} {why}' for why, n in Counter(replaced).most_common())})")
    g = make_grader(settings)
    items = _items(40)
    t0 = time.perf_counter()
    results = asyncio.run(agrade_items(items, grader=g, concurrency=1))
    wall = time.perf_counter() - t0
    scored = [r.score for r in results if r.status == "scored"]
    partly = [sc for sc in scored if any(c.rationale.startswith(FAILED_VALIDATION) for c in sc.criteria)]
    unscored = [r.score for r in results if r.status == "unscored"]
    failed = [r.error for r in results if r.status == "failed"]
    nulled = sum(c.rationale.startswith(FAILED_VALIDATION) for sc in scored for c in sc.criteria)
    print(f"40 answers: {wall:.1f} s, {wall / 40:.2f} s per answer; {len(scored) - len(partly)} scored in full, "
          f"{len(partly)} partly scored ({nulled} criteria null: failed validation twice), {len(unscored)} unscored, "
          f"{len(failed)} failed; tokens per answer: {g.last_usage.get('input_tokens', 0) / 40:.0f} in, "
          f"{g.last_usage.get('output_tokens', 0) / 40:.0f} out")
    for reason, n in Counter(sc.reason.split(" after one re-ask")[0] for sc in unscored).most_common():
        print(f"  unscored x{n}: {reason}")
    for error in failed[:3]:
        print(f"  failed: {error}")
    if scored:
        answers = {it.id: it.answer for it in items}
        quotes = [(answers[r.id], e) for r in results if r.status == "scored" for c in r.score.criteria for e in c.evidence]
        exact = sum(answer[e.start:e.end] == e.quote for answer, e in quotes)
        print(f"  scored answers: mean overall {statistics.mean(sc.overall.score for sc in scored):.2f}; "
              f"{exact} of {len(quotes)} evidence quotes are the answer's own words at their offsets")


if __name__ == "__main__":
    which = sys.argv[1] if len(sys.argv) > 1 else "fake"
    fake() if which == "fake" else real(sys.argv[2] if len(sys.argv) > 2 else "http://127.0.0.1:8080/v1")
