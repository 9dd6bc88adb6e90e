"""The learner app's kernels and its terminal, through the real server (`python -m
course.app.course`) and Chromium: stopping the course (Ctrl-C's SIGINT, a shutdown's SIGTERM)
changes nothing the learner did, start-up and stopping print only the course's own plain lines,
and moving between pages does not leave a kernel behind for each page left.
"""

from __future__ import annotations

import re
import secrets
import signal
from pathlib import Path

import appserver
import pytest
from conftest import AppHolder, open_app_page
from playwright.sync_api import Browser, expect

from course.app import site

pytestmark = pytest.mark.browser

PAGES = len(site.all_pages())  # one kernel kept ready for each (default_pool_size=1)
KEPT_APART = ("logs",)  # what the pages' kernels print, not something the learner did


def snapshot(home: Path) -> dict[str, bytes | None]:
    """Every folder (None) and file (its bytes) in the learner's private folder."""
    return {str(p.relative_to(home)): None if p.is_dir() else p.read_bytes()
            for p in sorted(home.rglob("*")) if p.relative_to(home).parts[0] not in KEPT_APART}


def changes(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> list[str]:
    return sorted({name for name in before.keys() | after.keys()
                   if before.get(name, b"<missing>") != after.get(name, b"<missing>")})


@pytest.fixture(scope="module")
def stopped_twice(tmp_path_factory: pytest.TempPathFactory, browser: Browser) -> dict:
    """One lesson opened and answered; the course stopped with SIGINT, started again (nothing
    opened) and stopped with SIGTERM. What the folder held at each point, and the logs."""
    home = tmp_path_factory.mktemp("app-stop")
    learner = home / "learner"
    token = secrets.token_hex(16)
    seen: dict = {}
    server = appserver.start(home, learner, token=token)
    try:
        appserver.wait_until_settled(server, PAGES)
        context = browser.new_context(viewport={"width": 1366, "height": 850})
        context.set_default_timeout(90_000)
        page = context.new_page()
        page.goto(server.page_url("03-never-disclose"))
        post = page.locator(".pwc-classify").first
        post.get_by_label("not acceptable", exact=True).check()
        post.get_by_role("button", name="Check my answer").click()
        expect(post.locator(".pwc-verdict-feedback")).not_to_have_text("")
        page.locator(".pwc-app-footer").wait_for()
        context.close()  # the tab closed without telling the server (no beforeunload)
        pids = appserver.wait_until_settled(server, PAGES + 1)
        seen["opened"] = snapshot(learner)
        seen["sigint_exit"] = appserver.signal_stop(server, signal.SIGINT)
        seen["after_sigint"] = snapshot(learner)
        seen["sigint_log"] = server.log.read_text(encoding="utf-8", errors="replace")
        seen["left_running"] = {pid for pid in pids if Path(f"/proc/{pid}").exists()}

        server = appserver.start(home, learner, token=token)
        appserver.wait_until_settled(server, PAGES)
        seen["restarted"] = snapshot(learner)
        seen["sigterm_exit"] = appserver.signal_stop(server, signal.SIGTERM)
        seen["after_sigterm"] = snapshot(learner)
        seen["sigterm_log"] = server.log.read_text(encoding="utf-8", errors="replace")
        pages_log = learner / "logs" / "pages.log"
        seen["pages_log_mode"] = pages_log.stat().st_mode & 0o777 if pages_log.exists() else None
    finally:
        appserver.stop(server)
    return seen


def test_stopping_the_course_changes_nothing_the_learner_did(stopped_twice: dict) -> None:
    opened = stopped_twice["opened"]
    activity = opened["activity.json"]
    assert activity is not None and b"03-never-disclose" in activity  # the visit was kept
    assert not any(name.startswith("exercises") for name in opened)  # no exercise opened
    for moment in ("after_sigint", "restarted", "after_sigterm"):
        assert changes(opened, stopped_twice[moment]) == [], moment
    assert not [name for name in stopped_twice["after_sigterm"] if name.endswith(".tmp")]
    assert stopped_twice["left_running"] == set()


def test_starting_and_stopping_print_only_the_courses_own_lines(stopped_twice: dict) -> None:
    for name in ("sigint_log", "sigterm_log"):
        log = stopped_twice[name]
        assert "Posting with Care is starting. Open this address in your browser:" in log
        assert re.search(r"http://127\.0\.0\.1:\d+/voila/render/home\.ipynb\?token=\w+", log)
        assert "Press Ctrl-C here to stop the course" in log
        assert log.rstrip().endswith(
            "The course has stopped. Your progress is kept for next time."), log[-3000:]
        for noise in ("Traceback", "ERROR", "is not trusted", "without encryption",
                      "Kernel started", "Kernel shutdown"):
            assert noise not in log, (name, noise, log[-3000:])
        assert len(log.splitlines()) <= 8, log
    assert stopped_twice["sigint_exit"] == 0 and stopped_twice["sigterm_exit"] == 0
    assert stopped_twice["pages_log_mode"] == 0o600  # what the kernels print goes here


def test_a_page_left_shuts_its_kernel_down(tmp_path_factory: pytest.TempPathFactory,
                                           browser: Browser) -> None:
    holder = AppHolder(tmp_path_factory.mktemp("app-kernels"))
    try:
        appserver.wait_until_settled(holder.server, PAGES)
        context = browser.new_context(viewport={"width": 1366, "height": 850})
        context.set_default_timeout(90_000)
        page = context.new_page()
        for _ in range(4):
            open_app_page(page, holder, "home")
            open_app_page(page, holder, "01-welcome")
        # the pools refilled, one page open: nothing more may be left running
        running = appserver.wait_until_settled(holder.server, PAGES + 1)
        assert len(running) == PAGES + 1, holder.server.log_tail()
        context.close()
        log = holder.server.log.read_text(encoding="utf-8", errors="replace")
        assert not re.search(r"403 POST \S*/voila/api/shutdown", log), log[-3000:]
    finally:
        holder.stop()


def test_a_kernel_whose_page_went_away_is_culled(tmp_path_factory: pytest.TempPathFactory,
                                                 browser: Browser) -> None:
    """The backstop: a page whose tab was closed without a word (no beforeunload) keeps its
    kernel only until it has been idle, with nothing connected, for the cull timeout."""
    home = tmp_path_factory.mktemp("app-cull")
    token = secrets.token_hex(16)
    cull = ["--MappingKernelManager.cull_idle_timeout=5",
            "--MappingKernelManager.cull_interval=2",
            "--VoilaConfiguration.preheat_kernel=False"]
    port = appserver.labserver.free_port()
    server = appserver.start(home, home / "learner", token=token, port=port,
                             cmd=appserver.command(port, cull))
    try:
        context = browser.new_context(viewport={"width": 1366, "height": 850})
        context.set_default_timeout(90_000)
        page = context.new_page()
        page.goto(server.page_url("home"))
        page.locator(".pwc-home").wait_for()
        assert len(appserver.kernel_pids(server)) == 1
        context.close()  # no beforeunload: the shutdown request is never sent
        appserver.wait_until(lambda: not appserver.kernel_pids(server), timeout=60,
                             what="the idle kernel to be culled", server=server)
    finally:
        appserver.stop(server)
