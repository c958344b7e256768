"""The ``interviewer`` command line. Heavy imports (the core, Rich, Textual) happen inside the
commands that use them, so ``interviewer --help`` starts fast and ``grade`` never loads the TUI.

Exit status: 0 on success; 1 when an input or file was refused (or a batch stopped on a model
failure); 2 for usage errors; 3 (``grade``) when no input failed but the model's output for an
answer failed validation, so that answer is unscored.
"""

from __future__ import annotations

import io
import os
import sys

import click

EXIT_FAILED, EXIT_USAGE, EXIT_MODEL_UNSCORED = 1, 2, 3


class _Level(click.Choice):
    """L4, L5 or L6, typed in any case, shown and passed on upper-case (click's own
    case-insensitive choice shows them lower-case)."""

    def normalize_choice(self, choice, ctx) -> str:
        return super().normalize_choice(choice, ctx).upper()


LEVEL_CHOICE = _Level(["L4", "L5", "L6"])
ROUND_CHOICE = click.Choice(["recruiter_screen", "coding", "system_design", "behavioral", "hiring_manager"])


def model_options(fn):
    """--model, --grader-model and --base-url, shared by every command that may use a model."""
    fn = click.option("--base-url", default=None, help="OpenAI-compatible endpoint (overrides the preset's).")(fn)
    fn = click.option("--grader-model", default=None, help="A different model to grade with (default: --model).")(fn)
    fn = click.option("--model", default=None,
                      help="offline (default), preset:model (openai, ollama, llamacpp, vllm, lmstudio) or an OpenAI model id.")(fn)
    return fn


def _settings(**flags):
    from interviewer.config import ConfigError, load

    try:
        return load(**flags)
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE)


def _fail(message: str, code: int = EXIT_FAILED) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(code)


def _check_output(output: str | None) -> None:
    """Refuse an ``--output`` path that cannot be written (usage error), before any work."""
    if output is None:
        return
    from pathlib import Path

    path = Path(output)
    folder = path.parent
    if path.is_dir():
        _fail(f"--output {output}: is a folder — fix: name a file, e.g. {path / 'report.json'}", EXIT_USAGE)
    if not folder.is_dir():
        _fail(f"--output {output}: the folder {folder} does not exist — fix: create it (mkdir -p {folder}) or write elsewhere", EXIT_USAGE)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        _fail(f"--output {output}: permission denied — fix: choose a file you can write", EXIT_USAGE)


def _write(output: str, text: str) -> None:
    try:
        with open(output, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        _fail(f"--output {output}: cannot write ({exc.strerror}) — fix: check the disk and the path")


OUTPUT_OPTION = click.option("--output", "-o", type=click.Path(readable=False), default=None, metavar="FILE",
                             help="Write to FILE (its folder must exist).")


CALIBRATION_OPTION = click.option("--calibration", default=None, metavar="FILE",
                                  help="Offline grader: a calibration file from `interviewer calibrate --save` (default: the shipped one).")


def _grader(settings):
    """The grader ``settings`` ask for, or a one-line usage error (exit 2)."""
    from interviewer.grading.model import CalibrationError
    from interviewer.models import ModelConfigError, make_grader

    try:
        return make_grader(settings)
    except (ModelConfigError, CalibrationError) as exc:
        _fail(str(exc), EXIT_USAGE)



@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="interviewer")
def main() -> None:
    """Mock interviews for Netflix-style loops, scored against YAML rubrics.

    Works offline by default: a scripted interviewer and deterministic rubric detectors.
    """


@main.command()
@click.option("--round", "round_id", type=ROUND_CHOICE, default=None, help="Round to practise (asked in the app when omitted).")
@click.option("--level", type=LEVEL_CHOICE, default=None, help="L4 mid, L5 senior, L6 staff, any case (asked when omitted; L5 for --loop).")
@click.option("--questions", type=click.IntRange(1, 10), default=None, help="Questions in the round, or in each round of a loop.  [default: 3]")
@click.option("--seed", type=int, default=None, help="Fix the question order (for repeatable practice).")
@click.option("--loop", "full_loop", is_flag=True, help="The full loop: the five rounds one after the other, then a hiring decision.")
@click.option("--resume", "resume_id", default=None, metavar="ID", help="Go on with an unfinished session or loop (an id prefix is enough).")
@click.option("--drill", is_flag=True, help="Questions aimed at your weakest criteria in your history (with --round: that round's).")
@click.option("--stories", "stories_path", multiple=True, metavar="PATH",
              help="Your story bank (files or folders, as for `interviewer stories`): ask first about the story types it leaves uncovered.")
@CALIBRATION_OPTION
@model_options
def practice(round_id: str | None, level: str | None, questions: int | None, seed: int | None, full_loop: bool, resume_id: str | None,
             drill: bool, stories_path: tuple[str, ...], calibration: str | None, model: str | None, grader_model: str | None,
             base_url: str | None) -> None:
    """Practise a round, the full loop (--loop) or a drill (--drill) in the terminal (Textual
    app), or go on with one left unfinished (--resume ID)."""
    from interviewer.models import ModelConfigError, make_interviewer
    from interviewer.rubrics import RubricError, all_rubrics
    from interviewer.session import DEFAULT_QUESTIONS

    given = {"--round": round_id, "--level": level, "--questions": questions, "--seed": seed, "--loop": full_loop, "--drill": drill,
             "--stories": stories_path or None}
    if resume_id is not None:
        extra = [k for k, v in given.items() if v not in (None, False)]
        if extra:
            _fail(f"--resume {resume_id}: goes on with the stored round, level and questions, so it takes no {extra[0]} — fix: drop "
                  f"{extra[0]}", EXIT_USAGE)
    if full_loop and (round_id or drill):
        flag = "--round" if round_id else "--drill"
        _fail(f"--loop runs every round in turn, so it takes no {flag} — fix: drop {flag}, or drop --loop", EXIT_USAGE)
    if stories_path and (full_loop or drill or round_id not in (None, "behavioral", "hiring_manager")):
        _fail("--stories plans a behavioral or hiring-manager round from your stories — fix: use it with --round behavioral "
              "(or hiring_manager), without --loop or --drill", EXIT_USAGE)
    try:
        all_rubrics()
    except RubricError as exc:
        _fail(str(exc))
    settings = _settings(model=model, grader_model=grader_model, base_url=base_url, calibration=calibration)
    try:
        interviewer = make_interviewer(settings)
    except ModelConfigError as exc:
        _fail(str(exc), EXIT_USAGE)
    grader = _grader(settings)
    offline = grader if grader.info.name == "offline" else _grader(settings.model_copy(update={"model": "offline", "grader_model": None}))
    models = {"interviewer": interviewer, "grader": grader, "offline_grader": offline}
    questions = questions or DEFAULT_QUESTIONS
    from interviewer.storage import HistoryError, Store

    try:
        store = Store()
    except HistoryError as exc:
        _fail(str(exc))
    kwargs: dict = {}
    if resume_id is not None:
        kwargs["resume"] = _resumed(store, resume_id, models)
    elif full_loop:
        kwargs.update(loop=True, level=level or "L5")
    elif stories_path:
        from interviewer.batch import read_inputs
        from interviewer.stories import inventory, practice_plan

        inv = inventory(read_inputs(stories_path), grader=offline, level=(level or "L5").upper())
        for e in inv.errors:
            click.echo(f"error: {e}", err=True)
        if not inv.stories:
            _fail(f"--stories {' '.join(stories_path)}: no stories to read — fix: give files or folders with stories (.md or .txt)")
        plan = practice_plan(inv, round_id=round_id or "behavioral", level=(level or "L5").upper(), questions=questions, seed=seed)
        click.echo(plan.message, err=True)
        kwargs.update(round_id=plan.round, level=plan.level, question_ids=plan.question_ids, intro=plan.message)
    elif drill:
        from interviewer.progress import drill_plan

        plan = drill_plan(store, round_id=round_id, level=level, questions=questions, seed=seed)
        click.echo(plan.message, err=True)
        kwargs.update(round_id=plan.round, level=plan.level, question_ids=plan.question_ids, intro=plan.message)
    else:
        kwargs.update(round_id=round_id, level=level)
    from interviewer.tui.app import create_app

    app = create_app(questions=questions, seed=seed, store=store, **models, **kwargs)
    app.run()
    if app.resumable:
        click.echo(f"Saved, unfinished. Go on with: interviewer practice --resume {app.resumable}", err=True)


def _resumed(store, resume_id: str, models: dict):
    """The unfinished session or loop ``resume_id`` names (a prefix), rebuilt; one-line errors exit 1."""
    from interviewer.loop import Loop
    from interviewer.session import ResumeError, Session
    from interviewer.storage import HistoryError, LoopRow

    try:
        entry = store.find(resume_id)
        if isinstance(entry, LoopRow) or entry.loop_id:
            return Loop.restore(store, entry.id if isinstance(entry, LoopRow) else entry.loop_id, **models)
        return Session.restore(store, entry.id, **models)
    except (HistoryError, ResumeError) as exc:
        _fail(str(exc).replace("no session matching", "--resume: no session matching"))


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--rubric", "rubric_id", default=None,
              help="Rubric id or file for every item (default: each item's rubric or round, else behavioral).")
@click.option("--level", type=LEVEL_CHOICE, default=None, help="Judge every answer at this level (default: each item's level, else L5).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default=None,
              help="Output format (default: table on a terminal, JSON otherwise).")
@OUTPUT_OPTION
@click.option("--samples", type=click.IntRange(1, 9), default=None, help="Model grader: samples per answer (median; disagreement flagged).")
@click.option("--concurrency", type=click.IntRange(1, 64), default=None,
              help="Model grader: answers graded at once (default 1 for a local server, 8 for a hosted API).")
@CALIBRATION_OPTION
@model_options
def grade(paths: tuple[str, ...], rubric_id: str | None, level: str | None, fmt: str | None, output: str | None, samples: int | None,
          concurrency: int | None, calibration: str | None, model: str | None, grader_model: str | None, base_url: str | None) -> None:
    """Grade written answers: .md/.txt stories, .jsonl or .csv items, or - for stdin.

    Exit status: 0 every answer graded; 1 an input failed; 3 no input failed but the model's
    output for some answer failed validation (unscored); 2 a usage error. A summary line goes
    to stderr.
    """
    import json

    from interviewer.batch import Summary, grade_items, read_inputs, to_json, to_markdown
    from interviewer.models import parse
    from interviewer.rubrics import RubricError, all_rubrics, get_rubric

    _check_output(output)
    rubric = None
    try:
        if rubric_id:
            rubric = get_rubric(rubric_id)
        else:
            all_rubrics()
    except RubricError as exc:
        _fail(str(exc), EXIT_USAGE if rubric_id else EXIT_FAILED)
    except KeyError as exc:
        _fail(f"--rubric {rubric_id}: {exc.args[0]}", EXIT_USAGE)
    if fmt is None:
        fmt = "table" if output is None and sys.stdout.isatty() else "json"
    settings = _settings(model=model, grader_model=grader_model, base_url=base_url, samples=samples, concurrency=concurrency,
                         calibration=calibration)
    grader = _grader(settings)
    items = list(read_inputs(paths))
    by_model = grader.info.name != "offline"
    # a model may take seconds over any answer, so its progress shows from the first item; offline a
    # few items take a moment, and only a longer batch gets a bar
    bar = None
    if sys.stderr.isatty() and (by_model or len(items) > 5):
        bar = _Progress(f"Grading with {grader.info.model}" if by_model else "Grading", len(items))
    advance = bar.advance if bar else None
    try:
        if grader.info.name == "offline":
            results = []
            for r in grade_items(items, rubric=rubric, level=level, grader=grader):
                results.append(r)
                if advance:
                    advance()
        else:
            import asyncio

            from interviewer.batch import BatchAborted, GradeCache, agrade_items

            spec = parse(settings.grader_model or settings.model, base_url=settings.base_url)
            workers = settings.concurrency or spec.default_concurrency
            try:
                results = asyncio.run(agrade_items(items, grader=grader, rubric=rubric, level=level, concurrency=workers,
                                                   cache=GradeCache(), grader_id=f"{spec.id}@{spec.base_url}|t={settings.temperature}|n={settings.samples}",
                                                   on_done=advance))
            except BatchAborted as exc:
                _fail(str(exc))
    finally:
        if bar:
            bar.stop()
    if fmt == "table":
        # the failures are listed under the table, where the reader looks
        text = _grade_table(results, to_file=output is not None)
    else:
        for r in results:
            if r.error:
                click.echo(f"error: {r.error}", err=True)
        if fmt == "json":
            # indented for a person at a terminal; compact (and several times faster to write) otherwise
            indent = 2 if output is None and sys.stdout.isatty() else None
            text = json.dumps(to_json(results, grader_name=grader.info.model or grader.info.name), indent=indent, ensure_ascii=False) + "\n"
        else:
            text = to_markdown(results)
    if output:
        _write(output, text)
    elif fmt != "table":
        click.echo(text, nl=False)
    n = Summary.of(results)
    click.echo(_summary_line(n) + (f" → {output}" if output else ""), err=True)
    if n.failed:
        sys.exit(EXIT_FAILED)
    if n.model_failed:
        sys.exit(EXIT_MODEL_UNSCORED)


def _summary_line(n) -> str:
    """``graded 12: 9 scored, 2 unscored (model output failed validation), 1 failed`` for a
    :class:`~interviewer.batch.Summary`."""
    why = ""
    if n.unscored:
        no_basis = n.unscored - n.model_failed
        if not no_basis:
            why = " (model output failed validation)"
        elif not n.model_failed:
            why = " (the answer gave no basis)"
        else:
            why = f" ({n.model_failed} model output failed validation, {no_basis} the answer gave no basis)"
    return f"graded {n.total}: {n.scored} scored, {n.unscored} unscored{why}, {n.failed} failed"


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="LABELLED.jsonl...")
@click.option("--rubric", "rubric_id", default=None, help="Rubric id or file for every answer (default: each answer's rubric or round).")
@click.option("--level", type=LEVEL_CHOICE, default=None, help="Judge every answer at this level (default: each answer's level, else L5).")
@click.option("--save", default=None, metavar="FILE", help="Fit the offline scorer to these labels (with k-fold cross-validation) and write it to FILE.")
@click.option("--folds", type=click.IntRange(2, 20), default=5, show_default=True, help="With --save: folds of the cross-validation.")
@click.option("--repeats", type=click.IntRange(1, 20), default=3, show_default=True, help="With --save: cross-validation repeats (averaged).")
@click.option("--cv/--no-cv", default=True, show_default=True, help="With --save: cross-validate the fit (--no-cv only fits it, much faster).")
@click.option("--extras", "extras_dir", default=None, metavar="DIR", type=click.Path(exists=True, file_okay=False),
              help="With --save: the folder with evidence-tags.jsonl, sentences.jsonl and stories.jsonl (default: the shipped data/calibration).")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default=None, help="Output format (default: table on a terminal, JSON otherwise).")
@CALIBRATION_OPTION
@click.option("--concurrency", type=click.IntRange(1, 64), default=None, help="Model grader: answers graded at once.")
@model_options
def calibrate(paths: tuple[str, ...], rubric_id: str | None, level: str | None, save: str | None, folds: int, repeats: int, cv: bool,
              extras_dir: str | None,
              fmt: str | None, calibration: str | None, concurrency: int | None, model: str | None, grader_model: str | None,
              base_url: str | None) -> None:
    """Measure a grader against labelled answers, or fit the offline scorer to them (--save).

    LABELLED.jsonl: one answer a line with id, round (or rubric), level, question, answer,
    labels (criterion id -> 1-4 or null) and overall (the hire band 1-4), as in
    data/calibration/. Prints agreement with the labels: quadratic weighted kappa (QWK, 1 is
    perfect, 0 chance), exact agreement, per rubric and criterion, and the confusion matrix.
    """
    import json

    from interviewer.grading import fit
    from interviewer.paths import calibration_dir
    from interviewer.rubrics import RubricError, get_rubric
    from interviewer.wording import plural

    if save and (model or grader_model or calibration):
        _fail("--save fits the offline scorer; it takes no --model, --grader-model or --calibration — fix: drop them, "
              "or drop --save to measure that grader", EXIT_USAGE)
    if save:
        _check_output(save)
    level = level.upper() if level else None
    forced = None
    if rubric_id:
        try:
            forced = get_rubric(rubric_id)
        except (RubricError, KeyError) as exc:
            _fail(f"--rubric {rubric_id}: {exc.args[0] if isinstance(exc, KeyError) else exc}", EXIT_USAGE)
    try:
        rows, hashes = fit.read_labelled(list(paths), level=level, rubric=forced)
    except fit.LabelledError as exc:
        _fail(str(exc))
    if fmt is None:
        fmt = "table" if sys.stdout.isatty() else "json"
    extras = fit.Extras.load(extras_dir or calibration_dir()) if save else fit.Extras()
    with _progress_bar("Reading answers", len(rows)) as advance:
        exs = fit.examples(rows, forced, on_progress=advance, tags=extras.tags)
    report: dict = {"answers": len(rows), "files": hashes}
    if save:
        if len(rows) < 2 * folds:
            _fail(f"{plural(len(rows), 'labelled answer')} are too few for {folds}-fold cross-validation — fix: label at least {2 * folds}, or lower --folds")
        label = f"Fitting ({repeats} x {folds}-fold cross-validation)" if cv else "Fitting"
        with _progress_bar(label, folds * repeats + 1 if cv else 1) as advance:
            cal = fit.fit_examples(exs, hashes, folds=folds, repeats=repeats, cv=cv, extras=extras, on_progress=advance)
        cal.save(save)
        report.update(grader="offline (fitted)", saved=save, cv=cal.cv.model_dump(mode="json") if cal.cv else None,
                      relevance=cal.relevance_cv)
        if fmt == "json":
            click.echo(json.dumps(report, indent=2 if sys.stdout.isatty() else None))
        elif cal.cv:
            _calibration_table(cal.cv.overall, cal.cv.rounds, cal.cv.criteria, None,
                               f"cross-validated ({cal.cv.repeats} x {cal.cv.folds}-fold) on {plural(len(rows), 'answer')}")
        click.echo(f"calibration written to {save} — use it with --calibration {save} or `calibration = \"{save}\"` in config.toml", err=True)
        return
    settings = _settings(model=model, grader_model=grader_model, base_url=base_url, calibration=calibration, concurrency=concurrency)
    grader = _grader(settings)
    from interviewer.grading import OfflineGrader

    if isinstance(grader, OfflineGrader):
        in_sample = bool(set(hashes.values()) & set(grader.calibration.training.files.values()))
        with _progress_bar("Grading", len(exs)) as advance:
            scored = fit.grade_offline(exs, grader, on_progress=advance)
        name = "offline" + (f" ({grader.info.calibration})" if grader.info.calibration else "")
    else:
        import asyncio

        from interviewer.batch import BatchAborted, GradeCache, Item, agrade_items
        from interviewer.models import parse

        in_sample = False
        spec = parse(settings.grader_model or settings.model, base_url=settings.base_url)
        items = [Item(r.id, r.answer, r.source, r.question, r.round, r.rubric, r.level) for r in rows]
        with _progress_bar("Grading", len(items)) as advance:
            try:
                results = asyncio.run(agrade_items(items, grader=grader, rubric=forced, concurrency=settings.concurrency or spec.default_concurrency,
                                                   cache=GradeCache(), grader_id=f"{spec.id}@{spec.base_url}|t={settings.temperature}|n={settings.samples}",
                                                   on_done=advance))
            except BatchAborted as exc:
                _fail(str(exc))
        scored = fit.scored_from(results)
        name = spec.id
    m = fit.measure(exs, scored, in_sample=in_sample)
    report.update(grader=name, in_sample=in_sample, overall=m.overall.model_dump(), rounds={k: v.model_dump() for k, v in m.rounds.items()},
                  criteria={k: v.model_dump() for k, v in m.criteria.items()}, confusion=m.confusion, unscored=m.unscored)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2 if sys.stdout.isatty() else None))
    else:
        _calibration_table(m.overall, m.rounds, m.criteria, m.confusion, f"{name} on {plural(len(rows), 'answer')}")
        if m.unscored:
            click.echo(f"{plural(len(m.unscored), 'answer')} unscored (left out of the figures): {', '.join(m.unscored[:10])}"
                       + (" ..." if len(m.unscored) > 10 else ""))
    if in_sample:
        click.echo("note: these answers trained this calibration, so the figures are in-sample; its cross-validated figures are "
                   "what `interviewer calibrate FILE --save OUT` prints", err=True)


class _Progress:
    """A transient Rich progress line on stderr, started at once: a spinner and the seconds so far
    (so a slow first item still shows the run is alive), ``label``, a bar and done/``total``.
    ``advance()`` counts an item done; ``stop()`` clears the line."""

    def __init__(self, label: str, total: int):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._bar = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                             TimeElapsedColumn(), transient=True, console=Console(stderr=True))
        self._task = self._bar.add_task(label, total=total)
        self._bar.start()

    def advance(self) -> None:
        self._bar.advance(self._task)

    def stop(self) -> None:
        self._bar.stop()


def _progress_bar(label: str, total: int):
    """A context manager giving an ``advance()`` callable: a transient progress line on a
    terminal (:class:`_Progress`), else nothing."""
    import contextlib

    if not sys.stderr.isatty():
        return contextlib.nullcontext(None)

    @contextlib.contextmanager
    def bar():
        p = _Progress(label, total)
        try:
            yield p.advance
        finally:
            p.stop()

    return bar()


def _calibration_table(overall, rounds: dict, criteria: dict, confusion, title: str) -> None:
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"[b]Overall band[/b], {title}: QWK [b]{overall.qwk:.3f}[/b], exact {overall.exact:.0%}, n={overall.n}")
    console.print("QWK: quadratic weighted kappa, 1 = perfect agreement, 0 = chance.", style="dim", highlight=False)
    t = Table("rubric", "QWK", "exact", "n", title="By rubric", title_justify="left")
    for k, a in rounds.items():
        t.add_row(k, f"{a.qwk:.3f}", f"{a.exact:.0%}", str(a.n))
    console.print(t)
    t = Table("criterion", "QWK", "exact", "n", title="By criterion", title_justify="left")
    for k, a in criteria.items():
        t.add_row(k, f"{a.qwk:.3f}", f"{a.exact:.0%}", str(a.n))
    console.print(t)
    if confusion:
        t = Table("labelled \\ graded", "1", "2", "3", "4", title="Overall band: labelled (rows) against graded (columns)", title_justify="left")
        for i, row in enumerate(confusion, 1):
            t.add_row(str(i), *[str(v) for v in row])
        console.print(t)


@main.command()
@click.option("--limit", type=click.IntRange(1, 10_000), default=20, show_default=True)
@click.option("--trend", is_flag=True, help="Each criterion's scores across your sessions, and which improved or slipped.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="With --trend: a table with sparklines, or JSON with every point.")
def history(limit: int, trend: bool, fmt: str) -> None:
    """List past practice sessions and loops, newest first (a loop is one row), or your
    progress per criterion (--trend)."""
    import datetime as dt

    from interviewer.storage import HistoryError, LoopRow, Store

    if fmt == "json" and not trend:
        _fail("--format json: only with --trend — fix: add --trend, or drop --format", EXIT_USAGE)
    try:
        store = Store()
    except HistoryError as exc:
        _fail(str(exc))
    if trend:
        _trend(store, fmt)
        return
    rows = store.history(limit)
    if not rows:
        click.echo(f"No sessions yet in {store.path}. Start one with: interviewer practice")
        return
    cells = []
    for s in rows:
        started = dt.datetime.fromtimestamp(s.started_at).strftime("%Y-%m-%d %H:%M")
        if isinstance(s, LoopRow):
            what = f"loop {s.rounds_done}/{len(s.rounds)}"
            card = s.card or {}
            overall = card.get("decision") if s.finished else s.status
        else:
            what = s.round
            ov = (s.scorecard or {}).get("overall") or {}
            overall = f"{ov['score']:.2f} {ov['band_name']}" if ov.get("score") is not None else ("—" if s.finished else s.status)
        cells.append((s.id, started, what, s.level, str(s.answers), overall))
    _history_table(cells)


def _history_table(rows: list[tuple[str, str, str, str, str, str]]) -> None:
    """Print the sessions (id, started, round, level, answers, overall) as a table that fits the
    terminal without breaking a word: the id is always whole (``export`` takes it); when the
    width cannot hold every column, the start time goes first (the id begins with the same date
    and time), then the overall wraps between its words."""
    from rich.console import Console
    from rich.table import Table

    console = Console()

    def table(started: bool) -> Table:
        t = Table(box=None, pad_edge=False, header_style="")
        t.add_column("session", no_wrap=True)
        if started:
            t.add_column("started", no_wrap=True)
        t.add_column("round", no_wrap=True)
        t.add_column("level", no_wrap=True)
        t.add_column("answers", justify="right", no_wrap=True)
        t.add_column("overall")
        for sid, when, *rest in rows:
            t.add_row(sid, *([when] if started else []), *rest)
        return t

    whole = table(started=True)
    fits = console.measure(whole, options=console.options.update_width(10_000)).maximum <= console.width
    _echo_table(console, whole if fits else table(started=False))


def _echo_table(console, table) -> None:
    """Print a plain (unstyled) Rich table at the console's width, without the spaces Rich pads
    its last column with."""
    with console.capture() as captured:
        console.print(table)
    click.echo("\n".join(line.rstrip() for line in captured.get().splitlines()))


def _trend(store, fmt: str) -> None:
    """``history --trend``: per criterion (grouped by rubric), its scores across sessions."""
    import datetime as dt
    import json

    from interviewer import progress

    trends = progress.criterion_trends(store)
    rule = (f"recent = the last {progress.RECENT_SESSIONS} sessions that scored the criterion (at most half of them), earlier = the "
            f"ones before; improved/slipped when the recent mean is {progress.TREND_CHANGE} or more above/below the earlier mean")
    if fmt == "json":
        rubrics: dict[str, list] = {}
        for t in trends:
            rubrics.setdefault(t.rubric_id, []).append({
                "id": t.criterion_id, "name": t.name, "direction": t.direction, "earlier_mean": t.earlier_mean,
                "recent_mean": t.recent_mean,
                "points": [{"session_id": p.session_id, "date": dt.datetime.fromtimestamp(p.at).astimezone().isoformat(timespec="seconds"),
                            "score": p.score} for p in t.points]})
        doc = {"rule": rule, "rubrics": [{"rubric": k, "criteria": v} for k, v in rubrics.items()]}
        click.echo(json.dumps(doc, indent=2 if sys.stdout.isatty() else None, ensure_ascii=False))
        return
    if not trends:
        click.echo(f"No scored sessions yet in {store.path}. Start one with: interviewer practice")
        return
    import textwrap

    shown = 12
    width = min(30, max(len(t.name) for t in trends))
    click.echo(f"Scores per criterion, oldest session first (▁ 1 … █ 4; the last {shown} shown).")
    click.echo(textwrap.fill(f"Improved or slipped: {rule}.", width=78))
    rubric = None
    for t in trends:
        if t.rubric_id != rubric:
            rubric = t.rubric_id
            click.echo(f"\n{rubric}")
        scores = [p.score for p in t.points]
        spark = ("…" if len(scores) > shown else "") + progress.sparkline(scores[-shown:])
        means = f"{t.earlier_mean:.1f} → {t.recent_mean:.1f}" if t.earlier_mean is not None else f"{scores[-1]:.1f}"
        label = "too few sessions" if t.direction == "too few" else t.direction
        name = t.name if len(t.name) <= width else t.name[:width - 1].rstrip() + "…"
        click.echo(f"  {name:<{width}}  {spark:<{shown + 1}} {means:>10}  {label}")


@main.command()
@click.argument("session_id")
@click.option("--format", "fmt", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@OUTPUT_OPTION
def export(session_id: str, fmt: str, output: str | None) -> None:
    """Write a session's or a loop's transcript with its scores (SESSION: an id or its prefix)."""
    import datetime as dt

    from interviewer.export import export_json, export_loop_json, export_loop_markdown, export_markdown
    from interviewer.loop import loop_card_from_row
    from interviewer.storage import HistoryError, LoopRow, Store

    _check_output(output)
    try:
        store = Store()
        found = store.find(session_id)
    except HistoryError as exc:
        if exc.matches:  # several start so: the error, then each of them (id, round, level, start), newest first
            click.echo(f"error: {len(exc.matches)} sessions match {session_id!r} — fix: give more of the id, one of:", err=True)
            for s in sorted(exc.matches, key=lambda e: e.started_at, reverse=True):
                started = dt.datetime.fromtimestamp(s.started_at).strftime("%Y-%m-%d %H:%M")
                what = "loop" if isinstance(s, LoopRow) else s.round
                click.echo(f"  {s.id}  {what:<16}  {s.level}  {started}", err=True)
            sys.exit(EXIT_FAILED)
        _fail(str(exc))
    if isinstance(found, LoopRow):
        turns = {s.id: store.turns(s.id) for s in found.sessions}
        card = loop_card_from_row(found).model_dump(mode="json")
        text = export_loop_json(found, turns, card) if fmt == "json" else export_loop_markdown(found, turns, card)
    else:
        turns = store.turns(found.id)
        text = export_json(found, turns) if fmt == "json" else export_markdown(found, turns)
    if output:
        _write(output, text)
    else:
        click.echo(text, nl=False)


def _grade_table(results, *, to_file: bool = False) -> str | None:
    """Draw the grading results as a Rich table on the terminal, or return it as plain text
    when ``to_file``. One row an item: id, overall and band always, then as many criterion
    columns (scores 1-4) as fit the width; unscored and failed items and flags are explained
    under the table, and the criteria left out are named."""
    from rich.console import Console, Group
    from rich.table import Table
    from rich.text import Text

    from interviewer.wording import middle_ellipsis

    console = Console(file=io.StringIO() if to_file else None)
    crit_ids: list[str] = []
    for r in results:
        for c in (r.score.criteria if r.score else []):
            if c.id not in crit_ids:
                crit_ids.append(c.id)
    styles = {1: "red", 2: "yellow", 3: "green", 4: "bold green"}
    rows: list[tuple] = []
    notes: dict[tuple[str, str], list[str]] = {}  # (what, why) -> ids, so a reason shared by many items is said once
    for r in results:
        s = r.score
        if r.error:
            rows.append((r.id, "", Text("failed", "red"), {}))
            notes.setdefault(("failed — ", r.error), []).append(r.id)
            continue
        band = Text(s.overall.band_name or "unscored", styles.get(s.overall.band, "yellow"))
        if s.flags:
            band.append(" ⚑", "magenta")
            notes.setdefault(("⚑ ", "; ".join(f.message for f in s.flags)), []).append(r.id)
        if s.status == "unscored":
            notes.setdefault(("unscored — ", s.reason or ""), []).append(r.id)
        overall = f"{s.overall.score:.2f}" if s.overall.score is not None else "—"
        rows.append((r.id, overall, band, {c.id: c.score for c in s.criteria}))
    # an id is shown on one line, whole where it fits in a third of the width, else its start and end around "…"
    id_width = min(max((len(r[0]) for r in rows), default=2), max(16, console.width // 3))
    rows = [(middle_ellipsis(rid, id_width), *rest) for rid, *rest in rows]

    def table(crits: list[str]) -> Table:
        t = Table(title="Grading report")
        t.add_column("id", no_wrap=True, min_width=min(id_width, 16), max_width=id_width)
        t.add_column("overall", justify="right", no_wrap=True)
        t.add_column("band", no_wrap=True)
        for cid in crits:  # a header wraps at its underscores; a long word is cut
            t.add_column(cid.replace("_", " "), justify="center", max_width=10, overflow="ellipsis")
        for rid, overall, band, by_id in rows:
            cells = [("—" if by_id[c] is None else Text(str(by_id[c]), styles[by_id[c]])) if c in by_id else "" for c in crits]
            t.add_row(rid, overall, band, *cells)
        return t

    unbounded = console.options.update_width(10_000)  # the table's natural width, not squeezed to the screen
    shown = len(crit_ids)
    while shown and console.measure(table(crit_ids[:shown]), options=unbounded).maximum > console.width:
        shown -= 1
    parts = [table(crit_ids[:shown])]
    if shown < len(crit_ids):
        parts.append(Text(f"Not shown at {console.width} columns: {', '.join(crit_ids[shown:])} — widen the terminal, or use --format markdown.", "dim"))
    parts += [Text.assemble((", ".join(ids), "bold"), ": ", what, why) for (what, why), ids in notes.items()]
    parts.append(Text("Scores 1-4: 1 strong no hire, 2 lean no hire, 3 lean hire, 4 strong hire. Evidence: --format markdown or json.", "dim"))
    console.print(Group(*parts))
    return console.file.getvalue() if to_file else None


@main.group()
def rubrics() -> None:
    """List and check rubric files."""


@rubrics.command("list")
def rubrics_list() -> None:
    """List the rubrics with their criteria and weights."""
    from interviewer.rubrics import RubricError, all_rubrics, rubrics_dir

    from rich.console import Console
    from rich.table import Table

    try:
        found = all_rubrics()
    except RubricError as exc:
        _fail(str(exc))
    click.echo(f"Rubrics in {rubrics_dir()}:")
    t = Table(box=None, pad_edge=False, header_style="")
    t.add_column("rubric", no_wrap=True)
    t.add_column("criterion", no_wrap=True)
    t.add_column("weight", justify="right", no_wrap=True)
    t.add_column("name")  # the only column that wraps, between words
    for n, r in enumerate(found.values()):
        if n:
            t.add_row()
        # the rubric's id and version, and under them the round it grades where that is another name
        left = [f"{r.id} v{r.version}"] + ([f"round: {r.round}"] if r.round != r.id else [])
        for i, c in enumerate(r.criteria):
            t.add_row(left[i] if i < len(left) else "", c.id, f"{c.weight:.2f}", c.name)
    _echo_table(Console(), t)


@rubrics.command("check")
@click.argument("paths", nargs=-1)
def rubrics_check(paths: tuple[str, ...]) -> None:
    """Validate rubric, question-bank and exemplar files, or every .yaml file in a folder
    (default: the rubrics folder)."""
    from pathlib import Path

    from interviewer.wording import plural

    from interviewer.rubrics import Exemplars, QuestionBank, RubricError, load_file, rubrics_dir

    bad = 0
    for given in [Path(p) for p in paths] or [rubrics_dir()]:
        files = sorted([*given.glob("*.yaml"), *given.glob("*.yml")]) if given.is_dir() else [given]
        if not files:
            bad += 1
            click.echo(f"error: {given}: no .yaml files in the folder — fix: name a rubric file, or a folder that has them", err=True)
        for f in files:
            try:
                found = load_file(f)
            except RubricError as exc:
                bad += 1
                click.echo(f"error: {exc}", err=True)
                continue
            if isinstance(found, QuestionBank):
                click.echo(f"ok  {f} (question bank, {sum(len(v) for v in found.rounds.values())} questions)")
            elif isinstance(found, Exemplars):
                from interviewer.exemplars import check

                problems = [p for c in check(exemplars=found) for p in c.problems]
                for p in problems:
                    click.echo(f"error: {f}: {p}", err=True)
                bad += bool(problems)
                if not problems:
                    click.echo(f"ok  {f} (a strong and a weak example for each of {plural(len(found.questions), 'bank question')}; "
                               "the offline grader bands every strong one lean hire or better, every weak one lean no hire or worse)")
            else:
                click.echo(f"ok  {f} ({found.id} v{found.version}, {len(found.criteria)} criteria)")
    if bad:
        sys.exit(EXIT_FAILED)


@main.command()
@click.argument("question_id", required=False)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True)
def exemplars(question_id: str | None, fmt: str) -> None:
    """Example answers to learn from: a strong (strong hire) and a weak (lean no hire) answer
    for a bank question, each with why; every question's when no QUESTION_ID is given."""
    import json

    from interviewer.rubrics import RubricError, load_exemplars, load_question_bank

    try:
        found = load_exemplars()
        bank = load_question_bank()
    except (RubricError, FileNotFoundError) as exc:
        _fail(f"{exc} — fix: reinstall, or restore rubrics/exemplars.yaml" if isinstance(exc, FileNotFoundError) else str(exc))
    ids = [question_id] if question_id else [q.id for qs in bank.rounds.values() for q in qs if q.id in found.questions]
    if question_id and question_id not in found.questions:
        import difflib

        near = difflib.get_close_matches(question_id, list(found.questions), n=3)
        _fail(f"no example answers for {question_id!r} — fix: use a bank question id" + (f", e.g. {', '.join(near)}" if near else
              " (`interviewer exemplars` lists them all)"), EXIT_USAGE)
    docs = []
    for qid in ids:
        ex, q = found.questions[qid], bank.get(qid)
        docs.append({"question_id": qid, "round": bank.round_of(qid), "question": q.text, "level": ex.level,
                     "strong": ex.strong.model_dump(), "weak": ex.weak.model_dump()})
    if fmt == "json":
        click.echo(json.dumps(docs if not question_id else docs[0], indent=2 if sys.stdout.isatty() else None, ensure_ascii=False))
        return
    out = []
    for d in docs:
        if fmt == "markdown":
            out += [f"## {d['question_id']}: {d['question']}", "", f"*{d['round']}, written for {d['level']}*", ""]
            for kind, title in (("strong", "Strong (strong hire)"), ("weak", "Weak (lean no hire)")):
                out += [f"### {title}", "", d[kind]["answer"].strip(), "", "Why:", ""] + [f"- {w}" for w in d[kind]["why"]] + [""]
        else:
            out += [f"{d['question_id']} · {d['round']} · {d['level']}", d["question"], ""]
            for kind, title in (("strong", "STRONG (strong hire)"), ("weak", "WEAK (lean no hire)")):
                out += [title, d[kind]["answer"].strip(), "", "why:"] + [f"  - {w}" for w in d[kind]["why"]] + [""]
            out.append("-" * 40)
    click.echo("\n".join(out).rstrip("-\n") + "\n")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--level", type=LEVEL_CHOICE, default="L5", show_default=True, help="The level the stories are graded at.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "markdown"]), default=None,
              help="Output format (default: table on a terminal, JSON otherwise).")
@click.option("--output", "-o", default=None, help="Write the report to this file.")
@CALIBRATION_OPTION
def stories(paths: tuple[str, ...], level: str, fmt: str | None, output: str | None, calibration: str | None) -> None:
    """Your story bank against the six stories to prepare before a loop: each story's type,
    themes and STAR grade, which types are covered (and by which story), which are missing or
    only weakly covered, duplicates, stories told as "we", stories over three minutes, and what
    to write next. PATHS: files or folders (.md/.txt, one story per file or several under
    "## " headings; .jsonl; .csv)."""
    import json

    from interviewer.batch import read_inputs
    from interviewer.stories import inventory

    _check_output(output)
    if fmt is None:
        fmt = "table" if output is None and sys.stdout.isatty() else "json"
    settings = _settings(calibration=calibration)
    grader = _grader(settings)
    from interviewer.grading import OfflineGrader

    inv = inventory(read_inputs(paths), grader=grader if isinstance(grader, OfflineGrader) else None, level=level.upper())
    if not inv.stories:
        for e in inv.errors:
            click.echo(f"error: {e}", err=True)
        _fail("no stories to read — fix: give files or folders with stories (.md or .txt, several under '## ' headings)")
    if fmt == "json":
        text = json.dumps(stories_json(inv), indent=2 if output is None and sys.stdout.isatty() else None, ensure_ascii=False) + "\n"
    elif fmt == "markdown":
        text = stories_markdown(inv)
    else:
        text = _stories_table(inv, to_file=output is not None)
    for e in inv.errors:
        click.echo(f"error: {e}", err=True)
    if output:
        _write(output, text or "")
    elif text:
        click.echo(text, nl=False)
    from interviewer.wording import plural

    click.echo(f"{plural(len(inv.stories), 'story', 'stories')}: {6 - len(inv.missing)} of the 6 types covered"
               + (f", missing: {', '.join(inv.missing)}" if inv.missing else "") + (f" → {output}" if output else ""), err=True)
    if inv.errors:
        sys.exit(EXIT_FAILED)


def stories_json(inv) -> dict:
    """The inventory as JSON: ``stories`` (each with ``id``, ``story_type``, ``themes``,
    ``overall``...), ``coverage`` (type -> ``stories``, ``best``...), ``missing``, ``weak_only``, ``next``."""
    return inv.model_dump(mode="json")


def stories_markdown(inv) -> str:
    """The inventory as a Markdown report."""
    from interviewer.scoring import STORY_TYPE_NAMES
    from interviewer.stories import theme_names

    out = ["# Story inventory", "", "| story type | stories | strongest | band |", "|---|---|---|---|"]
    for t, cov in inv.coverage.items():
        best = next((e for e in inv.stories if e.id == cov.best), None)
        out.append(f"| {STORY_TYPE_NAMES[t]} | {', '.join(cov.stories) or '— none'} | {cov.best or '—'} | "
                   f"{best.band_name if best and best.band_name else ('weak' if cov.status == 'weak' else '—')} |")
    if inv.missing:
        out += ["", "**Missing:** " + ", ".join(STORY_TYPE_NAMES[t] for t in inv.missing)]
    if inv.weak_only:
        out += ["", "**Only weak stories:** " + ", ".join(STORY_TYPE_NAMES[t] for t in inv.weak_only)]
    out += ["", "## Stories", ""]
    for e in inv.stories:
        flags = [f for f, on in (("too long", e.too_long), ("mostly \"we\"", e.we_heavy), (f"same story as {e.duplicate_of}", e.duplicate_of)) if on]
        grade = f"{e.overall} ({e.band_name})" if e.overall is not None else "too short to grade"
        out.append(f"- **{e.id}**: {STORY_TYPE_NAMES.get(e.story_type, e.story_type)} · {grade} · {e.words} words"
                   + (f" · shows {theme_names(e.themes)}" if e.themes else "") + (f" · ⚠ {', '.join(flags)}" if flags else ""))
        if e.type_evidence:
            out.append(f"  - marked by: “{e.type_evidence[0].clipped(140)}”")
    if inv.next:
        out += ["", "## What to write next", ""] + [f"- {n}" for n in inv.next]
    return "\n".join(out) + "\n"


def _stories_table(inv, *, to_file: bool = False) -> str | None:
    """The inventory on a terminal: coverage per type, each story, what to write next."""
    from rich.table import Table

    from interviewer.scoring import STORY_TYPE_NAMES

    from rich.console import Console

    console = Console(file=io.StringIO() if to_file else None)
    cov = Table(title="Coverage of the six stories", title_justify="left", expand=False)
    cov.add_column("story type", no_wrap=True)
    cov.add_column("stories", overflow="fold")
    cov.add_column("strongest", overflow="fold")
    for t, c in inv.coverage.items():
        best = next((e for e in inv.stories if e.id == c.best), None)
        status = {"covered": "", "weak": " [yellow](only weak)[/]", "missing": "[red]missing[/]"}[c.status]
        cov.add_row(STORY_TYPE_NAMES[t], ", ".join(c.stories) or status,
                    f"{c.best} · {best.band_name}{status if c.status == 'weak' else ''}" if best and best.band_name else status)
    console.print(cov)
    tab = Table(title="Stories", title_justify="left")
    tab.add_column("story", overflow="fold", ratio=2)
    tab.add_column("type", overflow="fold", ratio=2)
    tab.add_column("grade", no_wrap=True)
    tab.add_column("flags", overflow="fold", ratio=2)
    for e in inv.stories:
        flags = ", ".join(f for f, on in (("too long", e.too_long), ("mostly we", e.we_heavy), (f"= {e.duplicate_of}", e.duplicate_of)) if on)
        tab.add_row(e.id, STORY_TYPE_NAMES.get(e.story_type, e.story_type), f"{e.overall:.2f}" if e.overall is not None else "—", flags)
    console.print(tab)
    if inv.next:
        console.print("[bold]What to write next[/]")
        bullets = Table.grid(padding=(0, 1, 0, 0))  # wrapped lines hang under the text, not under the bullet
        bullets.add_column(width=3, justify="right")
        bullets.add_column(overflow="fold")
        for n in inv.next:
            bullets.add_row("•", n)
        console.print(bullets, highlight=False)
    return console.file.getvalue() if to_file else None


@main.group()
def config() -> None:
    """Show the effective settings."""


@config.command("show")
@model_options
def config_show(model: str | None, grader_model: str | None, base_url: str | None) -> None:
    """Print where the config file, the data folder and the history database are, then each
    effective setting and where it came from (flag, env, config file, default)."""
    from interviewer.config import ConfigError, config_path, explain, load, shown

    try:
        settings = load(model=model, grader_model=grader_model, base_url=base_url)
        rows = explain(model=model, grader_model=grader_model, base_url=base_url)
    except ConfigError as exc:
        _fail(str(exc), EXIT_USAGE)
    from interviewer.paths import data_dir
    from interviewer.storage import db_path

    click.echo(f"config file: {config_path()}{'' if config_path().exists() else ' (not present)'}")
    where = "env INTERVIEWER_DATA_DIR" if os.environ.get("INTERVIEWER_DATA_DIR") else "default; INTERVIEWER_DATA_DIR moves it"
    click.echo(f"data dir:    {data_dir()} ({where})")
    click.echo(f"history:     {db_path()}{'' if db_path().exists() else ' (not yet created)'}")
    values = {name: shown(name, settings) for name, _, _ in rows}
    width = max(map(len, values.values()))
    for name, _, origin in rows:
        click.echo(f"{name:<16} {values[name]:<{width}}  {origin}")


@main.command()
@model_options
def doctor(model: str | None, grader_model: str | None, base_url: str | None) -> None:
    """Check a model endpoint: reachable, model listed, time to first token, structured-output modes."""
    import asyncio

    from interviewer.doctor import run_doctor

    settings = _settings(model=model, grader_model=grader_model, base_url=base_url)
    ok = asyncio.run(run_doctor(settings, _echo_wrapped if sys.stdout.isatty() else click.echo))
    sys.exit(0 if ok else 1)


def _echo_wrapped(line: str) -> None:
    """``line`` wrapped between words at the terminal's width, its continuation indented under
    the line's text (a pipe gets whole lines)."""
    import shutil
    import textwrap

    lead = len(line) - len(line.lstrip())
    click.echo(textwrap.fill(line, width=shutil.get_terminal_size().columns, subsequent_indent=" " * (lead + 2),
                             break_long_words=False, break_on_hyphens=False))


if __name__ == "__main__":  # pragma: no cover
    main()
