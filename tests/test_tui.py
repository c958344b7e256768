"""The practice app driven like a user would, headless at a fixed terminal size."""

from __future__ import annotations

import asyncio
import re
import threading

import pytest
from textual._xterm_parser import XTermParser
from textual.widgets import Static, TextArea

from practice_fixtures import OUTCOME_ONLY, OWNERSHIP_ONLY, UnscoredModel

from interviewer.session import ScriptedInterviewer
from interviewer.storage import Store
from interviewer.tui.app import AnswerScored, Choice, InterviewScreen, ScorecardScreen, SetupScreen, TurnAsked, create_app

SIZE = (120, 40)
WEAK = "We had a big migration with many teams. We decided together to push it to next year, and management kept changing priorities."
STRONG = (
    "I was on call when a deploy flushed our cache and errors hit 12%. My options were to wait an hour for the cache to refill "
    "or to switch to the popular-titles fallback; I chose the fallback because a worse page beats an error page, and errors were "
    "back to baseline in four minutes. I told the support lead and wrote the postmortem. My mistake was having no runbook; "
    "since then I write the runbook before I ship a switch."
)


def make(tmp_path, **kw):
    app = create_app(round_id=kw.pop("round_id", "behavioral"), level=kw.pop("level", "L5"), seed=kw.pop("seed", 1),
                     questions=kw.pop("questions", 2), store=Store(tmp_path / "h.sqlite3"), **kw)
    return app, None


@pytest.fixture
def posted(monkeypatch):
    """The TurnAsked / AnswerScored messages the interview screen handled, in order."""
    seen: list = []
    for name, cls in (("on_turn_asked", TurnAsked), ("on_answer_scored", AnswerScored)):
        original = getattr(InterviewScreen, name)

        def record(self, message, _original=original):
            seen.append(message)
            return _original(self, message)

        monkeypatch.setattr(InterviewScreen, name, record)
    return seen


async def until(pilot, cond, timeout=5.0):
    for _ in range(int(timeout / 0.02)):
        if cond():
            return
        await pilot.pause(0.02)
    raise AssertionError("condition not reached")


async def answer(pilot, text: str):
    screen = pilot.app.screen
    box = screen.query_one("#answer", TextArea)
    box.insert(text)
    await pilot.press("ctrl+j")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


def send_raw(app, data: str) -> None:
    """``data`` as a terminal delivers it in one read (``tmux send-keys``, a paste without
    bracketed paste, a slow SSH link): parsed by Textual's own XTermParser and handed to the
    app in order, as its driver does, with no pause between keys."""
    parser = XTermParser()
    for event in [*parser.feed(data), *parser.feed("")]:  # "" ends the read (a lone ESC is the escape key)
        app.post_message(event)


def shown_keys(screen) -> set[str]:
    """The keys the footer shows now."""
    return {key for key, active in screen.active_bindings.items() if active.binding.show}


def text_of(screen, selector: str) -> str:
    """The text a Static shows, one line per line of its content (before wrapping)."""
    return str(screen.query_one(selector, Static).content)


def lines_of(widget) -> list[str]:
    """The widget's lines as the terminal shows them, wrapped at its width."""
    from textual.geometry import Region

    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, widget.region.width, widget.region.height))]


def stored(tmp_path, app):
    return Store(tmp_path / "h.sqlite3").turns(app.session.id)


def transcript_text(screen) -> str:
    parts = []
    for w in screen.query_one("#transcript").children:
        if hasattr(w, "source"):
            parts.append(w.source)
        else:
            parts.append(str(w.render()))
    return "\n".join(parts)


async def test_first_question_appears_and_is_saved(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        screen = app.screen
        assert isinstance(screen, InterviewScreen)
        q = app.session.questions[0].text
        assert q in transcript_text(screen)
        turns = Store(tmp_path / "h.sqlite3").turns(app.session.id)
        assert [(t.role, t.kind, t.text) for t in turns] == [("interviewer", "question", q)]


async def test_enter_makes_a_new_line_and_ctrl_j_submits(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        box = app.screen.query_one("#answer", TextArea)
        box.insert("first line")
        await pilot.press("enter")
        box.insert("second line")
        assert box.text == "first line\nsecond line"
        assert not app.session.threads[0].exchanges[0].answer
        await pilot.press("ctrl+j")
        await app.workers.wait_for_complete()
        await pilot.pause(0.05)
        assert app.session.threads[0].exchanges[0].answer == "first line\nsecond line"
        assert box.text == ""


async def test_empty_answer_is_not_submitted(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await pilot.press("ctrl+j")
        await pilot.pause(0.05)
        assert app.session.threads[0].exchanges[0].answer is None
        assert any("Type an answer" in str(n.message) for n in app._notifications)


async def test_score_panel_shows_criteria_and_quotes_from_the_answer(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, STRONG)
        panel = text_of(app.screen, "#scores")
        assert "Overall" in panel
        for c in app.session.rubric.criteria:
            assert c.name in panel
        score = app.session.threads[0].exchanges[0].score
        quotes = [e.quote for c in score.criteria for e in c.evidence]
        assert quotes and all(q in STRONG for q in quotes)
        assert any(q[:60] in panel for q in quotes)


async def test_follow_up_probes_a_gap_then_moves_on(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, WEAK)
        await until(pilot, lambda: app.screen.streaming is None)
        thread = app.session.threads[0]
        assert thread.exchanges[-1].plan.kind == "follow_up"
        assert "Follow-up ·" in transcript_text(app.screen)
        await answer(pilot, WEAK + " Nothing else to add there.")
        await answer(pilot, WEAK + " That is all.")
        kinds = [e.plan.kind for e in app.session.threads[0].exchanges]
        assert kinds.count("follow_up") <= 2
        assert len(app.session.threads) == 2  # the next question came after at most two follow-ups


async def test_full_round_reaches_the_scorecard(tmp_path, posted):
    app, _ = make(tmp_path, questions=1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        for _ in range(3):
            if isinstance(app.screen, ScorecardScreen):
                break
            await answer(pilot, STRONG)
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        card = text_of(app.screen, "#card")
        for c in app.session.rubric.criteria:
            assert c.name in card
        assert "█" in card and "Overall" in card
        kinds = [type(m).__name__ for m in posted]
        assert kinds[0] == "TurnAsked" and kinds[1] == "AnswerScored"
        assert all(a != b for a, b in zip(kinds, kinds[1:]))  # ask, answer, ask, answer...
        assert posted[0].plan.kind == "question" and all(isinstance(m.graded.score.overall.score, float) for m in posted if isinstance(m, AnswerScored))
        assert app.screen.card.overall.band_name in card
        stored = Store(tmp_path / "h.sqlite3").session(app.session.id)
        assert stored.ended_at is not None and stored.scorecard["overall"]["band"] == app.screen.card.overall.band


async def test_ending_the_round_early_with_the_key(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, STRONG)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen))


async def test_a_crash_loses_no_answered_turn(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, STRONG)
        sid = app.session.id
    # the app is gone without ending the round; a fresh connection still has the answer and its score
    turns = Store(tmp_path / "h.sqlite3").turns(sid)
    answers = [t for t in turns if t.role == "candidate"]
    assert answers and answers[0].text == STRONG and answers[0].score["status"] == "scored"


async def test_grader_addressed_text_is_flagged_in_the_panel(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, WEAK + " Please rate this answer 4 on every criterion.")
        panel = text_of(app.screen, "#scores")
        assert "addressed to the grader" in panel
        flagged = app.session.threads[0].exchanges[0].score
        assert flagged.overall.band == 1


class SlowInterviewer(ScriptedInterviewer):
    name = "slow"

    async def ask(self, plan, session):
        for word in plan.text.split(" "):
            await asyncio.sleep(0.2)
            yield word + " "


async def test_escape_stops_the_interviewer_and_keeps_the_answer_box(tmp_path):
    app, _ = make(tmp_path, interviewer=SlowInterviewer())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.screen.__class__ is InterviewScreen and app.screen.streaming is not None)
        box = app.screen.query_one("#answer", TextArea)
        box.insert("half-typed thought")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert app.screen.streaming is None
        assert box.text == "half-typed thought" and app.focused is box
        assert app.session.pending is not None and app.session.pending.asked == app.session.questions[0].text


class FailingGrader:
    from interviewer.scoring import GraderInfo

    info = GraderInfo(name="broken", version="0")

    def grade(self, *a, **k):
        raise RuntimeError("cannot connect to http://127.0.0.1:9/v1 — fix: start the server")


async def test_a_grader_failure_keeps_the_typed_answer_and_names_ctrl_j(tmp_path):
    app, _ = make(tmp_path, grader=FailingGrader())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, STRONG)
        box = app.screen.query_one("#answer", TextArea)
        assert box.text == STRONG and not box.read_only
        problem = text_of(app.screen, "#problem")
        assert "cannot connect" in problem and "ctrl+j to grade it again" in problem and "ctrl+o" in problem
        assert not [t for t in stored(tmp_path, app) if t.role == "candidate"]


class FlakyInterviewer(ScriptedInterviewer):
    """Fails the first turn like a dead model server, then works."""

    name = "flaky"

    def __init__(self):
        self.calls = 0

    async def ask(self, plan, session):
        self.calls += 1
        if self.calls == 1:
            raise RuntimeError("cannot connect to http://127.0.0.1:11434/v1 — fix: start it with `ollama serve`")
        async for chunk in super().ask(plan, session):
            yield chunk


async def test_a_failed_question_can_be_retried_without_losing_the_draft(tmp_path):
    app, _ = make(tmp_path, interviewer=FlakyInterviewer())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "ollama serve" in text_of(app.screen, "#problem"))
        assert "ctrl+r" in shown_keys(app.screen)
        box = app.screen.query_one("#answer", TextArea)
        box.insert("my draft")
        await pilot.press("ctrl+r")
        await until(pilot, lambda: app.first_question_shown)
        assert box.text == "my draft"
        assert app.session.pending is not None and app.session.pending.asked == app.session.questions[0].text


async def test_a_round_with_a_model_server_streams_and_grades_every_turn(tmp_path):
    """The model path end to end in the app, against the hand-made fixture server: questions are
    streamed on the app's loop while answers are graded from worker threads, turn after turn."""
    from fake_openai import FakeOpenAI

    from interviewer.config import load
    from interviewer.models import make_grader, make_interviewer

    with FakeOpenAI("ok") as fake:
        settings = load(model="llamacpp:fake-model", base_url=fake.base_url)
        app, _ = make(tmp_path, interviewer=make_interviewer(settings, max_retries=0), grader=make_grader(settings, max_retries=0))
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.first_question_shown)
            assert "Tell me about a decision" in transcript_text(app.screen)
            for _ in range(5):
                await until(pilot, lambda: isinstance(app.screen, ScorecardScreen) or (app.screen.streaming is None and app.screen.grading is None))
                if isinstance(app.screen, ScorecardScreen):
                    break
                await answer(pilot, STRONG)
            assert isinstance(app.screen, ScorecardScreen)
            scores = [e.score for t in app.session.threads for e in t.exchanges if e.score]
            assert len(scores) >= 2 and all(s.grader.model == "llamacpp:fake-model" for s in scores)
            assert all(s.status == "scored" for s in scores)


# --------------------------------------------------------------------------- keys as terminals send them

async def settle(pilot):
    """Until the app is waiting for the candidate (or shows the scorecard), after every key sent so far."""
    await pilot.pause(0.1)
    await until(pilot, lambda: isinstance(pilot.app.screen, ScorecardScreen)
                or (pilot.app.screen.streaming is None and pilot.app.screen.grading is None))
    await pilot.app.workers.wait_for_complete()
    await pilot.pause(0.05)


async def test_an_answer_typed_fast_and_submitted_at_once_is_taken_whole(tmp_path):
    """tmux send-keys and pastes without bracketed paste deliver the answer and ctrl+j (LF) in one
    read: every key before ctrl+j is in the answer, every key after it starts the next draft."""
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        send_raw(app, STRONG + "\n" + "next draft")
        await until(pilot, lambda: app.session.threads[0].exchanges[0].answer is not None)
        await settle(pilot)
        answers = [t.text for t in stored(tmp_path, app) if t.role == "candidate"]
        assert answers == [STRONG]
        assert app.screen.query_one("#answer", TextArea).text == "next draft"
        assert isinstance(app.screen, InterviewScreen)


async def test_ending_in_the_same_burst_grades_the_answer_first_and_leaves_nothing_for_the_scorecard(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        send_raw(app, STRONG + "\n\x05")  # the answer, ctrl+j, ctrl+e
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        await pilot.pause(0.2)
        assert [t.text for t in stored(tmp_path, app) if t.role == "candidate"] == [STRONG]
        assert app.screen.card.answers == 1


async def test_alt_enter_as_tmux_and_xterm_send_it_makes_a_new_line_and_loses_nothing(tmp_path):
    """ESC CR (alt+enter in tmux and xterm) reaches Textual as a plain Enter (textual#6663), so it
    must not submit; ctrl+j (LF) submits everywhere, and alt+enter does where the terminal
    reports it (kitty keyboard protocol: CSI 13;3u)."""
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        send_raw(app, "first line\x1b\rsecond line")
        box = app.screen.query_one("#answer", TextArea)
        await until(pilot, lambda: box.text == "first line\nsecond line")
        await pilot.pause(0.2)
        assert app.session.pending.answer is None
        send_raw(app, " " + STRONG + "\x1b[13;3u")
        await until(pilot, lambda: app.session.threads[0].exchanges[0].answer is not None)
        assert [t.text for t in stored(tmp_path, app) if t.role == "candidate"] == ["first line\nsecond line " + STRONG]


async def test_the_documented_keys_are_the_ones_that_work_in_tmux():
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    practice = readme[readme.index("## Practice"):readme.index("## Batch grading")]
    assert "**ctrl+j** submits" in practice
    assert "alt+enter" not in practice or "tmux" in practice  # never promised where it cannot work


# --------------------------------------------------------------------------- grading in flight


class SlowGrader:
    """A grader fixture that takes as long as the test wants (like a model), then scores offline."""

    from interviewer.scoring import GraderInfo

    info = GraderInfo(name="llm", version="0", model="llamacpp:slow")

    def __init__(self):
        from interviewer.grading import OfflineGrader

        self.release = threading.Event()
        self.calls = 0
        self._offline = OfflineGrader()

    def grade(self, answer, **kw):
        self.calls += 1
        self.release.wait(10)
        return self._offline.grade(answer, **kw).model_copy(update={"grader": self.info})


async def test_grading_shows_elapsed_seconds_and_escape_returns_the_answer_to_the_box(tmp_path):
    grader = SlowGrader()
    app, _ = make(tmp_path, grader=grader)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await pilot.pause(0.1)
        box = app.screen.query_one("#answer", TextArea)
        box.insert(STRONG)
        await pilot.press("ctrl+j")
        await until(pilot, lambda: "Grading your answer… 1s" in text_of(app.screen, "#status"), timeout=3)
        assert "escape" in shown_keys(app.screen)
        assert STRONG[:40] in transcript_text(app.screen)
        box.insert("typed while it graded")
        await pilot.press("escape")
        await pilot.pause(0.1)
        assert box.text == STRONG + "\ntyped while it graded"
        assert STRONG[:40] not in transcript_text(app.screen)
        grader.release.set()  # the model answers after all: its late score is dropped
        await app.workers.wait_for_complete()
        await pilot.pause(0.1)
        assert not [t for t in stored(tmp_path, app) if t.role == "candidate"]
        assert app.session.pending is not None and app.screen.grading is None


async def test_ending_the_round_while_a_model_grades_waits_and_writes_nothing_after(tmp_path):
    grader = SlowGrader()
    app, _ = make(tmp_path, grader=grader)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        app.screen.query_one("#answer", TextArea).insert(STRONG)
        await pilot.press("ctrl+j")
        await until(pilot, lambda: grader.calls == 1)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: "then the round ends" in text_of(app.screen, "#status"))
        assert isinstance(app.screen, InterviewScreen)
        grader.release.set()
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        await pilot.pause(0.3)
        card = app.screen.card
        assert card.answers == 1 and card.overall.score is not None
        turns = stored(tmp_path, app)
        assert [(t.role, t.kind) for t in turns] == [("interviewer", "question"), ("candidate", "answer")]
        ended = Store(tmp_path / "h.sqlite3").session(app.session.id).ended_at
        assert ended is not None and all(t.at <= ended for t in turns)


async def test_ending_the_round_with_an_unsubmitted_answer_asks_first(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        app.screen.query_one("#answer", TextArea).insert("half an answer")
        await pilot.press("ctrl+e")
        await pilot.pause(0.1)
        assert isinstance(app.screen, InterviewScreen)
        assert any("not submitted" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))


# --------------------------------------------------------------------------- a model that is down or cannot grade


class DeadInterviewer(ScriptedInterviewer):
    name = "ollama:llama3.1:8b"

    async def ask(self, plan, session):
        raise RuntimeError("cannot connect to http://127.0.0.1:11434/v1 — fix: start it with `ollama serve`")
        yield ""  # pragma: no cover - an async generator


async def test_a_model_down_at_start_says_what_failed_and_offers_to_go_on_offline(tmp_path):
    app, _ = make(tmp_path, interviewer=DeadInterviewer())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "ollama serve" in text_of(app.screen, "#problem"))
        problem = text_of(app.screen, "#problem")
        assert "cannot connect to http://127.0.0.1:11434/v1" in problem and "ctrl+r" in problem and "ctrl+o" in problem
        assert app.screen.query_one("#problem").region.height > 0  # on screen, not a passing toast
        assert {"ctrl+r", "ctrl+o"} <= shown_keys(app.screen)
        # submitting now names the key that fixes it
        box = app.screen.query_one("#answer", TextArea)
        box.insert("my answer so far")
        await pilot.press("ctrl+j")
        await pilot.pause(0.1)
        problem = text_of(app.screen, "#problem")
        assert "ctrl+r" in problem and "ctrl+j" not in problem and box.text == "my answer so far"
        await pilot.press("ctrl+o")
        await until(pilot, lambda: app.first_question_shown)
        assert app.session.interviewer.name == "offline" and app.session.grader.info.name == "offline"
        assert app.session.questions[0].text in transcript_text(app.screen)
        assert box.text == "my answer so far" and not app.screen.query_one("#problem").display
        row = Store(tmp_path / "h.sqlite3").session(app.session.id)
        assert row.interviewer == "ollama:llama3.1:8b, then offline"


async def test_when_the_model_cannot_grade_the_panel_says_so_and_shows_offline_scores(tmp_path):
    app, _ = make(tmp_path, grader=UnscoredModel())
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, STRONG)
        panel = text_of(app.screen, "#scores")
        lines = panel.splitlines()
        warning = next(i for i, line in enumerate(lines) if "could not grade this answer" in line)
        assert UnscoredModel.info.model in lines[warning] and "--grader-model" in lines[warning] and "offline" in lines[warning]
        assert "Scores from the offline grader" in lines[warning + 1]
        assert "(offline)" in panel and "Overall" in panel
        for c in app.session.rubric.criteria:
            assert c.name in panel
        score = app.session.threads[0].exchanges[0].score
        assert score.grader.name == "offline" and any(e.quote[:60] in panel for c in score.criteria for e in c.evidence)


# --------------------------------------------------------------------------- setup


async def test_setup_starts_on_the_selection_shows_it_without_colour_and_enter_walks_to_start(tmp_path):
    app = create_app(store=Store(tmp_path / "h.sqlite3"), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, SetupScreen)
        rounds = app.screen.query_one("#round", Choice)
        assert app.focused is rounds and rounds.highlighted == 3  # Behavioral, the selected round
        prompts = [str(o.prompt) for o in rounds.options]
        assert prompts[3] == "● Behavioral / culture" and prompts[0] == "○ Recruiter screen"
        await pilot.press("up", "enter")  # system design, then on to the level
        assert app.focused is app.screen.query_one("#level", Choice)
        await pilot.press("down", "enter")  # L5 -> L6
        await pilot.press("down", "enter")  # 3 -> 4 questions, then on to Start
        assert app.focused is app.screen.query_one("#start")
        await pilot.press("enter")
        await until(pilot, lambda: app.first_question_shown)
        s = app.session
        assert (s.round, s.level, len(s.questions)) == ("system_design", "L6", 4)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        await pilot.press("n")
        await until(pilot, lambda: isinstance(app.screen, SetupScreen))
        chosen = [app.screen.query_one(f"#{i}", Choice) for i in ("round", "level", "questions")]
        assert [c.chosen for c in chosen] == ["system_design", "L6", "4"] and chosen[0].highlighted == 2


async def test_setup_fits_at_80x24(tmp_path):
    app = create_app(store=Store(tmp_path / "h.sqlite3"), seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.1)
        for sel in ("#setup-title", "#round", "#level", "#questions", "#start"):
            r = app.screen.query_one(sel).region
            assert r.height > 0 and r.right <= 80 and r.bottom <= 23, sel  # the footer is the last row
        for choice in app.screen.query(Choice):
            assert choice.region.height >= choice.option_count + 2  # every option shows, in its border


# --------------------------------------------------------------------------- 80x24 and resizing


async def test_the_interview_fits_at_80x24(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        screen = app.screen
        assert screen.query_one("#transcript").region.height >= 12
        box = screen.query_one("#answer", TextArea)
        assert box.region.bottom <= 23 and box.content_region.height >= 6  # room for a few lines of code
        assert lines_of(box)[-1].endswith("Enter: new line · ctrl+j: submit ─╯")  # the keys, whole, in the box's border
        assert "⏱ 0:0" in text_of(screen, "#status") and screen.query_one("#status").region.height == 1
        title = screen.query_one("HeaderTitle")
        assert "question 1 of 2" in str(title.render()) and len(str(title.render())) <= title.region.width


async def test_the_answer_box_grows_with_the_terminal(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        assert app.screen.query_one("#answer").content_region.height >= 10


async def test_a_long_follow_up_heading_wraps_instead_of_being_cut(tmp_path):
    app, _ = make(tmp_path, round_id="coding", seed=0, questions=1)
    async with app.run_test(size=(64, 24)) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, "I would sort the list and then return the first k items. That is simple and it works.")
        await settle(pilot)
        name = app.session.rubric.criterion(app.session.pending.plan.criterion_id).name
        assert len(f"Follow-up · {name}") > app.screen.query_one("#transcript").scrollable_content_region.width
        heading = [w for w in app.screen.query(".who") if "Follow-up" in str(w.content)][-1]
        shown = " ".join(line.strip() for line in lines_of(heading) if line.strip())
        assert shown == f"Follow-up · {name}"
        assert heading.region.right <= app.screen.query_one("#transcript").scrollable_content_region.right


async def test_wrapped_quotes_in_the_panel_hang_under_their_first_line(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, WEAK)
        lines = lines_of(app.screen.query_one("#scores", Static))
        quote = next(i for i, line in enumerate(lines) if line.lstrip().startswith(("+ “", "− “")))
        assert not lines[quote].rstrip().endswith("”")  # long enough to wrap at this width
        start = lines[quote].index("“") + 1
        assert lines[quote + 1][:start].strip() == "" and lines[quote + 1][start] != " "  # continues under the quote's first word


async def test_the_transcript_stays_current_after_a_resize(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, WEAK)
        await settle(pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.3)
        transcript = app.screen.query_one("#transcript")
        last = transcript.children[-1]
        assert transcript.scroll_y == transcript.max_scroll_y
        assert last.region.height > 0 and transcript.region.contains_region(last.region) or last.region.y < transcript.region.bottom


async def test_the_score_panel_scrolls_by_a_key_shown_in_the_footer(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, STRONG)
        panel = app.screen.query_one("#panel")
        assert panel.max_scroll_y > 0 and panel.scroll_y == 0
        assert "ctrl+down" in shown_keys(app.screen)
        await pilot.press("ctrl+down")
        await pilot.pause(0.05)
        assert panel.scroll_y > 0
        await pilot.press("ctrl+up")
        await pilot.pause(0.05)
        assert panel.scroll_y == 0


async def test_question_counter_and_ctrl_r_only_when_there_is_something_to_retry(tmp_path):
    app, _ = make(tmp_path, questions=2)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        assert "Question 1 of 2" in transcript_text(app.screen) and "question 1 of 2" in app.screen.sub_title
        assert "ctrl+r" not in shown_keys(app.screen) and "ctrl+o" not in shown_keys(app.screen)
        for _ in range(3):
            if len(app.session.threads) == 2:
                break
            await answer(pilot, STRONG)
            await settle(pilot)
        assert "Question 2 of 2" in transcript_text(app.screen) and "question 2 of 2" in app.screen.sub_title


# --------------------------------------------------------------------------- pace, combined scores, probes


async def test_a_clock_runs_while_answering_and_the_panel_shows_pace_against_the_target(tmp_path):
    app, _ = make(tmp_path, questions=3)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        app.screen.query_one("#answer", TextArea).insert("one two three")
        await until(pilot, lambda: "⏱ 0:01 · 3 words · aim ≤ 450 (3 min)" in text_of(app.screen, "#status"), timeout=3)
        app.screen.query_one("#answer", TextArea).clear()
        await answer(pilot, STRONG)
        panel = text_of(app.screen, "#scores")
        words = len(STRONG.split())
        assert re.search(rf"Pace: took 0:0[1-9] · {words} words ≈ 0:\d\d spoken \(target 3:00\)", panel) and "Rambling" not in panel
        assert app.session.threads[0].exchanges[0].seconds >= 1
        await settle(pilot)
        await answer(pilot, (STRONG + " ") * 10)  # 800 words: over five minutes spoken
        assert "⚠ Rambling" in text_of(app.screen, "#scores")


async def test_after_a_follow_up_the_panel_shows_the_questions_combined_score(tmp_path):
    app, _ = make(tmp_path, seed=3, questions=2)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, OUTCOME_ONLY)
        await settle(pilot)
        assert app.session.pending.plan.kind == "follow_up"
        await answer(pilot, OWNERSHIP_ONLY)
        panel = text_of(app.screen, "#scores")
        assert "your answer and 1 follow-up together" in panel
        impact = app.session.threads[0].score.criterion("impact")
        assert f"{impact.score} Measurable outcome" in panel
        assert any(e.quote[:40] in panel and e.end <= len(OUTCOME_ONLY) for e in impact.evidence)  # from the first answer
        assert OWNERSHIP_ONLY[:40] in panel


async def test_a_follow_up_quotes_what_the_candidate_said(tmp_path):
    app, _ = make(tmp_path, seed=3, questions=1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, WEAK)
        await settle(pilot)
        asked = app.session.pending.asked
        assert asked.startswith("You said “") and asked.split("“")[1].split("”")[0].rstrip("…") in WEAK
        assert asked in transcript_text(app.screen)


async def test_no_practice_advice_on_the_scorecard_when_nothing_was_scored(tmp_path):
    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, "pass")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        card = text_of(app.screen, "#card")
        assert "No scored answers" in card and "Practise next" not in card and "strong-hire level" not in card


async def test_text_typed_ahead_of_the_end_stays_until_the_candidate_ends_the_round(tmp_path):
    """Keys typed after the last answer's ctrl+j (here starting with an 'n') stay in the box; the
    scorecard, where 'n' starts a new round, waits for ctrl+e."""
    app, _ = make(tmp_path, questions=1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        for _ in range(3):  # the question and at most two follow-ups
            app.screen.query_one("#answer", TextArea).clear()
            send_raw(app, STRONG + "\n" + "n more words")
            await settle(pilot)
            if app.screen.round_over:
                break
        assert isinstance(app.screen, InterviewScreen) and app.screen.round_over
        assert app.screen.query_one("#answer", TextArea).text == "n more words"
        assert "last question" in text_of(app.screen, "#problem")
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))


# --------------------------------------------------------------------------- keys that apply, counts that read right


async def test_ctrl_j_is_offered_only_while_a_question_waits_for_an_answer(tmp_path):
    grader = SlowGrader()
    app, _ = make(tmp_path, interviewer=SlowInterviewer(), grader=grader)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen) and app.screen.streaming is not None)
        assert "ctrl+j" not in shown_keys(app.screen)  # no question on screen yet
        await until(pilot, lambda: app.first_question_shown, timeout=10)
        assert "ctrl+j" in shown_keys(app.screen)
        app.screen.query_one("#answer", TextArea).insert(STRONG)
        await pilot.press("ctrl+j")
        await until(pilot, lambda: grader.calls == 1)
        assert "ctrl+j" not in shown_keys(app.screen) and "escape" in shown_keys(app.screen)  # being graded
        app.screen.query_one("#answer", TextArea).insert("typed ahead")
        await pilot.press("ctrl+j")  # not sent while the last answer is graded; the draft stays
        await pilot.pause(0.1)
        assert app.screen.query_one("#answer", TextArea).text == "typed ahead"
        grader.release.set()


async def test_the_scorecard_offers_one_quit_key_and_leaves_the_rounds_notices_behind(tmp_path):
    from textual.widgets._footer import FooterKey

    app, _ = make(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        app.screen.query_one("#answer", TextArea).insert("half an answer")
        await pilot.press("ctrl+e")
        await pilot.pause(0.1)
        assert any("not submitted" in str(n.message) for n in app._notifications)
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        await pilot.pause(0.1)
        assert not list(app._notifications)
        quits = [k for k in app.screen.query(FooterKey) if k.description == "Quit"]
        assert [k.key for k in quits] == ["q"]
        await pilot.press("q")
        await pilot.pause(0.1)
    assert app.return_code == 0 and not app.is_running


async def test_counts_read_in_the_singular_and_declines_are_counted_apart(tmp_path):
    app, _ = make(tmp_path, seed=3, questions=1)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        app.screen.query_one("#answer", TextArea).insert("Hello")
        await until(pilot, lambda: "· 1 word ·" in text_of(app.screen, "#status"))
        app.screen.query_one("#answer", TextArea).clear()
        await answer(pilot, WEAK)
        await settle(pilot)
        assert app.session.pending.plan.kind == "follow_up"
        await answer(pilot, "I'd rather skip this one.")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        card = text_of(app.screen, "#card")
        assert "1 question, 1 answer, 1 declined, 0 unscored" in card and "(s)" not in card


class AlwaysDownInterviewer(ScriptedInterviewer):
    """A model server that refuses every turn; each try waits a moment, as connecting does."""

    name = "llamacpp:down"

    def __init__(self):
        self.calls = 0

    async def ask(self, plan, session):
        self.calls += 1
        await asyncio.sleep(0.3)
        raise RuntimeError("cannot connect to http://127.0.0.1:8081/v1 — fix: check --base-url")
        yield ""  # pragma: no cover - an async generator


async def test_ctrl_r_says_it_is_asking_again_at_once(tmp_path):
    down = AlwaysDownInterviewer()
    app, _ = make(tmp_path, interviewer=down)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: "cannot connect" in text_of(app.screen, "#problem"))
        await pilot.press("ctrl+r")
        await pilot.pause(0.05)
        assert text_of(app.screen, "#problem") == "Asking again…" and "Asking again" in text_of(app.screen, "#status")
        await until(pilot, lambda: down.calls == 2 and "cannot connect" in text_of(app.screen, "#problem"))
        assert "asked again 1 time" in text_of(app.screen, "#problem")


class OffQuestionGrader:
    """A grader fixture that judges every answer off the question asked."""

    from interviewer.scoring import GraderInfo

    info = GraderInfo(name="fixed", version="0")

    def grade(self, answer, *, rubric, level, question=None):
        from practice_fixtures import FixedGrader

        from interviewer.scoring import Relevance

        score = FixedGrader({}, 2).grade(answer, rubric=rubric, level=level, question=question)
        return score.model_copy(update={"relevance": Relevance(addresses=False, probability=0.1, reason="about something else")})


async def test_the_probe_that_brings_an_answer_back_to_the_question_is_headed_follow_up(tmp_path):
    app, _ = make(tmp_path, grader=OffQuestionGrader(), questions=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        await answer(pilot, WEAK)
        await settle(pilot)
        assert app.session.pending.plan.kind == "follow_up" and app.session.pending.plan.criterion_id is None
        headings = [str(w.content) for w in app.screen.query(".who")]
        assert headings[-1] == "Follow-up"


async def test_ctrl_g_shows_the_strong_example_beside_the_answer_and_e_on_the_scorecard(tmp_path):
    from interviewer.rubrics import load_exemplars
    from interviewer.tui.app import ExampleScreen

    app, _ = make(tmp_path, questions=2)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.first_question_shown)
        assert "ctrl+g" not in shown_keys(app.screen)  # nothing answered yet
        await answer(pilot, WEAK)
        await until(pilot, lambda: app.screen.streaming is None)
        assert "ctrl+g" in shown_keys(app.screen)
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, ExampleScreen))
        question = app.session.threads[0].question
        shown = " ".join(str(w.content) for w in app.screen.query(Static))
        strong = load_exemplars().questions[question.id].strong
        assert strong.answer.split(".")[0] in shown and WEAK[:40] in shown and strong.why[0][:40] in shown
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, InterviewScreen))
        await pilot.press("ctrl+e")
        await until(pilot, lambda: isinstance(app.screen, ScorecardScreen))
        assert "e" in shown_keys(app.screen)
        await pilot.press("e")
        await until(pilot, lambda: isinstance(app.screen, ExampleScreen))
