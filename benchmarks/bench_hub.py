"""A room of 30 on one machine: `python benchmarks/bench_hub.py [--learners 30]` (root; minutes).

Opens a real room (`python -m hub open`, loopback, throw-away accounts), then measures:

* **time to an interactive lesson for everyone**: from the moment all learners ask for their
  servers at once (each after signing in with their own password) until every learner has the
  app's Lesson 3 page rendered by Voilà, its kernel running (the page's widgets are live);
  beside it, for scale, the same learners' plain JupyterLab page (`/lab`) in the same run;
* **memory per learner**: the resident memory of each learner's processes (their server and
  the lesson's kernel), and the hub's own (hub, proxy, services);
* **vote to count**: for each learner's vote, the time until the trainer's count shows it.

Results are printed and written to `benchmarks/results/hub-<date>.json`; the figures recorded
in docs/hub.md come from here. Every account, process and folder is removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from hub_room import close_room, open_room, why_not  # noqa: E402

LESSON = "voila/render/course-app/03-never-disclose.ipynb"


def rss_mib(uid: int) -> float:
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid != uid:
                continue
            with open(f"/proc/{pid}/status") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _status(pid: str) -> dict[str, str]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return fields


def hub_rss_mib(room, learner_uids: set[int]) -> float:
    """The hub's own processes (hub, proxy, vote service, culler): its tree, less learners'."""
    children: dict[str, list[str]] = {}
    statuses = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            statuses[pid] = _status(pid)
        except OSError:
            continue
        children.setdefault(statuses[pid]["PPid"], []).append(pid)
    total, todo = 0, [str(room.process.pid)]
    while todo:
        pid = todo.pop()
        todo.extend(children.get(pid, []))
        status = statuses.get(pid)
        if status and int(status["Uid"].split()[0]) not in learner_uids:
            total += int(status.get("VmRSS", "0 kB").split()[0])
    return total / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=30)
    args = parser.parse_args()
    reason = why_not()
    if reason:
        print(f"bench_hub: {reason}", file=sys.stderr)
        return 1
    import pwd

    load_before = os.getloadavg()[0]
    started = time.monotonic()
    room = open_room(args.learners, tag="bn")
    opened = time.monotonic() - started
    results: dict = {"learners": args.learners, "open_room_s": round(opened, 1)}
    try:
        people = [room.user(name) for name in room.learners]
        for person in people:
            assert person.login(), person.name
            person.make_token()

        def lesson(person) -> float:
            t0 = time.monotonic()
            person.start_server()
            person.wait_server(timeout=900)
            page = person.server("GET", LESSON, timeout=900)
            assert page.status_code == 200, (person.name, page.status_code)
            return time.monotonic() - t0

        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.learners) as pool:
            each = list(pool.map(lesson, people))
        results["all_have_a_lesson_s"] = round(time.monotonic() - t0, 1)
        results["lesson_s_median"] = round(statistics.median(each), 1)
        results["lesson_s_max"] = round(max(each), 1)

        mem = [rss_mib(pwd.getpwnam(p.name).pw_uid) for p in people]
        results["memory_per_learner_mib_median"] = round(statistics.median(mem), 0)
        results["memory_per_learner_mib_max"] = round(max(mem), 0)
        uids = {pwd.getpwnam(p.name).pw_uid for p in people}
        results["hub_processes_mib"] = round(hub_rss_mib(room, uids), 0)

        def lab(person) -> float:
            t0 = time.monotonic()
            assert person.server("GET", "lab", timeout=600).status_code == 200
            return time.monotonic() - t0

        t0 = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.learners) as pool:
            labs = list(pool.map(lab, people))
        results["plain_jupyterlab_page_all_s"] = round(time.monotonic() - t0, 1)
        results["plain_jupyterlab_page_s_median"] = round(statistics.median(labs), 2)

        trainer = room.user(room.trainer)
        assert trainer.login()
        t_xsrf = trainer.vote_xsrf()
        tokens = [person.vote_xsrf() for person in people]
        trainer.vote_api("POST", "open", t_xsrf, json={"post": "p003"})
        latencies = []
        for n, (person, xsrf) in enumerate(zip(people, tokens, strict=True), start=1):
            t0 = time.monotonic()
            person.vote_api("POST", "vote", xsrf, json={"choice": "acceptable"})
            while trainer.vote_api("GET", "state", t_xsrf).json()["votes"] < n:
                pass
            latencies.append(time.monotonic() - t0)
        results["vote_to_count_ms_median"] = round(1000 * statistics.median(latencies), 1)
        results["vote_to_count_ms_max"] = round(1000 * max(latencies), 1)
    finally:
        close_room(room)
    results["date"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = (f"{platform.node()}: {os.cpu_count()} cores, "
                          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f}"
                          f" GiB, load average before the run {load_before:.1f}")
    out = REPO / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"hub-{datetime.now(UTC):%Y%m%d-%H%M}.json"
    path.write_text(json.dumps(results, indent=2))
    for key, value in results.items():
        print(f"{key:36} {value}")
    print(f"written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
