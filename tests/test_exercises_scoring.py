"""The scoring core (grader.scoring) and the answer language (course.answer_language).

Real notebooks: the committed release (exercises/) and source (solutions/), edited the way a
learner (or a broken LMS download, or a cheat) would.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest

from course.answer_language import AnswerFormat, bindings, normalise, policy_gaps, read_status
from grader.exercise import EXERCISE_IDS, load_exercise
from grader.scoring import STATUSES, policy_hints, read_answers, score_notebook

ROOT = Path(__file__).resolve().parent.parent


def release(assignment_id: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "exercises" / assignment_id / f"{assignment_id}.ipynb", 4)


def source(assignment_id: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "solutions" / assignment_id / f"{assignment_id}.ipynb", 4)


def answer(nb, name: str, line: str) -> None:
    """Replace the answer line of ``name`` (``name = "?"``) with ``line``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and re.fullmatch(rf'{name} = "\?"', cell.source.strip()):
            cell.source = line
            return
    raise AssertionError(f"no blank answer line for {name}")


def key_answers(assignment_id: str) -> dict[str, str]:
    return {item.variable: item.answer for item in load_exercise(assignment_id).auto_items}


# --------------------------------------------------------------------------------------------
# Answer formats
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("spec", "typed", "expected"),
    [
        ("verdict", "acceptable", "acceptable"),
        ("verdict", "Not Acceptable ", "not acceptable"),
        ("verdict", "  not   acceptable", "not acceptable"),
        ("verdict", "NOT-ACCEPTABLE.", "not acceptable"),
        ("verdict", "Acceptable.", "acceptable"),
        ("verdict", "unacceptable", "not acceptable"),
        ("verdict", "Un-acceptable", "not acceptable"),
        ("verdict", "notacceptable", "not acceptable"),
        ("verdict", "acceptible", None),
        ("verdict", "not ok", None),
        ("verdict", "yes", None),
        ("verdict", "?", None),
        ("rule", "Disclose", "disclose"),
        ("rule", "1", "disclose"),
        ("rule", "rule 3", "separate"),
        ("rule", "Don't engage", "engage"),
        ("rule", "privacy", None),
        ("principle", "Being Trustworthy", "trustworthy"),
        ("principle", "non maleficence", "non-maleficence"),
        ("principle", "Self_Respect", "self-respect"),
        ("principle", "selfrespect", "self-respect"),
        ("principle", "kindness", None),
        ("letter:abcd", "B", "b"),
        ("letter:abcd", "(c)", "c"),
        ("letter:abcd", "option d", "d"),
        ("letter:abc", "d", None),
        ("letter:abcd", "bc", None),
    ],
)
def test_accepted_spellings(spec: str, typed: str, expected: str | None) -> None:
    assert AnswerFormat.parse(spec).canonical(typed) == expected


@pytest.mark.parametrize(
    ("spec", "typed", "suggested"),
    [
        ("verdict", "acceptible", "acceptable"),
        ("verdict", "not acceptible.", "not acceptable"),
        ("verdict", "inacceptable", "not acceptable"),
        ("verdict", "unacceptable", "not acceptable"),
        ("verdict", "not-acceptable", "not acceptable"),
        ("verdict", "notacceptable", "not acceptable"),
        ("verdict", "Acceptable.", "acceptable"),
        ("verdict", "ok", None),
        ("verdict", "yes", None),
        ("rule", "disclosure", "disclose"),
        ("rule", "Testimonial", "testimonials"),
        ("rule", "rule 7", None),  # never a number close to another number
        ("rule", "privacy", None),
        ("principle", "trustworthyy", "trustworthy"),
        ("principle", "autonomous", "autonomy"),
        ("principle", "kindness", None),
        ("letter:abcd", "e", None),
    ],
)
def test_suggestions_come_from_the_typed_text(spec: str, typed: str, suggested) -> None:
    assert AnswerFormat.parse(spec).suggest(typed) == suggested


def test_near_misses_are_suggested_but_never_judged() -> None:
    """The note for a misspelling names the nearest allowed word, whatever the key says: the
    same suggestion for a post whose answer is "acceptable" and one whose answer is not."""
    key = key_answers("ex01_classify_posts")
    one = next(n for n, v in key.items() if v == "acceptable")
    other = next(n for n, v in key.items() if v == "not acceptable")
    nb = release("ex01_classify_posts")
    answer(nb, one, f'{one} = "acceptible"')
    answer(nb, other, f'{other} = "acceptible"')
    answers = read_answers(nb, load_exercise("ex01_classify_posts"))
    for name in (one, other):
        assert answers[name].status == "unreadable"
        assert "Did you mean \u201cacceptable\u201d?" in answers[name].message
    fmt = AnswerFormat.parse("verdict")
    slips = {"post_03": ('post_03 = not acceptable"', "not acceptable"),  # a quotation mark lost
             "post_04": ("post_04 = acceptable", "acceptable")}            # no quotation marks
    for name, (line, wanted) in slips.items():
        [binding] = bindings(line, {name})
        message = read_status(name, fmt, binding)[2]
        assert f'Did you mean {name} = "{wanted}"?' in message


def test_synonyms_and_stray_full_stops_score_through_the_real_scorer() -> None:
    """"unacceptable", "notacceptable", "Not-acceptable." and "Acceptable." all count."""
    key = key_answers("ex01_classify_posts")
    spellings = {"not acceptable": ["unacceptable", "notacceptable", "Not-acceptable."],
                 "acceptable": ["Acceptable.", " ACCEPTABLE"]}
    nb = release("ex01_classify_posts")
    for index, (name, value) in enumerate(key.items()):
        typed = spellings[value][index % len(spellings[value])]
        answer(nb, name, f'{name} = "{typed}"')
    result = score_notebook(nb, load_exercise("ex01_classify_posts"))
    assert result.score == result.max_score == len(key)
    flipped = release("ex01_classify_posts")
    for name, value in key.items():
        typed = "unacceptable" if value == "acceptable" else "Acceptable."
        answer(flipped, name, f'{name} = "{typed}"')
    assert score_notebook(flipped, load_exercise("ex01_classify_posts")).score == 0


def test_normalise_is_idempotent() -> None:
    for text in ("Not  Acceptable ", "non-maleficence", "Self_Respect."):
        assert normalise(normalise(text)) == normalise(text)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ('post_01 = "acceptable"', [("post_01", "acceptable", None)]),
        ("post_01 = 'acceptable'  # my answer", [("post_01", "acceptable", None)]),
        ('post_01 = "not acceptable', [("post_01", None, "syntax")]),
        ("post_01 = acceptable", [("post_01", None, "not-text")]),
        ('post_01 = "accept" + "able"', [("post_01", None, "not-text")]),
        ('post_01 = f"acceptable"', [("post_01", None, "not-text")]),
        ('post_01 = b"acceptable"', [("post_01", None, "not-text")]),
        ('post_01 = A("x")', [("post_01", None, "not-text")]),
        ('post_01 = post_02 = "acceptable"',
         [("post_01", None, "not-text"), ("post_02", None, "not-text")]),
        ('post_01 += "x"', [("post_01", None, "not-text")]),
        ("for post_01 in range(3): pass", [("post_01", None, "not-text")]),
        ("import os as post_01", [("post_01", None, "not-text")]),
        ("def post_01(): return 'acceptable'", [("post_01", None, "not-text")]),
        ("def f():\n    post_01 = 'x'", []),
        ('globals()["post_01"] = "acceptable"', []),
        ('post_01 = "a"\npost_01 = "not acceptable"',
         [("post_01", "a", None), ("post_01", "not acceptable", None)]),
        ('print("hello")', []),
    ],
)
def test_bindings_read_literals_only(cell: str, expected: list) -> None:
    found = bindings(cell, {"post_01", "post_02"})
    assert [(b.name, b.raw, b.problem) for b in found] == expected


# --------------------------------------------------------------------------------------------
# Scoring real notebooks
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("assignment_id", EXERCISE_IDS)
def test_solutions_score_full_marks_and_release_scores_zero(assignment_id: str) -> None:
    assignment = load_exercise(assignment_id)
    full = score_notebook(source(assignment_id), assignment)
    assert full.auto_score == full.auto_max_score == assignment.auto_max_score
    assert full.max_score == assignment.max_score
    assert full.pending == len(assignment.manual_items)
    assert all(item.correct for item in full.items if not item.manual)
    blank = score_notebook(release(assignment_id), assignment)
    assert blank.score == 0
    assert {item.status for item in blank.items} == {"unanswered"}
    assert all(item.status in STATUSES for item in full.items + blank.items)


def test_known_answers_score_exactly() -> None:
    nb = release("ex01_classify_posts")
    key = key_answers("ex01_classify_posts")
    flip = {"acceptable": "not acceptable", "not acceptable": "acceptable"}
    wrong = {"post_02", "post_05", "post_11", "post_17", "post_24"}
    for name, value in key.items():
        typed = flip[value] if name in wrong else value.upper() + "  "
        answer(nb, name, f'{name} = "{typed}"')
    result = score_notebook(nb, load_exercise("ex01_classify_posts"))
    assert result.score == len(key) - len(wrong)
    assert {i.item_id for i in result.items if not i.correct} == wrong


def test_typo_and_syntax_error_cost_only_their_item() -> None:
    nb = release("ex01_classify_posts")
    for name, value in key_answers("ex01_classify_posts").items():
        answer(nb, name, f'{name} = "{value}"')
    nb2 = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.source == 'post_03 = "acceptable"' or cell.source == 'post_03 = "not acceptable"':
            cell.source = 'post_03 = "acceptible"'
        if cell.source.startswith("post_04 = "):
            cell.source = 'post_04 = "acceptable'
    result = score_notebook(nb, load_exercise("ex01_classify_posts"))
    assert result.score == result.max_score - 2
    typo, broken = result.item("post_03"), result.item("post_04")
    assert (typo.status, typo.raw, typo.value) == ("unreadable", "acceptible", None)
    assert "acceptable or not acceptable" in typo.message
    assert (broken.status, broken.raw) == ("unreadable", None)
    assert score_notebook(nb2, load_exercise("ex01_classify_posts")).score == result.max_score


def test_stripped_reordered_and_duplicated_cells() -> None:
    assignment = load_exercise("ex01_classify_posts")
    nb = source("ex01_classify_posts")
    for cell in nb.cells:
        cell.metadata = {}
    nb.cells.reverse()
    assert score_notebook(nb, assignment).score == assignment.max_score
    # a duplicated answer cell further down wins, as it would when every cell runs in order
    nb.cells.append(nbformat.v4.new_code_cell('post_01 = "acceptable"'))
    result = score_notebook(nb, assignment)
    assert result.score == assignment.max_score - 1
    assert result.item("post_01").raw == "acceptable"


def test_deleted_answer_cell_is_missing_and_blank_cell_unanswered() -> None:
    assignment = load_exercise("ex01_classify_posts")
    nb = source("ex01_classify_posts")
    nb.cells = [c for c in nb.cells if c.source.strip() != 'post_06 = "not acceptable"']
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer_post_07":
            cell.source = ""
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "answer_post_08":
            cell.source = "I think it is not acceptable"
    answers = read_answers(nb, assignment)
    assert answers["post_06"].status == "missing"
    assert answers["post_07"].status == "unanswered"
    assert answers["post_08"].status == "unreadable"
    assert score_notebook(nb, assignment).score == assignment.max_score - 3


def test_cheats_score_their_honest_answers() -> None:
    assignment = load_exercise("ex01_classify_posts")
    key = key_answers("ex01_classify_posts")
    nb = release("ex01_classify_posts")
    honest = list(key)[:10]
    for name in honest:
        answer(nb, name, f'{name} = "{key[name]}"')
    cheats = list(key)[10:]
    nb.cells.insert(1, nbformat.v4.new_code_cell(
        "class Always(str):\n    __eq__ = lambda *a: True\n    __hash__ = str.__hash__\n"
        "get_ipython().input_transformers_cleanup.append(\n"
        "    lambda ls: [l.replace('assert', 'pass #') for l in ls])\n"
        "globals().update({n: Always('x') for n in dir()})\n"
        "print(open('../../../solutions/ex01_classify_posts/ex01_classify_posts.ipynb').read())"
    ))
    for name in cheats:
        answer(nb, name, f'{name} = Always("{key[name]}")')
    result = score_notebook(nb, assignment)
    assert result.score == len(honest)
    assert {result.item(n).status for n in cheats} == {"unreadable"}


def test_ex02_alternatives_numbers_and_letters() -> None:
    assignment = load_exercise("ex02_rules_and_responses")
    nb = release("ex02_rules_and_responses")
    answer(nb, "post_01_rule", 'post_01_rule = "1"')                    # disclose: right
    answer(nb, "post_01_principle", 'post_01_principle = "Non maleficence"')  # also accepted
    answer(nb, "post_02_rule", 'post_02_rule = "Keep lives separate"')  # also accepted
    answer(nb, "post_03_rule", 'post_03_rule = "reviews"')              # wrong
    answer(nb, "situation_01", 'situation_01 = "(D)"')                  # right
    answer(nb, "situation_05", 'situation_05 = "d"')                    # not an option: unreadable
    result = score_notebook(nb, assignment)
    assert result.score == 4
    assert result.item("situation_05").status == "unreadable"
    assert result.item("post_03_rule").status == "answered"
    assert not result.item("post_03_rule").correct


def test_written_policy_is_manual_with_hints() -> None:
    assignment = load_exercise("ex03_social_media_policy")
    assert assignment.auto_max_score == 0 and assignment.manual_max_score >= 10
    full = score_notebook(source("ex03_social_media_policy"), assignment)
    assert all(item.manual and item.status == "answered" for item in full.items)
    assert policy_hints(source("ex03_social_media_policy"), assignment) == []
    blank_hints = policy_hints(release("ex03_social_media_policy"), assignment)
    assert len(blank_hints) == len(assignment.items)
    assert all("not written yet" in hint for hint in blank_hints)


def test_policy_gaps_name_short_and_off_topic_sections() -> None:
    spec = {
        "a": {"label": "In an emergency", "keywords": ["999", "samaritans"],
              "hint": "say where to turn."},
        "b": {"label": "Contacting me", "keywords": ["email"], "hint": "say how."},
        "c": {"label": "Reviews", "keywords": ["review"], "hint": "say whether."},
    }
    texts = {
        "a": "#### In an emergency\n" + "Please look after yourself and get help quickly. " * 4,
        "b": "#### Contacting me\nEmail me.",
        "c": "#### Reviews\n" + "I will never ask you to write a review of my work for me. " * 2,
    }
    hints = policy_gaps(texts, spec)
    assert hints == [
        "\u201cIn an emergency\u201d: say where to turn.",
        "\u201cContacting me\u201d: only 2 words so far. A client will need a little more to "
        "understand what you mean.",
    ]
