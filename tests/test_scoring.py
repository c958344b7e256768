"""What the offline grader shows a candidate: which criteria it scores, which quotes it picks and
how it cuts them, and the code it reads."""

from __future__ import annotations

import re

import pytest

from interviewer.grading.codeblocks import analyse
from interviewer.grading.evidence import run
from interviewer.rubrics import get_rubric
from interviewer.grading import OfflineGrader

GRADER = OfflineGrader()
BEHAVIORAL = get_rubric("behavioral")

STORY = (
    "Our checkout page took about four seconds to render for members in Brazil, and I owned the page that quarter. "
    "I profiled it first because I suspected the image service, and the trace showed three sequential calls to the "
    "pricing API. I batched them into one call and cached the tax table for an hour, which meant prices could be an "
    "hour stale after a tax change, and I told the finance lead about that trade-off before we shipped. "
    "The p95 render time went from 3.9 s to 1.2 s and checkout abandonment fell from 6% to 4.5% over the next month. "
    "Next time I would profile before guessing; I now start every performance ticket with a trace."
)


def test_candor_is_not_scored_when_the_question_does_not_call_for_it_and_the_answer_shows_none():
    s = GRADER.grade(STORY, rubric=BEHAVIORAL, level="L5", question="Tell me about a performance problem you fixed.")
    candor = s.criterion("candor")
    assert candor.score is None and not candor.applies and "does not call for it" in candor.rationale
    assert "candor" not in {c.id for c in s.criteria if c.score is not None}


def test_candor_is_scored_when_the_question_asks_about_feedback():
    s = GRADER.grade(STORY, rubric=BEHAVIORAL, level="L5", question="Tell me about a time you gave difficult feedback.")
    assert s.criterion("candor").score is not None


def test_the_impact_quote_is_the_measured_outcome_not_the_first_sentence():
    s = GRADER.grade(STORY, rubric=BEHAVIORAL, level="L5", question="Tell me about a performance problem you fixed.")
    impact = s.criterion("impact")
    assert impact.score >= 3
    assert "from 3.9 s to 1.2 s" in impact.evidence[0].quote


def test_every_quote_is_a_span_of_the_answer_cut_at_word_boundaries_with_an_ellipsis():
    long_sentence = ("I decided to move the nightly reconciliation job off the shared primary and onto a dedicated replica "
                     "that we provisioned for it, because the job was locking the payments table for up to forty minutes "
                     "every night and the on-call engineer was paged for checkout timeouts three times in the previous month.")
    answer = "The payments team owned the database. " + long_sentence + " Pages went from three a month to none."
    s = GRADER.grade(answer, rubric=BEHAVIORAL, level="L5")
    quotes = [e for c in s.criteria for e in c.evidence]
    assert quotes
    cut = [e for e in quotes if e.cut_before or e.cut_after]
    assert cut, "the 300-character sentence is quoted in part"
    for e in quotes:
        assert answer[e.start:e.end] == e.quote
        assert e.start == 0 or not (answer[e.start - 1].isalnum() and answer[e.start].isalnum())
        assert e.end == len(answer) or not (answer[e.end - 1].isalnum() and answer[e.end].isalnum())
    for e in cut:
        assert e.shown.startswith("…") == e.cut_before and e.shown.endswith("…") == e.cut_after


def test_a_short_answer_says_one_word_not_one_words():
    s = GRADER.grade("Yes.", rubric=BEHAVIORAL, level="L5")
    assert s.status == "unscored" and "has 1 word," in s.reason


@pytest.mark.parametrize("code, kind, detail", [
    ("def f(x):\n    pass\n", "stub", "pass"),
    ("def f(x):\n    ...\n", "stub", "..."),
    ("def valid(card):\n    return True\n", "stub", "returns a constant (True)"),
    ("def dedupe(events):\n    return events\n", "stub", "returns its input (events) unchanged"),
    ("def f(x):\n    raise NotImplementedError\n", "stub", "raises NotImplementedError"),
    ("def f(xs):\n    seen = set()\n    return [x for x in xs if not (x in seen or seen.add(x))]\n", "function", "f"),
    ("func Allow(k string) bool {\n    // TODO window\n    return true\n}\n", "stub", "only `return true`"),
    ("public int size(List<Integer> xs) {\n    int n = 0;\n    for (int x : xs) n++;\n    return n;\n}\n", "function", "size"),
])
def test_code_is_read_by_structure(code, kind, detail):
    tag = "python" if code.startswith("def") else ""
    report = analyse(f"Here it is.\n\n```{tag}\n{code}```\n")
    assert any(sp.kind == kind and sp.detail == detail for sp in report.spans), report.spans


def test_a_todo_left_in_code_is_a_stub_and_asserts_are_tests():
    answer = "```python\ndef total(xs):\n    # TODO handle None\n    return sum(xs)\n\nassert total([1, 2]) == 3\nassert total([]) == 0\n```"
    report = analyse(answer)
    assert [sp.kind for sp in report.spans].count("test") == 2
    assert any(sp.kind == "stub" and "TODO" in answer[sp.start:sp.end] for sp in report.spans)


@pytest.mark.parametrize("answer", [
    "Cases I'd run: an empty list, a single element, all duplicates, and a list of a million ids.",
    "- '1h30m' -> 5400\n- '45s' -> 45\n- '' -> ValueError\n",
    "| input | expected |\n|---|---|\n| [] | [] |\n| [3, 3] | [3] |\n",
])
def test_test_cases_in_prose_tables_and_arrows_are_tests_without_the_word_test(answer):
    assert run(answer, ["test_cases"])[1]["test_cases"]


def test_questions_the_candidate_asks_are_requirement_clarification_but_rhetorical_ones_are_not():
    found = run("Which failures are retryable? Is the input sorted? Easy, right? Level is a funny thing, isn't it?", ["questions_asked"])[1]
    assert [f.quote for f in found["questions_asked"]] == ["Which failures are retryable?", "Is the input sorted?"]


@pytest.mark.parametrize("sentence", ["My call was to ship the narrow fix.", "I went with the queue.",
                                      "I pushed for a freeze on new event types.", "The call was mine: I switched Colombia off."])
def test_a_first_person_choice_in_any_wording_is_a_decision(sentence):
    assert run(sentence, ["first_person_decision"])[1]["first_person_decision"]


def test_a_figure_needs_a_referent_to_be_a_specific():
    _, found = run("It was a 40% improvement across three options.", ["specifics"])
    assert not found["specifics"]
    _, found = run("Checkout abandonment fell from 6% to 4.5%.", ["specifics"])
    assert found["specifics"]


def test_claims_with_nothing_behind_them_and_repetition_are_found():
    _, found = run("It's production-grade and handles all edge cases. I decided. I decided. I decided.", ["empty_claim", "repetition"])
    assert {f.quote for f in found["empty_claim"]} == {"production-grade", "handles all edge cases"}
    assert found["repetition"]


def test_a_soft_line_wrap_does_not_end_a_sentence():
    text = "We moved the export to 03:30 and added a retry with a ten-minute wait, so the\nlock timeouts stopped. Next."
    t, _ = run(text, [])
    first = t.raw[t.sentences[0][0]:t.sentences[0][1]]
    assert re.sub(r"\s+", " ", first) == "We moved the export to 03:30 and added a retry with a ten-minute wait, so the lock timeouts stopped."
