"""Smoke test of `make course` (the README's first command): with COURSE_ARGS spelled as
JupyterLab's, it prints an address that opens the home page in a browser, and a lesson from
there has live widgets and no code.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import appserver
import labserver
import pytest
from conftest import code_text_in
from playwright.sync_api import Browser, expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed"),
]


@pytest.fixture(scope="module")
def make_course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[appserver.AppServer]:
    """`make course` as a learner would run it on a server; `-o .venv/.installed` keeps make
    from reinstalling the venv these tests run in."""
    home = tmp_path_factory.mktemp("make-course")
    port = labserver.free_port()
    command = ["make", "--no-print-directory", "-o", ".venv/.installed", "course",
               f"COURSE_ARGS=--no-browser --port {port}"]
    server = appserver.start(home, home / "learner", token=None, cmd=command, port=port)
    yield server
    appserver.stop(server)


def test_make_course_prints_an_address_that_opens_the_home_page(
    make_course: appserver.AppServer, browser: Browser
) -> None:
    printed = re.findall(r"http://\S+", make_course.log.read_text(encoding="utf-8"))
    home = [url for url in printed if "/voila/render/home.ipynb?token=" in url]
    assert home, make_course.log_tail()
    assert f":{make_course.port}/" in home[0]
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    context.set_default_timeout(90_000)
    page = context.new_page()
    try:
        page.goto(home[0])
        expect(page.locator("table.pwc-home-lessons tbody tr")).to_have_count(8)
        assert code_text_in(page) == []
        page.locator("tr[data-lesson='03-never-disclose'] a").click()
        post = page.locator(".pwc-classify").first
        post.get_by_label("not acceptable", exact=True).check()
        post.get_by_role("button", name="Check my answer").click()
        expect(post.locator(".pwc-verdict-feedback")).to_have_class(re.compile("pwc-correct"))
        page.locator(".pwc-app-footer").wait_for()
        assert code_text_in(page) == []
        # no code editor, no launcher, no cell numbers
        assert page.locator(".cm-editor, .jp-CodeMirrorEditor, .jp-Launcher").count() == 0
        assert page.locator(".jp-InputPrompt:visible, .jp-OutputPrompt:visible").count() == 0
    finally:
        context.close()
