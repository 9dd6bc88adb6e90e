"""Grade one learner's file: read it once (never run it), score it with the course's scoring
core, and write formgrader's copy from that same reading.

This is the function the worker processes run. It never raises: whatever goes wrong becomes
a plain ``problem`` on the learner's outcome, so one broken file never stops the cohort.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from dataclasses import dataclass

from grader.scoring import other_exercise, score_notebook

from .autograded import CopyTarget
from .model import LearnerOutcome
from .reading import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT, read_submission


@dataclass(frozen=True)
class Task:
    """One learner to grade: the outcome so far (submission found, not read yet)."""

    outcome: LearnerOutcome
    copy: CopyTarget | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    seconds: float | None = DEFAULT_TIME_LIMIT


class TimeLimitExceeded(Exception):
    """One submission took longer than ``--time-limit`` to read."""


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Stop the work inside after ``seconds`` (a timer signal; main thread only)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum, frame):  # noqa: ARG001
        raise TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def init_worker() -> None:
    """A worker leaves Ctrl-C to the main process, and stops at once on SIGTERM."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def safe_grade(task: Task) -> LearnerOutcome:
    """:func:`grade` within the time limit, turning any unexpected error into a plain problem
    for this learner."""
    try:
        with time_limit(task.seconds):
            return grade(task)
    except TimeLimitExceeded:
        return task.outcome.update(problem=(
            f"Reading this submission took longer than the {task.seconds:g} seconds allowed "
            "for one file (--time-limit), so it was stopped and not graded; everyone else was "
            "graded. The file is probably enormous (for example a cell with hundreds of "
            "thousands of lines): ask the learner to keep only the exercise's cells, save and "
            "submit again."))
    except RecursionError:
        return task.outcome.update(problem=(
            "This submission is nested too deeply to be read (its notebook data goes thousands "
            "of levels deep), so it was not graded; everyone else was graded. Ask the learner "
            "to open it in Jupyter, save and submit again."), problem_kind="damaged")
    except Exception as error:  # noqa: BLE001 - one learner's file must not stop the others
        # only the error's kind: its text could quote a file name, i.e. a learner's name
        return task.outcome.update(problem=(
            "The grader could not read this submission because of an unexpected error "
            f"({type(error).__name__}). The other learners were graded; please report this "
            "file."))


def grade(task: Task) -> LearnerOutcome:
    """Read and score one file; with a copy target, write nbgrader's autograded copy of it."""
    outcome = task.outcome
    exercise = outcome.exercise
    path = outcome.submission.files[0]
    read = read_submission(path, task.max_bytes)
    notes = [*outcome.notes, *read.notes]
    if read.problem or read.notebook is None:
        return outcome.update(problem=read.problem or "Not graded.", notes=tuple(notes),
                              problem_kind=read.kind)
    scored = score_notebook(read.notebook, exercise)
    if all(i.status == "missing" for i in scored.items):
        other = other_exercise(read.notebook, exercise)
        if other:
            problem = (f"This notebook is the exercise {other}, not {exercise.id}: "
                       "the learner submitted the wrong exercise.")
        else:
            problem = (f"None of the {len(scored.items)} answers of {exercise.id} were found "
                       "in this notebook: it is a different notebook, or its answer cells "
                       "were deleted.")
        return outcome.update(problem=problem, notes=tuple(notes))
    lost = sum(i.status == "missing" and i.manual for i in scored.items)
    if lost:
        notes.append(f"{lost} written part(s) could not be found in the notebook (heading and "
                     "markings removed): flagged for a look; mark them by hand from the "
                     "notebook as submitted.")
    missing = sum(i.status == "missing" and not i.manual for i in scored.items)
    if missing:
        notes.append(f"{missing} answer(s) were not found in the notebook (cells deleted or "
                     "changed) and scored 0.")
    unreadable = sum(i.status == "unreadable" for i in scored.items)
    if unreadable:
        notes.append(f"{unreadable} answer(s) could not be read (for example a missing quote) "
                     "and scored 0.")
    if task.copy is not None:
        from . import autograded

        try:
            notes.extend(autograded.write(task.copy, exercise, read.notebook, scored, path))
        except Exception as error:  # noqa: BLE001 - the grade stands without the copy
            reason = getattr(error, "strerror", None) or type(error).__name__
            notes.append("The copy of this notebook for formgrader could not be written "
                         f"({reason}); the grade is not affected.")
    return outcome.update(scored=scored, notes=tuple(notes))
