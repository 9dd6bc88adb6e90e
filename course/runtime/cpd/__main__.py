"""``python -m course.runtime.cpd create [--name NAME] [--reflections] [--pdf]``: make the
learner's CPD record (self-declared) from what the course saved on this computer.

``verify`` (documented in earlier versions) still answers, to say plainly that a CPD record is
self-declared and has nothing to verify.

Exit status: 0 made; 1 not made (the message says why), or ``verify``.
"""

from __future__ import annotations

import argparse
import sys

NOT_VERIFIABLE = (
    "A CPD record from Posting with Care is self-declared: it is the learner's own account, "
    "and nothing in it can be verified, so this command no longer checks records (the "
    "verification code of earlier versions proved nothing). For a record that others can "
    "check, ask your course provider for a signed certificate."
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course.runtime.cpd",
        description="Make your Posting with Care CPD record (self-declared).",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="make the record in the course's private folder")
    create.add_argument("--name", default="", help="your name, as it should appear")
    create.add_argument("--reflections", action="store_true", help="include your reflections")
    create.add_argument("--pdf", action="store_true", help="make a PDF as well as the page")
    old = commands.add_parser("verify", help="(no longer checks anything: records are "
                                             "self-declared)")
    old.add_argument("file", nargs="?")
    args = parser.parse_args(argv)
    if args.command == "verify":
        print(NOT_VERIFIABLE)
        return 1
    from course import pdf
    from course.runtime.cpd import record

    try:
        page = record.create(name=args.name, include_reflections=args.reflections)
        print(f"Made {page}")
        if args.pdf:
            print(f"Made {record.create_pdf(name=args.name, include_reflections=args.reflections)}")
    except pdf.PdfUnavailable as error:
        print(f"{error} The page works all the same: open it and print it.", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"The record could not be saved: {error.strerror or error}.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
