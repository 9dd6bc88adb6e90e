"""The learner app through its real server (Voilà) in Chromium: the home page, a lesson answered
wrongly then rightly, the way on to the next lesson, progress kept in a new browser, no code,
keyboard use, accessibility and the three screen sizes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import axe
import pytest
from artifacts import REPO
from conftest import AppHolder, code_text_in, open_app_page
from playwright.sync_api import Browser, Page, expect

from course.catalogue import bank

pytestmark = pytest.mark.browser

SIZES = {"desktop": (1366, 850), "laptop": (1024, 700), "phone": (390, 844)}
FIRST_POST = bank.post("p003")
WRONG = "acceptable" if FIRST_POST.verdict == "not acceptable" else "not acceptable"


@pytest.fixture(scope="module")
def page(browser: Browser, browser_context_args: dict, app: AppHolder) -> Iterator[Page]:
    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 1366,
                                                                          "height": 850}})
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def first_classify(page: Page):
    return page.locator(".pwc-classify").filter(has=page.locator("[data-post-id='p003']")).first


def test_home_lists_the_lessons_and_exercises(page: Page, app: AppHolder) -> None:
    open_app_page(page, app, "home")
    rows = page.locator("table.pwc-home-lessons tbody tr")
    expect(rows).to_have_count(len(bank.lessons()))
    for lesson in bank.lessons().values():
        row = page.locator(f"tr[data-lesson='{lesson.id}']")
        expect(row).to_contain_text(lesson.title)
        expect(row).to_contain_text(f"{lesson.minutes} min")
        expect(row.locator(".pwc-state")).to_have_text("Not started")
    expect(page.locator("table.pwc-home-exercises tbody tr")).to_have_count(3)
    expect(page.locator(".pwc-home-exercises .pwc-state").first).to_have_text("Not started")
    expect(page.locator(".pwc-home-cpd")).to_contain_text("CPD so far: 0 minutes")
    expect(page.locator("a.pwc-cpd-link")).to_have_attribute("href", "cpd-record.ipynb")
    expect(page.locator("a.pwc-continue")).to_contain_text("Start the course")
    assert code_text_in(page) == []


def test_lesson_answered_wrongly_then_rightly_then_next(page: Page, app: AppHolder) -> None:
    open_app_page(page, app, "home")
    page.get_by_role("link", name="1. Welcome, and how this course works").click()
    page.locator(".pwc-app-footer").wait_for(timeout=90_000)
    assert page.url.split("?")[0].endswith("/voila/render/01-welcome.ipynb")
    expect(page.locator("header.pwc-app-header .pwc-app-name")).to_have_text("Posting with Care")
    assert code_text_in(page) == []
    post = first_classify(page)
    post.get_by_label(WRONG, exact=True).check()
    post.get_by_role("button", name="Check my answer").click()
    expect(post.locator(".pwc-verdict-feedback")).to_have_class(
        re.compile("pwc-incorrect"))
    post.get_by_role("button", name="Try again").click()
    expect(post.locator(".pwc-verdict-feedback")).to_have_text("")
    post.get_by_label(FIRST_POST.verdict, exact=True).check()
    post.get_by_role("button", name="Check my answer").click()
    expect(post.locator(".pwc-verdict-feedback")).to_have_class(
        re.compile("pwc-correct"))
    situation = page.locator(".pwc-branching").first
    situation.locator("input[type=radio]").first.check()
    situation.get_by_role("button", name="See what happens").click()
    expect(situation.locator(".pwc-consequence")).not_to_have_text("")
    quiz = page.locator(".pwc-quiz")
    quiz.locator(".pwc-quiz-item input[type=radio]").first.check()
    quiz.get_by_role("button", name="Check my answer").click()
    expect(quiz.locator(".pwc-quiz-status")).to_contain_text("so far")
    page.locator(".pwc-app-header a.pwc-nav-next").click()
    page.locator(".pwc-app-footer").wait_for(timeout=90_000)
    assert page.url.split("?")[0].endswith("/voila/render/02-confidentiality-and-trust.ipynb")
    expect(page.locator("h1").first).to_contain_text(
        bank.lesson("02-confidentiality-and-trust").title)


def test_progress_is_kept_for_a_new_browser(browser: Browser, app: AppHolder) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 850})
    context.set_default_timeout(60_000)
    fresh = context.new_page()
    try:
        open_app_page(fresh, app, "01-welcome")
        post = first_classify(fresh)
        expect(post.locator(".pwc-verdict-feedback")).to_have_class(
            re.compile("pwc-correct"))
        expect(post.get_by_label(FIRST_POST.verdict, exact=True)).to_be_checked()
        expect(post.get_by_label(FIRST_POST.verdict, exact=True)).to_be_disabled()
        expect(post.get_by_role("button", name="Try again")).to_be_visible()
        situation = fresh.locator(".pwc-branching").first
        expect(situation.locator(".pwc-consequence")).not_to_have_text("")
        expect(fresh.locator(".pwc-quiz .pwc-quiz-status")).to_contain_text("so far")
        open_app_page(fresh, app, "home")
        expect(fresh.locator("tr[data-lesson='01-welcome'] .pwc-state")).to_have_text(
            "In progress")
        expect(fresh.locator("a.pwc-continue")).to_contain_text(
            bank.lesson("01-welcome").title)
    finally:
        context.close()


def test_keyboard_only_through_a_practice_post(page: Page, app: AppHolder) -> None:
    open_app_page(page, app, "03-never-disclose")
    post = page.locator(".pwc-classify").first
    group = post.locator(".pwc-verdict [role=radiogroup]")
    expect(group).to_have_attribute("aria-labelledby", re.compile(".+"))
    label_id = group.get_attribute("aria-labelledby")
    expect(page.locator(f"#{label_id}")).to_have_text("Your verdict")
    post.get_by_label("acceptable", exact=True).focus()
    page.keyboard.press("ArrowDown")
    expect(post.get_by_label("not acceptable", exact=True)).to_be_checked()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Check my answer"
    page.keyboard.press("Enter")
    area = post.locator(".pwc-verdict-feedback")
    expect(area).to_have_attribute("aria-live", "polite")
    expect(area).not_to_have_text("")


@pytest.mark.parametrize("name", ["home", "03-never-disclose", "ex01_classify_posts"])
def test_whole_page_accessibility_and_sizes(page: Page, app: AppHolder, name: str,
                                            screenshots: Path) -> None:
    open_app_page(page, app, name)
    try:
        result = axe.run(page, "html")
    except axe.AxeUnavailable as error:
        pytest.skip(str(error))
    assert axe.serious_violations(result) == []
    assert code_text_in(page) == []
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(300)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 1, f"{name} scrolls sideways at {width}×{height}"
        page.screenshot(path=screenshots / "app" / f"{name}-{size}.png")
    page.set_viewport_size({"width": 1366, "height": 850})


def test_the_reflection_box_fits_its_column_on_a_phone(page: Page, app: AppHolder) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    try:
        open_app_page(page, app, "03-never-disclose")
        box = page.locator(".pwc-reflection")
        box.scroll_into_view_if_needed()
        text, column = page.locator(".pwc-reflection .widget-textarea").bounding_box(), \
            box.bounding_box()
        assert text and column
        assert column["x"] <= text["x"] and \
            text["x"] + text["width"] <= column["x"] + column["width"], (text, column)
    finally:
        page.set_viewport_size({"width": 1366, "height": 850})


def test_start_again_asks_first_then_clears_the_lessons(page: Page, app: AppHolder) -> None:
    open_app_page(page, app, "home")
    state = page.locator("tr[data-lesson='01-welcome'] .pwc-state")
    expect(state).to_have_text("In progress")
    page.get_by_role("button", name="Start again", exact=True).click()
    expect(page.locator(".pwc-confirm")).to_contain_text("Start again from the beginning?")
    page.get_by_role("button", name="No, keep my progress").click()
    expect(state).to_have_text("In progress")
    page.get_by_role("button", name="Start again", exact=True).click()
    page.get_by_role("button", name="Yes, start again").click()
    expect(page.locator(".pwc-start-again-status")).to_contain_text("ready to start again")
    expect(state).to_have_text("Not started")
    open_app_page(page, app, "01-welcome")
    expect(first_classify(page).locator(".pwc-verdict-feedback")).to_have_text("")


# --- keys out of the app ------------------------------------------------------------------------
def secret_markers(app: AppHolder) -> list[str]:
    """Text found only in the keys, the solutions or the learner's records."""
    markers = ["explanation: >-", "verdict: not acceptable", "first_marked", "last_page"]
    for solution in sorted((REPO / "solutions").glob("*/*.ipynb")):
        released = (REPO / "exercises" / solution.parent.name / solution.name).read_text("utf-8")
        for line in re.findall(r'(\w+ = \\"[^"\\]+\\")', solution.read_text("utf-8")):
            if line not in released:
                markers.append(line.replace('\\"', '"'))
    assert len(markers) > 20
    return markers


def probe_paths(app: AppHolder) -> list[str]:
    key = "grader/keys/ex01_classify_posts.yaml"
    solution = "solutions/ex01_classify_posts/ex01_classify_posts.ipynb"
    learner = app.learner_home / "activity.json"
    paths = []
    for target in (key, solution, "grader/keys", "solutions", "grader/cohort/pipeline.py",
                   "gradebook.db", "nbgrader_config.py"):
        for prefix in ("", "../", "%2e%2e/", "..%2F..%2F", str(REPO).lstrip("/") + "/",
                       "/" + str(REPO).lstrip("/") + "/"):
            for route in ("/voila/files/", "/voila/render/", "/voila/tree/",
                          "/voila/api/contents/", "/api/contents/", "/files/", "/tree/",
                          "/voila/static/", "/voila/templates/lab/", "/voila/labextensions/",
                          "/voila/api/themes/", "/"):
                paths.append(route + prefix + target)
    paths += ["/voila/files/" + str(learner), "/voila/render/" + str(learner),
              "/voila/tree", "/voila/api/contents", "/api/contents", "/lab", "/api/kernels"]
    return paths


def test_no_address_returns_keys_solutions_or_records(app: AppHolder) -> None:
    markers = secret_markers(app)
    leaks = []
    for path in probe_paths(app):
        status, body, _ = app.server.get(path)
        text = body.decode("utf-8", "replace")
        found = [m for m in markers if m in text]
        if found:
            leaks.append(f"{path} ({status}): {found[:3]}")
    assert leaks == []
    status, body, _ = app.server.get("/voila/render/home.ipynb")
    assert status == 200 and b"Posting with Care" in body
    status, _, headers = app.server.get("/", token=False)
    assert status in (301, 302) and headers["location"].endswith("/voila/render/home.ipynb")
