"""``python -m grader certificates …`` (also ``posting-with-care-grade certificates …``):

    certificates keygen ~/keys/provider.key                     make the key pair
    certificates RESULTS… --pass-mark 70% --key K --provider P --out DIR    issue
    certificates verify CERT.pdf --public-key provider.pub      check a certificate (or a code)
    certificates page --public-key provider.pub --provider P --out verify.html

Exit status: 0 done (issue: every learner decided; verify: genuine); 1 nothing could be done,
or (verify) not genuine; 2 (issue) some learners need your attention (listed, with the reason,
in certificates.csv).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import NoReturn

EXIT_OK, EXIT_FATAL, EXIT_ATTENTION = 0, 1, 2
COMMANDS = ("issue", "keygen", "verify", "page")

EPILOG = """\
examples:
  python -m grader certificates keygen ~/posting-with-care-keys/provider.key
  python -m grader certificates marking/ex01 marking/ex02 marking/ex03 --pass-mark 70% \\
      --key ~/posting-with-care-keys/provider.key --provider "Northfield Counselling Training" \\
      --out marking/certificates
  python -m grader certificates verify certificate-jsmith.pdf --public-key provider.pub
  python -m grader certificates page --public-key provider.pub \\
      --provider "Northfield Counselling Training" --out verify.html
"""


class _Parser(argparse.ArgumentParser):
    """argparse, but a command line it cannot understand exits with 1 (nothing could be
    done), as documented; 2 means some learners need attention."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_FATAL, f"{self.prog}: error: {message}\n")


def _issue_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m grader certificates",
        description="Issue a signed certificate (PDF) to every learner who reached the pass "
                    "mark in every exercise given. Other commands: keygen, verify, page "
                    "(python -m grader certificates verify --help).",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="+", type=Path, metavar="RESULTS",
                        help="results folders made by 'python -m grader grade', one per "
                             "exercise")
    parser.add_argument("--pass-mark", required=True, metavar="PERCENT",
                        help="the pass mark in each exercise, e.g. 70%%")
    parser.add_argument("--key", required=True, type=Path, metavar="FILE",
                        help="the provider's private key (made by 'certificates keygen')")
    parser.add_argument("--provider", required=True, metavar="NAME",
                        help="the provider's name, as printed on the certificates")
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help="folder for the certificates (created, owner-only)")
    parser.add_argument("--names", type=Path, metavar="CSV",
                        help="names as they should be printed: a CSV file with columns "
                             "'learner' and 'name' (overrides the names in the results)")
    parser.add_argument("--date", metavar="YYYY-MM-DD",
                        help="date of issue (default: today)")
    parser.add_argument("--verify-url", default="", metavar="URL",
                        help="address where you publish the verification page; the QR code "
                             "then opens it with the certificate filled in")
    return parser


def _command_parser(command: str) -> argparse.ArgumentParser:
    prog = f"python -m grader certificates {command}"
    if command == "keygen":
        parser = _Parser(
            prog=prog, description="Make the provider's key pair: the private key (mode "
            "0600; keep it safe, never share it, never put it in git or a learner's folder) "
            "and the public key beside it (.pub; publish it).")
        parser.add_argument("key", type=Path, metavar="FILE",
                            help="the private key to make, e.g. ~/posting-with-care-keys/"
                                 "provider.key")
        parser.add_argument("--public", type=Path, metavar="FILE",
                            help="the public key to make (default: FILE with .pub)")
    elif command == "verify":
        parser = _Parser(
            prog=prog, description="Check a certificate: that it was signed with this public "
            "key and that it shows exactly what was signed.")
        parser.add_argument("certificate", metavar="CERT",
                            help="the certificate's PDF, or its verification text")
        parser.add_argument("--public-key", required=True, type=Path, metavar="FILE",
                            help="the provider's public key (.pub)")
    else:
        parser = _Parser(
            prog=prog, description="Make the static verification page: one HTML file with "
            "the provider's public key in it, to publish or send. It checks certificates in "
            "the browser, offline.")
        parser.add_argument("--public-key", required=True, type=Path, metavar="FILE")
        parser.add_argument("--provider", required=True, metavar="NAME")
        parser.add_argument("--out", required=True, type=Path, metavar="FILE",
                            help="the page to write, e.g. verify.html")
    return parser


def main(argv: list[str]) -> int:
    """Run one certificates command; return the exit status."""
    command = argv[0] if argv and argv[0] in COMMANDS else "issue"
    if argv and argv[0] in COMMANDS:
        argv = argv[1:]
    if command == "issue":
        return _issue(_issue_parser().parse_args(argv))
    args = _command_parser(command).parse_args(argv)
    return {"keygen": _keygen, "verify": _verify, "page": _page}[command](args)


def _error(text: str) -> int:
    print(f"Error: {text}", file=sys.stderr)
    return EXIT_FATAL


def _keygen(args: argparse.Namespace) -> int:
    from .keys import KeyProblem, generate

    public = args.public or args.key.with_suffix(".pub")
    try:
        generate(args.key, public)
    except KeyProblem as error:
        return _error(str(error))
    except OSError as error:
        return _error(f"could not write {error.filename}: {error.strerror or error}.")
    print(f"Made the private key {args.key} (yours only: keep it safe and never share it) "
          f"and the public key {public} (publish it, with the verification page).")
    return EXIT_OK


def _verify(args: argparse.Namespace) -> int:
    from .keys import KeyProblem, load_public
    from .verify import check_code, check_pdf

    try:
        key = load_public(args.public_key)
    except KeyProblem as error:
        return _error(str(error))
    path = Path(args.certificate)
    if path.suffix.lower() == ".pdf" or path.is_file():
        verdict = check_pdf(path, key)
    else:
        verdict = check_code(args.certificate, key)
    print(verdict.message)
    return EXIT_OK if verdict else EXIT_FATAL


def _page(args: argparse.Namespace) -> int:
    from .keys import KeyProblem, load_public
    from .page import render

    try:
        key = load_public(args.public_key)
    except KeyProblem as error:
        return _error(str(error))
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(render(key, " ".join(args.provider.split())), encoding="utf-8")
    except OSError as error:
        return _error(f"could not write {args.out}: {error.strerror or error}.")
    print(f"Made the verification page {args.out}. Publish it (or send it) as it is: it holds "
          "the public key and needs nothing else.")
    return EXIT_OK


def course_exercises_not_given(given: list[str]) -> list[str]:
    """The course's assessed exercises (as "Exercise 2: title") not among ``given``."""
    from grader.exercise import exercise_ids, load_exercise

    missing = [load_exercise(i) for i in exercise_ids() if i not in set(given)]
    return [f"Exercise {e.key.number}: {e.title}" for e in missing]


def _issue(args: argparse.Namespace) -> int:
    from course import pdf
    from grader.cohort.outputs import private_dir

    from .issue import issue
    from .keys import KeyProblem, load_private
    from .results import PassMark, ResultsError, decide, read_folder, read_names

    try:
        pass_mark = PassMark.parse(args.pass_mark)
        issued = date.fromisoformat(args.date) if args.date else date.today()
    except ResultsError as error:
        return _error(str(error))
    except ValueError:
        return _error(f"--date '{args.date}' is not a date like 2026-12-01.")
    if not " ".join(args.provider.split()):
        return _error("--provider needs the provider's name.")
    out = args.out.resolve()
    if args.key.resolve().is_relative_to(out):
        return _error(f"the private key {args.key} is inside the certificates folder {args.out}, "
                      "which goes to learners. Keep the key somewhere else.")
    reason = pdf.unavailable_reason()
    if reason:
        return _error(f"certificates are PDFs, and PDFs cannot be made here: {reason}")
    try:
        key = load_private(args.key)
        folders = [read_folder(folder) for folder in args.results]
        names = read_names(args.names) if args.names else {}
        decisions = decide(folders, pass_mark, names)
        private_dir(out)
        done = issue(folders, decisions, out, key, provider=args.provider,
                     pass_mark=pass_mark, issued=issued, verify_url=args.verify_url)
    except (KeyProblem, ResultsError) as error:
        return _error(str(error))
    except OSError as error:
        return _error(f"could not read or write {error.filename or 'a file'}: "
                      f"{error.strerror or error}.")
    issued_count = sum(bool(i.claims) for i in done)
    attention = [i.decision for i in done if i.decision.problem]
    exercises = ", ".join(f.exercise for f in folders)
    print(f"{issued_count} certificate{'s' if issued_count != 1 else ''} issued, "
          f"{len(done) - issued_count} not issued, for {exercises} at a pass mark of "
          f"{pass_mark}. Every learner is listed in {out / 'certificates.csv'}.")
    missing = course_exercises_not_given([f.exercise for f in folders])
    if missing:
        print("Note: these certificates cover only the exercise"
              f"{'s' if len(folders) != 1 else ''} given ({exercises}), not the whole course: "
              f"{', '.join(missing)} {'was' if len(missing) == 1 else 'were'} not given. Each "
              "certificate lists the exercises it covers and says it covers no other. To "
              "certify the whole course, give every exercise's results folder.",
              file=sys.stderr)
    for decision in attention:
        print(f"  Needs your attention: {decision.learner}: {decision.reason}.", file=sys.stderr)
    return EXIT_ATTENTION if attention else EXIT_OK
