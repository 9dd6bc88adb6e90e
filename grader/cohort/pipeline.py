"""The cohort run, in order: find submissions → grade them in parallel (writing nbgrader's
autograded copies for formgrader) → apply lateness → update the gradebook → write grades,
items, LMS files, feedback pages and the report.

Exit status: 0 everyone graded; 2 some learners (or files) are problems; 1 nothing could be
done (bad options, unreadable download, gradebook unreachable); 130 stopped by Ctrl-C/SIGTERM
(run the same command again to finish: nothing is doubled).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from . import debrief, feedback, nbgrader_store, outputs, report
from . import exercise as exercise_mod
from .autograded import CopyTarget
from .grading import Task, grade_task, init_worker, safe_grade
from .ids import SECRET_NAME, Pseudonymiser, file_slug
from .intake import IntakeError, gather
from .late import DEFAULT_TIMEZONE, LatePolicy, Penalty, describe_lateness, zone
from .model import Candidate, ItemResult, LearnerResult
from .reading import DEFAULT_MAX_BYTES
from .zipsafe import ZipLimits, ZipRefused

EXIT_OK, EXIT_FATAL, EXIT_PROBLEMS, EXIT_INTERRUPTED = 0, 1, 2, 130


class Stopped(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C (a KeyboardInterrupt, so no library wraps it as an error)."""


@dataclass
class Options:
    """Everything the command line can set."""

    assignment_id: str
    sources: list[Path]
    out: Path
    db_url: str | None = None
    gradebook: bool = True
    course_dir: Path | None = None
    course_id: str | None = None
    batch_size: int = nbgrader_store.BATCH
    jobs: int = 0
    pseudonymise: bool = False
    secret_file: Path | None = None
    late: LatePolicy = field(default_factory=lambda: LatePolicy(None, Penalty(0, False, None)))
    timezone: str = DEFAULT_TIMEZONE
    layout: str | None = None
    show_answers: bool | None = None
    debrief_answers: bool | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    zip_limits: ZipLimits = field(default_factory=ZipLimits)
    progress: bool | None = None
    quiet: bool = False


@dataclass
class Row:
    """One learner in every output."""

    public_id: str
    name: str | None
    layout: str
    status: str
    problem: str | None = None
    score: float | None = None
    raw_score: float | None = None
    max_score: float = 0.0
    late_penalty: float = 0.0
    submitted_at: datetime | None = None
    late_by: str = ""
    notes: list[str] = field(default_factory=list)
    learner_notes: list[str] = field(default_factory=list)
    items: list[ItemResult] = field(default_factory=list)
    feedback_file: str = ""
    lms_id: str | None = None
    manual_marks: dict[str, float] = field(default_factory=dict)
    manual_pending: int = 0
    hints: list[str] = field(default_factory=list)

    @property
    def submitted_text(self) -> str:
        return self.submitted_at.strftime("%Y-%m-%d %H:%M:%S UTC") if self.submitted_at else ""

    @property
    def lms_name(self) -> str:
        return self.name or self.public_id

    @property
    def lms_comment(self) -> str:
        if self.status == "problem":
            return "Not graded: " + (self.problem or "")
        if self.status == "to mark":
            return "Partly marked: written parts still to be marked by hand."
        return f"Score {self.score:g} out of {self.max_score:g}. See your feedback page."


def _say(options: Options, text: str, error: bool = False) -> None:
    if error or not options.quiet:
        print(text, file=sys.stderr, flush=True)


_STOP = {"requested": False}


def _on_signal(signum, frame):  # noqa: ARG001
    _STOP["requested"] = True  # remembered, in case the exception lands where it is swallowed
    raise Stopped()


def _checkpoint(*_: object) -> None:
    """Stop here if a SIGTERM arrived (called between learners and between batches)."""
    if _STOP["requested"]:
        raise Stopped()


def run(options: Options) -> int:
    """Run the whole cohort grading; return the exit status."""
    old_umask = os.umask(0o077)
    _STOP["requested"] = False
    previous = signal.signal(signal.SIGTERM, _on_signal)
    workdir: Path | None = None
    try:
        exercise = exercise_mod.load(options.assignment_id)
        out = outputs.private_dir(options.out.resolve())
        for stale in out.glob(".work-*"):
            shutil.rmtree(stale, ignore_errors=True)
        workdir = outputs.private_dir(out / f".work-{os.getpid()}")
        tz = zone(options.timezone)
        course_dir = (options.course_dir or out).resolve() if options.gradebook else None
        pseudo = _pseudonymiser(options, out, course_dir)
        started = time.perf_counter()
        intake = gather(options.sources, exercise.id, exercise.notebook_name, workdir, tz,
                        show_names=pseudo is None, layout=options.layout,
                        limits=options.zip_limits)
        _say(options, f"Found {len(intake.candidates)} learners "
                      f"({', '.join(sorted(set(intake.layouts)))} layout).")
        show = exercise.show_answers if options.show_answers is None else options.show_answers
        copies = (_copy_targets(options, exercise, intake.candidates, pseudo, course_dir, show)
                  if course_dir is not None else {})
        results = _grade_all(options, exercise, intake.candidates, copies)
        rows = _rows(options, exercise, intake.candidates, results, pseudo)
        _checkpoint()
        if options.gradebook:
            _sync(options, exercise, rows, _db_url(options, course_dir or out))
        _checkpoint()
        _write_outputs(options, exercise, out, rows, intake, pseudo, show)
        problems = sum(r.status == "problem" for r in rows)
        to_mark = sum(r.status == "to mark" for r in rows)
        elsewhere = course_dir is not None and course_dir != out
        _say(options, f"Done in {time.perf_counter() - started:.1f} s: "
                      f"{len(rows) - problems} graded, {problems} could not be graded"
                      + (f", {to_mark} with written parts to mark in formgrader" if to_mark
                         else "") + f". Results in {out}"
                      + (f"; formgrader's copies in {course_dir}." if elsewhere else "."))
        return EXIT_PROBLEMS if problems or intake.rejected else EXIT_OK
    except (KeyboardInterrupt, Stopped):
        _say(options, "Stopped before the end. Nothing is half-written: run the same command "
                      "again to finish (grades already saved are updated, not doubled).",
             error=True)
        return EXIT_INTERRUPTED
    except (exercise_mod.UnknownExercise, IntakeError, ZipRefused,
            nbgrader_store.GradebookError, ValueError) as error:
        _say(options, f"Error: {error}", error=True)
        return EXIT_FATAL
    except OSError as error:
        _say(options, f"Error: could not read or write {error.filename or 'a file'}: "
                      f"{error.strerror or error}.", error=True)
        return EXIT_FATAL
    finally:
        signal.signal(signal.SIGTERM, previous)
        if workdir is not None:
            shutil.rmtree(workdir, ignore_errors=True)
        os.umask(old_umask)


def _db_url(options: Options, folder: Path) -> str:
    """The gradebook: --db, else gradebook.db in the course folder (DIR unless --course-dir)."""
    return options.db_url or f"sqlite:///{folder / 'gradebook.db'}"


def _pseudonymiser(options: Options, out: Path, course_dir: Path | None) -> Pseudonymiser | None:
    if not options.pseudonymise:
        return None
    path = options.secret_file
    if path is None:
        url = _db_url(options, course_dir) if course_dir is not None else options.db_url or ""
        folder = out
        if url.startswith("sqlite:///") and len(url) > len("sqlite:///"):
            folder = Path(url[len("sqlite:///"):]).expanduser().resolve().parent
        path = folder / SECRET_NAME
    return Pseudonymiser.from_file(path)


def _jobs(options: Options, count: int) -> int:
    jobs = options.jobs or len(os.sched_getaffinity(0))
    return max(1, min(jobs, count))


def _progress(options: Options, total: int, what: str):
    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread: worker processes are forked later
    disable = options.quiet or (options.progress is False) or (
        options.progress is None and not sys.stderr.isatty())
    return tqdm(total=total, desc=what, unit=" learners", file=sys.stderr, disable=disable,
                dynamic_ncols=True, mininterval=0.2)


def _copy_targets(options: Options, exercise, candidates: list[Candidate],
                  pseudo: Pseudonymiser | None, course_dir: Path, show: bool
                  ) -> dict[str, CopyTarget]:
    """Where each learner's autograded copy goes: <course>/autograded/<student>/<assignment>."""
    from grader.plugins import literal_scoring  # noqa: F401 - imported once, before forking

    from .autograded import claim_mirrors, safe_student_id, timestamp_text

    course_dir.mkdir(mode=outputs.DIR_MODE, parents=True, exist_ok=True)
    students: dict[str, tuple[str, Candidate]] = {}
    for candidate in candidates:
        if candidate.problem:
            continue
        student = _db_id(pseudo.code(candidate.learner_id) if pseudo else candidate.learner_id)
        if safe_student_id(student):
            students[candidate.learner_id] = (student, candidate)
        else:
            candidate.notes.append("No copy for formgrader: the learner's id cannot be used "
                                   "as a folder name.")
    submitted = course_dir / "submitted"
    mirror = not any(submitted.is_relative_to(s.resolve()) or s.resolve().is_relative_to(submitted)
                     for s in options.sources)
    ours = claim_mirrors(course_dir, exercise.id, [s for s, _ in students.values()]) \
        if mirror else set()
    return {learner: CopyTarget(course_dir, student, timestamp_text(c.submitted_at), show,
                                pseudonymised=pseudo is not None, mirror=student in ours)
            for learner, (student, c) in students.items()}


def _grade_all(options: Options, exercise, candidates: list[Candidate],
               copies: dict[str, CopyTarget]) -> dict[str, LearnerResult]:
    tasks = [Task(c.learner_id, c.files[0], copies.get(c.learner_id))
             for c in candidates if not c.problem]
    results: dict[str, LearnerResult] = {}
    if not tasks:
        return results
    jobs = _jobs(options, len(tasks))
    if jobs == 1:
        with _progress(options, len(tasks), "Grading") as bar:
            for task in tasks:
                results[task.learner_id] = safe_grade(task.learner_id, task.path, exercise,
                                                      options.max_bytes, task.copy)
                bar.update(1)
                _checkpoint()
        return results
    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=init_worker,
                        initargs=(exercise.id, options.max_bytes))
    try:
        with _progress(options, len(tasks), "Grading") as bar:
            chunk = max(1, min(32, len(tasks) // (jobs * 8)))
            for result in pool.imap_unordered(grade_task, tasks, chunksize=chunk):
                results[result.learner_id] = result
                bar.update(1)
                _checkpoint()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
    return results


def _rows(options: Options, exercise, candidates: list[Candidate],
          results: dict[str, LearnerResult], pseudo: Pseudonymiser | None) -> list[Row]:
    rows = []
    policy = options.late
    total = exercise.max_score + exercise.manual_max_score
    for candidate in candidates:
        public = pseudo.code(candidate.learner_id) if pseudo else candidate.learner_id
        row = Row(public_id=public, name=None if pseudo else candidate.name,
                  layout=candidate.layout, status="problem", max_score=total,
                  submitted_at=candidate.submitted_at, notes=list(candidate.notes),
                  lms_id=candidate.lms_id)
        result = results.get(candidate.learner_id)
        if candidate.problem or result is None or result.problem:
            row.problem = candidate.problem or (result.problem if result else "Not graded.")
            if result:
                row.notes.extend(result.notes)
            rows.append(row)
            continue
        row.status = "graded"
        row.items = result.items
        row.hints = result.hints
        row.notes.extend(result.notes)
        row.raw_score = result.score or 0.0
        seconds = policy.seconds_late(candidate.submitted_at)
        if seconds > 0:
            row.late_by = describe_lateness(seconds)
            row.late_penalty = min(total, policy.penalty.points(seconds, total))
            row.learner_notes.append(f"Submitted {row.late_by} after the deadline.")
        elif policy.due is not None and candidate.submitted_at is None:
            row.notes.append("No submission time was found, so lateness was not checked.")
        row.manual_pending = sum(i.manual for i in row.items)
        _settle(row)
        rows.append(row)
    _assign_feedback_files(rows)
    return rows


def _settle(row: Row) -> None:
    """Score after penalty (never below 0, as ``nbgrader export`` does); hand-marked parts."""
    manual = sum(row.manual_marks.values())
    row.manual_pending = sum(i.manual and i.item_id not in row.manual_marks for i in row.items)
    auto = sum(i.points for i in row.items if not i.manual)
    row.raw_score = round(auto + manual, 6)
    row.score = round(max(0.0, row.raw_score - row.late_penalty), 6)
    if row.manual_pending:
        row.status = "to mark"


def _assign_feedback_files(rows: list[Row]) -> None:
    used: set[str] = set()
    for row in rows:
        name = file_slug(row.public_id)
        while name.casefold() in used:
            name += "_"
        used.add(name.casefold())
        row.feedback_file = f"feedback/{name}.html"


def _db_id(public_id: str) -> str:
    """nbgrader's student ids hold at most 128 characters; longer ones get a hashed tail."""
    if len(public_id) <= 128:
        return public_id
    return public_id[:110] + "-" + hashlib.sha256(public_id.encode()).hexdigest()[:12]


def _sync(options: Options, exercise, rows: list[Row], url: str) -> None:
    from grader.nbconfig import COURSE_ID

    gradebook = nbgrader_store.open_gradebook(url, options.course_id or COURSE_ID)
    try:
        _write_gradebook(options, exercise, rows, gradebook)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0][:300]
        raise nbgrader_store.GradebookError(
            f"Writing to the gradebook failed ({nbgrader_store.hide_password(reason)}). "
            "Whatever was saved is consistent: run the same command again to finish.") from None
    finally:
        gradebook.close()


def _write_gradebook(options: Options, exercise, rows: list[Row], gradebook) -> None:
    """Structure, grades in batches, then any hand marks already given in formgrader."""
    nbgrader_store.ensure_assignment(gradebook, exercise, options.late.due)
    grade_cells = exercise.grade_cells
    answer_cells = exercise.answer_cells
    records = []
    for row in rows:
        if row.status == "problem":
            continue
        first, last = _split_name(row.name)
        records.append(nbgrader_store.GradebookRow(
            student_id=_db_id(row.public_id), first_name=first, last_name=last,
            timestamp=row.submitted_at.astimezone(UTC).replace(tzinfo=None)
            if row.submitted_at else None,
            late_penalty=row.late_penalty,
            grades={grade_cells[i.item_id]: (None if i.manual else i.points)
                    for i in row.items if i.item_id in grade_cells},
            comments={answer_cells[i.item_id]: "No response."
                      if i.status == "unanswered" else None
                      for i in row.items if i.item_id in answer_cells}))
    with _progress(options, len(records), "Gradebook") as bar:
        def progress(count: int) -> None:
            bar.update(count)
            _checkpoint()

        nbgrader_store.write(gradebook, exercise, records, progress=progress,
                             batch_size=options.batch_size)
    if exercise.manual_items:
        cells = {item.grade_cell: item.id for item in exercise.manual_items}
        marks = nbgrader_store.manual_scores(gradebook, exercise,
                                             [r.student_id for r in records])
        for row in rows:
            if row.status == "problem":
                continue
            found = marks.get(_db_id(row.public_id), {})
            row.manual_marks = {cells[c]: v for c, v in found.items() if c in cells}
            row.status = "graded"
            _settle(row)


def _split_name(name: str | None) -> tuple[str | None, str | None]:
    if not name:
        return None, None
    parts = name.rsplit(" ", 1)
    first, last = (parts[0], parts[1]) if len(parts) == 2 else (None, parts[0])
    return (first[:128] if first else None), last[:128]


def _write_outputs(options: Options, exercise, out: Path, rows: list[Row], intake,
                   pseudo: Pseudonymiser | None, show_answers: bool) -> None:
    outputs.write_grades(out, rows, pseudonymised=pseudo is not None)
    outputs.write_run_info(out, exercise.id, pseudonymised=pseudo is not None)
    outputs.write_items(out, rows)
    outputs.write_lms(out, rows, exercise.id, exercise.max_score)
    folder = outputs.private_dir(out / "feedback")
    wanted = set()
    for row in rows:
        path = out / row.feedback_file
        wanted.add(path.name)
        outputs.write_private(path, feedback.render(row, exercise, show_answers))
    for old in folder.glob("*.html"):
        if old.name not in wanted:
            old.unlink()
    code = (lambda c: pseudo.code(c.learner_id)) if pseudo else (lambda c: c.learner_id)

    def when(c: Candidate) -> str:
        return c.submitted_at.strftime("%Y-%m-%d %H:%M UTC") if c.submitted_at else "time unknown"

    superseded = [{"learner": code(old), "old": when(old), "kept": when(kept)}
                  for old, kept in intake.superseded]
    rejected = [{"name": f.name if pseudo is None else "(name hidden)", "reason": f.reason}
                for f in intake.rejected]
    due = options.late.due
    context = {
        "pseudonymised": pseudo is not None,
        "counts": {"learners": len(rows), "graded": sum(r.status != "problem" for r in rows),
                   "problems": sum(r.status == "problem" for r in rows),
                   "late": sum(bool(r.late_by) for r in rows),
                   "superseded": len(superseded)},
        "due_text": due.strftime("%Y-%m-%d %H:%M UTC") if due else "none given",
        "due_set": due is not None,
        "penalty_text": options.late.penalty.describe(),
        "problems": [r for r in rows if r.status == "problem"],
        "late": [r for r in rows if r.late_by],
        "superseded": superseded, "rejected": rejected,
    }
    reveal = show_answers if options.debrief_answers is None else options.debrief_answers
    deck = debrief.write(out, debrief.answers_from_rows(rows), exercise, reveal)
    context["debrief"] = deck.name if deck else None
    outputs.write_private(out / "report.html", report.build(rows, exercise, context))
