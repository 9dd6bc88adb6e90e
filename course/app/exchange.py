"""Handing an exercise in, and getting feedback back, through nbgrader's exchange (hosted course).

Used when the app runs on the course's JupyterHub (``POSTING_WITH_CARE_SUBMIT=exchange``). It
runs nbgrader's own commands as the learner, from their home folder, with the settings the hub
gives every learner's server (the exchange folder and the course id):

* *Submit*: fetch the released exercise once (``~/exNN_slug/``), put the learner's copy from
  the app in it, and ``nbgrader submit``; handing in again replaces the earlier hand-in (the
  latest counts when the trainer collects);
* feedback: ``nbgrader fetch_feedback``, then the newest page in
  ``~/exNN_slug/feedback/<time>/exNN_slug.html`` (nbgrader gives each learner only their own).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path


class ExchangeError(RuntimeError):
    """The exchange could not do it; the message is for the learner."""


def _home() -> Path:
    return Path.home()


def _nbgrader(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}"
                                 f"{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, "-m", "nbgrader", *args],
                          cwd=_home(), env=env, capture_output=True, text=True, timeout=120)


def _said(result: subprocess.CompletedProcess) -> str:
    return (result.stderr + result.stdout).strip()


def submit(exercise_id: str, copy: Path) -> str:
    """Hand in ``copy`` (the app's copy of the exercise); return a sentence for the learner."""
    folder = _home() / exercise_id
    if not (folder / f"{exercise_id}.ipynb").exists():
        fetched = _nbgrader("fetch_assignment", exercise_id)
        if fetched.returncode != 0:
            if "Assignment not found" in _said(fetched):
                raise ExchangeError("Your trainer has not opened this exercise for handing in "
                                    "yet. Your answers are kept; try again when they say so.")
            raise ExchangeError("The course's exchange could not be reached, so nothing was "
                                "handed in. Your answers are kept; please tell your trainer.")
    shutil.copyfile(copy, folder / f"{exercise_id}.ipynb")
    handed = _nbgrader("submit", exercise_id)
    if handed.returncode != 0:
        raise ExchangeError("Your answers could not be handed in just now (the course's exchange "
                            "refused them). They are kept; please tell your trainer.")
    return ("Your trainer will collect it. You can still change your answers and hand in "
            "again until then: the latest hand-in counts.")


def feedback_page(exercise_id: str) -> Path | None:
    """The learner's newest feedback page for ``exercise_id`` (fetched first), or None."""
    _nbgrader("fetch_feedback", exercise_id)
    folder = _home() / exercise_id / "feedback"
    pages = sorted(folder.glob(f"*/{exercise_id}.html")) if folder.is_dir() else []
    return pages[-1] if pages else None
