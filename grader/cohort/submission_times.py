"""Submission times the assessor trusts, from a file they pass with ``--submission-times``.

Zip entry times and file modification times say when a file was packed or copied, never when
a learner submitted, so lateness comes only from nbgrader's ``timestamp.txt`` or from this file:

- **Moodle's grading worksheet** (Assignment → *Download grading worksheet*): learners by
  ``Identifier`` (``Participant 12345``), times from ``Last modified (submission)``
  (``Tuesday, 1 December 2026, 4:12 PM``, read in ``--timezone``; ``-`` means none);
- **any CSV** with a ``learner`` column (the id this command uses: Moodle participant number,
  Canvas user id, nbgrader student id, or the flat file's name) and a ``submitted_at`` column
  (``2026-12-01 16:12``, ``1 Dec 2026 16:12``, with an optional zone).

A time that cannot be read for certain stops the run with the row named: we never guess.
"""

from __future__ import annotations

import csv
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from .ids import tidy
from .late import LateSettingError, read_time

_PARTICIPANT = re.compile(r"^\s*participant\s+(\d+)\s*$", re.I)
_LEARNER = ("learner", "learner id", "student", "student id", "id", "identifier", "user id")
_TIME = ("submitted_at", "submitted at", "submitted", "submission time",
         "last modified (submission)")
_EMPTY = {"", "-", "—", "none", "never"}


class SubmissionTimesError(ValueError):
    """The submission-times file cannot be used; the message names the file and row."""


def read(path: Path, default_zone: ZoneInfo) -> dict[str, datetime]:
    """Learner id → submission time (aware, UTC), from ``path``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise SubmissionTimesError(
            f"The submission-times file {path} could not be read ({error}).") from None
    reader = csv.DictReader(text.splitlines())
    header = {(name or "").strip().casefold(): name for name in (reader.fieldnames or [])}
    learner_col = next((header[n] for n in _LEARNER if n in header), None)
    time_col = next((header[n] for n in _TIME if n in header), None)
    if learner_col is None or time_col is None:
        raise SubmissionTimesError(
            f"The submission-times file {path.name} needs a learner column and a time column: "
            "Moodle's grading worksheet (Identifier, Last modified (submission)) or a CSV with "
            "the columns learner and submitted_at.")
    found: dict[str, datetime] = {}
    for number, row in enumerate(reader, start=2):
        raw_id = (row.get(learner_col) or "").strip()
        raw_time = (row.get(time_col) or "").strip()
        if not raw_id or raw_time.casefold() in _EMPTY:
            continue
        participant = _PARTICIPANT.match(raw_id)
        learner = participant[1] if participant else tidy(raw_id)
        try:
            found[learner] = read_time(raw_time, default_zone).moment
        except LateSettingError as error:
            raise SubmissionTimesError(
                f"Line {number} of {path.name} (learner {raw_id}): {error}") from None
    return found
