"""The grading core imports no UI library (harlequin-style import hygiene)."""

from __future__ import annotations

import subprocess
import sys

CORE = ["interviewer.rubrics", "interviewer.grading", "interviewer.scoring", "interviewer.session",
        "interviewer.storage", "interviewer.batch", "interviewer.export", "interviewer.loop", "interviewer.progress"]


def test_core_imports_neither_textual_nor_rich():
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + "from interviewer.session import Session\n"
        "s = Session('behavioral', 'L5', seed=1)\n"
        "p = s.plan_next(); s.record_asked(p, p.text); s.answer('I decided to pause the job because refunds are costly. ' * 5)\n"
        "s.finish()\n"
        "print('LOADED', sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "LOADED []" in out
