"""Items that measure judgement rather than test-taking: balanced answers, honest difficulty,
settled keys, crisis messages taught, and platforms that behave like the real ones.

- no response letter (or option position, in the lessons' response situations) is the best
  answer in more than 40 % of an exercise's situations, and the best option is not given away
  by being the longest or the shortest;
- a learner who gives every post in a quiz or in Exercise 1 the same verdict scores at most 60 %;
- every exercise item is marked easy, medium or hard, with at least ten hard ones in all;
- a key that accepts a second rule says why, naming that rule, in its explanation;
- crisis messages have one home (rule 2, beneficence) in the framework, lesson 8, the bank and
  the exercises;
- labels agree with contexts, and nothing on a card is something the platform cannot do.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from course.authoring import invented
from course.catalogue.register import Practice, load_register
from course.catalogue.responses import load_responses
from course.catalogue.scenarios import CONTENT_DIR, VERDICTS, load_framework, load_posts
from grader.exercise import EXERCISE_IDS, load_exercise
from grader.items import Entry

ROOT = Path(__file__).resolve().parent.parent
GRADED = ("ex01_classify_posts", "ex02_rules_and_responses")
FRAMEWORK = load_framework(CONTENT_DIR)
RULES = {rule.id: rule for rule in FRAMEWORK.rules}
POSTS = load_posts()
RESPONSES = load_responses()
MOST = 0.40


def entries(assignment_id: str) -> list[Entry]:
    return [e for part in load_exercise(assignment_id).key.parts for e in part.entries]


def situations(assignment_id: str) -> list[Entry]:
    return [e for e in entries(assignment_id) if e.situation is not None]


def lengths(options: list[str]) -> list[int]:
    return [len(" ".join(text.split())) for text in options]


# --- balanced answers ------------------------------------------------------------------------


@pytest.mark.parametrize("assignment_id", [a for a in EXERCISE_IDS if situations(a)])
def test_no_letter_is_best_in_more_than_40_percent_of_an_exercises_situations(
    assignment_id: str,
) -> None:
    letters = Counter(entry.answer for entry in situations(assignment_id))
    total = sum(letters.values())
    assert total >= 5
    worst, count = letters.most_common(1)[0]
    assert count / total <= MOST, f"{assignment_id}: '{worst}' is best in {count} of {total}"


def test_no_position_is_best_in_more_than_40_percent_of_the_lessons_situations() -> None:
    positions = Counter(
        "abcd"[[option.best for option in r.options].index(True)] for r in RESPONSES
    )
    worst, count = positions.most_common(1)[0]
    assert count / len(RESPONSES) <= MOST, f"option {worst} is best in {count} of {len(RESPONSES)}"


def _best_and_options() -> list[tuple[str, int, list[str]]]:
    found = [
        (r.id, [o.best for o in r.options].index(True), [o.text for o in r.options])
        for r in RESPONSES
    ]
    for assignment_id in EXERCISE_IDS:
        for entry in situations(assignment_id):
            assert entry.situation is not None and entry.answer is not None
            letters = list(entry.situation.options)
            found.append((f"{assignment_id}:{entry.id}", letters.index(entry.answer),
                          list(entry.situation.options.values())))
    return found


@pytest.mark.parametrize("extreme", [max, min], ids=["longest", "shortest"])
def test_the_best_option_is_not_given_away_by_its_length(extreme) -> None:
    """A test-wise learner who picks the longest (or shortest) option gains little."""
    found = _best_and_options()
    giveaways = []
    for where, best, options in found:
        sizes = lengths(options)
        if sizes[best] == extreme(sizes) and sizes.count(extreme(sizes)) == 1:
            giveaways.append(where)
    assert len(giveaways) <= len(found) // 2, f"{extreme.__name__}: {giveaways}"


@pytest.mark.parametrize("lesson_id", sorted({post.lesson for post in POSTS}))
def test_one_verdict_for_everything_scores_at_most_60_percent_in_a_quiz(lesson_id: str) -> None:
    verdicts = Counter(post.verdict for post in POSTS if post.lesson == lesson_id)
    assert max(verdicts.values()) / sum(verdicts.values()) <= 0.6, verdicts


def test_one_verdict_for_everything_scores_at_most_60_percent_in_exercise_1() -> None:
    verdicts = Counter(e.verdict for e in entries("ex01_classify_posts"))
    assert set(verdicts) == set(VERDICTS)
    assert max(verdicts.values()) / sum(verdicts.values()) <= 0.6, verdicts


def test_exercise_1_has_no_long_run_of_one_verdict() -> None:
    ex01 = entries("ex01_classify_posts")
    sequence = "".join("a" if e.verdict == "acceptable" else "n" for e in ex01)
    assert "aaaa" not in sequence and "nnnn" not in sequence, sequence


# --- harder, fairer items ----------------------------------------------------------------------


@pytest.mark.parametrize("assignment_id", GRADED)
def test_every_item_is_marked_with_an_honest_difficulty(assignment_id: str) -> None:
    levels = Counter(entry.difficulty for entry in entries(assignment_id))
    assert None not in levels, f"{assignment_id}: some entries have no 'difficulty'"
    total = sum(levels.values())
    assert levels["hard"] >= 4, levels
    assert levels["easy"] <= total / 2, f"{assignment_id}: mostly easy {levels}"


def test_at_least_ten_hard_items_across_the_exercises() -> None:
    hard = [e.id for a in GRADED for e in entries(a) if e.difficulty == "hard"]
    assert len(hard) >= 10, hard


def test_hard_items_name_the_deciding_detail() -> None:
    missing = [
        f"{a}:{e.id}" for a in GRADED for e in entries(a)
        if e.difficulty == "hard" and e.post is not None
        and "deciding detail" not in (e.explanation or "")
    ]
    assert missing == []


# --- settled keys ------------------------------------------------------------------------------


@pytest.mark.parametrize("assignment_id", GRADED)
def test_a_second_rule_is_accepted_only_with_the_reason_in_the_explanation(
    assignment_id: str,
) -> None:
    problems = []
    for entry in entries(assignment_id):
        explanation = " ".join((entry.explanation or "").split()).casefold()
        for rule_id in entry.also_accept.get("rule", []):
            short = RULES[rule_id].short.casefold()
            if short not in explanation or "also accepted" not in explanation:
                problems.append(f"{entry.id}: accepts {rule_id} without saying why")
    assert problems == []


def test_the_disputed_keys_are_settled() -> None:
    """ex02 post 6 and p079, disputed in the blind review, name their deciding detail."""
    post_06 = next(e for e in entries("ex02_rules_and_responses") if e.id == "post_06")
    accepted = [post_06.principle, *post_06.also_accept.get("principle", [])]
    assert "trustworthy" in accepted  # what all three reviewers chose
    assert "deciding detail" in (post_06.explanation or "")
    assert "10%" not in post_06.post.text  # the cartoonish discount is gone
    p079 = next(post for post in POSTS if post.id == "p079")
    assert p079.rules[0] == "engage" and "deciding detail" in p079.explanation


# --- crisis messages ---------------------------------------------------------------------------

CRISIS_ITEMS = {"ex02_rules_and_responses": ["post_11", "situation_03"]}


def test_crisis_messages_have_one_home_in_the_framework() -> None:
    crisis = next(topic for topic in FRAMEWORK.topics if topic.id == "crisis")
    assert "rule 2" in crisis.plain and "beneficence" in crisis.plain and "999" in crisis.plain
    assert "crisis" in RULES["engage"].plain


def test_lesson_8_teaches_the_crisis_reply_with_practice_posts() -> None:
    text = (CONTENT_DIR / "lessons" / "08-grey-areas.md").read_text(encoding="utf-8")
    section = text.split("## Crisis messages", 1)[1].split("\n## ", 1)[0]
    assert "rule 2" in section and "beneficence" in section.lower()
    assert "999" in section and "116 123" in section
    shown = re.findall(r'show\.classify\("(p\d{3})"\)', section)
    crisis = {post.id: post for post in POSTS if "crisis" in post.topics}
    assert len(shown) >= 2 and set(shown) <= set(crisis)
    assert {crisis[i].verdict for i in shown} == set(VERDICTS)


def test_every_crisis_post_that_fails_breaks_rule_2_first() -> None:
    crisis = [post for post in POSTS if "crisis" in post.topics]
    assert len(crisis) >= 3
    wrong = [p.id for p in crisis if p.verdict == "not acceptable" and p.rules[0] != "engage"
             and "policy" not in p.rules[:1]]
    assert wrong == []


@pytest.mark.parametrize(("assignment_id", "item"), [
    (a, i) for a, items in CRISIS_ITEMS.items() for i in items
])
def test_the_crisis_items_are_keyed_to_rule_2_and_beneficence(
    assignment_id: str, item: str
) -> None:
    entry = next(e for e in entries(assignment_id) if e.id == item)
    assert (entry.rule, entry.principle) == ("engage", "beneficence")
    assert "999" in (entry.explanation or "") or (
        entry.situation is not None and "999" in entry.situation.options[entry.answer or ""]
    )


# --- platforms ----------------------------------------------------------------------------------

PLATFORM_WORDS = re.compile(
    r"\b(Facebook|Instagram|WhatsApp|LinkedIn|TikTok|Twitter)\b", re.IGNORECASE
)
NOTIFICATION = re.compile(
    r"sent you a friend request|wants to connect|started following you|^You (?:deleted|endorsed)"
    r"|\[ ?(?:Accept|Follow back|Endorse) ?\]|✔ Confirm|^👏 Celebrate"
)


def cards() -> list[tuple[str, str, str, str, str]]:
    """(where, platform, display name, text, context) for every post card."""
    found = [(p.id, p.platform, p.display_name, p.text, p.context or "") for p in POSTS]
    for assignment_id in GRADED:
        for entry in entries(assignment_id):
            if entry.post is not None:
                post = entry.post
                found.append((f"{assignment_id}:{entry.id}", post.platform, post.display_name,
                              post.text, post.context or ""))
    return found


def test_a_direct_message_label_is_used_only_when_no_platform_is_named() -> None:
    wrong = [where for where, platform, _, text, context in cards()
             if platform == "direct-message" and PLATFORM_WORDS.search(f"{text} {context}")]
    assert wrong == [], "label these with the platform their context names"


def test_notifications_say_what_is_being_judged() -> None:
    vague = [where for where, _, _, text, context in cards()
             if NOTIFICATION.search(text)
             and not ("notification" in context or "What you are judging" in context)]
    assert vague == []


def test_nothing_on_a_card_is_something_the_platform_cannot_do() -> None:
    register = load_register(CONTENT_DIR)
    problems = []
    for where, platform, name, text, context in cards():
        shown = f"{text} {context}".lower()
        found = register.account_for(platform, name)
        assert found is not None, where
        if platform == "linkedin" and isinstance(found.holder, Practice):
            if re.search(r"endors|recommend|wants to connect|connection", shown):
                problems.append(f"{where}: a LinkedIn company page cannot endorse, recommend "
                                "or connect")
        if platform == "facebook-page" and re.search(r"friend requests?", text.lower()):
            problems.append(f"{where}: a Facebook page does not get friend requests")
        if platform == "instagram" and "comments on this account" in shown:
            problems.append(f"{where}: Instagram comments are switched off per post")
    assert problems == []


def test_every_handle_in_the_exercises_is_invented() -> None:
    allow = invented.load_allow_list()
    problems = []
    for where, _, _, text, context in cards():
        for finding in invented.not_invented(f"{text}\n{context}", allow):
            problems.append(f"{where}: {finding.kind} {finding.value!r}")
    for assignment_id in GRADED:
        for entry in entries(assignment_id):
            if entry.post is not None and entry.post.handle:
                if entry.post.handle not in allow.handles:
                    problems.append(f"{assignment_id}:{entry.id}: {entry.post.handle}")
    assert problems == [], "add invented handles to course/content/invented.yaml"
