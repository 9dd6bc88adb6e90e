"""The presentation view in real Chromium at 1280×720, as a trainer uses it on a projector:
one item per screen with post text of at least 28 px, keyboard and presenter-clicker keys,
no scroll jump, the reveal, a reload on the same item, a saved session played in order, every
ready-made session fitting the screen, axe-core clean; and the debrief deck from a real cohort
run, with no learner's name in it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import axe
import cohort_helpers as h  # noqa: E402
import debrief_cohort as dc  # noqa: E402
import pytest
from artifacts import SCREENSHOTS
from playwright.sync_api import Browser, Page, expect

from course.catalogue import bank
from course.runtime.private import HOME_ENV
from course.workshop import present, sessions
from course.workshop.sessions import Step

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
CURRENT = "section.slide:not([hidden])"


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("trainer") / "private"
    before = os.environ.get(HOME_ENV)
    os.environ[HOME_ENV] = str(folder)
    yield folder
    if before is None:
        os.environ.pop(HOME_ENV, None)
    else:
        os.environ[HOME_ENV] = before


@pytest.fixture(scope="module")
def workshop_deck(home: Path) -> Path:
    return present.write(sessions.find("two-and-a-half-hours"))


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PROJECTOR, locale="en-GB")
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def counter(page: Page) -> str:
    return page.locator("#pwc-counter").inner_text()


def scroll_position(page: Page) -> dict:
    return page.evaluate("""() => ({
        window: window.scrollY,
        root: document.scrollingElement.scrollTop,
        top: document.querySelector('section.slide:not([hidden])').getBoundingClientRect().top,
        shown: document.querySelectorAll('section.slide:not([hidden])').length})""")


def text_size(page: Page) -> float:
    size = page.locator(f"{CURRENT} .pwc-text").evaluate("e => getComputedStyle(e).fontSize")
    return float(size.removesuffix("px"))


def session_texts(session: sessions.Session) -> list[str]:
    """What each screen's main text is, in order (the post's or situation's text)."""
    texts = []
    for step in session.steps:
        if step.post:
            texts.append(" ".join(bank.post(step.post).text.split()))
        elif step.situation:
            texts.append(" ".join(bank.response(step.situation).situation.split()))
        else:
            texts.append(step.heading or "")
    return texts


def test_one_item_per_screen_readable_without_zoom(page: Page, workshop_deck: Path) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(workshop_deck.as_uri() + "#3")
    assert counter(page) == f"3 of {len(sessions.find('two-and-a-half-hours').steps)}"
    assert scroll_position(page)["shown"] == 1
    assert text_size(page) >= 28
    box = page.locator(f"{CURRENT} .pwc-card").bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= PROJECTOR["height"] - 64
    assert page.evaluate("document.documentElement.scrollHeight") <= PROJECTOR["height"]
    page.screenshot(path=SCREENSHOTS / "presentation-1-post.png")
    assert [url for url in requests if not url.startswith("file:")] == [], "works offline"


def test_arrow_keys_and_clicker_keys_move_without_scrolling(page: Page,
                                                            workshop_deck: Path) -> None:
    page.goto(workshop_deck.as_uri() + "#3")
    total = counter(page).split(" of ")[1]
    start = scroll_position(page)
    for key, expected in [("ArrowRight", 4), ("PageDown", 5), (" ", 6), ("ArrowLeft", 5),
                          ("PageUp", 4), ("Shift+Space", 3), ("End", int(total)), ("Home", 1)]:
        page.keyboard.press(key)
        assert counter(page) == f"{expected} of {total}", key
        assert scroll_position(page) == start, f"the view moved after {key}"
    page.get_by_role("button", name="Next").click()
    page.keyboard.press(" ")  # the mouse click leaves no focused button to swallow Space
    assert counter(page) == f"3 of {total}"


def test_reveal_shows_verdict_rule_principle_and_what_decides_it(page: Page,
                                                                 workshop_deck: Path) -> None:
    session = sessions.find("two-and-a-half-hours")
    number = next(n for n, s in enumerate(session.steps, 1)
                  if s.post and bank.post(s.post).verdict == "not acceptable")
    post = bank.post(session.steps[number - 1].post or "")
    page.goto(workshop_deck.as_uri() + f"#{number}")
    panel = page.locator(f"{CURRENT} .pwc-panel")
    answer = page.locator(f"{CURRENT} .pwc-answer")
    colour = panel.evaluate("e => getComputedStyle(e).backgroundColor")
    expect(answer).to_be_hidden()
    start = scroll_position(page)
    page.keyboard.press("r")
    expect(answer).to_be_visible()
    shown = " ".join(answer.inner_text().split())
    assert "Not acceptable" in shown
    rule = bank.rules()[post.rules[0]]
    assert f"Rule {rule.number}: {rule.title}" in shown
    assert bank.principles()[post.principles[0]].name in shown
    assert " ".join(post.explanation.split()) in shown
    assert panel.evaluate("e => getComputedStyle(e).backgroundColor") != colour
    expect(page.get_by_role("button", name="Hide the answer")).to_have_attribute(
        "aria-pressed", "true")
    assert scroll_position(page) == start
    page.screenshot(path=SCREENSHOTS / "presentation-2-revealed.png")
    page.keyboard.press("ArrowUp")
    expect(answer).to_be_hidden()
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    page.keyboard.press("ArrowRight")
    assert scroll_position(page) == start
    expect(page.locator(f"{CURRENT} .pwc-answer")).to_be_hidden()  # the next item starts closed
    page.keyboard.press("ArrowLeft")
    expect(page.locator(f"{CURRENT} .pwc-answer")).to_be_visible()  # and this one stays open
    page.get_by_role("button", name="Hide the answer").click()
    expect(page.locator(f"{CURRENT} .pwc-answer")).to_be_hidden()


def test_full_screen_by_key_and_button_keeps_the_item(page: Page, workshop_deck: Path) -> None:
    page.goto(workshop_deck.as_uri() + "#3")
    button = page.locator("#pwc-fullscreen")
    expect(button).to_have_text("Full screen")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === document.documentElement")
    expect(button).to_have_text("Leave full screen")
    assert counter(page).startswith("3 of ") and scroll_position(page)["shown"] == 1
    assert text_size(page) >= 28
    page.keyboard.press("ArrowRight")
    assert counter(page).startswith("4 of ")
    page.keyboard.press("f")
    page.wait_for_function("document.fullscreenElement === null")
    expect(button).to_have_text("Full screen")
    button.click()
    page.wait_for_function("document.fullscreenElement !== null")
    expect(button).to_have_text("Leave full screen")
    button.click()  # (Escape, the browser's own way out, is not sent by headless Chromium)
    page.wait_for_function("document.fullscreenElement === null")
    expect(button).to_have_text("Full screen")
    assert counter(page).startswith("4 of ")


def test_a_reload_comes_back_to_the_same_item(page: Page, workshop_deck: Path) -> None:
    page.goto(workshop_deck.as_uri())
    for _ in range(4):
        page.keyboard.press("PageDown")
    page.keyboard.press("r")
    page.reload()
    assert counter(page).startswith("5 of ")
    expect(page.locator(f"{CURRENT} .pwc-answer")).to_be_visible()
    page.goto(workshop_deck.as_uri())  # no place in the address: the browser remembers it
    assert counter(page).startswith("5 of ")


def test_a_saved_session_plays_in_its_order(page: Page, home: Path) -> None:
    steps = [Step(post="p040"), Step(situation="bad-review"), Step(heading="Break"),
             Step(post="p019"), Step(post="p003")]
    sessions.save("Evening group", steps)
    session = sessions.find("evening-group")
    path = present.write(session)
    page.goto(path.as_uri())
    for number, expected in enumerate(session_texts(session), start=1):
        assert counter(page) == f"{number} of {len(steps)}"
        assert expected in " ".join(page.locator(CURRENT).inner_text().split())
        page.keyboard.press("PageDown")
    assert counter(page) == f"{len(steps)} of {len(steps)}"


CUT_OFF = """() => [...document.querySelectorAll(['.pwc-item', '.pwc-panel', '.pwc-card',
    '.pwc-situation', '.pwc-summary'].map(c => 'section.slide:not([hidden]) ' + c).join(','))]
    .filter(e => e.scrollHeight > e.clientHeight + 1).map(e => e.className)"""


def cut_off(page: Page) -> list[str]:
    """The parts of the current screen whose content does not fit (scrolls or is cut off)."""
    return page.evaluate(CUT_OFF)


def test_every_post_and_situation_fits_the_projector_before_and_after_reveal(
        page: Page, home: Path) -> None:
    steps = [Step(post=post_id) for post_id in bank.posts()] + [
        Step(situation=situation_id) for situation_id in bank.responses()]
    every = sessions.Session(id="everything", title="Everything", steps=steps)
    page.goto(present.write(every).as_uri() + "#1")
    too_long = []
    for number, step in enumerate(steps, start=1):
        assert counter(page).startswith(f"{number} of ")
        for state in ("shown", "revealed"):
            if cut_off(page):
                too_long.append(f"{step.post or step.situation} ({state})")
            assert text_size(page) >= 28
            if state == "shown":
                page.keyboard.press("r")
        page.keyboard.press("ArrowRight")
    assert too_long == [], f"cut off or scrolling at 1280×720: {too_long}"


@pytest.mark.parametrize("session_id", ["two-and-a-half-hours", "three-hours-with-exercise",
                                        "follow-up-ninety-minutes"])
def test_every_screen_of_the_ready_made_sessions_fits(page: Page, home: Path,
                                                      session_id: str) -> None:
    session = sessions.find(session_id)
    page.goto(present.write(session).as_uri() + "#1")
    for number, step in enumerate(session.steps, start=1):
        assert counter(page).startswith(f"{number} of ")
        if step.heading is None:
            assert text_size(page) >= 28, f"screen {number}"
            page.keyboard.press("r")
        assert cut_off(page) == [], f"{session_id}: screen {number} does not fit at 1280×720"
        assert scroll_position(page)["window"] == 0
        page.keyboard.press("ArrowRight")


def test_axe_finds_nothing_serious(page: Page, workshop_deck: Path) -> None:
    session = sessions.find("two-and-a-half-hours")
    screens = {"heading": 1,
               "post": next(n for n, s in enumerate(session.steps, 1) if s.post),
               "situation": next(n for n, s in enumerate(session.steps, 1) if s.situation)}
    page.emulate_media(reduced_motion="reduce")  # check the revealed colours, not the fade-in
    for kind, number in screens.items():
        page.goto(workshop_deck.as_uri() + f"#{number}")
        page.reload()
        for state in ("closed", "revealed"):
            if state == "revealed":
                page.keyboard.press("r")
            problems = axe.serious_violations(axe.run(page, "html"))
            assert not problems, f"{kind}, {state}: {problems}"


def test_the_debrief_deck_from_a_real_cohort_run(page: Page,
                                                 tmp_path_factory: pytest.TempPathFactory
                                                 ) -> None:
    ex = h.load(h.EX01)
    out, done = dc.grade(tmp_path_factory.mktemp("debrief"), ex, "--debrief-answers", "show")
    assert done.returncode == 0, done.stderr
    page.goto((out / "debrief.html").as_uri())
    total = int(counter(page).split(" of ")[1])
    hardest = next(iter(dc.wrong_items(ex)))
    item = ex.item(hardest)
    entry = next(e for p in ex.key.parts for e in p.entries if e.id == item.entry)
    page.keyboard.press("PageDown")
    expect(page.locator(f"{CURRENT} .pwc-text")).to_have_text(" ".join(entry.post.text.split()))
    assert text_size(page) >= 28
    page.emulate_media(reduced_motion="reduce")
    page.keyboard.press("r")
    expect(page.locator(f"{CURRENT} .pwc-answer")).to_contain_text(entry.verdict.capitalize())
    page.screenshot(path=SCREENSHOTS / "presentation-3-debrief.png")
    assert not axe.serious_violations(axe.run(page, "html"))
    seen = []
    page.keyboard.press("Home")
    for number in range(1, total + 1):
        seen.append(page.locator(CURRENT).inner_text())
        assert cut_off(page) == [], f"debrief screen {number} does not fit at 1280×720"
        page.keyboard.press("r")
        assert cut_off(page) == [], f"debrief screen {number}, revealed, does not fit"
        page.keyboard.press("ArrowRight")
    everything = "\n".join(seen).lower()
    for name in dc.NAMES:
        for part in (*name.split(), dc.folder(name)):
            assert part.lower() not in everything, part
    assert "the rules the group found hardest" in everything


def test_the_debriefs_rules_screen_fits_with_its_five_longest_rules(
        page: Page, tmp_path: Path) -> None:
    from course.catalogue import wording
    from course.workshop import deck
    from grader.cohort import debrief

    names = sorted(wording.rule_names().values(), key=len, reverse=True)[:5]
    slide = debrief._rules_slide([(name, 0.9 - n / 10) for n, name in enumerate(names)])
    path = tmp_path / "rules.html"
    path.write_text(deck.render("Rules", [slide]), encoding="utf-8")
    page.goto(path.as_uri())
    assert page.locator(f"{CURRENT} .pwc-bars li").count() == 5
    assert cut_off(page) == []
    page.screenshot(path=SCREENSHOTS / "presentation-4-debrief-rules.png")
