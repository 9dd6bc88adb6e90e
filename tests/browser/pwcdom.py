"""The course widgets as a learner meets them in the page, per the DOM contract documented in
`course/runtime/widgets/__init__.py`; correct answers are looked up in the course's own content
data.
"""

from __future__ import annotations

import re

from playwright.sync_api import Locator, expect

from course.catalogue import bank
from course.catalogue.scenarios import Post

VERDICTS = ("acceptable", "not acceptable")
# A standalone practice post (not the current item of a quiz).
CLASSIFY = ".pwc-classify:not(.pwc-quiz .pwc-classify)"


def state_class(kind: str) -> re.Pattern[str]:
    """Matches a feedback area's class list once it shows `kind` (correct/incorrect/prompt)."""
    return re.compile(rf"(^|\s)pwc-{kind}(\s|$)")


def shown_post(scope: Locator) -> Post:
    """The post whose card is shown in `scope`, looked up by its `data-post-id`."""
    card = scope.locator("article.pwc-post").first
    expect(card).to_have_attribute("data-post-id", re.compile(r"\S"))
    post_id = card.get_attribute("data-post-id")
    assert post_id is not None
    return bank.post(post_id)


def words(text: str) -> str:
    """`text` with its whitespace collapsed."""
    return " ".join(text.split())


def read(feedback: Locator) -> str:
    """A feedback area's text as read aloud: whitespace collapsed, the decorative ✓/✗ dropped."""
    return words(feedback.inner_text()).removeprefix("✓ ").removeprefix("✗ ")


def wrong(verdict: str) -> str:
    return next(v for v in VERDICTS if v != verdict)


def rule_name(rule_id: str) -> str:
    """How feedback names a rule, e.g. 'Rule 1: …', from the framework data."""
    rule = bank.rules()[rule_id]
    return f"Rule {rule.number}: {rule.title}"


# How verdict feedback begins, per kind.
OPENINGS = {"correct": "Well judged:", "incorrect": "Not quite:"}


def give_verdict(classify: Locator, verdict: str, expected: str) -> Locator:
    """Choose `verdict`, press "Check my answer", wait for `expected` feedback; return it."""
    classify.locator(".pwc-verdict").get_by_label(verdict, exact=True).check()
    classify.get_by_role("button", name="Check my answer").click()
    feedback = classify.locator(".pwc-verdict-feedback")
    expect(feedback).to_have_class(state_class(expected))
    expect(feedback).to_contain_text(OPENINGS[expected])
    return feedback


def principle_names(post: Post) -> list[str]:
    known = bank.principles()
    return [known[p].name for p in post.principles]
