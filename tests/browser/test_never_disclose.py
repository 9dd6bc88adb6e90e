"""A learner works through lesson 3 ("never disclose") in JupyterLab: a practice post answered
wrongly (then "which rule?" and its feedback), another answered rightly, the keyboard, the lesson
quiz to its score and retry, and an axe-core check of everything the lesson showed.
"""

from __future__ import annotations

import re
from pathlib import Path

import axe
import pytest
from labdriver import NOTEBOOK, open_and_run, scroll_to_top
from labserver import LabServer
from playwright.sync_api import Locator, Page, expect
from pwcdom import (
    CLASSIFY,
    give_verdict,
    principle_names,
    read,
    rule_name,
    shown_post,
    state_class,
    words,
    wrong,
)

from course.catalogue import bank
from course.runtime.widgets.quiz import excerpt

pytestmark = pytest.mark.browser

LESSON = "03-never-disclose"


@pytest.fixture(scope="module")
def lesson(module_page: Page, lab_server: LabServer, screenshots: Path) -> Page:
    """Lesson 3 opened and run, as a learner starts it."""
    open_and_run(module_page, lab_server, f"course/lessons/{LESSON}.ipynb")
    scroll_to_top(module_page)
    module_page.screenshot(path=screenshots / f"{LESSON}-1-opened.png")
    return module_page


def practice(page: Page, verdict: str) -> Locator:
    """The first standalone practice post of the lesson whose verdict is `verdict` and which
    has not been answered yet (an answered one is locked)."""
    posts = page.locator(f"{NOTEBOOK} {CLASSIFY}")
    expect(posts.first).to_be_attached()
    for index in range(posts.count()):
        widget = posts.nth(index)
        fresh = widget.locator(".pwc-verdict input").first.is_enabled()
        if fresh and shown_post(widget).verdict == verdict:
            return widget
    raise AssertionError(f"lesson {LESSON} has no unanswered {verdict} practice post")


def test_lesson_shows_practice_posts(lesson: Page) -> None:
    posts = lesson.locator(f"{NOTEBOOK} {CLASSIFY}")
    assert posts.count() >= 5
    for index in range(posts.count()):
        post = shown_post(posts.nth(index))
        assert post.lesson == LESSON
        card = posts.nth(index).locator("article.pwc-post")
        expect(card).to_contain_text(post.display_name)
        # Nothing is chosen before the learner chooses.
        expect(posts.nth(index).locator(".pwc-verdict input:checked")).to_have_count(0)


def test_wrong_verdict_then_the_rule_question(lesson: Page, screenshots: Path) -> None:
    """A wrong verdict is answered kindly and leads to "which rule?"; the reasons come only
    after the rule check, once, with the right rule."""
    widget = practice(lesson, "not acceptable")
    post = shown_post(widget)
    widget.scroll_into_view_if_needed()

    widget.get_by_role("button", name="Check my answer").click()
    feedback = widget.locator(".pwc-verdict-feedback")
    expect(feedback).to_have_class(state_class("prompt"))
    expect(feedback).to_contain_text("Choose acceptable or not acceptable first")

    feedback = give_verdict(widget, wrong(post.verdict), "incorrect")
    text = read(feedback)
    assert text.startswith("Not quite: this post is not acceptable."), text
    assert "Which rule does it break?" in text
    for giveaway in [rule_name(r) for r in post.rules] + principle_names(post) + ["Why:"]:
        assert giveaway not in text, f"the verdict feedback gives away {giveaway!r}"
    # The first answer counts: the verdict is locked once checked.
    for radio in widget.locator(".pwc-verdict input").all():
        expect(radio).to_be_disabled()
    expect(widget.get_by_role("button", name="Check my answer")).to_be_disabled()
    followup = widget.locator(".pwc-followup")
    expect(followup).to_be_visible()
    widget.screenshot(path=screenshots / f"{LESSON}-2-verdict-wrong.png")

    other = next(rule for rule in bank.rules() if rule not in post.rules)
    followup.locator(".pwc-rule-choice").get_by_label(rule_name(other), exact=True).check()
    followup.get_by_role("button", name="Check the rule").click()
    rule_feedback = followup.locator(".pwc-rule-feedback")
    expect(rule_feedback).to_have_class(state_class("incorrect"))
    text = read(rule_feedback)
    assert text.startswith("Not this one."), text
    assert rule_name(post.rules[0]) in text
    for principle in principle_names(post):
        assert principle in text
    assert words(post.explanation) in text
    whole = words(widget.inner_text())
    assert whole.count(words(bank.rules()[post.rules[0]].plain)) == 1, "rule text repeated"
    expect(followup.get_by_role("button", name="Check the rule")).to_be_disabled()
    widget.screenshot(path=screenshots / f"{LESSON}-3-rule-wrong.png")


def test_right_verdict_and_right_rule(lesson: Page, screenshots: Path) -> None:
    widget = practice(lesson, "not acceptable")
    post = shown_post(widget)
    widget.scroll_into_view_if_needed()
    feedback = give_verdict(widget, post.verdict, "correct")
    text = read(feedback)
    assert text.startswith("Well judged: this post is not acceptable."), text
    assert "Which rule does it break?" in text and "Why:" not in text

    followup = widget.locator(".pwc-followup")
    expect(followup).to_be_visible()
    followup.locator(".pwc-rule-choice").get_by_label(rule_name(post.rules[0]), exact=True).check()
    followup.get_by_role("button", name="Check the rule").click()
    rule_feedback = followup.locator(".pwc-rule-feedback")
    expect(rule_feedback).to_have_class(state_class("correct"))
    text = read(rule_feedback)
    assert text.startswith(f"Yes: this post breaks {rule_name(post.rules[0])}"), text
    assert all(principle in text for principle in principle_names(post))
    assert words(post.explanation) in text
    widget.screenshot(path=screenshots / f"{LESSON}-4-which-rule.png")


def test_acceptable_post_by_keyboard_only(lesson: Page, screenshots: Path) -> None:
    """Tab to the verdict, Space to choose it, Tab to the button, Enter to check."""
    widget = practice(lesson, "acceptable")
    post = shown_post(widget)
    radios = widget.locator(".pwc-verdict input[type=radio]")
    radios.first.focus()
    target = widget.locator(".pwc-verdict").get_by_label(post.verdict, exact=True)
    button = widget.get_by_role("button", name="Check my answer")
    for _ in range(3):
        if target.evaluate("el => el === document.activeElement"):
            break
        lesson.keyboard.press("Tab")
    lesson.keyboard.press("Space")
    expect(target).to_be_checked()
    for _ in range(3):
        lesson.keyboard.press("Tab")
        if button.evaluate("el => el === document.activeElement"):
            break
    expect(button).to_be_focused()
    lesson.keyboard.press("Enter")
    feedback = widget.locator(".pwc-verdict-feedback")
    expect(feedback).to_have_class(state_class("correct"))
    text = read(feedback)
    assert text.startswith("Well judged: this post is acceptable."), text
    assert "No rule is broken here." in text
    widget.screenshot(path=screenshots / f"{LESSON}-5-keyboard.png")


def quiz_count(quiz: Locator, expected: int | None = None) -> tuple[int, int]:
    """(position, total) read from the quiz status, once it shows post `expected`."""
    status = quiz.locator(".pwc-quiz-status")
    number = r"\d+" if expected is None else str(expected)
    expect(status).to_contain_text(re.compile(rf"post {number} of \d+", re.I))
    match = re.search(r"post (\d+) of (\d+)", status.text_content() or "", re.I)
    assert match
    return int(match.group(1)), int(match.group(2))


def answer_quiz_item(quiz: Locator, right: bool, last: bool, previous: str | None) -> str:
    """Answer the current quiz post (rightly or not) and go on; return its id. `previous` is
    the post answered just before, which the new one must have replaced."""
    item = quiz.locator(".pwc-quiz-item .pwc-classify")
    expect(item).to_have_count(1)
    if previous is not None:
        expect(item.locator("article.pwc-post")).not_to_have_attribute("data-post-id", previous)
    expect(item.locator(".pwc-verdict input").first).to_be_enabled()
    post = shown_post(item)
    verdict = post.verdict if right else wrong(post.verdict)
    give_verdict(item, verdict, "correct" if right else "incorrect")
    # The verdict is locked once checked: a quiz counts first answers.
    expect(item.locator(".pwc-verdict input").first).to_be_disabled()
    quiz.get_by_role("button", name="See my score" if last else "Next post").click()
    return post.id


def test_finish_the_quiz_and_retry_the_missed_one(lesson: Page, screenshots: Path) -> None:
    quiz = lesson.locator(f"{NOTEBOOK} .pwc-quiz")
    expect(quiz).to_have_count(1)
    quiz.scroll_into_view_if_needed()
    position, total = quiz_count(quiz)
    assert position == 1 and total >= 5
    expect(quiz.locator(".pwc-quiz-status")).not_to_contain_text("right so far")
    quiz.screenshot(path=screenshots / f"{LESSON}-6-quiz-start.png")

    seen: list[str] = []
    for number in range(1, total + 1):
        assert quiz_count(quiz, number) == (number, total)
        previous = seen[-1] if seen else None
        seen.append(answer_quiz_item(quiz, number != 1, number == total, previous))
        if number == 1:
            expect(quiz.locator(".pwc-quiz-status")).to_contain_text("0 right so far")
    assert len(set(seen)) == total, "the quiz showed a post twice"
    expect(quiz.locator(".pwc-progress .progress-bar")).to_have_attribute(
        "style", re.compile(r"width: 100%")
    )

    summary = quiz.locator(".pwc-quiz-summary")
    expect(summary).to_contain_text(
        f"You judged {total - 1} of {total} posts right at the first try."
    )
    missed = summary.locator("ul.pwc-missed li")
    expect(missed).to_have_count(1)
    # The missed post is named by the start of its text, never by its verdict.
    expect(missed).to_contain_text(excerpt(bank.post(seen[0])))
    expect(missed).not_to_contain_text("acceptable")
    expect(quiz.locator("button.pwc-next")).to_be_hidden()
    quiz.screenshot(path=screenshots / f"{LESSON}-7-quiz-score.png")

    quiz.get_by_role("button", name="Try the missed ones again").click()
    expect(quiz.locator(".pwc-quiz-status")).to_contain_text("Retry round: post 1 of 1")
    expect(quiz.locator(".pwc-progress .progress-bar")).to_have_attribute(
        "style", re.compile(r"width: 0%")
    )
    assert answer_quiz_item(quiz, True, True, previous=None) == seen[0]
    expect(summary.locator("ul.pwc-missed")).to_have_count(0)
    expect(summary).to_contain_text("right at the first try. Well done.")
    expect(quiz.get_by_role("button", name="Try the missed ones again")).to_be_hidden()
    expect(quiz.get_by_role("button", name="Start the quiz again")).to_be_visible()
    quiz.screenshot(path=screenshots / f"{LESSON}-8-quiz-retried.png")


def test_no_serious_accessibility_violations(lesson: Page) -> None:
    """axe-core on the lesson's outputs (our widgets, with the feedback the tests above opened).

    JupyterLab's own interface has serious violations of its own (toolbar buttons, the
    notebook viewport, the code editor), so the check is scoped to the output areas, where
    everything the course draws lives.
    """
    try:
        result = axe.run(lesson, ".jp-OutputArea-output")
    except axe.AxeUnavailable as error:
        pytest.skip(f"axe-core unavailable: {error}")
    assert lesson.locator(".jp-OutputArea-output .pwc-feedback.pwc-correct").count() >= 1
    assert any(rule["id"] == "color-contrast" for rule in result["passes"]), "axe checked nothing"
    serious = axe.serious_violations(result)
    assert not serious, "\n".join(serious)
