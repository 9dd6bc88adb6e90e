"""The grader's one command, ``posting-with-care-grade`` (or ``python -m grader``), with
subcommands:

* ``grade ASSIGNMENT SUBMISSIONS… --out DIR``: grade a whole cohort (:mod:`grader.cohort`).
  Exit status: 0 everyone graded, 2 some submissions could not be graded (see grades.csv and
  report.html), 1 nothing could be done, 130 stopped (run the same command again to finish).
* ``release [--check]``: rebuild ``solutions/`` and ``exercises/`` from the keys (what
  ``make exercises`` runs; also ``python -m grader.release``); in a checkout of the course.
* ``solutions [--dest DIR]``: write nbgrader's source notebooks only (also
  ``python -m grader.build_solutions``).
* ``certificates …``: signed certificates (:mod:`grader.certificates.cli`).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EPILOG = """\
examples:
  python -m grader grade ex01_classify_posts course/submitted --out marking/ex01
  python -m grader grade ex01_classify_posts moodle-download.zip --out marking/ex01 \\
      --due "2026-12-01 17:00" --late-penalty 10%/day --pseudonymise
  python -m grader grade ex03_social_media_policy course/submitted --out marking/ex03 \\
      --course-dir course     # mark the written parts in formgrader, then run it again

exit status: 0 everyone graded; 2 some submissions could not be graded (each has a reason in
grades.csv and report.html); 1 nothing could be done (the message says why); 130 stopped by
Ctrl-C or SIGTERM (run the same command again to finish; nothing is doubled).
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posting-with-care-grade",
        description="Grade a whole cohort of Posting with Care exercises in one step, and "
                    "build the exercises from their answer keys.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    grade = commands.add_parser(
        "grade", help="grade a cohort's submissions",
        description="Grade every learner's notebook for one exercise, and write grades, "
                    "feedback pages, LMS upload files and a report for the trainer into DIR.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands.add_parser(
        "certificates", add_help=False,
        help="issue signed certificates from results, make the key pair, check a "
             "certificate, make the verification page (certificates --help)")
    grade.add_argument("assignment", metavar="ASSIGNMENT",
                       help="the exercise, e.g. ex01_classify_posts")
    grade.add_argument("submissions", metavar="SUBMISSIONS", nargs="+", type=Path,
                       help="an nbgrader submitted/ folder, a folder of notebooks, or a Moodle "
                            "or Canvas 'download all submissions' zip (several are allowed; "
                            "a learner found twice counts once, latest submission)")
    grade.add_argument("--out", required=True, type=Path, metavar="DIR",
                       help="folder for the results (created, owner-only)")
    grade.add_argument("--course-dir", type=Path, metavar="PATH",
                       help="nbgrader course folder that formgrader opens: each graded "
                            "learner's notebook is written to PATH/autograded/ (default: DIR), "
                            "and the gradebook defaults to PATH/gradebook.db")
    grade.add_argument("--db", metavar="URL",
                       help="nbgrader gradebook: sqlite:///path.db (default "
                            "gradebook.db in the course folder, i.e. DIR unless --course-dir) "
                            "or postgresql+psycopg://user:password@host/db "
                            "(postgresql+psycopg2:// also works)")
    grade.add_argument("--no-gradebook", action="store_true",
                       help="do not write to a gradebook (CSV, feedback and report only)")
    grade.add_argument("--course-id", metavar="ID",
                       help="nbgrader course id in the gradebook (default: the course's, "
                            "posting-with-care)")
    grade.add_argument("--batch-size", type=int, default=250, metavar="N",
                       help="learners written to the gradebook per transaction (default 250)")
    grade.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="processes to grade with (default: all cores)")
    grade.add_argument("--pseudonymise", action="store_true",
                       help="replace learner names and ids by stable codes in every output")
    grade.add_argument("--secret-file", type=Path, metavar="FILE",
                       help="where the pseudonym secret is kept (default: beside the SQLite "
                            "gradebook, else in DIR); keep it to keep the codes stable")
    grade.add_argument("--due", metavar="WHEN",
                       help='deadline with its time, e.g. "2026-12-01 17:00" or "1 Dec 2026 '
                            '17:00" (read in --timezone unless it ends in UTC, GMT, BST, a '
                            'zone name or an offset such as +01:00); all-number dates such as '
                            '01/12/2026 are refused, as they read two ways')
    grade.add_argument("--submission-times", type=Path, metavar="FILE",
                       help="when each learner submitted, for --due: Moodle's grading "
                            "worksheet, or a CSV with the columns learner and submitted_at "
                            "(zip and file times are never used)")
    grade.add_argument("--late-penalty", metavar="RULE",
                       help="e.g. 10%%/day, 2/day, 5%%/hour, 10%% or 2 (once); taken from the "
                            "maximum score, per started day or hour, never below 0")
    grade.add_argument("--grace", metavar="TIME", help="grace period after the deadline: 15m, 2h")
    grade.add_argument("--timezone", default="Europe/London",
                       help="timezone for --due and zip file times (default Europe/London)")
    grade.add_argument("--layout", choices=["nbgrader", "moodle", "canvas", "flat"],
                       help="force the layout instead of detecting it")
    answers = grade.add_mutually_exclusive_group()
    answers.add_argument("--show-correct-answers", dest="show_answers", action="store_const",
                         const=True, help="show correct answers in feedback (overrides the "
                                          "course setting)")
    answers.add_argument("--hide-correct-answers", dest="show_answers", action="store_const",
                         const=False, help="never show correct answers in feedback")
    grade.add_argument("--debrief-answers", choices=["show", "hide"],
                       help="whether the debrief deck (debrief.html) reveals answers, rules and "
                            "principles (default: as the feedback does)")
    grade.add_argument("--max-file-mb", type=float, default=512, metavar="MB",
                       help="largest notebook read (default 512 MB; bigger files are problems)")
    grade.add_argument("--time-limit", type=float, default=60, metavar="SECONDS",
                       help="longest time spent reading one submission (default 60); a file "
                            "that takes longer is a problem, everyone else is graded")
    grade.add_argument("--max-zip-mb", type=float, default=4096, metavar="MB",
                       help="largest total a zip may expand to (default 4096 MB)")
    progress = grade.add_mutually_exclusive_group()
    progress.add_argument("--progress", dest="progress", action="store_const", const=True,
                          help="always show the progress bar (default: only on a terminal)")
    progress.add_argument("--no-progress", dest="progress", action="store_const", const=False)
    grade.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    release = commands.add_parser(
        "release", help="rebuild solutions/ and exercises/ from grader/keys (make exercises)",
        description="Rebuild nbgrader's source (solutions/) and release (exercises/) notebooks "
                    "from the answer keys, in a checkout of the course.")
    release.add_argument("--check", action="store_true",
                         help="compare with the committed notebooks instead of writing "
                              "(exit status 1 when they are out of date)")
    solutions = commands.add_parser(
        "solutions", help="write nbgrader's source notebooks (solutions/) only",
        description="Write nbgrader's source notebooks from the answer keys.")
    solutions.add_argument("--dest", type=Path, metavar="DIR",
                           help="folder to write into (default: the checkout's solutions/)")
    debrief = commands.add_parser(
        "debrief", help="(re)build the debrief deck from a results folder",
        description="Write DIR/debrief.html, the deck a trainer puts on the projector: the "
                    "items the group found hardest and the rules behind them, no learner "
                    "named. The grade command writes it too.")
    debrief.add_argument("assignment", metavar="ASSIGNMENT",
                         help="the exercise, e.g. ex01_classify_posts")
    debrief.add_argument("results", metavar="DIR", type=Path,
                         help="a results folder written by the grade command (its items.csv)")
    debrief.add_argument("--answers", choices=["show", "hide"],
                         help="reveal answers, rules and principles in the room (default: "
                              "the course's setting for feedback)")
    return parser


def _debrief(args: argparse.Namespace) -> int:
    from grader.cohort import debrief
    from grader.exercise import UnknownExercise, load_released

    try:
        exercise = load_released(args.assignment)
        answers = debrief.answers_from_results(args.results)
    except (UnknownExercise, ValueError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    known = {item.id for item in exercise.auto_items}
    if len(answers) and not set(answers["item"]) & known:
        print(f"Error: {args.results / 'items.csv'} holds no item of {exercise.id}; is it "
              "another exercise's results?", file=sys.stderr)
        return 1
    reveal = exercise.show_answers if args.answers is None else args.answers == "show"
    path = debrief.write(args.results, answers, exercise, reveal)
    if path is None:
        print(f"No debrief deck: it needs at least {debrief.MIN_LEARNERS} graded learners "
              "(with fewer, a share could point to a person) and items marked automatically.",
              file=sys.stderr)
        return 1
    print(f"Debrief deck written: {path}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    """Parse the command line and run; return the exit status."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "certificates":
        from grader.certificates.cli import main as certificates

        return certificates(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "release":
        from grader import release

        return release.main(["--check"] if args.check else [])
    if args.command == "solutions":
        from grader import build_solutions

        return build_solutions.main(["--dest", str(args.dest)] if args.dest else [])
    if args.command == "debrief":
        return _debrief(args)
    if args.command != "grade":
        parser.print_help(sys.stderr)
        return 1
    return grade(args)


def grade(args: argparse.Namespace) -> int:
    """The ``grade`` subcommand: check the options, then run the cohort pipeline."""
    from grader.cohort.late import (
        LatePolicy,
        LateSettingError,
        parse_duration,
        parse_penalty,
        read_time,
        zone,
    )
    from grader.cohort.pipeline import Options, run
    from grader.cohort.zipsafe import ZipLimits

    try:
        tz = zone(args.timezone)
        due_read = read_time(args.due, tz) if args.due else None
        due = due_read.moment if due_read else None
        penalty = parse_penalty(args.late_penalty)
        grace = parse_duration(args.grace)
    except LateSettingError as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    if (args.late_penalty or args.grace) and due is None:
        print("Error: --late-penalty and --grace need a deadline: add --due.", file=sys.stderr)
        return 1
    if args.submission_times is not None and due is None:
        print("Error: --submission-times is for late penalties: add --due.", file=sys.stderr)
        return 1
    if args.submission_times is not None and not args.submission_times.is_file():
        print(f"Error: there is no file at {args.submission_times}.", file=sys.stderr)
        return 1
    if (args.jobs < 0 or args.batch_size < 1 or args.max_file_mb <= 0 or args.max_zip_mb <= 0
            or args.time_limit <= 0):
        print("Error: --jobs, --batch-size, --max-file-mb, --max-zip-mb and --time-limit must "
              "be positive.", file=sys.stderr)
        return 1
    if args.course_dir is not None and args.no_gradebook:
        print("Error: --course-dir is for formgrader, which needs the gradebook: drop "
              "--no-gradebook.", file=sys.stderr)
        return 1
    out = args.out.resolve()
    autograded = (args.course_dir or args.out).resolve() / "autograded"
    for source in args.submissions:
        if source.exists() and source.is_dir() and out.is_relative_to(source.resolve()):
            print(f"Error: the results folder {args.out} is inside the submissions folder "
                  f"{source}; choose a folder outside it.", file=sys.stderr)
            return 1
        read = source / "submitted" if (source / "submitted").is_dir() else source
        if source.is_dir() and autograded.is_relative_to(read.resolve()):
            print(f"Error: the course folder {args.course_dir} would put formgrader's copies "
                  f"inside the submissions folder {source}; choose another --course-dir.",
                  file=sys.stderr)
            return 1
    max_bytes = int(args.max_file_mb * 2**20)
    options = Options(
        assignment_id=args.assignment, sources=list(args.submissions), out=args.out,
        db_url=args.db, gradebook=not args.no_gradebook, course_dir=args.course_dir,
        course_id=args.course_id,
        batch_size=args.batch_size,
        jobs=args.jobs, pseudonymise=args.pseudonymise, secret_file=args.secret_file,
        late=LatePolicy(due, penalty, grace), timezone=args.timezone, layout=args.layout,
        show_answers=args.show_answers, max_bytes=max_bytes,
        debrief_answers=None if args.debrief_answers is None else args.debrief_answers == "show",
        zip_limits=ZipLimits(max_member_bytes=max_bytes,
                             max_total_bytes=int(args.max_zip_mb * 2**20)),
        progress=args.progress, quiet=args.quiet, submission_times=args.submission_times,
        due_words=due_read.echo() if due_read else "", time_limit=args.time_limit)
    return run(options)


if __name__ == "__main__":
    sys.exit(main())
