"""The course's one command, ``posting-with-care`` (or ``python -m course``), with subcommands:

* ``course [OPTIONS…]``: open the learner app (what ``make course`` runs; also
  ``python -m course.app.course``);
* ``lab [JUPYTERLAB OPTIONS…]``: open the whole folder in JupyterLab (what ``make lab`` runs;
  also ``python -m course.app.lab``);
* ``cpd create …``: make the learner's CPD record (also ``python -m course.runtime.cpd``);
* ``build-lessons [--check]``: regenerate the lesson notebooks from ``course/content`` (authors,
  in a checkout only; also ``python -m course.authoring.build_lessons``).
"""

from __future__ import annotations

import argparse
import sys


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="posting-with-care",
        description="Posting with Care: open the course, make a CPD record, build lessons.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    app = commands.add_parser("course", help="open the learner app (make course)",
                              description="Open the learner app on the course's home page.")
    app.add_argument("course_args", nargs=argparse.REMAINDER, metavar="OPTIONS")
    lab = commands.add_parser("lab", help="open the course in JupyterLab (make lab)",
                              description="Open the course in JupyterLab, on the welcome "
                                          "lesson; other options go to JupyterLab.")
    lab.add_argument("lab_args", nargs=argparse.REMAINDER, metavar="JUPYTERLAB OPTIONS")
    cpd = commands.add_parser("cpd", help="CPD records: create [--name NAME] [--reflections] "
                                           "[--pdf]",
                              description="Make your CPD record (self-declared).")
    cpd.add_argument("cpd_args", nargs=argparse.REMAINDER, metavar="create …")
    build = commands.add_parser("build-lessons", help="regenerate the lesson notebooks "
                                "(authors, in a checkout)")
    build.add_argument("--check", action="store_true", help="report drift, write nothing")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command == "course":
        from course.app import course

        return course.main(args.course_args)
    if args.command == "lab":
        from course.app import lab

        lab.main(args.lab_args)
        return 0
    if args.command == "cpd":
        from course.runtime.cpd.__main__ import main as cpd_main

        return cpd_main(args.cpd_args)
    if args.command == "build-lessons":
        try:
            from course.authoring import build_lessons
        except ImportError:
            print("Building lessons needs a checkout of the course (the authoring tools are "
                  "not installed with the package).", file=sys.stderr)
            return 1
        return build_lessons.main(["--check"] if args.check else [])
    parser.print_help(sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
