"""The lessons and the facilitator's guide: metadata, structure, drift, and real execution.

Every lesson is run headless in a real kernel; its run-all time after the kernel has started is
recorded (printed with ``-s``, and kept as the JUnit property ``run_all_seconds``), never
asserted: tests assert behaviour, and the benchmarks under ``benchmarks/`` measure speed.
"""

from __future__ import annotations

import ast
import re
import shutil
import time
from collections import Counter
from pathlib import Path

import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from course.authoring import build_lessons
from course.authoring.build_lessons import FACILITATOR_DIR, GUIDE_NAME, LESSONS_DIR
from course.catalogue.lessons_meta import load_lessons
from course.catalogue.responses import load_responses
from course.catalogue.scenarios import CONTENT_DIR, ContentError, load_posts

ROOT = Path(__file__).resolve().parent.parent
LESSON_IDS = [
    "01-welcome",
    "02-confidentiality-and-trust",
    "03-never-disclose",
    "04-not-engaging",
    "05-personal-and-professional",
    "06-testimonials-and-reviews",
    "07-social-media-policy",
    "08-grey-areas",
]
LESSONS = {lesson.id: lesson for lesson in load_lessons()}
POSTS = {post.id: post for post in load_posts()}
RESPONSES = {response.id: response for response in load_responses()}
GUIDE = FACILITATOR_DIR / GUIDE_NAME
NOTEBOOKS = [*sorted(LESSONS_DIR.glob("*.ipynb")), GUIDE]
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def code_calls(nb: nbformat.NotebookNode) -> list[tuple[str, str]]:
    """(function, argument) of every ``show.…("…")`` code cell."""
    calls = []
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("show."):
            calls.append(build_lessons.parse_call(cell.source))
    return calls


def markdown(nb: nbformat.NotebookNode) -> str:
    return "\n\n".join(cell.source for cell in nb.cells if cell.cell_type == "markdown")


def squash(text: str) -> str:
    return " ".join(text.split())


# --- metadata -------------------------------------------------------------------------------
def test_the_eight_lessons_in_order() -> None:
    assert list(LESSONS) == LESSON_IDS
    assert sorted(p.stem for p in LESSONS_DIR.glob("*.ipynb")) == LESSON_IDS


def test_every_post_and_response_belongs_to_a_lesson() -> None:
    assert {post.lesson for post in POSTS.values()} <= set(LESSON_IDS)
    assert {response.lesson for response in RESPONSES.values()} <= set(LESSON_IDS)


def test_at_least_eight_response_situations_with_one_best_option() -> None:
    assert len(RESPONSES) >= 8
    for response in RESPONSES.values():
        assert 3 <= len(response.options) <= 4
        assert sum(option.best for option in response.options) == 1


def test_workshop_timings_add_up_to_the_cpd_minutes() -> None:
    for lesson in LESSONS.values():
        assert sum(t.minutes for t in lesson.instructor.timings) == lesson.minutes, lesson.id


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_notebook_shows_the_metadata_from_lessons_yaml(lesson_id: str) -> None:
    lesson = LESSONS[lesson_id]
    nb = read(LESSONS_DIR / f"{lesson_id}.ipynb")
    header = nb.cells[0].source
    assert header.startswith(f"# {lesson.title}\n")
    assert f"CPD time: about {lesson.minutes} minutes" in header
    for objective in lesson.objectives:
        assert f"- {objective}" in header
    text = markdown(nb)
    key_points = next(c.source for c in nb.cells if c.source.startswith("## Key points"))
    for point in lesson.key_points:
        assert f"- {point}" in key_points
    assert squash(lesson.reflection) in squash(text)
    assert nb.metadata["title"] == lesson.title


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_lesson_points_to_its_exercise_and_the_next_lesson(lesson_id: str) -> None:
    lesson = LESSONS[lesson_id]
    last = read(LESSONS_DIR / f"{lesson_id}.ipynb").cells[-1].source
    assert last.startswith("## What next")
    links = re.findall(r"\]\(([^)]+)\)", last)
    for link in links:
        target = (LESSONS_DIR / link).resolve()
        if "exercises/" in link:
            exercise = Path(*target.relative_to(ROOT).parts[1:])
            if not (ROOT / "exercises").is_dir() and not (ROOT / "solutions").is_dir():
                pytest.skip("no exercises/ or solutions/ folder yet")
            assert (ROOT / "exercises" / exercise).exists() or (
                ROOT / "solutions" / exercise
            ).exists(), f"{lesson_id} points to a missing exercise {link}"
        else:
            assert target.exists(), link
    if lesson.exercise is not None:
        assert f"../../{lesson.exercise.path}" in links
        words = squash(re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", last)).replace("**", "")
        assert "?." not in words and "Exercise: Exercise" not in words, words
        assert f"try {lesson.exercise.title}" in words
    if lesson_id != LESSON_IDS[-1]:
        assert f"{LESSON_IDS[LESSON_IDS.index(lesson_id) + 1]}.ipynb" in links


# --- structure ------------------------------------------------------------------------------
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_code_cells_are_one_short_hidden_line_and_nothing_is_saved(path: Path) -> None:
    nb = read(path)
    nbformat.validate(nb)
    assert "widgets" not in nb.metadata
    assert nb.cells[1].source == "from course.runtime import show"
    for cell in nb.cells:
        assert cell.metadata.get("editable") is False
        if cell.cell_type != "code":
            continue
        assert "\n" not in cell.source and len(cell.source) <= 60, cell.source
        assert cell.metadata["jupyter"]["source_hidden"] is True
        assert cell.metadata["tags"] == ["hide-input"]
        assert cell.outputs == [] and cell.execution_count is None
        ast.parse(cell.source)


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_each_lesson_has_five_scenarios_a_quiz_and_a_reflection(lesson_id: str) -> None:
    calls = code_calls(read(LESSONS_DIR / f"{lesson_id}.ipynb"))
    kinds = Counter(name for name, _ in calls)
    posts = {arg for name, arg in calls if name == "classify"}
    assert all(POSTS[p].lesson == lesson_id for p in posts)
    assert all(RESPONSES[arg].lesson == lesson_id for name, arg in calls if name == "response")
    assert ("quiz", lesson_id) in calls and ("reflection", lesson_id) in calls
    assert kinds["quiz"] == 1 and kinds["reflection"] == 1
    quiz_posts = {p.id for p in POSTS.values() if p.lesson == lesson_id}
    assert len(quiz_posts | posts) + kinds["response"] >= 5
    assert kinds["classify"] >= 4 and kinds["response"] >= 1


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_a_quiz_never_reuses_a_post_shown_earlier_in_its_lesson(lesson_id: str) -> None:
    from course.catalogue import bank

    calls = code_calls(read(LESSONS_DIR / f"{lesson_id}.ipynb"))
    quiz_at = calls.index(("quiz", lesson_id))
    shown = {arg for name, arg in calls[:quiz_at] if name == "classify"}
    quiz = {post.id for post in bank.quiz_posts(lesson_id)}
    assert len(quiz) >= 2 and not quiz & shown, sorted(quiz & shown)
    assert quiz | shown == {p.id for p in POSTS.values() if p.lesson == lesson_id}


def test_welcome_lesson_explains_how_to_use_the_course() -> None:
    text = squash(markdown(read(LESSONS_DIR / "01-welcome.ipynb")))
    for phrase in (
        "ready as soon as the page opens",
        "Check my answer",
        "Nothing you choose in them is marked",
        "CPD time",
        "**Tab** moves to the next control",
        "**Arrow keys** move between the choices of a group",
        "**Enter** or **Space** presses the button that has the focus",
        "Every post, name, handle and business in the course is invented",
    ):
        assert phrase in text
    # Learners use the app (make course), where nothing is run by hand and choices are kept.
    assert "Run All" not in text and "Shift + Enter" not in text
    assert "marked, saved" not in text and "graded" not in text
    total = sum(lesson.minutes for lesson in LESSONS.values())
    assert f"That is {total} minutes of learning" in text
    for lesson in LESSONS.values():
        assert f"[{lesson.title}]({lesson.id}.ipynb) | {lesson.minutes} |" in text


@pytest.mark.parametrize("lesson_id", LESSON_IDS)
def test_lesson_says_its_activities_are_ready_and_nothing_is_to_be_run(lesson_id: str) -> None:
    header = squash(read(LESSONS_DIR / f"{lesson_id}.ipynb").cells[0].source)
    assert "activities on this page are ready to use" in header
    assert "Run All" not in header and "Shift + Enter" not in header


def test_welcome_lesson_has_at_least_five_warm_up_posts() -> None:
    calls = code_calls(read(LESSONS_DIR / "01-welcome.ipynb"))
    warm_ups = [arg for name, arg in calls if name == "classify"]
    assert len(warm_ups) >= 5
    assert sorted(warm_ups) == sorted(p.id for p in POSTS.values() if p.lesson == "01-welcome"
                                      and p.id not in LESSONS["01-welcome"].quiz)


KEYS = ROOT / "grader" / "keys"
COUNTED = re.compile(r"\b(\d+) (?:new |short )?(?:posts|situations|parts|minutes)\b")


@pytest.mark.parametrize("lesson_id", [i for i in LESSON_IDS if LESSONS[i].exercise])
def test_exercise_pointers_match_the_exercises(lesson_id: str) -> None:
    """The title and every count a lesson gives for its exercise agree with the exercise."""
    exercise = LESSONS[lesson_id].exercise
    key_file = KEYS / f"{Path(exercise.path).stem}.yaml"
    if not key_file.exists():
        pytest.skip(f"no answer key {key_file.name} yet")
    key = yaml.safe_load(key_file.read_text(encoding="utf-8"))
    assert exercise.title == f"Exercise {key['number']}: {key['title']}"
    sizes = [len(part["entries"]) for part in key["parts"]]
    known = {*sizes, sum(sizes), key["minutes"]}
    counts = [int(n) for n in COUNTED.findall(exercise.note)]
    assert counts, f"{lesson_id}: say how many posts, situations or parts the exercise has"
    assert set(counts) <= known, f"{lesson_id}: {counts} but the exercise has {sorted(known)}"


def test_trainer_notes_stay_out_of_the_learners_lessons() -> None:
    guide = squash(markdown(read(GUIDE)))
    for lesson in LESSONS.values():
        learner = squash(markdown(read(LESSONS_DIR / f"{lesson.id}.ipynb")))
        notes = [
            *lesson.instructor.discussion,
            *lesson.instructor.debrief,
            *(m.belief for m in lesson.instructor.misconceptions),
            *(m.reality for m in lesson.instructor.misconceptions),
            *(t.activity for t in lesson.instructor.timings),
        ]
        for note in notes:
            assert squash(note) not in learner, f"{lesson.id} shows a trainer's note: {note}"
            assert squash(note) in guide, f"the guide is missing: {note}"


def test_facilitator_guide_has_a_deck_per_lesson_every_situation_and_a_debrief() -> None:
    nb = read(GUIDE)
    calls = code_calls(nb)
    assert [arg for name, arg in calls if name == "discussion"] == LESSON_IDS
    assert sorted(arg for name, arg in calls if name == "response") == sorted(RESPONSES)
    text = markdown(nb)
    assert "## After the exercises: the debrief" in text
    # on the projector the guide sends the trainer to the presentation view (docs/workshop.md)
    assert "**On a projector, use the presentation view**" in text
    assert "session-builder.ipynb" in text and "python -m course.workshop present" in text
    for lesson in LESSONS.values():
        assert f"## Lesson {lesson.number}: {lesson.title}" in text
        assert f"| **Total** | **{lesson.minutes}** |" in text


def guide_tables() -> list[list[tuple[str, int]]]:
    """Every (activity, minutes) table in the guide that ends with a **Total** row, the total
    row included as ("TOTAL", n)."""
    tables, rows = [], []
    for line in markdown(read(GUIDE)).splitlines():
        match = re.fullmatch(r"\| (.+?) \| (?:\*\*)?(\d+)(?:\*\*)? \|", line.strip())
        if not match:
            rows = []
            continue
        label, minutes = match.group(1), int(match.group(2))
        if label == "**Total**":
            tables.append([*rows, ("TOTAL", minutes)])
            rows = []
        else:
            rows.append((label, minutes))
    return tables


def test_every_timing_table_in_the_guide_adds_up() -> None:
    tables = guide_tables()
    assert len(tables) >= len(LESSON_IDS) + 2  # a table per lesson and the workshop plans
    for table in tables:
        *rows, (_, total) = table
        assert sum(minutes for _, minutes in rows) == total, table


def test_workshop_plans_teach_the_rules_before_exercise_1_in_the_room() -> None:
    plans = [t for t in guide_tables() if any(label.startswith("Break") for label, _ in t)]
    assert {t[-1][1] for t in plans} == {150, 180}
    for plan in plans:
        labels = [label for label, _ in plan]
        exercise = next((i for i, label in enumerate(labels) if "Exercise 1" in label), None)
        if exercise is not None and labels[exercise].startswith("Exercise 1"):
            taught = " ".join(labels[:exercise])
            for lesson in ("Lesson 3", "Lesson 4", "Lesson 5", "Lesson 6"):
                assert lesson in taught, f"Exercise 1 comes before {lesson}: {labels}"


# --- the builder ----------------------------------------------------------------------------
def test_committed_notebooks_equal_a_fresh_build() -> None:
    assert build_lessons.differences() == [], "run `python -m course.authoring.build_lessons`"


def test_the_drift_check_notices_an_edited_notebook(tmp_path: Path) -> None:
    written = build_lessons.write(root=tmp_path)
    assert len(written) == len(LESSON_IDS) + 2  # the lessons, the guide, the session builder
    assert build_lessons.differences(root=tmp_path) == []
    edited = tmp_path / "lessons" / "03-never-disclose.ipynb"
    edited.write_text(edited.read_text().replace("Rule 1", "Rule One"), encoding="utf-8")
    (tmp_path / "lessons" / "99-stray.ipynb").write_text("{}", encoding="utf-8")
    (tmp_path / "facilitator" / GUIDE_NAME).unlink()
    assert build_lessons.differences(root=tmp_path) == [
        "lessons/03-never-disclose.ipynb: differs from a fresh build",
        f"facilitator/{GUIDE_NAME}: missing",
        "lessons/99-stray.ipynb: not generated from the content",
    ]
    assert build_lessons.main(["--check"]) == 0


def copy_content(tmp_path: Path) -> Path:
    folder = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, folder)
    return folder


def edit_yaml(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


BROKEN_CONTENT = {
    "timings that do not add up": (
        "lessons.yaml",
        lambda d: d["lessons"][2]["instructor"]["timings"][0].update(minutes=99),
        ["lessons.yaml", "lesson 03-never-disclose", "timings add up to"],
    ),
    "a lesson out of order": (
        "lessons.yaml",
        lambda d: d["lessons"].insert(0, d["lessons"].pop(3)),
        ["lessons.yaml", "lesson 04-not-engaging", "field 'id'", "expected lesson number 01"],
    ),
    "a lesson without objectives": (
        "lessons.yaml",
        lambda d: d["lessons"][1].update(objectives=[]),
        ["lessons.yaml", "lesson 02-confidentiality-and-trust", "field 'objectives'"],
    ),
    "a quiz that repeats a practice post": (
        "lessons.yaml",
        lambda d: d["lessons"][2]["quiz"].append("p025"),
        ["lesson 03-never-disclose's quiz repeats p025", "already shown as practice"],
    ),
    "a quiz with another lesson's post": (
        "lessons.yaml",
        lambda d: d["lessons"][2]["quiz"].append("p030"),
        ["lesson 03-never-disclose's quiz lists p030", "not posts of this lesson"],
    ),
    "a quiz that leaves a post out": (
        "lessons.yaml",
        lambda d: d["lessons"][2]["quiz"].remove("p020"),
        ["lesson 03-never-disclose's quiz leaves out p020"],
    ),
    "a mistyped exercise path": (
        "lessons.yaml",
        lambda d: d["lessons"][1]["exercise"].update(path="exercises/ex01_a/ex01_b.ipynb"),
        ["lessons.yaml", "field 'exercise.path'", "should be named ex01_a.ipynb"],
    ),
    "two best options": (
        "responses.yaml",
        lambda d: [o.update(best=True) for o in d["responses"][0]["options"]],
        ["responses.yaml", "response therapy-room-photo", "field 'options'", "exactly one"],
    ),
    "an unknown rule": (
        "responses.yaml",
        lambda d: d["responses"][1].update(rules=["gossip"]),
        ["responses.yaml", "response client-comment-details", "field 'rules'", "gossip"],
    ),
    "a response for a missing lesson": (
        "responses.yaml",
        lambda d: d["responses"][1].update(lesson="09-extra"),
        ["responses.yaml", "field 'lesson'", "09-extra"],
    ),
    "two options only": (
        "responses.yaml",
        lambda d: d["responses"][2].update(options=d["responses"][2]["options"][:2]),
        ["responses.yaml", "response after-session-post", "field 'options'"],
    ),
}


@pytest.mark.parametrize("case", sorted(BROKEN_CONTENT))
def test_broken_lesson_content_fails_with_a_clear_message(tmp_path: Path, case: str) -> None:
    name, change, expected = BROKEN_CONTENT[case]
    folder = copy_content(tmp_path)
    edit_yaml(folder / name, change)
    with pytest.raises(ContentError) as error:
        build_lessons.build(folder)
    for fragment in expected:
        assert fragment in str(error.value)


BROKEN_CELLS = {
    'show.classify("p001"); import os': "is not a valid call",
    'show.classify("p999")': "there is no post p999",
    'show.classify("p007")': "post p007 belongs to lesson 02-confidentiality-and-trust",
    'show.response("crisis-message")': "belongs to lesson 04-not-engaging",
    'show.quiz("04-not-engaging")': "should name this lesson, 03-never-disclose",
    'show.delete_everything("03-never-disclose")': "show.delete_everything does not exist",
    'show.classify("p001" + "")': "should look like show.name",
    'show.classify("p001", seed=3)': "should look like show.name",
    'show.classify("' + "p" * 60 + '")': "longer than 60 characters",
}


@pytest.mark.parametrize("line", sorted(BROKEN_CELLS))
def test_builder_refuses_a_bad_cell_line(tmp_path: Path, line: str) -> None:
    folder = copy_content(tmp_path)
    text = folder / "lessons" / "03-never-disclose.md"
    text.write_text(text.read_text() + f"\n<!-- cell: {line} -->\n", encoding="utf-8")
    with pytest.raises(ContentError, match=re.escape(BROKEN_CELLS[line])):
        build_lessons.build(folder)


def test_builder_refuses_an_unknown_placeholder(tmp_path: Path) -> None:
    folder = copy_content(tmp_path)
    text = folder / "lessons" / "02-confidentiality-and-trust.md"
    text.write_text(text.read_text() + "\n{{secret_key}}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="unknown placeholder"):
        build_lessons.build(folder)


# --- execution ------------------------------------------------------------------------------
def run_all(path: Path, workdir: Path) -> tuple[nbformat.NotebookNode, float]:
    """Execute every cell in a fresh kernel; return the notebook and the seconds spent after
    the kernel had started."""
    nb = read(path)
    client = NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(workdir)}}
    )
    with client.setup_kernel():
        started = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        elapsed = time.perf_counter() - started
    return nb, elapsed


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_all_cells_headless(
    path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, record_property
) -> None:
    monkeypatch.setenv("POSTING_WITH_CARE_HOME", str(tmp_path / "home"))
    nb, elapsed = run_all(path, tmp_path)
    record_property("run_all_seconds", round(elapsed, 3))
    print(f"{path.name}: run all in {elapsed:.2f} s after kernel start")
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kinds = [output.output_type for output in cell.outputs]
        assert "error" not in kinds, cell.source
        assert "stream" not in kinds, f"{cell.source} printed something: {cell.outputs}"
        if cell.source.startswith("show."):
            assert [o.output_type for o in cell.outputs] == ["display_data"], cell.source
            assert WIDGET_VIEW in cell.outputs[0].data, cell.source


def test_the_guides_figures_for_exercise_1_are_the_keys() -> None:
    from grader.exercise import load_exercise

    ex = load_exercise("ex01_classify_posts")
    minutes = yaml.safe_load(Path(ex.keys_dir, f"{ex.id}.yaml").read_text("utf-8"))["minutes"]
    rules = Counter(item.rule for item in ex.auto_items)
    text = " ".join(markdown(read(GUIDE)).split())
    assert (f"Exercise 1 takes about {minutes} minutes. Of its {len(ex.auto_items)} posts, "
            f"{rules[None]} are fine to post;") in text
    early = sum(rules[r] for r in ("disclose", "engage", "separate"))
    assert early > (len(ex.auto_items) - rules[None]) / 2  # "most of the others": rules 1 to 3
    assert f"| Exercise 1, each person on their own | {minutes} |" in markdown(read(GUIDE))
