"""`interviewer history` and `interviewer export` on sessions saved turn by turn."""

from __future__ import annotations

import json

from click.testing import CliRunner

from interviewer.cli import main
from interviewer.session import Session
from interviewer.storage import Store

ANSWER = ("I decided to pause the renewal job because a double charge costs refunds and trust; 40,000 renewals "
          "ran a day late and I refunded all 23 duplicates. My mistake was skipping the retry path in review.")


def play(finish: bool) -> str:
    s = Session("behavioral", "L5", store=Store(), seed=1, questions=1)
    plan = s.plan_next()
    s.record_asked(plan, plan.text)
    s.answer(ANSWER)
    if finish:
        s.finish()
    return s.id


def test_history_lists_sessions_newest_first():
    a = play(finish=True)
    b = play(finish=False)
    res = CliRunner().invoke(main, ["history"])
    assert res.exit_code == 0
    lines = res.output.splitlines()
    assert lines[1].startswith(b) and lines[1].endswith("resumable")
    assert lines[2].startswith(a) and "hire" in lines[2]


def test_history_rows_fit_80_columns_without_breaking_a_word():
    done, running = play(finish=True), play(finish=False)
    for width in (80, 120):
        res = CliRunner(env={"COLUMNS": str(width)}).invoke(main, ["history"])
        lines = res.output.splitlines()
        assert len(lines) == 3 and all(len(line) <= width for line in lines)  # a header and one line a session
        assert lines[1].startswith(running) and lines[1].endswith("resumable")
        assert lines[2].startswith(done) and lines[2].endswith("hire")
        assert ("started" in lines[0]) == (width == 120)  # at 80 the start time is left to the id, which begins with it


def test_history_when_empty():
    res = CliRunner().invoke(main, ["history"])
    assert res.exit_code == 0 and "No sessions yet" in res.output


def test_export_markdown_and_json_with_scores():
    sid = play(finish=True)
    md = CliRunner().invoke(main, ["export", sid[:17], "--format", "markdown"])
    assert md.exit_code == 0
    assert f"# Practice session {sid}" in md.output and ANSWER in md.output and "## Scorecard" in md.output
    js = CliRunner().invoke(main, ["export", sid, "--format", "json"])
    doc = json.loads(js.output)
    assert [t["role"] for t in doc["turns"]] == ["interviewer", "candidate"]
    assert doc["turns"][1]["score"]["status"] == "scored" and doc["scorecard"]["overall"]["band"] in (1, 2, 3, 4)


def test_unfinished_session_exports_what_was_answered():
    sid = play(finish=False)
    md = CliRunner().invoke(main, ["export", sid]).output
    assert ANSWER in md and "not finished" in md


def test_unknown_session_is_one_line_and_nonzero():
    res = CliRunner().invoke(main, ["export", "nope"])
    assert res.exit_code == 1 and "no session matching 'nope'" in res.stderr and "interviewer history" in res.stderr


LONG = ("I decided to pause the renewal job myself because a double charge costs refunds and trust, while a late renewal can be "
        "recovered the next morning without anyone losing money or faith in us.\n"
        "We decided together to push the rest of the work to next year, and management kept changing priorities.\n"
        "Since then I add an idempotency check to every release review, and duplicates fell from 23 to 0 the next quarter.")


def _quotes(md: str) -> list[str]:
    import re

    return re.findall(r"“([^”]*)”", md)


def test_exported_markdown_reads_like_the_app():
    for seed in range(20):  # a question whose answer gets a probe of a criterion
        s = Session("behavioral", "L5", store=Store(), seed=seed, questions=1)
        plan = s.plan_next()
        s.record_asked(plan, plan.text)
        first = s.answer(LONG)
        probe = s.plan_next()
        if probe is not None and probe.criterion_id:
            break
    s.record_asked(probe, probe.text)
    s.answer("I'd rather skip this one.")
    card = s.finish()
    md = CliRunner().invoke(main, ["export", s.id]).output
    name = s.rubric.criterion(probe.criterion_id).name
    assert f"### Follow-up · {name}" in md and f"({probe.criterion_id})" not in md
    lines = LONG.split("\n")
    assert "\n\n".join(lines) in md  # each line of the answer stays a line (a paragraph), not run together
    against = [c for c in first.criteria if c.score is not None and any(e.effect == "against" for e in c.evidence)]
    assert against and all(any(line.startswith(f"- {c.name}: ") and "against: “" in line for line in md.splitlines()) for c in against)
    for quote in _quotes(md[:md.index("## Scorecard")]):  # whole, or cut at a word boundary with "…"
        core = quote.strip("…")
        at = LONG.find(core)
        assert at >= 0 and (quote.endswith("…") or LONG[at + len(core):at + len(core) + 1] in ("", " ", "\n"))
        assert not quote.endswith("…") or LONG[at + len(core)] == " "
    scorecard = md[md.index("## Scorecard"):]
    assert "1 question, 1 answer, 1 declined" in scorecard
    assert card.strongest and "### Strongest evidence" in scorecard and card.strongest[0].criterion_name in scorecard
    assert card.weakest and "### Weakest" in scorecard and all(h.criterion_name in scorecard for h in card.weakest)


def test_a_long_quote_is_cut_at_a_word_boundary_with_an_ellipsis():
    from interviewer.export import MD_QUOTE_CHARS, md_quote
    from interviewer.scoring import Evidence

    text = " ".join(["renewals"] * 40)
    shown = md_quote(Evidence(quote=text, start=0, end=len(text), signal="s", effect="against"))
    assert shown.startswith("against: “renewals") and shown.endswith("renewals…”") and len(shown) <= MD_QUOTE_CHARS + 12


def test_an_id_prefix_that_matches_several_sessions_lists_them():
    a, b = play(finish=True), play(finish=False)
    prefix = a[:8]  # the date both start with
    assert b.startswith(prefix)
    res = CliRunner().invoke(main, ["export", prefix])
    assert res.exit_code == 1 and res.stdout == ""
    first, *listed = res.stderr.splitlines()
    assert first == f"error: 2 sessions match '{prefix}' — fix: give more of the id, one of:"
    assert [line.split()[:3] for line in listed] == [[b, "behavioral", "L5"], [a, "behavioral", "L5"]]  # newest first
