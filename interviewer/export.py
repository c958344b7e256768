"""Session transcripts with their scores, as Markdown or JSON (for ``interviewer export``)."""

from __future__ import annotations

import datetime as dt
import json

from interviewer.storage import SessionRow, TurnRow


def export_json(session: SessionRow, turns: list[TurnRow]) -> str:
    """The session, every turn (answers with their score objects) and the scorecard, as JSON.
    An answer's ``graded_text`` (when not null) is the question's combined answer its score's
    evidence offsets point into; ``offline_score`` stands in where the model could not grade."""
    doc = {
        "session": {k: getattr(session, k) for k in ("id", "started_at", "ended_at", "round", "level", "rubric_id",
                                                     "rubric_version", "interviewer", "grader")},
        "turns": [{"seq": t.seq, "at": t.at, "role": t.role, "kind": t.kind, "question_id": t.question_id,
                   "criterion_id": t.criterion_id, "text": t.text, "score": t.score, "graded_text": t.graded_text,
                   "offline_score": t.offline, "seconds": t.seconds} for t in turns],
        "scorecard": session.scorecard,
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def export_markdown(session: SessionRow, turns: list[TurnRow]) -> str:
    """A readable transcript: each question and answer, the answer's criterion scores with
    evidence quotes, then the scorecard (or a note that the round did not finish)."""
    started = dt.datetime.fromtimestamp(session.started_at).strftime("%Y-%m-%d %H:%M")
    out = [f"# Practice session {session.id}", "",
           f"*{session.round}* · level {session.level} · rubric {session.rubric_id} v{session.rubric_version} · "
           f"interviewer {session.interviewer} · grader {session.grader} · {started}", ""]
    for t in turns:
        if t.role == "interviewer":
            label = "Question" if t.kind == "question" else f"Follow-up ({t.criterion_id})"
            out += [f"### {label}", "", f"> {t.text}", ""]
            continue
        out += ["**Answer:**", "", t.text, ""]
        s = t.score or {}
        if s.get("status") != "scored" and t.offline:
            out += [f"The model could not grade this answer ({s.get('reason')}); the offline grader's score:", ""]
            s = t.offline
        if s.get("status") == "scored":
            ov = s["overall"]
            so_far = " for the question so far (this answer with the ones before it)" if t.graded_text else ""
            out.append(f"Score{so_far}: **{ov['score']}** ({ov['band_name']})")
            out.append("")
            for c in s["criteria"]:
                if c["score"] is None:
                    continue
                quotes = "; ".join(f"“{e['quote'][:90]}”" for e in c["evidence"] if e["effect"] == "support") or "no evidence"
                out.append(f"- {c['name']}: {c['score']} — {quotes}")
            out.append("")
        elif s:
            out += [f"Unscored: {s.get('reason')}", ""]
    card = session.scorecard
    if card:
        ov = card["overall"]
        out += ["## Scorecard", ""]
        out.append(f"Overall: **{ov['score']}** — {ov['band_name']}" if ov.get("score") is not None else "Overall: no scored answers")
        out.append("")
        for c in card["criteria"]:
            out.append(f"- {c['name']}: {c['score'] if c['score'] is not None else '—'}")
        if card["practice_next"]:
            out += ["", "### Practise next", ""] + [f"- {p}" for p in card["practice_next"]]
    else:
        out += ["## Scorecard", "", "The round was not finished; the answers above were saved as they were given."]
    return "\n".join(out) + "\n"
