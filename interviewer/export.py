"""Session and loop transcripts with their scores, as Markdown or JSON (for ``interviewer export``)."""

from __future__ import annotations

import datetime as dt
import json
import re

from interviewer.scoring import BAND_NAMES, STORY_TYPE_NAMES, THEME_NAMES, AnswerScore, Evidence, clip
from interviewer.storage import LoopRow, SessionRow, TurnRow
from interviewer.wording import plural


def export_json(session: SessionRow, turns: list[TurnRow]) -> str:
    """The session, every turn (answers with their score objects) and the scorecard, as JSON.
    An answer's ``graded_text`` (when not null) is the question's combined answer its score's
    evidence offsets point into; ``offline_score`` stands in where the model could not grade;
    ``attempt`` is 2 and up for a retry of the question. ``session.plan`` lists the planned
    question ids; ``session.loop_id`` names the loop a round belongs to (else null)."""
    return json.dumps(session_doc(session, turns), indent=2, ensure_ascii=False) + "\n"


def session_doc(session: SessionRow, turns: list[TurnRow]) -> dict:
    """The JSON object :func:`export_json` writes."""
    return {
        "session": {k: getattr(session, k) for k in ("id", "started_at", "ended_at", "round", "level", "rubric_id",
                                                     "rubric_version", "interviewer", "grader", "plan", "loop_id", "loop_index")},
        "turns": [{"seq": t.seq, "at": t.at, "role": t.role, "kind": t.kind, "question_id": t.question_id,
                   "criterion_id": t.criterion_id, "text": t.text, "score": t.score, "graded_text": t.graded_text,
                   "offline_score": t.offline, "seconds": t.seconds, "attempt": t.attempt or 1} for t in turns],
        "scorecard": session.scorecard,
    }


def export_loop_json(loop: LoopRow, turns: dict[str, list[TurnRow]], card: dict) -> str:
    """A loop as JSON: ``loop`` (id, level, times, ``rounds`` with each round's ``round``,
    session ``id``, ``band`` 1-4 or null, ``role`` carried/sank/null, and the ``decision``
    ``hire``/``no hire``, null while unfinished, with its ``reasons``), then ``sessions``: each
    round's :func:`export_json` object, in loop order. ``card`` is the loop's scorecard
    (:class:`~interviewer.loop.LoopScorecard` as JSON)."""
    doc = {
        "loop": {"id": loop.id, "started_at": loop.started_at, "ended_at": loop.ended_at, "level": loop.level,
                 "questions": loop.questions, "rounds_done": card["rounds_done"], "finished": card["finished"],
                 "rounds": [{"index": r["index"], "round": r["round"], "id": r["session_id"], "score": r["score"], "band": r["band"],
                             "band_name": r["band_name"], "done": r["done"], "role": r["role"], "why": r["why"]} for r in card["rounds"]],
                 "mean_band": card["mean_band"], "decision": card["decision"], "reasons": card["reasons"]},
        "sessions": [session_doc(s, turns[s.id]) for s in loop.sessions],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def export_loop_markdown(loop: LoopRow, turns: dict[str, list[TurnRow]], card: dict) -> str:
    """A loop as one Markdown report: every round in order (its questions, answers, scores
    and round scorecard, as :func:`export_markdown` writes them, a heading level down), then
    the loop scorecard: each round's band and role, and the decision at the level with its
    reasons (or a note that the loop did not finish)."""
    started = dt.datetime.fromtimestamp(loop.started_at).strftime("%Y-%m-%d %H:%M")
    total = len(loop.rounds)
    out = [f"# Practice loop {loop.id}", "", f"level {loop.level} · {plural(loop.questions, 'question')} a round · "
           f"{card['rounds_done']} of {total} rounds done · {started}", ""]
    by_index = {s.loop_index: s for s in loop.sessions}
    for r in card["rounds"]:
        title = f"## Round {r['index'] + 1} of {total}: {r['name']}"
        s = by_index.get(r["index"])
        if s is None:
            out += [title, "", "Not started.", ""]
            continue
        body = _demote(export_markdown(s, turns[s.id])).split("\n")
        out += [f"{title} (session {s.id})", *body[1:]]
    out += ["## Loop scorecard", "", "| round | overall | band | decided by |", "|---|---|---|---|"]
    for r in card["rounds"]:
        score = f"{r['score']:.2f}" if r["score"] is not None else "—"
        band = f"{r['band']} {r['band_name']}" if r["band"] else ("no scored answer" if r["done"] else "not done")
        role = f"{r['role']}: {r['why']}" if r["role"] else ""
        out.append(f"| {r['name']} | {score} | {band} | {role} |")
    out.append("")
    if card["decision"]:
        out += [f"**Decision at {loop.level}: {card['decision']}**", ""] + [f"- {x}" for x in card["reasons"]]
    else:
        out.append(f"The loop was not finished ({card['rounds_done']} of {total} rounds): no decision yet; "
                   f"`interviewer practice --resume {loop.id}` goes on with it.")
    return "\n".join(out) + "\n"


def _demote(markdown: str) -> str:
    """Every heading one level down (``#`` -> ``##``), code fences left alone."""
    out, fenced = [], False
    for line in markdown.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,5} ", line):
            line = "#" + line
        out.append(line)
    return "\n".join(out)


#: quotes in Markdown documents (exports and batch reports) are cut at a word boundary, with "…", past this many characters
MD_QUOTE_CHARS = 160


def md_quote(evidence: Evidence | dict, limit: int = MD_QUOTE_CHARS) -> str:
    """One evidence quote for a Markdown document: in curly quotes, cut at a word boundary with
    "…" past ``limit`` characters (and "…" where it was cut from its sentence), and marked
    ``against:`` when it counts against the criterion."""
    e = evidence if isinstance(evidence, Evidence) else Evidence.model_validate(evidence)
    return f"{'against: ' if e.effect == 'against' else ''}“{e.clipped(limit)}”"


def _criterion_names(session: SessionRow, turns: list[TurnRow]) -> dict[str, str]:
    """Criterion id -> name, from the scores stored with the session (as it was graded), else
    from the rubric as it is now."""
    names: dict[str, str] = {}
    try:
        from interviewer.rubrics import get_rubric

        names.update({c.id: c.name for c in get_rubric(session.rubric_id).criteria})
    except Exception:  # noqa: BLE001 - a rubric since renamed or broken: the stored names still serve
        pass
    for t in turns:
        for score in (t.score, t.offline):
            names.update({c["id"]: c["name"] for c in (score or {}).get("criteria", []) if c.get("name")})
    return names


def export_markdown(session: SessionRow, turns: list[TurnRow]) -> str:
    """A readable transcript: each question and answer (its line breaks kept, code fenced), the
    answer's criterion scores with their evidence quotes (those against marked), then the
    scorecard with its strongest and weakest evidence (or a note that the round did not
    finish). Follow-ups are headed by the name of the criterion they probe."""
    started = dt.datetime.fromtimestamp(session.started_at).strftime("%Y-%m-%d %H:%M")
    names = _criterion_names(session, turns)
    out = [f"# Practice session {session.id}", "",
           f"*{session.round}* · level {session.level} · rubric {session.rubric_id} v{session.rubric_version} · "
           f"interviewer {session.interviewer} · grader {session.grader} · {started}", ""]
    for i, t in enumerate(turns):
        if t.role == "interviewer":
            if t.kind == "question":
                label = "Question"
            else:
                label = f"Follow-up · {names.get(t.criterion_id, t.criterion_id)}" if t.criterion_id else "Follow-up"
            label += f" (try {t.attempt})" if t.attempt and t.attempt > 1 and t.kind == "question" else ""
            out += [f"### {label}", "", "\n".join(f"> {line}" if line.strip() else ">" for line in t.text.split("\n")), ""]
            if i + 1 < len(turns) and turns[i + 1].role == "interviewer":
                out += ["*(not answered here: asked again below)*" if turns[i + 1].question_id == t.question_id and
                        turns[i + 1].kind == t.kind and turns[i + 1].attempt == t.attempt else "*(not answered: a retry came first)*", ""]
            continue
        out += ["**Answer:**", "", keep_lines(fence_code(t.text)), ""]
        s = t.score or {}
        if s.get("status") != "scored" and t.offline:
            out += [f"The model could not grade this answer ({s.get('reason')}); the offline grader's score:", ""]
            s = t.offline
        if s.get("status") == "scored":
            so_far = " for the question so far (this answer with the ones before it)" if t.graded_text else ""
            out += score_markdown(AnswerScore.model_validate(s), f"Score{so_far}")
            out.append("")
        elif s:
            out += [f"Unscored: {s.get('reason')}", ""]
    card = session.scorecard
    if card:
        ov = card["overall"]
        out += ["## Scorecard", ""]
        out.append(f"Overall: **{ov['score']}** — {ov['band_name']}" if ov.get("score") is not None else "Overall: no scored answers")
        if card.get("caveat"):
            out += ["", f"⚠ {card['caveat']}"]
        qs = card.get("question_scores") or []
        if qs:
            out += ["", "= the mean of the question scores:" if len(qs) > 1 else "= the question's score:"]
            out += [f"- {q['score']:.2f} {BAND_NAMES[q['band']]}{' ⚠ off the question' if q.get('off_question') else ''} · *{q['text']}*"
                    for q in qs]
        declined = f", {card['declined']} declined" if card.get("declined") else ""
        out += ["", f"{plural(card['questions'], 'question')}, {plural(card['answers'], 'answer')}{declined}, "
                    f"{card['unscored']} unscored", ""]
        for c in card["criteria"]:
            out.append(f"- {c['name']}: {c['score'] if c['score'] is not None else '—'}")
        if card.get("strongest"):
            out += ["", "### Strongest evidence", ""]
            out += [f"- {h['criterion_name']} ({h['score']:.0f}): “{clip(h['quote'] or '', MD_QUOTE_CHARS)}”" for h in card["strongest"]]
        if card.get("weakest"):
            out += ["", "### Weakest", ""]
            for h in card["weakest"]:
                quote = f": “{clip(h['quote'], MD_QUOTE_CHARS)}”" if h.get("quote") else ""
                out.append(f"- {h['criterion_name']} ({h['score']:.1f}): {h['signal']}{quote} — in: *{h['question']}*")
        if card["practice_next"]:
            out += ["", "### Practise next", ""] + [f"- {p}" for p in card["practice_next"]]
    else:
        out += ["## Scorecard", "", "The round was not finished; the answers above were saved as they were given."]
    return "\n".join(out) + "\n"


#: a line Markdown reads as part of a block of lines: a list item, a table row, a quote
_BLOCK_LINE = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||>)")


def score_markdown(score: AnswerScore, label: str = "Score") -> list[str]:
    """A scored answer as Markdown lines: an off-the-question flag first, the overall with how it
    was reached, the story type, other flags, then every criterion with its quotes (those
    against marked) or the line saying it was not shown or does not apply."""
    out = [f"> ⚠ {f.message}" for f in score.flags if f.kind == "off_question"]
    if out:
        out.append("")
    head = [f"{label}: **{score.overall.score}** ({score.overall.band_name})"]
    if score.overall.adjustments:
        head.append(f"*{score.overall.explanation()}*")
    if score.story is not None:
        themes = f"; shows {', '.join(THEME_NAMES[t] for t in score.story.themes)}" if score.story.themes else ""
        head.append(f"Story: {STORY_TYPE_NAMES.get(score.story.type, score.story.type)}{themes}")
    for f in score.flags:
        if f.kind != "off_question":
            head.append(f"⚠ {f.message}" + (f": {md_quote(f.evidence[0]).removeprefix('against: ')}" if f.evidence else ""))
    if score.grader.caveat:
        head.append(f"⚠ {score.grader.caveat}")
    out += ["  \n".join(head), ""]
    for c in score.criteria:
        quotes = "; ".join(md_quote(e) for e in c.evidence)
        note = c.note()
        shown = "; ".join(filter(None, [quotes, note])) or "—"
        out.append(f"- {c.name}: {c.score if c.score is not None else '—'} — {shown}")
    return out


def keep_lines(text: str) -> str:
    """``text`` (an answer, code already fenced) with each line break kept as Markdown shows
    it: two lines of prose become two paragraphs (Markdown would join them); code fences, list
    items, table rows and blank lines are left as they are."""
    out: list[str] = []
    fenced = False
    for line in text.split("\n"):
        fence = bool(_FENCE.match(line))
        prev = out[-1] if out else ""
        if (not fenced and not fence and line.strip() and prev.strip() and not _FENCE.match(prev)
                and not _BLOCK_LINE.match(line)):
            out.append("")
        out.append(line)
        fenced ^= fence
    return "\n".join(out)


_FENCE = re.compile(r"^\s*(```|~~~)", re.M)
#: a line only code reads like (after any indentation): a definition, a control statement
#: ending in ``:`` or ``{``, an import, an assignment, a whole-line call, a decorator, a
#: ``//`` comment, closing brackets, SQL, or a statement ending in ``;`` or ``{``; never a
#: line that ends a sentence
_CODE = re.compile(
    r"^(?!.*[.!?][\"')\]]*\s*$)\s*(?:"  # a line ending a sentence is prose
    r"(?:async\s+)?def\s+\w+\s*\(|class\s+\w+\s*[(:{<]|func\s+(?:\([^)]*\)\s*)?\w+\s*[(\[]|fn\s+\w+\s*[(<]|function\s*\w*\s*\("
    r"|(?:struct|enum|interface|record|impl|type)\s+\w+.*[{(=]"
    r"|(?:if|elif|while|switch|catch)\s*\(?[^.,;!?]*\)?\s*[:{]\s*$|for\s+.+\s+in\s+.+:\s*$|for\s*\(.*\)\s*\{\s*$"
    r"|(?:else|try|finally|do)\s*[:{]\s*$|except\b.*:\s*$|with\s+.+\s+as\s+\w+:\s*$|case\s+.+:\s*$"
    r"|import\s+[\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+)*\s*;?\s*$|from\s+[\w.]+\s+import\s+[\w*, ()]+$|#include\s*[<\"]"
    r"|(?:const|let|var|val|auto)\s+\w+.*=|(?:return|raise|throw|yield)\s.*[()\[\];]"
    r"|[A-Za-z_][\w.\[\]'\"]*(?:\s*:\s*[\w\[\], ]+)?\s*(?:[-+*/%|&]?=|:=)(?!=)\s*\S"
    r"|(?:await\s+)?[\w.]+\(.*\)[;,]?\s*(?://.*|#.*)?$|@\w[\w.]*(?:\(.*\))?\s*$|//|/\*"
    r"|[)\]}]+[;,)]*\s*$|(?:SELECT|INSERT\s+INTO|UPDATE|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX))\s"
    r"|.*[()=\]]\S*;\s*$|.*\S\s*\{\s*$"
    r")"
)
#: a line that continues code: indented (not a list item), a bare statement, or a comment
_MORE = re.compile(r"^(?:[ \t]+(?![-*+] |\d+[.)] )\S|\s*(?:return|break|continue|pass|raise|yield)\b|\s*(?:#|--)\s)")


def fence_code(text: str) -> str:
    """``text`` (an answer) with each run of code lines put in a Markdown code fence, so its
    indentation and symbols survive rendering. A run starts at a line only code reads like
    (:data:`_CODE`) and takes the lines after it that read as code or continue it
    (indented, a bare ``return``, a comment; blank lines between them). Prose, indented
    prose and list items stay as they are; text that already has a fence is left alone."""
    if _FENCE.search(text):
        return text
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        if not _CODE.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = end = i + 1
        while j < len(lines) and (not lines[j].strip() or _CODE.match(lines[j]) or _MORE.match(lines[j])):
            j += 1
            if lines[j - 1].strip():
                end = j
        out += ["```", *lines[i:end], "```"]
        i = end
    return "\n".join(out)
