"""Learner app speed: from opening a lesson's address to its first usable widget, in Chromium.

Three ways of opening the same lesson, measured in the same run on the same machine:

1. **app, warm**: ``python -m course.app.course`` as ``make course`` starts it (Voilà with
   ``preheat_kernel`` and a pool of one ready kernel per page), after the pools are filled,
   in a fresh browser (nothing cached); and **from the home page**: the same, but the learner
   arrives from the home page, so the browser already holds Voilà's front end (the usual way
   into a lesson);
2. **app, cold**: the same app with ``--VoilaConfiguration.preheat_kernel=False`` (a kernel is
   started for each page load);
3. **JupyterLab**: the lesson opened in plain JupyterLab (``make lab``'s server), waiting for the
   kernel, then *Run ▸ Run All Cells*, as a learner had to before.

"First usable widget" = the first practice post's verdict radios are visible and enabled,
which is when a click on them works. Each way is timed ``--repeats`` times (fresh browser
context each time); the median is reported, with the ratio JupyterLab / app.
Not part of ``make test``: ``python benchmarks/bench_app.py`` (about 3 minutes on 2 cores).
Results go to ``benchmarks/results/app-*.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests" / "browser"))

import appserver  # noqa: E402
import labdriver  # noqa: E402
import labserver  # noqa: E402
from playwright.sync_api import sync_playwright  # noqa: E402

from course.app import site  # noqa: E402

LESSON = "03-never-disclose"
FIRST_WIDGET = ".pwc-classify .pwc-verdict input[type=radio]"
CHROMIUM = os.environ.get("PWC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def first_widget_seconds(browser, url: str, *, lab: bool = False,
                         arrive_from: str | None = None) -> float:
    """Seconds from going to ``url`` to its first usable widget, in a fresh browser context;
    with ``arrive_from``, that page is opened first (as a learner comes from the home page, so
    the browser already holds the app's front end) and only the move to ``url`` is timed."""
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    context.set_default_timeout(120_000)
    page = context.new_page()
    try:
        if arrive_from:
            page.goto(arrive_from)
            page.locator(".pwc-home").first.wait_for(state="visible")
        started = time.monotonic()
        page.goto(url)
        if lab:
            labdriver.wait_for_kernel_idle(page, 120_000)
            labdriver.run_all(page, 120_000)
        radio = page.locator(FIRST_WIDGET).first
        radio.wait_for(state="visible")
        page.wait_for_function("(el) => !el.disabled", arg=radio.element_handle())
        return time.monotonic() - started
    finally:
        context.close()


def wait_for_pools(server: appserver.AppServer, lesson_fills: int, timeout: float = 300) -> None:
    """Wait until every page's pool has been filled once and the lesson's ``lesson_fills``
    times (each load takes its ready kernel; Voilà then fills the pool again)."""
    pages = len(site.all_pages())
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = server.log.read_text(encoding="utf-8", errors="replace")
        filled = re.findall(r"Kernel pool of (\S+)\.ipynb is filled", log)
        if len(set(filled)) >= pages and filled.count(LESSON) >= lesson_fills:
            return
        time.sleep(0.5)
    raise RuntimeError(f"the kernel pools were not filled:\n{server.log_tail()}")


def time_app(browser, work: Path, repeats: int, warm: bool,
             from_home: bool = False) -> list[float]:
    extra = [] if warm else ["--VoilaConfiguration.preheat_kernel=False"]
    home = work / ("warm" if warm else "cold") / ("from-home" if from_home else "direct")
    home.mkdir(parents=True)
    port = labserver.free_port()
    server = appserver.start(home, home / "learner", token=secrets.token_hex(8), port=port,
                             cmd=appserver.command(port, extra))
    times = []
    try:
        for _ in range(repeats):
            if warm:
                wait_for_pools(server, lesson_fills=len(times) + 1)
                time.sleep(3)  # the machine settles, as it would while a learner reads
            times.append(first_widget_seconds(
                browser, server.page_url(LESSON),
                arrive_from=server.page_url(site.HOME) if from_home else None))
    finally:
        appserver.stop(server)
    return times


def time_lab(browser, work: Path, repeats: int) -> list[float]:
    home = work / "lab"
    root = home / "project"
    root.mkdir(parents=True)
    for name in ("course", "exercises"):
        shutil.copytree(ROOT / name, root / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    port, token = labserver.free_port(), secrets.token_hex(8)
    env = labserver.isolated_env(home)
    env["POSTING_WITH_CARE_HOME"] = str(home / "learner")
    server = labserver.start(labserver.jupyterlab_command(sys.executable, root, port, token),
                             port=port, token=token, root=root, env=env, log=home / "lab.log")
    times = []
    try:
        for index in range(repeats):
            url = server.url(f"lab/workspaces/bench-{index}/tree/course/lessons/{LESSON}.ipynb")
            times.append(first_widget_seconds(browser, url, lab=True))
            server.shut_down_kernels()
    finally:
        labserver.stop(server)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="pwc-bench-app-") as scratch, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            work = Path(scratch)
            results["app, warm (preheated kernel)"] = time_app(browser, work, args.repeats, True)
            results["app, warm, from the home page"] = time_app(browser, work, args.repeats,
                                                                True, from_home=True)
            results["app, cold (kernel per load)"] = time_app(browser, work, args.repeats, False)
            results["JupyterLab (open, kernel, Run All)"] = time_lab(browser, work, args.repeats)
        finally:
            browser.close()
    medians = {name: statistics.median(times) for name, times in results.items()}
    lab = medians["JupyterLab (open, kernel, Run All)"]
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ")
    report = {"lesson": LESSON, "measured": when, "cores": os.cpu_count(),
              "machine": platform.platform(), "repeats": args.repeats, "seconds": results,
              "median": medians,
              "jupyterlab_over_app": {n: lab / m for n, m in medians.items() if m}}
    lines = [f"# Learner app: lesson {LESSON}, address to first usable widget ({when})", "",
             f"{os.cpu_count()} cores, {args.repeats} loads each, median seconds.", "",
             "| way | median s | all s | JupyterLab ÷ this |", "|---|---|---|---|"]
    for name, times in results.items():
        ratio = lab / medians[name] if medians[name] else float("nan")
        lines.append(f"| {name} | {medians[name]:.2f} | "
                     f"{', '.join(f'{t:.2f}' for t in times)} | {ratio:.1f}× |")
    args.out.mkdir(parents=True, exist_ok=True)
    stem = args.out / f"app-{re.sub(r'[^0-9TZ]', '', when)}"
    stem.with_suffix(".json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    stem.with_suffix(".md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
