"""``python -m course.runtime.cpd verify FILE``: check that a CPD record has not been edited.

Exit status: 0 unchanged, 1 changed (or not a CPD record), 2 the file cannot be read.
"""

from __future__ import annotations

import argparse
import sys

from course.runtime.cpd.code import verify


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course.runtime.cpd",
        description="Check a Posting with Care CPD record against its verification code.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("verify", help="check that a CPD record has not been edited")
    check.add_argument("file", help="the record, e.g. cpd-record-2025-03-14.html")
    args = parser.parse_args(argv)
    try:
        result = verify(args.file)
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or "it is not a text file"
        print(f"Cannot read {args.file}: {reason}.", file=sys.stderr)
        return 2
    print(result.message)
    return 0 if result else 1


if __name__ == "__main__":
    sys.exit(main())
