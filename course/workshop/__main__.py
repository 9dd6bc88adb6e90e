"""The trainer's commands: ``python -m course.workshop list | present SESSION | print``.

- ``list``: the ready-made sessions and your own, with how many items each has.
- ``present SESSION``: write the session's presentation (one self-contained HTML file) and open
  it in the browser; ``--out FILE`` to choose where, ``--no-open`` to only write it.
- ``print``: write the facilitator's guide and the handouts as PDFs (``--out DIR``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from course.catalogue.scenarios import ContentError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m course.workshop",
        description="Posting with Care for trainers: present a session on a projector, and "
                    "print the guide and handouts.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("list", help="list the sessions you can present")
    present = commands.add_parser("present", help="write a session's presentation and open it")
    present.add_argument("session", metavar="SESSION", help="a session id (see 'list')")
    present.add_argument("--out", type=Path, metavar="FILE",
                         help="where to write it (default: your course folder's presentations/)")
    present.add_argument("--no-open", action="store_true", help="write it, do not open it")
    printing = commands.add_parser("print", help="write the guide and handouts as PDFs")
    printing.add_argument("--out", type=Path, default=Path("workshop-print"), metavar="DIR",
                          help="folder for the PDFs (default: workshop-print)")
    printing.add_argument("--html", action="store_true",
                          help="also keep the HTML each PDF is made from")
    return parser


def _list() -> int:
    from course.workshop import sessions

    found, problems = sessions.all_sessions()
    ready = sessions.ready_made()
    for session in found.values():
        where = "ready-made" if session.id in ready else "yours"
        print(f"{session.id:32} {len(session.items):3} items  {where:10}  {session.title}")
    for problem in problems:
        print(f"Note: {problem}", file=sys.stderr)
    return 0


def _present(args: argparse.Namespace) -> int:
    from course.workshop import present, sessions

    session = sessions.find(args.session)
    path = present.write(session, args.out)
    print(f"Presentation written: {path}")
    if not args.no_open and not present.open_in_browser(path):
        print("Open that file in a web browser (it works offline).")
    print("Keys: → or PageDown next, ← or PageUp back, R reveal, F full screen, B blank.")
    return 0


def _print(args: argparse.Namespace) -> int:
    from course.workshop import printables

    for path in printables.write_all(args.out, keep_html=args.html):
        print(f"Written: {path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    actions = {"list": lambda: _list(), "present": lambda: _present(args),
               "print": lambda: _print(args)}
    if args.command not in actions:
        parser.print_help(sys.stderr)
        return 1
    try:
        return actions[args.command]()
    except (ContentError, OSError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
