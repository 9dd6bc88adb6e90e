"""Shared by the tests that run the real nbgrader CLI in a temporary course."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIN = Path(sys.executable).parent

# nbgrader_config.py for a temporary course: the course's own settings, rooted there.
CONFIG = """\
from pathlib import Path
from grader.nbconfig import course_config
c = get_config()
here = Path(__file__).resolve().parent
c.merge(course_config(here, exchange_root=here / "exchange"))
"""


def nbgrader(course: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run the venv's `nbgrader` in `course` (with the venv's bin/ on PATH for `alembic`)."""
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("PWC_SHOW_ANSWERS", None)
    return subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env,
                          capture_output=True, text=True, timeout=timeout)
