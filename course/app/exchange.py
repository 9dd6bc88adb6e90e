"""Handing an exercise in, and getting feedback back, through nbgrader's exchange (hosted course).

Used when the app runs on the course's JupyterHub (``POSTING_WITH_CARE_SUBMIT=exchange``). It
runs nbgrader's own commands as the learner, from their home folder, with the settings the hub
gives every learner's server (the exchange folder and the course id):

* *Submit*: fetch the released exercise once (``~/exNN_slug/``), put the learner's copy from
  the app in it, and ``nbgrader submit``; handing in again replaces the earlier hand-in (the
  latest counts when the trainer collects);
* feedback: ``nbgrader fetch_feedback``, then the newest page in
  ``~/exNN_slug/feedback/<time>/exNN_slug.html`` (nbgrader gives each learner only their own);
  :func:`fetched_feedback` and :func:`feedback_score` read what is already fetched, without
  running nbgrader (for the home page and a reloaded exercise page);
* :func:`is_released`: whether the trainer has released an exercise, read from the exchange's
  ``outbound/`` folder named by the same settings (what ``nbgrader list`` reads), again without
  running nbgrader.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

#: What a learner is told once their answers are in the exchange.
HANDED_IN_NOTE = ("Your trainer will collect it. You can still change your answers and hand in "
                  "again until then: the latest hand-in counts.")
# A feedback page heads its notebook with "(score 13 of 26)" (the course's template,
# grader/templates/feedback/; tests/test_nbgrader.py reads real pages with it) or
# "(Score: 13.0 / 26.0)" (nbgrader's own).
SCORE = re.compile(r"\(score:?\s*([0-9.]+)\s*(?:/|of)\s*([0-9.]+)\)", re.IGNORECASE)


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
    return HANDED_IN_NOTE


def feedback_page(exercise_id: str) -> Path | None:
    """The learner's newest feedback page for ``exercise_id`` (fetched first), or None."""
    _nbgrader("fetch_feedback", exercise_id)
    return fetched_feedback(exercise_id)


def fetched_feedback(exercise_id: str) -> Path | None:
    """The newest feedback page already fetched for ``exercise_id`` (nothing is run), or None."""
    folder = _home() / exercise_id / "feedback"
    pages = sorted(folder.glob(f"*/{exercise_id}.html")) if folder.is_dir() else []
    return pages[-1] if pages else None


def feedback_score(page: Path) -> tuple[float, float] | None:
    """(score, out of) from the top of a feedback page nbgrader made, or None if it has none."""
    match = SCORE.search(page.read_text(encoding="utf-8", errors="replace"))
    return (float(match[1]), float(match[2])) if match else None


def _settings() -> tuple[str, str] | None:
    """(exchange root, course id) from the nbgrader settings this server runs with, or None."""
    from jupyter_core.paths import jupyter_config_path
    from traitlets.config import Config
    from traitlets.config.loader import ConfigFileNotFound, PyFileConfigLoader

    merged = Config()
    for folder in reversed(jupyter_config_path()):  # the first folder has the last word
        try:
            merged.merge(PyFileConfigLoader("nbgrader_config.py", path=folder).load_config())
        except ConfigFileNotFound:
            continue
    root = merged.get("Exchange", {}).get("root")
    course_id = merged.get("CourseDirectory", {}).get("course_id")
    return (str(root), str(course_id)) if root and course_id else None


def is_released(exercise_id: str) -> bool | None:
    """Whether the trainer has released ``exercise_id`` to the exchange; None when this server
    has no exchange settings (so nobody can say)."""
    found = _settings()
    if found is None:
        return None
    root, course_id = found
    return (Path(root) / course_id / "outbound" / exercise_id).is_dir()
