"""Write the cohort's grades into nbgrader's gradebook, in bulk, idempotently.

The assignment's structure (notebook, grade and solution cells) is created by nbgrader's own
``SaveCells`` from the released notebook when the gradebook does not hold it yet. Grades are
then written with SQLAlchemy Core in one transaction per batch: existing rows (from an earlier
or interrupted run) are updated, missing ones inserted, so a re-run never doubles anything and a
stopped run is completed by running again. Manual scores set in formgrader are never touched.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, OperationalError

BATCH = 250


class GradebookError(Exception):
    """The gradebook cannot be used; the message says why in plain words."""


@dataclass(frozen=True)
class _Record:
    """What the gradebook stores of one graded learner (read from its
    :class:`~grader.cohort.model.LearnerOutcome`)."""

    student_id: str
    first_name: str | None
    last_name: str | None
    timestamp: datetime | None
    late_penalty: float
    grades: dict[str, float | None]
    comments: dict[str, str | None]


def _split_name(name: str | None) -> tuple[str | None, str | None]:
    if not name:
        return None, None
    parts = name.rsplit(" ", 1)
    first, last = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    return (first[:128] if first else None), last[:128]


def _record(outcome, exercise) -> _Record:
    """Automatic items get their points; written ones are left for formgrader (None), unless
    left blank (0, as nbgrader gives an unchanged answer cell); an
    unanswered typed answer gets the comment "No response."."""
    first, last = _split_name(outcome.name)
    grade_cells, answer_cells = exercise.grade_cells, exercise.answer_cells
    moment = outcome.submitted_at
    return _Record(
        student_id=outcome.student_id, first_name=first, last_name=last,
        timestamp=moment.astimezone(UTC).replace(tzinfo=None) if moment else None,
        late_penalty=outcome.late_penalty,
        grades={**{grade_cells[i.item_id]: (None if i.pending else i.points)
                   for i in outcome.items if i.item_id in grade_cells},
                # the 0-point "Check my policy" cell: marked, never "needs manual grade"
                **({check: 0.0} if (check := getattr(exercise, "check_cell", None)) else {})},
        comments={answer_cells[i.item_id]: "No response." if i.status == "unanswered" else None
                  for i in outcome.items if i.item_id in answer_cells})


def hide_password(url: str) -> str:
    """The URL with any password replaced by ``***``, for messages."""
    return re.sub(r"(//[^:/@]+:)[^@]*@", r"\1***@", url)


def check_url(url: str) -> str:
    """Accept SQLite and PostgreSQL URLs; give a plain message for drivers that are missing."""
    scheme = urlsplit(url).scheme
    if scheme.startswith("postgres") and not scheme.startswith("postgresql"):
        url = "postgresql" + url[len(scheme.split("+")[0]):]
        scheme = urlsplit(url).scheme
    driver = scheme.split("+", 1)[1] if "+" in scheme else None
    if scheme.startswith("postgresql"):
        module = {"psycopg2": "psycopg2", "psycopg": "psycopg", None: "psycopg"}.get(driver)
        if module is None:
            raise GradebookError(
                f"The database address asks for the driver '{driver}', which this grader does "
                "not support. Use postgresql+psycopg://… (psycopg 3) or "
                "postgresql+psycopg2://… (psycopg 2).")
        try:
            __import__(module)
        except ImportError:
            package = "psycopg2-binary" if module == "psycopg2" else "psycopg[binary]"
            raise GradebookError(
                f"The database address needs the Python package {package}, which is not "
                f"installed. Install it (pip install '{package}') or use the other form: "
                "postgresql+psycopg://… or postgresql+psycopg2://….") from None
        if driver is None:
            url = url.replace(scheme, "postgresql+psycopg", 1)
    elif not scheme.startswith("sqlite"):
        raise GradebookError(
            f"'{hide_password(url)}' is not a database address we support. Use "
            "sqlite:///path/gradebook.db or postgresql+psycopg://user:password@host/db.")
    return url


def _alembic_on_path() -> None:
    """nbgrader runs the ``alembic`` executable to create a gradebook: find the one beside us."""
    if shutil.which("alembic") is None:
        here = str(Path(sys.executable).parent)
        os.environ["PATH"] = here + os.pathsep + os.environ.get("PATH", "")


_REVISION = re.compile(r"^(down_)?revision\s*=\s*['\"]?(\w+|None)['\"]?\s*$", re.M)


def alembic_head() -> str | None:
    """The newest migration of nbgrader's schema, read from its migration files.

    nbgrader asks the ``alembic`` program for this (a second Python start, seconds under load)
    every time it creates a gradebook; reading the files gives the same answer at once.
    """
    import importlib.util

    spec = importlib.util.find_spec("nbgrader")
    if spec is None or spec.origin is None:
        return None
    revisions, parents = set(), set()
    for path in (Path(spec.origin).parent / "alembic" / "versions").glob("*.py"):
        found = dict((bool(down), value) for down, value in
                     _REVISION.findall(path.read_text(encoding="utf-8")))
        if False in found:
            revisions.add(found[False])
            parents.add(found.get(True))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


_NBGRADER_WAY: list = []


def _fast_alembic_version() -> None:
    import nbgrader.api

    head = alembic_head()
    if head is not None and not _NBGRADER_WAY:
        _NBGRADER_WAY.append(nbgrader.api.get_alembic_version)
        nbgrader.api.get_alembic_version = lambda: head


def nbgrader_alembic_version() -> str:
    """The schema version the way nbgrader itself finds it (the ``alembic heads`` program)."""
    import nbgrader.api

    _alembic_on_path()
    return (_NBGRADER_WAY[0] if _NBGRADER_WAY else nbgrader.api.get_alembic_version)()


def open_gradebook(url: str, course_id: str = "default_course"):
    """Open (creating if needed) the nbgrader gradebook at ``url``."""
    from nbgrader.api import Gradebook

    url = check_url(url)
    _alembic_on_path()
    _fast_alembic_version()
    new_file = None
    if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
        candidate = Path(url[len("sqlite:///"):])
        new_file = None if candidate.exists() else candidate
    try:
        return Gradebook(url, course_id=course_id)
    except (OperationalError, ArgumentError, NoSuchModuleError, OSError) as error:
        if new_file is not None:
            new_file.unlink(missing_ok=True)
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0][:300]
        raise GradebookError(
            f"Could not open the gradebook at {hide_password(url)}: {reason}") from None
    except BaseException:
        if new_file is not None:
            new_file.unlink(missing_ok=True)
        raise


def ensure_assignment(gradebook, exercise, duedate: datetime | None) -> None:
    """Make sure the gradebook knows the assignment and its cells (as generate_assignment does)."""
    from nbgrader.api import MissingEntry

    if duedate is not None:
        gradebook.update_or_create_assignment(exercise.id, duedate=duedate.replace(tzinfo=None))
    else:
        try:
            gradebook.find_assignment(exercise.id)
        except MissingEntry:
            gradebook.add_assignment(exercise.id)
    stem = exercise.notebook_name.rsplit(".", 1)[0]
    try:
        notebook = gradebook.find_notebook(stem, exercise.id)
        have = {cell.name for cell in notebook.grade_cells}
    except MissingEntry:
        have = set()
    needed = {item.grade_cell for item in exercise.items}
    if not needed <= have:
        try:
            _save_cells(gradebook, exercise, stem)
        except RuntimeError:
            raise GradebookError(
                f"The gradebook already holds submissions of {exercise.id} for a different "
                "version of the exercise (its graded cells differ from the released notebook). "
                "Use a new gradebook (--db) or results folder for this version.") from None


def _save_cells(gradebook, exercise, stem: str) -> None:
    import nbformat
    from nbgrader.preprocessors import SaveCells

    notebook = nbformat.read(exercise.release_path, as_version=4)
    url = str(gradebook.engine.url.render_as_string(hide_password=False))
    resources = {"nbgrader": {"db_url": url, "assignment": exercise.id, "notebook": stem}}
    SaveCells().preprocess(notebook, resources)


@dataclass
class _Ids:
    assignment: str
    notebook: str
    grade_cells: dict[str, str]
    solution_cells: dict[str, str]
    manual: set[str]


def _ids(gradebook, exercise) -> _Ids:
    stem = exercise.notebook_name.rsplit(".", 1)[0]
    notebook = gradebook.find_notebook(stem, exercise.id)
    grade_cells = {c.name: c.id for c in notebook.grade_cells}
    grade_cells.update({c.name: c.id for c in notebook.task_cells})
    solution_cells = {c.name: c.id for c in notebook.solution_cells}
    solution_cells.update({c.name: c.id for c in notebook.task_cells})
    manual = {item.grade_cell for item in exercise.manual_items}
    return _Ids(notebook.assignment.id, notebook.id, grade_cells, solution_cells, manual)


def write(gradebook, exercise, outcomes: list,
          progress: Callable[[int], None] | None = None, batch_size: int = BATCH) -> None:
    """Write every graded learner's outcome, ``batch_size`` learners per transaction."""
    ids = _ids(gradebook, exercise)
    engine = gradebook.engine
    rows = [_record(outcome, exercise) for outcome in outcomes]
    for start in range(0, len(rows), batch_size):
        batch = rows[start: start + batch_size]
        for attempt in (1, 2):
            try:
                with engine.begin() as conn:
                    _write_batch(conn, ids, batch)
                break
            except IntegrityError:
                if attempt == 2:
                    raise GradebookError(
                        "Someone else wrote the same learners to the gradebook at the same "
                        "time, twice in a row. Run the command again.") from None
        if progress:
            progress(len(batch))


def _new_id() -> str:
    return uuid.uuid4().hex


def _write_batch(conn, ids: _Ids, rows: list[_Record]) -> None:
    from nbgrader.api import (
        Comment,
        Grade,
        Student,
        SubmittedAssignment,
        SubmittedNotebook,
    )

    students = Student.__table__
    sa_t = SubmittedAssignment.__table__
    sn_t = SubmittedNotebook.__table__
    grade_t = Grade.__table__
    comment_t = Comment.__table__
    student_ids = [r.student_id for r in rows]

    known = set(conn.scalars(select(students.c.id).where(students.c.id.in_(student_ids))))
    new_students = [{"id": r.student_id, "first_name": r.first_name, "last_name": r.last_name,
                     "email": None, "lms_user_id": None}
                    for r in rows if r.student_id not in known]
    if new_students:
        conn.execute(insert(students), new_students)

    submissions = dict(conn.execute(
        select(sa_t.c.student_id, sa_t.c.id).where(
            sa_t.c.assignment_id == ids.assignment, sa_t.c.student_id.in_(student_ids))).all())
    fresh = [{"id": _new_id(), "assignment_id": ids.assignment, "student_id": r.student_id,
              "timestamp": r.timestamp, "extension": None}
             for r in rows if r.student_id not in submissions]
    if fresh:
        conn.execute(insert(sa_t), fresh)
        submissions.update({f["student_id"]: f["id"] for f in fresh})
    _update(conn, sa_t, [{"k": submissions[r.student_id], "timestamp": r.timestamp}
                         for r in rows if r.student_id in submissions])

    sa_ids = [submissions[s] for s in student_ids]
    notebooks = dict(conn.execute(
        select(sn_t.c.assignment_id, sn_t.c.id).where(
            sn_t.c.notebook_id == ids.notebook, sn_t.c.assignment_id.in_(sa_ids))).all())
    fresh_notebooks: list[dict[str, object]] = [
             {"id": _new_id(), "assignment_id": submissions[r.student_id],
              "notebook_id": ids.notebook, "late_submission_penalty": r.late_penalty,
              "flagged": False}
             for r in rows if submissions[r.student_id] not in notebooks]
    if fresh_notebooks:
        conn.execute(insert(sn_t), fresh_notebooks)
        notebooks.update({f["assignment_id"]: f["id"] for f in fresh_notebooks})
    _update(conn, sn_t, [{"k": notebooks[submissions[r.student_id]],
                          "late_submission_penalty": r.late_penalty} for r in rows])

    nb_of = {r.student_id: notebooks[submissions[r.student_id]] for r in rows}
    _upsert_cells(conn, grade_t, ids, rows, nb_of, grades=True)
    _upsert_cells(conn, comment_t, ids, rows, nb_of, grades=False)


def _upsert_cells(conn, table, ids: _Ids, rows: Iterable[_Record], nb_of: dict[str, str],
                  grades: bool) -> None:
    """One row per (submitted notebook, cell) for every grade (or solution) cell, as nbgrader's
    ``add_submission`` makes them; our values where we have them, nbgrader's defaults else.
    Rows with a hand-given score or comment keep it (and stay flagged for review). A written
    (hand-marked) part gets a score only when the learner left it blank: 0, marked, as
    nbgrader's autograde gives an unchanged answer cell; a hand mark is never replaced."""
    rows = list(rows)
    cells = ids.grade_cells if grades else ids.solution_cells
    existing: dict[tuple[str, str], tuple[str, object]] = {}
    extra = table.c.manual_score if grades else table.c.manual_comment
    for rid, nb_id, cell_id, manual in conn.execute(
            select(table.c.id, table.c.notebook_id, table.c.cell_id, extra).where(
                table.c.notebook_id.in_(list(nb_of.values())))):
        existing[(nb_id, cell_id)] = (rid, manual)
    inserts, updates = [], []
    for row in rows:
        values = row.grades if grades else row.comments
        for name, cell_id in sorted(cells.items()):
            key = (nb_of[row.student_id], cell_id)
            blank = grades and name in ids.manual and values.get(name) is not None
            ours = name in values and (not grades or name not in ids.manual or blank)
            if grades:
                score = values.get(name) if ours else None
                record = {"auto_score": score, "needs_manual_grade": score is None}
            else:
                record = {"auto_comment": values.get(name) if ours else None}
            if key in existing:
                rid, manual = existing[key]
                if not ours or (blank and manual is not None):
                    continue
                if grades and manual is not None:
                    record["needs_manual_grade"] = True
                updates.append({"k": rid, **record})
            else:
                base: dict[str, object] = {"id": _new_id(), "notebook_id": key[0],
                                           "cell_id": cell_id}
                base.update({"manual_score": None, "extra_credit": None} if grades
                            else {"manual_comment": None})
                inserts.append({**base, **record})
    if inserts:
        conn.execute(insert(table), inserts)
    _update(conn, table, updates)


def _update(conn, table, values: list[dict]) -> None:
    if not values:
        return
    columns = [k for k in values[0] if k != "k"]
    statement = update(table).where(table.c.id == bindparam("k")).values(
        {c: bindparam(c) for c in columns})
    conn.execute(statement, values)


def manual_scores(gradebook, exercise, student_ids: list[str]) -> dict[str, dict[str, float]]:
    """Hand marks already given in formgrader: student id → grade cell name → score."""
    from nbgrader.api import Grade, SubmittedAssignment, SubmittedNotebook

    ids = _ids(gradebook, exercise)
    names = {cell_id: name for name, cell_id in ids.grade_cells.items() if name in ids.manual}
    if not names:
        return {}
    sa_t, sn_t, grade_t = (SubmittedAssignment.__table__, SubmittedNotebook.__table__,
                           Grade.__table__)
    found: dict[str, dict[str, float]] = {}
    with gradebook.engine.connect() as conn:
        for start in range(0, len(student_ids), BATCH):
            chunk = student_ids[start: start + BATCH]
            query = (select(sa_t.c.student_id, grade_t.c.cell_id, grade_t.c.manual_score)
                     .join(sn_t, sn_t.c.assignment_id == sa_t.c.id)
                     .join(grade_t, grade_t.c.notebook_id == sn_t.c.id)
                     .where(sa_t.c.assignment_id == ids.assignment,
                            sa_t.c.student_id.in_(chunk),
                            grade_t.c.cell_id.in_(list(names)),
                            grade_t.c.manual_score.is_not(None)))
            for student, cell_id, score in conn.execute(query):
                found.setdefault(student, {})[names[cell_id]] = float(score)
    return found


def remove(gradebook, exercise, student_ids: list[str]) -> set[str]:
    """Remove these learners' submissions of the exercise (grades, comments, hand marks), so
    that the gradebook and ``nbgrader export`` never keep a grade ``grades.csv`` does not
    show; return the ids that had one."""
    from nbgrader.api import MissingEntry

    removed = set()
    for student in student_ids:
        try:
            gradebook.find_submission(exercise.id, student)
        except MissingEntry:
            continue
        gradebook.remove_submission(exercise.id, student)
        removed.add(student)
    return removed


def others(gradebook, exercise, student_ids: set[str]) -> list[dict]:
    """Submissions of the exercise in the gradebook from learners not in this run: nbgrader's
    own figures for each (``student``, ``score``, ``max_score``, ``timestamp``...)."""
    found = [d for d in gradebook.submission_dicts(exercise.id)
             if d.get("student") not in student_ids]
    for d in found:
        submission = gradebook.find_submission(exercise.id, d["student"])
        d["late_penalty"] = float(submission.late_submission_penalty or 0.0)
    return found
