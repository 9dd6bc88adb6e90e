"""Pseudonymisation, re-runs, exit statuses and the command line itself."""

from __future__ import annotations

import re
import sqlite3
import tomllib
import zipfile
from pathlib import Path

import cohort_helpers as h
from markupsafe import escape

NAMES = ["Zoë", "O'Brien", "Ahmed", "Khan", "Priya", "Patel", "zoe.obrien"]


def _named_cohort(tmp: Path, ex) -> list[Path]:
    full, _ = h.answers_with_wrong(ex, 0)
    some, _ = h.answers_with_wrong(ex, 2)
    src = tmp / "moodle"
    h.write_nb(src / "Zoë O'Brien_4817301_assignsubmission_file_" / ex.notebook_name,
               h.notebook(ex, full))
    h.write_nb(src / "Ahmed Khan_4817302_assignsubmission_file_" / "Khan draft.ipynb",
               h.notebook(ex, some))
    h.write_nb(src / "Ahmed Khan_4817302_assignsubmission_file_" / "Khan final.ipynb",
               h.notebook(ex, full))
    archive = h.zip_folder(src, tmp / "download.zip")
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("Priya Patel_4817303_assignsubmission_file_/../../Patel.ipynb", "{}")
    sub = tmp / "submitted"
    h.nbgrader_submission(sub, "zoe.obrien", ex, h.notebook(ex, some))
    return [archive, sub]


def test_pseudonymised_outputs_hold_no_names_and_codes_are_stable(tmp_path, ex):
    sources = _named_cohort(tmp_path, ex)
    out = tmp_path / "out"
    assert h.grade(h.EX01, *sources, "--out", out, "--pseudonymise") == 2
    text = h.all_text(out)
    for name in NAMES:
        assert name not in text, name
    assert "Participant 4817301" in (out / "lms" / "moodle-grading-worksheet.csv").read_text()
    for path in [out / "grades.csv", out / "items.csv", out / "report.html",
                 *(out / "feedback").iterdir()]:
        body = path.read_text(encoding="utf-8")
        assert "4817301" not in body and "4817302" not in body, path  # LMS ids only in LMS files
    rows = h.grades(out)
    assert "name" not in next(iter(rows.values()))
    assert all(code.startswith("L-") and len(code) == 10 for code in rows)
    assert sorted(p.name for p in (out / "feedback").iterdir()) == sorted(
        f"{code}.html" for code in rows)
    graded = [code for code, row in rows.items() if row["status"] != "problem"]
    assert len(graded) == 2
    for code in graded:  # reminders of the posts come from the key; no names came with them
        page = (out / "feedback" / f"{code}.html").read_text(encoding="utf-8")
        assert all(str(escape(item.summary)) in page for item in ex.auto_items), code
    problems = [r["problem"] for r in rows.values() if r["status"] == "problem"]
    assert len(problems) == 2  # two notebooks; the refused path
    with sqlite3.connect(out / "gradebook.db") as db:
        ids = {r[0] for r in db.execute("select id from student")}
        named = db.execute("select count(*) from student where first_name is not null "
                           "or last_name is not null").fetchone()[0]
    assert ids <= set(rows) and named == 0
    secret = out / "pseudonym-secret.key"
    assert (secret.stat().st_mode & 0o777) == 0o600
    # a second run into another folder with the same secret gives the same codes
    again = tmp_path / "again"
    assert h.grade(h.EX01, *sources, "--out", again, "--pseudonymise",
                   "--secret-file", secret) == 2
    assert sorted(h.grades(again)) == sorted(rows)


def test_a_rerun_gives_the_same_outputs_and_no_double_entries(tmp_path, ex):
    sub = tmp_path / "submitted"
    for wrong in range(4):
        answers, _ = h.answers_with_wrong(ex, wrong)
        h.nbgrader_submission(sub, f"learner{wrong}", ex, h.notebook(ex, answers))
    out = tmp_path / "out"
    assert h.grade(h.EX01, sub, "--out", out, "--due", "2026-12-01 17:00") == 0
    files = {p: p.read_bytes() for p in out.rglob("*") if p.is_file() and p.suffix != ".db"}
    counts = _counts(out)
    assert counts["submitted_assignment"] == 4
    assert h.grade(h.EX01, sub, "--out", out, "--due", "2026-12-01 17:00") == 0
    assert {p: p.read_bytes() for p in files} == files
    assert _counts(out) == counts
    # learner0 resubmits a worse notebook: the gradebook is updated in place
    answers, score = h.answers_with_wrong(ex, 5)
    h.nbgrader_submission(sub, "learner0", ex, h.notebook(ex, answers),
                          stamp="2026-12-01 10:00:00 UTC")
    assert h.grade(h.EX01, sub, "--out", out) == 0
    assert _counts(out) == counts
    assert float(h.grades(out)["learner0"]["score"]) == score
    with sqlite3.connect(out / "gradebook.db") as db:
        stored = db.execute(
            "select sum(g.auto_score) from grade g join submitted_notebook sn on "
            "g.notebook_id = sn.id join submitted_assignment sa on sn.assignment_id = sa.id "
            "where sa.student_id = 'learner0'").fetchone()[0]
    assert stored == score


def _counts(out: Path) -> dict[str, int]:
    with sqlite3.connect(out / "gradebook.db") as db:
        return {t: db.execute(f"select count(*) from {t}").fetchone()[0]
                for t in ("student", "submitted_assignment", "submitted_notebook", "grade",
                          "comment", "assignment", "notebook", "base_cell")}


def test_exit_statuses_and_plain_errors(tmp_path, ex, capsys):
    sub = tmp_path / "submitted"
    h.nbgrader_submission(sub, "ok", ex, h.release(ex))
    assert h.grade("ex99_nothing", sub, "--out", tmp_path / "a") == 1
    assert "no exercise called 'ex99_nothing'" in capsys.readouterr().err
    assert h.grade(h.EX01, sub, "--out", tmp_path / "b", "--due", "next Thurs-ish") == 1
    assert "date and time" in capsys.readouterr().err
    assert h.grade(h.EX01, sub, "--out", tmp_path / "c", "--due", "2026-12-01 17:00",
                   "--late-penalty", "lots") == 1
    assert "late penalty" in capsys.readouterr().err
    assert h.grade(h.EX01, tmp_path / "missing", "--out", tmp_path / "d") == 1
    assert "nothing at" in capsys.readouterr().err
    assert h.grade(h.EX01, sub, "--out", sub / "results") == 1
    assert "inside the submissions folder" in capsys.readouterr().err
    assert h.grade(h.EX01, sub, "--out", tmp_path / "e", "--db", "mysql://x@y/z") == 1
    assert "not a database address we support" in capsys.readouterr().err
    h.nbgrader_submission(sub, "broken", ex, b"{not json")
    assert h.grade(h.EX01, sub, "--out", tmp_path / "f") == 2


def test_console_script_and_help(tmp_path, ex):
    scripts = tomllib.loads((h.ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["posting-with-care-grade"] == "grader.__main__:main"
    result = h.run_cli("--help", timeout=120)
    assert result.returncode == 0
    for option in ("--out", "--pseudonymise", "--jobs", "--due", "--late-penalty", "--db",
                   "exit status"):
        assert option in result.stdout


def test_grading_ex02_with_rule_principle_and_letter_items(tmp_path):
    ex2 = h.load(h.EX02)
    sub = tmp_path / "submitted"
    answers, score = h.answers_with_wrong(ex2, 3)
    h.nbgrader_submission(sub, "learner", ex2, h.notebook(ex2, answers))
    out = tmp_path / "out"
    assert h.grade(h.EX02, sub, "--out", out, "--show-correct-answers") == 0
    assert float(h.grades(out)["learner"]["score"]) == score
    kinds = {i.kind for i in ex2.auto_items}
    assert {"rule", "principle", "letter"} <= kinds
    page = (out / "feedback" / "learner.html").read_text(encoding="utf-8")
    assert "The answer was" in page
    for item in ex2.auto_items:  # a reminder of the post or situation, under its heading
        assert re.search(rf'<h2>{re.escape(item.label)}</h2>\s*<p class="about">'
                         rf'{re.escape(str(escape(item.summary)))}</p>', page), item.id
    assert "LinkedIn post by Otterbrack Counselling: \u201cProud moment:" in page
    assert "son: Your personal Instagram account is private. A follow request" in page


def test_hand_marked_exercise_waits_for_formgrader_then_agrees(tmp_path):
    """ex03 is marked by hand: 'to mark' until formgrader has marks, then graded."""
    from grader.cohort.nbgrader_store import open_gradebook

    ex3 = h.load("ex03_social_media_policy")
    written = [i for i in ex3.items if i.manual]
    text = ("I keep a separate professional page and a private personal account; clients "
            "can reach me by phone or email, never by direct message, and I explain why in "
            "our first session so that they can make their own choice about following me.")
    sub = tmp_path / "submitted"
    h.nbgrader_submission(sub, "writer", ex3, h.policy_notebook(ex3, {i.answer_cell: text
                                                            for i in written[:-1]}))
    out = tmp_path / "out"
    assert h.grade("ex03_social_media_policy", sub, "--out", out) == 0
    row = h.grades(out)["writer"]
    assert row["status"] == "to mark"
    assert float(row["max_score"]) == ex3.manual_max_score
    page = (out / row["feedback"]).read_text(encoding="utf-8")
    assert "still to be marked" in page and "A hint, not a mark" in page
    assert 'class="about"' not in page  # a written part's heading is its reminder already
    gradebook = open_gradebook(f"sqlite:///{out / 'gradebook.db'}")
    try:
        submission = gradebook.find_submission(ex3.id, "writer")
        assert submission.needs_manual_grade
        for number, item in enumerate(written):
            grade = gradebook.find_grade(item.grade_cell, ex3.notebook_name[:-6], ex3.id,
                                         "writer")
            grade.manual_score = float(number % 3)
        gradebook.db.commit()
    finally:
        gradebook.close()
    marks = sum(float(n % 3) for n in range(len(written)))
    assert h.grade("ex03_social_media_policy", sub, "--out", out) == 0
    row = h.grades(out)["writer"]
    assert row["status"] == "graded" and float(row["score"]) == marks
    gradebook = open_gradebook(f"sqlite:///{out / 'gradebook.db'}")
    try:
        assert gradebook.find_submission(ex3.id, "writer").score == marks  # marks kept
    finally:
        gradebook.close()


def test_gradebook_schema_version_matches_nbgraders_own():
    """Our quick reading of nbgrader's migration head equals what `alembic heads` says."""
    from grader.cohort.nbgrader_store import alembic_head, nbgrader_alembic_version

    assert alembic_head() == nbgrader_alembic_version()
