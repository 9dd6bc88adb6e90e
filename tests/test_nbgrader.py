"""The exercises through the real nbgrader 0.9.6, in a temporary course with the course's config.

One course folder for the module: nbgrader's API releases the three assignments; each
assignment's learners (honest, sloppy, broken and cheating) are marked in ONE
`nbgrader autograde` run; then feedback, `nbgrader export`, `nbgrader validate`, and a manual
mark for the written policy set through nbgrader's Gradebook.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output
from nbgrader_course import BIN, CONFIG, nbgrader

from grader.exercise import load_exercise

ROOT = Path(__file__).resolve().parent.parent
EX1, EX2, EX3 = "ex01_classify_posts", "ex02_rules_and_responses", "ex03_social_media_policy"


pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning"),  # nbgrader's own, harmless
]


def release(course: Path, assignment_id: str) -> nbformat.NotebookNode:
    return nbformat.read(course / "exercises" / assignment_id / f"{assignment_id}.ipynb", 4)


def key(assignment_id: str) -> dict[str, str]:
    return {i.variable: i.answer for i in load_exercise(assignment_id).auto_items}


def fill(nb, lines: dict[str, str]) -> nbformat.NotebookNode:
    """Each ``name = "?"`` answer line whose name is in ``lines`` becomes ``lines[name]``."""
    for cell in nb.cells:
        match = re.fullmatch(r'(\w+) = "\?"', cell.source) if cell.cell_type == "code" else None
        if match and match[1] in lines:
            cell.source = lines[match[1]]
    return nb


def literal(answers: dict[str, str]) -> dict[str, str]:
    return {name: f'{name} = "{value}"' for name, value in answers.items()}


FLIP = {"acceptable": "not acceptable", "not acceptable": "acceptable"}


def ex01_learners(course: Path) -> dict[str, tuple[nbformat.NotebookNode, float]]:
    """name -> (submitted notebook, the score its honest literal answers deserve)."""
    answers = key(EX1)
    names = list(answers)
    total = float(len(names))
    blank = lambda: release(course, EX1)  # noqa: E731
    learners = {
        "perfect": (fill(blank(), literal(answers)), total),
        "source": (nbformat.read(course / "solutions" / EX1 / f"{EX1}.ipynb", 4), total),
        "blank": (blank(), 0.0),
    }
    wrong = {"post_02", "post_05", "post_11", "post_17", "post_24"}
    sloppy = {n: (FLIP[v] if n in wrong else f"  {v.upper()} ") for n, v in answers.items()}
    learners["known"] = (fill(blank(), literal(sloppy)), total - len(wrong))
    learners["typo"] = (fill(blank(), {**literal(answers), "post_03": 'post_03 = "acceptible"'}),
                        total - 1)
    learners["syntax"] = (fill(blank(), {**literal(answers),
                                         "post_04": f'post_04 = "{answers["post_04"]}'}), total - 1)
    # clear synonyms, a lost space and stray full stops all count
    other = {"not acceptable": ["unacceptable", "notacceptable", "Not-acceptable."],
             "acceptable": ["Acceptable.", "acceptable "]}
    synonyms = {n: other[v][i % len(other[v])] for i, (n, v) in enumerate(answers.items())}
    learners["synonyms"] = (fill(blank(), literal(synonyms)), total)

    # cheat 1: a str subclass that equals everything, for the second half of the answers
    honest = names[:10]
    nb = fill(blank(), {**literal({n: answers[n] for n in honest}),
                        **{n: f'{n} = Always("{answers[n]}")' for n in names[10:]}})
    nb.cells.insert(1, new_code_cell(
        "class Always(str):\n    __eq__ = lambda *a: True\n    __hash__ = str.__hash__"))
    learners["cheat_str"] = (nb, float(len(honest)))

    # cheat 2: an IPython input transformer that rewrites the checks; honest answers 6 right
    mixed = {n: (answers[n] if i < 6 else FLIP[answers[n]]) for i, n in enumerate(names)}
    nb = fill(blank(), literal(mixed))
    nb.cells.insert(1, new_code_cell(
        "def _rewrite(lines):\n"
        "    return [l.replace('check(', 'print(').replace('assert', 'pass #') for l in lines]\n"
        "get_ipython().input_transformers_cleanup.append(_rewrite)"))
    learners["cheat_transformer"] = (nb, 6.0)

    # cheat 3: read the source notebook and the installed key, leave a file behind
    nb = blank()
    nb.cells.insert(1, new_code_cell(
        "import glob, pathlib, grader\n"
        "paths = glob.glob('../../../solutions/**/*.ipynb', recursive=True)\n"
        "paths += [str(pathlib.Path(grader.__file__).parent / 'keys' / 'ex01_classify_posts.yaml')]"
        "\n"
        "for p in paths:\n"
        "    print('SNOO' + 'PED', p, pathlib.Path(p).read_text())\n"
        "pathlib.Path('../../../PWNED').write_text('learner code ran')"))
    learners["cheat_snoop"] = (nb, 0.0)

    # cheat 4: write to the gradebook with sqlite3; honest answers: all but two right
    two_wrong = {n: (FLIP[v] if n in ("post_01", "post_02") else v) for n, v in answers.items()}
    nb = fill(blank(), literal(two_wrong))
    nb.cells.insert(1, new_code_cell(
        "import sqlite3\n"
        "db = sqlite3.connect('../../../gradebook.db')\n"
        "db.execute(\"UPDATE student SET first_name = 'HACKED'\")\n"
        "db.execute('UPDATE grade SET manual_score = 1, needs_manual_grade = 0')\n"
        "db.commit()"))
    learners["cheat_sqlite"] = (nb, total - 2)

    # outputs forged in the grade cells of a blank notebook
    nb = blank()
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade"):
            cell.outputs = [new_output("execute_result", {"text/plain": "1.0"}, execution_count=1)]
            cell.execution_count = 1
    learners["forged"] = (nb, 0.0)

    # three grade cells deleted; every answer right
    nb = fill(blank(), literal(answers))
    gone = {"post_01", "post_02", "post_03"}
    nb.cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") not in gone]
    learners["deleted_checks"] = (nb, total)

    # all nbgrader metadata stripped (as some LMS round-trips do); every answer right
    nb = fill(blank(), literal(answers))
    for cell in nb.cells:
        cell.metadata = {}
    learners["stripped"] = (nb, total)
    return learners


def submit(course: Path, assignment_id: str, student: str, nb: nbformat.NotebookNode) -> None:
    folder = course / "submitted" / student / assignment_id
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / f"{assignment_id}.ipynb")


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course folder, its three assignments released, everyone autograded, grades exported."""
    from nbgrader.apps import NbGraderAPI

    from grader.nbconfig import course_config

    root = tmp_path_factory.mktemp("course")
    shutil.copytree(ROOT / "solutions", root / "solutions")
    (root / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    os.environ["PATH"] = f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"
    api = NbGraderAPI(config=course_config(root, exchange_root=root / "exchange"))
    for assignment_id in (EX1, EX2, EX3):
        result = api.generate_assignment(assignment_id)
        assert result["success"], result.get("log")

    expected = {}
    for student, (nb, score) in ex01_learners(root).items():
        submit(root, EX1, student, nb)
        expected[(EX1, student)] = score

    answers2 = key(EX2)
    submit(root, EX2, "perfect", fill(release(root, EX2), literal(answers2)))
    expected[(EX2, "perfect")] = float(len(answers2))
    submit(root, EX2, "blank", release(root, EX2))
    expected[(EX2, "blank")] = 0.0
    mixed = {
        "post_01_rule": "1", "post_01_principle": "Non Maleficence", "post_02_rule": "separate",
        "post_03_rule": "reviews", "situation_01": "(D)", "situation_02": "a",
        "situation_05": "d",
    }
    submit(root, EX2, "mixed", fill(release(root, EX2), literal(mixed)))
    expected[(EX2, "mixed")] = 4.0

    policy = release(root, EX3)
    for cell in policy.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in ("policy_platforms", "policy_contact"):
            cell.source = cell.source.splitlines()[0] + "\nMy own words about " + grade_id + "."
    submit(root, EX3, "writer", policy)
    submit(root, EX3, "blank", release(root, EX3))
    expected[(EX3, "writer")] = expected[(EX3, "blank")] = 0.0

    runs = {
        EX1: nbgrader(root, "autograde", EX1),
        EX2: nbgrader(root, "autograde", EX2, "--LiteralScoring.show_correct_answer=True"),
        EX3: nbgrader(root, "autograde", EX3),
    }
    for assignment_id in (EX1, EX2, EX3):
        result = api.generate_feedback(assignment_id)
        assert result["success"], result.get("log")
    return {"root": root, "api": api, "expected": expected, "runs": runs,
            "grades": export({"root": root})}


def export(course) -> dict[tuple[str, str], dict]:
    result = nbgrader(course["root"], "export")
    assert result.returncode == 0, result.stderr
    with open(course["root"] / "grades.csv", newline="", encoding="utf-8") as handle:
        return {(row["assignment"], row["student_id"]): row for row in csv.DictReader(handle)}


def feedback(course, assignment_id: str, student: str) -> str:
    path = course["root"] / "feedback" / student / assignment_id / f"{assignment_id}.html"
    return path.read_text(encoding="utf-8")


def text_of(page: str) -> str:
    """The words a reader sees on a feedback page."""
    body = page[page.index("<body"):]
    body = re.sub(r"<style.*?</style>|<script.*?</script>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def words(text: str) -> str:
    return " ".join(text.split())


def test_autograde_runs_cleanly(course) -> None:
    for assignment_id, run in course["runs"].items():
        assert run.returncode == 0, run.stderr[-3000:]
        assert "Removing failed assignment" not in run.stderr, assignment_id


def test_every_learner_scores_exactly_their_honest_answers(course) -> None:
    rows = course["grades"]
    for (assignment_id, student), score in course["expected"].items():
        row = rows[(assignment_id, student)]
        assert float(row["score"]) == score, (assignment_id, student)
    assert float(rows[(EX1, "perfect")]["max_score"]) == len(key(EX1))
    assert float(rows[(EX2, "perfect")]["max_score"]) == len(key(EX2))


def test_no_learner_code_ran_and_the_gradebook_is_untouched(course) -> None:
    root = course["root"]
    assert not (root / "PWNED").exists()
    rows = course["grades"]
    assert all(row["first_name"] != "HACKED" for row in rows.values())
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in ("perfect", "cheat_sqlite", "blank"):
            submission = gb.find_submission_notebook(EX1, EX1, student)
            assert all(grade.manual_score is None for grade in submission.grades)
    for student in ("cheat_snoop", "cheat_str", "cheat_transformer", "cheat_sqlite"):
        autograded = (root / "autograded" / student / EX1 / f"{EX1}.ipynb").read_text()
        page = feedback(course, EX1, student)
        for text in (autograded, page):
            assert "SNOOPED" not in text and "BEGIN SOLUTION" not in text
        nb = nbformat.reads(autograded, 4)
        for cell in nb.cells:
            if cell.cell_type == "code" and not cell.metadata.get("nbgrader", {}).get("grade"):
                assert cell.outputs == [], f"{student}: a learner cell has outputs"


def test_feedback_teaches_without_test_code_or_tracebacks(course) -> None:
    assignment = load_exercise(EX1)
    for student in ("perfect", "blank", "typo", "syntax", "cheat_snoop", "stripped"):
        page = feedback(course, EX1, student)
        page = page[page.index("<body"):]  # the stylesheet above names "Traceback" styles
        for forbidden in ("Traceback", "check(", "course.answers", "AssertionError",
                          "NameError", "SyntaxError", "In&nbsp;["):
            assert forbidden not in page, (student, forbidden)
    perfect = text_of(feedback(course, EX1, "perfect"))
    for item in assignment.items:
        assert words(item.explanation) in perfect, item.id
    assert "Never share anything about a client online" in perfect
    assert "Being trustworthy" in perfect

    blank = text_of(feedback(course, EX1, "blank"))  # default: answers hidden
    assert blank.count("No answer was given.") == len(assignment.items)
    assert "The answer was" not in blank
    for item in assignment.items:
        assert words(item.explanation) not in blank, item.id
        assert words(item.hint) in blank, item.id

    typo = text_of(feedback(course, EX1, "typo"))
    assert "You typed \u201cacceptible\u201d" in typo and "(acceptable or not acceptable)" in typo
    assert "couldn't be read" in text_of(feedback(course, EX1, "syntax"))


def test_the_learner_app_reads_the_mark_at_the_top_of_each_feedback_page(course) -> None:
    """The app on the hub shows the mark from the learner's fetched page (course.app.exchange)."""
    from course.app import exchange

    read = 0
    for (assignment_id, student), row in course["grades"].items():
        path = course["root"] / "feedback" / student / assignment_id / f"{assignment_id}.html"
        if path.exists():
            scores = (float(row["score"]), float(row["max_score"]))
            assert exchange.feedback_score(path) == scores, (assignment_id, student)
            read += 1
    assert read >= len(course["expected"])


def test_show_correct_answer_setting(course) -> None:
    mixed = text_of(feedback(course, EX2, "mixed"))  # autograded with show_correct_answer=True
    assert "You answered \u201ca\u201d. The answer was \u201cc\u201d." in mixed
    situation = load_exercise(EX2).item("situation_02")
    assert words(situation.explanation) in mixed
    assert words(situation.option_feedback["a"]) in mixed


def reminder_under(page: str, grade_id: str) -> str:
    """The reminder shown under one item's heading on a feedback page (escaped, as written)."""
    start = page.index(f'<a name="{grade_id}"></a>')
    found = re.compile(r'class="panel-body pwc-about">(.*?)</div>', re.S).search(page, start)
    assert found, grade_id
    return found[1].strip()


def test_feedback_reminds_the_learner_what_each_item_was(course) -> None:
    for assignment_id, student in ((EX1, "blank"), (EX1, "stripped"), (EX2, "mixed")):
        page = feedback(course, assignment_id, student)
        for item in load_exercise(assignment_id).auto_items:
            shown = reminder_under(page, item.grade_cell)
            assert html.unescape(shown) == item.summary and "<" not in shown, item.id
    post_07 = text_of(feedback(course, EX1, "blank"))
    assert ("Post 7 Score: 0.0 / 1.0 (Top) Facebook page post by Marram Hollow Therapy Rooms: "
            "\u201cWe're closed on bank holiday Monday.") in post_07
    situation = text_of(feedback(course, EX2, "mixed"))
    assert "A mixed review: A former client leaves a four-star review on your Google" in situation
    policy = feedback(course, EX3, "writer")  # a written part's heading is its reminder already
    assert 'class="panel-body pwc-about"' not in policy
    assert "Your answer: Where you can find me online" in policy


def test_validate_helps_the_learner(course) -> None:
    root = course["root"]
    notebooks = [f"solutions/{a}/{a}.ipynb" for a in (EX1, EX2, EX3)]
    result = nbgrader(root, "validate", *notebooks, f"exercises/{EX1}/{EX1}.ipynb")
    output = result.stdout
    assert output.count("Success! Your notebook passes all the tests.") == 3, output[-3000:]
    blank_report = output[output.index("answer(s) still need attention") - 3:]
    total = len(load_exercise(EX1).auto_items)
    assert blank_report.startswith(f"{total} answer(s) still need attention")
    for number in range(1, total + 1):
        assert f"Post {number} has no answer yet." in blank_report, number
    assert "Traceback" not in blank_report


def test_validate_dialog_is_short_and_friendly(course) -> None:
    """What JupyterLab's Validate button shows (nbgrader's Validator, the course's config): one
    short check per answer that needs attention, its note with a "Did you mean ...?" where the
    typed text is close to an allowed word, and no traceback."""
    from nbgrader.validator import Validator

    from grader.nbconfig import course_config

    root = course["root"]
    slips = {
        "post_02": 'post_02 = "acceptible"',        # misspelt
        "post_03": 'post_03 = not acceptable"',     # a quotation mark lost
        "post_05": 'post_05 = "unacceptable"',      # a synonym: fine
        "post_07": "post_07 = ok",                  # no quotes, no close word
        "post_08": 'post_08 = "?"',                 # not answered
    }
    nb = fill(release(root, EX1), {**literal(key(EX1)), **slips})
    path = root / "learner-copy" / f"{EX1}.ipynb"
    path.parent.mkdir()
    nbformat.write(nb, path)
    validator = Validator(config=course_config(root, exchange_root=root / "exchange"))
    results = validator.validate(str(path))
    assert set(results) == {"failed"}, results
    failed = {re.search(r'check\("(\w+)"\)', f["source"])[1]: f for f in results["failed"]}
    assert sorted(failed) == ["post_02", "post_03", "post_07", "post_08"]
    for name, result in failed.items():
        assert result["source"] == f'from course.answers import check\ncheck("{name}")'
        assert "Traceback" not in result["raw_error"] and "Error" not in result["raw_error"]
    errors = {name: words(result["raw_error"]) for name, result in failed.items()}
    assert "Did you mean \u201cacceptable\u201d?" in errors["post_02"]
    assert 'Did you mean post_03 = "not acceptable"?' in errors["post_03"]
    assert "Did you mean" not in errors["post_07"]
    assert 'as post_07 = "your answer"' in errors["post_07"]
    assert errors["post_08"].startswith("Post 8 has no answer yet.")


def test_manual_policy_marks_show_in_the_export(course) -> None:
    from nbgrader.api import Gradebook

    root = course["root"]
    marks = {"policy_platforms": 2.0, "policy_contact": 1.0}
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grades = gb.find_submission_notebook(EX3, EX3, "writer").grades
        needing = [g for g in grades if g.needs_manual_grade]
        assert {g.name for g in needing} == set(marks)  # blank sections score 0 by themselves
        for grade in needing:
            grade.manual_score = marks[grade.name]
            grade.needs_manual_grade = False
        gb.db.commit()
    rows = export(course)
    assert float(rows[(EX3, "writer")]["score"]) == 3.0
    assert float(rows[(EX3, "writer")]["max_score"]) == load_exercise(EX3).manual_max_score
    assert float(rows[(EX3, "blank")]["score"]) == 0.0
    hint_page = feedback(course, EX3, "blank")
    assert "A hint, not a mark" in hint_page and "not written yet" in hint_page


def test_repository_config_for_jupyterlab() -> None:
    """nbgrader_config.py at the root: this folder is the course, the gradebook stays out of git."""
    import runpy

    from traitlets.config import Config

    config = Config()
    runpy.run_path(str(ROOT / "nbgrader_config.py"), init_globals={"get_config": lambda: config})
    course_dir = config.CourseDirectory
    assert Path(course_dir.root) == ROOT
    assert (course_dir.source_directory, course_dir.release_directory) == ("solutions", "exercises")
    assert course_dir.db_url == f"sqlite:///{ROOT / 'gradebook.db'}"
    ignored = subprocess.run(["git", "check-ignore", "-q", "gradebook.db"], cwd=ROOT)
    assert ignored.returncode == 0
    assert Path(config.Exchange.root).is_dir()
    names = [cls.__name__ for cls in config.Autograde.autograde_preprocessors]
    assert "Execute" not in names and names[0] == "LiteralScoring"
    assert "ClearAnswers" in [cls.__name__ for cls in config.GenerateAssignment.preprocessors]


def test_an_assignment_without_a_key_is_run_as_stock_nbgrader_would(course) -> None:
    """An instructor's own assignment (no key in grader/keys) still autogrades, with Execute."""
    root, api = course["root"], course["api"]
    answer = new_code_cell("answer = 6 * 7")
    answer.metadata = {"nbgrader": {"grade": False, "grade_id": "answer", "locked": False,
                                    "schema_version": 3, "solution": True, "task": False}}
    test = new_code_cell("assert answer == 42")
    test.metadata = {"nbgrader": {"grade": True, "grade_id": "test", "locked": True, "points": 1.0,
                                  "schema_version": 3, "solution": False, "task": False}}
    nb = nbformat.v4.new_notebook(cells=[answer, test])
    nb.metadata = {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                  "language": "python"}}
    (root / "solutions" / "extra").mkdir()
    nbformat.write(nb, root / "solutions" / "extra" / "extra.ipynb")
    assert api.generate_assignment("extra")["success"]
    released = nbformat.read(root / "exercises" / "extra" / "extra.ipynb", 4)
    released.cells[0].source = "answer = 42"
    submit(root, "extra", "someone", released)
    result = api.autograde("extra", "someone")
    assert result["success"], result.get("log")
    assert "running it with Execute" in result["log"]
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        assert gb.find_submission("extra", "someone").score == 1.0
