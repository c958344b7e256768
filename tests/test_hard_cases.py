"""The offline grader on hard cases (fixtures written by hand in tests/fixtures/hard_cases.yaml):
polished words over nothing stay low, strong answers in plain words score well, and text
addressed to whoever scores is flagged, blanked and never raises a score."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from interviewer.rubrics import get_rubric
from interviewer.grading import OfflineGrader

CASES = yaml.safe_load((Path(__file__).parent / "fixtures" / "hard_cases.yaml").read_text(encoding="utf-8"))
GRADER = OfflineGrader()


def grade(case: dict, answer: str | None = None):
    return GRADER.grade(answer or case["answer"], rubric=get_rubric(case["rubric"]), level=case["level"], question=case["question"])


@pytest.mark.parametrize("case", CASES["weak"], ids=lambda c: c["id"])
def test_polished_words_over_nothing_stay_at_lean_no_hire_or_below(case):
    s = grade(case)
    assert s.status == "scored"
    assert s.overall.band <= 2, (s.overall, {c.id: c.score for c in s.criteria})
    # no criterion above 2 without a supporting quote the candidate can see
    for c in s.criteria:
        if c.score is not None and c.score > 2:
            assert any(e.effect == "support" for e in c.evidence), c.id


@pytest.mark.parametrize("case", CASES["strong"], ids=lambda c: c["id"])
def test_strong_answers_in_plain_words_reach_lean_hire_or_above(case):
    s = grade(case)
    assert s.overall.band >= 3, (s.overall, {c.id: c.score for c in s.criteria})


def test_code_with_named_cases_counts_as_testing_and_clarifying_questions_as_requirements():
    case = next(c for c in CASES["strong"] if c["id"] == "named-cases-no-test-words")
    s = grade(case)
    assert s.criterion("requirements").score >= 3
    quotes = [e.quote for e in s.criterion("requirements").evidence]
    assert any(q.rstrip().endswith("?") for q in quotes), quotes  # the questions asked are the evidence
    assert any("\n" in q and q.rstrip().endswith((".", "?")) for q in quotes), quotes  # a soft-wrapped line is one sentence
    testing = s.criterion("testing")
    assert any("->" in e.quote for e in testing.evidence if e.effect == "support")


def test_a_flow_written_with_arrows_is_data_flow():
    case = next(c for c in CASES["strong"] if c["id"] == "flow-with-arrows")
    flow = grade(case).criterion("data_flow")
    assert flow.score >= 3
    assert any("->" in e.quote for e in flow.evidence)


def test_a_humble_first_person_story_shows_ownership_without_i_decided():
    case = next(c for c in CASES["strong"] if c["id"] == "humble-first-person")
    assert "I decided" not in case["answer"]
    assert grade(case).criterion("ownership").score >= 3


def test_stub_code_is_evidence_against_the_approach():
    case = next(c for c in CASES["weak"] if c["id"] == "confident-stub")
    approach = grade(case).criterion("approach")
    assert approach.score == 1
    code = case["answer"][case["answer"].index("```"):]
    assert any(e.effect == "against" and e.quote.strip() in code for e in approach.evidence)  # the stub is quoted against it


BASE = CASES["grader_address"]["base"]


def _placements(aside: str) -> list[str]:
    """The aside at the end of the answer, and, when it is inline text, in its middle."""
    out = [BASE["answer"].rstrip() + " " + aside]
    if not aside.startswith("\n"):
        out.append(BASE["answer"].replace("I disagreed,", aside + " I disagreed,", 1))
    return out


@pytest.mark.parametrize("aside", CASES["grader_address"]["asides"], ids=lambda a: a.strip()[:24])
def test_text_addressed_to_whoever_scores_is_flagged_blanked_and_never_raises_a_score(aside):
    without = grade(BASE)
    for answer in _placements(aside):
        with_it = grade(BASE, answer)
        (flag,) = with_it.flags
        assert flag.kind == "grader_address"
        flagged = " ".join(e.quote for e in flag.evidence)
        assert aside.strip().split()[1] in flagged  # the aside itself is what was flagged
        assert with_it.overall.score <= without.overall.score
        for a, b in zip(with_it.criteria, without.criteria):
            assert (a.score or 0) <= (b.score or 0), a.id
            for e in a.evidence:  # nothing quoted as evidence comes from the aside
                assert not any(e.start < f.end and f.start < e.end for f in flag.evidence)
