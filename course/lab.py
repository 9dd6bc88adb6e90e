"""`make lab`: open JupyterLab on the welcome lesson, from the project folder.

Extra JupyterLab arguments come through ``LAB_ARGS``, e.g. ``make lab LAB_ARGS=--no-browser``.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
WELCOME = "course/lessons/01-welcome.ipynb"


def lab_command(extra: list[str]) -> list[str]:
    return [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={PROJECT_ROOT}",
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
    os.chdir(PROJECT_ROOT)
    print("Opening Posting with Care in JupyterLab. Press Ctrl-C twice here to stop.")
    os.execv(sys.executable, lab_command(extra))


if __name__ == "__main__":
    main()
