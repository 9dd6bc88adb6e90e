"""A branching response scenario in JupyterLab: choose a response, read what it leads to, then
the better path.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from artifacts import REPO
from labdriver import NOTEBOOK, open_and_run
from labserver import LabServer
from playwright.sync_api import Locator, Page, expect
from pwcdom import read, state_class, words

from course.catalogue import bank
from course.catalogue.responses import Response

pytestmark = pytest.mark.browser

LESSONS = REPO / "course" / "lessons"
RESPONSE_CALL = re.compile(r"""show\.response\(\s*["']([^"']+)["']""")


def first_response_situation() -> tuple[str, str] | None:
    """(lesson, response id) of the first lesson that shows a branching scenario."""
    for path in sorted(LESSONS.glob("[0-9][0-9]-*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                match = RESPONSE_CALL.search("".join(cell["source"]))
                if match:
                    return path.stem, match.group(1)
    return None


@pytest.fixture(scope="module")
def situation(module_page: Page, lab_server: LabServer) -> tuple[Locator, Response, str]:
    found = first_response_situation()
    if found is None:
        pytest.fail("no lesson calls show.response(...): the course has no branching scenario")
    lesson, response_id = found
    open_and_run(module_page, lab_server, f"course/lessons/{lesson}.ipynb")
    widget = module_page.locator(f"{NOTEBOOK} .pwc-branching").first
    widget.scroll_into_view_if_needed()
    return widget, bank.response(response_id), lesson


def test_branching_shows_the_situation_and_its_options(
    situation: tuple[Locator, Response, str],
) -> None:
    widget, response, _ = situation
    expect(widget.locator(".pwc-situation")).to_contain_text(response.title)
    labels = widget.locator(".pwc-response-choice .widget-radio-box label")
    expect(labels).to_have_count(len(response.options))
    shown = [words(text) for text in labels.all_inner_texts()]
    assert shown == [words(option.text) for option in response.options]
    expect(widget.locator(".pwc-response-choice input:checked")).to_have_count(0)


def test_choose_a_response_and_read_what_happens(
    situation: tuple[Locator, Response, str], screenshots: Path
) -> None:
    widget, response, lesson = situation
    see = widget.get_by_role("button", name="See what happens")
    consequence = widget.locator(".pwc-consequence")
    better = widget.locator(".pwc-better-path")

    see.click()
    expect(consequence).to_have_class(state_class("prompt"))
    expect(better).to_have_text("")

    worse = next(option for option in response.options if not option.best)
    widget.get_by_label(worse.text, exact=True).check()
    see.click()
    expect(consequence).to_have_class(state_class("incorrect"))
    expect(consequence).to_contain_text(words(worse.consequence)[:40])
    assert read(consequence).startswith("Here is what could happen."), read(consequence)
    assert words(worse.consequence) in read(consequence)
    expect(better).to_contain_text("The better path")
    assert words(response.better_path) in words(better.inner_text())
    widget.screenshot(path=screenshots / f"{lesson}-branching-worse.png")

    best = response.best_option
    widget.get_by_label(best.text, exact=True).check()
    see.click()
    expect(consequence).to_have_class(state_class("correct"))
    expect(consequence).to_contain_text(words(best.consequence)[:40])
    assert read(consequence).startswith("This is the better path."), read(consequence)
    assert words(best.consequence) in read(consequence)
    widget.screenshot(path=screenshots / f"{lesson}-branching-best.png")
