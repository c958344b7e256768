"""Contract tests against a hand-made OpenAI-compatible server on 127.0.0.1 (tests/fake_openai.py,
a FIXTURE, not a recording): what we send, and what we do with each server quirk."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest
from click.testing import CliRunner

from fake_openai import FakeOpenAI, is_reask
from interviewer.batch import GradeCache, Item, agrade_items
from interviewer.cli import main
from interviewer.config import load
from interviewer.llm import FAILED_VALIDATION, LLMGrader, LLMInterviewer, ModeMemory, ModelError, locate_quote
from interviewer.models import build_chat_model, make_grader, make_interviewer, parse
from interviewer.rubrics import get_rubric
from interviewer.scoring import Overall
from interviewer.session import Session, TurnPlan

ANSWER = (
    "I was on call when a deploy flushed the cache. I chose the popular-titles fallback instead of waiting an hour for "
    "the cache to refill, because a worse page beats an error page. I told the support lead and wrote the postmortem."
)


def grader(fake: FakeOpenAI, *, retries: int = 0, timeout: float = 10, samples: int = 1, **settings) -> LLMGrader:
    st = load(timeout=timeout, **settings)
    spec = parse("llamacpp:fake-model", base_url=fake.base_url)
    return LLMGrader(build_chat_model(spec, st, max_retries=retries), model_id=spec.id, base_url=spec.base_url,
                     memory=ModeMemory(), samples=samples, error_context={"start_hint": spec.start_hint()})


def asked_for(request: dict) -> list[str]:
    """The criterion ids a grading request's JSON schema asks for, in order."""
    schema = request["body"]["response_format"]["json_schema"]["schema"]["properties"]["criteria"]
    return [item["properties"]["id"]["const"] for item in schema["prefixItems"]]


def grade(g: LLMGrader, answer: str = ANSWER):
    return g.grade(answer, rubric=get_rubric("behavioral"), level="L5", question="Walk me through an incident you owned.")


def test_scores_with_json_schema_and_sends_what_we_expect(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-openai-key")
    with FakeOpenAI("ok") as fake:
        s = grade(grader(fake))
    assert s.status == "scored" and s.grader.mode == "json_schema" and s.grader.model == "llamacpp:fake-model"
    (req,) = fake.posts()
    fmt = req["body"]["response_format"]
    assert fmt["type"] == "json_schema"
    crit = fmt["json_schema"]["schema"]["properties"]["criteria"]
    ids = [c.id for c in get_rubric("behavioral").criteria]
    assert crit["minItems"] == crit["maxItems"] == len(ids)
    assert asked_for(req) == ids  # each criterion once, in order
    assert req["body"]["max_tokens"] > 0 and "seed" not in req["body"]
    # no OpenAI key goes to another host: a local server gets the placeholder
    assert req["headers"]["authorization"] == "Bearer sk-no-key-needed"
    assert all("sk-real-openai-key" not in json.dumps(r["headers"]) for r in fake.requests)
    # the answer is delimited as data and evidence quotes are verbatim with offsets
    assert ANSWER in req["body"]["messages"][1]["content"]
    for c in s.criteria:
        for e in c.evidence:
            assert ANSWER[e.start:e.end] == e.quote


def test_openai_preset_pointed_elsewhere_never_sends_the_openai_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-real-openai-key")
    with FakeOpenAI("ok") as fake:
        g = make_grader(load(model="openai:gpt-4o-mini", base_url=fake.base_url), max_retries=0)
        grade(g)
    assert all("sk-real-openai-key" not in json.dumps(r["headers"]) for r in fake.requests)


def test_seed_is_sent_only_when_set():
    with FakeOpenAI("ok") as fake:
        grade(grader(fake, seed=7))
    assert fake.posts()[0]["body"]["seed"] == 7


def test_rejected_json_schema_falls_back_to_json_mode_and_is_remembered():
    with FakeOpenAI("reject_json_schema") as fake:
        g = grader(fake)
        s = grade(g)
        assert s.status == "scored" and s.grader.mode == "json_object"
        assert [p["body"]["response_format"]["type"] for p in fake.posts()] == ["json_schema", "json_object"]
        assert "schema" in fake.posts()[1]["body"]["response_format"]  # local servers constrain with it
        grade(g)
        assert fake.posts()[2]["body"]["response_format"]["type"] == "json_object"  # remembered


def test_prose_in_json_mode_falls_back_to_prompt_and_parse():
    with FakeOpenAI("prose_in_json") as fake:
        s = grade(grader(fake))
    assert s.status == "scored" and s.grader.mode == "prompt"
    assert "response_format" not in fake.posts()[-1]["body"]


def test_think_blocks_and_code_fences_are_stripped():
    with FakeOpenAI("think") as fake:
        s = grade(grader(fake))
    assert s.status == "scored"


def test_an_output_cut_off_keeps_its_complete_criteria_and_reasks_only_the_rest():
    ids = [c.id for c in get_rubric("behavioral").criteria]
    with FakeOpenAI("truncated") as fake:
        s = grade(grader(fake))
    first, reask = fake.posts()
    asked_again = asked_for(reask)
    assert 0 < len(asked_again) < len(ids) and asked_again == [i for i in ids if i in asked_again]
    assert "finish_reason=length" in reask["body"]["messages"][-1]["content"]
    kept = [c for c in s.criteria if c.id not in asked_again]
    assert kept and all(c.score is not None and c.evidence for c in kept)
    assert s.raw_output and "--- re-ask ---" in s.raw_output
    for c in s.criteria:
        if c.score is None:
            assert c.rationale.startswith(FAILED_VALIDATION) and "cut off" in c.rationale


def test_one_bad_criterion_is_reasked_alone_and_the_rest_kept():
    rubric = get_rubric("behavioral")
    bad, missing = rubric.criteria[0].id, rubric.criteria[1].id

    def edit(judgement, request):
        if not is_reask(request):
            judgement["criteria"][0]["evidence"] = ["words the candidate never said"]  # a 3 with nothing to show for it
            del judgement["criteria"][1]

    with FakeOpenAI("ok", edit=edit) as fake:
        s = grade(grader(fake))
    assert s.status == "scored" and all(c.score is not None and c.evidence for c in s.criteria)
    first, reask = fake.posts()
    assert asked_for(reask) == [bad, missing]
    text = reask["body"]["messages"][-1]["content"]
    assert f"{bad}: no verifiable evidence: scored 3 but its quote 'words the candidate never said' is not in the answer" in text
    assert f"{missing}: missing from the output" in text
    assert not any(c.id in text for c in rubric.criteria[2:])  # the valid criteria are not asked again


def _lightest_under_half(rubric) -> list[str]:
    """Criteria (lightest first) that together carry less than half the weight."""
    out, weight = [], 0.0
    for c in sorted(rubric.criteria, key=lambda c: c.weight):
        if weight + c.weight >= 0.5:
            break
        out.append(c.id)
        weight += c.weight
    return out


def test_criteria_still_invalid_after_the_reask_are_null_with_the_reason():
    rubric = get_rubric("behavioral")
    bad = _lightest_under_half(rubric)
    assert bad

    def edit(judgement, request):
        for c in judgement["criteria"]:
            if c["id"] in bad:
                c["evidence"] = ["a quote the model made up"]

    with FakeOpenAI("ok", edit=edit) as fake:
        s = grade(grader(fake))
    assert len(fake.posts()) == 2 and s.status == "scored"
    for c in s.criteria:
        if c.id in bad:
            assert c.score is None and not c.evidence
            assert c.rationale.startswith(FAILED_VALIDATION) and "no verifiable evidence" in c.rationale
        else:
            assert c.score is not None and c.evidence
    assert s.overall.score == Overall.of([(c.weight, c.score) for c in s.criteria]).score
    assert "a quote the model made up" in s.raw_output and "--- re-ask ---" in s.raw_output


def test_unscored_when_the_invalid_criteria_carry_more_than_half_the_weight():
    rubric = get_rubric("behavioral")
    good = _lightest_under_half(rubric)

    def edit(judgement, request):
        for c in judgement["criteria"]:
            if c["id"] not in good:
                c["score"] = 7

    with FakeOpenAI("ok", edit=edit) as fake:
        s = grade(grader(fake))
    assert s.status == "unscored" and s.overall.score is None and all(c.score is None for c in s.criteria)
    assert "failed validation for criteria carrying" in s.reason and "less than or equal to 4" in s.reason
    assert s.reason.count("less than or equal to 4") == 1
    assert s.raw_output and '"score": 7' in s.raw_output


def test_the_same_validation_error_is_reported_once():
    with FakeOpenAI("bad_quotes") as fake:
        s = grade(grader(fake))
    assert s.status == "unscored"
    message = "no verifiable evidence: scored 3 but its quote 'words the candidate never said' is not in the answer"
    assert s.reason.count(message) == 1
    assert all(c.id in s.reason for c in get_rubric("behavioral").criteria)
    reask = fake.posts()[1]["body"]["messages"][-1]["content"]
    assert reask.count(message) == 1
    assert "words the candidate never said" in s.raw_output


QUOTED = ('On the call I said "we roll back now", and I chose the popular-titles fallback, because a worse page beats an '
          'error page. I told the support lead and wrote the postmortem.')


@pytest.mark.parametrize("quote,span", [
    ("I chose the popular-titles fallback", "I chose the popular-titles fallback"),  # verbatim
    ("i  chose the Popular-Titles\nfallback", "I chose the popular-titles fallback"),  # case and whitespace
    ("I said “we roll back now”", 'I said "we roll back now"'),  # quote marks
    ("“a worse page beats an error page”", "a worse page beats an error page"),  # wrapped in quote marks
    ("A worse page beats an error page!", "a worse page beats an error page"),  # punctuation around words
    ("I told the lead and wrote the postmortem", "I told the support lead and wrote the postmortem"),  # a dropped word
    ("I told the support lead and then wrote the postmortem", None),  # a word the candidate never said
    ("I chose fallback because", None),  # two words left out
    ("we doubled revenue", None),
    ("<verbatim quote>", None),
])
def test_quotes_are_snapped_to_the_answer_span_or_dropped(quote, span):
    got = locate_quote(QUOTED, quote)
    assert (QUOTED[got[0]:got[1]] if got else None) == span


def test_near_quotes_show_the_answers_own_words_and_made_up_quotes_are_never_shown():
    rubric = get_rubric("behavioral")
    first, second = rubric.criteria[0].id, rubric.criteria[1].id

    def edit(judgement, request):
        for c in judgement["criteria"]:
            if c["id"] == first:
                c["evidence"] = ["i  CHOSE the popular-titles fallback", "I told the lead and wrote the postmortem"]
            elif c["id"] == second:
                c["evidence"], c["score"] = ["we doubled revenue"], 2  # a low score needs no quote: kept, the quote dropped

    with FakeOpenAI("ok", edit=edit) as fake:
        s = grade(grader(fake), QUOTED)
    assert len(fake.posts()) == 1 and s.status == "scored"
    assert [e.quote for e in s.criterion(first).evidence] == ["I chose the popular-titles fallback",
                                                               "I told the support lead and wrote the postmortem"]
    assert all(QUOTED[e.start:e.end] == e.quote for c in s.criteria for e in c.evidence)
    assert s.criterion(second).score == 2 and not s.criterion(second).evidence
    assert "revenue" not in json.dumps([c.model_dump() for c in s.criteria])


def test_detectors_cap_the_judge():
    # the fixture gives every criterion a 3; there is no number in the answer, so impact is capped
    with FakeOpenAI("ok") as fake:
        s = grade(grader(fake))
    impact = s.criterion("impact")
    assert impact.score is not None and impact.score <= 2 and "Capped" in impact.rationale


def test_429_with_retry_after_backs_off_then_succeeds():
    with FakeOpenAI("rate_limit_once") as fake:
        t0 = time.monotonic()
        s = grade(grader(fake, retries=1))
        elapsed = time.monotonic() - t0
    assert s.status == "scored" and len(fake.posts()) == 2 and elapsed >= 0.9


@pytest.mark.parametrize(
    "behaviour,kind,needle",
    [
        ("always_429", "rate_limited", "busy or rate-limited"),
        ("server_error", "server", "500"),
        ("model_not_found", "model_not_found", "use one of: fake-model"),
        ("context_length", "context_length", "context window"),
    ],
)
def test_failures_are_explained_in_one_line(behaviour, kind, needle):
    with FakeOpenAI(behaviour) as fake:
        with pytest.raises(ModelError) as exc:
            grade(grader(fake, retries=1 if behaviour == "always_429" else 0))
    assert exc.value.kind == kind and needle in str(exc.value) and "\n" not in str(exc.value)
    if behaviour == "context_length":
        assert len(fake.posts()) == 1  # never falls back to another mode on a context error


def test_bad_key_names_the_variable(monkeypatch):
    monkeypatch.setenv("FAKE_KEY", "wrong")
    with FakeOpenAI("auth") as fake:
        g = make_grader(load(model="openai-compatible:fake-model", base_url=fake.base_url, api_key_env="FAKE_KEY"), max_retries=0)
        with pytest.raises(ModelError) as exc:
            grade(g)
    assert exc.value.kind == "auth" and "FAKE_KEY" in str(exc.value)
    assert fake.posts()[0]["headers"]["authorization"] == "Bearer wrong"


def test_a_server_that_never_answers_fails_within_twice_the_timeout():
    """With the client's own retries on (as the CLI and the app build it), a hung server costs
    about twice INTERVIEWER_TIMEOUT, and a timeout never walks the structured-output fallback."""
    with FakeOpenAI("hang") as fake:
        g = make_grader(load(model="llamacpp:fake-model", base_url=fake.base_url, timeout=1))
        t0 = time.monotonic()
        with pytest.raises(ModelError) as exc:
            grade(g)
        elapsed = time.monotonic() - t0
    assert exc.value.kind == "read_timeout" and "INTERVIEWER_TIMEOUT" in str(exc.value)
    assert elapsed < 3
    assert {p["body"]["response_format"]["type"] for p in fake.posts()} == {"json_schema"}


def test_a_reask_that_times_out_keeps_the_criteria_already_valid():
    rubric = get_rubric("behavioral")
    bad = rubric.criteria[-1].id

    def edit(judgement, request):
        if is_reask(request):
            time.sleep(5)  # the re-ask hangs
        for c in judgement["criteria"]:
            if c["id"] == bad:
                c["score"] = 9

    with FakeOpenAI("ok", edit=edit) as fake:
        t0 = time.monotonic()
        s = grade(grader(fake, timeout=1))
        elapsed = time.monotonic() - t0
    assert elapsed < 3 and s.status == "scored"
    assert s.criterion(bad).score is None and "no reply in time" in s.criterion(bad).rationale
    assert all(c.score is not None for c in s.criteria if c.id != bad)


def test_an_interviewer_that_never_speaks_fails_within_twice_the_timeout():
    with FakeOpenAI("hang") as fake:
        iv = make_interviewer(load(model="llamacpp:fake-model", base_url=fake.base_url, timeout=1))
        s = Session("behavioral", "L5", interviewer=iv, seed=1)

        async def turn():
            return [c async for c in s.stream(s.plan_next())]

        t0 = time.monotonic()
        with pytest.raises(ModelError) as exc:
            asyncio.run(turn())
        elapsed = time.monotonic() - t0
    assert exc.value.kind == "read_timeout" and elapsed < 3 and s.pending is None


def test_nothing_at_the_base_url_names_the_url_and_says_to_check_it():
    """A --base-url of your own that nothing answers at is likelier a wrong host or port than a
    server to start: the error names the URL and --base-url (the preset's start hint is for its
    own URL, see test_config)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    g = make_grader(load(model="llamacpp:x", base_url=f"http://127.0.0.1:{port}/v1"), max_retries=0)
    with pytest.raises(ModelError) as exc:
        grade(g)
    assert exc.value.kind == "connection"
    assert str(exc.value) == f"cannot connect to http://127.0.0.1:{port}/v1 — fix: check --base-url (its host and port), or start the server there"


def test_interviewer_streams_and_drops_think_blocks():
    with FakeOpenAI("ok") as fake:
        st = load()
        spec = parse("llamacpp:fake-model", base_url=fake.base_url)
        iv = LLMInterviewer(build_chat_model(spec, st, max_retries=0, streaming=True), model_id=spec.id, base_url=spec.base_url)
        s = Session("behavioral", "L5", interviewer=iv, seed=1)
        plan = s.plan_next()

        async def collect():
            return [c async for c in s.stream(plan)]

        chunks = asyncio.run(collect())
    assert len(chunks) > 3
    text = "".join(chunks)
    assert "<think>" not in text and "hidden" not in text and text.startswith("Tell me about")
    assert s.threads[0].exchanges[0].asked == text
    req = fake.posts()[0]["body"]
    assert req["stream"] is True and plan.text in json.dumps(req["messages"])


def test_batch_runs_concurrently_and_the_cache_saves_calls(tmp_path):
    items = [Item(f"i{n}", ANSWER + f" Item {n}.", "x.jsonl") for n in range(6)]
    with FakeOpenAI("ok", latency=0.3) as fake:
        g = grader(fake)
        cache = GradeCache(tmp_path / "g.sqlite3")
        t0 = time.monotonic()
        results = asyncio.run(agrade_items(items, grader=g, concurrency=6, cache=cache, grader_id="fake"))
        elapsed = time.monotonic() - t0
        assert [r.id for r in results] == [f"i{n}" for n in range(6)]
        assert all(r.status == "scored" for r in results)
        assert elapsed < 6 * 0.3  # overlapped, not one after another
        calls = len(fake.posts())
        asyncio.run(agrade_items(items, grader=g, concurrency=6, cache=cache, grader_id="fake"))
        assert len(fake.posts()) == calls and cache.hits == 6


def test_cli_grade_with_a_model(tmp_path):
    f = tmp_path / "s.md"
    f.write_text(ANSWER)
    with FakeOpenAI("ok") as fake:
        res = CliRunner().invoke(main, ["grade", str(f), "--format", "json", "--model", "llamacpp:fake-model", "--base-url", fake.base_url])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["grader"] == "llamacpp:fake-model"
    assert doc["items"][0]["grader"]["model"] == "llamacpp:fake-model" and doc["items"][0]["grader"]["mode"] == "json_schema"


def test_cli_grade_with_a_dead_server_stops_with_one_line(tmp_path):
    f = tmp_path / "s.md"
    f.write_text(ANSWER)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res = CliRunner().invoke(main, ["grade", str(f), "--model", "ollama:llama3.1:8b", "--base-url", f"http://127.0.0.1:{port}/v1"])
    assert res.exit_code == 1
    assert res.stderr.strip() == f"error: cannot connect to http://127.0.0.1:{port}/v1 — fix: check --base-url (its host and port), or start the server there"


def test_missing_openai_key_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    f = tmp_path / "s.md"
    f.write_text(ANSWER)
    res = CliRunner().invoke(main, ["grade", str(f), "--model", "openai:gpt-4o-mini"])
    assert res.exit_code == 2 and "OPENAI_API_KEY" in res.stderr


def test_samples_take_the_median_and_flag_disagreement():
    with FakeOpenAI("vary") as fake:
        s = grade(grader(fake, samples=3))
    assert len(fake.posts()) == 3
    own = s.criterion("ownership")
    assert own.score == 3 and "samples disagreed: [1, 3, 4]" in own.rationale


# --------------------------------------------------------------------------- the interviewer's turns


def _turn(model_text: str, plan_text: str, *, criterion: str | None = None):
    """Stream ``model_text`` (from langchain-core's fake chat model) as the interviewer's turn
    for a plan worded ``plan_text``; the exchange the session recorded and what streamed."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    llm = GenericFakeChatModel(messages=iter([AIMessage(model_text)]))
    s = Session("behavioral", "L5", interviewer=LLMInterviewer(llm, model_id="fake:generic"), seed=1)
    question = s.questions[0]
    if criterion:
        s.record_asked(TurnPlan("question", question, question.text), question.text)
        s.answer("We had an outage and fixed it.")
    plan = TurnPlan("follow_up" if criterion else "question", question, plan_text, criterion)

    async def stream():
        return "".join([c async for c in s.stream(plan)])

    streamed = asyncio.run(stream())
    return s.pending, streamed


@pytest.mark.parametrize("model_text,why", [
    ("A mistake of yours that reached production was a failure to meet the quality standards set by the company.",
     "did not ask the candidate anything"),
    ("Great question. What is your favourite programming language?", "drifted"),
    ("Mistakes happen in production all the time, and " + "the team learns a lot from each one of them, " * 8 + "right?",
     "too long"),
    ("<think>Only reasoning, no words for the candidate.</think>", "empty"),
])
def test_a_turn_that_is_not_the_planned_question_is_replaced_by_the_scripted_wording(model_text, why):
    planned = "Tell me about a mistake of yours that reached production."
    ex, streamed = _turn(model_text, planned)
    assert streamed == model_text.split("<think>")[0]  # it streamed as it came...
    assert ex.asked == planned and why in ex.scripted  # ...and the scripted wording is what was asked


@pytest.mark.parametrize("model_text", [
    "Walk me through a production mistake that was yours.",
    "Okay. Can you describe a mistake you made that reached production, and what happened?",
    "Tell me about a time you shipped a bug to production. What did you do?",
])
def test_a_rephrased_question_stands(model_text):
    ex, _ = _turn(model_text, "Tell me about a mistake of yours that reached production.")
    assert ex.asked == model_text and ex.scripted is None


def test_a_follow_up_may_probe_the_criterion_in_its_own_words():
    # no word of the probe, but the criterion's own (ownership: a decision the candidate made personally)
    ex, _ = _turn("So what did you personally decide?", "Which part of that was your call rather than the team's?",
                  criterion="ownership")
    assert ex.asked == "So what did you personally decide?" and ex.scripted is None
    ex, _ = _turn("How long did the outage last?", "Which part of that was your call rather than the team's?",
                  criterion="ownership")
    assert ex.scripted and ex.asked == "Which part of that was your call rather than the team's?"


def test_every_scripted_question_and_probe_passes_the_check_it_is_the_fallback_for():
    from interviewer.llm import review_turn
    from interviewer.rubrics import LEVELS, ROUNDS, load_question_bank, rubric_for_round

    bank = load_question_bank()
    for round_id in ROUNDS:
        for q in {q.id: q for lvl in LEVELS for q in bank.for_round(round_id, lvl)}.values():
            assert review_turn(q.text, q.text) is None, q.text
        for c in rubric_for_round(round_id).criteria:
            for probe in c.probes:
                assert review_turn(probe, probe, about=f"{c.name} {c.question}") is None, probe


async def test_the_app_shows_the_scripted_wording_when_the_models_turn_is_replaced(tmp_path):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from interviewer.storage import Store
    from interviewer.tui.app import create_app

    statement = "A mistake of yours that reached production was a failure to meet the quality standards."
    llm = GenericFakeChatModel(messages=iter([AIMessage(statement)]))
    app = create_app(round_id="behavioral", level="L5", seed=1, questions=1, store=Store(tmp_path / "h.sqlite3"),
                     interviewer=LLMInterviewer(llm, model_id="fake:generic"))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(250):
            if app.first_question_shown:
                break
            await pilot.pause(0.02)
        shown = app.screen.query(".asked").last().source
        planned = app.session.questions[0].text
        assert shown.startswith(planned) and "did not ask the candidate anything" in shown and statement not in shown
        assert app.session.pending.asked == planned
        assert app.store.turns(app.session.id)[0].text == planned


# --------------------------------------------------------------------------- what the model's scores may say


def test_a_quote_too_short_to_show_anything_is_no_evidence_for_a_3():
    rubric = get_rubric("behavioral")
    short = rubric.criteria[0].id

    def edit(judgement, request):
        for c in judgement["criteria"]:
            if c["id"] == short:
                c["evidence"] = ["on call"]  # in the answer, but two words show nothing

    with FakeOpenAI("ok", edit=edit) as fake:
        s = grade(grader(fake))
    c = s.criterion(short)
    assert c.score is None and "too short to show anything" in c.rationale  # re-asked, still short: no score invented
    assert len(fake.posts()) == 2


def test_one_quote_supports_at_most_two_criteria():
    def edit(judgement, request):
        for c in judgement["criteria"]:
            c["evidence"] = ["I chose the popular-titles fallback instead of waiting an hour"]

    with FakeOpenAI("ok", edit=edit) as fake:
        s = grade(grader(fake))
    using = [c for c in s.criteria if c.evidence]
    assert len(using) == 2
    held = [c for c in s.criteria if not c.evidence and c.score is not None]
    assert held and all(c.score <= 2 for c in held)  # a score above 2 needs a quote of its own
    assert any(f"its only quote is the evidence for {using[0].name} and {using[1].name} already" in c.rationale for c in held)


def test_the_model_says_when_an_answer_is_off_the_question():
    def edit(judgement, request):
        judgement["addresses_question"] = False
        judgement["off_question_reason"] = "the question asks about an incident; the answer describes a hiring process"

    with FakeOpenAI("ok", edit=edit) as fake:
        s = grade(grader(fake))
    assert s.off_question and s.flags[0].kind == "off_question" and "hiring process" in s.flags[0].message
    assert s.overall.band <= 2 and s.overall.adjustments[0].kind == "off_question"
    assert s.overall.score < s.overall.mean


def test_a_tiny_model_scores_with_a_caveat_and_the_scorecard_repeats_it():
    from interviewer.llm import small_model_caveat

    assert "135M" in small_model_caveat("llamacpp:smollm2-135m") and small_model_caveat("ollama:llama3.1:70b") is None
    with FakeOpenAI("ok") as fake:
        st = load(timeout=10)
        spec = parse("llamacpp:qwen2.5-0.5b", base_url=fake.base_url)
        g = LLMGrader(build_chat_model(spec, st, max_retries=0), model_id=spec.id, base_url=spec.base_url, memory=ModeMemory())
        session = Session("behavioral", "L5", grader=g, questions=1, seed=1)
        plan = session.plan_next()
        session.record_asked(plan, plan.text)
        s = session.answer(ANSWER)
    assert s.grader.caveat and "rough guide" in s.grader.caveat
    assert session.scorecard().caveat == s.grader.caveat


def test_an_interviewer_turn_that_recites_its_instructions_is_replaced():
    from interviewer.llm import review_turn

    instructions = ["The candidate's last answer left this criterion without evidence: Options and trade-offs "
                    "(Did the candidate show the options they weighed, why they chose one, and what it cost?)."]
    probe = "What else did you consider, and why did you rule it out?"
    recited = "The candidate's last answer left this criterion without evidence: Options and trade-offs (Did the candidate show…?)"
    assert review_turn(recited, probe, about="Options and trade-offs", instructions=instructions) == \
        "the model's turn repeated its own instructions"
    assert review_turn("What else was on the table there, and why did you rule it out?", probe, instructions=instructions) is None
