"""The one place where the cohort command meets the course's scoring core (``grader.items``,
``grader.scoring``, ``grader.feedback``, ``grader.settings``) and the released notebooks.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = ROOT / "exercises"


class UnknownExercise(LookupError):
    """The assignment id names no exercise of the course."""


@dataclass
class Exercise:
    """An assignment of the course, with its key (grader side only) and its release notebook."""

    id: str
    assignment: object

    @property
    def items(self) -> tuple:
        """Every item (``grader.items.Item``): automatic ones first-class, written ones manual."""
        return self.assignment.items  # type: ignore[attr-defined]

    @property
    def auto_items(self) -> tuple:
        return self.assignment.auto_items  # type: ignore[attr-defined]

    @property
    def manual_items(self) -> tuple:
        return self.assignment.manual_items  # type: ignore[attr-defined]

    @property
    def notebook_name(self) -> str:
        return f"{self.assignment.notebook}.ipynb"  # type: ignore[attr-defined]

    @property
    def release_path(self) -> Path:
        return EXERCISES / self.id / self.notebook_name

    @property
    def max_score(self) -> float:
        """Points marked automatically."""
        return float(self.assignment.max_score)  # type: ignore[attr-defined]

    @property
    def manual_max_score(self) -> float:
        """Points marked by hand in formgrader (written items)."""
        return float(self.assignment.manual_max_score)  # type: ignore[attr-defined]

    @property
    def title(self) -> str:
        return str(self.assignment.title or self.id)  # type: ignore[attr-defined]

    @property
    def show_answers(self) -> bool:
        """Whether feedback shows the correct answer: the course's setting for this exercise."""
        from grader import settings

        return settings.show_correct_answers(self.id)

    def score(self, notebook):
        """Score a notebook (never executed) with the course's scoring core."""
        from grader import scoring

        return scoring.score_notebook(notebook, self.assignment)

    def policy_hints(self, notebook) -> list[str]:
        """Completeness hints for written parts (a hint for the learner, never a mark)."""
        from grader import scoring

        return list(scoring.policy_hints(notebook, self.assignment))

    def which_other(self, notebook) -> str | None:
        """The id of another exercise whose answers this notebook holds, if any."""
        from grader import scoring

        for other_id in exercise_ids():
            if other_id == self.id:
                continue
            try:
                other = load(other_id)
            except UnknownExercise:
                continue
            answers = scoring.read_answers(notebook, other.assignment)
            if any(a.status != "missing" for a in answers.values()):
                return other_id
        return None

    @property
    def grade_cells(self) -> dict[str, str]:
        """Item id → the nbgrader grade cell (``grade_id``) that holds its points."""
        return {item.id: item.grade_cell for item in self.items}

    @property
    def answer_cells(self) -> dict[str, str]:
        """Item id → the nbgrader solution cell that holds the learner's answer."""
        return {item.id: item.answer_cell for item in self.items if not item.manual}


def exercise_ids() -> list[str]:
    """Every assignment id of the course."""
    from grader.items import ASSIGNMENT_IDS

    return list(ASSIGNMENT_IDS)


_CACHE: dict[str, Exercise] = {}


def load(assignment_id: str) -> Exercise:
    """Load an exercise by id, with a plain error listing the known ones."""
    if assignment_id in _CACHE:
        return _CACHE[assignment_id]
    from grader import items as items_module

    known = exercise_ids()
    if assignment_id not in known:
        raise UnknownExercise(
            f"There is no exercise called '{assignment_id}'. The course's exercises are: "
            + ", ".join(known) + ".")
    try:
        assignment = items_module.load_assignment(assignment_id)
    except items_module.UnknownAssignment as error:
        raise UnknownExercise(str(error)) from None
    result = Exercise(assignment_id, assignment)
    if not result.release_path.is_file():
        raise UnknownExercise(
            f"The released notebook of {assignment_id} is missing ({result.release_path}). "
            "Run 'make exercises' first.")
    _CACHE[assignment_id] = result
    return result
