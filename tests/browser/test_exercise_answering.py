"""A learner answers exercise 1 in JupyterLab the way the walkthrough did: types an answer and
presses Shift + Enter before running anything, then a misspelling, a lost quotation mark and a
synonym, then Run All and reads "Check my answers". No cell fails or shows an error, each
answer's note appears once, and the summary points at the slips.
"""

from __future__ import annotations

from pathlib import Path

import axe
import pytest
from labdriver import NOTEBOOK, error_outputs, open_notebook, run_all, wait_for_kernel_idle
from labserver import LabServer
from playwright.sync_api import Locator, Page, expect

from grader.exercise import load_exercise

pytestmark = pytest.mark.browser

EXERCISE = "exercises/ex01_classify_posts/ex01_classify_posts.ipynb"
NOTE = ".pwc-answer-note"


def answer_cell(page: Page, line: str) -> Locator:
    """The code cell whose text is `line`."""
    cells = page.locator(f"{NOTEBOOK} .jp-CodeCell")
    return cells.filter(has=page.locator(".cm-content", has_text=line)).first


def type_answer(page: Page, blank: str, line: str) -> Locator:
    """Click on the answer line `blank`, replace it with `line` (as typed on a keyboard), press
    Shift + Enter, and return the cell."""
    editor = answer_cell(page, blank).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(line)
    cell = answer_cell(page, line)
    expect(cell.locator(".cm-content")).to_have_text(line)
    page.keyboard.press("Shift+Enter")
    return cell


def notes_starting(page: Page, text: str) -> Locator:
    """The notes about one answer (the "Check my answers" summary aside)."""
    return page.locator(f"{NOTEBOOK} {NOTE}", has_text=text, has_not_text="You have answered")


@pytest.fixture(scope="module")
def exercise(module_page: Page, lab_server: LabServer) -> Page:
    open_notebook(module_page, lab_server, EXERCISE)
    return module_page


def test_first_answer_before_run_all(exercise: Page, screenshots: Path) -> None:
    """Shift + Enter on the answer, then again on the hidden check under it: the checker starts
    itself and says the answer can be read (no "isn't running" error box)."""
    page = exercise
    cell = type_answer(page, 'post_01 = "?"', 'post_01 = "not acceptable"')
    wait_for_kernel_idle(page)
    page.keyboard.press("Shift+Enter")  # the hidden check cell, now selected
    note = notes_starting(page, "Post 1:")
    expect(note).to_have_count(1)
    expect(note).to_have_text("Post 1: your answer \u201cnot acceptable\u201d can be read.")
    assert error_outputs(page) == []
    cell.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "ex01-1-first-answer.png")


def test_slips_then_run_all(exercise: Page, screenshots: Path) -> None:
    page = exercise
    wait_for_kernel_idle(page)
    typo = type_answer(page, 'post_02 = "?"', 'post_02 = "acceptible"')
    expect(typo.locator(NOTE)).to_contain_text("Did you mean \u201cacceptable\u201d?")
    slip = type_answer(page, 'post_03 = "?"', 'post_03 = not acceptable"')
    expect(slip.locator(NOTE)).to_contain_text('Did you mean post_03 = "not acceptable"?')
    type_answer(page, 'post_05 = "?"', 'post_05 = "unacceptable"')
    slip.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "ex01-2-slips.png")

    run_all(page)
    assert error_outputs(page) == [], "no error or stderr box anywhere"
    for label in ("Post 1:", "Post 2:", "Post 3:", "Post 5:"):
        expect(notes_starting(page, label)).to_have_count(1)  # once, under the answer line
    summary = page.locator(f"{NOTEBOOK} {NOTE}", has_text="You have answered")
    expect(summary).to_have_count(1)
    total = len(load_exercise("ex01_classify_posts").auto_items)
    expect(summary).to_contain_text(f"You have answered 2 of {total} in a way the marker can read.")
    expect(summary).to_contain_text("Did you mean \u201cacceptable\u201d?")
    expect(summary).to_contain_text('Did you mean post_03 = "not acceptable"?')
    expect(summary).to_contain_text("Post 4, Post 6")
    summary.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "ex01-3-check-my-answers.png")
    box = summary.bounding_box()
    assert box is not None and box["width"] < 1000, "the note wraps instead of running on"


def test_run_all_goes_past_a_failing_answer_cell(exercise: Page, screenshots: Path) -> None:
    """Answer cells carry the raises-exception tag: even a real error in one (here, code added
    under the answer line) doesn't stop Run All before "Check my answers"."""
    page = exercise
    wait_for_kernel_idle(page)
    editor = answer_cell(page, 'post_04 = "?"').locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type('post_04 = "acceptable"')
    page.keyboard.press("Enter")
    page.keyboard.type("1 / 0")
    run_all(page)
    errors = error_outputs(page)
    assert len(errors) == 1 and "ZeroDivisionError" in errors[0]
    summary = page.locator(f"{NOTEBOOK} {NOTE}", has_text="You have answered")
    total = len(load_exercise("ex01_classify_posts").auto_items)
    expect(summary).to_contain_text(f"You have answered 3 of {total}")  # ran after the error
    summary.scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "ex01-4-after-a-failing-cell.png")


def test_notes_are_accessible(exercise: Page) -> None:
    try:
        result = axe.run(exercise, NOTE)
    except axe.AxeUnavailable as error:
        pytest.skip(str(error))
    assert axe.serious_violations(result) == []
