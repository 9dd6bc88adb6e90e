"""`make lab`: open JupyterLab on the welcome lesson, from the project folder.

Extra JupyterLab arguments come through ``LAB_ARGS``, e.g. ``make lab LAB_ARGS=--no-browser``.

The course runs with a JupyterLab settings folder of its own (``~/.posting-with-care/jupyter``),
so it opens the same way for everyone: no news pop-ups, and a small style sheet that hides the
one-line code cells behind the activities. Lessons are generated files: saving one in JupyterLab
keeps it exactly as it was, so a learner's session never changes the course.
"""

from __future__ import annotations

import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[2]
WELCOME = "course/lessons/01-welcome.ipynb"
READ_ONLY_FOLDERS = ("course/lessons/", "course/facilitator/")
SETTINGS_HOME_ENV = "POSTING_WITH_CARE_HOME"

CUSTOM_CSS = """\
/* Posting with Care: lesson code cells are one hidden line each; show no trace of them. */
.jp-Notebook .jp-InputPlaceholder { display: none; }
"""
NOTIFICATION_SETTINGS = {"fetchNews": "false", "checkForUpdates": False}


def course_config_dir() -> Path:
    home = os.environ.get(SETTINGS_HOME_ENV)
    base = Path(home) if home else Path.home() / ".posting-with-care"
    return base / "jupyter"


def prepare_config_dir(config_dir: Path) -> Path:
    """Write the course's JupyterLab settings into ``config_dir`` (kept if already there)."""
    custom = config_dir / "custom"
    custom.mkdir(parents=True, exist_ok=True)
    (custom / "custom.css").write_text(CUSTOM_CSS, encoding="utf-8")
    notification = (
        config_dir / "lab" / "user-settings" / "@jupyterlab" / "apputils-extension"
        / "notification.jupyterlab-settings"
    )
    if not notification.exists():
        notification.parent.mkdir(parents=True, exist_ok=True)
        notification.write_text(json.dumps(NOTIFICATION_SETTINGS), encoding="utf-8")
    return config_dir


def keep_lessons_unchanged(
    model: dict[str, Any], path: str, contents_manager: Any, **_: Any
) -> None:
    """Jupyter pre-save hook: a lesson saved from JupyterLab is written back exactly as it was.

    Lessons are generated from ``course/content``; running one fills it with outputs and widget
    state that belong to the learner's session, not to the course.
    """
    if model.get("type") != "notebook" or not path.lstrip("/").startswith(READ_ONLY_FOLDERS):
        return
    on_disk = Path(contents_manager.root_dir) / path.lstrip("/")
    if on_disk.exists():
        model["content"] = json.loads(on_disk.read_text(encoding="utf-8"))


def lab_command(extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={PROJECT_ROOT}",
        "--LabApp.custom_css=True",
        "--FileContentsManager.pre_save_hook=course.app.lab.keep_lessons_unchanged",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        *extra,
        WELCOME,
    ]


def main(argv: list[str] | None = None) -> None:
    extra = list(sys.argv[1:] if argv is None else argv)
    if len(extra) == 1 and " " in extra[0]:
        extra = shlex.split(extra[0])
    if os.geteuid() == 0 and not any("allow_root" in a for a in extra):
        extra.append("--ServerApp.allow_root=True")
    os.environ["JUPYTER_CONFIG_DIR"] = str(prepare_config_dir(course_config_dir()))
    os.chdir(PROJECT_ROOT)
    print("Opening Posting with Care in JupyterLab. Press Ctrl-C twice here to stop.")
    os.execv(sys.executable, lab_command(extra))


if __name__ == "__main__":
    main()
