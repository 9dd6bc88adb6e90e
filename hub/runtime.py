"""The room's shared runtime: one virtual environment every account can run, and the proxy.

The venv is built from a Python every account can read (Debian's ``/usr/bin/python3`` by
default; a Python under root's home fails for them). It holds JupyterHub, JupyterLab, nbgrader and
the learner's side of the course (``course/``), the released exercises (``exercises/``, no
answers) and the room code (``hub/``), but **not**
``grader/``: the answer keys stay in the trainer's private course folder. Dependencies are
reinstalled only when ``pyproject.toml`` changes; the course code is copied in on every open.
The proxy is npm's ``configurable-http-proxy``, installed under the runtime folder.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

PROXY_PACKAGE = "configurable-http-proxy@5.3.0"
DEFAULT_PYTHON = "/usr/bin/python3"
# Learner-side packages copied into the shared runtime; grader/ (keys) never is.
SHARED_PACKAGES = ("course", "hub")
NOT_SHARED = ("authoring", "__pycache__", ".ipynb_checkpoints")


class RuntimeErrorMessage(RuntimeError):
    """The runtime could not be built; the message says what to do."""


def requirements(repo: Path) -> list[str]:
    project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras = project["optional-dependencies"]
    # the assessor's extras too: the trainer runs the cohort command in this runtime
    return [*project["dependencies"], *extras["assessor"], *extras["hub"]]


def _run(command: list[str], what: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-15:])
        raise RuntimeErrorMessage(f"{what} failed:\n{tail}")


def site_packages(venv: Path) -> Path:
    found = sorted(venv.glob("lib/python3*/site-packages"))
    if not found:
        raise RuntimeErrorMessage(f"{venv} has no site-packages")
    return found[-1]


def _make_readable(path: Path) -> None:
    subprocess.run(["chmod", "-R", "a+rX", str(path)], check=True)


def build(runtime_dir: Path, repo: Path, *, python: str = DEFAULT_PYTHON,
          log=print) -> Path:
    """Build or refresh the shared venv and the proxy under ``runtime_dir``; return the venv."""
    runtime_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(runtime_dir, 0o755)
    with open(runtime_dir / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        venv = _venv(runtime_dir / "venv", repo, python, log)
        _copy_course(venv, repo)
        _proxy(runtime_dir / "proxy", log)
        _make_readable(runtime_dir)
    return venv


def _venv(venv: Path, repo: Path, python: str, log) -> Path:
    wanted = requirements(repo)
    stamp = hashlib.sha256("\n".join([python, *wanted]).encode()).hexdigest()
    stamp_file = venv / ".posting-with-care-deps"
    if stamp_file.exists() and stamp_file.read_text().strip() == stamp:
        _own_scripts(venv, log)
        return venv
    if not Path(python).exists():
        raise RuntimeErrorMessage(
            f"{python} is missing; the hub needs a Python every account can run "
            "(Debian: apt-get install python3 python3-venv), or give --python")
    log(f"hub: building the shared runtime in {venv} (a minute or two, once) …")
    if venv.exists():
        shutil.rmtree(venv)
    _run([python, "-m", "venv", str(venv)], f"{python} -m venv")
    _run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", *wanted],
         "installing the hub's Python packages")
    stamp_file.write_text(stamp)
    return venv


def _own_scripts(venv: Path, log) -> None:
    """A venv copied or moved from elsewhere keeps ``#!`` lines naming the original's Python,
    so the hub and every server would run the original's packages and course code: point
    them at this venv's own Python."""
    own = f"#!{venv / 'bin' / 'python'}"
    moved = 0
    for script in (venv / "bin").iterdir():
        if script.is_symlink() or not script.is_file():
            continue
        with script.open("rb") as handle:
            first = handle.readline()
        if not (first.startswith(b"#!/") and first.rstrip().endswith(b"/bin/python")):
            continue
        if first.decode(errors="replace").rstrip() != own:
            text = script.read_bytes()
            script.write_bytes(own.encode() + b"\n" + text[len(first):])
            moved += 1
    if moved:
        log(f"hub: {moved} scripts in {venv}/bin named another venv's Python; now its own")


def _copy_course(venv: Path, repo: Path) -> None:
    target = site_packages(venv)
    for name in SHARED_PACKAGES:
        shutil.rmtree(target / name, ignore_errors=True)
        shutil.copytree(repo / name, target / name,
                        ignore=shutil.ignore_patterns(*NOT_SHARED))
    # The app finds the released exercises (no answers, no key) beside the course package.
    shutil.rmtree(target / "exercises", ignore_errors=True)
    shutil.copytree(repo / "exercises", target / "exercises",
                    ignore=shutil.ignore_patterns(*NOT_SHARED))
    # Never leave the trainer's package in the shared runtime (it holds the keys).
    shutil.rmtree(target / "grader", ignore_errors=True)


def _proxy(prefix: Path, log) -> Path:
    command = prefix / "node_modules" / ".bin" / "configurable-http-proxy"
    if command.exists():
        return command
    npm = shutil.which("npm")
    if not npm:
        raise RuntimeErrorMessage("npm is missing; the hub's proxy comes from npm "
                                  "(Debian: apt-get install npm)")
    log(f"hub: installing {PROXY_PACKAGE} from npm …")
    prefix.mkdir(parents=True, exist_ok=True)
    _run([npm, "install", "--prefix", str(prefix), "--no-audit", "--no-fund", "--loglevel=error",
          PROXY_PACKAGE], f"npm install {PROXY_PACKAGE}")
    return command


if __name__ == "__main__":  # python -m hub.runtime RUNTIME_DIR: build only
    print(build(Path(sys.argv[1]), Path(__file__).resolve().parents[1]))
