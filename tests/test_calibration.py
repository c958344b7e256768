"""`interviewer calibrate`: measuring a grader against labels, fitting the offline scorer, and the
shipped calibration being made by that same command from the labelled data in the repo."""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path

import pytest
from click.testing import CliRunner

from interviewer.grading.model import default_path, load
from interviewer.cli import main
from interviewer.rubrics import all_rubrics, rubric_for_round
from interviewer.grading import OfflineGrader

from conftest import CALIBRATION

LABELLED = [str(CALIBRATION / "answers.jsonl"), str(CALIBRATION / "answers-more.jsonl"), str(CALIBRATION / "answers-written.jsonl")]


def run(args: list[str]):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def close(a, b, path="") -> None:
    """Recursive comparison of two JSON documents, floats to 1e-6 (BLAS may round differently)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            close(x, y, f"{path}[{i}]")
    elif isinstance(a, float):
        assert math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9), path
    else:
        assert a == b, path


def test_the_shipped_calibration_is_made_by_calibrate_from_the_repo_data(tmp_path):
    """Refit (without the cross-validation, which only measures) from the repo's data: the same
    models come out."""
    out = tmp_path / "refit.json"
    res = run(["calibrate", *LABELLED, "--save", str(out), "--no-cv", "--format", "json"])
    assert res.exit_code == 0, res.output
    shipped = json.loads(default_path().read_text(encoding="utf-8"))
    refit = json.loads(out.read_text(encoding="utf-8"))
    for doc in (shipped, refit):
        doc.pop("created")
        doc.pop("cv")
    close(shipped, refit)


def test_the_text_layer_applied_without_scikit_learn_matches_scikit_learn():
    from sklearn.linear_model import Ridge

    from interviewer.grading import fit

    rows = [json.loads(line) for line in Path(LABELLED[1]).read_text(encoding="utf-8").splitlines()]
    texts, y = [r["answer"] for r in rows], [r["overall"] for r in rows]
    model = fit._fit_text(texts, __import__("numpy").array(y, dtype=float))
    vec = fit.text_vectorizer()
    ridge = Ridge(alpha=fit.ALPHA_TEXT).fit(vec.fit_transform(texts), y)
    expected = ridge.predict(vec.transform(texts[:20] + ["An answer with words the model never saw: zyzzyva."]))
    got = [model.predict(t) for t in texts[:20] + ["An answer with words the model never saw: zyzzyva."]]
    assert all(math.isclose(a, b, abs_tol=1e-9) for a, b in zip(expected, got))


def test_the_shipped_calibration_says_what_it_was_fitted_on():
    cal = load(default_path())
    files = {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in LABELLED}
    assert cal.training.files == files
    assert cal.training.answers == 364
    assert cal.rubrics == {r.id: r.version for r in all_rubrics().values()}
    assert cal.cv is not None and cal.cv.folds == 5 and cal.cv.overall.n == 364
    # the agreement that ships, cross-validated: every answer scored by a fit that never saw it
    assert cal.cv.overall.qwk >= 0.70
    assert set(cal.cv.rounds) == {"behavioral", "coding", "system_design", "recruiter_screen", "hiring_manager", "star_story"}


def test_measuring_the_offline_grader_reports_agreement_and_says_it_is_in_sample():
    res = run(["calibrate", LABELLED[0], "--format", "json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["grader"] == "offline" and doc["answers"] == 40 and doc["in_sample"] is True
    assert 0 < doc["overall"]["qwk"] <= 1 and doc["overall"]["n"] == 40
    assert len(doc["confusion"]) == 4 and sum(map(sum, doc["confusion"])) == 40
    assert "behavioral.ownership" in doc["criteria"]
    assert "in-sample" in res.stderr


def _strict_bar(tmp_path: Path) -> Path:
    """A team with a stricter bar than the shipped labels: every band one lower (floor 1)."""
    rows = [json.loads(line) for line in Path(LABELLED[1]).read_text(encoding="utf-8").splitlines()]
    rows = [r for r in rows if r["round"] == "behavioral"]
    for r in rows:
        r["overall"] = max(1, r["overall"] - 1)
        r["labels"] = {k: (None if v is None else max(1, v - 1)) for k, v in r["labels"].items()}
    path = tmp_path / "team.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_a_team_fits_the_grader_to_its_own_bar_and_grades_with_it(tmp_path):
    team = _strict_bar(tmp_path)
    cal = tmp_path / "team-cal.json"
    res = run(["calibrate", str(team), "--save", str(cal), "--repeats", "1", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["cv"]["folds"] == 5
    story = tmp_path / "story.md"
    strong = json.loads(Path(LABELLED[1]).read_text(encoding="utf-8").splitlines()[1])["answer"]  # labelled 4
    story.write_text(strong, encoding="utf-8")
    default = json.loads(run(["grade", str(story), "--format", "json"]).stdout)["items"][0]
    strict = json.loads(run(["grade", str(story), "--format", "json", "--calibration", str(cal)]).stdout)["items"][0]
    assert strict["grader"]["calibration"] == "team-cal.json"
    assert strict["overall"]["score"] < default["overall"]["score"]
    # the same file named in config.toml
    Path(__import__("os").environ["INTERVIEWER_CONFIG"]).write_text(f'calibration = "{cal}"\n', encoding="utf-8")
    via_config = json.loads(run(["grade", str(story), "--format", "json"]).stdout)["items"][0]
    assert via_config["overall"] == strict["overall"]


@pytest.mark.parametrize("content, message", [
    (None, "calibration file not found"),
    ("{not json", "not JSON"),
    ('{"kind": "something-else"}', "not a calibration file"),
])
def test_a_calibration_that_cannot_be_used_is_one_line_and_exit_2(tmp_path, content, message):
    path = tmp_path / "cal.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    story = tmp_path / "s.md"
    story.write_text("I decided to stop the rollout because error rates doubled. " * 5, encoding="utf-8")
    res = CliRunner().invoke(main, ["grade", str(story), "--calibration", str(path)])
    assert res.exit_code == 2
    assert message in res.stderr and str(path) in res.stderr and "fix:" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1 and "Traceback" not in res.output


def test_a_calibration_for_other_rubric_versions_is_refused(tmp_path):
    doc = json.loads(default_path().read_text(encoding="utf-8"))
    doc["rubrics"]["behavioral"] += 1
    path = tmp_path / "old.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    story = tmp_path / "s.md"
    story.write_text("I decided to stop the rollout because error rates doubled. " * 5, encoding="utf-8")
    res = CliRunner().invoke(main, ["grade", str(story), "--calibration", str(path), "--format", "json"])
    assert "rubric 'behavioral' version" in res.stderr and "refit" in res.stderr
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1


def test_a_bad_labelled_line_names_file_and_line(tmp_path):
    path = tmp_path / "bad.jsonl"
    good = Path(LABELLED[0]).read_text(encoding="utf-8").splitlines()[0]
    path.write_text(good + "\n" + json.dumps({"id": "x", "round": "behavioral", "answer": "hi", "overall": 7}) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["calibrate", str(path)])
    assert res.exit_code == 1
    assert f"{path}:2: overall" in res.stderr and "fix:" in res.stderr


def test_save_fits_the_offline_scorer_only(tmp_path):
    res = CliRunner().invoke(main, ["calibrate", LABELLED[0], "--save", str(tmp_path / "x.json"), "--model", "ollama:llama3"])
    assert res.exit_code == 2 and "--save fits the offline scorer" in res.stderr


def test_length_does_not_buy_a_score(eval_answers):
    """The set decouples length from quality; so must we: the longest band-1 answers stay low."""
    g = OfflineGrader()
    ones = sorted((r for r in eval_answers.values() if r["overall"] == 1), key=lambda r: -len(r["answer"]))[:4]
    for row in ones:
        s = g.grade(row["answer"], rubric=rubric_for_round(row["round"]), level="L5", question=row["question"])
        assert s.overall.band <= 2, row["id"]


def test_padding_an_answer_with_filler_never_raises_it(eval_answers):
    g = OfflineGrader()
    filler = " And so on, as I said, that was the situation more or less, and that is about it really."
    for row in list(eval_answers.values())[:10]:
        rubric = rubric_for_round(row["round"])
        a = g.grade(row["answer"], rubric=rubric, level="L5", question=row["question"])
        b = g.grade(row["answer"] + filler * 3, rubric=rubric, level="L5", question=row["question"])
        assert b.overall.score <= a.overall.score + 0.05, row["id"]
