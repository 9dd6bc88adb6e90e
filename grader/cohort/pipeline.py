"""The cohort run, as a list of named steps (as nbgrader's converters run preprocessors):

1. ``find submissions`` (:mod:`.intake`): one candidate per learner from every source;
2. ``plan copies`` (with a course folder): where formgrader's copy of each learner goes;
3. ``grade`` (:mod:`.grading`, in parallel): read each file once, score it, write its copy;
4. ``apply lateness`` (:mod:`.late`): penalties and notes from the submission times;
5. ``name feedback pages``: one safe, unique file name per learner;
6. ``update gradebook`` (:mod:`.nbgrader_store`): write scores, then read back hand marks;
7. ``write outputs`` (:mod:`.outputs`, :mod:`.feedback`, :mod:`.report`): grades.csv,
   items.csv, the LMS files, feedback pages and the trainer's report.

Every step takes the run's state (:class:`Run`) and leaves one
:class:`~.model.LearnerOutcome` per learner in it; between steps the run stops cleanly on
Ctrl-C or SIGTERM.

Exit status: 0 everyone graded; 2 some learners (or files) are problems; 1 nothing could be
done (bad options, unreadable download, gradebook unreachable); 130 stopped by Ctrl-C/SIGTERM
(run the same command again to finish: nothing is doubled).
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.exc import SQLAlchemyError

from grader.exercise import Exercise, UnknownExercise, load_released

from . import debrief, feedback, nbgrader_store, outputs, report
from . import submission_times as times_mod
from .autograded import CopyTarget
from .grading import Task, init_worker, safe_grade
from .ids import SECRET_NAME, Pseudonymiser, file_slug
from .intake import Intake, IntakeError, gather
from .late import DEFAULT_TIMEZONE, LatePolicy, Penalty, describe_lateness, zone
from .model import Candidate, LearnerOutcome
from .reading import DEFAULT_MAX_BYTES, DEFAULT_TIME_LIMIT
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
    submission_times: Path | None = None
    due_words: str = ""
    time_limit: float = DEFAULT_TIME_LIMIT
    own_work: bool = False
    """One learner marking their own exercise (the learner app): the only file of a flat folder
    is theirs whatever its name (it keeps the exercise's), their page names no learner, and only
    grades.csv and the feedback page are written (no report, items.csv, LMS files, debrief deck
    or run.json: those are the assessor's, and some hold the key)."""


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


@dataclass
class Run:
    """The state one cohort run passes from step to step."""

    options: Options
    exercise: Exercise
    out: Path
    workdir: Path
    zone: ZoneInfo
    course_dir: Path | None
    pseudo: Pseudonymiser | None
    show_answers: bool
    intake: Intake = field(default_factory=Intake)
    outcomes: list[LearnerOutcome] = field(default_factory=list)
    copies: dict[str, CopyTarget] = field(default_factory=dict)
    refused: list[LearnerOutcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def public_id(self, candidate: Candidate) -> str:
        return self.pseudo.code(candidate.learner_id) if self.pseudo else candidate.learner_id


def run(options: Options) -> int:
    """Run the whole cohort grading; return the exit status."""
    old_umask = os.umask(0o077)
    _STOP["requested"] = False
    previous = signal.signal(signal.SIGTERM, _on_signal)
    workdir: Path | None = None
    try:
        exercise = load_released(options.assignment_id)
        items = {i.id for i in exercise.items}
        if options.out.resolve().is_dir():  # refused before anything is written
            outputs.claim(options.out.resolve(), exercise.id, items)
        out = outputs.private_dir(options.out.resolve())
        for stale in out.glob(".work-*"):
            shutil.rmtree(stale, ignore_errors=True)
        workdir = outputs.private_dir(out / f".work-{os.getpid()}")
        course_dir = (options.course_dir or out).resolve() if options.gradebook else None
        state = Run(options=options, exercise=exercise, out=out, workdir=workdir,
                    zone=zone(options.timezone), course_dir=course_dir,
                    pseudo=_pseudonymiser(options, out, course_dir),
                    show_answers=(exercise.show_answers if options.show_answers is None
                                  else options.show_answers))
        started = time.perf_counter()
        for _name, step in STEPS:
            step(state)
            _checkpoint()
        outcomes = state.outcomes
        for warning in state.warnings:
            _say(options, f"WARNING: {warning}", error=True)
        elsewhere = course_dir is not None and course_dir != out
        _say(options, f"Done in {time.perf_counter() - started:.1f} s. "
                      + summary_line(outcomes, state.refused, name_problems=True)
                      + f" Results in {out}"
                      + (f"; formgrader's copies in {course_dir}." if elsewhere else ".")
                      + f" Set the assignment's maximum grade in the LMS to "
                        f"{exercise.max_score:g}.")
        if any(o.late_penalty for o in outcomes) and options.gradebook:
            _say(options, "Late penalties are stored in the gradebook. A plain 'nbgrader "
                          "autograde' afterwards recomputes them with nbgrader's own setting "
                          "(no penalty, by default) and removes them: run this command again "
                          "instead.")
        problems = sum(o.status == "problem" for o in outcomes)
        return EXIT_PROBLEMS if problems or state.refused else EXIT_OK
    except (KeyboardInterrupt, Stopped):
        _say(options, "Stopped before the end. Nothing is half-written: run the same command "
                      "again to finish (grades already saved are updated, not doubled).",
             error=True)
        return EXIT_INTERRUPTED
    except (UnknownExercise, IntakeError, ZipRefused, nbgrader_store.GradebookError,
            report.ReportError, times_mod.SubmissionTimesError, outputs.ResultsBelongElsewhere,
            ValueError) as error:
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


# ------------------------------------------------------------------------------------------
# The steps
# ------------------------------------------------------------------------------------------
def find_submissions(state: Run) -> None:
    """One outcome per learner found (not read yet); problems found here are kept."""
    options = state.options
    state.intake = gather(options.sources, state.exercise.id, state.exercise.notebook_name,
                          state.workdir, state.zone, show_names=state.pseudo is None,
                          layout=options.layout, limits=options.zip_limits,
                          own_work=options.own_work)
    _apply_times(options, state.intake.candidates, state.zone)
    _say(options, f"Found {_learners(len(state.intake.candidates))} "
                  f"({', '.join(sorted(set(state.intake.layouts)))} layout)"
                  + (f" and {len(state.intake.rejected)} refused file(s)"
                     if state.intake.rejected else "") + ".")
    if options.late.due is not None:
        _say(options, f"Deadline read as {options.due_words or options.late.due}; "
                      f"late penalty: {options.late.penalty.describe()}.")
    state.outcomes = [
        LearnerOutcome(submission=c, exercise=state.exercise, public_id=state.public_id(c),
                       name=None if state.pseudo else c.name, problem=c.problem,
                       notes=tuple(c.notes) + ((c.not_submitted,) if c.not_submitted else ()),
                       standing="not submitted" if c.not_submitted else None)
        for c in state.intake.candidates]
    for number, item in enumerate(state.intake.rejected, start=1):
        name = item.name if state.pseudo is None else f"refused-file-{number}"
        state.refused.append(LearnerOutcome(
            submission=Candidate(learner_id=name, name=None, layout="", files=[],
                                 folder_label=item.name),
            exercise=state.exercise, public_id=name, name=None,
            problem=f"Refused: {item.reason}.", standing="refused"))


def plan_copies(state: Run) -> None:
    """Where each learner's autograded copy goes: <course>/autograded/<student>/<assignment>."""
    if state.course_dir is None:
        return
    from grader.plugins import literal_scoring  # noqa: F401 - imported once, before forking

    from .autograded import claim_mirrors, safe_student_id, timestamp_text

    course_dir, exercise = state.course_dir, state.exercise
    course_dir.mkdir(mode=outputs.DIR_MODE, parents=True, exist_ok=True)
    students: dict[str, LearnerOutcome] = {}
    for index, outcome in enumerate(state.outcomes):
        if outcome.problem or outcome.standing:
            continue
        if safe_student_id(outcome.student_id):
            students[outcome.learner_id] = outcome
        else:
            state.outcomes[index] = outcome.update(notes=(
                *outcome.notes, "No copy for formgrader: the learner's id cannot be used as "
                                "a folder name."))
    submitted = course_dir / "submitted"
    mirror = not any(submitted.is_relative_to(s.resolve()) or s.resolve().is_relative_to(submitted)
                     for s in state.options.sources)
    ours = claim_mirrors(course_dir, exercise.id, [o.student_id for o in students.values()]) \
        if mirror else set()
    state.copies = {
        learner: CopyTarget(course_dir, o.student_id, timestamp_text(o.submitted_at),
                            state.show_answers, pseudonymised=state.pseudo is not None,
                            mirror=o.student_id in ours)
        for learner, o in students.items()}


def grade(state: Run) -> None:
    """Read and score every learner's file (in parallel), writing formgrader's copies."""
    options = state.options
    tasks = [Task(o, state.copies.get(o.learner_id), options.max_bytes, options.time_limit)
             for o in state.outcomes if not o.problem and not o.standing]
    graded: dict[str, LearnerOutcome] = {}
    if tasks:
        for outcome in _map(options, safe_grade, tasks):
            graded[outcome.learner_id] = outcome
    state.outcomes = [graded.get(o.learner_id, o) for o in state.outcomes]


def apply_lateness(state: Run) -> None:
    """Late penalties (from the exercise's total points) and the notes that explain them."""
    policy = state.options.late
    for index, outcome in enumerate(state.outcomes):
        if not outcome.graded:
            continue
        seconds = policy.seconds_late(outcome.submitted_at)
        if seconds > 0:
            late_by = describe_lateness(seconds)
            state.outcomes[index] = outcome.update(
                late_by=late_by,
                late_penalty=min(outcome.max_score,
                                 policy.penalty.points(seconds, outcome.max_score)),
                learner_notes=(*outcome.learner_notes,
                               f"Submitted {late_by} after the deadline."))
        elif policy.due is not None and outcome.submitted_at is None \
                and outcome.submission.lms_late:
            if policy.penalty.period is None:  # a penalty taken once needs no time
                state.outcomes[index] = outcome.update(
                    late_by="marked late by the LMS",
                    late_penalty=min(outcome.max_score,
                                     policy.penalty.points(1, outcome.max_score)),
                    learner_notes=(*outcome.learner_notes, "Submitted after the deadline."))
            else:
                state.outcomes[index] = outcome.update(lms_late_unknown=True, notes=(
                    *outcome.notes, "The LMS marked this submission late but gave no time, "
                    "so no penalty was applied: pass --submission-times to apply it."))
        elif policy.due is not None and outcome.submitted_at is None:
            state.outcomes[index] = outcome.update(notes=(
                *outcome.notes, "No trustworthy submission time was found, so lateness was "
                                "not checked."))
    state.warnings = _lateness_warnings(state.options, state.outcomes)


def name_feedback_pages(state: Run) -> None:
    """A feedback file per learner: safe everywhere, unique even when ids differ by case."""
    used: set[str] = set()
    for index, outcome in enumerate(state.outcomes):
        if outcome.standing:
            continue
        name = file_slug(outcome.public_id)
        while name.casefold() in used:
            name += "_"
        used.add(name.casefold())
        state.outcomes[index] = outcome.update(feedback_file=f"feedback/{name}.html")


def update_gradebook(state: Run) -> None:
    """Write every graded learner to nbgrader's gradebook, then pick up hand marks."""
    options = state.options
    if not options.gradebook:
        return
    from grader.nbconfig import COURSE_ID

    url = _db_url(options, state.course_dir or state.out)
    gradebook = nbgrader_store.open_gradebook(url, options.course_id or COURSE_ID)
    try:
        _write_gradebook(state, gradebook)
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0][:300]
        raise nbgrader_store.GradebookError(
            f"Writing to the gradebook failed ({nbgrader_store.hide_password(reason)}). "
            "Whatever was saved is consistent: run the same command again to finish.") from None
    finally:
        gradebook.close()


def write_outputs(state: Run) -> None:
    """grades.csv, items.csv, the LMS files, a feedback page per learner, the report."""
    options, out, outcomes, exercise = state.options, state.out, state.outcomes, state.exercise
    pseudo = state.pseudo
    outputs.write_grades(out, [*outcomes, *state.refused], pseudonymised=pseudo is not None)
    if not options.own_work:
        outputs.write_run_info(out, exercise.id, pseudonymised=pseudo is not None)
        outputs.write_items(out, outcomes)
        state.warnings.extend(outputs.write_lms(out, outcomes, exercise, zone=state.zone,
                                                answers_shown=state.show_answers))
    folder = outputs.private_dir(out / "feedback")
    wanted = {f"{file_slug(o.public_id)}.html" for o in outcomes
              if o.standing == "not in this download"}  # their page from an earlier run
    for outcome in outcomes:
        if not outcome.feedback_file:
            continue
        path = out / outcome.feedback_file
        wanted.add(path.name)
        outputs.write_private(path, feedback.render(outcome, state.show_answers,
                                                    name_learner=not options.own_work))
    for old in folder.glob("*.html"):
        if old.name not in wanted:
            old.unlink()
    if not options.own_work:
        _write_cohort_pages(state)


def _write_cohort_pages(state: Run) -> None:
    """The report (and the assessor's copy with the answers) and the debrief deck."""
    options, out, outcomes, exercise = state.options, state.out, state.outcomes, state.exercise
    pseudo = state.pseudo

    def when(c: Candidate) -> str:
        return c.submitted_at.strftime("%Y-%m-%d %H:%M UTC") if c.submitted_at else "time unknown"

    superseded = [{"learner": state.public_id(old), "old": when(old), "kept": when(kept)}
                  for old, kept in state.intake.superseded]
    rejected = [{"name": f.name if pseudo is None else "(name hidden)", "reason": f.reason}
                for f in state.intake.rejected]
    due = options.late.due
    context = {
        "pseudonymised": pseudo is not None,
        "counts": {"learners": sum(o.status != "not in this download" for o in outcomes),
                   "graded": sum(o.graded for o in outcomes),
                   "problems": sum(o.status == "problem" for o in outcomes),
                   "not_submitted": sum(o.status in ("not submitted", "not in this download")
                                        for o in outcomes),
                   "refused": len(state.refused),
                   "late": sum(bool(o.late_by) for o in outcomes),
                   "superseded": len(superseded)},
        "summary_line": summary_line(outcomes, state.refused),
        "warnings": state.warnings,
        "not_submitted": [o for o in outcomes
                          if o.status in ("not submitted", "not in this download")],
        "due_text": (options.due_words or due.strftime("%Y-%m-%d %H:%M UTC")) if due
        else "none given",
        "due_set": due is not None,
        "penalty_text": options.late.penalty.describe(),
        "problems": [o for o in outcomes if o.status == "problem"],
        "late": [o for o in outcomes if o.late_by],
        "superseded": superseded, "rejected": rejected,
        "duplicated": [o for o in outcomes if o.submission.duplicates],
    }
    reveal = state.show_answers if options.debrief_answers is None else options.debrief_answers
    deck = debrief.write(out, debrief.answers_from_outcomes(outcomes), exercise, reveal)
    context["debrief"] = deck.name if deck else None
    outputs.write_private(out / "report.html", report.build(  # for the room: names nobody
        outcomes, exercise, {**context, "answers_shown": state.show_answers, "for_room": True}))
    # the assessor's own copy, with the answers and the learners' names: never for the room
    outputs.write_private(out / "report-with-answers.html", report.build(
        outcomes, exercise, {**context, "answers_shown": True, "for_room": False}))


#: The run, in order (name, step).
STEPS: tuple[tuple[str, Callable[[Run], None]], ...] = (
    ("find submissions", find_submissions),
    ("plan copies", plan_copies),
    ("grade", grade),
    ("apply lateness", apply_lateness),
    ("name feedback pages", name_feedback_pages),
    ("update gradebook", update_gradebook),
    ("write outputs", write_outputs),
)


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------
def summary_line(outcomes: list[LearnerOutcome], refused: list[LearnerOutcome],
                 name_problems: bool = False) -> str:
    """Every learner and file in one sentence: graded, to mark, problems, not submitted,
    refused (the same counts as grades.csv); with ``name_problems`` (the terminal, never the
    room's report), the first few learners who could not be graded, by id."""
    counts = {status: sum(o.status == status for o in outcomes)
              for status in ("graded", "to mark", "problem", "not submitted",
                             "not in this download")}
    found = len(outcomes) - counts["not in this download"]
    parts = [f"{counts['graded']} graded"]
    if counts["to mark"]:
        parts.append(f"{counts['to mark']} with written parts to mark in formgrader")
    parts.append(f"{counts['problem']} could not be graded")
    if counts["not submitted"]:
        parts.append(f"{counts['not submitted']} not submitted")
    if counts["not in this download"]:
        parts.append(f"{counts['not in this download']} in the gradebook from an earlier run "
                     "but not in this download (left as they were)")
    if refused:
        parts.append(f"{len(refused)} file(s) refused (belonging to no learner)")
    every = (" Every learner found was graded." if not counts["problem"] and not refused
             and not counts["not submitted"] else
             " Each one not graded is listed with its reason in grades.csv.")
    return f"{_learners(found)}: " + ", ".join(parts) + "." + every \
        + (_not_graded(outcomes) if name_problems else "")


#: How many learners the terminal names when some could not be graded (the rest: grades.csv).
NAMED_IN_SUMMARY = 10


def _learners(count: int) -> str:
    return f"{count} learner{'' if count == 1 else 's'}"


def _not_graded(outcomes: list[LearnerOutcome]) -> str:
    """The learners who could not be graded, by id (the first few), for the terminal."""
    ids = [o.public_id for o in outcomes if o.status == "problem"]
    if not ids:
        return ""
    shown = ", ".join(ids[:NAMED_IN_SUMMARY])
    more = len(ids) - NAMED_IN_SUMMARY
    return f" Could not be graded: {shown}" + (f" and {more} more" if more > 0 else "") + "."


def _apply_times(options: Options, candidates: list[Candidate], tz) -> None:
    """Submission times from --submission-times (the assessor's trusted file) win."""
    if options.submission_times is None:
        return
    known = times_mod.read(options.submission_times, tz)
    for candidate in candidates:
        when = known.get(candidate.lms_id or candidate.learner_id,
                         known.get(candidate.learner_id))
        if when is not None:
            candidate.submitted_at = when
            candidate.time_source = options.submission_times.name
        elif candidate.submitted_at is None:
            candidate.notes.append("No submission time for this learner in the "
                                   "submission-times file.")


def _lateness_warnings(options: Options, outcomes: list[LearnerOutcome]) -> list[str]:
    """What an assessor must see before sending grades: most learners late (a wrong deadline,
    or a time zone), learners whose lateness could not be checked."""
    if options.late.due is None:
        return []
    graded = [o for o in outcomes if o.graded]
    timed = [o for o in graded if o.submitted_at is not None]
    late = [o for o in timed if o.late_by]
    found = []
    if len(timed) >= 2 and len(late) * 2 > len(timed):
        found.append(
            f"{len(late)} of {len(timed)} learners with a submission time came out late "
            f"against the deadline {options.due_words or options.late.due}. Check --due and "
            "--timezone before sending any grades.")
    untimed = [o for o in graded if o.submitted_at is None]
    if untimed:
        marked = sum(o.lms_late_unknown for o in untimed)
        found.append(
            f"{len(untimed)} learner(s) have no trustworthy submission time (zip and file "
            "times are never used), so lateness was not checked for them"
            + (f" ({marked} marked late by the LMS)" if marked else "")
            + ". Pass the LMS's submission times with --submission-times FILE (Moodle's "
              "grading worksheet, or a CSV with learner and submitted_at).")
    return found


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


def _map(options: Options, function, tasks: list[Task]):
    """``function`` over ``tasks`` with a progress bar: in this process for one job, else in a
    pool of forked workers (results in the order they finish)."""
    jobs = _jobs(options, len(tasks))
    if jobs == 1:
        with _progress(options, len(tasks), "Grading") as bar:
            for task in tasks:
                yield function(task)
                bar.update(1)
                _checkpoint()
        return
    context = multiprocessing.get_context("fork")
    pool = context.Pool(jobs, initializer=init_worker)
    try:
        with _progress(options, len(tasks), "Grading") as bar:
            chunk = max(1, min(32, len(tasks) // (jobs * 8)))
            for result in pool.imap_unordered(function, tasks, chunksize=chunk):
                yield result
                bar.update(1)
                _checkpoint()
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()


def _write_gradebook(state: Run, gradebook) -> None:
    """Structure, grades in batches, then any hand marks already given in formgrader."""
    options, exercise = state.options, state.exercise
    nbgrader_store.ensure_assignment(gradebook, exercise, options.late.due)
    graded = [o for o in state.outcomes if o.graded]
    with _progress(options, len(graded), "Gradebook") as bar:
        def progress(count: int) -> None:
            bar.update(count)
            _checkpoint()

        nbgrader_store.write(gradebook, exercise, graded, progress=progress,
                             batch_size=options.batch_size)
    _one_truth(state, gradebook)
    if exercise.manual_items:
        cells = {item.grade_cell: item.id for item in exercise.manual_items}
        marks = nbgrader_store.manual_scores(gradebook, exercise,
                                             [o.student_id for o in graded])
        for index, outcome in enumerate(state.outcomes):
            if not outcome.graded or outcome.scored is None:
                continue
            found = marks.get(outcome.student_id, {})
            given = {cells[c]: v for c, v in found.items() if c in cells}
            state.outcomes[index] = outcome.update(scored=outcome.scored.with_marks(given))


GRADE_REMOVED = ("Their earlier grade for this exercise was removed from the gradebook (with "
                 "formgrader's copy), as the submission given now could not be graded: "
                 "formgrader and nbgrader export no longer show a grade grades.csv does not.")


def _one_truth(state: Run, gradebook) -> None:
    """The gradebook says what grades.csv says: a learner graded before whose submission now
    cannot be graded loses the old grade; a learner in the gradebook but not in this run's
    downloads gets a row saying so, with the gradebook's score."""
    from .autograded import MANIFEST, safe_student_id

    exercise = state.exercise
    problems = {o.student_id: i for i, o in enumerate(state.outcomes) if o.status == "problem"}
    removed = nbgrader_store.remove(gradebook, exercise, sorted(problems))
    course_dir = state.course_dir or state.out
    try:
        ours = set((course_dir / MANIFEST).read_text(encoding="utf-8").splitlines())
    except FileNotFoundError:
        ours = set()
    for student in removed:
        index = problems[student]
        outcome = state.outcomes[index]
        state.outcomes[index] = outcome.update(notes=(*outcome.notes, GRADE_REMOVED))
        if not safe_student_id(student):
            continue
        shutil.rmtree(course_dir / "autograded" / student / exercise.id, ignore_errors=True)
        if f"{student}/{exercise.id}" in ours:
            shutil.rmtree(course_dir / "submitted" / student / exercise.id, ignore_errors=True)
    known = {o.student_id for o in state.outcomes}
    for found in nbgrader_store.others(gradebook, exercise, known):
        raw = found.get("score")
        student = str(found["student"])
        state.outcomes.append(LearnerOutcome(
            submission=Candidate(learner_id=student, name=None, layout="gradebook", files=[],
                                 folder_label=student),
            exercise=exercise, public_id=student, name=None, standing="not in this download",
            recorded_score=float(raw) if raw is not None else None,
            late_penalty=found.get("late_penalty", 0.0),
            notes=("In the gradebook from an earlier run, but not in the submissions given "
                   "this time: the gradebook's score is shown and was left as it is. Give "
                   "every download together to grade everyone in one run.",)))
