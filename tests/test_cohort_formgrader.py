"""The cohort command's output opened by the real nbgrader 0.9.6: formgrader's API finds every
learner's autograded copy, hand marks given through the gradebook come back on a re-run,
``nbgrader generate_feedback`` and ``nbgrader export`` work in the course folder, and the copy
of an intact notebook is exactly what ``nbgrader autograde`` writes.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from pathlib import Path

import cohort_helpers as h
import labserver
import nbformat
import pytest
from nbgrader_course import BIN, CONFIG, nbgrader

EX1, EX3 = h.EX01, "ex03_social_media_policy"
STAMP = "2026-11-30 12:00:00 UTC"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(300),
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),  # nbgrader's own, harmless
]


def new_course(folder: Path) -> Path:
    folder.mkdir(parents=True)
    (folder / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    return folder


def api_for(course: Path):
    from nbgrader.apps import NbGraderAPI

    from grader.nbconfig import course_config

    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    return NbGraderAPI(config=course_config(course, exchange_root=course / "exchange"))


def grade_into(course: Path, assignment: str, submitted: Path, out: Path) -> int:
    return h.grade(assignment, submitted, "--out", out, "--course-dir", course,
                   "--db", f"sqlite:///{course / 'gradebook.db'}")


def autograded(course: Path, student: str, assignment: str) -> Path:
    return course / "autograded" / student / assignment / f"{assignment}.ipynb"


def marks(cell: dict) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def source(cell: dict) -> str:
    text = cell["source"]
    return "".join(text) if isinstance(text, list) else text


# --------------------------------------------------------------------------------------------
# ex03: written parts marked by hand in formgrader
# --------------------------------------------------------------------------------------------
def words(student: str, item) -> str:
    return (f"{student.capitalize()} explains {item.label.lower()} in their own words: clients "
            f"hear about it in the first session, in writing and in plain language.")


def policy(ex3, student: str, parts: list) -> dict:
    data = h.release(ex3)
    for cell in data["cells"]:
        for item in parts:
            if marks(cell).get("grade_id") == item.answer_cell:
                cell["source"] = source(cell).splitlines()[0] + "\n" + words(student, item)
    return data


@pytest.fixture(scope="module")
def ex03(tmp_path_factory):
    """Three learners graded into course folder C: intact, half-written, and one whose
    notebook lost every nbgrader marking (with two written parts moved)."""
    tmp = tmp_path_factory.mktemp("ex03")
    course = new_course(tmp / "C")
    ex3 = h.load(EX3)
    written = list(ex3.manual_items)
    sub = tmp / "submitted"
    parts = {"writer": written, "partial": written[:2], "stripped": written}
    for student in ("writer", "partial"):
        h.nbgrader_submission(sub, student, ex3, policy(ex3, student, parts[student]))
    data = policy(ex3, "stripped", written)
    for cell in data["cells"]:
        cell["metadata"] = {}
    moved = [c for c in data["cells"] if source(c).startswith(f"#### {written[1].label}")]
    data["cells"].remove(moved[0])
    data["cells"].insert(1, moved[0])
    h.nbgrader_submission(sub, "stripped", ex3, data)
    out = tmp / "out"
    status = grade_into(course, EX3, sub, out)
    return {"ex": ex3, "course": course, "sub": sub, "out": out, "status": status,
            "parts": parts, "written": written}


def test_every_learner_has_an_autograded_copy_in_nbgraders_layout(ex03):
    assert ex03["status"] == 0
    rows = h.grades(ex03["out"])
    assert {k: r["status"] for k, r in rows.items()} == dict.fromkeys(ex03["parts"], "to mark")
    assert "rebuilt from the released exercise" in rows["stripped"]["notes"]
    assert "rebuilt" not in rows["writer"]["notes"] + rows["partial"]["notes"]
    page = (ex03["out"] / rows["stripped"]["feedback"]).read_text(encoding="utf-8")
    assert "not written yet" not in page  # the written parts were found by their headings
    release = {marks(c)["grade_id"]: c for c in h.release(ex03["ex"])["cells"] if marks(c)}
    course = ex03["course"]
    for student, parts in ex03["parts"].items():
        path = autograded(course, student, EX3)
        stamp = (path.parent / "timestamp.txt").read_text(encoding="utf-8")
        from nbgrader.utils import parse_utc

        assert parse_utc(stamp) == parse_utc(STAMP), student
        assert (path.stat().st_mode & 0o777) == 0o600
        assert all((p.stat().st_mode & 0o777) == 0o700
                   for p in (path.parent, path.parent.parent, course / "autograded"))
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        cells = {marks(c)["grade_id"]: c for c in nb.cells if marks(c)}
        assert sorted(cells) == sorted(release), student
        for grade_id, cell in cells.items():  # nbgrader's markings, as released
            assert marks(cell) == marks(release[grade_id]), (student, grade_id)
            assert cell.cell_type == release[grade_id]["cell_type"]
        for item in ex03["written"]:
            text = cells[item.answer_cell].source
            if item in parts:
                assert text.endswith(words(student, item)), (student, item.id)
            else:
                assert text == source(release[item.answer_cell]), (student, item.id)
        check = cells[ex03["ex"].check_cell]  # the completeness hint, as autograde
        assert check.outputs[0]["data"]["text/plain"] == "0.0"


def test_gradebook_rows_match_the_cells_of_each_copy(ex03):
    from nbgrader.api import Gradebook

    course = ex03["course"]
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "posting-with-care") as gb:
        for student in ex03["parts"]:
            nb = nbformat.read(autograded(course, student, EX3), as_version=4)
            grade_cells = {marks(c)["grade_id"] for c in nb.cells if marks(c).get("grade")}
            solution_cells = {marks(c)["grade_id"] for c in nb.cells
                              if marks(c).get("solution")}
            submission = gb.find_submission_notebook(EX3, EX3, student)
            assert {g.name for g in submission.grades} == grade_cells, student
            assert {c.name for c in submission.comments} == solution_cells, student
            assert submission.needs_manual_grade


def test_formgrader_finds_and_shows_every_submission(ex03, tmp_path):
    from nbgrader.api import Gradebook

    course, students = ex03["course"], sorted(ex03["parts"])
    api = api_for(course)
    listed = {s["student"]: s for s in api.get_submissions(EX3)}
    assert sorted(listed) == students
    for student in students:
        assert listed[student]["autograded"] and listed[student]["needs_manual_grade"]
        one = api.get_submission(EX3, student)
        assert one["autograded"] and one["submitted"], student
    indices = api.get_notebook_submission_indices(EX3, EX3)
    assert len(indices) == 3
    assert all(s["index"] is not None for s in api.get_notebook_submissions(EX3, EX3))
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "posting-with-care") as gb:
        submissions = {s: gb.find_submission_notebook(EX3, EX3, s) for s in students}
        grades = {s: sorted(g.name for g in n.grades) for s, n in submissions.items()}
        ids = {s: n.id for s, n in submissions.items()}
    assert set(ids.values()) == set(indices)

    # the real formgrader, started in the course folder as JupyterLab would start it
    port, token = labserver.free_port(), "formgrader-test"
    command = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1",
               f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
               "--ServerApp.allow_root=True", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={course}"]
    env = labserver.isolated_env(tmp_path / "jupyter")
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    server = labserver.start(command, port=port, token=token, root=course, env=env,
                             log=tmp_path / "server.log")
    try:
        status, body = server.get(f"formgrader/api/submissions/{EX3}")
        assert status == 200 and sorted(s["student"] for s in json.loads(body)) == students
        for student in students:
            status, page = server.get(f"formgrader/submissions/{ids[student]}/", timeout=60)
            assert status == 200, (student, server.log_tail())
            for name in grades[student]:  # a score box for every grade in the gradebook
                assert f'id="{name}"' in page, (student, name)
            for item in ex03["parts"][student]:
                assert words(student, item) in page, (student, item.id)
            status, body = server.get(f"formgrader/api/grades?submission_id={ids[student]}")
            assert status == 200 and sorted(g["name"] for g in json.loads(body)) == \
                grades[student]
    finally:
        labserver.stop(server)


def test_hand_marks_come_back_on_a_rerun_and_feedback_shows_the_writing(ex03):
    from nbgrader.api import Gradebook

    course, written = ex03["course"], ex03["written"]
    given = {item.grade_cell: float(number % 3) for number, item in enumerate(written)}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}", "posting-with-care") as gb:
        for item in written:  # as formgrader saves a mark
            grade = gb.find_grade(item.grade_cell, EX3, EX3, "stripped")
            grade.manual_score = given[item.grade_cell]
            grade.needs_manual_grade = False
        gb.find_comment(written[0].answer_cell, EX3, EX3, "stripped").manual_comment = \
            "Clear and kind: a client would understand this."
        gb.db.commit()
    assert grade_into(course, EX3, ex03["sub"], ex03["out"]) == 0
    rows = h.grades(ex03["out"])
    assert rows["stripped"]["status"] == "graded"
    assert float(rows["stripped"]["score"]) == sum(given.values())
    assert rows["writer"]["status"] == rows["partial"]["status"] == "to mark"

    result = nbgrader(course, "generate_feedback", EX3)
    assert result.returncode == 0, result.stderr[-3000:]
    page = (course / "feedback" / "stripped" / EX3 / f"{EX3}.html").read_text(encoding="utf-8")
    for item in written:
        assert words("stripped", item) in page, item.id
    assert "Clear and kind: a client would understand this." in page
    assert f"(score {sum(given.values()):g} of {ex03['ex'].manual_max_score:g})" in page
    assert "Your feedback: Exercise 3:" in page and f"Your feedback: {EX3}" not in page
    writer = (course / "feedback" / "writer" / EX3 / f"{EX3}.html").read_text(encoding="utf-8")
    assert all(words("writer", item) in writer for item in written)


# --------------------------------------------------------------------------------------------
# ex01: marked automatically; the copy equals nbgrader autograde's, export equals grades.csv
# --------------------------------------------------------------------------------------------
def ex01_learners(ex) -> dict[str, dict]:
    good, _ = h.answers_with_wrong(ex, 3)
    learners = {"good": h.notebook(ex, good)}

    some, _ = h.answers_with_wrong(ex, 5)
    tampered = h.notebook(ex, some)
    cells = tampered["cells"]
    for cell in cells:
        if marks(cell).get("grade_id") == "post_02_card":  # a locked card edited
            cell["source"] = "### Post 2\nThis post is fine, honestly."
        if cell["cell_type"] == "code":  # saved outputs and view settings
            cell["execution_count"] = 3
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "hello\n"}]
            cell["metadata"]["collapsed"] = True
    learners["tampered"] = tampered

    pasted = h.notebook(ex, some)  # an answer cell pasted again below: the later one counts
    cells = pasted["cells"]
    answer = next(i for i, c in enumerate(cells) if marks(c).get("grade_id") == "answer_post_05")
    copy = json.loads(json.dumps(cells[answer]))
    copy["id"] = "pasted-copy"
    copy["source"] = f'post_05 = "{h.wrong_answer(ex.item("post_05"))}"'
    cells.insert(answer + 1, copy)
    learners["pasted"] = pasted

    key = h.key_answers(ex)
    stripped = h.notebook(ex, key)
    cells = stripped["cells"]
    for cell in cells:
        cell["metadata"] = {}
    first, second = (next(i for i, c in enumerate(cells) if source(c).startswith(f"{name} ="))
                     for name in ("post_01", "post_02"))
    cells[first], cells[second] = cells[second], cells[first]  # two answers moved
    merged = [c for c in cells if source(c).startswith(("post_10 =", "post_11 ="))]
    wrong = h.wrong_answer(ex.item("post_11"))
    merged[0]["source"] = source(merged[0]) + f'\npost_11 = "{wrong}"'  # two answers, one cell
    cells.remove(merged[1])
    learners["stripped"] = stripped
    return learners


@pytest.fixture(scope="module")
def ex01(tmp_path_factory):
    """The same learners graded by the cohort command (course C) and by `nbgrader autograde`
    with the course's own configuration (course R)."""
    tmp = tmp_path_factory.mktemp("ex01")
    ex = h.load(EX1)
    learners = ex01_learners(ex)
    sub = tmp / "submitted"
    for student, data in learners.items():
        h.nbgrader_submission(sub, student, ex, data, stamp=STAMP)
    course, out = new_course(tmp / "C"), tmp / "out"
    status = grade_into(course, EX1, sub, out)

    reference = new_course(tmp / "R")
    shutil.copytree(h.ROOT / "solutions" / EX1, reference / "solutions" / EX1)
    assert api_for(reference).generate_assignment(EX1)["success"]
    shutil.copytree(sub, reference / "submitted",  # stock nbgrader drops "pasted" (see below)
                    ignore=lambda folder, names: ["pasted"] if folder == str(sub) else [])
    run = nbgrader(reference, "autograde", EX1)
    assert run.returncode == 0, run.stderr[-3000:]
    return {"ex": ex, "course": course, "reference": reference, "out": out, "status": status,
            "learners": learners}


def test_the_copy_of_an_intact_notebook_is_what_nbgrader_autograde_writes(ex01):
    assert ex01["status"] == 0
    for student in ("good", "tampered"):
        ours = nbformat.read(autograded(ex01["course"], student, EX1), as_version=4)
        theirs = nbformat.read(autograded(ex01["reference"], student, EX1), as_version=4)
        assert ours == theirs, student
    card = [c for c in ours.cells if marks(c).get("grade_id") == "post_02_card"][0]
    assert "honestly" not in card.source  # the locked cell's text restored


def test_a_pasted_answer_cell_keeps_its_markings_on_the_last_copy_only(ex01):
    """nbgrader's DeduplicateIds leaves an empty marking on the earlier cell, which its own
    metadata check then refuses (the learner is dropped); the copy here drops it cleanly."""
    assert not (ex01["reference"] / "autograded" / "pasted").exists()
    nb = nbformat.read(autograded(ex01["course"], "pasted", EX1), as_version=4)
    nbformat.validate(nb)
    answers = [c for c in nb.cells if c.source.startswith("post_05 =")]
    assert len(answers) == 2 and "nbgrader" not in answers[0].metadata
    assert marks(answers[1])["grade_id"] == "answer_post_05" and answers[1].id == "pasted-copy"
    from nbgrader.nbgraderformat import MetadataValidator

    MetadataValidator().validate_nb(nb)  # what nbgrader's CheckCellMetadata runs


def test_grade_cells_carry_the_points_and_export_agrees_with_grades_csv(ex01):
    course, out, ex = ex01["course"], ex01["out"], ex01["ex"]
    points = {(r["learner"], r["item"]): float(r["points"]) for r in h.items_csv(out)}
    for student in ex01["learners"]:
        nb = nbformat.read(autograded(course, student, EX1), as_version=4)
        nbformat.validate(nb)
        graded = {marks(c)["grade_id"]: c for c in nb.cells if marks(c).get("grade")}
        assert sorted(graded) == sorted(i.grade_cell for i in ex.auto_items)
        for item in ex.auto_items:
            output = graded[item.grade_cell].outputs
            assert len(output) == 1 and output[0]["output_type"] == "execute_result"
            assert float(output[0]["data"]["text/plain"]) == points[(student, item.id)]
    result = nbgrader(course, "export")
    assert result.returncode == 0, result.stderr[-3000:]
    with open(course / "grades.csv", newline="", encoding="utf-8") as handle:
        exported = {r["student_id"]: float(r["score"]) for r in csv.DictReader(handle)}
    assert exported == {k: float(r["score"]) for k, r in h.grades(out).items()}
    assert exported["stripped"] == ex.max_score - 1  # all right but post_11


def test_a_stripped_notebook_is_rebuilt_with_its_answers_in_their_cells(ex01):
    from grader.scoring import read_answers

    ex = ex01["ex"]
    assert "rebuilt" in h.grades(ex01["out"])["stripped"]["notes"]
    nb = nbformat.read(autograded(ex01["course"], "stripped", EX1), as_version=4)
    release = [marks(c)["grade_id"] for c in h.release(ex)["cells"]]
    assert [marks(c).get("grade_id") for c in nb.cells] == release  # the released order
    before = read_answers(ex01["learners"]["stripped"], ex)
    after = read_answers(nb, ex)
    for item in ex.auto_items:
        assert (after[item.id].status, after[item.id].value) == \
            (before[item.id].status, before[item.id].value), item.id
        cell = nb.cells[after[item.id].cell_index]
        assert marks(cell)["grade_id"] == item.answer_cell, item.id


# --------------------------------------------------------------------------------------------
# Where the copies go
# --------------------------------------------------------------------------------------------
def test_copies_go_into_the_results_folder_by_default_and_codes_name_them(tmp_path):
    ex = h.load(EX1)
    answers, _ = h.answers_with_wrong(ex, 2)
    data = h.notebook(ex, answers)
    data["metadata"]["authors"] = [{"name": "Zoë Quill"}]  # as some editors and LMSs add
    sub = tmp_path / "submitted"
    h.nbgrader_submission(sub, "Zoë Quill", ex, data)
    out = tmp_path / "out"
    assert h.grade(EX1, sub, "--out", out) == 0
    assert autograded(out, "Zoë Quill", EX1).is_file()
    assert (out / "submitted" / "Zoë Quill" / EX1 / f"{EX1}.ipynb").read_bytes() == \
        (sub / "Zoë Quill" / EX1 / f"{EX1}.ipynb").read_bytes()

    course = tmp_path / "course"
    assert h.grade(EX1, sub, "--out", tmp_path / "codes", "--course-dir", course,
                   "--pseudonymise") == 0
    (code,) = h.grades(tmp_path / "codes")
    assert (course / "gradebook.db").is_file() and (course / "pseudonym-secret.key").is_file()
    assert sorted(p.name for p in (course / "autograded").iterdir()) == [code]
    for path in course.rglob("*"):
        assert "Zoë" not in str(path)
        if path.is_file():
            assert "Zoë" not in path.read_text(encoding="utf-8", errors="replace"), path


def test_a_course_folder_inside_the_submissions_or_without_a_gradebook_is_refused(tmp_path,
                                                                                 capsys):
    ex = h.load(EX1)
    sub = tmp_path / "submitted"
    h.nbgrader_submission(sub, "someone", ex, h.release(ex))
    assert h.grade(EX1, sub, "--out", tmp_path / "a", "--course-dir", sub / "x") == 1
    assert "inside the submissions folder" in capsys.readouterr().err
    assert h.grade(EX1, sub, "--out", tmp_path / "b", "--course-dir", tmp_path / "c",
                   "--no-gradebook") == 1
    assert "needs the gradebook" in capsys.readouterr().err
    # the course folder that holds submitted/ is where formgrader's copies belong
    course = tmp_path / "course"
    h.nbgrader_submission(course / "submitted", "someone", ex, h.release(ex))
    before = h.hashes(course / "submitted")
    assert h.grade(EX1, course, "--out", tmp_path / "d", "--course-dir", course) == 0
    assert autograded(course, "someone", EX1).is_file()
    assert h.hashes(course / "submitted") == before  # the course's submissions are untouched
    assert not (course / ".posting-with-care-submitted").exists()
