"""Where the grader finds the course's files at run time: answer keys and released notebooks.

Both are package data, so an installed ``posting-with-care`` grades from any folder:
``grader/keys/*.yaml``, and the released exercise notebooks, which the wheel carries as
``grader/releases/<id>/<id>.ipynb`` (copied from ``exercises/`` when the package is built).
In a checkout (an editable install) the release is read from ``exercises/`` itself.

One setting overrides both, for an assessor who keeps their own copy of the course (edited
keys, re-released with ``make exercises``): the environment variable
``POSTING_WITH_CARE_COURSE`` names a course folder holding ``exercises/<id>/<id>.ipynb`` and,
optionally, ``grader/keys/<id>.yaml``.
"""

from __future__ import annotations

import os
from pathlib import Path

COURSE_ENV = "POSTING_WITH_CARE_COURSE"
PACKAGE = Path(__file__).resolve().parent
PACKAGED_KEYS = PACKAGE / "keys"
PACKAGED_RELEASES = PACKAGE / "releases"
CHECKOUT_RELEASES = PACKAGE.parent / "exercises"


def course_folder() -> Path | None:
    """The course folder named by ``POSTING_WITH_CARE_COURSE``, if any."""
    value = os.environ.get(COURSE_ENV, "").strip()
    return Path(value).expanduser().resolve() if value else None


def keys_dir() -> Path:
    """The folder of answer keys: the course folder's ``grader/keys`` if it has one."""
    course = course_folder()
    if course is not None and (course / "grader" / "keys").is_dir():
        return course / "grader" / "keys"
    return PACKAGED_KEYS


def release_notebook(exercise_id: str) -> Path:
    """The released notebook of an exercise: from the course folder when one is set, else the
    package's copy, else the checkout's ``exercises/`` (the first that exists; the course
    folder's path when none does, so that the error names where it was looked for)."""
    relative = Path(exercise_id) / f"{exercise_id}.ipynb"
    course = course_folder()
    if course is not None:
        return course / "exercises" / relative
    for folder in (PACKAGED_RELEASES, CHECKOUT_RELEASES):
        if (folder / relative).is_file():
            return folder / relative
    return CHECKOUT_RELEASES / relative
