"""Read cohort results folders (``python -m grader grade … --out RESULTS``) and decide who has
earned a certificate.

Each RESULTS folder is one exercise. Which exercise it is comes from ``run.json`` (written by
the cohort command) or, for older folders, from the exercise column of
``lms/canvas-gradebook.csv``. A learner earns a certificate when, in **every** folder given,
they are ``graded`` (not a problem, no written part still to mark) with a score of at least
the pass mark. A pseudonymised folder has no names, so it can issue no named certificate: the
whole run is refused.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from .claims import nfc


class ResultsError(ValueError):
    """Results that cannot be used; the message names the folder and says why."""


@dataclass(frozen=True)
class PassMark:
    """``70%`` (of each exercise's maximum)."""

    percent: float

    @classmethod
    def parse(cls, text: str) -> PassMark:
        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*%\s*", text or "")
        if not found or not 0 < float(found.group(1)) <= 100:
            raise ResultsError(f"The pass mark '{text}' is not a percentage between 1% and "
                               "100%, such as 70%.")
        return cls(float(found.group(1)))

    def reached(self, score: float, max_score: float) -> bool:
        return max_score > 0 and score * 100 >= self.percent * max_score - 1e-9

    def __str__(self) -> str:
        return f"{self.percent:g}%"


@dataclass(frozen=True)
class Result:
    """One learner's row in one exercise's grades.csv."""

    exercise: str
    status: str
    score: float | None
    max_score: float
    name: str


@dataclass
class Learner:
    learner: str
    results: dict[str, Result] = field(default_factory=dict)


@dataclass(frozen=True)
class ResultsFolder:
    path: Path
    exercise: str
    rows: dict[str, Result]


def _exercise_of(folder: Path) -> str:
    info = folder / "run.json"
    if info.is_file():
        try:
            data = json.loads(info.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise ResultsError(f"{info} cannot be read.") from None
        if data.get("pseudonymised"):
            raise _pseudonymised(folder)
        if isinstance(data.get("exercise"), str):
            return data["exercise"]
    canvas = folder / "lms" / "canvas-gradebook.csv"
    try:
        with canvas.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
    except OSError:
        header = []
    if len(header) == 6 and header[0] == "Student":
        return header[-1]
    raise ResultsError(f"{folder} does not say which exercise it holds (no run.json): run "
                       "'python -m grader grade' again to make it.")


def _pseudonymised(folder: Path) -> ResultsError:
    return ResultsError(
        f"{folder} was graded with --pseudonymise, so it holds codes, not names, and cannot "
        "issue named certificates. Grade the exercise again without --pseudonymise (into "
        "another folder) and issue the certificates from that.")


def _text(cell: str | None) -> str:
    """A CSV cell as written by the cohort command, with its formula guard taken off."""
    cell = cell or ""
    return cell[1:] if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") \
        else cell


def _number(text: str, where: str) -> float | None:
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise ResultsError(f"{where}: '{text}' is not a number.") from None


def read_folder(folder: Path) -> ResultsFolder:
    grades = folder / "grades.csv"
    if not grades.is_file():
        raise ResultsError(f"{folder} is not a results folder: it has no grades.csv.")
    exercise = _exercise_of(folder)
    with grades.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        if "learner" not in header or "status" not in header or "score" not in header:
            raise ResultsError(f"{grades} is not a grades file made by the cohort command.")
        if "name" not in header:
            raise _pseudonymised(folder)
        rows: dict[str, Result] = {}
        for line, row in enumerate(reader, start=2):
            where = f"{grades}, line {line}"
            learner = _text(row["learner"])
            max_score = _number(row.get("max_score", ""), where) or 0.0
            rows[learner] = Result(exercise, row["status"], _number(row["score"], where),
                                   max_score, nfc(_text(row.get("name"))))
    return ResultsFolder(folder, exercise, rows)


def read_names(path: Path) -> dict[str, str]:
    """A names file: CSV with columns ``learner`` and ``name`` (the name as it should be
    printed); it overrides the names in the results."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            if not {"learner", "name"} <= set(reader.fieldnames or []):
                raise ResultsError(f"{path} needs two columns headed 'learner' and 'name'.")
            return {row["learner"].strip(): nfc(row["name"]) for row in reader
                    if row["learner"].strip() and nfc(row["name"] or "")}
    except OSError as error:
        raise ResultsError(f"Cannot read {path}: {error.strerror or error}.") from None


@dataclass(frozen=True)
class Decision:
    """What happens to one learner: a certificate (``name`` set, ``reason`` empty) or not."""

    learner: str
    name: str
    results: tuple[Result, ...]
    reason: str = ""
    problem: bool = False

    @property
    def issue(self) -> bool:
        return not self.reason


def decide(folders: list[ResultsFolder], pass_mark: PassMark,
           names: dict[str, str]) -> list[Decision]:
    """One decision per learner found in any folder, in a stable order."""
    seen = [f.exercise for f in folders]
    duplicates = sorted({e for e in seen if seen.count(e) > 1})
    if duplicates:
        raise ResultsError(f"Two results folders hold the same exercise ({', '.join(duplicates)})"
                           ": give one folder per exercise.")
    learners = sorted({learner for f in folders for learner in f.rows})
    return [_decide_one(learner, folders, pass_mark, names) for learner in learners]


def _decide_one(learner: str, folders: list[ResultsFolder], pass_mark: PassMark,
                names: dict[str, str]) -> Decision:
    found = tuple(f.rows[learner] for f in folders if learner in f.rows)
    given = sorted({r.name for r in found if r.name})
    name = names.get(learner) or (given[0] if len(given) == 1 else "")
    missing = [f.exercise for f in folders if learner not in f.rows]
    if missing:
        return Decision(learner, name, found, "no result for " + ", ".join(missing))
    problems = [r.exercise for r in found if r.status == "problem"]
    if problems:
        return Decision(learner, name, found, "could not be graded in " + ", ".join(problems))
    waiting = [r.exercise for r in found if r.status != "graded"]
    if waiting:
        return Decision(learner, name, found,
                        "written parts still to be marked in " + ", ".join(waiting))
    below = [f"{r.exercise} ({r.score:g} of {r.max_score:g})" for r in found
             if r.score is None or not pass_mark.reached(r.score, r.max_score)]
    if below:
        return Decision(learner, name, found,
                        f"below the pass mark of {pass_mark} in " + ", ".join(below))
    if not name:
        reason = ("the results give different names (" + " / ".join(given) + ")"
                  if len(given) > 1 else "the results give no name")
        return Decision(learner, name, found,
                        reason + ": add the learner to a names file (--names)", problem=True)
    return Decision(learner, name, found)
