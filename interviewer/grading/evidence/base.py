"""The detector registry: a detector reads a :class:`~interviewer.grading.read.Text` and
returns :class:`~interviewer.grading.read.Finding` spans; rubric criteria name the detectors
that feed them. Findings are computed once per text (memoised in ``Text.cache``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from interviewer.grading.read import I, Finding, Text, negated, scan

@dataclass(frozen=True, slots=True)
class Detector:
    """A named detector: ``fn(text) -> findings``; ``label`` is what the evidence shows."""

    id: str
    label: str
    fn: Callable[[Text], list[Finding]]


DETECTORS: dict[str, Detector] = {}


def detector(id_: str, label: str):
    """Register ``fn`` as detector ``id_``; its findings are computed once per text."""

    def wrap(fn: Callable[[Text], list[Finding]]):
        def memo(t: Text) -> list[Finding]:
            if id_ not in t.cache:
                t.cache[id_] = fn(t)
            return t.cache[id_]

        DETECTORS[id_] = Detector(id_, label, memo)
        return memo

    return wrap



def find(t: Text, name: str, pattern: re.Pattern[str], *, negatable: bool = True, strength: float = 1.0,
          group: int = 0, check: Callable[[Text, re.Match[str]], float | None] | None = None) -> list[Finding]:
    out: list[Finding] = []
    for m in scan(t, pattern):
        s, e = m.span(group)
        if negatable and negated(t, s):
            continue
        st = strength
        if check is not None:
            got = check(t, m)
            if got is None:
                continue
            st = got
        out.append(Finding(name, s, e, t.raw[s:e], st))
    return out


def span_words(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, I)



