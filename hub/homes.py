"""What each account's home holds, and the settings every server reads.

* A learner's home (0700) gets the learner app's pages (``course-app/``, where they land) and
  the lessons for JupyterLab (saving one keeps it as it was).
* The trainer's home (0700) gets the course folder: ``grader/`` with the answer keys,
  ``solutions/`` (nbgrader's source), ``exercises/`` (its release), the facilitator's guide, an
  ``nbgrader_config.py`` pointing at the room's exchange, and the trainer's home page. The
  gradebook, ``submitted/``, ``autograded/``, ``feedback/`` and cohort results appear there too.
* ``etc/learner`` and ``etc/trainer`` hold the Jupyter and nbgrader settings of each role.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
from pathlib import Path

import nbformat

from hub.room import APP_FOLDER, COURSE_ID, SESSION_BUILDER_URL, VOTE_PATH, Room

# Copied into the trainer's course folder on every open (code and keys, never records).
TRAINER_COPIES = ("grader", "solutions", "exercises")
IGNORE = shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints", "*.pyc")

NBGRADER_CONFIG_TRAINER = '''\
"""nbgrader settings for this room's course (written by `python -m hub open`)."""
import sys
from pathlib import Path

HERE = Path({course!r})
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from grader.nbconfig import course_config  # noqa: E402  (the trainer's copy, with the keys)

c = get_config()  # noqa: F821
c.merge(course_config(HERE, exchange_root={exchange!r}))
'''

NBGRADER_CONFIG_LEARNER = '''\
"""nbgrader settings for every learner in this room (written by `python -m hub open`)."""
c = get_config()  # noqa: F821
c.Exchange.root = {exchange!r}
c.CourseDirectory.course_id = {course_id!r}
'''

LEARNER_SERVER_CONFIG = {
    "ServerApp": {
        # learners get the assignment list (fetch, submit, feedback), never the formgrader
        "jpserver_extensions": {
            "nbgrader.server_extensions.formgrader": False,
            "nbgrader.server_extensions.course_list": False,
        },
    },
    "FileContentsManager": {"pre_save_hook": "course.app.lab.keep_lessons_unchanged"},
    "VoilaConfiguration": {"template": "posting-with-care", "show_tracebacks": False},
    "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"},
}
LEARNER_PAGE_CONFIG = {
    "disabledExtensions": {
        "@jupyter/nbgrader:formgrader": True,
        "@jupyter/nbgrader:create-assignment": True,
        "@jupyter/nbgrader:course-list": True,
    }
}
TRAINER_SERVER_CONFIG = {
    # the app's pages (the session builder, which presents) in the app's own page template
    "VoilaConfiguration": {"template": "posting-with-care", "show_tracebacks": False},
    "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"},
}


def _chown_tree(path: Path, user: str) -> None:
    subprocess.run(["chown", "-R", f"{user}:{user}", str(path)], check=True)


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)


def write_settings(room: Room) -> None:
    """The room-wide settings folders (learner: world-readable; trainer: trainer-only)."""
    learner = room.learner_config
    _write(learner / "nbgrader_config.py",
           NBGRADER_CONFIG_LEARNER.format(exchange=str(room.exchange), course_id=COURSE_ID))
    _write(learner / "jupyter_server_config.json", json.dumps(LEARNER_SERVER_CONFIG, indent=1))
    _write(learner / "labconfig" / "page_config.json", json.dumps(LEARNER_PAGE_CONFIG, indent=1))
    for folder in (room.root, room.root / "etc", learner, learner / "labconfig"):
        os.chmod(folder, 0o755)

    trainer = room.trainer_config
    _write(trainer / "nbgrader_config.py", trainer_nbgrader_config(room), 0o600)
    _write(trainer / "jupyter_server_config.json", json.dumps(TRAINER_SERVER_CONFIG, indent=1),
           0o600)
    os.chmod(trainer, 0o700)
    _chown_tree(trainer, room.trainer)

    room.exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(room.exchange, 0o1777)


def trainer_nbgrader_config(room: Room) -> str:
    return NBGRADER_CONFIG_TRAINER.format(course=str(room.course_dir),
                                          exchange=str(room.exchange))


def app_pages(home: Path, user: str, pages: Path) -> None:
    """The learner app's pages in ``home/course-app`` (replaced on every open)."""
    app = home / APP_FOLDER
    shutil.rmtree(app, ignore_errors=True)
    shutil.copytree(pages, app)
    _chown_tree(app, user)


def learner_home(room: Room, user: str, repo: Path, pages: Path) -> None:
    home = Path(pwd.getpwnam(user).pw_dir)
    app_pages(home, user, pages)
    lessons = home / "course" / "lessons"
    lessons.mkdir(parents=True, exist_ok=True)
    for notebook in sorted((repo / "course" / "lessons").glob("*.ipynb")):
        shutil.copy2(notebook, lessons / notebook.name)
    _chown_tree(home / "course", user)
    os.chmod(home, 0o700)


def trainer_home(room: Room, repo: Path, roster_csv: Path | None, pages: Path) -> None:
    """The trainer's course folder, home page, and the app's pages (the session builder
    presents sessions, with the room's vote)."""
    app_pages(room.home(room.trainer), room.trainer, pages)
    course = room.course_dir
    course.mkdir(parents=True, exist_ok=True)
    for name in TRAINER_COPIES:
        shutil.rmtree(course / name, ignore_errors=True)
        shutil.copytree(repo / name, course / name, ignore=IGNORE)
    guide = course / "facilitator"
    shutil.rmtree(guide, ignore_errors=True)
    shutil.copytree(repo / "course" / "facilitator", guide, ignore=IGNORE)
    _write(course / "nbgrader_config.py", trainer_nbgrader_config(room), 0o600)
    if roster_csv is not None:
        shutil.copy2(roster_csv, course / "roster.csv")
    nbformat.write(trainer_home_notebook(room), course / "trainer-home.ipynb")
    _chown_tree(room.home(room.trainer), room.trainer)
    os.chmod(course, 0o700)
    os.chmod(room.home(room.trainer), 0o700)


def trainer_home_notebook(room: Room) -> nbformat.NotebookNode:
    user = f"/user/{room.trainer}"
    builder = f"{user}{SESSION_BUILDER_URL}"
    text = f"""# Posting with Care: the trainer's home

Everything here is yours alone: learners cannot open this folder.

| | |
|---|---|
| **Formgrader** (release, collect, mark, feedback) | [open in its own tab]({user}/formgrader/) |
| **Present a session** (press V on a post: the room votes) | [session builder]({builder}) |
| **Room vote** on its own (any post; open, reveal the split) | [open the vote]({VOTE_PATH}) |
| **Facilitator's guide** | [facilitator-guide.ipynb](facilitator/facilitator-guide.ipynb) |
| **Hub control panel** (who is online, start or stop servers) | [/hub/admin](/hub/admin) |

## Running an exercise with the room

1. **Release**: Formgrader ▸ Manage Assignments ▸ *Generate*, then *Release*
   (or in a terminal here: `nbgrader generate_assignment ex01_classify_posts`
   and `nbgrader release_assignment ex01_classify_posts`).
2. Learners fetch it, answer it and press **Submit**.
3. **Collect**: Formgrader ▸ *Collect* (or `nbgrader collect ex01_classify_posts`).
4. **Grade the cohort** in a terminal in this folder:

       python -m grader grade ex01_classify_posts submitted --out cohort/ex01 --course-dir .

   `cohort/ex01/report.html` is the room's debrief (add `--pseudonymise` for the projector).
5. **Feedback**: Formgrader ▸ *Generate Feedback*, then *Release Feedback*
   (or `nbgrader generate_feedback ex01_classify_posts` and
   `nbgrader release_feedback ex01_classify_posts`). Each learner sees only their own.

Keys (`grader/keys/`), `solutions/`, the gradebook and every cohort result stay in this folder.
"""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(text, id="trainer-home")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def import_roster(room: Room, roster_csv: Path) -> None:
    """Put the roster in the trainer's gradebook so formgrader lists everyone."""
    run_as(room, room.trainer, ["nbgrader", "db", "student", "import", str(course_roster(room))],
           cwd=room.course_dir, check=True)


def course_roster(room: Room) -> Path:
    return room.course_dir / "roster.csv"


def run_as(room: Room, user: str, command: list[str], *, cwd: Path,
           check: bool = False, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run ``command`` as ``user`` with the room's runtime and that role's settings."""
    home = pwd.getpwnam(user).pw_dir
    env = {**room.environment(user), "HOME": home, "USER": user}
    result = subprocess.run(
        ["runuser", "-u", user, "--", "env", "-i", *[f"{k}={v}" for k, v in env.items()],
         *command],
        cwd=cwd, capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} as {user} failed:\n"
                           f"{result.stderr[-2000:]}{result.stdout[-1000:]}")
    return result
