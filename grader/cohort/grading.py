"""Grade one learner's file: read it (never run it), score it with the course's scoring core.

This is the function the worker processes run. It never raises: whatever goes wrong becomes
a plain ``problem`` on the learner's result, so one broken file never stops the cohort.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from . import exercise
from .autograded import CopyTarget
from .model import ItemResult, LearnerResult
from .reading import DEFAULT_MAX_BYTES, read_submission


@dataclass(frozen=True)
class Task:
    """One learner's file to grade."""

    learner_id: str
    path: Path
    copy: CopyTarget | None = None


_STATE: dict[str, object] = {}


def init_worker(assignment_id: str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Load the assignment once per process (the key stays in the grader's memory only)."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _STATE["assignment"] = exercise.load(assignment_id)
    _STATE["max_bytes"] = max_bytes


def grade_task(task: Task) -> LearnerResult:
    """Grade one task in a worker (after :func:`init_worker`)."""
    return safe_grade(task.learner_id, task.path, _STATE["assignment"],  # type: ignore[arg-type]
                      int(_STATE["max_bytes"]), task.copy)  # type: ignore[arg-type]


def safe_grade(learner_id: str, path: Path, assignment: exercise.Exercise,
               max_bytes: int = DEFAULT_MAX_BYTES, copy: CopyTarget | None = None
               ) -> LearnerResult:
    """:func:`grade_file`, turning any unexpected error into a plain problem for this learner."""
    try:
        return grade_file(learner_id, path, assignment, max_bytes, copy)
    except Exception as error:  # noqa: BLE001 - one learner's file must not stop the others
        # only the error's kind: its text could quote a file name, i.e. a learner's name
        return LearnerResult(learner_id, problem=(
            "The grader could not read this submission because of an unexpected error "
            f"({type(error).__name__}). The other learners were graded; please report this "
            "file."))


def grade_file(learner_id: str, path: Path, assignment: exercise.Exercise,
               max_bytes: int = DEFAULT_MAX_BYTES, copy: CopyTarget | None = None
               ) -> LearnerResult:
    """Read and score one file; with ``copy``, write nbgrader's autograded copy of it."""
    read = read_submission(path, max_bytes)
    result = LearnerResult(learner_id, max_score=assignment.max_score, notes=list(read.notes))
    if read.problem or read.notebook is None:
        result.problem = read.problem
        return result
    scored = assignment.score(read.notebook)
    result.items = [ItemResult(item_id=i.item_id, raw=i.raw, value=i.value, status=i.status,
                               correct=bool(i.correct), points=float(i.points),
                               max_points=float(i.max_points), manual=bool(i.manual),
                               message=str(i.message or "")) for i in scored.items]
    if all(i.status == "missing" for i in result.items):
        other = assignment.which_other(read.notebook)
        if other:
            result.problem = (f"This notebook is the exercise {other}, not {assignment.id}: "
                              "the learner submitted the wrong exercise.")
        else:
            result.problem = (f"None of the {len(result.items)} answers of {assignment.id} "
                              "were found in this notebook: it is a different notebook, or "
                              "its answer cells were deleted.")
        result.items = []
        return result
    missing = sum(i.status == "missing" for i in result.items)
    if missing:
        result.notes.append(f"{missing} answer(s) were not found in the notebook (cells "
                            "deleted or changed) and scored 0.")
    unreadable = sum(i.status == "unreadable" for i in result.items)
    if unreadable:
        result.notes.append(f"{unreadable} answer(s) could not be read (for example a missing "
                            "quote) and scored 0.")
    result.score = float(scored.score)
    if assignment.manual_items:
        result.hints = assignment.policy_hints(read.notebook)
    if copy is not None:
        from . import autograded

        try:
            result.notes.extend(autograded.write(copy, assignment, read.notebook, scored, path))
        except Exception as error:  # noqa: BLE001 - the grade stands without the copy
            reason = getattr(error, "strerror", None) or type(error).__name__
            result.notes.append(f"The copy of this notebook for formgrader could not be "
                                f"written ({reason}); the grade is not affected.")
    return result
