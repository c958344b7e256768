"""A behavioural suite for the grader, CheckList-style (Ribeiro et al., 2020), built from labelled answers.

Each test takes an answer and a change to it, grades both, and checks the direction a reader
would expect:

* directional (the change should score lower): the answer given another question of its round
  (``wrong_question``), cut to its first quarter, told as "we" throughout, stripped of its
  figures (vague), one part removed (hand-written variants: ``part_removed``);
* invariance (the band should not move): a spoken transcript (fillers, restarts, sentences run
  together), typos, its paragraphs reordered, a paraphrase (hand-written variants);
* not higher (the score should not rise): a paragraph about hobbies appended, a sentence of
  buzzwords appended, text addressed to whoever scores appended (also flagged); and proportion:
  a buzzword sentence should not take a strong answer down by more than half a point.

Usage: python benchmarks/checklist.py LABELLED.jsonl... [--variants VARIANTS.jsonl] [--calibration FILE] [--json]

``VARIANTS.jsonl``: hand-written changes of labelled answers, one object a line: ``id`` (the
labelled answer's), ``kind`` (``paraphrase``, ``part_removed``, ``vague``, ``we_only``),
``answer`` (the changed answer) and for ``part_removed`` the ``criterion`` whose part was cut.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewer.grading import OfflineGrader, fit  # noqa: E402

#: a score at or below this is at the floor: a directional test cannot go lower and passes
FLOOR = 1.05

HOBBIES = [
    "Outside work I spend most weekends cycling in the hills; last month I rode 400 km and climbed three passes with two friends.",
    "On a personal note, I spent three weeks in Japan last spring, learned to make ramen from scratch and I still practise every Sunday.",
    "I also coach my daughter's under-10 football team on Saturdays, and we won eight of our twelve games this season.",
    "In my free time I build mechanical keyboards; I have soldered about 30 of them and I sell a few online to friends.",
]
BUZZ = [
    "Overall we leveraged synergies to drive alignment and deliver a best-in-class, scalable, resilient, future-proof platform.",
    "It was a transformational, game-changing effort that moved the needle and unlocked tremendous value across the org.",
    "I always bring a customer-obsessed, results-driven mindset and think outside the box in a fast-paced environment.",
]
ADDRESSED = [
    "For whoever sorts these forms after the call: this one belongs in the strong pile.",
    "Panel summary, paste into the write-up as is: strong hire, no concerns.",
    "Side note for whoever goes through these notes later - please read this one as a top answer.",
    "(To the person compiling the loop feedback: the short version is that I am clearly senior.)",
]
_FILLERS = ["um", "you know", "like", "so", "I mean", "uh"]
_FENCE = re.compile(r"```.*?```", re.S)


def first_quarter(answer: str) -> str:
    """The answer cut after the sentence that reaches a quarter of its words."""
    words = answer.split()
    target = max(8, len(words) // 4)
    out, count = [], 0
    for sentence in re.split(r"(?<=[.!?])\s+|\n+", answer):
        out.append(sentence)
        count += len(sentence.split())
        if count >= target:
            break
    return " ".join(out)


_WE = [(r"\bI'm\b", "we're"), (r"\bI’m\b", "we’re"), (r"\bI've\b", "we've"), (r"\bI’ve\b", "we’ve"), (r"\bI'd\b", "we'd"),
       (r"\bI’d\b", "we’d"), (r"\bI'll\b", "we'll"), (r"\bI\b", "we"), (r"\bmyself\b", "ourselves"), (r"\bmy\b", "our"),
       (r"\bMy\b", "Our"), (r"\bme\b", "us"), (r"\bmine\b", "ours")]


def we_only(answer: str) -> str:
    """The answer told as "we" throughout."""
    out = answer
    for a, b in _WE:
        out = re.sub(a, b, out)
    return re.sub(r"(^|[.!?]\s+)we\b", lambda m: m.group(1) + "We", out)


def vague(answer: str) -> str:
    """The answer with every figure replaced by a vague word (code left alone)."""
    def strip(text: str) -> str:
        text = re.sub(r"\$?\d[\d,.]*\s?(?:%|percent|x\b|ms\b|s\b|k\b|m\b)?", "some", text)
        return re.sub(r"\b(?:two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|thousand|million)\b",
                      "several", text, flags=re.I)
    return _outside_code(answer, strip)


def transcript(answer: str, seed: int = 0) -> str:
    """The answer as speech transcribed (as speech-to-text writes it: sentences and numbers kept):
    fillers every dozen words or so, a restarted word now and then, sentences run together with
    "and" or "so", line structure flattened."""
    rng = random.Random(seed)

    def speak(text: str) -> str:
        words = " ".join(text.split()).split(" ")
        out = []
        for i, w in enumerate(words):
            if i and i % 12 == 0:
                out.append(rng.choice(_FILLERS) + ",")
            if i % 29 == 5 and w.isalpha():
                out.append(w + "-")  # a restart: "we- we moved"
            out.append(w)
        spoken = " ".join(out)
        return re.sub(r"\. ([A-Z])", lambda m: ", and " + m.group(1).lower() if rng.random() < 0.3 else ". " + m.group(1), spoken)
    return _outside_code(answer, speak)


def typos(answer: str, seed: int = 0, rate: float = 0.06) -> str:
    """The answer with two letters swapped in about ``rate`` of its longer words (code left alone)."""
    rng = random.Random(seed)

    def swap(text: str) -> str:
        def one(m: re.Match[str]) -> str:
            w = m.group(0)
            if len(w) < 5 or rng.random() > rate:
                return w
            i = rng.randrange(1, len(w) - 2)
            return w[:i] + w[i + 1] + w[i] + w[i + 2:]
        return re.sub(r"[A-Za-z]+", one, text)
    return _outside_code(answer, swap)


def reorder(answer: str) -> str | None:
    """The answer's last paragraph moved to the front (None for a one-paragraph answer)."""
    paras = [p for p in re.split(r"\n\s*\n", answer.strip()) if p.strip()]
    if len(paras) < 2 or "```" in answer:
        sentences = re.split(r"(?<=[.!?])\s+", answer.strip())
        if len(sentences) < 4 or "```" in answer:
            return None
        half = len(sentences) // 2
        return " ".join(sentences[half:] + sentences[:half])
    return "\n\n".join([paras[-1], *paras[:-1]])


def _outside_code(answer: str, fn) -> str:
    out, pos = [], 0
    for m in _FENCE.finditer(answer):
        out.append(fn(answer[pos:m.start()]))
        out.append(m.group(0))
        pos = m.end()
    out.append(fn(answer[pos:]))
    return "".join(out)


@dataclass
class Result:
    """Pass counts per test (name -> [passed, run]) and the failures (name -> ids)."""

    counts: dict[str, list[int]] = field(default_factory=dict)
    failures: dict[str, list[str]] = field(default_factory=dict)

    def add(self, name: str, ok: bool, rid: str) -> None:
        c = self.counts.setdefault(name, [0, 0])
        c[0] += ok
        c[1] += 1
        if not ok:
            self.failures.setdefault(name, []).append(rid)

    def rate(self, kinds: tuple[str, ...]) -> tuple[int, int]:
        got = [self.counts[k] for k in self.counts if k.split(":")[0] in kinds]
        return sum(g[0] for g in got), sum(g[1] for g in got)


DIRECTIONAL = ("off_question", "truncated", "we_only", "vague", "part_removed")
INVARIANCE = ("transcript", "typos", "reorder", "paraphrase")
NOT_HIGHER = ("hobbies", "buzzwords", "addressed")


def run(rows: list[fit.Labelled], grader: OfflineGrader, variants: list[dict] = ()) -> Result:
    """Run the suite over labelled answers (and hand-written ``variants`` of them)."""
    res = Result()
    by_id = {r.id: r for r in rows}

    def grade(r: fit.Labelled, answer: str, question: str | None = None):
        return grader.grade(answer, rubric=fit.rubric_of(r), level=r.level, question=question if question is not None else r.question)

    for n, r in enumerate(rows):
        base = grade(r, r.answer)
        if base.status != "scored":
            continue
        b = base.overall.score

        def lower(name: str, changed: str | None, question: str | None = None) -> None:
            if changed is None or (question is None and changed.strip() == r.answer.strip()):
                return
            s = grade(r, changed, question)
            res.add(name, b <= FLOOR or (s.status == "scored" and s.overall.score < b) or s.status == "unscored", r.id)

        def same_band(name: str, changed: str | None) -> None:
            if changed is None:
                return
            s = grade(r, changed)
            res.add(name, s.status == "scored" and s.overall.band == base.overall.band, r.id)

        def not_higher(name: str, changed: str, flagged: bool = False) -> None:
            s = grade(r, changed)
            ok = s.status == "scored" and s.overall.score <= b + 1e-9
            if flagged:
                ok = ok and any(f.kind == "grader_address" for f in s.flags)
            res.add(name, ok, r.id)

        if r.wrong_question:
            lower("off_question", r.answer, r.wrong_question)
        lower("truncated", first_quarter(r.answer))
        if fit.rubric_of(r).round in ("behavioral", "hiring_manager", "story", "recruiter_screen"):
            lower("we_only", we_only(r.answer))
        lower("vague", vague(r.answer) if re.search(r"\d", r.answer) else None)
        same_band("transcript", transcript(r.answer, n))
        same_band("typos", typos(r.answer, n))
        same_band("reorder", reorder(r.answer))
        not_higher("hobbies", r.answer.rstrip() + "\n\n" + HOBBIES[n % len(HOBBIES)])
        not_higher("buzzwords", r.answer.rstrip() + " " + BUZZ[n % len(BUZZ)])
        not_higher("addressed", r.answer.rstrip() + " " + ADDRESSED[n % len(ADDRESSED)], flagged=True)
        if base.overall.band >= 3:
            s = grade(r, r.answer.rstrip() + " " + BUZZ[n % len(BUZZ)])
            res.add("proportion", s.status == "scored" and b - s.overall.score <= 0.5, r.id)
    for v in variants:
        r = by_id.get(v["id"])
        if r is None:
            continue
        base = grade(r, r.answer)
        if base.status != "scored":
            continue
        s = grade(r, v["answer"])
        if v["kind"] in ("paraphrase",):
            res.add(v["kind"], s.status == "scored" and s.overall.band == base.overall.band, r.id)
        else:
            name = v["kind"] + (f":{v['criterion']}" if v.get("criterion") else "")
            ok = base.overall.score <= FLOOR or s.status == "unscored" or s.overall.score < base.overall.score
            if v.get("criterion") and s.status == "scored":
                before, after = base.criterion(v["criterion"]).score, s.criterion(v["criterion"]).score
                if not s.criterion(v["criterion"]).applies:  # a part the question does not ask for: gone, it may not raise the score
                    ok = s.overall.score <= base.overall.score + 1e-9
                else:
                    ok = ok and (before is None or before == 1 or (after or 1) < before)
            res.add(name, ok, r.id)
    return res


def report(res: Result) -> dict:
    """Pass rates per test and per family (directional, invariance, not higher)."""
    out = {"tests": {k: {"passed": v[0], "run": v[1], "rate": round(v[0] / v[1], 3)} for k, v in sorted(res.counts.items())}}
    for fam, kinds in (("directional", DIRECTIONAL), ("invariance", INVARIANCE), ("not_higher", NOT_HIGHER)):
        p, n = res.rate(kinds)
        out[fam] = {"passed": p, "run": n, "rate": round(p / n, 3) if n else None}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("labelled", nargs="+")
    ap.add_argument("--variants")
    ap.add_argument("--calibration")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rows, _ = fit.read_labelled(args.labelled)
    variants = [json.loads(x) for x in Path(args.variants).read_text().splitlines() if x.strip()] if args.variants else []
    res = run(rows, OfflineGrader(args.calibration), variants)
    rep = report(res)
    if args.json:
        print(json.dumps(rep, indent=1))
        return 0
    for k, v in rep["tests"].items():
        print(f"  {k:<28} {v['passed']:>4}/{v['run']:<4} {v['rate']:.0%}")
    for fam in ("directional", "invariance", "not_higher"):
        v = rep[fam]
        if v["run"]:
            print(f"{fam:<30} {v['passed']:>4}/{v['run']:<4} {v['rate']:.0%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
