"""The graded exercises as content: keys, solutions/ and exercises/, the learner's checker.

- keys validate, and deliberately broken keys fail with a message naming the entry;
- every assessment post is new (not in the practice bank, whatever it holds at test time);
- solutions/ and exercises/ are exactly what `make exercises` generates (real nbgrader);
- exercises/ holds no answer, explanation, hidden test or key;
- in a real kernel, the answer checker says when an answer can't be read, never whether
  it is right: once per answer, as a calm note (never an error), with "Did you mean ...?" for
  near misses; it starts itself when a check runs before the set-up cell; no slip in an answer
  line stops Run All.
"""

from __future__ import annotations

import json
import re
from difflib import SequenceMatcher
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from course.catalogue.scenarios import load_posts
from grader import build_solutions, release
from grader.exercise import EXERCISE_IDS, load_exercise
from grader.items import KeyFileError, load_key

ROOT = Path(__file__).resolve().parent.parent
KEYS = ROOT / "grader" / "keys"


def notebook_path(folder: str, assignment_id: str) -> Path:
    return ROOT / folder / assignment_id / f"{assignment_id}.ipynb"


def assessment_texts() -> list[tuple[str, str]]:
    """(where, text) for every post and situation learners are assessed on."""
    texts = []
    for assignment_id in EXERCISE_IDS:
        for part in load_exercise(assignment_id).key.parts:
            for entry in part.entries:
                if entry.post is not None:
                    texts.append((f"{assignment_id}:{entry.id}", entry.post.text))
                if entry.situation is not None:
                    texts.append((f"{assignment_id}:{entry.id}", entry.situation.text))
    return texts


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.casefold())


def _six_word_runs(text: str) -> set[tuple[str, ...]]:
    words = _words(text)
    return {tuple(words[i:i + 6]) for i in range(len(words) - 5)}


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------
def test_the_three_exercises_have_enough_items() -> None:
    ex01 = load_exercise("ex01_classify_posts")
    assert len(ex01.items) >= 20
    assert {i.kind for i in ex01.items} == {"verdict"} and {i.points for i in ex01.items} == {1}
    verdicts = [i.answer for i in ex01.items]
    assert verdicts.count("acceptable") >= 6 and verdicts.count("not acceptable") >= 6

    ex02 = load_exercise("ex02_rules_and_responses")
    rules = [i for i in ex02.items if i.kind == "rule"]
    principles = [i for i in ex02.items if i.kind == "principle"]
    situations = [i for i in ex02.items if i.kind == "letter"]
    assert len(rules) >= 10 and len(principles) == len(rules)
    assert len(situations) >= 6
    assert all(len(i.allowed) in (3, 4) for i in situations)
    assert len({i.answer for i in rules}) >= 5, "Part A should cover most rules"

    ex03 = load_exercise("ex03_social_media_policy")
    assert len(ex03.manual_items) >= 5 and ex03.auto_max_score == 0
    for part in ex03.key.parts:
        for entry in part.entries:
            assert entry.section is not None and sorted(entry.section.levels) == [0, 1, 2]


def test_every_item_has_teaching_feedback() -> None:
    for assignment_id in ("ex01_classify_posts", "ex02_rules_and_responses"):
        for item in load_exercise(assignment_id).items:
            assert item.principle and item.explanation and item.hint, item.id
            assert item.answer in item.allowed and set(item.accepted) <= set(item.allowed)
            if item.kind == "letter":
                assert set(item.option_feedback) == set(item.allowed), item.id


def test_every_item_has_a_reminder_that_gives_nothing_away() -> None:
    """Feedback reminds the learner what each item was, using only what the notebook showed."""
    for assignment_id in EXERCISE_IDS:
        assignment = load_exercise(assignment_id)
        learner_nb = nbformat.read(notebook_path("exercises", assignment_id), 4)
        released = "\n".join(cell.source for cell in learner_nb.cells)
        entries = {e.id: e for part in assignment.key.parts for e in part.entries}
        by_entry: dict[str, set[str]] = {}
        for item in assignment.items:
            entry = entries[item.entry]
            summary = item.summary
            by_entry.setdefault(item.entry, set()).add(summary)
            assert summary and len(summary) <= 160, (item.id, summary)
            if entry.post is not None:
                opening = summary.split(": \u201c", 1)[1].removesuffix("\u201d")
                assert entry.post.display_name in summary, item.id
            elif entry.situation is not None:
                opening = summary.removeprefix(f"{entry.situation.title}: ")
            else:
                opening = summary
                assert summary == entry.section.heading == item.label
            assert build_solutions.md(opening.removesuffix("\u2026")) in released, item.id
            for secret in (item.explanation, item.hint, *item.option_feedback.values()):
                assert not secret or secret not in summary, item.id
            if item.kind == "letter":
                assert entry.situation.options[item.answer] not in summary, item.id
        assert all(len(s) == 1 for s in by_entry.values()), "one reminder per post or situation"
        reminders = [next(iter(s)) for s in by_entry.values()]
        assert len(set(reminders)) == len(reminders), f"{assignment_id}: two reminders alike"


BROKEN = [
    ("unknown rule", lambda e: e.update(rule="gossip"), "unknown id(s) gossip"),
    ("acceptable post with a rule", lambda e: e.update(verdict="acceptable"), "breaks no rule"),
    ("no hint", lambda e: e.pop("hint"), "'hint' are required"),
    ("bad platform", lambda e: e["post"].update(platform="myspace"), "platform"),
    ("asks for a letter about a post", lambda e: e.update(ask=["letter"]), "'ask' for a post"),
]


@pytest.mark.parametrize(("what", "mutate", "message"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_keys_fail_with_a_clear_message(tmp_path, what, mutate, message) -> None:
    data = yaml.safe_load((KEYS / "ex01_classify_posts.yaml").read_text(encoding="utf-8"))
    entry = data["parts"][0]["entries"][0]
    mutate(entry)
    path = tmp_path / "ex01_classify_posts.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KeyFileError, match=re.escape(message)) as error:
        load_key(path)
    assert "ex01_classify_posts.yaml" in str(error.value)


def test_broken_situation_and_duplicate_ids_fail(tmp_path) -> None:
    data = yaml.safe_load((KEYS / "ex02_rules_and_responses.yaml").read_text(encoding="utf-8"))
    situation = data["parts"][1]["entries"][0]
    situation["answer"] = "e"
    path = tmp_path / "ex02_rules_and_responses.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KeyFileError, match="'answer' must be one of"):
        load_key(path)
    situation["answer"] = "a"
    data["parts"][0]["entries"][1]["id"] = data["parts"][0]["entries"][0]["id"]
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(KeyFileError, match="used twice"):
        load_key(path)


def test_assessment_posts_are_new() -> None:
    """No assessment post or situation is in the practice bank, or close to one."""
    bank = [(post.id, post.text) for post in load_posts()]
    assert bank, "the practice bank is empty"
    problems = []
    for where, text in assessment_texts():
        words = _words(text)
        for post_id, other in bank:
            ratio = SequenceMatcher(None, words, _words(other), autojunk=False).ratio()
            if ratio >= 0.5:
                problems.append(f"{where} resembles bank post {post_id} ({ratio:.2f})")
            shared = _six_word_runs(text) & _six_word_runs(other)
            if shared:
                problems.append(f"{where} shares words with bank post {post_id}: {shared}")
    assert problems == []


def test_assessment_posts_are_unique() -> None:
    texts = assessment_texts()
    for index, (where, text) in enumerate(texts):
        for other_where, other in texts[index + 1:]:
            ratio = SequenceMatcher(None, _words(text), _words(other), autojunk=False).ratio()
            assert ratio < 0.5, f"{where} resembles {other_where}"


def test_similarity_check_can_fail() -> None:
    """The novelty check would catch a lightly edited bank post."""
    post = load_posts()[0]
    edited = post.text.replace(".", "!", 1) + " Thoughts?"
    assert SequenceMatcher(None, _words(edited), _words(post.text), autojunk=False).ratio() >= 0.5


# --------------------------------------------------------------------------------------------
# Generated notebooks
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("assignment_id", EXERCISE_IDS)
def test_solutions_are_generated_from_the_keys(assignment_id: str) -> None:
    committed = notebook_path("solutions", assignment_id).read_text(encoding="utf-8")
    assert committed == build_solutions.render(assignment_id), "run `make exercises`"


def test_make_exercises_would_change_nothing(capsys) -> None:
    """`python -m grader.release --check` rebuilds solutions/ and, with nbgrader's
    generate_assignment, exercises/ in a temporary folder: both match the committed bytes."""
    gradebook = ROOT / "gradebook.db"
    existed = gradebook.exists()
    assert release.main(["--check"]) == 0, capsys.readouterr().err
    assert gradebook.exists() == existed, "the release left a gradebook in the repository"
    assert sorted(p.name for p in (ROOT / "exercises").iterdir()) == sorted(EXERCISE_IDS)
    assert sorted(p.name for p in (ROOT / "exercises").rglob("*") if p.is_file()) == [
        f"{a}.ipynb" for a in sorted(EXERCISE_IDS)
    ]


def test_release_check_detects_drift(tmp_path) -> None:
    built, committed = tmp_path / "built", tmp_path / "committed"
    for folder, text in ((built, "new"), (committed, "old")):
        path = folder / "ex01_classify_posts" / "ex01_classify_posts.ipynb"
        path.parent.mkdir(parents=True)
        path.write_text(text)
    assert release._differences(built, committed, ["ex01_classify_posts"]) == [
        "committed/ex01_classify_posts/ex01_classify_posts.ipynb is out of date"
    ]


@pytest.mark.parametrize("assignment_id", EXERCISE_IDS)
def test_exercises_hold_no_key(assignment_id: str) -> None:
    text = notebook_path("exercises", assignment_id).read_text(encoding="utf-8")
    nb = nbformat.reads(text, 4)
    assignment = load_exercise(assignment_id)
    sources = "\n".join(cell.source for cell in nb.cells)
    for marker in ("BEGIN SOLUTION", "HIDDEN TESTS", "MARK SCHEME", "grader.", "keys",
                   "NotImplementedError", "YOUR CODE HERE", "YOUR ANSWER HERE"):
        assert marker not in sources, marker
    for item in assignment.auto_items:  # a written item's rubric is public on purpose
        assert item.explanation not in text, f"{item.id}: explanation leaked"
        assert item.hint not in text, f"{item.id}: hint leaked"
    for part in assignment.key.parts:
        for entry in part.entries:
            if entry.section is not None:
                assert entry.section.example.strip()[:60] not in text
            for note in entry.option_feedback.values():
                assert note not in text
    answer_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]
    for cell in answer_cells:
        if cell.cell_type == "code":
            assert re.fullmatch(r'[a-z0-9_]+ = "\?"', cell.source), cell.source
    assert len(answer_cells) == len(assignment.items)


@pytest.mark.parametrize("assignment_id", EXERCISE_IDS)
def test_exercise_layout_for_non_programmers(assignment_id: str) -> None:
    nb = nbformat.read(notebook_path("exercises", assignment_id), 4)
    first = nb.cells[0]
    assert first.cell_type == "code" and first.metadata["jupyter"]["source_hidden"]
    assert "from course.answers import" in first.source
    cards = [c for c in nb.cells
             if c.metadata.get("nbgrader", {}).get("grade_id", "").endswith("_card")]
    assert cards and all(c.cell_type == "markdown" for c in cards)
    item_cells = {item.grade_cell for item in load_exercise(assignment_id).auto_items}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":
            assert meta["locked"]
        if meta.get("grade_id") in item_cells:
            assert cell.metadata["jupyter"]["source_hidden"]
            # nbgrader's Validate shows this source when the check fails: keep it short
            assert re.fullmatch(r'from course\.answers import check\ncheck\("\w+"\)', cell.source)
        if meta.get("solution") and cell.cell_type == "code":
            assert cell.metadata["tags"] == ["raises-exception"], "a slip would stop Run All"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None
            assert meta.get("solution") or cell.metadata["jupyter"]["source_hidden"]
    if assignment_id != "ex03_social_media_policy":  # the first instruction starts the checker
        assert "Run \u25b8 Run All Cells" in nb.cells[1].source.split("How to answer")[0]
    submit = nb.cells[-1].source
    assert nb.cells[-1].cell_type == "markdown" and submit.startswith("## Submitting")
    assert submit.index("Check my") < submit.index("Validate"), "Check my answers comes first"
    assert "Optional" in submit and "on your own" in submit


def test_answer_helper_holds_no_key() -> None:
    helper = (ROOT / "course" / "answers.py").read_text(encoding="utf-8")
    for assignment_id in EXERCISE_IDS:
        for item in load_exercise(assignment_id).items:
            assert item.explanation not in helper
    assert not re.search(r"^\s*(from|import) grader", helper, flags=re.M)


# --------------------------------------------------------------------------------------------
# The learner's checker, in a real kernel
# --------------------------------------------------------------------------------------------
def _run(nb: nbformat.NotebookNode, cwd: Path, allow_errors: bool = False):
    """Run every cell in order, as Run All does; by default any error fails the test (nbclient,
    like JupyterLab, carries on past a cell tagged raises-exception)."""
    NotebookClient(nb, timeout=120, allow_errors=allow_errors,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _outputs(cell) -> str:
    parts = []
    for output in cell.outputs:
        if output.output_type == "stream":
            parts.append(f"[{output.name}] {output.text}")
        elif output.output_type == "error":
            parts.append(f"[error] {' '.join(output.traceback)}")
        else:
            parts.append(json.dumps(output.get("data", {})))
    return "".join(parts)


def _notes(cell) -> list[str]:
    """The checker's notes under a cell (their plain text); fails on any other output."""
    notes = []
    for output in cell.outputs:
        assert output.output_type == "display_data", _outputs(cell)
        page = output.data["text/html"]
        assert 'class="pwc-answer-note' in page and "white-space: normal" in page
        assert "Traceback" not in page and "Error" not in page
        notes.append(output.data["text/plain"])
    return notes


def _with_answers(assignment_id: str, lines: dict[str, str]) -> nbformat.NotebookNode:
    nb = nbformat.read(notebook_path("exercises", assignment_id), 4)
    for cell in nb.cells:
        match = re.fullmatch(r'(\w+) = "\?"', cell.source)
        if match and match[1] in lines:
            cell.source = lines[match[1]]
    return nb


def _check_cells(nb) -> dict[str, nbformat.NotebookNode]:
    """Answer name -> its hidden check cell."""
    found = {}
    for cell in nb.cells:
        match = re.fullmatch(r'from course\.answers import check\ncheck\("(\w+)"\)', cell.source)
        if match:
            found[match[1]] = cell
    return found


def _check_all(nb) -> nbformat.NotebookNode:
    return next(c for c in nb.cells if c.source.endswith("check_all()"))


NOT_JUDGING = ("correct", "wrong", "well done", "\u2713", "\u2717")


def test_checker_notes_in_a_real_kernel(tmp_path) -> None:
    """Run All on ex02 with a right, a wrong, a misspelt, an unquoted and a broken answer: no
    cell fails, each answer gets one calm note under its line, the hidden checks add nothing."""
    lines = {
        "post_01_rule": 'post_01_rule = "Disclose "',          # right, sloppy
        "post_02_rule": 'post_02_rule = "reviews"',            # wrong
        "post_01_principle": 'post_01_principle = "trustworthyy"',  # typo
        "post_03_rule": "post_03_rule = separate",             # no quotes
        "post_03_principle": 'post_03_principle = "autonomy',  # syntax error
        "post_04_principle": 'post_04_principle = "nonmaleficence"',  # missing hyphen: fine
        "situation_01": 'situation_01 = "C"',
    }
    nb = _run(_with_answers("ex02_rules_and_responses", lines), tmp_path)  # no error anywhere
    notes = {name: _notes(next(c for c in nb.cells if c.source == line))
             for name, line in lines.items()}
    assert notes["post_01_rule"] == ["Post 1 (rule): your answer \u201cdisclose\u201d can be read."]
    assert notes["post_02_rule"] == ["Post 2 (rule): your answer \u201creviews\u201d can be read."]
    assert notes["post_04_principle"] == [
        "Post 4 (principle): your answer \u201cnon-maleficence\u201d can be read."]
    [typo] = notes["post_01_principle"]
    assert typo.startswith("Post 1 (principle): \u201ctrustworthyy\u201d isn't one")
    assert "Did you mean \u201ctrustworthy\u201d?" in typo
    for word in ("trustworthy,", "autonomy", "non-maleficence", "self-respect"):
        assert word in typo
    [no_quotes] = notes["post_03_rule"]
    assert 'Did you mean post_03_rule = "separate"?' in no_quotes
    [syntax] = notes["post_03_principle"]
    assert "can't be read" in syntax and 'Did you mean post_03_principle = "autonomy"?' in syntax

    checks = _check_cells(nb)
    assert len(checks) == len(load_exercise("ex02_rules_and_responses").auto_items)
    for name, cell in checks.items():
        assert cell.outputs == [], f"{name}: the note under the answer line is enough"
    [summary] = _notes(_check_all(nb))
    assert f"You have answered 4 of {len(checks)}" in summary
    assert "Post 4 (rule)" in summary and "Situation 7" in summary
    assert "trustworthyy" in summary and "post_03_rule" in summary
    for cell in nb.cells:
        for text in _notes(cell) if cell.cell_type == "code" else []:
            assert not any(word in text.casefold() for word in NOT_JUDGING), text


def test_a_check_that_runs_first_starts_the_checker(tmp_path, monkeypatch) -> None:
    """The walkthrough's first step: an answer typed and run before anything else, then the hidden
    check under it. The check finds the saved notebook (JupyterLab tells the kernel its path),
    starts the checker from its set-up cell, and says the answer can be read; from then on the
    note appears under each answer line."""
    saved, work = tmp_path / "saved", tmp_path / "work"
    saved.mkdir()
    work.mkdir()
    path = saved / "ex01_classify_posts.ipynb"
    nbformat.write(nbformat.read(notebook_path("exercises", "ex01_classify_posts"), 4), path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(path))
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    nb = _with_answers("ex01_classify_posts", {
        "post_01": 'post_01 = "acceptable"', "post_02": 'post_02 = "unacceptable"',
    })
    checks = _check_cells(nb)
    answer_1 = next(c for c in nb.cells if c.source == 'post_01 = "acceptable"')
    answer_2 = next(c for c in nb.cells if c.source == 'post_02 = "unacceptable"')
    nb.cells = [answer_1, checks["post_01"], answer_2, checks["post_02"], _check_all(nb)]
    _run(nb, work)
    assert _notes(answer_1) == []  # nothing had started the checker yet
    assert _notes(checks["post_01"]) == ["Post 1: your answer \u201cacceptable\u201d can be read."]
    assert _notes(answer_2) == [
        "Post 2: \u201cunacceptable\u201d is read as \u201cnot acceptable\u201d."]
    assert _notes(checks["post_02"]) == []
    total = len(load_exercise("ex01_classify_posts").auto_items)
    assert f"You have answered 2 of {total}" in _notes(_check_all(nb))[0]


def test_a_slip_never_stops_run_all(tmp_path) -> None:
    """Even when the checker can't start (no saved notebook to read it from), a broken answer
    line fails alone: it is tagged raises-exception, so Run All carries on to the end."""
    nb = _with_answers("ex01_classify_posts", {"post_03": 'post_03 = not acceptable"'})
    nb.cells = nb.cells[1:]  # no set-up cell, and tmp_path holds no notebook to start from
    _run(nb, tmp_path, allow_errors=False)
    slip = next(c for c in nb.cells if c.source == 'post_03 = not acceptable"')
    assert "SyntaxError" in _outputs(slip)
    [note] = _notes(_check_all(nb))
    assert "Run \u25b8 Run All Cells" in note
    others = [c for c in nb.cells if c.cell_type == "code" and c is not slip]
    assert all(o.output_type != "error" for c in others for o in c.outputs)


def test_checker_ordinary_errors_keep_their_message(tmp_path) -> None:
    nb = _with_answers("ex01_classify_posts", {"post_01": 'post_01 = "acceptable"'})
    nb.cells.insert(2, nbformat.v4.new_code_cell("undefined_thing + 1"))
    nb = _run(nb, tmp_path, allow_errors=True)
    assert "NameError" in _outputs(nb.cells[2])


def test_policy_check_reads_the_saved_notebook(tmp_path) -> None:
    nb = nbformat.read(notebook_path("exercises", "ex03_social_media_policy"), 4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "policy_emergencies":
            cell.source = cell.source.splitlines()[0] + "\n" + (
                "If you are in crisis please call 999 or Samaritans on 116 123, because I do "
                "not read messages in the evening or at weekends and can't respond quickly.")
    path = tmp_path / "ex03_social_media_policy.ipynb"
    nbformat.write(nb, path)
    nb = _run(nbformat.read(path, 4), tmp_path)
    check = next(c for c in nb.cells if c.source.endswith("check_policy()"))
    [text] = _notes(check)
    assert "\u201cWhere you can find me online\u201d: not written yet." in text
    assert "In an emergency" not in text
    assert "a hint, not a mark" in text
