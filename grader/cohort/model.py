"""The records that flow through a cohort run.

* :class:`Candidate`: one learner's submission as found in the download (before reading it);
* :class:`Rejected`: a file that could not be tied to a learner, or was refused;
* :class:`LearnerOutcome`: everything the run decides about one learner, the one record that
  every output (grades.csv, items.csv, the LMS files, the gradebook, the feedback page, the
  report) is written from. Each item's score is the scoring core's own
  :class:`~grader.scoring.ItemScore`; the maxima, scores and status are computed from the
  exercise and the items, never stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from grader.exercise import Exercise
from grader.scoring import ItemScore, NotebookScore


@dataclass
class Candidate:
    """One learner's submission as found in the download, before reading it."""

    learner_id: str
    name: str | None
    layout: str
    files: list[Path]
    folder_label: str
    submitted_at: datetime | None = None
    time_source: str = ""
    lms_id: str | None = None
    lms_late: bool = False
    problem: str | None = None
    notes: list[str] = field(default_factory=list)
    order: int = 0
    source: int = 0
    not_submitted: str | None = None
    duplicates: int = 0
    """How many submissions of this learner one download held, when nothing told which is the
    latest (then none is graded); 0 otherwise."""


@dataclass
class Rejected:
    """A file in the download that could not be tied to a learner, or was refused."""

    source: str
    name: str
    reason: str


#: What a learner reads on their page when their submission could not be marked (the reason in
#: ``problem`` is written for the assessor and stays in grades.csv).
LEARNER_PROBLEM = {
    "not a notebook": (
        "The file we received isn't the exercise itself, so there is nothing to mark yet. "
        "Please send the exercise file, the one whose name ends in .ipynb."),
    "damaged": (
        "The file we received couldn't be opened: it may have been cut short while it was "
        "being saved or sent. Your answers may well be safe in your own copy: please open the "
        "exercise again, check your answers are there, and send it once more."),
    "empty": (
        "The file we received was empty, which usually means it was sent before it was saved. "
        "Please open the exercise again, check your answers are there, and send it once more."),
    "too large": (
        "The file we received was too large to read. Please open the exercise again, and send "
        "it once more."),
    "other": ("We couldn't mark the file we received, so there is no score yet. Your assessor "
              "will be in touch about what to send again."),
}


@dataclass(frozen=True)
class LearnerOutcome:
    """One learner of one exercise: the submission, how it scored, lateness, where the
    feedback page goes. ``problem`` set means the learner could not be graded (a reason in
    plain words); ``scored`` is None until the notebook is read.

    ``public_id`` and ``name`` are what outputs show (a stable code and no name when
    pseudonymised). ``notes`` are for the assessor, ``learner_notes`` for the learner's page.
    """

    submission: Candidate
    exercise: Exercise
    public_id: str
    name: str | None
    problem: str | None = None
    scored: NotebookScore | None = None
    notes: tuple[str, ...] = ()
    learner_notes: tuple[str, ...] = ()
    late_penalty: float = 0.0
    late_by: str = ""
    feedback_file: str = ""
    standing: str | None = None
    """Set for a row that is not a graded submission: ``not submitted`` (nothing for this
    exercise), ``refused`` (a file that belongs to no learner), ``not in this download`` (in
    the gradebook from an earlier run; ``recorded_score`` is nbgrader's)."""
    recorded_score: float | None = None
    lms_late_unknown: bool = False
    problem_kind: str = "other"
    """Which of :data:`LEARNER_PROBLEM` the learner reads when ``problem`` is set."""

    def update(self, **changes) -> LearnerOutcome:
        """A copy with ``changes`` (outcomes are never changed in place)."""
        return replace(self, **changes)

    # -- who and when ---------------------------------------------------------------------
    @property
    def learner_id(self) -> str:
        return self.submission.learner_id

    @property
    def layout(self) -> str:
        return self.submission.layout

    @property
    def lms_id(self) -> str | None:
        return self.submission.lms_id

    @property
    def submitted_at(self) -> datetime | None:
        return self.submission.submitted_at

    @property
    def submitted_text(self) -> str:
        moment = self.submitted_at
        return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""

    @property
    def student_id(self) -> str:
        """The learner's id in nbgrader's gradebook and course folder (at most 128 chars)."""
        from .ids import gradebook_id

        return gradebook_id(self.public_id)

    # -- what was scored --------------------------------------------------------------------
    @property
    def status(self) -> str:
        """``problem``, ``to mark`` (written parts wait for formgrader) or ``graded``."""
        if self.standing is not None:
            return self.standing
        if self.problem is not None or self.scored is None:
            return "problem"
        return "to mark" if self.scored.pending else "graded"

    @property
    def graded(self) -> bool:
        """Graded, fully or with written parts still to mark (the gradebook holds it)."""
        return self.status in ("graded", "to mark")

    @property
    def items(self) -> tuple[ItemScore, ...]:
        return self.scored.items if self.scored is not None and self.problem is None else ()

    @property
    def hints(self) -> tuple[str, ...]:
        return self.scored.hints if self.scored is not None and self.problem is None else ()

    @property
    def manual_pending(self) -> int:
        return sum(i.pending for i in self.items)

    @property
    def manual_marks(self) -> dict[str, float]:
        """Item id → hand mark, for the written items marked so far."""
        return {i.item_id: i.points for i in self.items if i.manual and i.marked}

    # -- maxima and scores (computed) -------------------------------------------------------
    @property
    def auto_max_score(self) -> float:
        return self.exercise.auto_max_score

    @property
    def manual_max_score(self) -> float:
        return self.exercise.manual_max_score

    @property
    def max_score(self) -> float:
        """The exercise's total points (automatic and hand-marked)."""
        return self.exercise.max_score

    @property
    def raw_score(self) -> float | None:
        """Points before any late penalty (None for a problem)."""
        if self.standing == "not in this download":
            return self.recorded_score
        if not self.graded:
            return None
        return round(sum(i.points for i in self.items), 6)

    @property
    def score(self) -> float | None:
        """Points after the late penalty, never below 0, as ``nbgrader export`` gives them."""
        raw = self.raw_score
        return None if raw is None else round(max(0.0, raw - self.late_penalty), 6)

    @property
    def learner_problem(self) -> str | None:
        """Why the submission could not be marked, written for the learner (never the
        assessor's reason, which asks them to do things and names files)."""
        if self.problem is None:
            return None
        return LEARNER_PROBLEM.get(self.problem_kind, LEARNER_PROBLEM["other"])

    # -- words for the LMS ------------------------------------------------------------------
    @property
    def lms_name(self) -> str:
        return self.name or self.public_id

    def lms_comment(self, answers_shown: bool) -> str:
        """Feedback the learner reads in the LMS: never the assessor's notes (those are in
        grades.csv)."""
        if self.status == "problem":
            return ("Your submission could not be marked yet. Your assessor will be in touch "
                    "about what to send again.")
        if self.status == "to mark":
            return "Your written parts are still being marked; your score will follow."
        if self.status != "graded" or self.score is None:
            return ""
        late = (f" This includes a late penalty of {self.late_penalty:g} point"
                f"{'' if self.late_penalty == 1 else 's'}." if self.late_penalty else "")
        explained = ("Your feedback page explains each answer." if answers_shown
                     else "Your feedback page shows which answers were right and explains "
                     "those.")
        return f"Your score: {self.score:g} out of {self.max_score:g}.{late} {explained}"
