"""Write the result files, owner-only and atomically (a half-written file is never left behind).

Files: ``grades.csv``, ``run.json``, ``items.csv``, ``lms/moodle-grading-worksheet.csv``,
``lms/canvas-gradebook.csv``. Text that a spreadsheet could run as a formula (starting with
``=``, ``+``, ``-``, ``@``) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path

DIR_MODE = 0o700
FILE_MODE = 0o600
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def private_dir(path: Path) -> Path:
    """Create ``path`` (and parents inside it) owner-only; tighten it if it exists."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)
    return path


def write_private(path: Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` atomically with mode 0600."""
    private_dir(path.parent)
    temp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(temp, FILE_MODE)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def cell(value: object) -> object:
    """A CSV cell: numbers as they are, None as empty, formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """CSV with a header row, every cell passed through :func:`cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return buffer.getvalue()


GRADES_HEADER = ["learner", "name", "status", "score", "max_score", "raw_score", "late_penalty",
                 "submitted_at", "late_by", "problem", "notes", "feedback"]
ITEMS_HEADER = ["learner", "item", "answer", "read_as", "status", "correct", "points",
                "max_points"]


def write_grades(out: Path, rows: list, pseudonymised: bool) -> None:
    """``grades.csv``: one row per learner (:class:`~grader.cohort.model.LearnerOutcome`);
    ``max_score`` is the exercise's total points."""
    header = [h for h in GRADES_HEADER if not (pseudonymised and h == "name")]
    lines = []
    for r in rows:
        values = {"learner": r.public_id, "name": r.name, "status": r.status,
                  "score": r.score, "max_score": r.max_score, "raw_score": r.raw_score,
                  "late_penalty": r.late_penalty if r.status == "graded" else None,
                  "submitted_at": r.submitted_text, "late_by": r.late_by,
                  "problem": r.problem, "notes": " ".join(r.notes),
                  "feedback": r.feedback_file}
        lines.append([values[h] for h in header])
    write_private(out / "grades.csv", csv_text(header, lines))


def write_run_info(out: Path, exercise_id: str, pseudonymised: bool) -> None:
    """``run.json``: which exercise the folder holds, and whether names were replaced by codes
    (read by ``python -m grader certificates``)."""
    info = {"exercise": exercise_id, "pseudonymised": pseudonymised}
    write_private(out / "run.json", json.dumps(info, indent=2) + "\n")


def write_items(out: Path, rows: list) -> None:
    """``items.csv``: one row per graded learner and item."""
    lines = []
    for r in rows:
        for i in r.items:
            lines.append([r.public_id, i.item_id, i.raw, i.value, i.status, i.correct,
                          i.points, i.max_points])
    write_private(out / "items.csv", csv_text(ITEMS_HEADER, lines))


def moodle_time(moment: datetime, zone: tzinfo) -> str:
    """A time as Moodle writes it in its worksheet: ``Tuesday, 1 December 2026, 5:00 PM``."""
    local = moment.astimezone(zone)
    return f"{local:%A}, {local.day} {local:%B %Y}, {local.hour % 12 or 12}:{local:%M %p}"


#: Layouts whose learner ids an LMS cannot match (taken from file names, not from the LMS).
NO_LMS_IDS = ("flat",)
LMS_FILES = ("moodle-grading-worksheet.csv", "canvas-gradebook.csv")


def write_lms(out: Path, rows: list, exercise, graded_at: datetime | None = None,
              zone: tzinfo = UTC, answers_shown: bool = False
              ) -> list[str]:
    """Upload files for Moodle (grading worksheet) and Canvas (gradebook import).

    The maximum ("Maximum Grade", "Points Possible") is the exercise's total points, written
    parts included, so that a hand-marked exercise's grades fit under it: set the same maximum
    in the LMS. Only learners who submitted are listed. Problem rows and rows still to mark
    have an empty grade, so that an upload never overwrites a grade with nothing. The feedback
    comment is written for the learner (the LMS shows it to them); the assessor's notes stay in
    grades.csv. Moodle's "Last modified (grade)" is this run's time, so that Moodle takes the
    upload as newer than its own grades.

    Learners from a flat folder (ids taken from file names) are left out: no LMS could match
    them, and a file that looks uploadable but matches nobody is worse than none. Returns what
    the assessor must be told; when nobody is left, no LMS file is written and any from an
    earlier run is removed.
    """
    assignment_id, max_score = exercise.id, exercise.max_score
    graded_at = graded_at or datetime.now(UTC)
    handed_in = [r for r in rows if r.status in ("graded", "to mark", "problem")]
    listed = [r for r in handed_in if r.layout not in NO_LMS_IDS]
    left_out = len(handed_in) - len(listed)
    told = []
    if left_out:
        fix = ("Enter their scores from grades.csv by hand, or grade the LMS's own download "
               "(Moodle's \u201cDownload all submissions\u201d or Canvas's) to get upload files.")
        if listed:
            told.append(f"The LMS upload files leave out {left_out} learner"
                        f"{'s' if left_out != 1 else ''} from a folder of files named after "
                        "them (the flat layout): file names carry no Moodle or Canvas "
                        f"identifiers, so an LMS could not match them. {fix}")
        else:
            told.append("No LMS upload files were written: the learners come from a folder of "
                        "files named after them (the flat layout), and file names carry no "
                        "Moodle or Canvas identifiers, so an LMS could not match anyone. "
                        f"{fix}")
    if not listed:
        for name in LMS_FILES:
            (out / "lms" / name).unlink(missing_ok=True)
        return told
    moodle = []
    for r in listed:
        identifier = f"Participant {r.lms_id}" if r.layout == "moodle" and r.lms_id \
            else r.public_id
        status = "Submitted for grading - " + ("Graded" if r.status == "graded" else
                                               "Not graded")
        submitted = moodle_time(r.submitted_at, zone) if r.submitted_at else ""
        moodle.append([identifier, r.lms_name, "", status,
                       r.score if r.status == "graded" else None, max_score, "Yes",
                       submitted, moodle_time(graded_at, zone) if r.status == "graded" else "",
                       r.lms_comment(answers_shown)])
    write_private(out / "lms" / "moodle-grading-worksheet.csv", csv_text(
        ["Identifier", "Full name", "Email address", "Status", "Grade", "Maximum Grade",
         "Grade can be changed", "Last modified (submission)", "Last modified (grade)",
         "Feedback comments"], moodle))
    canvas = [["Points Possible", "", "", "", "", max_score]]
    for r in listed:
        canvas_id = r.lms_id if r.layout == "canvas" else ""
        login = "" if r.layout == "canvas" else r.public_id
        canvas.append([r.lms_name, canvas_id, "", login, "",
                       r.score if r.status == "graded" else None])
    write_private(out / "lms" / "canvas-gradebook.csv", csv_text(
        ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment_id], canvas))
    return told


class ResultsBelongElsewhere(ValueError):
    """The results folder holds another exercise's results; nothing was changed."""


def claim(out: Path, exercise_id: str, item_ids: set[str]) -> None:
    """Make ``out`` the results folder of ``exercise_id``, or refuse when it belongs to another
    exercise (its grades, LMS files and feedback pages would be replaced)."""
    owner = None
    try:
        owner = json.loads((out / "run.json").read_text(encoding="utf-8")).get("exercise")
    except (FileNotFoundError, ValueError, AttributeError):
        owner = None
    if owner is None and (out / "items.csv").is_file():  # results written before the marker existed
        with open(out / "items.csv", encoding="utf-8", newline="") as handle:
            seen = {row.get("item") for row in csv.DictReader(handle)}
        if seen and not seen & item_ids:
            owner = "another exercise"
    if owner and owner != exercise_id:
        raise ResultsBelongElsewhere(
            f"The results folder {out} already holds the results of {owner}. Nothing was "
            f"changed: give {exercise_id} a results folder of its own (--out), so that no "
            "grades, LMS files or feedback pages are replaced.")
