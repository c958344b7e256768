"""The story inventory on story banks it was never fitted on (run on demand).

Usage: python benchmarks/stories.py [BANKS_DIR] [--json]

``BANKS_DIR`` (default ``benchmarks/data/story-banks``) holds one folder per imaginary candidate
and ``labels.json``: each story's ``story_type``, ``we_heavy``, ``too_long`` and ``duplicate_of``,
each bank's ``missing`` types. Reports, over all banks: the story type's accuracy (target 80%),
the banks whose missing types are named exactly, the flags' agreement (duplicate, "we", too long)
and the seconds per bank of ``interviewer stories`` in-process (target: 50 stories in a second).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from interviewer.batch import read_inputs  # noqa: E402
from interviewer.stories import inventory  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("banks", nargs="?", default=str(ROOT / "benchmarks/data/story-banks"))
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    root = Path(args.banks)
    labels = json.loads((root / "labels.json").read_text(encoding="utf-8"))
    inventory(read_inputs([str(root / next(iter(labels)))]))  # load the models once, outside the timing
    out = {"stories": 0, "type_right": 0, "banks": len(labels), "missing_exact": 0,
           "duplicate": {"tp": 0, "fp": 0, "fn": 0}, "we": {"tp": 0, "fp": 0, "fn": 0},
           "too_long_right": 0, "seconds": 0.0, "confusions": {}, "per_bank": {}}
    for bank, gold in labels.items():
        t0 = time.perf_counter()
        inv = inventory(read_inputs([str(root / bank)]))
        out["seconds"] += time.perf_counter() - t0
        right = 0
        for s in inv.stories:
            lab = gold["stories"][s.id]
            out["stories"] += 1
            if s.story_type == lab["story_type"]:
                right += 1
            else:
                key = f"{lab['story_type']} -> {s.story_type}"
                out["confusions"][key] = out["confusions"].get(key, 0) + 1
            for flag, said, truth in (("duplicate", s.duplicate_of is not None, lab.get("duplicate_of") is not None),
                                      ("we", s.we_heavy, lab["we_heavy"])):
                out[flag]["tp"] += said and truth
                out[flag]["fp"] += said and not truth
                out[flag]["fn"] += truth and not said
            out["too_long_right"] += s.too_long == lab["too_long"]
        out["type_right"] += right
        exact = set(inv.missing) == set(gold["missing"])
        out["missing_exact"] += exact
        out["per_bank"][bank] = {"stories": len(inv.stories), "type_right": right,
                                 "missing": list(inv.missing), "missing_labelled": gold["missing"]}
    if args.json:
        print(json.dumps(out, indent=2))
        return
    n = out["stories"]
    print(f"story type right: {out['type_right']}/{n} = {out['type_right'] / n:.0%}")
    print(f"banks with the missing types named exactly: {out['missing_exact']}/{out['banks']}")
    for bank, b in out["per_bank"].items():
        print(f"  {bank}: type {b['type_right']}/{b['stories']}; missing said {b['missing']}, labelled {b['missing_labelled']}")
    for flag in ("duplicate", "we"):
        f = out[flag]
        print(f"{flag} flag: {f['tp']} right, {f['fp']} false, {f['fn']} missed")
    print(f"too long right: {out['too_long_right']}/{n}")
    print(f"confusions (labelled -> said): {dict(sorted(out['confusions'].items(), key=lambda kv: -kv[1]))}")
    print(f"time: {out['seconds']:.2f} s for {n} stories ({out['seconds'] / n * 50:.2f} s per 50)")


if __name__ == "__main__":
    main()
