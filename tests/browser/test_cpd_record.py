"""A learner finishes lesson 1's quiz in JupyterLab, then creates their CPD record at the end of
lesson 8: the lesson shows as completed, the record is written to the private folder, shown in
the page (saying it is self-declared), downloadable from the link, and made as a PDF too;
axe-core checks the record widget.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import axe
import pytest
from labdriver import NOTEBOOK, open_and_run
from labserver import LabServer
from playwright.sync_api import Locator, Page, expect
from pwcdom import give_verdict, shown_post

from course import pdf

pytestmark = pytest.mark.browser

NAME = "<b>Robin</b> Ashdown"


def private_folder(server: LabServer) -> Path:
    """The learner's private folder the test server uses (set in conftest.py)."""
    return server.root.parent / "private"


def finish_quiz(quiz: Locator) -> int:
    """Answer every post of the quiz rightly and reach the score; return how many there were."""
    status = quiz.locator(".pwc-quiz-status")
    expect(status).to_contain_text(re.compile(r"Post 1 of \d+"))
    total = int(re.search(r"of (\d+)", status.text_content() or "").group(1))
    previous = None
    for number in range(1, total + 1):
        item = quiz.locator(".pwc-quiz-item .pwc-classify")
        expect(status).to_contain_text(f"Post {number} of {total}")
        if previous is not None:
            expect(item.locator("article.pwc-post")).not_to_have_attribute(
                "data-post-id", previous
            )
        post = shown_post(item)
        give_verdict(item, post.verdict, "correct")
        quiz.get_by_role("button", name="See my score" if number == total else "Next post").click()
        previous = post.id
    return total


@pytest.fixture(scope="module")
def record(module_page: Page, lab_server: LabServer, screenshots: Path) -> Locator:
    """Lesson 1's quiz finished, then lesson 8 opened and run: its CPD record widget."""
    page = module_page
    open_and_run(page, lab_server, "course/lessons/01-welcome.ipynb")
    quiz = page.locator(f"{NOTEBOOK} .pwc-quiz")
    quiz.scroll_into_view_if_needed()
    total = finish_quiz(quiz)
    note = quiz.locator(".pwc-quiz-summary .pwc-progress-note")
    expect(note).to_contain_text("This lesson now counts towards your CPD record")
    saved = json.loads((private_folder(lab_server) / "progress.json").read_text("utf-8"))
    assert saved["01-welcome"]["first_score"] == saved["01-welcome"]["posts"] == total

    open_and_run(page, lab_server, "course/lessons/08-grey-areas.ipynb")
    widget = page.locator(f"{NOTEBOOK} .pwc-cpd-record")
    expect(widget).to_have_count(1)
    widget.scroll_into_view_if_needed()
    widget.screenshot(path=screenshots / "cpd-record-1-table.png")
    return widget


def test_the_table_shows_the_finished_lesson(record: Locator) -> None:
    row = record.locator("tr[data-lesson='01-welcome']")
    expect(row).not_to_contain_text("Not yet")
    expect(row.locator("td").nth(1)).to_have_text("15")
    expect(row.locator("td").nth(3)).to_have_text(re.compile(r"^(\d+) of \1$"))
    expect(record.locator("tr[data-lesson='02-confidentiality-and-trust']")).to_contain_text(
        "Not yet"
    )
    expect(record.locator(".pwc-cpd-table .pwc-box-title")).to_contain_text(
        re.compile(r"Your CPD so far: \d+ minutes, from \d of 8 lessons")
    )
    expect(record.get_by_label("Include my reflections")).not_to_be_checked()


def test_create_the_record_open_it_and_download_it(
    record: Locator, module_page: Page, lab_server: LabServer, screenshots: Path
) -> None:
    record.get_by_label("Include my reflections").check()
    record.get_by_label("Your name (optional)").fill(NAME)
    record.get_by_role("button", name="Create my CPD record").click()
    status = record.locator(".pwc-cpd-status")
    expect(status).to_contain_text("Your CPD record is ready.")
    path = Path(status.locator("code.pwc-cpd-path").inner_text())
    assert path.parent == private_folder(lab_server) and path.is_file()
    assert re.fullmatch(r"cpd-record-\d{4}-\d{2}-\d{2}\.html", path.name)
    expect(status.locator("code.pwc-cpd-address")).to_have_text(path.as_uri())

    frame = record.frame_locator("iframe.pwc-cpd-frame")
    expect(frame.locator("h1")).to_have_text("Continuing professional development record")
    expect(frame.locator(".pwc-cpd-name")).to_have_text(NAME)  # shown as text, not markup
    expect(frame.locator("tr[data-lesson='01-welcome']")).not_to_contain_text("Not completed")
    expect(frame.locator(".pwc-cpd-self-declared")).to_contain_text("Nobody has checked it")
    expect(frame.locator("h2")).to_have_text(
        ["What I planned", "What I did", "What I learned", "How I will apply it"])
    record.screenshot(path=screenshots / "cpd-record-2-created.png")

    with module_page.expect_download() as download_info:
        status.get_by_role("link", name=f"Save {path.name} to my computer").click()
    download = download_info.value
    assert download.suggested_filename == path.name
    assert Path(download.path()).read_bytes() == path.read_bytes()


@pytest.mark.skipif(pdf.unavailable_reason() is not None, reason="PDFs cannot be made here")
def test_create_the_pdf_and_download_it(
    record: Locator, module_page: Page, lab_server: LabServer
) -> None:
    record.get_by_role("button", name="Create a PDF of my CPD record").click()
    status = record.locator(".pwc-cpd-status")
    # Making the first PDF imports WeasyPrint in the kernel (several seconds on a busy machine).
    expect(status).to_contain_text("Your CPD record is ready as a PDF.", timeout=60_000)
    path = Path(status.locator("code.pwc-cpd-path").inner_text())
    assert path.parent == private_folder(lab_server) and path.suffix == ".pdf"
    with module_page.expect_download() as download_info:
        status.get_by_role("link", name=f"Save {path.name} to my computer").click()
    download = download_info.value
    assert download.suggested_filename == path.name
    assert Path(download.path()).read_bytes() == path.read_bytes()


def test_no_serious_accessibility_violations(record: Locator, module_page: Page) -> None:
    try:
        result = axe.run(module_page, ".pwc-cpd-record")
    except axe.AxeUnavailable as error:
        pytest.skip(f"axe-core unavailable: {error}")
    assert any(rule["id"] == "color-contrast" for rule in result["passes"]), "axe checked nothing"
    serious = axe.serious_violations(result)
    assert not serious, "\n".join(serious)
