"""``make exercises``: rebuild ``solutions/`` from the keys, then ``exercises/`` from it.

The release is made by nbgrader's own ``generate_assignment`` (with the course's configuration)
inside a temporary course folder, so no gradebook or other stray file is left in the
repository; only the released notebooks are copied into ``exercises/``. Cell ids are stable,
so the result is byte-identical from run to run. ``--check`` compares instead of writing and
exits with status 1 when the committed notebooks are out of date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

from grader.build_solutions import NOT_A_CHECKOUT, ROOT, SOLUTIONS, in_checkout, write_all
from grader.exercise import EXERCISE_IDS

EXERCISES = ROOT / "exercises"


def _ensure_tools_on_path() -> None:
    """nbgrader's gradebook runs the ``alembic`` executable that sits next to this Python."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


def generate(solutions: Path, dest: Path, assignment_ids=EXERCISE_IDS) -> list[Path]:
    """Release every assignment of ``solutions`` into ``dest`` (``dest/ID/ID.ipynb``)."""
    from nbgrader.apps import NbGraderAPI

    from grader.nbconfig import course_config

    _ensure_tools_on_path()
    written = []
    with tempfile.TemporaryDirectory(prefix="pwc-release-") as tmp:
        course = Path(tmp)
        shutil.copytree(solutions, course / "solutions")
        config = course_config(course, exchange_root=course / "exchange")
        api = NbGraderAPI(config=config)
        for assignment_id in assignment_ids:
            result = api.generate_assignment(assignment_id, force=True, create=True)
            if not result["success"]:
                raise RuntimeError(
                    f"nbgrader could not release {assignment_id}:\n{result.get('log', '')}"
                    f"\n{result.get('error', '')}"
                )
            name = f"{assignment_id}.ipynb"
            target = Path(dest) / assignment_id / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(course / "exercises" / assignment_id / name, target)
            written.append(target)
    return written


def _differences(built: Path, committed: Path, assignment_ids) -> list[str]:
    problems = []
    for assignment_id in assignment_ids:
        relative = Path(assignment_id) / f"{assignment_id}.ipynb"
        new, old = built / relative, committed / relative
        if not old.exists():
            problems.append(f"{committed.name}/{relative} is missing")
        elif new.read_bytes() != old.read_bytes():
            problems.append(f"{committed.name}/{relative} is out of date")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare with the committed notebooks instead of writing")
    args = parser.parse_args(argv)
    if not in_checkout():
        print(NOT_A_CHECKOUT.format(root=ROOT), file=sys.stderr)
        return 1
    if args.check:
        with tempfile.TemporaryDirectory(prefix="pwc-check-") as tmp:
            solutions, exercises = Path(tmp) / "solutions", Path(tmp) / "exercises"
            write_all(solutions)
            generate(solutions, exercises)
            problems = (_differences(solutions, SOLUTIONS, EXERCISE_IDS)
                        + _differences(exercises, EXERCISES, EXERCISE_IDS))
        for problem in problems:
            print(problem, "- run `make exercises`", file=sys.stderr)
        return 1 if problems else 0
    write_all(SOLUTIONS)
    for path in generate(SOLUTIONS, EXERCISES):
        print(f"released {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
