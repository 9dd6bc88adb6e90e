"""*Mark my exercise* for self-paced learners: the course's own grader marks the learner's copy.

The learner's file is marked exactly as an assessor's cohort command would mark it
(:func:`grader.cohort.pipeline.run`, one learner, no gradebook): the same scoring, the same
feedback page (correct answers shown or not as the course's settings say). Only what the
learner needs is written, beside the attempt (``attempt-N-marking/``, in the learner's private
folder): ``grades.csv`` and their feedback page; none of the assessor's files (the report,
``items.csv``, the LMS files, ``run.json``). The key is read
by the grader in this kernel only, and never written anywhere the app serves.
"""

from __future__ import annotations

import csv
import shutil
from dataclasses import dataclass
from pathlib import Path


class MarkingError(RuntimeError):
    """The file could not be marked; the message says why, in plain words."""


@dataclass(frozen=True)
class Marked:
    score: float
    max_score: float
    status: str  # "graded", or "to mark" when written parts wait for an assessor
    feedback_html: str
    out: Path

    @property
    def manual_pending(self) -> bool:
        return self.status == "to mark"


def marking_dir(copy: Path) -> Path:
    return copy.parent.parent / f"{copy.parent.name}-marking"


def mark(exercise_id: str, copy: Path) -> Marked:
    """Mark ``copy`` (the only file in its attempt folder) and return the result."""
    from grader.cohort.pipeline import Options, run

    out = marking_dir(copy)
    if out.exists():
        shutil.rmtree(out)
    options = Options(assignment_id=exercise_id, sources=[copy.parent], out=out,
                      gradebook=False, jobs=1, layout="flat", progress=False, quiet=True,
                      own_work=True)
    status = run(options)
    grades = out / "grades.csv"
    if status not in (0, 2) or not grades.exists():
        raise MarkingError("The marker could not run. Your answers are safe; please try again.")
    with grades.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    if len(rows) != 1:
        raise MarkingError("The marker did not find your answers. Your file is unchanged.")
    row = rows[0]
    if row["status"] == "problem":
        raise MarkingError(f"Your answers could not be marked: {row['problem']}")
    feedback = out / row["feedback"] if row.get("feedback") else None
    html = feedback.read_text(encoding="utf-8") if feedback and feedback.is_file() else ""
    return Marked(score=float(row["score"] or 0), max_score=float(row["max_score"] or 0),
                  status=row["status"], feedback_html=html, out=out)
