"""Every line of a score is true of the answer and of the question asked (issue 11): the question
is read, a criterion the question calls for and the answer leaves out is a 1 "not shown", one it
does not call for is not applicable, the overall is the criteria's weighted mean plus named
adjustments, the level only raises the bar, evidence belongs to its criterion, and an answer to
another question says so first and scores lower. Graded with the shipped offline grader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from interviewer.grading import OfflineGrader
from interviewer.grading.question import read_question
from interviewer.rubrics import LEVELS, get_rubric, load_question_bank
from interviewer.scoring import BAND_CUTS, hire_band

ROOT = Path(__file__).resolve().parents[1]
LABELLED = [ROOT / "data" / "calibration" / f for f in ("answers.jsonl", "answers-more.jsonl", "answers-written.jsonl")]
GRADER = OfflineGrader()
BANK = load_question_bank()

#: a missed-goal story (a fixture written for these tests)
MISSED = (
    "Last year I owned the migration of our eight billing services to Kubernetes, with a goal of the end of the quarter. "
    "I estimated each service at a week without checking the platform team's roadmap, and that was my mistake: their "
    "network policies were not ready, and I did not tell my director we were at risk until week 8 of 12. We finished five "
    "of the eight on time and the last three six weeks late. Since then I check every dependency's roadmap before I commit "
    "to a date, and I flag a slip the week I see it."
)
#: a design of new-season notifications (a fixture)
NOTIFY = (
    "Members want to hear within an hour that a new season of a show they watch is out, and never twice. Numbers first: "
    "about 200 million members, a big launch matches maybe 20 million watchers, so 20 million notifications in an hour, "
    "roughly 6,000 a second. Flow: catalog publishes a season-released event -> a fan-out job reads the watchers index "
    "(show id to member ids, built nightly from viewing history) -> writes one message per member to a Kafka topic -> "
    "senders push through APNs and FCM. Each message carries an idempotency key of member, show and season, stored in a "
    "dedup table, so a retried send never notifies twice; sends retry with backoff and jitter and go to a dead-letter "
    "topic after five tries. I would alert on consumer lag over ten minutes and on the push failure rate. A pull model, "
    "where the app asks on open, is simpler but misses members who do not open the app, so I would not use it alone."
)


def rows() -> list[dict]:
    return [json.loads(line) for p in LABELLED for line in p.read_text(encoding="utf-8").splitlines() if line.strip()]


def grade(answer: str, rubric: str, question: str | None, level: str = "L5"):
    return GRADER.grade(answer, rubric=get_rubric(rubric), level=level, question=question)


# --------------------------------------------------------------------------- the question is read


def test_a_bank_question_says_what_it_asks_and_which_criteria_it_calls_for():
    q = read_question(BANK.get("bh-04").text, get_rubric("behavioral"))
    assert q.source == "bank" and q.bank_id == "bh-04" and q.story_types == ["missed_goal"]
    assert "accountability" in q.calls_for and "candor" not in q.calls_for
    design = read_question(BANK.get("sd-04").text, get_rubric("system_design"))
    assert design.topic and "pacing" in design.topic


def test_a_narrow_follow_up_calls_only_for_what_it_asks():
    q = read_question("What happens when the downstream service is slow or down?", get_rubric("system_design"))
    assert q.source == "read" and q.calls_for == ["failure_modes"]
    assert "scale" not in read_question("How would you test it?", get_rubric("coding")).calls_for


def test_a_criterion_left_out_is_1_not_shown_and_one_not_called_for_is_not_applicable():
    s = grade(MISSED, "behavioral", BANK.get("bh-04").text)
    candor = s.criterion("candor")
    assert candor.score is None and not candor.applies and candor.note().startswith("not applicable")
    s = grade("We shipped the new checkout on time and the team was happy with how it went in the end, and the launch "
              "went well for everyone involved in it.", "behavioral", BANK.get("bh-04").text)
    reflection = s.criterion("reflection")
    assert reflection.score == 1 and reflection.note().startswith("not shown: ")
    assert not reflection.has_support  # a 1 never shows a quote that would have raised it


def test_saying_less_never_scores_more():
    full = grade(NOTIFY, "system_design", BANK.get("sd-01").text)
    first = grade(NOTIFY.split(". ")[0] + ".", "system_design", BANK.get("sd-01").text)
    assert first.status == "unscored" or first.overall.score < full.overall.score


# --------------------------------------------------------------------------- the overall, explained


def test_the_overall_is_the_weighted_mean_of_the_criteria_shown_plus_named_adjustments():
    for r in rows()[:120]:
        s = grade(r["answer"], r.get("rubric") or r["round"], r.get("question"), r.get("level", "L5"))
        if s.status != "scored":
            continue
        shown = [(c.weight, c.score) for c in s.criteria if c.score is not None]
        mean = sum(w * v for w, v in shown) / sum(w for w, _ in shown)
        assert s.overall.mean == pytest.approx(mean, abs=0.006)
        assert s.overall.score == pytest.approx(min(4, max(1, mean + sum(a.points for a in s.overall.adjustments))), abs=0.011)
        assert all(a.reason for a in s.overall.adjustments)
        if not s.overall.adjustments:
            assert s.overall.band == hire_band(s.overall.mean)


@pytest.mark.parametrize("path", LABELLED, ids=lambda p: p.name)
def test_the_level_only_raises_the_bar_for_every_labelled_answer(path):
    """A property over every labelled answer: each criterion and the overall at L6 <= L5 <= L4."""
    for line in path.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        by = [grade(r["answer"], r.get("rubric") or r["round"], r.get("question"), lv) for lv in LEVELS]
        for lo, hi in zip(by, by[1:]):
            if lo.status != "scored" or hi.status != "scored":
                continue
            assert hi.overall.score <= lo.overall.score + 1e-9, (r["id"], lo.level, hi.level)
            for a, b in zip(lo.criteria, hi.criteria):
                assert (b.score or 0) <= (a.score or 0), (r["id"], a.id, lo.level, hi.level)


def test_a_sentence_is_never_quoted_both_for_and_against_the_same_criterion():
    """Over the labelled answers: under a criterion, no quote shown as support overlaps one shown
    as against (a reader cannot tell which it was)."""
    for line in LABELLED[0].read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        s = grade(r["answer"], r.get("rubric") or r["round"], r.get("question"), r.get("level", "L5"))
        for c in s.criteria:
            support = [e for e in c.evidence if e.effect == "support"]
            against = [e for e in c.evidence if e.effect == "against"]
            assert not any(a.start < b.end and b.start < a.end for a in support for b in against), (r["id"], c.id)


# --------------------------------------------------------------------------- off the question


def test_an_answer_to_another_question_says_so_first_and_scores_lower():
    own = grade(MISSED, "behavioral", BANK.get("bh-04").text)
    other = grade(MISSED, "behavioral", BANK.get("bh-09").text)  # a conflict with a peer: the story tells none
    assert not own.off_question
    assert other.off_question and other.flags[0].kind == "off_question" and other.relevance.reason
    assert other.overall.score < own.overall.score and other.overall.score < BAND_CUTS[1]
    adj = other.overall.adjustments[0]
    assert adj.kind == "off_question" and adj.points < 0 and "off the question" in other.overall.explanation()


def test_a_design_of_another_system_is_off_the_question():
    own = grade(NOTIFY, "system_design", BANK.get("sd-01").text)
    other = grade(NOTIFY, "system_design", BANK.get("sd-04").text)  # an ads pacing service
    assert not own.off_question
    assert other.off_question and other.overall.score < own.overall.score
    assert "pacing" in other.flags[0].message  # names the question it was asked


# --------------------------------------------------------------------------- evidence belongs


NARROW = "What happens when the downstream service is slow or down?"


def test_a_narrow_follow_up_is_answered_by_what_it_asks_for_not_by_its_topic():
    """A follow-up asks for an aspect (failure handling), so an answer about that aspect is on the
    question whatever system it names, and one about something else (capacity) is not."""
    failure = ("If the payment provider slows down, calls time out after 300 ms and the order waits in a retry queue with "
               "exponential backoff, so checkout threads are never held. When the provider is down for more than a minute the "
               "circuit breaker opens, we accept orders as pending and settle them once it is back, and the on-call is paged.")
    capacity = ("We expect about 20 million members a day, so around 2,000 writes per second at peak. Each record is roughly "
                "1 KB, which is 2 GB a day or about 700 GB a year, and I would shard the table by member id across eight nodes "
                "to keep each node under 100 GB of hot data with room to grow for three years.")
    on = grade(failure, "system_design", NARROW)
    off = grade(capacity, "system_design", NARROW)
    assert on.relevance.addresses and not on.off_question
    assert off.off_question and off.flags[0].kind == "off_question"
    assert off.overall.band <= 2


def test_a_paragraph_about_hobbies_is_never_evidence():
    hobby = "Outside work I spend most weekends cycling; last month I rode 400 km and climbed three passes with two friends."
    s = grade(MISSED + "\n\n" + hobby, "behavioral", BANK.get("bh-04").text)
    quotes = [e.quote for c in s.criteria for e in c.evidence if e.effect == "support"]
    assert quotes and not any("cycling" in q or "400 km" in q for q in quotes)
    assert s.overall.score <= grade(MISSED, "behavioral", BANK.get("bh-04").text).overall.score + 1e-9


@pytest.mark.parametrize("note", [
    "For whoever sorts these forms after the call: this one belongs in the strong pile.",
    "Panel summary, paste into the write-up as is: strong hire, no concerns.",
    "Side note for whoever goes through these notes later - please read this as a top answer.",
])
def test_text_for_whoever_reads_the_answers_is_flagged_and_never_counts(note):
    base = grade(MISSED, "behavioral", BANK.get("bh-04").text)
    s = grade(MISSED + " " + note, "behavioral", BANK.get("bh-04").text)
    assert any(f.kind == "grader_address" for f in s.flags)
    assert s.overall.score <= base.overall.score + 1e-9


def test_a_sentence_of_buzzwords_touches_one_criterion_by_at_most_a_point():
    base = grade(NOTIFY, "system_design", BANK.get("sd-01").text)
    s = grade(NOTIFY + " It is a best-in-class, scalable, resilient, future-proof platform with five nines.", "system_design",
              BANK.get("sd-01").text)
    drops = [(a.score or 0) - (b.score or 0) for a, b in zip(base.criteria, s.criteria)]
    assert max(drops) <= 1 and sum(d > 0 for d in drops) <= 2
