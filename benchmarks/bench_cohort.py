"""Cohort grading speed: our command against plain ``nbgrader autograde``, same run, same cohort.

For each cohort size (default 100 and 1,000 learners of ex01, built from the released notebook
with :mod:`synthetic`), this script:

1. times ``python -m grader grade`` on the whole cohort (fresh SQLite gradebook, default jobs);
2. times stock, sequential ``nbgrader autograde`` (nbgrader's default pipeline with ``Execute``:
   one kernel per notebook, the baseline an assessor has today) on the first ``--stock-sample``
   learners of the same cohort; for a larger cohort the stock time is extrapolated as
   start-up + per-learner time x N (both measured here; the report says so);
3. runs ``nbgrader autograde`` with the course's own scoring configuration
   (``LiteralScoring`` in place of ``Execute``) on the first ``--verify-sample`` learners and
   checks that our scores equal nbgrader's, learner by learner (and that every one of our
   scores equals the score the synthetic learner was built to earn).

Results are printed and written to ``benchmarks/results/`` (JSON and Markdown). Not part of
``make test``: run ``python benchmarks/bench_cohort.py`` (about 10 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import synthetic  # noqa: E402

ASSIGNMENT = "ex01_classify_posts"
OUR_CONFIG = """\
import sys
sys.path.insert(0, {root!r})
from grader.nbconfig import course_config
c = get_config()
c.merge(course_config({course!r}))
"""
STOCK_CONFIG = """\
# nbgrader's defaults: autograde runs every notebook in a fresh kernel (Execute).
c = get_config()
c.CourseDirectory.root = {course!r}
c.CourseDirectory.course_id = {course_id!r}
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "exercises"
c.CourseDirectory.db_url = "sqlite:///{course}/gradebook.db"
"""


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    return env


def _run(command: list[str], cwd: Path, allowed: tuple[int, ...] = (0, 2)) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=_env(), capture_output=True, text=True)
    took = time.perf_counter() - start
    if result.returncode not in allowed:
        raise RuntimeError(f"{' '.join(command)} failed ({result.returncode}):\n"
                           f"{result.stderr[-3000:]}")
    return took


def make_course(folder: Path, exercise, learners, config: str) -> Path:
    """A course folder: solutions/, the gradebook with the assignment, submitted/ learners."""
    from grader.nbconfig import COURSE_ID

    folder.mkdir(parents=True)
    shutil.copytree(ROOT / "solutions" / ASSIGNMENT, folder / "solutions" / ASSIGNMENT)
    (folder / "nbgrader_config.py").write_text(
        OUR_CONFIG.format(root=str(ROOT), course=str(folder)), encoding="utf-8")
    _run([str(Path(sys.executable).parent / "nbgrader"), "generate_assignment", ASSIGNMENT,
          "--force"], folder)
    if config == "stock":
        (folder / "nbgrader_config.py").write_text(
            STOCK_CONFIG.format(course=str(folder), course_id=COURSE_ID), encoding="utf-8")
    synthetic.write_nbgrader(folder, exercise, learners)
    return folder


def autograde(course: Path) -> float:
    return _run([str(Path(sys.executable).parent / "nbgrader"), "autograde", ASSIGNMENT], course)


def nbgrader_scores(course: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        return {s.student.id: float(s.score - s.late_submission_penalty)
                for s in gradebook.assignment_submissions(ASSIGNMENT)}


def our_scores(out: Path) -> dict[str, float]:
    with open(out / "grades.csv", encoding="utf-8", newline="") as handle:
        return {row["learner"]: float(row["score"]) for row in csv.DictReader(handle)}


def bench(size: int, work: Path, stock_sample: int, verify_sample: int, jobs: int) -> dict:
    from grader.exercise import load_released

    exercise = load_released(ASSIGNMENT)
    learners = synthetic.make_learners(exercise, size, seed=size)
    expected = {learner.learner_id: learner.expected for learner in learners}
    cohort = make_course(work / f"ours-{size}", exercise, learners, "ours")

    print(f"[{size}] our command on {size} learners …", flush=True)
    command = [sys.executable, "-m", "grader", "grade", ASSIGNMENT, str(cohort / "submitted"),
               "--out", str(work / f"results-{size}"), "--quiet"]
    if jobs:
        command += ["--jobs", str(jobs)]
    ours = _run(command, ROOT)
    scores = our_scores(work / f"results-{size}")
    assert scores == expected, "our scores differ from the scores the learners were built for"

    stock_n = min(size, stock_sample)
    stock_course = make_course(work / f"stock-{size}", exercise, learners[:stock_n], "stock")
    print(f"[{size}] stock nbgrader autograde (Execute) on {stock_n} learners …", flush=True)
    # start-up cost: the same command with no learner to grade (it exits 1, "no notebooks")
    stock_start = _run([str(Path(sys.executable).parent / "nbgrader"), "autograde", ASSIGNMENT,
                        "--student", "nobody-at-all"], stock_course, allowed=(0, 1))
    stock = autograde(stock_course)
    per_learner = max(0.0, stock - stock_start) / stock_n
    stock_estimate = stock if stock_n == size else stock_start + per_learner * size

    verify_n = min(size, verify_sample)
    verify_course = make_course(work / f"verify-{size}", exercise, learners[:verify_n], "ours")
    print(f"[{size}] nbgrader autograde with the course's LiteralScoring on {verify_n} "
          "learners …", flush=True)
    literal = autograde(verify_course)
    theirs = nbgrader_scores(verify_course)
    mine = {k: v for k, v in scores.items() if k in theirs}
    assert len(theirs) == verify_n and mine == theirs, "scores differ from nbgrader's"
    return {
        "learners": size, "our_seconds": round(ours, 1),
        "stock_sample": stock_n, "stock_sample_seconds": round(stock, 1),
        "stock_startup_seconds": round(stock_start, 1),
        "stock_seconds_per_learner": round(per_learner, 3),
        "stock_seconds": round(stock_estimate, 1), "stock_extrapolated": stock_n != size,
        "speedup": round(stock_estimate / ours, 1),
        "literal_sample": verify_n, "literal_sample_seconds": round(literal, 1),
        "scores_equal_nbgrader": True, "scores_equal_expected": True,
    }


def markdown(results: list[dict], info: dict) -> str:
    lines = [
        f"Measured {info['when']} on {info['cores']} cores ({info['machine']}), load average "
        f"{info['load_before']} before and {info['load_after']} after; Python "
        f"{info['python']}, nbgrader {info['nbgrader']}.",
        "",
        "| learners | our command | stock `nbgrader autograde` (Execute) | faster by | "
        "scores equal nbgrader's (LiteralScoring) |",
        "|---:|---:|---:|---:|---|",
    ]
    for r in results:
        stock = (f"{r['stock_seconds']:.0f} s (measured on {r['stock_sample']}: "
                 f"{r['stock_sample_seconds']:.0f} s; {r['stock_startup_seconds']:.1f} s start-up"
                 f" + {r['stock_seconds_per_learner']:.2f} s per learner, extrapolated)"
                 if r["stock_extrapolated"] else f"{r['stock_seconds']:.0f} s")
        lines.append(f"| {r['learners']:,} | {r['our_seconds']:.1f} s | {stock} | "
                     f"{r['speedup']:.0f}× | yes, {r['literal_sample']} of {r['learners']:,} "
                     f"learners checked ({r['literal_sample_seconds']:.0f} s) |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    parser.add_argument("--stock-sample", type=int, default=100)
    parser.add_argument("--verify-sample", type=int, default=100)
    parser.add_argument("--jobs", type=int, default=0, help="--jobs for our command (0: cores)")
    parser.add_argument("--results", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    import nbgrader

    info = {"when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "cores": len(os.sched_getaffinity(0)), "machine": platform.machine(),
            "python": platform.python_version(), "nbgrader": nbgrader.__version__,
            "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg())}
    results = []
    with tempfile.TemporaryDirectory(prefix="pwc-bench-") as tmp:
        for size in args.sizes:
            results.append(bench(size, Path(tmp), args.stock_sample, args.verify_sample,
                                 args.jobs))
            print(json.dumps(results[-1]), flush=True)
    info["load_after"] = " ".join(f"{x:.1f}" for x in os.getloadavg())
    table = markdown(results, info)
    print()
    print(table)
    args.results.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    (args.results / f"cohort-{stamp}.json").write_text(
        json.dumps({"info": info, "results": results}, indent=2), encoding="utf-8")
    (args.results / f"cohort-{stamp}.md").write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
