"""The debrief deck the cohort command writes: the hardest items with the post itself, no
learner named, answers only when they are to be shown, and a link from the assessor's report."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import cohort_helpers as h  # noqa: E402
import debrief_cohort as dc  # noqa: E402
import pytest

from course.catalogue import bank  # noqa: E402
from grader.cohort import debrief  # noqa: E402


def _entry(ex, item_id: str):
    item = ex.item(item_id)
    return next(e for p in ex.key.parts for e in p.entries if e.id == item.entry)


def _visible(html: str) -> str:
    body = re.sub(r"<script>.*?</script>|<style>.*?</style>", "", html, flags=re.DOTALL)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", body)).split())


@pytest.fixture(scope="module")
def ex():
    return h.load(h.EX01)


@pytest.fixture(scope="module")
def hidden(tmp_path_factory, ex):
    out, done = dc.grade(tmp_path_factory.mktemp("hidden"), ex)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def shown(tmp_path_factory, ex):
    out, done = dc.grade(tmp_path_factory.mktemp("shown"), ex, "--debrief-answers", "show")
    assert done.returncode == 0, done.stderr
    return out


def test_the_deck_shows_the_hardest_posts_first_and_names_nobody(hidden: Path, ex) -> None:
    html = (hidden / "debrief.html").read_text(encoding="utf-8")
    text = _visible(html)
    order = []
    for item_id in dc.wrong_items(ex):
        post_text = " ".join(_entry(ex, item_id).post.text.split())
        assert post_text in text
        order.append(text.index(post_text))
    assert order == sorted(order), "hardest first"
    learners = [row["learner"] for row in h.items_csv(hidden)]
    for name in dc.NAMES:
        for part in (name, *name.split(), dc.folder(name)):
            assert part.lower() not in html.lower(), part
    assert not set(learners) & set(re.findall(r"[\w.-]+", html))
    assert "The rules the group found hardest" in text


def test_with_answers_hidden_nothing_gives_the_key_away(hidden: Path, ex) -> None:
    html = (hidden / "debrief.html").read_text(encoding="utf-8")
    text = _visible(html)
    assert 'class="pwc-answer"' not in html and "Answers stay hidden" in text
    for item in ex.auto_items:
        assert " ".join(item.explanation.split()) not in text
    assert not re.search(r"\d+ of \d+ in the room", text), "no per-item share"
    for entry in {_entry(ex, i).id: _entry(ex, i) for i in dc.wrong_items(ex)}.values():
        assert entry.hint not in text


def test_with_answers_shown_each_item_reveals_its_key_and_share(shown: Path, ex) -> None:
    text = _visible((shown / "debrief.html").read_text(encoding="utf-8"))
    rules = {r.id: r for r in bank.framework().rules}
    for item_id, wrong in dc.wrong_items(ex).items():
        entry = _entry(ex, item_id)
        assert " ".join(entry.explanation.split()) in text
        assert f"{wrong} of {len(dc.NAMES)} in the room ({wrong / len(dc.NAMES):.0%})" in text
        if entry.rule:
            assert f"Rule {rules[entry.rule].number}: {rules[entry.rule].title}" in text


def test_the_report_links_to_the_deck(hidden: Path) -> None:
    report = (hidden / "report.html").read_text(encoding="utf-8")
    assert '<a href="debrief.html">the debrief deck</a>' in report


def test_the_debrief_command_rebuilds_the_same_deck_from_the_results_folder(
    hidden: Path, ex
) -> None:
    before = (hidden / "debrief.html").read_text(encoding="utf-8")
    (hidden / "debrief.html").unlink()
    from grader.__main__ import main

    assert main(["debrief", ex.id, str(hidden)]) == 0
    assert (hidden / "debrief.html").read_text(encoding="utf-8") == before
    assert main(["debrief", ex.id, str(hidden / "nowhere")]) == 1
    assert main(["debrief", h.EX02, str(hidden)]) == 1  # another exercise's results


def test_too_few_learners_get_no_deck_and_no_link(tmp_path: Path, ex) -> None:
    few = dc.NAMES[: debrief.MIN_LEARNERS - 1]
    out, done = dc.grade(tmp_path, ex, names=few)
    assert done.returncode == 0, done.stderr
    assert not (out / "debrief.html").exists()
    assert "debrief.html" not in (out / "report.html").read_text(encoding="utf-8")
