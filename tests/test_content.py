"""The scenario bank: schema, coverage, invented contact details, own words, broken fixtures."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
import yaml

from course.authoring import invented, originality
from course.catalogue.scenarios import (
    CONTENT_DIR,
    PLATFORM_NAMES,
    POSTS_DIR,
    VERDICTS,
    ContentError,
    Post,
    load,
    load_framework,
    load_posts,
)

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "content"
FINGERPRINT = FIXTURES / "source-article.fingerprint"
SOURCE = ROOT.parent / "shared" / "source" / "ethical-practice-of-social-media.txt"

LESSONS = [
    "01-welcome",
    "02-confidentiality-and-trust",
    "03-never-disclose",
    "04-not-engaging",
    "05-personal-and-professional",
    "06-testimonials-and-reviews",
    "07-social-media-policy",
    "08-grey-areas",
]
TEXT_FIELDS = ("poster", "display_name", "handle", "text", "context", "explanation")

POSTS = load_posts(CONTENT_DIR)
FRAMEWORK = load_framework(CONTENT_DIR)


def _strings(node: object):
    """Every string inside a YAML document."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _with_rule(rule_id: str) -> list[Post]:
    return [post for post in POSTS if rule_id in post.rules]


# --- the bank as a whole ------------------------------------------------------------------


def test_bank_loads_as_a_dataframe_of_at_least_80_posts() -> None:
    frame = load()
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) >= 80
    assert frame.index.is_unique
    assert {"id", "lesson", "platform", "verdict", "rules", "principles", "explanation"} <= set(
        frame.columns
    )
    assert set(frame["verdict"]) == set(VERDICTS)


def test_post_files_are_the_lessons_and_each_post_sits_in_its_lesson_file() -> None:
    files = sorted(POSTS_DIR.glob("*.yaml"))
    assert [path.stem for path in files] == LESSONS
    for path in files:
        entries = yaml.safe_load(path.read_text(encoding="utf-8"))["posts"]
        misplaced = [entry["id"] for entry in entries if entry["lesson"] != path.stem]
        assert misplaced == [], f"{path.name}: posts for another lesson: {misplaced}"


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_lesson_has_enough_posts_of_both_verdicts(lesson: str) -> None:
    verdicts = Counter(post.verdict for post in POSTS if post.lesson == lesson)
    if lesson == "01-welcome":
        assert sum(verdicts.values()) >= 3
        assert min(verdicts[v] for v in VERDICTS) >= 1
    else:
        assert sum(verdicts.values()) >= 5
        assert min(verdicts[v] for v in VERDICTS) >= 2, verdicts


@pytest.mark.parametrize("rule_id", [rule.id for rule in FRAMEWORK.rules])
def test_each_rule_and_the_policy_point_appear_in_at_least_six_posts(rule_id: str) -> None:
    posts = _with_rule(rule_id)
    assert len(posts) >= 6, f"{rule_id}: only {len(posts)} posts"
    broken = [post for post in posts if post.verdict == "not acceptable"]
    assert len(broken) >= 3, f"{rule_id}: only {len(broken)} posts break it"


@pytest.mark.parametrize("topic_id", [topic.id for topic in FRAMEWORK.topics])
def test_each_extended_topic_appears_in_at_least_two_posts(topic_id: str) -> None:
    assert sum(topic_id in post.topics for post in POSTS) >= 2


@pytest.mark.parametrize("verdict", VERDICTS)
def test_each_verdict_is_at_least_35_percent_of_the_bank(verdict: str) -> None:
    share = sum(post.verdict == verdict for post in POSTS) / len(POSTS)
    assert share >= 0.35, f"{verdict}: {share:.0%}"


def test_there_are_at_least_ten_hard_cases_with_both_verdicts() -> None:
    hard = Counter(post.verdict for post in POSTS if post.difficulty == "hard")
    assert sum(hard.values()) >= 10
    assert min(hard[v] for v in VERDICTS) >= 3, hard


def test_posts_use_at_least_six_known_platforms() -> None:
    used = {post.platform for post in POSTS}
    assert used <= set(PLATFORM_NAMES)
    assert len(used) >= 6


def test_both_accounts_and_all_principles_are_used() -> None:
    assert {post.account for post in POSTS} == {"professional", "personal"}
    used = {principle for post in POSTS for principle in post.principles}
    assert used == {principle.id for principle in FRAMEWORK.principles}


def test_no_two_posts_share_a_text() -> None:
    texts = Counter(" ".join(post.text.split()).lower() for post in POSTS)
    assert [text for text, count in texts.items() if count > 1] == []


# --- invented contact details --------------------------------------------------------------

ALLOW = invented.load_allow_list()


def test_every_contact_detail_in_the_bank_is_on_the_allow_list() -> None:
    problems = []
    for post in POSTS:
        for field in TEXT_FIELDS:
            value = getattr(post, field)
            for finding in invented.not_invented(value or "", ALLOW):
                problems.append(f"{post.id} {field}: {finding.kind} {finding.value!r}")
    assert problems == [], "not on course/content/invented.yaml:\n" + "\n".join(problems)


def test_allow_list_holds_only_reserved_domains_and_safe_numbers() -> None:
    assert all(invented.is_reserved(domain) for domain in ALLOW.domains)
    assert all(invented.is_reserved(email.rsplit("@", 1)[1]) for email in ALLOW.emails)
    emergency = {"999", "111", "116123"}
    drama = [("07700900", 3), ("01632960", 3)]  # Ofcom's numbers kept for fiction
    for phone in ALLOW.phones:
        fiction = any(phone.startswith(prefix) and len(phone) == len(prefix) + rest
                      for prefix, rest in drama)
        assert phone in emergency or fiction, phone
    assert all(handle.startswith("@") for handle in ALLOW.handles)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Follow @mindfulmeg for daily tips", "handle"),
        ("More at https://www.realcharity.org.uk/help", "url"),
        ("See www.findatherapist.com today", "url"),
        ("Details on counsellingnearme.co.uk", "url"),
        ("Look at https://other.example/page, which is reserved but not listed", "url"),
        ("Email jo.bloggs@gmail.com to book", "email"),
        ("Write to hello@harbourlane.co.uk", "email"),
        ("Call us on 020 7946 0958", "phone"),
        ("Text 07911 123456 any time", "phone"),
        ("Or +44 7911 123456 from abroad", "phone"),
        ("For non-emergencies ring 101", "phone"),
    ],
)
def test_the_checker_catches_real_looking_contact_details(text: str, kind: str) -> None:
    found = invented.not_invented(text, ALLOW)
    assert [finding.kind for finding in found] == [kind], found


def test_the_checker_allows_invented_details_and_emergency_numbers() -> None:
    text = (
        "Follow @Gullwhistle_Talk, read https://gullwhistlelane.example/social-media-policy, email "
        "manager@lanternhouse.example, or call 999, NHS 111 or Samaritans on 116 123."
    )
    assert len(invented.find_contacts(text)) == 6
    assert invented.not_invented(text, ALLOW) == []


def test_the_checker_leaves_ordinary_text_alone() -> None:
    text = (
        "Wednesday 12 June, 7pm to 9.30pm, e.g. for a 16-year-old; a group of 9,000 members; "
        "a 100% claim; A&E; after my 2pm; from 5 August; it's 50 minutes. Thanks!"
    )
    assert invented.find_contacts(text) == []


# --- our own words ----------------------------------------------------------------------------

SOURCE_RUNS = originality.read_fingerprint(FINGERPRINT)
CONTENT_FILES = sorted(
    path for path in CONTENT_DIR.rglob("*") if path.suffix in {".yaml", ".yml", ".md"}
)


def test_fingerprint_matches_the_source_article() -> None:
    if not SOURCE.exists():
        pytest.skip(f"source article not found at {SOURCE}")
    assert originality.fingerprint(SOURCE.read_text(encoding="utf-8")) == SOURCE_RUNS
    assert len(SOURCE_RUNS) > 400


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: str(p.relative_to(CONTENT_DIR)))
def test_no_content_file_copies_eight_words_in_a_row_from_the_source(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    strings = list(_strings(yaml.safe_load(text))) if path.suffix != ".md" else [text]
    copied = [run for string in strings for run in originality.copied_runs(string, SOURCE_RUNS)]
    assert copied == [], f"{path.name} repeats the source article: {copied}"


def test_the_copy_check_catches_eight_words_but_not_seven() -> None:
    source = originality.fingerprint(
        "Our lantern keeper counts the gulls every morning before the ferry leaves the pier."
    )
    planted = "As you know, the Lantern keeper counts the gulls, every morning before lunch."
    assert originality.copied_runs(planted, source) == [
        "lantern keeper counts the gulls every morning before"
    ]
    seven = "keeper counts the gulls every morning before noon"
    assert originality.copied_runs(seven, source) == []


# --- broken content must fail, naming the file, the post and the field ------------------------

BROKEN = {
    "unknown-rule": ["01-sample.yaml", "p901", "'rules'", "discloze"],
    "missing-field": ["01-sample.yaml", "p902", "'verdict'", "required"],
    "bad-verdict": ["01-sample.yaml", "p903", "'verdict'"],
    "duplicate-id": ["02-second.yaml", "p904", "'id'", "01-first.yaml"],
    "invalid-yaml": ["01-sample.yaml", "YAML", "line 10", "text:"],
    "no-rules": ["01-sample.yaml", "p906", "'rules'"],
    "one-sentence": ["01-sample.yaml", "p907", "'explanation'", "found 1"],
    "five-sentences": ["01-sample.yaml", "p915", "'explanation'", "found 5"],
    "unknown-field": ["01-sample.yaml", "p908", "'verdit'"],
    "bad-platform": ["01-sample.yaml", "p909", "'platform'"],
    "bad-id": ["01-sample.yaml", "post-10", "'id'"],
    "unknown-topic": ["01-sample.yaml", "p911", "'topics'", "gossip"],
    "unknown-principle": ["01-sample.yaml", "p912", "'principles'", "honesty"],
    "bad-handle": ["01-sample.yaml", "p913", "'handle'"],
    "no-principles": ["01-sample.yaml", "p914", "'principles'"],
}


def test_the_valid_fixture_loads() -> None:
    assert list(load(FIXTURES / "valid")["id"]) == ["p900", "p950"]


def test_every_fixture_folder_is_tested() -> None:
    folders = {path.name for path in FIXTURES.iterdir() if path.is_dir()}
    assert folders == set(BROKEN) | {"valid"}


@pytest.mark.parametrize(("case", "expected"), BROKEN.items(), ids=list(BROKEN))
def test_broken_content_raises_a_clear_content_error(case: str, expected: list[str]) -> None:
    with pytest.raises(ContentError) as error:
        load(FIXTURES / case)
    message = str(error.value)
    missing = [fragment for fragment in expected if fragment not in message]
    assert missing == [], f"message lacks {missing}: {message}"
