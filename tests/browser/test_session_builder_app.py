"""The trainer's session builder as a page of the learner app (the real Voilà server) in
Chromium: filter by lesson and difficulty, pick, save under a name (kept in the course's user
folder), present it in the page and move through it with the keyboard.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import axe
import pytest
from artifacts import SCREENSHOTS
from conftest import AppHolder, code_text_in
from playwright.sync_api import Browser, Page, expect

from course.catalogue import bank

pytestmark = pytest.mark.browser

LESSON = "06-testimonials-and-reviews"


@pytest.fixture(scope="module")
def page(browser: Browser, browser_context_args: dict, app: AppHolder) -> Iterator[Page]:
    context = browser.new_context(**{**browser_context_args,
                                     "viewport": {"width": 1366, "height": 850}})
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def test_a_session_is_built_saved_and_presented_in_the_app(page: Page, app: AppHolder) -> None:
    page.goto(app.server.page_url("session-builder"))
    builder = page.locator(".pwc-session-builder")
    builder.wait_for(timeout=90_000)
    assert code_text_in(page) == []
    lesson = bank.lesson(LESSON)
    builder.get_by_label("Lesson").select_option(label=f"{lesson.number}. {lesson.title}")
    builder.get_by_label("Difficulty").select_option(label="Hard")
    hard = [p for p in bank.lesson_posts(LESSON) if p.difficulty == "hard"]
    matching = builder.locator("select[multiple] option")
    expect(matching).to_have_count(len(hard))
    shown = matching.evaluate_all("options => options.map(o => o.textContent)")
    wanted = [n for n, text in enumerate(shown)  # ipywidgets shows spaces as no-break spaces
              if text.replace("\xa0", " ").endswith((f"[{hard[0].id}]", f"[{hard[1].id}]"))]
    assert len(wanted) == 2, shown
    builder.locator("select[multiple]").select_option(index=wanted)
    builder.get_by_role("button", name="Add to the session").click()
    expect(builder.locator(".pwc-builder-status")).to_contain_text("the session has 2 screens")
    builder.get_by_label("Name").fill("Reviews, the hard ones")
    builder.get_by_role("button", name="Save the session").click()
    expect(builder.locator(".pwc-builder-status")).to_contain_text("Saved")
    saved = app.learner_home / "sessions" / "reviews-the-hard-ones.json"
    steps = json.loads(saved.read_text(encoding="utf-8"))["steps"]
    assert steps == [{"post": hard[0].id}, {"post": hard[1].id}]
    problems = axe.serious_violations(axe.run(page, ".pwc-session-builder"))
    assert not problems, problems
    builder.get_by_role("button", name="Present").click()
    stage = page.frame_locator("iframe.pwc-stage")
    expect(stage.locator("#pwc-counter")).to_have_text("1 of 2")
    expect(stage.locator("section.slide:not([hidden]) .pwc-text")).to_have_text(
        " ".join(hard[0].text.split()))
    box = page.locator("iframe.pwc-stage").bounding_box()  # brought into view by itself
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= 850 + 1
    # drawn as on a 1280×720 projector, scaled to the frame: nothing cut off
    cut = stage.locator("body").evaluate("""() => [...document.querySelectorAll(
        'section.slide:not([hidden]) :is(.pwc-item, .pwc-panel, .pwc-card)')]
        .filter(e => e.scrollHeight > e.clientHeight + 1).length""")
    assert cut == 0
    stage.locator("main").click()
    page.keyboard.press("PageDown")
    expect(stage.locator("#pwc-counter")).to_have_text("2 of 2")
    page.keyboard.press("r")
    expect(stage.locator("section.slide:not([hidden]) .pwc-answer")).to_contain_text(
        " ".join(hard[1].explanation.split()))
    page.screenshot(path=SCREENSHOTS / "session-builder-after-present.png")
    for name in ("select[multiple]", "select[size]:not([multiple])"):
        right = builder.locator(name).first.evaluate("e => e.getBoundingClientRect().right")
        edge = builder.evaluate("e => e.getBoundingClientRect().right")
        assert right <= edge + 1, f"{name} runs past the page"
    page.locator("iframe.pwc-stage").screenshot(
        path=SCREENSHOTS / "presentation-4-session-builder-app.png")
