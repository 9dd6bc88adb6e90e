"""Autograde step in place of nbgrader's ``Execute``: score literal answers, run nothing.

For each automatically marked item the grade cell gets one ``execute_result`` whose
``text/plain`` is the points earned (nbgrader reads partial credit from it) and whose
``text/html`` is the learner's feedback. A grade cell the learner deleted is put back after its
answer. Every other code cell is left without outputs: no learner code runs, so nothing a
learner writes can reach the key, the gradebook or other learners' work.

An assignment with no key in ``grader/keys`` (one an instructor made in the formgrader, say) is
not ours to score: it goes through nbgrader's own ``Execute``, as stock nbgrader would.
"""

from __future__ import annotations

import logging
import re

from nbformat import from_dict
from nbformat.v4 import new_code_cell
from nbgrader import utils
from nbgrader.preprocessors import Execute, NbGraderPreprocessor
from traitlets import Bool, Unicode

from grader import settings
from grader.exercise import Exercise, UnknownExercise, load_exercise
from grader.feedback import hints_html, item_feedback, posts_all_right
from grader.items import Item
from grader.scoring import NotebookScore, score_notebook

# the notebook's own set-up and check lines: hidden in feedback even when metadata was stripped
_COURSE_CODE = re.compile(r"course\.answers|^\s*check(_all|_policy)?\(", re.M)
_LOG = logging.getLogger(__name__)


def _points_output(points: float, html: str):
    """What ``new_output("execute_result", …)`` makes, without re-validating it each time
    (the cohort command writes thousands)."""
    return from_dict({
        "output_type": "execute_result",
        "metadata": {},
        "data": {"text/plain": repr(float(points)), "text/html": html},
        "execution_count": None,
    })


def grade_cell(grade_id: str, points: float, source: str):
    """A fresh, locked grade cell (used when the learner deleted one)."""
    cell = new_code_cell(source)
    cell.metadata = {
        "deletable": False,
        "editable": False,
        "jupyter": {"source_hidden": True},
        "nbgrader": {
            "grade": True, "grade_id": grade_id, "locked": True, "points": float(points),
            "schema_version": 3, "solution": False, "task": False,
        },
    }
    cell["id"] = f"restored-{grade_id}".replace("_", "-")[:64]
    return cell


def score_cells(nb, assignment: Exercise, show: bool, result: NotebookScore | None = None,
                log: logging.Logger | None = None) -> NotebookScore:
    """What autograde does to a notebook here (used by :class:`LiteralScoring` and by the
    cohort command's ``autograded/`` copies): put back deleted grade cells, then give each grade
    cell one output with its points and feedback, and every other code cell none.

    ``nb`` is a ``NotebookNode``, changed in place. ``result`` is the notebook's score when the
    caller has it already (the cohort command read the file once); otherwise the notebook is
    read and scored here, once.
    """
    if result is None:
        result = score_notebook(nb, assignment)
    restore_grade_cells(nb, assignment, result, log or _LOG)
    hints = list(result.hints) if assignment.check_cell else []
    items = {item.grade_cell: item for item in assignment.auto_items}
    written = {item.grade_cell: item for item in assignment.manual_items}
    whole = posts_all_right(assignment.items, result.items)
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.cell_type != "code":
            if grade_id in written:
                cell.metadata["pwc"] = {"label": written[grade_id].label,
                                        "summary": written[grade_id].summary}
            continue
        cell.outputs = []
        cell.execution_count = None
        if not utils.is_grade(cell):
            if _COURSE_CODE.search(cell.source):
                cell.metadata.setdefault("jupyter", {})["source_hidden"] = True
        elif grade_id in items:
            _write(cell, items[grade_id], result, show, whole.get(items[grade_id].id, True))
        elif grade_id == assignment.check_cell:
            cell.outputs = [_points_output(0.0, hints_html(hints))]
            cell.metadata["pwc"] = {"label": "Check my policy (a hint, not a mark)"}
    return result


def _write(cell, item: Item, result: NotebookScore, show: bool, post_all_right: bool) -> None:
    score = result.item(item.id)
    feedback = item_feedback(item, score, show, post_all_right)
    cell.outputs = [_points_output(score.points, feedback.html(score.correct))]
    cell.metadata["pwc"] = {"label": item.label, "summary": item.summary,
                            "correct": score.correct}


def restore_grade_cells(nb, assignment: Exercise, result: NotebookScore,
                        log: logging.Logger = _LOG) -> None:
    """Put back grade cells the learner deleted (after the answer ``result`` found), so that
    every item gets its mark."""
    present = {
        cell.metadata.nbgrader["grade_id"]
        for cell in nb.cells
        if utils.is_grade(cell) and "grade_id" in cell.metadata.get("nbgrader", {})
    }
    inserts = []
    for order, item in enumerate(assignment.auto_items):
        if item.grade_cell in present:
            continue
        log.warning("Grade cell %s was missing: put back", item.grade_cell)
        where = result.item(item.id).cell_index
        source = f'from course.answers import check\ncheck("{item.variable}")'
        cell = grade_cell(item.grade_cell, item.points, source)
        inserts.append((len(nb.cells) if where is None else where + 1, order, cell))
    if assignment.check_cell and assignment.check_cell not in present:
        cell = grade_cell(assignment.check_cell, 0, "check_policy()")
        inserts.append((len(nb.cells), len(inserts), cell))
    with_ids = (nb.get("nbformat", 4), nb.get("nbformat_minor", 0)) >= (4, 5)
    for position, _, cell in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        if not with_ids:
            del cell["id"]
        nb.cells.insert(position, cell)


class LiteralScoring(NbGraderPreprocessor):
    """Score the answers' literal values against the key in ``grader/keys``."""

    show_correct_answer = Bool(
        None,
        allow_none=True,
        help="Show the correct answer in feedback. None: use grader.settings (default hidden).",
    ).tag(config=True)

    keys_dir = Unicode("", help="Folder of answer keys (default: grader/keys, or the course "
                                "folder's, see grader.locations).").tag(config=True)

    def preprocess(self, nb, resources):
        assignment_id = resources["nbgrader"]["assignment"]
        try:
            assignment = load_exercise(assignment_id, self.keys_dir or None)
        except UnknownExercise:
            self.log.warning("No key for %s in grader/keys: running it with Execute", assignment_id)
            return Execute(parent=self.parent).preprocess(nb, resources)
        show = settings.show_correct_answers(assignment.id, self.show_correct_answer)
        score_cells(nb, assignment, show, log=self.log)
        return nb, resources
