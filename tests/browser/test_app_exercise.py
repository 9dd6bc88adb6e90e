"""An exercise answered only through the app's widgets, in Chromium through the real server:
the learner's file on disk is then marked by the real cohort command with exactly the score of
its answers; Check my answers, Mark my exercise, New attempt, Submit and Download; and
everything is still there after the server restarts.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from artifacts import REPO
from conftest import AppHolder, code_text_in, open_app_page
from playwright.sync_api import Browser, Page, expect

from grader.exercise import load_exercise

pytestmark = pytest.mark.browser

EXERCISE = "ex02_rules_and_responses"
RIGHT_FIRST = 15  # the first 15 items answered rightly, the others wrongly
ITEMS = [item for item in load_exercise(EXERCISE).items if not item.manual]


def planned_answers() -> dict[str, str]:
    plan = {}
    for index, item in enumerate(ITEMS):
        choices = list(item.format.choices())
        plan[item.variable] = item.answer if index < RIGHT_FIRST else next(
            c for c in choices if c != item.answer and c not in item.accepted)
    return plan


@pytest.fixture(scope="module")
def page(browser: Browser, browser_context_args: dict, app: AppHolder) -> Iterator[Page]:
    context = browser.new_context(**{**browser_context_args, "viewport": {"width": 1366,
                                                                          "height": 850}})
    context.set_default_timeout(60_000)
    yield context.new_page()
    context.close()


def choose(page: Page, name: str, value: str) -> None:
    item = next(i for i in ITEMS if i.variable == name)
    index = list(item.format.choices()).index(value)
    page.locator(f".pwc-answer-{name} input[type=radio]").nth(index).check()


def copy_on_disk(app: AppHolder, exercise: str = EXERCISE, attempt: int = 1) -> Path:
    return app.learner_home / "exercises" / exercise / f"attempt-{attempt}" / f"{exercise}.ipynb"


def wait_until_saved(path: Path, text: str, seconds: float = 30) -> None:
    """The app saves each change as it arrives; wait for the last keystroke's save."""
    deadline = time.monotonic() + seconds
    while text not in path.read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, f"{text!r} was not saved in {path}"
        time.sleep(0.2)


def test_exercise_answered_through_widgets_is_marked_by_the_cohort_command(
    page: Page, app: AppHolder, tmp_path: Path
) -> None:
    open_app_page(page, app, EXERCISE)
    assert code_text_in(page) == []
    plan = planned_answers()
    names = list(plan)
    for name in names[:5]:
        choose(page, name, plan[name])
    page.get_by_role("button", name="Check my answers").click()
    result = page.locator(".pwc-check-result")
    expect(result).to_contain_text(f"You have answered 5 of {len(ITEMS)}")
    expect(result).to_contain_text("Still to answer:")
    assert not re.search(r"\b(right|wrong|correct)\b(?! answer)", result.inner_text().replace(
        "never says whether an answer is right", ""))
    for name in names[5:]:
        choose(page, name, plan[name])
    expect(page.locator(".pwc-save-status")).to_contain_text("Saved on this computer")
    page.get_by_role("button", name="Check my answers").click()
    expect(result).to_contain_text("Everything is answered")

    copy = copy_on_disk(app)
    text = copy.read_text(encoding="utf-8")
    for name, value in plan.items():
        assert f'{name} = \\"{value}\\"' in text, name
    # the assessor's flat folder names each file after its learner (a file still named after
    # the exercise is refused: it names nobody)
    pile = tmp_path / "handed-in"
    pile.mkdir()
    shutil.copy2(copy, pile / "sam-okafor.ipynb")
    out = tmp_path / "marking"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "grade", EXERCISE, str(pile), "--out", str(out),
         "--no-gradebook", "--quiet"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with (out / "grades.csv").open(encoding="utf-8") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["status"] == "graded" and row["learner"] == "sam-okafor"
    assert float(row["score"]) == RIGHT_FIRST
    assert float(row["max_score"]) == len(ITEMS)


def test_mark_my_exercise_shows_feedback_then_a_new_attempt(page: Page, app: AppHolder,
                                                            screenshots: Path) -> None:
    page.get_by_role("button", name="Mark my exercise").click()
    expect(page.locator(".pwc-mark-result")).to_contain_text(
        f"Your mark: {RIGHT_FIRST} of {len(ITEMS)}", timeout=120_000)
    expect(page.locator("iframe.pwc-feedback-frame")).to_be_visible()
    frame = page.frame_locator("iframe.pwc-feedback-frame")
    expect(frame.locator("body")).to_contain_text(str(RIGHT_FIRST))
    page.locator(".pwc-mark-result").scroll_into_view_if_needed()
    page.screenshot(path=screenshots / "app" / f"{EXERCISE}-marked.png")
    first = ITEMS[0].variable
    expect(page.locator(f".pwc-answer-{first} input[type=radio]").first).to_be_disabled()
    open_app_page(page, app, "home")
    expect(page.locator(f"tr[data-exercise='{EXERCISE}'] .pwc-state")).to_have_text(
        f"Marked: {RIGHT_FIRST} of {len(ITEMS)}")
    open_app_page(page, app, EXERCISE)
    expect(page.locator(".pwc-mark-result")).to_contain_text(f"{RIGHT_FIRST} of {len(ITEMS)}")
    page.get_by_role("button", name="New attempt").click()
    expect(page.locator(f".pwc-answer-{first} input[type=radio]").first).to_be_enabled()
    expect(page.locator(f".pwc-answer-{first} input:checked")).to_have_count(0)
    assert copy_on_disk(app, attempt=2).exists() and copy_on_disk(app, attempt=1).exists()
    choose(page, first, ITEMS[0].answer)
    open_app_page(page, app, "cpd-record")
    expect(page.locator(".pwc-cpd-table")).to_contain_text(
        f"{RIGHT_FIRST} of {len(ITEMS)}")


def test_submit_gives_the_learners_own_file_to_download(page: Page, app: AppHolder,
                                                        tmp_path: Path) -> None:
    open_app_page(page, app, "ex01_classify_posts")
    page.locator(".pwc-answer-post_01 input[type=radio]").nth(1).check()
    expect(page.locator(".pwc-save-status")).to_contain_text("Saved")
    page.get_by_role("button", name="Submit").click()
    link = page.locator("a.pwc-download")
    expect(link).to_contain_text("ex01_classify_posts.ipynb")
    with page.expect_download() as download:
        link.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name == "ex01_classify_posts.ipynb"
    assert saved.read_bytes() == copy_on_disk(app, "ex01_classify_posts").read_bytes()
    assert 'post_01 = \\"not acceptable\\"' in saved.read_text(encoding="utf-8")
    expect(page.locator(".pwc-answer-post_02 input[type=radio]").first).to_be_disabled()


def test_keyboard_only_answers_and_a_written_part(page: Page, app: AppHolder) -> None:
    open_app_page(page, app, "ex03_social_media_policy")
    part = page.locator(".pwc-policy-part textarea").first
    part.focus()
    page.keyboard.type("I keep a professional page for my practice and a private personal "
                       "profile; I never connect with clients on either.")
    expect(page.locator(".pwc-save-status")).to_contain_text("Saved")
    copy = copy_on_disk(app, "ex03_social_media_policy")
    wait_until_saved(copy, "I never connect with clients on either.")
    open_app_page(page, app, "ex02_rules_and_responses")
    group = page.locator(f".pwc-answer-{ITEMS[1].variable} [role=radiogroup]")
    expect(group).to_have_attribute("aria-labelledby", re.compile(".+"))
    radios = group.locator("input[type=radio]")
    radios.first.focus()
    page.keyboard.press("ArrowDown")
    expect(radios.nth(1)).to_be_checked()
    expect(page.locator(".pwc-save-status")).to_contain_text("Saved")
    value = list(ITEMS[1].format.choices())[1]
    wait_until_saved(copy_on_disk(app, attempt=2), f'{ITEMS[1].variable} = \\"{value}\\"')


def test_everything_is_still_there_after_the_server_restarts(page: Page, app: AppHolder) -> None:
    app.restart()
    open_app_page(page, app, "home")
    expect(page.locator("tr[data-exercise='ex01_classify_posts'] .pwc-state")).to_contain_text(
        "Submitted on")
    expect(page.locator(f"tr[data-exercise='{EXERCISE}'] .pwc-state")).to_have_text(
        f"2 of {len(ITEMS)} answered")
    expect(page.locator("tr[data-exercise='ex03_social_media_policy'] .pwc-state")).to_have_text(
        "1 of 7 answered")
    open_app_page(page, app, EXERCISE)
    expect(page.locator(f".pwc-answer-{ITEMS[0].variable} input:checked")).to_have_count(1)
