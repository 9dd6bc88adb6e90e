"""The room's live vote, end to end, in real Chromium through a real JupyterHub on loopback.

The trainer signs in through the hub's login page, opens the session builder on their own
server, presents a session of practice posts and opens a vote on the current post (key V).
Three learners (each in a browser context of their own, signed in with their own passwords,
one at a phone's width) see the post with its choices on their app page and vote by clicking;
one changes their mind. The trainer's deck shows the count rise; Reveal shows the split next
to the verdict on the trainer's screen and on the learners' pages; moving on ends the vote, and
the learners' pages show nothing again. No name appears in the vote's pages or answers.

Uses the session's one room (the ``room`` fixture in tests/conftest.py) and the voters'
accounts, so the exercise-flow tests' learners are left alone.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import axe
import pytest
from artifacts import SCREENSHOTS
from hub_room import FLOW_LEARNERS, login_in_browser, why_not
from playwright.sync_api import Browser, BrowserContext, Page, Response, expect

from course.catalogue import bank

pytestmark = [pytest.mark.hub, pytest.mark.browser, pytest.mark.timeout(1200)]
if why_not():
    pytest.skip(why_not(), allow_module_level=True)

PHONE = {"width": 390, "height": 844}
PROJECTOR = {"width": 1366, "height": 850}
SPAWN_MS = 240_000
CURRENT = "section.slide:not([hidden])"


class Person:
    """One person's browser context, with every answer of the vote service it received."""

    def __init__(self, browser: Browser, viewport: dict) -> None:
        self.context: BrowserContext = browser.new_context(viewport=viewport, locale="en-GB")
        self.context.set_default_timeout(30_000)
        self.page: Page = self.context.new_page()
        self.answers: list[Response] = []
        self.states = 0
        self.seen: list[str] = []  # what happened, for a failure's message
        self.context.on("response", self._keep)
        self.page.on("console", lambda message: self.seen.append(f"console: {message.text}"))

    def _keep(self, response: Response) -> None:
        if "/services/vote/" not in response.url:
            return
        self.seen.append(f"{response.status} {response.request.method} {response.url[-60:]}")
        if response.status not in (301, 302, 303):
            self.answers.append(response)  # read after the event (not inside its handler)
        if response.url.endswith("/api/state") and response.ok:
            self.states += 1

    def vote_answers(self) -> list[str]:
        """The bodies of every answer of the vote service this person's browser received."""
        texts = []
        for response in self.answers:
            try:
                texts.append(response.text())
            except Exception:  # noqa: BLE001  (a body the browser no longer holds)
                continue
        assert len(texts) >= len(self.answers) // 2, "most of the vote's answers were unreadable"
        return texts


class People:
    """The test's people; their browser contexts are closed at the end."""

    def __init__(self, browser: Browser) -> None:
        self.browser, self.made = browser, []

    def new(self, viewport: dict) -> Person:
        self.made.append(Person(self.browser, viewport))
        return self.made[-1]


@pytest.fixture
def people(browser: Browser) -> Iterator[People]:
    them = People(browser)
    yield them
    for one in them.made:
        one.context.close()


def _clear_the_vote(room) -> None:
    """Start from no vote (another test of the session may have left one revealed)."""
    trainer = room.user(room.trainer)
    assert trainer.login()
    xsrf = trainer.vote_xsrf()
    assert trainer.vote_api("POST", "end", xsrf).json()["phase"] == "idle"


def _wait_until(page: Page, check, what, timeout: float = 30) -> None:
    """Wait in Playwright (so the browser's events keep arriving), not in time.sleep."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what()}")
        page.wait_for_timeout(250)


def test_the_room_votes_from_the_trainers_presentation(room, people) -> None:
    _clear_the_vote(room)
    voters = room.learners[FLOW_LEARNERS:FLOW_LEARNERS + 3]
    trainer = people.new(PROJECTOR)
    learners = [people.new(PHONE if i == 0 else PROJECTOR) for i in range(len(voters))]

    # everyone signs in through the hub's own login form; their servers start
    login_in_browser(trainer.page, room, room.trainer)
    for name, learner in zip(voters, learners, strict=True):
        login_in_browser(learner.page, room, name)
    trainer.page.wait_for_url(re.compile(rf"/user/{room.trainer}/lab"), timeout=SPAWN_MS,
                              wait_until="commit")

    # the trainer opens the session builder on their server and presents two practice posts
    trainer.page.goto(f"{room.url}/user/{room.trainer}/voila/render/course-app/"
                      "session-builder.ipynb", wait_until="commit", timeout=SPAWN_MS)
    builder = trainer.page.locator(".pwc-session-builder")
    builder.wait_for(timeout=SPAWN_MS)
    builder.get_by_label("Show").select_option(label="Practice posts")
    builder.locator("select[multiple]").select_option(index=[0, 1])
    builder.get_by_role("button", name="Add to the session").click()
    expect(builder.locator(".pwc-builder-status")).to_contain_text("the session has 2 screens")
    builder.get_by_role("button", name="Present").click()
    stage = trainer.page.frame_locator("iframe.pwc-stage")
    expect(stage.locator("#pwc-counter")).to_have_text("1 of 2")
    slide = stage.locator(CURRENT)
    post = bank.post(slide.get_attribute("data-vote-post") or "")
    expect(stage.get_by_role("button", name="Open a vote")).to_be_visible()

    # learners are on their app's home page: no vote is open, so nothing shows
    for learner in learners:
        learner.page.wait_for_url(re.compile(r"/voila/render/course-app/home\.ipynb"),
                                  timeout=SPAWN_MS, wait_until="commit")
        learner.page.locator(".pwc-home").first.wait_for(timeout=SPAWN_MS)
    for learner in learners:
        seen = learner.states
        _wait_until(learner.page, lambda learner=learner, seen=seen: learner.states > seen,
                    lambda learner=learner: f"a learner's page to ask the vote for its state: "
                                            f"{learner.seen[-12:]}")
        assert learner.page.locator("section.pwc-vote").is_hidden()

    # the trainer opens a vote on the current post with V
    trainer.page.locator("iframe.pwc-stage").scroll_into_view_if_needed()
    stage.locator("#pwc-counter").click()
    trainer.page.keyboard.press("v")
    live = stage.locator(f"{CURRENT} .pwc-vote-live")
    expect(live).to_contain_text("0 votes so far")
    expect(stage.get_by_role("button", name="Close the vote")).to_be_visible()

    # every learner sees the post and its choices, and votes by clicking
    text = " ".join(post.text.split())
    choices = ["not acceptable", "acceptable", "not acceptable"]
    for learner, choice in zip(learners, choices, strict=True):
        panel = learner.page.get_by_role("region", name="Room vote")
        expect(panel).to_be_visible(timeout=15_000)
        expect(panel.locator(".pwc-vote-text")).to_have_text(text)
        group = panel.get_by_role("radiogroup", name="Your vote: is this post acceptable?")
        expect(group.get_by_role("radio")).to_have_count(2)
        group.get_by_label(choice.capitalize(), exact=True).click()
        expect(panel.locator(".pwc-vote-status")).to_contain_text(
            f"Your vote: {choice.capitalize()}.")
    expect(live).to_contain_text("3 votes so far", timeout=15_000)

    phone = learners[0]
    problems = axe.serious_violations(axe.run(phone.page, "section.pwc-vote"))
    assert not problems, problems
    width = phone.page.evaluate("() => document.querySelector('section.pwc-vote')"
                                ".getBoundingClientRect().width")
    assert width <= PHONE["width"], "the vote is wider than the phone"
    phone.page.screenshot(path=SCREENSHOTS / "hub-vote-1-learner-phone.png")

    # one learner changes their mind: still three votes, and theirs is the new one
    panel = phone.page.get_by_role("region", name="Room vote")
    panel.get_by_label("Acceptable", exact=True).click()
    expect(panel.locator(".pwc-vote-status")).to_contain_text("Your vote: Acceptable.")
    expect(panel.get_by_label("Acceptable", exact=True)).to_be_checked()
    trainer.page.wait_for_timeout(2500)  # the deck's next count comes after the change
    expect(live).to_contain_text("3 votes so far")
    trainer.page.locator("iframe.pwc-stage").screenshot(
        path=SCREENSHOTS / "hub-vote-2-trainer-count.png")

    # Reveal: the room's split next to the verdict, on the trainer's screen and the learners'
    stage.locator("#pwc-counter").click()
    trainer.page.keyboard.press("r")
    split = stage.locator(f"{CURRENT} .pwc-vote-split")
    expect(split).to_contain_text("2 of 3 said acceptable")
    expect(split).to_contain_text("1 of 3 said not acceptable")
    expect(stage.locator(f"{CURRENT} .pwc-verdict")).to_have_text(post.verdict.capitalize())
    expect(stage.locator(f"{CURRENT} .pwc-vote-live")).to_contain_text("The vote has closed")
    trainer.page.locator("iframe.pwc-stage").screenshot(
        path=SCREENSHOTS / "hub-vote-3-trainer-reveal.png")
    for learner in learners:
        result = learner.page.locator(".pwc-vote-result")
        expect(result).to_contain_text("2 of 3 said acceptable", timeout=15_000)
        expect(result).to_contain_text(f"The course's verdict: {post.verdict.capitalize()}.")
        closed = learner.page.get_by_role("region", name="Room vote")
        expect(closed.get_by_label("Acceptable", exact=True)).to_be_disabled()
    phone.page.screenshot(path=SCREENSHOTS / "hub-vote-4-learner-reveal.png")
    late = learners[1].page.get_by_role("region", name="Room vote")
    expect(late.get_by_label("Not acceptable", exact=True)).to_be_disabled()
    expect(late.locator(".pwc-vote-status")).to_contain_text("The vote has closed.")

    # moving on ends the vote: the learners' pages show nothing again
    trainer.page.keyboard.press("PageDown")
    expect(stage.locator("#pwc-counter")).to_have_text("2 of 2")
    for learner in learners:
        expect(learner.page.locator("section.pwc-vote")).to_be_hidden(timeout=15_000)

    # no name anywhere in the vote: its answers, the learners' panels, the trainer's deck
    names = [room.trainer, *room.learners]
    everything = [*trainer.vote_answers(), stage.locator("body").inner_html()]
    for learner in learners:
        answers = learner.vote_answers()
        assert len(answers) > 3
        everything += answers
        everything.append(learner.page.locator("section.pwc-vote").inner_html())
    assert len(everything) > 12
    leaked = {name for name in names for text in everything if name in text}
    assert leaked == set(), f"a name in the vote: {leaked}"
