"""The course widgets: post card, classify, quiz, branching, reflection and discussion deck.

Callbacks are exercised the way the browser would trigger them (set a value, click a button),
first in this process against fixture content, then once inside a real kernel.
"""

from __future__ import annotations

import json
import re
import shutil
import stat
from html.parser import HTMLParser
from pathlib import Path
from typing import get_args

import ipywidgets as widgets
import nbformat
import pytest
import yaml
from markupsafe import escape
from nbclient import NotebookClient

from course.catalogue import bank
from course.catalogue.responses import Response
from course.catalogue.scenarios import (
    CONTENT_DIR,
    PLATFORM_COLOURS,
    PLATFORM_NAMES,
    VERDICTS,
    ContentError,
    Platform,
)
from course.runtime.widgets import (
    Branching,
    Classify,
    Discussion,
    PostCard,
    Quiz,
    Reflection,
    feedback,
)
from course.runtime.widgets.post_card import initials, post_card_html
from course.runtime.widgets.quiz import excerpt
from course.runtime.widgets.reflection import HOME_ENV, reflections_path
from course.runtime.widgets.styles import CSS, TEXT_PAIRS, contrast

ROOT = Path(__file__).resolve().parent.parent
LESSON = "03-never-disclose"

EXPLANATION = "This fixture explains the verdict in two sentences. It is only for tests."
FIXTURE_POSTS = [
    {
        "id": "p901",
        "lesson": LESSON,
        "platform": "x",
        "account": "professional",
        "poster": "a counsellor in private practice",
        "display_name": "Lantern Quay Counselling",
        "handle": "@lanternquay_test",
        "text": "Tough session with my 3pm today, a nurse worried about money.",
        "verdict": "not acceptable",
        "rules": ["disclose", "engage"],
        "principles": ["trustworthy", "non-maleficence"],
        "explanation": EXPLANATION,
    },
    {
        "id": "p902",
        "lesson": LESSON,
        "platform": "facebook-page",
        "account": "professional",
        "poster": "a counsellor in private practice",
        "display_name": "Lantern Quay Counselling",
        "text": "Winter can be hard on sleep. Here are three gentle ideas for settling at night.",
        "verdict": "acceptable",
        "rules": ["disclose"],
        "principles": ["beneficence"],
        "explanation": EXPLANATION,
    },
    {
        "id": "p903",
        "lesson": LESSON,
        "platform": "blog",
        "account": "personal",
        "poster": "a <b>counsellor</b> & trainer",
        "display_name": "<i>Rook</i> & Wren",
        "text": "<script>alert('boo')</script> and <img src=x onerror=alert(1)> in a post.",
        "context": "A context line with <a href='https://evil.example'>a link</a> & more.",
        "verdict": "not acceptable",
        "rules": ["separate"],
        "principles": ["self-respect"],
        "explanation": EXPLANATION,
    },
]
FIXTURE_POSTS += [
    {**FIXTURE_POSTS[index % 2], "id": f"p91{index}", "text": f"Fixture post number {index}."}
    for index in range(4)
]


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A content folder with the real framework, lessons and responses and fixture posts."""
    folder = tmp_path / "content"
    (folder / "posts").mkdir(parents=True)
    for name in ("framework.yaml", "lessons.yaml", "responses.yaml"):
        shutil.copy(CONTENT_DIR / name, folder / name)
    # the lesson's quiz is its fixture posts (the real lessons.yaml lists the real posts)
    lessons = yaml.safe_load((folder / "lessons.yaml").read_text(encoding="utf-8"))
    for lesson in lessons["lessons"]:
        if lesson["id"] == LESSON:
            lesson["quiz"] = [p["id"] for p in FIXTURE_POSTS]
    (folder / "lessons.yaml").write_text(yaml.safe_dump(lessons, allow_unicode=True),
                                         encoding="utf-8")
    posts_file = folder / "posts" / f"{LESSON}.yaml"
    posts_file.write_text(yaml.safe_dump({"posts": FIXTURE_POSTS}), encoding="utf-8")
    monkeypatch.setenv(bank.CONTENT_ENV, str(folder))
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    bank.clear()
    yield folder
    bank.clear()


class _Elements(HTMLParser):
    """The element names in a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)


def classes(widget: widgets.DOMWidget) -> set[str]:
    return set(widget._dom_classes)


def state(area: widgets.HTML) -> set[str]:
    return classes(area) & {"pwc-correct", "pwc-incorrect", "pwc-prompt"}


def hidden(widget: widgets.DOMWidget) -> bool:
    return widget.layout.display == "none"


def all_widgets(root: widgets.Widget) -> list[widgets.Widget]:
    found = [root]
    for child in getattr(root, "children", ()):
        found += all_widgets(child)
    return found


# --- post card ------------------------------------------------------------------------------
def test_post_card_escapes_every_piece_of_text(content: Path) -> None:
    html = PostCard(bank.post("p903")).value
    assert set(_Elements(html).tags) <= {"article", "div", "span", "p", "strong"}
    assert "&lt;script&gt;alert(&#39;boo&#39;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;i&gt;Rook&lt;/i&gt; &amp; Wren" in html
    assert "A &lt;b&gt;counsellor&lt;/b&gt; &amp; trainer" in html
    assert "&lt;a href=&#39;https://evil.example&#39;&gt;a link&lt;/a&gt; &amp; more" in html


def test_post_card_looks_like_its_platform(content: Path) -> None:
    card = PostCard(bank.post("p901"))
    assert "pwc-card" in classes(card)
    html = card.value
    for expected in (
        "data-post-id='p901'",
        "aria-label='X post by Lantern Quay Counselling'",
        "pwc-platform-x",
        PLATFORM_COLOURS["x"],
        "Professional account",
        ">LQ<",
        "@lanternquay_test",
        "<div class='pwc-poster'>A counsellor in private practice</div>",
    ):
        assert expected in html
    assert "Posted by" not in html  # the line must read as well under a friend request
    assert "pwc-post-context" not in html
    personal = post_card_html(bank.post("p903"))
    assert "Personal account" in personal and "pwc-post-context" in personal


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Harbour Lane Counselling", "HL"),
        ("nia bevan", "NB"),
        ("Tom", "T"),
        ("‘Rook’ & Wren", "RW"),
        ("🌱 Calm Corner", "CC"),
        ("", "?"),
    ],
)
def test_avatar_initials(name: str, expected: str) -> None:
    assert initials(name) == expected


def test_every_platform_has_a_badge_colour_readable_with_white_text() -> None:
    assert set(PLATFORM_COLOURS) == set(get_args(Platform)) == set(PLATFORM_NAMES)
    for platform, colour in PLATFORM_COLOURS.items():
        assert contrast("#ffffff", colour) >= 4.5, platform


@pytest.mark.parametrize("use", sorted(TEXT_PAIRS))
def test_text_colours_meet_wcag_aa_contrast(use: str) -> None:
    foreground, background = TEXT_PAIRS[use]
    assert contrast(foreground, background) >= 4.5


def css_rules(css: str) -> dict[str, str]:
    """{selector: declarations} for each rule of a flat style sheet."""
    return {
        " ".join(selector.split()): body
        for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    }


def test_every_text_and_background_colour_pair_in_the_style_sheet_is_contrast_checked() -> None:
    checked = set(TEXT_PAIRS.values())
    pairs = []
    for selector, body in css_rules(CSS).items():
        text = re.search(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", body)
        background = re.search(r"background(?:-color)?:\s*(#[0-9a-f]{6})", body)
        if text and background:
            pairs.append((selector, (text.group(1), background.group(1))))
    assert len(pairs) >= 10
    assert [s for s, pair in pairs if pair not in checked] == []
    buttons = [pair for selector, pair in pairs if ".jupyter-button" in selector]
    assert len(buttons) == 4  # primary and secondary, each plain and on hover
    assert all(contrast(*pair) >= 4.5 for pair in buttons)


def test_buttons_use_the_course_colours_not_ipywidgets_styles(content: Path) -> None:
    roots = [
        Quiz(bank.lesson_posts(LESSON), seed=1),
        Classify(bank.post("p901")),
        Branching(next(iter(bank.responses().values()))),
        Reflection(bank.lesson(LESSON)),
        Discussion(bank.lesson_posts(LESSON)),
    ]
    buttons = [w for root in roots for w in all_widgets(root) if isinstance(w, widgets.Button)]
    assert len(buttons) >= 10
    for button in buttons:
        assert button.button_style == "", button.description
        assert len(classes(button) & {"pwc-primary", "pwc-secondary"}) == 1, button.description


def test_the_style_sheet_follows_the_lesson_font_size_and_hides_code_placeholders() -> None:
    rules = css_rules(CSS)
    assert "var(--jp-content-font-size1" in rules[".pwc-widget"]
    assert re.findall(r"font-size:\s*[\d.]+px", CSS) == []  # em, or the theme's own sizes
    labels = next(body for sel, body in rules.items() if ".widget-radio-box label" in sel)
    assert "var(--jp-content-font-size1" in labels  # choices as large as the card text
    hide = ".jp-Notebook:has(.pwc-widget) .jp-CodeCell .jp-InputPlaceholder"
    assert "display: none" in rules[hide]


def test_contrast_calculation_matches_known_values() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


# --- classify -------------------------------------------------------------------------------
def test_classify_starts_with_nothing_chosen_and_accessible_controls(content: Path) -> None:
    widget = Classify(bank.post("p901"))
    assert {"pwc-widget", "pwc-classify"} <= classes(widget)
    assert widget.verdict.options == VERDICTS == ("acceptable", "not acceptable")
    assert widget.verdict.value is None
    assert widget.verdict.description == "Your verdict"
    assert widget.check.description == "Check my answer" and widget.check.tooltip
    assert "pwc-check" in classes(widget.check)
    assert widget.feedback.value == "" and state(widget.feedback) == set()
    assert hidden(widget.followup)


def test_checking_without_a_choice_asks_for_one(content: Path) -> None:
    widget = Classify(bank.post("p901"))
    widget.check.click()
    assert state(widget.feedback) == {"pwc-prompt"}
    assert "Choose acceptable or not acceptable first" in widget.feedback.value
    assert hidden(widget.followup)


@pytest.mark.parametrize(
    ("post_id", "chosen", "kind", "opening"),
    [
        ("p902", "acceptable", "correct", "Well judged: this post is <strong>acceptable"),
        ("p902", "not acceptable", "incorrect", "Not quite: this post is <strong>acceptable"),
    ],
)
def test_acceptable_post_feedback_explains_everything_at_once(
    content: Path, post_id: str, chosen: str, kind: str, opening: str
) -> None:
    post = bank.post(post_id)
    widget = Classify(post)
    widget.verdict.value = chosen
    widget.check.click()
    html = widget.feedback.value
    assert state(widget.feedback) == {f"pwc-{kind}"}
    assert opening in html
    assert "No rule is broken here." in html
    assert f"It keeps to <strong>Rule 1: {bank.rules()['disclose'].title}</strong>" in html
    assert "Principle it reflects" in html and bank.principles()["beneficence"].name in html
    assert EXPLANATION in html
    assert hidden(widget.followup)


@pytest.mark.parametrize(
    ("chosen", "kind", "opening"),
    [
        ("not acceptable", "correct", "Well judged: this post is <strong>not acceptable"),
        ("acceptable", "incorrect", "Not quite: this post is <strong>not acceptable"),
    ],
)
def test_not_acceptable_verdict_feedback_asks_for_the_rule_before_giving_reasons(
    content: Path, chosen: str, kind: str, opening: str
) -> None:
    widget = Classify(bank.post("p901"))
    widget.verdict.value = chosen
    widget.check.click()
    html = widget.feedback.value
    assert state(widget.feedback) == {f"pwc-{kind}"}
    assert opening in html
    assert "Which rule does it break?" in html
    assert ("useful one to learn from" in html) == (kind == "incorrect")
    for giveaway in ("Never share anything", "Don&#39;t engage", "Principle", "Why:", EXPLANATION):
        assert giveaway not in html
    assert not hidden(widget.followup) and widget.rule.value is None


@pytest.mark.parametrize(
    ("chosen", "kind", "opening"),
    [
        ("not acceptable", "correct", "Well judged: this post is <strong>not acceptable"),
        ("acceptable", "incorrect", "Not quite: this post is <strong>not acceptable"),
    ],
)
def test_without_the_follow_up_a_not_acceptable_post_explains_everything_at_once(
    content: Path, chosen: str, kind: str, opening: str
) -> None:
    widget = Classify(bank.post("p901"), followup=False)
    widget.verdict.value = chosen
    widget.check.click()
    html = widget.feedback.value
    assert state(widget.feedback) == {f"pwc-{kind}"} and opening in html
    assert "Rule 1: Never share anything about a client online." in html
    assert "Rule 2: Don&#39;t engage with clients on social media." in html
    assert "Principles at stake" in html and EXPLANATION in html
    assert "Which rule does it break?" not in html
    assert hidden(widget.followup)


def test_the_verdict_locks_after_the_first_check(content: Path) -> None:
    """Once told the answer, a learner cannot switch and be praised for it."""
    widget = Classify(bank.post("p902"))
    widget.verdict.value = "not acceptable"
    widget.check.click()
    assert state(widget.feedback) == {"pwc-incorrect"}
    assert widget.verdict.disabled and widget.check.disabled
    told = widget.feedback.value
    widget.verdict.value = "acceptable"  # even if a value slipped through
    widget._check_verdict()
    assert widget.feedback.value == told and "Well judged" not in told


def test_a_prompt_goes_away_once_a_choice_is_made(content: Path) -> None:
    widget = Classify(bank.post("p901"))
    widget.check.click()
    assert state(widget.feedback) == {"pwc-prompt"}
    widget.verdict.value = "acceptable"
    assert widget.feedback.value == "" and state(widget.feedback) == set()
    widget.check.click()
    widget.check_rule.click()
    assert state(widget.rule_feedback) == {"pwc-prompt"}
    widget.rule.value = "disclose"
    assert widget.rule_feedback.value == "" and state(widget.rule_feedback) == set()


def test_feedback_class_and_text_reach_the_browser_in_one_message(content: Path) -> None:
    area = feedback.feedback_area("pwc-verdict-feedback")
    sent: list[set[str] | None] = []
    area.send_state = lambda key=None: sent.append(None if key is None else set(key))
    feedback.show(area, "correct", "<p>Right.</p>")
    assert sent == [{"_dom_classes", "value"}]


def test_rule_follow_up_appears_only_for_not_acceptable_posts(content: Path) -> None:
    acceptable = Classify(bank.post("p902"))
    acceptable.verdict.value = "acceptable"
    acceptable.check.click()
    assert hidden(acceptable.followup)

    broken = Classify(bank.post("p901"))
    broken.verdict.value = "acceptable"
    broken.check.click()
    assert not hidden(broken.followup)
    assert "pwc-followup" in classes(broken.followup)
    assert broken.rule.description == "Which rule does it break?"
    labels = [label for label, _ in broken.rule.options]
    assert labels[0] == "Rule 1: Never share anything about a client online"
    assert len(labels) == 6 and labels[5].startswith("Rule 6: ")
    assert broken.check_rule.description == "Check the rule"


def test_without_followup_there_is_no_rule_question(content: Path) -> None:
    widget = Classify(bank.post("p901"), followup=False)
    widget.verdict.value = "not acceptable"
    widget.check.click()
    assert hidden(widget.followup)


@pytest.mark.parametrize(
    ("chosen", "kind", "expected"),
    [
        (None, "prompt", "Choose a rule first"),
        ("disclose", "correct", "Yes: this post breaks <strong>Rule 1: Never share anything"),
        ("engage", "correct", "It also goes against another rule"),
        ("testimonials", "incorrect", "Not this one. Rule 4, “Testimonials”, is about"),
    ],
)
def test_rule_feedback(content: Path, chosen: str | None, kind: str, expected: str) -> None:
    post = bank.post("p901")
    widget = Classify(post)
    widget.verdict.value = "acceptable"
    widget.check.click()
    widget.rule.value = chosen
    widget.check_rule.click()
    html = widget.rule_feedback.value
    assert state(widget.rule_feedback) == {f"pwc-{kind}"}
    assert expected in html
    if kind == "prompt":
        assert not widget.rule.disabled
        return
    # The reasons come now, after the rule check, whether it was right or not.
    assert "Principles at stake" in html and EXPLANATION in html
    for principle in post.principles:
        assert bank.principles()[principle].name in html
    if kind == "incorrect":
        assert "The rules it breaks:" in html
        assert "Rule 2: Don&#39;t engage" in html
    # Each rule's text is said once in the whole widget, not in every box.
    both = widget.feedback.value + html
    for rule_id in post.rules:
        assert both.count(str(escape(bank.rules()[rule_id].plain))) == 1, rule_id
    assert widget.rule.disabled and widget.check_rule.disabled


def test_checking_reports_the_first_verdict_once(content: Path) -> None:
    seen: list[bool] = []
    widget = Classify(bank.post("p902"), on_checked=seen.append)
    widget.check.click()
    assert seen == [] and not widget.verdict.disabled
    widget.verdict.value = "not acceptable"
    widget.check.click()
    widget.check.click()
    assert seen == [False]
    assert widget.verdict.disabled and widget.check.disabled


def test_no_two_widgets_share_a_layout(content: Path) -> None:
    """Hiding one control (the quiz hides its retry button) must never hide another."""
    roots = [
        Quiz(bank.lesson_posts(LESSON), seed=1),
        Classify(bank.post("p901")),
        Branching(next(iter(bank.responses().values()))),
        Reflection(bank.lesson(LESSON)),
        Discussion(bank.lesson_posts(LESSON)),
    ]
    layouts = [w.layout for root in roots for w in all_widgets(root) if hasattr(w, "layout")]
    assert len({id(layout) for layout in layouts}) == len(layouts)
    standalone = roots[1]
    assert not hidden(standalone.check) and not hidden(standalone.verdict)


# --- quiz -----------------------------------------------------------------------------------
def answer_current(quiz: Quiz, right: bool) -> None:
    item = quiz.item
    assert item is not None
    item.verdict.value = (
        item.post.verdict if right else next(v for v in VERDICTS if v != item.post.verdict)
    )
    item.check.click()
    quiz.next.click()


def test_quiz_order_is_random_but_repeatable_with_a_seed(content: Path) -> None:
    posts = bank.lesson_posts(LESSON)
    orders = {seed: [p.id for p in Quiz(posts, seed=seed).round] for seed in range(6)}
    assert all(sorted(order) == [p.id for p in posts] for order in orders.values())
    assert orders[3] == [p.id for p in Quiz(posts, seed=3).round]
    assert len({tuple(order) for order in orders.values()}) > 1


def test_quiz_shows_one_post_at_a_time_with_progress(content: Path) -> None:
    quiz = Quiz(bank.lesson_posts(LESSON), seed=2)
    total = len(quiz.round)
    assert {"pwc-widget", "pwc-quiz"} <= classes(quiz)
    assert quiz.progress.description == "Progress"
    assert (quiz.progress.value, quiz.progress.max) == (0, total)
    assert f"Post 1 of {total}" in quiz.status.value
    assert "right so far" not in quiz.status.value  # no score before the first answer
    assert len(quiz.slot.children) == 1 and quiz.slot.children[0] is quiz.item
    assert hidden(quiz.next) and hidden(quiz.retry) and hidden(quiz.restart)
    quiz.next.click()  # nothing answered yet: stays put
    assert quiz.position == 0
    quiz.item.verdict.value = quiz.item.post.verdict
    quiz.item.check.click()
    assert not hidden(quiz.next) and quiz.progress.value == 1
    assert "1 right so far" in quiz.status.value
    quiz.next.click()
    assert quiz.position == 1 and f"Post 2 of {total}" in quiz.status.value


def test_quiz_scores_first_answers_and_offers_the_missed_ones_again(content: Path) -> None:
    quiz = Quiz(bank.lesson_posts(LESSON), seed=5)
    total = len(quiz.round)
    missed_ids = []
    for index in range(total):
        right = index % 3 != 0
        if not right:
            missed_ids.append(quiz.item.post.id)
        if index == total - 1:
            assert quiz.next.description == "See my score"
        answer_current(quiz, right)
    assert quiz.finished and quiz.item is None and quiz.slot.children == ()
    assert quiz.score == total - len(missed_ids)
    assert {p.id for p in quiz.missed} == set(missed_ids)
    summary = quiz.summary.value
    assert f"You judged {total - len(missed_ids)} of {total} posts right" in summary
    assert summary.count("<li>") == len(missed_ids)
    missed_list = summary.split("<ul class='pwc-missed'>")[1].split("</ul>")[0]
    for post_id in missed_ids:
        assert str(escape(excerpt(bank.post(post_id)))) in missed_list
    assert "acceptable" not in missed_list  # the retry would be given away
    assert quiz.progress.value == total
    assert not hidden(quiz.retry) and quiz.retry.description == "Try the missed ones again"
    assert not hidden(quiz.restart)

    quiz.retry.click()
    assert sorted(p.id for p in quiz.round) == sorted(missed_ids)
    assert quiz.score == 0 and quiz.progress.max == len(missed_ids)
    assert quiz.progress.value == 0
    assert "Retry round: post 1 of" in quiz.status.value
    assert quiz.summary.value == "" and hidden(quiz.retry)
    for _ in range(len(missed_ids)):
        answer_current(quiz, True)
    assert "Well done" in quiz.summary.value
    assert hidden(quiz.retry) and not hidden(quiz.restart)
    quiz.restart.click()
    assert len(quiz.round) == total and "Post 1 of" in quiz.status.value
    assert quiz.progress.value == 0 and quiz.progress.max == total


@pytest.mark.parametrize(
    ("right", "expected"),
    [
        (True, "You judged the 1 post right at the first try. Well done."),
        (False, "You judged 0 of 1 post right at the first try."),
    ],
)
def test_a_one_post_quiz_speaks_in_the_singular(content: Path, right: bool, expected: str) -> None:
    quiz = Quiz([bank.post("p902")], seed=0)
    answer_current(quiz, right)
    assert expected in quiz.summary.value
    assert "posts" not in quiz.summary.value


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Short and sweet.", "Short and sweet."),
        (
            "Long day. My 4pm client, a teacher going through a messy divorce, finally cried.",
            "Long day. My 4pm client, a teacher going through a messy…",
        ),
        ("x" * 70, "x" * 60 + "…"),
    ],
)
def test_missed_posts_are_named_by_a_short_excerpt(content: Path, text: str, expected: str) -> None:
    post = bank.post("p902").model_copy(update={"text": text})
    assert excerpt(post) == expected
    assert len(excerpt(post)) <= 61


def test_retry_rounds_reshuffle_the_missed_posts(content: Path) -> None:
    orders = set()
    for seed in range(8):
        quiz = Quiz(bank.lesson_posts(LESSON), seed=seed)
        for _ in range(len(quiz.round)):
            answer_current(quiz, False)
        missed = [p.id for p in quiz.missed]
        quiz.retry.click()
        retry = [p.id for p in quiz.round]
        assert sorted(retry) == sorted(missed)
        orders.add(tuple(retry) == tuple(missed))
    assert False in orders  # at least one retry round came out in a new order


def test_a_changed_answer_does_not_change_the_score(content: Path) -> None:
    quiz = Quiz(bank.lesson_posts(LESSON), seed=1)
    item = quiz.item
    item.verdict.value = next(v for v in VERDICTS if v != item.post.verdict)
    item.check.click()
    item._check_verdict()  # even if the locked button were pressed again
    assert quiz.results == {item.post.id: False}


def test_an_empty_quiz_is_refused() -> None:
    with pytest.raises(ValueError):
        Quiz([])


# --- branching ------------------------------------------------------------------------------
def test_branching_shows_consequences_and_the_better_path(content: Path) -> None:
    response: Response = bank.response("client-friend-request")
    widget = Branching(response)
    assert {"pwc-widget", "pwc-branching"} <= classes(widget)
    assert widget.choice.description == "Your response" and widget.choice.value is None
    assert [label for label, _ in widget.choice.options] == [o.text for o in response.options]
    assert widget.see.description == "See what happens"
    assert response.situation.split()[0] in widget.situation.value

    widget.see.click()
    assert state(widget.consequence) == {"pwc-prompt"} and widget.better.value == ""

    worse = next(i for i, o in enumerate(response.options) if not o.best)
    widget.choice.value = worse
    widget.see.click()
    assert state(widget.consequence) == {"pwc-incorrect"}
    assert "Here is what could happen." in widget.consequence.value
    assert response.options[worse].consequence.split(".")[0] in widget.consequence.value
    assert "The better path" in widget.better.value
    assert "pwc-better-path" in classes(widget.better)

    best = next(i for i, o in enumerate(response.options) if o.best)
    widget.choice.value = best  # the consequence shown was for the other option
    assert widget.consequence.value == "" and state(widget.consequence) == set()
    widget.see.click()
    assert state(widget.consequence) == {"pwc-correct"}
    assert "This is the better path." in widget.consequence.value


# --- reflection -----------------------------------------------------------------------------
def test_reflection_is_saved_privately_outside_the_course(content: Path, tmp_path: Path) -> None:
    path = reflections_path()
    assert path == tmp_path / "home" / "reflections.json"
    widget = Reflection(bank.lesson(LESSON))
    assert widget.text.description == "Your reflection" and widget.text.value == ""
    widget.text.value = "I will check my settings <today> & tell my supervisor."
    widget.save.click()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved[LESSON]["text"] == "I will check my settings <today> & tell my supervisor."
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "Saved on this computer only" in widget.status.value
    assert str(path) not in widget.status.value and "<code>" not in widget.status.value
    again = Reflection(bank.lesson(LESSON))
    assert again.text.value == "I will check my settings <today> & tell my supervisor."


def test_reflections_default_to_the_home_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(HOME_ENV, raising=False)
    path = reflections_path()
    assert path == Path.home() / ".posting-with-care" / "reflections.json"
    assert ROOT not in path.parents


def test_an_unreadable_reflections_file_does_not_break_the_lesson(content: Path) -> None:
    path = reflections_path()
    path.parent.mkdir(parents=True)
    path.write_text("not json", encoding="utf-8")
    assert Reflection(bank.lesson(LESSON)).text.value == ""


# --- discussion deck ------------------------------------------------------------------------
def test_discussion_deck_reveals_the_verdict_on_demand(content: Path) -> None:
    posts = bank.lesson_posts(LESSON)
    deck = Discussion(posts)
    first = posts[0]
    expected = f"Scenario 1 of {len(posts)}</strong> ({first.id}, {first.difficulty})"
    assert expected in deck.counter.value
    assert f"data-post-id='{posts[0].id}'" in deck.card.value
    assert deck.verdict.value == "" and deck.previous.disabled
    deck.reveal.click()
    assert f"Verdict: <strong>{posts[0].verdict}</strong>" in deck.verdict.value
    deck.next.click()
    assert deck.verdict.value == "" and f"data-post-id='{posts[1].id}'" in deck.card.value
    deck.go(len(posts) + 5)
    assert deck.next.disabled and f"Scenario {len(posts)} of" in deck.counter.value


# --- content access -------------------------------------------------------------------------
def test_content_is_loaded_once_per_process(content: Path) -> None:
    bank.clear()
    for _ in range(3):
        Classify(bank.post("p901"))
        Quiz(bank.lesson_posts(LESSON), seed=0)
    info = bank._posts.cache_info()
    assert info.misses == 1 and info.hits >= 5


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: bank.post("p999"), "no practice post with the id 'p999'"),
        (lambda: bank.lesson_posts("99-nothing"), "no lesson with the id '99-nothing'"),
        (lambda: bank.response("nope"), "no response situation with the id 'nope'"),
    ],
)
def test_unknown_ids_raise_a_plain_content_error(content: Path, call, message: str) -> None:
    with pytest.raises(ContentError, match=message):
        call()


# --- in a real kernel -----------------------------------------------------------------------
KERNEL_CELLS = [
    "from course.catalogue import bank\nfrom course.runtime import show\n"
    "from course.runtime.widgets import Classify, Quiz, Branching",
    "show.classify('p901'); show.quiz('{lesson}'); show.response('client-friend-request')",
    "c = Classify(bank.post('p901'))\nc.verdict.value = 'acceptable'\nc.check.click()\n"
    "print(sorted(c.feedback._dom_classes), c.followup.layout.display)\n"
    "c.rule.value = 'disclose'\nc.check_rule.click()\nprint(sorted(c.rule_feedback._dom_classes))",
    "q = Quiz(bank.lesson_posts('{lesson}'), seed=4)\n"
    "for _ in range(len(q.round)):\n"
    "    q.item.verdict.value = 'acceptable'\n    q.item.check.click()\n    q.next.click()\n"
    "print(q.score, len(q.missed), q.retry.layout.display)\n"
    "missed = sorted(p.id for p in q.missed)\n"
    "q.retry.click()\nprint(sorted(p.id for p in q.round) == missed)",
]


def test_widget_callbacks_work_inside_a_kernel(content: Path, tmp_path: Path) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(source.replace("{lesson}", LESSON)) for source in KERNEL_CELLS
    ]
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # the kernel inherits the fixture content folder from the environment
    shown = [o for o in nb.cells[1].outputs if o.output_type == "display_data"]
    assert len(shown) == 3
    assert all("application/vnd.jupyter.widget-view+json" in o.data for o in shown)
    checks = nb.cells[2].outputs[0].text.splitlines()
    assert checks == [
        "['pwc-feedback', 'pwc-incorrect', 'pwc-verdict-feedback'] flex",
        "['pwc-correct', 'pwc-feedback', 'pwc-rule-feedback']",
    ]
    acceptable = sum(p["verdict"] == "acceptable" for p in FIXTURE_POSTS)
    assert nb.cells[3].outputs[0].text.splitlines() == [
        f"{acceptable} {len(FIXTURE_POSTS) - acceptable} flex",
        "True",
    ]
