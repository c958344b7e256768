"""The practice app (Textual). It only renders what the core returns: the round's logic is
:class:`~interviewer.session.Session`, scores come from its grader, history from the store.

Workers drive the core and post messages; message handlers own the screen's state.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Label, Markdown, RadioButton, RadioSet, Static, TextArea

from interviewer.rubrics import LEVEL_NAMES, LEVELS, ROUNDS
from interviewer.scoring import BAND_NAMES, AnswerScore
from interviewer.session import ROUND_NAMES, Scorecard, Session, TurnPlan
from interviewer.storage import Store

SCORE_STYLE = {1: "bold red", 2: "yellow", 3: "green", 4: "bold green"}


def bar(score: float | None, width: int = 20) -> Text:
    """A horizontal bar for a 1-4 score (empty for None)."""
    if score is None:
        return Text("░" * width + "   —", style="dim")
    filled = round(score / 4 * width)
    style = SCORE_STYLE[min(4, max(1, round(score)))]
    return Text("█" * filled, style=style) + Text("░" * (width - filled), style="dim") + Text(f" {score:.1f}")


# --------------------------------------------------------------------------- messages


@dataclass
class TurnAsked(Message):
    """The interviewer finished asking ``text`` for ``plan`` (streamed, or cut short)."""

    plan: TurnPlan
    text: str


@dataclass
class AnswerScored(Message):
    """The grader scored the candidate's ``answer``."""

    answer: str
    score: AnswerScore


@dataclass
class TurnFailed(Message):
    """Asking or grading failed; ``error`` is one line. Nothing typed is lost."""

    error: str
    during: str


# --------------------------------------------------------------------------- setup


class SetupScreen(Screen):
    """Choose the round and the level, then start."""

    BINDINGS = [Binding("ctrl+s", "start", "Start")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="setup"):
            yield Label("Practise a round. Pick one, pick your level, then Start (or ctrl+s).", id="setup-title")
            with Horizontal():
                with RadioSet(id="round"):
                    for i, r in enumerate(ROUNDS):
                        yield RadioButton(ROUND_NAMES[r], value=i == 3, name=r)
                with RadioSet(id="level"):
                    for lvl in LEVELS:
                        yield RadioButton(LEVEL_NAMES[lvl], value=lvl == "L5", name=lvl)
            yield Button("Start", id="start", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#round", RadioSet).focus()

    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        round_btn = self.query_one("#round", RadioSet).pressed_button
        level_btn = self.query_one("#level", RadioSet).pressed_button
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.start_round(round_btn.name if round_btn else "behavioral", level_btn.name if level_btn else "L5")


# --------------------------------------------------------------------------- interview


class InterviewScreen(Screen):
    """The round: transcript, the streamed question, the answer box and the score panel."""

    BINDINGS = [
        Binding("ctrl+j", "submit", "Submit answer", priority=True),
        Binding("alt+enter", "submit", "Submit", show=False, priority=True),
        Binding("ctrl+e", "end_round", "End round", priority=True),
        Binding("ctrl+r", "retry", "Retry question", priority=True),
        Binding("escape", "stop_stream", "Stop interviewer", show=False),
    ]

    def __init__(self, session: Session):
        super().__init__()
        self.session = session
        self.busy = False
        self.streaming: TurnPlan | None = None
        self.streamed: list[str] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal():
            with Vertical(id="main"):
                yield VerticalScroll(id="transcript")
                yield TextArea(id="answer", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
                yield Static("Enter: new line · ctrl+j or alt+enter: submit · ctrl+e: scorecard", id="hint")
            yield VerticalScroll(Static("Your scores appear here after each answer.", id="scores"), id="panel")
        yield Footer()

    def on_mount(self) -> None:
        s = self.session
        self.title = f"{ROUND_NAMES[s.round]} · {LEVEL_NAMES[s.level]}"
        self.sub_title = f"interviewer: {s.interviewer.name} · grader: {s.grader.info.model or s.grader.info.name}"
        self.query_one("#answer", TextArea).focus()
        self.ask_next()

    # -- turns -------------------------------------------------------------------

    def ask_next(self) -> None:
        plan = self.session.plan_next()
        if plan is None:
            self.action_end_round()
            return
        transcript = self.query_one("#transcript")
        label = "Question" if plan.kind == "question" else f"Follow-up · {self.session.rubric.criterion(plan.criterion_id).name}"
        who = Label(label, classes="who interviewer")
        md = Markdown("", classes="asked")
        transcript.mount(who)
        transcript.mount(md)
        self.asking_widgets = (who, md)
        self.streaming, self.streamed = plan, []
        self.busy = True
        self.stream_turn(plan, md)

    @work(exclusive=True, group="stream")
    async def stream_turn(self, plan: TurnPlan, md: Markdown) -> None:
        stream = Markdown.get_stream(md)
        md.loading = True  # until the first words arrive (a model may take a moment)
        try:
            async for chunk in self.session.stream(plan):
                if md.loading:
                    md.loading = False
                self.streamed.append(chunk)
                await stream.write(chunk)
        except Exception as exc:  # noqa: BLE001 - a model failure must not crash the app
            self.post_message(TurnFailed(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, "asking"))
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
        self.busy = False
        self.query_one("#transcript").scroll_end(animate=False)
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.first_question_shown = True

    def action_stop_stream(self) -> None:
        """Escape: stop the interviewer mid-turn; the scripted wording stands in, and the
        answer box keeps its text and focus."""
        plan = self.streaming
        if plan is None:
            return
        self.workers.cancel_group(self, "stream")
        self.streaming = None
        asked = self.session.record_asked(plan, plan.text)
        mds = self.query(".asked")
        if mds:
            mds.last().update(asked.asked)
        self.busy = False
        self.query_one("#answer", TextArea).focus()
        self.post_message(TurnAsked(plan, plan.text))

    # -- answers -----------------------------------------------------------------

    def action_submit(self) -> None:
        box = self.query_one("#answer", TextArea)
        text = box.text.strip()
        if self.busy:
            self.notify("Wait for the interviewer to finish the question (Escape stops it).", severity="warning")
            return
        if not text:
            self.notify("Type an answer first (Enter makes a new line).", severity="warning")
            return
        self.busy = True
        box.read_only = True
        self.grade_answer(text)

    @work(thread=True, exclusive=True, group="grade")
    def grade_answer(self, text: str) -> None:
        try:
            score = self.session.answer(text)
        except Exception as exc:  # noqa: BLE001 - e.g. the model server went away
            self.post_message(TurnFailed(str(exc).splitlines()[0] if str(exc) else type(exc).__name__, "grading"))
            return
        self.post_message(AnswerScored(text, score))

    def on_answer_scored(self, message: AnswerScored) -> None:
        box = self.query_one("#answer", TextArea)
        box.read_only = False
        box.clear()
        transcript = self.query_one("#transcript")
        transcript.mount(Label("You", classes="who candidate"))
        transcript.mount(Static(Text(message.answer), classes="answer-text"))
        self.query_one("#scores", Static).update(render_score(message.score, message.answer))
        self.busy = False
        self.ask_next()

    def on_turn_failed(self, message: TurnFailed) -> None:
        if message.during == "asking":
            for w in getattr(self, "asking_widgets", ()):
                w.remove()  # the half-asked turn goes; ctrl+r asks it again
        self.busy = False
        self.streaming = None
        box = self.query_one("#answer", TextArea)
        box.read_only = False
        box.focus()
        retry = "press ctrl+j to grade it again" if message.during == "grading" else "press ctrl+r to ask again"
        self.notify(f"{message.during} failed: {message.error}. Nothing you typed is lost; {retry}.", severity="error", timeout=10)

    def action_retry(self) -> None:
        """ctrl+r: ask the interviewer's turn again after a failure (the typed answer stays)."""
        if self.busy or self.session.pending is not None:
            return
        self.ask_next()

    def action_end_round(self) -> None:
        if self.streaming is not None:
            self.workers.cancel_group(self, "stream")
        card = self.session.finish()
        self.app.push_screen(ScorecardScreen(card, self.session))


def render_score(score: AnswerScore, answer: str) -> Text:
    """The side panel: overall and band, then each criterion's score and its evidence quotes."""
    out = Text()
    if score.status == "unscored":
        out.append("Unscored\n", style="bold yellow")
        out.append(f"{score.reason}\n")
        return out
    band = score.overall.band or 1
    out.append(f"Overall {score.overall.score:.2f}  ", style="bold")
    out.append(f"{BAND_NAMES[band]}\n", style=SCORE_STYLE[band])
    for f in score.flags:
        out.append(f"\n⚠ {f.message}\n", style="bold magenta")
    for c in score.criteria:
        out.append("\n")
        if c.score is None:
            out.append("  — ", style="dim")
            out.append(f"{c.name}\n", style="dim")
            out.append(f"    {c.rationale}\n", style="dim italic")
            continue
        out.append(f"  {c.score} ", style=SCORE_STYLE[c.score])
        out.append(f"{c.name}\n", style="bold")
        for e in c.evidence[:3]:
            mark = "+" if e.effect == "support" else "−"
            out.append(f"    {mark} “{e.quote[:90]}”\n", style="green" if e.effect == "support" else "red")
        if not c.evidence:
            out.append("    no evidence in this answer\n", style="dim")
    return out


# --------------------------------------------------------------------------- scorecard


class ScorecardScreen(Screen):
    """The end of the round: a bar per criterion, the overall and band, strongest and weakest
    evidence, and what to practise next."""

    BINDINGS = [Binding("n", "new_round", "New round"), Binding("q", "app.quit", "Quit")]

    def __init__(self, card: Scorecard, session: Session):
        super().__init__()
        self.card, self.session = card, session

    def compose(self) -> ComposeResult:
        yield Header()
        yield VerticalScroll(Static(self.render_card(), id="card"), id="scorecard")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"Scorecard · {ROUND_NAMES[self.card.round]} · {LEVEL_NAMES[self.card.level]}"

    def render_card(self) -> Text:
        card = self.card
        out = Text()
        if card.overall.score is None:
            out.append("No scored answers in this round.\n\n", style="bold yellow")
        else:
            out.append(f"Overall {card.overall.score:.2f} / 4  ", style="bold")
            out.append(f"{card.overall.band_name}\n", style=SCORE_STYLE[card.overall.band or 1])
        out.append(f"{card.questions} question(s), {card.answers} answer(s), {card.unscored} unscored · session {card.session_id}\n\n",
                   style="dim")
        width = max(len(c.name) for c in card.criteria)
        for c in card.criteria:
            out.append(f"{c.name:<{width}}  ")
            out.append_text(bar(c.score))
            out.append("\n")
        if card.strongest:
            out.append("\nStrongest evidence\n", style="bold green")
            for h in card.strongest:
                out.append(f"  {h.criterion_name} ({h.score}): “{(h.quote or '')[:120]}”\n")
        if card.weakest:
            out.append("\nWeakest\n", style="bold red")
            for h in card.weakest:
                quote = f"“{h.quote[:120]}”" if h.quote else h.signal
                out.append(f"  {h.criterion_name} ({h.score}): {quote}\n")
        if card.practice_next:
            out.append("\nPractise next\n", style="bold")
            for p in card.practice_next:
                out.append(f"  • {p}\n")
        if card.flagged:
            out.append(f"\n⚠ {card.flagged} answer(s) contained text addressed to the grader; it was ignored.\n", style="magenta")
        return out

    def action_new_round(self) -> None:
        app: InterviewerApp = self.app  # type: ignore[assignment]
        app.show_setup()


# --------------------------------------------------------------------------- app


class InterviewerApp(App):
    """The practice app. Use :func:`create_app`."""

    CSS_PATH = "app.tcss"
    TITLE = "interviewer"
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]

    def __init__(self, *, round_id: str | None, level: str | None, questions: int, seed: int | None, store: Store | None,
                 grader=None, interviewer=None):
        super().__init__()
        self.round_id, self.level = round_id, level
        self.questions, self.seed = questions, seed
        self._store = store
        self.grader, self.interviewer = grader, interviewer
        self.session: Session | None = None
        #: set when the first question has been fully shown (benchmarks read it)
        self.first_question_shown = False

    @property
    def store(self) -> Store:
        if self._store is None:
            self._store = Store()
        return self._store

    def on_mount(self) -> None:
        if self.round_id and self.level:
            self.start_round(self.round_id, self.level)
        else:
            self.push_screen(SetupScreen())

    def start_round(self, round_id: str, level: str) -> None:
        self.session = Session(round_id, level, interviewer=self.interviewer, grader=self.grader, store=self.store,
                               questions=self.questions, seed=self.seed)
        self.switch_screen(InterviewScreen(self.session)) if len(self.screen_stack) > 1 else self.push_screen(InterviewScreen(self.session))

    def show_setup(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(SetupScreen())


def create_app(*, round_id: str | None = None, level: str | None = None, questions: int = 3, seed: int | None = None,
               store: Store | None = None, grader=None, interviewer=None) -> InterviewerApp:
    """The app factory shared by the CLI and the tests. ``store`` defaults to the user's
    history (``$INTERVIEWER_DATA_DIR`` overrides); ``grader``/``interviewer`` default to the
    offline ones."""
    return InterviewerApp(round_id=round_id, level=level, questions=questions, seed=seed, store=store, grader=grader,
                          interviewer=interviewer)
