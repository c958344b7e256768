"""The practice app (Textual). It only renders what the core returns: the round's logic is
:class:`~interviewer.session.Session`, scores come from its grader, history from the store.

Workers drive the core and post messages; message handlers own the screen's state.

Keys that act on the answer (submit, end the round) run in the answer box's own message
queue, after every key typed before them: an answer typed fast (a paste without bracketed
paste, ``tmux send-keys``, a slow SSH link) and submitted at once is taken whole.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Label, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from interviewer.loop import Loop, LoopScorecard
from interviewer.progress import compare_attempts
from interviewer.rubrics import LEVEL_NAMES, LEVELS, ROUNDS
from interviewer.scoring import BAND_NAMES, STORY_TYPE_NAMES, THEME_NAMES, AnswerScore, clip
from interviewer.session import DEFAULT_QUESTIONS, PART_SEPARATOR, ROUND_NAMES, Exchange, Graded, Pace, Scorecard, Session, TurnPlan
from interviewer.storage import Store
from interviewer.wording import plural

SCORE_STYLE = {1: "bold red", 2: "yellow", 3: "green", 4: "bold green"}
#: the numbers of questions offered on the setup screen
QUESTION_CHOICES = (1, 2, 3, 4, 5)


def bar(score: float | None, width: int = 20) -> Text:
    """A horizontal bar for a 1-4 score (empty for None)."""
    if score is None:
        return Text("░" * width + "   —", style="dim")
    filled = round(score / 4 * width)
    style = SCORE_STYLE[min(4, max(1, round(score)))]
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim") + Text(f" {score:.1f}")


#: what a wrapped line hangs under: its indent, then a mark ("+ “", "− ", "• ", "⚠ ", a score "3 ", "in: ")
_HANG = re.compile(r"^( *)((?:[+−•⚠—]|[1-4](?:\.\d)?|in:) +“?)?")


class Hanging:
    """A Rich renderable: ``text`` with a hanging indent. A line too long for the width wraps
    with its continuation lines starting under the line's own text, after its indent and its
    mark (``    + “quote…`` continues under the quote; an indented line with no mark continues
    two columns further in). ``str()`` is the plain text."""

    def __init__(self, text: Text):
        self.text = text

    def __str__(self) -> str:
        return self.text.plain

    @staticmethod
    def indent(line: str) -> int:
        """Columns a wrapped continuation of ``line`` starts at."""
        m = _HANG.match(line)
        lead, mark = len(m.group(1)), m.group(2)
        return lead + len(mark) if mark else (lead + 2 if lead else 0)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        for line in self.text.split("\n", allow_blank=True):
            indent = self.indent(line.plain)
            if line.cell_len <= width or not indent or indent > width // 2:
                yield line
                continue
            head, body = line.divide([indent])
            first, *rest = body.wrap(console, width - indent)
            for piece in (first, *rest):
                piece.rstrip()
            yield head + first
            for more in rest:
                yield Text(" " * indent) + more

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.text)


def clock(seconds: float) -> str:
    """``seconds`` as m:ss."""
    m, s = divmod(int(seconds), 60)
    return f"{m}:{s:02d}"


# --------------------------------------------------------------------------- messages


@dataclass
class TurnAsked(Message):
    """The interviewer finished asking ``text`` for ``plan`` (streamed, or cut short)."""

    plan: TurnPlan
    text: str


@dataclass
class AnswerScored(Message):
    """The grader graded the candidate's ``answer`` (grading number ``token``), answered in
    ``seconds``."""

    token: int
    answer: str
    graded: Graded
    seconds: float | None


@dataclass
class TurnFailed(Message):
    """Asking or grading (number ``token``) failed; ``error`` is one line. Nothing typed is lost."""

    error: str
    during: str
    token: int = 0


def one_line(exc: BaseException) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


# --------------------------------------------------------------------------- setup


class Choice(OptionList):
    """One setup choice. The chosen option is marked ``●`` (the others ``○``), so the choice
    shows without colour; the cursor starts on it; Enter chooses and moves to the next field."""

    def __init__(self, title: str, options: list[tuple[str, str]], chosen: str, *, id: str):
        self.labels = dict(options)
        self.chosen = chosen
        super().__init__(*(Option(self._prompt(value), id=value) for value in self.labels), id=id)
        self.border_title = title

    def _prompt(self, value: str) -> str:
        return f"{'●' if value == self.chosen else '○'} {self.labels[value]}"

    def on_mount(self) -> None:
        self.highlighted = list(self.labels).index(self.chosen)

    @on(OptionList.OptionSelected)
    def _choose(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.chosen = event.option.id or self.chosen
        for value in self.labels:
            self.replace_option_prompt(value, self._prompt(value))
        self.screen.focus_next()


class SetupScreen(Screen):
    """Choose the round, the level and the number of questions, then start. The choices start
    at the previous round's (or the command line's)."""

    BINDINGS = [Binding("ctrl+s", "start", "Start")]

    def __init__(self, round_id: str, level: str, questions: int):
        super().__init__()
        self.defaults = round_id, level, questions

    def compose(self) -> ComposeResult:
        round_id, level, questions = self.defaults
        yield Header()
        with Vertical(id="setup"):
            yield Label("Pick a round, a level and how many questions (↑↓, Enter), then Start.", id="setup-title")
            with Horizontal(id="choices"):
                yield Choice("Round", [(r, ROUND_NAMES[r]) for r in ROUNDS], round_id, id="round")
                yield Choice("Level", [(lvl, LEVEL_NAMES[lvl]) for lvl in LEVELS], level, id="level")
                yield Choice("Questions", [(str(n), str(n)) for n in sorted({*QUESTION_CHOICES, questions})], str(questions),
                             id="questions")
            yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#round", Choice).focus()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.start_round(self.query_one("#round", Choice).chosen, self.query_one("#level", Choice).chosen,
                        int(self.query_one("#questions", Choice).chosen))


# --------------------------------------------------------------------------- interview


@dataclass
class Grading:
    """An answer being graded: its ``token``, ``text``, ``seconds`` taken to answer, when
    grading started (monotonic seconds) and the transcript widgets showing it."""

    token: int
    text: str
    seconds: float | None
    started: float
    widgets: tuple[Widget, ...]


class InterviewScreen(Screen):
    """The round: transcript, the streamed question, the answer box, the score panel, and a
    status line with the answer clock or the grading time."""

    BINDINGS = [
        Binding("ctrl+j", "submit", "Submit answer", priority=True),
        Binding("alt+enter", "submit", "Submit", show=False, priority=True),
        Binding("ctrl+e", "end_round", "End round", priority=True),
        Binding("escape", "cancel", "Cancel", priority=True),
        Binding("ctrl+r", "retry", "Ask again", priority=True),
        Binding("ctrl+t", "try_again", "Try again", priority=True),
        Binding("ctrl+g", "example", "Example answer", priority=True),
        Binding("ctrl+o", "offline", "Go on offline", priority=True),
        Binding("ctrl+down", "scroll_scores(1)", "Scores", key_display="^↓", priority=True),
        Binding("ctrl+up", "scroll_scores(-1)", "Scores up", key_display="^↑", show=False, priority=True),
    ]

    def __init__(self, session: Session, *, loop: Loop | None = None, intro: str | None = None, restored: bool = False):
        super().__init__()
        self.session = session
        self.loop = loop
        #: a line shown above the first question (what a drill drills)
        self.intro = intro
        #: the session was resumed: its earlier turns are shown first
        self.restored = restored
        #: ctrl+q was pressed once with an answer unsubmitted or being graded
        self.quit_warned = False
        self.streaming: TurnPlan | None = None
        self.streamed: list[str] = []
        self.grading: Grading | None = None
        self.tokens = 0
        #: monotonic time the pending question was shown (the answer clock starts there)
        self.shown_at: float | None = None
        self.ask_failed = False
        self.problem: str | None = None
        self.end_requested = False
        self.draft_warned = False
        #: every question is answered but the box still holds text, so the scorecard waits for ctrl+e
        self.round_over = False
        #: the panel shows a score (so it has something to scroll)
        self.scored = False
        #: times in a row the interviewer's turn has been asked again after failing (ctrl+r)
        self.retries = 0
        self.title = f"{ROUND_NAMES[session.round]} · {session.level}"
        if loop is not None and session.loop_index is not None:
            self.title = f"Loop {session.loop_index + 1}/{len(loop.rounds)} · " + self.title
        self._subtitle()

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="main"):
                yield VerticalScroll(id="transcript")
                yield Static(id="problem")
                yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
                yield Static(id="status")
            yield VerticalScroll(Static("Your scores appear here after each answer.", id="scores"), id="panel")
        yield Footer()

    @property
    def box(self) -> TextArea:
        return self.query_one("#answer", TextArea)

    def on_mount(self) -> None:
        self.box.border_subtitle = "Enter: new line · ctrl+j: submit"  # in the box's border: one more line for the answer
        self.box.focus()
        self.set_interval(1, self._status)
        transcript = self.query_one("#transcript")
        if self.intro:
            transcript.mount(Static(self.intro, classes="note"))
        if self.restored:
            self._show_restored()
        self.ask_next()

    def _show_restored(self) -> None:
        """A resumed session: its answered turns so far, and the last score in the panel."""
        s, transcript = self.session, self.query_one("#transcript")
        last = None
        for thread in s.threads:
            for ex in thread.exchanges:
                transcript.mount(Label(self._label(ex.plan, thread.attempt), classes="who interviewer"))
                transcript.mount(Markdown(ex.asked, classes="asked"))
                if ex.answer is not None:
                    transcript.mount(Label("You", classes="who candidate"))
                    transcript.mount(Static(Text(ex.answer.strip("\n")), classes="answer-text"))
                    last = ex if ex.score else last
        answers = s.answered
        restored = "1 answer restored with its score" if answers == 1 else f"{answers} answers restored with their scores"
        transcript.mount(Static(f"Resumed: {restored}; the round goes on where it stopped.", classes="note"))
        if last is not None:
            self.query_one("#scores", Static).update(Hanging(render_score(s, last)))
            self.scored = True

    def _label(self, plan: TurnPlan, attempt: int | None = None) -> str:
        """The transcript's label for a turn: which question (and which try: ``attempt``, else
        the next one for a retry), or the follow-up's criterion (none for the one that brings an
        answer back to the question)."""
        s = self.session
        if plan.kind == "follow_up":
            return f"Follow-up · {s.rubric.criterion(plan.criterion_id).name}" if plan.criterion_id else "Follow-up"
        if attempt is None:
            thread = next((t for t in s.threads if t.question.id == plan.question.id), None)
            attempt = thread.attempt + 1 if plan.retry and thread else 1
        n = s.questions.index(plan.question) + 1
        return f"Question {n} of {len(s.questions)}" + (f" · try {attempt}" if attempt > 1 else "")

    def _subtitle(self) -> None:
        """The header's counter and models, shortest first so that 80 columns show it whole offline."""
        s = self.session
        n, total = s.position
        asks, grades = s.interviewer.name, s.grader_name
        models = asks if asks == grades else f"{asks} asks · {grades} grades"
        self.sub_title = f"question {n} of {total} · {models}"

    def on_resize(self) -> None:
        self.call_after_refresh(self.query_one("#transcript").scroll_end, animate=False)

    def on_screen_suspend(self) -> None:
        """The round's notices ("answer not submitted"...) go with its screen."""
        self.app.clear_notifications()

    # -- which keys apply now -------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which keys apply now (the footer shows only those): submit while a question waits for
        an answer, cancel while the interviewer talks or an answer is graded, ask again after
        asking failed, go offline after a model failed, scroll the panel once it has scores."""
        if action == "submit":
            return (self.session.pending is not None and self.streaming is None and self.grading is None
                    and not self.round_over and not self.session.ended)
        if action == "cancel":
            return self.streaming is not None or self.grading is not None
        if action == "retry":
            return self.ask_failed and self.streaming is None
        if action == "try_again":
            return (self.session.retry_target is not None and self.streaming is None and self.grading is None
                    and not self.ask_failed)
        if action == "example":
            target = self.session.retry_target
            return target is not None and self.grading is None and example_for(target.question.id) is not None
        if action == "offline":
            return self.problem is not None and not self.session.offline and self.grading is None
        if action == "scroll_scores":
            return self.scored
        return True

    def _changed(self) -> None:
        """State changed: refresh the footer's keys and the status line."""
        self.refresh_bindings()
        self._status()

    def _status(self) -> None:
        s = self.session
        if self.grading:
            text = f"Grading your answer… {time.monotonic() - self.grading.started:.0f}s · Escape cancels"
            if self.end_requested:
                text += " · then the round ends"
        elif self.streaming:
            text = "Asking again… Escape stops it" if self.retries else "The interviewer is asking… Escape stops it"
        elif s.pending and self.shown_at is not None:
            pace = Pace.of(s.round, self.box.text, None)
            text = f"⏱ {clock(time.monotonic() - self.shown_at)} · {plural(pace.words, 'word')}"
            if pace.target_words:
                text += f" · aim ≤ {pace.target_words} ({(pace.target_seconds or 0) // 60} min)"
        else:
            text = ""
        self.query_one("#status", Static).update(text)

    def _show_problem(self, text: str | None) -> None:
        self.problem = text
        widget = self.query_one("#problem", Static)
        widget.update(text or "")
        widget.display = text is not None
        self._changed()

    def _offline_offer(self) -> str:
        return "" if self.session.offline else ", or ctrl+o to go on offline (scripted questions, offline grader)"

    # -- turns -------------------------------------------------------------------

    def ask_next(self) -> None:
        plan = self.session.plan_next()
        if plan is None and self.box.text.strip():  # typed ahead for a turn that will not come: keep it on screen
            self.round_over = True
            self._show_problem("That was the last question. Press ctrl+e for the scorecard (the text in the box is not sent).")
            return
        retried = self.session.retry_target
        if plan is None and retried is not None and retried.attempt > 1:  # keep what changed on screen until asked
            self.round_over = True
            self._show_problem("That was the last question: the panel shows what changed since your last try. Press ctrl+e for "
                               "the scorecard, or ctrl+t to try it again.")
            return
        if plan is None:
            self.end_round_now()
            return
        transcript = self.query_one("#transcript")
        who = Label(self._label(plan), classes="who interviewer")
        md = Markdown("", classes="asked")
        transcript.mount(who)
        transcript.mount(md)
        transcript.scroll_end(animate=False)
        self.asking_widgets = (who, md)
        self.streaming, self.streamed = plan, []
        self._changed()
        self.stream_turn(plan, md)

    @work(exclusive=True, group="stream")
    async def stream_turn(self, plan: TurnPlan, md: Markdown) -> None:
        stream = Markdown.get_stream(md)
        md.loading = True  # until the first words arrive (a model may take a moment)
        try:
            async for chunk in self.session.stream(plan):
                if md.loading:
                    md.loading = False
                    if self.retries and self.problem:  # "Asking again…": it is asking now
                        self._show_problem(None)
                self.streamed.append(chunk)
                await stream.write(chunk)
        except Exception as exc:  # noqa: BLE001 - a model failure must not crash the app
            self.post_message(TurnFailed(one_line(exc), "asking"))
            return
        finally:
            md.loading = False
            await stream.stop()
        asked = self.session.pending
        if asked is not None and asked.scripted:  # the model's words could not stand: show what was asked instead
            await md.update(f"{asked.asked}\n\n*(the scripted wording: {asked.scripted})*")
        self.post_message(TurnAsked(plan, asked.asked if asked else "".join(self.streamed)))

    def on_turn_asked(self, message: TurnAsked) -> None:
        self.streaming = None
        if self.retries and self.problem:
            self._show_problem(None)
        self.retries = 0
        self.shown_at = time.monotonic()
        self._subtitle()
        self._changed()
        self.query_one("#transcript").scroll_end(animate=False)
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.first_question_shown = True

    def action_cancel(self) -> None:
        """Escape: stop the interviewer mid-turn (the scripted wording stands in), or cancel
        grading (the answer returns to the box). The answer box keeps its text and focus."""
        if self.streaming is not None:
            plan = self.streaming
            self.workers.cancel_group(self, "stream")
            pending = self.session.pending
            if pending is None or pending.plan is not plan:  # not already recorded by a stream that just ended
                pending = self.session.record_asked(plan, plan.text)
            self.asking_widgets[1].update(pending.asked)
            self.box.focus()
            self.post_message(TurnAsked(plan, plan.text))
        elif self.grading is not None:
            self._restore_draft()
            self.end_requested = False
            self._show_problem(None)
            self.notify("Grading cancelled; your answer is back in the box.")

    def _restore_draft(self) -> None:
        """Take the answer being graded back into the box, before anything typed since."""
        grading, self.grading = self.grading, None
        if grading is None:
            return
        self.workers.cancel_group(self, "grade")
        for w in grading.widgets:
            w.remove()
        typed_since = self.box.text
        self.box.text = grading.text + ("\n" + typed_since if typed_since.strip() else "")
        self.box.move_cursor(self.box.document.end)
        self.box.focus()
        self._changed()

    # -- answers -----------------------------------------------------------------

    def action_submit(self) -> None:
        self.box.call_later(self._submit)  # after every key typed before it

    def _submit(self) -> None:
        if self.session.ended:
            return
        text = self.box.text
        if not text.strip():
            self.notify("Type an answer first (Enter makes a new line).", severity="warning")
        elif self.grading:
            self.notify("Your last answer is still being graded (Escape cancels it).", severity="warning")
        elif self.streaming:
            self.notify("Wait for the interviewer to finish the question (Escape stops it).", severity="warning")
        elif self.round_over:
            self.notify("That was the last question: ctrl+e shows the scorecard.", severity="warning")
        elif self.session.pending is None:
            self._show_problem("No question is waiting for an answer: asking it failed. Press ctrl+r to ask again"
                               f"{self._offline_offer()}. Your answer stays in the box.")
        else:
            self.tokens += 1
            seconds = round(time.monotonic() - self.shown_at, 1) if self.shown_at is not None else None
            transcript = self.query_one("#transcript")
            widgets = (Label("You", classes="who candidate"), Static(Text(text.strip("\n")), classes="answer-text"))
            transcript.mount_all(widgets)
            transcript.scroll_end(animate=False)
            self.box.clear()
            self.draft_warned = self.quit_warned = False
            self.grading = Grading(self.tokens, text, seconds, time.monotonic(), widgets)
            self._show_problem(None)
            self.grade_answer(self.tokens, text, seconds)

    @work(thread=True, exclusive=True, group="grade")
    def grade_answer(self, token: int, text: str, seconds: float | None) -> None:
        try:
            graded = self.session.grade(text)
        except Exception as exc:  # noqa: BLE001 - e.g. the model server went away
            self.post_message(TurnFailed(one_line(exc), "grading", token))
            return
        self.post_message(AnswerScored(token, text, graded, seconds))

    def on_answer_scored(self, message: AnswerScored) -> None:
        if self.grading is None or message.token != self.grading.token or self.session.ended:
            return  # cancelled: the answer went back to the box
        self.grading = None
        ex = self.session.record_answer(message.answer, message.graded, message.seconds)
        self.query_one("#scores", Static).update(Hanging(render_score(self.session, ex)))
        self.query_one("#panel").scroll_home(animate=False)
        self.scored = True
        self._changed()
        if self.end_requested:
            self.end_round_now()
        else:
            self.ask_next()

    def on_turn_failed(self, message: TurnFailed) -> None:
        if self.session.ended:
            return
        if message.during == "grading":
            if self.grading is None or message.token != self.grading.token:
                return
            self._restore_draft()
            self.end_requested = False
            self._show_problem(f"Grading failed: {message.error}. Your answer is back in the box: press ctrl+j to grade it "
                               f"again{self._offline_offer()}.")
            return
        for w in getattr(self, "asking_widgets", ()):
            w.remove()  # the half-asked turn goes; ctrl+r asks it again
        self.streaming = None
        self.ask_failed = True
        self.box.focus()
        tried = f" (asked again {plural(self.retries, 'time')})" if self.retries else ""
        self._show_problem(f"The interviewer could not ask{tried}: {message.error}. Press ctrl+r to ask again{self._offline_offer()}. "
                           "Anything you type stays in the box.")

    def action_retry(self) -> None:
        """ctrl+r: ask the interviewer's turn again after a failure (the typed answer stays). The
        problem line says "Asking again…" at once, until the turn streams or fails again."""
        self.ask_failed = False
        self.retries += 1
        self._show_problem("Asking again…")
        self.ask_next()

    def action_offline(self) -> None:
        """ctrl+o: after a model failure, go on with the scripted interviewer and offline grader."""
        self.session.use_offline()
        self._subtitle()
        self._show_problem(None)
        self.notify("Going on offline: scripted questions and the offline grader.")
        if self.ask_failed:
            self.action_retry()

    def action_try_again(self) -> None:
        """ctrl+t: ask the question scored last again, as a new attempt; the turn asked after
        its score comes again afterwards. The scorecard counts the latest attempt."""
        if not self.check_action("try_again", ()):
            return
        left = self.session.pending
        plan = self.session.retry()
        transcript = self.query_one("#transcript")
        later = " (asked again after this one)" if left is not None and left.plan.kind == "question" else ""
        transcript.mount(Static(f"Trying question {self.session.questions.index(plan.question) + 1} again{later}.", classes="note"))
        self.round_over = False
        self._show_problem(None)
        self.ask_next()

    def action_example(self) -> None:
        """Show the strong example answer to the question last scored beside the candidate's own."""
        target = self.session.retry_target
        items = examples_of(self.session, [target]) if target else []
        if items:
            self.app.push_screen(ExampleScreen(items))

    def action_scroll_scores(self, direction: int) -> None:
        panel = self.query_one("#panel", VerticalScroll)
        panel.scroll_relative(y=direction * max(1, panel.size.height - 2), animate=False)

    def action_end_round(self) -> None:
        self.box.call_later(self._end_round)  # after every key typed before it

    def _end_round(self) -> None:
        if self.session.ended:
            return
        if self.grading:
            self.end_requested = True
            self._changed()
        elif self.box.text.strip() and not self.draft_warned and not self.round_over:
            self.draft_warned = True
            self.notify("Your answer in the box is not submitted: ctrl+j submits it; ctrl+e again ends the round without it.",
                        severity="warning", timeout=8)
        else:
            self.end_round_now()

    def end_round_now(self) -> None:
        self.workers.cancel_group(self, "stream")
        card = self.loop.finish_round() if self.loop is not None else self.session.finish()
        self.app.switch_screen(ScorecardScreen(card, self.session, loop=self.loop))

    def quit_warning(self) -> str | None:
        """What ctrl+q must say before it quits (once): an answer being graded, or one typed
        and not submitted; None when it may quit at once."""
        if self.session.ended or self.quit_warned:
            return None
        if self.grading is not None:
            return "Your answer is still being graded: ctrl+q again quits without it (every answer before it is saved)."
        if self.box.text.strip():
            return "Your answer in the box is not submitted: ctrl+j submits it; ctrl+q again quits without it (what you answered is saved)."
        return None


def render_score(session: Session, ex: Exchange) -> Text:
    """The side panel after an answer: the question's score on its combined answer (overall,
    band, each criterion with its quotes), the answer's pace, and, where the model could not
    grade, one line saying so with the fix before the offline grader's scores."""
    graded, score = ex.graded, ex.score
    assert graded is not None and score is not None
    thread = next(t for t in session.threads if ex in t.exchanges)
    parts = sum(1 for e in thread.exchanges if e.answer is not None and not e.declined)
    out = Text()
    n = session.threads.index(thread) + 1
    what = "your answer" if parts <= 1 else f"your answer and {parts - 1} follow-up{'s' if parts > 2 else ''} together"
    out.append(f"Question {n} of {len(session.questions)} · {what}\n", style="dim")
    if graded.model_failed:
        reason, _, fix = (graded.score.reason or "its output did not validate").partition(" — fix: ")
        fix = fix or "a larger --grader-model, or --model offline"
        out.append(f"⚠ {graded.score.grader.model} could not grade this answer ({reason.split(' (')[0]}) — fix: {fix}.\n",
                   style="bold yellow")
        out.append("Scores from the offline grader:\n", style="bold")
    if thread.previous is not None and thread.previous.score is not None and score.status == "scored":
        out.append_text(render_diff(thread.attempt, thread.previous.score, score))
    out.append_text(render_pace(session, ex))
    if score.status == "unscored":
        out.append("Unscored\n", style="bold yellow")
        out.append(f"{score.reason}\n")
        return out
    off = [f for f in score.flags if f.kind == "off_question"]
    for f in off:  # first: everything below is about an answer to another question
        out.append(f"⚠ {f.message}\n", style="bold red")
    band = score.overall.band or 1
    out.append(f"Overall {score.overall.score:.2f}  ", style="bold")
    out.append(f"{BAND_NAMES[band]}", style=SCORE_STYLE[band])
    out.append(" (offline)\n" if graded.model_failed else "\n", style="dim")
    if score.overall.adjustments:
        out.append(f"  {score.overall.explanation()}\n", style="dim")
    if score.story is not None:
        out.append_text(render_story(score))
    for f in score.flags:
        if f.kind != "off_question":
            out.append(f"\n⚠ {f.message}\n", style="bold magenta")
    if score.grader.caveat:
        out.append(f"\n⚠ {score.grader.caveat}\n", style="yellow")
    out.append_text(render_criteria(score))
    return out


def render_story(score: AnswerScore) -> Text:
    """One line: the story type the answer reads as, and the culture themes it shows."""
    story = score.story
    out = Text()
    if story is None:
        return out
    out.append(f"Story: {STORY_TYPE_NAMES.get(story.type, story.type)}", style="dim")
    if story.themes:
        out.append(f" · shows {', '.join(THEME_NAMES[t] for t in story.themes)}", style="dim")
    out.append("\n")
    return out


def render_diff(attempt: int, previous: AnswerScore, current: AnswerScore) -> Text:
    """Against the previous attempt at the question: each criterion up (▲), down (▼) or the
    same, the supporting quotes added, and what is still missing (under 3)."""
    diff = compare_attempts(previous, current)
    out = Text()
    out.append(f"Try {attempt} against try {attempt - 1}\n", style="bold")
    for c in diff.changes:
        if c.before is None and c.after is None:  # not called for in either try
            continue
        before = "—" if c.before is None else str(c.before)
        after = "—" if c.after is None else str(c.after)
        style = {"▲": "green", "▼": "red"}.get(c.arrow, "dim")
        out.append(f"  {c.name} {before} -> {after} ")
        out.append(f"{c.arrow}\n", style=style)
    if diff.added:
        out.append("Evidence added\n", style="bold green")
        for q in diff.added[:4]:
            out.append(f"  + {q.criterion}: “{clip(q.quote, 80)}”\n", style="green")
    else:
        out.append("No new evidence.\n", style="dim")
    if diff.still_missing:
        out.append("Still missing\n", style="bold yellow")
        for name, why in diff.still_missing.items():
            out.append(f"  {name}: {why}\n", style="yellow")
    out.append("\n")
    return out


def render_pace(session: Session, ex: Exchange) -> Text:
    """One line (two when rambling): time taken, words, and the spoken length against the
    round's target."""
    pace = session.pace(ex)
    out = Text()
    took = f"took {clock(pace.seconds)} · " if pace.seconds is not None else ""
    out.append(f"Pace: {took}{plural(pace.words, 'word')} ≈ {clock(pace.spoken_seconds)} spoken", style="dim")
    if pace.target_seconds:
        out.append(f" (target {clock(pace.target_seconds)})", style="dim")
    out.append("\n")
    if pace.rambling:
        out.append(f"⚠ Rambling: well over the {clock(pace.target_seconds or 0)} target; get to your part and the result "
                   "sooner (not scored)\n", style="bold yellow")
    return out


def render_criteria(score: AnswerScore) -> Text:
    """Each criterion: its score and name, then the quotes that raised it (+) and held it down
    (−), or the line saying it was not shown or does not apply."""
    out = Text()
    for c in score.criteria:
        out.append("\n")
        if c.score is None:
            out.append("  — ", style="dim")
            out.append(f"{c.name}\n", style="dim")
            out.append(f"    {c.note()}\n", style="dim italic")
            continue
        out.append(f"  {c.score} ", style=SCORE_STYLE[c.score])
        out.append(f"{c.name}\n", style="bold")
        for e in c.evidence[:3]:
            mark = "+" if e.effect == "support" else "−"
            out.append(f"    {mark} “{e.clipped(90)}”\n", style="green" if e.effect == "support" else "red")
        note = c.note()
        if note:
            out.append(f"    {note}\n", style="dim")
    return out


# --------------------------------------------------------------------------- scorecard


def example_for(question_id: str):
    """The bank question's example answers, or None (no exemplars file, or none for it)."""
    from interviewer.rubrics import load_exemplars

    try:
        return load_exemplars().questions.get(question_id)
    except FileNotFoundError:
        return None


class ExampleScreen(ModalScreen):
    """Strong example answers beside the candidate's own, with why each is strong: one pair per
    question in ``items`` ((question, your answer, example) triples). Escape closes it."""

    BINDINGS = [Binding("escape", "dismiss", "Back"), Binding("ctrl+g", "dismiss", "Back", show=False),
                Binding("e", "dismiss", "Back", show=False)]

    def __init__(self, items: list[tuple[str, str, object]]) -> None:
        super().__init__()
        self.items = items

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="example-box"):
            for question, yours, example in self.items:
                yield Label(f"{question}  (strong example written for {example.level})", classes="example-title")
                with Horizontal(classes="example-columns"):
                    yield Static(Hanging(Text("Your answer\n", style="bold") + Text(yours)), classes="example-yours")
                    why = Text("\nWhy it is strong\n", style="bold green")
                    for w in example.strong.why:
                        why.append(f"  • {w}\n")
                    yield Static(Hanging(Text("Strong example (strong hire)\n", style="bold green") + Text(example.strong.answer.strip())
                                         + Text("\n") + why), classes="example-strong")
        yield Footer()


def examples_of(session: Session, threads=None) -> list[tuple[str, str, object]]:
    """(question, the candidate's answer, the example answers) for each answered thread of
    ``threads`` (default: all the session's) whose question has examples."""
    out = []
    for t in threads if threads is not None else session.threads:
        ex = example_for(t.question.id)
        yours = PART_SEPARATOR.join(e.answer for e in t.exchanges if e.answer is not None and not e.declined)
        if ex is not None and yours:
            out.append((t.question.text, yours, ex))
    return out


class ScorecardScreen(Screen):
    """The end of the round: a bar per criterion, the overall and band, strongest and weakest
    evidence, and what to practise next."""

    #: q quits as the app's ctrl+q does; the same action name lets the footer show the pair once ("q Quit")
    BINDINGS = [Binding("n", "new_round", "New round"), Binding("q", "quit", "Quit"),
                Binding("e", "examples", "Example answers"),
                Binding("enter", "next_round", "Next round", priority=True),
                Binding("enter", "loop_card", "Loop scorecard", priority=True)]

    def __init__(self, card: Scorecard, session: Session, *, loop: Loop | None = None):
        super().__init__()
        self.card, self.session, self.loop = card, session, loop
        self.title = f"Scorecard · {ROUND_NAMES[card.round]} · {card.level}"
        if loop is not None and session.loop_index is not None:
            self.title = f"Loop {session.loop_index + 1}/{len(loop.rounds)} · " + self.title
        self.sub_title = "↑↓ PgUp PgDn scroll"

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "new_round":
            return self.loop is None
        if action == "next_round":
            return self.loop is not None and not self.loop.done
        if action == "loop_card":
            return self.loop is not None and self.loop.done
        if action == "examples":
            return bool(examples_of(self.session))
        return True

    def action_examples(self) -> None:
        """Each question's strong example answer beside the candidate's own."""
        items = examples_of(self.session)
        if items:
            self.app.push_screen(ExampleScreen(items))

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static(Hanging(self.render_card()), id="card"), id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scorecard").focus()

    def render_card(self) -> Text:
        card = self.card
        out = Text()
        if card.overall.score is None:
            out.append("No scored answers in this round.\n\n", style="bold yellow")
        else:
            out.append(f"Overall {card.overall.score:.2f} / 4  ", style="bold")
            out.append(f"{card.overall.band_name}\n", style=SCORE_STYLE[card.overall.band or 1])
            out.append("  = the mean of the question scores:\n" if len(card.question_scores) > 1 else "  = the question's score:\n",
                       style="dim")
            for i, q in enumerate(card.question_scores, 1):
                off = "  ⚠ off the question" if q.off_question else ""
                out.append(f"  Q{i} {q.score:.2f} {BAND_NAMES[q.band]}{off} · {clip(q.text, 60)}\n", style="dim")
        declined = f", {card.declined} declined" if card.declined else ""
        out.append(f"{plural(card.questions, 'question')}, {plural(card.answers, 'answer')}{declined}, {card.unscored} unscored "
                   f"· session {card.session_id}\n", style="dim")
        if card.caveat:
            out.append(f"⚠ {card.caveat}\n", style="yellow")
        if card.off_question:
            out.append(f"⚠ {plural(card.off_question, 'answer')} did not address the question asked; "
                       f"{'its score was' if card.off_question == 1 else 'their scores were'} halved above 1 and held below lean hire.\n",
                       style="red")
        if card.offline_scored:
            out.append(f"{card.grader} could not grade {plural(card.offline_scored, 'answer')}; the offline grader scored "
                       f"{'it' if card.offline_scored == 1 else 'them'}.\n", style="yellow")
        out.append("\n")
        width = max(len(c.name) for c in card.criteria)
        for c in card.criteria:
            out.append(f"{c.name:<{width}}  ")
            out.append_text(bar(c.score))
            out.append("\n")
        if card.strongest:
            out.append("\nStrongest evidence\n", style="bold green")
            for h in card.strongest:
                out.append(f"  {h.criterion_name} ({h.score:.0f}): “{clip(h.quote or '', 120)}”\n")
        if card.weakest:
            out.append("\nWeakest\n", style="bold red")
            for h in card.weakest:
                quote = f": “{clip(h.quote, 120)}”" if h.quote else ""
                out.append(f"  {h.criterion_name} ({h.score:.1f}): {h.signal}{quote}\n")
                out.append(f"    in: {h.question}\n", style="dim")
        if card.practice_next:
            out.append("\nPractise next\n", style="bold")
            for p in card.practice_next:
                out.append(f"  • {p}\n")
        if card.rambling:
            out.append(f"\n⚠ {plural(card.rambling, 'answer')} ran well over the round's target length (rambling).\n", style="yellow")
        if card.flagged:
            out.append(f"\n⚠ {plural(card.flagged, 'answer')} contained text addressed to the grader; it was ignored.\n", style="magenta")
        if self.loop is not None:
            nxt = self.loop.next_round
            out.append(f"\nEnter: the next round, {ROUND_NAMES[nxt]}.\n" if nxt else "\nEnter: the loop's scorecard and decision.\n",
                       style="bold")
        return out

    def action_new_round(self) -> None:
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.show_setup()

    def action_quit(self) -> None:
        self.app.action_quit()

    def action_next_round(self) -> None:
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.start_loop_round()

    def action_loop_card(self) -> None:
        assert self.loop is not None
        self.app.switch_screen(LoopScorecardScreen(self.loop.scorecard()))


class LoopScorecardScreen(Screen):
    """The end of a loop: each round's band, the decision at the level, and which rounds
    carried or sank it."""

    #: q quits as on a round's scorecard (the footer shows "q Quit" once)
    BINDINGS = [Binding("n", "new_round", "New round"), Binding("q", "quit", "Quit")]

    def __init__(self, card: LoopScorecard):
        super().__init__()
        self.card = card
        self.title = f"Loop scorecard · {card.level}"
        self.sub_title = "↑↓ PgUp PgDn scroll"

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static(Hanging(render_loop_card(self.card)), id="card"), id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#scorecard").focus()

    def action_new_round(self) -> None:
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.loop = None
        app.show_setup()

    def action_quit(self) -> None:
        self.app.action_quit()


def render_loop_card(card: LoopScorecard) -> Text:
    """The loop scorecard: the decision first, then a line per round (bar, band, and whether
    it carried or sank the decision, with why), then the reasons."""
    out = Text()
    if card.decision is None:
        out.append(f"The loop is not finished ({card.rounds_done} of {len(card.rounds)} rounds): no decision yet.\n\n", style="bold yellow")
    else:
        out.append(f"Decision at {card.level}: ", style="bold")
        out.append(f"{card.decision}\n", style="bold green" if card.decision == "hire" else "bold red")
        if card.mean_band is not None:
            out.append(f"Mean of the round bands {card.mean_band:.2f} · every round weighs the same; "
                       "the culture round can sink the loop on its own.\n", style="dim")
        out.append("\n")
    width = max(len(r.name) for r in card.rounds)
    for r in card.rounds:
        out.append(f"{r.name:<{width}}  ")
        out.append_text(bar(r.score, 12))
        band = r.band_name if r.band else ("no scored answer" if r.done else "not done")
        out.append(f"  {band}", style=SCORE_STYLE.get(r.band or 0, "dim"))
        if r.role:
            out.append(f"  {'▲ carried' if r.role == 'carried' else '▼ sank'}", style="green" if r.role == "carried" else "bold red")
        out.append("\n")
        if r.why:
            out.append(f"    {r.why}\n", style="dim")
    if card.reasons:
        out.append("\nWhy\n", style="bold")
        for reason in card.reasons:
            out.append(f"  • {reason}\n")
    out.append(f"\nloop {card.loop_id}\n", style="dim")
    return out


# --------------------------------------------------------------------------- app


class InterviewerApp(App):
    """The practice app. Use :func:`create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "interviewer"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, *, round_id: str | None, level: str | None, questions: int, seed: int | None, store: Store | None,
                 grader=None, interviewer=None, offline_grader=None, loop: bool = False, resume: Session | Loop | None = None,
                 question_ids: list[str] | None = None, intro: str | None = None):
        super().__init__()
        self.offline_grader = offline_grader
        self.round_id, self.level = round_id, level
        self.questions, self.seed = questions, seed
        self._store = store
        self.grader, self.interviewer = grader, interviewer
        self.session: Session | None = None
        self.loop: Loop | None = None
        self.full_loop, self.resume = loop, resume
        #: the first round's questions (a drill's), and the line shown above them
        self.question_ids, self.intro = question_ids, intro
        #: set when the first question has been fully shown (benchmarks read it)
        self.first_question_shown = False

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store()
        return self._store

    def on_mount(self) -> None:
        if isinstance(self.resume, Loop):
            self.loop = self.resume
            self.session = self.loop.current
            if self.session is None:
                self.start_loop_round()
            else:
                self._show(InterviewScreen(self.session, loop=self.loop, restored=True))
        elif isinstance(self.resume, Session):
            self.session = self.resume
            self.round_id, self.level = self.session.round, self.session.level
            self._show(InterviewScreen(self.session, restored=True))
        elif self.full_loop:
            self.loop = Loop(self.level or "L5", questions=self.questions, store=self.store, seed=self.seed, interviewer=self.interviewer,
                             grader=self.grader, offline_grader=self.offline_grader)
            self.start_loop_round()
        elif self.round_id and self.level:
            self.start_round(self.round_id, self.level, self.questions)
        else:
            self.show_setup()

    def _show(self, screen: Screen) -> None:
        self.switch_screen(screen) if len(self.screen_stack) > 1 else self.push_screen(screen)

    def start_round(self, round_id: str, level: str, questions: int) -> None:
        """Start a round; the choices become the setup screen's defaults for the next one. A
        previous round with no answer is deleted; a drill's questions go to the first round."""
        self.discard_empty()
        self.round_id, self.level, self.questions = round_id, level, questions
        ids, self.question_ids = self.question_ids, None
        self.session = Session(round_id, level, interviewer=self.interviewer, grader=self.grader, store=self.store,
                               questions=questions, seed=self.seed, offline_grader=self.offline_grader, question_ids=ids)
        intro, self.intro = self.intro, None
        self._show(InterviewScreen(self.session, intro=intro))

    def start_loop_round(self) -> None:
        """Start the loop's next round."""
        assert self.loop is not None
        self.session = self.loop.start_round()
        self._show(InterviewScreen(self.session, loop=self.loop))

    def discard_empty(self) -> None:
        """Delete what holds no answer: the loop (or its round in progress) or the session."""
        if self.loop is not None:
            self.loop.discard_if_empty()
        elif self.session is not None:
            self.session.discard_if_empty()

    @property
    def resumable(self) -> str | None:
        """The id to resume what was left unfinished (None when nothing was, or it held no answer)."""
        if self.loop is not None:
            return self.loop.id if not self.loop.done and self.loop.answered else None
        if self.session is not None and not self.session.ended and self.session.answered:
            return self.session.id
        return None

    def action_quit(self) -> None:
        """ctrl+q: quit, after one warning when an answer is typed and not submitted (or being
        graded); a session or loop with no answer is deleted, the rest stays resumable."""
        screen = self.screen
        if isinstance(screen, InterviewScreen):
            screen.box.call_later(self._quit, screen)  # after every key typed before it
        else:
            self._quit(None)

    def _quit(self, screen: InterviewScreen | None) -> None:
        warning = screen.quit_warning() if screen is not None else None
        if warning and screen is not None:
            screen.quit_warned = True
            self.notify(warning, severity="warning", timeout=8)
            return
        self.discard_empty()
        self.exit()

    def show_setup(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(SetupScreen(self.round_id or "behavioral", self.level or "L5", self.questions))


def create_app(*, round_id: str | None = None, level: str | None = None, questions: int = DEFAULT_QUESTIONS, seed: int | None = None,
               store: Store | None = None, grader=None, interviewer=None, offline_grader=None, loop: bool = False,
               resume: Session | Loop | None = None, question_ids: list[str] | None = None, intro: str | None = None) -> InterviewerApp:
    """The app factory shared by the CLI and the tests. ``store`` defaults to the user's
    history (``$INTERVIEWER_DATA_DIR`` overrides); ``grader``/``interviewer`` default to the
    offline ones; ``offline_grader`` (an ``OfflineGrader``, with the chosen calibration) is the
    one to fall back on when a model cannot grade. ``loop``: run the full loop at ``level``
    (L5 when None); ``resume``: a restored :class:`Session` or :class:`Loop` to go on with;
    ``question_ids``: the first round's questions (a drill's); ``intro``: a line shown above
    the first question."""
    return InterviewerApp(round_id=round_id, level=level, questions=questions, seed=seed, store=store, grader=grader,
                          interviewer=interviewer, offline_grader=offline_grader, loop=loop, resume=resume,
                          question_ids=question_ids, intro=intro)
