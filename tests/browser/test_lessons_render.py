"""Every lesson opens in JupyterLab, runs all its cells without an error, draws every widget
its cells ask for, and hides its code: what a learner sees first, screenshotted per lesson.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from artifacts import ARTIFACTS, REPO
from labdriver import error_outputs, open_notebook, run_all, scroll_to_top
from labserver import LabServer
from playwright.sync_api import Page, expect
from pwcdom import CLASSIFY

pytestmark = pytest.mark.browser

LESSON_DIR = REPO / "course" / "lessons"
LESSONS = sorted(path.stem for path in LESSON_DIR.glob("[0-9][0-9]-*.ipynb"))
# What each one-line lesson call draws (the DOM contract in course/runtime/widgets/__init__.py).
DRAWS = {
    "classify": CLASSIFY,
    "quiz": ".pwc-quiz",
    "response": ".pwc-branching",
    "reflection": ".pwc-reflection",
    "cpd_record": ".pwc-cpd-record",
    "card": ".pwc-card:not(.pwc-classify .pwc-card, .pwc-quiz .pwc-card)",
}
SHOW_CALL = re.compile(r"^show\.(\w+)\(", re.M)


def show_calls(lesson: str) -> Counter[str]:
    cells = json.loads((LESSON_DIR / f"{lesson}.ipynb").read_text("utf-8"))
    sources = ("".join(c["source"]) for c in cells["cells"] if c["cell_type"] == "code")
    return Counter(call for source in sources for call in SHOW_CALL.findall(source))


@pytest.fixture(scope="module")
def run_times() -> Iterator[dict[str, float]]:
    """Seconds each lesson's Run All took in the browser, kept in test-artifacts/."""
    times: dict[str, float] = {}
    yield times
    if times:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / "browser-run-all-seconds.json").write_text(json.dumps(times, indent=2))


def test_the_course_has_its_lessons() -> None:
    assert len(LESSONS) >= 8, LESSONS


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_runs_and_draws_its_widgets(
    lesson: str,
    module_page: Page,
    lab_server: LabServer,
    screenshots: Path,
    run_times: dict[str, float],
) -> None:
    page = module_page
    notebook = open_notebook(page, lab_server, f"course/lessons/{lesson}.ipynb")
    # Before Run All, a hidden code cell shows its first line as a placeholder ("show.… •••");
    # once the course's widgets are drawn, their style sheet hides those placeholders.
    placeholders = notebook.locator(".jp-CodeCell .jp-InputPlaceholder")
    expect(placeholders.first).to_be_visible()
    seconds = run_all(page)
    errors = error_outputs(page)
    assert not errors, f"{lesson} showed errors:\n" + "\n---\n".join(errors)
    run_times[lesson] = round(seconds, 2)
    assert placeholders.count() == sum(show_calls(lesson).values()) + 1  # and the import line
    shown = placeholders.evaluate_all("els => els.map(el => getComputedStyle(el).display)")
    assert set(shown) == {"none"}, shown
    calls = show_calls(lesson)
    assert calls, f"{lesson} shows no widget"
    for call, count in calls.items():
        assert call in DRAWS, f"{lesson} calls show.{call}, which this test does not know"
        expect(notebook.locator(DRAWS[call])).to_have_count(count)
    # Code is there for the curious, but hidden: no code cell shows its editor.
    expect(notebook.locator(".jp-CodeCell .jp-InputArea-editor")).to_have_count(0)
    scroll_to_top(page)
    expect(notebook.locator(".jp-MarkdownCell").first).to_be_visible()
    page.screenshot(path=screenshots / f"lesson-{lesson}.png")
    lab_server.shut_down_kernels()


def test_nbgrader_is_in_the_lab_menu(module_page: Page, lab_server: LabServer) -> None:
    """The nbgrader labextension is loaded in the page the lessons open in."""
    page = module_page
    if "/lab/" not in page.url:
        open_notebook(page, lab_server, f"course/lessons/{LESSONS[0]}.ipynb")
    expect(page.locator(".lm-MenuBar-item", has_text="Nbgrader")).to_be_visible()
    expect(page.get_by_role("button", name="Validate")).to_be_visible()
